/**
 * The calculation core's public data model. Plain data in, plain data out: no Office, no DOM, no I/O.
 * Code names follow the glossary in shared/DOMAIN.md §4 (utfall = actual, avvikelse = deviation, ...).
 *
 * Conventions
 * - All amounts are in the workbook's unit (kr, tkr or mkr) and are never rounded by the core except by
 *   the optional forecast rounding step.
 * - Internally the core works in the net-result convention: revenue positive, costs negative, and
 *   deviation = actual − budget so that + is always favourable. With `signConvention: "costPositive"`
 *   the input and output amounts of cost lines are positive; deviations stay + favourable.
 */

export type LineKind = "revenue" | "cost" | "ofWhich" | "total";

/** Forecast methods. Swedish keys (used in the workbook's `Metod` column) map via METHOD_KEYS_SV. */
export type ForecastMethod = "linear" | "days" | "budget" | "seasonal" | "zero" | "manual" | "trend";

export type SignConvention = "net" | "costPositive";

/** How an annual budget is spread over the months when no monthly budget is given. */
export type Periodisation = "linear" | "days";

export type Unit = "kr" | "tkr" | "mkr";

export interface Period {
  year: number;
  /** Reporting month 1–12: the outcome covers months 1..month. */
  month: number;
}

export interface LedgerLine {
  label: string;
  /** Omitted: inferred (label "varav …" → ofWhich; "Summa"/"Totalt" → total; else by budget sign, then actual). */
  kind?: LineKind;
  /** Annual budget. When `monthlyBudget` is given and this is omitted, it is the sum of the months. */
  annualBudget?: number | null;
  /** Twelve monthly budgets, January..December. */
  monthlyBudget?: (number | null)[] | null;
  /** Outcome to date (year-to-date). */
  actual?: number | null;
  /** Or twelve monthly outcomes; months after the period are ignored. */
  actualMonthly?: (number | null)[] | null;
  /** Last year's twelve monthly outcomes, for the seasonal method and the backtest. */
  lastYearMonthly?: (number | null)[] | null;
  /** Last year's annual budget (BudgetFgAr), so that the backtest can try `budget`, `zero` and `trend`. */
  lastYearBudget?: number | null;
  /**
   * The twelve monthly outcomes of two years back (UtfallFgAr2): the seasonal profile of the backtest, so
   * that last year is not forecast with its own profile.
   */
  twoYearsAgoMonthly?: (number | null)[] | null;
  /** Omitted: the ledger's default method. */
  method?: ForecastMethod | null;
  /** A filled manual full-year forecast overrides any method. */
  manualForecast?: number | null;
  comment?: string | null;
  /**
   * A deviation already typed in the workbook for this line (for example the printed figure of an earlier
   * report). Only checked against the computed deviation (DEVIATION_MISMATCH), never used.
   */
  typedDeviation?: number | null;
  /**
   * Ansvar: the unit (avdelning, enhet or responsibility code and name) the line belongs to. Omitted on
   * every line: one flat ledger as before. A blank varav line takes its parent's unit; a blank total line
   * totals the whole ledger.
   */
  orgUnit?: string | null;
}

export type MeasureType = "forecast" | "decided";

export interface Measure {
  /** Område: the measures of one area are grouped and numbered in order of first appearance. */
  area: string;
  text: string;
  /** Avoided cost (utebliven kostnad) for the forecast year, positive; a text such as "Summa ges efter analysen" or null when not yet given. */
  amount: number | string | null;
  type: MeasureType;
  /** Inräknad: counted into the forecast. */
  includedInForecast: boolean;
  /** Label of the ledger line the measure affects (Post); null = the separate line "Åtgärder inräknade i prognosen". */
  line?: string | null;
  responsible?: string | null;
  status?: string | null;
  /** Ansvar: the unit the measure belongs to; its Post is then looked up among that unit's lines. */
  orgUnit?: string | null;
}

export type VolumeType = "flow" | "stock" | "average";

export interface VolumeMeasure {
  label: string;
  type: VolumeType;
  /** Outcome to date (for flows: the sum over months 1..m; for stocks/averages: the latest value). */
  actual: number | null;
  /** The ekonom's own forecast, kept and shown beside the suggestion. */
  forecast?: number | null;
  /** Last year's full-year value, or a marker text such as "Nytt mått". */
  lastYear?: number | string | null;
  /**
   * For a stock: the flow measures (by label) that add to it and take from it. The stock then must equal
   * last year's value + Σ inflows − Σ outflows (S1: pågående utredningar 449 + 620 − 691 = 378).
   */
  inflow?: string[] | null;
  outflow?: string[] | null;
}

export interface LedgerInput {
  period: Period;
  lines: LedgerLine[];
  signConvention?: SignConvention;
  periodisation?: Periodisation;
  defaultMethod?: ForecastMethod;
  /** Rounding step r for forecast deviations (for example 100 tkr); null/0 = no rounding. */
  roundingStep?: number | null;
  /**
   * The unit the typed figures are rounded to (default 1: whole kr/tkr; 0.1 for mkr with one decimal).
   * Checks allow half of it per rounded operand before a difference counts as more than rounding.
   */
  roundingUnit?: number | null;
  /** Ekonomi i balans: the target for the net result's forecast deviation. */
  balanceTarget?: number | null;
  /** k of the trend method: how many of the latest months' deviations are averaged (default 3). */
  trendMonths?: number | null;
  /** Backtest every line with last year's months on last year (default true). */
  backtest?: boolean | null;
  unit?: Unit;
  measures?: Measure[];
  /**
   * false (default): a manual forecast is the ekonom's final figure, and included measures on that line
   * (or on a varav line under a manual parent) are not added (finding MEASURE_MANUAL_FINAL). true: they
   * are added on top of the manual forecast.
   */
  measuresOnManualForecast?: boolean;
  /** Committee meeting dates as ISO dates (YYYY-MM-DD), for the Återrapport rows. */
  committeeDates?: string[];
  volumes?: VolumeMeasure[];
}

/**
 * - `error`: a clear slip that makes a figure wrong (a missing minus sign, transposed digits, a varav line
 *   whose sign explains the whole difference to its parent).
 * - `warning`: a difference beyond rounding, or input the core had to replace with a safe value.
 * - `info`: within rounding tolerance (half a unit per rounded operand), or a harmless fallback.
 */
export type FindingLevel = "error" | "warning" | "info";

/** Which input of a line a finding concerns, so that the workbook layer can name the cell. */
export type LineField =
  | "label"
  | "kind"
  | "budget"
  | "actual"
  | "lastYear"
  | "lastYearBudget"
  | "twoYearsAgo"
  | "method"
  | "manualForecast"
  | "comment"
  | "orgUnit";

export interface Finding {
  level: FindingLevel;
  /** Stable code, e.g. SIGN_SUSPECT, OFWHICH_MISMATCH, TOTAL_MISMATCH, SEASONAL_FALLBACK, MANUAL_MISSING. */
  code: string;
  /** Swedish message for people. */
  message: string;
  /** The ledger line concerned (index into LedgerInput.lines), if any. */
  line?: number;
  field?: LineField;
  /** The month (1–12) within a twelve-month field (Utfall per månad), when one month is the cell. */
  month?: number;
  /** Index into LedgerInput.measures / LedgerInput.volumes, if the finding concerns one. */
  measure?: number;
  volume?: number;
}

export interface LineResult {
  index: number;
  label: string;
  kind: LineKind;
  /** For ofWhich lines: the index of the parent line. */
  parent: number | null;
  annualBudget: number;
  periodBudget: number;
  actual: number;
  deviation: number;
  /** The method that produced the forecast (manual when a manual forecast overrides). */
  method: ForecastMethod;
  forecast: number;
  forecastDeviation: number;
  /** Sum of included measures' avoided costs that raised this line's forecast. */
  measuresIncluded: number;
  /**
   * Where the forecast came from: the line's method, its manual forecast, the sum of its varav lines,
   * (total lines) the sum of the lines it totals, or (December, the year known) the line's outcome.
   */
  forecastFrom?: "method" | "manual" | "ofWhich" | "sum" | "actual";
  /**
   * How the period budget was found: the monthly budgets, or the annual budget periodised linearly
   * (m/12), by days (D_m/D) or by last year's monthly profile, or the sum of the varav lines' period
   * budgets when they are periodised differently from their parent (ofWhich) or the parent has no budget
   * of its own (ofWhichBlank). See docs/TEMPLATE.md "Periodisering".
   */
  periodisedBy?: PeriodisedBy;
  /** Last year's months 1..m and all twelve, when given (shown convention): the seasonal factor. */
  lastYearToDate?: number | null;
  lastYearTotal?: number | null;
  /** trend: the average monthly deviation of the last `LedgerResult.trendMonths` months. */
  trendMonthly?: number | null;
  /** The method's forecast before the rounding step and measures (shown convention); null if not a method's. */
  unroundedForecast?: number | null;
  /** The line's unit (Ansvar), when the ledger has units; absent on a total line of the whole ledger. */
  orgUnit?: string;
  /**
   * For a parent whose varav lines do not cover it: the part they leave out (parent − Σ varav, "ej
   * specificerat") and its forecast by the parent's method, which the parent's forecast includes.
   */
  unitemised?: UnitemisedPart;
}

/** The part of a parent line that its varav lines leave out (shown convention, like LineResult). */
export interface UnitemisedPart {
  actual: number;
  periodBudget: number;
  annualBudget: number;
  deviation: number;
  method: ForecastMethod;
  forecast: number;
  forecastDeviation: number;
  /** The method's forecast before the rounding step. */
  unroundedForecast: number;
  /** trend: the average monthly deviation of the last k months; null for other methods. */
  trendMonthly: number | null;
}

/** How a line's period budget was found (see LineResult.periodisedBy). */
export type PeriodisedBy = "months" | "linear" | "days" | "lastYear" | "ofWhich" | "ofWhichBlank";

export interface NetResult {
  actual: number;
  periodBudget: number;
  deviation: number;
  annualBudget: number;
  forecast: number;
  forecastDeviation: number;
  balanceTarget: number | null;
  /** forecastDeviation − balanceTarget, or null without a target. */
  deviationVsBalanceTarget: number | null;
}

export interface ActionPlanArea {
  number: number;
  name: string;
  measures: {
    letter: string;
    index: number;
    text: string;
    responsible?: string | null;
    status?: string | null;
    /** The ledger line (Post) the measure concerns, as typed. */
    line?: string | null;
    /** The measure's unit (Ansvar), when given. */
    orgUnit?: string;
  }[];
  /** Sum of the area's numeric amounts (either type); null when none is numeric. */
  total: number | null;
  /** The texts given instead of amounts (e.g. "Summa ges efter analysen"). */
  pendingTexts: string[];
  forecastTotal: number;
  decidedTotal: number;
}

export interface ActionPlanSummary {
  areas: ActionPlanArea[];
  /** Total of forecast-type numeric amounts (decided and not-yet-given excluded). */
  forecastTotal: number;
  decidedTotal: number;
  /** Names of the areas/measures excluded from forecastTotal, and why. */
  excluded: { area: string; text: string; reason: "decided" | "notGiven" }[];
  /**
   * Follow-up rows, e.g. "Återrapport 1 Nämnd 190612": every committee meeting of the period's year,
   * numbered in date order, so a meeting keeps its number from one period to the next.
   */
  followUps: string[];
  /** The ISO date of each follow-up row (same order as followUps). */
  followUpDates?: string[];
  /** Included measures with no named line go to this extra line (null when there are none). */
  unassignedIncluded: number;
}

export interface VolumeResult {
  index: number;
  label: string;
  type: VolumeType;
  actual: number | null;
  /** Flows: run-rate by days (actual × D/D_m); stocks and averages: the latest value. */
  suggestion: number | null;
  forecast: number | null;
  lastYear: number | string | null;
  /** forecast / suggestion (e.g. 12 000 / 13 742 = 0,87), null when either is missing or the suggestion is 0. */
  forecastToSuggestion?: number | null;
  /** For a stock tied to flows: what last year's value and the flows give, for the outcome and the forecast. */
  stockFlow?: { expected: number | null; forecastExpected: number | null } | null;
}

/** An included measure that changed a forecast: its line's label, or null for the extra measures line. */
export interface AppliedMeasure {
  index: number;
  area: string;
  text: string;
  line: string | null;
  /** Avoided cost added to the forecast (in the workbook's unit; + raises the forecast deviation). */
  amount: number;
}

export interface LedgerResult {
  period: Period;
  unit: Unit;
  lines: LineResult[];
  result: NetResult;
  actionPlan: ActionPlanSummary;
  volumes: VolumeResult[];
  findings: Finding[];
  /** The included measures that were counted into the forecast, in measure order. */
  measuresApplied?: AppliedMeasure[];
  /** The backtest on last year of every line that has last year's months (src/core/backtest.ts). */
  backtests?: LineBacktest[];
  /** k of the trend method as used. */
  trendMonths?: number;
  /** Per-unit results, present only when lines carry a unit (Ansvar). */
  units?: UnitsResult;
}

/** One unit (Ansvar) of a ledger with units. */
export interface OrgUnitResult {
  name: string;
  /** Indices (into LedgerResult.lines) of the unit's lines, its varav and total lines included. */
  lines: number[];
  /** The unit's net result: its revenue and cost lines. Balance target: only for the whole (null here). */
  result: NetResult;
  /** Included measures that raised the forecast of the unit's lines. */
  measuresIncluded: number;
}

export interface UnitsResult {
  /** In order of first appearance; lines without a unit form the last one, "Utan ansvar". */
  units: OrgUnitResult[];
  /**
   * Included measures on the extra line "Åtgärder inräknade i prognosen" (no line found for them): they
   * count for the whole, not for a unit. Σ units' results + these = LedgerResult.result.
   */
  unassignedMeasures: number;
}

/** The methods a backtest can try. */
export type BacktestMethodName = "linear" | "days" | "seasonal" | "trend" | "budget" | "zero";

/** One method simulated on last year at the current reporting month (see rankMethods). */
export interface BacktestMethod {
  method: BacktestMethodName;
  /** The full-year forecast the method would have made last year at month m (shown convention). */
  forecast: number;
  /** forecast − last year's actual full-year outcome. */
  error: number;
  /** |error| / |last year's outcome| (0.012 = 1,2 %); NaN when the outcome is 0. */
  errorShare: number;
}

/** Why a line got no recommendation (or "recommended"). */
export type RecommendationReason =
  | "recommended"
  | "yearEnd"
  | "fewMonths"
  | "zeroOutcome"
  | "oneMethod"
  | "noMargin"
  | "largeError"
  | "fromOfWhich";

export interface LineBacktest {
  /** Index into LedgerResult.lines. */
  line: number;
  label: string;
  /** Last year's actual full-year outcome (shown convention). */
  outcome: number;
  /** Last year's annual budget (BudgetFgAr), null when not given. */
  budget: number | null;
  /**
   * The full-year forecast each method would have made last year at month m (shown convention), in the
   * order of BACKTEST_METHODS (linjär, dagar, säsong, trend, budget, noll); NaN where the data did not
   * allow the method (null in JSON). `rankMethods` (src/core/backtest.ts) lists them best first with
   * their errors. An array of numbers rather than an object, so that backtesting every line stays cheap.
   */
  forecasts: number[];
  /** The recommended method, or null when the evidence is not enough (see `reason`). */
  recommended: BacktestMethodName | null;
  reason: RecommendationReason;
  /** The method the line uses now. */
  current: ForecastMethod;
}

/** Thrown by the core for input that cannot be computed at all (e.g. a period outside 1–12). */
export class CoreInputError extends Error {
  constructor(
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "CoreInputError";
  }
}
