/**
 * The .xlsx host draws the plan's charts as native Excel charts (DrawingML chart + drawing parts): the
 * Prognoslogg line chart points at the log's forecast-deviation column with a cache of the current values,
 * is linked from the sheet, keeps the user's own chart apart, and is replaced (not added to) on refresh.
 */
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { execFileSync } from "child_process";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { ensureDebianPackages } from "../../scripts/debian";
import { sampleWorkbook } from "../../scripts/build-sample";
import { openWorkbook } from "../../src/hosts/xlsx";
import { parseConfig } from "../../src/workbook/config";
import { refresh, type RefreshOutcome } from "../../src/workbook/pipeline";
import { REPORT_SHEETS } from "../../src/workbook/reports";
import { buildFidelityFixture, CHART_PART, DRAWING_PART } from "../fixtures/fidelity";

const LOG = REPORT_SHEETS.log;
const CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";
const DRAWING_CT = "application/vnd.openxmlformats-officedocument.drawing+xml";

async function run(bytes: Uint8Array): Promise<{ out: Buffer; outcome: RefreshOutcome }> {
  const host = await openWorkbook(bytes, "test.xlsx");
  const outcome = await refresh(host, parseConfig(host.configXml));
  expect(outcome.ok).toBe(true);
  return { out: await host.output(), outcome };
}

const text = async (zip: JSZip, path: string) => (await zip.file(path)?.async("string")) ?? null;

function resolve(from: string, target: string): string {
  const out = from.split("/").slice(0, -1);
  for (const p of target.split("/"))
    if (p === "..") out.pop();
    else if (p !== ".") out.push(p);
  return out.join("/");
}

async function relTargets(zip: JSZip, part: string, type: string): Promise<string[]> {
  const rels = (await text(zip, part.replace(/([^/]+)$/, "_rels/$1.rels"))) ?? "";
  return (rels.match(/<Relationship\b[^>]*>/g) ?? [])
    .filter((t) => t.includes(`/relationships/${type}"`))
    .map((t) => resolve(part, /Target="([^"]*)"/.exec(t)![1]));
}

/** The sheet's part, its <drawing r:id>, and the charts reached through its drawing. */
async function sheetCharts(zip: JSZip, sheet: string) {
  const wbXml = (await text(zip, "xl/workbook.xml"))!;
  const rid = new RegExp(`<sheet [^>]*name="${sheet}"[^>]*r:id="([^"]+)"`).exec(wbXml)![1];
  const wbRels = (await text(zip, "xl/_rels/workbook.xml.rels"))!;
  const target =
    new RegExp(`<Relationship [^>]*Id="${rid}"[^>]*Target="([^"]+)"`).exec(wbRels)?.[1] ??
    new RegExp(`<Relationship [^>]*Target="([^"]+)"[^>]*Id="${rid}"`).exec(wbRels)![1];
  const sheetPart = resolve("xl/workbook.xml", target);
  const sheetXml = (await text(zip, sheetPart))!;
  const drawings = await relTargets(zip, sheetPart, "drawing");
  const charts = (await Promise.all(drawings.map((d) => relTargets(zip, d, "chart")))).flat();
  return { sheetPart, sheetXml, drawings, charts };
}

const parts = (zip: JSZip, re: RegExp) =>
  Object.keys(zip.files)
    .filter((p) => re.test(p))
    .sort();

describe("the Prognoslogg chart in the refreshed sample", () => {
  let zip: JSZip;
  let outcome: RefreshOutcome;
  let out: Buffer;

  beforeAll(async () => {
    // Two earlier periods in the log, so the chart has a line over three periods.
    const host = await openWorkbook(await sampleWorkbook(), "sample.xlsx");
    await host.write({
      version: 1,
      sheets: [
        {
          name: LOG,
          owned: true,
          values: [
            {
              row: 1,
              col: 0,
              values: [
                ["2019-02", 100, -900, 50],
                ["2019-03", 200, -1400, 80],
              ],
            },
          ],
          formats: [],
          merges: [],
          columnWidths: [],
          charts: [],
        },
      ],
      names: [],
    });
    ({ out, outcome } = await run(await host.output()));
    zip = await JSZip.loadAsync(out);
  });

  it("is a line chart whose values point at the forecast-deviation column, cached with the current value", async () => {
    const { charts, drawings, sheetXml } = await sheetCharts(zip, LOG);
    expect(drawings).toHaveLength(1);
    expect(charts).toHaveLength(1);
    expect(charts[0]).toMatch(/^xl\/charts\/chart\d+\.xml$/);
    const xml = (await text(zip, charts[0]))!;
    expect(xml).toContain("<c:lineChart>");
    // The log has one row per period under the header (A = period, C = forecast deviation), then a blank
    // row, the line explaining the yellow cells and the note area: its heading and the yellow cell.
    const rows = (sheetXml.match(/<row /g) ?? []).length - 5;
    expect(rows).toBe(3);
    const val = /<c:val><c:numRef><c:f>([^<]+)<\/c:f>([\s\S]*?)<\/c:numRef><\/c:val>/.exec(xml)!;
    expect(val[1]).toBe(`'${LOG}'!$C$2:$C$${rows + 1}`);
    expect(/<c:cat><c:strRef><c:f>([^<]+)<\/c:f>/.exec(xml)![1]).toBe(`'${LOG}'!$A$2:$A$${rows + 1}`);
    if (!outcome.ok) throw new Error("refresh failed");
    const { year, month } = outcome.result.period;
    const period = `${year}-${String(month).padStart(2, "0")}`;
    const cats = [...xml.matchAll(/<c:strCache>[\s\S]*?<\/c:strCache>/g)][0][0];
    const idx = /<c:pt idx="(\d+)"><c:v>([^<]*)<\/c:v>/g;
    const catPts = new Map([...cats.matchAll(idx)].map((m) => [m[2], Number(m[1])]));
    expect(catPts.has(period)).toBe(true);
    const valPts = new Map([...val[2].matchAll(idx)].map((m) => [Number(m[1]), Number(m[2])]));
    expect(valPts.get(catPts.get(period)!)).toBe(outcome.result.result.forecastDeviation);
    expect([...catPts.keys()]).toEqual(["2019-02", "2019-03", period]);
    expect(valPts.get(catPts.get("2019-03")!)).toBe(-1400);
    expect(xml).toMatch(/<c:catAx>[\s\S]*<c:valAx>/);
    // Amounts as on the sheet ("-30 000", not "-30000"); periods turned 45° so "2019-03" stays on one line.
    expect(xml).toMatch(/<c:valAx>.*<c:numFmt formatCode="#,##0;-#,##0;0" sourceLinked="0"\/>/);
    expect(xml).toMatch(/<c:catAx>.*<a:bodyPr rot="-2700000" vert="horz"\/>.*<\/c:catAx>/);
    expect(xml).toContain(`<a:t>Prognos budgetavvikelse helår (${outcome.result.unit})</a:t>`);
  });

  it("is linked from the Prognoslogg sheet through a drawing, with content types", async () => {
    const { sheetXml, drawings, charts } = await sheetCharts(zip, LOG);
    expect(sheetXml).toMatch(/<drawing r:id="rId\d+"\/>/);
    // <drawing> comes after the page setup and before any later element, as the schema orders them.
    expect(sheetXml.indexOf("<drawing ")).toBeGreaterThan(sheetXml.indexOf("</sheetData>"));
    const drawing = (await text(zip, drawings[0]))!;
    expect(drawing).toMatch(/<xdr:twoCellAnchor[^>]*><xdr:from><xdr:col>5<\/xdr:col>/);
    expect(drawing).toMatch(/<c:chart [^>]*r:id="rId1"\/>/);
    const ct = (await text(zip, "[Content_Types].xml"))!;
    expect(ct).toContain(`PartName="/${charts[0]}" ContentType="${CHART_CT}"`);
    expect(ct).toContain(`PartName="/${drawings[0]}" ContentType="${DRAWING_CT}"`);
    expect(outcome.ok && outcome.written?.notWritten).toEqual([]);
  });

  it("opens in ExcelJS and in openpyxl (which reads the log sheet's rows)", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(out as unknown as ExcelJS.Buffer);
    expect(wb.getWorksheet(LOG)).toBeDefined();
    ensureDebianPackages(["python3-openpyxl"]);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "uppfoljaren-chart-"));
    try {
      const file = path.join(dir, "out.xlsx");
      await fs.writeFile(file, out);
      const script = `import openpyxl,sys\nws=openpyxl.load_workbook(sys.argv[1])[sys.argv[2]]\nprint(ws.max_row)`;
      const printed = execFileSync("/usr/bin/python3", ["-c", script, file, LOG], {
        encoding: "utf8",
      }).trim();
      // openpyxl does not load charts from files (it keeps none); it reads the sheet and its rows.
      expect(Number(printed)).toBeGreaterThan(1);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe("a user's workbook with its own chart", () => {
  it("keeps the user's chart untouched and numbers the new parts after it", async () => {
    const input = await buildFidelityFixture();
    const before = await JSZip.loadAsync(input);
    const { out } = await run(input);
    const zip = await JSZip.loadAsync(out);
    for (const p of [CHART_PART, DRAWING_PART, "xl/drawings/_rels/drawing1.xml.rels"])
      expect([p, await text(zip, p)]).toEqual([p, await text(before, p)]);
    const user = await sheetCharts(zip, "Diagram");
    expect(user.charts).toEqual([CHART_PART]);
    const log = await sheetCharts(zip, LOG);
    expect(log.charts).toHaveLength(1);
    expect(log.charts[0]).not.toBe(CHART_PART);
    expect(log.drawings[0]).not.toBe(DRAWING_PART);
  });

  it("refreshing twice leaves one Prognoslogg chart and no orphan parts", async () => {
    const first = await run(await buildFidelityFixture());
    const second = await run(first.out);
    const a = await JSZip.loadAsync(first.out);
    const b = await JSZip.loadAsync(second.out);
    const drawingParts = /^xl\/(charts|drawings)\//;
    expect(parts(b, drawingParts)).toEqual(parts(a, drawingParts));
    expect(Object.keys(b.files).filter((p) => !b.files[p].dir).length).toBe(
      Object.keys(a.files).filter((p) => !a.files[p].dir).length,
    );
    expect((await sheetCharts(b, LOG)).charts).toHaveLength(1);
    // Every chart and drawing part is reachable from a sheet, and has a content type.
    const reachable = new Set<string>();
    for (const sheet of ["Underlag", "Egna beräkningar", "Diagram", LOG]) {
      const s = await sheetCharts(b, sheet);
      for (const p of [...s.drawings, ...s.charts]) reachable.add(p);
    }
    const ct = (await text(b, "[Content_Types].xml"))!;
    for (const p of parts(b, /^xl\/(charts|drawings)\/[^/]+\.xml$/)) {
      expect([p, reachable.has(p)]).toEqual([p, true]);
      expect(ct).toContain(`PartName="/${p}"`);
    }
    expect((ct.match(/PartName="\/xl\/charts\//g) ?? []).length).toBe(2);
  });
});
