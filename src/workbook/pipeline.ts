/**
 * One refresh, the same for every host: read metadata → plan the read → read values → build the core
 * input (validating everything) → compute → build the write plan → write. Hosts implement WorkbookPort
 * and nothing else; they never decide what to read or write.
 *
 * Round trips: readMeta (1 sync in Office), read (1 sync), write (1 sync, more only when chunked).
 * The read asks for the state sheet first (Office reads it with the metadata): it says where text can
 * be on the report sheets, so the rest of the read leaves out the cells the last refresh wrote.
 */
import { compute } from "../core";
import type { LedgerResult, Period } from "../core/types";
import { LINE_LOG_SHEET, LOG_SHEET, planRead, STATE_SHEET } from "./contract";
import { buildInput } from "./input";
import { planRefresh } from "./plan";
import { carryRequest } from "./reports/carry";
import { computeTertial, type TertialOutcome } from "./tertial";
import { readTertialTables } from "./tertial-input";
import type {
  ContractError,
  LocatedFinding,
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

/** The read, the state sheet first when the request has it (see carryRequest). */
async function readAll(port: WorkbookPort, request: ReadRequest): Promise<ReadResult> {
  const isState = (s: string) => s.toLocaleUpperCase("sv-SE") === STATE_SHEET.toLocaleUpperCase("sv-SE");
  const stateSheet = request.sheets.find(isState);
  if (!stateSheet) return port.read(request);
  const state = await port.read({ ranges: [], sheets: [stateSheet] });
  const rest = { ...request, sheets: request.sheets.filter((s) => !isState(s)) };
  const read = await port.read(carryRequest(rest, state, [LOG_SHEET, LINE_LOG_SHEET]));
  return { ranges: read.ranges, sheets: [...read.sheets, ...state.sheets] };
}

export async function refresh(
  port: WorkbookPort,
  config: StoredConfig,
  options: RefreshOptions = {},
): Promise<RefreshOutcome> {
  const progress = options.onProgress ?? (() => undefined);
  progress("read");
  const meta = await port.readMeta();
  const planned = planRead(meta, config);
  if ("errors" in planned) return { ok: false, stage: "validate", errors: planned.errors };
  const read = await readAll(port, planned.request);

  progress("validate");
  const built = buildInput(planned.resolution, read, config, { month: options.month });
  if ("errors" in built) return { ok: false, stage: "validate", errors: built.errors };
  const tables = readTertialTables(planned.resolution, read, built.input);
  if ("errors" in tables) return { ok: false, stage: "validate", errors: tables.errors };

  progress("compute");
  const result = compute(built.input);
  // Reading findings (e.g. numbers stored as text) first, then the core's, then the carried text's.
  const figures = computeTertial(result, built.layout, tables, read, {
    subject: config.settings.verksamhet ?? undefined,
  });
  const { plan, findings, texts, drafted } = planRefresh(result, built.layout, read, config, {
    tertial: figures,
    newDraft: options.newDraft,
  });
  const tertial: TertialOutcome = { ...figures, texts, drafted };
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
