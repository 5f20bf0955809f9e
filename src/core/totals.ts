/**
 * Steps 8–9 of compute(): the total lines (TOTAL_MISMATCH for their typed figures), the result of every
 * line, of the extra measures line and of each unit, and the net result with the balance target.
 */
import { classify, clean, roundedMonths } from "./checks";
import type { Context, Options } from "./context";
import { MEASURES_LINE_LABEL } from "./forecasts";
import { orNull, PERIOD_KEYS, type Lines, type Unitemised } from "./lines";
import type { LineResult, NetResult, OrgUnitResult, UnitemisedPart } from "./types";
import type { OrgUnits } from "./units";

/** Running sums of lines' amounts, added in ledger order (the order fixes the floating-point result). */
class Sums {
  count = 0;
  actual = 0;
  period = 0;
  deviation = 0;
  annual = 0;
  forecast = 0;
  forecastDeviation = 0;
  measures = 0;

  /** Adds line i. */
  add(lines: Lines, i: number): this {
    return this.addAmounts(
      lines.actual[i],
      lines.period[i],
      lines.deviation[i],
      lines.annual[i],
      lines.forecast[i],
      lines.measures[i],
    );
  }

  /** Adds the extra measures line: its forecast and measures are the unassigned amount, the rest 0. */
  addExtra(unassigned: number): this {
    return this.addAmounts(0, 0, 0, 0, clean(unassigned), unassigned);
  }

  private addAmounts(
    actual: number,
    period: number,
    deviation: number,
    annual: number,
    forecast: number,
    measures: number,
  ): this {
    this.count++;
    this.actual += actual;
    this.period += period;
    this.deviation += deviation;
    this.annual += annual;
    this.forecast += forecast;
    this.forecastDeviation += forecast - annual;
    this.measures += measures;
    return this;
  }

  copy(): Sums {
    return Object.assign(new Sums(), this);
  }
}

/**
 * Step 8: every total line sums the revenue and cost lines since the previous total line (all above it
 * when there are none); the last total also takes the extra measures line (`unassigned`, when not null).
 * Checks the typed figures of each total (TOTAL_MISMATCH) and returns the sums of all revenue and cost
 * lines and the extra line.
 */
export function sumTotals(
  lines: Lines,
  unassigned: number | null,
  ctx: Context,
  units: OrgUnits | null,
): { all: Sums; perUnit: Sums[] } {
  const n = lines.length;
  const unitOf = (i: number) => (units ? units.of[i] : -1);
  let lastTotal = -1;
  for (let i = 0; i < n; i++) if (lines.kind[i] === "total" && unitOf(i) < 0) lastTotal = i;
  const all = new Sums();
  let section = new Sums();
  const unitCount = units ? units.names.length : 0;
  const perUnit = Array.from({ length: unitCount }, () => new Sums());
  const unitSection = Array.from({ length: unitCount }, () => new Sums());
  for (let i = 0; i < n; i++) {
    const kind = lines.kind[i];
    const u = unitOf(i);
    if (kind === "revenue" || kind === "cost") {
      all.add(lines, i);
      section.add(lines, i);
      if (u >= 0) {
        perUnit[u].add(lines, i);
        unitSection[u].add(lines, i);
      }
    } else if (kind === "total" && u >= 0) {
      setTotal(lines, i, unitTotalMembers(lines, i, perUnit[u], unitSection[u], units!, ctx), ctx);
      unitSection[u] = new Sums();
    } else if (kind === "total") {
      // With units, a total line without a unit is a total of the whole ledger above it.
      let members = section.count > 0 && !units ? section : all.copy();
      if (unassigned !== null && i === lastTotal) members = members.copy().addExtra(unassigned);
      setTotal(lines, i, members, ctx);
      section = new Sums();
    }
  }
  return { all: unassigned !== null ? all.addExtra(unassigned) : all, perUnit };
}

/** A unit's total line sums the unit's lines since its previous total line (or all of them above it). */
function unitTotalMembers(
  lines: Lines,
  i: number,
  unitAll: Sums,
  unitSection: Sums,
  units: OrgUnits,
  ctx: Context,
): Sums {
  if (unitAll.count === 0) {
    ctx.findings.add(
      "warning",
      "ORG_UNIT_TOTAL_EMPTY",
      `${lines.name(i)} är en summarad för "${units.names[units.of[i]]}", men ovanför den finns inga intäkts- eller kostnadsrader med det ansvaret; summan blir 0.`,
      { line: i, field: "orgUnit" },
    );
  }
  return unitSection.count > 0 ? unitSection : unitAll.copy();
}

/** A total line takes the sums of its members; its typed figures are checked against them. */
function setTotal(lines: Lines, i: number, members: Sums, ctx: Context): void {
  const s = lines.flip[i] ? -1 : 1;
  checkTotal(
    lines,
    i,
    members,
    lines.typedActualToDate(i),
    s * clean(members.actual),
    "inskrivet utfall",
    "actual",
    ctx,
  );
  checkTotal(
    lines,
    i,
    members,
    lines.typedBudget(i),
    s * clean(members.annual),
    "inskriven årsbudget",
    "budget",
    ctx,
  );
  const forecast = s * clean(members.forecast);
  checkTotal(lines, i, members, lines.manual[i], forecast, "inskriven prognos", "manualForecast", ctx);
  lines.actual[i] = clean(members.actual);
  lines.period[i] = clean(members.period);
  lines.annual[i] = clean(members.annual);
  lines.deviation[i] = clean(members.deviation);
  lines.forecast[i] = clean(members.forecast);
  lines.forecastDeviation[i] = clean(members.forecastDeviation);
  lines.measures[i] = clean(members.measures);
  lines.method[i] = lines.methodAsked[i] ?? ctx.fallbackMethod;
  lines.forecastFrom[i] = "sum";
}

/** TOTAL_MISMATCH for one typed figure of total line i (NaN: not typed) against the sum of its lines. */
function checkTotal(
  lines: Lines,
  i: number,
  members: Sums,
  typed: number,
  computed: number,
  what: string,
  field: "actual" | "budget" | "manualForecast",
  ctx: Context,
): void {
  if (Number.isNaN(typed)) return;
  const { fmt } = ctx;
  const months = roundedMonths(lines, i, field, ctx.month);
  const c = classify(typed, computed, members.count + 1, ctx.options.roundingUnit, months);
  if (!c) return;
  ctx.findings.add(
    c.level,
    "TOTAL_MISMATCH",
    `${lines.name(i)}: ${what} ${fmt(typed)} skiljer sig från summan av raderna ${fmt(computed)} (differens ${fmt(
      typed - computed,
      true,
    )}, ${c.why}); summan skrivs.`,
    { line: i, field },
  );
}

/** The result of line i, the one object per line that compute() keeps. */
export function lineResult(lines: Lines, i: number): LineResult {
  const parent = lines.parent[i];
  const forecastDeviation = lines.forecastDeviation[i];
  const result: LineResult = {
    index: i,
    label: lines.label[i],
    kind: lines.kind[i],
    parent: parent < 0 ? null : parent,
    annualBudget: lines.shown(i, lines.annual[i]),
    periodBudget: lines.shown(i, lines.period[i]),
    actual: lines.shown(i, lines.actual[i]),
    deviation: lines.deviation[i],
    method: lines.method[i],
    forecast: lines.shown(i, lines.forecast[i]),
    forecastDeviation: Number.isNaN(forecastDeviation)
      ? clean(lines.forecast[i] - lines.annual[i])
      : forecastDeviation,
    measuresIncluded: lines.measures[i],
    forecastFrom: lines.forecastFrom[i],
    periodisedBy: PERIOD_KEYS[lines.periodKey[i]],
    lastYearToDate: orNull(lines.lastYearToDate[i]),
    lastYearTotal: orNull(lines.lastYearTotal[i]),
    trendMonthly: orNull(lines.trendMonthly[i]),
    unroundedForecast: orNull(lines.shown(i, lines.unrounded[i])),
  };
  const rest = lines.unitemised.size > 0 ? lines.unitemised.get(i) : undefined;
  if (rest) result.unitemised = unitemisedPart(lines, i, rest);
  return result;
}

/** A parent's unitemised part as LineResult shows it. */
function unitemisedPart(lines: Lines, i: number, rest: Unitemised): UnitemisedPart {
  return {
    actual: lines.shown(i, rest.actual),
    periodBudget: lines.shown(i, rest.period),
    annualBudget: lines.shown(i, rest.annual),
    deviation: clean(rest.actual - rest.period),
    method: rest.method,
    forecast: lines.shown(i, rest.forecast),
    forecastDeviation: clean(rest.forecast - rest.annual),
    unroundedForecast: lines.shown(i, rest.unrounded),
    trendMonthly: orNull(rest.trendMonthly),
  };
}

/** The extra line "Åtgärder inräknade i prognosen": a cost line holding the unassigned measures. */
export function measuresLineResult(index: number, unassigned: number, options: Options): LineResult {
  const flip = options.convention === "costPositive";
  return {
    index,
    label: MEASURES_LINE_LABEL,
    kind: "cost",
    parent: null,
    annualBudget: 0,
    periodBudget: 0,
    actual: 0,
    deviation: 0,
    method: "zero",
    forecast: clean(flip ? -unassigned : unassigned),
    forecastDeviation: clean(unassigned),
    measuresIncluded: unassigned,
    forecastFrom: "method",
    periodisedBy: "linear",
    lastYearToDate: null,
    lastYearTotal: null,
    trendMonthly: null,
    unroundedForecast: null,
  };
}

/** Step 9: the net result (shown cost-positive with costPositive) and the balance target. */
export function netResult(net: Sums, options: Options): NetResult {
  const ns = options.convention === "costPositive" ? -1 : 1;
  const forecastDeviation = clean(net.forecastDeviation);
  return {
    actual: clean(ns * clean(net.actual)),
    periodBudget: clean(ns * clean(net.period)),
    deviation: clean(net.deviation),
    annualBudget: clean(ns * clean(net.annual)),
    forecast: clean(ns * clean(net.forecast)),
    forecastDeviation,
    balanceTarget: options.balanceTarget,
    deviationVsBalanceTarget:
      options.balanceTarget === null ? null : clean(forecastDeviation - options.balanceTarget),
  };
}

/** Each unit's lines and net result (no balance target: that is for the whole). */
export function unitResults(units: OrgUnits, perUnit: Sums[], options: Options): OrgUnitResult[] {
  const out: OrgUnitResult[] = units.names.map((name, u) => ({
    name,
    lines: [],
    result: netResult(perUnit[u], { ...options, balanceTarget: null }),
    measuresIncluded: clean(perUnit[u].measures),
  }));
  for (let i = 0; i < units.of.length; i++) if (units.of[i] >= 0) out[units.of[i]].lines.push(i);
  return out;
}
