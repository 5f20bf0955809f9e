// The self-test through Microsoft's Office.js library against the in-memory Excel: every check passes
// on a healthy Excel, the user's workbook is left exactly as it was, requests and responses stay under
// the 5 MB limits, and what Excel refuses (an older ExcelApi, a protected structure, a selection of
// several areas) becomes a line in the report instead of an exception.
import { serializeConfig, parseConfig } from "../../src/workbook/config";
import {
  runSelfTest,
  SELFTEST_NAMESPACE,
  SELFTEST_PREFIX,
  type CheckId,
  type SelfTestReport,
} from "../../src/hosts/office/selftest";
import { createFakeExcel, REQUEST_LIMIT_BYTES, type FakeExcel } from "../fakes/excel";

jest.setTimeout(120_000);

function workbook(excelApi = "1.13", init?: (fake: FakeExcel) => void): FakeExcel {
  const fake = createFakeExcel(
    (wb) => {
      const s = wb.addSheet("Underlag");
      s.setValues(0, 0, [
        ["Post", 100],
        ["Lokaler", 200],
      ]);
      wb.defineName("Poster", "Underlag", "A1:A2");
      const config = parseConfig(null);
      config.mapping.Budget = "Budget2025";
      wb.addXmlPart(serializeConfig(config));
      wb.selection = { sheet: "Underlag", address: "B2" };
    },
    { excelApi },
  );
  init?.(fake);
  return fake;
}

/** Everything of the user's that the self-test must leave as it was. */
function snapshot(fake: FakeExcel) {
  const m = fake.model;
  return JSON.stringify({
    sheets: m.sheets.map((s) => ({
      name: s.name,
      visibility: s.visibility,
      cells: [...s.cells.entries()].map(([r, l]) => [r, [...l.entries()]]),
    })),
    names: m.names,
    parts: m.customXmlParts,
    structure: m.structureProtected,
    selection: m.selection,
    active: m.activeSheet,
  });
}

function run(fake: FakeExcel, largeBytes?: number): Promise<SelfTestReport> {
  return runSelfTest((b) => fake.run(b), { isSetSupported: fake.isSetSupported, largeBytes });
}

const status = (report: SelfTestReport) =>
  Object.fromEntries(report.checks.map((c) => [c.id, c.status])) as Record<CheckId, string>;

function describeFailures(report: SelfTestReport): string[] {
  return report.checks
    .filter((c) => c.status === "fail")
    .map(
      (c) =>
        `${c.id}: ${c.error ?? ""} ${c.mismatches.map((m) => `${m.what} ${m.expected}≠${m.actual}`).join("; ")}`,
    );
}

test("a healthy Excel: every check passes, nothing of the user's changes, the large write is near 5 MB", async () => {
  const fake = workbook();
  const before = snapshot(fake);
  const report = await run(fake);
  expect(describeFailures(report)).toEqual([]);
  expect(report.checks.filter((c) => c.status !== "ok").map((c) => c.id)).toEqual([]);
  expect(report.checks.find((c) => c.id === "selection")?.info).toBe("Underlag!B2");
  expect(report.checks.find((c) => c.id === "settings")?.info).toContain("Budget2025");
  expect(snapshot(fake)).toBe(before);
  expect(fake.model.sheets.some((s) => s.name.startsWith(SELFTEST_PREFIX))).toBe(false);

  // Measured from the library's real request bodies, not from the self-test's own estimate.
  const requests = fake.requests;
  // The one refused request is the probe of a 1×1 number-format array (modelled as refused), which the
  // report records as a note, not a failure.
  expect(requests.filter((r) => !r.ok).map((r) => r.error)).toEqual(["InvalidArgument"]);
  expect(report.checks.find((c) => c.id === "numberFormats")).toMatchObject({
    status: "ok",
    reason: "oneByOneRefused",
  });
  // The add-in's way into a text-formatted cell works; the apostrophe form is recorded as kept.
  expect(report.checks.find((c) => c.id === "textFormat")?.info).toBe(`"'linjär" → "'linjär"`);
  const largestRequest = Math.max(...requests.map((r) => r.bytes));
  const largestResponse = Math.max(...requests.map((r) => r.responseBytes));
  expect(largestRequest).toBeLessThan(REQUEST_LIMIT_BYTES);
  expect(largestRequest).toBeGreaterThan(0.75 * REQUEST_LIMIT_BYTES);
  expect(largestResponse).toBeLessThan(REQUEST_LIMIT_BYTES);
  expect(largestResponse).toBeGreaterThan(0.35 * REQUEST_LIMIT_BYTES);
  // One sync per phase on the happy path: selection, probe, write, select, verify, 1×1 probe, clear,
  // large write, large read (two parts), cleanup (two).
  // (The library sends a few small requests of its own besides the self-test's syncs.)
  expect(requests.length).toBeGreaterThanOrEqual(report.syncs);
  expect(report.syncs).toBe(12);
});

test("ExcelApi 1.9: merged areas cannot be read back (1.13) and are reported as skipped; the rest passes", async () => {
  const fake = workbook("1.9");
  const report = await run(fake, 200_000);
  expect(describeFailures(report)).toEqual([]);
  const merges = report.checks.find((c) => c.id === "merges");
  expect(merges).toMatchObject({ status: "skipped", reason: "needsExcelApi113" });
  expect(fake.model.sheets.map((s) => s.name)).toEqual(["Underlag"]);
});

test("an Excel below a member's set: the refused call is named, the other checks still run, clean-up done", async () => {
  const fake = workbook("1.8");
  const before = snapshot(fake);
  const report = await run(fake, 200_000);
  // Page layout (headersFooters, print titles) and the large read's error areas
  // (getSpecialCellsOrNullObject) are ExcelApi 1.9: refused, and named.
  for (const id of ["print", "largeRead"] as CheckId[]) {
    const check = report.checks.find((c) => c.id === id);
    expect(check?.status).toBe("fail");
    expect(check?.error).toMatch(/ApiNotFound/);
  }
  expect(status(report)).toMatchObject({
    values: "ok",
    names: "ok",
    chart: "ok",
    largeWrite: "ok",
    cleanup: "ok",
  });
  expect(snapshot(fake)).toBe(before);
});

test("a protected workbook structure: reported, nothing added, the sheet checks skipped", async () => {
  const fake = workbook("1.13", (f) => {
    f.model.structureProtected = true;
    f.model.mustSheet("Underlag").protected = true;
  });
  const before = snapshot(fake);
  const report = await run(fake);
  const structure = report.checks.find((c) => c.id === "structure");
  expect(structure).toMatchObject({ status: "warning", reason: "structureProtected", info: "Underlag" });
  // Adding a sheet is refused, and the report keeps Excel's code for it.
  const sheet = report.checks.find((c) => c.id === "sheet");
  expect(sheet).toMatchObject({ status: "ok", reason: "addRefused" });
  expect(sheet?.error).toMatch(/^AccessDenied/);
  for (const c of report.checks.filter(
    (x) => !["selection", "structure", "settings", "sheet"].includes(x.id),
  ))
    expect(c).toMatchObject({ status: "skipped", reason: "structureProtected" });
  expect(report.syncs).toBe(3);
  expect(snapshot(fake)).toBe(before);
});

test("a selection of several areas is a warning (getSelectedRange refuses it); the rest passes", async () => {
  const fake = workbook("1.13", (f) => {
    f.model.selection = { sheet: "Underlag", address: "A1:A2,C1" };
  });
  const report = await run(fake, 200_000);
  const selection = report.checks.find((c) => c.id === "selection");
  expect(selection).toMatchObject({ status: "warning", reason: "multiAreaSelection" });
  expect(selection?.error).toMatch(/InvalidSelection/);
  expect(describeFailures(report)).toEqual([]);
});

test("a batch Excel refuses once is rerun step by step: the report still checks every step", async () => {
  const fake = workbook();
  fake.failSync(3, 4, "GeneralException"); // the write phase, after some of its actions ran
  const before = snapshot(fake);
  const report = await run(fake, 200_000);
  expect(describeFailures(report)).toEqual([]);
  expect(report.syncs).toBeGreaterThan(12);
  expect(snapshot(fake)).toBe(before);
});

test("leftovers of an interrupted earlier run are removed first; a settings part that cannot be read warns", async () => {
  const fake = workbook("1.13", (f) => {
    f.model.addSheet(`${SELFTEST_PREFIX}1111`);
    // The user's own sheet that merely starts like the self-test's is not a leftover.
    f.model.addSheet(`${SELFTEST_PREFIX}budget`);
    f.model.defineName(`${SELFTEST_PREFIX}1111_N`, "Underlag", "A1");
    f.model.addXmlPart(`<x xmlns="${SELFTEST_NAMESPACE}">old</x>`);
    f.model.customXmlParts = f.model.customXmlParts.filter((p) => !p.namespaceUri.includes("config"));
    f.model.addXmlPart(`<trasig xmlns="urn:uppfoljaren:config:1">?</trasig>`);
  });
  const report = await run(fake, 200_000);
  expect(report.checks.find((c) => c.id === "sheet")).toMatchObject({ status: "ok", reason: "leftovers" });
  expect(report.checks.find((c) => c.id === "sheet")?.info).toContain(`${SELFTEST_PREFIX}1111`);
  expect(report.checks.find((c) => c.id === "settings")).toMatchObject({
    status: "warning",
    reason: "unreadableSettings",
  });
  expect(fake.model.sheets.map((s) => s.name)).toEqual(["Underlag", `${SELFTEST_PREFIX}budget`]);
  expect(fake.model.names.map((n) => n.name)).toEqual(["Poster"]);
  expect(fake.model.customXmlParts.map((p) => p.namespaceUri)).toEqual(["urn:uppfoljaren:config:1"]);
});
