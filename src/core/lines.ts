/**
 * The working state of every line while computing, kept column by column ("struct of arrays").
 *
 * Why columns and not one object per line: at 100 000 lines the per-line objects (and the heap numbers
 * holding their fractional amounts) outlived V8's young generation and were copied by the garbage
 * collector twice each, about a third of compute()'s time. Typed arrays are one allocation per column
 * and never copied, so the only objects that live per line now are the LineResults the API returns.
 *
 * Amounts are in the internal net convention (revenue +, cost −) unless a name says "typed". With
 * `costPositive` the amounts of cost lines, of varav lines under them, of total lines and of the net result
 * are negated on the way in (linkOfWhich, read-lines.ts) and out (Lines.shown; totals.ts for the net
 * result and the extra measures line). Deviations are always + favourable and never negated. A missing
 * number (null in the API) is stored as NaN: every amount read is finite (read.ts caps it), so NaN never
 * stands for a real value.
 */
import type { ForecastMethod, LineKind, LineResult, PeriodisedBy } from "./types";

export type ForecastFrom = NonNullable<LineResult["forecastFrom"]>;

/** A parent's part that its varav lines leave out, and its forecast (internal convention). */
export interface Unitemised {
  actual: number;
  period: number;
  annual: number;
  method: ForecastMethod;
  forecast: number;
  unrounded: number;
  /** trend: the average monthly deviation of the last k months; NaN for other methods. */
  trendMonthly: number;
}

/** Lines.periodKey's codes, in order. */
export const PERIOD_KEYS: readonly PeriodisedBy[] = [
  "months",
  "linear",
  "days",
  "lastYear",
  "ofWhich",
  "ofWhichBlank",
];
export const KEY_MONTHS = 0;
export const KEY_LINEAR = 1;
export const KEY_DAYS = 2;
export const KEY_LAST_YEAR = 3;
export const KEY_OF_WHICH = 4;
/** A parent with no budget of its own: its varav lines' sum (budgets.ts fillBlankParent). */
export const KEY_OF_WHICH_BLANK = 5;

/** Lines.actualPresent / budgetPresent: the line has twelve months (bits 0–11 are months 1–12). */
export const MONTHS_READ = 1 << 12;

/** null for NaN (a number column's "missing"). */
export const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);

export class Lines {
  readonly kind: LineKind[];
  /** The parent line of a varav line, −1 for none. */
  readonly parent: Int32Array;
  /**
   * How many varav lines a line has. They always follow it directly (a varav line belongs to the
   * nearest line above that is not one), so the children of line i are i+1 … i+childCount[i].
   */
  readonly childCount: Int32Array;
  /** 1 when the line's amounts are shown negated (costPositive). */
  readonly flip: Uint8Array;
  readonly annual: Float64Array;
  readonly period: Float64Array;
  readonly actual: Float64Array;
  readonly deviation: Float64Array;
  readonly forecast: Float64Array;
  /** Set for total lines (the sum of their lines' forecast deviations); NaN: forecast − annual. */
  readonly forecastDeviation: Float64Array;
  readonly measures: Float64Array;
  /** Blank budget or actual cells (nothing typed, nothing invalid), and whether a value was found. */
  readonly budgetBlank: Uint8Array;
  readonly actualBlank: Uint8Array;
  readonly budgetGiven: Uint8Array;
  readonly actualGiven: Uint8Array;
  /** Last year's months 1..m, all twelve and 1..m − k (history.ts); NaN when not given. */
  readonly lastYearToDate: Float64Array;
  readonly lastYearTotal: Float64Array;
  readonly lastYearToCut: Float64Array;
  /** How many of last year's twelve months, and of months 1..m, are non-zero. */
  readonly lastYearNonZero: Uint8Array;
  readonly lastYearNonZeroToDate: Uint8Array;
  /** 1 when some month of last year holds a number (twelve blank cells are no history). */
  readonly lastYearGiven: Uint8Array;
  /**
   * What the monthly outcomes tell the month sign check (checks.ts summariseMonthSigns): 0 when it must
   * read them itself.
   */
  readonly monthSigns: Uint8Array;
  /** The same for the twelve months of the monthly budget. */
  readonly budgetSigns: Uint8Array;
  /**
   * Which of the twelve monthly outcomes and budgets hold a value, and which a value other than 0 (bits
   * as MonthSums.present / nonZero, with MONTHS_READ set when the line has the twelve months at all).
   */
  readonly actualPresent: Uint16Array;
  readonly actualNonZero: Uint16Array;
  readonly budgetPresent: Uint16Array;
  readonly budgetNonZero: Uint16Array;
  /** The manual forecast and the typed deviation as typed (input convention); NaN when blank. */
  readonly manual: Float64Array;
  readonly typedDeviation: Float64Array;
  /**
   * The figures as typed (input convention), for the checks of step 3 and of totals: the annual budget,
   * the monthly budget's sums, the actual and the monthly actuals to date. NaN when not given.
   */
  readonly typedAnnual: Float64Array;
  readonly budgetMonthsToDate: Float64Array;
  readonly budgetMonthsTotal: Float64Array;
  readonly typedActual: Float64Array;
  readonly actualMonthsToDate: Float64Array;
  readonly method: ForecastMethod[];
  readonly methodAsked: (ForecastMethod | null)[];
  readonly forecastFrom: ForecastFrom[];
  /** How the period budget was found (PERIOD_KEYS index: months, linear, days, lastYear, ofWhich, ofWhichBlank). */
  readonly periodKey: Uint8Array;
  /** trend: the deviation after month m − k (input convention), NaN when it cannot be had. */
  readonly trendBase: Float64Array;
  /** trend: the average monthly deviation of the last k months; NaN for other methods. */
  readonly trendMonthly: Float64Array;
  /** The method's forecast before rounding and measures (internal convention); NaN when not a method's. */
  readonly unrounded: Float64Array;

  /** Labels, trimmed ("" when none). */
  readonly label: string[];
  /** The unitemised part of each parent its varav lines do not cover (parents.ts), by parent. */
  readonly unitemised = new Map<number, Unitemised>();

  constructor(n: number, defaultMethod: ForecastMethod) {
    this.label = new Array<string>(n).fill("");
    const numbers = () => new Float64Array(n);
    const missing = () => new Float64Array(n).fill(NaN);
    this.kind = new Array<LineKind>(n).fill("cost");
    this.parent = new Int32Array(n).fill(-1);
    this.childCount = new Int32Array(n);
    this.flip = new Uint8Array(n);
    this.annual = numbers();
    this.period = numbers();
    this.actual = numbers();
    this.deviation = numbers();
    this.forecast = numbers();
    this.forecastDeviation = missing();
    this.measures = numbers();
    this.budgetBlank = new Uint8Array(n);
    this.actualBlank = new Uint8Array(n);
    this.budgetGiven = new Uint8Array(n);
    this.actualGiven = new Uint8Array(n);
    this.lastYearToDate = missing();
    this.lastYearTotal = missing();
    this.lastYearToCut = missing();
    this.lastYearNonZero = new Uint8Array(n);
    this.lastYearNonZeroToDate = new Uint8Array(n);
    this.lastYearGiven = new Uint8Array(n);
    this.monthSigns = new Uint8Array(n);
    this.budgetSigns = new Uint8Array(n);
    this.actualPresent = new Uint16Array(n);
    this.actualNonZero = new Uint16Array(n);
    this.budgetPresent = new Uint16Array(n);
    this.budgetNonZero = new Uint16Array(n);
    this.manual = missing();
    this.typedDeviation = missing();
    this.typedAnnual = missing();
    this.budgetMonthsToDate = missing();
    this.budgetMonthsTotal = missing();
    this.typedActual = missing();
    this.actualMonthsToDate = missing();
    this.method = new Array<ForecastMethod>(n).fill(defaultMethod);
    this.methodAsked = new Array<ForecastMethod | null>(n).fill(null);
    this.forecastFrom = new Array<ForecastFrom>(n).fill("method");
    this.periodKey = new Uint8Array(n);
    this.trendBase = missing();
    this.trendMonthly = missing();
    this.unrounded = missing();
  }

  get length(): number {
    return this.label.length;
  }

  /** How messages name a line: `Raden "Placeringar"`, or `Rad 7` when it has no label. */
  name(i: number): string {
    const label = this.label[i];
    return label ? `Raden "${label}"` : `Rad ${i + 1}`;
  }

  /** An amount of line i as the workbook shows it (negated for flipped lines). */
  shown(i: number, x: number): number {
    const v = this.flip[i] ? -x : x;
    return v === 0 ? 0 : v;
  }

  /** The typed annual budget, else the sum of the monthly budget (input convention); NaN when neither. */
  typedBudget(i: number): number {
    const annual = this.typedAnnual[i];
    return Number.isNaN(annual) ? this.budgetMonthsTotal[i] : annual;
  }

  /** The typed actual, else the sum of the monthly actuals to date (input convention); NaN when neither. */
  typedActualToDate(i: number): number {
    const actual = this.typedActual[i];
    return Number.isNaN(actual) ? this.actualMonthsToDate[i] : actual;
  }
}
