/**
 * Steps 5–6 of compute(): each line's forecast, its manual forecast or its method's (step 5), and the
 * included measures on top (step 6). Step 7, a parent's forecast from its varav lines, is in parents.ts.
 */
import type { ReadMeasure } from "./actions";
import { classify, clean } from "./checks";
import type { Context } from "./context";
import { roundHalfAwayFromZero } from "./format";
import type { Lines } from "./lines";
import { METHOD_LABELS_SV } from "./methods";
import { keyHash, labelKey, labelKeyHash, type Findings } from "./read";
import type { AppliedMeasure, ForecastMethod } from "./types";
import type { OrgUnits } from "./units";

/** Label of the extra line that carries included measures with no named line. */
export const MEASURES_LINE_LABEL = "Åtgärder inräknade i prognosen";

/** Step 5 for one non-total line: its manual forecast, else its method's (rounded by roundingStep). */
export function forecastLine(lines: Lines, i: number, ctx: Context): void {
  const { findings, options } = ctx;
  if (ctx.month === 12) return yearEnd(lines, i, ctx);
  const manual = lines.manual[i];
  if (!Number.isNaN(manual)) {
    lines.method[i] = "manual";
    lines.forecastFrom[i] = "manual";
    lines.forecast[i] = clean(lines.flip[i] ? -manual : manual);
    return;
  }
  const hasChildren = lines.childCount[i] > 0;
  let method = lines.methodAsked[i] ?? options.defaultMethod;
  if (method === "manual") {
    method = ctx.fallbackMethod;
    if (!hasChildren) {
      findings.add(
        "warning",
        "MANUAL_MISSING",
        `${lines.name(i)}: metoden är manuell men ingen manuell prognos är ifylld; ${METHOD_LABELS_SV[method]} används i stället.`,
        { line: i, field: "manualForecast" },
      );
    }
  }
  const A = lines.actual[i];
  const B = lines.annual[i];
  let F: number;
  if (method === "seasonal") {
    const toDate = lines.lastYearToDate[i];
    const given = !Number.isNaN(toDate);
    if (given && toDate !== 0) F = A * (lines.lastYearTotal[i] / toDate);
    else {
      method = "linear";
      F = A * ctx.linearRate;
      if (!hasChildren) {
        findings.add(
          "warning",
          "SEASONAL_FALLBACK",
          `${lines.name(i)}: säsongsmetoden behöver fjolårets månadsutfall${given ? " som inte är 0 för perioden" : ""}; linjär används i stället.`,
          { line: i, field: "lastYear" },
        );
      }
    }
  } else if (method === "trend") {
    F = trendForecast(lines, i, ctx, !hasChildren);
    if (Number.isNaN(F)) {
      method = "linear";
      F = A * ctx.linearRate;
    }
  } else F = byAmounts(method, A, lines.period[i], B, ctx);
  lines.unrounded[i] = clean(F);
  lines.method[i] = method;
  lines.forecast[i] = clean(rounded(F, B, ctx));
}

/**
 * Step 5 in December: the year is known, so every line's full-year forecast is its outcome, unrounded.
 * A manual forecast that differs beyond rounding is a warning (YEAR_END_MANUAL), the method `noll`
 * (the budget, whatever the outcome) an upplysning (YEAR_END_METHOD): neither may override the year.
 */
function yearEnd(lines: Lines, i: number, ctx: Context): void {
  const { options, fmt } = ctx;
  const A = lines.actual[i];
  const manual = lines.manual[i];
  let method = lines.methodAsked[i] ?? options.defaultMethod;
  if (!Number.isNaN(manual)) method = "manual";
  else if (method === "manual") method = ctx.fallbackMethod;
  lines.method[i] = method;
  lines.forecast[i] = A;
  lines.forecastFrom[i] = "actual";
  const shown = (x: number) => fmt(lines.shown(i, x));
  const actual = `utfallet för helåret ${shown(A)}`;
  if (!Number.isNaN(manual)) {
    const typed = lines.flip[i] ? -manual : manual;
    const c = classify(typed, A, 2, Math.max(options.roundingUnit, options.roundingStep));
    if (!c || c.level === "info") return;
    ctx.findings.add(
      "warning",
      "YEAR_END_MANUAL",
      `${lines.name(i)}: perioden är december, så helåret är känt och prognosen är ${actual}. Den manuella prognosen ${shown(typed)} används inte; töm ManuellPrognos eller ändra den till utfallet.`,
      { line: i, field: "manualForecast" },
    );
  } else if (method === "zero" && lines.childCount[i] === 0 && lines.annual[i] !== A) {
    ctx.findings.add(
      "info",
      "YEAR_END_METHOD",
      `${lines.name(i)}: perioden är december, så prognosen är ${actual}, inte årsbudgeten ${shown(lines.annual[i])} som metoden noll ger.`,
      { line: i, field: "method" },
    );
  }
}

/** F by a method that needs only the amounts (actual A, period budget P, annual budget B): linear, days, budget, zero. */
export function byAmounts(method: ForecastMethod, A: number, P: number, B: number, ctx: Context): number {
  if (method === "linear") return A * ctx.linearRate;
  if (method === "days") return A * ctx.daysRate;
  if (method === "budget") return A + (B - P);
  return B; // zero
}

/** The forecast F with its deviation from the annual budget B rounded to the rounding step. */
export function rounded(F: number, B: number, ctx: Context): number {
  const step = ctx.options.roundingStep;
  return step > 0 ? B + roundHalfAwayFromZero(F - B, step) : F;
}

/**
 * The trend method (DOMAIN.md M15): FV = deviation to date + (12 − m) × the average monthly deviation of
 * the last k months, F = B + FV. NaN, with TREND_FALLBACK when `report`, when the line has no monthly
 * outcomes or the period fewer than k months.
 */
function trendForecast(lines: Lines, i: number, ctx: Context, report: boolean): number {
  const base = lines.trendBase[i];
  const k = ctx.options.trendMonths;
  if (Number.isNaN(base)) {
    if (report) {
      const why =
        ctx.month < k
          ? `minst ${k} månaders utfall (perioden har ${ctx.month})`
          : "månadsutfall (Utfall med 12 kolumner), inte bara utfallet hittills";
      ctx.findings.add(
        "warning",
        "TREND_FALLBACK",
        `${lines.name(i)}: trendmetoden behöver ${why}; linjär används i stället.`,
        { line: i, field: "actual" },
      );
    }
    return NaN;
  }
  const deviation = lines.actual[i] - lines.period[i];
  const monthly = (deviation - (lines.flip[i] ? -base : base)) / k;
  lines.trendMonthly[i] = clean(monthly);
  return lines.annual[i] + deviation + (12 - ctx.month) * monthly;
}

/**
 * Finds lines by label key (the first line with a key wins). Labels are normalised only as far down the
 * ledger as a lookup needs, and each at most once; only the keys that measures ask for are kept, so that
 * a long ledger does not leave a map of every label for the garbage collector to copy. A label is
 * normalised only when its hash (labelKeyHash, which builds nothing) is one of `labelHashes`: those of
 * the label part of the wanted keys, so most labels of a long ledger are passed over without a string.
 */
class LabelIndex {
  private readonly byKey = new Map<string, number>();
  private scanned = 0;

  constructor(
    private readonly labels: readonly string[],
    private readonly wanted: ReadonlySet<string>,
    private readonly labelHashes: ReadonlySet<number>,
    private readonly keyOf: (i: number) => string = (i) => labelKey(labels[i]),
  ) {}

  /** The index of the first line whose label has the key `key` (one of `wanted`), or −1. */
  find(key: string): number {
    let found = this.byKey.get(key) ?? -1;
    while (found < 0 && this.scanned < this.labels.length) {
      const i = this.scanned++;
      const label = this.labels[i];
      const lineKey = label && this.labelHashes.has(labelKeyHash(label)) ? this.keyOf(i) : "";
      if (!lineKey || !this.wanted.has(lineKey) || this.byKey.has(lineKey)) continue;
      this.byKey.set(lineKey, i);
      if (lineKey === key) found = i;
    }
    return found;
  }
}

/**
 * The label keys of the lines that included measures with an amount ask for. With units, a measure that
 * names a known unit asks by unit and label (`byUnit`); a measure of an unknown unit asks for nothing.
 */
function wantedKeys(
  measures: readonly ReadMeasure[],
  units: OrgUnits | null,
): { keys: Map<ReadMeasure, string>; byUnit: Set<ReadMeasure> } {
  const keys = new Map<ReadMeasure, string>();
  const byUnit = new Set<ReadMeasure>();
  for (const m of measures) {
    if (!m.included || m.amount === null || m.line === null) continue;
    if (units && m.orgUnit !== null) {
      const u = units.find(m.orgUnit);
      if (u >= 0) keys.set(m, units.lineKey(u, m.line));
      byUnit.add(m);
    } else keys.set(m, labelKey(m.line));
  }
  return { keys, byUnit };
}

/**
 * Step 6: included measures raise the forecast of their line; those with no line (or an unknown or total
 * one) go to the extra line. In December (`month` 12) none does: the year's outcome is the forecast. Returns the extra line's amount, or null when no measure goes there.
 */
export function applyMeasures(
  measures: readonly ReadMeasure[],
  lines: Lines,
  findings: Findings,
  units: OrgUnits | null,
  onManual: boolean,
  applied: AppliedMeasure[],
  month: number,
): number | null {
  const { keys, byUnit } = wantedKeys(measures, units);
  const plainAsked = [...keys.keys()].filter((m) => !byUnit.has(m));
  const hashes = (asked: ReadMeasure[]) => new Set(asked.map((m) => keyHash(labelKey(m.line ?? ""))));
  const index = new LabelIndex(
    lines.label,
    new Set(plainAsked.map((m) => keys.get(m) as string)),
    hashes(plainAsked),
  );
  const unitIndex =
    units && byUnit.size
      ? new LabelIndex(
          lines.label,
          new Set([...byUnit].map((m) => keys.get(m)).filter((k) => k !== undefined)),
          hashes([...byUnit]),
          (i) => (units.of[i] >= 0 ? units.lineKey(units.of[i], lines.label[i]) : ""),
        )
      : null;
  let unassigned: number | null = null;
  for (const measure of measures) {
    if (!measure.included) continue;
    const where = { measure: measure.index };
    if (measure.amount === null) {
      findings.add(
        "info",
        "MEASURE_NOT_COUNTED",
        `Åtgärd ${measure.index + 1} (${measure.area}) är markerad som inräknad men saknar belopp; den påverkar inte prognosen.`,
        where,
      );
      continue;
    }
    if (month === 12) {
      findings.add(
        "info",
        "MEASURE_YEAR_END",
        `Åtgärd ${measure.index + 1} (${measure.area}) är markerad som inräknad, men perioden är december: helåret är känt och åtgärdens effekt finns redan i utfallet, så beloppet läggs inte till prognosen.`,
        where,
      );
      continue;
    }
    const key = keys.get(measure);
    const lookup = byUnit.has(measure) ? unitIndex : index;
    let target = key === undefined || !lookup ? -1 : lookup.find(key);
    if (units && measure.orgUnit !== null && units.find(measure.orgUnit) < 0) {
      findings.add(
        "warning",
        "MEASURE_UNIT_UNKNOWN",
        `Åtgärd ${measure.index + 1} (${measure.area}) gäller ansvaret "${measure.orgUnit}", som ingen rad har; beloppet läggs på raden "${MEASURES_LINE_LABEL}".`,
        where,
      );
      target = -1;
    } else if (measure.line !== null && (target < 0 || lines.kind[target] === "total")) {
      findings.add(
        "warning",
        "MEASURE_LINE_UNKNOWN",
        `Åtgärd ${measure.index + 1} (${measure.area}) avser posten "${measure.line}", som ${
          target >= 0 ? "är en summarad" : "inte finns"
        }; beloppet läggs på raden "${MEASURES_LINE_LABEL}".`,
        where,
      );
      target = -1;
    }
    const manualAt = target >= 0 && !onManual ? manualOwner(lines, target) : -1;
    if (manualAt >= 0) {
      findings.add(
        "warning",
        "MEASURE_MANUAL_FINAL",
        `Åtgärd ${measure.index + 1} (${measure.area}) är markerad som inräknad på posten "${lines.label[target]}", men ${
          manualAt === target ? "posten" : `huvudraden "${lines.label[manualAt]}"`
        } har en manuell prognos. Den manuella prognosen är ekonomens slutliga siffra, så åtgärden räknas inte in. Ska åtgärder läggas ovanpå manuella prognoser, välj det i inställningarna.`,
        where,
      );
      continue;
    }
    if (target >= 0 && lines.childCount[target] > 0 && Number.isNaN(lines.manual[target])) {
      // The parent's forecast is its varav lines' sum plus the measure (step 7): the table's varav lines
      // then fall short of it by the amount, which the ekonom should know before the nämnd sees it.
      findings.add(
        "warning",
        "MEASURE_ON_PARENT",
        `Åtgärd ${measure.index + 1} (${measure.area}) avser posten "${lines.label[target]}", som delas upp i varav-rader: beloppet läggs på posten men inte på någon varav-rad, så i prognoskolumnen summerar varav-raderna inte till posten. Ange den varav-rad åtgärden gäller som Post.`,
        where,
      );
    }
    if (target >= 0) {
      lines.measures[target] += measure.amount;
      lines.forecast[target] = clean(lines.forecast[target] + measure.amount);
    } else {
      unassigned = (unassigned ?? 0) + measure.amount;
    }
    applied.push({
      index: measure.index,
      area: measure.area,
      text: measure.text,
      line: target >= 0 ? lines.label[target] : null,
      amount: measure.amount,
    });
  }
  return unassigned;
}

/** The line whose manual forecast decides line i's forecast (i itself, or a varav line's parent), or −1. */
function manualOwner(lines: Lines, i: number): number {
  if (!Number.isNaN(lines.manual[i])) return i;
  const parent = lines.parent[i];
  return lines.kind[i] === "ofWhich" && parent >= 0 && !Number.isNaN(lines.manual[parent]) ? parent : -1;
}
