/**
 * The whole computation: LedgerInput → LedgerResult (issue 2 §1–10).
 *
 * Internally every amount is in the net-result convention (revenue +, cost −); with `costPositive` the
 * amounts of cost lines, of varav lines under them, of total lines and of the net result are negated on
 * the way in and out. Deviations are always + favourable and never negated.
 */
import { checkLines, classify, clean, SIGNS_READ, summariseMonthSigns } from "./checks";
import {
  computeVolumes,
  readFollowUps,
  readMeasures,
  summariseActionPlan,
  type ReadMeasure,
} from "./actions";
import { formatAmount, roundHalfAwayFromZero } from "./format";
import { METHOD_LABELS_SV, parseMethod } from "./methods";
import { KEY_MONTHS, KEY_OF_WHICH, Lines, orNull, PERIOD_KEYS } from "./lines";
import { OrgUnits } from "./units";
import { daysInYear, describeValue, periodDays, validatePeriod } from "./period";
import {
  Findings,
  isRecord,
  keyHash,
  labelKey,
  labelKeyHash,
  MonthSums,
  OwnFields,
  plainMonths,
  plainNumber,
  prop,
  readMonths,
  readNumber,
  readText,
} from "./read";
import type {
  AppliedMeasure,
  ForecastMethod,
  LedgerInput,
  LineField,
  LedgerResult,
  LineKind,
  LineResult,
  NetResult,
  OrgUnitResult,
  Periodisation,
  SignConvention,
  Unit,
} from "./types";
import { CoreInputError } from "./types";
import { BacktestCells, backtestLines } from "./backtest";
import { readLastYear } from "./history";
import {
  chooseKey,
  plannedMethod,
  readTrendBase,
  periodiseWith,
  settingKey,
  shareOf,
  type PeriodSetup,
} from "./periodise";

/** k of the trend method when the input does not give it. */
export const DEFAULT_TREND_MONTHS = 3;

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
  trendMonths: number;
  backtest: boolean;
}

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
  /** What periodisation by method needs (src/core/periodise.ts). */
  setup: PeriodSetup;
  /** Reads a line's fields (LINE_FIELDS). */
  lineFields: OwnFields;
  /** The cells only the backtest reads, null while no line has last year's months. */
  backtestCells: BacktestCells | null;
  /** The lines' Ansvar cells as read (OrgUnits.read), null while no line has one. */
  unitCells: unknown[] | null;
  /** Where each line's monthly budget and actuals are summed (see plainMonths). */
  budgetSums: MonthSums;
  actualSums: MonthSums;
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
    trendMonths: readTrendMonths(prop(input, "trendMonths"), findings),
    backtest: prop(input, "backtest") !== false,
  };
}

/** The trend method's k: a whole number of months 1–11, default 3. */
function readTrendMonths(raw: unknown, findings: Findings): number {
  if (raw === null || raw === undefined) return DEFAULT_TREND_MONTHS;
  if (typeof raw === "number" && Number.isInteger(raw) && raw >= 1 && raw <= 11) return raw;
  findings.add(
    "warning",
    "OPTION_INVALID",
    `Antalet månader för trendmetoden ${describeValue(raw)} går inte att använda (1–11); ${DEFAULT_TREND_MONTHS} används.`,
  );
  return DEFAULT_TREND_MONTHS;
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
 *   sum of their forecasts unless it has a manual one. Included measures then raise their line's forecast,
 *   except where a manual forecast decides it (the line's own, or a varav line's parent's): a manual
 *   forecast is the ekonom's final figure (MEASURE_MANUAL_FINAL, warning) unless
 *   `measuresOnManualForecast` is true, which adds the measures on top.
 * - A single blank varav line is the residual of its parent (OFWHICH_RESIDUAL, info).
 * - A total line sums the revenue and cost lines since the previous total line (all above it when there
 *   are none, i.e. a grand total); the last total also includes the extra line "Åtgärder inräknade i
 *   prognosen". The net result sums every revenue and cost line. With costPositive, total lines and the
 *   net result are shown cost-positive (negated) like cost lines.
 *
 * Findings (code → level):
 * - Checks: SIGN_SUSPECT (warning), FORECAST_BELOW_ACTUAL (warning), OFWHICH_MISMATCH, TOTAL_MISMATCH, DEVIATION_MISMATCH, BUDGET_MISMATCH,
 *   ACTUAL_MISMATCH (info within rounding tolerance = half a `roundingUnit` per rounded operand; error for a
 *   sign slip or two transposed digits; warning otherwise).
 * - Fallbacks: SEASONAL_FALLBACK, MANUAL_MISSING, UNKNOWN_METHOD, UNKNOWN_KIND, OFWHICH_ORPHAN (warning).
 * - Input: NOT_A_NUMBER, NOT_FINITE, NUMBER_TOO_LARGE, BAD_MONTHLY_LENGTH, NOT_TEXT, BAD_LINE, LINES_INVALID,
 *   EMPTY_LEDGER, OPTION_INVALID (warning); NUMBER_AS_TEXT, ACTUAL_MISSING, BUDGET_MISSING (info).
 * - Units (lines with `orgUnit`, see units.ts): ORG_UNIT_OFWHICH (error), ORG_UNIT_MISSING,
 *   ORG_UNIT_TOTAL_EMPTY, MEASURE_UNIT_UNKNOWN (warning). A total line with a unit sums that unit's lines;
 *   without one (when the ledger has units) it sums the whole ledger above it.
 * - Measures and volumes: MEASURE_LINE_UNKNOWN, MEASURE_TYPE_UNKNOWN, MEASURE_INCLUDED_INVALID, BAD_MEASURE,
 *   MEASURES_INVALID, BAD_DATE, DATES_INVALID, VOLUME_TYPE_UNKNOWN, VOLUME_FORECAST_DEVIATES, BAD_VOLUME,
 *   VOLUMES_INVALID, MEASURE_MANUAL_FINAL (warning); MEASURE_NOT_COUNTED (info).
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
    if (lines.kind[i] !== "total" && lines.childCount[i] > 0) fillResiduals(lines, i, ctx);
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
  const unassigned = applyMeasures(measures, lines, findings, units, onManual, measuresApplied);
  // 7. Parents with varav lines take the sum of their children's forecasts (unless manual).
  for (let i = 0; i < n; i++) {
    if (lines.kind[i] !== "total" && lines.childCount[i] > 0 && Number.isNaN(lines.manual[i])) {
      sumChildForecasts(lines, i);
    }
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

/** Each unit's lines and net result (no balance target: that is for the whole). */
function unitResults(units: OrgUnits, perUnit: Sums[], options: Options): OrgUnitResult[] {
  const out: OrgUnitResult[] = units.names.map((name, u) => ({
    name,
    lines: [],
    result: netResult(perUnit[u], { ...options, balanceTarget: null }),
    measuresIncluded: clean(perUnit[u].measures),
  }));
  for (let i = 0; i < units.of.length; i++) if (units.of[i] >= 0) out[units.of[i]].lines.push(i);
  return out;
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
    setup: {
      year,
      month,
      periodisation: options.periodisation,
      defaultMethod: options.defaultMethod,
      fallbackMethod: options.defaultMethod === "manual" ? "linear" : options.defaultMethod,
      trendMonths: options.trendMonths,
    },
    lineFields: new OwnFields(LINE_FIELDS),
    unitCells: null,
    backtestCells: null,
    budgetSums: new MonthSums(),
    actualSums: new MonthSums(),
    fmt: (x, deviation = false) => formatAmount(x, { decimals, sign: deviation ? "deviation" : "plain" }),
  };
}

// ---------------------------------------------------------------------------------------------------
// 1–2. Reading the lines and their structure

/**
 * A number cell of line i: the number, null when blank, undefined when unusable (a finding was added).
 * Plain numbers and blanks (nearly every cell) take the fast path; the cell's location and message are
 * built only when there is something to report.
 */
function cellNumber(
  raw: unknown,
  lines: Lines,
  i: number,
  field: LineField | undefined,
  what: string,
  findings: Findings,
): number | null | undefined {
  const plain = plainNumber(raw);
  if (plain !== undefined) return plain;
  const read = readNumber(raw, findings, { line: i, field }, `${lines.name(i)}: ${what}`);
  return read.invalid ? undefined : read.value;
}

/**
 * readMonths for a cell range of line i, with the same fast path as cellNumber (whose sums go into
 * `into`, reused from line to line).
 */
function cellMonths(
  raw: unknown,
  lines: Lines,
  i: number,
  field: LineField,
  what: string,
  ctx: Context,
  into: MonthSums,
): MonthSums | null {
  const plain = plainMonths(raw, ctx.month, into);
  if (plain !== undefined) return plain;
  return readMonths(raw, ctx.month, ctx.findings, { line: i, field }, `${lines.name(i)}: ${what}`);
}

/** The fields readLine reads from a line. */
const LINE_FIELDS = [
  "label",
  "annualBudget",
  "monthlyBudget",
  "actual",
  "actualMonthly",
  "lastYearMonthly",
  "manualForecast",
  "typedDeviation",
  "kind",
  "method",
  "orgUnit",
  "lastYearBudget",
  "twoYearsAgoMonthly",
];

/** NaN for a missing or unusable number (see Lines). */
const orNaN = (x: number | null | undefined): number => (x === null || x === undefined ? NaN : x);

/** Step 1 for one line: its cells, kind and method. */
function readLine(item: unknown, i: number, lines: Lines, ctx: Context): void {
  const { findings, options } = ctx;
  const obj = isRecord(item) ? item : null;
  if (!obj) {
    findings.add("warning", "BAD_LINE", `Rad ${i + 1} saknar uppgifter och räknas som en tom rad.`, {
      line: i,
    });
  }
  const f = ctx.lineFields.of(obj);
  const rawLabel = f.label;
  lines.label[i] =
    typeof rawLabel === "string"
      ? rawLabel.trim()
      : readText(rawLabel, findings, { line: i, field: "label" }, `Rad ${i + 1}: radnamnet`);

  const annual = cellNumber(f.annualBudget, lines, i, "budget", "årsbudgeten", findings);
  const budgetWhat = "månadsbudgeten";
  const budgetMonths = cellMonths(f.monthlyBudget, lines, i, "budget", budgetWhat, ctx, ctx.budgetSums);
  const actual = cellNumber(f.actual, lines, i, "actual", "utfallet", findings);
  const rawActualMonths = f.actualMonthly;
  const actualMonths = cellMonths(rawActualMonths, lines, i, "actual", "månadsutfallet", ctx, ctx.actualSums);
  // The month sign check (step 10) then needs the months again only where a month may have lost its sign.
  if (rawActualMonths === null || rawActualMonths === undefined) lines.monthSigns[i] = SIGNS_READ;
  else if (actualMonths === ctx.actualSums)
    lines.monthSigns[i] = summariseMonthSigns(rawActualMonths as unknown[], ctx.month);
  readLastYear(f.lastYearMonthly, lines, i, ctx.setup, findings);
  const unit = f.orgUnit;
  if (unit !== null && unit !== undefined) (ctx.unitCells ??= new Array<unknown>(lines.length))[i] = unit;
  const manual = "den manuella prognosen";
  lines.manual[i] = orNaN(cellNumber(f.manualForecast, lines, i, "manualForecast", manual, findings));
  lines.typedDeviation[i] = orNaN(cellNumber(f.typedDeviation, lines, i, undefined, "avvikelsen", findings));
  lines.budgetBlank[i] = annual === null && budgetMonths === null ? 1 : 0;
  lines.actualBlank[i] = actual === null && actualMonths === null ? 1 : 0;
  lines.typedAnnual[i] = orNaN(annual);
  lines.typedActual[i] = orNaN(actual);
  // Twelve blank month cells are not a typed figure (a Summa row left blank is not "0"): they stay NaN,
  // so the line counts as 0 like before but no typed figure is checked against anything.
  if (budgetMonths && !budgetMonths.blank) {
    lines.budgetMonthsToDate[i] = budgetMonths.toDate;
    lines.budgetMonthsTotal[i] = budgetMonths.total;
  }
  if (actualMonths && !actualMonths.blank) lines.actualMonthsToDate[i] = actualMonths.toDate;

  lines.kind[i] = readKind(f.kind, lines, i, options.convention, findings);
  lines.methodAsked[i] = readLineMethod(f.method, lines, i, options.defaultMethod, findings);
  if (options.backtest && BacktestCells.wants(lines, i)) {
    const cells = (ctx.backtestCells ??= new BacktestCells(lines.length));
    cells.budget[i] = f.lastYearBudget;
    cells.older[i] = f.twoYearsAgoMonthly;
  }
  lines.periodKey[i] = chooseKey(lines, i, ctx.setup);
  if (plannedMethod(lines, i, ctx.setup) === "trend")
    lines.trendBase[i] = readTrendBase(obj, lines, i, ctx.setup);
  setBudgetAndActual(lines, i, ctx);
}

function readKind(
  rawKind: unknown,
  lines: Lines,
  i: number,
  convention: SignConvention,
  findings: Findings,
): LineKind {
  if (typeof rawKind === "string" && (LINE_KINDS as readonly string[]).includes(rawKind))
    return rawKind as LineKind;
  const budget = orNull(lines.typedBudget(i));
  const kind = inferKind(lines.label[i], budget, orNull(lines.typedActualToDate(i)), convention);
  if (rawKind !== null && rawKind !== undefined) {
    findings.add(
      "warning",
      "UNKNOWN_KIND",
      `${lines.name(i)}: radtypen ${describeValue(rawKind)} är okänd; raden räknas som ${kind}.`,
      { line: i, field: "kind" },
    );
  }
  return kind;
}

/** The method asked for in the line's `Metod` cell; null when blank or unknown (with a finding). */
function readLineMethod(
  rawMethod: unknown,
  lines: Lines,
  i: number,
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
      `${lines.name(i)}: metoden ${describeValue(rawMethod)} finns inte; ${METHOD_LABELS_SV[defaultMethod]} används.`,
      { line: i, field: "method" },
    );
  }
  return method;
}

/** Step 2: each varav line belongs to the nearest line above that is not a varav line; sign flips. */
function linkOfWhich(lines: Lines, ctx: Context): void {
  const n = lines.length;
  let lastNonOfWhich = -1;
  for (let i = 0; i < n; i++) {
    if (lines.kind[i] !== "ofWhich") {
      lastNonOfWhich = i;
      continue;
    }
    if (lastNonOfWhich < 0) {
      ctx.findings.add(
        "warning",
        "OFWHICH_ORPHAN",
        `${lines.name(i)} är en varav-rad utan någon huvudrad ovanför; den räknas inte in i någon summa.`,
        { line: i, field: "kind" },
      );
    } else {
      lines.parent[i] = lastNonOfWhich;
      lines.childCount[lastNonOfWhich]++; // its varav lines follow it directly (see Lines.childCount)
    }
  }
  if (ctx.options.convention !== "costPositive") return;
  for (let i = 0; i < n; i++) {
    const kind = lines.kind[i];
    const parent = lines.parent[i];
    const flip = kind === "ofWhich" ? parent < 0 || lines.flip[parent] === 1 : kind !== "revenue";
    if (!flip) continue;
    lines.flip[i] = 1;
    lines.annual[i] = clean(-lines.annual[i]);
    lines.period[i] = clean(-lines.period[i]);
    lines.actual[i] = clean(-lines.actual[i]);
  }
}

// ---------------------------------------------------------------------------------------------------
// 3–4. Budgets and actuals

/**
 * The annual and period budget and the actual of a line, in the input convention (linkOfWhich negates
 * them for flipped lines): the monthly budget wins over a typed annual budget for the period, a typed
 * actual over the monthly actuals.
 */
function setBudgetAndActual(lines: Lines, i: number, ctx: Context): void {
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
function checkTypedSums(lines: Lines, i: number, ctx: Context): void {
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
function sumChildPeriods(lines: Lines, parent: number): void {
  const key = lines.periodKey[parent];
  if (key === KEY_MONTHS || !lines.budgetGiven[parent]) return;
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
function fillResiduals(lines: Lines, parent: number, ctx: Context): void {
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

/** ACTUAL_MISSING and BUDGET_MISSING for a line left blank (after the residuals). */
function reportMissing(lines: Lines, i: number, ctx: Context): void {
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

// ---------------------------------------------------------------------------------------------------
// 5–7. Forecasts and measures

/** Step 5 for one non-total line: its manual forecast, else its method's (rounded by roundingStep). */
function forecastLine(lines: Lines, i: number, ctx: Context): void {
  const { findings, options } = ctx;
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
  } else if (method === "linear") F = A * ctx.linearRate;
  else if (method === "days") F = A * ctx.daysRate;
  else if (method === "budget") F = A + (B - lines.period[i]);
  else F = B; // zero
  lines.unrounded[i] = clean(F);
  if (options.roundingStep > 0) F = B + roundHalfAwayFromZero(F - B, options.roundingStep);
  lines.method[i] = method;
  lines.forecast[i] = clean(F);
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

/** Step 7 for one parent without a manual forecast: the sum of its varav lines' forecasts. */
function sumChildForecasts(lines: Lines, parent: number): void {
  let forecast = 0;
  for (let k = parent + 1; k <= parent + lines.childCount[parent]; k++) forecast += lines.forecast[k];
  lines.forecast[parent] = clean(forecast + lines.measures[parent]);
  lines.forecastFrom[parent] = "ofWhich";
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
 * one) go to the extra line. Returns the extra line's amount, or null when no measure goes there.
 */
function applyMeasures(
  measures: readonly ReadMeasure[],
  lines: Lines,
  findings: Findings,
  units: OrgUnits | null,
  onManual: boolean,
  applied: AppliedMeasure[],
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
function sumTotals(
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
  const c = classify(typed, computed, members.count + 1, ctx.options.roundingUnit);
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
function lineResult(lines: Lines, i: number): LineResult {
  const parent = lines.parent[i];
  const forecastDeviation = lines.forecastDeviation[i];
  return {
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
    periodisedBy: "linear",
    lastYearToDate: null,
    lastYearTotal: null,
    trendMonthly: null,
    unroundedForecast: null,
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
