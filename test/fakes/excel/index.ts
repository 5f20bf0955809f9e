/**
 * The in-memory Excel behind Microsoft's real Office.js library: build a workbook model (or load one
 * from .xlsx bytes, see fromXlsx.ts), run add-in code through the library's Excel.RequestContext, and
 * inspect the model, the requests (their real serialised sizes) and what was written.
 *
 *   const fake = createFakeExcel((wb) => { wb.addSheet("Underlag").setValues(0, 0, [["Post"]]); ... });
 *   await fake.run(async (context) => { ... });  // Excel.run of the real library, against this model
 *   const ctx = fake.context();                  // a real Excel.RequestContext
 *   const api = createFakeApi(fake);             // the add-in's AddinApi over it (pane preview/tests)
 *   installFakeOffice(fake);                     // globalThis.Excel (the library's) and a small Office
 *   fake.syncCount, fake.requests, fake.writesApplied, fake.failSync(1)
 *
 * Browser-safe: the library comes from the page there (see library.ts).
 */
import type { AddinApi } from "../../../src/hosts/office/api";
import { createOfficeApi } from "../../../src/hosts/office";
import { createSession, officeLibrary, type Session } from "./library";
import { FakeWorkbook } from "./model";
import { InMemoryExcel, type ServerControl, type SyncRecord } from "./server";

export * from "./model";
export { PAYLOAD_LIMIT_BYTES, type SyncRecord } from "./server";
export { MAX_CELL_CHARS } from "./objects";
/** The 5 MB request limit (the same constant as the response limit). */
export { PAYLOAD_LIMIT_BYTES as REQUEST_LIMIT_BYTES } from "./server";

export interface FakeExcelOptions {
  /** Highest ExcelApi version the in-memory Excel supports (default "1.9", the add-in's minimum). */
  excelApi?: string;
  /** Other requirement sets and their highest version, e.g. { SharedRuntime: "1.1" }. */
  sets?: Record<string, string>;
}

export interface FakeExcel {
  readonly model: FakeWorkbook;
  readonly control: ServerControl;
  /** The library's session object for this in-memory Excel (what Excel.run(session, batch) accepts). */
  readonly session: Session;
  /** A new Excel.RequestContext of the real library, answered by this in-memory Excel. */
  context(): Excel.RequestContext;
  /** Excel.run of the real library with a context of this in-memory Excel. */
  run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
  isSetSupported(set: string, version: string): boolean;
  /** Requests the add-in's context.sync() calls sent (Excel.run's clean-up request not counted). */
  readonly syncCount: number;
  /** Every request, the clean-up ones included (flag `cleanup`). */
  readonly requests: SyncRecord[];
  /** Property sets and changing method calls that Excel applied (not merely queued). */
  readonly writesApplied: number;
  resetCounters(): void;
  /** Makes the nth request from now fail (1 = the next one) after its first `applyFirst` actions ran. */
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
  const control: ServerControl = { model, syncs: [], failAt: null, supports: isSetSupported };
  const server = new InMemoryExcel(control);
  const session = createSession((body) => server.execute(body));
  const lib = officeLibrary();
  return {
    model,
    control,
    session,
    context: () => new lib.Excel.RequestContext(session as never),
    run: <T>(batch: (context: Excel.RequestContext) => Promise<T>) =>
      (lib.Excel.run as unknown as (s: unknown, b: typeof batch) => Promise<T>)(session, batch),
    isSetSupported,
    get syncCount() {
      return control.syncs.filter((s) => !s.cleanup).length;
    },
    get requests() {
      return control.syncs;
    },
    get writesApplied() {
      return control.syncs.reduce((n, s) => n + s.writes, 0);
    },
    resetCounters() {
      control.syncs = [];
    },
    failSync(nth: number, applyFirst = 0, code?: string) {
      control.failAt = { sync: control.syncs.length + nth, applyFirst, code };
    },
  };
}

/** An AddinApi over the in-memory Excel, flagged as preview (what the pane's preview and browser tests use). */
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
 * Defines globalThis.Excel as the real library's Excel namespace, with every new context (also from a
 * plain Excel.run(batch)) answered by this in-memory Excel, and a minimal globalThis.Office (onReady,
 * requirements, actions.associate, ui.displayDialogAsync).
 */
export function installFakeOffice(
  fake: FakeExcel,
  target: Record<string, unknown> = globalThis as never,
): InstalledOffice {
  const lib = officeLibrary();
  const before = {
    Excel: target.Excel,
    Office: target.Office,
    session: lib.OfficeExtension.SessionBase._overrideSession,
  };
  const actions = new Map<string, (event: unknown) => unknown>();
  const dialogs: string[] = [];
  // The library's own override: every ClientRequestContext created while it is set uses this session.
  lib.OfficeExtension.SessionBase._overrideSession = fake.session;
  target.Excel = lib.Excel;
  const office = {
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
  target.Office = office;
  // The library reads requirement sets through its window's Office (OfficeExtension.CommonUtility.isSetSupported).
  if (lib.window !== target) lib.window.Office = office;
  return {
    actions,
    dialogs,
    uninstall() {
      target.Excel = before.Excel;
      target.Office = before.Office;
      lib.OfficeExtension.SessionBase._overrideSession = before.session;
    },
  };
}
