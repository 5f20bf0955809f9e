/**
 * The whole computation: LedgerInput → LedgerResult (issue 2 §1–10).
 *
 * Internally every amount is in the net-result convention (revenue +, cost −); with `costPositive` the
 * amounts of cost lines, of varav lines under them, of total lines and of the net result are negated on
 * the way in and out. Deviations are always + favourable and never negated.
 */
import { checkLines, classify, clean, type CheckedLine } from "./checks";
import { computeVolumes, readFollowUps, readMeasures, summariseActionPlan } from "./actions";
import { formatAmount, roundHalfAwayFromZero } from "./format";
import { METHOD_LABELS_SV, parseMethod } from "./methods";
import { daysInYear, describeValue, periodDays, validatePeriod } from "./period";
import {
  Findings,
  isRecord,
  labelKey,
  prop,
  readMonthly,
  readNumber,
  readText,
  sum,
  type Where,
} from "./read";
import type {
  ForecastMethod,
  LedgerInput,
  LedgerResult,
  LineKind,
  LineResult,
  NetResult,
  Periodisation,
  SignConvention,
  Unit,
} from "./types";
import { CoreInputError } from "./types";

/** Label of the extra line that carries included measures with no named line. */
export const MEASURES_LINE_LABEL = "Åtgärder inräknade i prognosen";

const LINE_KINDS: readonly LineKind[] = ["revenue", "cost", "ofWhich", "total"];

/**
 * Infers a line's kind when the workbook does not give it: a label starting with "varav" → ofWhich;
 * "Summa"/"Totalt" → total; otherwise (net convention) a negative budget → cost, a positive one →
 * revenue, then the actual's sign; default cost. With costPositive, where signs do not tell, a label
 * containing "intäkt" → revenue, else cost.
 */
export function inferKind(
  label: string,
  budget: number | null,
  actual: number | null,
  convention: SignConvention = "net",
): LineKind {
  const text = label.trim().toLowerCase();
  if (text.startsWith("varav")) return "ofWhich";
  if (text.startsWith("summa") || text.startsWith("totalt")) return "total";
  if (convention === "costPositive") return text.includes("intäkt") ? "revenue" : "cost";
  for (const value of [budget, actual]) {
    if (value !== null && value < 0) return "cost";
    if (value !== null && value > 0) return "revenue";
  }
  return "cost";
}

interface Options {
  convention: SignConvention;
  periodisation: Periodisation;
  defaultMethod: ForecastMethod;
  roundingStep: number;
  roundingUnit: number;
  balanceTarget: number | null;
  unit: Unit;
}

/** One line while computing; amounts in the internal net convention. */
interface Work extends CheckedLine {
  index: number;
  label: string;
  name: string;
  kind: LineKind;
  parent: number | null;
  children: number[];
  flip: boolean;
  annual: number;
  period: number;
  actual: number;
  budgetBlank: boolean;
  actualBlank: boolean;
  budgetGiven: boolean;
  actualGiven: boolean;
  lastYear: number[] | null;
  methodAsked: ForecastMethod | null;
  method: ForecastMethod;
  manual: number | null;
  typedDeviation: number | null;
  forecast: number;
  forecastFrom: NonNullable<LineResult["forecastFrom"]>;
  measures: number;
  deviation: number;
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

function readOptions(input: Record<string, unknown>, findings: Findings): Options {
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
  };
}

/** Decimals to show for amounts rounded to `unit` (1 → 0, 0.1 → 1). */
function displayDecimals(unit: number): number {
  return unit >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(unit) - 1e-9));
}

/**
 * Computes the whole follow-up (issue 2 §1–10). Throws CoreInputError (code PERIOD_INVALID or
 * INPUT_INVALID) only when the period or the input itself cannot be used at all; every other problem
 * becomes a Finding and a safe value (0, or the fallback method). Never rounds except by `roundingStep`.
 *
 * Rules in brief:
 * - Period budget: Σ monthly budgets 1..m, else annual × m/12 (`linear`) or × D_m/D (`days`).
 * - Forecast per line: a manual forecast wins; else the method (default `linear`); the forecast deviation
 *   is rounded to `roundingStep` (manual forecasts are not rounded). A parent with varav lines takes the
 *   sum of their forecasts unless it has a manual one. Included measures then raise their line's forecast.
 * - A single blank varav line is the residual of its parent (OFWHICH_RESIDUAL, info).
 * - A total line sums the revenue and cost lines since the previous total line (all above it when there
 *   are none, i.e. a grand total); the last total also includes the extra line "Åtgärder inräknade i
 *   prognosen". The net result sums every revenue and cost line. With costPositive, total lines and the
 *   net result are shown cost-positive (negated) like cost lines.
 *
 * Findings (code → level):
 * - Checks: SIGN_SUSPECT (warning), OFWHICH_MISMATCH, TOTAL_MISMATCH, DEVIATION_MISMATCH, BUDGET_MISMATCH,
 *   ACTUAL_MISMATCH (info within rounding tolerance = half a `roundingUnit` per rounded operand; error for a
 *   sign slip or two transposed digits; warning otherwise).
 * - Fallbacks: SEASONAL_FALLBACK, MANUAL_MISSING, UNKNOWN_METHOD, UNKNOWN_KIND, OFWHICH_ORPHAN (warning).
 * - Input: NOT_A_NUMBER, NOT_FINITE, NUMBER_TOO_LARGE, BAD_MONTHLY_LENGTH, NOT_TEXT, BAD_LINE, LINES_INVALID,
 *   EMPTY_LEDGER, OPTION_INVALID (warning); NUMBER_AS_TEXT, ACTUAL_MISSING, BUDGET_MISSING (info).
 * - Measures and volumes: MEASURE_LINE_UNKNOWN, MEASURE_TYPE_UNKNOWN, MEASURE_INCLUDED_INVALID, BAD_MEASURE,
 *   MEASURES_INVALID, BAD_DATE, DATES_INVALID, VOLUME_TYPE_UNKNOWN, VOLUME_FORECAST_DEVIATES, BAD_VOLUME,
 *   VOLUMES_INVALID (warning); MEASURE_NOT_COUNTED (info).
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
  const m = period.month;
  const D = daysInYear(period.year);
  const Dm = periodDays(period.year, m);
  const fmt = (x: number, deviation = false): string =>
    formatAmount(x, {
      decimals: displayDecimals(options.roundingUnit),
      sign: deviation ? "deviation" : "plain",
    });

  const rawLines = prop(raw, "lines");
  const lineList: unknown[] = Array.isArray(rawLines) ? rawLines : [];
  if (rawLines !== undefined && rawLines !== null && !Array.isArray(rawLines)) {
    findings.add("warning", "LINES_INVALID", `Raderna är inte en lista (${describeValue(rawLines)}).`);
  }
  if (lineList.length === 0) {
    findings.add("warning", "EMPTY_LEDGER", "Underlaget har inga rader att beräkna; alla summor blir 0.");
  }

  // 1. Read every line (input convention), infer kinds.
  const work: Work[] = [];
  const pending: {
    annual: number | null;
    monthly: number[] | null;
    actual: number | null;
    actualMonthly: number[] | null;
    invalidBudget: boolean;
    invalidActual: boolean;
  }[] = [];
  for (let index = 0; index < lineList.length; index++) {
    const item: unknown = lineList[index];
    const obj = isRecord(item) ? item : null;
    if (!obj)
      findings.add("warning", "BAD_LINE", `Rad ${index + 1} saknar uppgifter och räknas som en tom rad.`, {
        line: index,
      });
    const label = readText(
      prop(obj, "label"),
      findings,
      { line: index, field: "label" },
      `Rad ${index + 1}: radnamnet`,
    );
    const name = label ? `Raden "${label}"` : `Rad ${index + 1}`;
    const at = (field: Where["field"]): Where => ({ line: index, field });
    const annualRead = readNumber(prop(obj, "annualBudget"), findings, at("budget"), `${name}: årsbudgeten`);
    const monthly = readMonthly(
      prop(obj, "monthlyBudget"),
      findings,
      at("budget"),
      `${name}: månadsbudgeten`,
    );
    const actualRead = readNumber(prop(obj, "actual"), findings, at("actual"), `${name}: utfallet`);
    const actualMonthly = readMonthly(
      prop(obj, "actualMonthly"),
      findings,
      at("actual"),
      `${name}: månadsutfallet`,
    );
    const lastYear = readMonthly(
      prop(obj, "lastYearMonthly"),
      findings,
      at("lastYear"),
      `${name}: fjolårets utfall`,
    );
    const manual = readNumber(
      prop(obj, "manualForecast"),
      findings,
      at("manualForecast"),
      `${name}: den manuella prognosen`,
    );
    const typedDeviation = readNumber(
      prop(obj, "typedDeviation"),
      findings,
      { line: index },
      `${name}: avvikelsen`,
    );

    const budgetHint = annualRead.value ?? (monthly ? sum(monthly) : null);
    const actualHint = actualRead.value ?? (actualMonthly ? sum(actualMonthly, 0, m) : null);
    const rawKind = prop(obj, "kind");
    let kind: LineKind;
    if (typeof rawKind === "string" && (LINE_KINDS as readonly string[]).includes(rawKind))
      kind = rawKind as LineKind;
    else {
      kind = inferKind(label, budgetHint, actualHint, options.convention);
      if (rawKind !== null && rawKind !== undefined) {
        findings.add(
          "warning",
          "UNKNOWN_KIND",
          `${name}: radtypen ${describeValue(rawKind)} är okänd; raden räknas som ${kind}.`,
          at("kind"),
        );
      }
    }

    const rawMethod = prop(obj, "method");
    let methodAsked: ForecastMethod | null = null;
    if (
      rawMethod !== null &&
      rawMethod !== undefined &&
      !(typeof rawMethod === "string" && rawMethod.trim() === "")
    ) {
      methodAsked = parseMethod(rawMethod);
      if (!methodAsked) {
        findings.add(
          "warning",
          "UNKNOWN_METHOD",
          `${name}: metoden ${describeValue(rawMethod)} finns inte; ${METHOD_LABELS_SV[options.defaultMethod]} används.`,
          at("method"),
        );
      }
    }
    work.push({
      index,
      label,
      name,
      kind,
      parent: null,
      children: [],
      flip: false,
      annual: 0,
      period: 0,
      actual: 0,
      budgetBlank: annualRead.value === null && !annualRead.invalid && monthly === null,
      actualBlank: actualRead.value === null && !actualRead.invalid && actualMonthly === null,
      budgetGiven: false,
      actualGiven: false,
      lastYear,
      methodAsked,
      method: options.defaultMethod,
      manual: manual.value,
      typedDeviation: typedDeviation.value,
      forecast: 0,
      forecastFrom: "method",
      measures: 0,
      deviation: 0,
    });
    pending.push({
      annual: annualRead.value,
      monthly,
      actual: actualRead.value,
      actualMonthly,
      invalidBudget: annualRead.invalid,
      invalidActual: actualRead.invalid,
    });
  }

  // 2. Structure: parents of varav lines, sign flips.
  let lastNonOfWhich: number | null = null;
  for (const line of work) {
    if (line.kind !== "ofWhich") {
      lastNonOfWhich = line.index;
      continue;
    }
    if (lastNonOfWhich === null) {
      findings.add(
        "warning",
        "OFWHICH_ORPHAN",
        `${line.name} är en varav-rad utan någon huvudrad ovanför; den räknas inte in i någon summa.`,
        { line: line.index, field: "kind" },
      );
    } else {
      line.parent = lastNonOfWhich;
      work[lastNonOfWhich].children.push(line.index);
    }
  }
  for (const line of work) {
    if (options.convention !== "costPositive") line.flip = false;
    else if (line.kind === "ofWhich") line.flip = line.parent === null ? true : work[line.parent].flip;
    else line.flip = line.kind !== "revenue";
  }

  // 3. Budgets and actuals (internal convention).
  const [shareNum, shareDen] = options.periodisation === "days" ? [Dm, D] : [m, 12];
  const periodise = (annual: number): number =>
    shareNum === shareDen ? annual : (annual * shareNum) / shareDen;
  for (const line of work) {
    const p = pending[line.index];
    const s = line.flip ? -1 : 1;
    if (p.monthly) {
      const all = sum(p.monthly);
      line.period = s * sum(p.monthly, 0, m);
      line.annual = s * (p.annual ?? all);
      if (p.annual !== null) {
        const c = classify(p.annual, all, 13, options.roundingUnit);
        if (c && c.level !== "info") {
          findings.add(
            "warning",
            "BUDGET_MISMATCH",
            `${line.name}: årsbudgeten ${fmt(p.annual)} är inte summan av månadsbudgeten ${fmt(all)}; månadsbudgeten används för perioden.`,
            { line: line.index, field: "budget" },
          );
        }
      }
      line.budgetGiven = true;
    } else if (p.annual !== null) {
      line.annual = s * p.annual;
      line.period = clean(periodise(line.annual));
      line.budgetGiven = true;
    }
    if (p.actual !== null) {
      line.actual = s * p.actual;
      line.actualGiven = true;
      if (p.actualMonthly) {
        const ytd = sum(p.actualMonthly, 0, m);
        const c = classify(p.actual, ytd, m + 1, options.roundingUnit);
        if (c && c.level !== "info") {
          findings.add(
            "warning",
            "ACTUAL_MISMATCH",
            `${line.name}: utfallet ${fmt(p.actual)} är inte summan av månadsutfallen ${fmt(ytd)}; det ifyllda utfallet används.`,
            { line: line.index, field: "actual" },
          );
        }
      }
    } else if (p.actualMonthly) {
      line.actual = s * sum(p.actualMonthly, 0, m);
      line.actualGiven = true;
    }
    line.annual = clean(line.annual);
    line.period = clean(line.period);
    line.actual = clean(line.actual);
  }

  // 4. A single blank varav line is the residual of its parent (övriga = parent − named varav lines).
  for (const parent of work) {
    if (parent.kind === "total" || parent.children.length === 0) continue;
    const kids = parent.children.map((i) => work[i]);
    const blankActual = kids.filter((k) => k.actualBlank);
    if (blankActual.length === 1 && parent.actualGiven) {
      const k = blankActual[0];
      k.actual = clean(parent.actual - sum(kids.filter((x) => x !== k).map((x) => x.actual)));
      k.actualGiven = true;
      findings.add(
        "info",
        "OFWHICH_RESIDUAL",
        `${k.name}: utfallet saknas och beräknas som resten av "${parent.label}": ${fmt(k.flip ? -k.actual : k.actual)}.`,
        { line: k.index, field: "actual" },
      );
    }
    const blankBudget = kids.filter((k) => k.budgetBlank);
    if (blankBudget.length === 1 && parent.budgetGiven) {
      const k = blankBudget[0];
      const others = kids.filter((x) => x !== k);
      k.annual = clean(parent.annual - sum(others.map((x) => x.annual)));
      k.period = clean(parent.period - sum(others.map((x) => x.period)));
      k.budgetGiven = true;
      findings.add(
        "info",
        "OFWHICH_RESIDUAL",
        `${k.name}: budgeten saknas och beräknas som resten av "${parent.label}": ${fmt(k.flip ? -k.annual : k.annual)}.`,
        { line: k.index, field: "budget" },
      );
    }
  }
  for (const line of work) {
    if (line.kind === "total") continue;
    if (line.actualBlank && !line.actualGiven) {
      findings.add("info", "ACTUAL_MISSING", `${line.name}: utfall saknas och räknas som 0.`, {
        line: line.index,
        field: "actual",
      });
    }
    if (line.budgetBlank && !line.budgetGiven) {
      findings.add("info", "BUDGET_MISSING", `${line.name}: budget saknas och räknas som 0.`, {
        line: line.index,
        field: "budget",
      });
    }
  }

  // 5. Forecast by method for every non-total line.
  const fallbackMethod: ForecastMethod =
    options.defaultMethod === "manual" ? "linear" : options.defaultMethod;
  for (const line of work) {
    line.deviation = clean(line.actual - line.period);
    if (line.kind === "total") continue;
    const hasChildren = line.children.length > 0;
    let method = line.methodAsked ?? options.defaultMethod;
    if (line.manual !== null) {
      line.method = "manual";
      line.forecastFrom = "manual";
      line.forecast = clean(line.flip ? -line.manual : line.manual);
      continue;
    }
    if (method === "manual") {
      method = fallbackMethod;
      if (!hasChildren) {
        findings.add(
          "warning",
          "MANUAL_MISSING",
          `${line.name}: metoden är manuell men ingen manuell prognos är ifylld; ${METHOD_LABELS_SV[method]} används i stället.`,
          { line: line.index, field: "manualForecast" },
        );
      }
    }
    const A = line.actual;
    const B = line.annual;
    let F: number;
    if (method === "seasonal") {
      const L = line.lastYear;
      const toDate = L ? sum(L, 0, m) : 0;
      if (L && toDate !== 0) F = A * (sum(L) / toDate);
      else {
        method = "linear";
        F = A * (12 / m);
        if (!hasChildren) {
          findings.add(
            "warning",
            "SEASONAL_FALLBACK",
            `${line.name}: säsongsmetoden behöver fjolårets månadsutfall${L ? " som inte är 0 för perioden" : ""}; linjär används i stället.`,
            { line: line.index, field: "lastYear" },
          );
        }
      }
    } else if (method === "linear") F = A * (12 / m);
    else if (method === "days") F = A * (D / Dm);
    else if (method === "budget") F = A + (B - line.period);
    else F = B; // zero
    if (options.roundingStep > 0) F = B + roundHalfAwayFromZero(F - B, options.roundingStep);
    line.method = method;
    line.forecast = clean(F);
  }

  // 6. Measures counted into the forecast raise the forecast of their line (or of the extra line).
  const measures = readMeasures(prop(raw, "measures"), findings);
  // Only built when a measure names a line: matching keys cost a normalisation per line.
  const byLabel = new Map<string, Work>();
  if (measures.some((measure) => measure.included && measure.line !== null))
    for (const line of work) {
      const key = line.label ? labelKey(line.label) : "";
      if (key && !byLabel.has(key)) byLabel.set(key, line);
    }
  let unassigned = 0;
  let hasUnassigned = false;
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
    let target = measure.line === null ? undefined : byLabel.get(labelKey(measure.line));
    if (measure.line !== null && (!target || target.kind === "total")) {
      findings.add(
        "warning",
        "MEASURE_LINE_UNKNOWN",
        `Åtgärd ${measure.index + 1} (${measure.area}) avser posten "${measure.line}", som ${
          target ? "är en summarad" : "inte finns"
        }; beloppet läggs på raden "${MEASURES_LINE_LABEL}".`,
        where,
      );
      target = undefined;
    }
    if (target) {
      target.measures += measure.amount;
      target.forecast = clean(target.forecast + measure.amount);
    } else {
      unassigned += measure.amount;
      hasUnassigned = true;
    }
  }

  // 7. Parents with varav lines take the sum of their children's forecasts (unless manual).
  for (const line of work) {
    if (line.kind === "total" || line.children.length === 0 || line.manual !== null) continue;
    line.forecast = clean(sum(line.children.map((i) => work[i].forecast)) + line.measures);
    line.forecastFrom = "ofWhich";
  }

  // 8. Results of the ordinary lines, the extra measures line, then the totals.
  const results: LineResult[] = work.map((line) => {
    const o = (x: number): number => clean(line.flip ? -x : x);
    return {
      index: line.index,
      label: line.label,
      kind: line.kind,
      parent: line.parent,
      annualBudget: o(line.annual),
      periodBudget: o(line.period),
      actual: o(line.actual),
      deviation: line.deviation,
      method: line.method,
      forecast: o(line.forecast),
      forecastDeviation: clean(line.forecast - line.annual),
      measuresIncluded: line.measures,
      forecastFrom: line.forecastFrom,
    };
  });
  const extra: Work | null = hasUnassigned
    ? {
        index: work.length,
        label: MEASURES_LINE_LABEL,
        name: `Raden "${MEASURES_LINE_LABEL}"`,
        kind: "cost",
        parent: null,
        children: [],
        flip: options.convention === "costPositive",
        annual: 0,
        period: 0,
        actual: 0,
        deviation: 0,
        method: "zero",
        manual: null,
        forecast: clean(unassigned),
        forecastFrom: "method",
        measures: unassigned,
        typedDeviation: null,
        budgetBlank: false,
        actualBlank: false,
        budgetGiven: true,
        actualGiven: true,
        lastYear: null,
        methodAsked: null,
      }
    : null;
  if (extra) {
    results.push({
      index: extra.index,
      label: extra.label,
      kind: "cost",
      parent: null,
      annualBudget: 0,
      periodBudget: 0,
      actual: 0,
      deviation: 0,
      method: "zero",
      forecast: clean(extra.flip ? -unassigned : unassigned),
      forecastDeviation: clean(unassigned),
      measuresIncluded: unassigned,
      forecastFrom: "method",
    });
  }

  const isBase = (line: Work): boolean => line.kind === "revenue" || line.kind === "cost";
  const lastTotal = [...work].reverse().find((line) => line.kind === "total");
  const totalsOf = (lines: Work[]) => {
    const forecast = sum(lines.map((l) => l.forecast));
    const annual = sum(lines.map((l) => l.annual));
    return {
      actual: clean(sum(lines.map((l) => l.actual))),
      period: clean(sum(lines.map((l) => l.period))),
      deviation: clean(sum(lines.map((l) => l.deviation))),
      annual: clean(annual),
      forecast: clean(forecast),
      forecastDeviation: clean(sum(lines.map((l) => l.forecast - l.annual))),
      measures: clean(sum(lines.map((l) => l.measures))),
    };
  };
  for (const total of work) {
    if (total.kind !== "total") continue;
    let start = total.index - 1;
    while (start >= 0 && work[start].kind !== "total") start--;
    let members = work.slice(start + 1, total.index).filter(isBase);
    if (members.length === 0) members = work.slice(0, total.index).filter(isBase);
    if (extra && total === lastTotal) members = [...members, extra];
    const sums = totalsOf(members);
    const p = pending[total.index];
    const s = total.flip ? -1 : 1;
    const check = (
      typed: number | null,
      computed: number,
      what: string,
      field: "actual" | "budget" | "manualForecast",
    ) => {
      if (typed === null) return;
      const c = classify(typed, computed, members.length + 1, options.roundingUnit);
      if (!c) return;
      findings.add(
        c.level,
        "TOTAL_MISMATCH",
        `${total.name}: ${what} ${fmt(typed)} skiljer sig från summan av raderna ${fmt(computed)} (differens ${fmt(
          typed - computed,
          true,
        )}, ${c.why}); summan skrivs.`,
        { line: total.index, field },
      );
    };
    check(
      p.actual ?? (p.actualMonthly ? sum(p.actualMonthly, 0, m) : null),
      s * sums.actual,
      "inskrivet utfall",
      "actual",
    );
    check(p.annual ?? (p.monthly ? sum(p.monthly) : null), s * sums.annual, "inskriven årsbudget", "budget");
    check(total.manual, s * sums.forecast, "inskriven prognos", "manualForecast");
    total.actual = sums.actual;
    total.period = sums.period;
    total.annual = sums.annual;
    total.deviation = sums.deviation;
    total.forecast = sums.forecast;
    total.measures = sums.measures;
    const o = (x: number): number => clean(s * x);
    results[total.index] = {
      ...results[total.index],
      annualBudget: o(sums.annual),
      periodBudget: o(sums.period),
      actual: o(sums.actual),
      deviation: sums.deviation,
      method: total.methodAsked ?? fallbackMethod,
      forecast: o(sums.forecast),
      forecastDeviation: sums.forecastDeviation,
      measuresIncluded: sums.measures,
      forecastFrom: "sum",
    };
  }

  // 9. Net result and balance target.
  const baseLines = work.filter(isBase).concat(extra ? [extra] : []);
  const net = totalsOf(baseLines);
  const ns = options.convention === "costPositive" ? -1 : 1;
  const result: NetResult = {
    actual: clean(ns * net.actual),
    periodBudget: clean(ns * net.period),
    deviation: net.deviation,
    annualBudget: clean(ns * net.annual),
    forecast: clean(ns * net.forecast),
    forecastDeviation: net.forecastDeviation,
    balanceTarget: options.balanceTarget,
    deviationVsBalanceTarget:
      options.balanceTarget === null ? null : clean(net.forecastDeviation - options.balanceTarget),
  };

  // 10. Checks on the typed figures.
  checkLines(work, findings, options.roundingUnit, fmt);

  const followUps = readFollowUps(prop(raw, "committeeDates"), period, findings);
  const actionPlan = summariseActionPlan(measures, followUps, unassigned);
  const volumes = computeVolumes(prop(raw, "volumes"), period, findings);
  return { period, unit: options.unit, lines: results, result, actionPlan, volumes, findings: findings.list };
}
