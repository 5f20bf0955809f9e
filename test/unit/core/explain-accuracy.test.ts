/**
 * Per-line explanations with the line's own numbers, and prognossäkerhet over a sample year of twelve
 * logged periods.
 */
import {
  compute,
  describeAccuracy,
  describeBacktest,
  explainLine,
  forecastAccuracy,
  type ForecastLogEntry,
  type LedgerResult,
  type LineBacktest,
} from "../../../src/core";

const period = { year: 2019, month: 4 };
const explain = (r: LedgerResult, i: number) => explainLine(r.lines[i], r);

describe("explainLine", () => {
  const r = compute({
    period,
    trendMonths: 1,
    roundingStep: 100,
    lines: [
      { label: "Verksamhetens kostnader", annualBudget: -69761 * 3, actual: -86983 },
      { label: "varav ekonomiskt bistånd", annualBudget: -16653 * 3, actual: -20903, method: "linear" },
      { label: "varav placeringar", annualBudget: (-12805 * 365) / 120, actual: -24054, method: "days" },
      { label: "varav övriga", annualBudget: -8492 * 3, actual: -8276, method: "zero" },
      { label: "Intäkter", annualBudget: 9558 * 3, actual: 11890, method: "budget" },
      { label: "Konsulter", annualBudget: 0, actual: -4007, manualForecast: -8000 },
      { label: "Summa" },
    ],
  });
  test("linjär: -20 903 × 12/4 = -62 709, rounded to 100 on the deviation", () => {
    expect(explain(r, 1)).toEqual({
      forecast: "-20 903 × 12/4 = -62 709; prognosavvikelsen avrundad till -12 800",
      periodBudget: "-49 959 × 4/12 = -16 653 (linjärt)",
    });
  });
  test("dagar: the forecast and the period budget both by days", () => {
    const e = explain(r, 2);
    expect(e.forecast).toMatch(/^-24 054 × 365\/120 dagar = -73 164;/);
    expect(e.periodBudget).toBe("-38 949 × 120/365 dagar = -12 805 (per dag, som metoden)");
  });
  test("the parent, noll, budget, manual and the total", () => {
    // Its varav lines leave -33 750 of the utfall unitemised: forecast like a line of its own (linjär).
    expect(explain(r, 0).forecast).toBe(
      "summa av varav-raderna -161 384 + ej specificerat -101 299 (utfall -33 750, årsbudget -94 899; -33 750 × 12/4 = -101 250; prognosavvikelsen avrundad till -6 400) = -262 683",
    );
    expect(explain(r, 0).periodBudget).toMatch(
      /^summa av varav-radernas periodbudgetar = -37 950 \(de periodiseras olika\)$/,
    );
    expect(explain(r, 3).forecast).toBe("årsbudgeten -25 476 (noll)");
    expect(explain(r, 4).forecast).toBe(
      "utfall 11 890 + budget för resten av året 19 116 = 31 006; prognosavvikelsen avrundad till +2 300",
    );
    expect(explain(r, 5).forecast).toBe("manuell prognos -8 000");
    expect(explain(r, 6).forecast).toBe("summa av raderna");
  });
  test("trend (M15, k = 1) and säsong", () => {
    const t = compute({
      period,
      trendMonths: 1,
      lines: [
        {
          label: "Netto",
          monthlyBudget: Array(12).fill(-5000),
          actualMonthly: [-9000, -9000, -9048, -7843, ...Array(8).fill(null)],
          method: "trend",
        },
        {
          label: "Bistånd",
          annualBudget: -1000,
          actual: -400,
          method: "seasonal",
          lastYearMonthly: [5, 5, 10, 20, 10, 10, 10, 10, 5, 5, 5, 5],
        },
      ],
    });
    expect(explain(t, 0).forecast).toBe(
      "avvikelse hittills -14 891 + 8 × -2 843 (den senaste månadens avvikelse) = -37 635; prognos -97 635",
    );
    expect(explain(t, 1)).toEqual({
      forecast: "-400 × 100/40 (fjolårets helår/jan–apr) = -1 000",
      periodBudget: "-1 000 × 40/100 = -400 (fjolårets månadsprofil, som metoden)",
    });
  });
});

/** 2018: the net forecast deviation logged every month, the outcome −28 400 at December. */
const NET = [-40000, -36000, -33000, -31000, -30500, -30200, -29800, -29500, -29000, -28800, -28600];
const sampleYear: ForecastLogEntry[] = [
  ...NET.map((fv, i) => ({
    month: i + 1,
    net: { deviation: -1000 * (i + 1), forecastDeviation: fv },
    lines: [
      { label: "Placeringar", deviation: null, forecastDeviation: -20000 + 500 * i },
      { label: "Ekonomiskt bistånd", deviation: null, forecastDeviation: -8000 },
    ],
  })),
  {
    month: 12,
    net: { deviation: -28400, forecastDeviation: -28400 },
    lines: [{ label: " placeringar ", deviation: -15000, forecastDeviation: -15000 }],
  },
];

describe("forecastAccuracy over twelve logged periods", () => {
  const acc = forecastAccuracy({ year: 2018, entries: sampleYear, annualBudget: { net: -200000 } });
  test("the net forecast of every earlier month against December's outcome, and how the error shrank", () => {
    expect(acc.known).toBe(true);
    const net = acc.net!;
    expect(net.outcome).toBe(-28400);
    expect(net.points.map((p) => p.error)).toEqual([
      -11600, -7600, -4600, -2600, -2100, -1800, -1400, -1100, -600, -400, -200,
    ]);
    expect(net.points[3].errorShare).toBeCloseTo(0.013, 12);
    expect(net.points[0].change).toBeNull();
    expect(net.points.slice(1).map((p) => p.change)).toEqual([
      -4000, -3000, -2000, -500, -300, -400, -300, -500, -200, -200,
    ]);
    expect(net.meanAbsError).toBeCloseTo(34000 / 11, 9);
  });
  test("per line: lines with an outcome at month 12 (labels matched loosely); others are left out", () => {
    expect(acc.lines).toHaveLength(1);
    const [placeringar] = acc.lines;
    expect(placeringar.label).toBe("Placeringar");
    expect(placeringar.outcome).toBe(-15000);
    expect(placeringar.points[0]).toMatchObject({ month: 1, error: -5000, errorShare: null });
    expect(placeringar.points[10].error).toBe(0);
  });
  test("the figure for the summary", () => {
    expect(describeAccuracy(acc)).toBe(
      "Prognosen för 2018 (utfall -28 400 tkr mot budget) missade i april med 2 600 tkr (1,3 % av budgeten) " +
        "och i augusti med 1 100 tkr (0,6 % av budgeten); i snitt 3 091 tkr över året.",
    );
  });
  test("without December the outcome is not known", () => {
    const open = forecastAccuracy({ year: 2019, entries: sampleYear.slice(0, 4) });
    expect(open).toEqual({ year: 2019, known: false, net: null, lines: [] });
    expect(describeAccuracy(open)).toBeNull();
  });
});

describe("describeBacktest", () => {
  // Forecasts in BACKTEST_METHODS order (linjär, dagar, säsong, trend, budget, noll) against 100.
  const backtest = (forecasts: number[]): LineBacktest => ({
    line: 0,
    label: "Rad",
    outcome: 100,
    budget: null,
    forecasts,
    recommended: null,
    reason: "noMargin",
    current: "linear",
  });
  test("the best method first: it hit last year's outcome within its error", () => {
    expect(describeBacktest(backtest([106.8, NaN, 101.2, NaN, NaN, NaN]))).toBe(
      "säsong hade träffat fjolårets utfall inom 1,2 %, linjär 6,8 %",
    );
  });
  test("past the recommendation's limit even the best method is said to have missed", () => {
    expect(describeBacktest(backtest([0, 0, NaN, NaN, NaN, 0]))).toMatch(
      /^linjär hade missat fjolårets utfall med 100,0 %, /,
    );
  });
});
