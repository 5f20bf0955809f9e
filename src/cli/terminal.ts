/**
 * What the runner prints: text from the workbook (sheet names, labels, cell text inside messages) made
 * harmless for a terminal, messages capped in length and number, and progress for large files.
 */
import type { FindingLevel } from "../core/types";
import { bySeverity, LEVEL_SV } from "../workbook/words";

/** Characters a terminal acts on or that reorder what is shown: C0/C1 controls, DEL, bidi controls. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same less C0, which JSON.stringify already escapes inside strings (outside them: its newlines). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** One line of text at most `max` characters long, with every unsafe character shown as \uXXXX. */
export function terminalSafe(text: string, max = MAX_MESSAGE): string {
  const shown = text
    .replace(LONE_SURROGATE, "\ufffd")
    .replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
  return clip(shown, max);
}

/** At most `max` characters (for --json, where JSON's own escaping keeps the terminal safe). */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** JSON text with the characters JSON.stringify leaves raw but a terminal would act on escaped too. */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    UNSAFE_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Longest message shown on the terminal (characters); longer ones end in "…". */
export const MAX_MESSAGE = 300;
/** Most errors or findings listed on the terminal; the rest are counted ("… och 12 till"). */
export const MAX_LISTED = 50;
/** Most errors or findings in the --json document, and the longest message there. */
export const MAX_JSON_ITEMS = 1000;
export const MAX_JSON_MESSAGE = 2000;

/** The first `max` items and how many were left out. */
export function capped<T>(items: T[], max: number): { shown: T[]; omitted: number } {
  return { shown: items.slice(0, max), omitted: Math.max(0, items.length - max) };
}

/**
 * "  varning     Underlag!C12   meddelande" lines for the terminal: errors first (so that a cap never
 * hides an error behind notes), capped.
 */
export function findingLines(
  findings: { level: FindingLevel; cell: string | null; message: string }[],
): string[] {
  const { shown, omitted } = capped(bySeverity(findings), MAX_LISTED);
  const width = Math.min(24, Math.max(4, ...shown.map((f) => terminalSafe(f.cell ?? "–", 24).length)));
  const lines = shown.map((f) => {
    const level = LEVEL_SV[f.level].toLowerCase().padEnd(10);
    const cell = terminalSafe(f.cell ?? "–", 24).padEnd(width);
    return `  ${level}  ${cell}  ${terminalSafe(f.message)}`;
  });
  if (omitted) lines.push(`  … och ${omitted} till (alla finns på bladet Kontroller och i --json)`);
  return lines;
}

/** Progress on an interactive stderr: one line, rewritten in place, cleared at the end. */
export class Progress {
  private shown = false;
  constructor(
    private readonly write: (text: string) => void,
    private readonly enabled: boolean,
  ) {}

  step(text: string): void {
    if (!this.enabled) return;
    this.write(`\r\x1b[2KUppföljaren: ${text}…`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.write("\r\x1b[2K");
    this.shown = false;
  }
}

/** The header of a refusal of the workbook itself (single refresh and each workbook of a batch). */
export const UNUSABLE = "Arbetsboken kan inte användas; ingenting skrevs.";

/** "- message [Sheet!A1]" lines of a refusal, escaped and capped. */
export function errorLines(errors: { message: string; sheet?: string; cell?: string }[]): string[] {
  const where = (e: { sheet?: string; cell?: string }) =>
    e.sheet ? ` [${terminalSafe(e.sheet, 40)}${e.cell ? `!${terminalSafe(e.cell, 40)}` : ""}]` : "";
  const { shown, omitted } = capped(errors, MAX_LISTED);
  const lines = shown.map((e) => `- ${terminalSafe(e.message, MAX_MESSAGE)}${where(e)}`);
  if (omitted) lines.push(`- … och ${omitted} fel till (alla finns i --json)`);
  return lines;
}
