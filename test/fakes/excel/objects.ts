/**
 * Office.js-shaped proxies over the in-memory FakeWorkbook, strict where Office.js is strict:
 * - reading a property that was not load()ed and then synced throws PropertyNotLoaded;
 * - every write is queued and applied at sync(), in order; a failing operation rejects the sync and
 *   leaves the operations before it applied (Excel batches are not transactions);
 * - *OrNullObject returns a proxy whose isNullObject is known after sync; navigating from a null object
 *   gives null objects and ClientResults of null (the assumption the Office host documents); writing
 *   through a null object fails the sync with ItemNotFound;
 * - a request over 5 MB (JSON of the queued operations) fails with RequestPayloadSizeLimitExceeded;
 * - writes to a protected sheet fail with AccessDenied;
 * - APIs above the supported requirement sets fail with ApiNotFound.
 *
 * Browser-safe: no Node APIs.
 */
import { parseNameFormula, rectA1, sheetPrefix, MAX_ROWS } from "../../../src/workbook/a1";
import type { RawCell, Rect } from "../../../src/workbook/types";
import {
  absolute,
  coerceWritten,
  parseRange,
  type CellFormat,
  type FakeChart,
  type FakeSheet,
  type FakeWorkbook,
  type FakeXmlPart,
} from "./model";

export const REQUEST_LIMIT_BYTES = 5_000_000;
/**
 * Office.js serialises every queued operation as an Action (Id, ActionType, ObjectPathId, arguments)
 * plus ObjectPath entries for the proxies it goes through; this fixed envelope per operation is added to
 * the JSON of path, action and payload so that request sizes are not underestimated.
 */
export const OPERATION_ENVELOPE_BYTES = 200;

export class FakeOfficeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = "RichApi.Error";
  }
}

export interface SyncRecord {
  /** Bytes of the request (UTF-8 JSON of the queued operations). */
  bytes: number;
  /** Bytes of loaded data returned (UTF-8 JSON), for information. */
  responseBytes: number;
  operations: number;
  writes: number;
  ok: boolean;
}

/** Counters and switches shared by every context of one fake. */
export interface FakeControl {
  model: FakeWorkbook;
  syncs: SyncRecord[];
  /** Write operations applied to the workbook (not merely queued). */
  writesApplied: number;
  /** Fail this sync (1-based, counted over the fake's lifetime) after applying `applyFirst` operations. */
  failAt: { sync: number; applyFirst: number; code?: string } | null;
  supports(set: string, version: string): boolean;
}

interface Op {
  path: string;
  action: string;
  payload: unknown;
  write: boolean;
  apply(): unknown;
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export class FakeRequestContext {
  private queue: Op[] = [];
  readonly workbook: FakeWorkbookProxy;
  readonly application: FakeApplication;
  readonly trackedObjects = { add: () => undefined, remove: () => undefined };

  constructor(readonly control: FakeControl) {
    this.workbook = new FakeWorkbookProxy(this);
    this.application = this.workbook.application;
  }

  get pending(): number {
    return this.queue.length;
  }

  enqueue(op: Op): void {
    this.queue.push(op);
  }

  async sync(): Promise<void> {
    await Promise.resolve();
    const ops = this.queue;
    this.queue = [];
    const ctl = this.control;
    const bytes =
      utf8Length(JSON.stringify(ops.map((o) => [o.path, o.action, o.payload]))) +
      ops.length * OPERATION_ENVELOPE_BYTES;
    const record: SyncRecord = {
      bytes,
      responseBytes: 0,
      operations: ops.length,
      writes: ops.filter((o) => o.write).length,
      ok: false,
    };
    ctl.syncs.push(record);
    if (bytes > REQUEST_LIMIT_BYTES)
      throw new FakeOfficeError("RequestPayloadSizeLimitExceeded", `request of ${bytes} bytes exceeds 5 MB`);
    const fail = ctl.failAt && ctl.failAt.sync === ctl.syncs.length ? ctl.failAt : null;
    let response = 0;
    for (let i = 0; i < ops.length; i++) {
      if (fail && i === fail.applyFirst)
        throw new FakeOfficeError(fail.code ?? "GeneralException", `sync ${ctl.syncs.length} failed (test)`);
      const result = ops[i].apply();
      if (ops[i].write) ctl.writesApplied++;
      if (result !== undefined) response += utf8Length(JSON.stringify(result) ?? "");
    }
    if (fail)
      throw new FakeOfficeError(fail.code ?? "GeneralException", `sync ${ctl.syncs.length} failed (test)`);
    record.responseBytes = response;
    record.ok = true;
  }
}

function notLoaded(path: string, prop: string): never {
  throw new FakeOfficeError(
    "PropertyNotLoaded",
    `The property '${prop}' of ${path} is not available. Call load() and context.sync() before reading it.`,
  );
}

type LoadArg = string | string[] | { select?: string | string[] } | undefined;

function loadPaths(arg: LoadArg): string[] {
  const raw = typeof arg === "object" && arg !== null && !Array.isArray(arg) ? arg.select : arg;
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : raw.split(",");
  return list.map((p) => p.trim()).filter((p) => p !== "");
}

/** Base of every proxy: load/sync bookkeeping and the NullObject pattern. */
abstract class FakeObject<T> {
  protected loadedProps = new Map<string, unknown>();
  private nullState: boolean | undefined;

  constructor(
    readonly context: FakeRequestContext,
    readonly path: string,
    private readonly resolver: () => T | null,
    protected readonly nullable: boolean = false,
  ) {}

  /** Scalar properties that load() can fetch. */
  protected abstract readonly scalars: readonly string[];
  protected abstract readScalar(prop: string, target: T): unknown;
  /** Navigation properties (child proxies) that load paths may pass through. */
  protected child(_prop: string): FakeObject<unknown> | undefined {
    return undefined;
  }

  get isNullObject(): boolean {
    if (this.nullState === undefined) notLoaded(this.path, "isNullObject");
    return this.nullState;
  }

  /** Resolves the target at apply time; throws ItemNotFound unless nullable. */
  resolve(): T | null {
    const t = this.resolver();
    if (t === null && !this.nullable)
      throw new FakeOfficeError("ItemNotFound", `${this.path} does not exist`);
    return t;
  }

  /** The target for a write: never null. */
  target(): T {
    const t = this.resolver();
    if (t === null) throw new FakeOfficeError("ItemNotFound", `${this.path} does not exist`);
    return t;
  }

  load(arg?: LoadArg): this {
    const paths = loadPaths(arg);
    this.context.enqueue({
      path: this.path,
      action: "load",
      payload: paths,
      write: false,
      apply: () => this.applyLoad(paths),
    });
    return this;
  }

  /** Applies a load at sync time; returns the loaded data (for response size). */
  applyLoad(paths: string[]): unknown {
    const target = this.resolve();
    this.nullState = target === null;
    const wanted = paths.length ? paths : [...this.scalars];
    const out: Record<string, unknown> = {};
    for (const p of wanted) {
      const [head, ...rest] = p.split("/");
      if (this.scalars.includes(head)) {
        const v = target === null ? null : this.readScalar(head, target);
        this.loadedProps.set(head, v);
        out[head] = v;
        continue;
      }
      const child = this.child(head);
      if (!child) throw new FakeOfficeError("InvalidArgument", `${this.path} has no property '${head}'`);
      out[head] = target === null ? null : child.applyLoad(rest.length ? [rest.join("/")] : []);
    }
    return out;
  }

  private navCache = new Map<string, unknown>();
  /** Navigation properties return the same proxy every time, as in Office.js. */
  protected nav<C>(key: string, make: () => C): C {
    if (!this.navCache.has(key)) this.navCache.set(key, make());
    return this.navCache.get(key) as C;
  }

  protected get<V>(prop: string): V {
    if (!this.loadedProps.has(prop)) notLoaded(this.path, prop);
    return this.loadedProps.get(prop) as V;
  }

  protected queueWrite(action: string, payload: unknown, apply: (t: T) => void): void {
    this.context.enqueue({
      path: this.path,
      action,
      payload,
      write: true,
      apply: () => {
        apply(this.target());
      },
    });
  }

  protected requireSet(set: string, version: string, api: string): void {
    if (!this.context.control.supports(set, version))
      this.context.enqueue({
        path: this.path,
        action: api,
        payload: null,
        write: false,
        apply: () => {
          throw new FakeOfficeError("ApiNotFound", `${api} needs ${set} ${version}`);
        },
      });
  }
}

/** A value computed at sync time (like OfficeExtension.ClientResult). */
export class FakeClientResult<V> {
  private done = false;
  private v: V | undefined;
  constructor(private readonly path: string) {}
  set(v: V): void {
    this.done = true;
    this.v = v;
  }
  get value(): V {
    if (!this.done) notLoaded(this.path, "value");
    return this.v as V;
  }
}

function queueResult<V>(
  ctx: FakeRequestContext,
  path: string,
  action: string,
  compute: () => V,
): FakeClientResult<V> {
  const r = new FakeClientResult<V>(`${path}.${action}()`);
  ctx.enqueue({
    path,
    action,
    payload: null,
    write: false,
    apply: () => {
      const v = compute();
      r.set(v);
      return v;
    },
  });
  return r;
}

// ---------------------------------------------------------------------------------------------------
// Workbook, application

export class FakeWorkbookProxy extends FakeObject<FakeWorkbook> {
  protected readonly scalars = ["name"] as const;
  readonly worksheets: FakeWorksheetCollection;
  readonly names: FakeNamedItemCollection;
  readonly customXmlParts: FakeCustomXmlPartCollection;
  readonly application: FakeApplication;

  constructor(ctx: FakeRequestContext) {
    super(ctx, "workbook", () => ctx.control.model, false);
    this.worksheets = new FakeWorksheetCollection(ctx);
    this.names = new FakeNamedItemCollection(ctx, "workbook.names", () => null);
    this.customXmlParts = new FakeCustomXmlPartCollection(ctx, "workbook.customXmlParts", () => null);
    this.application = new FakeApplication(ctx);
  }

  protected readScalar(): unknown {
    return "Bok1.xlsx";
  }

  getSelectedRange(): FakeRange {
    const m = this.context.control.model;
    return new FakeRange(
      this.context,
      "workbook.getSelectedRange()",
      () => {
        const sel = m.selection ?? (m.activeSheet ? { sheet: m.activeSheet, address: "A1" } : null);
        const sheet = sel ? m.sheet(sel.sheet) : undefined;
        return sheet && sel ? { sheet, rect: parseRange(sel.address) } : null;
      },
      false,
    );
  }
}

export class FakeApplication extends FakeObject<FakeWorkbook> {
  protected readonly scalars = ["calculationMode"] as const;
  constructor(ctx: FakeRequestContext) {
    super(ctx, "application", () => ctx.control.model, false);
  }
  protected readScalar(): unknown {
    return "Automatic";
  }
  suspendApiCalculationUntilNextSync(): void {
    this.requireSet("ExcelApi", "1.6", "suspendApiCalculationUntilNextSync");
    this.context.enqueue({
      path: this.path,
      action: "suspendCalc",
      payload: null,
      write: false,
      apply: () => 0,
    });
  }
  suspendScreenUpdatingUntilNextSync(): void {
    this.requireSet("ExcelApi", "1.9", "suspendScreenUpdatingUntilNextSync");
    this.context.enqueue({
      path: this.path,
      action: "suspendScreen",
      payload: null,
      write: false,
      apply: () => 0,
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// Worksheets

export class FakeWorksheetCollection extends FakeObject<FakeSheet[]> {
  protected readonly scalars = ["items"] as const;
  constructor(ctx: FakeRequestContext) {
    super(ctx, "worksheets", () => ctx.control.model.sheets, false);
  }

  get items(): FakeWorksheet[] {
    return this.get("items");
  }

  override applyLoad(paths: string[]): unknown {
    const sheets = this.target();
    const itemPaths = paths.map((p) => p.replace(/^items\/?/, "")).filter((p) => p !== "");
    const items = sheets.map((s) => {
      const model = this.context.control.model;
      return new FakeWorksheet(
        this.context,
        `worksheet(${s.name})`,
        () => (model.sheets.includes(s) ? s : null),
        false,
      );
    });
    this.loadedProps.set("items", items);
    return items.map((w) => w.applyLoad(itemPaths));
  }

  protected readScalar(): unknown {
    return undefined;
  }

  private byName(name: string, nullable: boolean): FakeWorksheet {
    const model = this.context.control.model;
    return new FakeWorksheet(this.context, `worksheet(${name})`, () => model.sheet(name) ?? null, nullable);
  }

  getItem(name: string): FakeWorksheet {
    return this.byName(name, false);
  }

  getItemOrNullObject(name: string): FakeWorksheet {
    return this.byName(name, true);
  }

  getActiveWorksheet(): FakeWorksheet {
    const model = this.context.control.model;
    return new FakeWorksheet(
      this.context,
      "activeWorksheet",
      () => (model.activeSheet ? (model.sheet(model.activeSheet) ?? null) : null),
      false,
    );
  }

  add(name: string): FakeWorksheet {
    const model = this.context.control.model;
    this.queueWrite("add", name, () => {
      if (model.sheet(name)) throw new FakeOfficeError("ItemAlreadyExists", `a sheet named ${name} exists`);
      model.addSheet(name);
    });
    return this.byName(name, false);
  }
}

export class FakeWorksheet extends FakeObject<FakeSheet> {
  protected readonly scalars = ["name", "position", "id", "visibility"] as const;

  protected readScalar(prop: string, s: FakeSheet): unknown {
    if (prop === "name") return s.name;
    if (prop === "position") return this.context.control.model.sheets.indexOf(s);
    if (prop === "id") return `{sheet-${s.name}}`;
    return "Visible";
  }

  protected override child(prop: string): FakeObject<unknown> | undefined {
    if (prop === "protection") return this.protection as FakeObject<unknown>;
    return undefined;
  }

  get name(): string {
    return this.get("name");
  }
  get position(): number {
    return this.get("position");
  }

  get protection(): FakeWorksheetProtection {
    return this.nav(
      "protection",
      () =>
        new FakeWorksheetProtection(
          this.context,
          `${this.path}.protection`,
          () => this.resolve(),
          this.nullable,
        ),
    );
  }

  get names(): FakeNamedItemCollection {
    return this.nav(
      "names",
      () =>
        new FakeNamedItemCollection(this.context, `${this.path}.names`, () => this.resolve()?.name ?? null),
    );
  }

  get freezePanes(): FakeFreezePanes {
    return this.nav(
      "freezePanes",
      () => new FakeFreezePanes(this.context, `${this.path}.freezePanes`, () => this.resolve()),
    );
  }

  get pageLayout(): FakePageLayout {
    return this.nav("pageLayout", () => {
      this.requireSet("ExcelApi", "1.9", "pageLayout");
      return new FakePageLayout(this.context, `${this.path}.pageLayout`, () => this.resolve());
    });
  }

  get charts(): FakeChartCollection {
    return this.nav(
      "charts",
      () => new FakeChartCollection(this.context, `${this.path}.charts`, () => this.resolve()),
    );
  }

  private range(desc: string, rect: (s: FakeSheet) => Rect | null, nullable: boolean): FakeRange {
    return new FakeRange(
      this.context,
      `${this.path}.${desc}`,
      () => {
        const s = this.resolve();
        const r = s ? rect(s) : null;
        return s && r ? { sheet: s, rect: r } : null;
      },
      nullable || this.nullable,
    );
  }

  getRange(address?: string): FakeRange {
    return this.range(`getRange(${address ?? ""})`, () => parseRange(address ?? "A1:XFD1048576"), false);
  }

  getRangeByIndexes(row: number, col: number, rows: number, cols: number): FakeRange {
    if (rows < 1 || cols < 1) throw new FakeOfficeError("InvalidArgument", "empty range");
    return this.range(
      `getRangeByIndexes(${row},${col},${rows},${cols})`,
      () => ({ row, col, rows, cols }),
      false,
    );
  }

  getUsedRangeOrNullObject(valuesOnly = false): FakeRange {
    return this.range(`getUsedRangeOrNullObject(${valuesOnly})`, (s) => s.usedRect(valuesOnly), true);
  }

  delete(): void {
    const model = this.context.control.model;
    this.queueWrite("delete", null, (s) => {
      if (model.sheets.length === 1)
        throw new FakeOfficeError("InvalidOperation", "cannot delete the only sheet");
      model.deleteSheet(s.name);
    });
  }

  activate(): void {
    const model = this.context.control.model;
    this.queueWrite("activate", null, (s) => {
      model.activeSheet = s.name;
    });
  }
}

export class FakeWorksheetProtection extends FakeObject<FakeSheet> {
  protected readonly scalars = ["protected"] as const;
  protected readScalar(_p: string, s: FakeSheet): unknown {
    return s.protected;
  }
  get protected(): boolean {
    return this.get("protected");
  }
}

function guardProtected(s: FakeSheet, what: string): void {
  if (s.protected) throw new FakeOfficeError("AccessDenied", `${what}: the sheet ${s.name} is protected`);
}

export class FakeFreezePanes extends FakeObject<FakeSheet> {
  protected readonly scalars = [] as const;
  protected readScalar(): unknown {
    return undefined;
  }
  freezeRows(n: number): void {
    this.queueWrite("freezeRows", n, (s) => (s.freeze = { rows: n, cols: 0 }));
  }
  freezeColumns(n: number): void {
    this.queueWrite("freezeColumns", n, (s) => (s.freeze = { rows: 0, cols: n }));
  }
  freezeAt(range: FakeRange | string): void {
    this.queueWrite("freezeAt", typeof range === "string" ? range : range.path, (s) => {
      const r = typeof range === "string" ? parseRange(range) : range.target().rect;
      s.freeze = { rows: r.row + r.rows, cols: r.col + r.cols };
    });
  }
  unfreeze(): void {
    this.queueWrite("unfreeze", null, (s) => (s.freeze = null));
  }
}

export class FakePageLayout extends FakeObject<FakeSheet> {
  protected readonly scalars = ["orientation", "zoom"] as const;
  protected readScalar(p: string, s: FakeSheet): unknown {
    return p === "orientation"
      ? (s.pageLayout.orientation ?? "Portrait")
      : (s.pageLayout.zoom ?? { scale: 100 });
  }
  set orientation(v: string) {
    this.queueWrite("orientation", v, (s) => {
      guardProtected(s, "pageLayout");
      s.pageLayout.orientation = v;
    });
  }
  set zoom(v: { horizontalFitToPages?: number; verticalFitToPages?: number; scale?: number }) {
    this.queueWrite("zoom", v, (s) => {
      guardProtected(s, "pageLayout");
      s.pageLayout.zoom = { ...v };
    });
  }
  setPrintTitleRows(rows: string | FakeRange): void {
    this.queueWrite("setPrintTitleRows", typeof rows === "string" ? rows : rows.path, (s) => {
      s.pageLayout.printTitleRows = typeof rows === "string" ? rows : rectA1(rows.target().rect);
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// Ranges

interface RangeTarget {
  sheet: FakeSheet;
  rect: Rect;
}

function valueType(cell: { value: RawCell } | undefined): string {
  const v = cell?.value ?? null;
  if (v === null) return "Empty";
  if (typeof v === "number") return "Double";
  if (typeof v === "boolean") return "Boolean";
  if (typeof v === "string") return "String";
  return "Error";
}

function shown(v: RawCell): string | number | boolean {
  if (v === null) return "";
  return typeof v === "object" ? v.error : v;
}

function grid<V>(t: RangeTarget, f: (row: number, col: number) => V): V[][] {
  if (t.rect.rows * t.rect.cols > 5_000_000)
    throw new FakeOfficeError("ResponsePayloadSizeLimitExceeded", "range too large");
  const out: V[][] = [];
  for (let r = 0; r < t.rect.rows; r++) {
    const line: V[] = [];
    for (let c = 0; c < t.rect.cols; c++) line.push(f(t.rect.row + r, t.rect.col + c));
    out.push(line);
  }
  return out;
}

function checkShape(t: RangeTarget, v: unknown[][], what: string): void {
  if (
    !Array.isArray(v) ||
    v.length !== t.rect.rows ||
    v.some((l) => !Array.isArray(l) || l.length !== t.rect.cols)
  )
    throw new FakeOfficeError(
      "InvalidArgument",
      `${what}: the array's dimensions do not match the range ${rectA1(t.rect)} (${t.rect.rows}×${t.rect.cols})`,
    );
}

function forEachCell(t: RangeTarget, f: (row: number, col: number) => void): void {
  if (t.rect.rows >= MAX_ROWS)
    throw new FakeOfficeError("InvalidArgument", "formatting whole columns cell by cell");
  for (let r = 0; r < t.rect.rows; r++)
    for (let c = 0; c < t.rect.cols; c++) f(t.rect.row + r, t.rect.col + c);
}

export class FakeRange extends FakeObject<RangeTarget> {
  protected readonly scalars = [
    "address",
    "rowIndex",
    "columnIndex",
    "rowCount",
    "columnCount",
    "cellCount",
    "values",
    "valueTypes",
    "formulas",
    "numberFormat",
  ] as const;

  protected readScalar(prop: string, t: RangeTarget): unknown {
    const { sheet, rect } = t;
    switch (prop) {
      case "address":
        return `${sheetPrefix(sheet.name)}!${rectA1(rect)}`;
      case "rowIndex":
        return rect.row;
      case "columnIndex":
        return rect.col;
      case "rowCount":
        return rect.rows;
      case "columnCount":
        return rect.cols;
      case "cellCount":
        return rect.rows * rect.cols;
      case "values":
        return grid(t, (r, c) => shown(sheet.get(r, c)?.value ?? null));
      case "valueTypes":
        return grid(t, (r, c) => valueType(sheet.get(r, c)));
      case "formulas":
        return grid(t, (r, c) => {
          const cell = sheet.get(r, c);
          return cell?.formula ?? shown(cell?.value ?? null);
        });
      default:
        return grid(t, (r, c) => sheet.get(r, c)?.numberFormat ?? "General");
    }
  }

  protected override child(prop: string): FakeObject<unknown> | undefined {
    if (prop === "format") return this.format as FakeObject<unknown>;
    return undefined;
  }

  get address(): string {
    return this.get("address");
  }
  get rowIndex(): number {
    return this.get("rowIndex");
  }
  get columnIndex(): number {
    return this.get("columnIndex");
  }
  get rowCount(): number {
    return this.get("rowCount");
  }
  get columnCount(): number {
    return this.get("columnCount");
  }
  get cellCount(): number {
    return this.get("cellCount");
  }
  get valueTypes(): Excel.RangeValueType[][] {
    return this.get("valueTypes");
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  get values(): any[][] {
    return this.get("values");
  }
  /** Like Excel: null leaves a cell unchanged, "" clears it, strings may become formulas or numbers. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  set values(v: any[][]) {
    this.queueWrite("values", v, (t) => {
      checkShape(t, v, "values");
      guardProtected(t.sheet, "values");
      v.forEach((line, r) =>
        line.forEach((x, c) => {
          if (x === null || x === undefined) return;
          const cell = t.sheet.cell(t.rect.row + r, t.rect.col + c);
          const w = coerceWritten(x, cell.numberFormat);
          cell.value = w.value;
          if (w.formula) cell.formula = w.formula;
          else delete cell.formula;
        }),
      );
    });
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  get formulas(): any[][] {
    return this.get("formulas");
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  get numberFormat(): any[][] {
    return this.get("numberFormat");
  }
  /** A 2-D array of the range's shape, or a 1×1 array applied to every cell (as Excel does). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  set numberFormat(v: any[][]) {
    this.queueWrite("numberFormat", v, (t) => {
      const broadcast = Array.isArray(v) && v.length === 1 && Array.isArray(v[0]) && v[0].length === 1;
      if (!broadcast) checkShape(t, v, "numberFormat");
      guardProtected(t.sheet, "numberFormat");
      if (broadcast) {
        if (v[0][0] === null || v[0][0] === undefined) return;
        forEachCell(t, (r, c) => (t.sheet.cell(r, c).numberFormat = String(v[0][0])));
        return;
      }
      v.forEach((line, r) =>
        line.forEach((x, c) => {
          if (x === null || x === undefined) return;
          t.sheet.cell(t.rect.row + r, t.rect.col + c).numberFormat = String(x);
        }),
      );
    });
  }

  get worksheet(): FakeWorksheet {
    return this.nav(
      "worksheet",
      () =>
        new FakeWorksheet(
          this.context,
          `${this.path}.worksheet`,
          () => this.resolve()?.sheet ?? null,
          this.nullable,
        ),
    );
  }

  get format(): FakeRangeFormat {
    return this.nav(
      "format",
      () => new FakeRangeFormat(this.context, `${this.path}.format`, () => this.resolve()),
    );
  }

  private derived(desc: string, f: (t: RangeTarget) => Rect): FakeRange {
    return new FakeRange(
      this.context,
      `${this.path}.${desc}`,
      () => {
        const t = this.resolve();
        return t ? { sheet: t.sheet, rect: f(t) } : null;
      },
      this.nullable,
    );
  }

  getCell(row: number, col: number): FakeRange {
    return this.derived(`getCell(${row},${col})`, (t) => ({
      row: t.rect.row + row,
      col: t.rect.col + col,
      rows: 1,
      cols: 1,
    }));
  }

  getEntireColumn(): FakeRange {
    return this.derived("getEntireColumn()", (t) => ({
      row: 0,
      col: t.rect.col,
      rows: MAX_ROWS,
      cols: t.rect.cols,
    }));
  }

  merge(across = false): void {
    this.queueWrite("merge", across, (t) => {
      guardProtected(t.sheet, "merge");
      const overlap = t.sheet.merges.some(
        (m) =>
          m.row < t.rect.row + t.rect.rows &&
          t.rect.row < m.row + m.rows &&
          m.col < t.rect.col + t.rect.cols &&
          t.rect.col < m.col + m.cols,
      );
      if (overlap) throw new FakeOfficeError("InvalidOperation", "the range overlaps a merged area");
      // across: each row of the range becomes its own merged area (Excel's "Merge Across").
      if (across)
        for (let r = 0; r < t.rect.rows; r++)
          t.sheet.merges.push({ ...t.rect, row: t.rect.row + r, rows: 1 });
      else t.sheet.merges.push({ ...t.rect });
    });
  }

  select(): void {
    const model = this.context.control.model;
    this.queueWrite("select", null, (t) => {
      if (model.activeSheet?.toLowerCase() !== t.sheet.name.toLowerCase())
        throw new FakeOfficeError("InvalidSelection", "select() on a sheet that is not active");
      model.selection = { sheet: t.sheet.name, address: rectA1(t.rect) };
    });
  }

  getMergedAreasOrNullObject(): FakeRangeAreas {
    this.requireSet("ExcelApi", "1.13", "getMergedAreasOrNullObject");
    return new FakeRangeAreas(this.context, `${this.path}.getMergedAreasOrNullObject()`, () => {
      const t = this.resolve();
      if (!t) return null;
      const hit = t.sheet.merges.filter(
        (m) =>
          m.row < t.rect.row + t.rect.rows &&
          t.rect.row < m.row + m.rows &&
          m.col < t.rect.col + t.rect.cols &&
          t.rect.col < m.col + m.cols,
      );
      return hit.length ? { sheet: t.sheet, areas: hit } : null;
    });
  }
}

export class FakeRangeAreas extends FakeObject<{ sheet: FakeSheet; areas: Rect[] }> {
  protected readonly scalars = ["areaCount", "address"] as const;
  constructor(
    ctx: FakeRequestContext,
    path: string,
    resolver: () => { sheet: FakeSheet; areas: Rect[] } | null,
  ) {
    super(ctx, path, resolver, true);
  }
  protected readScalar(p: string, t: { sheet: FakeSheet; areas: Rect[] }): unknown {
    return p === "areaCount"
      ? t.areas.length
      : t.areas.map((a) => `${sheetPrefix(t.sheet.name)}!${rectA1(a)}`).join(",");
  }
  get areaCount(): number {
    return this.get("areaCount");
  }
}

/** Column width and row height in points, stored per column / row. */
export class FakeRangeFormat extends FakeObject<RangeTarget> {
  protected readonly scalars = [
    "columnWidth",
    "rowHeight",
    "horizontalAlignment",
    "verticalAlignment",
    "indentLevel",
    "wrapText",
  ] as const;

  protected readScalar(p: string, t: RangeTarget): unknown {
    if (p === "columnWidth") return t.sheet.columnWidths.get(t.rect.col) ?? 48;
    if (p === "rowHeight") return t.sheet.rowHeights.get(t.rect.row) ?? 15;
    const f = t.sheet.get(t.rect.row, t.rect.col)?.format ?? {};
    return (f as Record<string, unknown>)[p] ?? null;
  }

  get font(): FakeFormatPart {
    return this.nav(
      "font",
      () =>
        new FakeFormatPart(this.context, `${this.path}.font`, () => this.resolve(), {
          bold: "bold",
          italic: "italic",
          size: "fontSize",
          color: "fontColor",
        }),
    );
  }
  get fill(): FakeFormatPart {
    return this.nav(
      "fill",
      () => new FakeFormatPart(this.context, `${this.path}.fill`, () => this.resolve(), { color: "fill" }),
    );
  }
  get borders(): FakeBorderCollection {
    return this.nav(
      "borders",
      () => new FakeBorderCollection(this.context, `${this.path}.borders`, () => this.resolve()),
    );
  }

  private setCells(key: keyof CellFormat, v: unknown): void {
    this.queueWrite(key, v, (t) => {
      guardProtected(t.sheet, `format.${key}`);
      forEachCell(t, (r, c) => {
        const cell = t.sheet.cell(r, c);
        cell.format = { ...cell.format, [key]: v };
      });
    });
  }

  set columnWidth(points: number) {
    this.queueWrite("columnWidth", points, (t) => {
      guardProtected(t.sheet, "columnWidth");
      for (let c = 0; c < t.rect.cols; c++) t.sheet.columnWidths.set(t.rect.col + c, points);
    });
  }
  set rowHeight(points: number) {
    this.queueWrite("rowHeight", points, (t) => {
      guardProtected(t.sheet, "rowHeight");
      for (let r = 0; r < t.rect.rows; r++) t.sheet.rowHeights.set(t.rect.row + r, points);
    });
  }
  set horizontalAlignment(v: string) {
    this.setCells("horizontalAlignment", v);
  }
  set verticalAlignment(v: string) {
    this.setCells("verticalAlignment", v);
  }
  set indentLevel(v: number) {
    this.setCells("indentLevel", v);
  }
  set wrapText(v: boolean) {
    this.setCells("wrapText", v);
  }
}

/** Font and fill: scalar setters mapped onto CellFormat keys. */
export class FakeFormatPart extends FakeObject<RangeTarget> {
  protected readonly scalars: readonly string[];
  constructor(
    ctx: FakeRequestContext,
    path: string,
    resolver: () => RangeTarget | null,
    private readonly keys: Record<string, keyof CellFormat>,
  ) {
    super(ctx, path, resolver, false);
    this.scalars = Object.keys(keys);
    for (const prop of this.scalars)
      Object.defineProperty(this, prop, {
        get: () => this.get(prop),
        set: (v: unknown) => this.setCells(keys[prop], v),
      });
  }
  protected readScalar(p: string, t: RangeTarget): unknown {
    return (
      (t.sheet.get(t.rect.row, t.rect.col)?.format as Record<string, unknown> | undefined)?.[this.keys[p]] ??
      null
    );
  }
  private setCells(key: keyof CellFormat, v: unknown): void {
    this.queueWrite(key, v, (t) => {
      guardProtected(t.sheet, key);
      forEachCell(t, (r, c) => {
        const cell = t.sheet.cell(r, c);
        cell.format = { ...cell.format, [key]: v };
      });
    });
  }
}

export class FakeBorderCollection extends FakeObject<RangeTarget> {
  protected readonly scalars = [] as const;
  protected readScalar(): unknown {
    return undefined;
  }
  getItem(index: string): FakeBorder {
    return new FakeBorder(this.context, `${this.path}.getItem(${index})`, () => this.resolve(), index);
  }
}

export class FakeBorder extends FakeObject<RangeTarget> {
  protected readonly scalars = ["style", "weight"] as const;
  private pending: { style?: string; weight?: string } = {};
  constructor(
    ctx: FakeRequestContext,
    path: string,
    resolver: () => RangeTarget | null,
    readonly index: string,
  ) {
    super(ctx, path, resolver, false);
  }
  protected readScalar(p: string, t: RangeTarget): unknown {
    const b = t.sheet.get(t.rect.row, t.rect.col)?.format?.borders?.[this.index];
    return (b as Record<string, unknown> | undefined)?.[p] ?? "None";
  }
  private setBorder(key: "style" | "weight", v: string): void {
    this.pending[key] = v;
    const index = this.index;
    this.queueWrite(key, v, (t) => {
      guardProtected(t.sheet, "borders");
      const edgeRows =
        index === "EdgeTop" ? [t.rect.row] : index === "EdgeBottom" ? [t.rect.row + t.rect.rows - 1] : null;
      forEachCell(t, (r, c) => {
        if (edgeRows && !edgeRows.includes(r)) return;
        const cell = t.sheet.cell(r, c);
        const borders = { ...(cell.format?.borders ?? {}) };
        borders[index] = {
          style: borders[index]?.style ?? "Continuous",
          weight: borders[index]?.weight ?? "Thin",
          [key]: v,
        };
        cell.format = { ...cell.format, borders };
      });
    });
  }
  set style(v: string) {
    this.setBorder("style", v);
  }
  set weight(v: string) {
    this.setBorder("weight", v);
  }
}

// ---------------------------------------------------------------------------------------------------
// Names

export class FakeNamedItemCollection extends FakeObject<null> {
  protected readonly scalars = ["items"] as const;
  constructor(
    ctx: FakeRequestContext,
    path: string,
    /** The sheet a worksheet's names belong to; null for workbook.names. Resolved at sync. */
    private readonly scope: () => string | null,
  ) {
    super(ctx, path, () => null, true);
  }
  protected readScalar(): unknown {
    return undefined;
  }
  get items(): FakeNamedItem[] {
    return this.get("items");
  }

  override applyLoad(paths: string[]): unknown {
    const scope = this.scope();
    if (scope === null && this.path !== "workbook.names")
      throw new FakeOfficeError("ItemNotFound", `${this.path}: the sheet does not exist`);
    const model = this.context.control.model;
    const itemPaths = paths.map((p) => p.replace(/^items\/?/, "")).filter((p) => p !== "");
    const items = model.names
      .filter((n) => (n.scope ?? "").toLowerCase() === (scope ?? "").toLowerCase())
      .map(
        (n) =>
          new FakeNamedItem(
            this.context,
            `name(${n.name})`,
            () => (model.names.includes(n) ? n : null),
            false,
          ),
      );
    this.loadedProps.set("items", items);
    return items.map((i) => i.applyLoad(itemPaths));
  }

  private byName(name: string, nullable: boolean): FakeNamedItem {
    const model = this.context.control.model;
    return new FakeNamedItem(
      this.context,
      `${this.path}(${name})`,
      () => model.findName(name, this.scope()) ?? null,
      nullable,
    );
  }
  getItem(name: string): FakeNamedItem {
    return this.byName(name, false);
  }
  getItemOrNullObject(name: string): FakeNamedItem {
    return this.byName(name, true);
  }

  add(name: string, reference: FakeRange | string, comment?: string): FakeNamedItem {
    const model = this.context.control.model;
    const ref = typeof reference === "string" ? reference : reference.path;
    this.context.enqueue({
      path: this.path,
      action: "add",
      payload: [name, ref, comment ?? null],
      write: true,
      apply: () => {
        const scope = this.scope();
        if (scope === null && this.path !== "workbook.names")
          throw new FakeOfficeError("ItemNotFound", `${this.path}: the sheet does not exist`);
        if (!/^[A-Za-z_\\\u00C0-\u024F][\w.\u00C0-\u024F]*$/.test(name) || /^[A-Za-z]{1,3}\d+$/.test(name))
          throw new FakeOfficeError("InvalidArgument", `invalid name ${name}`);
        if (model.findName(name, scope))
          throw new FakeOfficeError("ItemAlreadyExists", `the name ${name} exists`);
        let formula: string;
        if (typeof reference === "string") formula = reference.startsWith("=") ? reference : `=${reference}`;
        else {
          const t = reference.target();
          formula = `=${sheetPrefix(t.sheet.name)}!${absolute(rectA1(t.rect))}`;
        }
        model.names.push({ name, scope, formula });
      },
    });
    return this.byName(name, false);
  }
}

export class FakeNamedItem extends FakeObject<{ name: string; scope: string | null; formula: string }> {
  protected readonly scalars = ["name", "formula", "type", "visible", "scope", "value"] as const;
  protected readScalar(p: string, n: { name: string; scope: string | null; formula: string }): unknown {
    switch (p) {
      case "name":
        return n.name;
      case "formula":
        return n.formula;
      case "scope":
        return n.scope === null ? "Workbook" : "Worksheet";
      case "visible":
        return true;
      case "value":
        return n.formula.replace(/^=/, "");
      default: {
        const k = parseNameFormula(n.formula).kind;
        return k === "range" ? "Range" : k === "ref-error" ? "Error" : "String";
      }
    }
  }
  get name(): string {
    return this.get("name");
  }
  get formula(): string {
    return this.get("formula");
  }
  get type(): string {
    return this.get("type");
  }
  delete(): void {
    const model = this.context.control.model;
    this.queueWrite("delete", null, (n) => {
      model.names = model.names.filter((x) => x !== n);
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// Custom XML parts

export class FakeCustomXmlPartCollection extends FakeObject<FakeXmlPart[]> {
  protected readonly scalars = ["items"] as const;
  constructor(
    ctx: FakeRequestContext,
    path: string,
    private readonly namespace: () => string | null,
  ) {
    super(
      ctx,
      path,
      () => {
        const ns = namespace();
        return ctx.control.model.customXmlParts.filter((p) => ns === null || p.namespaceUri === ns);
      },
      false,
    );
  }
  protected readScalar(): unknown {
    return undefined;
  }
  get items(): FakeCustomXmlPart[] {
    return this.get("items");
  }
  override applyLoad(paths: string[]): unknown {
    const model = this.context.control.model;
    const itemPaths = paths.map((p) => p.replace(/^items\/?/, "")).filter((p) => p !== "");
    const items = this.target().map(
      (p) =>
        new FakeCustomXmlPart(
          this.context,
          `xmlPart(${p.id})`,
          () => (model.customXmlParts.includes(p) ? p : null),
          false,
        ),
    );
    this.loadedProps.set("items", items);
    return items.map((i) => i.applyLoad(itemPaths));
  }
  getByNamespace(ns: string): FakeCustomXmlPartCollection {
    return new FakeCustomXmlPartCollection(this.context, `${this.path}.getByNamespace(${ns})`, () => ns);
  }
  getItemOrNullObject(id: string): FakeCustomXmlPart {
    return new FakeCustomXmlPart(
      this.context,
      `${this.path}.getItemOrNullObject(${id})`,
      () => this.target().find((p) => p.id === id) ?? null,
      true,
    );
  }
  /** Null when there is not exactly one part (as Office.js documents for the scoped collection). */
  getOnlyItemOrNullObject(): FakeCustomXmlPart {
    return new FakeCustomXmlPart(
      this.context,
      `${this.path}.getOnlyItemOrNullObject()`,
      () => {
        const parts = this.target();
        return parts.length === 1 ? parts[0] : null;
      },
      true,
    );
  }
  getCount(): FakeClientResult<number> {
    return queueResult(this.context, this.path, "getCount", () => this.target().length);
  }
  add(xml: string): FakeCustomXmlPart {
    const model = this.context.control.model;
    let created: FakeXmlPart | null = null;
    this.requireSet("ExcelApi", "1.5", "customXmlParts.add");
    this.context.enqueue({
      path: this.path,
      action: "add",
      payload: xml,
      write: true,
      apply: () => {
        if (!/^\s*(<\?xml[^>]*\?>\s*)?<[\w:.-]+[\s\S]*>\s*$/.test(xml))
          throw new FakeOfficeError("InvalidArgument", "not XML");
        created = model.addXmlPart(xml);
      },
    });
    return new FakeCustomXmlPart(this.context, `${this.path}.add()`, () => created, false);
  }
}

export class FakeCustomXmlPart extends FakeObject<FakeXmlPart> {
  protected readonly scalars = ["id", "namespaceUri"] as const;
  protected readScalar(p: string, part: FakeXmlPart): unknown {
    return p === "id" ? part.id : part.namespaceUri;
  }
  get id(): string {
    return this.get("id");
  }
  get namespaceUri(): string {
    return this.get("namespaceUri");
  }
  getXml(): FakeClientResult<string | null> {
    return queueResult(this.context, this.path, "getXml", () => this.resolve()?.xml ?? null);
  }
  setXml(xml: string): void {
    this.queueWrite("setXml", xml, (p) => (p.xml = xml));
  }
  delete(): void {
    const model = this.context.control.model;
    this.queueWrite(
      "delete",
      null,
      (p) => (model.customXmlParts = model.customXmlParts.filter((x) => x !== p)),
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// Charts

export class FakeChartCollection extends FakeObject<FakeSheet> {
  protected readonly scalars = ["count"] as const;
  protected readScalar(_p: string, s: FakeSheet): unknown {
    return s.charts.length;
  }
  add(type: string, source: FakeRange, seriesBy = "Auto"): FakeChart_ {
    let chart: FakeChart | null = null;
    this.queueWrite("add", [type, source.path, seriesBy], (s) => {
      guardProtected(s, "charts.add");
      const t = source.target();
      const byRows = seriesBy === "Rows";
      const n = byRows ? t.rect.rows : t.rect.cols;
      chart = {
        type,
        title: "",
        source: `${sheetPrefix(t.sheet.name)}!${rectA1(t.rect)}`,
        series: Array.from({ length: n }, (_, i) => ({
          name: `Serie${i + 1}`,
          values: `${sheetPrefix(t.sheet.name)}!${rectA1(
            byRows
              ? { ...t.rect, row: t.rect.row + i, rows: 1 }
              : { ...t.rect, col: t.rect.col + i, cols: 1 },
          )}`,
        })),
      };
      s.charts.push(chart);
    });
    return new FakeChart_(this.context, `${this.path}.add(${type})`, () => chart);
  }
}

/** Excel.Chart (named with a trailing underscore to keep FakeChart for the recorded model). */
export class FakeChart_ extends FakeObject<FakeChart> {
  protected readonly scalars = ["name"] as const;
  constructor(ctx: FakeRequestContext, path: string, resolver: () => FakeChart | null) {
    super(ctx, path, resolver, false);
  }
  protected readScalar(): unknown {
    return "Diagram 1";
  }
  get title(): { text: string } {
    const set = (text: string) => this.queueWrite("title", text, (c) => (c.title = text));
    return {
      get text(): string {
        throw new FakeOfficeError("PropertyNotLoaded", "chart.title.text");
      },
      set text(v: string) {
        set(v);
      },
    };
  }
  get series(): FakeChartSeriesCollection {
    return this.nav(
      "series",
      () => new FakeChartSeriesCollection(this.context, `${this.path}.series`, () => this.resolve()),
    );
  }
  setPosition(start: FakeRange | string, end?: FakeRange | string): void {
    const a = (x: FakeRange | string) => (typeof x === "string" ? x : rectA1(x.target().rect));
    this.queueWrite(
      "setPosition",
      null,
      (c) => (c.position = { start: a(start), end: end === undefined ? undefined : a(end) }),
    );
  }
}

export class FakeChartSeriesCollection extends FakeObject<FakeChart> {
  protected readonly scalars = ["count"] as const;
  protected readScalar(_p: string, c: FakeChart): unknown {
    return c.series.length;
  }
  getItemAt(i: number): FakeChartSeries {
    return new FakeChartSeries(this.context, `${this.path}.getItemAt(${i})`, () => {
      const c = this.resolve();
      return c && c.series[i] ? { chart: c, index: i } : null;
    });
  }
  add(name?: string): FakeChartSeries {
    let index = -1;
    this.queueWrite("add", name ?? null, (c) => {
      c.series.push({ name: name ?? `Serie${c.series.length + 1}` });
      index = c.series.length - 1;
    });
    return new FakeChartSeries(this.context, `${this.path}.add()`, () => {
      const c = this.resolve();
      return c && index >= 0 ? { chart: c, index } : null;
    });
  }
}

export class FakeChartSeries extends FakeObject<{ chart: FakeChart; index: number }> {
  protected readonly scalars = ["name"] as const;
  constructor(
    ctx: FakeRequestContext,
    path: string,
    resolver: () => { chart: FakeChart; index: number } | null,
  ) {
    super(ctx, path, resolver, false);
  }
  protected readScalar(_p: string, t: { chart: FakeChart; index: number }): unknown {
    return t.chart.series[t.index].name;
  }
  set name(v: string) {
    this.queueWrite("name", v, (t) => (t.chart.series[t.index].name = v));
  }
  private rangeRef(r: FakeRange): string {
    const t = r.target();
    return `${sheetPrefix(t.sheet.name)}!${rectA1(t.rect)}`;
  }
  setValues(r: FakeRange): void {
    this.requireSet("ExcelApi", "1.7", "ChartSeries.setValues");
    this.queueWrite("setValues", r.path, (t) => (t.chart.series[t.index].values = this.rangeRef(r)));
  }
  setXAxisValues(r: FakeRange): void {
    this.requireSet("ExcelApi", "1.7", "ChartSeries.setXAxisValues");
    this.queueWrite("setXAxisValues", r.path, (t) => (t.chart.series[t.index].xValues = this.rangeRef(r)));
  }
}
