/**
 * Reading cells from worksheet and shared-string parts (ECMA-376 Part 1, 18.3.1 sheetData, 18.4 shared
 * strings), namespace-aware and without building the sheet: the caller says which cells it wants and
 * gets each one as it is scanned, so memory follows the cells asked for, not the sheet's extent.
 */
import type { CellError, RawCell, Rect } from "../../workbook/types";
import { attr, NS, scan, textOf, unescapeOoxml, type XmlTag } from "./xml";
import { colNumber } from "./text";

/** "AB12" → { row: 11, col: 27 } (0-based), or null when it is not a cell reference. */
export function parseCellRef(ref: string): { row: number; col: number } | null {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(ref);
  if (!m) return null;
  const row = Number(m[2]) - 1;
  const col = colNumber(m[1]) - 1;
  return row >= 0 && row < 1048576 && col < 16384 ? { row, col } : null;
}

export function parseRangeRef(ref: string): Rect | null {
  const [a, b = a] = ref.split(":");
  const s = parseCellRef(a);
  const e = parseCellRef(b);
  if (!s || !e) return null;
  const row = Math.min(s.row, e.row);
  const col = Math.min(s.col, e.col);
  return { row, col, rows: Math.abs(e.row - s.row) + 1, cols: Math.abs(e.col - s.col) + 1 };
}

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
}

export interface SheetFacts {
  protected: boolean;
  merges: Rect[];
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

function cellValue(type: string, v: string | null, inline: string | null, strings: () => string[]): RawCell {
  switch (type) {
    case "s": {
      const i = v === null ? NaN : Number(v);
      const table = strings();
      return Number.isInteger(i) && i >= 0 && i < table.length ? table[i] : { error: "#REF!" };
    }
    case "inlineStr":
      return inline === null || inline === "" ? (v === null ? null : unescapeOoxml(v)) : unescapeOoxml(inline);
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
 * building anything); `onCell` receives them. Rows and cells without an `r` attribute follow the previous
 * one (18.3.1.73, 18.3.1.4).
 */
export function scanSheet(
  xml: string,
  strings: () => string[],
  want: (row: number, col: number) => boolean,
  onCell: (cell: ScannedCell) => void,
): SheetFacts {
  const facts: SheetFacts = { protected: false, merges: [] };
  const sharedFormulas = new Map<string, string>();
  let row = -1;
  let col = -1;
  let cell: { type: string; row: number; col: number; v: string | null; f: string | null; fTag: XmlTag | null } | null = null;
  let vStart = -1;
  let fStart = -1;
  let inline: StringItem | null = null;
  scan(
    xml,
    (tag) => {
      if (tag.ns !== NS.main) return;
      switch (tag.local) {
        case "row": {
          const r = attr(tag, "r");
          row = r === undefined ? row + 1 : Number(r) - 1;
          col = -1;
          return;
        }
        case "c": {
          const r = attr(tag, "r");
          const pos = r === undefined ? null : parseCellRef(r);
          col = pos ? pos.col : col + 1;
          if (pos) row = pos.row;
          cell = want(row, col) ? { type: attr(tag, "t") ?? "n", row, col, v: null, f: null, fTag: null } : null;
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
          if (c.fTag) out.formula = formulaText(c.fTag, c.f ?? "", sharedFormulas);
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
