/**
 * Backtests on last year against hand-computed cases, and property tests (fast-check, fixed seed).
 */
import fc from "fast-check";
import { compute, type LedgerLine, type LineBacktest } from "../../../src/core";
import { rankMethods, RECOMMENDATION_RULE } from "../../../src/core/backtest";

fc.configureGlobal({ seed: 20190430, numRuns: 200 });

const period = { year: 2019, month: 4 };
/** Last year: 10, 20 and 30 a month in the three tertials; 240 in all, 40 in Jan–Apr. */
const L = [10, 10, 10, 10, 20, 20, 20, 20, 30, 30, 30, 30];
/** The year before last: the same profile at twice the level. */
const P = L.map((x) => 2 * x);

function backtest(line: Partial<LedgerLine>, month = 4): LineBacktest {
  const r = compute({
    period: { year: 2019, month },
    lines: [{ label: "Ekonomiskt bistånd", annualBudget: 250, actual: 50, lastYearMonthly: L, ...line }],
  });
  expect(r.backtests).toHaveLength(1);
  return r.backtests![0];
}

const byMethod = (b: LineBacktest) => Object.fromEntries(rankMethods(b).map((m) => [m.method, m]));

describe("backtest on last year at month 4 (hand-computed)", () => {
  test("last year's months alone: linjär 120, dagar 40 × 365/120, trend 40 + 8 × 10; no säsong, budget or noll", () => {
    const b = backtest({});
    expect(b.outcome).toBe(240);
    const m = byMethod(b);
    expect(Object.keys(m).sort()).toEqual(["days", "linear", "trend"]);
    expect(m.linear).toMatchObject({ forecast: 120, error: -120, errorShare: 0.5 });
    expect(m.days.forecast).toBeCloseTo((40 * 365) / 120, 9); // 2018 has 120 days in Jan–Apr
    expect(m.trend.forecast).toBe(120); // deviation +40, last three months +10 each (budget cancels)
    expect(rankMethods(b)[0].method).toBe("days"); // best first
    expect(b).toMatchObject({ recommended: null, reason: "largeError" });
  });
  test("with UtfallFgAr2 and BudgetFgAr 250: säsong 240 (0 %), trend 245, noll 250, budget 206,67 → säsong", () => {
    const b = backtest({ twoYearsAgoMonthly: P, lastYearBudget: 250 });
    const m = byMethod(b);
    expect(m.seasonal).toMatchObject({ forecast: 240, error: 0, errorShare: 0 });
    expect(m.zero).toMatchObject({ forecast: 250, error: 10 });
    expect(m.budget.forecast).toBeCloseTo(40 + 250 - 250 / 3, 9);
    // Budget by the older year's profile: dev(4) = 40 − 250/6, dev(1) = 10 − 250/24 → −5/12 a month.
    expect(m.trend.forecast).toBeCloseTo(245, 9);
    expect(rankMethods(b).map((x) => x.method)).toEqual([
      "seasonal",
      "trend",
      "zero",
      "budget",
      "days",
      "linear",
    ]);
    expect(b).toMatchObject({ recommended: "seasonal", reason: "recommended", current: "linear" });
  });
  test("a flat year: linjär and trend both hit exactly → no clear margin, no recommendation", () => {
    const b = backtest({ lastYearMonthly: Array(12).fill(20) });
    expect(byMethod(b).linear.error).toBe(0);
    expect(byMethod(b).trend.error).toBe(0);
    expect(b).toMatchObject({ recommended: null, reason: "noMargin" });
  });
  test("too few months with an outcome → no recommendation", () => {
    const sparse = [0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 100];
    expect(backtest({ lastYearMonthly: sparse, twoYearsAgoMonthly: sparse }).reason).toBe("fewMonths");
  });
  test("a zero outcome last year, period 12, totals and parents of varav lines", () => {
    expect(backtest({ lastYearMonthly: [5, -5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] }).reason).toBe("zeroOutcome");
    const yearEnd = backtest({}, 12);
    expect(yearEnd).toMatchObject({ reason: "yearEnd", recommended: null });
    expect(rankMethods(yearEnd)).toEqual([]);
    const r = compute({
      period,
      lines: [
        { label: "Kostnader", annualBudget: -100, actual: -30, lastYearMonthly: L },
        { label: "varav a", annualBudget: -100, actual: -30, lastYearMonthly: L },
        { label: "Summa", lastYearMonthly: L },
      ],
    });
    expect(r.backtests!.map((b) => [b.line, b.reason])).toEqual([
      [0, "fromOfWhich"],
      [1, "largeError"],
    ]);
  });
  test("a bad BudgetFgAr is reported and left out; backtest: false skips the backtest", () => {
    const r = compute({
      period,
      lines: [{ label: "x", actual: 1, lastYearMonthly: L, lastYearBudget: "abc" as never }],
    });
    expect(r.findings.find((f) => f.code === "NOT_A_NUMBER")).toMatchObject({
      line: 0,
      field: "lastYearBudget",
    });
    expect(rankMethods(r.backtests![0]).map((m) => m.method)).not.toContain("zero");
    expect(
      compute({ period, backtest: false, lines: [{ label: "x", lastYearMonthly: L }] }).backtests,
    ).toEqual([]);
    const blank = compute({
      period,
      lines: [{ label: "x", actual: 1, lastYearMonthly: Array(12).fill(null) }],
    });
    expect(blank.backtests).toEqual([]); // an empty UtfallFgAr row is no history, not a year of zeros
  });
});

const monthArb = fc.integer({ min: 1, max: 11 });
const yearArb = fc.integer({ min: 1990, max: 2100 });
const level = fc.integer({ min: 1, max: 100_000 });
const profile = fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 12, maxLength: 12 });

test("a last year that is exactly linear gives linjär a zero error", () => {
  fc.assert(
    fc.property(yearArb, monthArb, level, fc.boolean(), (year, month, c, cost) => {
      const monthly = Array<number>(12).fill(cost ? -c : c);
      const r = compute({ period: { year, month }, lines: [{ label: "x", lastYearMonthly: monthly }] });
      const linear = rankMethods(r.backtests![0]).find((m) => m.method === "linear")!;
      expect(Math.abs(linear.error)).toBeLessThan(1e-9 * c);
    }),
  );
});

test("säsong on a repeated profile (last year = k × the year before) gives a zero error", () => {
  fc.assert(
    fc.property(yearArb, monthArb, profile, fc.integer({ min: 1, max: 20 }), (year, month, p, k) => {
      const r = compute({
        period: { year, month },
        lines: [{ label: "x", lastYearMonthly: p.map((x) => k * x), twoYearsAgoMonthly: p }],
      });
      const seasonal = rankMethods(r.backtests![0]).find((m) => m.method === "seasonal")!;
      expect(seasonal.errorShare).toBeLessThan(1e-12);
    }),
  );
});

test("the recommendation is always a method the data could compute, and only with enough evidence", () => {
  const months = fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 12, maxLength: 12 });
  fc.assert(
    fc.property(
      yearArb,
      fc.integer({ min: 1, max: 12 }),
      months,
      fc.option(months, { nil: null }),
      fc.option(fc.integer({ min: -20_000, max: 20_000 }), { nil: null }),
      fc.integer({ min: 1, max: 6 }),
      (year, month, last, older, budget, k) => {
        const r = compute({
          period: { year, month },
          trendMonths: k,
          lines: [{ label: "x", lastYearMonthly: last, twoYearsAgoMonthly: older, lastYearBudget: budget }],
        });
        const b = r.backtests![0];
        const tried = rankMethods(b).map((m) => m.method);
        if (budget === null) expect(tried).not.toContain("budget");
        if (budget === null) expect(tried).not.toContain("zero");
        if (older === null) expect(tried).not.toContain("seasonal");
        if (month < k) expect(tried).not.toContain("trend");
        if (b.recommended === null) return;
        expect(tried).toContain(b.recommended);
        expect(rankMethods(b)[0].method).toBe(b.recommended);
        expect(rankMethods(b)[0].errorShare).toBeLessThanOrEqual(RECOMMENDATION_RULE.maxErrorShare);
        expect(last.filter((x) => x !== 0).length).toBeGreaterThanOrEqual(
          RECOMMENDATION_RULE.minMonthsInYear,
        );
      },
    ),
  );
});

test("a long ledger backtests every line as it would alone, its findings in line order", () => {
  // Long enough that the lines are taken in several blocks, with lines that have no backtest between.
  const line = (i: number): LedgerLine => ({
    label: `Rad ${i}`,
    kind: i % 9 === 8 ? "total" : "cost",
    annualBudget: 300 + i,
    actual: 90 + i,
    lastYearMonthly: i % 7 === 3 ? null : L.map((x, t) => x + ((i * t) % 5)),
    twoYearsAgoMonthly: i % 5 === 1 ? P.map((x, t) => (t === i % 12 ? ("x" as never) : x)) : P,
    lastYearBudget: i % 11 === 4 ? ("tolv" as never) : 240 + i,
  });
  const lines = Array.from({ length: 100 }, (_, i) => line(i));
  const all = compute({ period, lines });
  const backtestFindings = (f: { field?: string }) =>
    f.field === "twoYearsAgo" || f.field === "lastYearBudget";
  const alone = lines.map((l) => compute({ period, lines: [l] }));
  const expected = alone.flatMap((r, i) => (r.backtests ?? []).map((b) => ({ ...b, line: i })));
  expect(expected.length).toBeGreaterThan(60);
  expect(all.backtests).toEqual(expected);
  const expectedFindings = alone.flatMap((r, i) =>
    r.findings.filter(backtestFindings).map((f) => ({ ...f, line: i })),
  );
  expect(expectedFindings.length).toBeGreaterThan(20);
  expect(all.findings.filter(backtestFindings)).toEqual(expectedFindings);
});
