/**
 * What compute() reads before the lines: its options (each unusable one becomes OPTION_INVALID or
 * UNKNOWN_METHOD and its default), and the context every step is given: the options, the findings, the
 * period's constants and the amount formatter.
 */
import type { BacktestCells } from "./backtest";
import { formatAmount } from "./format";
import { parseMethod } from "./methods";
import { daysInYear, describeValue, periodDays } from "./period";
import type { PeriodSetup } from "./periodise";
import { Findings, MonthSums, OwnFields, prop, readNumber } from "./read";
import type { ForecastMethod, Periodisation, SignConvention, Unit } from "./types";

/** k of the trend method when the input does not give it. */
export const DEFAULT_TREND_MONTHS = 3;

/** The input's options as readOptions leaves them: every one usable. */
export interface Options {
  convention: SignConvention;
  periodisation: Periodisation;
  defaultMethod: ForecastMethod;
  roundingStep: number;
  roundingUnit: number;
  balanceTarget: number | null;
  unit: Unit;
  trendMonths: number;
  backtest: boolean;
}

/** What every step needs: the options, the findings, the period's constants and the amount formatter. */
export interface Context {
  options: Options;
  findings: Findings;
  /** The reporting month m. */
  month: number;
  /** Periodisation of an annual budget: × share of the year (m/12, or D_m/D by days). */
  shareNum: number;
  shareDen: number;
  /** Run rates: linear 12/m, days D/D_m. */
  linearRate: number;
  daysRate: number;
  /** The method used when the one asked for cannot be (a manual default without a manual forecast). */
  fallbackMethod: ForecastMethod;
  /** What periodisation by method needs (src/core/periodise.ts). */
  setup: PeriodSetup;
  /** Reads a line's fields (LINE_FIELDS). */
  lineFields: OwnFields;
  /** The cells only the backtest reads, null while no line has last year's months. */
  backtestCells: BacktestCells | null;
  /** The lines' Ansvar cells as read (OrgUnits.read), null while no line has one. */
  unitCells: unknown[] | null;
  /**
   * The typed budgets and actuals (in the net convention) of the revenue and cost lines since the last
   * total line, and how many of them are not empty (read-lines.ts: a line without Radtyp that equals
   * their sum is a total).
   */
  sinceTotal: { budget: number; actual: number; count: number };
  /** Where each line's monthly budget and actuals are summed (see plainMonths). */
  budgetSums: MonthSums;
  actualSums: MonthSums;
  fmt: (x: number, deviation?: boolean) => string;
}

function readOption<T extends string>(
  raw: unknown,
  allowed: Record<string, T>,
  fallback: T,
  findings: Findings,
  what: string,
): T {
  if (raw === null || raw === undefined) return fallback;
  const key = typeof raw === "string" ? raw.trim().toLowerCase() : "";
  if (Object.prototype.hasOwnProperty.call(allowed, key)) return allowed[key];
  findings.add("warning", "OPTION_INVALID", `${what} ${describeValue(raw)} är okänd; ${fallback} används.`);
  return fallback;
}

export function readOptions(input: Record<string, unknown>, findings: Findings): Options {
  const convention = readOption<SignConvention>(
    prop(input, "signConvention"),
    { net: "net", costpositive: "costPositive" },
    "net",
    findings,
    "Teckenkonventionen",
  );
  const periodisation = readOption<Periodisation>(
    prop(input, "periodisation"),
    { linear: "linear", linjär: "linear", days: "days", dagar: "days" },
    "linear",
    findings,
    "Periodiseringen",
  );
  const unit = readOption<Unit>(
    prop(input, "unit"),
    { kr: "kr", tkr: "tkr", mkr: "mkr", mnkr: "mkr" },
    "tkr",
    findings,
    "Enheten",
  );
  let defaultMethod: ForecastMethod = "linear";
  const rawMethod = prop(input, "defaultMethod");
  if (rawMethod !== null && rawMethod !== undefined) {
    const parsed = parseMethod(rawMethod);
    if (parsed) defaultMethod = parsed;
    else {
      findings.add(
        "warning",
        "UNKNOWN_METHOD",
        `Standardmetoden ${describeValue(rawMethod)} finns inte; linjär används.`,
      );
    }
  }
  const step = readNumber(prop(input, "roundingStep"), findings, {}, "Avrundningssteget").value ?? 0;
  if (step < 0)
    findings.add("warning", "OPTION_INVALID", "Avrundningssteget är negativt; prognoserna avrundas inte.");
  const unitRead = readNumber(prop(input, "roundingUnit"), findings, {}, "Avrundningsenheten").value;
  if (unitRead !== null && unitRead <= 0) {
    findings.add("warning", "OPTION_INVALID", "Avrundningsenheten måste vara större än 0; 1 används.");
  }
  const balanceTarget = readNumber(
    prop(input, "balanceTarget"),
    findings,
    {},
    "Målet för ekonomi i balans",
  ).value;
  return {
    convention,
    periodisation,
    defaultMethod,
    roundingStep: step > 0 ? step : 0,
    roundingUnit: unitRead !== null && unitRead > 0 ? unitRead : 1,
    balanceTarget,
    unit,
    trendMonths: readTrendMonths(prop(input, "trendMonths"), findings),
    backtest: prop(input, "backtest") !== false,
  };
}

/** The trend method's k: a whole number of months 1–11, default 3. */
function readTrendMonths(raw: unknown, findings: Findings): number {
  if (raw === null || raw === undefined) return DEFAULT_TREND_MONTHS;
  if (typeof raw === "number" && Number.isInteger(raw) && raw >= 1 && raw <= 11) return raw;
  findings.add(
    "warning",
    "OPTION_INVALID",
    `Antalet månader för trendmetoden ${describeValue(raw)} går inte att använda (1–11); ${DEFAULT_TREND_MONTHS} används.`,
  );
  return DEFAULT_TREND_MONTHS;
}

/** Decimals to show for amounts rounded to `unit` (1 → 0, 0.1 → 1). */
function displayDecimals(unit: number): number {
  return unit >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(unit) - 1e-9));
}

/**
 * The fields readLine (read-lines.ts) reads from a line; kept beside the reader built from them, so that
 * the context needs nothing from the steps that use it.
 */
const LINE_FIELDS = [
  "label",
  "annualBudget",
  "monthlyBudget",
  "actual",
  "actualMonthly",
  "lastYearMonthly",
  "manualForecast",
  "typedDeviation",
  "kind",
  "method",
  "orgUnit",
  "lastYearBudget",
  "twoYearsAgoMonthly",
];

export function createContext(year: number, month: number, options: Options, findings: Findings): Context {
  const D = daysInYear(year);
  const Dm = periodDays(year, month);
  const decimals = displayDecimals(options.roundingUnit);
  const byDays = options.periodisation === "days";
  return {
    options,
    findings,
    month,
    shareNum: byDays ? Dm : month,
    shareDen: byDays ? D : 12,
    linearRate: 12 / month,
    daysRate: D / Dm,
    fallbackMethod: options.defaultMethod === "manual" ? "linear" : options.defaultMethod,
    setup: {
      year,
      month,
      periodisation: options.periodisation,
      defaultMethod: options.defaultMethod,
      fallbackMethod: options.defaultMethod === "manual" ? "linear" : options.defaultMethod,
      trendMonths: options.trendMonths,
    },
    lineFields: new OwnFields(LINE_FIELDS),
    unitCells: null,
    sinceTotal: { budget: 0, actual: 0, count: 0 },
    backtestCells: null,
    budgetSums: new MonthSums(),
    actualSums: new MonthSums(),
    fmt: (x, deviation = false) => formatAmount(x, { decimals, sign: deviation ? "deviation" : "plain" }),
  };
}
