/**
 * Column letters, and the cell-value conversion that the strict Excel fake (test/fakes/excel/fromXlsx.ts)
 * shares with the host. No Node modules: the fake may run in a browser.
 */
import type { RawCell, Rect } from "../../workbook/types";

/** 0-based column index → letters (0 → A, 26 → AA). */
export function columnName(col: number): string {
  let n = col + 1;
  let s = "";
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Letters → 1-based column number (A → 1). */
export function colNumber(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + (letters.charCodeAt(i) & ~32) - 64;
  return n;
}

/** "AB12" → { row: 11, col: 27 } (0-based), or null when it is not a cell reference. */
export function parseCellRef(ref: string): { row: number; col: number } | null {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(ref);
  if (!m) return null;
  const row = Number(m[2]) - 1;
  const col = colNumber(m[1]) - 1;
  return row >= 0 && row < 1048576 && col < 16384 ? { row, col } : null;
}

export function parseRangeRef(ref: string): Rect | null {
  const [a, b = a] = ref.split(":");
  const s = parseCellRef(a);
  const e = parseCellRef(b);
  if (!s || !e) return null;
  const row = Math.min(s.row, e.row);
  const col = Math.min(s.col, e.col);
  return { row, col, rows: Math.abs(e.row - s.row) + 1, cols: Math.abs(e.col - s.col) + 1 };
}

/** A Date as an Excel serial (1900 date system, counting Excel's 1900-02-29). */
function dateToSerial(d: Date): number {
  const days = (d.getTime() - Date.UTC(1899, 11, 31)) / 86400000 - d.getTimezoneOffset() / 1440;
  return days >= 60 ? days + 1 : days;
}

interface ErrorLike {
  error(): string;
}
interface RichTextLike {
  text(): string;
}

/**
 * A cell value of the kind spreadsheet libraries give (dates as Date, errors and rich text as objects)
 * → RawCell. The host reads cells itself (cells.ts); the fake's loader still converts with this.
 */
export function toRaw(value: unknown): RawCell {
  if (value === undefined || value === null) return null;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  if (value instanceof Date) return dateToSerial(value);
  const v = value as Partial<ErrorLike & RichTextLike>;
  if (typeof v.error === "function" && typeof v.text !== "function") return { error: v.error() };
  if (typeof v.text === "function") return v.text();
  return String(value);
}

const STRING_CELL = /<c\s[^>]*?\bt=["'](?:s|str|inlineStr)["'][^>]*>/g;
const CELL_REF = /\br=["']([A-Z]+)(\d+)["']/;
const OTHER_STRINGS = ['t="inlineStr"', "t='inlineStr'", 't="str"', "t='str'"];

interface LoadedWorkbook {
  sheets(): unknown[];
}
interface LoadedInternals {
  _zip: { file(path: string): { async(type: "string"): Promise<string> } | null };
  sharedStrings(): { _stringArray: unknown[] };
}
interface SheetInternals {
  _rows: ({ _cells: ({ _value?: unknown } | undefined)[] } | undefined)[];
}

/**
 * For the fake's loader, which reads with a parser that turns text such as "2019" into numbers: gives
 * string cells their text back. The loaded workbook is reached by shape only (no import of its library).
 */
export async function restoreNumericText(
  workbook: LoadedWorkbook,
  readPart?: (path: string) => Promise<string | null>,
): Promise<void> {
  const wb = workbook as unknown as LoadedInternals;
  const read = readPart ?? (async (path: string) => (await wb._zip.file(path)?.async("string")) ?? null);
  const table = wb.sharedStrings()._stringArray;
  let sharedNumbers = false;
  table.forEach((v, i) => {
    if (typeof v === "number") {
      table[i] = String(v);
      sharedNumbers = true;
    }
  });
  const sheets = workbook.sheets() as SheetInternals[];
  for (let i = 0; i < sheets.length; i++) {
    const xml = await read(`xl/worksheets/sheet${i + 1}.xml`);
    if (xml === null) continue;
    if (!sharedNumbers && !OTHER_STRINGS.some((t) => xml.includes(t))) continue;
    for (const m of xml.matchAll(STRING_CELL)) {
      const ref = CELL_REF.exec(m[0]);
      if (!ref) continue;
      const cell = sheets[i]._rows[Number(ref[2])]?._cells[colNumber(ref[1])];
      if (cell && typeof cell._value === "number") cell._value = String(cell._value);
    }
  }
}
