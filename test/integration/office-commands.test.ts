// The ribbon command ("Uppdatera prognos") against the strict fake, and its registration via
// Office.actions.associate when the function file loads.
import {
  refreshCommand,
  REFRESH_ACTION,
  type CommandMessage,
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

function recordingUi(canOpenPane: boolean) {
  const shown: CommandMessage[] = [];
  let opened = 0;
  const ui: CommandUi = {
    show: async (m) => {
      shown.push(m);
    },
    openTaskpane: async () => {
      opened++;
      return canOpenPane;
    },
  };
  return { ui, shown, opened: () => opened };
}

test("success: refreshes with the stored mapping, reports the forecast deviation, completes the event", async () => {
  const fake = ledger();
  const { ui, shown, opened } = recordingUi(true);
  const completed = jest.fn();
  const msg = await refreshCommand(createFakeApi(fake), { completed }, ui, () => null);
  expect(msg.kind).toBe("success");
  expect(msg.text).toMatch(
    /^Prognosen är uppdaterad för april 2019\. Prognos budgetavvikelse helår: [+-]?[\d  ]+ tkr\./,
  );
  expect(shown).toEqual([msg]);
  expect(opened()).toBe(0);
  expect(completed).toHaveBeenCalledTimes(1);
  expect(fake.model.sheet("Driftsredovisning")).toBeDefined();
  expect(fake.syncCount).toBeLessThanOrEqual(3);
});

test("blocking error: nothing written, first error shown, task pane opened (or the user told how)", async () => {
  const fake = ledger();
  fake.model.mustSheet("Underlag").setValues(4, 2, [["sjuttonhundra"]]);
  for (const canOpen of [true, false]) {
    fake.resetCounters();
    const { ui, shown, opened } = recordingUi(canOpen);
    const completed = jest.fn();
    const msg = await refreshCommand(createFakeApi(fake), { completed }, ui, () => null);
    expect(msg.kind).toBe("error");
    expect(msg.text).toMatch(/^Ingenting skrevs\. .*C5/);
    expect(msg.text.includes("Öppna panel")).toBe(!canOpen);
    expect(shown).toEqual([msg]);
    expect(opened()).toBe(1);
    expect(completed).toHaveBeenCalledTimes(1);
    expect(fake.writesApplied).toBe(0);
  }
});

test("an Excel below ExcelApi 1.9 gets the Swedish requirement message and nothing runs", async () => {
  const fake = createFakeExcel((wb) => wb.addSheet("A"), { excelApi: "1.8" });
  const { ui } = recordingUi(false);
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

test("an unexpected failure still completes the event with a Swedish message", async () => {
  const fake = ledger();
  const api = createFakeApi(fake);
  const broken = { ...api, refresh: () => Promise.reject(new Error("Arbetsboken stängdes")) };
  const { ui, shown } = recordingUi(false);
  const completed = jest.fn();
  const msg = await refreshCommand(broken, { completed }, ui, () => null);
  expect(msg.text).toMatch(/^Uppdateringen misslyckades: Arbetsboken stängdes/);
  expect(shown).toHaveLength(1);
  expect(completed).toHaveBeenCalledTimes(1);
});

test("loading the function file registers the action with Office.actions.associate", async () => {
  const fake = ledger();
  const office = installFakeOffice(fake);
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require("../../src/commands/commands");
    });
    await Promise.resolve();
    const handler = office.actions.get(REFRESH_ACTION);
    expect(handler).toBeDefined();
    const completed = jest.fn();
    await handler!({ completed });
    expect(completed).toHaveBeenCalledTimes(1);
    expect(fake.model.sheet("Driftsredovisning")).toBeDefined();
  } finally {
    office.uninstall();
  }
});
