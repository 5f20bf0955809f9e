/**
 * Steps 3–4 of compute(): each line's annual and period budget and its actual, the typed sums checked
 * against their months, and a single blank varav line filled in as what its parent's others leave over.
 */
import { classify, clean } from "./checks";
import type { Context } from "./context";
import { KEY_MONTHS, KEY_OF_WHICH, KEY_OF_WHICH_BLANK, type Lines } from "./lines";
import { periodiseWith, settingKey, shareOf } from "./periodise";

/**
 * The annual and period budget and the actual of a line, in the input convention (linkOfWhich negates
 * them for flipped lines): the monthly budget wins over a typed annual budget for the period, a typed
 * actual over the monthly actuals.
 */
export function setBudgetAndActual(lines: Lines, i: number, ctx: Context): void {
  const typedAnnual = lines.typedAnnual[i];
  const monthsToDate = lines.budgetMonthsToDate[i];
  if (!Number.isNaN(monthsToDate)) {
    lines.period[i] = monthsToDate;
    lines.annual[i] = Number.isNaN(typedAnnual) ? lines.budgetMonthsTotal[i] : typedAnnual;
    lines.budgetGiven[i] = 1;
  } else if (!Number.isNaN(typedAnnual)) {
    lines.annual[i] = typedAnnual;
    lines.period[i] = clean(periodiseLine(lines, i, typedAnnual, ctx));
    lines.budgetGiven[i] = 1;
  }
  const actual = lines.typedActual[i];
  const actualToDate = Number.isNaN(actual) ? lines.actualMonthsToDate[i] : actual;
  if (!Number.isNaN(actualToDate)) {
    lines.actual[i] = actualToDate;
    lines.actualGiven[i] = 1;
  }
}

/** Step 3 for one line: BUDGET_MISMATCH and ACTUAL_MISMATCH, a typed sum that its months do not give. */
export function checkTypedSums(lines: Lines, i: number, ctx: Context): void {
  const { findings, fmt, options } = ctx;
  const annual = lines.typedAnnual[i];
  const monthsTotal = lines.budgetMonthsTotal[i];
  if (!Number.isNaN(annual) && !Number.isNaN(monthsTotal)) {
    const c = classify(annual, monthsTotal, 13, options.roundingUnit);
    if (c && c.level !== "info") {
      findings.add(
        "warning",
        "BUDGET_MISMATCH",
        `${lines.name(i)}: årsbudgeten ${fmt(annual)} är inte summan av månadsbudgeten ${fmt(monthsTotal)}; månadsbudgeten används för perioden.`,
        { line: i, field: "budget" },
      );
    }
  }
  const actual = lines.typedActual[i];
  const monthsToDate = lines.actualMonthsToDate[i];
  if (!Number.isNaN(actual) && !Number.isNaN(monthsToDate)) {
    const c = classify(actual, monthsToDate, ctx.month + 1, options.roundingUnit);
    if (c && c.level !== "info") {
      findings.add(
        "warning",
        "ACTUAL_MISMATCH",
        `${lines.name(i)}: utfallet ${fmt(actual)} är inte summan av månadsutfallen ${fmt(monthsToDate)}; det ifyllda utfallet används.`,
        { line: i, field: "actual" },
      );
    }
  }
}

/** The period's share of line i's annual budget with the line's key (m/12, D_m/D or last year's profile). */
function periodiseLine(lines: Lines, i: number, annual: number, ctx: Context): number {
  const key = lines.periodKey[i];
  if (key === settingKey(ctx.setup))
    return ctx.shareNum === ctx.shareDen ? annual : (annual * ctx.shareNum) / ctx.shareDen;
  const share = shareOf(key, ctx.month, ctx.setup, lines.lastYearToDate[i], lines.lastYearTotal[i]);
  return periodiseWith(annual, share);
}

/**
 * Step 4b: a parent whose varav lines are periodised differently (by days, say, or by their own monthly
 * budgets) takes the sum of their period budgets, so that the varav lines still add up to it.
 */
export function sumChildPeriods(lines: Lines, parent: number): void {
  const key = lines.periodKey[parent];
  if (key === KEY_MONTHS || key === KEY_OF_WHICH_BLANK || !lines.budgetGiven[parent]) return;
  let differs = false;
  let period = 0;
  for (let k = parent + 1; k <= parent + lines.childCount[parent]; k++) {
    if (!lines.budgetGiven[k]) return;
    if (lines.periodKey[k] !== key) differs = true;
    period += lines.period[k];
  }
  if (!differs) return;
  lines.period[parent] = clean(period);
  lines.periodKey[parent] = KEY_OF_WHICH;
}

/** The only varav line of `parent` that is blank in `blank`, or −1 when none or several. */
function onlyBlankChild(lines: Lines, parent: number, blank: Uint8Array): number {
  let found = -1;
  for (let k = parent + 1; k <= parent + lines.childCount[parent]; k++) {
    if (!blank[k]) continue;
    if (found >= 0) return -1;
    found = k;
  }
  return found;
}

/** Σ `values` over the varav lines of `parent` except `except`, in order. */
function sumOthers(lines: Lines, parent: number, except: number, values: Float64Array): number {
  let total = 0;
  for (let k = parent + 1; k <= parent + lines.childCount[parent]; k++) if (k !== except) total += values[k];
  return total;
}

/** Step 4 for one parent: a single blank varav line (actual or budget) is what the others leave over. */
export function fillResiduals(lines: Lines, parent: number, ctx: Context): void {
  const { findings, fmt } = ctx;
  const label = lines.label[parent];
  const k = lines.actualGiven[parent] ? onlyBlankChild(lines, parent, lines.actualBlank) : -1;
  if (k >= 0) {
    lines.actual[k] = clean(lines.actual[parent] - sumOthers(lines, parent, k, lines.actual));
    lines.actualGiven[k] = 1;
    findings.add(
      "info",
      "OFWHICH_RESIDUAL",
      `${lines.name(k)}: utfallet saknas och beräknas som resten av "${label}": ${fmt(lines.flip[k] ? -lines.actual[k] : lines.actual[k])}.`,
      { line: k, field: "actual" },
    );
  }
  const b = lines.budgetGiven[parent] ? onlyBlankChild(lines, parent, lines.budgetBlank) : -1;
  if (b >= 0) {
    lines.annual[b] = clean(lines.annual[parent] - sumOthers(lines, parent, b, lines.annual));
    lines.period[b] = clean(lines.period[parent] - sumOthers(lines, parent, b, lines.period));
    lines.budgetGiven[b] = 1;
    findings.add(
      "info",
      "OFWHICH_RESIDUAL",
      `${lines.name(b)}: budgeten saknas och beräknas som resten av "${label}": ${fmt(lines.flip[b] ? -lines.annual[b] : lines.annual[b])}.`,
      { line: b, field: "budget" },
    );
  }
}

/**
 * Step 4 for one parent left blank (a heading over its varav lines): its missing utfall, or its missing
 * budget, is the sum of its varav lines' (OFWHICH_SUM, info), as an ekonom reads such a row.
 */
export function fillBlankParent(lines: Lines, parent: number, ctx: Context): void {
  const { findings, fmt } = ctx;
  const end = parent + lines.childCount[parent];
  const shown = (x: number) => fmt(lines.shown(parent, x));
  if (!lines.actualGiven[parent]) {
    let actual = 0;
    let given = 0;
    for (let k = parent + 1; k <= end; k++) {
      actual += lines.actual[k];
      given |= lines.actualGiven[k];
    }
    if (given) {
      lines.actual[parent] = clean(actual);
      lines.actualGiven[parent] = 1;
      findings.add(
        "info",
        "OFWHICH_SUM",
        `${lines.name(parent)}: utfallet saknas och räknas som summan av varav-raderna: ${shown(actual)}.`,
        { line: parent, field: "actual" },
      );
    }
  }
  if (!lines.budgetGiven[parent]) {
    let annual = 0;
    let period = 0;
    let given = 0;
    for (let k = parent + 1; k <= end; k++) {
      annual += lines.annual[k];
      period += lines.period[k];
      given |= lines.budgetGiven[k];
    }
    if (given) {
      lines.annual[parent] = clean(annual);
      lines.period[parent] = clean(period);
      lines.periodKey[parent] = KEY_OF_WHICH_BLANK;
      lines.budgetGiven[parent] = 1;
      findings.add(
        "info",
        "OFWHICH_SUM",
        `${lines.name(parent)}: budgeten saknas och räknas som summan av varav-raderna: ${shown(annual)}.`,
        { line: parent, field: "budget" },
      );
    }
  }
}

/** ACTUAL_MISSING and BUDGET_MISSING for a line left blank (after the residuals). */
export function reportMissing(lines: Lines, i: number, ctx: Context): void {
  if (lines.kind[i] === "total") return;
  if (lines.actualBlank[i] && !lines.actualGiven[i]) {
    ctx.findings.add("info", "ACTUAL_MISSING", `${lines.name(i)}: utfall saknas och räknas som 0.`, {
      line: i,
      field: "actual",
    });
  }
  if (lines.budgetBlank[i] && !lines.budgetGiven[i]) {
    ctx.findings.add("info", "BUDGET_MISSING", `${lines.name(i)}: budget saknas och räknas som 0.`, {
      line: i,
      field: "budget",
    });
  }
}
