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
import { cutMonth } from "./history";
import type { Lines } from "./lines";
import { Findings, MAX_AMOUNT, plainNumber, readMonths, readNumber } from "./read";
import type { BacktestMethod, BacktestMethodName, LineBacktest, RecommendationReason } from "./types";

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

/** Slots of the scratch array one line's sums go into (see readHistory, readOlder). */
const TO_DATE = 0;
const TO_CUT = 1;
const TOTAL = 2;
const NON_ZERO = 3;
const NON_ZERO_TO_DATE = 4;
const P_TO_DATE = 5;
const P_TO_CUT = 6;
const P_TOTAL = 7;

/**
 * What every line's simulation shares, computed once per call: the period on last year's calendar, the
 * trend's cut-off month m − k and the budget method's share of the year.
 */
interface Calendar {
  m: number;
  k: number;
  cut: number;
  /** D and D_m of last year. */
  days: number;
  daysToDate: number;
  /** B periodised to m by the workbook's periodisation. */
  budgetShare: number;
}

function calendar(setup: PeriodSetup): Calendar {
  const year = setup.year - 1;
  const m = setup.month;
  const days = daysInYear(year);
  const daysToDate = periodDays(year, m);
  return {
    m,
    k: setup.trendMonths,
    cut: cutMonth(setup),
    days,
    daysToDate,
    budgetShare: setup.periodisation === "days" ? daysToDate / days : m / 12,
  };
}

/** The year before last's sums into s when its twelve cells are plain numbers or blanks; else false. */
function readOlderPlain(raw: readonly unknown[], m: number, cut: number, s: Float64Array): boolean {
  let toDate = 0;
  let toCut = 0;
  let total = 0;
  for (let t = 0; t < 12; t++) {
    const cell: unknown = raw[t];
    if (cell === null || cell === undefined) continue;
    if (typeof cell !== "number" || !(Math.abs(cell) <= MAX_AMOUNT)) return false;
    total += cell;
    if (t < m) toDate += cell;
    if (t < cut) toCut += cell;
  }
  s[P_TO_DATE] = toDate;
  s[P_TO_CUT] = toCut;
  s[P_TOTAL] = total;
  return true;
}

/**
 * The year before last's sums into s; anything but twelve plain cells is read as cells, with findings.
 * False when there is no usable profile (not twelve months).
 */
function readOlder(raw: unknown, i: number, label: string, c: Calendar, findings: Findings, s: Float64Array) {
  if (Array.isArray(raw) && raw.length === 12 && readOlderPlain(raw, c.m, c.cut, s)) return true;
  const where = { line: i, field: "twoYearsAgo" as const };
  const sums = readMonths(raw, c.m, findings, where, `${lineName(label, i)}: utfallet för två år sedan`);
  if (!sums) return false;
  s[P_TO_DATE] = sums.toDate;
  s[P_TOTAL] = sums.total;
  s[P_TO_CUT] = monthsTo(raw, c.cut) ?? 0;
  return true;
}

/**
 * The forecasts each method would have made on last year, in shown convention and in BACKTEST_METHODS
 * order; NaN where the data does not allow the method.
 */
function simulate(s: Float64Array, older: boolean, budget: number | null, c: Calendar): number[] {
  const m = c.m;
  const toDate = s[TO_DATE];
  const pToDate = s[P_TO_DATE];
  // An array literal of numbers keeps them unboxed (packed doubles): one allocation per line.
  return [
    (toDate * 12) / m,
    (toDate * c.days) / c.daysToDate,
    older && pToDate !== 0 ? (toDate * s[P_TOTAL]) / pToDate : NaN,
    m >= c.k ? trend(s, older, budget, m, c.k) : NaN,
    budget === null ? NaN : toDate + budget - budget * c.budgetShare,
    budget === null ? NaN : budget,
  ];
}

function trend(s: Float64Array, older: boolean, budget: number | null, m: number, k: number): number {
  const B = budget ?? 0;
  const pTotal = s[P_TOTAL];
  const byProfile =
    older &&
    budget !== null &&
    !Number.isNaN(profileShare(s[P_TO_DATE], pTotal)) &&
    !Number.isNaN(profileShare(s[P_TO_CUT], pTotal));
  const shareNow = byProfile ? s[P_TO_DATE] / pTotal : m / 12;
  const shareCut = byProfile ? s[P_TO_CUT] / pTotal : (m - k) / 12;
  const devNow = s[TO_DATE] - B * shareNow;
  const devCut = s[TO_CUT] - B * shareCut;
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

/** What recommend() returns: a method's index in BACKTEST_METHODS (0–5), or one of these reasons. */
const NO_RECOMMENDATION: readonly Exclude<RecommendationReason, "recommended">[] = [
  "yearEnd",
  "zeroOutcome",
  "fewMonths",
  "oneMethod",
  "largeError",
  "noMargin",
  "fromOfWhich",
];
const YEAR_END = -1;
const ZERO_OUTCOME = -2;
const FEW_MONTHS = -3;
const ONE_METHOD = -4;
const LARGE_ERROR = -5;
const NO_MARGIN = -6;
const FROM_OF_WHICH = -7;

/**
 * The recommendation rule (RECOMMENDATION_RULE): the index of the recommended method, or −1 − the index
 * of the reason in NO_RECOMMENDATION. Allocates nothing.
 */
function recommend(f: readonly number[], s: Float64Array, m: number): number {
  const rule = RECOMMENDATION_RULE;
  if (m === 12) return YEAR_END;
  const outcome = s[TOTAL];
  if (outcome === 0) return ZERO_OUTCOME;
  if (s[NON_ZERO_TO_DATE] < Math.min(m, rule.minMonthsToDate) || s[NON_ZERO] < rule.minMonthsInYear)
    return FEW_MONTHS;
  let best = -1;
  let bestError = NaN;
  for (let j = 0; j < 6; j++) {
    const error = Math.abs(f[j] - outcome);
    if (error < bestError || (best < 0 && !Number.isNaN(error))) {
      best = j;
      bestError = error;
    }
  }
  let runnerError = NaN;
  for (let j = 0; j < 6; j++) {
    const error = Math.abs(f[j] - outcome);
    if (
      FAMILY[j] !== FAMILY[best] &&
      (error < runnerError || (Number.isNaN(runnerError) && !Number.isNaN(error)))
    )
      runnerError = error;
  }
  if (Number.isNaN(runnerError)) return ONE_METHOD;
  const bestShare = bestError / Math.abs(outcome);
  const runnerShare = runnerError / Math.abs(outcome);
  if (bestShare > rule.maxErrorShare) return LARGE_ERROR;
  if (runnerShare - bestShare < rule.minMarginShare || bestShare > rule.maxRatioToRunnerUp * runnerShare)
    return NO_MARGIN;
  return best;
}

const lineName = (label: string, i: number) => (label ? `Raden "${label}"` : `Rad ${i + 1}`);

function readBudget(raw: unknown, i: number, label: string, findings: Findings): number | null {
  const plain = plainNumber(raw);
  if (plain !== undefined) return plain;
  const where = { line: i, field: "lastYearBudget" as const };
  return readNumber(raw, findings, where, `${lineName(label, i)}: fjolårets budget`).value;
}

/**
 * The cells of BudgetFgAr and UtfallFgAr2 of each line the backtest takes, as its record holds them
 * (undefined when it has none). compute() picks them up while it reads the line's other cells, so that
 * the backtest reads them from two lists instead of going back to every input line.
 */
export class BacktestCells {
  readonly budget: unknown[];
  readonly older: unknown[];

  constructor(n: number) {
    this.budget = new Array<unknown>(n);
    this.older = new Array<unknown>(n);
  }

  /** Whether the backtest takes line i: it has last year's months and is not a total line. */
  static wants(lines: Lines, i: number): boolean {
    return lines.lastYearGiven[i] !== 0 && lines.kind[i] !== "total";
  }
}

/**
 * The backtest of every line (not totals) that has last year's twelve months (read once by history.ts
 * into `lines`), with its BudgetFgAr and UtfallFgAr2 cells in `cells` (null when no line has last year's
 * months). Bad values there are reported like any cell (NOT_A_NUMBER …) and left out.
 */
export function backtestLines(
  cells: BacktestCells | null,
  lines: Lines,
  setup: PeriodSetup,
  findings: Findings,
): LineBacktest[] {
  const out: LineBacktest[] = [];
  if (cells === null) return out;
  const c = calendar(setup);
  const yearEnd = c.m === 12;
  const s = new Float64Array(8);
  for (let i = 0; i < lines.length; i++) {
    if (!BacktestCells.wants(lines, i)) continue;
    s[TO_DATE] = lines.lastYearToDate[i];
    s[TO_CUT] = lines.lastYearToCut[i];
    s[TOTAL] = lines.lastYearTotal[i];
    s[NON_ZERO] = lines.lastYearNonZero[i];
    s[NON_ZERO_TO_DATE] = lines.lastYearNonZeroToDate[i];
    const label = lines.label[i];
    const budget = readBudget(cells.budget[i], i, label, findings);
    const rawOlder = cells.older[i];
    const older =
      rawOlder !== undefined && rawOlder !== null && readOlder(rawOlder, i, label, c, findings, s);
    const forecasts = yearEnd ? [NaN, NaN, NaN, NaN, NaN, NaN] : simulate(s, older, budget, c);
    const verdict = lines.childCount[i] > 0 && !yearEnd ? FROM_OF_WHICH : recommend(forecasts, s, c.m);
    out.push({
      line: i,
      label,
      outcome: s[TOTAL],
      budget,
      forecasts,
      recommended: verdict >= 0 ? BACKTEST_METHODS[verdict] : null,
      reason: verdict >= 0 ? "recommended" : NO_RECOMMENDATION[-1 - verdict],
      current: lines.method[i],
    });
  }
  return out;
}
