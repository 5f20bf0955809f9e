/**
 * The in-memory workbook behind the strict Excel fake: sheets of cells, names with scope, protection,
 * custom XML parts, charts and sheet settings. Tests and the task pane's preview build and inspect it
 * directly; add-in code only ever sees it through the Office.js-shaped proxies in objects.ts.
 *
 * Browser-safe: no Node APIs.
 */
import { parseNameFormula, rectA1, sheetPrefix } from "../../../src/workbook/a1";
import type { RawCell, Rect } from "../../../src/workbook/types";

export interface CellFormat {
  bold?: boolean;
  italic?: boolean;
  fontSize?: number;
  fontColor?: string;
  fill?: string;
  horizontalAlignment?: string;
  verticalAlignment?: string;
  indentLevel?: number;
  wrapText?: boolean;
  borders?: Record<string, { style: string; weight: string }>;
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
  type: string;
  title: string;
  /** Address of the data the chart was created from, e.g. "Prognoslogg!C2:C13". */
  source: string;
  series: { name: string; values?: string; xValues?: string }[];
  position?: { start: string; end?: string };
}

export interface PageLayout {
  orientation?: string;
  zoom?: { horizontalFitToPages?: number; verticalFitToPages?: number; scale?: number };
  printTitleRows?: string;
}

export class FakeSheet {
  readonly cells = new Map<number, Map<number, FakeCell>>();
  protected = false;
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

  /** Deletes a sheet as Excel does: its scoped names go, references to it become #REF!. */
  deleteSheet(name: string): void {
    const s = this.sheet(name);
    if (!s) return;
    this.sheets = this.sheets.filter((x) => x !== s);
    this.names = this.names.filter((n) => n.scope?.toLowerCase() !== s.name.toLowerCase());
    for (const n of this.names) {
      const parsed = parseNameFormula(n.formula);
      if (parsed.kind === "range" && parsed.rect.sheet.toLowerCase() === s.name.toLowerCase())
        n.formula = "=#REF!";
    }
    if (this.activeSheet?.toLowerCase() === s.name.toLowerCase())
      this.activeSheet = this.sheets[0]?.name ?? null;
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
 * What Excel stores when a value is written through `range.values`, as real Excel does: "=..." (and
 * "+x", "-x", "@x" that are not numbers) become formulas, numeric, percent, boolean and date-like text
 * becomes numbers/booleans, a leading apostrophe makes the rest text, and a cell formatted "@" keeps text.
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
