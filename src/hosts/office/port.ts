/**
 * The Office.js host: a WorkbookPort over one Excel.RequestContext. It only renders what the workbook
 * layer decided (ReadRequest in, WritePlan out) and keeps the round trips few:
 *
 * - readMeta: 1 sync (sheets with protection, visibility and charts, workbook structure protection,
 *   workbook-scoped names with formulas, and the stored configuration's XML). Worksheet-scoped names
 *   need the sheet list first, so they cost one extra sync, taken only when a required role (or a role
 *   the mapping names explicitly) is not defined at workbook scope.
 * - read: 1 sync while the answer stays under Excel on the web's 5 MB response limit; above that the
 *   ranges are read in row chunks, sized by the bytes per row the earlier chunks actually returned
 *   (the JSON the library received), one sync per ~4.5 MB of response.
 * - write: 1 sync for everything up to ~4.5 MB of request (a 5 000-line ledger is far below); above that
 *   the operations are chunked by their serialised size (see render.ts), one sync per chunk, so no
 *   request comes near the 5 MB request limit. A write that would add or hide sheets in a workbook whose
 *   structure is protected is refused before anything is written.
 *
 * The configuration lookup uses `getByNamespace(ns).getOnlyItemOrNullObject().getXml()` in the same
 * batch as the metadata, relying on Office.js giving a null result for a method on a null object. If a
 * host rejects that batch, readMeta retries without it and reads the configuration in two more syncs.
 */
import { CONFIG_NAMESPACE, defaultConfig } from "../../workbook/config";
import { ROLE_SHAPES } from "../../workbook/contract";
import { PartialWriteError, type WorkbookPort, type WriteReport } from "../../workbook/pipeline";
import { parseRef } from "../../workbook/a1";
import type {
  NameEntry,
  RawCell,
  ReadRequest,
  ReadResult,
  Rect,
  StoredConfig,
  WorkbookMeta,
  WritePlan,
} from "../../workbook/types";
import { Renderer, utf8Bytes, type Step } from "./render";

export { charsToPoints, mergeRuns, toExcelValue, utf8Bytes } from "./render";

export interface OfficePortOptions {
  /** Office.context.requirements.isSetSupported, injectable for tests. */
  isSetSupported?: (set: string, version: string) => boolean;
  /** Target size of one write request in bytes (default 4.5 MB, 10 % under the 5 MB limit). */
  chunkBytes?: number;
  /** Target size of one read response in bytes (default 4.5 MB). */
  readBytes?: number;
}

/**
 * 4.5 MB: 10 % under Excel on the web's 5 MB payload limit for requests and responses ("Resource limits
 * and performance optimization for Office Add-ins", Excel add-ins).
 */
const DEFAULT_CHUNK_BYTES = 4_500_000;
/**
 * First guess of a read's answer per cell and property (JSON of values or formulas), until a chunk of
 * the range has been measured: typical of a ledger (amounts of 4–8 characters, short labels, empty
 * cells). A guess too low for a sheet of long texts costs one retried sync, never a failed refresh.
 */
const GUESS_CELL_BYTES = 8;
/** The share of the read budget the first (guessed) read sync may fill. */
const FIRST_READ_SHARE = 0.75;

export function defaultIsSetSupported(set: string, version: string): boolean {
  const office = (globalThis as { Office?: typeof Office }).Office;
  return office?.context?.requirements?.isSetSupported(set, version) ?? false;
}

const upper = (s: string) => s.toLocaleUpperCase("sv-SE");

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

/**
 * Ranges of at most this many cells are read with valueTypes; larger ones with their error cells as
 * areas (Range.getSpecialCellsOrNullObject, ExcelApi 1.9), which answers far less than a type per cell.
 */
const TYPED_READ_CELLS = 64;

/** A test for "is (r, c) of the chunk at `origin` an error cell", from the areas getSpecialCells gave. */
function errorCells(areas: Excel.RangeAreas[] | null, origin: Rect): (r: number, c: number) => boolean {
  const rects: Rect[] = [];
  for (const a of areas ?? []) {
    if (a.isNullObject) continue;
    for (const part of splitAreas(a.address)) {
      const rect = parseRef(part.slice(part.lastIndexOf("!") + 1));
      if (rect) rects.push(rect);
    }
  }
  if (!rects.length) return () => false;
  return (r, c) => {
    const row = origin.row + r;
    const col = origin.col + c;
    return rects.some((x) => row >= x.row && row < x.row + x.rows && col >= x.col && col < x.col + x.cols);
  };
}

/** "Blad!A1:B2,'Blad, två'!C3" → its areas (commas inside a quoted sheet name do not split). */
function splitAreas(address: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (const ch of address) {
    if (ch === "'") quoted = !quoted;
    if (ch === "," && !quoted) {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** What readMeta learns beyond WorkbookMeta, for the write. */
interface SheetInfo {
  name: string;
  hidden: boolean;
  charts: number;
}

/** One row chunk of a requested range, queued for a read sync. */
interface Piece {
  index: number;
  offset: number;
  rows: number;
}

export class OfficeWorkbookPort implements WorkbookPort {
  private meta: WorkbookMeta | null = null;
  private info: SheetInfo[] = [];
  private structureProtected = false;
  private primed = false;
  private readonly supported: (set: string, version: string) => boolean;
  private readonly chunkBytes: number;
  private readonly readBytes: number;

  constructor(
    private readonly context: Excel.RequestContext,
    options: OfficePortOptions = {},
  ) {
    this.supported = options.isSetSupported ?? defaultIsSetSupported;
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    this.readBytes = options.readBytes ?? DEFAULT_CHUNK_BYTES;
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
    const SHEET_PROPS = "items/name,items/visibility,items/protection/protected,items/charts/items/name";
    const sheets = wb.worksheets.load(SHEET_PROPS);
    const names = wb.names.load("items/name,items/formula");
    const protection = wb.protection.load("protected");
    let configXml: string | null;
    try {
      const onlyPart = wb.customXmlParts.getByNamespace(CONFIG_NAMESPACE).getOnlyItemOrNullObject();
      const partXml = onlyPart.getXml();
      await context.sync();
      configXml = partXml.value ?? null;
    } catch {
      // Fallback for a host that rejects a method on a null object: metadata, then the config part.
      sheets.load(SHEET_PROPS);
      names.load("items/name,items/formula");
      protection.load("protected");
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
    this.info = sheets.items.map((s) => ({
      name: s.name,
      hidden: s.visibility !== "Visible",
      charts: s.charts.items.length,
    }));
    this.structureProtected = protection.protected;
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

  /**
   * The requested ranges in as few syncs as the 5 MB response limit allows. Each sync reads row chunks
   * whose expected size fits readBytes; the expectation per range starts from a guess and is replaced by
   * the bytes per row the range's previous chunk actually returned. A response that still exceeds the
   * limit (ResponsePayloadSizeLimitExceeded) is read again in smaller chunks: a read changes nothing.
   */
  async read(request: ReadRequest): Promise<ReadResult> {
    if (!this.meta) await this.readMeta();
    const { context } = this;
    const ws = context.workbook.worksheets;
    const reqs = request.ranges;
    const perRow = reqs.map((r) => r.rect.cols * GUESS_CELL_BYTES * (r.formulas ? 2 : 1));
    const sheets = new Map<string, Excel.Worksheet>();
    const sheetOf = (name: string) => {
      if (!sheets.has(name)) sheets.set(name, ws.getItem(name));
      return sheets.get(name)!;
    };
    const values: RawCell[][][] = reqs.map(() => []);
    const formulas: string[][][] = reqs.map(() => []);
    let queue: Piece[] = reqs.map((r, index) => ({ index, offset: 0, rows: r.rect.rows }));
    let first = true;
    const merged: (Excel.RangeAreas | null)[] = [];
    let used: { name: string; range: Excel.Range | null }[] = [];

    while (queue.length || first) {
      // Until a chunk has been measured the size is a guess: the first sync keeps a wider margin.
      const group = takeGroup(queue, perRow, first ? this.readBytes * FIRST_READ_SHARE : this.readBytes);
      const loaded = group.map((p) => {
        const req = reqs[p.index];
        const { sheet, row, col, cols } = req.rect;
        const range = sheetOf(sheet).getRangeByIndexes(row + p.offset, col, p.rows, cols);
        const typed = p.rows * cols <= TYPED_READ_CELLS;
        range.load(["values", ...(typed ? ["valueTypes"] : []), ...(req.formulas ? ["formulas"] : [])]);
        // Large ranges: the error cells as areas instead of a type for every cell (about half the answer).
        const errors = typed
          ? null
          : [
              range.getSpecialCellsOrNullObject("Constants", "Errors").load("address"),
              range.getSpecialCellsOrNullObject("Formulas", "Errors").load("address"),
            ];
        return { range, errors };
      });
      if (first) {
        const canMerge = this.supported("ExcelApi", "1.13");
        reqs.forEach((r, i) => {
          const { sheet, row, col, rows, cols } = r.rect;
          merged[i] = canMerge
            ? sheetOf(sheet)
                .getRangeByIndexes(row, col, rows, cols)
                .getMergedAreasOrNullObject()
                .load("areaCount")
            : null;
        });
        used = request.sheets.map((name) => {
          const actual = this.sheetName(name);
          const range = actual
            ? sheetOf(actual).getUsedRangeOrNullObject(true).load("values,valueTypes,rowIndex,columnIndex")
            : null;
          return { name: actual ?? name, range };
        });
      }
      try {
        // One sync per response-sized chunk: the loop is over chunks bounded by bytes, never over lines.
        // eslint-disable-next-line office-addins/no-context-sync-in-loop
        await context.sync();
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code !== "ResponsePayloadSizeLimitExceeded" || group.every((p) => p.rows === 1)) throw e;
        for (const p of group) perRow[p.index] *= 2;
        queue = [...group, ...queue];
        continue;
      }
      first = false;
      group.forEach((p, k) => {
        const { range, errors } = loaded[k];
        const req = reqs[p.index];
        const types = errors ? null : (range.valueTypes as string[][]);
        const isError = errorCells(errors, { ...req.rect, row: req.rect.row + p.offset, rows: p.rows });
        for (let r = 0; r < p.rows; r++)
          values[p.index].push(
            range.values[r].map((v, c) =>
              toRaw(v, types ? types[r][c] : isError(r, c) ? "Error" : v === "" ? "Empty" : "Value"),
            ),
          );
        if (req.formulas) for (const line of range.formulas) formulas[p.index].push(line.map(formulaText));
        // What this chunk really cost per row, for the next chunk of the same range.
        const bytes =
          utf8Bytes(JSON.stringify(range.values)) +
          (types ? utf8Bytes(JSON.stringify(types)) : 0) +
          (errors ? errors.reduce((n, e) => n + (e.isNullObject ? 0 : utf8Bytes(e.address)), 0) : 0) +
          (req.formulas ? utf8Bytes(JSON.stringify(range.formulas)) : 0);
        perRow[p.index] = Math.max(1, Math.ceil((bytes / p.rows) * 1.1));
      });
    }

    return {
      ranges: reqs.map((req, i) => {
        const out: ReadResult["ranges"][number] = { key: req.key, values: values[i] };
        if (req.formulas) out.formulas = formulas[i];
        const m = merged[i];
        if (m) out.merged = !m.isNullObject && m.areaCount > 0;
        return out;
      }),
      sheets: used.map(({ name, range }) => ({ sheet: name, values: range ? usedValues(range) : [] })),
    };
  }

  async write(plan: WritePlan): Promise<WriteReport> {
    if (!this.meta) await this.readMeta();
    const steps = this.planSteps(plan);
    const parts = [...new Set(steps.map((s) => s.part))];
    this.checkStructure(plan, parts);

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

  /**
   * With the workbook's structure protected, Excel refuses to add or hide sheets (Protect workbook >
   * Structure); the refusal would come after the user's output cells were written. Checked first, so
   * nothing is written.
   */
  private checkStructure(plan: WritePlan, parts: string[]): void {
    if (!this.structureProtected) return;
    const blocked = plan.sheets.filter((sp) => {
      const existing = this.info.find((s) => upper(s.name) === upper(sp.name));
      if (!existing) return sp.owned;
      return Boolean(sp.hidden) !== existing.hidden;
    });
    if (!blocked.length) return;
    const list = blocked.map((s) => s.name).join(", ");
    throw new PartialWriteError(
      `Arbetsbokens struktur är skyddad, så Uppföljaren kan inte lägga till eller dölja bladen ${list}. ` +
        "Ta bort skyddet (Granska > Skydda arbetsbok) och tryck på Uppdatera prognos igen. Inget har skrivits.",
      { written: [], notWritten: parts },
    );
  }

  /** Every write as a deferred step with its size, in write order. */
  private planSteps(plan: WritePlan): Step[] {
    const renderer = new Renderer({
      context: this.context,
      supported: this.supported,
      existing: (name) => this.sheetName(name),
      chartCount: (name) => this.info.find((s) => upper(s.name) === upper(name))?.charts ?? 0,
      hidden: (name) => this.info.find((s) => upper(s.name) === upper(name))?.hidden ?? false,
      names: this.meta?.names ?? [],
    });
    const steps: Step[] = [];
    const owned = plan.sheets.filter((s) => s.owned);
    const ownedNames = new Set(owned.map((s) => upper(s.name)));
    const user = plan.sheets.filter((s) => !s.owned);
    const namesFirst = plan.names.filter((n) => !ownedNames.has(upper(n.ref.sheet)));
    const namesLast = plan.names.filter((n) => ownedNames.has(upper(n.ref.sheet)));

    // Names on the user's sheets before their values: if a write fails after some output values landed,
    // the next refresh finds the output names defined and overwrites those cells instead of refusing them
    // as the user's own data (OUTPUT_OCCUPIED), so a second refresh repairs the workbook.
    if (namesFirst.length) renderer.names(steps, namesFirst);
    for (const sp of user) renderer.sheet(steps, sp, `utdatakolumnerna på ${sp.name}`);
    for (const sp of owned) renderer.sheet(steps, sp, `bladet ${sp.name}`);
    if (namesLast.length) renderer.names(steps, namesLast);
    return steps;
  }
}

/** Takes row chunks off the queue's front until their expected answer fills the budget (at least one row). */
function takeGroup(queue: Piece[], perRow: number[], budget: number): Piece[] {
  const group: Piece[] = [];
  while (queue.length) {
    const p = queue[0];
    const fit = Math.floor(budget / perRow[p.index]);
    if (fit < 1 && group.length > 0) break;
    const rows = Math.min(Math.max(1, fit), p.rows);
    group.push({ ...p, rows });
    budget -= rows * perRow[p.index];
    if (rows === p.rows) queue.shift();
    else queue[0] = { ...p, offset: p.offset + rows, rows: p.rows - rows };
  }
  return group;
}

/** A used range read from A1: rows and columns before it are empty. */
function usedValues(used: Excel.Range): RawCell[][] {
  if (used.isNullObject) return [];
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
  return values;
}

function partialMessage(e: unknown, written: string[], notWritten: string[]): string {
  const code = (e as { code?: string }).code ?? "";
  // The library's errors come from its own realm (an iframe or jsdom window): no instanceof Error.
  const detail = (e as { message?: unknown }).message;
  const reason =
    code === "AccessDenied"
      ? "ett blad är skyddat eller arbetsboken är låst"
      : code === "RequestPayloadSizeLimitExceeded"
        ? "begäran till Excel blev för stor"
        : code === "ItemNotFound"
          ? "ett blad eller namn saknades"
          : `Excel avvisade skrivningen${typeof detail === "string" && detail ? `: ${detail}` : ""}`;
  return (
    `Uppdateringen avbröts under skrivningen (${reason}). ` +
    `Skrivet: ${written.length ? written.join(", ") : "inget"}. ` +
    `Inte skrivet, eller bara delvis: ${notWritten.join(", ")}. ` +
    "Tryck på Uppdatera prognos igen för att reparera: rapportbladen ritas om och utdatakolumnerna skrivs om."
  );
}
