/**
 * A write plan as deferred Office.js operations ("steps"), each with the size it adds to the request
 * the library serialises. The port groups steps into requests under the payload limit.
 *
 * Sizes, modelled on the requests of Microsoft's library (@microsoft/office-js excel-web-16.00;
 * test/unit/office/port.test.ts checks the estimate stays above the real size, with ids of 2 to 7
 * digits): a value block costs exactly its JSON (the library sends the array through JSON.stringify);
 * each operation adds its object paths and actions. Every path and action carries a numeric id, and
 * the library numbers them from 1 per request context, over every sync of the refresh: a refresh of
 * 100 000 lines reaches seven-digit ids, so a row height (one range, its format object, one action,
 * about 18 id references) costs some 90 bytes more than the same operation at the start. The renderer
 * counts the ids its operations take and prices every reference at the width of the highest id so far.
 */
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
import { MAX_COLS, MAX_ROWS, nameKey, sameName } from "../../workbook/a1";
import { addressChunks, compileFormats } from "./formats";

/**
 * Bytes of one operation's requests without the digits of its ids (those are priced per reference, see
 * OpShape): a range from getRangeByIndexes with one action (its object path without the four arguments,
 * its Instantiate action and an action with a short name), a navigation object below it (format, font,
 * fill, borders, one border edge: its path and Instantiate), a further action (with a short scalar
 * argument). Every range is untracked (Range.untrack()): it is used in its own request only, so
 * Excel.run need not keep it (a _KeepReference action and a second Instantiate per range, some 100
 * bytes) nor release it in its clean-up request, which otherwise grows to 4.5 MB at 100 000 lines.
 */
export const RANGE_OP_BYTES = 320;
export const NAV_BYTES = 120;
export const ACTION_BYTES = 105;
/**
 * The library writes an array of more than 1 500 cells as row chunks of about 1 500 cells, each its own
 * range and action, after one _ValidateArraySize call (setRangePropertiesInBulk in excel-web-16.00):
 * about 740 bytes per chunk measured, 13 ids and 28 references to them.
 */
export const BULK_CELLS = 1500;
export const BULK_CHUNK_BYTES = 900;
const BULK_CHUNK_IDS = 13;
const BULK_CHUNK_REFS = 28;
/** Value blocks are split into row slices of about this size. */
export const SLICE_BYTES = 256 * 1024;
/**
 * What every request adds besides its operations: the body's envelope, the workbook and application
 * paths, the two suspend calls and the location list on the last action; and each sheet the request
 * touches (its path, by name or by the reference id Excel gave it, and its Instantiate action).
 */
export const REQUEST_BYTES = 2_000;
export const SHEET_BYTES = 300;
/**
 * An upper bound of the ids the syncs before a write took (the metadata and the reads: one per object
 * path and action, a few per range read and per loaded sheet, name or chart). Only its digit count
 * matters: a bound one digit too low would cost about 3 % of a request, within the chunks' 10 % margin.
 */
export const IDS_BEFORE_WRITE = 10_000;

/**
 * What the library sends for one operation besides its values' JSON. Each object path and action has
 * an id (2 for a range with its Instantiate action, 2 per navigation object, 1 per action) and every
 * id is written a few times (the path's key, its Id and its children's ParentObjectPathId, the
 * actions' Id and ObjectPathId): 8 references for a range, 6 per navigation object, 2 per action,
 * measured on the library's requests.
 */
export interface OpShape {
  /** The range the operation goes through (getRangeByIndexes), or null for one on a sheet or the workbook. */
  rect: Rect | null;
  navs: number;
  actions: number;
  /** Bytes of the actions' arguments beyond a short scalar: the values' or number formats' JSON, texts. */
  payload: number;
  /** Row chunks of a large array write (setRangePropertiesInBulk). */
  bulkChunks?: number;
}

/** Counts the ids a write's operations take and prices each operation with them. */
export class RequestCost {
  constructor(private ids: number = IDS_BEFORE_WRITE) {}

  /** The highest id so far (the next write in the same context starts from it). */
  get lastId(): number {
    return this.ids;
  }

  /** Bytes of an operation; its ids are counted first, so its references are priced at their width. */
  of(shape: OpShape): number {
    const { rect, navs, payload } = shape;
    const chunks = shape.bulkChunks ?? 0;
    const actions = shape.actions + (chunks ? 1 : 0); // _ValidateArraySize
    this.ids += (rect ? 2 : 0) + navs * 2 + actions + chunks * BULK_CHUNK_IDS;
    const refs = (rect ? 8 : 0) + navs * 6 + actions * 2 + chunks * BULK_CHUNK_REFS;
    const fixed = rect
      ? RANGE_OP_BYTES + utf8Bytes(JSON.stringify([rect.row, rect.col, rect.rows, rect.cols]))
      : ACTION_BYTES;
    const further = Math.max(0, actions - 1) * ACTION_BYTES;
    return (
      fixed +
      navs * NAV_BYTES +
      further +
      payload +
      chunks * BULK_CHUNK_BYTES +
      refs * String(this.ids).length
    );
  }

  /** An array write (values) of a rect whose JSON is `payload` bytes. */
  array(rect: Rect, payload: number): number {
    if (rect.rows * rect.cols <= BULK_CELLS) return this.of({ rect, navs: 0, actions: 1, payload });
    const chunkRows = Math.max(1, Math.round(BULK_CELLS / rect.cols));
    // The whole range takes the _ValidateArraySize call; each chunk its own range and the set.
    return this.of({ rect, navs: 0, actions: 0, payload, bulkChunks: Math.ceil(rect.rows / chunkRows) });
  }
}

/**
 * The widest indexes a range path can carry: the price of a range whose indexes are not known when it
 * is estimated (a getRanges path beside its address, a chart's ranges).
 */
const WIDEST_RECT: Rect = { row: MAX_ROWS - 1, col: MAX_COLS - 1, rows: MAX_ROWS, cols: MAX_COLS };

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
  /** The sheet the step goes through (each sheet a request touches adds its path once). */
  sheet: string | null;
  bytes: number;
  run: () => void;
}

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

  constructor(
    private readonly t: RenderTarget,
    readonly cost: RequestCost = new RequestCost(),
  ) {}

  private ws(name: string): Excel.Worksheet {
    const key = nameKey(name);
    let ws = this.sheets.get(key);
    if (!ws) {
      ws = this.t.context.workbook.worksheets.getItem(this.t.existing(name) ?? name);
      this.sheets.set(key, ws);
    }
    return ws;
  }

  private range(sheet: string, r: Rect): Excel.Range {
    return this.ws(sheet).getRangeByIndexes(r.row, r.col, r.rows, r.cols).untrack();
  }

  sheet(steps: Step[], sp: SheetPlan, part: string): void {
    const add = (bytes: number, run: () => void) => steps.push({ part, sheet: sp.name, bytes, run });
    const cost = (shape: OpShape) => this.cost.of(shape);
    if (sp.owned) this.prepareOwned(add, sp);
    this.values(add, sp);
    const areas = this.t.supported("ExcelApi", "1.9");
    if (areas) this.compiledFormats(add, sp);
    else for (const f of sp.formats) this.format(add, sp.name, f.rect, f.style);
    for (const m of mergeRuns(sp.merges))
      add(cost({ rect: m, navs: 0, actions: 1, payload: 0 }), () => this.range(sp.name, m).merge(m.across));
    // format, and its columnWidth or rowHeight.
    const sized = { navs: 1, actions: 1, payload: 0 };
    for (const [width, rects] of byValue(widthRuns(sp.columnWidths), (w) => w.width))
      this.areaOp(add, sp.name, rects, areas, sized, (f) => (f.columnWidth = charsToPoints(width)));
    for (const [height, rects] of byValue(heightRuns(sp.rowHeights ?? []), (h) => h.height))
      this.areaOp(add, sp.name, rects, areas, sized, (f) => (f.rowHeight = height));
    if (sp.freeze && (sp.freeze.rows > 0 || sp.freeze.cols > 0)) {
      const { rows, cols } = sp.freeze;
      add(cost({ rect: { row: 0, col: 0, rows, cols }, navs: 1, actions: 1, payload: 0 }), () => {
        const panes = this.ws(sp.name).freezePanes;
        if (rows > 0 && cols > 0) panes.freezeAt(this.range(sp.name, { row: 0, col: 0, rows, cols }));
        else if (rows > 0) panes.freezeRows(rows);
        else panes.freezeColumns(cols);
      });
    }
    if (sp.print || (sp.owned && this.t.existing(sp.name))) this.print(add, sp.name, sp.print);
    for (const chart of sp.charts) add(this.chartBytes(chart), () => this.chart(sp.name, chart));
    const wasHidden = this.t.existing(sp.name) ? this.t.hidden(sp.name) : false;
    if (sp.hidden !== undefined && sp.hidden !== wasHidden)
      add(cost({ rect: null, navs: 0, actions: 1, payload: 0 }), () => {
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
      add(
        this.cost.of({ rect: null, navs: 1, actions: 1, payload: utf8Bytes(JSON.stringify(sp.name)) }),
        () => {
          this.sheets.set(nameKey(sp.name), this.t.context.workbook.worksheets.add(sp.name));
        },
      );
      return;
    }
    const charts = this.t.chartCount(existing);
    // getRange() with unmerge, clear and its format's useStandardHeight; freezePanes.unfreeze(); per
    // chart the collection, getItemAt(0) and delete().
    const all = this.cost.of({ rect: { row: 0, col: 0, rows: 0, cols: 0 }, navs: 1, actions: 3, payload: 0 });
    const panes = this.cost.of({ rect: null, navs: 1, actions: 1, payload: 0 });
    const chartBytes = Array.from({ length: charts }, () =>
      this.cost.of({ rect: null, navs: 2, actions: 1, payload: 0 }),
    ).reduce((a, b) => a + b, 0);
    add(all + panes + chartBytes, () => {
      const ws = this.ws(sp.name);
      const all = ws.getRange().untrack();
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
          const rect = { row: block.row + r, col: block.col, rows: 1, cols: line.length };
          add(this.cost.array(rect, utf8Bytes(JSON.stringify(vals))), () => {
            this.range(sp.name, rect).values = vals;
          });
        });
        continue;
      }
      if (!width) continue;
      for (const slice of slices(block.values.map((l) => l.map(toExcelValue)))) {
        const r = { row: block.row + slice.offset, col: block.col, rows: slice.rows.length, cols: width };
        add(this.cost.array(r, slice.bytes), () => {
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
      add(
        this.cost.of({ rect, navs: 0, actions: 1, payload: utf8Bytes(JSON.stringify(numberFormat)) }),
        () => {
          this.range(sheet, rect).numberFormat = numberFormat as unknown as string[][];
        },
      );
    const ops = styleOps(rest);
    if (ops.length)
      add(this.cost.of({ rect, ...styleShape(rest, ops.length) }), () => {
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
      this.areaOp(add, sp.name, areas, true, styleShape(style, ops.length), (format) => {
        for (const op of ops) op(format);
      });
    }
  }

  /**
   * One format operation on all `rects`: a single range, or Worksheet.getRanges (ExcelApi 1.9) over
   * address chunks when there are several (one range each without it). `shape`: the operation beyond
   * its range.
   */
  private areaOp(
    add: (bytes: number, run: () => void) => void,
    sheet: string,
    rects: Rect[],
    areas: boolean,
    shape: Omit<OpShape, "rect">,
    op: FormatOp,
  ): void {
    if (rects.length === 1 || !areas) {
      for (const r of rects) add(this.cost.of({ rect: r, ...shape }), () => op(this.range(sheet, r).format));
      return;
    }
    // getRanges(address) is a range path like getRangeByIndexes, its address (JSON) in place of indexes.
    for (const address of addressChunks(rects)) {
      const payload = shape.payload + utf8Bytes(JSON.stringify(address));
      add(this.cost.of({ rect: WIDEST_RECT, ...shape, payload }), () =>
        op(this.ws(sheet).getRanges(address).format),
      );
    }
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
    const texts = (["header", "footer"] as const).flatMap((k) =>
      (["left", "center", "right"] as const).map((side) => hf(print?.[k], side)),
    );
    const titles = print?.repeatRows ? 16 : 2;
    // pageLayout, headersFooters, defaultForAllPages; orientation, zoom, setPrintTitleRows, six texts.
    const bytes = this.cost.of({
      rect: null,
      navs: 3,
      actions: 9,
      payload: titles + texts.reduce((n, t) => n + utf8Bytes(JSON.stringify(t)), 0),
    });
    add(bytes, () => {
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

  /**
   * A chart: its source, each further series' values, every series' categories and the two position
   * cells are ranges; charts, the chart, its title, the series collection and each series navigation
   * objects; add, the title, three calls per series and setPosition the actions.
   */
  private chartBytes(plan: ChartPlan): number {
    const n = plan.series.length;
    const texts = [plan.title, plan.valueFormat, ...plan.series.map((s) => s.name)];
    let bytes = 0;
    for (let i = 0; i < 2 + 2 * n; i++)
      bytes += this.cost.of({ rect: WIDEST_RECT, navs: 0, actions: 0, payload: 0 });
    return (
      bytes +
      this.cost.of({
        rect: null,
        // axes, valueAxis and categoryAxis, with their number format and label angle, besides the series.
        navs: 7 + n,
        actions: 5 + 3 * n,
        payload: texts.reduce((sum, t) => sum + 2 * utf8Bytes(JSON.stringify(t)), 0),
      })
    );
  }

  private chart(sheet: string, plan: ChartPlan): void {
    if (!plan.series.length) return;
    const ws = this.ws(sheet);
    const r = (x: Rect) => ws.getRangeByIndexes(x.row, x.col, x.rows, x.cols).untrack();
    const type = plan.type === "line" ? "Line" : "ColumnClustered";
    const seriesBy = plan.series[0].values.cols === 1 ? "Columns" : "Rows";
    const chart = ws.charts.add(type, r(plan.series[0].values), seriesBy);
    chart.title.text = plan.title;
    chart.axes.valueAxis.numberFormat = plan.valueFormat;
    if (plan.labelAngle) chart.axes.categoryAxis.textOrientation = plan.labelAngle;
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
        (n) => sameName(n.name, def.name) && sameName(n.scope ?? "", def.scope ?? ""),
      );
      // The collection (workbook or sheet), getItem(old).delete(), add(name, range).
      const name = utf8Bytes(JSON.stringify(def.name)) + (old ? utf8Bytes(JSON.stringify(old.name)) : 0);
      const bytes =
        this.cost.of({ rect: def.ref, navs: 1 + (old ? 1 : 0), actions: old ? 2 : 1, payload: name }) +
        (def.scope === null ? 0 : SHEET_BYTES);
      steps.push({
        part,
        sheet: def.ref.sheet,
        bytes,
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

/**
 * The format object, the font and fill objects when used, two objects per border edge (borders and
 * getItem), and the actions (a border edge takes two: style and weight); font names are the payload.
 */
function styleShape(style: Omit<CellStyle, "numberFormat">, ops: number): Omit<OpShape, "rect"> {
  const font = [style.fontName, style.bold, style.italic, style.fontSize, style.fontColor].some(
    (v) => v !== undefined,
  );
  const edges = [style.borderTop, style.borderBottom].filter(Boolean).length;
  return {
    navs: 1 + (font ? 1 : 0) + (style.fill !== undefined ? 1 : 0) + edges * 2,
    actions: ops + edges,
    payload: style.fontName ? utf8Bytes(JSON.stringify(style.fontName)) : 0,
  };
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
