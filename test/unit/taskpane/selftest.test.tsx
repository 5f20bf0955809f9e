/** @jest-environment jsdom */
// The self-test in the pane: reachable from the main view, runs through Microsoft's Office.js library
// against the in-memory Excel, lists the verdicts and offers the plain-text report for a ticket; and the
// report text itself, in Swedish and English.
import { act, configure, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { App } from "../../../src/taskpane/App";
import { selfTestReportText, summaryText } from "../../../src/taskpane/SelfTest";
import { getStrings } from "../../../src/taskpane/strings";
import { runSelfTest, type SelfTestReport } from "../../../src/hosts/office/selftest";
import { createFakeExcel } from "../../fakes/excel";
import { TestApi } from "./testApi";
import { TextDecoder, TextEncoder } from "util";

// jest's jsdom environment lacks TextEncoder and TextDecoder, which the in-memory Excel uses to measure request bodies.
Object.assign(globalThis, {
  TextEncoder: globalThis.TextEncoder ?? TextEncoder,
  TextDecoder: globalThis.TextDecoder ?? TextDecoder,
});

configure({ asyncUtilTimeout: 30_000 });
jest.setTimeout(90_000);

const ALL_FOUND = {
  Poster: "Underlag!A5:A8",
  Budget: "Underlag!B5:B8",
  Utfall: "Underlag!C5:C8",
  Period: "Underlag!B2",
};

function report(): SelfTestReport {
  return {
    startedAt: "2026-12-02T08:15:00.000Z",
    durationMs: 3250,
    environment: {
      host: "Excel",
      platform: "PC",
      version: "16.0.18526.20168",
      displayLanguage: "sv-SE",
      sets: [
        { name: "ExcelApi", version: "1.1", supported: true },
        { name: "ExcelApi", version: "1.2", supported: true },
        { name: "ExcelApi", version: "1.3", supported: false },
        { name: "SharedRuntime", version: "1.1", supported: false },
      ],
    },
    checks: [
      { id: "selection", status: "ok", mismatches: [], info: "Underlag!B2" },
      {
        id: "textFormat",
        status: "fail",
        mismatches: [{ what: "F2 values", expected: '[["linjär"]]', actual: `[["'linjär"]]` }],
      },
      { id: "merges", status: "skipped", mismatches: [], reason: "needsExcelApi113" },
      {
        id: "structure",
        status: "warning",
        mismatches: [],
        reason: "structureProtected",
        error: "AccessDenied: Worksheets.add: denied",
      },
    ],
    syncs: 10,
    largestRequestBytes: 3999980,
    largestResponseBytes: 2499000,
  };
}

test("the report text: environment, sets, sizes, the summary, and each check with what differed", () => {
  const text = selfTestReportText(report(), getStrings("sv"));
  expect(text.split("\n").slice(0, 7)).toEqual([
    "Uppföljaren – självtest",
    "Tid: 2026-12-02T08:15:00.000Z (3,3 s)",
    "Excel: 16.0.18526.20168, plattform PC, värd Excel, språk sv-SE",
    "Kravuppsättningar: ExcelApi 1.1–1.2; SharedRuntime –",
    "Anrop: 10 context.sync(); största begäran 3999980 byte, största svar 2499000 byte (gräns 5 000 000)",
    "Resultat: 1 av 4 godkända · 1 fel · 1 varning · 1 överhoppade",
    "",
  ]);
  expect(text).toContain("[OK] Markeringen (getSelectedRange)\n    uppgift: Underlag!B2");
  expect(text).toContain(
    `[FEL] Text i textformaterad cell (@)\n    F2 values: väntat [["linjär"]], fick [["'linjär"]]`,
  );
  expect(text).toContain("[HOPPADES ÖVER] Sammanfogade celler\n    Kan bara kontrolleras med ExcelApi 1.13");
  expect(text).toContain(
    "[VARNING] Arbetsbokens struktur och bladskydd\n    Arbetsbokens struktur är skyddad",
  );
  expect(text).toContain("    fel från Excel: AccessDenied: Worksheets.add: denied");
  // Plain text: no markup, nothing but the report.
  expect(text).not.toMatch(/<[a-z]/i);
});

test("the report in English when the pane is English", () => {
  const en = getStrings("en");
  const text = selfTestReportText(report(), en);
  expect(text).toMatch(
    /^Uppföljaren – self-test\nTime: .*\(3.3 s\)\nExcel: 16\.0\.18526\.20168, platform PC/,
  );
  expect(summaryText(report(), en)).toBe("1 of 4 passed · 1 failed · 1 warning · 1 skipped");
  expect(text).toContain("[FAILED] Text in a text-formatted cell (@)\n    F2 values: expected");
  // Every check and reason has a text in both languages.
  const sv = getStrings("sv");
  for (const t of [sv, en]) {
    expect(Object.values(t.selfTest.checks).every((s) => s.length > 0)).toBe(true);
    expect(Object.keys(t.selfTest.checks)).toEqual(Object.keys(sv.selfTest.checks));
    expect(Object.keys(t.selfTest.reasons)).toEqual(Object.keys(sv.selfTest.reasons));
  }
});

test("the pane: Självtest runs through Office.js against the in-memory Excel, lists verdicts, copies the report", async () => {
  const fake = createFakeExcel(
    (wb) => {
      wb.addSheet("Underlag").setValues(0, 0, [["Post", 1]]);
      wb.selection = { sheet: "Underlag", address: "A1" };
    },
    { excelApi: "1.13" },
  );
  const selfTest = jest.fn(() =>
    runSelfTest((b) => fake.run(b), { isSetSupported: fake.isSetSupported, largeBytes: 100_000 }),
  );
  const copied: string[] = [];
  Object.defineProperty(navigator, "clipboard", {
    configurable: true,
    value: { writeText: async (s: string) => void copied.push(s) },
  });
  render(<App api={new TestApi(ALL_FOUND)} selfTest={selfTest} />);
  const open = await screen.findByRole("button", { name: "Självtest" });
  fireEvent.click(open);
  expect(await screen.findByRole("heading", { name: "Självtest" })).toBeTruthy();
  expect(screen.queryByRole("button", { name: "Uppdatera prognos" })).toBeNull();
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name: "Kör självtest" }));
  });
  await screen.findByRole("button", { name: "Kopiera rapporten" }, { timeout: 60_000 });
  expect(selfTest).toHaveBeenCalledTimes(1);
  expect(screen.getByText("Markeringen (getSelectedRange)")).toBeTruthy();
  const area = screen.getByRole("textbox", { name: "Rapport att kopiera" }) as HTMLTextAreaElement;
  expect(area.readOnly).toBe(true);
  expect(area.value).toMatch(/^Uppföljaren – självtest\n/);
  expect(area.value).toContain("[OK] Städning (bladet, namnen och XML-delen borttagna)");
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name: "Kopiera rapporten" }));
  });
  await waitFor(() => expect(copied).toEqual([area.value]));
  expect(screen.getByText(/Rapporten kopierades/)).toBeTruthy();
  expect(fake.model.sheets.map((s) => s.name)).toEqual(["Underlag"]);
  fireEvent.click(screen.getByRole("button", { name: "Tillbaka" }));
  expect(await screen.findByRole("button", { name: "Uppdatera prognos" })).toBeTruthy();
});

test("a refused clipboard falls back to selecting the text; a runner that throws is shown, not thrown", async () => {
  Object.defineProperty(navigator, "clipboard", {
    configurable: true,
    value: { writeText: () => Promise.reject(new Error("NotAllowedError")) },
  });
  let fail = true;
  const selfTest = jest.fn(async () => {
    if (fail) throw new Error("Excel svarar inte");
    return report();
  });
  render(<App api={new TestApi(ALL_FOUND)} selfTest={selfTest} lang="en" />);
  fireEvent.click(await screen.findByRole("button", { name: "Self-test" }));
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name: "Run self-test" }));
  });
  expect(await screen.findByText("The self-test could not run: Excel svarar inte")).toBeTruthy();
  fail = false;
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name: "Run self-test" }));
  });
  fireEvent.click(await screen.findByRole("button", { name: "Copy the report" }));
  // jsdom has no execCommand("copy"): the user is told to copy the selected text by hand.
  expect(await screen.findByText(/select the text below and copy/)).toBeTruthy();
  const area = screen.getByRole("textbox", { name: "Report to copy" }) as HTMLTextAreaElement;
  expect(area.selectionEnd - area.selectionStart).toBe(area.value.length);
});

test("without a self-test runner (preview, tests) the pane offers none", async () => {
  render(<App api={new TestApi(ALL_FOUND)} />);
  await screen.findByRole("button", { name: "Uppdatera prognos" });
  expect(screen.queryByRole("button", { name: "Självtest" })).toBeNull();
});
