/**
 * A1 notation: addresses shown to people and the parsing of defined names' formulas.
 * Coordinates are 0-based (row 0 = Excel row 1, col 0 = column A).
 */
import type { Rect, SheetRect } from "./types";

export const MAX_ROWS = 1048576;
export const MAX_COLS = 16384;

/**
 * A sheet's or defined name's key for comparing names as Excel does: without regard to case, Swedish
 * letters included (å and Å are one letter). Excel treats "Underlag" and "UNDERLAG" as the same sheet
 * and the same holds for defined names ("Names in formulas": names are not case-sensitive).
 */
export const nameKey = (name: string) => name.toLocaleUpperCase("sv-SE");

/** Whether two sheet or defined names are the same name to Excel (see nameKey). */
export const sameName = (a: string, b: string): boolean => nameKey(a) === nameKey(b);

export function colLetters(col: number): string {
  let s = "";
  let n = col + 1;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function colIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** "C7" for row 6, col 2. */
export function a1(row: number, col: number): string {
  return `${colLetters(col)}${row + 1}`;
}

/** "A5:A20", or "B2" for a single cell. */
export function rectA1(r: Rect): string {
  const tl = a1(r.row, r.col);
  return r.rows === 1 && r.cols === 1 ? tl : `${tl}:${a1(r.row + r.rows - 1, r.col + r.cols - 1)}`;
}

/** A sheet name as it appears in a reference: quoted when it is not a plain identifier. */
export function sheetPrefix(sheet: string): string {
  return /^[A-Za-z_\u00C0-\u024F][\w.\u00C0-\u024F]*$/.test(sheet) && !/^[A-Za-z]{1,3}\d+$/.test(sheet)
    ? sheet
    : `'${sheet.replace(/'/g, "''")}'`;
}

/** "Underlag!C7" or "'Blad 1'!B2". */
export function cellRef(sheet: string, row: number, col: number): string {
  return `${sheetPrefix(sheet)}!${a1(row, col)}`;
}

export function sheetRectA1(r: SheetRect): string {
  return `${sheetPrefix(r.sheet)}!${rectA1(r)}`;
}

export type NameFormula =
  | { kind: "range"; rect: SheetRect }
  | { kind: "ref-error" }
  | { kind: "multi" }
  | { kind: "constant" }
  | { kind: "other" };

const CELL = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/;
const COLS = /^\$?([A-Za-z]{1,3}):\$?([A-Za-z]{1,3})$/;
const ROWS = /^\$?(\d{1,7}):\$?(\d{1,7})$/;

/**
 * Parses a defined name's formula as Excel shows it ("=Underlag!$A$5:$A$20", "='Blad 1'!$B$2",
 * "=#REF!", "=Underlag!#REF!", "=A!$A$1,A!$C$1", "=100"). A leading "=" is optional (the .xlsx file
 * stores names without it).
 */
export function parseNameFormula(formula: string): NameFormula {
  let f = formula.trim();
  if (f.startsWith("=")) f = f.slice(1).trim();
  if (f === "") return { kind: "other" };
  if (/#REF!/i.test(f)) return { kind: "ref-error" };
  const areas = splitTopLevel(f);
  if (areas.length > 1) return { kind: "multi" };
  if (/^\(.*\)$/.test(f)) return { kind: "multi" };
  const area = parseArea(f);
  if (area) return { kind: "range", rect: area };
  if (/^("([^"]|"")*"|[+-]?\d+([.,]\d+)?(E[+-]?\d+)?|TRUE|FALSE|SANT|FALSKT|\{.*\})$/i.test(f))
    return { kind: "constant" };
  return { kind: "other" };
}

function splitTopLevel(f: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = false;
  let dquote = false;
  let cur = "";
  for (const ch of f) {
    if (ch === "'" && !dquote) quote = !quote;
    else if (ch === '"' && !quote) dquote = !dquote;
    else if (!quote && !dquote) {
      if (ch === "(" || ch === "{") depth++;
      else if (ch === ")" || ch === "}") depth--;
      else if (ch === "," && depth === 0) {
        parts.push(cur);
        cur = "";
        continue;
      }
    }
    cur += ch;
  }
  parts.push(cur);
  return parts;
}

function parseArea(f: string): SheetRect | null {
  let sheet: string;
  let ref: string;
  const quoted = /^'((?:[^']|'')+)'!(.+)$/.exec(f);
  if (quoted) {
    sheet = quoted[1].replace(/''/g, "'");
    ref = quoted[2];
  } else {
    const plain = /^([^'!:\s,()]+)!(.+)$/.exec(f);
    if (!plain) return null;
    sheet = plain[1];
    ref = plain[2];
  }
  const rect = parseRef(ref.trim());
  return rect ? { sheet, ...rect } : null;
}

/** "$A$5:$A$20", "B2", "A:A", "5:5" → Rect, or null. */
export function parseRef(ref: string): Rect | null {
  const parts = ref.split(":");
  if (parts.length === 1) {
    const c = CELL.exec(parts[0]);
    return c ? { row: Number(c[2]) - 1, col: colIndex(c[1]), rows: 1, cols: 1 } : null;
  }
  if (parts.length !== 2) return null;
  const c1 = CELL.exec(parts[0]);
  const c2 = CELL.exec(parts[1]);
  if (c1 && c2) {
    const r1 = Number(c1[2]) - 1;
    const r2 = Number(c2[2]) - 1;
    const k1 = colIndex(c1[1]);
    const k2 = colIndex(c2[1]);
    const row = Math.min(r1, r2);
    const col = Math.min(k1, k2);
    return { row, col, rows: Math.abs(r2 - r1) + 1, cols: Math.abs(k2 - k1) + 1 };
  }
  const cols = COLS.exec(ref);
  if (cols) {
    const k1 = colIndex(cols[1]);
    const k2 = colIndex(cols[2]);
    return { row: 0, col: Math.min(k1, k2), rows: MAX_ROWS, cols: Math.abs(k2 - k1) + 1 };
  }
  const rows = ROWS.exec(ref);
  if (rows) {
    const r1 = Number(rows[1]) - 1;
    const r2 = Number(rows[2]) - 1;
    return { row: Math.min(r1, r2), col: 0, rows: Math.abs(r2 - r1) + 1, cols: MAX_COLS };
  }
  return null;
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.row < b.row + b.rows && b.row < a.row + a.rows && a.col < b.col + b.cols && b.col < a.col + a.cols;
}
