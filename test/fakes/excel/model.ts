/**
 * The workbook model behind the in-memory Excel: sheets of cells, names with scope, protection,
 * custom XML parts, charts and sheet settings. Tests and the task pane's preview build and inspect it
 * directly; add-in code only ever reaches it through Microsoft's Office.js library, whose requests the
 * executor in server.ts and the Excel objects in objects.ts answer.
 *
 * Excel behaviour decided here carries its source beside it.
 *
 * Browser-safe: no Node APIs.
 */
import { colIndex, rectA1, sheetPrefix } from "../../../src/workbook/a1";
import type { RawCell, Rect } from "../../../src/workbook/types";

export interface CellFormat {
  fontName?: string;
  bold?: boolean;
  italic?: boolean;
  fontSize?: number;
  fontColor?: string;
  fill?: string;
  horizontalAlignment?: string;
  verticalAlignment?: string;
  indentLevel?: number;
  wrapText?: boolean;
  borders?: Record<string, { style: string; weight: string; color?: string }>;
}

export interface FakeCell {
  /** The value Excel shows (a formula cell keeps its last value; the fake does not calculate). */
  value: RawCell;
  /** "=..." when the cell holds a formula. */
  formula?: string;
  numberFormat?: string;
  format?: CellFormat;
}

export interface FakeChart {
  id: string;
  name: string;
  type: string;
  title: string;
  /** Address of the data the chart was created from, e.g. "Prognoslogg!C2:C13". */
  source: string;
  series: { name: string; values?: string; xValues?: string }[];
  position?: { start: string; end?: string };
  /** What chart.axes.valueAxis / categoryAxis were given (Excel.ChartAxis.numberFormat, textOrientation). */
  axes?: { value: AxisSettings; category: AxisSettings };
}

export interface AxisSettings {
  numberFormat?: string;
  textOrientation?: number;
}

export interface PageLayout {
  orientation?: string;
  zoom?: { horizontalFitToPages?: number; verticalFitToPages?: number; scale?: number };
  printTitleRows?: string;
  /** Excel.HeaderFooter of headersFooters.defaultForAllPages: leftHeader, centerFooter, ... */
  headersFooters?: Record<string, string>;
}

export type Visibility = "Visible" | "Hidden" | "VeryHidden";

let idSeq = 0;
/** A new object id in the form Excel uses for worksheet and chart ids ("{GUID}"). */
export function newId(): string {
  return `{00000000-0000-0000-0000-${String(++idSeq).padStart(12, "0")}}`;
}

export class FakeSheet {
  readonly id = newId();
  readonly cells = new Map<number, Map<number, FakeCell>>();
  protected = false;
  visibility: Visibility = "Visible";
  merges: Rect[] = [];
  /** Column widths in points. */
  readonly columnWidths = new Map<number, number>();
  /** Row heights in points. */
  readonly rowHeights = new Map<number, number>();
  freeze: { rows: number; cols: number } | null = null;
  pageLayout: PageLayout = {};
  charts: FakeChart[] = [];

  constructor(public name: string) {}

  get(row: number, col: number): FakeCell | undefined {
    return this.cells.get(row)?.get(col);
  }

  /** Creates the cell when missing. */
  cell(row: number, col: number): FakeCell {
    let line = this.cells.get(row);
    if (!line) this.cells.set(row, (line = new Map()));
    let cell = line.get(col);
    if (!cell) line.set(col, (cell = { value: null }));
    return cell;
  }

  /** Test convenience: the value at an A1 address ("C7"). */
  value(address: string): RawCell {
    const { row, col } = parseCell(address);
    return this.get(row, col)?.value ?? null;
  }

  /** Sets raw values (no Excel coercion) from a top-left corner; for building fixtures. */
  setValues(row: number, col: number, values: RawCell[][]): this {
    values.forEach((line, r) =>
      line.forEach((v, c) => {
        const existing = this.get(row + r, col + c);
        if (v !== null) this.cell(row + r, col + c).value = v;
        else if (existing) existing.value = null;
      }),
    );
    return this;
  }

  /** The smallest rectangle from any cell holding a value or formula (valuesOnly) or any content at all. */
  usedRect(valuesOnly: boolean): Rect | null {
    let r0 = Infinity;
    let c0 = Infinity;
    let r1 = -1;
    let c1 = -1;
    for (const [r, line] of this.cells)
      for (const [c, cell] of line) {
        const has = cell.value !== null || cell.formula !== undefined;
        if (!has && (valuesOnly || (cell.numberFormat === undefined && cell.format === undefined))) continue;
        r0 = Math.min(r0, r);
        c0 = Math.min(c0, c);
        r1 = Math.max(r1, r);
        c1 = Math.max(c1, c);
      }
    return r1 < 0 ? null : { row: r0, col: c0, rows: r1 - r0 + 1, cols: c1 - c0 + 1 };
  }
}

export interface FakeName {
  name: string;
  comment?: string;
  /** Sheet name for a worksheet-scoped name, null for workbook scope. */
  scope: string | null;
  formula: string;
}

export interface FakeXmlPart {
  id: string;
  namespaceUri: string;
  xml: string;
}

export class FakeWorkbook {
  sheets: FakeSheet[] = [];
  /**
   * Workbook structure protection: blocks adding, deleting, renaming, moving and hiding sheets
   * (https://support.microsoft.com/office/protect-a-workbook-7e365a4d-3e89-4616-a2a9-0a2d1d5e5c6f,
   * "Structure"; read through Excel.WorkbookProtection.protected).
   */
  structureProtected = false;
  names: FakeName[] = [];
  customXmlParts: FakeXmlPart[] = [];
  activeSheet: string | null = null;
  selection: { sheet: string; address: string } | null = null;
  private partSeq = 0;

  sheet(name: string): FakeSheet | undefined {
    const lower = name.toLowerCase();
    return this.sheets.find((s) => s.name.toLowerCase() === lower);
  }

  /** The sheet, or throws (test convenience). */
  mustSheet(name: string): FakeSheet {
    const s = this.sheet(name);
    if (!s) throw new Error(`no sheet ${name}`);
    return s;
  }

  addSheet(name: string): FakeSheet {
    if (this.sheet(name)) throw new Error(`sheet ${name} exists`);
    const s = new FakeSheet(name);
    this.sheets.push(s);
    if (!this.activeSheet) this.activeSheet = name;
    return s;
  }

  /**
   * Deletes a sheet as Excel does: its worksheet-scoped names go, and every reference to it in the
   * formulas of other sheets' cells and of defined names becomes #REF! (e.g. =Rapport!E10 becomes
   * =#REF!E10 and shows #REF!; re-creating a sheet of the same name does not repair them). Source:
   * "How to correct a #REF! error", https://support.microsoft.com/office/how-to-correct-a-ref-error-822c8e46-e610-4d02-bc29-ac1ab9a0f12f
   * ("#REF! ... when a formula refers to a cell that's not valid ... most often when cells that were
   * referenced by formulas get deleted").
   */
  deleteSheet(name: string): void {
    const s = this.sheet(name);
    if (!s) return;
    this.sheets = this.sheets.filter((x) => x !== s);
    this.names = this.names.filter((n) => n.scope?.toLowerCase() !== s.name.toLowerCase());
    for (const n of this.names) n.formula = refError(n.formula, s.name);
    for (const other of this.sheets)
      for (const line of other.cells.values())
        for (const cell of line.values()) if (cell.formula) cell.formula = refError(cell.formula, s.name);
    if (this.activeSheet?.toLowerCase() === s.name.toLowerCase())
      this.activeSheet = this.sheets[0]?.name ?? null;
  }

  /**
   * The value a cell shows. The model does not calculate: a formula keeps the value it was loaded
   * with, except that a formula holding #REF! shows #REF! and a formula that is one cell reference
   * (=A1, =Blad!B2, ='Blad 1'!$B$2) shows that cell's value, so tests can see references break and hold.
   */
  shown(sheet: FakeSheet, cell: FakeCell): RawCell {
    const f = cell.formula;
    if (!f) return cell.value;
    if (/#REF!/i.test(f)) return { error: "#REF!" };
    const m = SINGLE_REF.exec(f);
    if (!m) return cell.value;
    const name = m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2];
    const target = name === undefined ? sheet : this.sheet(name);
    if (!target) return { error: "#REF!" };
    const ref = target.get(Number(m[4]) - 1, colIndex(m[3]));
    // A reference to an empty cell shows 0, as in Excel.
    if (!ref || (ref.value === null && !ref.formula)) return 0;
    return ref.value;
  }

  findName(name: string, scope: string | null): FakeName | undefined {
    const lower = name.toLowerCase();
    return this.names.find(
      (n) => n.name.toLowerCase() === lower && (n.scope ?? "").toLowerCase() === (scope ?? "").toLowerCase(),
    );
  }

  /** Defines (or redefines) a name over a range, e.g. defineName("Budget", "Underlag", "B5:B20"). */
  defineName(name: string, sheet: string, address: string, scope: string | null = null): this {
    const existing = this.findName(name, scope);
    const { row, col, rows, cols } = parseRange(address);
    const formula = `=${sheetPrefix(sheet)}!${absolute(rectA1({ row, col, rows, cols }))}`;
    if (existing) existing.formula = formula;
    else this.names.push({ name, scope, formula });
    return this;
  }

  addXmlPart(xml: string): FakeXmlPart {
    const ns = /xmlns="([^"]*)"/.exec(xml)?.[1] ?? "";
    const part = { id: `{FAKE-PART-${++this.partSeq}}`, namespaceUri: ns, xml };
    this.customXmlParts.push(part);
    return part;
  }
}

const SINGLE_REF = /^=(?:(?:'((?:[^']|'')+)'|([A-Za-z_À-ɏ][\w.À-ɏ]*))!)?\$?([A-Za-z]{1,3})\$?(\d+)$/;

/** The formula with every reference to `sheet` ('Sheet'! or Sheet!, any case) replaced by #REF!. */
export function refError(formula: string, sheet: string): string {
  const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const quoted = esc(`'${sheet.replace(/'/g, "''")}'!`);
  const plain = esc(`${sheet}!`);
  const re = new RegExp(`${quoted}|(?<![\\w.'])${plain}`, "gi");
  return formula.replace(re, "#REF!");
}

export function absolute(a1: string): string {
  return a1.replace(/([A-Z]+)(\d+)/g, "$$$1$$$2");
}

export function parseCell(address: string): { row: number; col: number } {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(address.trim());
  if (!m) throw new Error(`bad cell address ${address}`);
  let col = 0;
  for (const ch of m[1].toUpperCase()) col = col * 26 + ch.charCodeAt(0) - 64;
  return { row: Number(m[2]) - 1, col: col - 1 };
}

export function parseRange(address: string): Rect {
  const [a, b = a] = address.split(":");
  const s = parseCell(a);
  const e = parseCell(b);
  return {
    row: Math.min(s.row, e.row),
    col: Math.min(s.col, e.col),
    rows: Math.abs(e.row - s.row) + 1,
    cols: Math.abs(e.col - s.col) + 1,
  };
}

/** Excel serial number of an ISO date (1900 date system). */
export function isoToSerial(y: number, m: number, d: number): number {
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86400000);
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
const PERCENT = /^[+-]?(\d+(\.\d*)?|\.\d+)%$/;
const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

/**
 * What Excel stores when a value is written through `range.values`:
 * - "=…" (and "+x", "-x", "@x" that are not numbers) become formulas: "If the returned value starts with
 *   a plus ("+"), minus ("-"), or equal sign ("="), Excel interprets this value as a formula"
 *   (https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-values-member);
 * - numeric, percent, boolean and ISO-date text becomes a number or boolean, as typed text does;
 * - a leading apostrophe makes the rest text, and a cell formatted as text ("@") keeps the string
 *   exactly as written, an apostrophe included ("Format numbers as text",
 *   https://support.microsoft.com/office/format-numbers-as-text-583160db-666e-4f04-bb3d-1ba2ae2fba0c:
 *   the apostrophe or the Text format make Excel keep an entry as text).
 */
export function coerceWritten(
  v: unknown,
  cellFormat: string | undefined,
): Pick<FakeCell, "value" | "formula"> {
  if (typeof v === "number" || typeof v === "boolean") return { value: v };
  if (typeof v !== "string") throw new TypeError(`cannot write ${typeof v} to a cell`);
  if (v === "") return { value: null };
  if (cellFormat === "@") return { value: v };
  if (v.startsWith("'")) return { value: v.slice(1) === "" ? null : v.slice(1) };
  const t = v.trim();
  if (NUMBER.test(t)) return { value: Number(t) };
  if (PERCENT.test(t)) return { value: Number(t.slice(0, -1)) / 100 };
  if (/^(true|false)$/i.test(t)) return { value: t.toLowerCase() === "true" };
  const iso = ISO_DATE.exec(t);
  if (iso) return { value: isoToSerial(Number(iso[1]), Number(iso[2]), Number(iso[3])) };
  if (/^[=+\-@]/.test(v) && v.length > 1) {
    // A formula: the fake does not calculate, it shows #NAME? like Excel does for unknown text.
    return {
      value: { error: "#NAME?" },
      formula: v.startsWith("=") ? v : `=${v.slice(v[0] === "@" ? 1 : 0)}`,
    };
  }
  return { value: v };
}
