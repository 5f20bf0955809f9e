/**
 * The tertial report around the operating statement: the forecast change per line (log.ts), the drafted
 * summary (core/summary.ts), Investeringsredovisning (S1 §4.2, the core's compute on a second ledger) and
 * Personalnyckeltal (S1 §3.1, core/personnel.ts), each with its report sheet, and the text zones where the
 * ekonom writes (kept across refreshes).
 *
 * Text zones: a heading cell in column A followed by one paragraph per row (column A, merged across the
 * table). `readTextZone` reads a zone back from a sheet's values; `keepOrDraft` is the single rule for
 * when a draft replaces what is there (only into an empty zone, or when asked). Both are small on purpose,
 * so that the general input-zone mechanism of the report sheets can take them over.
 */
import { compute, periodLabel } from "../core";
import { computePersonnel, type PersonnelResult } from "../core/personnel";
import { draftSummary, type SummaryDraft } from "../core/summary";
import { findLookAlikes } from "../core/text";
import type { LedgerInput, LedgerResult } from "../core/types";
import type { Layout } from "./contract";
import { REPORT_SHEETS } from "./contract";
import {
  currentEntry,
  forecastChanges,
  LINE_LOG_MAX_ROWS,
  mergeForecastLog,
  readForecastLog,
  trimForecastLog,
  type ForecastChange,
  type ForecastLog,
} from "./log";
import { amountFormats, ytdLabel } from "./reports";
import { MAX_CELL_TEXT } from "./input";
import type { TertialInput } from "./tertial-input";
import { LINE_LOG_SHEET, TERTIAL_SHEETS } from "./tertial-sheets";
import type { CellStyle, LocatedFinding, PlanValue, RawCell, ReadResult, SheetPlan } from "./types";

export const HEADINGS = {
  summary: "Sammanfattning av ärendet",
  operatingComment: "Kommentar till driftsredovisning",
  investments: "Kommentar till investeringsredovisning",
  personnel: "Kommentar till personalnyckeltal",
  volumes: "Kommentar till volymutveckling",
} as const;

export const PLACEHOLDER = "(Skriv kommentaren här.)";

export interface TertialOptions {
  /** Replace the drafted texts even when the ekonom has written in them (CLI --nytt-utkast). */
  newDraft?: boolean;
  /** Who reports, for the draft ("Socialnämnden"); default "Verksamheten". */
  subject?: string;
}

export interface TertialOutcome {
  /** The log after this refresh (its period replaced or added). */
  log: ForecastLog;
  change: ForecastChange;
  investments: { result: LedgerResult; comments: (string | null)[] } | null;
  personnel: PersonnelResult | null;
  draft: SummaryDraft;
  /** The texts the report sheets carry after this refresh, zone by zone. */
  texts: { summary: string[]; operatingComment: string[]; investments: string[]; personnel: string[] };
  /** Which zones got a fresh draft in this refresh. */
  drafted: { summary: boolean; operatingComment: boolean };
  /** Measures counted into the forecast (Inräknad = ja with an amount), for "Åtgärder inräknade i helårsprognosen". */
  includedMeasures: { area: string; text: string; amount: number; line: string | null }[];
  /** Each operating line's comment (Kommentar), in LedgerResult.lines order where known. */
  lineComments: (string | null)[];
  findings: LocatedFinding[];
}

const upper = (s: string) => s.toLocaleUpperCase("sv-SE");

function sheetValues(read: ReadResult, name: string): RawCell[][] | null {
  return read.sheets.find((s) => upper(s.sheet) === upper(name))?.values ?? null;
}

/**
 * The paragraphs of the zone under `heading` (column A of the rows after it, up to the next heading or
 * the end), with the text of other columns on those rows appended so that nothing typed is lost; the
 * placeholder does not count. Null when the heading is not on the sheet.
 */
export function readTextZone(values: RawCell[][] | null, heading: string): string[] | null {
  if (!values) return null;
  const known = new Set(Object.values(HEADINGS).map(upper));
  const at = values.findIndex(
    (row) => typeof row?.[0] === "string" && upper(row[0].trim()) === upper(heading),
  );
  if (at < 0) return null;
  const out: string[] = [];
  for (let r = at + 1; r < values.length; r++) {
    const row = values[r] ?? [];
    const first = row[0];
    if (typeof first === "string" && known.has(upper(first.trim()))) break;
    const text = row
      .filter((v) => (typeof v === "string" && v.trim() !== "") || typeof v === "number")
      .map((v) => String(v).trim())
      .join(" ");
    if (text && text !== PLACEHOLDER) out.push(text);
  }
  return out;
}

/** The rule for a drafted zone: what the ekonom wrote stays, unless the zone is empty or a new draft is asked for. */
export function keepOrDraft(
  existing: string[] | null,
  draft: string[],
  newDraft: boolean,
): { paragraphs: string[]; drafted: boolean } {
  if (!newDraft && existing && existing.length) return { paragraphs: existing, drafted: false };
  return { paragraphs: draft, drafted: true };
}

/** Everything around the operating statement, from the computed result, the extra tables and what the workbook holds. */
export function computeTertial(
  result: LedgerResult,
  input: LedgerInput,
  layout: Pick<Layout, "locate"> & Partial<Pick<Layout, "lineComments">>,
  tables: TertialInput | null,
  read: ReadResult,
  options: TertialOptions = {},
): TertialOutcome {
  const findings: LocatedFinding[] = [...(tables?.readFindings ?? [])];
  const logged = readForecastLog(
    sheetValues(read, REPORT_SHEETS.log) ?? [],
    sheetValues(read, LINE_LOG_SHEET) ?? [],
  );
  const change = forecastChanges(result, logged);
  const trimmed = trimForecastLog(mergeForecastLog(logged, currentEntry(result)));
  const log = trimmed.log;
  if (trimmed.dropped.length)
    findings.push({
      level: "info",
      code: "LINE_LOG_TRIMMED",
      message: `Prognosloggen per rad rymmer högst ${LINE_LOG_MAX_ROWS.toLocaleString("sv-SE")} rader; raderna för ${trimmed.dropped.join(", ")} togs bort (nettoraderna på Prognoslogg finns kvar).`,
      sheet: LINE_LOG_SHEET,
    });

  let investments: TertialOutcome["investments"] = null;
  if (tables?.investments) {
    const inv = tables.investments;
    const invResult = compute(inv.input);
    investments = { result: invResult, comments: inv.comments };
    for (const f of invResult.findings)
      findings.push({ ...f, message: `Investeringar: ${f.message}`, ...inv.locate(f) });
  }
  let personnel: PersonnelResult | null = null;
  if (tables?.personnel) {
    const per = tables.personnel;
    personnel = computePersonnel(per.rows);
    for (const f of personnel.findings)
      findings.push({ level: f.level, code: f.code, message: f.message, ...per.locate(f.row, f.field) });
  }
  result.lines.forEach((l, i) => {
    for (const x of findLookAlikes(l.label))
      findings.push({
        level: "warning",
        code: "LABEL_LOOKALIKE",
        message: `Benämningen "${l.label}" har kyrilliska eller grekiska bokstäver (${x.letters.join(", ")}) i ordet "${x.word}", som ser ut som latinska men inte är det. Skriv om ordet: "${x.folded}".`,
        line: i,
        field: "label",
        ...layout.locate({ level: "warning", code: "LABEL_LOOKALIKE", message: "", line: i, field: "label" }),
      });
  });

  const included = (input.measures ?? []).filter((m) => m.includedInForecast && typeof m.amount === "number");
  const parents = new Set(result.lines.map((l) => l.parent));
  const changed = result.lines
    .map((l, i) => ({
      label: l.label,
      change: change.lines[i],
      skip: l.kind === "total" || parents.has(l.index),
    }))
    .filter((l): l is { label: string; change: number; skip: false } => l.change !== null && !l.skip);
  const draft = draftSummary({
    result,
    subject: options.subject,
    change:
      change.previousPeriod !== null && change.net !== null
        ? { previousPeriod: change.previousPeriod, net: change.net, lines: changed }
        : null,
    history: log.periods
      .filter((p) => p.net?.deviation !== null && p.net?.deviation !== undefined)
      .map((p) => ({ period: p.period, deviation: p.net!.deviation! })),
    measures: included.length
      ? { count: included.length, total: included.reduce((a, m) => a + (m.amount as number), 0) }
      : null,
    investments: investments
      ? {
          deviation: investments.result.result.deviation,
          forecastDeviation: investments.result.result.forecastDeviation,
        }
      : null,
  });

  const summarySheet = sheetValues(read, TERTIAL_SHEETS.summary);
  const summary = keepOrDraft(
    readTextZone(summarySheet, HEADINGS.summary),
    [draft.summary],
    !!options.newDraft,
  );
  const comment = keepOrDraft(
    readTextZone(summarySheet, HEADINGS.operatingComment),
    [draft.operatingComment],
    !!options.newDraft,
  );
  const invDraft = investments
    ? investments.result.lines
        .map((l, i) => (investments!.comments[i] ? `${l.label}: ${investments!.comments[i]}` : null))
        .filter((x): x is string => x !== null)
    : [];
  const invText = keepOrDraft(
    readTextZone(sheetValues(read, TERTIAL_SHEETS.investments), HEADINGS.investments),
    invDraft,
    false,
  );
  const perText = readTextZone(sheetValues(read, TERTIAL_SHEETS.personnel), HEADINGS.personnel) ?? [];
  return {
    log,
    change,
    investments,
    personnel,
    draft,
    texts: {
      summary: summary.paragraphs,
      operatingComment: comment.paragraphs,
      investments: invText.paragraphs,
      personnel: perText,
    },
    drafted: { summary: summary.drafted, operatingComment: comment.drafted },
    includedMeasures: included.map((m) => ({
      area: m.area,
      text: m.text,
      amount: m.amount as number,
      line: m.line ?? null,
    })),
    lineComments: result.lines.map((l) => layout.lineComments?.[l.index] ?? null),
    findings,
  };
}

// ---------------------------------------------------------------------------------------------------
// Sheets

const FONT: CellStyle = { fontName: "Calibri", fontSize: 11 };
const TITLE: CellStyle = { ...FONT, bold: true, fontSize: 14 };
const HEADER: CellStyle = {
  ...FONT,
  bold: true,
  wrap: true,
  verticalAlignment: "bottom",
  borderBottom: "thin",
};
const HEADING: CellStyle = { ...FONT, bold: true };
const NOTE: CellStyle = { ...FONT, italic: true, fontColor: "#595959" };
const PARAGRAPH: CellStyle = { ...FONT, wrap: true, verticalAlignment: "top" };
const INPUT_FILL = "#FFF2CC";

/** Appends rows to a SheetPlan (one value block per row: these sheets are short). */
class Builder {
  readonly plan: SheetPlan;
  row = 0;
  constructor(name: string, width: number[]) {
    this.plan = {
      name,
      owned: true,
      values: [],
      formats: [],
      merges: [],
      columnWidths: width.map((w, col) => ({ col, width: w })),
      charts: [],
      rowHeights: [],
    };
  }
  get cols(): number {
    return this.plan.columnWidths.length;
  }
  line(values: PlanValue[], style?: CellStyle): number {
    const r = this.row++;
    this.plan.values.push({ row: r, col: 0, values: [values] });
    if (style) this.plan.formats.push({ rect: { row: r, col: 0, rows: 1, cols: values.length }, style });
    return r;
  }
  format(row: number, col: number, cols: number, style: CellStyle): void {
    this.plan.formats.push({ rect: { row, col, rows: 1, cols }, style });
  }
  /** A paragraph merged across the sheet, tall enough for its wrapped lines. */
  paragraph(full: string, style: CellStyle = PARAGRAPH): number {
    const text = full.length > MAX_CELL_TEXT ? `${full.slice(0, MAX_CELL_TEXT - 1)}…` : full;
    const r = this.line([text], style);
    this.plan.merges.push({ row: r, col: 0, rows: 1, cols: this.cols });
    const chars = this.plan.columnWidths.reduce((a, c) => a + c.width, 0) * 1.1;
    const lines = Math.max(1, Math.ceil(text.length / chars));
    this.plan.rowHeights!.push({ row: r, height: 15 * lines + 3 });
    return r;
  }
  /** A text zone: heading, then the paragraphs (or the placeholder), shaded as input. */
  zone(heading: string, paragraphs: string[]): void {
    this.line([heading], HEADING);
    const texts = paragraphs.length ? paragraphs : [PLACEHOLDER];
    for (const t of texts) {
      this.paragraph(
        t,
        t === PLACEHOLDER ? { ...NOTE, fill: INPUT_FILL } : { ...PARAGRAPH, fill: INPUT_FILL },
      );
    }
    this.row++;
  }
}

export function summarySheet(result: LedgerResult, t: TertialOutcome): SheetPlan {
  const s = new Builder(TERTIAL_SHEETS.summary, [20, 20, 20, 20, 20]);
  s.line([`Sammanfattning per ${periodLabel(result.period)}`], TITLE);
  s.paragraph(
    "Texterna i de gula rutorna är utkast från Uppföljaren, räknade ur siffrorna. Skriv om dem fritt: det du skriver behålls vid nästa uppdatering. Ett nytt utkast skrivs bara i en tom ruta (töm rutan och uppdatera), eller när du ber om det (knappen Nytt utkast i panelen, eller uppfoljaren refresh --nytt-utkast).",
    NOTE,
  );
  s.row++;
  s.zone(HEADINGS.summary, t.texts.summary);
  s.zone(HEADINGS.operatingComment, t.texts.operatingComment);
  s.plan.print = { orientation: "portrait", fitToWidth: true };
  return s.plan;
}

/** Investeringsredovisning, nettoresultat (tkr): the same five columns and Summa as the operating statement. */
export function investmentSheet(result: LedgerResult, texts: string[]): SheetPlan {
  const s = new Builder(TERTIAL_SHEETS.investments, [44, 16, 16, 16, 22]);
  const end = periodLabel(result.period);
  const fmt = amountFormats(result.unit);
  s.line([`Investeringsredovisning, nettoresultat (${result.unit})`], TITLE);
  s.plan.merges.push({ row: 0, col: 0, rows: 1, cols: 5 });
  const h = s.line(
    [
      "",
      `Utfall per ${end}`,
      `Budget per ${end}`,
      `Avvikelse per ${end}`,
      `Prognos budgetavvikelse helår ${result.period.year}`,
    ],
    HEADER,
  );
  s.plan.rowHeights!.push({ row: h, height: 30 });
  s.format(h, 1, 4, { ...HEADER, horizontalAlignment: "right" });
  const first = s.row;
  for (const l of result.lines) {
    const r = s.line([l.label, l.actual, l.periodBudget, l.deviation, l.forecastDeviation], FONT);
    if (l.kind === "total") s.format(r, 0, 5, { ...FONT, bold: true, borderTop: "thin" });
  }
  if (!result.lines.some((l) => l.kind === "total")) {
    const n = result.result;
    const r = s.line(["Summa", n.actual, n.periodBudget, n.deviation, n.forecastDeviation], FONT);
    s.format(r, 0, 5, { ...FONT, bold: true, borderTop: "thin" });
  }
  for (let r = first; r < s.row; r++) {
    s.plan.formats.push({ rect: { row: r, col: 1, rows: 1, cols: 2 }, style: { numberFormat: fmt.plain } });
    s.plan.formats.push({
      rect: { row: r, col: 3, rows: 1, cols: 2 },
      style: { numberFormat: fmt.deviation },
    });
  }
  s.row++;
  s.zone(HEADINGS.investments, texts);
  s.plan.freeze = { rows: 2, cols: 1 };
  s.plan.print = { orientation: "landscape", fitToWidth: true, repeatRows: { first: 1, last: 1 } };
  return s.plan;
}

/** "Tertial 2019" for the tertial months, otherwise the months covered ("jan-mars 2019"). */
export function personnelPeriodLabel(year: number, month: number): string {
  return month === 4 || month === 8 || month === 12 ? `Tertial ${year}` : ytdLabel(year, month);
}

export const PERCENT_FORMAT = "0.0 %";

/** Personalnyckeltal as S1 §3.1: two header rows, section rows, Totalt/Kvinnor/Män this year and last. */
export function personnelSheet(result: LedgerResult, personnel: PersonnelResult, texts: string[]): SheetPlan {
  const s = new Builder(TERTIAL_SHEETS.personnel, [72, 18, 10, 10, 10, 10, 10, 10]);
  const { year, month } = result.period;
  s.line(["Personalnyckeltal"], TITLE);
  const h1 = s.line(
    [
      "",
      "Mätdatum/ mätperiod",
      personnelPeriodLabel(year, month),
      null,
      null,
      personnelPeriodLabel(year - 1, month),
      null,
      null,
    ],
    HEADER,
  );
  s.plan.merges.push({ row: h1, col: 2, rows: 1, cols: 3 }, { row: h1, col: 5, rows: 1, cols: 3 });
  s.format(h1, 2, 6, { ...HEADER, horizontalAlignment: "center" });
  s.plan.rowHeights!.push({ row: h1, height: 30 });
  s.line(["", "", "Totalt", "Kvinnor", "Män", "Totalt", "Kvinnor", "Män"], HEADER);
  for (const r of personnel.rows) {
    if (r.kind === "section") {
      s.line([r.label], HEADING);
      continue;
    }
    const f = r.current;
    const ly = r.lastYear;
    const row = s.line([r.label, r.date, f.total, f.women, f.men, ly.total, ly.women, ly.men], FONT);
    if (r.kind === "ofWhich") s.format(row, 0, 1, { ...FONT, indent: 1, horizontalAlignment: "left" });
    s.format(row, 1, 1, { ...FONT, horizontalAlignment: "right" });
    s.plan.formats.push({
      rect: { row, col: 2, rows: 1, cols: 6 },
      style: { numberFormat: r.unit === "percent" ? PERCENT_FORMAT : "#,##0" },
    });
  }
  s.row++;
  s.zone(HEADINGS.personnel, texts);
  s.plan.freeze = { rows: 3, cols: 1 };
  s.plan.print = { orientation: "landscape", fitToWidth: true, repeatRows: { first: 1, last: 2 } };
  return s.plan;
}

/** The owned sheets this module adds to the write plan, in report order. */
export function tertialSheets(
  result: LedgerResult,
  t: TertialOutcome,
): { first: SheetPlan[]; after: SheetPlan[] } {
  const first = [summarySheet(result, t)];
  const after: SheetPlan[] = [];
  if (t.investments) after.push(investmentSheet(t.investments.result, t.texts.investments));
  if (t.personnel) after.push(personnelSheet(result, t.personnel, t.texts.personnel));
  return { first, after };
}

export { TERTIAL_SHEETS };
