// The strict fake's own strictness: if it were lenient, the Office host's tests would prove nothing.
import { createFakeExcel, FakeOfficeError, REQUEST_LIMIT_BYTES } from "../../fakes/excel";

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
  expect(() => range.values).toThrow(/PropertyNotLoaded/);
  range.load("values");
  expect(() => range.values).toThrow(/PropertyNotLoaded/); // loaded but not synced
  await ctx.sync();
  expect(range.values).toEqual([["Post", 100]]);
  expect(() => range.formulas).toThrow(/PropertyNotLoaded/); // only what was loaded
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
  await expect(ctx.sync()).rejects.toThrow(/RequestPayloadSizeLimitExceeded/);
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
  expect(() => missing.isNullObject).toThrow(/PropertyNotLoaded/);
  await ctx.sync();
  expect(missing.isNullObject).toBe(true);
  expect(present.isNullObject).toBe(false);
  expect(present.name).toBe("Underlag");
  missing.getRange("A1").values = [[1]];
  await expect(ctx.sync()).rejects.toThrow(/ItemNotFound/);
  // getItem (not OrNullObject) fails the sync
  ctx.workbook.worksheets.getItem("Saknas").load("name");
  await expect(ctx.sync()).rejects.toThrow(/ItemNotFound/);
});

test("writes to a protected sheet fail at sync with AccessDenied after the operations before them", async () => {
  const fake = fakeWithSheet();
  const ctx = fake.context();
  ctx.workbook.worksheets.getItem("Underlag").getRange("D1").values = [[7]];
  ctx.workbook.worksheets.getItem("Skyddat").getRange("A1").values = [[1]];
  ctx.workbook.worksheets.getItem("Underlag").getRange("E1").values = [[8]];
  const err = await ctx.sync().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FakeOfficeError);
  expect((err as FakeOfficeError).code).toBe("AccessDenied");
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
  await expect(ctx.sync()).rejects.toThrow(/InvalidArgument/);
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
  await expect(ctx.sync()).rejects.toThrow(/ItemAlreadyExists/);
});

test("failSync makes the chosen sync fail after applying the given number of operations", async () => {
  const fake = fakeWithSheet();
  fake.failSync(1, 1);
  const ctx = fake.context();
  ctx.workbook.worksheets.getItem("Underlag").getRange("G1").values = [[1]];
  ctx.workbook.worksheets.getItem("Underlag").getRange("H1").values = [[2]];
  await expect(ctx.sync()).rejects.toThrow(/GeneralException/);
  expect(fake.model.mustSheet("Underlag").value("G1")).toBe(1);
  expect(fake.model.mustSheet("Underlag").value("H1")).toBeNull();
});

test("APIs above the supported requirement set fail with ApiNotFound", async () => {
  const fake = fakeWithSheet();
  const ctx = fake.context();
  ctx.workbook.worksheets.getItem("Underlag").getRange("A1").getMergedAreasOrNullObject().load("areaCount");
  await expect(ctx.sync()).rejects.toThrow(/ApiNotFound/);
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
