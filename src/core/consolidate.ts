/**
 * Views of a ledger with units (LedgerResult.units), for reports and the pane: one unit on its own, the
 * consolidated table (the same lines summed over the units), the units with the largest deviations, and
 * several unit ledgers combined into one (the nämnd's workbook in a batch run). Pure functions of results.
 */
import { formatAmount, unitDecimals } from "./format";
import { MEASURES_LINE_LABEL } from "./forecasts";
import { labelKey } from "./read";
import type { ActionPlanSummary, Finding, LedgerResult, LineResult, NetResult, OrgUnitResult } from "./types";

const clean = (x: number): number => (x === 0 ? 0 : x);

/** One unit's lines as a ledger of their own: renumbered from 0, with the unit's net result. */
export function unitLedger(result: LedgerResult, unitIndex: number): LedgerResult {
  const unit = result.units?.units[unitIndex];
  if (!unit) throw new RangeError(`No unit ${unitIndex}`);
  const renumber = new Map(unit.lines.map((line, i) => [line, i]));
  const lines = unit.lines.map((line, i): LineResult => {
    const l = result.lines[line];
    return { ...l, index: i, parent: l.parent === null ? null : (renumber.get(l.parent) ?? null) };
  });
  const findings: Finding[] = [];
  for (const f of result.findings) {
    if (f.line === undefined || !renumber.has(f.line)) continue;
    findings.push({ ...f, line: renumber.get(f.line) });
  }
  return { ...result, lines, result: unit.result, findings, units: undefined };
}

/**
 * Adds a line's figures to a consolidated line: annual and period budget, actual, deviation, forecast,
 * forecast deviation and measures included (named one by one: a loop over the names read every line
 * through a generic keyed access, the slowest part of consolidating 10 000 lines).
 */
function sumInto(s: LineResult, l: LineResult): void {
  s.annualBudget = clean(s.annualBudget + l.annualBudget);
  s.periodBudget = clean(s.periodBudget + l.periodBudget);
  s.actual = clean(s.actual + l.actual);
  s.deviation = clean(s.deviation + l.deviation);
  s.forecast = clean(s.forecast + l.forecast);
  s.forecastDeviation = clean(s.forecastDeviation + l.forecastDeviation);
  s.measuresIncluded = clean(s.measuresIncluded + l.measuresIncluded);
}

interface Group {
  line: LineResult;
  children: Group[];
  childByKey: Map<string, Group>;
  /** Its index in the consolidated table (set when emitted). */
  index: number;
}

/**
 * The consolidated table: lines of the same kind and label summed over the units, in order of first
 * appearance, each varav line under its parent's group, the measures line last. The units' own total
 * lines are left out (the net result is the consolidated total); total lines of the whole ledger are kept.
 */
export function consolidatedLines(result: LedgerResult): LineResult[] {
  return consolidate(result).lines;
}

/**
 * The consolidated table and, for each line of the result, the index of the consolidated line it went
 * into (−1 for the units' total lines, which are left out).
 */
export function consolidate(result: LedgerResult): { lines: LineResult[]; groupOf: number[] } {
  const top: Group[] = [];
  const topByKey = new Map<string, Group>();
  const groupOf = new Map<number, Group>();
  const add = (siblings: Group[], byKey: Map<string, Group>, key: string, l: LineResult): Group => {
    let g = byKey.get(key);
    if (!g) {
      // Copied without orgUnit rather than deleted after: a delete turns the object into a slow
      // dictionary, and every report reads these lines field by field.
      const { orgUnit: _unit, ...line } = l;
      g = { line: { ...line, parent: null }, children: [], childByKey: new Map(), index: -1 };
      byKey.set(key, g);
      siblings.push(g);
    } else sumInto(g.line, l);
    return g;
  };
  for (const l of result.lines) {
    if (l.kind === "total" && l.orgUnit !== undefined) continue;
    const key = `${l.kind}\u0000${labelKey(l.label)}`;
    const parent = l.kind === "ofWhich" && l.parent !== null ? groupOf.get(l.parent) : undefined;
    const g = parent ? add(parent.children, parent.childByKey, key, l) : add(top, topByKey, key, l);
    groupOf.set(l.index, g);
  }
  const lines: LineResult[] = [];
  const emit = (g: Group, parent: number | null) => {
    g.index = lines.length;
    lines.push({ ...g.line, index: g.index, parent });
    for (const c of g.children) emit(c, g.index);
  };
  // The measures line goes last, where a single ledger has it (the reports place it from there), not
  // where the first unit that has one put it among the lines.
  const isMeasures = (g: Group) => g.line.label === MEASURES_LINE_LABEL && g.line.kind === "cost";
  for (const g of top) if (!isMeasures(g)) emit(g, null);
  for (const g of top) if (isMeasures(g)) emit(g, null);
  return { lines, groupOf: result.lines.map((l) => groupOf.get(l.index)?.index ?? -1) };
}

/**
 * The consolidated ledger: the consolidated table with the whole's net result and balance target
 * (`table` is consolidate(result), passed when the caller has it already).
 */
export function consolidatedLedger(
  result: LedgerResult,
  table: { lines: LineResult[] } = consolidate(result),
): LedgerResult {
  return { ...result, lines: table.lines, findings: [], units: undefined };
}

export interface UnitDeviation {
  name: string;
  deviation: number;
  forecastDeviation: number;
}

/**
 * The units with the largest forecast deviations (prognos budgetavvikelse helår) by size, either sign,
 * then by the deviation to date; units with neither are left out. For the drafted summary.
 */
export function largestDeviations(result: LedgerResult, count = 3): UnitDeviation[] {
  const units = result.units?.units ?? [];
  return units
    .map((u) => ({
      name: u.name,
      deviation: u.result.deviation,
      forecastDeviation: u.result.forecastDeviation,
    }))
    .filter((u) => u.deviation !== 0 || u.forecastDeviation !== 0)
    .sort(
      (a, b) =>
        Math.abs(b.forecastDeviation) - Math.abs(a.forecastDeviation) ||
        Math.abs(b.deviation) - Math.abs(a.deviation) ||
        a.name.localeCompare(b.name, "sv"),
    )
    .slice(0, Math.max(0, count));
}

/**
 * The largest deviations as a sentence for the summary, e.g. "Störst prognosavvikelse för helåret har
 * Mercur (-3 200 tkr), Vårnäs (+1 100 tkr) och Klivet (-400 tkr)."; null without units.
 */
export function describeLargestDeviations(result: LedgerResult, count = 3): string | null {
  const top = largestDeviations(result, count);
  if (top.length === 0) return null;
  const decimals = unitDecimals(result.unit);
  const parts = top.map(
    (u) =>
      `${u.name} (${formatAmount(u.forecastDeviation, { sign: "deviation", unit: result.unit, decimals })})`,
  );
  const list =
    parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} och ${parts[parts.length - 1]}`;
  return `Störst prognosavvikelse för helåret har ${list}.`;
}

const NET_KEYS = [
  "actual",
  "periodBudget",
  "deviation",
  "annualBudget",
  "forecast",
  "forecastDeviation",
] as const;

/**
 * Several ledgers (one per unit, e.g. one workbook each) as one ledger with units: the lines one after
 * another, each with its part's name as unit; the net result is their sum. The balance target is the sum
 * of the parts' targets when every part has one, else null. The parts must share period and unit.
 */
export function combineLedgers(parts: { name: string; result: LedgerResult }[]): LedgerResult {
  if (parts.length === 0) throw new RangeError("No ledgers to combine");
  const first = parts[0].result;
  const lines: LineResult[] = [];
  const units: OrgUnitResult[] = [];
  const net: NetResult = {
    actual: 0,
    periodBudget: 0,
    deviation: 0,
    annualBudget: 0,
    forecast: 0,
    forecastDeviation: 0,
    balanceTarget: null,
    deviationVsBalanceTarget: null,
  };
  let target: number | null = 0;
  for (const { name, result } of parts) {
    const offset = lines.length;
    for (const l of result.lines) {
      const parent = l.parent === null ? null : l.parent + offset;
      lines.push({ ...l, index: l.index + offset, parent, orgUnit: name });
    }
    units.push({
      name,
      lines: result.lines.map((l) => l.index + offset),
      result: { ...result.result, balanceTarget: null, deviationVsBalanceTarget: null },
      measuresIncluded: result.lines.reduce(
        (a, l) => a + (l.kind === "revenue" || l.kind === "cost" ? l.measuresIncluded : 0),
        0,
      ),
    });
    for (const k of NET_KEYS) net[k] = clean(net[k] + result.result[k]);
    target =
      target === null || result.result.balanceTarget === null ? null : target + result.result.balanceTarget;
  }
  net.balanceTarget = target;
  net.deviationVsBalanceTarget = target === null ? null : clean(net.forecastDeviation - target);
  return {
    period: first.period,
    unit: first.unit,
    lines,
    result: net,
    actionPlan: combineActionPlans(parts),
    volumes: [],
    findings: [],
    units: { units, unassignedMeasures: 0 },
  };
}

/** The parts' action plans one after another: areas renumbered and named "Unit: area", totals summed. */
function combineActionPlans(parts: { name: string; result: LedgerResult }[]): ActionPlanSummary {
  const out: ActionPlanSummary = {
    areas: [],
    forecastTotal: 0,
    decidedTotal: 0,
    excluded: [],
    followUps: parts[0].result.actionPlan.followUps,
    unassignedIncluded: 0,
  };
  for (const { name, result } of parts) {
    const plan = result.actionPlan;
    const prefixed = (area: string) => `${name}: ${area}`;
    for (const area of plan.areas) {
      const measures = area.measures.map((m) => ({ ...m, orgUnit: m.orgUnit ?? name }));
      out.areas.push({ ...area, number: out.areas.length + 1, name: prefixed(area.name), measures });
    }
    out.excluded.push(...plan.excluded.map((e) => ({ ...e, area: prefixed(e.area) })));
    out.forecastTotal += plan.forecastTotal;
    out.decidedTotal += plan.decidedTotal;
    out.unassignedIncluded += plan.unassignedIncluded;
  }
  return out;
}
