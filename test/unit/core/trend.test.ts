/**
 * The trend method (shared/DOMAIN.md §3 M15, §5 ex 20) and periodisation that agrees with the method
 * (docs/TEMPLATE.md "Periodisering").
 */
import { compute, type LedgerInput, type LedgerLine } from "../../../src/core";

const period = { year: 2019, month: 4 };

/** S1's net deviations: cumulative −8 000 (Feb), −12 048 (Mar), −14 891 (Apr) → monthly −4 048, −2 843. */
const monthlyDeviation = [-4000, -4000, -4048, -2843];
const budgetMonth = -5000;
const s1Trend: LedgerLine = {
  label: "Summa verksamheten",
  kind: "cost",
  monthlyBudget: Array<number>(12).fill(budgetMonth),
  actualMonthly: [...monthlyDeviation.map((d) => budgetMonth + d), ...Array<null>(8).fill(null)],
  method: "trend",
};

function one(line: LedgerLine, extra: Partial<LedgerInput> = {}) {
  return compute({ period, lines: [line], ...extra });
}

describe("trend: FV = deviation to date + (12 − m) × mean of the last k monthly deviations", () => {
  test("ex 20 (M15): k = 1 → −14 891 + 8 × −2 843 = −37 635", () => {
    const line = one(s1Trend, { trendMonths: 1 }).lines[0];
    expect(line.deviation).toBe(-14891);
    expect(line.method).toBe("trend");
    expect(line.trendMonthly).toBe(-2843);
    expect(line.forecastDeviation).toBe(-37635);
    expect(line.forecast).toBe(-60000 - 37635);
  });
  test("k = 2 averages −4 048 and −2 843: −14 891 + 8 × −3 445,5 = −42 455", () => {
    const line = one(s1Trend, { trendMonths: 2 }).lines[0];
    expect(line.trendMonthly).toBe(-3445.5);
    expect(line.forecastDeviation).toBe(-42455);
  });
  test("default k = 3; the linear method (M1) on the same line gives −44 673", () => {
    const r = one(s1Trend);
    expect(r.trendMonths).toBe(3);
    expect(r.lines[0].forecastDeviation).toBeCloseTo(-14891 + 8 * ((-14891 + 4000) / 3), 9);
    expect(one({ ...s1Trend, method: "linear" }).lines[0].forecastDeviation).toBe(-44673);
  });
  test("an annual budget periodised linearly gives the same trend as twelve equal monthly budgets", () => {
    const annual = { ...s1Trend, monthlyBudget: null, annualBudget: 12 * budgetMonth };
    expect(one(annual, { trendMonths: 1 }).lines[0].forecastDeviation).toBe(-37635);
  });
  test("cost-positive amounts give the same deviations", () => {
    const positive: LedgerLine = {
      ...s1Trend,
      monthlyBudget: s1Trend.monthlyBudget!.map((x) => -x!),
      actualMonthly: s1Trend.actualMonthly!.map((x) => (x === null ? null : -x)),
    };
    const line = one(positive, { trendMonths: 1, signConvention: "costPositive" }).lines[0];
    expect(line.forecastDeviation).toBe(-37635);
    expect(line.forecast).toBe(60000 + 37635);
  });
  test("only a year-to-date outcome → linear and TREND_FALLBACK naming the need for monthly outcomes", () => {
    const r = one({ label: "x", annualBudget: -1200, actual: -500, method: "trend" });
    expect(r.lines[0].method).toBe("linear");
    expect(r.lines[0].forecast).toBe(-1500);
    const [finding] = r.findings.filter((f) => f.code === "TREND_FALLBACK");
    expect(finding).toMatchObject({ level: "warning", line: 0, field: "actual" });
    expect(finding.message).toContain("månadsutfall");
  });
  test("fewer months than k → linear and TREND_FALLBACK", () => {
    const r = compute({ period: { year: 2019, month: 2 }, lines: [s1Trend], trendMonths: 3 });
    expect(r.lines[0].method).toBe("linear");
    expect(r.findings.find((f) => f.code === "TREND_FALLBACK")?.message).toContain("minst 3 månaders");
  });
  test("a bad k is reported and 3 is used", () => {
    const r = one(s1Trend, { trendMonths: 0 });
    expect(r.trendMonths).toBe(3);
    expect(r.findings.map((f) => f.code)).toContain("OPTION_INVALID");
  });
});

describe("periodisation agrees with the method when no monthly budget is given", () => {
  const B = (-69761 * 365) / 120;
  test("dagar: a line exactly on its budget by days (−69 761 against −69 761) forecasts its budget", () => {
    const line = one({ label: "Placeringar", annualBudget: B, actual: -69761, method: "days" }).lines[0];
    expect(line.periodisedBy).toBe("days");
    expect(line.periodBudget).toBeCloseTo(-69761, 9);
    expect(line.deviation).toBeCloseTo(0, 9);
    expect(line.forecastDeviation).toBeCloseTo(0, 9);
  });
  test("dagar: on the linear budget (−69 761 of −209 283) the deficit shows in both the deviation and the forecast", () => {
    const line = one({ label: "x", annualBudget: -69761 * 3, actual: -69761, method: "days" }).lines[0];
    expect(line.periodBudget).toBeCloseTo((-69761 * 3 * 120) / 365, 9); // −68 805,4
    expect(Math.round(line.deviation)).toBe(-956);
    expect(Math.round(line.forecastDeviation)).toBe(-2907); // −212 189,8 + 209 283: the "2 900 tkr"
  });
  test("säsong: periodised by last year's profile, a line on budget forecasts its budget", () => {
    const L = [5, 5, 10, 20, 10, 10, 10, 10, 5, 5, 5, 5]; // Jan–Apr 40 of 100
    const line = one({
      label: "x",
      annualBudget: -1000,
      actual: -400,
      method: "seasonal",
      lastYearMonthly: L,
    }).lines[0];
    expect(line.periodisedBy).toBe("lastYear");
    expect(line.periodBudget).toBe(-400);
    expect(line.forecast).toBe(-1000);
    expect(line.forecastDeviation).toBe(0);
  });
  test("trend: with last year's profile the monthly deviations of a line on budget are 0", () => {
    const L = [5, 5, 10, 20, 10, 10, 10, 10, 5, 5, 5, 5];
    const actualMonthly = [...L.slice(0, 4).map((x) => -10 * x), ...Array<null>(8).fill(null)];
    const line = one({ label: "x", annualBudget: -1000, actualMonthly, method: "trend", lastYearMonthly: L })
      .lines[0];
    expect(line.periodisedBy).toBe("lastYear");
    expect(line.trendMonthly).toBe(0);
    expect(line.forecastDeviation).toBe(0);
  });
  test("monthly budgets always win; other methods keep the workbook's periodisation", () => {
    const monthly = one({ label: "x", monthlyBudget: Array(12).fill(-10), actual: -40, method: "days" });
    expect(monthly.lines[0]).toMatchObject({ periodisedBy: "months", periodBudget: -40 });
    const linear = one(
      { label: "x", annualBudget: -1200, actual: -400, method: "linear" },
      { periodisation: "days" },
    );
    expect(linear.lines[0].periodisedBy).toBe("days");
    const manual = one({
      label: "x",
      annualBudget: -1200,
      actual: -400,
      method: "days",
      manualForecast: -1300,
    });
    expect(manual.lines[0].periodisedBy).toBe("linear");
  });
  test("a parent whose varav line runs by days takes the sum of its varav lines' period budgets", () => {
    const r = compute({
      period,
      lines: [
        { label: "Kostnader", annualBudget: -730, actual: -240 },
        { label: "varav placeringar", annualBudget: -365, actual: -120, method: "days" },
        { label: "varav övrigt", annualBudget: -365, actual: -120 },
      ],
    });
    const [parent, days, rest] = r.lines;
    expect(days.periodBudget).toBe(-120);
    expect(rest.periodBudget).toBeCloseTo(-365 / 3, 9);
    expect(parent.periodisedBy).toBe("ofWhich");
    expect(parent.periodBudget).toBeCloseTo(days.periodBudget + rest.periodBudget, 9);
    expect(r.findings.filter((f) => f.code === "OFWHICH_MISMATCH")).toEqual([]);
  });
});
