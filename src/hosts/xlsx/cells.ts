/**
 * Reading cells from worksheet and shared-string parts (ECMA-376 Part 1, 18.3.1 sheetData, 18.4 shared
 * strings), namespace-aware and without building the sheet: the caller says which cells it wants and
 * gets each one as it is scanned, so memory follows the cells asked for, not the sheet's extent.
 */
import type { CellError, RawCell, Rect } from "../../workbook/types";
import { attr, NS, scan, textOf, unescapeOoxml, unescapeXml, type XmlTag } from "./xml";
import { type CellSpan, fastSheetData, walkCells, walkRows } from "./rows";
import { parseCellRef, parseRangeRef } from "./text";

export { parseCellRef, parseRangeRef };

/** The text of a string item (<si> or <is>): its <t>, or its runs' <t>, never the phonetic <rPh>. */
class StringItem {
  text = "";
  private phonetic = 0;
  private tStart = -1;
  start(tag: XmlTag): void {
    if (tag.local === "rPh") this.phonetic++;
    else if (tag.local === "t" && !this.phonetic) this.tStart = tag.selfClosing ? -1 : tag.end;
  }
  end(xml: string, tag: XmlTag, endStart: number): void {
    if (tag.local === "rPh") this.phonetic--;
    else if (tag.local === "t" && this.tStart >= 0) {
      this.text += textOf(xml, this.tStart, endStart);
      this.tStart = -1;
    }
  }
}

/** The shared string table as plain text, rich text flattened (formatting is not needed to read). */
export function parseSharedStrings(xml: string): string[] {
  const out: string[] = [];
  let item: StringItem | null = null;
  scan(
    xml,
    (tag) => {
      if (tag.local === "si" && tag.depth === 1) item = new StringItem();
      else item?.start(tag);
    },
    (tag, endStart) => {
      if (tag.local === "si" && tag.depth === 1 && item) {
        out.push(unescapeOoxml(item.text));
        item = null;
      } else item?.end(xml, tag, endStart);
    },
  );
  return out;
}

export interface ScannedCell {
  row: number;
  col: number;
  value: RawCell;
  /** The formula without "=", when the cell has one (a shared formula's dependents give the master's). */
  formula?: string;
  /** A formula with no calculated value saved (no or an empty `<v>`, and not a formula giving text). */
  uncalculated?: true;
}

export interface SheetFacts {
  protected: boolean;
  merges: Rect[];
  /**
   * The characters of <sheetData>'s rows (and the prefix of its elements) when the fast walk read them
   * (rows.ts): the in-place editor may then take the rows a stretch at a time (edit.ts).
   */
  rows: { from: number; to: number; prefix: string } | null;
}

/** An ISO 8601 date cell (t="d") as an Excel serial, or null when it is not a real date (2019-02-30). */
export function isoToSerial(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  const day = ms / 86400000 + 25569;
  const time = (Number(m[4] ?? 0) * 3600 + Number(m[5] ?? 0) * 60 + Number(m[6] ?? 0)) / 86400;
  // Excel's serials count the non-existent 1900-02-29 (serial 60).
  return day + time < 61 ? day + time - 1 : day + time;
}

function sharedString(i: number, strings: () => string[]): RawCell {
  const table = strings();
  return Number.isInteger(i) && i >= 0 && i < table.length ? table[i] : { error: "#REF!" };
}

/**
 * The value of `-?[0-9]{1,15}` between two offsets, as Number() would give it; NaN for anything else
 * (left to Number()). Fifteen digits always fit a double exactly.
 */
function plainInteger(xml: string, from: number, to: number): number {
  const neg = xml.charCodeAt(from) === 0x2d;
  let k = neg ? from + 1 : from;
  if (k === to || to - k > 15) return NaN;
  let n = 0;
  for (; k < to; k++) {
    const d = xml.charCodeAt(k) - 0x30;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return neg ? -n : n;
}

function cellValue(type: string, v: string | null, inline: string | null, strings: () => string[]): RawCell {
  switch (type) {
    case "s":
      return sharedString(v === null ? NaN : Number(v), strings);
    case "inlineStr":
      return inline === null || inline === ""
        ? v === null
          ? null
          : unescapeOoxml(v)
        : unescapeOoxml(inline);
    case "str":
      return v === null ? "" : unescapeOoxml(v);
    case "b":
      return v === null ? null : v.trim() === "1" || v.trim() === "true";
    case "e":
      return v === null ? null : ({ error: v.trim() } as CellError);
    case "d": {
      if (v === null) return null;
      return isoToSerial(v) ?? v;
    }
    default: {
      if (v === null || v.trim() === "") return null;
      const n = Number(v);
      return Number.isFinite(n) ? n : { error: "#NUM!" };
    }
  }
}

/**
 * Scans a worksheet part once. `want(row, col)` picks the cells to decode (others are skipped without
 * building anything); `onCell` receives them (the object may be reused for the next cell: copy what
 * you keep). Rows and cells without an `r` attribute follow the previous
 * one (18.3.1.73, 18.3.1.4).
 */
export function scanSheet(
  xml: string,
  strings: () => string[],
  want: (row: number, col: number) => boolean,
  onCell: (cell: ScannedCell) => void,
  /** Rows holding no wanted cell are skipped without looking at their cells. */
  wantRow: (row: number) => boolean = () => true,
  sharedFormulas = new Map<string, string>(),
  fast = true,
): SheetFacts {
  const facts: SheetFacts = { protected: false, merges: [], rows: null };
  let row = -1;
  let col = -1;
  let rowWanted = false;
  let cell: {
    type: string;
    row: number;
    col: number;
    v: string | null;
    f: string | null;
    fTag: XmlTag | null;
  } | null = null;
  let vStart = -1;
  let fStart = -1;
  let inline: StringItem | null = null;
  scan(
    xml,
    (tag) => {
      if (tag.ns !== NS.main) return;
      switch (tag.local) {
        case "sheetData": {
          const range =
            tag.selfClosing || !fast
              ? null
              : fastSheetData(xml, tag.start, tag.end, tag.prefix ? `${tag.prefix}:` : "");
          if (!range) return;
          facts.rows = { ...range, prefix: tag.prefix ? `${tag.prefix}:` : "" };
          fastCells(xml, range, facts.rows.prefix, {
            strings,
            want,
            wantRow,
            onCell,
            sharedFormulas,
          });
          return range.to;
        }
        case "row": {
          const r = attr(tag, "r");
          row = r === undefined ? row + 1 : Number(r) - 1;
          col = -1;
          rowWanted = wantRow(row);
          return;
        }
        case "c": {
          if (!rowWanted) return;
          const r = attr(tag, "r");
          const pos = r === undefined ? null : parseCellRef(r);
          col = pos ? pos.col : col + 1;
          if (pos) row = pos.row;
          cell = want(row, col)
            ? { type: attr(tag, "t") ?? "n", row, col, v: null, f: null, fTag: null }
            : null;
          if (cell && tag.selfClosing) cell.v = null;
          return;
        }
        case "v":
          if (cell) vStart = tag.selfClosing ? -1 : tag.end;
          return;
        case "f":
          if (cell) {
            cell.fTag = tag;
            fStart = tag.selfClosing ? -1 : tag.end;
            if (tag.selfClosing) cell.f = "";
          }
          return;
        case "is":
          if (cell) inline = new StringItem();
          return;
        case "sheetProtection": {
          const s = attr(tag, "sheet");
          facts.protected = s === "1" || s === "true";
          return;
        }
        case "mergeCell": {
          const rect = parseRangeRef(attr(tag, "ref") ?? "");
          if (rect) facts.merges.push(rect);
          return;
        }
        default:
          inline?.start(tag);
      }
    },
    (tag, endStart) => {
      if (!cell || tag.ns !== NS.main) return;
      switch (tag.local) {
        case "v":
          if (vStart >= 0) cell.v = textOf(xml, vStart, endStart);
          vStart = -1;
          return;
        case "f":
          if (fStart >= 0) cell.f = textOf(xml, fStart, endStart);
          fStart = -1;
          return;
        case "is":
          return;
        case "c": {
          const c = cell;
          cell = null;
          const value = cellValue(c.type, c.v, inline?.text ?? null, strings);
          inline = null;
          const out: ScannedCell = { row: c.row, col: c.col, value };
          if (c.fTag) {
            out.formula = formulaText(c.fTag, c.f ?? "", sharedFormulas);
            if (!c.v && c.type !== "str") out.uncalculated = true;
          }
          onCell(out);
          return;
        }
        default:
          inline?.end(xml, tag, endStart);
      }
    },
  );
  return facts;
}

/** A cell's formula text; a shared formula's dependent cell reports its master's text (not shifted). */
function formulaText(tag: XmlTag, text: string, shared: Map<string, string>): string {
  const t = attr(tag, "t");
  if (t === "shared") {
    const si = attr(tag, "si") ?? "";
    if (text) shared.set(si, text);
    return text || shared.get(si) || "SHARED()";
  }
  if (t === "dataTable") return text || "TABLE()";
  return text;
}

interface CellSink {
  strings: () => string[];
  want: (row: number, col: number) => boolean;
  wantRow: (row: number) => boolean;
  onCell: (cell: ScannedCell) => void;
  sharedFormulas: Map<string, string>;
}

const T_ATTR = /\st\s*=\s*(?:"([^"]*)"|'([^']*)')/;

/** A cell tag's t attribute ("n" when absent), without allocating in the common t="s" case. */
function cellType(xml: string, start: number, end: number): string {
  // Most cells are numbers without t: a tag with no "t" in it is told in a few characters, where a
  // search for ' t="' would run on into the cells after it.
  let k = start + 2;
  while (k < end && xml.charCodeAt(k) !== 0x74) k++;
  if (k === end) return "n";
  k = xml.indexOf(' t="', start);
  if (k >= 0 && k < end) {
    const q = xml.indexOf('"', k + 4);
    if (q === k + 5 && xml.charCodeAt(k + 4) === 0x73) return "s";
    return unescapeXml(xml.slice(k + 4, q));
  }
  const t = T_ATTR.exec(xml.slice(start, end));
  return t ? unescapeXml(t[1] ?? t[2]) : "n";
}

interface InlineTags {
  cell: string;
  is: string;
  t: string;
  tPreserve: string;
  close: string;
}

export function inlineTags(p: string): InlineTags {
  return {
    cell: `<${p}c r="`,
    is: `<${p}is>`,
    t: `<${p}t>`,
    tPreserve: `<${p}t xml:space="preserve">`,
    close: `</${p}t></${p}is>`,
  };
}

/**
 * The text of `<c r="A1" [s="n"] t="inlineStr"><is><t>text</t></is></c>` whose reference is the cell's
 * own place, the form the reports write; null for any other cell (the general scanner reads those).
 * Read from the characters: this runs for every text cell of a report read back. (Exported for its test,
 * which checks that the cells writeCell writes take this path.)
 */
export function plainInline(xml: string, cell: CellSpan, row: number, tags: InlineTags): string | null {
  if (cell.selfClosing || !xml.startsWith(tags.cell, cell.start)) return null;
  let k = cell.start + tags.cell.length;
  let col = 0;
  for (let c = xml.charCodeAt(k); c >= 0x41 && c <= 0x5a; c = xml.charCodeAt(++k)) col = col * 26 + c - 0x40;
  let r = 0;
  const digits = k;
  for (let c = xml.charCodeAt(k); c >= 0x30 && c <= 0x39; c = xml.charCodeAt(++k)) r = r * 10 + c - 0x30;
  if (col - 1 !== cell.col || r - 1 !== row || xml.charCodeAt(digits) === 0x30 || k - digits > 7) return null;
  if (xml.startsWith('" s="', k)) {
    k += 5;
    const from = k;
    while (xml.charCodeAt(k) >= 0x30 && xml.charCodeAt(k) <= 0x39) k++;
    if (k === from) return null;
    k++;
  } else k++;
  // k is one past the reference's (or the style's) closing quote.
  if (xml.charCodeAt(k - 1) !== 0x22 || !xml.startsWith(' t="inlineStr">', k)) return null;
  k += 15;
  if (k !== cell.tagEnd || !xml.startsWith(tags.is, k)) return null;
  k += tags.is.length;
  if (xml.startsWith(tags.t, k)) k += tags.t.length;
  else if (xml.startsWith(tags.tPreserve, k)) k += tags.tPreserve.length;
  else return null;
  const lt = xml.indexOf("<", k);
  if (lt < 0 || lt + tags.close.length !== cell.endStart || !xml.startsWith(tags.close, lt)) return null;
  return unescapeXml(xml.slice(k, lt));
}

/** The fast path of scanSheet over a sheetData that rows.ts can walk. */
function fastCells(xml: string, range: { from: number; to: number }, p: string, sink: CellSink): void {
  const vOpen = `<${p}v>`;
  const vClose = `</${p}v>`;
  const decl = p ? `xmlns:${p.slice(0, -1)}` : "xmlns";
  // One object for every plain cell (onCell copies what it keeps): no allocation per cell.
  const out: ScannedCell = { row: 0, col: 0, value: null };
  const inline = inlineTags(p);
  walkRows(xml, range, p, (row) => {
    if (!sink.wantRow(row.row)) return;
    walkCells(xml, row, p, (cell) => {
      if (!sink.want(row.row, cell.col)) return;
      // The common cell, <c …><v>text</v></c> or empty, read without a regular expression.
      let v: string | null = null;
      let type: string | null = null;
      let simple = cell.selfClosing || cell.tagEnd === cell.endStart;
      if (!simple && xml.startsWith(vOpen, cell.tagEnd)) {
        const from = cell.tagEnd + vOpen.length;
        const lt = xml.indexOf("<", from);
        if (lt + vClose.length === cell.endStart && xml.startsWith(vClose, lt)) {
          type = cellType(xml, cell.start, cell.tagEnd);
          // A plain integer (most amounts, every shared-string index) is read from the characters.
          const n = type === "n" || type === "s" ? plainInteger(xml, from, lt) : NaN;
          if (!Number.isNaN(n)) {
            out.row = row.row;
            out.col = cell.col;
            out.value = type === "n" ? n : sharedString(n, sink.strings);
            sink.onCell(out);
            return;
          }
          simple = true;
          v = unescapeXml(xml.slice(from, lt));
        }
      }
      if (simple) {
        out.row = row.row;
        out.col = cell.col;
        out.value = cellValue(type ?? cellType(xml, cell.start, cell.tagEnd), v, null, sink.strings);
        sink.onCell(out);
        return;
      }
      // An inline string as the reports write it (every text cell of theirs), read without a scanner.
      const text = plainInline(xml, cell, row.row, inline);
      if (text !== null) {
        out.row = row.row;
        out.col = cell.col;
        out.value = cellValue("inlineStr", null, text, sink.strings);
        sink.onCell(out);
        return;
      }
      // Formulas, rich strings, anything else: the general scanner on this one cell.
      const one = `<${p}worksheet ${decl}="${NS.main}"><${p}sheetData><${p}row r="${row.row + 1}">${xml.slice(cell.start, cell.end)}</${p}row></${p}sheetData></${p}worksheet>`;
      scanSheet(
        one,
        sink.strings,
        () => true,
        (c) => sink.onCell({ ...c, col: cell.col }),
        () => true,
        sink.sharedFormulas,
        false,
      );
    });
  });
}
