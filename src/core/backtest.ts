/**
 * Backtest per line: at the current reporting month m, every method the data allows is simulated on last
 * year (UtfallFgAr, with BudgetFgAr and UtfallFgAr2 when given) and compared with last year's actual
 * full-year outcome; a method is recommended only when the evidence is enough (RECOMMENDATION_RULE,
 * documented in docs/TEMPLATE.md "Backtest och rekommenderad metod").
 *
 * How each method is simulated on last year (year y − 1, its own calendar), with A = last year's months
 * 1..m, T = last year's twelve months, B = last year's annual budget:
 * - linjär A × 12/m; dagar A × D/D_m;
 * - säsong A × ΣP/ΣP(1..m) with P = the year before last (UtfallFgAr2). Without it there is no honest
 *   seasonal backtest (last year's own profile would hit T exactly), so säsong is not tried;
 * - budget A + B − B periodised to m (by the workbook's periodisation); noll B (both need B);
 * - trend B + dev(m) + (12 − m) × (dev(m) − dev(m − k))/k with dev(t) = A(t) − B(t); B(t) by P's profile
 *   when P and B are given, else linearly, where B cancels out (so trend needs no B then).
 */
import type { PeriodSetup } from "./periodise";
import { monthsTo, profileShare } from "./periodise";
import { daysInYear, periodDays } from "./period";
import { Findings, isRecord, plainNumber, prop, readMonths, readNumber } from "./read";
import type { BacktestMethod, ForecastMethod, LineBacktest, LineResult, RecommendationReason } from "./types";

/**
 * When a backtest is evidence enough to recommend a method:
 * - at least `minMonthsToDate` of last year's months 1..m are non-zero (all of them when m is smaller),
 *   and at least `minMonthsInYear` of its twelve: sporadic bookings say nothing about a method;
 * - at least two kinds of method could be tried (linjär and dagar are one kind: both are the run rate so
 *   far and differ only by the calendar);
 * - the best method hit last year's outcome within `maxErrorShare`;
 * - and it beat the best method of another kind (the runner-up) clearly: by at least `minMarginShare` of
 *   last year's outcome, with at most `maxRatioToRunnerUp` of its error.
 */
export const RECOMMENDATION_RULE = Object.freeze({
  minMonthsToDate: 3,
  minMonthsInYear: 9,
  maxErrorShare: 0.1,
  minMarginShare: 0.01,
  maxRatioToRunnerUp: 0.5,
});

/** The order methods are tried and listed in when their errors are equal. */
export const BACKTEST_METHODS: readonly ForecastMethod[] = [
  "linear",
  "days",
  "seasonal",
  "trend",
  "budget",
  "zero",
];

const family = (m: ForecastMethod): ForecastMethod => (m === "days" ? "linear" : m);

/** Last year's twelve months as numbers (blank or unusable = 0), into `out`; false when not twelve. */
function readTwelve(raw: unknown, out: Float64Array): boolean {
  if (!Array.isArray(raw) || raw.length !== 12) return false;
  for (let t = 0; t < 12; t++) {
    const plain = plainNumber(raw[t]);
    out[t] = plain === undefined ? (readNumber(raw[t], new Findings(), {}, "").value ?? 0) : (plain ?? 0);
  }
  return true;
}

interface History {
  /** Last year's months. */
  months: Float64Array;
  budget: number | null;
  /** The year before last: months 1..m and all twelve, and its months 1..m − k; null when not given. */
  profile: { toDate: number; total: number; toCut: number } | null;
}

/** The methods simulated on last year, in BACKTEST_METHODS order (unsorted). */
export function simulate(h: History, setup: PeriodSetup): BacktestMethod[] {
  const m = setup.month;
  const year = setup.year - 1;
  let toDate = 0;
  let total = 0;
  for (let t = 0; t < 12; t++) {
    if (t < m) toDate += h.months[t];
    total += h.months[t];
  }
  const out: BacktestMethod[] = [];
  const add = (method: ForecastMethod, forecast: number) => {
    const error = forecast - total;
    out.push({ method, forecast, error, errorShare: total === 0 ? NaN : Math.abs(error) / Math.abs(total) });
  };
  add("linear", (toDate * 12) / m);
  add("days", (toDate * daysInYear(year)) / periodDays(year, m));
  const p = h.profile;
  if (p && p.toDate !== 0) add("seasonal", (toDate * p.total) / p.toDate);
  const k = setup.trendMonths;
  if (m >= k) add("trend", trend(h, toDate, m, k));
  if (h.budget !== null) {
    const B = h.budget;
    const share = setup.periodisation === "days" ? periodDays(year, m) / daysInYear(year) : m / 12;
    add("budget", toDate + B - B * share);
    add("zero", B);
  }
  return out;
}

function trend(h: History, toDate: number, m: number, k: number): number {
  let toCut = 0;
  for (let t = 0; t < m - k; t++) toCut += h.months[t];
  const B = h.budget ?? 0;
  const p = h.profile;
  const byProfile =
    p !== null &&
    h.budget !== null &&
    !Number.isNaN(profileShare(p.toDate, p.total)) &&
    !Number.isNaN(profileShare(p.toCut, p.total));
  const shareNow = byProfile ? p.toDate / p.total : m / 12;
  const shareCut = byProfile ? p.toCut / p.total : (m - k) / 12;
  const devNow = toDate - B * shareNow;
  const devCut = toCut - B * shareCut;
  return B + devNow + ((12 - m) * (devNow - devCut)) / k;
}

/** The recommendation rule (RECOMMENDATION_RULE) over sorted methods. */
export function recommend(
  sorted: readonly BacktestMethod[],
  months: Float64Array,
  m: number,
): { recommended: ForecastMethod | null; reason: RecommendationReason } {
  const none = (reason: RecommendationReason) => ({ recommended: null, reason });
  if (m === 12) return none("yearEnd");
  let nonZeroToDate = 0;
  let nonZero = 0;
  for (let t = 0; t < 12; t++) {
    if (months[t] === 0) continue;
    nonZero++;
    if (t < m) nonZeroToDate++;
  }
  if (sorted.length === 0 || Number.isNaN(sorted[0].errorShare)) return none("zeroOutcome");
  const rule = RECOMMENDATION_RULE;
  if (nonZeroToDate < Math.min(m, rule.minMonthsToDate) || nonZero < rule.minMonthsInYear)
    return none("fewMonths");
  const best = sorted[0];
  const runnerUp = sorted.find((x) => family(x.method) !== family(best.method));
  if (!runnerUp) return none("oneMethod");
  if (best.errorShare > rule.maxErrorShare) return none("largeError");
  const margin = runnerUp.errorShare - best.errorShare;
  if (margin < rule.minMarginShare || best.errorShare > rule.maxRatioToRunnerUp * runnerUp.errorShare)
    return none("noMargin");
  return { recommended: best.method, reason: "recommended" };
}

const byError = (a: BacktestMethod, b: BacktestMethod) => Math.abs(a.error) - Math.abs(b.error);

/**
 * The backtest of every line (not totals) that has last year's twelve months. Bad BudgetFgAr and
 * UtfallFgAr2 values are reported like any cell (NOT_A_NUMBER …) and left out.
 */
export function backtestLines(
  lineList: readonly unknown[],
  results: readonly LineResult[],
  setup: PeriodSetup,
  childCount: Int32Array,
  findings: Findings,
): LineBacktest[] {
  const out: LineBacktest[] = [];
  const months = new Float64Array(12);
  for (let i = 0; i < lineList.length; i++) {
    const item = lineList[i];
    const line = results[i];
    if (!isRecord(item) || line.kind === "total") continue;
    if (!readTwelve(prop(item, "lastYearMonthly"), months)) continue;
    const history: History = { months, budget: null, profile: null };
    const name = line.label ? `Raden "${line.label}"` : `Rad ${i + 1}`;
    const budget = prop(item, "lastYearBudget");
    if (budget !== undefined && budget !== null) {
      const where = { line: i, field: "lastYearBudget" as const };
      history.budget = readNumber(budget, findings, where, `${name}: fjolårets budget`).value;
    }
    const older = prop(item, "twoYearsAgoMonthly");
    if (older !== undefined && older !== null) {
      const where = { line: i, field: "twoYearsAgo" as const };
      const sums = readMonths(older, setup.month, findings, where, `${name}: utfallet för två år sedan`);
      const toCut = monthsTo(older, Math.max(0, setup.month - setup.trendMonths));
      if (sums) history.profile = { toDate: sums.toDate, total: sums.total, toCut: toCut ?? 0 };
    }
    const methods = setup.month === 12 ? [] : simulate(history, setup).sort(byError);
    const { recommended, reason } =
      childCount[i] > 0
        ? { recommended: null, reason: "fromOfWhich" as const }
        : recommend(methods, months, setup.month);
    let outcome = 0;
    for (let t = 0; t < 12; t++) outcome += months[t];
    out.push({ line: i, label: line.label, outcome, methods, recommended, reason, current: line.method });
  }
  return out;
}
