/**
 * The backtest of compute() against a straightforward reference written from the rules in
 * src/core/backtest.ts's header and docs/TEMPLATE.md "Backtest och rekommenderad metod": plain arrays,
 * one method at a time, no shared scratch state. Sums run in month order and each formula is written as
 * documented, so the two must agree exactly (toEqual), not just closely.
 */
import fc from "fast-check";
import {
  compute,
  type BacktestMethodName,
  type LedgerLine,
  type LineBacktest,
  type LineKind,
  type RecommendationReason,
} from "../../../src/core";
import { RECOMMENDATION_RULE } from "../../../src/core/backtest";

fc.configureGlobal({ seed: 20190430, numRuns: 150 });

type Month = number | null;

const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthDays = (y: number) => [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const sumTo = (xs: readonly number[], n: number) => xs.slice(0, n).reduce((a, b) => a + b, 0);

interface Setup {
  year: number;
  month: number;
  k: number;
  byDays: boolean;
}

/** Twelve months as numbers (blank = 0), or null when it is not twelve months or all are blank. */
function history(raw: unknown): number[] | null {
  if (!Array.isArray(raw) || raw.length !== 12) return null;
  if (raw.every((x) => x === null)) return null;
  return raw.map((x: Month) => x ?? 0);
}

/** The six forecasts in the order linjär, dagar, säsong, trend, budget, noll. */
function referenceForecasts(last: number[], older: number[] | null, B: number | null, s: Setup): number[] {
  const { month: m, k } = s;
  if (m === 12) return Array<number>(6).fill(NaN);
  const days = monthDays(s.year - 1);
  const A = sumTo(last, m);
  const D = sumTo(days, 12);
  const Dm = sumTo(days, m);
  const linear = (A * 12) / m;
  const byDays = (A * D) / Dm;
  const P = older && { toDate: sumTo(older, m), total: sumTo(older, 12), toCut: sumTo(older, m - k) };
  const seasonal = P && P.toDate !== 0 ? (A * P.total) / P.toDate : NaN;
  let trend = NaN;
  if (m >= k) {
    const inUnit = (x: number) => !Number.isNaN(x) && x >= 0 && x <= 1;
    const profileOk = P !== null && B !== null && P.total !== 0;
    const useProfile = profileOk && inUnit(P.toDate / P.total) && inUnit(P.toCut / P.total);
    const b = B ?? 0;
    const devNow = A - b * (useProfile ? P!.toDate / P!.total : m / 12);
    const devCut = sumTo(last, m - k) - b * (useProfile ? P!.toCut / P!.total : (m - k) / 12);
    trend = b + devNow + ((12 - m) * (devNow - devCut)) / k;
  }
  const share = s.byDays ? Dm / D : m / 12;
  const budget = B === null ? NaN : A + B - B * share;
  return [linear, byDays, seasonal, trend, budget, B === null ? NaN : B];
}

const METHODS: BacktestMethodName[] = ["linear", "days", "seasonal", "trend", "budget", "zero"];
const kindOf = (m: BacktestMethodName) => (m === "days" ? "linear" : m);

function referenceVerdict(
  forecasts: number[],
  last: number[],
  m: number,
  hasOfWhich: boolean,
): RecommendationReason | BacktestMethodName {
  const rule = RECOMMENDATION_RULE;
  if (m === 12) return "yearEnd";
  if (hasOfWhich) return "fromOfWhich";
  const outcome = sumTo(last, 12);
  if (outcome === 0) return "zeroOutcome";
  const nonZero = last.filter((x) => x !== 0).length;
  const nonZeroToDate = last.slice(0, m).filter((x) => x !== 0).length;
  if (nonZeroToDate < Math.min(m, rule.minMonthsToDate) || nonZero < rule.minMonthsInYear) return "fewMonths";
  const tried = METHODS.map((method, j) => ({ method, error: Math.abs(forecasts[j] - outcome) })).filter(
    (t) => !Number.isNaN(t.error),
  );
  // A stable sort keeps BACKTEST_METHODS order between equal errors.
  const ranked = [...tried].sort((a, b) => a.error - b.error);
  const best = ranked[0];
  const runner = ranked.find((t) => kindOf(t.method) !== kindOf(best.method));
  if (!runner) return "oneMethod";
  const bestShare = best.error / Math.abs(outcome);
  const runnerShare = runner.error / Math.abs(outcome);
  if (bestShare > rule.maxErrorShare) return "largeError";
  if (runnerShare - bestShare < rule.minMarginShare || bestShare > rule.maxRatioToRunnerUp * runnerShare)
    return "noMargin";
  return best.method;
}

/** The reference backtests of a ledger, from its input and compute()'s lines (kinds, labels, methods). */
function referenceBacktests(input: { lines: LedgerLine[] }, result: ReturnType<typeof compute>, s: Setup) {
  const out: LineBacktest[] = [];
  input.lines.forEach((line, i) => {
    const shown = result.lines[i];
    const last = history(line.lastYearMonthly);
    if (shown.kind === "total" || last === null) return;
    const older = Array.isArray(line.twoYearsAgoMonthly) ? line.twoYearsAgoMonthly.map((x) => x ?? 0) : null;
    const B = line.lastYearBudget ?? null;
    const forecasts = referenceForecasts(last, older, B, s);
    const hasOfWhich = result.lines.some((l) => l.parent === i);
    const verdict = referenceVerdict(forecasts, last, s.month, hasOfWhich);
    const recommended = (METHODS as string[]).includes(verdict) ? (verdict as BacktestMethodName) : null;
    out.push({
      line: i,
      label: shown.label,
      outcome: sumTo(last, 12),
      budget: B,
      forecasts,
      recommended,
      reason: recommended ? "recommended" : (verdict as RecommendationReason),
      current: shown.method,
    });
  });
  return out;
}

// Whole and fractional amounts (fractions make the order of additions matter), blanks and zeros.
const amount = fc.oneof(
  fc.integer({ min: -50_000, max: 50_000 }),
  fc.integer({ min: -5_000_000, max: 5_000_000 }).map((x) => x / 100),
  fc.constant(0),
  fc.constant(null),
);
const months = fc.array(amount, { minLength: 12, maxLength: 12 });
/**
 * Histories that give recommendations and ties: last year a multiple of the year before last (säsong
 * hits) with some noise, or flat (linjär and trend hit alike), and a budget near last year's outcome;
 * or bare: last year's months alone.
 */
const patterned = fc
  .tuple(
    fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 12, maxLength: 12 }),
    fc.integer({ min: -20, max: 20 }),
    fc.constantFrom(0, 0, 1, 30),
    fc.boolean(),
    fc.integer({ min: -10, max: 10 }),
    fc.boolean(),
  )
  .chain(([p, c, noise, flat, budgetOff, bare]) =>
    fc.array(fc.integer({ min: -noise, max: noise }), { minLength: 12, maxLength: 12 }).map((n) => {
      const last = (flat ? Array<number>(12).fill(100) : p).map((x, t) => c * x + n[t]);
      return {
        lastYearMonthly: last,
        twoYearsAgoMonthly: flat || bare ? undefined : p,
        lastYearBudget: bare ? null : last.reduce((a, b) => a + b, 0) + budgetOff * 10,
      };
    }),
  );
const lineArb = fc.record({
  label: fc.constantFrom("Placeringar", "varav köpt verksamhet", "Personal", "Summa kostnader", ""),
  kind: fc.constantFrom<LineKind | undefined>(undefined, "cost", "revenue", "ofWhich", "total"),
  annualBudget: fc.option(fc.integer({ min: -100_000, max: 100_000 }), { nil: undefined }),
  actual: fc.option(fc.integer({ min: -50_000, max: 50_000 }), { nil: undefined }),
  method: fc.constantFrom(undefined, "linear", "days", "seasonal", "trend", "budget", "zero"),
  lastYearMonthly: fc.oneof(months, months, fc.constant(null), fc.constant(Array<Month>(12).fill(null))),
  twoYearsAgoMonthly: fc.oneof(months, fc.constant(null), fc.constant(undefined)),
  lastYearBudget: fc.option(fc.integer({ min: -100_000, max: 100_000 }), { nil: null }),
});

const seen = new Set<string>();

test("compute()'s backtests equal the reference on random ledgers (every period, k and periodisation)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1900, max: 2200 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 11 }),
      fc.boolean(),
      fc.array(
        fc.tuple(lineArb, fc.option(patterned, { nil: null })).map(([l, p]) => ({ ...l, ...p })),
        { minLength: 1, maxLength: 12 },
      ),
      (year, month, k, byDays, generated) => {
        const lines = generated.map((l) => ({ ...l }) as LedgerLine);
        const input = {
          period: { year, month },
          trendMonths: k,
          periodisation: byDays ? ("days" as const) : ("linear" as const),
          lines,
        };
        const result = compute(input);
        for (const b of result.backtests!) seen.add(b.reason);
        expect(result.backtests).toEqual(referenceBacktests(input, result, { year, month, k, byDays }));
      },
    ),
  );
});

test("the random ledgers above reach every verdict", () => {
  expect([...seen].sort()).toEqual([
    "fewMonths",
    "fromOfWhich",
    "largeError",
    "noMargin",
    "oneMethod",
    "recommended",
    "yearEnd",
    "zeroOutcome",
  ]);
});
