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
import type {
  BacktestMethod,
  BacktestMethodName,
  LineBacktest,
  LineResult,
  RecommendationReason,
} from "./types";

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

/** The order methods are listed in when their errors are equal. */
export const BACKTEST_METHODS: readonly BacktestMethodName[] = [
  "linear",
  "days",
  "seasonal",
  "trend",
  "budget",
  "zero",
];

const family = (m: BacktestMethodName): BacktestMethodName => (m === "days" ? "linear" : m);
const METHOD_SET: ReadonlySet<string> = new Set(BACKTEST_METHODS);

/** Last year's months in the sums the methods need (one pass over the twelve cells). */
class LastYear {
  /** Months 1..m, 1..m − k and all twelve. */
  toDate = 0;
  toCut = 0;
  total = 0;
  nonZero = 0;
  nonZeroToDate = 0;

  /**
   * Reads twelve months (blank or unusable = 0); false when the value is not twelve months or every month
   * is blank (a UtfallFgAr range left empty is no history, not a year of zeros).
   */
  read(raw: unknown, m: number, cut: number): boolean {
    if (!Array.isArray(raw) || raw.length !== 12) return false;
    let toDate = 0;
    let toCut = 0;
    let total = 0;
    let nonZero = 0;
    let nonZeroToDate = 0;
    let given = 0;
    for (let t = 0; t < 12; t++) {
      const plain = plainNumber(raw[t]);
      const read = plain === undefined ? readNumber(raw[t], new Findings(), {}, "").value : plain;
      if (read === null) continue;
      given++;
      total += read;
      if (t < m) toDate += read;
      if (t < cut) toCut += read;
      if (read !== 0) {
        nonZero++;
        if (t < m) nonZeroToDate++;
      }
    }
    this.toDate = toDate;
    this.toCut = toCut;
    this.total = total;
    this.nonZero = nonZero;
    this.nonZeroToDate = nonZeroToDate;
    return given > 0;
  }
}

/** The year before last: its months 1..m, all twelve and months 1..m − k. */
interface Profile {
  toDate: number;
  total: number;
  toCut: number;
}

/**
 * The forecasts each method would have made on last year, in shown convention and in BACKTEST_METHODS
 * order; NaN where the data does not allow the method.
 */
function simulate(
  ly: LastYear,
  budget: number | null,
  profile: Profile | null,
  setup: PeriodSetup,
): number[] {
  const m = setup.month;
  const year = setup.year - 1;
  const toDate = ly.toDate;
  const k = setup.trendMonths;
  const share = setup.periodisation === "days" ? periodDays(year, m) / daysInYear(year) : m / 12;
  // An array literal of numbers keeps them unboxed (packed doubles): one allocation per line.
  return [
    (toDate * 12) / m,
    (toDate * daysInYear(year)) / periodDays(year, m),
    profile && profile.toDate !== 0 ? (toDate * profile.total) / profile.toDate : NaN,
    m >= k ? trend(ly, budget, profile, m, k) : NaN,
    budget === null ? NaN : toDate + budget - budget * share,
    budget === null ? NaN : budget,
  ];
}

function trend(ly: LastYear, budget: number | null, p: Profile | null, m: number, k: number): number {
  const B = budget ?? 0;
  const byProfile =
    p !== null &&
    budget !== null &&
    !Number.isNaN(profileShare(p.toDate, p.total)) &&
    !Number.isNaN(profileShare(p.toCut, p.total));
  const shareNow = byProfile ? p.toDate / p.total : m / 12;
  const shareCut = byProfile ? p.toCut / p.total : (m - k) / 12;
  const devNow = ly.toDate - B * shareNow;
  const devCut = ly.toCut - B * shareCut;
  return B + devNow + ((12 - m) * (devNow - devCut)) / k;
}

/** The methods a backtest tried, best first (smallest |error|; ties in BACKTEST_METHODS order). */
export function rankMethods(b: Pick<LineBacktest, "forecasts" | "outcome">): BacktestMethod[] {
  const out: BacktestMethod[] = [];
  for (let j = 0; j < BACKTEST_METHODS.length; j++) {
    const method = BACKTEST_METHODS[j];
    const forecast = b.forecasts[j];
    if (forecast === undefined || Number.isNaN(forecast)) continue;
    const error = forecast - b.outcome;
    out.push({
      method,
      forecast,
      error,
      errorShare: b.outcome === 0 ? NaN : Math.abs(error) / Math.abs(b.outcome),
    });
  }
  return out.sort((x, y) => Math.abs(x.error) - Math.abs(y.error));
}

/** Family of each BACKTEST_METHODS entry (linjär and dagar are one kind). */
const FAMILY = BACKTEST_METHODS.map((m) => family(m));
const ERRORS = new Float64Array(BACKTEST_METHODS.length);

/**
 * The recommendation rule (RECOMMENDATION_RULE): the recommended method, or why there is none. Works on
 * a scratch array of the methods' errors so that it allocates nothing per line.
 */
function recommend(
  forecasts: readonly number[],
  ly: LastYear,
  m: number,
): BacktestMethodName | Exclude<RecommendationReason, "recommended"> {
  const rule = RECOMMENDATION_RULE;
  if (m === 12) return "yearEnd";
  const outcome = ly.total;
  if (outcome === 0) return "zeroOutcome";
  if (ly.nonZeroToDate < Math.min(m, rule.minMonthsToDate) || ly.nonZero < rule.minMonthsInYear)
    return "fewMonths";
  let best = -1;
  for (let j = 0; j < ERRORS.length; j++) {
    ERRORS[j] = Math.abs(forecasts[j] - outcome);
    if (!Number.isNaN(ERRORS[j]) && (best < 0 || ERRORS[j] < ERRORS[best])) best = j;
  }
  let runner = -1;
  for (let j = 0; j < ERRORS.length; j++) {
    if (Number.isNaN(ERRORS[j]) || FAMILY[j] === FAMILY[best]) continue;
    if (runner < 0 || ERRORS[j] < ERRORS[runner]) runner = j;
  }
  if (runner < 0) return "oneMethod";
  const bestShare = ERRORS[best] / Math.abs(outcome);
  const runnerShare = ERRORS[runner] / Math.abs(outcome);
  if (bestShare > rule.maxErrorShare) return "largeError";
  if (runnerShare - bestShare < rule.minMarginShare || bestShare > rule.maxRatioToRunnerUp * runnerShare)
    return "noMargin";
  return BACKTEST_METHODS[best];
}

/** The year before last's sums to m, in all and to m − k; plain twelve numbers take the fast path. */
function readProfile(
  raw: unknown,
  i: number,
  label: string,
  setup: PeriodSetup,
  findings: Findings,
): Profile | null {
  const cut = Math.max(0, setup.month - setup.trendMonths);
  if (Array.isArray(raw) && raw.length === 12) {
    let toDate = 0;
    let total = 0;
    let toCut = 0;
    let plain = true;
    for (let t = 0; t < 12 && plain; t++) {
      const v = plainNumber(raw[t]);
      if (v === undefined) plain = false;
      else if (v !== null) {
        total += v;
        if (t < setup.month) toDate += v;
        if (t < cut) toCut += v;
      }
    }
    if (plain) return { toDate, total, toCut };
  }
  const where = { line: i, field: "twoYearsAgo" as const };
  const sums = readMonths(
    raw,
    setup.month,
    findings,
    where,
    `${lineName(label, i)}: utfallet för två år sedan`,
  );
  return sums ? { toDate: sums.toDate, total: sums.total, toCut: monthsTo(raw, cut) ?? 0 } : null;
}

const lineName = (label: string, i: number) => (label ? `Raden "${label}"` : `Rad ${i + 1}`);

function readBudget(raw: unknown, i: number, label: string, findings: Findings): number | null {
  const plain = plainNumber(raw);
  if (plain !== undefined) return plain;
  const where = { line: i, field: "lastYearBudget" as const };
  return readNumber(raw, findings, where, `${lineName(label, i)}: fjolårets budget`).value;
}

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
  const ly = new LastYear();
  const cut = Math.max(0, setup.month - setup.trendMonths);
  for (let i = 0; i < lineList.length; i++) {
    const item = lineList[i];
    const line = results[i];
    if (!isRecord(item) || line.kind === "total") continue;
    if (!ly.read(prop(item, "lastYearMonthly"), setup.month, cut)) continue;
    const rawBudget = prop(item, "lastYearBudget");
    const rawOlder = prop(item, "twoYearsAgoMonthly");
    const budget = readBudget(rawBudget, i, line.label, findings);
    const profile =
      rawOlder === undefined || rawOlder === null
        ? null
        : readProfile(rawOlder, i, line.label, setup, findings);
    const forecasts =
      setup.month === 12 ? [NaN, NaN, NaN, NaN, NaN, NaN] : simulate(ly, budget, profile, setup);
    const verdict =
      childCount[i] > 0 && setup.month !== 12 ? "fromOfWhich" : recommend(forecasts, ly, setup.month);
    const recommended = METHOD_SET.has(verdict) ? (verdict as BacktestMethodName) : null;
    const reason: RecommendationReason = recommended ? "recommended" : (verdict as RecommendationReason);
    out.push({
      line: i,
      label: line.label,
      outcome: ly.total,
      budget,
      forecasts,
      recommended,
      reason,
      current: line.method,
    });
  }
  return out;
}
