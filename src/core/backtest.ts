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
import { monthsTo } from "./periodise";
import { daysInYear, periodDays } from "./period";
import { cutMonth } from "./history";
import type { Lines } from "./lines";
import { Findings, MAX_AMOUNT, plainNumber, readMonths, readNumber } from "./read";
import type {
  BacktestMethod,
  BacktestMethodName,
  ForecastMethod,
  LineBacktest,
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

/** Slots of the scratch array the year before last's sums go into (see readOlder). */
const P_TO_DATE = 0;
const P_TO_CUT = 1;
const P_TOTAL = 2;

/**
 * What every line's simulation shares, computed once per call: the period on last year's calendar, the
 * trend's cut-off month m − k and its linear shares, and the budget method's share of the year.
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
  /** The trend's linear shares of the year at m and at m − k, and the months left (12 − m). */
  shareNow: number;
  shareCut: number;
  monthsLeft: number;
}

function calendar(setup: PeriodSetup): Calendar {
  const year = setup.year - 1;
  const m = setup.month;
  const k = setup.trendMonths;
  const days = daysInYear(year);
  const daysToDate = periodDays(year, m);
  return {
    m,
    k,
    cut: cutMonth(setup),
    days,
    daysToDate,
    budgetShare: setup.periodisation === "days" ? daysToDate / days : m / 12,
    shareNow: m / 12,
    shareCut: (m - k) / 12,
    monthsLeft: 12 - m,
  };
}

/**
 * The year before last's sums into s when its twelve cells are plain numbers or blanks; else false. One
 * running sum in month order, read off after months 1..m − k and 1..m: exactly what summing those months
 * alone gives (the same additions in the same order; m − k ≤ m since k ≥ 1). The three loops are written
 * out: with one loop that tests for the two months at every cell the backtest took about 10 % longer, and
 * with a helper per stretch (which V8 did not inline) about 20 % longer.
 */
function readOlderPlain(raw: readonly unknown[], m: number, cut: number, s: Float64Array): boolean {
  let sum = 0;
  let t = 0;
  for (; t < cut; t++) {
    const cell: unknown = raw[t];
    if (typeof cell === "number") {
      if (!(Math.abs(cell) <= MAX_AMOUNT)) return false;
      sum += cell;
    } else if (cell !== null && cell !== undefined) return false;
  }
  s[P_TO_CUT] = sum;
  for (; t < m; t++) {
    const cell: unknown = raw[t];
    if (typeof cell === "number") {
      if (!(Math.abs(cell) <= MAX_AMOUNT)) return false;
      sum += cell;
    } else if (cell !== null && cell !== undefined) return false;
  }
  s[P_TO_DATE] = sum;
  for (; t < 12; t++) {
    const cell: unknown = raw[t];
    if (typeof cell === "number") {
      if (!(Math.abs(cell) <= MAX_AMOUNT)) return false;
      sum += cell;
    } else if (cell !== null && cell !== undefined) return false;
  }
  s[P_TOTAL] = sum;
  return true;
}

/**
 * The year before last's sums into s; anything but twelve plain cells is read as cells, with findings.
 * False when there is no usable profile (not twelve months).
 */
function readOlder(raw: unknown, i: number, label: string, c: Calendar, findings: Findings, s: Float64Array) {
  if (Array.isArray(raw) && raw.length === 12 && readOlderPlain(raw, c.m, c.cut, s)) return true;
  return readOlderCells(raw, i, label, c, findings, s);
}

/**
 * readOlder() for cells that are not all plain, in a function of its own so that the common case stays
 * small enough for V8 to inline the rest of a line's backtest.
 */
function readOlderCells(
  raw: unknown,
  i: number,
  label: string,
  c: Calendar,
  findings: Findings,
  s: Float64Array,
) {
  const where = { line: i, field: "twoYearsAgo" as const };
  const sums = readMonths(raw, c.m, findings, where, `${lineName(label, i)}: utfallet för två år sedan`);
  if (!sums) return false;
  s[P_TO_DATE] = sums.toDate;
  s[P_TOTAL] = sums.total;
  s[P_TO_CUT] = monthsTo(raw, c.cut) ?? 0;
  return true;
}

/**
 * The template every line's forecasts are copied from: six NaN (not tried) as packed doubles, so that a
 * method's forecast is stored as a raw double. A copy, not an array literal, because V8 tracks a
 * literal's allocation site: once it sees that nearly all of them survive a collection (every line's
 * array lives until compute() returns) it allocates them straight in the old generation, where only a
 * full collection frees them. With literals V8 did so in most runs of the bench's backtest, which then
 * took about 1.5 times as long as with `--no-allocation-site-pretenuring`.
 */
const UNTRIED: number[] = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5].fill(NaN);

/**
 * The forecasts each method would have made on last year, in shown convention and in BACKTEST_METHODS
 * order; NaN where the data does not allow the method. `p`: the year before last's sums, null without.
 * Only the methods tried are written (no `cond ? forecast : NaN`): V8 reads a global NaN in a branch it
 * has never taken as a tagged value, and then boxed every forecast merged with it into a heap number.
 */
function simulate(
  toDate: number,
  toCut: number,
  p: Float64Array | null,
  budget: number | null,
  c: Calendar,
): number[] {
  const m = c.m;
  const f = UNTRIED.slice();
  f[0] = (toDate * 12) / m;
  f[1] = (toDate * c.days) / c.daysToDate;
  if (p !== null && p[P_TO_DATE] !== 0) f[2] = (toDate * p[P_TOTAL]) / p[P_TO_DATE];
  if (m >= c.k) f[3] = trend(toDate, toCut, p, budget, c);
  if (budget !== null) {
    f[4] = toDate + budget - budget * c.budgetShare;
    f[5] = budget;
  }
  return f;
}

function trend(toDate: number, toCut: number, p: Float64Array | null, budget: number | null, c: Calendar) {
  // Without B the budget drops out (B = 0; the 0 + keeps the sum's sign of zero as it was).
  if (budget === null) return 0 + toDate + (c.monthsLeft * (toDate - toCut)) / c.k;
  let shareNow = c.shareNow;
  let shareCut = c.shareCut;
  if (p !== null) {
    // By the older year's profile when both shares can periodise (profileShare, written out).
    const pTotal = p[P_TOTAL];
    const now = p[P_TO_DATE] / pTotal;
    const cut = p[P_TO_CUT] / pTotal;
    if (pTotal !== 0 && now >= 0 && now <= 1 && cut >= 0 && cut <= 1) {
      shareNow = now;
      shareCut = cut;
    }
  }
  const devNow = toDate - budget * shareNow;
  const devCut = toCut - budget * shareCut;
  return budget + devNow + (c.monthsLeft * (devNow - devCut)) / c.k;
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

/** An error as recommend() compares it: Infinity for a method not tried (NaN) or left out. */
const compared = (error: number, leftOut: boolean) => (leftOut || error !== error ? Infinity : error);

/**
 * The recommendation rule (RECOMMENDATION_RULE) for forecasts f of a year whose outcome was `outcome`,
 * with `nonZero` of its twelve months and `nonZeroToDate` of months 1..m non-zero: the index of the
 * recommended method, or −1 − the index of the reason in NO_RECOMMENDATION. Allocates nothing.
 *
 * Written out for the six methods: as a loop over them with a table of kinds, the rule took about a
 * quarter of the backtest's time. linjär (0) and dagar (1) can always be tried, since last year's months
 * are finite, so their errors are numbers; a method not tried has a NaN error, which loses every
 * comparison.
 */
function recommend(f: readonly number[], outcome: number, nonZero: number, nonZeroToDate: number, m: number) {
  const rule = RECOMMENDATION_RULE;
  if (m === 12) return YEAR_END;
  if (outcome === 0) return ZERO_OUTCOME;
  if (nonZeroToDate < Math.min(m, rule.minMonthsToDate) || nonZero < rule.minMonthsInYear) return FEW_MONTHS;
  const e0 = Math.abs(f[0] - outcome);
  const e1 = Math.abs(f[1] - outcome);
  const e2 = Math.abs(f[2] - outcome);
  const e3 = Math.abs(f[3] - outcome);
  const e4 = Math.abs(f[4] - outcome);
  const e5 = Math.abs(f[5] - outcome);
  // Only linjär's kind (linjär and dagar) could be tried.
  if (e2 !== e2 && e3 !== e3 && e4 !== e4 && e5 !== e5) return ONE_METHOD;
  // The best: the first smallest error (ties go to the earlier method).
  const bestError = Math.min(
    e0,
    e1,
    compared(e2, false),
    compared(e3, false),
    compared(e4, false),
    compared(e5, false),
  );
  let best = 5;
  if (e4 === bestError) best = 4;
  if (e3 === bestError) best = 3;
  if (e2 === bestError) best = 2;
  if (e1 === bestError) best = 1;
  if (e0 === bestError) best = 0;
  const bestShare = bestError / Math.abs(outcome);
  if (bestShare > rule.maxErrorShare) return LARGE_ERROR;
  // The runner-up: the smallest error of another kind (every method but linjär and dagar is a kind of
  // its own); looked for only now, as a large error (the commonest verdict) needs only the best.
  const runnerError = Math.min(
    compared(e0, best < 2),
    compared(e1, best < 2),
    compared(e2, best === 2),
    compared(e3, best === 3),
    compared(e4, best === 4),
    compared(e5, best === 5),
  );
  const runnerShare = runnerError / Math.abs(outcome);
  if (runnerShare - bestShare < rule.minMarginShare || bestShare > rule.maxRatioToRunnerUp * runnerShare)
    return NO_MARGIN;
  return best;
}

const lineName = (label: string, i: number) => (label ? `Raden "${label}"` : `Rad ${i + 1}`);

function readBudget(raw: unknown, i: number, label: string, findings: Findings): number | null {
  const plain = plainNumber(raw);
  return plain !== undefined ? plain : readBudgetCell(raw, i, label, findings);
}

/** readBudget() for a cell that is not a plain number (apart for the same reason as readOlderCells). */
function readBudgetCell(raw: unknown, i: number, label: string, findings: Findings): number | null {
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
  if (cells === null) return [];
  // Sized once: growing it by push copied it about a dozen times (about 15 % of the backtest's allocation).
  let count = 0;
  for (let i = 0; i < lines.length; i++) if (BacktestCells.wants(lines, i)) count++;
  const out = new Array<LineBacktest>(count);
  const c = calendar(setup);
  const older = new Float64Array(3);
  for (let start = 0, j = 0; start < lines.length; start += FETCH_BLOCK) {
    const end = Math.min(lines.length, start + FETCH_BLOCK);
    fetchAhead(cells.older, start, end);
    for (let i = start; i < end; i++) {
      if (BacktestCells.wants(lines, i)) out[j++] = backtestLine(cells, lines, i, c, findings, older);
    }
  }
  return out;
}

/** How many lines' UtfallFgAr2 cells fetchAhead() touches at a time (about 6 KB of cells). */
const FETCH_BLOCK = 32;

/** Where fetchAhead() leaves what it read, so that the engine cannot drop the reads as unused. */
let _fetched = 0;

/**
 * Reads the first, sixth and last cell of UtfallFgAr2 of lines from..to − 1 (together every cache line
 * of a row of twelve) just before their backtests read them in full. Inside compute() those cells are
 * the only input the backtest reads that nothing has touched for a while, and they lie scattered over
 * the heap, so each line's read waited for main memory in turn: a line's backtest is too long for the
 * processor to start the next line's read meanwhile. On the bench ledger with history on every line,
 * backtested right after compute(), reading them was about two thirds of the backtest's time. A loop
 * this small lets the processor fetch a whole block's cells at once; readOlder() then reads them again
 * as before, from the cache. Nothing is decided here.
 */
function fetchAhead(older: readonly unknown[], from: number, to: number): void {
  let same = 0;
  for (let i = from; i < to; i++) {
    const raw = older[i];
    if (Array.isArray(raw) && raw.length === 12)
      same += (raw[0] === raw[11] ? 1 : 0) + (raw[5] === raw[11] ? 1 : 0);
  }
  _fetched = same;
}

/** Line i's backtest; `p` is scratch for the year before last's sums. */
function backtestLine(
  cells: BacktestCells,
  lines: Lines,
  i: number,
  c: Calendar,
  findings: Findings,
  p: Float64Array,
): LineBacktest {
  const label = lines.label[i];
  const budget = readBudget(cells.budget[i], i, label, findings);
  const rawOlder = cells.older[i];
  const older = rawOlder !== undefined && rawOlder !== null && readOlder(rawOlder, i, label, c, findings, p);
  const outcome = lines.lastYearTotal[i];
  let forecasts: number[];
  let verdict: number;
  if (c.m === 12) {
    forecasts = UNTRIED.slice();
    verdict = YEAR_END;
  } else {
    forecasts = simulate(lines.lastYearToDate[i], lines.lastYearToCut[i], older ? p : null, budget, c);
    verdict =
      lines.childCount[i] > 0
        ? FROM_OF_WHICH
        : recommend(forecasts, outcome, lines.lastYearNonZero[i], lines.lastYearNonZeroToDate[i], c.m);
  }
  return new Backtest(
    i,
    label,
    outcome,
    budget,
    forecasts,
    verdict >= 0 ? BACKTEST_METHODS[verdict] : null,
    verdict >= 0 ? "recommended" : NO_RECOMMENDATION[-1 - verdict],
    lines.method[i],
  );
}

/**
 * A line's backtest. A class rather than an object literal for the same reason as UNTRIED: `new` has no
 * allocation site to pretenure. Its own fields in this order are what JSON and the views see.
 */
class Backtest implements LineBacktest {
  constructor(
    public line: number,
    public label: string,
    public outcome: number,
    public budget: number | null,
    public forecasts: number[],
    public recommended: BacktestMethodName | null,
    public reason: RecommendationReason,
    public current: ForecastMethod,
  ) {}
}
