/**
 * The .xlsx host on its own (hand-made read requests and write plans): file recognition, reading values
 * and names, rendering every plan feature, and keeping the user's parts.
 */
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { openWorkbook, XlsxFileError } from "../../src/hosts/xlsx";
import type { SheetPlan, WritePlan } from "../../src/workbook/types";
import { buildFidelityFixture, inventory } from "../fixtures/fidelity";

async function expectFileError(bytes: Uint8Array, code: string, fragment: RegExp) {
  const err = await openWorkbook(bytes, "X.xlsx").then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(XlsxFileError);
  expect((err as XlsxFileError).code).toBe(code);
  expect((err as XlsxFileError).message).toMatch(/^Filen X\.xlsx kan inte läsas: /);
  expect((err as XlsxFileError).message).toMatch(fragment);
}

function cfb(extra: string): Buffer {
  const head = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  return Buffer.concat([head, Buffer.alloc(504), Buffer.from(extra, "utf16le"), Buffer.alloc(512)]);
}

describe("openWorkbook recognises unusable files", () => {
  it("zero bytes", () => expectFileError(new Uint8Array(0), "EMPTY", /tom/));
  it("not a zip", () =>
    expectFileError(Buffer.from([1, 2, 3, 0, 255, 7, 8, 9]), "NOT_ZIP", /ingen Excel-arbetsbok/));
  it("CSV renamed to .xlsx", () =>
    expectFileError(Buffer.from("Post;Budget;Utfall\nIntäkter;100;50\n"), "TEXT_FILE", /CSV/));
  it("corrupt zip", async () => {
    const good = await buildFidelityFixture({ chart: false });
    await expectFileError(good.subarray(0, 200), "CORRUPT", /skadad/);
  });
  it("password-protected (encrypted) workbook", () =>
    expectFileError(cfb("EncryptionInfo"), "ENCRYPTED", /lösenordsskyddad/));
  it("old .xls", () => expectFileError(cfb("Workbook"), "LEGACY_XLS", /\.xls/));
  it("a zip that is not a workbook", async () => {
    const zip = new JSZip();
    zip.file("hello.txt", "hej");
    await expectFileError(await zip.generateAsync({ type: "nodebuffer" }), "NOT_XLSX", /xl\/workbook\.xml/);
  });
  it("a chart sheet is kept as it is, not refused", async () => {
    const zip = await JSZip.loadAsync(await buildFidelityFixture({ chart: false }));
    const rels = await zip.file("xl/_rels/workbook.xml.rels")!.async("string");
    zip.file(
      "xl/_rels/workbook.xml.rels",
      rels.replace(
        /relationships\/worksheet" Target="worksheets\/sheet3\.xml"/,
        'relationships/chartsheet" Target="chartsheets/sheet1.xml"',
      ),
    );
    const chartsheet = `<chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"/></sheetViews></chartsheet>`;
    zip.file("xl/chartsheets/sheet1.xml", chartsheet);
    const host = await openWorkbook(await zip.generateAsync({ type: "nodebuffer" }), "X.xlsx");
    expect((await host.readMeta()).sheets.map((s) => s.name)).toContain("Diagram");
    const read = await host.read({ ranges: [], sheets: ["Diagram"] });
    expect(read.sheets[0].values).toEqual([]);
    const out = await JSZip.loadAsync(await host.output());
    expect(await out.file("xl/chartsheets/sheet1.xml")!.async("string")).toBe(chartsheet);
  });
});

describe("reading", () => {
  it("lists sheets with protection and names with scope and formula", async () => {
    const wb = new ExcelJS.Workbook();
    const a = wb.addWorksheet("Underlag");
    a.getCell("A1").value = 1;
    const b = wb.addWorksheet("Låst");
    await b.protect("hemligt", {});
    wb.definedNames.add("Underlag!$A$1:$A$3", "Poster");
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    // Add a sheet-scoped name by hand (ExcelJS writes workbook-scoped names only).
    const zip = await JSZip.loadAsync(bytes);
    const xml = await zip.file("xl/workbook.xml")!.async("string");
    zip.file(
      "xl/workbook.xml",
      xml.replace(
        "</definedNames>",
        `<definedName name="Enhet" localSheetId="1">'Låst'!$B$2</definedName></definedNames>`,
      ),
    );
    const host = await openWorkbook(await zip.generateAsync({ type: "nodebuffer" }));
    const meta = await host.readMeta();
    expect(meta.sheets).toEqual([
      { name: "Underlag", protected: false },
      { name: "Låst", protected: true },
    ]);
    expect(meta.names).toEqual(
      expect.arrayContaining([
        { name: "Poster", scope: null, formula: "=Underlag!$A$1:$A$3" },
        { name: "Enhet", scope: "Låst", formula: "='Låst'!$B$2" },
      ]),
    );
  });

  it("reads numbers, text, booleans, errors, dates as serials, formulas and merges", async () => {
    const wb = new ExcelJS.Workbook();
    const s = wb.addWorksheet("Blad");
    s.getCell("A1").value = 12.5;
    s.getCell("B1").value = "text";
    s.getCell("C1").value = true;
    s.getCell("D1").value = { error: "#N/A" } as ExcelJS.CellErrorValue;
    s.getCell("E1").value = new Date(Date.UTC(2019, 3, 30));
    s.getCell("A2").value = { formula: "A1*2", result: 25 };
    s.mergeCells("B3:C3");
    const host = await openWorkbook(Buffer.from(await wb.xlsx.writeBuffer()));
    const read = await host.read({
      ranges: [
        { key: "row1", rect: { sheet: "Blad", row: 0, col: 0, rows: 1, cols: 6 }, formulas: false },
        { key: "col", rect: { sheet: "blad", row: 0, col: 0, rows: 3, cols: 1 }, formulas: true },
        { key: "merge", rect: { sheet: "Blad", row: 2, col: 2, rows: 1, cols: 1 }, formulas: false },
      ],
      sheets: ["Blad", "Prognoslogg"],
    });
    // Only cells present are returned (the workbook layer pads to the rectangle): F1 is empty.
    expect(read.ranges[0].values).toEqual([[12.5, "text", true, { error: "#N/A" }, 43585]]);
    expect(read.ranges[0].merged).toBe(false);
    expect(read.ranges[1].values).toEqual([[12.5], [25]]);
    expect(read.ranges[1].formulas).toEqual([["12.5"], ["=A1*2"]]);
    expect(read.ranges[2].merged).toBe(true);
    expect(read.sheets[0].values[0]).toEqual([12.5, "text", true, { error: "#N/A" }, 43585]);
    expect(read.sheets[1]).toEqual({ sheet: "Prognoslogg", values: [] });
  });

  it("reads worksheets whose parts are not named sheetN.xml in order", async () => {
    const zip = await JSZip.loadAsync(await buildFidelityFixture({ chart: false }));
    // Swap the part names of the first two sheets (as other tools may write them).
    const s1 = await zip.file("xl/worksheets/sheet1.xml")!.async("string");
    const s2 = await zip.file("xl/worksheets/sheet2.xml")!.async("string");
    zip.file("xl/worksheets/sheet1.xml", s2);
    zip.file("xl/worksheets/sheet2.xml", s1);
    const r1 = zip.file("xl/worksheets/_rels/sheet1.xml.rels");
    if (r1) {
      zip.file("xl/worksheets/_rels/sheet2.xml.rels", await r1.async("string"));
      zip.remove("xl/worksheets/_rels/sheet1.xml.rels");
    }
    const rels = await zip.file("xl/_rels/workbook.xml.rels")!.async("string");
    zip.file(
      "xl/_rels/workbook.xml.rels",
      rels
        .replace("worksheets/sheet1.xml", "@@")
        .replace("worksheets/sheet2.xml", "worksheets/sheet1.xml")
        .replace("@@", "worksheets/sheet2.xml"),
    );
    const host = await openWorkbook(await zip.generateAsync({ type: "nodebuffer" }));
    const read = await host.read({
      ranges: [{ key: "a", rect: { sheet: "Underlag", row: 3, col: 0, rows: 1, cols: 1 }, formulas: false }],
      sheets: [],
    });
    expect(read.ranges[0].values).toEqual([["Verksamhetens intäkter"]]);
    const out = await host.output();
    expect(await inventory(out)).toMatchObject({ comment: true, dataValidation: true, formula: true });
  });
});

function reportSheet(name: string): SheetPlan {
  return {
    name,
    owned: true,
    values: [
      { row: 0, col: 0, values: [["Driftsredovisning, nettoresultat (tkr)", null]] },
      {
        row: 2,
        col: 0,
        values: [
          ["=SUM(A1)", 2332],
          ["+1", -17223.4],
          ["@x", true],
        ],
      },
    ],
    formats: [
      { rect: { row: 0, col: 0, rows: 1, cols: 2 }, style: { bold: true, fontSize: 14, fill: "#DDEBF7" } },
      {
        rect: { row: 2, col: 1, rows: 3, cols: 1 },
        style: {
          numberFormat: "+# ##0;-# ##0;0",
          fontColor: "#C00000",
          italic: true,
          borderTop: "thin",
          borderBottom: "medium",
        },
      },
      {
        rect: { row: 3, col: 0, rows: 1, cols: 1 },
        style: { indent: 2, wrap: true, horizontalAlignment: "left", verticalAlignment: "top" },
      },
    ],
    merges: [{ row: 0, col: 0, rows: 1, cols: 2 }],
    columnWidths: [{ col: 0, width: 42 }],
    rowHeights: [{ row: 1, height: 30 }],
    freeze: { rows: 2, cols: 1 },
    print: { orientation: "landscape", fitToWidth: true, repeatRows: { first: 0, last: 1 } },
    charts: [],
  };
}

function plan(): WritePlan {
  return {
    version: 1,
    sheets: [
      {
        name: "Underlag",
        owned: false,
        values: [{ row: 3, col: 4, values: [[1], [2], [3], [4]] }],
        formats: [{ rect: { row: 3, col: 4, rows: 4, cols: 1 }, style: { numberFormat: "+# ##0;-# ##0;0" } }],
        merges: [],
        columnWidths: [],
        charts: [],
      },
      reportSheet("Driftsredovisning"),
    ],
    names: [
      { name: "Avvikelse", scope: null, ref: { sheet: "Underlag", row: 3, col: 4, rows: 4, cols: 1 } },
      {
        name: "Lokal",
        scope: "Driftsredovisning",
        ref: { sheet: "Driftsredovisning", row: 0, col: 0, rows: 1, cols: 1 },
      },
    ],
  };
}

describe("writing a plan", () => {
  let output: Buffer;
  beforeAll(async () => {
    const host = await openWorkbook(await buildFidelityFixture());
    const report = await host.write(plan());
    expect(report.written).toEqual(
      expect.arrayContaining(["bladet Driftsredovisning", "utdatakolumnerna på Underlag"]),
    );
    output = await host.output();
  });

  it("keeps the user's parts", async () => {
    expect(await inventory(output)).toEqual({
      chart: true,
      comment: true,
      dataValidation: true,
      formula: true,
      styles: true,
      extraSheet: true,
      definedNames: true,
    });
  });

  it("renders values (strings as text), styles, merges, widths, panes, print setup and names", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(output as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      "Underlag",
      "Egna beräkningar",
      "Diagram",
      "Driftsredovisning",
    ]);
    const d = wb.getWorksheet("Driftsredovisning")!;
    expect(d.getCell("A3").value).toBe("=SUM(A1)");
    expect(d.getCell("A3").type).toBe(ExcelJS.ValueType.String);
    expect(d.getCell("A4").value).toBe("+1");
    expect(d.getCell("A5").value).toBe("@x");
    expect(d.getCell("B4").value).toBe(-17223.4);
    expect(d.getCell("B5").value).toBe(true);
    expect(d.getCell("A1").font.bold).toBe(true);
    expect(d.getCell("A1").font.size).toBe(14);
    expect((d.getCell("A1").fill as ExcelJS.FillPattern).fgColor?.argb).toMatch(/DDEBF7$/);
    expect(d.getCell("B3").numFmt).toBe("+# ##0;-# ##0;0");
    expect(d.getCell("B3").font.color?.argb).toMatch(/C00000$/);
    expect(d.getCell("B3").font.italic).toBe(true);
    expect(d.getCell("B3").border.top?.style).toBe("thin");
    expect(d.getCell("B3").border.bottom?.style).toBe("medium");
    expect(d.getCell("A4").alignment).toMatchObject({
      indent: 2,
      wrapText: true,
      horizontal: "left",
      vertical: "top",
    });
    expect(d.getCell("B1").isMerged).toBe(true);
    expect(d.getColumn(1).width).toBe(42);
    expect(d.getRow(2).height).toBe(30);
    expect(d.views[0]).toMatchObject({ state: "frozen", xSplit: 1, ySplit: 2 });
    expect(d.pageSetup).toMatchObject({
      orientation: "landscape",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    });
    const u = wb.getWorksheet("Underlag")!;
    expect([5, 6, 7, 8].map((r) => u.getCell(r - 1, 5).value)).toEqual([1, 2, 3, 4]);
    expect(u.getCell("A4").note).toBeDefined();

    const host = await openWorkbook(output);
    const names = (await host.readMeta()).names;
    expect(names).toEqual(
      expect.arrayContaining([
        { name: "Avvikelse", scope: null, formula: "='Underlag'!$E$4:$E$7" },
        { name: "Lokal", scope: "Driftsredovisning", formula: "='Driftsredovisning'!$A$1" },
        { name: "_xlnm.Print_Titles", scope: "Driftsredovisning", formula: "='Driftsredovisning'!$1:$2" },
        { name: "MinEgen", scope: null, formula: "='Egna beräkningar'!$B$1" },
      ]),
    );
  });

  it("replaces an owned sheet on the next write and leaves a consistent package", async () => {
    const host = await openWorkbook(output);
    const second = plan();
    second.sheets[1].values = [{ row: 0, col: 0, values: [["Ny titel"]] }];
    second.sheets[1].merges = [];
    await host.write(second);
    const again = await host.output();
    const meta = await (await openWorkbook(again)).readMeta();
    expect(meta.sheets.map((s) => s.name)).toEqual([
      "Underlag",
      "Egna beräkningar",
      "Diagram",
      "Driftsredovisning",
    ]);
    expect(meta.names.filter((n) => n.name === "Lokal")).toHaveLength(1);
    const zip = await JSZip.loadAsync(again);
    const ct = await zip.file("[Content_Types].xml")!.async("string");
    const rels = await zip.file("xl/_rels/workbook.xml.rels")!.async("string");
    const parts = Object.keys(zip.files)
      .filter((p) => /^xl\/worksheets\/sheet\d+\.xml$/.test(p))
      .sort();
    expect(parts).toEqual([
      "xl/worksheets/sheet1.xml",
      "xl/worksheets/sheet2.xml",
      "xl/worksheets/sheet3.xml",
      "xl/worksheets/sheet4.xml",
    ]);
    for (const p of parts) {
      expect(ct).toContain(`PartName="/${p}"`);
      expect(rels).toContain(`Target="${p.slice(3)}"`);
    }
    expect(rels.match(/relationships\/worksheet"/g)).toHaveLength(4);
    expect(rels).not.toContain("calcChain");
    const check = new ExcelJS.Workbook();
    await check.xlsx.load(again as unknown as ExcelJS.Buffer);
    expect(check.getWorksheet("Driftsredovisning")!.getCell("A1").value).toBe("Ny titel");
    expect(check.getWorksheet("Driftsredovisning")!.getCell("A3").value).toBeNull();
    expect(await inventory(again)).toMatchObject({ chart: true, comment: true, dataValidation: true });
  });
});
