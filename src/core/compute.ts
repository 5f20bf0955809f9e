/**
 * The whole computation, LedgerInput → LedgerResult. compute() runs the steps in order, each over every
 * line before the next starts; the steps live in
 * - context.ts: the options read from the input and the context every step is given;
 * - read-lines.ts (1–2): each line's cells, kind and method; the varav structure and the sign flips;
 * - budgets.ts (3–4): period budgets and actuals, typed sums against their months, residual varav lines;
 * - forecasts.ts (5–6): forecasts by method or manual figure, the included measures;
 * - parents.ts (7): parents' forecasts from their varav lines;
 * - totals.ts (8–9): total lines, the results of lines and units, the net result and balance target;
 * - checks.ts (10): the checks on the typed figures;
 * and actions.ts (measures, action plan, volumes), backtest.ts and units.ts (Ansvar).
 */
import { computeVolumes, readFollowUps, readMeasures, summariseActionPlan } from "./actions";
import { backtestLines } from "./backtest";
import { checkTypedSums, fillBlankParent, fillResiduals, reportMissing, sumChildPeriods } from "./budgets";
import { checkLines, clean } from "./checks";
import { createContext, readOptions } from "./context";
import { applyMeasures, forecastLine } from "./forecasts";
import { checkManualParent, sumChildForecasts } from "./parents";
import { Lines } from "./lines";
import { describeValue, validatePeriod } from "./period";
import { Findings, isRecord, prop } from "./read";
import { linkOfWhich, readLine } from "./read-lines";
import { lineResult, measuresLineResult, netResult, sumTotals, unitResults } from "./totals";
import type { AppliedMeasure, LedgerInput, LedgerResult, LineResult } from "./types";
import { CoreInputError } from "./types";
import { OrgUnits } from "./units";

export { DEFAULT_TREND_MONTHS } from "./context";
export { MEASURES_LINE_LABEL } from "./forecasts";
export { inferKind } from "./read-lines";

/**
 * Computes the whole follow-up (the steps listed above). Throws CoreInputError (code PERIOD_INVALID or
 * INPUT_INVALID) only when the period or the input itself cannot be used at all; every other problem
 * becomes a Finding and a safe value (0, or the fallback method). Never rounds except by `roundingStep`.
 *
 * Rules in brief:
 * - Period budget: Σ monthly budgets 1..m, else annual × m/12 (`linear`) or × D_m/D (`days`).
 * - Forecast per line: a manual forecast wins; else the method (default `linear`); the forecast deviation
 *   is rounded to `roundingStep` (manual forecasts are not rounded). A parent with varav lines takes the
 *   sum of their forecasts unless it has a manual one; when they do not cover it, plus the forecast of
 *   what they leave out by the parent's method (OFWHICH_UNITEMISED, info). Included measures then raise their line's forecast,
 *   except where a manual forecast decides it (the line's own, or a varav line's parent's): a manual
 *   forecast is the ekonom's final figure (MEASURE_MANUAL_FINAL, warning) unless
 *   `measuresOnManualForecast` is true, which adds the measures on top.
 * - A single blank varav line is the residual of its parent (OFWHICH_RESIDUAL, info); a parent's blank
 *   utfall or budget is the sum of its varav lines' (OFWHICH_SUM, info).
 * - A total line sums the revenue and cost lines since the previous total line (all above it when there
 *   are none, i.e. a grand total); the last total also includes the extra line "Åtgärder inräknade i
 *   prognosen". The net result sums every revenue and cost line. With costPositive, total lines and the
 *   net result are shown cost-positive (negated) like cost lines.
 *
 * Findings (code → level):
 * - Months (months.ts): ACTUAL_MONTH_MISSING, ACTUAL_AFTER_PERIOD, BUDGET_MONTH_MISSING,
 *   BUDGET_IN_ONE_MONTH (warning);
 *   (cumulative.ts) ACTUAL_CUMULATIVE (warning: months typed as the outcome to date); (month-scale.ts)
 *   MONTH_SCALE (warning: one month a thousand times the others, kr typed in a tkr workbook);
 *   (kind-sign.ts) KIND_SIGN (warning: Radtyp kostnad with a positive budget), NO_COST_LINES (warning).
 * - Checks: SIGN_SUSPECT (warning: the outcome to date, one outcome month, one budget month),
 *   FORECAST_BELOW_ACTUAL (warning), OFWHICH_FORECAST_MISMATCH (a parent's manual forecast against its
 *   varav lines' forecasts beyond rounding: levels as OFWHICH_MISMATCH), OFWHICH_MISMATCH, TOTAL_MISMATCH, DEVIATION_MISMATCH, BUDGET_MISMATCH,
 *   ACTUAL_MISMATCH (info within rounding tolerance = half a `roundingUnit` per rounded operand; error for a
 *   sign slip, two transposed digits or a difference beyond the tolerance by more than one `roundingUnit`
 *   (the tolerance × the months a figure sums from its rounded months); warning otherwise. BUDGET_MISMATCH
 *   and ACTUAL_MISMATCH are always warnings: the months are used instead).
 * - Fallbacks: SEASONAL_FALLBACK, MANUAL_MISSING, UNKNOWN_METHOD, UNKNOWN_KIND, OFWHICH_ORPHAN (warning).
 * - Kinds: TOTAL_FROM_SUMS (info: a line without Radtyp that is the sum of the lines above is a total).
 * - Input: NOT_A_NUMBER, NOT_FINITE, NUMBER_TOO_LARGE, BAD_MONTHLY_LENGTH, NOT_TEXT, BAD_LINE, LINES_INVALID,
 *   EMPTY_LEDGER, OPTION_INVALID (warning); NUMBER_AS_TEXT, ACTUAL_MISSING, BUDGET_MISSING (info).
 * - Units (lines with `orgUnit`, see units.ts): ORG_UNIT_OFWHICH (error), ORG_UNIT_MISSING,
 *   ORG_UNIT_TOTAL_EMPTY, MEASURE_UNIT_UNKNOWN (warning). A total line with a unit sums that unit's lines;
 *   without one (when the ledger has units) it sums the whole ledger above it.
 * - Measures and volumes: MEASURE_LINE_UNKNOWN, MEASURE_TYPE_UNKNOWN, MEASURE_INCLUDED_INVALID, BAD_MEASURE,
 *   MEASURES_INVALID, BAD_DATE, DATES_INVALID, VOLUME_TYPE_UNKNOWN, VOLUME_FORECAST_DEVIATES, BAD_VOLUME,
 *   VOLUMES_INVALID, MEASURE_MANUAL_FINAL, MEASURE_ON_PARENT (warning: a measure on a parent with varav lines
 *   leaves them short of it in the forecast column); MEASURE_NOT_COUNTED (info).
 */
export function compute(input: LedgerInput): LedgerResult {
  const raw: unknown = input;
  if (!isRecord(raw)) {
    throw new CoreInputError(
      "INPUT_INVALID",
      "Indata saknas: beräkningen behöver en period och en lista med rader.",
    );
  }
  const period = validatePeriod(prop(raw, "period"));
  const findings = new Findings();
  const options = readOptions(raw, findings);
  const ctx = createContext(period.year, period.month, options, findings);

  const rawLines = prop(raw, "lines");
  const lineList: unknown[] = Array.isArray(rawLines) ? rawLines : [];
  if (rawLines !== undefined && rawLines !== null && !Array.isArray(rawLines)) {
    findings.add("warning", "LINES_INVALID", `Raderna är inte en lista (${describeValue(rawLines)}).`);
  }
  if (lineList.length === 0) {
    findings.add("warning", "EMPTY_LEDGER", "Underlaget har inga rader att beräkna; alla summor blir 0.");
  }

  // Each step runs over every line before the next starts, so that findings come in a stable order.
  const lines = new Lines(lineList.length, options.defaultMethod);
  const n = lines.length;
  // 1. Read every line (input convention), infer kinds.
  for (let i = 0; i < n; i++) readLine(lineList[i], i, lines, ctx);
  // 2. Structure: parents of varav lines, sign flips (amounts into the internal convention).
  linkOfWhich(lines, ctx);
  const units = OrgUnits.read(ctx.unitCells, n, findings);
  units?.link(lines, findings);
  // 3. Typed sums against their months (the amounts themselves were set while reading).
  for (let i = 0; i < n; i++) checkTypedSums(lines, i, ctx);
  // 4. A single blank varav line is the residual of its parent (övriga = parent − named varav lines).
  for (let i = 0; i < n; i++) {
    if (lines.kind[i] !== "total" && lines.childCount[i] > 0) {
      fillResiduals(lines, i, ctx);
      fillBlankParent(lines, i, ctx);
    }
  }
  for (let i = 0; i < n; i++) {
    if (lines.kind[i] !== "total" && lines.childCount[i] > 0) sumChildPeriods(lines, i);
  }
  for (let i = 0; i < n; i++) reportMissing(lines, i, ctx);
  // 5. Forecast by method for every non-total line.
  for (let i = 0; i < n; i++) {
    lines.deviation[i] = clean(lines.actual[i] - lines.period[i]);
    if (lines.kind[i] !== "total") forecastLine(lines, i, ctx);
  }
  // 6. Measures counted into the forecast raise the forecast of their line (or of the extra line).
  const measures = readMeasures(prop(raw, "measures"), findings);
  const measuresApplied: AppliedMeasure[] = [];
  const onManual = prop(raw, "measuresOnManualForecast") === true;
  const unassigned = applyMeasures(measures, lines, findings, units, onManual, measuresApplied, period.month);
  // 7. Parents with varav lines take the sum of their children's forecasts (a manual one is checked against it).
  for (let i = 0; i < n; i++) {
    if (lines.kind[i] === "total" || lines.childCount[i] === 0) continue;
    if (Number.isNaN(lines.manual[i])) sumChildForecasts(lines, i, ctx);
    else checkManualParent(lines, i, ctx);
  }
  // 8. Totals, then the results of every line and the extra measures line.
  const { all: net, perUnit } = sumTotals(lines, unassigned, ctx, units);
  const results: LineResult[] = new Array<LineResult>(n);
  for (let i = 0; i < n; i++) results[i] = lineResult(lines, i);
  if (units) for (let i = 0; i < n; i++) if (units.of[i] >= 0) results[i].orgUnit = units.names[units.of[i]];
  if (unassigned !== null) results.push(measuresLineResult(n, unassigned, options));
  // 9. Net result and balance target.
  const result = netResult(net, options);
  // 10. Checks on the typed figures.
  checkLines(lines, findings, {
    rawLines: lineList,
    month: period.month,
    roundingUnit: options.roundingUnit,
    fmt: ctx.fmt,
    unit: options.unit,
  });

  const followUps = readFollowUps(prop(raw, "committeeDates"), period, findings);
  const actionPlan = summariseActionPlan(measures, followUps, unassigned ?? 0);
  const volumes = computeVolumes(prop(raw, "volumes"), period, findings);
  const backtests = options.backtest ? backtestLines(ctx.backtestCells, lines, ctx.setup, findings) : [];
  const out: LedgerResult = {
    period,
    unit: options.unit,
    lines: results,
    result,
    actionPlan,
    volumes,
    findings: findings.list,
    measuresApplied,
    backtests,
    trendMonths: options.trendMonths,
  };
  if (units) out.units = { units: unitResults(units, perUnit, options), unassignedMeasures: unassigned ?? 0 };
  return out;
}
