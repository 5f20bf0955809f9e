/**
 * Step 7 of compute(): a parent's forecast from its varav lines. They partition their parent (DOMAIN.md
 * §1.2), so the parent's forecast is the sum of theirs, plus, when they leave part of it unitemised, that
 * part's forecast by the parent's own method; a parent's manual forecast is checked against theirs.
 */
import { classify, clean, isTransposition, ofWhichSlip } from "./checks";
import type { Context } from "./context";
import { byAmounts, rounded } from "./forecasts";
import type { Lines, Unitemised } from "./lines";
import { METHOD_LABELS_SV } from "./methods";

/**
 * Step 7 for one parent without a manual forecast: the sum of its varav lines' forecasts, plus the
 * forecast of what they leave out when they do not cover it (DOMAIN.md §1.2: the varav lines partition
 * their parent, so what is not itemised is a part of its own, "ej specificerat").
 */
export function sumChildForecasts(lines: Lines, parent: number, ctx: Context): void {
  if (ctx.month === 12) return; // the year is known: the parent's outcome (yearEnd)
  let forecast = 0;
  for (let k = parent + 1; k <= parent + lines.childCount[parent]; k++) forecast += lines.forecast[k];
  const rest = unitemised(lines, parent, ctx);
  if (rest) {
    lines.unitemised.set(parent, rest);
    forecast += rest.forecast;
    const { fmt } = ctx;
    ctx.findings.add(
      "info",
      "OFWHICH_UNITEMISED",
      `${lines.name(parent)}: varav-raderna täcker inte hela raden. Det som inte är specificerat (utfall ${fmt(
        lines.shown(parent, rest.actual),
      )}, årsbudget ${fmt(lines.shown(parent, rest.annual))}) får prognosen ${fmt(
        lines.shown(parent, rest.forecast),
      )} med metoden ${METHOD_LABELS_SV[rest.method]}, och radens prognos är varav-radernas prognoser plus den.`,
      { line: parent },
    );
  }
  lines.forecast[parent] = clean(forecast + lines.measures[parent]);
  lines.forecastFrom[parent] = "ofWhich";
}

/**
 * What a parent's varav lines leave out (parent − Σ varav in utfall, periodbudget and årsbudget),
 * forecast by the parent's own method (säsong with the parent's profile; trend when the parent and every
 * varav line have their deviation at month m − k; otherwise linjär); null when the varav lines cover the
 * parent.
 */
function unitemised(lines: Lines, parent: number, ctx: Context): Unitemised | null {
  const sums = childSums(lines, parent);
  if (coversAll(lines, parent, sums, ctx.options.roundingUnit)) return null;
  const A = clean(lines.actual[parent] - sums.actual);
  const P = clean(lines.period[parent] - sums.period);
  const B = clean(lines.annual[parent] - sums.annual);
  let method = lines.methodAsked[parent] ?? ctx.options.defaultMethod;
  if (method === "manual") method = ctx.fallbackMethod;
  let F = NaN;
  let monthly = NaN;
  if (method === "seasonal") {
    const toDate = lines.lastYearToDate[parent];
    if (!Number.isNaN(toDate) && toDate !== 0) F = A * (lines.lastYearTotal[parent] / toDate);
  } else if (method === "trend") {
    monthly = unitemisedTrend(lines, parent, A - P, ctx);
    if (!Number.isNaN(monthly)) F = B + (A - P) + (12 - ctx.month) * monthly;
  } else F = byAmounts(method, A, P, B, ctx);
  if (Number.isNaN(F)) {
    method = "linear";
    F = A * ctx.linearRate;
  }
  return {
    actual: A,
    period: P,
    annual: B,
    method,
    unrounded: clean(F),
    forecast: clean(rounded(F, B, ctx)),
    trendMonthly: clean(monthly),
  };
}

/** Σ utfall, periodbudget and årsbudget of a parent's varav lines, in order. */
function childSums(lines: Lines, parent: number): { actual: number; period: number; annual: number } {
  let actual = 0;
  let period = 0;
  let annual = 0;
  for (let k = parent + 1; k <= parent + lines.childCount[parent]; k++) {
    actual += lines.actual[k];
    period += lines.period[k];
    annual += lines.annual[k];
  }
  return { actual, period, annual };
}

/** Do a parent's varav lines cover it in utfall, periodbudget and årsbudget (see covers)? */
function coversAll(lines: Lines, parent: number, sums: ReturnType<typeof childSums>, unit: number): boolean {
  return (
    covers(lines, parent, lines.actual, sums.actual, unit) &&
    covers(lines, parent, lines.period, sums.period, unit) &&
    covers(lines, parent, lines.annual, sums.annual, unit)
  );
}

/**
 * Step 7 for one parent with a manual forecast: OFWHICH_FORECAST_MISMATCH when its varav lines cover it
 * but their forecasts (before measures) do not add up to the manual one beyond rounding (half a rounding
 * step, or unit, per figure). The manual forecast is the line's, as always; the finding says that the
 * varav lines then tell another story than their parent.
 */
export function checkManualParent(lines: Lines, parent: number, ctx: Context): void {
  const { options, fmt } = ctx;
  if (ctx.month === 12) return; // the manual forecast is not used (yearEnd)
  if (!coversAll(lines, parent, childSums(lines, parent), options.roundingUnit)) return;
  let parts = 0;
  for (let k = parent + 1; k <= parent + lines.childCount[parent]; k++)
    parts += lines.forecast[k] - lines.measures[k];
  const manual = lines.forecast[parent] - lines.measures[parent];
  const unit = Math.max(options.roundingUnit, options.roundingStep);
  const c = classify(manual, parts, lines.childCount[parent] + 1, unit);
  if (!c || c.level === "info") return;
  const shownManual = lines.shown(parent, manual);
  const shownParts = lines.shown(parent, parts);
  ctx.findings.add(
    c.level,
    "OFWHICH_FORECAST_MISMATCH",
    `${lines.name(parent)}: den manuella prognosen ${fmt(shownManual)} är inte summan av varav-radernas prognoser ${fmt(
      shownParts,
    )} (differens ${fmt(shownManual - shownParts, true)}, ${c.why}); den manuella prognosen används för raden och i summorna.`,
    { line: parent, field: "manualForecast" },
  );
}

/**
 * Do the varav lines' `parts` cover the parent's figure in `values`? Yes within rounding, and also when
 * the gap is a slip that OFWHICH_MISMATCH reports as one (a sign, or two swapped digits, of the parent
 * or of a varav line): a typo to correct, not a part left unitemised.
 */
function covers(lines: Lines, parent: number, values: Float64Array, parts: number, unit: number): boolean {
  const whole = values[parent];
  const delta = whole - parts;
  const tolerance = 0.5 * (lines.childCount[parent] + 1) * unit + 1e-9 * Math.max(1, Math.abs(whole));
  if (Math.abs(delta) <= tolerance) return true;
  if (whole !== 0 && Math.abs(parts + whole) <= tolerance) return true;
  if (isTransposition(parts / unit, whole / unit)) return true;
  const slip = ofWhichSlip(lines, parent, values, delta, unit);
  return slip.flipped >= 0 || slip.swapped >= 0;
}

/** trend for a parent's unitemised part: its average monthly deviation of the last k months, or NaN. */
function unitemisedTrend(lines: Lines, parent: number, deviation: number, ctx: Context): number {
  let base = lines.trendBase[parent];
  for (let k = parent + 1; k <= parent + lines.childCount[parent]; k++) base -= lines.trendBase[k];
  if (Number.isNaN(base)) return NaN;
  return (deviation - (lines.flip[parent] ? -base : base)) / ctx.options.trendMonths;
}
