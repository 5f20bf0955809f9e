/**
 * Checks on typed figures: SIGN_SUSPECT (on the outcome to date and per month of outcome and budget), FORECAST_BELOW_ACTUAL,
 * OFWHICH_MISMATCH, DEVIATION_MISMATCH, and the comparison rule shared with TOTAL_MISMATCH /
 * BUDGET_MISMATCH / ACTUAL_MISMATCH (rounding tolerance, slip detection).
 */
import { MONTHS_READ, type Lines } from "./lines";
import { checkMonths } from "./months";
import { checkCumulative } from "./cumulative";
import { checkKindSign, checkNoCosts } from "./kind-sign";
import { checkMonthScale } from "./month-scale";
import { MONTHS_SV } from "./period";
import { type Findings, isRecord, prop } from "./read";
import type { FindingLevel, Unit } from "./types";

export const clean = (x: number): number => (x === 0 ? 0 : x);

/** Is `a` the digits of `b` with two neighbouring digits swapped (2 086 vs 2 068)? */
export function isTransposition(a: number, b: number): boolean {
  const x = String(Math.round(Math.abs(a)));
  const y = String(Math.round(Math.abs(b)));
  if (x.length !== y.length || x === y) return false;
  const diff: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) diff.push(i);
  return (
    diff.length === 2 && diff[1] === diff[0] + 1 && x[diff[0]] === y[diff[1]] && x[diff[1]] === y[diff[0]]
  );
}

/**
 * Tolerance for comparing a typed figure with a computed one: half a rounding unit per rounded operand.
 * A difference within it is info (rounding); a sign slip or transposed digits is error; a difference
 * beyond it by at most one rounding unit is warning (rounding done differently, e.g. figures cut
 * instead of rounded); a larger one is error, for a figure in the report is wrong (a digit mistyped, a
 * line left out of a sum: 229 printed for 137 + 83). `months`: how many rounded months each figure
 * sums (roundedMonths), which widens only that last bound.
 */
export function classify(
  typed: number,
  computed: number,
  operands: number,
  roundingUnit: number,
  months = 1,
): { level: FindingLevel; why: string } | null {
  const delta = typed - computed;
  const tolerance = 0.5 * operands * roundingUnit + 1e-9 * Math.max(1, Math.abs(computed));
  if (Math.abs(delta) <= 1e-9 * Math.max(1, Math.abs(computed))) return null;
  if (Math.abs(delta) <= tolerance) return { level: "info", why: "inom avrundning" };
  if (computed !== 0 && Math.abs(typed + computed) <= tolerance)
    return { level: "error", why: "tecknet är fel" };
  if (isTransposition(typed / roundingUnit, computed / roundingUnit)) {
    return { level: "error", why: "två siffror har bytt plats" };
  }
  // Figures summed from rounded months carry each month's rounding: that much is no clear mistake either.
  const error = Math.abs(delta) > months * tolerance + roundingUnit;
  return { level: error ? "error" : "warning", why: "mer än avrundning" };
}

type Column = "actual" | "period" | "annual";

/**
 * How many typed months line i's figure sums: the period's months for an outcome or period budget read
 * from twelve months, all twelve for an annual budget summed from them, else 1 (a figure typed whole).
 */
export function roundedMonths(
  lines: Lines,
  i: number,
  what: Column | "budget" | "manualForecast",
  month: number,
): number {
  if (what === "manualForecast") return 1;
  if (what === "actual")
    return lines.actualPresent[i] & MONTHS_READ && Number.isNaN(lines.typedActual[i]) ? month : 1;
  if (!(lines.budgetPresent[i] & MONTHS_READ)) return 1;
  return what === "period" ? month : Number.isNaN(lines.typedAnnual[i]) ? 12 : 1;
}

/** The columns whose varav lines must add up to their parent, in the order they are checked. */
const OFWHICH_COLUMNS: readonly { key: Column; what: string; field: "actual" | "budget" }[] = [
  { key: "actual", what: "utfall", field: "actual" },
  { key: "period", what: "periodbudget", field: "budget" },
  { key: "annual", what: "årsbudget", field: "budget" },
];

type Format = (x: number, deviation?: boolean) => string;

/** The figures the checks need besides the lines: the raw lines (for their months) and the period. */
export interface CheckContext {
  rawLines: readonly unknown[];
  month: number;
  roundingUnit: number;
  fmt: Format;
  /** The amounts' unit, for the month scale check (absent: not run). */
  unit?: Unit;
}

/** SIGN_SUSPECT, FORECAST_BELOW_ACTUAL, OFWHICH_MISMATCH, DEVIATION_MISMATCH and the months' checks (months.ts). */
export function checkLines(lines: Lines, findings: Findings, ctx: CheckContext): void {
  const { fmt } = ctx;
  for (let i = 0; i < lines.length; i++) {
    const typed = lines.typedDeviation[i];
    if (!Number.isNaN(typed)) checkDeviation(lines, i, typed, findings, ctx);
    if (lines.kind[i] === "total") continue;
    if (!checkSign(lines, i, findings, fmt)) checkMonthSigns(lines, i, findings, ctx, ACTUAL_MONTHS);
    checkMonthSigns(lines, i, findings, ctx, BUDGET_MONTHS);
    checkForecastBelowActual(lines, i, findings, ctx);
  }
  for (let parent = 0; parent < lines.length; parent++) {
    if (lines.childCount[parent] === 0) continue;
    let budgetFlagged = false;
    for (const column of OFWHICH_COLUMNS) {
      if (column.key === "annual" && budgetFlagged) continue;
      const flagged = checkOfWhich(lines, parent, column, findings, ctx);
      if (flagged && column.key === "period") budgetFlagged = true;
    }
  }
  checkMonths(lines, findings, ctx);
  checkCumulative(lines, findings, ctx);
  checkKindSign(lines, findings, ctx);
  checkNoCosts(lines, findings, ctx.rawLines);
  if (ctx.unit) checkMonthScale(lines, findings, { ...ctx, unit: ctx.unit });
}

function checkDeviation(lines: Lines, i: number, typed: number, findings: Findings, ctx: CheckContext): void {
  const { roundingUnit, fmt, month } = ctx;
  const deviation = lines.deviation[i];
  const months = Math.max(roundedMonths(lines, i, "actual", month), roundedMonths(lines, i, "period", month));
  const c = classify(typed, deviation, 3, roundingUnit, months);
  if (!c) return;
  findings.add(
    c.level,
    "DEVIATION_MISMATCH",
    `${lines.name(i)}: avvikelsen ${fmt(typed, true)} ska vara ${fmt(deviation, true)} (${c.why}).`,
    { line: i },
  );
}

/** The sign line i's amounts should have (internal convention): its budget's, else its kind's. */
function expectedSign(lines: Lines, i: number): { sign: number; fromBudget: boolean } {
  const parent = lines.parent[i];
  const byKind = lines.kind[i] === "revenue" || (parent >= 0 && lines.kind[parent] === "revenue") ? 1 : -1;
  const budgetSign = Math.sign(lines.annual[i]) || Math.sign(lines.period[i]);
  return budgetSign !== 0 ? { sign: budgetSign, fromBudget: true } : { sign: byKind, fromBudget: false };
}

/** SIGN_SUSPECT on the outcome to date; true when it was found. */
function checkSign(lines: Lines, i: number, findings: Findings, fmt: Format): boolean {
  const actual = lines.actual[i];
  const annual = lines.annual[i];
  const { sign: reference, fromBudget } = expectedSign(lines, i);
  if (!lines.actualGiven[i] || actual === 0 || Math.sign(actual) !== -reference) return false;
  findings.add(
    "warning",
    "SIGN_SUSPECT",
    `${lines.name(i)}: utfallet ${fmt(lines.shown(i, actual))} har ${
      fromBudget ? `motsatt tecken mot budgeten ${fmt(lines.shown(i, annual))}` : "fel tecken för raden"
    }; saknas ett minustecken?`,
    { line: i, field: "actual" },
  );
  return true;
}

/** The monthly figures the sign check looks at: the outcomes of the period, the budget of the year. */
interface MonthlyFigures {
  summary: "monthSigns" | "budgetSigns";
  key: "actualMonthly" | "monthlyBudget";
  field: "actual" | "budget";
  /** How many months are looked at: the period's (null) or all twelve. */
  months: number | null;
}
const ACTUAL_MONTHS: MonthlyFigures = {
  summary: "monthSigns",
  key: "actualMonthly",
  field: "actual",
  months: null,
};
const BUDGET_MONTHS: MonthlyFigures = {
  summary: "budgetSigns",
  key: "monthlyBudget",
  field: "budget",
  months: 12,
};

/**
 * SIGN_SUSPECT per month: a month of the line's monthly outcomes (or budget) with the other sign than
 * its budget and its other months, and at least half their average size. A small credit note is an
 * ordinary month; a May of +2 400 among costs of −2 300 is a lost minus sign that the outcome to date
 * hides (it still has the right sign) while it turns the forecast, and a March budget of −2 390 among
 * revenues of +2 390 moves the period budget by twice the month. A warning naming the month's cell:
 * credits do happen.
 */
function checkMonthSigns(
  lines: Lines,
  i: number,
  findings: Findings,
  ctx: CheckContext,
  figures: MonthlyFigures,
): void {
  const summary = lines[figures.summary][i];
  const { sign, fromBudget } = expectedSign(lines, i);
  const flip = lines.flip[i] ? -1 : 1;
  if (summary !== 0 && (summary & (sign * flip > 0 ? ODD_IF_POSITIVE : ODD_IF_NEGATIVE)) === 0) return;
  const item = ctx.rawLines[i];
  const months = isRecord(item) ? prop(item, figures.key) : undefined;
  if (!Array.isArray(months)) return;
  const end = Math.min(figures.months ?? ctx.month, months.length);
  let sum = 0;
  let count = 0;
  for (let m = 0; m < end; m++) {
    const v = months[m];
    if (typeof v !== "number" || Math.sign(v * flip) !== sign) continue;
    sum += Math.abs(v);
    count++;
  }
  if (count < 2) return;
  const least = (0.5 * sum) / count;
  const odd: number[] = [];
  for (let m = 0; m < end; m++) {
    const v = months[m];
    if (typeof v === "number" && Math.sign(v * flip) === -sign && Math.abs(v) >= least) odd.push(m);
  }
  if (odd.length === 0 || odd.length >= count) return;
  const named = odd.map((m) => `${MONTHS_SV[m]} ${ctx.fmt(months[m] as number)}`).join(", ");
  findings.add(
    "warning",
    "SIGN_SUSPECT",
    figures.field === "actual"
      ? `${lines.name(i)}: utfallet för ${named} har motsatt tecken mot ${
          fromBudget ? "budgeten och " : ""
        }radens övriga månader; saknas ett minustecken?`
      : `${lines.name(i)}: budgeten för ${named} har motsatt tecken mot radens övriga månader; är tecknet fel?`,
    { line: i, field: figures.field, month: odd[0] + 1 },
  );
}

/** Lines.monthSigns / budgetSigns: the months were read (nothing else set: no month can have lost its sign). */
export const SIGNS_READ = 1;
/** A month may have lost its sign if the line's months should be positive, or negative. */
const ODD_IF_POSITIVE = 2;
const ODD_IF_NEGATIVE = 4;

/**
 * What checkMonthSigns would find in months 1..m of a line's monthly outcomes (or budget), for either sign the line
 * may turn out to expect (known only once its budget and structure are): whether some month has the other
 * sign and at least half the average size of the months with that sign (the same sums, in the same order,
 * as checkMonthSigns). Computed while the months are read, so that the check reads them again only then.
 */
export function summariseMonthSigns(months: readonly unknown[], month: number): number {
  const end = Math.min(month, months.length);
  let positive = 0;
  let positives = 0;
  let largestPositive = 0;
  let negative = 0;
  let negatives = 0;
  let largestNegative = 0;
  for (let m = 0; m < end; m++) {
    const v = months[m];
    if (typeof v !== "number") continue;
    if (v > 0) {
      positive += v;
      positives++;
      if (v > largestPositive) largestPositive = v;
    } else if (v < 0) {
      negative += -v;
      negatives++;
      if (-v > largestNegative) largestNegative = -v;
    }
  }
  let summary = SIGNS_READ;
  if (positives >= 2 && negatives > 0 && largestNegative >= (0.5 * positive) / positives)
    summary |= ODD_IF_POSITIVE;
  if (negatives >= 2 && positives > 0 && largestPositive >= (0.5 * negative) / negatives)
    summary |= ODD_IF_NEGATIVE;
  return summary;
}

/**
 * FORECAST_BELOW_ACTUAL: a full-year forecast smaller than what the line has already spent (or earned)
 * cannot come true; most often the deviation was typed into ManuellPrognos instead of the year's amount.
 */
function checkForecastBelowActual(lines: Lines, i: number, findings: Findings, ctx: CheckContext): void {
  const actual = lines.actual[i];
  const forecast = lines.forecast[i];
  if (!lines.actualGiven[i] || actual === 0 || Number.isNaN(forecast)) return;
  if (Math.sign(forecast) !== Math.sign(actual) && forecast !== 0) return;
  if (Math.abs(forecast) >= Math.abs(actual) - ctx.roundingUnit) return;
  const manual = !Number.isNaN(lines.manual[i]);
  const f = ctx.fmt(lines.shown(i, forecast));
  const a = ctx.fmt(lines.shown(i, actual));
  findings.add(
    "warning",
    "FORECAST_BELOW_ACTUAL",
    manual
      ? `${lines.name(i)}: den manuella prognosen ${f} för helåret är mindre än utfallet hittills ${a}; ManuellPrognos ska vara helårets belopp, inte avvikelsen.`
      : `${lines.name(i)}: helårsprognosen ${f} är mindre än utfallet hittills ${a}; kontrollera metoden och budgeten.`,
    manual ? { line: i, field: "manualForecast" } : { line: i },
  );
}

/** OFWHICH_MISMATCH for one column of a parent; true when the varav lines do not add up. */
function checkOfWhich(
  lines: Lines,
  parent: number,
  { key, what, field }: (typeof OFWHICH_COLUMNS)[number],
  findings: Findings,
  ctx: CheckContext,
): boolean {
  const { roundingUnit, fmt } = ctx;
  const values = lines[key];
  const first = parent + 1;
  const kids = lines.childCount[parent];
  let parts = 0;
  for (let k = first; k < first + kids; k++) parts += values[k];
  const whole = values[parent];
  const c = classify(parts, whole, kids + 1, roundingUnit, roundedMonths(lines, parent, key, ctx.month));
  if (!c) return false;
  // Only on a mismatch: which varav line would explain it by its sign, or by two swapped digits?
  const delta = whole - parts;
  const { flipped, swapped } = ofWhichSlip(lines, parent, values, delta, roundingUnit);
  let level = c.level;
  let why = c.why;
  if (flipped >= 0) {
    level = "error";
    why = `tecknet på "${lines.label[flipped]}" är troligen fel`;
  } else if (swapped >= 0 && c.level !== "info") {
    level = "error";
    why = `två siffror i "${lines.label[swapped]}" har troligen bytt plats`;
  }
  findings.add(
    level,
    "OFWHICH_MISMATCH",
    `Varav-raderna under "${lines.label[parent]}" summerar till ${fmt(lines.shown(parent, parts))} i ${what} men raden har ${fmt(
      lines.shown(parent, whole),
    )} (differens ${fmt(Math.abs(delta))}, ${why}).`,
    { line: flipped >= 0 ? flipped : parent, field },
  );
  return true;
}

/**
 * The varav line of `parent` whose sign (flipped) or two swapped digits (swapped) would explain the gap
 * `delta` (parent − Σ varav) in `values`; −1 when none does.
 */
export function ofWhichSlip(
  lines: Lines,
  parent: number,
  values: Float64Array,
  delta: number,
  roundingUnit: number,
): { flipped: number; swapped: number } {
  const first = parent + 1;
  const kids = lines.childCount[parent];
  const tolerance = 0.5 * (kids + 1) * roundingUnit;
  let flipped = -1;
  let swapped = -1;
  for (let k = first; k < first + kids; k++) {
    const v = values[k];
    if (v === 0) continue;
    if (flipped < 0 && Math.abs(delta + 2 * v) <= tolerance) flipped = k;
    if (swapped < 0 && isTransposition((v + delta) / roundingUnit, v / roundingUnit)) swapped = k;
  }
  return { flipped, swapped };
}
