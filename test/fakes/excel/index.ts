/**
 * The strict Excel fake: build a workbook in memory (or from .xlsx bytes, see fromXlsx.ts), run add-in
 * code against Office.js-shaped proxies, and inspect syncs, request sizes and writes.
 *
 *   const fake = createFakeExcel((wb) => { wb.addSheet("Underlag").setValues(0, 0, [["Post"]]); ... });
 *   const api = createFakeApi(fake);            // AddinApi over the fake (for the pane's preview/tests)
 *   installFakeOffice(fake);                    // globalThis.Excel.run / Office for a browser page
 *   fake.syncCount, fake.requests, fake.writesApplied, fake.failSync(1)
 *
 * Browser-safe: no Node APIs.
 */
import type { AddinApi } from "../../../src/hosts/office/api";
import { createOfficeApi } from "../../../src/hosts/office";
import { FakeWorkbook } from "./model";
import { FakeRequestContext, type FakeControl, type SyncRecord } from "./objects";

export * from "./model";
export { FakeOfficeError, REQUEST_LIMIT_BYTES, type SyncRecord } from "./objects";

export interface FakeExcelOptions {
  /** Highest ExcelApi version the fake Excel supports (default "1.9", the add-in's minimum). */
  excelApi?: string;
  /** Other requirement sets and their highest version, e.g. { SharedRuntime: "1.1" }. */
  sets?: Record<string, string>;
}

export interface FakeExcel {
  readonly model: FakeWorkbook;
  readonly control: FakeControl;
  /** A fresh request context, typed as Office.js's (the fake implements the subset the add-in uses). */
  context(): Excel.RequestContext;
  /** Like Excel.run: runs the batch with a new context and syncs anything still queued at the end. */
  run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
  isSetSupported(set: string, version: string): boolean;
  readonly syncCount: number;
  readonly requests: SyncRecord[];
  readonly writesApplied: number;
  /** Resets the sync and write counters. */
  resetCounters(): void;
  /** Makes the nth sync from now fail (1 = the next one), after applying its first `applyFirst` operations. */
  failSync(nth: number, applyFirst?: number, code?: string): void;
}

function versionAtMost(version: string, max: string): boolean {
  const [a, b = 0] = version.split(".").map(Number);
  const [x, y = 0] = max.split(".").map(Number);
  return a < x || (a === x && b <= y);
}

export function createFakeExcel(
  init?: (wb: FakeWorkbook) => void,
  options: FakeExcelOptions = {},
): FakeExcel {
  const model = new FakeWorkbook();
  init?.(model);
  const sets: Record<string, string> = {
    ExcelApi: options.excelApi ?? "1.9",
    DialogApi: "1.1",
    ...options.sets,
  };
  const isSetSupported = (set: string, version = "1.1") =>
    sets[set] !== undefined && versionAtMost(version, sets[set]);
  const control: FakeControl = { model, syncs: [], writesApplied: 0, failAt: null, supports: isSetSupported };
  const context = () => new FakeRequestContext(control) as unknown as Excel.RequestContext;
  return {
    model,
    control,
    context,
    async run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T> {
      const ctx = context();
      const result = await batch(ctx);
      if ((ctx as unknown as FakeRequestContext).pending > 0) await ctx.sync();
      return result;
    },
    isSetSupported,
    get syncCount() {
      return control.syncs.length;
    },
    get requests() {
      return control.syncs;
    },
    get writesApplied() {
      return control.writesApplied;
    },
    resetCounters() {
      control.syncs = [];
      control.writesApplied = 0;
    },
    failSync(nth: number, applyFirst = 0, code?: string) {
      control.failAt = { sync: control.syncs.length + nth, applyFirst, code };
    },
  };
}

/** An AddinApi over the fake, flagged as preview (what the task pane's preview and browser tests use). */
export function createFakeApi(fake: FakeExcel, options: { isPreview?: boolean } = {}): AddinApi {
  return createOfficeApi((batch) => fake.run(batch), {
    isSetSupported: fake.isSetSupported,
    isPreview: options.isPreview ?? true,
  });
}

export interface InstalledOffice {
  /** Functions registered with Office.actions.associate, by id. */
  actions: Map<string, (event: unknown) => unknown>;
  /** Messages shown through Office.context.ui.displayDialogAsync (the URL's query). */
  dialogs: string[];
  uninstall(): void;
}

/**
 * Defines globalThis.Excel (run, and the enums the add-in reads) and a minimal globalThis.Office
 * (onReady, requirements, actions.associate, ui.displayDialogAsync) backed by the fake.
 */
export function installFakeOffice(
  fake: FakeExcel,
  target: Record<string, unknown> = globalThis as never,
): InstalledOffice {
  const before = { Excel: target.Excel, Office: target.Office };
  const actions = new Map<string, (event: unknown) => unknown>();
  const dialogs: string[] = [];
  target.Excel = { run: (batch: (c: Excel.RequestContext) => Promise<unknown>) => fake.run(batch) };
  target.Office = {
    HostType: { Excel: "Excel" },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    EventType: { DialogMessageReceived: "dialogMessageReceived", DialogEventReceived: "dialogEventReceived" },
    onReady: (cb?: (info: { host: string; platform: string }) => void) => {
      const info = { host: "Excel", platform: "PC" };
      cb?.(info);
      return Promise.resolve(info);
    },
    context: {
      requirements: {
        isSetSupported: (set: string, version?: string) => fake.isSetSupported(set, version ?? "1.1"),
      },
      ui: {
        displayDialogAsync: (url: string, _opts: unknown, cb?: (r: unknown) => void) => {
          dialogs.push(url);
          const dialog = {
            close: () => undefined,
            addEventHandler: () => undefined,
            messageChild: () => undefined,
          };
          cb?.({ status: "succeeded", value: dialog });
        },
      },
    },
    actions: { associate: (id: string, fn: (event: unknown) => unknown) => actions.set(id, fn) },
  };
  return {
    actions,
    dialogs,
    uninstall() {
      target.Excel = before.Excel;
      target.Office = before.Office;
    },
  };
}
