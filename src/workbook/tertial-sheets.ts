/** Names of the sheets the tertial report adds (a leaf module: the contract and the builders import it). */

export const TERTIAL_SHEETS = {
  summary: "Sammanfattning",
  investments: "Investeringsredovisning",
  personnel: "Personalnyckeltal",
} as const;

/** The hidden sheet with every period's forecast per line (see log.ts). */
export const LINE_LOG_SHEET = "Prognoslogg_rader";

/** Sheets the refresh owns besides REPORT_SHEETS. */
export const TERTIAL_OWNED: readonly string[] = [...Object.values(TERTIAL_SHEETS), LINE_LOG_SHEET];

const upper = (s: string) => s.toLocaleUpperCase("sv-SE");

/** The sheets whose contents the refresh reads back (the line log and the text zones), when they exist. */
export function tertialReadSheets(existing: readonly string[], logEnabled: boolean): string[] {
  const wanted = [...Object.values(TERTIAL_SHEETS), ...(logEnabled ? [LINE_LOG_SHEET] : [])];
  return existing.filter((s) => wanted.some((w) => upper(w) === upper(s)));
}
