/**
 * The whole computation: LedgerInput → LedgerResult (issue 2 §1–10).
 *
 * Internally every amount is in the net-result convention (revenue +, cost −); with `costPositive` the
 * amounts of cost lines, of varav lines under them, of total lines and of the net result are negated on
 * the way in and out. Deviations are always + favourable and never negated.
 */
import { checkLines, classify, clean, lineName, type CheckedLine } from "./checks";
import {
  computeVolumes,
  readFollowUps,
  readMeasures,
  summariseActionPlan,
  type ReadMeasure,
} from "./actions";
import { formatAmount, roundHalfAwayFromZero } from "./format";
import { METHOD_LABELS_SV, parseMethod } from "./methods";
import { daysInYear, describeValue, periodDays, validatePeriod } from "./period";
import {
  BLANK_READ,
  Findings,
  isRecord,
  labelKey,
  plainMonths,
  plainNumber,
  prop,
  readMonths,
  readNumber,
  readText,
  type MonthSums,
  type NumberRead,
} from "./read";
import type {
  ForecastMethod,
  LedgerInput,
  LineField,
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

/** Shared by every line without varav lines, so that most lines keep no array of their own. */
const NO_CHILDREN: readonly number[] = Object.freeze([]);

/**
 * One line while computing; amounts in the internal net convention. A class rather than object literals:
 * V8 then gives every line the same layout, also after an amount first turns fractional (with literals,
 * each new line was created with the old integer layout and migrated, which was a quarter of the time).
 */
class Work implements CheckedLine {
  kind: LineKind = "cost";
  parent: number | null = null;
  children: readonly number[] = NO_CHILDREN;
  flip = false;
  annual = 0;
  period = 0;
  actual = 0;
  /** The figures as typed, kept only where a later step checks them (see keepTyped). */
  typed: Typed | null = null;
  budgetBlank = false;
  actualBlank = false;
  budgetGiven = false;
  actualGiven = false;
  lastYear: MonthSums | null = null;
  methodAsked: ForecastMethod | null = null;
  manual: number | null = null;
  typedDeviation: number | null = null;
  forecast = 0;
  forecastFrom: NonNullable<LineResult["forecastFrom"]> = "method";
  /** Set for total lines (the sum of their lines' forecast deviations); else forecast − annual. */
  forecastDeviation: number | null = null;
  measures = 0;
  deviation = 0;

  constructor(
    readonly index: number,
    readonly label: string,
    public method: ForecastMethod,
  ) {}
}

/** A line's budget and actual as typed (input convention). */
interface Typed {
  annual: number | null;
  budgetMonths: MonthSums | null;
  actual: number | null;
  actualMonths: MonthSums | null;
}

/** The amounts of a line that totals and the net result add up. */
type Amounts = Pick<Work, "actual" | "period" | "deviation" | "annual" | "forecast" | "measures">;

/** What every step needs: the options, the findings, the period's constants and the amount formatter. */
interface Context {
  options: Options;
  findings: Findings;
  /** The reporting month m. */
  month: number;
  /** Periodisation of an annual budget: × share of the year (m/12, or D_m/D by days). */
  shareNum: number;
  shareDen: number;
  /** Run rates: linear 12/m, days D/D_m. */
  linearRate: number;
  daysRate: number;
  /** The method used when the one asked for cannot be (a manual default without a manual forecast). */
  fallbackMethod: ForecastMethod;
  fmt: (x: number, deviation?: boolean) => string;
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
  // 1. Read every line (input convention), infer kinds.
  const work: Work[] = [];
  for (let index = 0; index < lineList.length; index++) work.push(readLine(lineList[index], index, ctx));
  // 2. Structure: parents of varav lines, sign flips (amounts into the internal convention).
  linkOfWhich(work, ctx);
  // 3. Typed sums against their months (the amounts themselves were set while reading).
  for (const line of work) if (line.typed) checkTypedSums(line, line.typed, ctx);
  // 4. A single blank varav line is the residual of its parent (övriga = parent − named varav lines).
  for (const parent of work) {
    if (parent.kind !== "total" && parent.children.length > 0) fillResiduals(parent, work, ctx);
  }
  for (const line of work) reportMissing(line, ctx);
  // 5. Forecast by method for every non-total line.
  for (const line of work) {
    line.deviation = clean(line.actual - line.period);
    if (line.kind !== "total") forecastLine(line, ctx);
  }
  // 6. Measures counted into the forecast raise the forecast of their line (or of the extra line).
  const measures = readMeasures(prop(raw, "measures"), findings);
  const unassigned = applyMeasures(measures, work, findings);
  // 7. Parents with varav lines take the sum of their children's forecasts (unless manual).
  for (const line of work) {
    if (line.kind === "total" || line.children.length === 0 || line.manual !== null) continue;
    let forecast = 0;
    for (const i of line.children) forecast += work[i].forecast;
    line.forecast = clean(forecast + line.measures);
    line.forecastFrom = "ofWhich";
  }
  // 8. Totals, then the results of every line and the extra measures line.
  const extra: Amounts | null =
    unassigned === null
      ? null
      : { actual: 0, period: 0, deviation: 0, annual: 0, forecast: clean(unassigned), measures: unassigned };
  const net = sumTotals(work, extra, ctx);
  const results: LineResult[] = work.map(lineResult);
  if (unassigned !== null) results.push(measuresLineResult(work.length, unassigned, options));
  // 9. Net result and balance target.
  const result = netResult(net, options);
  // 10. Checks on the typed figures.
  checkLines(work, findings, options.roundingUnit, ctx.fmt);

  const followUps = readFollowUps(prop(raw, "committeeDates"), period, findings);
  const actionPlan = summariseActionPlan(measures, followUps, unassigned ?? 0);
  const volumes = computeVolumes(prop(raw, "volumes"), period, findings);
  return { period, unit: options.unit, lines: results, result, actionPlan, volumes, findings: findings.list };
}

function createContext(year: number, month: number, options: Options, findings: Findings): Context {
  const D = daysInYear(year);
  const Dm = periodDays(year, month);
  const decimals = displayDecimals(options.roundingUnit);
  const byDays = options.periodisation === "days";
  return {
    options,
    findings,
    month,
    shareNum: byDays ? Dm : month,
    shareDen: byDays ? D : 12,
    linearRate: 12 / month,
    daysRate: D / Dm,
    fallbackMethod: options.defaultMethod === "manual" ? "linear" : options.defaultMethod,
    fmt: (x, deviation = false) => formatAmount(x, { decimals, sign: deviation ? "deviation" : "plain" }),
  };
}

// ---------------------------------------------------------------------------------------------------
// 1–2. Reading the lines and their structure

/**
 * readNumber for a cell of a line. Plain numbers and blanks (nearly every cell) take the fast path; the
 * cell's location and message are built only when there is something to report.
 */
function cellNumber(
  raw: unknown,
  line: Work,
  field: LineField | undefined,
  what: string,
  findings: Findings,
): NumberRead {
  const plain = plainNumber(raw);
  if (plain === null) return BLANK_READ;
  if (plain !== undefined) return { value: plain, invalid: false };
  return readNumber(raw, findings, { line: line.index, field }, `${lineName(line)}: ${what}`);
}

/** readMonths for a cell range of a line, with the same fast path as cellNumber. */
function cellMonths(
  raw: unknown,
  line: Work,
  field: LineField,
  what: string,
  ctx: Context,
): MonthSums | null {
  const plain = plainMonths(raw, ctx.month);
  if (plain !== undefined) return plain;
  return readMonths(raw, ctx.month, ctx.findings, { line: line.index, field }, `${lineName(line)}: ${what}`);
}

/** The typed annual budget, else the sum of the monthly budget (input convention); null when neither. */
function typedBudget(typed: Typed): number | null {
  return typed.annual ?? (typed.budgetMonths ? typed.budgetMonths.total : null);
}

/** The typed actual, else the sum of the monthly actuals to date (input convention); null when neither. */
function typedActualToDate(typed: Typed): number | null {
  return typed.actual ?? (typed.actualMonths ? typed.actualMonths.toDate : null);
}

/** Total lines check their typed figures against their sums; other lines a typed sum against its months. */
function keepTyped(line: Work, typed: Typed): boolean {
  if (line.kind === "total") return true;
  return (
    (typed.annual !== null && typed.budgetMonths !== null) ||
    (typed.actual !== null && typed.actualMonths !== null)
  );
}

/** Step 1 for one line: its cells, kind and method. */
function readLine(item: unknown, index: number, ctx: Context): Work {
  const { findings, options } = ctx;
  const obj = isRecord(item) ? item : null;
  if (!obj) {
    findings.add("warning", "BAD_LINE", `Rad ${index + 1} saknar uppgifter och räknas som en tom rad.`, {
      line: index,
    });
  }
  const rawLabel = prop(obj, "label");
  const label =
    typeof rawLabel === "string"
      ? rawLabel.trim()
      : readText(rawLabel, findings, { line: index, field: "label" }, `Rad ${index + 1}: radnamnet`);
  const line = new Work(index, label, options.defaultMethod);

  const annual = cellNumber(prop(obj, "annualBudget"), line, "budget", "årsbudgeten", findings);
  const budgetMonths = cellMonths(prop(obj, "monthlyBudget"), line, "budget", "månadsbudgeten", ctx);
  const actual = cellNumber(prop(obj, "actual"), line, "actual", "utfallet", findings);
  const actualMonths = cellMonths(prop(obj, "actualMonthly"), line, "actual", "månadsutfallet", ctx);
  line.lastYear = cellMonths(prop(obj, "lastYearMonthly"), line, "lastYear", "fjolårets utfall", ctx);
  const manual = "den manuella prognosen";
  line.manual = cellNumber(prop(obj, "manualForecast"), line, "manualForecast", manual, findings).value;
  line.typedDeviation = cellNumber(
    prop(obj, "typedDeviation"),
    line,
    undefined,
    "avvikelsen",
    findings,
  ).value;
  line.budgetBlank = annual.value === null && !annual.invalid && budgetMonths === null;
  line.actualBlank = actual.value === null && !actual.invalid && actualMonths === null;
  const typed: Typed = { annual: annual.value, budgetMonths, actual: actual.value, actualMonths };

  line.kind = readKind(prop(obj, "kind"), line, typed, options.convention, findings);
  line.methodAsked = readLineMethod(prop(obj, "method"), line, options.defaultMethod, findings);
  setBudgetAndActual(line, typed, ctx);
  if (keepTyped(line, typed)) line.typed = typed;
  return line;
}

function readKind(
  rawKind: unknown,
  line: Work,
  typed: Typed,
  convention: SignConvention,
  findings: Findings,
): LineKind {
  if (typeof rawKind === "string" && (LINE_KINDS as readonly string[]).includes(rawKind))
    return rawKind as LineKind;
  const kind = inferKind(line.label, typedBudget(typed), typedActualToDate(typed), convention);
  if (rawKind !== null && rawKind !== undefined) {
    findings.add(
      "warning",
      "UNKNOWN_KIND",
      `${lineName(line)}: radtypen ${describeValue(rawKind)} är okänd; raden räknas som ${kind}.`,
      { line: line.index, field: "kind" },
    );
  }
  return kind;
}

/** The method asked for in the line's `Metod` cell; null when blank or unknown (with a finding). */
function readLineMethod(
  rawMethod: unknown,
  line: Work,
  defaultMethod: ForecastMethod,
  findings: Findings,
): ForecastMethod | null {
  if (rawMethod === null || rawMethod === undefined) return null;
  if (typeof rawMethod === "string" && rawMethod.trim() === "") return null;
  const method = parseMethod(rawMethod);
  if (!method) {
    findings.add(
      "warning",
      "UNKNOWN_METHOD",
      `${lineName(line)}: metoden ${describeValue(rawMethod)} finns inte; ${METHOD_LABELS_SV[defaultMethod]} används.`,
      { line: line.index, field: "method" },
    );
  }
  return method;
}

/** Step 2: each varav line belongs to the nearest line above that is not a varav line; sign flips. */
function linkOfWhich(work: Work[], ctx: Context): void {
  let lastNonOfWhich: Work | null = null;
  for (const line of work) {
    if (line.kind !== "ofWhich") {
      lastNonOfWhich = line;
      continue;
    }
    if (lastNonOfWhich === null) {
      ctx.findings.add(
        "warning",
        "OFWHICH_ORPHAN",
        `${lineName(line)} är en varav-rad utan någon huvudrad ovanför; den räknas inte in i någon summa.`,
        { line: line.index, field: "kind" },
      );
    } else {
      line.parent = lastNonOfWhich.index;
      addChild(lastNonOfWhich, line.index);
    }
  }
  if (ctx.options.convention !== "costPositive") return;
  for (const line of work) {
    if (line.kind === "ofWhich") line.flip = line.parent === null ? true : work[line.parent].flip;
    else line.flip = line.kind !== "revenue";
    if (line.flip) {
      line.annual = clean(-line.annual);
      line.period = clean(-line.period);
      line.actual = clean(-line.actual);
    }
  }
}

function addChild(parent: Work, child: number): void {
  if (parent.children === NO_CHILDREN) parent.children = [child];
  else (parent.children as number[]).push(child); // the line's own array, created just above
}

// ---------------------------------------------------------------------------------------------------
// 3–4. Budgets and actuals

/**
 * The annual and period budget and the actual of a line, in the input convention (linkOfWhich negates
 * them for flipped lines): the monthly budget wins over a typed annual budget for the period, a typed
 * actual over the monthly actuals.
 */
function setBudgetAndActual(line: Work, typed: Typed, ctx: Context): void {
  const months = typed.budgetMonths;
  if (months) {
    line.period = months.toDate;
    line.annual = typed.annual ?? months.total;
    line.budgetGiven = true;
  } else if (typed.annual !== null) {
    line.annual = typed.annual;
    line.period = clean(periodise(line.annual, ctx));
    line.budgetGiven = true;
  }
  if (typed.actual !== null) {
    line.actual = typed.actual;
    line.actualGiven = true;
  } else if (typed.actualMonths) {
    line.actual = typed.actualMonths.toDate;
    line.actualGiven = true;
  }
}

/** Step 3 for one line: BUDGET_MISMATCH and ACTUAL_MISMATCH, a typed sum that its months do not give. */
function checkTypedSums(line: Work, typed: Typed, ctx: Context): void {
  const { findings, fmt, options } = ctx;
  const months = typed.budgetMonths;
  if (months && typed.annual !== null) {
    const c = classify(typed.annual, months.total, 13, options.roundingUnit);
    if (c && c.level !== "info") {
      findings.add(
        "warning",
        "BUDGET_MISMATCH",
        `${lineName(line)}: årsbudgeten ${fmt(typed.annual)} är inte summan av månadsbudgeten ${fmt(months.total)}; månadsbudgeten används för perioden.`,
        { line: line.index, field: "budget" },
      );
    }
  }
  const actualMonths = typed.actualMonths;
  if (actualMonths && typed.actual !== null) {
    const c = classify(typed.actual, actualMonths.toDate, ctx.month + 1, options.roundingUnit);
    if (c && c.level !== "info") {
      findings.add(
        "warning",
        "ACTUAL_MISMATCH",
        `${lineName(line)}: utfallet ${fmt(typed.actual)} är inte summan av månadsutfallen ${fmt(actualMonths.toDate)}; det ifyllda utfallet används.`,
        { line: line.index, field: "actual" },
      );
    }
  }
}

/** The period's share of an annual budget: × m/12, or × D_m/D by days. */
function periodise(annual: number, ctx: Context): number {
  return ctx.shareNum === ctx.shareDen ? annual : (annual * ctx.shareNum) / ctx.shareDen;
}

/** The only child of `parent` for which `blank` holds, or null when none or several. */
function onlyBlankChild(parent: Work, work: Work[], blank: (line: Work) => boolean): Work | null {
  let found: Work | null = null;
  for (const i of parent.children) {
    if (!blank(work[i])) continue;
    if (found) return null;
    found = work[i];
  }
  return found;
}

/** Σ `key` over the children of `parent` except `except`, in order. */
function sumOthers(parent: Work, work: Work[], except: Work, key: "actual" | "annual" | "period"): number {
  let total = 0;
  for (const i of parent.children) if (i !== except.index) total += work[i][key];
  return total;
}

/** Step 4 for one parent: a single blank varav line (actual or budget) is what the others leave over. */
function fillResiduals(parent: Work, work: Work[], ctx: Context): void {
  const { findings, fmt } = ctx;
  const blankActual = parent.actualGiven ? onlyBlankChild(parent, work, (k) => k.actualBlank) : null;
  if (blankActual) {
    const k = blankActual;
    k.actual = clean(parent.actual - sumOthers(parent, work, k, "actual"));
    k.actualGiven = true;
    findings.add(
      "info",
      "OFWHICH_RESIDUAL",
      `${lineName(k)}: utfallet saknas och beräknas som resten av "${parent.label}": ${fmt(k.flip ? -k.actual : k.actual)}.`,
      { line: k.index, field: "actual" },
    );
  }
  const blankBudget = parent.budgetGiven ? onlyBlankChild(parent, work, (k) => k.budgetBlank) : null;
  if (blankBudget) {
    const k = blankBudget;
    k.annual = clean(parent.annual - sumOthers(parent, work, k, "annual"));
    k.period = clean(parent.period - sumOthers(parent, work, k, "period"));
    k.budgetGiven = true;
    findings.add(
      "info",
      "OFWHICH_RESIDUAL",
      `${lineName(k)}: budgeten saknas och beräknas som resten av "${parent.label}": ${fmt(k.flip ? -k.annual : k.annual)}.`,
      { line: k.index, field: "budget" },
    );
  }
}

/** ACTUAL_MISSING and BUDGET_MISSING for a line left blank (after the residuals). */
function reportMissing(line: Work, ctx: Context): void {
  if (line.kind === "total") return;
  if (line.actualBlank && !line.actualGiven) {
    ctx.findings.add("info", "ACTUAL_MISSING", `${lineName(line)}: utfall saknas och räknas som 0.`, {
      line: line.index,
      field: "actual",
    });
  }
  if (line.budgetBlank && !line.budgetGiven) {
    ctx.findings.add("info", "BUDGET_MISSING", `${lineName(line)}: budget saknas och räknas som 0.`, {
      line: line.index,
      field: "budget",
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// 5–7. Forecasts and measures

/** Step 5 for one non-total line: its manual forecast, else its method's (rounded by roundingStep). */
function forecastLine(line: Work, ctx: Context): void {
  const { findings, options } = ctx;
  if (line.manual !== null) {
    line.method = "manual";
    line.forecastFrom = "manual";
    line.forecast = clean(line.flip ? -line.manual : line.manual);
    return;
  }
  const hasChildren = line.children.length > 0;
  let method = line.methodAsked ?? options.defaultMethod;
  if (method === "manual") {
    method = ctx.fallbackMethod;
    if (!hasChildren) {
      findings.add(
        "warning",
        "MANUAL_MISSING",
        `${lineName(line)}: metoden är manuell men ingen manuell prognos är ifylld; ${METHOD_LABELS_SV[method]} används i stället.`,
        { line: line.index, field: "manualForecast" },
      );
    }
  }
  const A = line.actual;
  const B = line.annual;
  let F: number;
  if (method === "seasonal") {
    const L = line.lastYear;
    if (L && L.toDate !== 0) F = A * (L.total / L.toDate);
    else {
      method = "linear";
      F = A * ctx.linearRate;
      if (!hasChildren) {
        findings.add(
          "warning",
          "SEASONAL_FALLBACK",
          `${lineName(line)}: säsongsmetoden behöver fjolårets månadsutfall${L ? " som inte är 0 för perioden" : ""}; linjär används i stället.`,
          { line: line.index, field: "lastYear" },
        );
      }
    }
  } else if (method === "linear") F = A * ctx.linearRate;
  else if (method === "days") F = A * ctx.daysRate;
  else if (method === "budget") F = A + (B - line.period);
  else F = B; // zero
  if (options.roundingStep > 0) F = B + roundHalfAwayFromZero(F - B, options.roundingStep);
  line.method = method;
  line.forecast = clean(F);
}

/**
 * Finds lines by label key (the first line with a key wins). Labels are normalised only as far down the
 * ledger as a lookup needs, and each at most once.
 */
class LabelIndex {
  private readonly byKey = new Map<string, Work>();
  private scanned = 0;

  constructor(private readonly lines: readonly Work[]) {}

  find(label: string): Work | undefined {
    const key = labelKey(label);
    let found = this.byKey.get(key);
    while (!found && this.scanned < this.lines.length) {
      const line = this.lines[this.scanned++];
      const lineKey = line.label ? labelKey(line.label) : "";
      if (!lineKey || this.byKey.has(lineKey)) continue;
      this.byKey.set(lineKey, line);
      if (lineKey === key) found = line;
    }
    return found;
  }
}

/**
 * Step 6: included measures raise the forecast of their line; those with no line (or an unknown or total
 * one) go to the extra line. Returns the extra line's amount, or null when no measure goes there.
 */
function applyMeasures(measures: readonly ReadMeasure[], work: Work[], findings: Findings): number | null {
  const index = new LabelIndex(work);
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
    let target = measure.line === null ? undefined : index.find(measure.line);
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
      unassigned = (unassigned ?? 0) + measure.amount;
    }
  }
  return unassigned;
}

// ---------------------------------------------------------------------------------------------------
// 8–9. Totals, results and the net result

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

  add(line: Amounts): this {
    this.count++;
    this.actual += line.actual;
    this.period += line.period;
    this.deviation += line.deviation;
    this.annual += line.annual;
    this.forecast += line.forecast;
    this.forecastDeviation += line.forecast - line.annual;
    this.measures += line.measures;
    return this;
  }

  copy(): Sums {
    return Object.assign(new Sums(), this);
  }
}

/**
 * Step 8: every total line sums the revenue and cost lines since the previous total line (all above it
 * when there are none); the last total also takes the extra measures line. Checks the typed figures of
 * each total (TOTAL_MISMATCH) and returns the sums of all revenue and cost lines and the extra line.
 */
function sumTotals(work: Work[], extra: Amounts | null, ctx: Context): Sums {
  let lastTotal = -1;
  for (const line of work) if (line.kind === "total") lastTotal = line.index;
  const all = new Sums();
  let section = new Sums();
  for (const line of work) {
    if (line.kind === "revenue" || line.kind === "cost") {
      all.add(line);
      section.add(line);
    } else if (line.kind === "total") {
      let members = section.count > 0 ? section : all.copy();
      if (extra && line.index === lastTotal) members = members.copy().add(extra);
      setTotal(line, members, ctx);
      section = new Sums();
    }
  }
  return extra ? all.add(extra) : all;
}

/** A total line takes the sums of its members; its typed figures are checked against them. */
function setTotal(total: Work, members: Sums, ctx: Context): void {
  const { findings, fmt, options } = ctx;
  const s = total.flip ? -1 : 1;
  const check = (
    typed: number | null,
    computed: number,
    what: string,
    field: "actual" | "budget" | "manualForecast",
  ) => {
    if (typed === null) return;
    const c = classify(typed, computed, members.count + 1, options.roundingUnit);
    if (!c) return;
    findings.add(
      c.level,
      "TOTAL_MISMATCH",
      `${lineName(total)}: ${what} ${fmt(typed)} skiljer sig från summan av raderna ${fmt(computed)} (differens ${fmt(
        typed - computed,
        true,
      )}, ${c.why}); summan skrivs.`,
      { line: total.index, field },
    );
  };
  const typed = total.typed as Typed; // kept for every total line (keepTyped)
  check(typedActualToDate(typed), s * clean(members.actual), "inskrivet utfall", "actual");
  check(typedBudget(typed), s * clean(members.annual), "inskriven årsbudget", "budget");
  check(total.manual, s * clean(members.forecast), "inskriven prognos", "manualForecast");
  total.actual = clean(members.actual);
  total.period = clean(members.period);
  total.annual = clean(members.annual);
  total.deviation = clean(members.deviation);
  total.forecast = clean(members.forecast);
  total.forecastDeviation = clean(members.forecastDeviation);
  total.measures = clean(members.measures);
  total.method = total.methodAsked ?? ctx.fallbackMethod;
  total.forecastFrom = "sum";
}

function lineResult(line: Work): LineResult {
  const shown = (x: number): number => clean(line.flip ? -x : x);
  return {
    index: line.index,
    label: line.label,
    kind: line.kind,
    parent: line.parent,
    annualBudget: shown(line.annual),
    periodBudget: shown(line.period),
    actual: shown(line.actual),
    deviation: line.deviation,
    method: line.method,
    forecast: shown(line.forecast),
    forecastDeviation: line.forecastDeviation ?? clean(line.forecast - line.annual),
    measuresIncluded: line.measures,
    forecastFrom: line.forecastFrom,
  };
}

/** The extra line "Åtgärder inräknade i prognosen": a cost line holding the unassigned measures. */
function measuresLineResult(index: number, unassigned: number, options: Options): LineResult {
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
  };
}

/** Step 9: the net result (shown cost-positive with costPositive) and the balance target. */
function netResult(net: Sums, options: Options): NetResult {
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
