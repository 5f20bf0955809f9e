/**
 * A write plan as deferred Office.js operations ("steps"), each with the size it adds to the request
 * the library serialises. The port groups steps into requests under the payload limit.
 *
 * Sizes: a value block costs exactly its JSON (the library sends the array through JSON.stringify) plus
 * a fixed envelope per operation, measured on the requests of Microsoft's library
 * (@microsoft/office-js excel-web-16.00; test/unit/office/port.test.ts checks the estimate stays above
 * the real size): a range with one action is about 440 bytes (its object path, the Instantiate and
 * _KeepReference actions Excel.run adds, and the action), a navigation object such as format or font
 * about 140 more, each further action about 110.
 */

/** Bytes of one array write (values) of rows × cols cells whose JSON is `payload` bytes. */
export function arrayWriteBytes(rows: number, cols: number, payload: number): number {
  if (rows * cols <= BULK_CELLS) return RANGE_OP_BYTES + payload;
  const chunkRows = Math.max(1, Math.round(BULK_CELLS / cols));
  return RANGE_OP_BYTES + ACTION_BYTES + payload + Math.ceil(rows / chunkRows) * BULK_CHUNK_BYTES;
}
import type {
  CellStyle,
  ChartPlan,
  HeaderFooterText,
  NameDefinition,
  NameEntry,
  PlanValue,
  PrintSetup,
  Rect,
  SheetPlan,
  ValueBlock,
} from "../../workbook/types";
import { addressChunks, compileFormats } from "./formats";

export const RANGE_OP_BYTES = 420;
/**
 * The library writes an array of more than 1 500 cells as row chunks of about 1 500 cells, each its own
 * range and action, after one _ValidateArraySize call (setRangePropertiesInBulk in excel-web-16.00):
 * about 840 bytes per chunk measured.
 */
export const BULK_CELLS = 1500;
export const BULK_CHUNK_BYTES = 900;
export const NAV_BYTES = 150;
export const ACTION_BYTES = 100;
/** Value blocks are split into row slices of about this size. */
export const SLICE_BYTES = 256 * 1024;

export function utf8Bytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * A plan value as written through range.values. Strings always get a leading apostrophe, which Excel
 * consumes and which makes the cell text: "=SUM(A1)", "+46", "-x", "@x", "2019", "1e5" and "TRUE" all
 * stay exactly that text ("Range.values": a value starting with "=", "+" or "-" is interpreted as a
 * formula; an apostrophe prefix keeps it text). null and "" clear the cell (in Office.js a null would
 * mean "leave unchanged").
 */
export function toExcelValue(v: PlanValue): string | number | boolean {
  if (v === null || v === "") return "";
  if (typeof v === "string") return `'${v}`;
  if (typeof v === "number" && !Number.isFinite(v)) return "";
  return v;
}

/** Column width in characters (as the plan gives it) → points (Excel: pixels = trunc(7w + 5), 0.75 pt/px). */
export function charsToPoints(width: number): number {
  return Math.trunc(width * 7 + 5) * 0.75;
}

export interface Step {
  part: string;
  bytes: number;
  run: () => void;
}

const upper = (s: string) => s.toLocaleUpperCase("sv-SE");

export interface RenderTarget {
  context: Excel.RequestContext;
  supported(set: string, version: string): boolean;
  /** The sheet's real name when it exists (any case), else null. */
  existing(name: string): string | null;
  /** Charts on an existing sheet (to delete before rendering an owned sheet into it). */
  chartCount(name: string): number;
  /** Whether an existing sheet is hidden. */
  hidden(name: string): boolean;
  names: NameEntry[];
}

/**
 * Renders plans into steps, with one worksheet proxy per sheet (every operation on a sheet goes through
 * the same object path) for the whole write.
 */
export class Renderer {
  private readonly sheets = new Map<string, Excel.Worksheet>();

  constructor(private readonly t: RenderTarget) {}

  private ws(name: string): Excel.Worksheet {
    const key = upper(name);
    let ws = this.sheets.get(key);
    if (!ws) {
      ws = this.t.context.workbook.worksheets.getItem(this.t.existing(name) ?? name);
      this.sheets.set(key, ws);
    }
    return ws;
  }

  private range(sheet: string, r: Rect): Excel.Range {
    return this.ws(sheet).getRangeByIndexes(r.row, r.col, r.rows, r.cols);
  }

  sheet(steps: Step[], sp: SheetPlan, part: string): void {
    const add = (bytes: number, run: () => void) => steps.push({ part, bytes, run });
    if (sp.owned) this.prepareOwned(add, sp);
    this.values(add, sp);
    const areas = this.t.supported("ExcelApi", "1.9");
    if (areas) this.compiledFormats(add, sp);
    else for (const f of sp.formats) this.format(add, sp.name, f.rect, f.style);
    for (const m of mergeRuns(sp.merges)) add(RANGE_OP_BYTES, () => this.range(sp.name, m).merge(m.across));
    for (const [width, rects] of byValue(widthRuns(sp.columnWidths), (w) => w.width))
      this.areaOp(add, sp.name, rects, areas, NAV_BYTES, (f) => (f.columnWidth = charsToPoints(width)));
    for (const [height, rects] of byValue(heightRuns(sp.rowHeights ?? []), (h) => h.height))
      this.areaOp(add, sp.name, rects, areas, NAV_BYTES, (f) => (f.rowHeight = height));
    if (sp.freeze && (sp.freeze.rows > 0 || sp.freeze.cols > 0)) {
      const { rows, cols } = sp.freeze;
      add(RANGE_OP_BYTES + NAV_BYTES, () => {
        const panes = this.ws(sp.name).freezePanes;
        if (rows > 0 && cols > 0) panes.freezeAt(this.range(sp.name, { row: 0, col: 0, rows, cols }));
        else if (rows > 0) panes.freezeRows(rows);
        else panes.freezeColumns(cols);
      });
    }
    if (sp.print || (sp.owned && this.t.existing(sp.name))) this.print(add, sp.name, sp.print);
    for (const chart of sp.charts)
      add(RANGE_OP_BYTES * (4 + chart.series.length * 3), () => this.chart(sp.name, chart));
    const wasHidden = this.t.existing(sp.name) ? this.t.hidden(sp.name) : false;
    if (Boolean(sp.hidden) !== wasHidden)
      add(ACTION_BYTES, () => {
        this.ws(sp.name).visibility = sp.hidden ? "Hidden" : "Visible";
      });
  }

  /**
   * An owned sheet keeps its identity (formulas elsewhere that refer to it keep working): an existing
   * one is emptied (cells, formats, merges, row heights, charts, freeze panes; print setup is set again
   * below), a missing one is added.
   */
  private prepareOwned(add: (bytes: number, run: () => void) => void, sp: SheetPlan): void {
    const existing = this.t.existing(sp.name);
    if (!existing) {
      add(RANGE_OP_BYTES, () => {
        this.sheets.set(upper(sp.name), this.t.context.workbook.worksheets.add(sp.name));
      });
      return;
    }
    const charts = this.t.chartCount(existing);
    add(RANGE_OP_BYTES * 3 + NAV_BYTES * 2 + charts * RANGE_OP_BYTES, () => {
      const ws = this.ws(sp.name);
      const all = ws.getRange();
      all.unmerge();
      all.clear("All");
      all.format.useStandardHeight = true;
      ws.freezePanes.unfreeze();
      // Deleting the first chart each time: the next one moves up (ChartCollection.getItemAt).
      for (let i = 0; i < charts; i++) ws.charts.getItemAt(0).delete();
    });
  }

  private values(add: (bytes: number, run: () => void) => void, sp: SheetPlan): void {
    for (const block of sp.owned ? stackBlocks(sp.values) : sp.values) {
      const width = block.values[0]?.length ?? 0;
      const ragged = block.values.some((l) => l.length !== width);
      if (ragged) {
        // Rows of different lengths: one range per row (rare; never pad over the user's cells).
        block.values.forEach((line, r) => {
          if (!line.length) return;
          const vals = [line.map(toExcelValue)];
          add(arrayWriteBytes(1, line.length, utf8Bytes(JSON.stringify(vals))), () => {
            this.range(sp.name, { row: block.row + r, col: block.col, rows: 1, cols: line.length }).values =
              vals;
          });
        });
        continue;
      }
      if (!width) continue;
      for (const slice of slices(block.values.map((l) => l.map(toExcelValue)))) {
        add(arrayWriteBytes(slice.rows.length, width, slice.bytes), () => {
          const r = { row: block.row + slice.offset, col: block.col, rows: slice.rows.length, cols: width };
          this.range(sp.name, r).values = slice.rows;
        });
      }
    }
  }

  private format(
    add: (bytes: number, run: () => void) => void,
    sheet: string,
    rect: Rect,
    style: CellStyle,
  ): void {
    if (rect.rows <= 0 || rect.cols <= 0) return;
    const { numberFormat, ...rest } = style;
    if (numberFormat !== undefined)
      // One format code for every cell of the range: "If the argument is a single value, it will be
      // applied to all cells in the range" (Excel.Range.numberFormat). A 1×1 array is not that: it must
      // match the range's size.
      add(RANGE_OP_BYTES + utf8Bytes(JSON.stringify(numberFormat)), () => {
        this.range(sheet, rect).numberFormat = numberFormat as unknown as string[][];
      });
    const ops = styleOps(rest);
    if (ops.length)
      add(styleBytes(rest, ops.length), () => {
        const format = this.range(sheet, rect).format;
        for (const op of ops) op(format);
      });
  }

  /** The plan's formats compiled per property value (formats.ts): each value once for all its areas. */
  private compiledFormats(add: (bytes: number, run: () => void) => void, sp: SheetPlan): void {
    const { styles, numberFormats } = compileFormats(sp.formats);
    for (const { rect, numberFormat } of numberFormats) this.format(add, sp.name, rect, { numberFormat });
    for (const { style, areas } of styles) {
      const ops = styleOps(style);
      const bytes = styleBytes(style, ops.length) - RANGE_OP_BYTES;
      this.areaOp(add, sp.name, areas, true, bytes, (format) => {
        for (const op of ops) op(format);
      });
    }
  }

  /**
   * One format operation on all `rects`: a single range, or Worksheet.getRanges (ExcelApi 1.9) over
   * address chunks when there are several (one range each without it). `bytes`: the operation's size
   * beyond the range itself.
   */
  private areaOp(
    add: (bytes: number, run: () => void) => void,
    sheet: string,
    rects: Rect[],
    areas: boolean,
    bytes: number,
    op: FormatOp,
  ): void {
    if (rects.length === 1 || !areas) {
      for (const r of rects) add(RANGE_OP_BYTES + bytes, () => op(this.range(sheet, r).format));
      return;
    }
    for (const address of addressChunks(rects))
      add(RANGE_OP_BYTES + utf8Bytes(address) + bytes, () => op(this.ws(sheet).getRanges(address).format));
  }

  /**
   * Print setup (ExcelApi 1.9), set in full on owned sheets so nothing of an earlier layout stays:
   * orientation, fit to pages (Excel.PageLayout.zoom), print titles and the six header/footer texts of
   * headersFooters.defaultForAllPages, passed through in Excel's header/footer codes.
   */
  private print(
    add: (bytes: number, run: () => void) => void,
    sheet: string,
    print: PrintSetup | undefined,
  ): void {
    if (!this.t.supported("ExcelApi", "1.9")) return;
    const hf = (t: HeaderFooterText | undefined, side: "left" | "center" | "right") => t?.[side] ?? "";
    add(RANGE_OP_BYTES + NAV_BYTES * 3 + ACTION_BYTES * 10, () => {
      const layout = this.ws(sheet).pageLayout;
      layout.orientation = print?.orientation === "landscape" ? "Landscape" : "Portrait";
      layout.zoom =
        print?.fitToWidth || print?.fitToHeight
          ? { horizontalFitToPages: print.fitToWidth ? 1 : 0, verticalFitToPages: print.fitToHeight ? 1 : 0 }
          : { scale: 100 };
      layout.setPrintTitleRows(
        print?.repeatRows ? `$${print.repeatRows.first + 1}:$${print.repeatRows.last + 1}` : "",
      );
      const page = layout.headersFooters.defaultForAllPages;
      page.leftHeader = hf(print?.header, "left");
      page.centerHeader = hf(print?.header, "center");
      page.rightHeader = hf(print?.header, "right");
      page.leftFooter = hf(print?.footer, "left");
      page.centerFooter = hf(print?.footer, "center");
      page.rightFooter = hf(print?.footer, "right");
    });
  }

  private chart(sheet: string, plan: ChartPlan): void {
    if (!plan.series.length) return;
    const ws = this.ws(sheet);
    const r = (x: Rect) => ws.getRangeByIndexes(x.row, x.col, x.rows, x.cols);
    const type = plan.type === "line" ? "Line" : "ColumnClustered";
    const seriesBy = plan.series[0].values.cols === 1 ? "Columns" : "Rows";
    const chart = ws.charts.add(type, r(plan.series[0].values), seriesBy);
    chart.title.text = plan.title;
    plan.series.forEach((s, i) => {
      const series = i === 0 ? chart.series.getItemAt(0) : chart.series.add(s.name);
      series.name = s.name;
      if (i > 0) series.setValues(r(s.values));
      series.setXAxisValues(r(plan.categories));
    });
    const a = plan.anchor;
    chart.setPosition(
      r({ ...a, rows: 1, cols: 1 }),
      r({ row: a.row + a.rows - 1, col: a.col + a.cols - 1, rows: 1, cols: 1 }),
    );
  }

  names(steps: Step[], defs: NameDefinition[]): void {
    const part = `namnen ${defs.map((d) => d.name).join(", ")}`;
    for (const def of defs) {
      const old = this.t.names.find(
        (n) => upper(n.name) === upper(def.name) && upper(n.scope ?? "") === upper(def.scope ?? ""),
      );
      steps.push({
        part,
        bytes: RANGE_OP_BYTES * 2 + NAV_BYTES * 2,
        run: () => {
          const wb = this.t.context.workbook;
          const coll = def.scope === null ? wb.names : this.ws(def.scope).names;
          if (old) coll.getItem(old.name).delete();
          coll.add(def.name, this.range(def.ref.sheet, def.ref));
        },
      });
    }
  }
}

/**
 * The plan's merged areas as few operations as possible: consecutive one-row merges over the same
 * columns (e.g. Driftsredovisning's comment rows) become one "merge across" of the whole block.
 */
export function mergeRuns(merges: Rect[]): (Rect & { across: boolean })[] {
  const out: (Rect & { across: boolean })[] = [];
  for (const m of merges) {
    if (m.rows * m.cols <= 1) continue;
    const last = out[out.length - 1];
    const extends_ =
      last && m.rows === 1 && (last.across || last.rows === 1) && last.col === m.col && last.cols === m.cols;
    if (extends_ && last.row + last.rows === m.row) {
      last.rows++;
      last.across = true;
    } else out.push({ ...m, across: false });
  }
  return out;
}

/**
 * Consecutive rows of the same height as one range each: "RangeFormat.rowHeight: specifies the height
 * of all rows in the range" (Excel JavaScript API), so a report of 50 000 wrapped lines is a few
 * operations instead of one per line (each about 600 bytes of request).
 */
export function heightRuns(
  heights: { row: number; height: number }[],
): { row: number; rows: number; height: number }[] {
  const out: { row: number; rows: number; height: number }[] = [];
  for (const { row, height } of [...heights].sort((a, b) => a.row - b.row)) {
    const last = out[out.length - 1];
    if (last && last.height === height && last.row + last.rows === row) last.rows++;
    else if (!last || last.row + last.rows <= row) out.push({ row, rows: 1, height });
  }
  return out;
}

/** Consecutive columns of the same width as one range each ("RangeFormat.columnWidth": of all columns). */
function widthRuns(widths: { col: number; width: number }[]): (Rect & { width: number })[] {
  const out: (Rect & { width: number })[] = [];
  for (const { col, width } of [...widths].sort((a, b) => a.col - b.col)) {
    const last = out[out.length - 1];
    if (last && last.width === width && last.col + last.cols === col) last.cols++;
    else if (!last || last.col + last.cols <= col) out.push({ row: 0, col, rows: 1, cols: 1, width });
  }
  return out;
}

/** Runs grouped by their value (as rectangles: a row run is column A of its rows), in first-seen order. */
function byValue<T extends { row: number; rows?: number; col?: number; cols?: number }>(
  runs: T[],
  value: (t: T) => number,
): Map<number, Rect[]> {
  const out = new Map<number, Rect[]>();
  for (const t of runs) {
    const rect = { row: t.row, col: t.col ?? 0, rows: t.rows ?? 1, cols: t.cols ?? 1 };
    const v = value(t);
    const list = out.get(v);
    if (list) list.push(rect);
    else out.set(v, [rect]);
  }
  return out;
}

/** What writing one empty cell adds to a value array (`"",`). */
const EMPTY_CELL_BYTES = 3;

/**
 * On an owned sheet (emptied before it is rendered): value blocks that follow each other down the same
 * column become one rectangular block, the cells between them written empty, when that costs fewer bytes
 * than another range operation and no other block has a cell in the rectangle. A report with a section
 * per unit is then a few array writes instead of three per unit (title, table, comments).
 */
export function stackBlocks(blocks: readonly ValueBlock[]): ValueBlock[] {
  const widthOf = (b: ValueBlock) => b.values[0]?.length ?? 0;
  const rectangular = (b: ValueBlock) => b.values.every((l) => l.length === widthOf(b)) && widthOf(b) > 0;
  const out: { rect: Rect; parts: ValueBlock[]; cells: number }[] = [];
  const overlaps = (r: Rect, except: Set<ValueBlock>) =>
    blocks.some(
      (b) =>
        !except.has(b) &&
        b.row < r.row + r.rows &&
        b.row + b.values.length > r.row &&
        b.col < r.col + r.cols &&
        b.col + widthOf(b) > r.col,
    );
  for (const b of blocks) {
    const last = out[out.length - 1];
    const cells = b.values.length * widthOf(b);
    if (last && rectangular(b) && b.col === last.rect.col && b.row >= last.rect.row + last.rect.rows) {
      const rect = {
        row: last.rect.row,
        col: b.col,
        rows: b.row + b.values.length - last.rect.row,
        cols: Math.max(last.rect.cols, widthOf(b)),
      };
      const padding = rect.rows * rect.cols - last.cells - cells;
      const parts = new Set([...last.parts, b]);
      if (padding * EMPTY_CELL_BYTES < RANGE_OP_BYTES && !overlaps(rect, parts)) {
        last.rect = rect;
        last.parts.push(b);
        last.cells += cells;
        continue;
      }
    }
    const rect = { row: b.row, col: b.col, rows: b.values.length, cols: widthOf(b) };
    out.push({ rect, parts: [b], cells });
  }
  return out.map(({ rect, parts }) => {
    if (parts.length === 1) return parts[0];
    const values: PlanValue[][] = Array.from({ length: rect.rows }, () => new Array(rect.cols).fill(null));
    for (const p of parts)
      p.values.forEach((line, r) => line.forEach((v, c) => (values[p.row - rect.row + r][c] = v)));
    return { row: rect.row, col: rect.col, values };
  });
}

/** Splits a 2-D array into row slices of about SLICE_BYTES each, with their JSON size. */
function slices<V>(grid: V[][]): { offset: number; rows: V[][]; bytes: number }[] {
  const out: { offset: number; rows: V[][]; bytes: number }[] = [];
  let start = 0;
  let bytes = 2;
  for (let r = 0; r < grid.length; r++) {
    const b = utf8Bytes(JSON.stringify(grid[r])) + 1;
    if (bytes + b > SLICE_BYTES && r > start) {
      out.push({ offset: start, rows: grid.slice(start, r), bytes });
      start = r;
      bytes = 2;
    }
    bytes += b;
  }
  if (start < grid.length) out.push({ offset: start, rows: grid.slice(start), bytes });
  return out;
}

/** The range and its format object, the font and fill objects when used, two objects per border edge. */
function styleBytes(style: Omit<CellStyle, "numberFormat">, actions: number): number {
  const font = [style.fontName, style.bold, style.italic, style.fontSize, style.fontColor].some(
    (v) => v !== undefined,
  );
  const navs =
    1 +
    (font ? 1 : 0) +
    (style.fill !== undefined ? 1 : 0) +
    [style.borderTop, style.borderBottom].filter(Boolean).length * 2;
  const borderActions = [style.borderTop, style.borderBottom].filter(Boolean).length;
  return RANGE_OP_BYTES + navs * NAV_BYTES + (actions + borderActions) * ACTION_BYTES;
}

type FormatOp = (f: Excel.RangeFormat) => void;

function styleOps(style: Omit<CellStyle, "numberFormat">): FormatOp[] {
  const ops: FormatOp[] = [];
  const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
  if (style.fontName !== undefined) ops.push((f) => (f.font.name = style.fontName as string));
  if (style.bold !== undefined) ops.push((f) => (f.font.bold = style.bold as boolean));
  if (style.italic !== undefined) ops.push((f) => (f.font.italic = style.italic as boolean));
  if (style.fontSize !== undefined) ops.push((f) => (f.font.size = style.fontSize as number));
  if (style.fontColor !== undefined) ops.push((f) => (f.font.color = style.fontColor as string));
  if (style.fill !== undefined) ops.push((f) => (f.fill.color = style.fill as string));
  if (style.horizontalAlignment !== undefined) {
    const v = cap(style.horizontalAlignment) as Excel.HorizontalAlignment;
    ops.push((f) => (f.horizontalAlignment = v));
  }
  if (style.verticalAlignment !== undefined) {
    const v = cap(style.verticalAlignment) as Excel.VerticalAlignment;
    ops.push((f) => (f.verticalAlignment = v));
  }
  if (style.indent !== undefined) ops.push((f) => (f.indentLevel = style.indent as number));
  if (style.wrap !== undefined) ops.push((f) => (f.wrapText = style.wrap as boolean));
  for (const [edge, weight] of [
    ["EdgeTop", style.borderTop],
    ["EdgeBottom", style.borderBottom],
  ] as const) {
    if (!weight) continue;
    ops.push((f) => {
      const b = f.borders.getItem(edge);
      b.style = "Continuous";
      b.weight = cap(weight) as Excel.BorderWeight;
    });
  }
  return ops;
}
