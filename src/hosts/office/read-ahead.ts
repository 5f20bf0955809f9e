/**
 * Cells through Office.js: one rectangle's cells queued on a batch and taken after its sync, and the
 * read-ahead that rides on the metadata sync (port.ts).
 *
 * - Read-ahead: the metadata sync also reads the first rows of every role's range through the role's
 *   workbook-scoped name (`names.getItemOrNullObject(role).getRangeOrNullObject()`, so no size is needed
 *   yet) and the address of each report sheet's used range. A ledger of a few thousand lines is then
 *   read whole with the metadata, and a larger one needs one sync fewer. What is left is read in chunks
 *   (read.ts).
 * - Less per cell: values only. Error cells of a large range come as areas
 *   (Range.getSpecialCellsOrNullObject(constants|formulas, errors), ExcelApi 1.9) instead of a type per
 *   cell.
 */
import { parseNameFormula, parseRef, nameKey, sameName } from "../../workbook/a1";
import { ROLE_SHAPES, type Shape } from "../../workbook/contract";
import type { RawCell, Rect, Role, SheetRect } from "../../workbook/types";
import { utf8Bytes } from "./render";

/**
 * First guess of a read's answer per cell and property (JSON of values or formulas), until a chunk of
 * the range has been measured: typical of a ledger (amounts of 4–8 characters, short labels, empty
 * cells). A guess too low for a sheet of long texts costs one retried sync, never a failed refresh.
 */
export const GUESS_CELL_BYTES = 8;
/**
 * The share of the read budget a sync sized by guesses may fill (a wider margin than for measured rows).
 * For the read-ahead that is about twice what a ledger's amounts and labels answer: with every ledger
 * role defined, the answer goes over the 5 MB limit only when its cells average more than 11.9 bytes
 * (8 × 5 / 3.375).
 */
export const FIRST_READ_SHARE = 0.75;
/**
 * Rows of a measured read are cut into this many blocks: the next chunk's bytes per row are expected as
 * high as the densest block's, over the mean (rows differ in length: long labels, commented lines).
 */
const SPREAD_BLOCKS = 8;
/** The least margin on measured bytes per row (the rows still to read are not the rows measured). */
export const MIN_MEASURED_MARGIN = 0.02;
/**
 * Ranges of at most this many cells are read with valueTypes; larger ones with their error cells as
 * areas, which answers far less than a type per cell.
 */
export const TYPED_READ_CELLS = 64;

/** Shapes whose rows are not the ledger's (measures, committee dates, volumes, investments, staff). */
const TABLE_SHAPES = new Set<Shape>(["table", "list"]);
/** Rows of each table or list read ahead at most (the rest, if any, in the chunks after). */
const TABLE_AHEAD_ROWS = 1_000;

/** Columns the read-ahead expects per row of each role shape (a table's width is a guess). */
const AHEAD_COLS: Record<Shape, number> = {
  col: 1,
  list: 1,
  colOr12: 12,
  grid12: 12,
  table: 8,
  cell: 0,
  title: 0,
  output: 0,
};

function toRaw(value: unknown, type: string): RawCell {
  if (type === "Empty" || value === "" || value === null || value === undefined) return null;
  if (type === "Error") return { error: String(value) };
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  return String(value);
}

function formulaText(f: unknown): string {
  if (f === null || f === undefined) return "";
  if (typeof f === "boolean") return f ? "TRUE" : "FALSE";
  return String(f);
}

/** "Blad!A1:B2,'Blad, två'!C3" → its areas (commas inside a quoted sheet name do not split). */
function splitAreas(address: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (const ch of address) {
    if (ch === "'") quoted = !quoted;
    if (ch === "," && !quoted) {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** The rectangles of RangeAreas' addresses (null objects give none). */
export function areaRects(areas: Excel.RangeAreas[]): Rect[] {
  const rects: Rect[] = [];
  for (const a of areas) {
    if (a.isNullObject) continue;
    for (const part of splitAreas(a.address)) {
      const rect = parseRef(part.slice(part.lastIndexOf("!") + 1));
      if (rect) rects.push(rect);
    }
  }
  return rects;
}

export function intersection(a: Rect, b: Rect): Rect | null {
  const row = Math.max(a.row, b.row);
  const col = Math.max(a.col, b.col);
  const rows = Math.min(a.row + a.rows, b.row + b.rows) - row;
  const cols = Math.min(a.col + a.cols, b.col + b.cols) - col;
  return rows > 0 && cols > 0 ? { row, col, rows, cols } : null;
}

export function boundingRect(rects: Rect[]): Rect {
  const row = Math.min(...rects.map((r) => r.row));
  const col = Math.min(...rects.map((r) => r.col));
  const rows = Math.max(...rects.map((r) => r.row + r.rows)) - row;
  const cols = Math.max(...rects.map((r) => r.col + r.cols)) - col;
  return { row, col, rows, cols };
}

/** "Underlag!A10:C20" (Range.address) → its sheet and rectangle. */
function rectOfAddress(address: string): SheetRect | null {
  const f = parseNameFormula(address);
  return f.kind === "range" ? f.rect : null;
}

// ---------------------------------------------------------------------------------------------------
// One rectangle's cells, queued for a sync

export interface QueuedCells {
  range: Excel.Range;
  /** Error cells as areas (large ranges), or null when valueTypes were loaded. */
  errors: Excel.RangeAreas[] | null;
  formulas: boolean;
}

export function queueCells(
  range: Excel.Range,
  cells: number,
  formulas: boolean,
  address = false,
): QueuedCells {
  const typed = cells <= TYPED_READ_CELLS;
  range.load([
    "values",
    ...(typed ? ["valueTypes"] : []),
    ...(formulas ? ["formulas"] : []),
    ...(address ? ["address"] : []),
  ]);
  const errors = typed
    ? null
    : [
        range.getSpecialCellsOrNullObject("Constants", "Errors").load("address"),
        range.getSpecialCellsOrNullObject("Formulas", "Errors").load("address"),
      ];
  return { range, errors, formulas };
}

interface Cells {
  values: RawCell[][];
  formulas: string[][] | null;
  /** What the answer cost (JSON of what the library received). */
  bytes: number;
  /** How much more per row the next rows may answer (see measureRows). */
  margin: number;
}

/**
 * The JSON bytes of `rows` (as JSON.stringify(rows) gives them), and the margin the next rows of the
 * same columns are expected to need: how far the densest of SPREAD_BLOCKS blocks of rows answered above
 * the mean, at least MIN_MEASURED_MARGIN.
 */
export function measureRows(rows: unknown[][]): { bytes: number; margin: number } {
  const n = rows.length;
  if (n === 0) return { bytes: 2, margin: MIN_MEASURED_MARGIN };
  const blocks = Math.min(SPREAD_BLOCKS, n);
  let sum = 0;
  let densest = 0;
  for (let b = 0; b < blocks; b++) {
    const from = Math.floor((b * n) / blocks);
    const to = Math.floor(((b + 1) * n) / blocks);
    const bytes = utf8Bytes(JSON.stringify(rows.slice(from, to)));
    sum += bytes;
    densest = Math.max(densest, (bytes - 2) / (to - from));
  }
  // Each block has its own brackets; the whole array has one pair and a comma between blocks.
  const bytes = sum - blocks + 1;
  return { bytes, margin: Math.max(MIN_MEASURED_MARGIN, densest / ((bytes - 2) / n) - 1) };
}

export function takeCells(q: QueuedCells, origin: Rect): Cells {
  const { range, errors } = q;
  const types = errors ? null : (range.valueTypes as string[][]);
  const rects = errors ? areaRects(errors) : [];
  const isError = (r: number, c: number) =>
    rects.some(
      (x) =>
        origin.row + r >= x.row &&
        origin.row + r < x.row + x.rows &&
        origin.col + c >= x.col &&
        origin.col + c < x.col + x.cols,
    );
  const values = range.values.map((line, r) =>
    line.map((v, c) =>
      toRaw(v, types ? types[r][c] : rects.length && isError(r, c) ? "Error" : v === "" ? "Empty" : "Value"),
    ),
  );
  const formulas = q.formulas ? range.formulas.map((line) => line.map(formulaText)) : null;
  const shown = measureRows(range.values);
  const written = formulas ? measureRows(range.formulas) : { bytes: 0, margin: 0 };
  const bytes =
    shown.bytes +
    (types ? utf8Bytes(JSON.stringify(types)) : 0) +
    (errors ? errors.reduce((n, e) => n + (e.isNullObject ? 0 : utf8Bytes(e.address)), 0) : 0) +
    written.bytes;
  return { values, formulas, bytes, margin: Math.max(shown.margin, written.margin) };
}

// ---------------------------------------------------------------------------------------------------
// Read-ahead with the metadata

/** The first rows of a range read with the metadata: the whole range's rectangle and the rows read. */
export interface AheadRows {
  rect: SheetRect;
  values: RawCell[][];
  bytesPerRow: number;
  /** How much more per row the rows below may answer (see measureRows). */
  margin: number;
}

/** What the metadata sync read ahead. */
export interface ReadAhead {
  /** First rows of the roles' named ranges. */
  ranges: AheadRows[];
  /** First rows of each asked-for sheet's used range (values only), null when missing or empty. */
  used: Map<string, AheadRows | null>;
}

/** Rows of each report sheet read ahead: enough to measure its bytes per row for the chunks after. */
export const SHEET_SAMPLE_ROWS = 500;
/** Columns the read-ahead expects per report sheet (its width is not known yet). */
const SHEET_GUESS_COLS = 8;

/** The first `rows` rows of `base` (fewer when it has fewer), with the address of both. */
export function queueHead(base: Excel.Range, rows: number): QueuedCells {
  base.load("address");
  const head = base.getIntersectionOrNullObject(base.getRow(0).getResizedRange(rows - 1, 0));
  return queueCells(head, Infinity, false, true);
}

/** All of `base` (its address loaded for takeHead). */
function queueWhole(base: Excel.Range): QueuedCells {
  base.load("address");
  return queueCells(base, Infinity, false, true);
}

export function takeHead(base: Excel.Range, head: QueuedCells): AheadRows | null {
  if (base.isNullObject || head.range.isNullObject) return null;
  const rect = rectOfAddress(base.address);
  const at = rectOfAddress(head.range.address);
  if (!rect || !at) return null;
  const cells = takeCells(head, at);
  const bytesPerRow = cells.bytes / Math.max(1, cells.values.length);
  return { rect, values: cells.values, bytesPerRow, margin: cells.margin };
}

/**
 * Bytes the read-ahead keeps free for each sheet it reads whole (the state sheet: a row per input zone
 * and per 30 000 characters of footprint, some 100 KB at 20 000 lines).
 */
const WHOLE_SHEET_GUESS_BYTES = 400_000;

/**
 * Queues the read-ahead on the metadata batch: the first rows of each role's workbook-scoped range and
 * of each sheet's used range in `sheets` (all of it for those in `whole`), as many as a guessed share
 * of `readBytes` allows; `scale` (at most 1) makes the roles' rows and the sheets' samples smaller
 * together, for a retry after an answer over the limit (sheets in `whole`, the product's small state
 * sheet, are still read whole). Returns what to call after the sync.
 */
export function queueReadAhead(
  wb: Excel.Workbook,
  ahead: { sheets: string[]; whole?: string[] },
  readBytes: number,
  scale = 1,
): () => ReadAhead {
  const roles = (Object.keys(ROLE_SHAPES) as Role[]).filter((r) => ROLE_SHAPES[r].shape !== "output");
  const budget = readBytes * FIRST_READ_SHARE * scale;
  const sheetRows = Math.max(1, Math.ceil(SHEET_SAMPLE_ROWS * scale));
  const whole = new Set((ahead.whole ?? []).map(nameKey));
  const sheets = [
    ...ahead.sheets,
    ...(ahead.whole ?? []).filter((w) => !ahead.sheets.some((s) => sameName(s, w))),
  ];
  const left =
    budget -
    (sheets.length - whole.size) * sheetRows * SHEET_GUESS_COLS * GUESS_CELL_BYTES -
    whole.size * WHOLE_SHEET_GUESS_BYTES;
  // Tables and lists have rows of their own, far fewer than the ledger's: once every role gets
  // TABLE_AHEAD_ROWS rows, tables stop there and the ledger's columns share the rest of the guess by row.
  const isTable = (r: Role) => TABLE_SHAPES.has(ROLE_SHAPES[r].shape);
  const colsOf = (list: Role[]) => list.reduce((n, r) => n + AHEAD_COLS[ROLE_SHAPES[r].shape], 0);
  const tableCols = colsOf(roles.filter(isTable));
  const ledgerCols = colsOf(roles.filter((r) => !isTable(r)));
  const even = Math.floor(left / (GUESS_CELL_BYTES * (tableCols + ledgerCols)));
  const tableRows = Math.max(1, Math.min(even, TABLE_AHEAD_ROWS));
  const rows =
    even <= TABLE_AHEAD_ROWS
      ? tableRows
      : Math.floor((left - tableRows * tableCols * GUESS_CELL_BYTES) / (GUESS_CELL_BYTES * ledgerCols));
  // A name that is missing or not a range gives a null object, and so does every call below it.
  const ranges = roles.map((role) => {
    const base = wb.names.getItemOrNullObject(role).getRangeOrNullObject();
    return { base, head: queueHead(base, isTable(role) ? tableRows : rows) };
  });
  const used = sheets.map((name) => {
    const base = wb.worksheets.getItemOrNullObject(name).getUsedRangeOrNullObject(true);
    const all = whole.has(nameKey(name));
    return { name, base, head: all ? queueWhole(base) : queueHead(base, sheetRows) };
  });
  return () => ({
    ranges: ranges.map(({ base, head }) => takeHead(base, head)).filter((r): r is AheadRows => !!r),
    used: new Map(used.map(({ name, base, head }) => [nameKey(name), takeHead(base, head)])),
  });
}
