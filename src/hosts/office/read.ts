/**
 * Reading cells through Office.js in as few syncs as Excel on the web's 5 MB response limit allows.
 *
 * - Read-ahead: the metadata sync (port.ts) also reads the first rows of every role's range through
 *   the role's workbook-scoped name (`names.getItemOrNullObject(role).getRangeOrNullObject()`, so no
 *   size is needed yet) and the address of each report sheet's used range. A ledger of a few thousand
 *   lines is then read whole with the metadata, and a larger one needs one sync fewer.
 * - Chunks: what is left is read in row chunks whose expected answer fits the read budget; a range's
 *   expectation starts from a guess and becomes the bytes per row its previous chunk really returned.
 *   A response over the limit (ResponsePayloadSizeLimitExceeded) is read again in smaller chunks: a read
 *   changes nothing.
 * - Less per cell: values only. Error cells of a large range come as areas
 *   (Range.getSpecialCellsOrNullObject(constants|formulas, errors), ExcelApi 1.9) instead of a type per
 *   cell; an output area that must be empty is first asked for its constant and formula cells as areas,
 *   and its values and formulas are read only when it holds any. So are a range's columns that were
 *   empty in every row read ahead (the months after the reporting period): below the read-ahead they are
 *   asked for their cells as areas, and only cells found there are read.
 * - Less per row: ranges side by side on the same rows (Poster, Radtyp, Budget, Utfall) are read as one
 *   range, since every range answers its own brackets on every row.
 */
import { parseNameFormula, parseRef } from "../../workbook/a1";
import { ROLE_SHAPES, type Shape } from "../../workbook/contract";
import type { RawCell, ReadRequest, ReadResult, Rect, Role, SheetRect } from "../../workbook/types";
import { utf8Bytes } from "./render";

/**
 * First guess of a read's answer per cell and property (JSON of values or formulas), until a chunk of
 * the range has been measured: typical of a ledger (amounts of 4–8 characters, short labels, empty
 * cells). A guess too low for a sheet of long texts costs one retried sync, never a failed refresh.
 */
const GUESS_CELL_BYTES = 8;
/** The share of the read budget a sync sized by guesses may fill (a wider margin than for measured rows). */
const FIRST_READ_SHARE = 0.75;
/** Measured bytes per row are raised by this much for the next chunk (rows differ in length). */
const MEASURED_MARGIN = 1.05;
/**
 * Ranges of at most this many cells are read with valueTypes; larger ones with their error cells as
 * areas, which answers far less than a type per cell.
 */
const TYPED_READ_CELLS = 64;

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

const upper = (s: string) => s.toLocaleUpperCase("sv-SE");

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
function areaRects(areas: Excel.RangeAreas[]): Rect[] {
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

function intersection(a: Rect, b: Rect): Rect | null {
  const row = Math.max(a.row, b.row);
  const col = Math.max(a.col, b.col);
  const rows = Math.min(a.row + a.rows, b.row + b.rows) - row;
  const cols = Math.min(a.col + a.cols, b.col + b.cols) - col;
  return rows > 0 && cols > 0 ? { row, col, rows, cols } : null;
}

function boundingRect(rects: Rect[]): Rect {
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

interface QueuedCells {
  range: Excel.Range;
  /** Error cells as areas (large ranges), or null when valueTypes were loaded. */
  errors: Excel.RangeAreas[] | null;
  formulas: boolean;
}

function queueCells(range: Excel.Range, cells: number, formulas: boolean, address = false): QueuedCells {
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
}

function takeCells(q: QueuedCells, origin: Rect): Cells {
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
  const bytes =
    utf8Bytes(JSON.stringify(range.values)) +
    (types ? utf8Bytes(JSON.stringify(types)) : 0) +
    (errors ? errors.reduce((n, e) => n + (e.isNullObject ? 0 : utf8Bytes(e.address)), 0) : 0) +
    (formulas ? utf8Bytes(JSON.stringify(range.formulas)) : 0);
  return { values, formulas, bytes };
}

// ---------------------------------------------------------------------------------------------------
// Read-ahead with the metadata

/** The first rows of a range read with the metadata: the whole range's rectangle and the rows read. */
interface AheadRows {
  rect: SheetRect;
  values: RawCell[][];
  bytesPerRow: number;
}

/** What the metadata sync read ahead. */
export interface ReadAhead {
  /** First rows of the roles' named ranges. */
  ranges: AheadRows[];
  /** First rows of each asked-for sheet's used range (values only), null when missing or empty. */
  used: Map<string, AheadRows | null>;
}

/** Rows of each report sheet read ahead: enough to measure its bytes per row for the chunks after. */
const SHEET_SAMPLE_ROWS = 500;
/** Columns the read-ahead expects per report sheet (its width is not known yet). */
const SHEET_GUESS_COLS = 8;

/** The first `rows` rows of `base` (fewer when it has fewer), with the address of both. */
function queueHead(base: Excel.Range, rows: number): QueuedCells {
  base.load("address");
  const head = base.getIntersectionOrNullObject(base.getRow(0).getResizedRange(rows - 1, 0));
  return queueCells(head, Infinity, false, true);
}

/** All of `base` (its address loaded for takeHead). */
function queueWhole(base: Excel.Range): QueuedCells {
  base.load("address");
  return queueCells(base, Infinity, false, true);
}

function takeHead(base: Excel.Range, head: QueuedCells): AheadRows | null {
  if (base.isNullObject || head.range.isNullObject) return null;
  const rect = rectOfAddress(base.address);
  const at = rectOfAddress(head.range.address);
  if (!rect || !at) return null;
  const cells = takeCells(head, at);
  return { rect, values: cells.values, bytesPerRow: cells.bytes / Math.max(1, cells.values.length) };
}

/**
 * Bytes the read-ahead keeps free for each sheet it reads whole (the state sheet: a row per input zone
 * and per 30 000 characters of footprint, some 100 KB at 20 000 lines).
 */
const WHOLE_SHEET_GUESS_BYTES = 400_000;

/**
 * Queues the read-ahead on the metadata batch: the first rows of each role's workbook-scoped range and
 * of each sheet's used range in `sheets` (all of it for those in `whole`), as many as a guessed
 * `budget` allows. Returns what to call after the sync.
 */
export function queueReadAhead(
  wb: Excel.Workbook,
  ahead: { sheets: string[]; whole?: string[] },
  budget: number,
): () => ReadAhead {
  const roles = (Object.keys(ROLE_SHAPES) as Role[]).filter((r) => ROLE_SHAPES[r].shape !== "output");
  const sheetRows = SHEET_SAMPLE_ROWS;
  const whole = new Set((ahead.whole ?? []).map(upper));
  const sheets = [
    ...ahead.sheets,
    ...(ahead.whole ?? []).filter((w) => !ahead.sheets.some((s) => upper(s) === upper(w))),
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
    const all = whole.has(upper(name));
    return { name, base, head: all ? queueWhole(base) : queueHead(base, sheetRows) };
  });
  return () => ({
    ranges: ranges.map(({ base, head }) => takeHead(base, head)).filter((r): r is AheadRows => !!r),
    used: new Map(used.map(({ name, base, head }) => [upper(name), takeHead(base, head)])),
  });
}

// ---------------------------------------------------------------------------------------------------
// The chunked read

/** A rectangle to read: a requested range, or a sheet's used range (its rect known after a sync). */
interface Target {
  rect: SheetRect | null;
  formulas: boolean;
  /** The rect's cells, filled in place as pieces arrive (see allocate). */
  values: RawCell[][];
  formulaRows: string[][];
  /** Rows at the top that the read-ahead filled. */
  head: number;
  /** Expected answer per row of the whole width: guessed (with the first-read margin) until measured. */
  perRow: number;
}

/** The expected answer per row of a piece, shared by the pieces cut from it (measured after each chunk). */
interface Cost {
  perRow: number;
}

/**
 * A rectangle queued for a read (sheet coordinates): the columns of one or more targets side by side on
 * the same rows, read as one range, since a range costs its brackets on every row of the answer.
 */
interface Piece {
  sheet: string;
  row: number;
  col: number;
  rows: number;
  cols: number;
  formulas: boolean;
  /** Which target each column run belongs to (sheet columns). */
  members: { index: number; col: number; cols: number }[];
  cost: Cost;
}

/** A column block below the read-ahead that was empty in every row read ahead, asked for its cells as areas. */
interface ColumnProbe {
  index: number;
  rect: Rect;
  areas: Excel.RangeAreas[];
}

/**
 * Rows the read-ahead must have read before a column empty in all of them is taken as probably empty
 * below too (the months after the reporting period, a column kept for later): the rest of that column
 * is then asked for its constant and formula cells as areas, and only those are read. A wrong guess
 * never loses a cell: what the probe finds is read in the next chunk, one sync more when it was the last.
 * (Not on report sheets, where the ekonom's notes in a column the report leaves empty are expected.)
 */
const EMPTY_COLUMN_EVIDENCE_ROWS = 200;
/** A probe that finds more areas than this reads the rectangle around them instead (fewer ranges). */
const PROBE_AREA_PIECES = 200;

export interface ReadContext {
  context: Excel.RequestContext;
  /** The sheet's name as the workbook spells it, or null when there is no such sheet. */
  sheetName(name: string): string | null;
  /** Whether the host supports Range.getMergedAreasOrNullObject (ExcelApi 1.13). */
  canMerge: boolean;
  /** Target size of one read response in bytes. */
  readBytes: number;
  ahead: ReadAhead | null;
}

function guessPerRow(cols: number, formulas: boolean): number {
  return (cols * GUESS_CELL_BYTES * (formulas ? 2 : 1)) / FIRST_READ_SHARE;
}

function sameRect(a: SheetRect, b: SheetRect): boolean {
  return (
    upper(a.sheet) === upper(b.sheet) &&
    a.row === b.row &&
    a.col === b.col &&
    a.rows === b.rows &&
    a.cols === b.cols
  );
}

/** Gives the target room for all of its rect's rows (empty until read), keeping the rows read ahead. */
function allocate(t: Target): void {
  if (!t.rect) return;
  const { rows, cols } = t.rect;
  for (let r = t.values.length; r < rows; r++) t.values.push(new Array<RawCell>(cols).fill(null));
  if (t.formulas)
    for (let r = t.formulaRows.length; r < rows; r++) t.formulaRows.push(new Array<string>(cols).fill(""));
}

/**
 * The target's rows below its read-ahead as one piece over `runs` (sheet columns; all of its columns
 * by default), expected to cost its share of the target's bytes per row (an empty cell answers 3 bytes).
 */
function piecesOf(t: Target, index: number, runs?: { col: number; cols: number }[]): Piece[] {
  if (!t.rect || t.head >= t.rect.rows) return [];
  const { sheet, row, col, rows, cols } = t.rect;
  const whole = !runs || (runs.length === 1 && runs[0].cols === cols);
  return (runs ?? [{ col, cols }]).map((run) => ({
    sheet,
    row: row + t.head,
    col: run.col,
    rows: rows - t.head,
    cols: run.cols,
    formulas: t.formulas,
    members: [{ index, col: run.col, cols: run.cols }],
    cost: {
      perRow:
        whole || !t.head
          ? Math.max(3 * run.cols, Math.ceil((t.perRow * run.cols) / cols))
          : headBytesPerRow(t, run.col - col, run.cols),
    },
  }));
}

/** What the read-ahead's rows of some of the target's columns answered per row, with the margin. */
function headBytesPerRow(t: Target, from: number, cols: number): number {
  return sliceBytesPerRow(t.values, t.head, from, cols);
}

/** What `cols` columns from `from` of the first `rows` lines would answer per row, with the margin. */
function sliceBytesPerRow(lines: RawCell[][], rows: number, from: number, cols: number): number {
  const shown = (v: RawCell | undefined) =>
    v === null || v === undefined ? "" : typeof v === "object" ? v.error : v;
  const head: unknown[][] = [];
  for (let r = 0; r < rows; r++) {
    const line = lines[r];
    const out: unknown[] = [];
    for (let c = 0; c < cols; c++) out.push(shown(line[from + c]));
    head.push(out);
  }
  return Math.max(3 * cols, Math.ceil((utf8Bytes(JSON.stringify(head)) / rows) * MEASURED_MARGIN));
}

/** Pieces on the same rows of a sheet whose columns touch, as one (values only). */
function band(pieces: Piece[]): Piece[] {
  const key = (p: Piece) => `${upper(p.sheet)}|${p.row}|${p.rows}|${p.formulas}`;
  const sorted = [...pieces].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.col - b.col));
  const out: Piece[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && !p.formulas && key(last) === key(p) && last.col + last.cols === p.col) {
      out[out.length - 1] = {
        ...last,
        cols: last.cols + p.cols,
        members: [...last.members, ...p.members],
        // One row's brackets and comma ("[…],", 3 bytes) fewer than the two pieces read apart.
        cost: { perRow: Math.max(3 * (last.cols + p.cols), last.cost.perRow + p.cost.perRow - 3) },
      };
    } else out.push(p);
  }
  return out;
}

/**
 * Column runs of rows read ahead (`cols` columns from `from` in each of the first `rows` lines, at sheet
 * column `col`): those with a value somewhere (read as usual) and those empty in every row (probed),
 * when enough rows were read ahead to trust it.
 */
function columnRuns(
  head: RawCell[][],
  rows: number,
  from: number,
  col: number,
  cols: number,
): { dense: { col: number; cols: number }[]; empty: { col: number; cols: number }[] } {
  const all = { dense: [{ col, cols }], empty: [] };
  if (rows < EMPTY_COLUMN_EVIDENCE_ROWS) return all;
  const used = new Array<boolean>(cols).fill(false);
  for (let r = 0; r < rows; r++) {
    const line = head[r];
    for (let c = 0; c < cols; c++) if ((line[from + c] ?? null) !== null) used[c] = true;
  }
  if (used.every(Boolean)) return all;
  const dense: { col: number; cols: number }[] = [];
  const empty: { col: number; cols: number }[] = [];
  for (let c = 0; c < cols;) {
    let end = c;
    while (end < cols && used[end] === used[c]) end++;
    (used[c] ? dense : empty).push({ col: col + c, cols: end - c });
    c = end;
  }
  return { dense, empty };
}

export async function readCells(rc: ReadContext, request: ReadRequest): Promise<ReadResult> {
  const { context, ahead } = rc;
  const ws = context.workbook.worksheets;
  const sheets = new Map<string, Excel.Worksheet>();
  const sheetOf = (name: string) => {
    if (!sheets.has(name)) sheets.set(name, ws.getItem(name));
    return sheets.get(name)!;
  };
  const n = request.ranges.length;
  const used = request.sheets.map((name) => ({
    name: rc.sheetName(name) ?? name,
    exists: !!rc.sheetName(name),
  }));
  const fromAhead = (
    rect: SheetRect | null,
    pre: AheadRows | null | undefined,
    formulas: boolean,
  ): Target => ({
    rect,
    formulas,
    values: pre ? [...pre.values] : [],
    formulaRows: [],
    head: pre ? pre.values.length : 0,
    perRow: pre
      ? Math.max(1, Math.ceil(pre.bytesPerRow * MEASURED_MARGIN))
      : rect
        ? guessPerRow(rect.cols, formulas)
        : 1,
  });
  const targets: Target[] = [
    ...request.ranges.map((r) =>
      fromAhead(
        r.rect,
        r.formulas ? undefined : ahead?.ranges.find((a) => sameRect(a.rect, r.rect)),
        r.formulas,
      ),
    ),
    ...used.map(({ name, exists }) => {
      const pre = exists ? ahead?.used.get(upper(name)) : undefined;
      return fromAhead(pre?.rect ?? null, pre, false);
    }),
  ];
  // Used ranges the read-ahead did not cover: their address and first rows in the first sync.
  const unknownUsed = used
    .map((u, k) => ({ ...u, index: n + k }))
    .filter((u) => u.exists && !ahead?.used.has(upper(u.name)));
  // Large output areas that must be empty: their constant and formula cells, as areas, first.
  const probed = request.ranges
    .map((r, index) => ({ r, index }))
    .filter(({ r }) => r.formulas && r.rect.rows * r.rect.cols > TYPED_READ_CELLS);
  const probedSet = new Set(probed.map((p) => p.index));

  // A sheet with needed cells: its target keeps the rows read ahead, parts read the needed cells below.
  const neededOf = new Map((request.needed ?? []).map((x) => [upper(x.sheet), x.rects]));
  const parts = new Map<number, { whole: SheetRect; parts: Target[] }>();
  const emptyColumns: { index: number; rect: Rect }[] = [];
  const sheetPieces = (index: number): Piece[] => {
    const t = targets[index];
    const rects = neededOf.get(upper(used[index - n].name));
    if (!rects || !t.rect) {
      allocate(t);
      return piecesOf(t, index);
    }
    const whole = t.rect;
    const head = t.head;
    t.rect = { ...whole, rows: head };
    const below: Rect = { row: whole.row + head, col: whole.col, rows: whole.rows - head, cols: whole.cols };
    const own: Target[] = [];
    const pieces: Piece[] = [];
    for (const x of rects.map((r) => intersection(r, below)).filter((r): r is Rect => !!r)) {
      // The sheet's measured bytes per row, shared by columns (an empty cell answers 3 bytes).
      const part = fromAhead({ sheet: whole.sheet, ...x }, null, false);
      part.perRow = Math.max(3 * x.cols, Math.ceil((t.perRow * x.cols) / whole.cols));
      allocate(part);
      targets.push(part);
      own.push(part);
      for (const piece of piecesOf(part, targets.length - 1)) {
        // What the same columns answered in the sheet's rows read ahead.
        if (head) piece.cost.perRow = sliceBytesPerRow(t.values, head, piece.col - whole.col, piece.cols);
        pieces.push(piece);
      }
    }
    parts.set(index, { whole, parts: own });
    return pieces;
  };
  const firstTargets = targets.length;
  const initial: Piece[] = [];
  for (let i = 0; i < firstTargets; i++) {
    if (i >= n) {
      initial.push(...sheetPieces(i));
      continue;
    }
    const t = targets[i];
    allocate(t);
    if (probedSet.has(i)) continue;
    const runs =
      t.head < t.rect!.rows
        ? columnRuns(t.values, t.head, 0, t.rect!.col, t.rect!.cols)
        : { dense: [], empty: [] };
    initial.push(...piecesOf(t, i, runs.dense));
    const below = t.rect!.row + t.head;
    for (const run of runs.empty)
      emptyColumns.push({
        index: i,
        rect: { row: below, col: run.col, rows: t.rect!.rows - t.head, cols: run.cols },
      });
  }
  let queue = band(initial);
  const merged: (Excel.RangeAreas | null)[] = [];
  let first = true;
  while (queue.length || first) {
    const group = takeGroup(queue, rc.readBytes);
    const loaded = group.map((p) =>
      queueCells(
        sheetOf(p.sheet).getRangeByIndexes(p.row, p.col, p.rows, p.cols),
        p.rows * p.cols,
        p.formulas,
      ),
    );
    let probes: { index: number; areas: Excel.RangeAreas[] }[] = [];
    let dims: { index: number; base: Excel.Range; head: QueuedCells }[] = [];
    let columnProbes: ColumnProbe[] = [];
    if (first) {
      request.ranges.forEach((r, i) => {
        const { sheet, row, col, rows, cols } = r.rect;
        // Merged cells matter where the refresh will write (the output areas, read with formulas).
        merged[i] =
          rc.canMerge && r.formulas
            ? sheetOf(sheet)
                .getRangeByIndexes(row, col, rows, cols)
                .getMergedAreasOrNullObject()
                .load("areaCount")
            : null;
      });
      const occupied = (sheet: string, x: Rect) => {
        const range = sheetOf(sheet).getRangeByIndexes(x.row, x.col, x.rows, x.cols);
        return [
          range.getSpecialCellsOrNullObject("Constants").load("address"),
          range.getSpecialCellsOrNullObject("Formulas").load("address"),
        ];
      };
      probes = probed.map(({ r, index }) => ({ index, areas: occupied(r.rect.sheet, r.rect) }));
      columnProbes = emptyColumns.map(({ index, rect }) => ({
        index,
        rect,
        areas: occupied(targets[index].rect!.sheet, rect),
      }));
      dims = unknownUsed.map((u) => {
        const base = sheetOf(u.name).getUsedRangeOrNullObject(true);
        return { index: u.index, base, head: queueHead(base, SHEET_SAMPLE_ROWS) };
      });
      if (!group.length && !probes.length && !dims.length && !columnProbes.length && !merged.some(Boolean))
        break;
    }
    try {
      // One sync per response-sized chunk: the loop is over chunks bounded by bytes, never over lines.
      // eslint-disable-next-line office-addins/no-context-sync-in-loop
      await context.sync();
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code !== "ResponsePayloadSizeLimitExceeded" || group.every((p) => p.rows === 1)) throw e;
      // The answer was at least 5 MB: the same rows are expected to cost at least twice the budget,
      // so the retried chunk is at most half of this one (also when this one did not fill the budget).
      const expected = group.reduce((sum, p) => sum + p.rows * p.cost.perRow, 0);
      const factor = Math.max(2, (2 * rc.readBytes) / expected);
      for (const cost of new Set(group.map((p) => p.cost))) cost.perRow *= factor;
      queue = [...group, ...queue];
      continue;
    }
    first = false;
    group.forEach((p, k) => {
      const cells = takeCells(loaded[k], p);
      for (const m of p.members) {
        const t = targets[m.index];
        const r0 = p.row - t.rect!.row;
        const c0 = m.col - t.rect!.col;
        const from = m.col - p.col;
        for (let r = 0; r < p.rows; r++) {
          const src = cells.values[r];
          const dst = t.values[r0 + r];
          for (let c = 0; c < m.cols; c++) dst[c0 + c] = src[from + c];
          if (cells.formulas) {
            const fsrc = cells.formulas[r];
            const fdst = t.formulaRows[r0 + r];
            for (let c = 0; c < m.cols; c++) fdst[c0 + c] = fsrc[from + c];
          }
        }
      }
      // What this chunk really cost per row, for the next chunk of the same piece.
      p.cost.perRow = Math.max(1, Math.ceil((cells.bytes / p.rows) * MEASURED_MARGIN));
    });
    // An occupied output area: its values and formulas for the message (an empty one is already empty).
    for (const { index, areas } of probes)
      if (!areas.every((a) => a.isNullObject)) queue.push(...piecesOf(targets[index], index));
    // A column that was empty ahead but holds cells below: those cells (or the whole block if scattered).
    for (const { index, rect, areas } of columnProbes) {
      const t = targets[index];
      const found = areaRects(areas)
        .map((x) => intersection(x, rect))
        .filter((x): x is Rect => !!x);
      const rects = found.length > PROBE_AREA_PIECES ? [boundingRect(found)] : found;
      for (const x of rects)
        queue.push({
          sheet: t.rect!.sheet,
          ...x,
          formulas: false,
          members: [{ index, col: x.col, cols: x.cols }],
          cost: { perRow: Math.max(3 * x.cols, Math.ceil((t.perRow * x.cols) / t.rect!.cols)) },
        });
    }
    for (const { index, base, head } of dims) {
      const pre = takeHead(base, head);
      targets[index] = fromAhead(pre?.rect ?? null, pre, false);
      queue.push(...sheetPieces(index));
    }
  }

  return {
    ranges: request.ranges.map((req, i) => {
      const out: ReadResult["ranges"][number] = { key: req.key, values: targets[i].values };
      if (req.formulas) out.formulas = targets[i].formulaRows;
      const m = merged[i];
      if (m) out.merged = !m.isNullObject && m.areaCount > 0;
      return out;
    }),
    sheets: used.map(({ name }, k) => ({ sheet: name, values: fromA1(targets[n + k], parts.get(n + k)) })),
  };
}

/**
 * Ranges one read sync asks for at most: each is a range and its query in the request (some 400
 * bytes), so the request stays far under the 5 MB limit however many small parts a sheet needs.
 */
const PIECES_PER_SYNC = 5_000;
/** How far over the read budget the last chunk of a read may go (see takeGroup). */
const TAIL_SHARE = 1.05;

/** Takes row chunks off the queue's front until their expected answer fills the budget (at least one row). */
function takeGroup(queue: Piece[], budget: number): Piece[] {
  const group: Piece[] = [];
  // A small rest is read with the chunk before it rather than in a sync of its own: every expectation
  // is already above what was measured, so 5 % over the budget still answers far under the limit.
  const left = queue.reduce((sum, p) => sum + p.rows * p.cost.perRow, 0);
  if (left <= budget * TAIL_SHARE && queue.length <= PIECES_PER_SYNC) return queue.splice(0);
  while (queue.length && group.length < PIECES_PER_SYNC) {
    const p = queue[0];
    const perRow = p.cost.perRow;
    const fit = Math.floor(budget / perRow);
    if (fit < 1 && group.length > 0) break;
    const rows = Math.min(Math.max(1, fit), p.rows);
    group.push({ ...p, rows });
    budget -= rows * perRow;
    if (rows === p.rows) queue.shift();
    else queue[0] = { ...p, row: p.row + rows, rows: p.rows - rows };
  }
  return group;
}

/**
 * A used range's cells as read from A1: rows and columns before it are empty, and so are the cells of a
 * sheet read in parts that no part covered.
 */
function fromA1(t: Target, split?: { whole: SheetRect; parts: Target[] }): RawCell[][] {
  if (split) {
    const { whole } = split;
    const out = Array.from({ length: whole.row + whole.rows }, () =>
      new Array<RawCell>(whole.col + whole.cols).fill(null),
    );
    for (const part of [t, ...split.parts])
      part.values.forEach((line, r) =>
        line.forEach((v, c) => (out[part.rect!.row + r][part.rect!.col + c] = v)),
      );
    return out;
  }
  if (!t.rect) return [];
  const { row, col, cols } = t.rect;
  const width = col + cols;
  const out: RawCell[][] = [];
  for (let r = 0; r < row; r++) out.push(new Array<RawCell>(width).fill(null));
  for (const line of t.values) out.push([...new Array<RawCell>(col).fill(null), ...line]);
  return out;
}
