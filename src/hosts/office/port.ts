/**
 * The Office.js host: a WorkbookPort over one Excel.RequestContext. It only renders what the workbook
 * layer decided (ReadRequest in, WritePlan out) and keeps the round trips few:
 *
 * - readMeta: 1 sync (sheets with protection, workbook-scoped names with formulas, and the stored
 *   configuration's XML). Worksheet-scoped names need the sheet list first, so they cost one extra sync,
 *   taken only when a required role (or a role the mapping names explicitly) is not defined at workbook
 *   scope. Realistic workbooks hit this only when their names were copied in with a sheet, and then all
 *   their names are sheet-scoped, so the required roles trigger it.
 * - read: 1 sync (every requested range's values/valueTypes/formulas, the requested sheets' used ranges,
 *   merged areas where ExcelApi 1.13 allows).
 * - write: 1 sync for everything up to ~4.5 MB of request (a 5 000-line ledger is far below); above that
 *   the queued operations are chunked by an estimate of their JSON size, one sync per chunk, so no
 *   request comes near Excel on the web's 5 MB limit.
 *
 * The configuration lookup uses `getByNamespace(ns).getOnlyItemOrNullObject().getXml()` in the same
 * batch as the metadata, relying on Office.js giving a null result for a method on a null object. If a
 * host rejects that batch, readMeta retries without it and reads the configuration in two more syncs.
 */
import { CONFIG_NAMESPACE, defaultConfig } from "../../workbook/config";
import { ROLE_SHAPES } from "../../workbook/contract";
import { PartialWriteError, type WorkbookPort, type WriteReport } from "../../workbook/pipeline";
import type {
  CellStyle,
  ChartPlan,
  NameDefinition,
  NameEntry,
  PlanValue,
  RawCell,
  ReadRequest,
  ReadResult,
  Rect,
  SheetPlan,
  StoredConfig,
  WorkbookMeta,
  WritePlan,
} from "../../workbook/types";

export interface OfficePortOptions {
  /** Office.context.requirements.isSetSupported, injectable for tests. */
  isSetSupported?: (set: string, version: string) => boolean;
  /** Target size of one write request in bytes (default 4.5 MB, 10 % under the 5 MB limit). */
  chunkBytes?: number;
}

/**
 * Estimated fixed cost of one queued operation in an Office.js request (its Action and ObjectPath
 * entries with ids and the proxy path); a little above what the strict fake measures, so chunks are
 * never underestimated.
 */
const OP_OVERHEAD_BYTES = 300;
/** Value blocks are split into row slices of about this size. */
const SLICE_BYTES = 256 * 1024;
/**
 * 4.5 MB of estimated request (the estimate runs a little above the measured size): 10 % under Excel on
 * the web's 5 MB limit, and full enough that a big write needs about one request per 4 MB.
 */
const DEFAULT_CHUNK_BYTES = 4_500_000;

export function defaultIsSetSupported(set: string, version: string): boolean {
  const office = (globalThis as { Office?: typeof Office }).Office;
  return office?.context?.requirements?.isSetSupported(set, version) ?? false;
}

export function utf8Bytes(s: string): number {
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

const upper = (s: string) => s.toLocaleUpperCase("sv-SE");

/**
 * A plan value as written through range.values. Strings always get a leading apostrophe, which Excel
 * consumes and which makes the cell text: "=SUM(A1)", "+46", "-x", "@x", "2019", "1e5" and "TRUE" all
 * stay exactly that text. null and "" clear the cell (in Office.js a null would mean "leave unchanged").
 */
export function toExcelValue(v: PlanValue): string | number | boolean {
  if (v === null || v === "") return "";
  if (typeof v === "string") return `'${v}`;
  if (typeof v === "number" && !Number.isFinite(v)) return "";
  return v;
}

function toRaw(value: unknown, type: string): RawCell {
  if (type === "Empty" || value === "" || value === null || value === undefined) return null;
  if (type === "Error") return { error: String(value) };
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  return String(value);
}

function formulaText(f: unknown): string {
  if (f === null || f === undefined) return "";
  if (typeof f === "boolean") return f ? "TRUE" : "FALSE";
  return String(f);
}

/** Column width in characters (as the plan gives it) → points (Excel: pixels = trunc(7w + 5), 0.75 pt/px). */
export function charsToPoints(width: number): number {
  return Math.trunc(width * 7 + 5) * 0.75;
}

interface Step {
  part: string;
  bytes: number;
  run: () => void;
}

export class OfficeWorkbookPort implements WorkbookPort {
  private meta: WorkbookMeta | null = null;
  private primed = false;
  private readonly supported: (set: string, version: string) => boolean;
  private readonly chunkBytes: number;

  constructor(
    private readonly context: Excel.RequestContext,
    options: OfficePortOptions = {},
  ) {
    this.supported = options.isSetSupported ?? defaultIsSetSupported;
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  }

  /**
   * Metadata and the stored configuration's XML together (1 sync, +1 for worksheet-scoped names when
   * needed). The next readMeta() returns this snapshot without another round trip.
   */
  async readMetaAndConfig(configFor?: (xml: string | null) => StoredConfig): Promise<{
    meta: WorkbookMeta;
    configXml: string | null;
  }> {
    const { context } = this;
    const wb = context.workbook;
    const sheets = wb.worksheets.load("items/name,items/protection/protected");
    const names = wb.names.load("items/name,items/formula");
    let configXml: string | null;
    try {
      const onlyPart = wb.customXmlParts.getByNamespace(CONFIG_NAMESPACE).getOnlyItemOrNullObject();
      const partXml = onlyPart.getXml();
      await context.sync();
      configXml = partXml.value ?? null;
    } catch {
      // Fallback for a host that rejects a method on a null object: metadata, then the config part.
      sheets.load("items/name,items/protection/protected");
      names.load("items/name,items/formula");
      const parts = wb.customXmlParts.getByNamespace(CONFIG_NAMESPACE).load("items/id");
      await context.sync();
      configXml = null;
      if (parts.items.length > 0) {
        const firstXml = parts.items[0].getXml();
        await context.sync();
        configXml = firstXml.value;
      }
    }
    const meta: WorkbookMeta = {
      sheets: sheets.items.map((s) => ({ name: s.name, protected: s.protection.protected })),
      names: names.items.map((n): NameEntry => ({ name: n.name, scope: null, formula: n.formula })),
    };
    const config = configFor?.(configXml);
    if (this.needsSheetScopedNames(meta, config)) {
      const scoped = sheets.items.map((s) => ({
        sheet: s.name,
        names: s.names.load("items/name,items/formula"),
      }));
      await context.sync();
      for (const { sheet, names: list } of scoped)
        for (const n of list.items) meta.names.push({ name: n.name, scope: sheet, formula: n.formula });
    }
    this.meta = meta;
    this.primed = true;
    return { meta, configXml };
  }

  /** True when a required role, or a role the mapping names, has no workbook-scoped name. */
  private needsSheetScopedNames(meta: WorkbookMeta, config: StoredConfig | undefined): boolean {
    const workbookNames = new Set(meta.names.map((n) => upper(n.name)));
    const mapping = config?.mapping ?? {};
    for (const [role, spec] of Object.entries(ROLE_SHAPES)) {
      const mapped = mapping[role as keyof typeof mapping];
      if (!spec.required && mapped === undefined) continue;
      const wanted = mapped ?? role;
      if (wanted.includes("!") || !workbookNames.has(upper(wanted))) return true;
    }
    return false;
  }

  async readMeta(): Promise<WorkbookMeta> {
    if (this.primed && this.meta) {
      this.primed = false;
      return this.meta;
    }
    return (await this.readMetaAndConfig(() => defaultConfig())).meta;
  }

  private sheetName(name: string): string | null {
    return this.meta?.sheets.find((s) => upper(s.name) === upper(name))?.name ?? null;
  }

  async read(request: ReadRequest): Promise<ReadResult> {
    if (!this.meta) await this.readMeta();
    const { context } = this;
    const ws = context.workbook.worksheets;
    const merges = this.supported("ExcelApi", "1.13");
    const ranges = request.ranges.map((req) => {
      const { sheet, row, col, rows, cols } = req.rect;
      const range = ws.getItem(sheet).getRangeByIndexes(row, col, rows, cols);
      if (req.formulas) range.load("values,valueTypes,formulas");
      else range.load("values,valueTypes");
      const merged = merges ? range.getMergedAreasOrNullObject().load("areaCount") : null;
      return { req, range, merged };
    });
    const sheets = request.sheets.map((name) => {
      const actual = this.sheetName(name);
      const used = actual
        ? ws.getItem(actual).getUsedRangeOrNullObject(true).load("values,valueTypes,rowIndex,columnIndex")
        : null;
      return { name: actual ?? name, used };
    });
    await context.sync();

    return {
      ranges: ranges.map(({ req, range, merged }) => {
        const types = range.valueTypes as string[][];
        const values = range.values.map((line, r) => line.map((v, c) => toRaw(v, types[r][c])));
        const out: ReadResult["ranges"][number] = { key: req.key, values };
        if (req.formulas) out.formulas = range.formulas.map((line) => line.map(formulaText));
        if (merged) out.merged = !merged.isNullObject && merged.areaCount > 0;
        return out;
      }),
      sheets: sheets.map(({ name, used }) => {
        if (!used || used.isNullObject) return { sheet: name, values: [] };
        const types = used.valueTypes as string[][];
        const width = used.columnIndex + (used.values[0]?.length ?? 0);
        const values: RawCell[][] = [];
        for (let r = 0; r < used.rowIndex; r++) values.push(new Array<RawCell>(width).fill(null));
        used.values.forEach((line, r) =>
          values.push([
            ...new Array<RawCell>(used.columnIndex).fill(null),
            ...line.map((v, c) => toRaw(v, types[r][c])),
          ]),
        );
        return { sheet: name, values };
      }),
    };
  }

  async write(plan: WritePlan): Promise<WriteReport> {
    if (!this.meta) await this.readMeta();
    const steps = this.planSteps(plan);
    const parts = [...new Set(steps.map((s) => s.part))];

    // Group steps into requests of at most chunkBytes (a single step is never split further).
    const chunks: Step[][] = [];
    let size = 0;
    for (const step of steps) {
      const last = chunks[chunks.length - 1];
      if (!last || (size + step.bytes > this.chunkBytes && last.length > 0)) {
        chunks.push([step]);
        size = step.bytes;
      } else {
        last.push(step);
        size += step.bytes;
      }
    }
    const lastChunkOf = new Map<string, number>();
    chunks.forEach((chunk, i) => chunk.forEach((s) => lastChunkOf.set(s.part, i)));

    const { context } = this;
    const app = context.application;
    const calc = this.supported("ExcelApi", "1.6");
    const screen = this.supported("ExcelApi", "1.9");
    for (let i = 0; i < chunks.length; i++) {
      try {
        if (calc) app.suspendApiCalculationUntilNextSync();
        if (screen) app.suspendScreenUpdatingUntilNextSync();
        for (const step of chunks[i]) step.run();
        // One request per chunk: the loop is over size-bounded chunks, never over lines.
        // eslint-disable-next-line office-addins/no-context-sync-in-loop
        await context.sync();
      } catch (e) {
        const written = parts.filter((p) => (lastChunkOf.get(p) ?? 0) < i);
        const notWritten = parts.filter((p) => (lastChunkOf.get(p) ?? 0) >= i);
        throw new PartialWriteError(partialMessage(e, written, notWritten), { written, notWritten });
      }
    }
    // The workbook changed: the next refresh on this port must read the metadata again.
    this.meta = null;
    return { written: parts, notWritten: [] };
  }

  /** Every write as a deferred step with its size estimate, in write order. */
  private planSteps(plan: WritePlan): Step[] {
    const steps: Step[] = [];
    const owned = plan.sheets.filter((s) => s.owned);
    const ownedNames = new Set(owned.map((s) => upper(s.name)));
    const user = plan.sheets.filter((s) => !s.owned);
    const namesFirst = plan.names.filter((n) => !ownedNames.has(upper(n.ref.sheet)));
    const namesLast = plan.names.filter((n) => ownedNames.has(upper(n.ref.sheet)));

    // Names on the user's sheets before their values: if a write fails after some output values landed,
    // the next refresh finds the output names defined and overwrites those cells instead of refusing them
    // as the user's own data (OUTPUT_OCCUPIED), so a second refresh repairs the workbook.
    if (namesFirst.length) this.nameSteps(steps, namesFirst);
    for (const sp of user) this.sheetSteps(steps, sp, `utdatakolumnerna på ${sp.name}`);
    for (const sp of owned) this.sheetSteps(steps, sp, `bladet ${sp.name}`);
    if (namesLast.length) this.nameSteps(steps, namesLast);
    return steps;
  }

  private sheetSteps(steps: Step[], sp: SheetPlan, part: string): void {
    const ws = () => this.context.workbook.worksheets.getItem(sp.name);
    const add = (bytes: number, run: () => void) =>
      steps.push({ part, bytes: bytes + OP_OVERHEAD_BYTES, run });

    if (sp.owned) {
      const existing = this.sheetName(sp.name);
      add(OP_OVERHEAD_BYTES, () => {
        const sheets = this.context.workbook.worksheets;
        if (existing) sheets.getItem(existing).delete();
        sheets.add(sp.name);
      });
    }
    for (const block of sp.values) {
      const width = block.values[0]?.length ?? 0;
      const ragged = block.values.some((l) => l.length !== width);
      if (ragged) {
        // Rows of different lengths: one range per row (rare; never pad over the user's cells).
        block.values.forEach((line, r) => {
          if (!line.length) return;
          const vals = [line.map(toExcelValue)];
          add(utf8Bytes(JSON.stringify(vals)), () => {
            ws().getRangeByIndexes(block.row + r, block.col, 1, line.length).values = vals;
          });
        });
        continue;
      }
      if (!width) continue;
      for (const slice of slices(block.values.map((l) => l.map(toExcelValue)))) {
        add(slice.bytes, () => {
          ws().getRangeByIndexes(block.row + slice.offset, block.col, slice.rows.length, width).values =
            slice.rows;
        });
      }
    }
    for (const f of sp.formats) {
      if (f.rect.rows <= 0 || f.rect.cols <= 0) continue;
      const { numberFormat, ...rest } = f.style;
      if (numberFormat !== undefined)
        // A 1×1 array is applied to every cell of the range (Excel.Range.numberFormat), so one small
        // operation formats a whole column block instead of a rows×cols grid of repeated strings.
        add(utf8Bytes(numberFormat), () => {
          ws().getRangeByIndexes(f.rect.row, f.rect.col, f.rect.rows, f.rect.cols).numberFormat = [
            [numberFormat],
          ];
        });
      const ops = styleOps(rest);
      if (ops.length)
        add(ops.length * OP_OVERHEAD_BYTES, () => {
          const range = ws().getRangeByIndexes(f.rect.row, f.rect.col, f.rect.rows, f.rect.cols);
          // format is a navigation property (no load needed); the rule cannot see through the call.
          // eslint-disable-next-line office-addins/load-object-before-read, office-addins/call-sync-before-read
          for (const op of ops) op(range.format);
        });
    }
    for (const m of mergeRuns(sp.merges))
      add(0, () => ws().getRangeByIndexes(m.row, m.col, m.rows, m.cols).merge(m.across));
    for (const { col, width } of sp.columnWidths)
      add(0, () => {
        ws().getRangeByIndexes(0, col, 1, 1).format.columnWidth = charsToPoints(width);
      });
    for (const { row, height } of sp.rowHeights ?? [])
      add(0, () => {
        ws().getRangeByIndexes(row, 0, 1, 1).format.rowHeight = height;
      });
    if (sp.freeze && (sp.freeze.rows > 0 || sp.freeze.cols > 0)) {
      const { rows, cols } = sp.freeze;
      add(0, () => {
        const panes = ws().freezePanes;
        if (rows > 0 && cols > 0) panes.freezeAt(ws().getRangeByIndexes(0, 0, rows, cols));
        else if (rows > 0) panes.freezeRows(rows);
        else panes.freezeColumns(cols);
      });
    }
    if (sp.print && this.supported("ExcelApi", "1.9")) {
      const print = sp.print;
      add(OP_OVERHEAD_BYTES * 2, () => {
        const layout = ws().pageLayout;
        layout.orientation = print.orientation === "landscape" ? "Landscape" : "Portrait";
        if (print.fitToWidth) layout.zoom = { horizontalFitToPages: 1, verticalFitToPages: 0 };
        if (print.repeatRows)
          layout.setPrintTitleRows(`$${print.repeatRows.first + 1}:$${print.repeatRows.last + 1}`);
      });
    }
    for (const chart of sp.charts)
      add(OP_OVERHEAD_BYTES * (4 + chart.series.length * 3), () => this.chart(sp.name, chart));
  }

  private chart(sheet: string, plan: ChartPlan): void {
    if (!plan.series.length) return;
    const ws = this.context.workbook.worksheets.getItem(sheet);
    const r = (x: Rect) => ws.getRangeByIndexes(x.row, x.col, x.rows, x.cols);
    const type = plan.type === "line" ? "Line" : "ColumnClustered";
    const seriesBy = plan.series[0].values.cols === 1 ? "Columns" : "Rows";
    const chart = ws.charts.add(type, r(plan.series[0].values), seriesBy);
    chart.title.text = plan.title;
    plan.series.forEach((s, i) => {
      const series = i === 0 ? chart.series.getItemAt(0) : chart.series.add(s.name);
      series.name = s.name;
      if (i > 0) series.setValues(r(s.values));
      series.setXAxisValues(r(plan.categories));
    });
    const a = plan.anchor;
    chart.setPosition(
      r({ ...a, rows: 1, cols: 1 }),
      r({ row: a.row + a.rows - 1, col: a.col + a.cols - 1, rows: 1, cols: 1 }),
    );
  }

  private nameSteps(steps: Step[], defs: NameDefinition[]): void {
    const part = `namnen ${defs.map((d) => d.name).join(", ")}`;
    const existing = this.meta?.names ?? [];
    for (const def of defs) {
      const old = existing.find(
        (n) => upper(n.name) === upper(def.name) && upper(n.scope ?? "") === upper(def.scope ?? ""),
      );
      steps.push({
        part,
        bytes: OP_OVERHEAD_BYTES * 3,
        run: () => {
          const wb = this.context.workbook;
          const coll = def.scope === null ? wb.names : wb.worksheets.getItem(def.scope).names;
          if (old) coll.getItem(old.name).delete();
          const { sheet, row, col, rows, cols } = def.ref;
          coll.add(def.name, wb.worksheets.getItem(sheet).getRangeByIndexes(row, col, rows, cols));
        },
      });
    }
  }
}

/**
 * The plan's merged areas as few operations as possible: consecutive one-row merges over the same
 * columns (e.g. Driftsredovisning's comment rows) become one "merge across" of the whole block.
 */
export function mergeRuns(merges: Rect[]): (Rect & { across: boolean })[] {
  const out: (Rect & { across: boolean })[] = [];
  for (const m of merges) {
    if (m.rows * m.cols <= 1) continue;
    const last = out[out.length - 1];
    const extends_ =
      last && m.rows === 1 && (last.across || last.rows === 1) && last.col === m.col && last.cols === m.cols;
    if (extends_ && last.row + last.rows === m.row) {
      last.rows++;
      last.across = true;
    } else out.push({ ...m, across: false });
  }
  return out;
}

/** Splits a 2-D array into row slices of about SLICE_BYTES each, with their JSON size. */
function slices<V>(grid: V[][]): { offset: number; rows: V[][]; bytes: number }[] {
  const out: { offset: number; rows: V[][]; bytes: number }[] = [];
  let start = 0;
  let bytes = 0;
  for (let r = 0; r < grid.length; r++) {
    const b = utf8Bytes(JSON.stringify(grid[r])) + 1;
    if (bytes + b > SLICE_BYTES && r > start) {
      out.push({ offset: start, rows: grid.slice(start, r), bytes });
      start = r;
      bytes = 0;
    }
    bytes += b;
  }
  if (start < grid.length) out.push({ offset: start, rows: grid.slice(start), bytes });
  return out;
}

type FormatOp = (f: Excel.RangeFormat) => void;

function styleOps(style: Omit<CellStyle, "numberFormat">): FormatOp[] {
  const ops: FormatOp[] = [];
  const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
  if (style.bold !== undefined) ops.push((f) => (f.font.bold = style.bold as boolean));
  if (style.italic !== undefined) ops.push((f) => (f.font.italic = style.italic as boolean));
  if (style.fontSize !== undefined) ops.push((f) => (f.font.size = style.fontSize as number));
  if (style.fontColor !== undefined) ops.push((f) => (f.font.color = style.fontColor as string));
  if (style.fill !== undefined) ops.push((f) => (f.fill.color = style.fill as string));
  if (style.horizontalAlignment !== undefined) {
    const v = cap(style.horizontalAlignment) as Excel.HorizontalAlignment;
    ops.push((f) => (f.horizontalAlignment = v));
  }
  if (style.verticalAlignment !== undefined) {
    const v = cap(style.verticalAlignment) as Excel.VerticalAlignment;
    ops.push((f) => (f.verticalAlignment = v));
  }
  if (style.indent !== undefined) ops.push((f) => (f.indentLevel = style.indent as number));
  if (style.wrap !== undefined) ops.push((f) => (f.wrapText = style.wrap as boolean));
  for (const [edge, weight] of [
    ["EdgeTop", style.borderTop],
    ["EdgeBottom", style.borderBottom],
  ] as const) {
    if (!weight) continue;
    ops.push((f) => {
      const b = f.borders.getItem(edge);
      b.style = "Continuous";
      b.weight = cap(weight) as Excel.BorderWeight;
    });
  }
  return ops;
}

function partialMessage(e: unknown, written: string[], notWritten: string[]): string {
  const code = (e as { code?: string }).code ?? "";
  const reason =
    code === "AccessDenied"
      ? "ett blad är skyddat eller arbetsboken är låst"
      : code === "RequestPayloadSizeLimitExceeded"
        ? "begäran till Excel blev för stor"
        : code === "ItemNotFound"
          ? "ett blad eller namn saknades"
          : `Excel avvisade skrivningen${e instanceof Error ? `: ${e.message}` : ""}`;
  return (
    `Uppdateringen avbröts under skrivningen (${reason}). ` +
    `Skrivet: ${written.length ? written.join(", ") : "inget"}. ` +
    `Inte skrivet, eller bara delvis: ${notWritten.join(", ")}. ` +
    "Tryck på Uppdatera prognos igen för att reparera: rapportbladen skapas om och utdatakolumnerna skrivs om."
  );
}
