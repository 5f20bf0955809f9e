/**
 * The Prognossäkerhet sheet from the workbook: backtests from UtfallFgAr, UtfallFgAr2 and BudgetFgAr,
 * and the year's accuracy from a Prognoslogg holding twelve periods of 2018.
 */
import { defaultConfig } from "../../../src/workbook/config";
import { planRead } from "../../../src/workbook/contract";
import { heightFor, wrappedLines } from "../../../src/workbook/reports/common";
import { buildInput } from "../../../src/workbook/input";
import { buildWritePlan } from "../../../src/workbook/plan";
import { computeBook, katrineholm, metaOf, name, put, readOf, type FakeBook } from "./fake";
import { planGrid } from "../../../src/export/report-model";

/** Last year's profile: low in spring, high in autumn (a seasonal line). */
const PROFILE = [6, 7, 7, 8, 8, 8, 9, 9, 9, 9, 10, 10];

function withHistory(): FakeBook {
  const b = katrineholm();
  const rows = 7;
  const lastYear = Array.from({ length: rows }, (_, i) => PROFILE.map((x) => (i === 0 ? 230 : -1700) * x));
  const older = Array.from({ length: rows }, (_, i) => PROFILE.map((x) => (i === 0 ? 210 : -1600) * x));
  put(b, "Underlag", "H6", lastYear);
  put(b, "Underlag", "T6", older);
  put(
    b,
    "Underlag",
    "AF6",
    // No budget for bistånd (AF8): its trend backtest then runs on the outcome alone.
    Array.from({ length: rows }, (_, i) => [i === 0 ? 24000 : i === 2 ? null : -175000]),
  );
  name(b, "UtfallFgAr", "=Underlag!$H$6:$S$12");
  name(b, "UtfallFgAr2", "=Underlag!$T$6:$AE$12");
  name(b, "BudgetFgAr", "=Underlag!$AF$6:$AF$12");
  b.sheets["Prognoslogg"] = [
    [
      "Period",
      "Avvikelse hittills (tkr)",
      "Prognos budgetavvikelse helår (tkr)",
      "Avvikelse jämfört ekonomi i balans (tkr)",
    ],
    ...[-40000, -36000, -33000, -31000, -30500, -30200, -29800, -29500, -29000, -28800, -28600, -28400].map(
      (fv, i) => [`2018-${String(i + 1).padStart(2, "0")}`, i === 11 ? -28400 : -2000 * (i + 1), fv, null],
    ),
  ];
  return b;
}

function accuracyPlan(b: FakeBook) {
  const config = defaultConfig();
  const { read, layout, result } = computeBook(b, config);
  const plan = buildWritePlan(result, layout, read, config);
  return { sheet: plan.sheets.find((s) => s.name === "Prognossäkerhet")!, result };
}

/** The values a sheet plan writes, as a grid from A1 (the Word report reads plans the same way). */
const grid = planGrid;

describe("Prognossäkerhet", () => {
  const { sheet, result } = accuracyPlan(withHistory());
  const g = grid(sheet);
  test("the backtest table: one row per line with last year's months, the recommendation beside the method", () => {
    const header = g.findIndex((r) => r[0] === "Post");
    expect(g[header].slice(0, 5)).toEqual([
      "Post",
      "Metod nu",
      "Rekommenderad metod",
      "Utfall 2018",
      "Fel linjär",
    ]);
    const bistand = g.find((r) => r[0] === "varav ekonomiskt bistånd")!;
    expect(bistand[1]).toBe("linjär");
    expect(bistand[2]).toBe("säsong");
    expect(bistand[3]).toBe(-1700 * 100);
    expect(String(bistand[bistand.length - 1])).toMatch(/^säsong hade träffat fjolårets utfall inom 0,0 %, /);
    expect(result.backtests!.find((b) => b.label === "Verksamhetens kostnader")!).toMatchObject({
      reason: "fromOfWhich",
      budget: -175000,
    });
  });
  test("each backtest row is as tall as its own judgement needs, and reads from the top", () => {
    const header = g.findIndex((r) => r[0] === "Post");
    const judgementCol = g[header].indexOf("Bedömning");
    const width = sheet.columnWidths.find((c) => c.col === judgementCol)!.width;
    const heights = new Map((sheet.rowHeights ?? []).map((h) => [h.row, h.height]));
    const rows = result.backtests!.map((_, i) => header + 1 + i);
    for (const r of rows) {
      const lines = wrappedLines(String(g[r][judgementCol]), width);
      expect(heights.get(r) ?? heightFor(1)).toBe(heightFor(lines));
    }
    expect(rows.some((r) => heights.has(r))).toBe(true);
    // Percentages as Personalnyckeltal and the seeds write them: "12,5 %", with a space.
    const pct = sheet.formats.find((f) => f.rect.row === header + 1 && f.rect.col === 4)!;
    expect(pct.style.numberFormat).toBe("0.0 %");
    const top = sheet.formats.filter((f) => f.style.verticalAlignment === "top");
    for (const r of rows)
      expect(top.some((f) => f.rect.col === 0 && f.rect.row <= r && r < f.rect.row + f.rect.rows)).toBe(true);
  });
  test("the year 2018 from the log: each month's forecast against December's outcome, with a chart", () => {
    const title = g.findIndex((r) => r[0] === "Prognossäkerhet 2018: prognosen varje månad mot årets utfall");
    expect(title).toBeGreaterThan(0);
    expect(g[title + 1][0]).toMatch(
      /^Prognosen för 2018 \(utfall -28 400 tkr mot budget\) missade i april med 2 600 tkr/,
    );
    const first = title + 3;
    // The share of 2018's net budget: BudgetFgAr of intäkter and kostnader, 24 000 − 175 000.
    expect(g[first]).toEqual(["januari 2018", -40000, -28400, -11600, 11600 / 151000, null]);
    expect(g[first + 10]).toEqual(["november 2018", -28600, -28400, -200, 200 / 151000, -200]);
    const [chart] = sheet.charts;
    expect(chart.categories).toEqual({ row: first, col: 0, rows: 11, cols: 1 });
    expect(chart.series.map((s) => s.values.col)).toEqual([1, 2]);
  });
  test("the per-line log (Prognoslogg_rader) gives the accuracy per line", () => {
    const b = withHistory();
    // Two lines logged in April and December 2018: forecast deviation, and the deviation to date.
    b.sheets["Prognoslogg_rader"] = [
      ["Period", "Nr", "Post", "Radtyp", "Utfall", "Avvikelse", "Prognos", "Prognosavvikelse"],
      ["2018-04", 0, "Verksamhetens intäkter", "revenue", null, 300, null, 1000],
      ["2018-04", 1, "varav ekonomiskt bistånd", "ofWhich", null, -900, null, -5000],
      ["2018-12", 0, "Verksamhetens intäkter", "revenue", null, 1200, null, 1200],
      ["2018-12", 1, "varav ekonomiskt bistånd", "ofWhich", null, -3800, null, -3800],
    ];
    const lines = grid(accuracyPlan(b).sheet);
    const head = lines.findIndex((r) => r[0] === "Prognosfel per rad (prognos − utfall)");
    expect(head).toBeGreaterThan(0);
    // December is the outcome itself: the earlier months are measured against it.
    expect(lines[head + 1].slice(0, 4)).toEqual(["Post", "Utfall", "april", "Snitt |fel|"]);
    expect(lines[head + 2].slice(0, 4)).toEqual(["Verksamhetens intäkter", 1200, -200, 200]);
    expect(lines[head + 3].slice(0, 4)).toEqual(["varav ekonomiskt bistånd", -3800, -1200, 1200]);
    // Without the per-line sheet there is no per-line table.
    expect(g.some((r) => r[0] === "Prognosfel per rad (prognos − utfall)")).toBe(false);
  });
  test("without a complete year, the sheet says when it will show", () => {
    const { sheet: open } = accuracyPlan(katrineholm());
    const text = grid(open).map((r) => r[0]);
    expect(text).toContain("Inga rader har fjolårets månadsutfall (namnet UtfallFgAr saknas eller är tomt).");
    expect(text.some((t) => /^Årets utfall är inte känt ännu \(jan-april 2019\)/.test(String(t)))).toBe(true);
    expect(open.charts).toEqual([]);
  });
  test("text in BudgetFgAr stops the refresh, naming the cell", () => {
    const b = withHistory();
    put(b, "Underlag", "AF8", [["mycket"]]);
    const config = defaultConfig();
    const p = planRead(metaOf(b), config);
    if ("errors" in p) throw new Error("planRead");
    const built = buildInput(p.resolution, readOf(b, p.request), config);
    expect("errors" in built && built.errors[0]).toMatchObject({
      code: "TEXT_IN_NUMBER",
      sheet: "Underlag",
      cell: "AF8",
    });
  });
});
