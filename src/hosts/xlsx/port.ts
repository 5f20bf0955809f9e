/**
 * The .xlsx host: a WorkbookPort over the package editor. It reads only the parts a refresh needs
 * (workbook, its relationships, the sheets asked for, shared strings when a read cell uses them) and
 * writes only what the refresh owns: the output cells on the user's sheets (edited in place), the report
 * sheets (rendered into the same parts every time), workbook.xml's sheets and names, styles.xml
 * (appended formats), content types and relationships, docProps/app.xml when it exists. Every other part
 * is copied across as its compressed bytes. See docs/XLSX-LIBRARY.md.
 *
 * The host only renders: it never decides what to read or write. Everything happens in memory; bytes are
 * produced by output() after a successful write, so a failed refresh never leaves a half-written file.
 */
import type { WorkbookPort, WriteReport } from "../../workbook/pipeline";
import type {
  NameEntry,
  CellError,
  RawCell,
  ReadRequest,
  ReadResult,
  Rect,
  SheetPlan,
  SheetRect,
  WorkbookMeta,
  WritePlan,
} from "../../workbook/types";
import { addCharts, chartPartsOf, type ChartParts } from "./chart";
import { parseSharedStrings, type ScannedCell, scanSheet, type SheetFacts } from "./cells";
import { editSheet, editStretches, plannedWrites } from "./edit";
import { findConfigXml, Package, partError, relsPathOf, XlsxFileError, type WorkbookFormat } from "./package";
import { renderSheet } from "./render";
import { DEFAULT_STYLES, Styles } from "./styles";
import { columnName } from "./text";
import { addAppTitles, WorkbookPart, WORKSHEET_CT, WORKSHEET_REL, type SheetEntry } from "./workbook";
import { NS } from "./xml";
import { DEFAULT_LIMITS, type ZipLimits } from "./zip";

export { columnName };

const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
/**
 * Rows of a user's sheet at least this long (characters) are edited from the archive a stretch at a
 * time, the text kept from the read dropped first: a 20 000-line ledger's is 13 MB, held through the
 * whole write otherwise.
 */
const STREAMED_ROWS = 1 << 20;
const STYLES_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml";

export interface OpenOptions {
  /** Inflation limits against zip bombs (defaults: 512 MB per part, 2 GB in all, 100 000 entries). */
  limits?: Partial<ZipLimits>;
  /**
   * A user's sheet whose rows are at least this many characters is edited from the archive a stretch
   * at a time (default 1 MiB). The parts' text is the same either way; a large part's compressed bytes
   * may differ, since its deflate segments end where the pieces written happen to fill a buffer.
   */
  streamedRows?: number;
}

export class XlsxWorkbook implements WorkbookPort {
  private readonly wb: WorkbookPart;
  private strings: string[] | null = null;
  private readonly facts = new Map<string, SheetFacts>();

  private constructor(
    private readonly pkg: Package,
    /** The stored configuration's XML, or null when the workbook has none. */
    readonly configXml: string | null,
    private readonly streamedRows: number,
  ) {
    this.wb = new WorkbookPart(pkg, pkg.workbookPart);
  }

  /** The kind of workbook (a macro workbook stays .xlsm when written). */
  get format(): WorkbookFormat {
    return this.pkg.format;
  }

  /** Opens a workbook from its bytes; throws XlsxFileError (Swedish message) when it cannot be used. */
  static async open(
    bytes: Uint8Array,
    fileName = "arbetsboken",
    options: OpenOptions = {},
  ): Promise<XlsxWorkbook> {
    const pkg = Package.open(bytes, fileName, { ...DEFAULT_LIMITS, ...options.limits });
    try {
      const root = pkg.tree(pkg.workbookPart)!;
      if (root.tag.ns === NS.strictMain || root.tag.ns !== NS.main)
        throw new XlsxFileError(
          "STRICT_OOXML",
          `Filen ${fileName} kan inte läsas: arbetsboken är sparad som Strict Open XML-kalkylblad (eller i ett okänt XML-format), som körningen inte kan läsa. Spara den som Excel-arbetsbok (.xlsx) och försök igen.`,
          `The file ${fileName} cannot be read: the workbook is saved as Strict Open XML (or an unknown XML format). Save it as an Excel workbook (.xlsx) and try again.`,
        );
      const host = new XlsxWorkbook(pkg, findConfigXml(pkg), options.streamedRows ?? STREAMED_ROWS);
      host.wb.sheets();
      host.wb.names();
      return host;
    } catch (e) {
      throw partError(fileName, pkg.workbookPart, e);
    }
  }

  /** Parts the refresh wrote differently from the input (for tests and the docs' claims). */
  touchedParts(): string[] {
    return this.pkg.touched();
  }

  async readMeta(): Promise<WorkbookMeta> {
    const sheets = this.wb.sheets();
    const isProtected = (s: (typeof sheets)[number]) => this.isProtected(s);
    return {
      sheets: sheets.map((s) => ({
        name: s.name,
        // Read on demand: only the sheets whose protection matters (where output goes) are inflated.
        get protected() {
          return s.part ? isProtected(s) : false;
        },
      })),
      names: this.wb.names().map((n): NameEntry => ({
        name: n.name,
        scope: n.local === null ? null : (sheets[n.local]?.name ?? null),
        formula: `=${n.formula}`,
      })),
    };
  }

  private sharedStrings = (): string[] => {
    if (!this.strings) {
      const rel = this.pkg.rels(this.pkg.workbookPart).find((r) => r.type === `${REL}/sharedStrings`);
      const text = rel?.part ? this.pkg.textOrNull(rel.part) : null;
      try {
        this.strings = text === null ? [] : parseSharedStrings(text);
      } catch (e) {
        throw partError(this.pkg.file, rel!.part!, e);
      }
    }
    return this.strings;
  };

  private findSheet(name: string): { entry: SheetEntry; index: number } | undefined {
    return this.wb.find(name);
  }

  /** Scans a worksheet part once, handing over the wanted cells; facts (merges, protection) are kept. */
  private scan(
    entry: SheetEntry,
    want: (r: number, c: number) => boolean,
    onCell: Parameters<typeof scanSheet>[3],
    wantRow?: (r: number) => boolean,
  ): SheetFacts {
    const text = this.pkg.textOrNull(entry.part!)!;
    try {
      const facts = scanSheet(text, this.sharedStrings, want, onCell, wantRow);
      this.facts.set(entry.part!, facts);
      return facts;
    } catch (e) {
      throw partError(this.pkg.file, entry.part!, e);
    }
  }

  private sheetFacts(entry: SheetEntry): SheetFacts {
    return (
      this.facts.get(entry.part!) ??
      this.scan(
        entry,
        () => false,
        () => undefined,
        () => false,
      )
    );
  }

  /**
   * Whether a sheet is protected. <sheetProtection> follows <sheetData> (CT_Worksheet's order), so a sheet
   * whose text after its cells never names it is not protected, and the cells need not be walked.
   */
  private isProtected(entry: SheetEntry): boolean {
    const cached = this.facts.get(entry.part!);
    if (cached) return cached.protected;
    const text = this.pkg.textOrNull(entry.part!)!;
    const at = text.lastIndexOf("sheetData");
    if (at >= 0 && text.indexOf("sheetProtection", at) < 0) return false;
    return this.sheetFacts(entry).protected;
  }

  async read(request: ReadRequest): Promise<ReadResult> {
    const ranges = request.ranges.map(({ key, rect, formulas }) => ({
      key,
      rect,
      formulas,
      values: rowsOf<RawCell>(rect.rows),
      texts: rowsOf<string>(formulas ? rect.rows : 0),
      merged: false,
    }));
    const bySheet = new Map<string, typeof ranges>();
    for (const r of ranges) {
      const k = r.rect.sheet.toLowerCase();
      bySheet.set(k, [...(bySheet.get(k) ?? []), r]);
    }
    for (const [name, list] of bySheet) {
      const found = this.findSheet(name);
      if (!found?.entry.part) continue;
      const inside = (rect: Rect, r: number, c: number) =>
        r >= rect.row && r < rect.row + rect.rows && c >= rect.col && c < rect.col + rect.cols;
      // The ranges by column they cover, so a cell is checked against its column's ranges only (an
      // array by column: this runs for every cell of the rows read).
      const byCol: (typeof list | undefined)[] = [];
      for (const x of list)
        for (let c = x.rect.col; c < Math.min(x.rect.col + x.rect.cols, 16384); c++)
          byCol[c] = [...(byCol[c] ?? []), x];
      const none: typeof list = [];
      const want = (r: number, c: number) => {
        const here = byCol[c];
        if (here) for (const x of here) if (inside(x.rect, r, c)) return true;
        return false;
      };
      const facts = this.scan(
        found.entry,
        want,
        (cell) => {
          for (const x of byCol[cell.col] ?? none) {
            if (!inside(x.rect, cell.row, cell.col)) continue;
            // An input's formula without a value is not an empty cell: the workbook layer refuses it.
            const value = cell.uncalculated && !x.formulas ? uncalculated(cell) : cell.value;
            put(x.values, cell.row - x.rect.row, cell.col - x.rect.col, value, null, x.rect.cols);
            if (x.formulas)
              put(
                x.texts,
                cell.row - x.rect.row,
                cell.col - x.rect.col,
                cell.formula !== undefined ? `=${cell.formula}` : rawText(cell.value),
                "",
                x.rect.cols,
              );
          }
        },
        (r) => list.some((x) => r >= x.rect.row && r < x.rect.row + x.rect.rows),
      );
      for (const x of list) {
        x.merged = facts.merges.some((m) => intersects(m, x.rect));
        cutRows(x.values);
        cutRows(x.texts);
      }
    }
    return {
      ranges: ranges.map((x) => ({
        key: x.key,
        values: x.values,
        ...(x.formulas ? { formulas: x.texts } : {}),
        merged: x.merged,
      })),
      sheets: request.sheets.map((name) => {
        const found = this.findSheet(name);
        if (!found?.entry.part) return { sheet: found?.entry.name ?? name, values: [] };
        const values: RawCell[][] = [];
        this.scan(
          found.entry,
          () => true,
          (cell) => {
            // A formula typed on a report sheet and saved without its value is carried as its text
            // (the sheet's own cells are values), never lost as an empty cell.
            if (cell.uncalculated) put(values, cell.row, cell.col, uncalculated(cell), null);
            else if (cell.value !== null) put(values, cell.row, cell.col, cell.value, null);
          },
        );
        return { sheet: found.entry.name, values };
      }),
    };
  }

  async write(plan: WritePlan): Promise<WriteReport> {
    const written: string[] = [];
    const notWritten: string[] = [];
    const styles = this.loadStyles();
    const newSheets: string[] = [];
    for (const sp of plan.sheets) {
      if (sp.owned) {
        await this.renderOwned(sp, styles, notWritten, newSheets);
        written.push(`bladet ${sp.name}`);
      } else {
        await this.editUser(sp, styles, notWritten);
        written.push(`utdatakolumnerna på ${sp.name}`);
      }
    }
    addAppTitles(this.pkg, newSheets);
    for (const sp of plan.sheets) this.printTitles(sp);
    for (const def of plan.names) {
      const scope = def.scope === null ? null : (this.findSheet(def.scope)?.index ?? null);
      this.wb.setName(
        def.name,
        scope,
        refersTo(this.findSheet(def.ref.sheet)?.entry.name ?? def.ref.sheet, def.ref),
      );
    }
    if (plan.names.length) written.push(`namnen ${plan.names.map((n) => n.name).join(", ")}`);
    if (styles.styles.changed) this.pkg.set(styles.part, styles.styles.output());
    return { written, notWritten };
  }

  /** The workbook as bytes (after write()), in the format it was read in. */
  async output(options: { forceZip64?: boolean } = {}): Promise<Buffer> {
    return this.pkg.output(options);
  }

  private loadStyles(): { part: string; styles: Styles } {
    const rel = this.pkg.rels(this.pkg.workbookPart).find((r) => r.type === `${REL}/styles`);
    if (rel?.part && this.pkg.has(rel.part)) {
      try {
        return { part: rel.part, styles: new Styles(this.pkg.textOrNull(rel.part)!) };
      } catch (e) {
        throw partError(this.pkg.file, rel.part, e);
      }
    }
    const part = this.pkg.has("xl/styles.xml") ? "xl/uppfoljaren-styles.xml" : "xl/styles.xml";
    this.pkg.set(part, DEFAULT_STYLES);
    this.pkg.addRel(this.pkg.workbookPart, `${REL}/styles`, part);
    this.pkg.setContentType(part, STYLES_CT);
    return { part, styles: new Styles(DEFAULT_STYLES) };
  }

  private async editUser(sp: SheetPlan, styles: { styles: Styles }, notWritten: string[]): Promise<void> {
    const found = this.findSheet(sp.name);
    if (!found?.entry.part) throw new Error(`Bladet ${sp.name} finns inte i arbetsboken.`);
    const writes = plannedWrites(sp, (base, style) => styles.styles.xfFor(base, style));
    const part = found.entry.part;
    const rows = this.facts.get(part)?.rows;
    const streamed =
      rows && rows.to - rows.from >= this.streamedRows
        ? this.pkg.rowStretches(part, rows, `</${rows.prefix}row>`)
        : null;
    if (streamed) {
      const result = { same: false };
      await this.pkg.writeXml(
        part,
        (out) => editStretches(streamed.frame, streamed.at, streamed.stretches, writes, out, result),
        () => result.same,
      );
    } else {
      const old = this.pkg.textOrNull(part)!;
      await this.pkg.writeXml(part, (out) => editSheet(old, writes, out));
    }
    this.pkg.forget(part);
    for (const chart of sp.charts)
      notWritten.push(`diagrammet "${chart.title}" på bladet ${sp.name} (ritas bara på rapportblad)`);
    if (sp.merges.length || sp.columnWidths.length || sp.rowHeights?.length || sp.freeze)
      notWritten.push(
        `layouten på bladet ${sp.name} (sammanfogning, bredder och höjder skrivs bara på rapportblad)`,
      );
  }

  /** Renders a report sheet; a sheet new to the workbook is added to `newSheets` (for docProps/app.xml). */
  private async renderOwned(
    sp: SheetPlan,
    styles: { styles: Styles },
    notWritten: string[],
    newSheets: string[],
  ): Promise<void> {
    let found = this.findSheet(sp.name);
    if (found && !found.entry.part)
      throw new Error(
        `Bladet ${sp.name} finns redan men är inget kalkylblad; byt namn på det och uppdatera igen.`,
      );
    let part: string;
    let old: string | null = null;
    let previous: ChartParts | undefined;
    if (found) {
      part = found.entry.part!;
      old = this.pkg.textOrNull(part);
      previous = chartPartsOf(this.pkg, part);
      this.clearOwnedParts(part, new Set([previous.drawing ?? "", ...previous.charts]));
      if (old && /<(?:[\w.-]+:)?f[\s>/]/.test(old)) this.dropCalcChain();
    } else {
      part = this.freeSheetPart();
      const rid = this.pkg.addRel(this.pkg.workbookPart, WORKSHEET_REL, part);
      this.pkg.setContentType(part, WORKSHEET_CT);
      this.wb.addSheet(sp.name, rid, !!sp.hidden);
      newSheets.push(sp.name);
      found = this.findSheet(sp.name)!;
    }
    const { drawingRelId, skipped } = addCharts(this.pkg, part, found.entry.name, sp, previous);
    // A previous chart part the sheet no longer needs loses the content type clearOwnedParts kept.
    for (const p of previous ? [previous.drawing, ...previous.charts] : [])
      if (p && !this.pkg.has(p)) this.pkg.setContentType(p, null);
    for (const chart of skipped)
      notWritten.push(`diagrammet "${chart.title}" på bladet ${sp.name} (inga värden att rita)`);
    await this.pkg.writeXml(part, (out) =>
      renderSheet(sp, (base, style) => styles.styles.xfFor(base, style), drawingRelId, out),
    );
    this.pkg.forget(part);
    if (sp.hidden !== undefined) this.wb.setHidden(found.index, sp.hidden);
  }

  /** Print titles of a sheet the plan renders (an owned sheet's old print names go with its print setup). */
  private printTitles(sp: SheetPlan): void {
    const found = this.findSheet(sp.name);
    if (!found) return;
    const rows = sp.print?.repeatRows;
    const print = (name: string) => (n: { name: string; local: number | null }) =>
      n.local === found.index && n.name.toLowerCase() === name;
    if (rows)
      this.wb.setName(
        "_xlnm.Print_Titles",
        found.index,
        `${quoteSheet(found.entry.name)}!$${rows.first + 1}:$${rows.last + 1}`,
      );
    else if (sp.owned) this.wb.removeNames(print("_xlnm.print_titles"));
    if (sp.owned) this.wb.removeNames(print("_xlnm.print_area"));
  }

  /** xl/worksheets/sheetN.xml with the first N no part has. */
  private freeSheetPart(): string {
    const taken = new Set(this.pkg.partNames().map((n) => n.toLowerCase()));
    let n = 1;
    while (taken.has(`xl/worksheets/sheet${n}.xml`)) n++;
    return `xl/worksheets/sheet${n}.xml`;
  }

  /**
   * Removes a report sheet's relationships and the parts reached only through them (its drawing, charts,
   * comments, printer settings): the sheet is rendered anew. Parts another part still refers to stay.
   * Parts in `keepType` keep their content type: their names are reused, so [Content_Types].xml keeps
   * its order and a refresh of the same period leaves it byte-identical.
   */
  private clearOwnedParts(sheetPart: string, keepType: Set<string>): void {
    if (!this.pkg.rels(sheetPart).length) return;
    const reached = new Set<string>();
    const queue = [sheetPart];
    while (queue.length) {
      const part = queue.pop()!;
      for (const r of this.pkg.rels(part))
        if (r.part && !reached.has(r.part.toLowerCase()) && this.pkg.has(r.part)) {
          reached.add(r.part.toLowerCase());
          queue.push(r.part);
        }
    }
    reached.delete(sheetPart.toLowerCase());
    const elsewhere = new Set<string>();
    for (const name of this.pkg.partNames()) {
      if (!/\.rels$/i.test(name)) continue;
      const source = name.replace(/(^|\/)_rels\/([^/]+)\.rels$/i, "$1$2");
      if (source.toLowerCase() === sheetPart.toLowerCase() || reached.has(source.toLowerCase())) continue;
      for (const r of this.pkg.rels(source)) if (r.part) elsewhere.add(r.part.toLowerCase());
    }
    for (const name of this.pkg.partNames()) {
      const k = name.toLowerCase();
      if (!reached.has(k) || elsewhere.has(k)) continue;
      this.pkg.remove(name);
      this.pkg.remove(relsPathOf(name));
      if (!keepType.has(name)) this.pkg.setContentType(name, null);
    }
    this.pkg.remove(relsPathOf(sheetPart));
  }

  /** Drops the calculation chain (Excel rebuilds it) when formulas it lists are no longer there. */
  private dropCalcChain(): void {
    const rels = this.pkg.rels(this.pkg.workbookPart).filter((r) => r.type === `${REL}/calcChain`);
    for (const r of rels)
      if (r.part) {
        this.pkg.remove(r.part);
        this.pkg.setContentType(r.part, null);
      }
    if (rels.length) this.pkg.removeRels(this.pkg.workbookPart, new Set(rels.map((r) => r.id)));
  }
}

/** Ranges at most this tall, or this wide, get their rows (or a row its cells) at full length at once. */
const WHOLE_COLUMN = 1 << 17;
const WHOLE_ROW = 64;

/**
 * An array grown one element at a time leaves copies of itself behind, and one grown from empty reserves
 * 17 slots for its first element: for the single-column ranges of a large ledger those reserves were
 * most of what the read kept, and a tall rows array's copies are large objects, freed only by a full
 * collection. So the rows of a range of moderate size, and the cells of a narrow row, are allocated at
 * their full length, filled as cells are read, and cut back after their last one read, so the result
 * is the same as grown. A row starts as UNREAD, not as holes: a row of holes holding only numbers
 * would become an array of unboxed doubles, boxed again on every later read of a value.
 */
const UNREAD = Object.freeze({ unread: true });

/** The rows array of a range (holes, a read value is never undefined). */
function rowsOf<T>(rows: number): T[][] {
  return rows > 0 && rows <= WHOLE_COLUMN ? new Array<T[]>(rows) : [];
}

function cut(a: unknown[], unread: unknown): void {
  let n = a.length;
  while (n > 0 && a[n - 1] === unread) n--;
  a.length = n;
}

/** Cuts the rows array and each row back to their last element read. */
function cutRows(grid: unknown[][]): void {
  for (const row of grid) if (row) cut(row, UNREAD);
  cut(grid, undefined);
}

/**
 * Sets grid[r][c], the rows array holding only rows that have cells (others stay holes), the cells
 * before c not read `fill`.
 */
function put<T>(grid: T[][], r: number, c: number, value: T, fill: T, width = 0): void {
  let row = grid[r];
  if (!row) grid[r] = row = width > 0 && width <= WHOLE_ROW ? new Array<T>(width).fill(UNREAD as T) : [];
  for (let j = Math.min(c, row.length) - 1; j >= 0 && row[j] === UNREAD; j--) row[j] = fill;
  while (row.length < c) row.push(fill);
  row[c] = value;
}

/** A formula saved without its value, for the workbook layer (which refuses it as input). */
function uncalculated(cell: ScannedCell): CellError {
  return { error: `=${cell.formula}`, uncalculated: true };
}

function rawText(value: RawCell): string {
  if (value === null) return "";
  if (typeof value === "object") return value.error;
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return String(value);
}

function intersects(a: Rect, b: Rect): boolean {
  return a.row < b.row + b.rows && b.row < a.row + a.rows && a.col < b.col + b.cols && b.col < a.col + a.cols;
}

function quoteSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

function refersTo(sheet: string, rect: SheetRect): string {
  const start = `$${columnName(rect.col)}$${rect.row + 1}`;
  const end = `$${columnName(rect.col + rect.cols - 1)}$${rect.row + rect.rows}`;
  return `${quoteSheet(sheet)}!${rect.rows === 1 && rect.cols === 1 ? start : `${start}:${end}`}`;
}

export { XlsxFileError };
