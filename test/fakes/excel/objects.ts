/**
 * The Excel objects the in-memory Excel executes Office.js requests against (server.ts turns the
 * library's object paths and actions into calls on these). Each object answers what its Excel
 * counterpart answers: scalar properties for a query, navigation properties, methods, property sets.
 * Names are as on the wire: methods and set properties in PascalCase ("GetRangeByIndexes", "Values"),
 * query selects in camelCase ("valueTypes"); server.ts converts query results to PascalCase.
 *
 * Every Excel rule modelled here cites its source. Reference pages:
 * - Excel JavaScript API reference, https://learn.microsoft.com/javascript/api/excel (class pages
 *   below are https://learn.microsoft.com/javascript/api/excel/excel.<class>).
 * - Error codes: "Error handling with the application-specific JavaScript APIs",
 *   https://learn.microsoft.com/office/dev/add-ins/testing/application-specific-api-error-handling
 *   and Excel.ErrorCodes, https://learn.microsoft.com/javascript/api/excel/excel.errorcodes.
 *
 * Browser-safe: no Node APIs.
 */
import { colLetters, rectA1, sheetPrefix, MAX_COLS, MAX_ROWS } from "../../../src/workbook/a1";
import type { RawCell, Rect } from "../../../src/workbook/types";
import {
  absolute,
  coerceWritten,
  newId,
  parseRange,
  type CellFormat,
  type FakeCell,
  type AxisSettings,
  type FakeChart,
  type FakeName,
  type FakeSheet,
  type FakeWorkbook,
  type FakeXmlPart,
  type Visibility,
} from "./model";

/**
 * Excel's limit on the characters in one cell: 32,767 ("Excel specifications and limits",
 * https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3,
 * "Total number of characters that a cell can contain"); a formula may have 8,192 ("Length of formula
 * contents"). Longer ones are refused with InvalidArgument.
 */
export const MAX_CELL_CHARS = 32_767;
/**
 * Reads of more than five million cells fail ("Resource limits and performance optimization for Office
 * Add-ins", https://learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization,
 * Excel add-ins: "A range is limited to five million cells for get operations").
 */
export const MAX_GET_CELLS = 5_000_000;

/** An error in Excel's format: the code (Excel.ErrorCodes) and HTTP status the library reports. */
export class ExcelError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const notFound = (what: string) =>
  new ExcelError("ItemNotFound", `The requested resource doesn't exist. (${what})`, 404);
const invalidArg = (what: string) =>
  new ExcelError(
    "InvalidArgument",
    `The argument is invalid or missing or has an incorrect format. (${what})`,
  );
const invalidOp = (what: string) =>
  new ExcelError(
    "InvalidOperation",
    `The operation is invalid for the object or its current state. (${what})`,
  );
const accessDenied = (what: string) =>
  new ExcelError("AccessDenied", `You cannot perform the requested operation. (${what})`, 403);
const notImplemented = (what: string) =>
  new ExcelError("ApiNotFound", `The API you are trying to use could not be found. (${what})`, 404);

/** What a request may touch besides the model: the context of one execution. */
export interface Env {
  model: FakeWorkbook;
}

type Props = Record<string, () => unknown>;

export abstract class XObject {
  constructor(readonly env: Env) {}
  /** Scalar properties a query can read, by camelCase name. */
  props(): Props {
    return {};
  }
  /** Navigation properties, by camelCase name. */
  nav(name: string): XObject | null {
    throw invalidArg(`${this.constructor.name} has no property ${name}`);
  }
  set(name: string, _value: unknown): void {
    throw invalidArg(`${this.constructor.name}.${name} cannot be set`);
  }
  /** A method: returns a value (ClientResult), an XObject (object path), or undefined. */
  call(name: string, _args: unknown[]): unknown {
    throw notImplemented(`${this.constructor.name}.${name}`);
  }
  /** Collections list their items; other objects return null. */
  items(): XObject[] | null {
    return null;
  }
  /** Collections: the item for an indexer path (getItem(key) or items[key]). */
  index(args: unknown[]): XObject | null {
    throw invalidArg(`${this.constructor.name} has no indexer (${String(args[0])})`);
  }
  /** What the Instantiate action returns (an Id lets the library address an added object later). */
  identity(): Record<string, unknown> {
    return {};
  }
}

// ---------------------------------------------------------------------------------------------------
// Workbook, application, protection

export class XWorkbook extends XObject {
  override props(): Props {
    return { name: () => "Bok1.xlsx" };
  }
  override nav(name: string): XObject | null {
    const m = this.env.model;
    switch (name) {
      case "worksheets":
        return new XWorksheets(this.env);
      case "names":
        return new XNames(this.env, null);
      case "customXmlParts":
        return new XXmlParts(this.env, null);
      case "application":
        return new XApplication(this.env);
      case "protection":
        return new XWorkbookProtection(this.env, m);
      default:
        return super.nav(name);
    }
  }
  override call(name: string, args: unknown[]): unknown {
    const m = this.env.model;
    if (name === "GetSelectedRange") {
      const sel = m.selection ?? (m.activeSheet ? { sheet: m.activeSheet, address: "A1" } : null);
      const sheet = sel && m.sheet(sel.sheet);
      if (!sel || !sheet) throw invalidOp("no selection");
      // "If there are multiple ranges selected, this method will throw an error."
      // (Excel.Workbook.getSelectedRange; the error code is Excel.ErrorCodes.invalidSelection)
      if (sel.address.includes(","))
        throw new ExcelError("InvalidSelection", "The current selection is invalid for this operation.");
      return new XRange(this.env, sheet, parseRange(sel.address));
    }
    if (name === "GetActiveCell") {
      const r = this.call("GetSelectedRange", args) as XRange;
      return new XRange(this.env, r.sheet, { ...r.rect, rows: 1, cols: 1 });
    }
    return super.call(name, args);
  }
}

class XApplication extends XObject {
  override props(): Props {
    return { calculationMode: () => "Automatic" };
  }
  override call(name: string, args: unknown[]): unknown {
    if (
      name === "SuspendApiCalculationUntilNextSync" ||
      name === "SuspendScreenUpdatingUntilNextSync" ||
      name === "Calculate"
    )
      return undefined;
    return super.call(name, args);
  }
}

class XWorkbookProtection extends XObject {
  constructor(
    env: Env,
    private readonly wb: FakeWorkbook,
  ) {
    super(env);
  }
  override props(): Props {
    return { protected: () => this.wb.structureProtected };
  }
  override call(name: string, args: unknown[]): unknown {
    if (name === "Protect") this.wb.structureProtected = true;
    else if (name === "Unprotect") this.wb.structureProtected = false;
    else return super.call(name, args);
    return undefined;
  }
}

/** Adding, deleting, renaming, moving and hiding sheets need an unprotected workbook structure. */
function checkStructure(wb: FakeWorkbook, what: string): void {
  if (wb.structureProtected) throw accessDenied(`the workbook structure is protected: ${what}`);
}

// ---------------------------------------------------------------------------------------------------
// Worksheets

/**
 * Sheet names: at most 31 characters, none of \ / ? * [ ] :, not empty, unique ignoring case
 * ("Rename a worksheet", https://support.microsoft.com/office/rename-a-worksheet-3f1f7148-ee83-404d-8ef0-9ff99fbad1f9).
 */
function checkSheetName(wb: FakeWorkbook, name: unknown, except?: FakeSheet): string {
  if (typeof name !== "string" || name.trim() === "" || name.length > 31 || /[\\/?*[\]:]/.test(name))
    throw invalidArg(`sheet name ${String(name)}`);
  if (/^'|'$/.test(name)) throw invalidArg(`sheet name ${name}`);
  const other = wb.sheet(name);
  if (other && other !== except)
    throw new ExcelError("ItemAlreadyExists", `The resource already exists. (${name})`, 409);
  return name;
}

class XWorksheets extends XObject {
  override items(): XObject[] {
    return this.env.model.sheets.map((s) => new XWorksheet(this.env, s));
  }
  override index(args: unknown[]): XObject | null {
    // "Gets a worksheet object using its name or ID." (Excel.WorksheetCollection.getItem)
    const key = String(args[0]);
    const s = this.env.model.sheets.find((x) => x.id === key) ?? this.env.model.sheet(key);
    if (!s) throw notFound(`worksheet ${key}`);
    return new XWorksheet(this.env, s);
  }
  override call(name: string, args: unknown[]): unknown {
    const m = this.env.model;
    switch (name) {
      case "GetItem":
        return this.index(args);
      case "GetItemOrNullObject": {
        const key = String(args[0]);
        const s = m.sheets.find((x) => x.id === key) ?? m.sheet(key);
        return s ? new XWorksheet(this.env, s) : null;
      }
      case "GetItemAt": {
        const s = m.sheets[Number(args[0])];
        if (!s) throw notFound(`worksheet at ${String(args[0])}`);
        return new XWorksheet(this.env, s);
      }
      case "GetCount":
        return m.sheets.length;
      case "GetActiveWorksheet": {
        const s = (m.activeSheet && m.sheet(m.activeSheet)) || m.sheets[0];
        if (!s) throw notFound("active worksheet");
        return new XWorksheet(this.env, s);
      }
      case "Add": {
        checkStructure(m, "add a worksheet");
        let sheetName = args[0] as string | undefined | null;
        if (sheetName === undefined || sheetName === null) {
          let n = m.sheets.length + 1;
          while (m.sheet(`Sheet${n}`)) n++;
          sheetName = `Sheet${n}`;
        }
        const s = m.addSheet(checkSheetName(m, sheetName));
        return new XWorksheet(this.env, s);
      }
      default:
        return super.call(name, args);
    }
  }
}

export class XWorksheet extends XObject {
  constructor(
    env: Env,
    readonly sheet: FakeSheet,
  ) {
    super(env);
  }
  override identity(): Record<string, unknown> {
    return { Id: this.sheet.id };
  }
  override props(): Props {
    const s = this.sheet;
    return {
      name: () => s.name,
      id: () => s.id,
      position: () => this.env.model.sheets.indexOf(s),
      visibility: () => s.visibility,
      standardHeight: () => 15,
      standardWidth: () => 8.43,
      tabColor: () => "",
    };
  }
  override nav(name: string): XObject | null {
    switch (name) {
      case "protection":
        return new XSheetProtection(this.env, this.sheet);
      case "names":
        return new XNames(this.env, this.sheet);
      case "charts":
        return new XCharts(this.env, this.sheet);
      case "freezePanes":
        return new XFreezePanes(this.env, this.sheet);
      case "pageLayout":
        return new XPageLayout(this.env, this.sheet);
      default:
        return super.nav(name);
    }
  }
  override set(name: string, value: unknown): void {
    const m = this.env.model;
    const s = this.sheet;
    switch (name) {
      case "name":
        if (value === s.name) return;
        checkStructure(m, "rename a worksheet");
        s.name = checkSheetName(m, value, s);
        return;
      case "visibility": {
        const v = value as Visibility;
        if (!["Visible", "Hidden", "VeryHidden"].includes(v)) throw invalidArg(`visibility ${String(value)}`);
        if (v === s.visibility) return;
        checkStructure(m, "hide or show a worksheet");
        if (v !== "Visible" && m.sheets.filter((x) => x.visibility === "Visible" && x !== s).length === 0)
          // A workbook must keep at least one visible sheet (Excel refuses to hide the last one).
          throw invalidOp("the last visible sheet cannot be hidden");
        s.visibility = v;
        return;
      }
      case "position": {
        checkStructure(m, "move a worksheet");
        const to = Math.max(0, Math.min(m.sheets.length - 1, Number(value)));
        m.sheets = m.sheets.filter((x) => x !== s);
        m.sheets.splice(to, 0, s);
        return;
      }
      case "tabColor":
        return;
      default:
        super.set(name, value);
    }
  }
  override call(name: string, args: unknown[]): unknown {
    const m = this.env.model;
    const s = this.sheet;
    switch (name) {
      case "GetRange":
        return new XRange(this.env, s, args[0] ? rangeOf(String(args[0])) : WHOLE_SHEET);
      case "GetRangeByIndexes": {
        const [row, col, rows, cols] = args.map(Number);
        if (!(
          row >= 0 &&
          col >= 0 &&
          rows > 0 &&
          cols > 0 &&
          row + rows <= MAX_ROWS &&
          col + cols <= MAX_COLS
        ))
          throw invalidArg(`getRangeByIndexes(${args.join(", ")})`);
        return new XRange(this.env, s, { row, col, rows, cols });
      }
      case "GetCell":
        return new XRange(this.env, s, { row: Number(args[0]), col: Number(args[1]), rows: 1, cols: 1 });
      case "GetRanges": {
        // Excel.Worksheet.getRanges(address) (ExcelApi 1.9): "Gets the RangeAreas object, representing
        // one or more blocks of rectangular ranges, specified by the address or name"; the address is
        // comma-delimited ("F3:F5, H3:H5", https://learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-multiple-ranges).
        const parts = String(args[0] ?? "")
          .split(",")
          .map((a) => a.trim());
        if (parts.some((a) => a === "")) throw invalidArg(`getRanges(${String(args[0])})`);
        return new XAreas(this.env, s, parts.map(rangeOf));
      }
      case "GetUsedRange":
      case "GetUsedRangeOrNullObject": {
        const rect = s.usedRect(Boolean(args[0]));
        if (rect) return new XRange(this.env, s, rect);
        // An empty sheet's used range is A1 (getUsedRange) or a null object (getUsedRangeOrNullObject).
        return name === "GetUsedRange" ? new XRange(this.env, s, { row: 0, col: 0, rows: 1, cols: 1 }) : null;
      }
      case "Activate":
        m.activeSheet = s.name;
        return undefined;
      case "Delete": {
        checkStructure(m, "delete a worksheet");
        // "if the worksheet's visibility is set to "VeryHidden", the delete operation will fail with an
        // InvalidOperation exception" (Excel.Worksheet.delete)
        if (s.visibility === "VeryHidden") throw invalidOp("a very hidden sheet cannot be deleted");
        if (m.sheets.filter((x) => x.visibility === "Visible" && x !== s).length === 0)
          throw invalidOp("a workbook must contain at least one visible worksheet");
        m.deleteSheet(s.name);
        return undefined;
      }
      default:
        return super.call(name, args);
    }
  }
}

class XSheetProtection extends XObject {
  constructor(
    env: Env,
    private readonly sheet: FakeSheet,
  ) {
    super(env);
  }
  override props(): Props {
    return { protected: () => this.sheet.protected };
  }
  override call(name: string, args: unknown[]): unknown {
    if (name === "Protect") this.sheet.protected = true;
    else if (name === "Unprotect") this.sheet.protected = false;
    else return super.call(name, args);
    return undefined;
  }
}

/**
 * Writes to a protected sheet fail: protecting a sheet locks all its cells by default ("Protect a
 * worksheet", https://support.microsoft.com/office/protect-a-worksheet-3179efdb-1285-4d49-a9c3-f4ca36276de6).
 */
function checkWritable(sheet: FakeSheet, what: string): void {
  if (sheet.protected) throw accessDenied(`${sheet.name} is protected: ${what}`);
}

// ---------------------------------------------------------------------------------------------------
// Ranges

const WHOLE_SHEET: Rect = { row: 0, col: 0, rows: MAX_ROWS, cols: MAX_COLS };

function rangeOf(address: string): Rect {
  const a = address.includes("!") ? address.slice(address.lastIndexOf("!") + 1) : address;
  const cols = /^\$?([A-Za-z]{1,3}):\$?([A-Za-z]{1,3})$/.exec(a);
  if (cols) {
    const r = parseRange(`${cols[1]}1:${cols[2]}1`);
    return { ...r, row: 0, rows: MAX_ROWS };
  }
  const rows = /^\$?(\d+):\$?(\d+)$/.exec(a);
  if (rows) {
    const r = parseRange(`A${rows[1]}:A${rows[2]}`);
    return { ...r, col: 0, cols: MAX_COLS };
  }
  try {
    return parseRange(a.replace(/\$/g, ""));
  } catch {
    throw invalidArg(`address ${address}`);
  }
}

/** "Blad!A1:B2" as Excel.Range.address gives it (the sheet quoted when needed). */
function addressOf(sheet: FakeSheet, r: Rect): string {
  let ref: string;
  if (r.rows === MAX_ROWS && r.cols === MAX_COLS) ref = "1:1048576";
  else if (r.rows === MAX_ROWS) ref = `${colLetters(r.col)}:${colLetters(r.col + r.cols - 1)}`;
  else if (r.cols === MAX_COLS) ref = `${r.row + 1}:${r.row + r.rows}`;
  else ref = rectA1(r);
  return `${sheetPrefix(sheet.name)}!${ref}`;
}

/** The cells of the rect that exist in the model (never creates any). */
function* existing(sheet: FakeSheet, r: Rect): Generator<[number, number, FakeCell]> {
  for (const [row, line] of sheet.cells) {
    if (row < r.row || row >= r.row + r.rows) continue;
    for (const [col, cell] of line) if (col >= r.col && col < r.col + r.cols) yield [row, col, cell];
  }
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.row < b.row + b.rows && b.row < a.row + a.rows && a.col < b.col + b.cols && b.col < a.col + a.cols;
}

/**
 * A 2-D array of exactly the range's size, or a single value for every cell. "When setting number
 * format to a range, the value argument can be either a single value (string) or a two-dimensional
 * array. If the argument is a single value, it will be applied to all cells in the range."
 * (Excel.Range.numberFormat; values and formulas follow the same rule). An array of any other size is an
 * InvalidArgument ("The number of rows or columns in the input array doesn't match the size or
 * dimensions of the range").
 */
function grid(value: unknown, r: Rect, prop: string): (row: number, col: number) => unknown {
  if (!Array.isArray(value)) return () => value;
  if (value.length !== r.rows || value.some((line) => !Array.isArray(line) || line.length !== r.cols))
    throw invalidArg(`${prop}: the input array does not match the range's ${r.rows}×${r.cols} cells`);
  return (row, col) => (value[row] as unknown[])[col];
}

export class XRange extends XObject {
  constructor(
    env: Env,
    readonly sheet: FakeSheet,
    readonly rect: Rect,
  ) {
    super(env);
  }

  private cells<V>(read: (cell: FakeCell | undefined) => V): V[][] {
    const { row, col, rows, cols } = this.rect;
    if (rows * cols > MAX_GET_CELLS) throw invalidOp(`a read of ${rows * cols} cells (limit 5 000 000)`);
    const out: V[][] = [];
    for (let r = 0; r < rows; r++) {
      const line = this.sheet.cells.get(row + r);
      const vals = new Array<V>(cols);
      for (let c = 0; c < cols; c++) vals[c] = read(line?.get(col + c));
      out.push(vals);
    }
    return out;
  }

  private shown(cell: FakeCell | undefined): RawCell {
    return cell ? this.env.model.shown(this.sheet, cell) : null;
  }

  override props(): Props {
    const { row, col, rows, cols } = this.rect;
    return {
      address: () => addressOf(this.sheet, this.rect),
      addressLocal: () => addressOf(this.sheet, this.rect),
      rowIndex: () => row,
      columnIndex: () => col,
      rowCount: () => rows,
      columnCount: () => cols,
      cellCount: () => rows * cols,
      // Excel.Range.values: errors read as their text (e.g. "#REF!"), empty cells as "".
      values: () =>
        this.cells((c) => {
          const v = this.shown(c);
          return v === null ? "" : typeof v === "object" ? v.error : v;
        }),
      // Excel.RangeValueType: Empty, String, Double, Boolean, Error (numbers read as Double).
      valueTypes: () =>
        this.cells((c) => {
          const v = this.shown(c);
          if (v === null) return "Empty";
          if (typeof v === "object") return "Error";
          return typeof v === "number" ? "Double" : typeof v === "boolean" ? "Boolean" : "String";
        }),
      // Excel.Range.formulas: "If a cell has no formula, its value is returned instead."
      formulas: () =>
        this.cells((c) => {
          if (c?.formula) return c.formula;
          const v = this.shown(c);
          return v === null ? "" : typeof v === "object" ? v.error : v;
        }),
      numberFormat: () => this.cells((c) => c?.numberFormat ?? "General"),
      text: () =>
        this.cells((c) => {
          const v = this.shown(c);
          return v === null ? "" : typeof v === "object" ? v.error : String(v);
        }),
    };
  }

  override nav(name: string): XObject | null {
    if (name === "format") return new XFormat(this.env, this);
    if (name === "worksheet") return new XWorksheet(this.env, this.sheet);
    return super.nav(name);
  }

  /** Applies fn to every cell of the rect, creating the cells (for writes of a bounded size). */
  each(fn: (cell: FakeCell, r: number, c: number) => void): void {
    const { row, col, rows, cols } = this.rect;
    if (rows * cols > MAX_GET_CELLS) throw invalidOp(`a write to ${rows * cols} cells`);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) fn(this.sheet.cell(row + r, col + c), r, c);
  }

  override set(name: string, value: unknown): void {
    checkWritable(this.sheet, `set ${name}`);
    switch (name) {
      case "values":
      case "formulas": {
        const at = grid(value, this.rect, name);
        const { row, col, rows, cols } = this.rect;
        if (rows * cols > MAX_GET_CELLS) throw invalidOp(`a write to ${rows * cols} cells`);
        for (let r = 0; r < rows; r++)
          for (let c = 0; c < cols; c++) {
            const v = at(r, c);
            // A null leaves the cell as it is (and creates nothing).
            if (v !== null && v !== undefined)
              writeCell(this.sheet.cell(row + r, col + c), v, name === "formulas");
          }
        return;
      }
      case "numberFormat": {
        const at = grid(value, this.rect, name);
        this.each((cell, r, c) => {
          const f = at(r, c);
          if (f === null) return; // null leaves a cell's format unchanged, as for values
          if (typeof f !== "string") throw invalidArg(`numberFormat ${String(f)}`);
          cell.numberFormat = f === "General" ? undefined : f;
        });
        return;
      }
      default:
        super.set(name, value);
    }
  }

  override call(name: string, args: unknown[]): unknown {
    const s = this.sheet;
    const r = this.rect;
    switch (name) {
      case "GetMergedAreasOrNullObject": {
        const areas = s.merges.filter((m) => overlaps(m, r));
        return areas.length ? new XAreas(this.env, s, areas) : null;
      }
      case "GetCell":
        return new XRange(this.env, s, {
          row: r.row + Number(args[0]),
          col: r.col + Number(args[1]),
          rows: 1,
          cols: 1,
        });
      case "GetResizedRange": {
        // Excel.Range.getResizedRange(deltaRows, deltaColumns) (ExcelApi 1.7): the bottom-right corner
        // moved; a range that would leave the grid of 1 048 576 rows × 16 384 columns ("Excel
        // specifications and limits", https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3)
        // or lose its last row or column is an InvalidArgument.
        const rows = r.rows + Number(args[0]);
        const cols = r.cols + Number(args[1]);
        if (rows < 1 || cols < 1 || r.row + rows > MAX_ROWS || r.col + cols > MAX_COLS)
          throw invalidArg(`getResizedRange(${String(args[0])}, ${String(args[1])})`);
        return new XRange(this.env, s, { ...r, rows, cols });
      }
      case "GetIntersectionOrNullObject": {
        // Excel.Range.getIntersectionOrNullObject(anotherRange) (ExcelApi 1.4): "Gets the range object
        // that represents the rectangular intersection of the given ranges. If no intersection is found,
        // then this method returns an object with its isNullObject property set to true."
        // https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-getintersectionornullobject-member(1)
        const o = typeof args[0] === "string" ? new XRange(this.env, s, rangeOf(args[0])) : args[0];
        if (!(o instanceof XRange) || o.sheet !== s) throw invalidArg("getIntersectionOrNullObject");
        const row = Math.max(r.row, o.rect.row);
        const col = Math.max(r.col, o.rect.col);
        const rows = Math.min(r.row + r.rows, o.rect.row + o.rect.rows) - row;
        const cols = Math.min(r.col + r.cols, o.rect.col + o.rect.cols) - col;
        return rows > 0 && cols > 0 ? new XRange(this.env, s, { row, col, rows, cols }) : null;
      }
      case "GetRow":
        return new XRange(this.env, s, { ...r, row: r.row + Number(args[0]), rows: 1 });
      case "GetColumn":
        return new XRange(this.env, s, { ...r, col: r.col + Number(args[0]), cols: 1 });
      case "GetBoundingRect": {
        const o = args[0];
        if (!(o instanceof XRange) || o.sheet !== s) throw invalidArg("getBoundingRect");
        const row = Math.min(r.row, o.rect.row);
        const col = Math.min(r.col, o.rect.col);
        const rows = Math.max(r.row + r.rows, o.rect.row + o.rect.rows) - row;
        const cols = Math.max(r.col + r.cols, o.rect.col + o.rect.cols) - col;
        return new XRange(this.env, s, { row, col, rows, cols });
      }
      case "GetSpecialCells":
      case "GetSpecialCellsOrNullObject": {
        // Excel.Range.getSpecialCells(cellType, cellValueType): the cells holding constants or formulas
        // whose value is of the given kind ("Errors", "Numbers", "Text", "Logical" or "All"), as
        // RangeAreas; "If no special cells are found, ... isNullObject property set to true" (OrNullObject)
        // or an ItemNotFound error. Without cellValueType, "The default is to select all constants or
        // formulas, no matter what the type" (Excel.Range.getSpecialCells,
        // https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-getspecialcells-member(1)):
        // a formula cell counts whatever it shows (this model does not calculate, so it may show nothing).
        const cellType = String(args[0]);
        const valueType = args[1] === undefined || args[1] === null ? "All" : String(args[1]);
        if (cellType !== "Constants" && cellType !== "Formulas") throw invalidArg(`cellType ${cellType}`);
        const kind = (v: RawCell) =>
          v === null
            ? ""
            : typeof v === "object"
              ? "Errors"
              : typeof v === "number"
                ? "Numbers"
                : typeof v === "boolean"
                  ? "Logical"
                  : "Text";
        const hits: { row: number; col: number }[] = [];
        for (const [row, col, cell] of existing(s, r)) {
          if ((cellType === "Formulas") !== Boolean(cell.formula)) continue;
          const k = kind(this.shown(cell));
          if (valueType === "All" ? k || cell.formula : k && valueType.includes(k)) hits.push({ row, col });
        }
        if (!hits.length) {
          if (name === "GetSpecialCellsOrNullObject") return null;
          throw notFound("no cells were found");
        }
        return new XAreas(this.env, s, runs(hits));
      }
      case "_ValidateArraySize":
        // The library splits a large array write into row chunks and first asks Excel to check the
        // whole array's size against the range (setRangePropertiesInBulk in excel-web-16.00).
        if (Number(args[0]) !== r.rows || Number(args[1]) !== r.cols)
          throw invalidArg(
            `the input array (${String(args[0])}×${String(args[1])}) does not match the range`,
          );
        return undefined;
      case "Select":
        this.env.model.activeSheet = s.name;
        this.env.model.selection = { sheet: s.name, address: rectA1(r) };
        return undefined;
      case "Merge": {
        checkWritable(s, "merge");
        // Merging replaces the merged areas the range overlaps; "across" merges each row separately
        // (Excel.Range.merge(across)).
        s.merges = s.merges.filter((m) => !overlaps(m, r));
        if (args[0] === true)
          for (let i = 0; i < r.rows; i++) {
            if (r.cols > 1) s.merges.push({ row: r.row + i, col: r.col, rows: 1, cols: r.cols });
          }
        else if (r.rows * r.cols > 1) s.merges.push({ ...r });
        return undefined;
      }
      case "Unmerge":
        checkWritable(s, "unmerge");
        s.merges = s.merges.filter((m) => !overlaps(m, r));
        return undefined;
      case "Clear":
        checkWritable(s, "clear");
        this.clear(String(args[0] ?? "All"));
        return undefined;
      default:
        return super.call(name, args);
    }
  }

  /**
   * Excel.Range.clear(applyTo): "All" (the default) clears contents and formats, "Contents" only values
   * and formulas, "Formats" only formats. Clearing formats also unmerges, as Excel's "Clear Formats".
   */
  private clear(applyTo: string): void {
    const contents = applyTo === "All" || applyTo === "Contents";
    const formats = applyTo === "All" || applyTo === "Formats";
    if (!contents && !formats) return;
    for (const [row, col, cell] of [...existing(this.sheet, this.rect)]) {
      if (contents) {
        cell.value = null;
        delete cell.formula;
      }
      if (formats) {
        delete cell.numberFormat;
        delete cell.format;
      }
      if (cell.value === null && !cell.formula && !cell.numberFormat && !cell.format)
        this.sheet.cells.get(row)?.delete(col);
    }
    if (formats) this.sheet.merges = this.sheet.merges.filter((m) => !overlaps(m, this.rect));
  }
}

/**
 * Writes one value through Range.values (or .formulas) as Excel stores it (see coerceWritten). A
 * text longer than 32,767 characters is refused (MAX_CELL_CHARS counts what the cell holds, so a
 * leading apostrophe that only marks text is not counted); null leaves the cell unchanged (a null in
 * the input array means "no change" in Office.js).
 */
function writeCell(cell: FakeCell, v: unknown, formulas: boolean): void {
  if (v === null || v === undefined) return;
  if (formulas && typeof v === "string" && v.startsWith("=") && v.length > 1) {
    if (v.length > 8192) throw invalidArg(`a formula of ${v.length} characters (limit 8192)`);
    cell.formula = v;
    cell.value = null;
    return;
  }
  const written = coerceWritten(v, cell.numberFormat);
  if (typeof written.value === "string" && written.value.length > MAX_CELL_CHARS)
    throw invalidArg(`a text of ${written.value.length} characters (limit ${MAX_CELL_CHARS})`);
  cell.value = written.value;
  if (written.formula) cell.formula = written.formula;
  else delete cell.formula;
}

/** Cells as areas: vertical runs of adjacent cells in each column. */
function runs(cells: { row: number; col: number }[]): Rect[] {
  const sorted = [...cells].sort((a, b) => a.col - b.col || a.row - b.row);
  const out: Rect[] = [];
  for (const c of sorted) {
    const last = out[out.length - 1];
    if (last && last.col === c.col && last.row + last.rows === c.row) last.rows++;
    else out.push({ row: c.row, col: c.col, rows: 1, cols: 1 });
  }
  return out;
}

class XAreas extends XObject {
  constructor(
    env: Env,
    private readonly sheet: FakeSheet,
    private readonly areas: Rect[],
  ) {
    super(env);
  }
  /**
   * RangeAreas.format: "Setting a property on a RangeAreas object sets the corresponding property on all
   * the ranges in the RangeAreas.areas collection" (Work with multiple ranges simultaneously in Excel
   * add-ins, https://learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-multiple-ranges): each
   * area is formatted as a range of its own (an edge border goes on each area's edge).
   */
  override nav(name: string): XObject | null {
    if (name === "format")
      return new XEach(
        this.env,
        this.areas.map((a) => new XFormat(this.env, new XRange(this.env, this.sheet, a))),
      );
    return super.nav(name);
  }
  override props(): Props {
    return {
      areaCount: () => this.areas.length,
      address: () => this.areas.map((a) => addressOf(this.sheet, a)).join(","),
      cellCount: () => this.areas.reduce((n, a) => n + a.rows * a.cols, 0),
    };
  }
}

/** The same writes on several objects (a RangeAreas' format, font, fill and borders, area by area). */
class XEach extends XObject {
  constructor(
    env: Env,
    private readonly parts: XObject[],
  ) {
    super(env);
  }
  override nav(name: string): XObject | null {
    return new XEach(
      this.env,
      this.parts.map((p) => p.nav(name)!),
    );
  }
  override set(name: string, value: unknown): void {
    for (const p of this.parts) p.set(name, value);
  }
  override index(args: unknown[]): XObject | null {
    return new XEach(
      this.env,
      this.parts.map((p) => p.index(args)!),
    );
  }
  override call(name: string, args: unknown[]): unknown {
    const out = this.parts.map((p) => p.call(name, args));
    return out.every((o) => o instanceof XObject) ? new XEach(this.env, out as XObject[]) : undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Formats

class XFormat extends XObject {
  constructor(
    env: Env,
    private readonly range: XRange,
  ) {
    super(env);
  }
  override props(): Props {
    const first = this.range.sheet.get(this.range.rect.row, this.range.rect.col)?.format ?? {};
    const s = this.range.sheet;
    return {
      columnWidth: () => s.columnWidths.get(this.range.rect.col) ?? 48,
      rowHeight: () => s.rowHeights.get(this.range.rect.row) ?? 15,
      horizontalAlignment: () => first.horizontalAlignment ?? "General",
      verticalAlignment: () => first.verticalAlignment ?? "Bottom",
      wrapText: () => first.wrapText ?? false,
      indentLevel: () => first.indentLevel ?? 0,
    };
  }
  override nav(name: string): XObject | null {
    if (name === "font") return new XStyle(this.env, this.range, FONT);
    if (name === "fill") return new XStyle(this.env, this.range, FILL);
    if (name === "borders") return new XBorders(this.env, this.range);
    return super.nav(name);
  }
  override set(name: string, value: unknown): void {
    const { sheet, rect } = this.range;
    checkWritable(sheet, `format.${name}`);
    switch (name) {
      case "columnWidth":
        for (let c = rect.col; c < rect.col + Math.min(rect.cols, MAX_COLS); c++)
          sheet.columnWidths.set(c, Number(value));
        return;
      case "rowHeight":
        if (rect.rows > MAX_GET_CELLS) throw invalidOp("rowHeight of the whole sheet");
        for (let r = rect.row; r < rect.row + rect.rows; r++) sheet.rowHeights.set(r, Number(value));
        return;
      case "useStandardHeight":
        // Excel.RangeFormat.useStandardHeight: true resets the rows to the sheet's standard height.
        if (value === true)
          for (const r of [...sheet.rowHeights.keys()])
            if (r >= rect.row && r < rect.row + rect.rows) sheet.rowHeights.delete(r);
        return;
      case "horizontalAlignment":
      case "verticalAlignment":
      case "wrapText":
      case "indentLevel":
        this.range.each((cell) => {
          cell.format = { ...cell.format, [name]: value };
        });
        return;
      default:
        super.set(name, value);
    }
  }
}

interface StyleSpec {
  /** Wire name (camelCase) → the CellFormat key it sets. */
  keys: Record<string, keyof CellFormat>;
  defaults: Record<string, unknown>;
}
const FONT: StyleSpec = {
  keys: { bold: "bold", italic: "italic", size: "fontSize", color: "fontColor", name: "fontName" },
  defaults: { bold: false, italic: false, size: 11, color: "#000000", name: "Calibri" },
};
const FILL: StyleSpec = { keys: { color: "fill" }, defaults: { color: "#FFFFFF" } };

/** Range.format.font and Range.format.fill. */
class XStyle extends XObject {
  constructor(
    env: Env,
    private readonly range: XRange,
    private readonly spec: StyleSpec,
  ) {
    super(env);
  }
  override props(): Props {
    const f = this.range.sheet.get(this.range.rect.row, this.range.rect.col)?.format ?? {};
    return Object.fromEntries(
      Object.entries(this.spec.keys).map(([wire, key]) => [wire, () => f[key] ?? this.spec.defaults[wire]]),
    );
  }
  override set(name: string, value: unknown): void {
    const key = this.spec.keys[name];
    if (!key) return super.set(name, value);
    checkWritable(this.range.sheet, `font/fill ${name}`);
    this.range.each((cell) => {
      cell.format = { ...cell.format, [key]: value };
    });
  }
  override call(name: string, args: unknown[]): unknown {
    if (name !== "Clear") return super.call(name, args);
    checkWritable(this.range.sheet, "fill.clear");
    this.range.each((cell) => {
      if (cell.format) delete cell.format.fill;
    });
    return undefined;
  }
}

const BORDER_EDGES = ["EdgeTop", "EdgeBottom", "EdgeLeft", "EdgeRight", "InsideVertical", "InsideHorizontal"];

class XBorders extends XObject {
  constructor(
    env: Env,
    private readonly range: XRange,
  ) {
    super(env);
  }
  override index(args: unknown[]): XObject | null {
    const edge = String(args[0]);
    if (!BORDER_EDGES.includes(edge)) throw invalidArg(`border ${edge}`);
    return new XBorder(this.env, this.range, edge);
  }
  override call(name: string, args: unknown[]): unknown {
    return name === "GetItem" ? this.index(args) : super.call(name, args);
  }
}

class XBorder extends XObject {
  constructor(
    env: Env,
    private readonly range: XRange,
    private readonly edge: string,
  ) {
    super(env);
  }
  override props(): Props {
    // As Excel reads it: the border of the range's first cell on that edge (Excel.RangeBorder).
    const b = this.range.sheet.get(this.range.rect.row, this.range.rect.col)?.format?.borders?.[this.edge];
    return {
      sideIndex: () => this.edge,
      style: () => b?.style ?? "None",
      weight: () => b?.weight ?? "Thin",
      color: () => b?.color ?? "#000000",
    };
  }
  override set(name: string, value: unknown): void {
    if (name !== "style" && name !== "weight" && name !== "color") return super.set(name, value);
    checkWritable(this.range.sheet, `border ${name}`);
    const { rect } = this.range;
    // An edge border applies to the cells on that edge of the range.
    this.range.each((cell, r, c) => {
      const onEdge =
        (this.edge === "EdgeTop" && r === 0) ||
        (this.edge === "EdgeBottom" && r === rect.rows - 1) ||
        (this.edge === "EdgeLeft" && c === 0) ||
        (this.edge === "EdgeRight" && c === rect.cols - 1) ||
        this.edge.startsWith("Inside");
      if (!onEdge) return;
      const borders = { ...cell.format?.borders };
      borders[this.edge] = Object.assign({ style: "Continuous", weight: "Thin" }, borders[this.edge], {
        [name]: String(value),
      });
      cell.format = { ...cell.format, borders };
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// Names

/**
 * workbook.names holds the workbook-scoped names, worksheet.names that sheet's names (Excel.Workbook.names:
 * "Represents a collection of workbook-scoped named items"; Excel.Worksheet.names: "Collection of names
 * scoped to the current worksheet").
 */
class XNames extends XObject {
  constructor(
    env: Env,
    private readonly sheet: FakeSheet | null,
  ) {
    super(env);
  }
  private scope(): string | null {
    return this.sheet?.name ?? null;
  }
  private list(): FakeName[] {
    const scope = this.scope()?.toLowerCase() ?? null;
    return this.env.model.names.filter((n) => (n.scope?.toLowerCase() ?? null) === scope);
  }
  override items(): XObject[] {
    return this.list().map((n) => new XName(this.env, n));
  }
  override index(args: unknown[]): XObject | null {
    const n = this.env.model.findName(String(args[0]), this.scope());
    if (!n) throw notFound(`name ${String(args[0])}`);
    return new XName(this.env, n);
  }
  override call(name: string, args: unknown[]): unknown {
    switch (name) {
      case "GetItem":
        return this.index(args);
      case "GetItemOrNullObject": {
        const n = this.env.model.findName(String(args[0]), this.scope());
        return n ? new XName(this.env, n) : null;
      }
      case "GetCount":
        return this.list().length;
      case "Add": {
        const [nameArg, reference, comment] = args;
        const n = String(nameArg);
        // Defined names: start with a letter, underscore or backslash, no spaces, not a cell reference
        // ("Define and use names in formulas", https://support.microsoft.com/office/define-and-use-names-in-formulas-4d0f13ac-53b7-422e-afd2-abd7ff379c64).
        if (!/^[A-Za-z_\\\u00C0-\u024F][\w.\\\u00C0-\u024F]*$/.test(n) || /^[A-Za-z]{1,3}\d+$/.test(n))
          throw invalidArg(`name ${n}`);
        if (this.env.model.findName(n, this.scope()))
          throw new ExcelError("ItemAlreadyExists", `The resource already exists. (${n})`, 409);
        let formula: string;
        if (reference instanceof XRange)
          formula = `=${sheetPrefix(reference.sheet.name)}!${absolute(rectA1(reference.rect))}`;
        else if (typeof reference === "string")
          formula = reference.startsWith("=") ? reference : `=${reference}`;
        else throw invalidArg("name reference");
        const entry: FakeName = { name: n, scope: this.scope(), formula };
        if (typeof comment === "string" && comment) entry.comment = comment;
        this.env.model.names.push(entry);
        return new XName(this.env, entry);
      }
      default:
        return super.call(name, args);
    }
  }
}

class XName extends XObject {
  constructor(
    env: Env,
    private readonly n: FakeName,
  ) {
    super(env);
  }
  override props(): Props {
    const n = this.n;
    return {
      name: () => n.name,
      formula: () => n.formula,
      value: () => n.formula.replace(/^=/, ""),
      type: () => (/#REF!/i.test(n.formula) ? "Error" : /!/.test(n.formula) ? "Range" : "String"),
      visible: () => true,
      comment: () => n.comment ?? "",
      scope: () => (n.scope === null ? "Workbook" : "Worksheet"),
    };
  }
  override set(name: string, value: unknown): void {
    if (name === "formula") this.n.formula = String(value);
    else if (name === "comment") this.n.comment = String(value);
    else if (name !== "visible") super.set(name, value);
  }
  override call(name: string, args: unknown[]): unknown {
    const m = this.env.model;
    if (name === "Delete") {
      m.names = m.names.filter((x) => x !== this.n);
      return undefined;
    }
    if (name === "GetRange" || name === "GetRangeOrNullObject") {
      const r = /^='?(.+?)'?!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/.exec(this.n.formula);
      const sheet = r && m.sheet(r[1].replace(/''/g, "'"));
      if (!r || !sheet) {
        if (name === "GetRangeOrNullObject") return null;
        throw invalidOp(`${this.n.name} is not a range`);
      }
      return new XRange(
        this.env,
        sheet,
        parseRange(r[4] ? `${r[2]}${r[3]}:${r[4]}${r[5]}` : `${r[2]}${r[3]}`),
      );
    }
    return super.call(name, args);
  }
}

// ---------------------------------------------------------------------------------------------------
// Custom XML parts (ExcelApi 1.5)

class XXmlParts extends XObject {
  constructor(
    env: Env,
    /** getByNamespace's namespace, or null for workbook.customXmlParts. */
    private readonly ns: string | null,
  ) {
    super(env);
  }
  private list(): FakeXmlPart[] {
    return this.env.model.customXmlParts.filter((p) => this.ns === null || p.namespaceUri === this.ns);
  }
  override items(): XObject[] {
    return this.list().map((p) => new XXmlPart(this.env, p));
  }
  override index(args: unknown[]): XObject | null {
    const p = this.list().find((x) => x.id === String(args[0]));
    if (!p) throw notFound(`custom XML part ${String(args[0])}`);
    return new XXmlPart(this.env, p);
  }
  override call(name: string, args: unknown[]): unknown {
    const list = this.list();
    switch (name) {
      case "GetItem":
        return this.index(args);
      case "GetItemOrNullObject": {
        const p = list.find((x) => x.id === String(args[0]));
        return p ? new XXmlPart(this.env, p) : null;
      }
      case "GetCount":
        return list.length;
      case "GetByNamespace":
        return new XXmlParts(this.env, String(args[0]));
      // "If the collection contains exactly one item, this method returns it. Otherwise, this method
      // produces an error" / "returns a null object" (CustomXmlPartScopedCollection.getOnlyItem[OrNullObject]).
      case "GetOnlyItem":
        if (list.length !== 1) throw invalidOp(`${list.length} parts in ${this.ns ?? ""}`);
        return new XXmlPart(this.env, list[0]);
      case "GetOnlyItemOrNullObject":
        return list.length === 1 ? new XXmlPart(this.env, list[0]) : null;
      case "Add": {
        const xml = String(args[0]);
        if (!/^\s*(<\?xml[^>]*\?>\s*)?<[A-Za-z_]/.test(xml)) throw invalidArg("custom XML part: not XML");
        return new XXmlPart(this.env, this.env.model.addXmlPart(xml));
      }
      default:
        return super.call(name, args);
    }
  }
}

class XXmlPart extends XObject {
  constructor(
    env: Env,
    private readonly part: FakeXmlPart,
  ) {
    super(env);
  }
  override identity(): Record<string, unknown> {
    return { Id: this.part.id };
  }
  override props(): Props {
    return { id: () => this.part.id, namespaceUri: () => this.part.namespaceUri };
  }
  override call(name: string, args: unknown[]): unknown {
    const m = this.env.model;
    switch (name) {
      case "GetXml":
        return this.part.xml;
      case "SetXml":
        this.part.xml = String(args[0]);
        this.part.namespaceUri = /xmlns="([^"]*)"/.exec(this.part.xml)?.[1] ?? "";
        return undefined;
      case "Delete":
        m.customXmlParts = m.customXmlParts.filter((p) => p !== this.part);
        return undefined;
      default:
        return super.call(name, args);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Freeze panes, page layout

class XFreezePanes extends XObject {
  constructor(
    env: Env,
    private readonly sheet: FakeSheet,
  ) {
    super(env);
  }
  override call(name: string, args: unknown[]): unknown {
    const s = this.sheet;
    switch (name) {
      case "FreezeRows":
        s.freeze = { rows: Number(args[0] ?? 1), cols: 0 };
        return undefined;
      case "FreezeColumns":
        s.freeze = { rows: 0, cols: Number(args[0] ?? 1) };
        return undefined;
      case "FreezeAt": {
        const r = args[0];
        const rect = r instanceof XRange ? r.rect : typeof r === "string" ? rangeOf(r) : null;
        if (!rect) throw invalidArg("freezeAt");
        s.freeze = { rows: rect.row + rect.rows, cols: rect.col + rect.cols };
        return undefined;
      }
      case "Unfreeze":
        s.freeze = null;
        return undefined;
      case "GetLocationOrNullObject":
        // The frozen cells from A1 (Excel.WorksheetFreezePanes.getLocationOrNullObject), null when none.
        if (!s.freeze || (s.freeze.rows === 0 && s.freeze.cols === 0)) return null;
        return new XRange(this.env, s, {
          row: 0,
          col: 0,
          rows: s.freeze.rows || MAX_ROWS,
          cols: s.freeze.cols || MAX_COLS,
        });
      default:
        return super.call(name, args);
    }
  }
}

/** Excel.PageLayout (ExcelApi 1.9). */
class XPageLayout extends XObject {
  constructor(
    env: Env,
    private readonly sheet: FakeSheet,
  ) {
    super(env);
  }
  override props(): Props {
    const p = this.sheet.pageLayout;
    return { orientation: () => p.orientation ?? "Portrait", zoom: () => p.zoom ?? { scale: 100 } };
  }
  override nav(name: string): XObject | null {
    return name === "headersFooters" ? new XHeadersFooters(this.env, this.sheet) : super.nav(name);
  }
  override set(name: string, value: unknown): void {
    const p = this.sheet.pageLayout;
    if (name === "orientation") {
      if (value !== "Portrait" && value !== "Landscape") throw invalidArg(`orientation ${String(value)}`);
      p.orientation = value;
    } else if (name === "zoom") {
      if (typeof value !== "object" || value === null) throw invalidArg("zoom");
      p.zoom = { ...(value as PageLayoutZoom) };
    } else if (
      !["leftMargin", "rightMargin", "topMargin", "bottomMargin", "centerHorizontally"].includes(name)
    )
      super.set(name, value);
  }
  override call(name: string, args: unknown[]): unknown {
    const p = this.sheet.pageLayout;
    if (name === "SetPrintTitleRows") {
      const v = args[0];
      const rows = v instanceof XRange ? `$${v.rect.row + 1}:$${v.rect.row + v.rect.rows}` : String(v ?? "");
      if (rows && !/^\$?\d+:\$?\d+$/.test(rows)) throw invalidArg(`print title rows ${rows}`);
      if (rows) p.printTitleRows = rows;
      else delete p.printTitleRows;
      return undefined;
    }
    if (name === "GetPrintTitleRowsOrNullObject") {
      if (!p.printTitleRows) return null;
      const [a, b] = p.printTitleRows.replace(/\$/g, "").split(":").map(Number);
      return new XRange(this.env, this.sheet, { row: a - 1, col: 0, rows: b - a + 1, cols: MAX_COLS });
    }
    return super.call(name, args);
  }
}
type PageLayoutZoom = { horizontalFitToPages?: number; verticalFitToPages?: number; scale?: number };

class XHeadersFooters extends XObject {
  constructor(
    env: Env,
    private readonly sheet: FakeSheet,
  ) {
    super(env);
  }
  override props(): Props {
    return { state: () => "Default", useSheetMargins: () => true, useSheetScale: () => true };
  }
  override nav(name: string): XObject | null {
    return name === "defaultForAllPages" ? new XHeaderFooter(this.env, this.sheet) : super.nav(name);
  }
  override set(name: string, value: unknown): void {
    if (name === "state" && value === "Default") return;
    if (name !== "useSheetMargins" && name !== "useSheetScale") super.set(name, value);
  }
}

const HF_KEYS = ["leftHeader", "centerHeader", "rightHeader", "leftFooter", "centerFooter", "rightFooter"];

/**
 * Excel.HeaderFooter: the six texts in Excel's header/footer codes (&P, &N, &D, && ...), at most 255
 * characters each ("Excel specifications and limits": "Characters in a header or footer: 255").
 */
class XHeaderFooter extends XObject {
  constructor(
    env: Env,
    private readonly sheet: FakeSheet,
  ) {
    super(env);
  }
  override props(): Props {
    const hf = this.sheet.pageLayout.headersFooters ?? {};
    return Object.fromEntries(HF_KEYS.map((k) => [k, () => hf[k] ?? ""]));
  }
  override set(name: string, value: unknown): void {
    if (!HF_KEYS.includes(name)) return super.set(name, value);
    const text = String(value ?? "");
    if (text.length > 255) throw invalidArg(`${name}: ${text.length} characters (limit 255)`);
    const hf = { ...this.sheet.pageLayout.headersFooters };
    if (text) hf[name] = text;
    else delete hf[name];
    if (Object.keys(hf).length) this.sheet.pageLayout.headersFooters = hf;
    else delete this.sheet.pageLayout.headersFooters;
  }
}

// ---------------------------------------------------------------------------------------------------
// Charts

class XCharts extends XObject {
  constructor(
    env: Env,
    private readonly sheet: FakeSheet,
  ) {
    super(env);
  }
  override items(): XObject[] {
    return this.sheet.charts.map((c) => new XChart(this.env, this.sheet, c));
  }
  override index(args: unknown[]): XObject | null {
    const key = String(args[0]);
    const c = this.sheet.charts.find((x) => x.id === key || x.name.toLowerCase() === key.toLowerCase());
    if (!c) throw notFound(`chart ${key}`);
    return new XChart(this.env, this.sheet, c);
  }
  override call(name: string, args: unknown[]): unknown {
    const s = this.sheet;
    switch (name) {
      case "GetItem":
        return this.index(args);
      case "GetItemAt": {
        const c = s.charts[Number(args[0])];
        if (!c) throw notFound(`chart at ${String(args[0])}`);
        return new XChart(this.env, s, c);
      }
      case "GetCount":
        return s.charts.length;
      case "Add": {
        checkWritable(s, "add a chart");
        const [type, source, seriesBy] = args;
        if (!(source instanceof XRange)) throw invalidArg("chart source data");
        const r = source.rect;
        const byRows = seriesBy === "Rows";
        const count = byRows ? r.rows : r.cols;
        const series = Array.from({ length: count }, (_, i) => ({
          name: `Series${i + 1}`,
          values: addressOf(
            source.sheet,
            byRows ? { ...r, row: r.row + i, rows: 1 } : { ...r, col: r.col + i, cols: 1 },
          ),
        }));
        let n = s.charts.length + 1;
        while (s.charts.some((c) => c.name === `Chart ${n}`)) n++;
        const chart: FakeChart = {
          id: newId(),
          name: `Chart ${n}`,
          type: String(type),
          title: "",
          source: addressOf(source.sheet, r),
          series,
        };
        s.charts.push(chart);
        return new XChart(this.env, s, chart);
      }
      default:
        return super.call(name, args);
    }
  }
}

class XChart extends XObject {
  constructor(
    env: Env,
    private readonly sheet: FakeSheet,
    readonly chart: FakeChart,
  ) {
    super(env);
  }
  override identity(): Record<string, unknown> {
    return { Id: this.chart.id };
  }
  override props(): Props {
    return { name: () => this.chart.name, id: () => this.chart.id, chartType: () => this.chart.type };
  }
  override nav(name: string): XObject | null {
    if (name === "title") return new XChartTitle(this.env, this.chart);
    if (name === "series") return new XSeriesList(this.env, this.chart);
    if (name === "axes") return new XChartAxes(this.env, this.chart);
    return super.nav(name);
  }
  override set(name: string, value: unknown): void {
    if (name === "name") this.chart.name = String(value);
    else if (name === "chartType") this.chart.type = String(value);
    else super.set(name, value);
  }
  override call(name: string, args: unknown[]): unknown {
    if (name === "SetPosition") {
      const [start, end] = args;
      const a = (x: unknown) =>
        x instanceof XRange ? rectA1(x.rect) : typeof x === "string" ? x : undefined;
      const from = a(start);
      if (!from) throw invalidArg("chart position");
      this.chart.position = { start: from, end: a(end) };
      return undefined;
    }
    if (name === "Delete") {
      checkWritable(this.sheet, "delete a chart");
      this.sheet.charts = this.sheet.charts.filter((c) => c !== this.chart);
      return undefined;
    }
    return super.call(name, args);
  }
}

class XChartAxes extends XObject {
  constructor(
    env: Env,
    private readonly chart: FakeChart,
  ) {
    super(env);
  }
  override nav(name: string): XObject | null {
    const axes = (this.chart.axes ??= { value: {}, category: {} });
    if (name === "valueAxis") return new XChartAxis(this.env, axes.value);
    if (name === "categoryAxis") return new XChartAxis(this.env, axes.category);
    return super.nav(name);
  }
}

/**
 * Excel.ChartAxis (numberFormat and textOrientation are ExcelApi 1.8),
 * https://learn.microsoft.com/javascript/api/excel/excel.chartaxis.
 */
class XChartAxis extends XObject {
  constructor(
    env: Env,
    private readonly axis: AxisSettings,
  ) {
    super(env);
  }
  override props(): Props {
    return {
      numberFormat: () => this.axis.numberFormat ?? "General",
      textOrientation: () => this.axis.textOrientation ?? 0,
    };
  }
  override set(name: string, value: unknown): void {
    if (name === "numberFormat") this.axis.numberFormat = String(value);
    else if (name === "textOrientation") {
      // "The value should either be an integer from -90 to 90 or the integer 180" (excel.chartaxis).
      const v = Number(value);
      if (!Number.isInteger(v) || ((v < -90 || v > 90) && v !== 180)) throw invalidArg("textOrientation");
      this.axis.textOrientation = v;
    } else super.set(name, value);
  }
}

class XChartTitle extends XObject {
  constructor(
    env: Env,
    private readonly chart: FakeChart,
  ) {
    super(env);
  }
  override props(): Props {
    return { text: () => this.chart.title, visible: () => this.chart.title !== "" };
  }
  override set(name: string, value: unknown): void {
    if (name === "text") this.chart.title = String(value);
    else if (name !== "visible") super.set(name, value);
  }
}

class XSeriesList extends XObject {
  constructor(
    env: Env,
    private readonly chart: FakeChart,
  ) {
    super(env);
  }
  override items(): XObject[] {
    return this.chart.series.map((_, i) => new XSeries(this.env, this.chart, i));
  }
  override call(name: string, args: unknown[]): unknown {
    switch (name) {
      case "GetItemAt":
        if (!this.chart.series[Number(args[0])]) throw notFound(`series ${String(args[0])}`);
        return new XSeries(this.env, this.chart, Number(args[0]));
      case "GetCount":
        return this.chart.series.length;
      case "Add":
        this.chart.series.push({ name: String(args[0] ?? `Series${this.chart.series.length + 1}`) });
        return new XSeries(this.env, this.chart, this.chart.series.length - 1);
      default:
        return super.call(name, args);
    }
  }
}

class XSeries extends XObject {
  constructor(
    env: Env,
    private readonly chart: FakeChart,
    private readonly i: number,
  ) {
    super(env);
  }
  private get s() {
    const s = this.chart.series[this.i];
    if (!s) throw notFound(`series ${this.i}`);
    return s;
  }
  override props(): Props {
    return { name: () => this.s.name };
  }
  override set(name: string, value: unknown): void {
    if (name === "name") this.s.name = String(value);
    else super.set(name, value);
  }
  override call(name: string, args: unknown[]): unknown {
    const r = args[0];
    if ((name === "SetValues" || name === "SetXAxisValues") && r instanceof XRange) {
      const address = addressOf(r.sheet, r.rect);
      if (name === "SetValues") this.s.values = address;
      else this.s.xValues = address;
      return undefined;
    }
    if (name === "Delete") {
      this.chart.series.splice(this.i, 1);
      return undefined;
    }
    return super.call(name, args);
  }
}
