// The ribbon command ("Uppdatera prognos"): the refresh and its message, event.completed() on every path
// (also when a promise never settles), and its registration via Office.actions.associate when the
// function file loads, with the dialog shown through Office.context.ui.displayDialogAsync.
import {
  DEFAULT_TIMING,
  OPEN_PANE_HINT,
  refreshCommand,
  REFRESH_ACTION,
  type CommandMessage,
  type CommandTiming,
  type CommandUi,
} from "../../src/commands/commands";
import {
  createFakeApi,
  createFakeExcel,
  installFakeOffice,
  isoToSerial,
  type FakeExcel,
} from "../fakes/excel";

function ledger(): FakeExcel {
  return createFakeExcel((wb) => {
    const s = wb.addSheet("Underlag");
    s.setValues(0, 0, [["Period", isoToSerial(2019, 4, 30)]]);
    s.setValues(3, 0, [
      ["Intäkter", -1000, -350],
      ["Personal", 5000, 1700],
      ["Lokaler", 1200, 400],
    ]);
    wb.defineName("Period", "Underlag", "B1");
    wb.defineName("Poster", "Underlag", "A4:A6");
    wb.defineName("Budget", "Underlag", "B4:B6");
    wb.defineName("Utfall", "Underlag", "C4:C6");
  });
}

function recordingUi() {
  const shown: CommandMessage[] = [];
  const ui: CommandUi = {
    show: async (m) => {
      shown.push(m);
    },
  };
  return { ui, shown };
}

const never = <T>() => new Promise<T>(() => undefined);
const FAST: CommandTiming = { refreshMs: 200, successCloseMs: 50, errorCloseMs: 50, dialogGraceMs: 50 };

test("success: refreshes with the stored mapping, reports the forecast deviation, completes the event", async () => {
  const fake = ledger();
  const { ui, shown } = recordingUi();
  const completed = jest.fn();
  const msg = await refreshCommand(createFakeApi(fake), { completed }, ui, () => null);
  expect(msg.kind).toBe("success");
  expect(msg.text).toMatch(
    /^Prognosen är uppdaterad för april 2019\. Prognos budgetavvikelse helår: [+-]?[\d  ]+ tkr\./,
  );
  expect(msg.text).not.toContain(OPEN_PANE_HINT);
  expect(shown).toEqual([msg]);
  expect(completed).toHaveBeenCalledTimes(1);
  expect(fake.model.sheet("Driftsredovisning")).toBeDefined();
  expect(fake.syncCount).toBeLessThanOrEqual(3);
});

test("blocking error: nothing written, first error shown with the way to the pane", async () => {
  const fake = ledger();
  fake.model.mustSheet("Underlag").setValues(4, 2, [["sjuttonhundra"]]);
  const { ui, shown } = recordingUi();
  const completed = jest.fn();
  const msg = await refreshCommand(createFakeApi(fake), { completed }, ui, () => null);
  expect(msg.kind).toBe("error");
  expect(msg.text).toMatch(/^Ingenting skrevs\. .*C5/);
  expect(msg.text.endsWith(OPEN_PANE_HINT)).toBe(true);
  expect(shown).toEqual([msg]);
  expect(completed).toHaveBeenCalledTimes(1);
  expect(fake.writesApplied).toBe(0);
});

test("an Excel below ExcelApi 1.9 gets the Swedish requirement message and nothing runs", async () => {
  const fake = createFakeExcel((wb) => wb.addSheet("A"), { excelApi: "1.8" });
  const { ui } = recordingUi();
  const completed = jest.fn();
  const api = createFakeApi(fake);
  const msg = await refreshCommand(api, { completed }, ui, () =>
    fake.isSetSupported("ExcelApi", "1.9") ? null : "Uppföljaren kräver ExcelApi 1.9",
  );
  expect(msg).toMatchObject({ kind: "error" });
  expect(msg.text).toMatch(/ExcelApi 1\.9/);
  expect(fake.syncCount).toBe(0);
  expect(completed).toHaveBeenCalledTimes(1);
});

test("a refresh that throws still completes the event with a Swedish message", async () => {
  const api = createFakeApi(ledger());
  const broken = { ...api, refresh: () => Promise.reject(new Error("Arbetsboken stängdes")) };
  const { ui, shown } = recordingUi();
  const completed = jest.fn();
  const msg = await refreshCommand(broken, { completed }, ui, () => null);
  expect(msg.text).toMatch(/^Uppdateringen misslyckades: Arbetsboken stängdes/);
  expect(shown).toHaveLength(1);
  expect(completed).toHaveBeenCalledTimes(1);
});

test("a requirement check or a dialog that throws synchronously still completes the event", async () => {
  const api = createFakeApi(ledger());
  const completed = jest.fn();
  const ui: CommandUi = {
    show: () => {
      throw new Error("displayDialogAsync is not a function");
    },
  };
  const msg = await refreshCommand(api, { completed }, ui, () => {
    throw new Error("Office.context is undefined");
  });
  expect(msg.kind).toBe("error");
  expect(msg.text).toMatch(/Office\.context is undefined/);
  expect(completed).toHaveBeenCalledTimes(1);
});

test("a refresh that never settles is given up after the timeout: the user is told, the event completed", async () => {
  const api = createFakeApi(ledger());
  const hanging = { ...api, refresh: () => never<never>() };
  const { ui, shown } = recordingUi();
  const completed = jest.fn();
  const msg = await refreshCommand(hanging, { completed }, ui, () => null, FAST);
  expect(msg.kind).toBe("error");
  expect(msg.text).toMatch(/^Uppdateringen svarade inte inom .* och avbröts\./);
  expect(shown).toEqual([msg]);
  expect(completed).toHaveBeenCalledTimes(1);
});

test("a dialog that never closes does not keep the command running", async () => {
  const fake = ledger();
  const completed = jest.fn();
  const started = Date.now();
  const msg = await refreshCommand(
    createFakeApi(fake),
    { completed },
    { show: () => never() },
    () => null,
    FAST,
  );
  expect(msg.kind).toBe("success");
  expect(completed).toHaveBeenCalledTimes(1);
  // Bounded by the dialog's own close time plus the grace period, not by the dialog.
  expect(Date.now() - started).toBeLessThan(5000);
});

test("an event.completed() that throws does not turn the outcome into an unhandled rejection", async () => {
  const { ui } = recordingUi();
  const completed = jest.fn(() => {
    throw new Error("already completed");
  });
  const msg = await refreshCommand(createFakeApi(ledger()), { completed }, ui, () => null);
  expect(msg.kind).toBe("success");
  expect(completed).toHaveBeenCalledTimes(1);
});

test("the default timeouts leave a large refresh minutes and close a success dialog in seconds", () => {
  expect(DEFAULT_TIMING.refreshMs).toBeGreaterThanOrEqual(2 * 60_000);
  expect(DEFAULT_TIMING.successCloseMs).toBeLessThanOrEqual(10_000);
  expect(DEFAULT_TIMING.errorCloseMs).toBeGreaterThan(DEFAULT_TIMING.successCloseMs);
});

describe("the function file", () => {
  /** Office globals of a client that reports SharedRuntime 1.1, with a showAsTaskpane that never settles. */
  function install(fake: FakeExcel) {
    const office = installFakeOffice(fake);
    const g = globalThis as unknown as { Office: Record<string, unknown>; location?: unknown };
    const showAsTaskpane = jest.fn(() => never<void>());
    g.Office.addin = { showAsTaskpane };
    const ctx = g.Office.context as { requirements: { isSetSupported(s: string, v?: string): boolean } };
    const base = ctx.requirements.isSetSupported;
    ctx.requirements.isSetSupported = (s, v) => s === "SharedRuntime" || base(s, v);
    // The dialog: the user closes it at once (DialogEventReceived), as Office reports a closed dialog.
    const ui = (g.Office.context as { ui: Record<string, unknown> }).ui;
    const urls: string[] = [];
    ui.displayDialogAsync = (url: string, _o: unknown, cb: (r: unknown) => void) => {
      urls.push(url);
      const handlers: ((arg: unknown) => void)[] = [];
      cb({
        status: "succeeded",
        value: {
          close: () => undefined,
          addEventHandler: (_type: string, h: (arg: unknown) => void) => {
            handlers.push(h);
            if (handlers.length === 2) setTimeout(() => handlers[1]({ error: 12006 }), 0);
          },
        },
      });
    };
    const hadLocation = "location" in globalThis;
    if (!hadLocation) g.location = { href: "https://localhost:3000/commands.html", search: "" };
    return {
      office,
      urls,
      showAsTaskpane,
      uninstall() {
        office.uninstall();
        if (!hadLocation) delete g.location;
      },
    };
  }

  function load() {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require("../../src/commands/commands");
    });
  }

  test("registers the action with Office.actions.associate; a success is shown in the dialog", async () => {
    const fake = ledger();
    const env = install(fake);
    try {
      load();
      await Promise.resolve();
      const handler = env.office.actions.get(REFRESH_ACTION);
      expect(handler).toBeDefined();
      const completed = jest.fn();
      await handler!({ completed });
      expect(completed).toHaveBeenCalledTimes(1);
      expect(fake.model.sheet("Driftsredovisning")).toBeDefined();
      expect(env.urls).toHaveLength(1);
      const url = new URL(env.urls[0]);
      expect(url.searchParams.get("dialog")).toBe("1");
      expect(url.searchParams.get("kind")).toBe("success");
      expect(url.searchParams.get("msg")).toMatch(/^Prognosen är uppdaterad för april 2019\./);
    } finally {
      env.uninstall();
    }
  });

  test("an error never calls showAsTaskpane (no shared runtime) and still completes the event", async () => {
    const fake = ledger();
    fake.model.mustSheet("Underlag").setValues(4, 2, [["sjuttonhundra"]]);
    const env = install(fake);
    try {
      load();
      await Promise.resolve();
      const completed = jest.fn();
      await env.office.actions.get(REFRESH_ACTION)!({ completed });
      expect(completed).toHaveBeenCalledTimes(1);
      expect(env.showAsTaskpane).not.toHaveBeenCalled();
      const url = new URL(env.urls[0]);
      expect(url.searchParams.get("kind")).toBe("error");
      expect(url.searchParams.get("msg")).toContain(OPEN_PANE_HINT);
      expect(fake.writesApplied).toBe(0);
    } finally {
      env.uninstall();
    }
  });
});
