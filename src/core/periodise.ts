/**
 * Periodisation that agrees with the forecast method (docs/TEMPLATE.md "Periodisering"), and the trend
 * method's deviation at month m − k.
 *
 * Why: a line forecast by days (F = A × D/D_m) whose annual budget is periodised by twelfths shows a
 * deficit while it is exactly on budget (−69 761 against −69 761 by twelfths is −2 900 tkr by days). So
 * without monthly budgets the annual budget is spread the way the method spreads the outcome: `dagar` by
 * days, `säsong` and `trend` by last year's monthly profile when it is known; every other method (and a
 * manual forecast) by the workbook's periodisation setting. Then a line on budget forecasts its budget.
 */
import { KEY_DAYS, KEY_LAST_YEAR, KEY_LINEAR, KEY_MONTHS, type Lines } from "./lines";
import { daysInYear, periodDays } from "./period";
import { Findings, plainNumber, prop, readNumber } from "./read";
import type { ForecastMethod, Periodisation } from "./types";

export interface PeriodSetup {
  year: number;
  month: number;
  periodisation: Periodisation;
  defaultMethod: ForecastMethod;
  /** The method used for a `manual` line without a manual forecast. */
  fallbackMethod: ForecastMethod;
  trendMonths: number;
}

/** The method that will forecast line i, as far as reading can tell ("manual" when a manual forecast is typed). */
export function plannedMethod(lines: Lines, i: number, setup: PeriodSetup): ForecastMethod {
  if (!Number.isNaN(lines.manual[i])) return "manual";
  const method = lines.methodAsked[i] ?? setup.defaultMethod;
  return method === "manual" ? setup.fallbackMethod : method;
}

/** Share of last year's outcome in months 1..cut, when it can periodise (a total ≠ 0, share in [0, 1]). */
export function profileShare(toCut: number, total: number): number {
  if (Number.isNaN(toCut) || Number.isNaN(total) || total === 0) return NaN;
  const share = toCut / total;
  return share >= 0 && share <= 1 ? share : NaN;
}

/** The key (Lines.periodKey) for line i's annual budget, from its planned method. */
export function chooseKey(lines: Lines, i: number, setup: PeriodSetup): number {
  if (!Number.isNaN(lines.budgetMonthsToDate[i])) return KEY_MONTHS;
  const method = plannedMethod(lines, i, setup);
  if (method === "days") return KEY_DAYS;
  const toDate = lines.lastYearToDate[i];
  const usable = !Number.isNaN(profileShare(toDate, lines.lastYearTotal[i]));
  if (usable && (method === "trend" || (method === "seasonal" && toDate !== 0))) return KEY_LAST_YEAR;
  return settingKey(setup);
}

export function settingKey(setup: PeriodSetup): number {
  return setup.periodisation === "days" ? KEY_DAYS : KEY_LINEAR;
}

/**
 * The annual budget's share for months 1..cut under `key` as numerator/denominator, so that the product is
 * computed as (annual × num) / den like the core always has (identical results for the linear and days keys).
 */
export function shareOf(
  key: number,
  cut: number,
  setup: PeriodSetup,
  lastYearToCut: number,
  lastYearTotal: number,
): [number, number] {
  if (key === KEY_DAYS) return [periodDays(setup.year, cut), daysInYear(setup.year)];
  if (key === KEY_LAST_YEAR) return [lastYearToCut, lastYearTotal];
  return [cut, 12];
}

export function periodiseWith(annual: number, share: [number, number]): number {
  const [num, den] = share;
  return num === den ? annual : (annual * num) / den;
}

/** Σ of months 1..cut of a twelve-month range as the core reads it (blank or unusable = 0); null if not 12. */
export function monthsTo(raw: unknown, cut: number): number | null {
  if (!Array.isArray(raw) || raw.length !== 12) return null;
  let total = 0;
  for (let t = 0; t < cut; t++) {
    const plain = plainNumber(raw[t]);
    total += plain === undefined ? (readNumber(raw[t], new Findings(), {}, "").value ?? 0) : (plain ?? 0);
  }
  return total;
}

/**
 * The trend method's starting point for line i: its deviation (input convention) after month m − k, from
 * the monthly outcomes and the monthly budgets (or the annual budget periodised with the line's key).
 * NaN when the period has fewer than k months or only a year-to-date outcome is given. May move the
 * line's key from last year's profile to the setting when the profile cannot periodise month m − k.
 */
export function readTrendBase(
  item: Record<string, unknown> | null,
  lines: Lines,
  i: number,
  setup: PeriodSetup,
): number {
  const cut = setup.month - setup.trendMonths;
  if (cut < 0 || item === null) return NaN;
  const actual = monthsTo(prop(item, "actualMonthly"), cut);
  if (actual === null) return NaN;
  const months = monthsTo(prop(item, "monthlyBudget"), cut);
  if (months !== null) return actual - months;
  const annual = Number.isNaN(lines.typedAnnual[i]) ? 0 : lines.typedAnnual[i];
  if (lines.periodKey[i] === KEY_LAST_YEAR) {
    const lastYearCut = lines.lastYearToCut[i]; // months 1..m − k, read once (history.ts)
    const total = lines.lastYearTotal[i];
    if (Number.isNaN(profileShare(lastYearCut, total))) lines.periodKey[i] = settingKey(setup);
    else return actual - periodiseWith(annual, [lastYearCut, total]);
  }
  return actual - periodiseWith(annual, shareOf(lines.periodKey[i], cut, setup, NaN, NaN));
}
