// The Office port rendering hand-made plans and reads, through the real Office.js library against the
// in-memory Excel.
import { OfficeWorkbookPort, toExcelValue, charsToPoints, mergeRuns } from "../../../src/hosts/office";
import { heightRuns, stackBlocks } from "../../../src/hosts/office/render";
import { measureRows } from "../../../src/hosts/office/read-ahead";
import { PartialWriteError } from "../../../src/workbook/pipeline";
import type { SheetPlan, WritePlan } from "../../../src/workbook/types";
import { createFakeExcel, PAYLOAD_LIMIT_BYTES, REQUEST_LIMIT_BYTES, type FakeExcel } from "../../fakes/excel";

const sheetPlan = (name: string, owned: boolean, extra: Partial<SheetPlan> = {}): SheetPlan => ({
  name,
  owned,
  values: [],
  formats: [],
  merges: [],
  columnWidths: [],
  charts: [],
  ...extra,
});

const basic = () =>
  createFakeExcel((wb) => {
    wb.addSheet("Underlag").setValues(0, 0, [
      ["Post", "Budget"],
      ["Hyra", 100],
      ["Löner", 200],
    ]);
    wb.addSheet("Driftsredovisning").setValues(0, 0, [["gammalt innehåll"]]);
  });

async function write(fake: FakeExcel, plan: WritePlan, chunkBytes?: number) {
  const port = new OfficeWorkbookPort(fake.context(), { isSetSupported: fake.isSetSupported, chunkBytes });
  await port.readMeta();
  return port.write(plan);
}

const TRICKY = ["=SUM(A1)", "+46", "-x", "@x", "2019", "1e5", "TRUE", "'citat", "2019-04-30", "12%"];

test("strings are always written as text, never as formulas or numbers", async () => {
  const fake = basic();
  await write(fake, {
    version: 1,
    sheets: [sheetPlan("Rapport", true, { values: [{ row: 0, col: 0, values: TRICKY.map((t) => [t]) }] })],
    names: [],
  });
  const s = fake.model.mustSheet("Rapport");
  TRICKY.forEach((t, r) => {
    expect(s.get(r, 0)?.value).toBe(t);
    expect(s.get(r, 0)?.formula).toBeUndefined();
  });
  expect(toExcelValue(null)).toBe("");
  expect(toExcelValue("")).toBe("");
  expect(toExcelValue(3)).toBe(3);
});

test("owned sheets are rendered, user sheets only get their output cells; null clears a cell", async () => {
  const fake = basic();
  fake.model.mustSheet("Underlag").setValues(1, 2, [[999]]);
  const report = await write(fake, {
    version: 1,
    sheets: [
      sheetPlan("Underlag", false, { values: [{ row: 1, col: 2, values: [[null], [5]] }] }),
      sheetPlan("Driftsredovisning", true, {
        values: [
          {
            row: 0,
            col: 0,
            values: [
              ["Titel", null],
              ["a", 1],
            ],
          },
        ],
        formats: [
          {
            rect: { row: 1, col: 1, rows: 1, cols: 1 },
            style: {
              numberFormat: "+#,##0;-#,##0;0",
              bold: true,
              fill: "#FFEEDD",
              borderTop: "thin",
              indent: 1,
              horizontalAlignment: "right",
            },
          },
        ],
        merges: [{ row: 0, col: 0, rows: 1, cols: 2 }],
        columnWidths: [{ col: 0, width: 30 }],
        rowHeights: [{ row: 1, height: 30 }],
        freeze: { rows: 1, cols: 1 },
        print: { orientation: "landscape", fitToWidth: true, repeatRows: { first: 0, last: 1 } },
        charts: [
          {
            type: "line",
            title: "Prognosavvikelse",
            categories: { row: 1, col: 0, rows: 1, cols: 1 },
            series: [{ name: "Prognos", values: { row: 1, col: 1, rows: 1, cols: 1 } }],
            anchor: { row: 3, col: 0, rows: 10, cols: 6 },
            valueFormat: "#,##0",
            labelAngle: -45,
          },
        ],
      }),
    ],
    names: [{ name: "Avvikelse", scope: null, ref: { sheet: "Underlag", row: 1, col: 2, rows: 2, cols: 1 } }],
  });
  // Names on the user's sheets are defined before their values (see planSteps: a failed write stays repairable).
  expect(report.written).toEqual([
    "namnen Avvikelse",
    "utdatakolumnerna på Underlag",
    "bladet Driftsredovisning",
  ]);
  const u = fake.model.mustSheet("Underlag");
  expect(u.value("A2")).toBe("Hyra");
  expect(u.value("C2")).toBeNull();
  expect(u.value("C3")).toBe(5);
  const d = fake.model.mustSheet("Driftsredovisning");
  expect(d.value("A1")).toBe("Titel");
  expect(d.value("A3")).toBeNull(); // old content cleared
  expect(d.get(1, 1)).toMatchObject({
    numberFormat: "+#,##0;-#,##0;0",
    format: { bold: true, fill: "#FFEEDD", indentLevel: 1, horizontalAlignment: "Right" },
  });
  expect(d.get(1, 1)?.format?.borders?.EdgeTop).toEqual({ style: "Continuous", weight: "Thin" });
  expect(d.merges).toEqual([{ row: 0, col: 0, rows: 1, cols: 2 }]);
  expect(d.columnWidths.get(0)).toBe(charsToPoints(30));
  expect(d.rowHeights.get(1)).toBe(30);
  expect(d.freeze).toEqual({ rows: 1, cols: 1 });
  expect(d.pageLayout).toEqual({
    orientation: "Landscape",
    zoom: { horizontalFitToPages: 1, verticalFitToPages: 0 },
    printTitleRows: "$1:$2",
  });
  expect(d.charts).toHaveLength(1);
  expect(d.charts[0]).toMatchObject({
    type: "Line",
    title: "Prognosavvikelse",
    series: [{ name: "Prognos", values: "Driftsredovisning!B2", xValues: "Driftsredovisning!A2" }],
    position: { start: "A4", end: "F13" },
    axes: { value: { numberFormat: "#,##0" }, category: { textOrientation: -45 } },
  });
  expect(fake.model.findName("Avvikelse", null)?.formula).toBe("=Underlag!$C$2:$C$3");
  // readMeta takes 2 syncs here (no contract names at workbook scope, so it also lists sheet-scoped ones);
  // the whole write is one request.
  expect(fake.requests.filter((r) => r.writes > 0)).toHaveLength(1);
  expect(fake.model.sheets.map((s) => s.name)).toEqual(["Underlag", "Driftsredovisning"]);
});

test("an existing owned sheet keeps its identity and is emptied before rendering", async () => {
  const fake = basic();
  const old = fake.model.mustSheet("Driftsredovisning");
  const id = old.id;
  old.setValues(4, 2, [[123]]);
  old.cell(4, 2).numberFormat = "0.00";
  old.cell(4, 2).format = { bold: true };
  old.merges.push({ row: 6, col: 0, rows: 1, cols: 3 });
  old.rowHeights.set(4, 40);
  old.freeze = { rows: 2, cols: 0 };
  old.pageLayout = {
    orientation: "Landscape",
    zoom: { horizontalFitToPages: 1 },
    headersFooters: { centerHeader: "gammal" },
  };
  old.charts.push({
    id: "{C}",
    name: "Chart 1",
    type: "Line",
    title: "gammal",
    source: "Driftsredovisning!A1",
    series: [],
  });
  await write(fake, {
    version: 1,
    sheets: [sheetPlan("Driftsredovisning", true, { values: [{ row: 0, col: 0, values: [["Ny"]] }] })],
    names: [],
  });
  const d = fake.model.mustSheet("Driftsredovisning");
  expect(d).toBe(old);
  expect(d.id).toBe(id);
  expect(d.value("A1")).toBe("Ny");
  expect(d.get(4, 2)).toBeUndefined(); // value, number format and font all cleared
  expect(d.merges).toEqual([]);
  expect(d.charts).toEqual([]);
  expect(d.rowHeights.size).toBe(0);
  expect(d.freeze).toBeNull();
  expect(d.pageLayout).toEqual({ orientation: "Portrait", zoom: { scale: 100 } });
});

test("print headers and footers, fit to one page tall, font names and hidden sheets are rendered", async () => {
  const fake = basic();
  const plan = (hidden: boolean): WritePlan => ({
    version: 1,
    sheets: [
      sheetPlan("Prognoslogg", true, {
        hidden,
        values: [{ row: 0, col: 0, values: [["Logg"]] }],
        formats: [
          { rect: { row: 0, col: 0, rows: 1, cols: 1 }, style: { fontName: "Calibri", fontSize: 11 } },
        ],
        print: {
          orientation: "landscape",
          fitToWidth: true,
          fitToHeight: true,
          header: { left: "Socialnämnden", right: "&D" },
          footer: { center: "Sida &P av &N" },
        },
      }),
    ],
    names: [],
  });
  await write(fake, plan(true));
  const s = fake.model.mustSheet("Prognoslogg");
  expect(s.visibility).toBe("Hidden");
  expect(s.get(0, 0)?.format).toMatchObject({ fontName: "Calibri", fontSize: 11 });
  expect(s.pageLayout).toEqual({
    orientation: "Landscape",
    zoom: { horizontalFitToPages: 1, verticalFitToPages: 1 },
    headersFooters: { leftHeader: "Socialnämnden", rightHeader: "&D", centerFooter: "Sida &P av &N" },
  });
  await write(fake, plan(false));
  expect(fake.model.mustSheet("Prognoslogg").visibility).toBe("Visible");
});

test("a report sheet the user hid stays hidden when the plan says nothing about its visibility", async () => {
  const fake = basic();
  const report = (hidden?: boolean): WritePlan => ({
    version: 1,
    sheets: [
      sheetPlan("Driftsredovisning", true, { hidden, values: [{ row: 0, col: 0, values: [["Drift"]] }] }),
    ],
    names: [],
  });
  await write(fake, report());
  expect(fake.model.mustSheet("Driftsredovisning").visibility).toBe("Visible");
  fake.model.mustSheet("Driftsredovisning").visibility = "Hidden"; // the ekonom hides it
  await write(fake, report());
  expect(fake.model.mustSheet("Driftsredovisning").visibility).toBe("Hidden");
  expect(fake.model.mustSheet("Driftsredovisning").value("A1")).toBe("Drift");
  await write(fake, report(false));
  expect(fake.model.mustSheet("Driftsredovisning").visibility).toBe("Visible");
});

test("requests stay within the chunk size: the size estimate is never below the library's real request", async () => {
  const fake = basic();
  const rows = 3000;
  const formats = Array.from({ length: rows }, (_, r) => ({
    rect: { row: r, col: 0, rows: 1, cols: 4 },
    style: {
      bold: r % 2 === 0,
      fill: "#FFEEDD",
      borderTop: "thin" as const,
      numberFormat: "0.0",
      wrap: true,
    },
  }));
  const merges = Array.from({ length: rows / 3 }, (_, i) => ({ row: i * 3, col: 5, rows: 2, cols: 2 }));
  // A few values only: one value slice is never split, and a 256 KB slice is larger than this chunk size.
  const values = Array.from({ length: 200 }, (_, r) => [`rad ${r}`, r, r * 2, `å ${r}`]);
  const chunkBytes = 64 * 1024;
  const port = new OfficeWorkbookPort(fake.context(), { isSetSupported: fake.isSetSupported, chunkBytes });
  await port.readMeta();
  fake.resetCounters();
  await port.write({
    version: 1,
    sheets: [sheetPlan("Tät", true, { values: [{ row: 0, col: 0, values }], formats, merges })],
    names: [],
  });
  expect(fake.requests.length).toBeGreaterThan(5);
  for (const r of fake.requests) expect(r.bytes).toBeLessThanOrEqual(chunkBytes);
  // and the chunks are full: together they need at most one request more than their bytes require
  const total = fake.requests.reduce((n, r) => n + r.bytes, 0);
  expect(fake.requests.length).toBeLessThanOrEqual(Math.ceil(total / (0.7 * chunkBytes)) + 1);
  expect(fake.model.mustSheet("Tät").get(rows - 1, 0)?.format).toMatchObject({
    fill: "#FFEEDD",
    wrapText: true,
  });
});

test("row heights far down a long sheet stay within the chunk size too", async () => {
  const fake = basic();
  const rows = 3000;
  // Every row its own height (a long backtest table with wrapped judgements), 100 000 rows down.
  const rowHeights = Array.from({ length: rows }, (_, i) => ({
    row: 100_000 + i,
    height: 15 + (i % 2) * 15,
  }));
  const formats = Array.from({ length: rows }, (_, i) => ({
    rect: { row: 100_000 + i, col: 0, rows: 1, cols: 11 },
    style: { verticalAlignment: "top" as const, wrap: i % 2 === 0 },
  }));
  // Each height and style is one operation over many areas (getRanges): small requests, so several.
  const chunkBytes = 8 * 1024;
  const port = new OfficeWorkbookPort(fake.context(), { isSetSupported: fake.isSetSupported, chunkBytes });
  await port.readMeta();
  fake.resetCounters();
  await port.write({
    version: 1,
    sheets: [
      sheetPlan("Prognossäkerhet", true, {
        values: [{ row: 0, col: 0, values: [["x"]] }],
        formats,
        rowHeights,
      }),
    ],
    names: [],
  });
  expect(fake.requests.length).toBeGreaterThan(5);
  for (const r of fake.requests) expect(r.bytes).toBeLessThanOrEqual(chunkBytes);
});

test("a long report of wrapped rows stays within the chunk size when the library's ids reach six digits", async () => {
  // Prognossäkerhet's shape: a table whose every row has its own height (a judgement wrapped over one
  // to three lines), its values in one block, formats over whole columns. The library numbers object
  // paths and actions per context, so 20 000 such rows take ids past 100 000, and every reference to
  // an id grows with its digits.
  const fake = basic();
  const rows = 20_000;
  const values = Array.from({ length: rows }, (_, i) => [
    `Verksamhetens kostnader ${i}`,
    "linjär",
    i % 3 === 0 ? null : "säsong",
    -1000 - i,
    0.01 * (i % 50),
    null,
    "Säsong träffade närmast.",
  ]);
  const rowHeights = Array.from({ length: rows }, (_, i) => ({ row: 3 + i, height: 15 + (i % 3) * 15 }));
  const plan: WritePlan = {
    version: 1,
    sheets: [
      sheetPlan("Prognossäkerhet", true, {
        values: [{ row: 3, col: 0, values }],
        formats: [
          { rect: { row: 3, col: 3, rows, cols: 1 }, style: { numberFormat: "#,##0" } },
          { rect: { row: 3, col: 0, rows, cols: 7 }, style: { verticalAlignment: "top" as const } },
        ],
        rowHeights,
      }),
    ],
    names: [],
  };
  // In Excel.run, as the add-in writes: every range also gets the _KeepReference call Excel.run adds.
  // Without ExcelApi 1.9 (no Worksheet.getRanges) each row-height run is its own range operation, so
  // the write takes several requests of many operations each.
  const before19 = (set: string, version: string) =>
    !(set === "ExcelApi" && Number(version) >= 1.9) && fake.isSetSupported(set, version);
  await fake.run(async (context) => {
    const port = new OfficeWorkbookPort(context, { isSetSupported: before19 });
    await port.readMeta();
    fake.resetCounters();
    await port.write(plan);
  });
  const writes = fake.requests.filter((r) => !r.cleanup);
  expect(writes.length).toBeGreaterThan(1);
  for (const r of writes) {
    expect(r.ok).toBe(true);
    expect(r.bytes).toBeLessThanOrEqual(4_500_000);
  }
  const s = fake.model.mustSheet("Prognossäkerhet");
  expect(s.rowHeights.get(3 + rows - 1)).toBe(15 + ((rows - 1) % 3) * 15);
  expect(s.value(`A${3 + rows}`)).toBe(`Verksamhetens kostnader ${rows - 1}`);
});

test("an existing name is redefined (deleted first), not rejected", async () => {
  const fake = basic();
  fake.model.defineName("Prognos", "Underlag", "D1:D3");
  await write(fake, {
    version: 1,
    sheets: [],
    names: [{ name: "Prognos", scope: null, ref: { sheet: "Underlag", row: 1, col: 3, rows: 2, cols: 1 } }],
  });
  expect(fake.model.names.filter((n) => n.name === "Prognos").map((n) => n.formula)).toEqual([
    "=Underlag!$D$2:$D$3",
  ]);
});

function bigPlan(rows: number): WritePlan {
  const values = Array.from({ length: rows }, (_, i) => [
    `Post nummer ${i} – kostnader för verksamheten`,
    i * 1000.5,
    -i,
    i / 3,
  ]);
  return {
    version: 1,
    sheets: [
      sheetPlan("Stor", true, {
        values: [{ row: 1, col: 0, values }],
        formats: [
          { rect: { row: 1, col: 1, rows, cols: 3 }, style: { numberFormat: "+#,##0;[Red]-#,##0;0" } },
        ],
      }),
    ],
    names: [],
  };
}

test("a large write is chunked by request size: several syncs, none near 5 MB, everything written", async () => {
  const fake = basic();
  const rows = 50_000;
  await write(fake, bigPlan(rows));
  const writes = fake.requests.slice(1);
  expect(writes.length).toBeGreaterThan(1);
  for (const r of writes) {
    expect(r.ok).toBe(true);
    expect(r.bytes).toBeLessThan(0.9 * REQUEST_LIMIT_BYTES);
  }
  const s = fake.model.mustSheet("Stor");
  expect(s.value(`A${rows + 1}`)).toBe(`Post nummer ${rows - 1} – kostnader för verksamheten`);
  expect(s.value(`B${rows + 1}`)).toBe((rows - 1) * 1000.5);
  expect(s.get(rows, 3)?.numberFormat).toBe("+#,##0;[Red]-#,##0;0");
});

test("a failed chunk is reported precisely (Swedish) and a second write repairs it", async () => {
  const fake = basic();
  const plan: WritePlan = {
    version: 1,
    sheets: [
      sheetPlan("Underlag", false, { values: [{ row: 1, col: 2, values: [[1], [2]] }] }),
      sheetPlan("Driftsredovisning", true, { values: [{ row: 0, col: 0, values: [["D"]] }] }),
      ...bigPlan(20_000).sheets,
    ],
    names: [],
  };
  // Small chunks so each part lands in its own request; fail the third write request.
  const port = new OfficeWorkbookPort(fake.context(), {
    isSetSupported: fake.isSetSupported,
    chunkBytes: 200_000,
  });
  await port.readMeta();
  fake.failSync(3);
  const err = await port.write(plan).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PartialWriteError);
  const report = (err as PartialWriteError).report;
  expect(report.written).toEqual(["utdatakolumnerna på Underlag", "bladet Driftsredovisning"]);
  expect(report.notWritten).toEqual(["bladet Stor"]);
  expect((err as Error).message).toMatch(
    /Skrivet: utdatakolumnerna på Underlag, bladet Driftsredovisning\. Inte skrivet, eller bara delvis: bladet Stor/,
  );
  expect(fake.model.mustSheet("Stor").value("A20001")).toBeNull();

  const again = await write(fake, plan);
  expect(again.notWritten).toEqual([]);
  expect(fake.model.mustSheet("Stor").value("A20001")).toBe("Post nummer 19999 – kostnader för verksamheten");
  expect(fake.model.sheets.filter((s) => s.name === "Stor")).toHaveLength(1);
});

test("a protected target sheet fails at sync and is reported, not silently skipped", async () => {
  const fake = basic();
  fake.model.mustSheet("Underlag").protected = true;
  const err = await write(fake, {
    version: 1,
    sheets: [sheetPlan("Underlag", false, { values: [{ row: 1, col: 2, values: [[1]] }] })],
    names: [],
  }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PartialWriteError);
  expect((err as Error).message).toMatch(/skyddat/);
});

test("read: values, errors, formulas, used range from A1, merged areas only where ExcelApi 1.13 allows", async () => {
  const init = (wb: import("../../fakes/excel").FakeWorkbook) => {
    const s = wb.addSheet("Data");
    s.setValues(0, 0, [["Text", 12, true, { error: "#N/A" }, null]]);
    s.cell(0, 4).formula = "=B1*2";
    s.cell(0, 4).value = 24;
    s.merges.push({ row: 0, col: 0, rows: 1, cols: 2 });
    wb.addSheet("Logg").setValues(2, 1, [["x", 1]]);
  };
  for (const excelApi of ["1.9", "1.13"]) {
    const fake = createFakeExcel(init, { excelApi });
    const port = new OfficeWorkbookPort(fake.context(), { isSetSupported: fake.isSetSupported });
    await port.readMeta();
    const before = fake.syncCount;
    const read = await port.read({
      ranges: [{ key: "k", rect: { sheet: "Data", row: 0, col: 0, rows: 1, cols: 5 }, formulas: true }],
      sheets: ["Logg", "Saknas"],
    });
    expect(read.ranges[0].values).toEqual([["Text", 12, true, { error: "#N/A" }, 24]]);
    expect(read.ranges[0].formulas).toEqual([["Text", "12", "TRUE", "#N/A", "=B1*2"]]);
    expect(read.ranges[0].merged).toBe(excelApi === "1.13" ? true : undefined);
    expect(read.sheets).toEqual([
      {
        sheet: "Logg",
        values: [
          [null, null, null],
          [null, null, null],
          [null, "x", 1],
        ],
      },
      { sheet: "Saknas", values: [] },
    ]);
    expect(fake.syncCount - before).toBe(1);
  }
});

test("readMeta: one sync with workbook names; one more only when required roles are sheet-scoped", async () => {
  const wbScoped = createFakeExcel((wb) => {
    wb.addSheet("U");
    for (const n of ["Poster", "Budget", "Utfall", "Period"]) wb.defineName(n, "U", "A1");
  });
  const p1 = new OfficeWorkbookPort(wbScoped.context(), { isSetSupported: wbScoped.isSetSupported });
  await p1.readMetaAndConfig();
  expect(wbScoped.syncCount).toBe(1);

  const sheetScoped = createFakeExcel((wb) => {
    wb.addSheet("U");
    wb.addSheet("V");
    for (const n of ["Poster", "Budget", "Utfall", "Period"]) wb.defineName(n, "U", "A1", "U");
    wb.defineName("Metod", "V", "B1", "V");
  });
  const p2 = new OfficeWorkbookPort(sheetScoped.context(), { isSetSupported: sheetScoped.isSetSupported });
  const { meta } = await p2.readMetaAndConfig();
  expect(sheetScoped.syncCount).toBe(2);
  expect(meta.names.map((n) => [n.name, n.scope])).toEqual([
    ["Poster", "U"],
    ["Budget", "U"],
    ["Utfall", "U"],
    ["Period", "U"],
    ["Metod", "V"],
  ]);
});

test("consecutive one-row merges over the same columns become one merge across; others stay as they are", () => {
  const runs = mergeRuns([
    { row: 0, col: 0, rows: 1, cols: 5 },
    { row: 5, col: 0, rows: 1, cols: 5 },
    { row: 6, col: 0, rows: 1, cols: 5 },
    { row: 7, col: 0, rows: 1, cols: 5 },
    { row: 8, col: 1, rows: 1, cols: 3 },
    { row: 9, col: 0, rows: 2, cols: 2 },
    { row: 11, col: 0, rows: 1, cols: 1 },
  ]);
  expect(runs).toEqual([
    { row: 0, col: 0, rows: 1, cols: 5, across: false },
    { row: 5, col: 0, rows: 3, cols: 5, across: true },
    { row: 8, col: 1, rows: 1, cols: 3, across: false },
    { row: 9, col: 0, rows: 2, cols: 2, across: false },
  ]);
});

test("consecutive rows of the same height become one row-height range; a gap or another height starts a new one", () => {
  const runs = heightRuns([
    { row: 4, height: 30 },
    { row: 2, height: 30 },
    { row: 3, height: 30 },
    { row: 5, height: 45 },
    { row: 7, height: 45 },
  ]);
  expect(runs).toEqual([
    { row: 2, rows: 3, height: 30 },
    { row: 5, rows: 1, height: 45 },
    { row: 7, rows: 1, height: 45 },
  ]);
});

test("read of a large range: error cells found as areas (getSpecialCells), text that looks like an error stays text", async () => {
  const fake = createFakeExcel((wb) => {
    const s = wb.addSheet("Data");
    s.setValues(
      0,
      0,
      Array.from({ length: 300 }, (_, i) => [i, `rad ${i}`]),
    );
    s.setValues(10, 0, [[{ error: "#N/A" }]]);
    s.cell(20, 1).formula = "=1/0";
    s.cell(20, 1).value = { error: "#DIV/0!" };
    s.setValues(30, 1, [["#REF!"]]); // text typed by someone, not an error
    s.setValues(40, 0, [[null]]);
  });
  const port = new OfficeWorkbookPort(fake.context(), { isSetSupported: fake.isSetSupported });
  await port.readMeta();
  const read = await port.read({
    ranges: [{ key: "k", rect: { sheet: "Data", row: 0, col: 0, rows: 300, cols: 2 }, formulas: true }],
    sheets: [],
  });
  const v = read.ranges[0].values;
  expect(v[10][0]).toEqual({ error: "#N/A" });
  expect(v[20][1]).toEqual({ error: "#DIV/0!" });
  expect(v[30][1]).toBe("#REF!");
  expect(v[40][0]).toBeNull();
  expect(v[299]).toEqual([299, "rad 299"]);
  expect(read.ranges[0].formulas?.[20][1]).toBe("=1/0");
  // Answered without a type per cell: far below values plus valueTypes.
  expect(fake.requests[fake.requests.length - 1].responseBytes).toBeLessThan(2 * 300 * 2 * 10);
});

test("the metadata sync reads ahead the roles' first rows and the report sheets: the same values, fewer syncs", async () => {
  const n = 3000;
  const init = (wb: import("../../fakes/excel").FakeWorkbook) => {
    const s = wb.addSheet("Underlag");
    s.setValues(
      1,
      0,
      Array.from({ length: n }, (_, i) => [`Post ${i}`, i % 7 === 0 ? { error: "#DIV/0!" } : i * 3]),
    );
    wb.defineName("Poster", "Underlag", `A2:A${n + 1}`);
    wb.defineName("Budget", "Underlag", `B2:B${n + 1}`);
    // The other required names, so the metadata needs no look for worksheet-scoped ones.
    wb.defineName("Utfall", "Underlag", `B2:B${n + 1}`);
    wb.defineName("Period", "Underlag", "A1");
    wb.addSheet("Prognoslogg").setValues(2, 1, [
      ["x", 1],
      [{ error: "#REF!" }, 2],
    ]);
  };
  const request = {
    ranges: [
      { key: "Poster", rect: { sheet: "Underlag", row: 1, col: 0, rows: n, cols: 1 }, formulas: false },
      { key: "Budget", rect: { sheet: "Underlag", row: 1, col: 1, rows: n, cols: 1 }, formulas: false },
    ],
    sheets: ["Prognoslogg", "Saknas"],
  };
  const readWith = async (ahead: boolean, readBytes?: number) => {
    const fake = createFakeExcel(init);
    const port = new OfficeWorkbookPort(fake.context(), { isSetSupported: fake.isSetSupported, readBytes });
    await port.readMetaAndConfig(undefined, ahead ? { sheets: ["Prognoslogg", "Saknas"] } : undefined);
    expect(fake.syncCount).toBe(1);
    const read = await port.read(request);
    return { read, syncs: fake.syncCount - 1 };
  };
  const plain = await readWith(false);
  expect(plain.read.ranges[1].values[7]).toEqual([{ error: "#DIV/0!" }]);
  expect(plain.read.sheets[0].values[3]).toEqual([null, { error: "#REF!" }, 2]);
  expect(plain.syncs).toBe(1);

  // Everything came with the metadata: read() needs no sync of its own.
  const ahead = await readWith(true);
  expect(ahead.read).toEqual(plain.read);
  expect(ahead.syncs).toBe(0);

  // A read budget that the read-ahead cannot cover: the rest in chunks, the same values.
  const small = await readWith(true, 60_000);
  expect(small.read).toEqual(plain.read);
  expect(small.syncs).toBeGreaterThan(1);
});

test("value blocks down the same column become one block when the empty cells between cost less than an operation", () => {
  const blocks = [
    { row: 0, col: 0, values: [["Titel"]] },
    {
      row: 1,
      col: 0,
      values: [
        ["", "Utfall", "Budget"],
        ["Hyra", 1, 2],
      ],
    },
    { row: 4, col: 0, values: [["Kommentarer"], ["Hyra: höjd"]] },
    // another column on rows already covered: never padded over
    { row: 2, col: 5, values: [["x"]] },
    // far below: 200 empty rows would cost more than the operation they save
    { row: 206, col: 0, values: [["Egna anteckningar"]] },
  ];
  const out = stackBlocks(blocks);
  expect(out).toEqual([
    {
      row: 0,
      col: 0,
      values: [
        ["Titel", null, null],
        ["", "Utfall", "Budget"],
        ["Hyra", 1, 2],
        [null, null, null],
        ["Kommentarer", null, null],
        ["Hyra: höjd", null, null],
      ],
    },
    blocks[3],
    blocks[4],
  ]);
  // a block with a cell in the rectangle (later in the plan) keeps the blocks apart
  const inTheWay = { row: 0, col: 2, values: [["y"]] };
  expect(stackBlocks([blocks[0], blocks[1], inTheWay])).toEqual([blocks[0], blocks[1], inTheWay]);
});

test("months after the period, empty in every row read ahead, are asked for as areas: a value typed far below is still read", async () => {
  const n = 3000;
  const rows = Array.from({ length: n }, (_, i): (string | number | null)[] => [
    `Post ${i}`,
    ...Array.from({ length: 12 }, (_, m) => (m < 4 ? 100 + i + m : null)),
  ]);
  const init = (wb: import("../../fakes/excel").FakeWorkbook) => {
    const s = wb.addSheet("Underlag");
    s.setValues(0, 0, [["Period", 43585]]);
    s.setValues(1, 0, rows);
    // Typed by the ekonom below the rows read ahead: a number, an error constant and a formula.
    s.setValues(2500, 9, [[77]]);
    s.setValues(2700, 12, [[{ error: "#N/A" }]]);
    s.cell(2900, 11).formula = "=B2901";
    // More scattered cells than the probe reads one by one: the whole block below is read instead.
    for (let k = 0; k < 250; k++) s.setValues(2400 + 2 * k, 10, [[k]]);
    wb.defineName("Period", "Underlag", "B1");
    wb.defineName("Poster", "Underlag", `A2:A${n + 1}`);
    wb.defineName("Budget", "Underlag", `A2:A${n + 1}`);
    wb.defineName("Utfall", "Underlag", `B2:M${n + 1}`);
  };
  const request = {
    ranges: [
      { key: "Poster", rect: { sheet: "Underlag", row: 1, col: 0, rows: n, cols: 1 }, formulas: false },
      { key: "Utfall", rect: { sheet: "Underlag", row: 1, col: 1, rows: n, cols: 12 }, formulas: false },
    ],
    sheets: [],
  };
  // A read budget whose read-ahead covers a few hundred rows.
  const fake = createFakeExcel(init);
  const port = new OfficeWorkbookPort(fake.context(), {
    isSetSupported: fake.isSetSupported,
    readBytes: 400_000,
  });
  await port.readMetaAndConfig(undefined, { sheets: [] });
  const before = fake.requests.length;
  const read = await port.read(request);
  const utfall = read.ranges[1].values;
  expect(utfall[2499][8]).toBe(77);
  expect(utfall[2699][11]).toEqual({ error: "#N/A" });
  expect(utfall[2899][10]).toBe(2999); // the formula's value (B2901)
  expect([utfall[2399][9], utfall[2897][9], utfall[2898][9]]).toEqual([0, 249, null]);
  expect(utfall[2999]).toEqual([3099, 3100, 3101, 3102, ...new Array(8).fill(null)]);
  expect(utfall.length).toBe(n);
  expect(read.ranges[0].values[2999]).toEqual(["Post 2999"]);
  // The same values as a read of every cell.
  const plain = createFakeExcel(init);
  const plainPort = new OfficeWorkbookPort(plain.context(), { isSetSupported: plain.isSetSupported });
  await plainPort.readMeta();
  expect(read).toEqual(await plainPort.read(request));
  // Less than every row with its eight empty months ("", 3 bytes each), by 1 500 of the rows between the
  // read-ahead and the cells typed.
  const answered = fake.requests.slice(before).reduce((sum, r) => sum + r.responseBytes, 0);
  const allMonths = rows.map((r) => JSON.stringify(r.map((v) => v ?? ""))).join(",").length;
  expect(answered).toBeLessThan(allMonths - 8 * 3 * 1500);
});

test("ranges side by side on the same rows are read as one range: no brackets per range and row", async () => {
  const n = 4000;
  const init = (wb: import("../../fakes/excel").FakeWorkbook) => {
    const s = wb.addSheet("U");
    s.setValues(
      0,
      0,
      Array.from({ length: n }, (_, i) => [i, i + 1, i + 2]),
    );
    for (const [name, col] of [
      ["Poster", "A"],
      ["Budget", "B"],
      ["Utfall", "C"],
    ])
      wb.defineName(name, "U", `${col}1:${col}${n}`);
    wb.defineName("Period", "U", "A1");
  };
  const request = {
    ranges: ["Poster", "Budget", "Utfall"].map((key, col) => ({
      key,
      rect: { sheet: "U", row: 0, col, rows: n, cols: 1 },
      formulas: false,
    })),
    sheets: [],
  };
  const fake = createFakeExcel(init);
  const port = new OfficeWorkbookPort(fake.context(), { isSetSupported: fake.isSetSupported });
  await port.readMeta();
  const read = await port.read(request);
  expect(read.ranges.map((r) => r.values[n - 1])).toEqual([[n - 1], [n], [n + 1]]);
  expect(read.ranges[1].values.length).toBe(n);
  // One answer of [a,b,c] rows: the values and 3 bytes of brackets per row, not 9.
  const values = Array.from({ length: n }, (_, i) => `${i},${i + 1},${i + 2}`).join("").length;
  expect(fake.requests[fake.requests.length - 1].responseBytes).toBeLessThan(values + 4 * n + 1000);
});

test("a first sync refused for another reason than size is sent again without the read-ahead", async () => {
  const fake = createFakeExcel((wb) => {
    const s = wb.addSheet("U");
    s.setValues(0, 0, [
      ["Period", 43585],
      ["Post", 1],
    ]);
    wb.defineName("Period", "U", "B1");
    wb.defineName("Poster", "U", "A2");
  });
  const port = new OfficeWorkbookPort(fake.context(), { isSetSupported: fake.isSetSupported });
  fake.failSync(1);
  const meta = await port.readMetaAndConfig(undefined, { sheets: [] });
  expect(meta.meta.names.map((n) => n.name).sort()).toEqual(["Period", "Poster"]);
  const [failed, retried] = fake.requests;
  expect(failed.ok).toBe(false);
  expect(retried.ok).toBe(true);
  // No read-ahead in the retry: a smaller request than the refused one.
  expect(retried.bytes).toBeLessThan(failed.bytes);
});

test("a read-ahead answered over 5 MB is sent again with a quarter of its rows, not dropped", async () => {
  const n = 20_000;
  // Labels of 700 characters: far above the 8 bytes per cell the read-ahead's size is guessed by.
  const init = (wb: import("../../fakes/excel").FakeWorkbook) => {
    const s = wb.addSheet("U");
    s.setValues(0, 0, [["Period", 43585]]);
    s.setValues(
      1,
      0,
      Array.from({ length: n }, (_, i) => [`Post ${i} ${"x".repeat(700)}`, i]),
    );
    wb.defineName("Period", "U", "B1");
    wb.defineName("Poster", "U", `A2:A${n + 1}`);
    wb.defineName("Budget", "U", `B2:B${n + 1}`);
    wb.defineName("Utfall", "U", `B2:B${n + 1}`);
  };
  const request = {
    ranges: [
      { key: "Poster", rect: { sheet: "U", row: 1, col: 0, rows: n, cols: 1 }, formulas: false },
      { key: "Budget", rect: { sheet: "U", row: 1, col: 1, rows: n, cols: 1 }, formulas: false },
    ],
    sheets: [],
  };
  const fake = createFakeExcel(init);
  const port = new OfficeWorkbookPort(fake.context(), { isSetSupported: fake.isSetSupported });
  await port.readMetaAndConfig(undefined, { sheets: [] });
  const [failed, retried] = fake.requests;
  expect(failed.error).toBe("ResponsePayloadSizeLimitExceeded");
  expect(retried.ok).toBe(true);
  // The retry still carried a read-ahead of more than a thousand labels.
  expect(retried.responseBytes).toBeGreaterThan(1000 * 700);
  expect(retried.responseBytes).toBeLessThan(PAYLOAD_LIMIT_BYTES);
  const read = await port.read(request);
  const plain = createFakeExcel(init);
  const plainPort = new OfficeWorkbookPort(plain.context(), { isSetSupported: plain.isSetSupported });
  await plainPort.readMeta();
  expect(read).toEqual(await plainPort.read(request));
}, 60_000);

test("measureRows gives the bytes JSON.stringify gives and a margin from the densest block of rows", () => {
  const even = Array.from({ length: 80 }, (_, i) => [`Post ${i % 10}`, 1000 + (i % 10)]);
  expect(measureRows(even).bytes).toBe(JSON.stringify(even).length);
  expect(measureRows(even).margin).toBeCloseTo(0.02); // every block alike: the least margin
  // The last tenth of the rows carries long comments: the margin is that block over the mean.
  const dense = even.map((r, i) => (i >= 70 ? [...r, "x".repeat(200)] : r));
  const { bytes, margin } = measureRows(dense);
  expect(bytes).toBe(JSON.stringify(dense).length);
  const perRow = (rows: unknown[][]) => (JSON.stringify(rows).length - 2) / rows.length;
  expect(margin).toBeCloseTo(perRow(dense.slice(70)) / perRow(dense) - 1, 1);
  expect(measureRows([])).toEqual({ bytes: 2, margin: 0.02 });
});

test("the rows left after the read-ahead come in evenly filled chunks, none over the budget", async () => {
  const n = 6000;
  const init = (wb: import("../../fakes/excel").FakeWorkbook) => {
    const s = wb.addSheet("Underlag");
    s.setValues(0, 0, [["Period", 43585]]);
    s.setValues(
      1,
      0,
      Array.from({ length: n }, (_, i) => [`Verksamhetens kostnader ${i}`, 1000 + i]),
    );
    wb.defineName("Period", "Underlag", "B1");
    wb.defineName("Poster", "Underlag", `A2:A${n + 1}`);
    wb.defineName("Budget", "Underlag", `B2:B${n + 1}`);
  };
  const request = {
    ranges: [
      { key: "Poster", rect: { sheet: "Underlag", row: 1, col: 0, rows: n, cols: 1 }, formulas: false },
      { key: "Budget", rect: { sheet: "Underlag", row: 1, col: 1, rows: n, cols: 1 }, formulas: false },
    ],
    sheets: [],
  };
  const readBytes = 60_000;
  const fake = createFakeExcel(init);
  const port = new OfficeWorkbookPort(fake.context(), { isSetSupported: fake.isSetSupported, readBytes });
  await port.readMetaAndConfig(undefined, { sheets: [] });
  const before = fake.requests.length;
  const read = await port.read(request);
  const plain = createFakeExcel(init);
  const plainPort = new OfficeWorkbookPort(plain.context(), { isSetSupported: plain.isSetSupported });
  await plainPort.readMeta();
  expect(read).toEqual(await plainPort.read(request));
  const answers = fake.requests.slice(before).map((r) => r.responseBytes);
  expect(answers.length).toBeGreaterThan(2);
  // Filled evenly (no full chunks and a small rest), and each under the budget's 97 % of the limit.
  expect(Math.min(...answers) / Math.max(...answers)).toBeGreaterThan(0.9);
  expect(Math.max(...answers)).toBeLessThan((readBytes / 0.9) * 0.97);
  // As few chunks as that allows.
  const total = answers.reduce((a, b) => a + b, 0);
  expect(answers.length).toBe(Math.ceil((total * 1.02) / ((readBytes / 0.9) * 0.97)));
});

test("a sync of many small pieces keeps room for what each range answers besides its cells", async () => {
  const rows = 17_600;
  const text = "Kommentar som ekonomen skrev i rapporten om varför utfallet avviker från budgeten i år";
  const init = (wb: import("../../fakes/excel").FakeWorkbook) => {
    const s = wb.addSheet("Prognoslogg");
    for (let r = 0; r < rows; r++)
      s.setValues(r, 0, [Array.from({ length: 8 }, (_, c) => `${text} ${r} ${c}`)]);
  };
  // Two of every three rows below the sample are needed: one piece per two rows, thousands in a sync.
  const needed = Array.from({ length: Math.floor((rows - 600) / 3) }, (_, k) => ({
    row: 600 + 3 * k,
    col: 0,
    rows: 2,
    cols: 8,
  }));
  const fake = createFakeExcel(init);
  const port = new OfficeWorkbookPort(fake.context(), { isSetSupported: fake.isSetSupported });
  await port.readMeta();
  const before = fake.requests.length;
  const read = await port.read({
    ranges: [],
    sheets: ["Prognoslogg"],
    needed: [{ sheet: "Prognoslogg", rects: needed }],
  });
  const syncs = fake.requests.slice(before);
  expect(syncs.every((r) => r.ok)).toBe(true);
  expect(Math.max(...syncs.map((r) => r.responseBytes))).toBeLessThan(PAYLOAD_LIMIT_BYTES);
  expect(read.sheets[0].values[17596][7]).toBe(`${text} 17596 7`);
  expect(read.sheets[0].values[17597][7]).toBeNull(); // not needed, not read
});
