/**
 * A fast walk over the rows and cells of a worksheet's <sheetData>, for the large parts: rows are found
 * by their tags and skipped whole when no cell of theirs is wanted, cells by their tags without looking
 * at their content. Used only when the sheetData holds nothing that could hide a tag (no comment, CDATA,
 * processing instruction or namespace declaration between its tags) and its elements use the prefix of
 * <sheetData>, which rows and cells then must (they cannot redeclare it); otherwise the callers use the
 * general scanner (xml.ts), which gives the same result more slowly.
 */
import { parseCellRef } from "./text";
import { unescapeXml, XmlError } from "./xml";

export interface RowSpan {
  /** 0-based row number. */
  row: number;
  start: number;
  /** One past the start tag's ">". */
  tagEnd: number;
  selfClosing: boolean;
  /** Start of "</row>" (tagEnd when self-closing) and one past its ">". */
  endStart: number;
  end: number;
}

export interface CellSpan {
  col: number;
  start: number;
  tagEnd: number;
  selfClosing: boolean;
  /** Start of "</c>" (tagEnd when self-closing) and one past its ">". */
  endStart: number;
  end: number;
}

/** What could hide a tag from the fast walk: a comment, CDATA or DOCTYPE, a processing instruction, a declaration. */
const HIDDEN = /<[!?]|xmlns/g;

/** The sheetData's content range and element prefix, when the fast walk applies; otherwise null. */
export function fastSheetData(
  text: string,
  sheetDataStart: number,
  sheetDataTagEnd: number,
  prefix: string,
): { from: number; to: number } | null {
  const close = `</${prefix}sheetData>`;
  const to = text.indexOf(close, sheetDataTagEnd);
  if (to < 0) return null;
  // One pass of a regular expression: an indexOf per marker costs five times as much ("<" is frequent).
  HIDDEN.lastIndex = sheetDataTagEnd;
  const hidden = HIDDEN.exec(text);
  if (hidden && hidden.index < to) return null;
  return sheetDataStart >= 0 ? { from: sheetDataTagEnd, to } : null;
}

const R_ATTR = /\sr\s*=\s*(?:"([^"]*)"|'([^']*)')/;

function tagEnd(text: string, p: number): number {
  for (let k = p; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x3e) return k + 1;
    if (c === 0x22 || c === 0x27) {
      k = text.indexOf(c === 0x22 ? '"' : "'", k + 1);
      if (k < 0) return -1;
    }
  }
  return -1;
}

function isBoundary(c: number): boolean {
  return c === 0x20 || c === 0x3e || c === 0x2f || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** The next start tag `<{qname}` at or after `from` and before `to`, or -1. */
function nextTag(text: string, open: string, from: number, to: number): number {
  let k = from;
  for (;;) {
    k = text.indexOf(open, k);
    if (k < 0 || k >= to) return -1;
    if (isBoundary(text.charCodeAt(k + open.length))) return k;
    k += open.length;
  }
}

function rAttr(text: string, start: number, end: number): string | undefined {
  const m = R_ATTR.exec(text.slice(start, end));
  return m ? unescapeXml(m[1] ?? m[2]) : undefined;
}

/**
 * A row tag's r="123" read from its characters (no slice, no regular expression: this runs for every
 * row of a large sheet), or -1 when the tag has no such plain attribute (rAttr reads it then).
 */
function plainRowNumber(text: string, start: number, end: number): number {
  const k = text.indexOf(' r="', start);
  if (k < 0 || k >= end) return -1;
  let n = 0;
  let i = k + 4;
  for (let c = text.charCodeAt(i); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++i)) n = n * 10 + c - 0x30;
  return i > k + 4 && i - k - 4 <= 9 && text.charCodeAt(i) === 0x22 ? n : -1;
}

/** Calls onRow for every row of the range, in order. A malformed row throws (the part is damaged). */
export function walkRows(
  text: string,
  range: { from: number; to: number },
  prefix: string,
  onRow: (row: RowSpan) => void,
  /** The row before the range (a first row without `r` follows it). */
  previous = -1,
): void {
  const open = `<${prefix}row`;
  const close = `</${prefix}row>`;
  let row = previous;
  let k = range.from;
  for (;;) {
    const start = nextTag(text, open, k, range.to);
    if (start < 0) return;
    const te = tagEnd(text, start + open.length);
    if (te < 0 || te > range.to || text.indexOf("<", start + 1) < te) throw new XmlError("a malformed row");
    const selfClosing = text.charCodeAt(te - 2) === 0x2f;
    const plain = plainRowNumber(text, start, te);
    const r = plain >= 0 ? plain : rAttr(text, start, te);
    row = r === undefined ? row + 1 : Number(r) - 1;
    if (!Number.isInteger(row) || row < 0) throw new XmlError("a bad row number");
    let endStart = te;
    let end = te;
    if (!selfClosing) {
      endStart = text.indexOf(close, te);
      if (endStart < 0 || endStart > range.to) throw new XmlError("an unclosed row");
      end = endStart + close.length;
    }
    onRow({ row, start, tagEnd: te, selfClosing, endStart, end });
    k = end;
  }
}

/**
 * The 0-based column of a cell tag's `r` attribute, read straight from the text (no allocation: this runs
 * for every cell of a large sheet), or -1 when the tag has no plain r="A1"-style attribute.
 */
function refColumn(text: string, start: number, end: number): number {
  let k = text.indexOf(" r=", start);
  if (k < 0 || k >= end) {
    const m = R_ATTR.exec(text.slice(start, end));
    return m ? (parseCellRef(unescapeXml(m[1] ?? m[2]))?.col ?? -2) : -1;
  }
  k += 4; // past ' r="'
  let col = 0;
  for (let c = text.charCodeAt(k); ; c = text.charCodeAt(++k)) {
    const up = c & ~32;
    if (up >= 65 && up <= 90) col = col * 26 + up - 64;
    else if (c === 0x24 /* $ */) continue;
    else break;
  }
  return col > 0 && col <= 16384 ? col - 1 : -2;
}

/**
 * Calls onCell for every cell of a row (columns of cells without `r` follow the previous cell). The span
 * object is reused from one cell to the next: copy what you keep.
 */
export function walkCells(
  text: string,
  row: RowSpan,
  prefix: string,
  onCell: (cell: CellSpan) => void,
): void {
  if (row.selfClosing) return;
  const open = `<${prefix}c`;
  const close = `</${prefix}c>`;
  const span: CellSpan = { col: -1, start: 0, tagEnd: 0, selfClosing: false, endStart: 0, end: 0 };
  let col = -1;
  let k = row.tagEnd;
  for (;;) {
    const start = nextTag(text, open, k, row.endStart);
    if (start < 0) return;
    const te = tagEnd(text, start + open.length);
    if (te < 0 || te > row.endStart || text.indexOf("<", start + 1) < te)
      throw new XmlError("a malformed cell");
    const selfClosing = text.charCodeAt(te - 2) === 0x2f;
    const c = refColumn(text, start, te);
    if (c === -2) throw new XmlError("a bad cell reference");
    col = c >= 0 ? c : col + 1;
    let endStart = te;
    let end = te;
    if (!selfClosing) {
      endStart = text.indexOf(close, te);
      if (endStart < 0 || endStart > row.endStart) throw new XmlError("an unclosed cell");
      end = endStart + close.length;
    }
    span.col = col;
    span.start = start;
    span.tagEnd = te;
    span.selfClosing = selfClosing;
    span.endStart = endStart;
    span.end = end;
    onCell(span);
    k = end;
  }
}

/**
 * The cells of a row from column `fromCol` on, found from the row's end backwards (the output columns
 * sit near the end of a ledger row, so only a few cells are looked at). Of the cells past `toCol` only
 * the first is given (what is written goes before it). Null when a cell on the way has no plain `r`
 * attribute: its column follows from the cells before it, so the caller walks forwards.
 */
export function cellsFrom(
  text: string,
  row: RowSpan,
  prefix: string,
  fromCol: number,
  toCol = Infinity,
): CellSpan[] | null {
  if (row.selfClosing) return [];
  const open = `<${prefix}c`;
  const close = `</${prefix}c>`;
  const out: CellSpan[] = [];
  let k = row.endStart;
  for (;;) {
    let start = text.lastIndexOf(open, k - 1);
    while (start >= row.tagEnd && !isBoundary(text.charCodeAt(start + open.length)))
      start = text.lastIndexOf(open, start - 1);
    if (start < row.tagEnd) break;
    const te = tagEnd(text, start + open.length);
    if (te < 0 || te > k || text.indexOf("<", start + 1) < te) throw new XmlError("a malformed cell");
    const col = refColumn(text, start, te);
    if (col === -1) return null;
    if (col === -2) throw new XmlError("a bad cell reference");
    if (col < fromCol) break;
    const selfClosing = text.charCodeAt(te - 2) === 0x2f;
    let endStart = te;
    let end = te;
    if (!selfClosing) {
      endStart = text.indexOf(close, te);
      if (endStart < 0 || endStart >= k) throw new XmlError("an unclosed cell");
      end = endStart + close.length;
    }
    const span = { col, start, tagEnd: te, selfClosing, endStart, end };
    // Walking backwards, a cell past toCol replaces the one found before it (which lies further right).
    if (col > toCol && out.length === 1 && out[0].col > toCol) out[0] = span;
    else out.push(span);
    k = start;
  }
  return out.reverse();
}
