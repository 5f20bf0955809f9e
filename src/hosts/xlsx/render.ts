/**
 * The plan renderer: a report sheet's whole worksheet part from its SheetPlan (ECMA-376 Part 1, 18.3.1
 * CT_Worksheet, children in the schema's order), and the XML of one cell, shared with the in-place
 * editor. Strings are inline strings (never formulas, never the shared string table, which stays as the
 * user's file had it); numbers that are not finite are written as the error #NUM!, never as text.
 */
import type { HeaderFooterText, PlanValue, SheetPlan } from "../../workbook/types";
import { columnName } from "./text";
import type { XmlOut } from "./bytes";
import { escapeText, NS } from "./xml";

/** The markup around a cell's value for one element prefix ("" or "x:"), built once per prefix. */
interface CellTags {
  open: string;
  v: string;
  vEnd: string;
  is: string;
  isEnd: string;
}
const cellTags = new Map<string, CellTags>();
function tagsFor(p: string): CellTags {
  let t = cellTags.get(p);
  if (!t) {
    t = {
      open: `<${p}c r="`,
      v: `><${p}v>`,
      vEnd: `</${p}v></${p}c>`,
      is: `><${p}is><${p}t`,
      isEnd: `</${p}t></${p}is></${p}c>`,
    };
    cellTags.set(p, t);
  }
  return t;
}

const styleAttrs: string[] = [];
const styleAttr = (style: number) => (styleAttrs[style] ??= ` s="${style}"`);

/**
 * One <c> element at column `col` (its letters) of row `row` (its 1-based number as text). `extra`
 * carries attributes of an existing cell that are kept (already escaped).
 */
export function writeCell(
  out: XmlOut,
  prefix: string,
  col: string,
  row: string,
  style: number,
  value: PlanValue,
  extra = "",
): void {
  const t = tagsFor(prefix);
  out.text(t.open);
  out.ascii(col);
  out.ascii(row);
  out.ascii('"');
  if (style) out.ascii(styleAttr(style));
  if (value === null || value === undefined) {
    if (extra) out.text(extra);
    out.ascii("/>");
    return;
  }
  if (typeof value === "number") {
    const finite = Number.isFinite(value);
    if (!finite) out.ascii(' t="e"');
    if (extra) out.text(extra);
    out.text(t.v);
    out.ascii(finite ? String(value) : "#NUM!");
    out.text(t.vEnd);
    return;
  }
  if (typeof value === "boolean") {
    out.ascii(' t="b"');
    if (extra) out.text(extra);
    out.text(t.v);
    out.ascii(value ? "1" : "0");
    out.text(t.vEnd);
    return;
  }
  const text = String(value);
  out.ascii(' t="inlineStr"');
  if (extra) out.text(extra);
  out.text(t.is);
  out.ascii(/^\s|\s$|\n/.test(text) ? ' xml:space="preserve">' : ">");
  out.text(escapeText(text));
  out.text(t.isEnd);
}

/** Excel's header/footer codes for three sections (18.3.1.39); a missing section is left out. */
function headerFooter(h: HeaderFooterText | undefined): string {
  if (!h) return "";
  return [h.left && `&L${h.left}`, h.center && `&C${h.center}`, h.right && `&R${h.right}`]
    .filter(Boolean)
    .join("");
}

function ref(row: number, col: number): string {
  return `${columnName(col)}${row + 1}`;
}

type StyleFor = (base: number, style: NonNullable<SheetPlan["formats"][number]["style"]>) => number;

/**
 * The plan's cells after every block is applied: final values and style indexes. A report sheet is
 * dense within its few columns, so its cells are kept in one array of values and one Int32Array of
 * styles, row after row (no array per row, and nothing per cell for the collector to trace).
 */
class Layout {
  readonly values: PlanValue[];
  readonly styles: Int32Array;
  constructor(
    readonly rows: number,
    readonly width: number,
  ) {
    this.values = new Array<PlanValue>(rows * width).fill(null);
    this.styles = new Int32Array(rows * width);
  }
  /** The value at a cell (null when none). */
  value(r: number, c: number): PlanValue {
    return this.values[r * this.width + c] ?? null;
  }
  style(r: number, c: number): number {
    return this.styles[r * this.width + c];
  }
}

/** A plan's extent (rows and columns its blocks and formats reach). */
function extentOf(
  values: SheetPlan["values"],
  formats: SheetPlan["formats"],
): { rows: number; width: number } {
  let rows = 0;
  let width = 0;
  for (const block of values) {
    if (block.values.length) rows = Math.max(rows, block.row + block.values.length);
    for (const line of block.values) if (line.length) width = Math.max(width, block.col + line.length);
  }
  for (const f of formats) {
    if (f.rect.rows <= 0 || f.rect.cols <= 0 || Object.keys(f.style).length === 0) continue;
    rows = Math.max(rows, f.rect.row + f.rect.rows);
    width = Math.max(width, f.rect.col + f.rect.cols);
  }
  return { rows, width };
}

function layOut(
  values: SheetPlan["values"],
  formats: SheetPlan["formats"],
  styleFor: StyleFor,
  rows: number,
  width: number,
): Layout {
  const out = new Layout(rows, width);
  for (const block of values)
    block.values.forEach((line, r) => {
      const at = (block.row + r) * width + block.col;
      line.forEach((v, c) => (out.values[at + c] = v));
    });
  for (const f of formats) {
    if (f.rect.rows <= 0 || f.rect.cols <= 0 || Object.keys(f.style).length === 0) continue;
    // Cells under one format mostly share their base: the last answer is reused.
    let lastBase = -1;
    let lastId = 0;
    for (let r = f.rect.row; r < f.rect.row + f.rect.rows; r++)
      for (let c = f.rect.col; c < f.rect.col + f.rect.cols; c++) {
        const i = r * width + c;
        const base = out.styles[i];
        if (base !== lastBase) [lastBase, lastId] = [base, styleFor(base, f.style)];
        out.styles[i] = lastId;
      }
  }
  return out;
}

/** The used range, found before the cells are written (<dimension> goes first). */
function usedRange(cells: Layout, heights: (number | undefined)[], rowCount: number) {
  let maxRow = -1;
  let maxCol = 0;
  let anyRow = false;
  for (let r = 0; r < rowCount; r++) {
    let last = -1;
    for (let c = (r < cells.rows ? cells.width : 0) - 1; c >= 0 && last < 0; c--)
      if (cells.value(r, c) !== null || cells.style(r, c)) last = c;
    if (last >= 0) {
      maxRow = r;
      if (last > maxCol) maxCol = last;
    }
    if (last >= 0 || heights[r] !== undefined) anyRow = true;
  }
  return { maxRow, maxCol, anyRow };
}

/** One <row> of a report sheet, or nothing when the row has no cell and no height; true when written. */
function writeRow(out: XmlOut, cells: Layout, r: number, h: number | undefined, names: string[]): boolean {
  const n = r < cells.rows ? cells.width : 0;
  let first = 0;
  while (first < n && cells.value(r, first) === null && !cells.style(r, first)) first++;
  if (first === n && h === undefined) return false;
  const row = String(r + 1);
  out.ascii('<row r="');
  out.ascii(row);
  out.ascii(h === undefined ? '">' : `" ht="${h}" customHeight="1">`);
  for (let c = first; c < n; c++) {
    const v = cells.value(r, c);
    const st = cells.style(r, c);
    if (v === null && !st) continue;
    writeCell(out, "", (names[c] ??= columnName(c)), row, st, v);
  }
  out.ascii("</row>");
  return true;
}

/**
 * Writes the worksheet XML of a report sheet to `out`, yielding after each row (the caller's deflater
 * may need to catch up). `styleFor(base, style)` gives cell
 * format indexes (styles.ts); `drawingRelId` links the sheet's drawing (its charts) when there is one.
 */
export function* renderSheet(
  sp: SheetPlan,
  styleFor: StyleFor,
  drawingRelId: string | null,
  out: XmlOut,
): Generator<void> {
  // The plan's fields are read here once, each at one place that every sheet passes: plans come in
  // several shapes (with or without print setup, panes, row heights), and V8's optimized code bailed
  // out at reads further down when a shape reached them that they had not seen.
  const { values, formats, merges, columnWidths, rowHeights, print, freeze } = sp;
  const write = (xml: string) => out.text(xml);
  const { rows, width } = extentOf(values, formats);
  const cells = layOut(values, formats, styleFor, rows, width);
  const heights: (number | undefined)[] = [];
  for (const h of rowHeights ?? []) heights[h.row] = h.height;
  const rowCount = Math.max(rows, heights.length);
  const { maxRow, maxCol, anyRow } = usedRange(cells, heights, rowCount);
  write(sheetHead(print, freeze, columnWidths, anyRow ? `A1:${ref(Math.max(maxRow, 0), maxCol)}` : "A1"));
  if (!anyRow) write("<sheetData/>");
  else {
    write("<sheetData>");
    const names: string[] = [];
    for (let r = 0; r < rowCount; r++) if (writeRow(out, cells, r, heights[r], names)) yield;
    write("</sheetData>");
  }
  write(sheetTail(merges, print, drawingRelId));
}

/** The worksheet's start, up to its cells. */
function sheetHead(
  print: SheetPlan["print"],
  freeze: SheetPlan["freeze"],
  columnWidths: SheetPlan["columnWidths"],
  dimension: string,
): string {
  const fit = !!print && (print.fitToWidth || !!print.fitToHeight);
  let xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  xml += `<worksheet xmlns="${NS.main}" xmlns:r="${NS.rel}">`;
  if (fit) xml += '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>';
  xml += `<dimension ref="${dimension}"/>`;
  xml += `<sheetViews><sheetView workbookViewId="0">${pane(freeze)}</sheetView></sheetViews>`;
  xml += '<sheetFormatPr defaultRowHeight="15"/>';
  const widths = [...columnWidths].sort((a, b) => a.col - b.col);
  if (widths.length)
    xml += `<cols>${widths.map((w) => `<col min="${w.col + 1}" max="${w.col + 1}" width="${w.width}" customWidth="1"/>`).join("")}</cols>`;
  return xml;
}

/** The worksheet's end, after its cells: merges, page setup, header and footer, the drawing. */
function sheetTail(
  merges: SheetPlan["merges"],
  print: SheetPlan["print"],
  drawingRelId: string | null,
): string {
  let xml = "";
  const merged = merges.filter((m) => m.rows * m.cols > 1);
  if (merged.length) {
    xml += `<mergeCells count="${merged.length}">`;
    for (const m of merged)
      xml += `<mergeCell ref="${ref(m.row, m.col)}:${ref(m.row + m.rows - 1, m.col + m.cols - 1)}"/>`;
    xml += "</mergeCells>";
  }
  xml += '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>';
  if (print) {
    const fit = print.fitToWidth || !!print.fitToHeight;
    const fitAttrs = fit
      ? ` fitToWidth="${print.fitToWidth ? 1 : 0}" fitToHeight="${print.fitToHeight ? 1 : 0}"`
      : "";
    xml += `<pageSetup paperSize="9" orientation="${print.orientation}"${fitAttrs}/>`;
    const head = headerFooter(print.header);
    const foot = headerFooter(print.footer);
    if (head || foot)
      xml += `<headerFooter>${head ? `<oddHeader>${escapeText(head)}</oddHeader>` : ""}${foot ? `<oddFooter>${escapeText(foot)}</oddFooter>` : ""}</headerFooter>`;
  }
  if (drawingRelId) xml += `<drawing r:id="${drawingRelId}"/>`;
  return xml + "</worksheet>";
}

/** Frozen panes (18.3.1.66): rows above and columns left of the top-left scrolling cell. */
function pane(f: SheetPlan["freeze"]): string {
  if (!f || (f.rows <= 0 && f.cols <= 0)) return "";
  const active = f.rows > 0 && f.cols > 0 ? "bottomRight" : f.rows > 0 ? "bottomLeft" : "topRight";
  const split = `${f.cols > 0 ? ` xSplit="${f.cols}"` : ""}${f.rows > 0 ? ` ySplit="${f.rows}"` : ""}`;
  const top = ref(Math.max(f.rows, 0), Math.max(f.cols, 0));
  return `<pane${split} topLeftCell="${top}" activePane="${active}" state="frozen"/><selection pane="${active}" activeCell="${top}" sqref="${top}"/>`;
}
