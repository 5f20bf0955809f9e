// The Office host end to end through refresh(), through Microsoft's Office.js library against the
// in-memory Excel: sync budget, real request and response sizes, validation before any write,
// partial-write reporting and repair, report sheets kept in place, structure protection, Excel's cell
// limit, text-formatted cells, and identical cell values to the .xlsx runner for the sample workbook.
import { sampleWorkbook } from "../../scripts/build-sample";
import { OfficeWorkbookPort, templatePlan } from "../../src/hosts/office";
import { openWorkbook } from "../../src/hosts/xlsx";
import { parseConfig } from "../../src/workbook/config";
import { refresh } from "../../src/workbook/pipeline";
import type { RawCell } from "../../src/workbook/types";
import {
  createFakeApi,
  createFakeExcel,
  isoToSerial,
  MAX_CELL_CHARS,
  PAYLOAD_LIMIT_BYTES,
  type FakeExcel,
  type FakeWorkbook,
} from "../fakes/excel";
import { fakeFromXlsx } from "../fakes/excel/fromXlsx";

const CHUNK = 4_500_000;

/** A generated ledger of n lines on sheet Underlag, all names workbook-scoped, output columns to be created. */
function ledger(
  n: number,
  more?: (wb: FakeWorkbook) => void,
  label = (i: number) => `Kostnad ${i + 1}`,
): FakeExcel {
  return createFakeExcel((wb) => {
    const s = wb.addSheet("Underlag");
    s.setValues(0, 0, [["Period", isoToSerial(2019, 4, 30)]]);
    s.setValues(2, 0, [["Post", "Budget", "Utfall"]]);
    s.setValues(
      3,
      0,
      Array.from({ length: n }, (_, i) => [label(i), 1200 + (i % 50) * 12, 380 + (i % 70) * 3]),
    );
    wb.defineName("Period", "Underlag", "B1");
    wb.defineName("Poster", "Underlag", `A4:A${n + 3}`);
    wb.defineName("Budget", "Underlag", `B4:B${n + 3}`);
    wb.defineName("Utfall", "Underlag", `C4:C${n + 3}`);
    more?.(wb);
  });
}

/** The requests of the refresh (Excel.run's clean-up request apart). */
const syncs = (fake: FakeExcel) => fake.requests.filter((r) => !r.cleanup);

test("a 5 000-line ledger refreshes in at most 3 syncs, every request and response under 5 MB", async () => {
  const fake = ledger(5000);
  const outcome = await createFakeApi(fake).refresh();
  expect(outcome.ok).toBe(true);
  expect(fake.syncCount).toBeLessThanOrEqual(3);
  for (const r of fake.requests) {
    expect(r.bytes).toBeLessThan(PAYLOAD_LIMIT_BYTES);
    expect(r.responseBytes).toBeLessThan(PAYLOAD_LIMIT_BYTES);
  }
  const s = fake.model.mustSheet("Underlag");
  expect(typeof s.value("D4")).toBe("number"); // Avvikelse created right of Utfall
  expect(typeof s.value(`F${5003}`)).toBe("number");
  expect(fake.model.findName("Prognos", null)?.formula).toBe("=Underlag!$E$4:$E$5003");
  expect(fake.model.sheet("Driftsredovisning")).toBeDefined();
});

test("a 50 000-line ledger is read in row chunks under the 5 MB response limit and written in chunks under 4.5 MB", async () => {
  // Long labels (as in a ledger of account names with their object codes): the read answers over 5 MB.
  const fake = ledger(
    50_000,
    undefined,
    (i) =>
      `Kostnad ${i + 1} – konto 4010 lokalhyror, verksamhet 631 hemtjänst, ansvar 6310, projekt 0000 (drift)`,
  );
  const outcome = await createFakeApi(fake).refresh();
  expect(outcome.ok).toBe(true);
  // The ledger's first rows come with the metadata, so every later chunk is sized by what they
  // measured: no answer goes over the limit.
  expect(syncs(fake).filter((r) => !r.ok)).toEqual([]);
  const all = syncs(fake);
  for (const r of all) {
    expect(r.bytes).toBeLessThanOrEqual(CHUNK);
    expect(r.responseBytes).toBeLessThan(PAYLOAD_LIMIT_BYTES);
  }
  const reads = all.filter((r) => r.writes === 0);
  const writes = all.filter((r) => r.writes > 0);
  const readBytes = reads.reduce((n, r) => n + r.responseBytes, 0);
  const writeBytes = writes.reduce((n, r) => n + r.bytes, 0);
  expect(readBytes).toBeGreaterThan(PAYLOAD_LIMIT_BYTES); // one read sync could not have answered this
  // One sync per 4.5 MB of reads (the metadata rides along with the first) and of writes, one more each
  // for packing.
  expect(reads.length).toBeLessThanOrEqual(Math.ceil(readBytes / CHUNK) + 1);
  expect(writes.length).toBeLessThanOrEqual(Math.ceil(writeBytes / CHUNK) + 1);
  expect(typeof fake.model.mustSheet("Underlag").value("F50003")).toBe("number");
}, 120_000);

test("a read chunk whose answer goes over 5 MB is read again in smaller chunks", async () => {
  // A read budget over the limit, and labels long enough that its chunks answer more than 5 MB.
  const fake = ledger(20_000, undefined, (i) => `Kostnad ${i + 1} ${"–".repeat(120)}`);
  const port = new OfficeWorkbookPort(fake.context(), {
    isSetSupported: fake.isSetSupported,
    readBytes: 8_000_000,
  });
  const outcome = await refresh(port, parseConfig(null));
  expect(outcome.ok).toBe(true);
  // The first chunk is sized by a guess; each retry asks for at most half the rows of the one before.
  const failed = syncs(fake).filter((r) => !r.ok);
  expect(failed.length).toBeGreaterThanOrEqual(1);
  expect(failed.length).toBeLessThanOrEqual(3);
  for (const r of failed) expect(r.error).toBe("ResponsePayloadSizeLimitExceeded");
  for (const r of syncs(fake).filter((x) => x.ok)) expect(r.responseBytes).toBeLessThan(PAYLOAD_LIMIT_BYTES);
  expect(fake.model.mustSheet("Underlag").value("A20003")).toMatch(/^Kostnad 20000 /);
  expect(typeof fake.model.mustSheet("Underlag").value("F20003")).toBe("number");
}, 120_000);

test("20 000 lines: the first refresh keeps the sync budget, the second reads the report sheets only where text can be", async () => {
  const fake = ledger(
    20_000,
    undefined,
    (i) => `Kostnad ${i + 1} – konto 4010 lokalhyror, verksamhet 631 hemtjänst`,
  );
  const api = createFakeApi(fake);
  expect((await api.refresh()).ok).toBe(true);
  // The budget beyond 5 000 lines: 2 + one sync per 4.5 MB of serialised writes.
  const first = syncs(fake);
  const writeBytes = first.filter((r) => r.writes > 0).reduce((n, r) => n + r.bytes, 0);
  expect(first.length).toBeLessThanOrEqual(2 + Math.ceil(writeBytes / CHUNK));
  const readFirst = first.filter((r) => r.writes === 0).reduce((n, r) => n + r.responseBytes, 0);

  // Text typed far down Driftsredovisning: in a cell the report left empty inside its table, right of
  // the report and below it. None of it is in a zone, so all of it goes to the note area.
  const d = fake.model.mustSheet("Driftsredovisning");
  const rows = Math.max(...d.cells.keys()) + 1;
  const width = Math.max(...[...d.cells.values()].flatMap((line) => [...line.keys()])) + 1;
  const hole = (() => {
    for (let r = 15_000; r < rows; r++)
      for (let c = 1; c < width; c++)
        if (typeof d.get(r, 0)?.value === "string" && (d.get(r, c)?.value ?? null) === null) return { r, c };
    throw new Error("no empty cell in the table");
  })();
  d.cell(hole.r, hole.c).value = "Kolla konto 4010";
  d.cell(16_000, width + 2).value = "Fråga Per";
  d.cell(rows + 5, 0).value = "Sista anteckningen";
  // What the report sheets hold now, read whole (the second refresh should read far less of them).
  const json = (name: string) => {
    const sheet = fake.model.mustSheet(name);
    let n = 0;
    for (const line of sheet.cells.values())
      for (const cell of line.values()) n += JSON.stringify(cell.value).length + 1;
    return n;
  };
  const reports = ["Driftsredovisning", "Åtgärdsplan", "Kontroller", "Sammanfattning", "Volymmått"];
  const reportBytes = reports.filter((n) => fake.model.sheet(n)).reduce((sum, n) => sum + json(n), 0);

  fake.resetCounters();
  const outcome = await api.refresh();
  expect(outcome.ok).toBe(true);
  const again = syncs(fake);
  expect(again.filter((r) => !r.ok)).toEqual([]);
  for (const r of again) expect(r.responseBytes).toBeLessThan(PAYLOAD_LIMIT_BYTES);
  const readAgain = again.filter((r) => r.writes === 0).reduce((n, r) => n + r.responseBytes, 0);
  // The write's ranges are untracked: Excel.run's clean-up request has none of them to release (it held
  // one _RemoveReference of ~115 bytes per written range: 32 KB here, 4.5 MB at 100 000 lines).
  for (const r of fake.requests.filter((x) => x.cleanup)) expect(r.bytes).toBeLessThan(16_000);
  // The state sheet comes with the metadata, so the second refresh keeps the same budget.
  const writeAgain = again.filter((r) => r.writes > 0).reduce((n, r) => n + r.bytes, 0);
  expect(again.length).toBeLessThanOrEqual(2 + Math.ceil(writeAgain / CHUNK));
  // The ledger again, Prognoslogg and the state sheet whole, the per-line log without the period logged
  // again, the report sheets only outside what the last refresh wrote there (and their first rows, read
  // with the metadata).
  expect(readAgain - readFirst).toBeLessThan(
    json("_Uppföljaren") + (json("Prognoslogg_rader") + reportBytes) / 4,
  );
  expect(fake.model.mustSheet("Prognoslogg_rader").value("A20001")).not.toBeNull();
  const notes = (() => {
    const after = fake.model.mustSheet("Driftsredovisning");
    for (const line of after.cells.values())
      for (const cell of line.values())
        if (typeof cell.value === "string" && cell.value.includes("Sista anteckningen")) return cell.value;
    return "";
  })();
  const at = (r: number, c: number) => `${String.fromCharCode(65 + c)}${r + 1}`;
  expect(notes).toContain(`Från ${at(hole.r, hole.c)}: Kolla konto 4010`);
  expect(notes).toContain(`Från ${at(16_000, width + 2)}: Fråga Per`);
  expect(notes).toContain(`Från A${rows + 6}: Sista anteckningen`);
}, 180_000);

test("the per-line log's rows of the period logged again are left unread, and read after all when they moved", async () => {
  // More lines than the metadata sync reads ahead of each report sheet (500 rows).
  const fake = ledger(2000);
  const api = createFakeApi(fake);
  expect((await api.refresh()).ok).toBe(true);
  const log = () => {
    const s = fake.model.mustSheet("Prognoslogg_rader");
    return Array.from({ length: 2002 }, (_, r) => [0, 1, 2].map((c) => s.get(r, c)?.value ?? null));
  };
  const written = log();
  expect(written[1]).toEqual(["2019-04", 0, "Kostnad 1"]);
  const readBytes = () =>
    syncs(fake)
      .filter((r) => r.writes === 0)
      .reduce((n, r) => n + r.responseBytes, 0);
  fake.resetCounters();
  expect((await api.refresh()).ok).toBe(true);
  const quiet = { syncs: syncs(fake).length, bytes: readBytes() };
  expect(log()).toEqual(written);
  // The block's first row no longer numbers the period's first line: the rows left out are read too.
  fake.model.mustSheet("Prognoslogg_rader").cell(1, 1).value = 7;
  fake.resetCounters();
  expect((await api.refresh()).ok).toBe(true);
  expect(syncs(fake).length).toBe(quiet.syncs + 1);
  expect(readBytes()).toBeGreaterThan(quiet.bytes);
  expect(log()).toEqual(written);
});

test("write chunks are sized by the library's real request size, with one worksheet lookup per sheet", async () => {
  const fake = ledger(20_000);
  const chunkBytes = 256 * 1024;
  const port = new OfficeWorkbookPort(fake.context(), { isSetSupported: fake.isSetSupported, chunkBytes });
  const outcome = await refresh(port, parseConfig(null));
  expect(outcome.ok).toBe(true);
  const writes = fake.requests.filter((r) => r.writes > 0);
  expect(writes.length).toBeGreaterThan(3);
  // A single step (a value slice of about 256 KB) is never split, so it may fill a request alone.
  for (const r of writes) expect(r.bytes).toBeLessThanOrEqual(chunkBytes + 300 * 1024);
  // The first write request holds Underlag's output columns and more sheets: each is looked up once.
  const sheetsWritten = 1 + 5;
  for (const r of writes) expect(r.worksheetLookups).toBeLessThanOrEqual(sheetsWritten);
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

test("a protected workbook structure is refused before the first write, with a Swedish message", async () => {
  const fake = ledger(50, (wb) => (wb.structureProtected = true));
  const out = await createFakeApi(fake).refresh();
  expect(out.ok).toBe(false);
  if (out.ok || out.stage !== "write") throw new Error("expected a refused write");
  expect(out.message).toMatch(/struktur är skyddad.*Driftsredovisning.*Inget har skrivits/);
  expect(out.report.written).toEqual([]);
  expect(fake.writesApplied).toBe(0);
  expect(fake.model.mustSheet("Underlag").value("D4")).toBeNull();

  // Once the report sheets exist, a protected structure does not stop a refresh: they are kept in place.
  fake.model.structureProtected = false;
  expect((await createFakeApi(fake).refresh()).ok).toBe(true);
  fake.model.structureProtected = true;
  expect((await createFakeApi(fake).refresh()).ok).toBe(true);
});

test("report sheets keep their identity: a user formula =Driftsredovisning!E10 is not #REF! after a refresh", async () => {
  const fake = ledger(30, (wb) => wb.addSheet("Egen"));
  const api = createFakeApi(fake);
  expect((await api.refresh()).ok).toBe(true);
  const report = fake.model.mustSheet("Driftsredovisning");
  const id = report.id;
  const egen = fake.model.mustSheet("Egen");
  egen.cell(0, 0).formula = "=Driftsredovisning!E10";
  egen.cell(0, 0).value = report.value("E10");
  expect(typeof fake.model.shown(egen, egen.get(0, 0)!)).toBe("number");

  expect((await api.refresh()).ok).toBe(true);
  expect(fake.model.mustSheet("Driftsredovisning").id).toBe(id);
  expect(egen.get(0, 0)?.formula).toBe("=Driftsredovisning!E10");
  const shown = fake.model.shown(egen, egen.get(0, 0)!);
  expect(shown).toBe(fake.model.mustSheet("Driftsredovisning").value("E10"));
  expect(typeof shown).toBe("number");
});

test("a failed write is reported with what was and was not written, and a second refresh repairs it", async () => {
  const reference = ledger(200);
  await createFakeApi(reference).refresh();

  const fake = ledger(200);
  const api = createFakeApi(fake);
  // Fail the write request (3rd sync) after its first 200 actions: a batch is not a transaction.
  fake.failSync(3, 200);
  const failed = await api.refresh();
  expect(failed.ok).toBe(false);
  if (failed.ok || failed.stage !== "write") throw new Error("expected a write failure");
  expect(failed.report.written).toEqual([]);
  expect(failed.report.notWritten).toContain("utdatakolumnerna på Underlag");
  expect(failed.report.notWritten).toContain("bladet Driftsredovisning");
  expect(failed.message).toMatch(/Tryck på Uppdatera prognos igen/);
  expect(fake.requests[2].ok).toBe(false);
  expect(fake.writesApplied).toBeGreaterThan(0); // what ran before the failure stays applied

  const repaired = await api.refresh();
  expect(repaired.ok).toBe(true);
  expect(snapshot(fake)).toEqual(snapshot(reference));
});

test("a text over Excel's 32 767-character cell limit is cut with a finding, and the refresh succeeds", async () => {
  const long = "x".repeat(MAX_CELL_CHARS - 5);
  const fake = ledger(5, (wb) => {
    wb.mustSheet("Underlag").setValues(2, 8, [["Kommentar"], [long]]);
    wb.defineName("Kommentar", "Underlag", "I4:I8");
  });
  const out = await createFakeApi(fake).refresh();
  expect(out.ok).toBe(true);
  if (!out.ok) return;
  const finding = out.findings.find((f) => f.code === "CELL_TEXT_TOO_LONG");
  expect(finding).toMatchObject({ sheet: "Driftsredovisning" });
  const cell = fake.model.mustSheet("Driftsredovisning").value(finding!.cell!);
  expect(typeof cell === "string" && cell.length).toBe(MAX_CELL_CHARS);
  // and the findings sheet lists it
  const listed = [...fake.model.mustSheet("Kontroller").cells.values()].some((line) =>
    [...line.values()].some((c) => c.value === "CELL_TEXT_TOO_LONG"),
  );
  expect(listed).toBe(true);
});

test("a method written into a text-formatted (@) Metod cell is exactly the method's name", async () => {
  const fake = ledger(5, (wb) => {
    const s = wb.mustSheet("Underlag");
    s.setValues(2, 7, [["Metod"]]);
    for (let r = 3; r < 8; r++) s.cell(r, 7).numberFormat = "@";
    wb.defineName("Metod", "Underlag", "H4:H8");
  });
  const api = createFakeApi(fake);
  await api.setLineMethod(1, "linear");
  expect(fake.model.mustSheet("Underlag").value("H5")).toBe("linjär");
  const out = await api.refresh();
  expect(out.ok).toBe(true);
  if (out.ok) expect(out.result.lines[1].method).toBe("linear");
});

test("the sample workbook and the template use invariant number formats (#,##0), not a literal space", async () => {
  const fake = await fakeFromXlsx(await sampleWorkbook());
  const formats = new Set<string>();
  for (const s of fake.model.sheets)
    for (const line of s.cells.values())
      for (const c of line.values()) if (c.numberFormat) formats.add(c.numberFormat);
  for (const sheet of templatePlan("Mall").sheets)
    for (const f of sheet.formats) if (f.style.numberFormat) formats.add(f.style.numberFormat);
  expect([...formats].filter((f) => /#\s#/.test(f))).toEqual([]);
  expect([...formats].some((f) => f.includes("#,##0"))).toBe(true);
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

test("detect, mapRoleToSelection, selectCell, setLineMethod and insertTemplate work through the library", async () => {
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

  // A multi-area selection cannot be mapped (getSelectedRange throws, as Excel documents).
  fake.model.selection = { sheet: "Underlag", address: "H4:H8,J4" };
  await expect(api.mapRoleToSelection("Metod")).rejects.toMatchObject({ code: "InvalidSelection" });

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
