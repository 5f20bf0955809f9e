/**
 * What every report sheet shares: number formats, styles (every one with an explicit font), row heights
 * that fit wrapped text, print setup, input zones, and the Sheet helper that appends rows to a SheetPlan.
 */
import { MONTHS_SV } from "../../core/period";
import type { Unit } from "../../core/types";
import type {
  CellStyle,
  HeaderFooterText,
  LocatedFinding,
  NameDefinition,
  PlanValue,
  PrintSetup,
  Rect,
  SheetPlan,
} from "../types";
import type { SheetCarry } from "./carry";

/**
 * Excel number formats in the file's invariant notation ("," = thousands separator, "." = decimal
 * point); Excel shows them with the user's separators, in Swedish Excel "+2 332" and "-17 223".
 */
export function amountFormats(unit: Unit): { plain: string; deviation: string } {
  const d = unit === "mkr" ? ".0" : "";
  return { plain: `#,##0${d};-#,##0${d};0`, deviation: `+#,##0${d};[Red]-#,##0${d};0` };
}

/** The action plan's mnkr cells: one decimal at most, none when integral ("1 mnkr", "1,2 mnkr"). */
export const MNKR_FORMAT = 'General" mnkr"';
export const COUNT_FORMAT = "#,##0";

/** Every style names its font, so a sheet prints the same in Excel, LibreOffice and on any machine. */
export const FONT_NAME = "Calibri";
export const FONT_SIZE = 11;
export const TITLE_SIZE = 14;

export const TITLE: CellStyle = { bold: true, fontSize: TITLE_SIZE };
export const HEADER: CellStyle = {
  bold: true,
  wrap: true,
  verticalAlignment: "bottom",
  borderBottom: "thin",
};
export const NOTE: CellStyle = { italic: true, fontColor: "#595959" };
export const BOLD: CellStyle = { bold: true };
/** The ekonom's own cells: light yellow, framed, wrapped, text from the top. */
export const INPUT: CellStyle = {
  fill: "#FFF2CC",
  wrap: true,
  verticalAlignment: "top",
  horizontalAlignment: "left",
  borderTop: "thin",
  borderBottom: "thin",
};
/** A varav line's label: indented, and left-aligned so that the indent shows. */
export const OFWHICH: CellStyle = { indent: 1, horizontalAlignment: "left" };

/** The one line on each sheet that says what the yellow cells are. */
export const ZONE_HINT =
  "Skriv i de gula cellerna: det du skriver där finns kvar efter nästa uppdatering. Resten av bladet skrivs om från underlaget.";
export const NOTES_HEADING = "Egna anteckningar";

/** Points per line of wrapped text (Excel's default row is 15 pt for 11 pt Calibri). */
const LINE_HEIGHT = 15 / FONT_SIZE;
/** Excel's default row height for 11 pt Calibri, in points. */
const DEFAULT_ROW_PT = 15;
/**
 * A4 (595 × 842 pt) less the margins both hosts set (Excel's Normal: 0.7 in left and right, 0.75 in top
 * and bottom; 72 pt an inch): the printable area per orientation, in points.
 */
const PRINTABLE_PT = {
  portrait: { width: 595 - 2 * 50.4, height: 842 - 2 * 54 },
  landscape: { width: 842 - 2 * 50.4, height: 595 - 2 * 54 },
};

/**
 * The height of the first `rows` rows in points. A function of its own, not a loop inside
 * shrinkOntoOnePage: V8 (Node 20) compiled that method from inside the loop (on-stack replacement) on
 * the first long sheet, when the reads after the loop had never run, and its code then bailed out at
 * them on every long sheet after, without being replaced (some 400 bail-outs of ~0.5 ms in four batches
 * of 50 workbooks).
 */
function heightOfRows(heights: ReadonlyMap<number, number>, rows: number): number {
  let height = 0;
  for (let r = 0; r < rows; r++) height += heights.get(r) ?? DEFAULT_ROW_PT;
  return height;
}
/** The smallest zoom a sheet is shrunk to so that it fits one page (1,3 pages at full width). */
const MIN_SHRUNK_ZOOM = 1 / 1.3;
/** A column `width` characters wide in points: 7 px a character plus 5 px padding, at 96 px an inch. */
const columnPoints = (width: number) => ((width * 7 + 5) * 72) / 96;
/** Excel's largest row height, in points. */
export const MAX_ROW_HEIGHT = 409;

/**
 * How many lines `text` takes when wrapped in a column `width` characters wide. Excel's width unit is
 * the width of a digit (7 px in Calibri 11); ordinary Calibri text averages about 6 px a character, so
 * counting one character per unit (bold 0,95), less one for the cell's padding, errs on the tall side
 * and leaves room for a reader that substitutes a wider font (LibreOffice without Carlito). Words are
 * wrapped whole (long ones broken), explicit line breaks start new lines.
 */
export function wrappedLines(text: string, width: number, bold = false): number {
  const cap = Math.max(1, Math.floor(width * (bold ? 0.95 : 1)) - 1);
  // One pass over the characters instead of splitting into paragraphs and words: the reports measure
  // every line label, and the arrays of a split were most of their garbage on a large ledger.
  let lines = 0;
  let used = 0;
  let n = 1;
  let word = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : LF;
    const lineBreak = c === LF || c === CR;
    if (!lineBreak && !isSpace(c)) {
      word++;
      continue;
    }
    if (word > 0) {
      if (used === 0) used = word;
      else if (used + 1 + word <= cap) used += 1 + word;
      else {
        n++;
        used = word;
      }
      while (used > cap) {
        n++;
        used -= cap;
      }
      word = 0;
    }
    if (lineBreak) {
      if (c === CR && text.charCodeAt(i + 1) === LF) i++;
      lines += n;
      used = 0;
      n = 1;
    }
  }
  return lines;
}

const LF = 10;
const CR = 13;

/** What `\s` matches in a JavaScript regular expression (ECMA-262 WhiteSpace and LineTerminator). */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Row height in points for `lines` lines of text at `fontSize`. */
export function heightFor(lines: number, fontSize = FONT_SIZE): number {
  return Math.min(MAX_ROW_HEIGHT, Math.ceil(lines * fontSize * LINE_HEIGHT + 2));
}

function sameStyle(a: CellStyle, b: CellStyle): boolean {
  const ka = Object.keys(a) as (keyof CellStyle)[];
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** Escapes user text for Excel's header/footer codes ("&" starts a code). */
export function hfText(s: string): string {
  return s.replace(/&/g, "&&");
}

/** What every printed page shows: verksamhet and sheet title on top, period and page number below. */
export interface PageInfo {
  verksamhet: string | null;
  /** "januari–april 2019" */
  period: string;
}

export function pageHeaderFooter(
  title: string,
  page: PageInfo,
): { header: HeaderFooterText; footer: HeaderFooterText } {
  const header: HeaderFooterText = { center: `&B${hfText(title)}` };
  if (page.verksamhet) header.left = hfText(page.verksamhet);
  header.right = hfText(page.period);
  return { header, footer: { left: "Uppföljaren", center: "Sida &P av &N", right: "&D" } };
}

/** A zone placed on the sheet: its key (stable across refreshes), cell and what it is, for people. */
export interface PlacedZone {
  key: string;
  row: number;
  col: number;
  label: string;
  /** What the zone holds after this refresh (carried, drafted or empty). */
  value: PlanValue;
  /** When the zone holds Uppföljaren's draft: its fingerprint, so the next refresh knows it untouched. */
  draft?: string;
}

/** A built report sheet: its plan, where its zones went, the names of its key results, its findings. */
export interface BuiltSheet {
  plan: SheetPlan;
  zones: PlacedZone[];
  names: NameDefinition[];
  findings: LocatedFinding[];
  /** The keys of the zones that got a fresh draft in this refresh. */
  drafted: string[];
}

/**
 * A draft's fingerprint (FNV-1a, 32 bits, of the text with its line ends and outer spaces normalised,
 * as a cell hands them back): enough to tell an untouched draft from an edited one without keeping a
 * second copy of every text in the workbook.
 */
export function draftFingerprint(text: string): string {
  const s = text.replace(/\r\n?/g, "\n").trim();
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** A small helper that appends rows to a SheetPlan. */
export class Sheet {
  readonly plan: SheetPlan;
  row = 0;
  readonly zones: PlacedZone[] = [];
  readonly drafted: string[] = [];
  private readonly names: NameDefinition[] = [];
  private readonly widthOf = new Map<number, number>();
  private readonly heights = new Map<number, number>();

  constructor(
    name: string,
    widths: number[],
    readonly carry: SheetCarry,
  ) {
    this.plan = { name, owned: true, values: [], formats: [], merges: [], columnWidths: [], charts: [] };
    this.plan.columnWidths = widths.map((width, col) => ({ col, width }));
    widths.forEach((w, c) => this.widthOf.set(c, w));
  }

  /** Width in characters of `cols` columns from `col`. */
  width(col: number, cols = 1): number {
    let w = 0;
    for (let c = col; c < col + cols; c++) w += this.widthOf.get(c) ?? 8.43;
    return w;
  }

  /**
   * Writes one row at the current row and advances. A row right below the previous one, at the same
   * column and as wide, extends that block: a 5 000-line report is a few blocks, not 5 000 (fewer
   * operations and bytes per request in Office.js, fewer calls in the .xlsx host).
   */
  line(values: PlanValue[], style?: CellStyle, col = 0): number {
    const r = this.row++;
    const prev = this.plan.values[this.plan.values.length - 1];
    if (
      prev &&
      prev.col === col &&
      prev.row + prev.values.length === r &&
      prev.values[0].length === values.length
    )
      prev.values.push(values);
    else this.plan.values.push({ row: r, col, values: [values] });
    if (style) this.format({ row: r, col, rows: 1, cols: values.length }, style);
    return r;
  }
  skip(n = 1): void {
    this.row += n;
  }
  /**
   * Adds a format with the sheet's font made explicit; one directly below the previous format, as wide
   * and with the same style, extends it.
   */
  format(rect: Rect, style: CellStyle): void {
    const full: CellStyle = { fontName: FONT_NAME, fontSize: FONT_SIZE, ...style };
    const prev = this.plan.formats[this.plan.formats.length - 1];
    if (
      prev &&
      prev.rect.col === rect.col &&
      prev.rect.cols === rect.cols &&
      prev.rect.row + prev.rect.rows === rect.row &&
      sameStyle(prev.style, full)
    )
      prev.rect = { ...prev.rect, rows: prev.rect.rows + rect.rows };
    else this.plan.formats.push({ rect, style: full });
  }
  merge(rect: Rect): void {
    this.plan.merges.push(rect);
  }
  /** Makes row r at least tall enough for `text` wrapped over `cols` columns from `col`. */
  fit(
    r: number,
    col: number,
    cols: number,
    text: string,
    fontSize = FONT_SIZE,
    bold = false,
    roomy = 1,
  ): void {
    const lines = wrappedLines(text, this.width(col, cols) * (FONT_SIZE / fontSize) * roomy, bold);
    // One line of the sheet's font is Excel's default row: no explicit height (and no write) for it.
    if (lines === 1 && fontSize === FONT_SIZE) return;
    const h = heightFor(lines, fontSize);
    if (h > (this.heights.get(r) ?? 0)) this.heights.set(r, h);
  }
  /** A sheet's comment: its heading ("Kommentar till …"), the line about the yellow cells, the zone. */
  commentZone(heading: string, cols: number): void {
    this.line([heading], BOLD);
    this.hint(cols);
    this.zoneRow("comment", cols, heading);
  }
  /** "Label: comment" rows under `heading`, for the lines that have a comment; nothing when none has. */
  lineComments(
    heading: string,
    lines: readonly { label: string; index: number }[],
    comments: readonly (string | null)[],
    cols: number,
  ): void {
    const withComments = lines.filter((l) => comments[l.index]);
    if (!withComments.length) return;
    this.line([heading], BOLD);
    for (const l of withComments) this.text(`${l.label}: ${comments[l.index]}`, {}, cols);
    this.skip();
  }
  /** A wrapped text row merged over `cols` columns, as tall as its text needs. */
  text(text: string, style: CellStyle, cols: number, col = 0): number {
    const r = this.line([text], { wrap: true, verticalAlignment: "top", ...style }, col);
    if (cols > 1) this.merge({ row: r, col, rows: 1, cols });
    this.fit(r, col, cols, text, style.fontSize ?? FONT_SIZE, style.bold === true);
    return r;
  }
  /** A title row merged over `cols` columns. */
  title(text: string, cols: number): number {
    const r = this.line([text], TITLE);
    if (cols > 1) this.merge({ row: r, col: 0, rows: 1, cols });
    this.fit(r, 0, cols, text, TITLE_SIZE, true);
    return r;
  }
  /**
   * A header row: bold and wrapped, as tall as its longest heading needs in its column. Headings are
   * short and a lost line hides a word ("Prognos budgetavvikelse helår 2019" without its year), so
   * they are measured with a fifth less room than body text.
   */
  header(values: PlanValue[], col = 0): number {
    const r = this.line(values, HEADER, col);
    values.forEach((v, j) => {
      if (typeof v === "string" && v !== "") this.fit(r, col + j, 1, v, FONT_SIZE, true, 0.85);
    });
    return r;
  }
  /**
   * An input zone at row r: the value carried from the last refresh (null when none), styled as input.
   * `key` must be stable from one refresh to the next; `label` says what it is, for findings.
   */
  zone(
    key: string,
    r: number,
    col: number,
    cols: number,
    label: string,
    minLines = 2,
    value: PlanValue = this.carry.take(key),
  ): PlanValue {
    this.zones.push({ key, row: r, col, label, value });
    if (cols > 1) this.merge({ row: r, col, rows: 1, cols });
    this.format({ row: r, col, rows: 1, cols }, INPUT);
    const text = value === null ? "" : String(value);
    const lines = Math.max(minLines, wrappedLines(text, this.width(col, cols)));
    const h = heightFor(lines);
    if (h > (this.heights.get(r) ?? 0)) this.heights.set(r, h);
    return value;
  }
  /** A text zone on its own row, merged over `cols` columns from column A. */
  zoneRow(key: string, cols: number, label: string): number {
    const r = this.row;
    const value = this.zone(key, r, 0, cols, label, 3);
    this.line([value]);
    return r;
  }
  /**
   * A text zone on its own row that Uppföljaren drafts: the ekonom's text stays; the draft goes in when
   * the zone is empty, when it still holds the last draft untouched (a draft follows the figures: last
   * month's "de första åtta månaderna" must not reach September's report), or when `redraft` is asked
   * for, and then the text it replaces is kept in the note area. True when the draft went in.
   */
  draftZoneRow(key: string, cols: number, label: string, draft: string, redraft: boolean): boolean {
    const carried = this.carry.take(key);
    const text = carried === null ? "" : String(carried);
    const empty = text.trim() === "";
    const untouched = !empty && this.carry.draftOf(key) === draftFingerprint(text);
    const drafted = empty || untouched || (redraft && text !== draft);
    if (drafted && !empty && !untouched) this.carry.keepInNotes(`${label} (före det nya utkastet): ${text}`);
    const r = this.row;
    const value = this.zone(key, r, 0, cols, label, 3, drafted ? draft : carried);
    this.line([value]);
    if (drafted) {
      this.drafted.push(key);
      this.zones[this.zones.length - 1].draft = draftFingerprint(draft);
    }
    return drafted;
  }
  private hinted = false;
  /** The explanation of the yellow cells, once per sheet. */
  hint(cols: number): number {
    this.hinted = true;
    return this.text(ZONE_HINT, NOTE, cols);
  }
  /**
   * The sheet's own note area ("Egna anteckningar"), last on the sheet: its carried text plus whatever
   * the carry moved into it (cells typed outside the zones, zones without a place this time).
   */
  notes(cols: number): number {
    this.skip();
    if (!this.hinted) this.hint(cols);
    this.line([NOTES_HEADING], BOLD);
    const r = this.row;
    const text = this.carry.notesText();
    this.zone("notes", r, 0, cols, NOTES_HEADING, 3, text);
    this.line([text]);
    return r;
  }
  /** Page setup: orientation, fit to width, repeated header rows, header and footer. */
  print(setup: Omit<PrintSetup, "header" | "footer">, title: string, page: PageInfo): void {
    this.plan.print = { ...setup, ...pageHeaderFooter(title, page) };
  }
  /** A workbook-scoped name for the key result in cell (r, c) of this sheet. */
  name(name: string, r: number, c: number): void {
    this.names.push({ name, scope: null, ref: { sheet: this.plan.name, row: r, col: c, rows: 1, cols: 1 } });
  }
  /**
   * A sheet a little longer than a page is shrunk onto one (fit to one page tall as well), so that its
   * last rows, typically a comment heading and its yellow box, are not split from it onto a page of
   * their own.
   */
  private shrinkOntoOnePage(): void {
    const print = this.plan.print;
    if (!print || print.fitToHeight) return;
    const page = PRINTABLE_PT[print.orientation];
    const rows = Math.max(this.row, ...this.plan.charts.map((c) => c.anchor.row + c.anchor.rows));
    const height = heightOfRows(this.heights, rows);
    const width = this.plan.columnWidths.reduce((a, c) => a + columnPoints(c.width), 0);
    const scale = print.fitToWidth ? Math.min(1, page.width / Math.max(1, width)) : 1;
    const pages = (height * scale) / page.height;
    if (pages > 1 && scale / pages >= MIN_SHRUNK_ZOOM) print.fitToHeight = true;
  }
  /** Finishes the plan: the sheet's font under every cell it writes, row heights in row order. */
  done(): BuiltSheet {
    this.shrinkOntoOnePage();
    const cols = Math.max(1, this.plan.columnWidths.length);
    if (this.row > 0)
      this.plan.formats.unshift({
        rect: { row: 0, col: 0, rows: this.row, cols },
        style: { fontName: FONT_NAME, fontSize: FONT_SIZE },
      });
    if (this.heights.size)
      this.plan.rowHeights = [...this.heights]
        .sort((a, b) => a[0] - b[0])
        .map(([row, height]) => ({ row, height }));
    return {
      plan: this.plan,
      zones: this.zones,
      names: this.names,
      findings: this.carry.findings,
      drafted: this.drafted,
    };
  }
}

/** "Utfall jan-april 2019" (January alone: "Utfall januari 2019"). */
export function ytdLabel(year: number, month: number): string {
  return month === 1 ? `januari ${year}` : `jan-${MONTHS_SV[month - 1]} ${year}`;
}
