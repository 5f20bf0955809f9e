/**
 * Text that looks like a number, kept as text. xlsx-populate's XML parser turns every text node that is
 * a canonical number ("2019", "-5", "14891") into a number, also the text of shared strings (t="s"),
 * inline strings (t="inlineStr") and string formula results (t="str"). A label "2019" would read as a
 * number, miss the TEXT_NUMBER warning Excel's host gives, and be saved back as a number. The parser
 * converts only when String(number) equals the text, so String() gives the exact text back; what is lost
 * is which cells were text, and that is read from the worksheet XML here.
 *
 * No Node modules: the strict Excel fake (test/fakes/excel/fromXlsx.ts) loads .xlsx files the same way
 * and may run in a browser.
 */
import type JSZip from "jszip";
import XlsxPopulate from "xlsx-populate";
import type { RawCell } from "../../workbook/types";

type Sheet = XlsxPopulate.Sheet;

// Internals of xlsx-populate: rows and cells without creating them (sheet.cell() creates them).
interface SheetInternal {
  _rows: ({ _cells: (XlsxPopulate.Cell | undefined)[] } | undefined)[];
}
interface CellValueInternal {
  _value?: unknown;
}

/** The cell at 0-based (row, col) if it exists, without creating it. */
export function peek(sheet: Sheet, row: number, col: number): XlsxPopulate.Cell | undefined {
  return (sheet as unknown as SheetInternal)._rows[row + 1]?._cells[col + 1];
}

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

export function colNumber(letters: string): number {
  return [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
}

const STRING_CELL = /<c\s[^>]*?\bt=["'](?:s|str|inlineStr)["'][^>]*>/g;
const CELL_REF = /\br=["']([A-Z]+)(\d+)["']/;
const OTHER_STRINGS = ['t="inlineStr"', "t='inlineStr'", 't="str"', "t='str'"];

/**
 * Gives string cells whose text looks like a number their text back, as a string (for reading and for
 * saving). Cheap when there is nothing to do: a sheet's cells are scanned only when the shared string
 * table holds such text or the sheet has inline strings or string formula results.
 */
export async function restoreNumericText(
  workbook: XlsxPopulate.Workbook,
  /** A part's text, or null when missing (the .xlsx host passes a faster reader than JSZip's). */
  readPart?: (path: string) => Promise<string | null>,
): Promise<void> {
  const wb = workbook as unknown as { _zip: JSZip; sharedStrings(): { _stringArray: unknown[] } };
  const read = readPart ?? (async (path: string) => (await wb._zip.file(path)?.async("string")) ?? null);
  const table = wb.sharedStrings()._stringArray;
  let sharedNumbers = false;
  table.forEach((v, i) => {
    if (typeof v === "number") {
      table[i] = String(v);
      sharedNumbers = true;
    }
  });
  const sheets = workbook.sheets();
  for (let i = 0; i < sheets.length; i++) {
    // xlsx-populate names worksheet parts by position (the .xlsx host normalises them on open).
    const xml = await read(`xl/worksheets/sheet${i + 1}.xml`);
    if (xml === null) continue;
    if (!sharedNumbers && !OTHER_STRINGS.some((t) => xml.includes(t))) continue;
    for (const m of xml.matchAll(STRING_CELL)) {
      const ref = CELL_REF.exec(m[0]);
      if (!ref) continue;
      const cell = peek(sheets[i], Number(ref[2]) - 1, colNumber(ref[1]) - 1) as
        CellValueInternal | undefined;
      if (cell && typeof cell._value === "number") cell._value = String(cell._value);
    }
  }
}

/** A cell value as xlsx-populate gives it → RawCell (dates as serials, errors as {error}). */
export function toRaw(value: XlsxPopulate.CellValue): RawCell {
  if (value === undefined || value === null) return null;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  if (value instanceof Date) return XlsxPopulate.dateToNumber(value);
  if (value instanceof XlsxPopulate.FormulaError) return { error: value.error() };
  if (value instanceof XlsxPopulate.RichText) return value.text();
  return String(value);
}
