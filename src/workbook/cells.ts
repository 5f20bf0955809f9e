/**
 * Reading the cells of the ranges planRead() asked for: a Reader turns a raw value into a number or a
 * text, collecting every blocking problem as a ContractError naming the sheet and cell and every
 * tolerated oddity (numbers stored as Swedish text, say) as a located reading finding; gridOf gives a
 * read range's values as a grid.
 */
import { formatNumber } from "../core/format";
import type { Finding } from "../core/types";
import { a1, cellRef } from "./a1";
import { err } from "./contract";
import type { CellError, ContractError, LocatedFinding, RawCell, ReadResult, SheetRect } from "./types";

/**
 * `fn` with its results remembered, at most `limit` of them (then all forgotten at once): for the few
 * texts a ledger repeats on every line, where the conversion costs more than the lookup.
 */
export function remembered(fn: (s: string) => string, limit: number): (s: string) => string {
  const known = new Map<string, string>();
  return (s) => {
    let v = known.get(s);
    if (v === undefined) {
      if (known.size >= limit) known.clear();
      v = fn(s);
      known.set(s, v);
    }
    return v;
  };
}

/** Lower-case, accents and all non-alphanumerics removed: "  Inräknad (ja/nej) " → "inraknadjanej". */
export const normaliseKey = remembered(
  (s) =>
    s
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .replace(/[^a-z0-9]/g, ""),
  4096,
);

/**
 * A number written as Swedish text: "14 891", "1 234,5", "−8 276" (U+2212), "+2 332", with U+0020,
 * U+00A0, U+202F or U+2009 as thousands separators and a decimal comma (a decimal point is accepted
 * too). A trailing footnote star ("8,61*") is dropped. Returns null when the text is not a number.
 */
export function parseSwedishNumber(text: string): number | null {
  let s = text
    .replace(/[\u00A0\u202F\u2009\u2007]/g, " ")
    .replace(/[\u2212\u2013\u2012]/g, "-")
    .trim();
  s = s.replace(/\*+$/, "").trim();
  const m = /^([+-]?)\s?((?:\d{1,3}(?: \d{3})+)|\d+)(?:[.,](\d+))?$/.exec(s);
  if (!m) return null;
  const value = Number(`${m[2].replace(/ /g, "")}${m[3] ? `.${m[3]}` : ""}`);
  return m[1] === "-" ? -value : value;
}

/**
 * An amount typed with its unit, "1 200 tkr", "-3 100 kr", "1,2 mnkr": the number before the unit, else
 * null. Such a text is an amount, never a note like "Summa ges efter analysen"; the unit in the cell may
 * not be the workbook's (Enhet), so it is not converted but refused where it stands.
 */
export function amountWithUnit(text: string): number | null {
  const m = /^(.*\d)\s*(?:kr|tkr|mkr|mnkr|msek|ksek|sek|kronor|tusen kronor|miljoner kronor)\.?$/i.exec(
    text.trim(),
  );
  return m ? parseSwedishNumber(m[1]) : null;
}

/** Markers meaning "no value" that may stand in number cells (DOMAIN §1.1). */
const EMPTY_MARKERS = new Set(["-", "–", "—", "i.u.", "i.u", "iu"]);

export function isCellError(v: RawCell): v is { error: string } {
  return typeof v === "object" && v !== null;
}

export function display(v: RawCell): string {
  if (isCellError(v)) return v.error;
  if (typeof v === "boolean") return v ? "SANT" : "FALSKT";
  return String(v);
}

export function isBlank(v: RawCell): boolean {
  return v === null || v === undefined || (typeof v === "string" && v.trim() === "");
}

/** Excel's limit on the length of a cell's text; longer text cannot have come from Excel or go back. */
export const MAX_CELL_TEXT = 32767;

export interface At {
  sheet: string;
  row: number;
  col: number;
  /** Role name for the message, e.g. "Budget". */
  what: string;
}

const TEXT_NUMBER_CAP = 20;

/** Collects errors and reading findings while the cells are parsed. */
export class Reader {
  errors: ContractError[] = [];
  findings: LocatedFinding[] = [];
  private textNumbers = new Map<string, number>();

  error(code: string, at: At, sv: string, en: string): void {
    const ref = cellRef(at.sheet, at.row, at.col);
    this.errors.push(
      err(code, `${ref} (${at.what}): ${sv}`, `${ref} (${at.what}): ${en}`, at.sheet, a1(at.row, at.col)),
    );
  }

  finding(level: Finding["level"], code: string, at: At, message: string): void {
    this.findings.push({
      level,
      code,
      message: `${cellRef(at.sheet, at.row, at.col)} (${at.what}): ${message}`,
      sheet: at.sheet,
      cell: a1(at.row, at.col),
    });
  }

  /** TEXT_NUMBER: a number stored as text, counted as `counted` (capped per name). */
  textNumber(at: At, typed: string, counted: string): void {
    const count = (this.textNumbers.get(at.what) ?? 0) + 1;
    this.textNumbers.set(at.what, count);
    if (count > TEXT_NUMBER_CAP) return;
    this.finding(
      "warning",
      "TEXT_NUMBER",
      at,
      `talet "${typed}" är lagrat som text; det räknas som ${counted}. Gör om cellen till ett tal (Data > Text till kolumner).`,
    );
  }

  /**
   * A number cell. `text`: "none" = only numbers (and the empty markers "-"/"i.u." as no value);
   * "keep" = any other text is kept as text (e.g. "Summa ges efter analysen", "Nytt mått").
   */
  number(v: RawCell, at: At, text: "none" | "keep" = "none"): number | string | null {
    if (v === null || v === undefined) return null;
    if (typeof v === "number") {
      if (Number.isFinite(v)) return v;
      this.error(
        "CELL_NOT_NUMBER",
        at,
        "cellen innehåller inget giltigt tal.",
        "the cell holds no valid number.",
      );
      return null;
    }
    if (typeof v === "boolean") {
      this.error(
        "CELL_BOOLEAN",
        at,
        `cellen innehåller ${display(v)}; där ska stå ett tal.`,
        `the cell holds ${v ? "TRUE" : "FALSE"}; a number is expected.`,
      );
      return null;
    }
    if (isCellError(v)) {
      this.cellError(v, at);
      return null;
    }
    const s = v.trim();
    if (s === "") return null;
    const n = parseSwedishNumber(s);
    if (n !== null) {
      this.textNumber(at, s, formatNumber(n));
      return n;
    }
    if (EMPTY_MARKERS.has(s.toLowerCase())) return null;
    if (amountWithUnit(s) !== null) {
      this.error(
        "TEXT_IN_NUMBER",
        at,
        `cellen innehåller beloppet "${s}" som text, med enheten. Skriv bara talet, i arbetsbokens enhet (namnet Enhet), så att det räknas.`,
        `the cell holds the amount "${s}" as text, with its unit. Type the number alone, in the workbook's unit (the name Enhet).`,
      );
      return null;
    }
    if (text === "keep" && s.length > MAX_CELL_TEXT) this.tooLong(at, s.length);
    if (text === "keep") return s;
    this.error(
      "TEXT_IN_NUMBER",
      at,
      `cellen innehåller texten "${s}"; där ska stå ett tal (eller inget).`,
      `the cell holds the text "${s}"; a number (or nothing) is expected.`,
    );
    return null;
  }

  /** An error value, or a formula saved without its value (which no host here can calculate). */
  private cellError(v: CellError, at: At): void {
    if (v.uncalculated)
      this.error(
        "FORMULA_UNCALCULATED",
        at,
        `cellen har formeln ${v.error} men inget beräknat värde; filen har sparats av ett program som inte räknar formler. Öppna och spara arbetsboken i Excel eller LibreOffice, eller skriv in värdet, och uppdatera igen.`,
        `the cell has the formula ${v.error} but no calculated value; open and save the workbook in Excel or LibreOffice, or type the value.`,
      );
    else
      this.error(
        "CELL_ERROR",
        at,
        `cellen innehåller felvärdet ${v.error}. Rätta formeln eller töm cellen.`,
        `the cell holds the error value ${v.error}. Fix the formula or clear the cell.`,
      );
  }

  /** A text cell: numbers become text, error values are errors, empty → null. */
  text(v: RawCell, at: At): string | null {
    if (v === null || v === undefined) return null;
    if (isCellError(v)) {
      this.cellError(v, at);
      return null;
    }
    const s = typeof v === "boolean" ? display(v) : String(v).trim();
    if (s.length > MAX_CELL_TEXT) {
      this.tooLong(at, s.length);
      return null;
    }
    return s === "" ? null : s;
  }

  tooLong(at: At, length: number): void {
    this.error(
      "TEXT_TOO_LONG",
      at,
      `texten är ${formatNumber(length)} tecken lång; Excel rymmer högst 32 767 tecken i en cell. Korta texten.`,
      `the text is ${length} characters long; Excel holds at most 32,767 characters in a cell. Shorten it.`,
    );
  }

  /** Adds one finding per role for the text numbers beyond the cap. */
  flushCaps(sheetOf: (what: string) => string | undefined): void {
    for (const [what, count] of this.textNumbers) {
      if (count > TEXT_NUMBER_CAP)
        this.findings.push({
          level: "warning",
          code: "TEXT_NUMBER",
          message: `${what}: ytterligare ${count - TEXT_NUMBER_CAP} tal är lagrade som text och har räknats som tal.`,
          sheet: sheetOf(what),
        });
    }
  }
}

/**
 * Pads a row read without holes to the rectangle's width in place and says so; false (and the row
 * untouched) for a row with holes or too long. A row that only ends early (future months, a sparse last
 * column) is so shared and not copied.
 */
function padInPlace(row: (RawCell | string)[], cols: number, formulas: boolean): boolean {
  if (row.length > cols) return false;
  for (let j = 0; j < row.length; j++) {
    const v = row[j];
    if (v === undefined || (formulas && v === null)) return false;
  }
  while (row.length < cols) row.push(formulas ? "" : null);
  return true;
}

/** The values of a read range, padded with null to the rectangle's size. */
export function gridOf(
  read: ReadResult,
  key: string,
  rect: SheetRect,
  formulas = false,
): RawCell[][] | string[][] {
  const r = read.ranges.find((x) => x.key === key);
  const src: (RawCell | string)[][] = (formulas ? r?.formulas : r?.values) ?? [];
  const fill = formulas ? "" : null;
  // Rows with no cell read (most of a sparse column's) share one frozen row of empty cells.
  let empty: readonly (RawCell | string)[] | null = null;
  const out: (RawCell | string)[][] = [];
  for (let i = 0; i < rect.rows; i++) {
    const row = src[i];
    if (row === undefined) {
      out.push((empty ??= Object.freeze(new Array<RawCell | string>(rect.cols).fill(fill))) as RawCell[]);
      continue;
    }
    // A row read whole (the host fills the cells before a read one; padInPlace pads the end) is shared.
    if (padInPlace(row, rect.cols, formulas)) {
      out.push(row);
      continue;
    }
    const line: (RawCell | string)[] = [];
    for (let j = 0; j < rect.cols; j++) line.push(row[j] ?? fill);
    out.push(line);
  }
  return out as RawCell[][] | string[][];
}
