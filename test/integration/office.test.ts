// The Office host end to end through refresh(), against the strict fake: sync budget, request sizes,
// validation before any write, partial-write reporting and repair, and identical cell values to the
// .xlsx runner for the sample workbook.
import { sampleWorkbook } from "../../scripts/build-sample";
import { OfficeWorkbookPort } from "../../src/hosts/office";
import { openWorkbook } from "../../src/hosts/xlsx";
import { parseConfig } from "../../src/workbook/config";
import { refresh } from "../../src/workbook/pipeline";
import type { RawCell } from "../../src/workbook/types";
import {
  createFakeApi,
  createFakeExcel,
  isoToSerial,
  REQUEST_LIMIT_BYTES,
  type FakeExcel,
} from "../fakes/excel";
import { fakeFromXlsx } from "../fakes/excel/fromXlsx";

/** A generated ledger of n lines on sheet Underlag, all names workbook-scoped, output columns to be created. */
function ledger(n: number): FakeExcel {
  return createFakeExcel((wb) => {
    const s = wb.addSheet("Underlag");
    s.setValues(0, 0, [["Period", isoToSerial(2019, 4, 30)]]);
    s.setValues(2, 0, [["Post", "Budget", "Utfall"]]);
    s.setValues(
      3,
      0,
      Array.from({ length: n }, (_, i) => [`Kostnad ${i + 1}`, 1200 + (i % 50) * 12, 380 + (i % 70) * 3]),
    );
    wb.defineName("Period", "Underlag", "B1");
    wb.defineName("Poster", "Underlag", `A4:A${n + 3}`);
    wb.defineName("Budget", "Underlag", `B4:B${n + 3}`);
    wb.defineName("Utfall", "Underlag", `C4:C${n + 3}`);
  });
}

test("a 5 000-line ledger refreshes in at most 3 syncs, every request under 5 MB", async () => {
  const fake = ledger(5000);
  const outcome = await createFakeApi(fake).refresh();
  expect(outcome.ok).toBe(true);
  expect(fake.syncCount).toBeLessThanOrEqual(3);
  for (const r of fake.requests) expect(r.bytes).toBeLessThan(REQUEST_LIMIT_BYTES);
  const s = fake.model.mustSheet("Underlag");
  expect(typeof s.value("D4")).toBe("number"); // Avvikelse created right of Utfall
  expect(typeof s.value(`F${5003}`)).toBe("number");
  expect(fake.model.findName("Prognos", null)?.formula).toBe("=Underlag!$E$4:$E$5003");
  expect(fake.model.sheet("Driftsredovisning")).toBeDefined();
});

test("a 50 000-line ledger stays within 2 syncs plus one per 4 MB of writes, no request over 5 MB", async () => {
  const fake = ledger(50_000);
  const outcome = await createFakeApi(fake).refresh();
  expect(outcome.ok).toBe(true);
  const writeBytes = fake.requests.filter((r) => r.writes > 0).reduce((sum, r) => sum + r.bytes, 0);
  expect(fake.syncCount).toBeLessThanOrEqual(2 + Math.ceil(writeBytes / (4 * 1024 * 1024)));
  for (const r of fake.requests) {
    expect(r.ok).toBe(true);
    expect(r.bytes).toBeLessThan(REQUEST_LIMIT_BYTES);
  }
  expect(typeof fake.model.mustSheet("Underlag").value("F50003")).toBe("number");
}, 60_000);

test("writes above the chunk size are split into several requests, each near the chunk size", async () => {
  const fake = ledger(20_000);
  const chunkBytes = 256 * 1024;
  const port = new OfficeWorkbookPort(fake.context(), { isSetSupported: fake.isSetSupported, chunkBytes });
  const outcome = await refresh(port, parseConfig(null));
  expect(outcome.ok).toBe(true);
  const writes = fake.requests.filter((r) => r.writes > 0);
  expect(writes.length).toBeGreaterThan(3);
  // One value slice (about 256 KB) may overshoot a chunk's estimate, never by a whole chunk.
  for (const r of writes) expect(r.bytes).toBeLessThan(2 * chunkBytes + 64 * 1024);
  expect(typeof fake.model.mustSheet("Underlag").value("F20003")).toBe("number");
}, 60_000);

test("nothing is written when validation fails (text in a number cell, protected target sheet)", async () => {
  const text = ledger(20);
  text.model.mustSheet("Underlag").setValues(9, 1, [["tolv"]]);
  const out1 = await createFakeApi(text).refresh();
  expect(out1.ok).toBe(false);
  if (!out1.ok && out1.stage === "validate") expect(out1.errors[0].message).toMatch(/Underlag!?.*B10|B10/);
  expect(text.writesApplied).toBe(0);

  const prot = ledger(20);
  prot.model.mustSheet("Underlag").protected = true;
  const out2 = await createFakeApi(prot).refresh();
  expect(out2.ok).toBe(false);
  expect(prot.writesApplied).toBe(0);

  const missing = ledger(20);
  missing.model.names = missing.model.names.filter((n) => n.name !== "Budget");
  const out3 = await createFakeApi(missing).refresh();
  expect(out3.ok).toBe(false);
  if (!out3.ok && out3.stage === "validate")
    expect(out3.errors.map((e) => e.message).join(" ")).toMatch(/Budget/);
  expect(missing.writesApplied).toBe(0);
});

test("a failed write is reported with what was and was not written, and a second refresh repairs it", async () => {
  const reference = ledger(200);
  await createFakeApi(reference).refresh();

  const fake = ledger(200);
  const api = createFakeApi(fake);
  // Fail the write request (3rd sync) after its first 40 operations: a batch is not a transaction.
  fake.failSync(3, 40);
  const failed = await api.refresh();
  expect(failed.ok).toBe(false);
  if (failed.ok || failed.stage !== "write") throw new Error("expected a write failure");
  expect(failed.report.written).toEqual([]);
  expect(failed.report.notWritten).toContain("utdatakolumnerna på Underlag");
  expect(failed.report.notWritten).toContain("bladet Driftsredovisning");
  expect(failed.message).toMatch(/Tryck på Uppdatera prognos igen/);
  expect(fake.writesApplied).toBe(38); // the first 40 operations: 2 suspend calls, then 38 writes

  const repaired = await api.refresh();
  expect(repaired.ok).toBe(true);
  expect(snapshot(fake)).toEqual(snapshot(reference));
});

/** Every non-empty cell value of every sheet, by sheet name. */
function snapshot(fake: FakeExcel): Record<string, Record<string, RawCell>> {
  const out: Record<string, Record<string, RawCell>> = {};
  for (const s of fake.model.sheets) {
    const cells: Record<string, RawCell> = {};
    for (const [r, line] of s.cells)
      for (const [c, cell] of line) if (cell.value !== null) cells[`${r},${c}`] = cell.value;
    out[s.name] = cells;
  }
  return out;
}

test("the Office host and the .xlsx runner write identical cell values for the sample workbook", async () => {
  const bytes = await sampleWorkbook();

  const office = await fakeFromXlsx(bytes);
  const officeOut = await createFakeApi(office).refresh();
  expect(officeOut.ok).toBe(true);
  expect(office.syncCount).toBeLessThanOrEqual(3);

  const xlsx = await openWorkbook(bytes, "sample.xlsx");
  const xlsxOut = await refresh(xlsx, parseConfig(xlsx.configXml));
  expect(xlsxOut.ok).toBe(true);
  const written = await fakeFromXlsx(await xlsx.output());

  const a = snapshot(office);
  const b = snapshot(written);
  expect(Object.keys(a)).toEqual(Object.keys(b));
  for (const sheet of Object.keys(b)) expect([sheet, a[sheet]]).toEqual([sheet, b[sheet]]);
  // and the same names
  const names = (f: FakeExcel) =>
    f.model.names.map((n) => `${n.scope ?? ""}!${n.name}=${n.formula.replace(/'/g, "")}`).sort();
  expect(names(office)).toEqual(names(written));

  // A second refresh changes no cell value (idempotence, as for the .xlsx runner).
  const before = snapshot(office);
  expect((await createFakeApi(office).refresh()).ok).toBe(true);
  expect(snapshot(office)).toEqual(before);
}, 30_000);

test("the stored configuration round-trips through a custom XML part both hosts read", async () => {
  const fake = ledger(5);
  const api = createFakeApi(fake);
  const config = await api.loadConfig();
  expect(config.mapping).toEqual({});
  config.mapping.Budget = "Budget2025";
  config.settings.defaultMethod = "budget";
  await api.saveConfig(config);
  await api.saveConfig(config); // saving twice keeps one part
  expect(fake.model.customXmlParts).toHaveLength(1);
  expect(fake.model.customXmlParts[0].namespaceUri).toBe("urn:uppfoljaren:config:1");
  expect(await api.loadConfig()).toEqual(config);

  // Rename the name the mapping points at: the refresh uses the stored mapping.
  fake.model.names.find((n) => n.name === "Budget")!.name = "Budget2025";
  const out = await api.refresh();
  expect(out.ok).toBe(true);
});

test("detect, mapRoleToSelection, selectCell, setLineMethod and insertTemplate work over the fake", async () => {
  const fake = ledger(5);
  fake.model.mustSheet("Underlag").setValues(2, 7, [["Metod"]]);
  const api = createFakeApi(fake);
  const d = await api.detect();
  expect(d.period).toEqual({ year: 2019, month: 4 });
  expect(d.roles.find((r) => r.role === "Budget")).toMatchObject({
    found: true,
    required: true,
    address: "Underlag!B4:B8",
  });
  expect(d.roles.find((r) => r.role === "Metod")).toMatchObject({ found: false, name: null });

  await api.selectCell("Underlag", "H4:H8");
  expect(fake.model.selection).toEqual({ sheet: "Underlag", address: "H4:H8" });
  expect(await api.mapRoleToSelection("Metod")).toBe("Underlag!H4:H8");
  expect(fake.model.findName("Metod", null)?.formula).toBe("=Underlag!$H$4:$H$8");

  await api.setLineMethod(2, "seasonal");
  expect(fake.model.mustSheet("Underlag").value("H6")).toBe("säsong");
  await api.setLineMethod(2, null);
  expect(fake.model.mustSheet("Underlag").value("H6")).toBeNull();

  await expect(api.insertTemplate()).rejects.toThrow(/redan namn/);
  const empty = createFakeExcel((wb) => wb.addSheet("Blad1"));
  await createFakeApi(empty).insertTemplate();
  expect(empty.model.mustSheet("Mall").value("A8")).toBe("Post");
  expect(empty.model.findName("Poster", null)?.formula).toBe("=Mall!$A$9:$A$28");
  expect(empty.model.findName("Period", null)?.formula).toBe("=Mall!$B$3");
});

test("the port reads the config XML in the same sync as the metadata", async () => {
  const fake = ledger(5);
  await createFakeApi(fake).saveConfig(parseConfig(null));
  fake.resetCounters();
  const port = new OfficeWorkbookPort(fake.context(), { isSetSupported: fake.isSetSupported });
  const { configXml } = await port.readMetaAndConfig(parseConfig);
  expect(configXml).toMatch(/urn:uppfoljaren:config:1/);
  expect(fake.syncCount).toBe(1);
});
