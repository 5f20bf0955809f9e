// The in-memory Excel's own strictness, seen through Microsoft's Office.js library: if it were lenient,
// the Office host's tests would prove nothing. The client-side rules (PropertyNotLoaded, proxies and
// NullObject handling) are the library's; the Excel-side rules are the in-memory Excel's, with sources.
import { createFakeExcel, MAX_CELL_CHARS, REQUEST_LIMIT_BYTES } from "../../fakes/excel";

/** The code of the error fn throws (the library's errors carry it in .code, not in the message). */
function thrownCode(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    return (e as { code?: string }).code ?? "no code";
  }
}

/** The error a sync rejects with (the library's OfficeExtension.Error, from its own realm). */
async function syncError(ctx: Excel.RequestContext): Promise<{ code: string; message: string }> {
  return ctx.sync().then(
    () => {
      throw new Error("the sync succeeded");
    },
    (e: { code: string; message: string }) => e,
  );
}

const fakeWithSheet = () =>
  createFakeExcel((wb) => {
    wb.addSheet("Underlag").setValues(0, 0, [["Post", 100]]);
    wb.addSheet("Skyddat").protected = true;
    wb.defineName("Poster", "Underlag", "A1:A1");
    wb.defineName("Lokal", "Underlag", "B1", "Underlag");
  });

test("reading a property that was not loaded and synced throws PropertyNotLoaded", async () => {
  const fake = fakeWithSheet();
  const ctx = fake.context();
  const range = ctx.workbook.worksheets.getItem("Underlag").getRange("A1:B1");
  expect(thrownCode(() => range.values)).toBe("PropertyNotLoaded");
  range.load("values");
  expect(thrownCode(() => range.values)).toBe("PropertyNotLoaded"); // loaded but not synced
  await ctx.sync();
  expect(range.values).toEqual([["Post", 100]]);
  expect(thrownCode(() => range.formulas)).toBe("PropertyNotLoaded"); // only what was loaded
});

test("writes are queued until sync and applied in order at sync", async () => {
  const fake = fakeWithSheet();
  const ctx = fake.context();
  const ws = ctx.workbook.worksheets.getItem("Underlag");
  ws.getRange("C1").values = [[1]];
  ws.getRange("C1").values = [[2]];
  expect(fake.model.mustSheet("Underlag").value("C1")).toBeNull();
  expect(fake.writesApplied).toBe(0);
  await ctx.sync();
  expect(fake.model.mustSheet("Underlag").value("C1")).toBe(2);
  expect(fake.writesApplied).toBe(2);
  expect(fake.syncCount).toBe(1);
});

test("a request over 5 MB fails and applies nothing", async () => {
  const fake = fakeWithSheet();
  const ctx = fake.context();
  const rows = 200_000;
  const values = Array.from({ length: rows }, () => ["x".repeat(30)]);
  ctx.workbook.worksheets.getItem("Underlag").getRangeByIndexes(0, 5, rows, 1).values = values;
  expect((await syncError(ctx)).code).toBe("RequestPayloadSizeLimitExceeded");
  expect(fake.requests[0].bytes).toBeGreaterThan(REQUEST_LIMIT_BYTES);
  expect(fake.model.mustSheet("Underlag").value("F1")).toBeNull();
  expect(fake.writesApplied).toBe(0);
});

test("NullObject pattern: isNullObject is known only after sync; writes through a null object fail", async () => {
  const fake = fakeWithSheet();
  const ctx = fake.context();
  const missing = ctx.workbook.worksheets.getItemOrNullObject("Saknas");
  const present = ctx.workbook.worksheets.getItemOrNullObject("underlag"); // case-insensitive like Excel
  missing.load("name");
  present.load("name");
  expect(thrownCode(() => missing.isNullObject)).toBe("PropertyNotLoaded");
  await ctx.sync();
  expect(missing.isNullObject).toBe(true);
  expect(present.isNullObject).toBe(false);
  expect(present.name).toBe("Underlag");
  // A write through an object already known to be null: the library itself refuses the object path.
  missing.getRange("A1").values = [[1]];
  expect((await syncError(ctx)).code).toBe("InvalidObjectPath");
  // getItem (not OrNullObject) fails the sync
  ctx.workbook.worksheets.getItem("Saknas").load("name");
  expect((await syncError(ctx)).code).toBe("ItemNotFound");
});

test("writes to a protected sheet fail at sync with AccessDenied after the operations before them", async () => {
  const fake = fakeWithSheet();
  const ctx = fake.context();
  ctx.workbook.worksheets.getItem("Underlag").getRange("D1").values = [[7]];
  ctx.workbook.worksheets.getItem("Skyddat").getRange("A1").values = [[1]];
  ctx.workbook.worksheets.getItem("Underlag").getRange("E1").values = [[8]];
  expect((await syncError(ctx)).code).toBe("AccessDenied");
  expect(fake.model.mustSheet("Underlag").value("D1")).toBe(7);
  expect(fake.model.mustSheet("Underlag").value("E1")).toBeNull();
});

test("values behave like Excel: '=' makes a formula, a leading apostrophe makes text, numbers parse, null keeps", async () => {
  const fake = fakeWithSheet();
  const ctx = fake.context();
  const ws = ctx.workbook.worksheets.getItem("Underlag");
  ws.getRange("A2:F2").values = [["=SUM(A1)", "'=SUM(A1)", "2019", "'2019", "+46", null]];
  ws.getRange("A3:C3").values = [["1e5", "@x", "'"]];
  await ctx.sync();
  const s = fake.model.mustSheet("Underlag");
  expect(s.get(1, 0)?.formula).toBe("=SUM(A1)");
  expect(s.value("B2")).toBe("=SUM(A1)");
  expect(s.get(1, 1)?.formula).toBeUndefined();
  expect(s.value("C2")).toBe(2019);
  expect(s.value("D2")).toBe("2019");
  expect(s.value("E2")).toBe(46);
  expect(s.get(1, 5)).toBeUndefined();
  expect(s.value("A3")).toBe(100000);
  expect(s.get(2, 1)?.formula).toBe("=x");
  expect(s.value("C3")).toBeNull();
});

test("dimension mismatches are rejected like Office.js does", async () => {
  const fake = fakeWithSheet();
  const ctx = fake.context();
  ctx.workbook.worksheets.getItem("Underlag").getRange("A5:B5").values = [[1]];
  expect((await syncError(ctx)).code).toBe("InvalidArgument");
  // a single value is applied to every cell (Excel.Range.numberFormat)
  ctx.workbook.worksheets.getItem("Underlag").getRange("A5:B6").numberFormat = "0.0" as never;
  await ctx.sync();
  expect(fake.model.mustSheet("Underlag").get(5, 1)?.numberFormat).toBe("0.0");
});

test("workbook- and worksheet-scoped names are listed separately", async () => {
  const fake = fakeWithSheet();
  const ctx = fake.context();
  const wbNames = ctx.workbook.names.load("items/name,items/formula");
  const wsNames = ctx.workbook.worksheets.getItem("Underlag").names.load("items/name,items/formula");
  await ctx.sync();
  expect(wbNames.items.map((n) => [n.name, n.formula])).toEqual([["Poster", "=Underlag!$A$1"]]);
  expect(wsNames.items.map((n) => [n.name, n.formula])).toEqual([["Lokal", "=Underlag!$B$1"]]);
  ctx.workbook.names.add("Poster", ctx.workbook.worksheets.getItem("Underlag").getRange("A2"));
  expect((await syncError(ctx)).code).toBe("ItemAlreadyExists");
});

test("failSync makes the chosen sync fail after running the given number of actions", async () => {
  const fake = fakeWithSheet();
  // Actions: Instantiate workbook, worksheets, sheet, range G1, set G1, Instantiate range H1, set H1.
  fake.failSync(1, 5);
  const ctx = fake.context();
  ctx.workbook.worksheets.getItem("Underlag").getRange("G1").values = [[1]];
  ctx.workbook.worksheets.getItem("Underlag").getRange("H1").values = [[2]];
  expect((await syncError(ctx)).code).toBe("GeneralException");
  expect(fake.model.mustSheet("Underlag").value("G1")).toBe(1);
  expect(fake.model.mustSheet("Underlag").value("H1")).toBeNull();
});

test("APIs above the supported requirement set fail with ApiNotFound", async () => {
  const fake = fakeWithSheet();
  const ctx = fake.context();
  ctx.workbook.worksheets.getItem("Underlag").getRange("A1").getMergedAreasOrNullObject().load("areaCount");
  expect((await syncError(ctx)).code).toBe("ApiNotFound");
  const newer = createFakeExcel((wb) => wb.addSheet("A"), { excelApi: "1.13" });
  const c2 = newer.context();
  const m = c2.workbook.worksheets
    .getItem("A")
    .getRange("A1:B2")
    .getMergedAreasOrNullObject()
    .load("areaCount");
  await c2.sync();
  expect(m.isNullObject).toBe(true);
});

test("a response over 5 MB fails with ResponsePayloadSizeLimitExceeded; the property stays unread", async () => {
  const fake = createFakeExcel((wb) => {
    const s = wb.addSheet("Stor");
    s.setValues(
      0,
      0,
      Array.from({ length: 60_000 }, (_, i) => [`en ganska lång text nummer ${i}`, i, i / 7]),
    );
  });
  const ctx = fake.context();
  const r = ctx.workbook.worksheets.getItem("Stor").getRange("A1:C60000").load("values,valueTypes,formulas");
  expect((await syncError(ctx)).code).toBe("ResponsePayloadSizeLimitExceeded");
  expect(fake.requests[0].responseBytes).toBeGreaterThan(REQUEST_LIMIT_BYTES);
  expect(() => r.values).toThrow();
});

test("a cell takes at most 32 767 characters; a text-formatted (@) cell keeps exactly what is written", async () => {
  const fake = fakeWithSheet();
  const ctx = fake.context();
  const ws = ctx.workbook.worksheets.getItem("Underlag");
  ws.getRange("A9").values = [["x".repeat(MAX_CELL_CHARS)]];
  await ctx.sync();
  ws.getRange("A10").values = [["x".repeat(MAX_CELL_CHARS + 1)]];
  expect((await syncError(ctx)).code).toBe("InvalidArgument");
  const cells = ws.getRange("B9:B11");
  cells.numberFormat = "@" as never;
  cells.values = [["'linjär"], ["=SUM(A1)"], ["2019"]];
  await ctx.sync();
  const s = fake.model.mustSheet("Underlag");
  expect([s.value("B9"), s.value("B10"), s.value("B11")]).toEqual(["'linjär", "=SUM(A1)", "2019"]);
  expect(s.get(9, 1)?.formula).toBeUndefined();
});

test("deleting a sheet turns references to it into #REF!, also when a sheet of that name comes back", async () => {
  const fake = fakeWithSheet();
  const ctx = fake.context();
  const rapport = ctx.workbook.worksheets.add("Rapport");
  rapport.getRange("E10").values = [[42]];
  const u = ctx.workbook.worksheets.getItem("Underlag");
  u.getRange("C1:C2").formulas = [["=Rapport!E10"], ["='Rapport'!$E$10*2"]];
  ctx.workbook.names.add("Summa", rapport.getRange("E10"));
  await ctx.sync();
  const before = u.getRange("C1").load("values");
  await ctx.sync();
  expect(before.values).toEqual([[42]]);
  ctx.workbook.worksheets.getItem("Rapport").delete();
  ctx.workbook.worksheets.add("Rapport").getRange("E10").values = [[42]];
  const after = u.getRange("C1:C2").load("values,valueTypes,formulas");
  const name = ctx.workbook.names.getItem("Summa").load("formula");
  await ctx.sync();
  expect(after.formulas).toEqual([["=#REF!E10"], ["=#REF!$E$10*2"]]);
  expect(after.values).toEqual([["#REF!"], ["#REF!"]]);
  expect(after.valueTypes).toEqual([["Error"], ["Error"]]);
  expect(name.formula).toBe("=#REF!$E$10");
});

test("a protected workbook structure refuses adding, deleting and hiding sheets", async () => {
  const fake = fakeWithSheet();
  fake.model.structureProtected = true;
  const ctx = fake.context();
  const protection = ctx.workbook.protection.load("protected");
  await ctx.sync();
  expect(protection.protected).toBe(true);
  ctx.workbook.worksheets.add("Ny");
  expect((await syncError(ctx)).code).toBe("AccessDenied");
  ctx.workbook.worksheets.getItem("Skyddat").delete();
  expect((await syncError(ctx)).code).toBe("AccessDenied");
  ctx.workbook.worksheets.getItem("Skyddat").visibility = "Hidden";
  expect((await syncError(ctx)).code).toBe("AccessDenied");
  expect(fake.model.sheets.map((s) => s.name)).toEqual(["Underlag", "Skyddat"]);
});

test("getSelectedRange fails on a multi-area selection; merges and clear behave like Excel", async () => {
  const fake = fakeWithSheet();
  fake.model.selection = { sheet: "Underlag", address: "A1:A2,C1" };
  const ctx = fake.context();
  ctx.workbook.getSelectedRange().load("address");
  expect((await syncError(ctx)).code).toBe("InvalidSelection");
  const ws = ctx.workbook.worksheets.getItem("Underlag");
  ws.getRange("A20:C22").merge(true);
  await ctx.sync();
  expect(fake.model.mustSheet("Underlag").merges).toHaveLength(3); // merge across: one per row
  const areas = ws.getRange("A1:C30").getMergedAreasOrNullObject().load("areaCount");
  // ExcelApi 1.13 is needed for getMergedAreasOrNullObject; the default host is 1.9
  expect((await syncError(ctx)).code).toBe("ApiNotFound");
  expect(() => areas.areaCount).toThrow();
  ws.getRange("A1:C30").clear("Formats");
  await ctx.sync();
  expect(fake.model.mustSheet("Underlag").merges).toEqual([]);
  expect(fake.model.mustSheet("Underlag").value("A1")).toBe("Post"); // contents stay
});

test("a range kept by Excel.run survives across syncs; the library releases it in a clean-up request", async () => {
  const fake = fakeWithSheet();
  fake.model.selection = { sheet: "Underlag", address: "B1" };
  await fake.run(async (ctx) => {
    const selection = ctx.workbook.getSelectedRange().load("address");
    await ctx.sync();
    ctx.workbook.names.add("Vald", selection);
    await ctx.sync();
  });
  expect(fake.model.findName("Vald", null)?.formula).toBe("=Underlag!$B$1");
  expect(fake.requests.map((r) => r.cleanup)).toEqual([false, false, true]);
  expect(fake.syncCount).toBe(2);
});
