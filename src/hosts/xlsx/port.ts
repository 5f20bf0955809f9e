/**
 * The .xlsx host: a WorkbookPort over xlsx-populate, which edits the package's XML in place and keeps the
 * parts it does not understand (charts, drawings, comments, data validation, tables, custom XML). See
 * docs/XLSX-LIBRARY.md for why this library and what it keeps.
 *
 * The host only renders: it never decides what to read or write. Everything happens in memory; bytes are
 * produced by output() after a successful write, so a failed refresh never leaves a half-written file.
 */
import XlsxPopulate from "xlsx-populate";
import type { WorkbookPort, WriteReport } from "../../workbook/pipeline";
import type {
  CellStyle,
  NameEntry,
  RawCell,
  ReadRequest,
  ReadResult,
  Rect,
  SheetPlan,
  SheetRect,
  WorkbookMeta,
  WritePlan,
} from "../../workbook/types";
import type JSZip from "jszip";
import {
  findConfigXml,
  openPackage,
  partText,
  preparePackage,
  repairPackage,
  writeZip,
  XlsxFileError,
} from "./package";
import { addCharts, removeDrawings, type WorkbookInternal } from "./chart";
import { colNumber, columnName, peek, restoreNumericText, toRaw } from "./text";

export { columnName };

type Workbook = XlsxPopulate.Workbook;
type Sheet = XlsxPopulate.Sheet;
type XmlNode = XlsxPopulate.XmlNode;

// Internals of xlsx-populate reached for reading without creating cells (see peek in ./text).
interface SheetInternal {
  _rows: ({ _cells: (XlsxPopulate.Cell | undefined)[] } | undefined)[];
}

const SHEET_NODE_ORDER = [
  "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr", "sheetProtection",
  "autoFilter", "protectedRanges", "scenarios", "sortState", "dataConsolidate", "customSheetViews", "mergeCells",
  "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup",
  "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
  "drawing", "drawingHF", "legacyDrawing", "legacyDrawingHF", "picture", "oleObjects", "controls",
  "webPublishItems", "tableParts", "extLst",
]; // prettier-ignore

export class XlsxWorkbook implements WorkbookPort {
  private constructor(
    readonly workbook: Workbook,
    /** The stored configuration's XML, or null when the workbook has none. */
    readonly configXml: string | null,
  ) {}

  /** Opens a workbook from its bytes; throws XlsxFileError (Swedish message) when it cannot be used. */
  static async open(bytes: Uint8Array, fileName = "arbetsboken"): Promise<XlsxWorkbook> {
    const zip = await openPackage(bytes, fileName);
    let configXml: string | null;
    let workbook: Workbook;
    try {
      // JSZip inflates parts lazily: a damaged entry (bad CRC, size mismatch) throws only here.
      configXml = await findConfigXml(zip);
      const prepared = await preparePackage(zip, bytes, fileName);
      workbook = await XlsxPopulate.fromDataAsync(prepared);
      await restoreNumericText(workbook, (path) =>
        partText((workbook as unknown as { _zip: JSZip })._zip, path),
      );
    } catch (e) {
      if (e instanceof XlsxFileError) throw e;
      throw new XlsxFileError(
        "CORRUPT",
        `Filen ${fileName} kan inte läsas: arbetsbokens innehåll är skadat (${(e as Error).message}).`,
        `The file ${fileName} cannot be read: the workbook's content is corrupt (${(e as Error).message}).`,
      );
    }
    return new XlsxWorkbook(workbook, configXml);
  }

  async readMeta(): Promise<WorkbookMeta> {
    const sheets = this.workbook.sheets();
    return {
      sheets: sheets.map((s) => ({ name: s.name(), protected: isProtected(s) })),
      names: this.definedNameNodes().map((node): NameEntry => {
        const local = node.attributes.localSheetId;
        const scopeSheet = node.localSheet ?? (local === undefined ? undefined : sheets[Number(local)]);
        return {
          name: String(node.attributes.name),
          scope: scopeSheet?.name() ?? null,
          formula: `=${String(node.children[0] ?? "")}`,
        };
      }),
    };
  }

  async read(request: ReadRequest): Promise<ReadResult> {
    return {
      ranges: request.ranges.map(({ key, rect, formulas }) => {
        const sheet = this.findSheet(rect.sheet);
        const values: RawCell[][] = [];
        const texts: string[][] = [];
        for (let r = 0; r < rect.rows; r++) {
          const valueRow: RawCell[] = [];
          const textRow: string[] = [];
          for (let c = 0; c < rect.cols; c++) {
            const cell = sheet && peek(sheet, rect.row + r, rect.col + c);
            const value = toRaw(valueOf(cell));
            valueRow.push(value);
            if (formulas) {
              const f = cell?.formula();
              textRow.push(f ? `=${f}` : rawText(value));
            }
          }
          values.push(valueRow);
          texts.push(textRow);
        }
        return {
          key,
          values,
          ...(formulas ? { formulas: texts } : {}),
          merged: sheet ? intersectsMerge(sheet, rect) : false,
        };
      }),
      sheets: request.sheets.map((name) => {
        const sheet = this.findSheet(name);
        return { sheet: sheet?.name() ?? name, values: sheet ? usedValues(sheet) : [] };
      }),
    };
  }

  /** The cells of report sheets this host created, as <sheetData> XML, put into their parts on output. */
  private readonly ownedSheetData = new Map<Sheet, string>();

  async write(plan: WritePlan): Promise<WriteReport> {
    const written: string[] = [];
    const notWritten: string[] = [];
    const wb = this.workbook;
    const styles = new Map<string, StyleInternal>();
    for (const sp of plan.sheets) {
      let sheet: Sheet;
      if (sp.owned) {
        const old = this.findSheet(sp.name);
        if (old) {
          const others = wb.sheets().filter((s) => s !== old);
          await removeDrawings(wb as unknown as WorkbookInternal, old, others);
          this.deleteSheet(old);
        }
        sheet = wb.addSheet(sp.name);
        written.push(`bladet ${sp.name}`);
      } else {
        const existing = this.findSheet(sp.name);
        if (!existing) throw new Error(`Bladet ${sp.name} finns inte i arbetsboken.`);
        sheet = existing;
        written.push(`utdatakolumnerna på ${sp.name}`);
      }
      if (sp.owned) {
        renderLayout(sheet, sp);
        this.ownedSheetData.set(sheet, ownedSheetData(wb, sp, styles));
      } else {
        renderCells(sheet, sp, styles);
        renderLayout(sheet, sp);
      }
      if (sp.print?.repeatRows) {
        const { first, last } = sp.print.repeatRows;
        wb.scopedDefinedName(
          sheet,
          "_xlnm.Print_Titles",
          `${quoteSheet(sheet.name())}!$${first + 1}:$${last + 1}`,
        );
      }
      // A user's sheet may already have a drawing (a sheet holds one), so charts go on report sheets only.
      if (!sp.owned)
        for (const chart of sp.charts)
          notWritten.push(`diagrammet "${chart.title}" på bladet ${sp.name} (ritas bara på rapportblad)`);
      else if (sp.charts.length) {
        const { drawingRelId, skipped } = addCharts(
          wb as unknown as WorkbookInternal,
          sheet,
          sheet.name(),
          sp,
        );
        if (drawingRelId)
          insertInOrder(sheet._node, { name: "drawing", attributes: { "r:id": drawingRelId }, children: [] });
        for (const chart of skipped)
          notWritten.push(`diagrammet "${chart.title}" på bladet ${sp.name} (inga värden att rita)`);
      }
    }
    for (const def of plan.names) {
      const scope = def.scope === null ? undefined : this.findSheet(def.scope);
      this.removeName(def.name, scope);
      const target = this.findSheet(def.ref.sheet);
      wb.scopedDefinedName(scope, def.name, refersTo(target?.name() ?? def.ref.sheet, def.ref));
    }
    if (plan.names.length) written.push(`namnen ${plan.names.map((n) => n.name).join(", ")}`);
    return { written, notWritten };
  }

  /** The workbook as .xlsx bytes (after write()). */
  async output(): Promise<Buffer> {
    // xlsx-populate puts its parts into its zip and then calls the zip's generateAsync. That one call is
    // replaced: the package is repaired in place and written once, with native zlib (see writeZip).
    const zip = (this.workbook as unknown as { _zip: JSZip })._zip;
    const generate = zip.generateAsync;
    zip.generateAsync = (async () => {
      await this.spliceOwnedSheetData(zip);
      await repairPackage(zip);
      return writeZip(zip);
    }) as unknown as typeof zip.generateAsync;
    try {
      return (await this.workbook.outputAsync({ type: "nodebuffer" })) as Buffer;
    } finally {
      zip.generateAsync = generate;
    }
  }

  /**
   * Puts the report sheets' cells into their parts. xlsx-populate wrote those sheets with an empty
   * <sheetData/> (their cells never went through it: see ownedSheetData).
   */
  private async spliceOwnedSheetData(zip: JSZip): Promise<void> {
    const sheets = this.workbook.sheets();
    for (let i = 0; i < sheets.length; i++) {
      const data = this.ownedSheetData.get(sheets[i]);
      if (data === undefined) continue;
      const path = `xl/worksheets/sheet${i + 1}.xml`;
      const xml = (await partText(zip, path))!;
      if (!xml.includes("<sheetData/>")) throw new Error(`Bladet ${sheets[i].name()} kunde inte skrivas.`);
      zip.file(path, xml.replace("<sheetData/>", data), { date: new Date(0), createFolders: false });
    }
  }

  private findSheet(name: string): Sheet | undefined {
    const lower = name.toLowerCase();
    return this.workbook.sheets().find((s) => s.name().toLowerCase() === lower);
  }

  private definedNameNodes(): (XmlNode & { localSheet?: Sheet })[] {
    const container = this.workbook._node.children.find(
      (c): c is XmlNode => typeof c === "object" && c.name === "definedNames",
    );
    return (container?.children ?? []).filter((c): c is XmlNode => typeof c === "object");
  }

  private removeName(name: string, scope: Sheet | undefined): void {
    const lower = name.toLowerCase();
    for (const node of this.definedNameNodes()) {
      if (String(node.attributes.name).toLowerCase() === lower && node.localSheet === scope)
        this.workbook.scopedDefinedName(scope, String(node.attributes.name), null);
    }
  }

  /** Deletes a sheet and the names scoped to it (xlsx-populate would leave them pointing nowhere). */
  private deleteSheet(sheet: Sheet): void {
    for (const node of this.definedNameNodes())
      if (node.localSheet === sheet)
        this.workbook.scopedDefinedName(sheet, String(node.attributes.name), null);
    this.workbook.deleteSheet(sheet);
  }
}

function isProtected(sheet: Sheet): boolean {
  const node = sheet._node.children.find(
    (c): c is XmlNode => typeof c === "object" && c.name === "sheetProtection",
  );
  if (!node) return false;
  const flag = node.attributes.sheet;
  return flag === 1 || flag === "1" || flag === "true";
}

function rawText(value: RawCell): string {
  if (value === null) return "";
  if (typeof value === "object") return value.error;
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return String(value);
}

function usedValues(sheet: Sheet): RawCell[][] {
  const rows = (sheet as unknown as SheetInternal)._rows;
  let lastRow = 0;
  let lastCol = 0;
  rows.forEach((row, r) => {
    row?._cells.forEach((cell, c) => {
      if (cell && toRaw(valueOf(cell)) !== null) {
        lastRow = Math.max(lastRow, r);
        lastCol = Math.max(lastCol, c);
      }
    });
  });
  const out: RawCell[][] = [];
  for (let r = 1; r <= lastRow; r++) {
    const line: RawCell[] = [];
    for (let c = 1; c <= lastCol; c++) line.push(toRaw(valueOf(rows[r]?._cells[c])));
    out.push(line);
  }
  return out;
}

function parseRef(ref: string): Rect {
  const [a, b = a] = ref.split(":");
  const p = (s: string) => {
    const m = /^([A-Z]+)(\d+)$/i.exec(s)!;
    return { row: Number(m[2]) - 1, col: colNumber(m[1]) - 1 };
  };
  const s = p(a);
  const e = p(b);
  return { row: s.row, col: s.col, rows: e.row - s.row + 1, cols: e.col - s.col + 1 };
}

function intersects(a: Rect, b: Rect): boolean {
  return a.row < b.row + b.rows && b.row < a.row + a.rows && a.col < b.col + b.cols && b.col < a.col + a.cols;
}

function intersectsMerge(sheet: Sheet, rect: Rect): boolean {
  return Object.keys(sheet._mergeCells).some((ref) => intersects(parseRef(ref), rect));
}

function quoteSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

function refersTo(sheet: string, rect: SheetRect): string {
  const start = `$${columnName(rect.col)}$${rect.row + 1}`;
  const end = `$${columnName(rect.col + rect.cols - 1)}$${rect.row + rect.rows}`;
  return `${quoteSheet(sheet)}!${rect.rows === 1 && rect.cols === 1 ? start : `${start}:${end}`}`;
}

function hex(color: string): string {
  return color.replace(/^#/, "").toUpperCase();
}

/** Maps the plan's CellStyle to xlsx-populate style names. */
export function toStyle(style: CellStyle): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (style.numberFormat !== undefined) out.numberFormat = style.numberFormat;
  if (style.bold !== undefined) out.bold = style.bold;
  if (style.italic !== undefined) out.italic = style.italic;
  if (style.fontSize !== undefined) out.fontSize = style.fontSize;
  if (style.fontColor !== undefined) out.fontColor = hex(style.fontColor);
  if (style.fill !== undefined) out.fill = hex(style.fill);
  if (style.horizontalAlignment !== undefined) out.horizontalAlignment = style.horizontalAlignment;
  if (style.verticalAlignment !== undefined) out.verticalAlignment = style.verticalAlignment;
  if (style.indent !== undefined) out.indent = style.indent;
  if (style.wrap !== undefined) out.wrapText = style.wrap;
  const borders: Record<string, string> = {};
  if (style.borderTop) borders.top = style.borderTop;
  if (style.borderBottom) borders.bottom = style.borderBottom;
  if (Object.keys(borders).length) out.borderStyle = borders;
  return out;
}

// Internals of xlsx-populate used to share one cell format (xf) among cells that get the same style.
// Range.style() clones a new xf for every cell: a 20 000-line refresh wrote a 27 MB styles.xml, and
// Excel allows about 64 000 distinct cell formats per workbook.
interface StyleInternal {
  id(): number;
  style(name: string, value: unknown): StyleInternal;
}
interface CellInternal {
  _value?: XlsxPopulate.CellValue;
  _style?: StyleInternal;
  _styleId?: number;
  clear(): void;
}

// xlsx-populate's public Sheet.cell(), Cell.value() and Cell.style() dispatch on their arguments
// (ArgHandler), which cost about 0.25 s of a 20 000-line refresh. These do what those do for the one
// case used here: Sheet.row().cell() is the same lookup without the dispatch.
function cellAt(sheet: Sheet, row1: number, col1: number): CellInternal {
  return (sheet.row(row1) as unknown as RowCells).cell(col1);
}
interface RowCells {
  cell(col1: number): CellInternal;
}

/** Cell.value() as a getter (RichText is handled by toRaw). */
function valueOf(cell: XlsxPopulate.Cell | undefined): XlsxPopulate.CellValue {
  return (cell as unknown as CellInternal | undefined)?._value;
}

/** Cell.value(v) for plain values: clears any formula, then sets the value. */
function setValue(cell: CellInternal, value: string | number | boolean | undefined): void {
  cell.clear();
  cell._value = value;
}
interface StyleSheetInternal {
  createStyle(sourceId?: number): StyleInternal;
}

/**
 * Applies a style to a rectangle as Range.style() would (each cell's current format plus the new
 * properties), but cells that start from the same format share one new format instead of one each.
 * A shared format is never modified afterwards: a later style starts a new one from it.
 */
/** The shared format for (the cell's current format + style); created once per distinct pair. */
function sharedStyle(
  styleSheet: StyleSheetInternal,
  source: number | undefined,
  key: string,
  style: Record<string, unknown>,
  cache: Map<string, StyleInternal>,
): StyleInternal {
  const k = `${source ?? ""}|${key}`;
  let shared = cache.get(k);
  if (!shared) {
    shared = styleSheet.createStyle(source);
    for (const [name, value] of Object.entries(style)) shared.style(name, value);
    cache.set(k, shared);
  }
  return shared;
}

function styleRect(
  sheet: Sheet,
  rect: Rect,
  style: Record<string, unknown>,
  cache: Map<string, StyleInternal>,
) {
  const styleSheet = (sheet as unknown as { workbook(): { styleSheet(): StyleSheetInternal } })
    .workbook()
    .styleSheet();
  const key = JSON.stringify(style);
  for (let r = rect.row + 1; r <= rect.row + rect.rows; r++)
    for (let c = rect.col + 1; c <= rect.col + rect.cols; c++) {
      const cell = cellAt(sheet, r, c);
      const source = cell._style ? cell._style.id() : cell._styleId;
      const shared = sharedStyle(styleSheet, source, key, style, cache);
      // Cell.style(style) for a Style object.
      cell._style = shared;
      cell._styleId = shared.id();
    }
}

/** Values and formats of a sheet the user owns (only the output columns are written). */
function renderCells(sheet: Sheet, sp: SheetPlan, styles: Map<string, StyleInternal>): void {
  for (const block of sp.values) {
    block.values.forEach((line, r) => {
      const row = sheet.row(block.row + r + 1) as unknown as RowCells;
      // Strings are set as values (shared strings), never as formulas: "=SUM(A1)" stays text.
      line.forEach((v, c) => setValue(row.cell(block.col + c + 1), v === null ? undefined : v));
    });
  }
  for (const f of sp.formats) {
    if (f.rect.rows <= 0 || f.rect.cols <= 0) continue;
    const style = toStyle(f.style);
    if (Object.keys(style).length === 0) continue;
    styleRect(sheet, f.rect, style, styles);
  }
  for (const { row, height } of sp.rowHeights ?? []) sheet.row(row + 1).height(height);
}

/** Merges, column widths, frozen panes and print setup (creates no cells). */
function renderLayout(sheet: Sheet, sp: SheetPlan): void {
  for (const m of sp.merges)
    if (m.rows * m.cols > 1)
      (sheet as unknown as { merged(address: string, merge: boolean): void }).merged(
        `${columnName(m.col)}${m.row + 1}:${columnName(m.col + m.cols - 1)}${m.row + m.rows}`,
        true,
      );
  for (const { col, width } of sp.columnWidths) sheet.column(col + 1).width(width);
  if (sp.freeze && (sp.freeze.rows > 0 || sp.freeze.cols > 0))
    sheet.freezePanes(sp.freeze.cols, sp.freeze.rows);
  if (sp.print) applyPrint(sheet, sp.print);
}

interface OwnedCell {
  v?: string | number | boolean;
  s?: StyleInternal;
}

/**
 * A new report sheet's cells as <sheetData> XML, written as xlsx-populate writes cells (strings in the
 * shared string table with t="s", booleans t="b", one shared cell format per distinct style). Building
 * report sheets cell by cell through xlsx-populate's object model and XML builder cost more than the
 * rest of the refresh on small workbooks; the sheet is new, so no cell of the user's is involved.
 */
function ownedSheetData(wb: Workbook, sp: SheetPlan, cache: Map<string, StyleInternal>): string {
  const rows = new Map<number, Map<number, OwnedCell>>();
  const at = (r: number, c: number): OwnedCell => {
    let row = rows.get(r);
    if (!row) rows.set(r, (row = new Map()));
    let cell = row.get(c);
    if (!cell) row.set(c, (cell = {}));
    return cell;
  };
  for (const block of sp.values)
    block.values.forEach((line, r) =>
      line.forEach((v, c) => {
        const cell = at(block.row + r, block.col + c);
        if (v === null) delete cell.v;
        else cell.v = v;
      }),
    );
  const styleSheet = (wb as unknown as { styleSheet(): StyleSheetInternal }).styleSheet();
  for (const f of sp.formats) {
    if (f.rect.rows <= 0 || f.rect.cols <= 0) continue;
    const style = toStyle(f.style);
    if (Object.keys(style).length === 0) continue;
    const key = JSON.stringify(style);
    for (let r = f.rect.row; r < f.rect.row + f.rect.rows; r++)
      for (let c = f.rect.col; c < f.rect.col + f.rect.cols; c++) {
        const cell = at(r, c);
        cell.s = sharedStyle(styleSheet, cell.s?.id(), key, style, cache);
      }
  }
  const heights = new Map<number, number>();
  for (const { row, height } of sp.rowHeights ?? []) {
    heights.set(row, height);
    if (!rows.has(row)) rows.set(row, new Map());
  }
  const strings = (
    wb as unknown as { sharedStrings(): { getIndexForString(s: string): number } }
  ).sharedStrings();
  const names: string[] = [];
  const out: string[] = [];
  for (const r of [...rows.keys()].sort((a, b) => a - b)) {
    const h = heights.get(r);
    out.push(`<row r="${r + 1}"${h === undefined ? "" : ` ht="${h}" customHeight="1"`}>`);
    const row = rows.get(r)!;
    for (const c of [...row.keys()].sort((a, b) => a - b)) {
      const { v, s } = row.get(c)!;
      const ref = `${(names[c] ??= columnName(c))}${r + 1}`;
      const style = s ? ` s="${s.id()}"` : "";
      if (v === undefined) out.push(`<c r="${ref}"${style}/>`);
      else if (typeof v === "string")
        out.push(`<c r="${ref}"${style} t="s"><v>${strings.getIndexForString(v)}</v></c>`);
      else if (typeof v === "boolean") out.push(`<c r="${ref}"${style} t="b"><v>${v ? 1 : 0}</v></c>`);
      else out.push(`<c r="${ref}"${style}><v>${v}</v></c>`);
    }
    out.push("</row>");
  }
  return out.length ? `<sheetData>${out.join("")}</sheetData>` : "<sheetData/>";
}

function childNode(parent: XmlNode, name: string): XmlNode | undefined {
  return parent.children.find((c): c is XmlNode => typeof c === "object" && c.name === name);
}

function insertInOrder(parent: XmlNode, node: XmlNode): void {
  const index = SHEET_NODE_ORDER.indexOf(node.name);
  const at = parent.children.findIndex(
    (c) => typeof c === "object" && SHEET_NODE_ORDER.indexOf(c.name) > index,
  );
  if (at < 0) parent.children.push(node);
  else parent.children.splice(at, 0, node);
}

function applyPrint(sheet: Sheet, print: NonNullable<SheetPlan["print"]>): void {
  let setup = childNode(sheet._node, "pageSetup");
  if (!setup) {
    setup = { name: "pageSetup", attributes: {}, children: [] };
    insertInOrder(sheet._node, setup);
  }
  setup.attributes.orientation = print.orientation;
  if (print.fitToWidth) {
    setup.attributes.fitToWidth = 1;
    setup.attributes.fitToHeight = 0;
    let pr = childNode(sheet._sheetPrNode, "pageSetUpPr");
    if (!pr) {
      pr = { name: "pageSetUpPr", attributes: {}, children: [] };
      sheet._sheetPrNode.children.push(pr);
    }
    pr.attributes.fitToPage = 1;
  }
}
