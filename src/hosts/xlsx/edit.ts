/**
 * Edits cells of a user's worksheet part in place: the written cells are replaced or inserted (rows
 * created where missing, in order), the sheet's <dimension> and a touched row's `spans` grow to cover
 * them, and every other character of the part stays as it was.
 */
import type { CellStyle, PlanValue, SheetPlan } from "../../workbook/types";
import { writeCell as writeCellXml } from "./render";
import { cellsFrom, fastSheetData, walkCells, walkRows, type CellSpan, type RowSpan } from "./rows";
import { parseCellRef, parseRangeRef } from "./text";
import { columnName } from "./text";
import { StringOut, type XmlOut } from "./bytes";
import { attr, NS, scan, splicePieces, withAttrs, XmlTag, type Splice } from "./xml";

export interface CellWrite {
  /** undefined: keep the value, only restyle. */
  value?: PlanValue;
  hasValue: boolean;
  /** The new style index from the cell's current one (its own, else its row's or column's). */
  style: ((base: number) => number) | null;
}

/**
 * Cells to write, by 0-based row then column (a Map of Maps will do). `get` may build a row's cells
 * when it is asked for them, so that they need not all be held at once; `bounds`, when given, is the
 * rows and columns they cover.
 */
export interface SheetWrites {
  has(row: number): boolean;
  get(row: number): Map<number, CellWrite> | undefined;
  keys(): Iterable<number>;
  bounds?(): Bounds | null;
}

type Bounds = { r0: number; c0: number; r1: number; c1: number };

interface ExistingCell {
  col: number;
  start: number;
  end: number;
  /** The start tag of a cell the refresh writes; null for the others (only their place matters). */
  tag: XmlTag | null;
  /** The cell's current value XML (kept when only restyled). */
  inner: string;
}

/**
 * Writes the edited part to `out` in pieces (the whole text is never built), yielding after each piece
 * so the caller can wait for its deflater.
 */
export function* editSheet(xml: string, writes: SheetWrites, out: XmlOut): Generator<void> {
  const ed = sheetEditor(xml, writes);
  const range = ed.rows;
  if (!range) {
    for (const piece of splicePieces(xml, ed.found)) {
      out.text(piece);
      yield;
    }
    return;
  }
  // The fast walk: the part up to the rows, then the rows a stretch at a time (each stretch ends
  // after a </row>, so a row and the rows inserted before it fall in one stretch), then the rest.
  const piece = new Pieces(xml, out);
  piece.upTo(
    range.from,
    ed.found.filter((e) => e.start < range.to),
  );
  const close = `</${ed.prefix}row>`;
  for (let from = range.from; from < range.to;) {
    const at = xml.indexOf(close, Math.min(from + STRETCH, range.to));
    const to = at < 0 || at >= range.to ? range.to : at + close.length;
    piece.upTo(to, ed.walk(xml, from, to));
    from = to;
    yield;
  }
  piece.upTo(xml.length, [...ed.rest(range.to), ...ed.found.filter((e) => e.start >= range.to)]);
}

/**
 * A large part's text given as its frame (the part without the characters of its rows, which stood at
 * `at`) and its rows a stretch at a time, each ending after a row (Package.rowStretches): the edited
 * part is written as editSheet writes it, without the part's text ever being whole. `result.same` says
 * at the end whether the part came out as it was.
 */
export async function* editStretches(
  frame: string,
  at: number,
  stretches: AsyncIterable<string>,
  writes: SheetWrites,
  out: XmlOut,
  result: { same: boolean },
): AsyncGenerator<void> {
  const ed = sheetEditor(frame, writes);
  if (ed.rows?.from !== at || ed.rows.to !== at)
    throw new Error("the sheet's rows are not where they were read");
  result.same = true;
  const write = (text: string, edits: Splice[], from: number, to: number) => {
    if (result.same && edits.some((e) => !keeps(text, e))) result.same = false;
    for (const piece of splicePieces(text, edits, from, to)) out.text(piece);
  };
  write(
    frame,
    ed.found.filter((e) => e.start < at),
    0,
    at,
  );
  for await (const stretch of stretches) {
    write(stretch, ed.walk(stretch, 0, stretch.length), 0, stretch.length);
    yield;
  }
  write(frame, [...ed.rest(at), ...ed.found.filter((e) => e.start >= at)], at, frame.length);
}

/** Whether an edit leaves the text as it was. */
function keeps(text: string, e: Splice): boolean {
  return e.text.length === e.end - e.start && text.startsWith(e.text, e.start);
}

interface SheetEditor {
  /** The edits the scan found (all of them when the rows are not walked in stretches). */
  found: Splice[];
  /** The rows' characters, walked in stretches by walk(); null when the scan edited them itself. */
  rows: { from: number; to: number } | null;
  /** The prefix of the sheet's elements ("" or "x:"). */
  prefix: string;
  /** The edits of the rows of `text` between `from` and `to` (offsets in `text`), in the part's order. */
  walk(text: string, from: number, to: number): Splice[];
  /** The rows wanted after the last row of the part, inserted at `at`. */
  rest(at: number): Splice[];
}

/**
 * Scans the part for what precedes and follows its rows (<dimension>, <cols>, the rows themselves when
 * the fast walk cannot be used) and gives the edits; the rows of the fast walk are walked by `walk`.
 */
function sheetEditor(xml: string, writes: SheetWrites): SheetEditor {
  let edits: Splice[] = [];
  // The text the rows being walked are in: the part's, or a stretch of it.
  let src = xml;
  // Column styles from <cols> (18.3.1.13): the style a new cell in that column starts from.
  const cols: { min: number; max: number; style: number }[] = [];
  const rowsWanted = [...writes.keys()].sort((a, b) => a - b);
  let nextWanted = 0;
  let prefix = "";
  let row = -1;
  let rowTag: XmlTag | null = null;
  let rowStyle = 0;
  let col = -1;
  let cells: ExistingCell[] = [];
  let cellStart: { col: number; tag: XmlTag } | null = null;
  let dimension: XmlTag | null = null;
  // Every write is written once (into its row, or a row inserted for it): the cells' bounds are known
  // before the walk, so <dimension> can be written before the rows are.
  const bounds = boundsOf(writes);
  let fast: { from: number; to: number } | null = null;
  let onRows: (span: RowSpan) => void = () => undefined;
  const styleOf = (c: number, own: number | null) => {
    if (own !== null) return own;
    if (rowStyle) return rowStyle;
    return cols.find((x) => c >= x.min && c <= x.max)?.style ?? 0;
  };
  const newRows = (before: number, at: number) => {
    // Rows wanted that the part does not have, inserted before the row numbered `before`.
    let out = "";
    while (nextWanted < rowsWanted.length && rowsWanted[nextWanted] < before) {
      const r = rowsWanted[nextWanted++];
      rowStyle = 0;
      let line = "";
      eachTarget(writes.get(r)!, (c, w) => (line += writeCell(r, c, w, null)));
      out += `<${prefix}row r="${r + 1}">${line}</${prefix}row>`;
    }
    if (out) edits.push({ start: at, end: at, text: out });
  };
  const writeCell = (r: number, c: number, w: CellWrite, old: ExistingCell | null): string => {
    const tag = old?.tag ?? null;
    const own = tag ? attr(tag, "s") : undefined;
    const base = styleOf(c, own === undefined ? null : Number(own) || 0);
    const s = w.style ? w.style(base) : base;
    const keep = tag
      ? tag.attrs
          .filter((a) => !["r", "s", "t", "cm", "vm"].includes(a.qname))
          .map((a) => ` ${a.qname}="${a.raw}"`)
          .join("")
      : "";
    if (!w.hasValue && old) {
      const t = tag ? attr(tag, "t") : undefined;
      return `<${prefix}c r="${columnName(c)}${r + 1}"${s ? ` s="${s}"` : ""}${t ? ` t="${t}"` : ""}${keep}${old.inner ? `>${old.inner}</${prefix}c>` : "/>"}`;
    }
    const cell = new StringOut();
    writeCellXml(
      cell,
      prefix,
      (names[c] ??= columnName(c)),
      String(r + 1),
      s,
      w.hasValue ? (w.value ?? null) : null,
      keep,
    );
    return cell.value;
  };
  // Column letters by column (the same few columns on every row).
  const names: string[] = [];
  // The row's writes in column order: as the Map holds them when they were added so (no sorted copy).
  const eachTarget = (want: Map<number, CellWrite>, f: (c: number, w: CellWrite) => void) => {
    let ordered = true;
    let previous = -1;
    want.forEach((_, c) => {
      if (c <= previous) ordered = false;
      previous = c;
    });
    if (ordered) want.forEach((w, c) => f(c, w));
    else for (const [c, w] of [...want].sort((a, b) => a[0] - b[0])) f(c, w);
  };
  const finishRow = (rowEndStart: number) => {
    const want = writes.get(row);
    if (!want || !rowTag) return;
    // Cells come in column order (a Map per row only for a part that has them out of order).
    let ordered = true;
    for (let i = 1; i < cells.length && ordered; i++) ordered = cells[i].col > cells[i - 1].col;
    const byCol = ordered ? null : new Map(cells.map((c) => [c.col, c]));
    let j = 0;
    const existing = (c: number): ExistingCell | null => {
      if (byCol) return byCol.get(c) ?? null;
      while (j < cells.length && cells[j].col < c) j++;
      return j < cells.length && cells[j].col === c ? cells[j] : null;
    };
    let k = 0;
    const insertAt = (c: number) => {
      while (k < cells.length && cells[k].col < c) k++;
      return k < cells.length ? cells[k].start : rowEndStart;
    };
    let first = Infinity;
    let last = -1;
    eachTarget(want, (c, w) => {
      if (c < first) first = c;
      if (c > last) last = c;
      const old = existing(c);
      const text = writeCell(row, c, w, old);
      if (old) edits.push({ start: old.start, end: old.end, text });
      else {
        const at = insertAt(c);
        edits.push({ start: at, end: at, text });
      }
    });
    const spans = attr(rowTag, "spans");
    const set: Record<string, string> = {};
    if (spans && /^\d+:\d+$/.test(spans)) {
      const [a, b] = spans.split(":").map(Number);
      const lo = Math.min(a, first + 1);
      const hi = Math.max(b, last + 1);
      if (lo !== a || hi !== b) set.spans = `${lo}:${hi}`;
    }
    if (rowTag.selfClosing) {
      const open = withAttrs(src, rowTag, set).replace(/\s*\/>$/, ">");
      const body = edits
        .splice(edits.length - want.size, want.size)
        .map((e) => e.text)
        .join("");
      edits.push({ start: rowTag.start, end: rowTag.end, text: `${open}${body}</${rowTag.qname}>` });
    } else if (Object.keys(set).length)
      edits.push({ start: rowTag.start, end: rowTag.end, text: withAttrs(src, rowTag, set) });
  };
  scan(
    xml,
    (tag) => {
      if (tag.ns !== NS.main) return;
      if (tag.local === "dimension") dimension = tag;
      else if (tag.local === "col" && tag.depth === 2) {
        const style = Number(attr(tag, "style") ?? 0);
        if (style) cols.push({ min: Number(attr(tag, "min")) - 1, max: Number(attr(tag, "max")) - 1, style });
      } else if (tag.local === "sheetData") {
        prefix = tag.prefix ? `${tag.prefix}:` : "";
        const range = tag.selfClosing ? null : fastSheetData(xml, tag.start, tag.end, prefix);
        if (range) {
          // Its rows are walked after the scan, a stretch at a time, each written out as it is done.
          fast = range;
          const scope = tag.scope;
          const tagOf = (name: string, start: number, end: number, selfClosing: boolean) =>
            new XmlTag(
              src,
              start,
              end,
              prefix + name,
              tag.prefix,
              name,
              NS.main,
              selfClosing,
              2,
              start + prefix.length + name.length + 1,
              selfClosing ? end - 2 : end - 1,
              scope,
              null,
            );
          onRows = (span) => {
            row = span.row;
            newRows(row, span.start);
            if (rowsWanted[nextWanted] === row) nextWanted++;
            if (!writes.has(row)) return;
            rowTag = tagOf("row", span.start, span.tagEnd, span.selfClosing);
            rowStyle = ["1", "true"].includes(attr(rowTag, "customFormat") ?? "")
              ? Number(attr(rowTag, "s") ?? 0)
              : 0;
            const want = writes.get(row)!;
            cells = [];
            let last = -1;
            for (const c of want.keys()) if (c > last) last = c;
            // Past the last written column only the first cell matters (a cell is inserted before it).
            const keep = (c: CellSpan) =>
              (c.col <= last || !cells.length || cells[cells.length - 1].col <= last) &&
              cells.push({
                col: c.col,
                start: c.start,
                end: c.end,
                tag: want.has(c.col) ? tagOf("c", c.start, c.tagEnd, c.selfClosing) : null,
                inner: want.has(c.col) && !c.selfClosing ? src.slice(c.tagEnd, c.endStart) : "",
              });
            // Only the cells from the first written column on matter (where to insert, what to replace).
            const tail = cellsFrom(src, span, prefix, Math.min(...want.keys()), last);
            if (tail) tail.forEach(keep);
            else walkCells(src, span, prefix, keep);
            finishRow(span.selfClosing ? span.tagEnd : span.endStart);
            rowTag = null;
          };
          return range.to;
        }
        if (tag.selfClosing) {
          const save = edits.length;
          newRows(Infinity, tag.end);
          const body = edits
            .splice(save)
            .map((e) => e.text)
            .join("");
          edits.push({
            start: tag.start,
            end: tag.end,
            text: `${xml.slice(tag.start, tag.end).replace(/\s*\/>$/, ">")}${body}</${tag.qname}>`,
          });
        }
      } else if (tag.local === "row") {
        const r = attr(tag, "r");
        row = r === undefined ? row + 1 : Number(r) - 1;
        newRows(row, tag.start);
        if (rowsWanted[nextWanted] === row) nextWanted++;
        rowTag = tag;
        rowStyle = ["1", "true"].includes(attr(tag, "customFormat") ?? "") ? Number(attr(tag, "s") ?? 0) : 0;
        col = -1;
        cells = [];
      } else if (tag.local === "c" && rowTag && writes.has(row)) {
        const r = attr(tag, "r");
        const pos = r === undefined ? null : parseCellRef(r);
        col = pos ? pos.col : col + 1;
        cellStart = { col, tag };
      }
    },
    (tag, endStart, endEnd) => {
      if (tag.ns !== NS.main) return;
      if (tag.local === "c" && cellStart) {
        const want = writes.get(row);
        if (want) {
          const inner = want.has(cellStart.col) && !tag.selfClosing ? xml.slice(tag.end, endStart) : "";
          cells.push({ col: cellStart.col, start: tag.start, end: endEnd, tag, inner });
        }
        cellStart = null;
      } else if (tag.local === "row") {
        finishRow(tag.selfClosing ? tag.end : endStart);
        rowTag = null;
      } else if (tag.local === "sheetData" && !tag.selfClosing && !fast) newRows(Infinity, endStart);
    },
  );
  const dim = dimension as XmlTag | null;
  const b = bounds;
  if (dim && b) {
    const ref = attr(dim, "ref") ?? "";
    const old = parseRangeRef(ref);
    const r0 = Math.min(old?.row ?? b.r0, b.r0);
    const c0 = Math.min(old?.col ?? b.c0, b.c0);
    const r1 = Math.max(old ? old.row + old.rows - 1 : b.r1, b.r1);
    const c1 = Math.max(old ? old.col + old.cols - 1 : b.c1, b.c1);
    const next =
      r0 === r1 && c0 === c1
        ? `${columnName(c0)}${r0 + 1}`
        : `${columnName(c0)}${r0 + 1}:${columnName(c1)}${r1 + 1}`;
    if (next !== ref)
      edits.push({ start: dim.start, end: dim.end, text: withAttrs(xml, dim, { ref: next }) });
  }
  const found = edits;
  return {
    found,
    rows: fast as { from: number; to: number } | null,
    prefix,
    walk(text, from, to) {
      edits = [];
      src = text;
      walkRows(text, { from, to }, prefix, onRows, row);
      src = xml;
      return edits;
    },
    rest(at) {
      edits = [];
      newRows(Infinity, at);
      return edits;
    },
  };
}

/** Characters of the part walked between two yields of the fast walk (a few rows' worth). */
const STRETCH = 1 << 18;

/** The part written from its start up to an offset, with edits in that stretch applied (splicePieces' order). */
class Pieces {
  private at = 0;
  constructor(
    private readonly xml: string,
    private readonly out: XmlOut,
  ) {}

  upTo(to: number, edits: Splice[]): void {
    for (const piece of splicePieces(this.xml, edits, this.at, to)) this.out.text(piece);
    this.at = to;
  }
}

/** The rows and columns the writes cover (null when there are none). */
function boundsOf(writes: SheetWrites): Bounds | null {
  if (writes.bounds) return writes.bounds();
  let b: Bounds | null = null;
  for (const r of writes.keys()) for (const c of writes.get(r)!.keys()) b = grown(b, r, c);
  return b;
}

/** `b` grown to cover the cell (r, c); a new one when null. */
function grown(b: Bounds | null, r: number, c: number): Bounds {
  if (!b) return { r0: r, c0: c, r1: r, c1: c };
  if (r < b.r0) b.r0 = r;
  if (c < b.c0) b.c0 = c;
  if (r > b.r1) b.r1 = r;
  if (c > b.c1) b.c1 = c;
  return b;
}

/** The formats a plan applies (an empty rectangle or style applies none). */
const applied = (f: SheetPlan["formats"][number]) =>
  f.rect.rows > 0 && f.rect.cols > 0 && Object.keys(f.style).length > 0;

/**
 * The cells a plan writes on a user's sheet: values block by block, then formats in order (a cell's
 * style composed from each format over it). A plan of few blocks (every plan the product makes: a
 * column per output) gives each row's cells when the editor reaches the row, so a 20 000-line
 * ledger's writes are never all built; a plan of many is built whole.
 */
export function plannedWrites(sp: SheetPlan, xfFor: (base: number, style: CellStyle) => number): SheetWrites {
  const formats = sp.formats.filter(applied);
  return sp.values.length + formats.length > 64
    ? writesAtOnce(sp, formats, xfFor)
    : writesByRow(sp, formats, xfFor);
}

type Block = SheetPlan["values"][number];
type Format = SheetPlan["formats"][number];
type XfFor = (base: number, style: CellStyle) => number;

/** Row r of a value block into the row's writes. */
function putValues(line: Map<number, CellWrite>, block: Block, r: number): void {
  block.values[r]?.forEach((v, c) => {
    const w = cellAt(line, block.col + c);
    w.hasValue = true;
    w.value = v;
  });
}

/** A format over its columns of one row, composed with the styles before it. */
function putFormat(line: Map<number, CellWrite>, f: Format, xfFor: XfFor): void {
  for (let c = f.rect.col; c < f.rect.col + f.rect.cols; c++) {
    const w = cellAt(line, c);
    const before = w.style;
    w.style = (base) => xfFor(before ? before(base) : base, f.style);
  }
}

/** Every row's writes built now, one pass over the blocks and formats (a plan of many of them). */
function writesAtOnce(sp: SheetPlan, formats: Format[], xfFor: XfFor): SheetWrites {
  const writes = new Map<number, Map<number, CellWrite>>();
  const lineAt = (r: number) => writes.get(r) ?? writes.set(r, new Map()).get(r)!;
  for (const block of sp.values) block.values.forEach((_, r) => putValues(lineAt(block.row + r), block, r));
  for (const f of formats)
    for (let r = f.rect.row; r < f.rect.row + f.rect.rows; r++) putFormat(lineAt(r), f, xfFor);
  for (const [r, line] of writes) if (!line.size) writes.delete(r);
  return writes;
}

/** Each row's writes built when the editor reaches the row (the last one kept), from few blocks. */
function writesByRow(sp: SheetPlan, formats: Format[], xfFor: XfFor): SheetWrites {
  const rows = new Set<number>();
  let bounds: Bounds | null = null;
  const touch = (r: number, c: number) => {
    rows.add(r);
    bounds = grown(bounds, r, c);
  };
  for (const block of sp.values)
    block.values.forEach((line, r) => line.forEach((_, c) => touch(block.row + r, block.col + c)));
  for (const f of formats)
    for (let r = f.rect.row; r < f.rect.row + f.rect.rows; r++) {
      touch(r, f.rect.col);
      touch(r, f.rect.col + f.rect.cols - 1);
    }
  let lastRow = -1;
  let last: Map<number, CellWrite> | undefined;
  return {
    has: (row) => rows.has(row),
    keys: () => rows.keys(),
    bounds: () => bounds,
    get(row) {
      if (row === lastRow) return last;
      lastRow = row;
      if (!rows.has(row)) return (last = undefined);
      last = new Map();
      for (const block of sp.values) if (row >= block.row) putValues(last, block, row - block.row);
      for (const f of formats)
        if (row >= f.rect.row && row < f.rect.row + f.rect.rows) putFormat(last, f, xfFor);
      return last;
    },
  };
}

function cellAt(line: Map<number, CellWrite>, c: number): CellWrite {
  let w = line.get(c);
  if (!w) line.set(c, (w = { hasValue: false, style: null }));
  return w;
}
