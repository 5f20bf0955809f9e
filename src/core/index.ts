/**
 * The calculation core's public API. Pure: plain data in, plain data out; no Office, no DOM, no I/O.
 *
 * - `compute(input)`: the whole follow-up (periodised budget, deviation, forecast per method, varav
 *   structure, totals, balance target, measures, action-plan summary, volume suggestions, findings,
 *   the backtest of each line on last year with its recommended method).
 * - `explainLine(line, result)`: the formula behind a line's forecast and period budget, in Swedish.
 * - `forecastAccuracy(history)`, `describeAccuracy`: prognossäkerhet over a year once its outcome is known.
 * - Units (Ansvar): `LedgerResult.units`; views `unitLedger`, `consolidate`/`consolidatedLines`,
 *   `consolidatedLedger`, `largestDeviations`/`describeLargestDeviations` (for the drafted summary),
 *   `combineLedgers` (unit ledgers into one, e.g. the nämnd's workbook).
 * - Method keys: `METHOD_KEYS_SV`, `METHOD_LABELS_SV`, `parseMethod`.
 * - Calendar: `daysInMonth`, `daysInYear`, `periodDays` (D_m), `periodLabel` ("30/4 2019"), `followUpLabel`.
 * - Swedish presentation: `formatAmount`, `formatMkr`, `formatMnkr`, `formatPercent`, `describeDeviation`,
 *   `roundHalfAwayFromZero`, `parseSwedishNumber`, `normaliseSwedishText`, `convertUnit`.
 */
export * from "./types";
export { compute, inferKind, MEASURES_LINE_LABEL } from "./compute";
export { isTransposition } from "./checks";
export { FORECAST_METHODS, METHOD_KEYS_SV, METHOD_LABELS_SV, parseMethod } from "./methods";
export {
  daysInMonth,
  daysInYear,
  followUpLabel,
  isLeapYear,
  MAX_YEAR,
  MIN_YEAR,
  monthName,
  MONTHS_SV,
  periodDays,
  periodEndIso,
  periodLabel,
  validatePeriod,
} from "./period";
export {
  convertUnit,
  describeDeviation,
  formatAmount,
  formatMkr,
  formatMnkr,
  formatPercent,
  normaliseSwedishText,
  parseSwedishNumber,
  roundHalfAwayFromZero,
  unitDecimals,
  type AmountFormat,
} from "./format";
export { measureLetter, VOLUME_RATIO_BAND } from "./actions";
export { BACKTEST_METHODS, rankMethods, RECOMMENDATION_RULE } from "./backtest";
export { describeBacktest, describeRecommendation, explainLine, type LineExplanation } from "./explain";
export {
  describeAccuracy,
  forecastAccuracy,
  type AccuracyPoint,
  type AccuracySeries,
  type ForecastAccuracy,
  type ForecastHistory,
  type ForecastLogEntry,
} from "./accuracy";
export {
  combineLedgers,
  consolidate,
  consolidatedLedger,
  consolidatedLines,
  describeLargestDeviations,
  largestDeviations,
  unitLedger,
  type UnitDeviation,
} from "./consolidate";
export { NO_UNIT_NAME } from "./units";
export { capitalised, countNoun } from "./summary";
