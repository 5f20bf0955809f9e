/**
 * One refresh, the same for every host: read metadata → plan the read → read values → build the core
 * input (validating everything) → compute → build the write plan → write. Hosts implement WorkbookPort
 * and nothing else; they never decide what to read or write.
 *
 * Round trips: readMeta (1 sync in Office), read (1 sync), write (1 sync, more only when chunked).
 * The read asks for the state sheet first (Office reads it with the metadata): it says where text can
 * be on the report sheets, so the rest of the read leaves out the cells the last refresh wrote.
 */
import { sameName } from "./a1";
import { compute } from "../core";
import { monthKey } from "../core/period";
import type { LedgerResult, Period } from "../core/types";
import { verksamhetOf } from "./config";
import { LINE_LOG_SHEET, LOG_SHEET, planRead, STATE_SHEET } from "./contract";
import { serialToDate } from "./dates";
import { buildInput } from "./input";
import { planRefresh } from "./plan";
import { carryRequest, skippedBlock, skippedBlockIntact } from "./reports/carry";
import { computeTertial, type TertialOutcome } from "./tertial";
import { readTertialTables } from "./tertial-input";
import type {
  ContractError,
  LocatedFinding,
  RawCell,
  ReadRequest,
  ReadResult,
  StoredConfig,
  WorkbookMeta,
  WritePlan,
} from "./types";

export interface WriteReport {
  /** Human-readable parts (Swedish), e.g. "utdatakolumnerna på Underlag", "bladet Driftsredovisning". */
  written: string[];
  notWritten: string[];
}

export class PartialWriteError extends Error {
  constructor(
    message: string,
    public readonly report: WriteReport,
  ) {
    super(message);
    this.name = "PartialWriteError";
  }
}

export interface WorkbookPort {
  readMeta(): Promise<WorkbookMeta>;
  read(request: ReadRequest): Promise<ReadResult>;
  /** Renders the plan. Throws PartialWriteError when it failed part-way, naming what was and was not written. */
  write(plan: WritePlan): Promise<WriteReport>;
}

export type RefreshStep = "read" | "validate" | "compute" | "write" | "done";

export interface RefreshOptions {
  /** Override the workbook's period (month 1–12), as the CLI's --period does. */
  month?: number;
  /** Validate and compute only; write nothing (the CLI's `check`). */
  dryRun?: boolean;
  /** Redraft the drafted texts even where the ekonom has written (`--nytt-utkast`, the pane's "Nytt utkast"). */
  newDraft?: boolean;
  onProgress?: (step: RefreshStep) => void;
}

/** A finding placed in the workbook, so the pane can select the cell (defined in ./types). */
export type { LocatedFinding };

export type RefreshOutcome =
  | {
      ok: true;
      period: Period;
      result: LedgerResult;
      /** Forecast change, investments, personnel figures, the drafted summary and the zones' texts. */
      tertial: TertialOutcome;
      findings: LocatedFinding[];
      plan: WritePlan;
      written: WriteReport | null;
    }
  | { ok: false; stage: "validate"; errors: ContractError[] }
  | { ok: false; stage: "write"; message: string; report: WriteReport };

/**
 * The read, the state sheet and the period's cells first when the request has the state sheet (see
 * carryRequest; Office has both from the metadata sync). The per-line log's rows of the period this
 * refresh logs are left out (it replaces them); `skipped` names that period.
 */
async function readAll(
  port: WorkbookPort,
  planned: { request: ReadRequest },
  month: number | undefined,
): Promise<{ read: ReadResult; skipped: { period: string; row: number; rows: number } | null }> {
  const { request } = planned;
  const stateSheet = request.sheets.find((s) => sameName(s, STATE_SHEET));
  if (!stateSheet) return { read: await port.read(request), skipped: null };
  const cells = request.ranges.filter((r) => r.key === "Period" || r.key === "Ar");
  const first = await port.read({ ranges: cells, sheets: [stateSheet] });
  const cell = (key: string) => first.ranges.find((r) => r.key === key)?.values[0]?.[0] ?? null;
  const logged = request.sheets.some((s) => sameName(s, LINE_LOG_SHEET));
  const period = logged ? peekPeriod(cell("Period"), cell("Ar"), month) : null;
  const rest = { ...request, sheets: request.sheets.filter((s) => !sameName(s, STATE_SHEET)) };
  const skip = period ? { sheet: LINE_LOG_SHEET, period } : undefined;
  const block = skip ? skippedBlock(first, skip) : null;
  const read = await port.read(carryRequest(rest, first, [LOG_SHEET, LINE_LOG_SHEET], skip));
  const skipped = period && block ? { period, ...block } : null;
  return { read: { ranges: read.ranges, sheets: [...read.sheets, ...first.sheets] }, skipped };
}

/**
 * The period ("ÅÅÅÅ-MM") the Period cell (with Ar) states in the plain cases: a date serial, a month
 * number with a year, an ISO date text; null otherwise. Only a hint for what the read may leave out:
 * the refresh checks it against the period buildInput reads.
 */
function peekPeriod(period: RawCell, year: RawCell, month: number | undefined): string | null {
  let y: number | null = null;
  let m: number | null = null;
  if (typeof period === "number" && period > 31) ({ year: y, month: m } = serialToDate(period));
  else if (typeof period === "number" && typeof year === "number") [y, m] = [year, period];
  else if (typeof period === "string") {
    const iso = /^(\d{4})-(\d{1,2})-\d{1,2}$/.exec(period.trim());
    if (iso) [y, m] = [Number(iso[1]), Number(iso[2])];
  }
  if (month !== undefined) m = month;
  if (y === null || m === null || !Number.isInteger(m) || m < 1 || m > 12) return null;
  return monthKey({ year: y, month: m });
}

export async function refresh(
  port: WorkbookPort,
  config: StoredConfig,
  options: RefreshOptions = {},
): Promise<RefreshOutcome> {
  const progress = options.onProgress ?? (() => undefined);
  const prepared = await prepare(port, config, options, progress);
  if (!prepared.ok) return prepared;
  const { result, tertial, findings, plan } = prepared;
  if (options.dryRun) {
    progress("done");
    return { ok: true, period: result.period, result, tertial, findings, plan, written: null };
  }

  progress("write");
  try {
    const written = await port.write(plan);
    progress("done");
    return { ok: true, period: result.period, result, tertial, findings, plan, written };
  } catch (e) {
    if (e instanceof PartialWriteError)
      return { ok: false, stage: "write", message: e.message, report: e.report };
    throw e;
  }
}

/**
 * Everything before the write: read, validate, compute, plan. A function of its own so that what was
 * read and the core's input (for a large ledger most of the memory in use) can be collected while the
 * plan is written, instead of staying reachable from the suspended refresh.
 */
async function prepare(
  port: WorkbookPort,
  config: StoredConfig,
  options: RefreshOptions,
  progress: (step: RefreshStep) => void,
): Promise<
  | { ok: true; result: LedgerResult; tertial: TertialOutcome; findings: LocatedFinding[]; plan: WritePlan }
  | { ok: false; stage: "validate"; errors: ContractError[] }
> {
  progress("read");
  const meta = await port.readMeta();
  const planned = planRead(meta, config, { writes: !options.dryRun });
  if ("errors" in planned) return { ok: false, stage: "validate", errors: planned.errors };
  const { read, skipped } = await readAll(port, planned, options.month);

  progress("validate");
  const built = buildInput(planned.resolution, read, config, { month: options.month });
  if ("errors" in built) return { ok: false, stage: "validate", errors: built.errors };
  const isLog = (s: { sheet: string }) => sameName(s.sheet, LINE_LOG_SHEET);
  if (
    skipped !== null &&
    (skipped.period !== monthKey(built.input.period) ||
      !skippedBlockIntact(read.sheets.find(isLog)?.values ?? [], skipped, skipped.period))
  ) {
    // Another period than the one peeked, or the log's rows moved: the rows left out are needed after all.
    const log = await port.read({ ranges: [], sheets: [LINE_LOG_SHEET] });
    read.sheets = [...read.sheets.filter((s) => !isLog(s)), ...log.sheets];
  }
  const tables = readTertialTables(planned.resolution, read, built.input);
  if ("errors" in tables) return { ok: false, stage: "validate", errors: tables.errors };

  progress("compute");
  const result = compute(built.input);
  // Reading findings (e.g. numbers stored as text) first, then the core's, then the carried text's.
  const figures = computeTertial(result, built.layout, tables, read, {
    subject: verksamhetOf(config, built.layout) ?? undefined,
  });
  const { plan, findings, texts, drafted } = planRefresh(result, built.layout, read, config, {
    tertial: figures,
    newDraft: options.newDraft,
  });
  const tertial: TertialOutcome = { ...figures, texts, drafted };
  return { ok: true, result, tertial, findings, plan };
}
