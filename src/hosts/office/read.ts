/**
 * The chunked read: what the read-ahead (read-ahead.ts) left is read in as few syncs as Excel on the
 * web's 5 MB response limit allows.
 *
 * - Chunks: the rows left are cut into as few row chunks as the budget allows, filled evenly; a range's
 *   expectation starts from what its rows read ahead answered (or a guess) and becomes the bytes per
 *   row its previous chunk really returned, raised by the margin its densest rows ask for
 *   (measureRows). Measured rows may fill 97 % of the limit, guesses the read budget. A response over
 *   the limit (ResponsePayloadSizeLimitExceeded) is read again in smaller chunks: a read changes nothing.
 * - Less per cell: an output area that must be empty is first asked for its constant and formula cells
 *   as areas, and its values and formulas are read only when it holds any. So are a range's columns
 *   that were empty in every row read ahead (the months after the reporting period): below the
 *   read-ahead they are asked for their cells as areas, and only cells found there are read.
 * - Less per row: ranges side by side on the same rows (Poster, Radtyp, Budget, Utfall) are read as one
 *   range, since every range answers its own brackets on every row.
 */
import { nameKey, sameName } from "../../workbook/a1";
import type { RawCell, ReadRequest, ReadResult, Rect, SheetRect } from "../../workbook/types";
import {
  type AheadRows,
  areaRects,
  boundingRect,
  FIRST_READ_SHARE,
  GUESS_CELL_BYTES,
  intersection,
  measureRows,
  queueCells,
  type QueuedCells,
  queueHead,
  type ReadAhead,
  SHEET_SAMPLE_ROWS,
  takeCells,
  takeHead,
  TYPED_READ_CELLS,
} from "./read-ahead";

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
  /** Whether perRow comes from rows read (ahead), not from a guess. */
  measured: boolean;
}

/** The expected answer per row of a piece, shared by the pieces cut from it (measured after each chunk). */
interface Cost {
  perRow: number;
  /** From rows read with their measured margin: such chunks may fill MEASURED_FILL of the budget. */
  measured: boolean;
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
    sameName(a.sheet, b.sheet) && a.row === b.row && a.col === b.col && a.rows === b.rows && a.cols === b.cols
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
      measured: t.measured,
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
  const { bytes, margin } = measureRows(head);
  return Math.max(3 * cols, (bytes / rows) * (1 + margin));
}

/** Pieces on the same rows of a sheet whose columns touch, as one (values only). */
function band(pieces: Piece[]): Piece[] {
  const key = (p: Piece) => `${nameKey(p.sheet)}|${p.row}|${p.rows}|${p.formulas}`;
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
        cost: {
          perRow: Math.max(3 * (last.cols + p.cols), last.cost.perRow + p.cost.perRow - 3),
          measured: last.cost.measured && p.cost.measured,
        },
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

/** Reads a request's ranges and sheets in chunks; one instance per read. */
export async function readCells(rc: ReadContext, request: ReadRequest): Promise<ReadResult> {
  return new ChunkedRead(rc, request).run();
}

/** What the first sync asks for besides cells, and reads after it. */
interface FirstSyncExtras {
  probes: { index: number; areas: Excel.RangeAreas[] }[];
  columnProbes: ColumnProbe[];
  dims: { index: number; base: Excel.Range; head: QueuedCells }[];
}

class ChunkedRead {
  private readonly sheets = new Map<string, Excel.Worksheet>();
  /** The requested ranges (0..n-1), then the asked-for sheets' used ranges, then parts of sheets. */
  private readonly targets: Target[];
  private readonly n: number;
  private readonly used: { name: string; exists: boolean }[];
  /** Large output areas that must be empty: their constant and formula cells, as areas, first. */
  private readonly probed: { r: ReadRequest["ranges"][number]; index: number }[];
  /** A sheet with needed cells: its target keeps the rows read ahead, parts read the needed cells below. */
  private readonly neededOf: Map<string, Rect[]>;
  private readonly parts = new Map<number, { whole: SheetRect; parts: Target[] }>();
  private readonly emptyColumns: { index: number; rect: Rect }[] = [];
  private readonly merged: (Excel.RangeAreas | null)[] = [];

  constructor(
    private readonly rc: ReadContext,
    private readonly request: ReadRequest,
  ) {
    const { ahead } = rc;
    this.n = request.ranges.length;
    this.used = request.sheets.map((name) => ({
      name: rc.sheetName(name) ?? name,
      exists: !!rc.sheetName(name),
    }));
    this.targets = [
      ...request.ranges.map((r) =>
        fromAhead(
          r.rect,
          r.formulas ? undefined : ahead?.ranges.find((a) => sameRect(a.rect, r.rect)),
          r.formulas,
        ),
      ),
      ...this.used.map(({ name, exists }) => {
        const pre = exists ? ahead?.used.get(nameKey(name)) : undefined;
        return fromAhead(pre?.rect ?? null, pre, false);
      }),
    ];
    this.probed = request.ranges
      .map((r, index) => ({ r, index }))
      .filter(({ r }) => r.formulas && r.rect.rows * r.rect.cols > TYPED_READ_CELLS);
    this.neededOf = new Map((request.needed ?? []).map((x) => [nameKey(x.sheet), x.rects]));
  }

  async run(): Promise<ReadResult> {
    let queue = band(this.initialPieces());
    let first = true;
    while (queue.length || first) {
      const group = takeGroup(queue, this.rc.readBytes);
      const loaded = group.map((p) =>
        queueCells(
          this.sheetOf(p.sheet).getRangeByIndexes(p.row, p.col, p.rows, p.cols),
          p.rows * p.cols,
          p.formulas,
        ),
      );
      const extras = first ? this.queueFirstSyncExtras() : null;
      if (extras && !group.length && !extras.probes.length && !extras.dims.length && !extras.columnProbes.length && !this.merged.some(Boolean)) break; // prettier-ignore
      try {
        // One sync per response-sized chunk: the loop is over chunks bounded by bytes, never over lines.
        await this.rc.context.sync();
      } catch (e) {
        queue = [...this.retried(e, group), ...queue];
        continue;
      }
      first = false;
      group.forEach((p, k) => this.scatter(p, takeCells(loaded[k], p)));
      if (extras) queue.push(...this.followUps(extras));
    }
    return this.result();
  }

  private sheetOf(name: string): Excel.Worksheet {
    if (!this.sheets.has(name)) this.sheets.set(name, this.rc.context.workbook.worksheets.getItem(name));
    return this.sheets.get(name)!;
  }

  /** The pieces of the first read, and the columns to probe (empty in every row read ahead). */
  private initialPieces(): Piece[] {
    const { targets, n } = this;
    const probedSet = new Set(this.probed.map((p) => p.index));
    const initial: Piece[] = [];
    const firstTargets = targets.length;
    for (let i = 0; i < firstTargets; i++) {
      if (i >= n) {
        initial.push(...this.sheetPieces(i));
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
        this.emptyColumns.push({
          index: i,
          rect: { row: below, col: run.col, rows: t.rect!.rows - t.head, cols: run.cols },
        });
    }
    return initial;
  }

  /** A sheet's pieces: all of its used range, or only its needed cells below the rows read ahead. */
  private sheetPieces(index: number): Piece[] {
    const t = this.targets[index];
    const rects = this.neededOf.get(nameKey(this.used[index - this.n].name));
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
      part.measured = t.measured;
      allocate(part);
      this.targets.push(part);
      own.push(part);
      for (const piece of piecesOf(part, this.targets.length - 1)) {
        // What the same columns answered in the sheet's rows read ahead.
        if (head) piece.cost.perRow = sliceBytesPerRow(t.values, head, piece.col - whole.col, piece.cols);
        pieces.push(piece);
      }
    }
    this.parts.set(index, { whole, parts: own });
    return pieces;
  }

  /** Merged areas, probes and the used ranges the read-ahead did not cover: queued on the first sync. */
  private queueFirstSyncExtras(): FirstSyncExtras {
    const { rc, request, targets } = this;
    request.ranges.forEach((r, i) => {
      const { sheet, row, col, rows, cols } = r.rect;
      // Merged cells matter where the refresh will write (the output areas, read with formulas).
      this.merged[i] =
        rc.canMerge && r.formulas
          ? this.sheetOf(sheet)
              .getRangeByIndexes(row, col, rows, cols)
              .getMergedAreasOrNullObject()
              .load("areaCount")
          : null;
    });
    const occupied = (sheet: string, x: Rect) => {
      const range = this.sheetOf(sheet).getRangeByIndexes(x.row, x.col, x.rows, x.cols);
      return [
        range.getSpecialCellsOrNullObject("Constants").load("address"),
        range.getSpecialCellsOrNullObject("Formulas").load("address"),
      ];
    };
    // Used ranges the read-ahead did not cover: their address and first rows.
    const unknownUsed = this.used
      .map((u, k) => ({ ...u, index: this.n + k }))
      .filter((u) => u.exists && !rc.ahead?.used.has(nameKey(u.name)));
    return {
      probes: this.probed.map(({ r, index }) => ({ index, areas: occupied(r.rect.sheet, r.rect) })),
      columnProbes: this.emptyColumns.map(({ index, rect }) => ({
        index,
        rect,
        areas: occupied(targets[index].rect!.sheet, rect),
      })),
      dims: unknownUsed.map((u) => {
        const base = this.sheetOf(u.name).getUsedRangeOrNullObject(true);
        return { index: u.index, base, head: queueHead(base, SHEET_SAMPLE_ROWS) };
      }),
    };
  }

  /** The group to read again after a failed sync, each piece expected to cost more (or the error). */
  private retried(e: unknown, group: Piece[]): Piece[] {
    const code = (e as { code?: string }).code;
    if (code !== "ResponsePayloadSizeLimitExceeded" || group.every((p) => p.rows === 1)) throw e;
    // The answer was at least 5 MB: the same rows are expected to cost at least twice the budget,
    // so the retried chunk is at most half of this one (also when this one did not fill the budget).
    const expected = group.reduce((sum, p) => sum + p.rows * p.cost.perRow, 0);
    const factor = Math.max(2, (2 * this.rc.readBytes) / expected);
    for (const cost of new Set(group.map((p) => p.cost))) {
      cost.perRow *= factor;
      cost.measured = false;
    }
    return group;
  }

  /** A piece's cells into the targets it was read for, and its measured cost for the next chunk. */
  private scatter(p: Piece, cells: ReturnType<typeof takeCells>): void {
    for (const m of p.members) {
      const t = this.targets[m.index];
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
    p.cost.perRow = Math.max(1, (cells.bytes / p.rows) * (1 + cells.margin));
    p.cost.measured = true;
  }

  /** What the first sync's probes and used ranges found to read next. */
  private followUps({ probes, columnProbes, dims }: FirstSyncExtras): Piece[] {
    const { targets } = this;
    const next: Piece[] = [];
    // An occupied output area: its values and formulas for the message (an empty one is already empty).
    for (const { index, areas } of probes)
      if (!areas.every((a) => a.isNullObject)) next.push(...piecesOf(targets[index], index));
    // A column that was empty ahead but holds cells below: those cells (or the whole block if scattered).
    for (const { index, rect, areas } of columnProbes) {
      const t = targets[index];
      const found = areaRects(areas)
        .map((x) => intersection(x, rect))
        .filter((x): x is Rect => !!x);
      const rects = found.length > PROBE_AREA_PIECES ? [boundingRect(found)] : found;
      for (const x of rects)
        next.push({
          sheet: t.rect!.sheet,
          ...x,
          formulas: false,
          members: [{ index, col: x.col, cols: x.cols }],
          // Cells typed in a column that was empty ahead: their length is not known.
          cost: {
            perRow: Math.max(3 * x.cols, Math.ceil((t.perRow * x.cols) / t.rect!.cols)),
            measured: false,
          },
        });
    }
    for (const { index, base, head } of dims) {
      const pre = takeHead(base, head);
      targets[index] = fromAhead(pre?.rect ?? null, pre, false);
      next.push(...this.sheetPieces(index));
    }
    return next;
  }

  private result(): ReadResult {
    const { request, targets, n } = this;
    return {
      ranges: request.ranges.map((req, i) => {
        const out: ReadResult["ranges"][number] = { key: req.key, values: targets[i].values };
        if (req.formulas) out.formulas = targets[i].formulaRows;
        const m = this.merged[i];
        if (m) out.merged = !m.isNullObject && m.areaCount > 0;
        return out;
      }),
      sheets: this.used.map(({ name }, k) => ({
        sheet: name,
        values: fromA1(targets[n + k], this.parts.get(n + k)),
      })),
    };
  }
}

/** A target from its rows read ahead (or a guess of its bytes per row). */
function fromAhead(rect: SheetRect | null, pre: AheadRows | null | undefined, formulas: boolean): Target {
  return {
    rect,
    formulas,
    values: pre ? [...pre.values] : [],
    formulaRows: [],
    head: pre ? pre.values.length : 0,
    measured: !!pre,
    perRow: pre
      ? Math.max(1, pre.bytesPerRow * (1 + pre.margin))
      : rect
        ? guessPerRow(rect.cols, formulas)
        : 1,
  };
}

/**
 * Ranges one read sync asks for at most: each is a range and its query in the request (some 400
 * bytes), so the request stays far under the 5 MB limit however many small parts a sheet needs.
 */
const PIECES_PER_SYNC = 5_000;
/** How far over the read budget the last chunk of a read sized by guesses may go (see takeGroup). */
const TAIL_SHARE = 1.05;
/**
 * How much of the response limit chunks of measured rows may fill, as a share of the read budget: the
 * budget (4.5 MB, 90 % of the 5 MB limit) keeps room for guesses, while measured rows carry their own
 * margin (measureRows), so they may fill 97 % of the limit.
 */
const MEASURED_FILL = 0.97 / 0.9;
/**
 * What a range read answers besides its cells: its Instantiate and query results and its two error-cell
 * RangeAreas (427 bytes a range, measured through the library on a sync of 1 000 small ranges), so a
 * sync of many small pieces stays under the limit too.
 */
const PIECE_ANSWER_BYTES = 450;

/**
 * Takes row chunks off the queue's front for one sync (at least one row). The rows left are known, so
 * they are cut into as few chunks as the budget allows and these are filled evenly: every chunk keeps
 * the same room under the limit, instead of full chunks and a small rest. Measured rows may fill
 * MEASURED_FILL of the budget; guessed rows count that much more, so guesses alone still fill the budget.
 */
function takeGroup(queue: Piece[], budget: number): Piece[] {
  const cap = budget * MEASURED_FILL;
  const weight = (p: Piece) => p.cost.perRow * (p.cost.measured ? 1 : MEASURED_FILL);
  const left = queue.reduce((sum, p) => sum + p.rows * weight(p) + PIECE_ANSWER_BYTES, 0);
  // A small rest of guessed rows is read with the chunk before it rather than in a sync of its own:
  // a guess is already above what such rows answer, so 5 % over the budget still answers under the limit.
  const tail = queue.some((p) => p.cost.measured) ? 1 : TAIL_SHARE;
  if (left <= cap * tail && queue.length <= PIECES_PER_SYNC) return queue.splice(0);
  let room = left / Math.ceil(left / cap);
  const group: Piece[] = [];
  while (queue.length && group.length < PIECES_PER_SYNC) {
    const p = queue[0];
    const perRow = weight(p);
    const fit = Math.floor((room - PIECE_ANSWER_BYTES) / perRow);
    if (fit < 1 && group.length > 0) break;
    const rows = Math.min(Math.max(1, fit), p.rows);
    group.push({ ...p, rows });
    room -= rows * perRow + PIECE_ANSWER_BYTES;
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
