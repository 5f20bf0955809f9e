/**
 * The Office.js host: a WorkbookPort over one Excel.RequestContext. It only renders what the workbook
 * layer decided (ReadRequest in, WritePlan out) and keeps the round trips few:
 *
 * - readMeta: 1 sync (sheets with protection, visibility and charts, workbook structure protection,
 *   workbook-scoped names with formulas, and the stored configuration's XML); for a refresh the same
 *   sync reads ahead the first rows of the roles' ranges and of the report sheets, and all of the state
 *   sheet (which tells the pipeline what the rest of the read can leave out).
 *   Worksheet-scoped names need the sheet list first, so they cost one extra sync, taken only when a
 *   required role (or a role the mapping names explicitly) is not defined at workbook scope.
 * - read: what the read-ahead did not cover, in evenly filled row chunks of up to ~4.85 MB of expected
 *   response each when measured, ~4.5 MB when guessed (see read.ts); of a sheet with needed
 *   rectangles (ReadRequest.needed) only those.
 * - write: 1 sync for everything up to ~4.5 MB of request (a 5 000-line ledger is far below); above that
 *   the operations are chunked by their serialised size (see render.ts), one sync per chunk, so no
 *   request comes near the 5 MB request limit. A write that would add or hide sheets in a workbook whose
 *   structure is protected is refused before anything is written.
 *
 * The configuration lookup uses `getByNamespace(ns).getOnlyItemOrNullObject().getXml()` in the same
 * batch as the metadata, relying on Office.js giving a null result for a method on a null object. If a
 * host rejects that batch, readMeta retries without it and reads the configuration in two more syncs.
 */
import { nameKey, sameName } from "../../workbook/a1";
import { CONFIG_NAMESPACE, defaultConfig } from "../../workbook/config";
import { ROLE_SHAPES } from "../../workbook/contract";
import { PartialWriteError, type WorkbookPort, type WriteReport } from "../../workbook/pipeline";
import type {
  NameEntry,
  ReadRequest,
  ReadResult,
  StoredConfig,
  WorkbookMeta,
  WritePlan,
} from "../../workbook/types";
import { queueReadAhead, type ReadAhead } from "./read-ahead";
import { readCells } from "./read";
import { RequestCost, Renderer, REQUEST_BYTES, SHEET_BYTES, type Step } from "./render";

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
/** How much smaller the read-ahead is when the metadata sync's answer went over the limit. */
const RETRY_READ_SCALE = 1 / 4;
export function defaultIsSetSupported(set: string, version: string): boolean {
  const office = (globalThis as { Office?: typeof Office }).Office;
  return office?.context?.requirements?.isSetSupported(set, version) ?? false;
}

/** What readMeta learns beyond WorkbookMeta, for the write. */
interface SheetInfo {
  name: string;
  hidden: boolean;
  charts: number;
}

export class OfficeWorkbookPort implements WorkbookPort {
  private meta: WorkbookMeta | null = null;
  private info: SheetInfo[] = [];
  private structureProtected = false;
  private primed = false;
  private ahead: ReadAhead | null = null;
  /** The ids this context's writes took so far (see RequestCost): a second write continues from them. */
  private readonly cost = new RequestCost();
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
   * needed). The next readMeta() returns this snapshot without another round trip. With `readAhead`,
   * the same sync reads the first rows of the roles' ranges and the used-range addresses of those
   * sheets, for the next read() (see read.ts); if the host refuses that batch (or its answer is over
   * the limit), the metadata is read again without it.
   */
  async readMetaAndConfig(
    configFor?: (xml: string | null) => StoredConfig,
    readAhead?: { sheets: string[]; whole?: string[] },
  ): Promise<{
    meta: WorkbookMeta;
    configXml: string | null;
  }> {
    const { context } = this;
    const wb = context.workbook;
    const SHEET_PROPS = "items/name,items/visibility,items/protection/protected,items/charts/items/name";
    const NAME_PROPS = "items/name,items/formula";
    const sheets = wb.worksheets;
    const names = wb.names;
    const protection = wb.protection;
    const queueMeta = () => {
      sheets.load(SHEET_PROPS);
      names.load(NAME_PROPS);
      protection.load("protected");
    };
    // The metadata with the config part's XML (and the read-ahead) in one batch.
    const together = async (scale: number) => {
      queueMeta();
      const partXml = wb.customXmlParts.getByNamespace(CONFIG_NAMESPACE).getOnlyItemOrNullObject().getXml();
      const ahead = scale > 0 ? queueReadAhead(wb, readAhead!, this.readBytes, scale) : null;
      await context.sync();
      // getXml() gives a ClientResult, read after the sync (there is nothing to load).
      // eslint-disable-next-line office-addins/load-object-before-read
      return { xml: partXml.value ?? null, ahead: ahead ? ahead() : null };
    };
    let done: { xml: string | null; ahead: ReadAhead | null } | null = null;
    try {
      done = await together(readAhead ? 1 : 0);
    } catch (e) {
      // Over the response limit: a smaller read-ahead, then none; refused for another reason: none,
      // then the metadata and the config part in steps (below).
      const tooLarge = (e as { code?: string }).code === "ResponsePayloadSizeLimitExceeded";
      if (readAhead)
        done = await (tooLarge ? together(RETRY_READ_SCALE) : Promise.reject(e))
          .catch(() => together(0))
          .catch(() => null);
    }
    let configXml = done?.xml ?? null;
    this.ahead = done?.ahead ?? null;
    if (!done) {
      // Fallback for a host that rejects a method on a null object: metadata, then the config part.
      queueMeta();
      const parts = wb.customXmlParts.getByNamespace(CONFIG_NAMESPACE).load("items/id");
      await context.sync();
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
    const workbookNames = new Set(meta.names.map((n) => nameKey(n.name)));
    const mapping = config?.mapping ?? {};
    for (const [role, spec] of Object.entries(ROLE_SHAPES)) {
      const mapped = mapping[role as keyof typeof mapping];
      if (!spec.required && mapped === undefined) continue;
      const wanted = mapped ?? role;
      if (wanted.includes("!") || !workbookNames.has(nameKey(wanted))) return true;
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
    return this.meta?.sheets.find((s) => sameName(s.name, name))?.name ?? null;
  }

  /**
   * The requested ranges in as few syncs as the 5 MB response limit allows (see read.ts). What the
   * metadata sync read ahead serves every read until the write (a refresh reads the state sheet, then
   * the rest).
   */
  async read(request: ReadRequest): Promise<ReadResult> {
    if (!this.meta) await this.readMeta();
    const ahead = this.ahead;
    return readCells(
      {
        context: this.context,
        sheetName: (name) => this.sheetName(name),
        canMerge: this.supported("ExcelApi", "1.13"),
        readBytes: this.readBytes,
        ahead,
      },
      request,
    );
  }

  async write(plan: WritePlan): Promise<WriteReport> {
    if (!this.meta) await this.readMeta();
    // What was read ahead is stale from the first write on.
    this.ahead = null;
    const steps = this.planSteps(plan);
    const parts = [...new Set(steps.map((s) => s.part))];
    this.checkStructure(plan, parts);

    const chunks = chunkSteps(steps, this.chunkBytes);
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
      const existing = this.info.find((s) => sameName(s.name, sp.name));
      if (!existing) return sp.owned;
      return sp.hidden !== undefined && sp.hidden !== existing.hidden;
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
    const renderer = new Renderer(
      {
        context: this.context,
        supported: this.supported,
        existing: (name) => this.sheetName(name),
        chartCount: (name) => this.info.find((s) => sameName(s.name, name))?.charts ?? 0,
        hidden: (name) => this.info.find((s) => sameName(s.name, name))?.hidden ?? false,
        names: this.meta?.names ?? [],
      },
      this.cost,
    );
    const steps: Step[] = [];
    const owned = plan.sheets.filter((s) => s.owned);
    const ownedNames = new Set(owned.map((s) => nameKey(s.name)));
    const user = plan.sheets.filter((s) => !s.owned);
    const namesFirst = plan.names.filter((n) => !ownedNames.has(nameKey(n.ref.sheet)));
    const namesLast = plan.names.filter((n) => ownedNames.has(nameKey(n.ref.sheet)));

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

/**
 * Steps grouped into requests of at most `limit` bytes, each with the request's own envelope and the
 * path of every sheet it touches (a single step is never split further).
 */
export function chunkSteps(steps: Step[], limit: number): Step[][] {
  const chunks: Step[][] = [];
  let size = 0;
  let sheets = new Set<string>();
  for (const step of steps) {
    const key = step.sheet === null ? null : nameKey(step.sheet);
    const grows = step.bytes + (key !== null && !sheets.has(key) ? SHEET_BYTES : 0);
    const last = chunks[chunks.length - 1];
    if (!last || size + grows > limit) {
      chunks.push([step]);
      sheets = new Set(key === null ? [] : [key]);
      size = REQUEST_BYTES + step.bytes + (key === null ? 0 : SHEET_BYTES);
    } else {
      last.push(step);
      if (key !== null) sheets.add(key);
      size += grows;
    }
  }
  return chunks;
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
