/**
 * Steps 1–2 of compute(): each line's cells, kind and method, read from the input (in the input's sign
 * convention), then the varav structure and the sign flips into the internal convention (lines.ts).
 */
import { BacktestCells } from "./backtest";
import { setBudgetAndActual } from "./budgets";
import { clean, SIGNS_READ, summariseMonthSigns } from "./checks";
import type { Context } from "./context";
import { readLastYear } from "./history";
import { MONTHS_READ, orNull, type Lines } from "./lines";
import { METHOD_LABELS_SV, parseMethod } from "./methods";
import { describeValue } from "./period";
import { chooseKey, plannedMethod, readTrendBase } from "./periodise";
import {
  isRecord,
  MonthSums,
  plainMonths,
  plainNumber,
  readMonths,
  readNumber,
  readText,
  type Findings,
} from "./read";
import type { ForecastMethod, LineField, LineKind, SignConvention } from "./types";

const LINE_KINDS: readonly LineKind[] = ["revenue", "cost", "ofWhich", "total"];

/** The dashes and bullets a varav label may start with ("- varav placeringar", "• varav …"). */
const BULLET = "[-–—•·*]+";
/** A label that starts with "varav", also after a dash or bullet (the workbook layer's test too). */
export const VARAV_LABEL = new RegExp(`^\\s*(?:${BULLET}\\s*)?varav\\b`, "i");
const BULLETED = new RegExp(`^${BULLET}\\s*varav\\b`);

/** Does a (lower-case) label start with "varav" after a dash or bullet ("- varav placeringar")? */
const bulleted = (text: string): boolean => BULLETED.test(text);

/**
 * Infers a line's kind when the workbook does not give it: a label starting with "varav" (also after a
 * dash or bullet, "- varav …") → ofWhich;
 * "Summa"/"Totalt" → total; otherwise (net convention) a negative budget → cost, a positive one →
 * revenue, then the actual's sign; default cost. With costPositive, where signs do not tell, a label
 * containing "intäkt" → revenue, else cost.
 */
/**
 * A net result's usual names: "Nettoresultat", "Resultat Vårnäs" (not "Resultatenheten", nor the result
 * of a transaction, "Resultat från försäljning av inventarier", a line of its own), and "Total" alone;
 * "Total lönekostnad" may be a cost line of its own, which the sums then tell (totalBySums).
 */
const NET_WORDS =
  /^(?:(?:nettoresultat|resultat)(?![\p{L}\p{N}])(?!\s+(?:från|av|vid)(?![\p{L}\p{N}]))|total\s*:?\s*$)/u;

export function inferKind(
  label: string,
  budget: number | null,
  actual: number | null,
  convention: SignConvention = "net",
): LineKind {
  const text = label.trim().toLowerCase();
  if (text.startsWith("varav") || bulleted(text)) return "ofWhich";
  if (text.startsWith("summa") || text.startsWith("totalt") || NET_WORDS.test(text)) return "total";
  if (convention === "costPositive") return text.includes("intäkt") ? "revenue" : "cost";
  for (const value of [budget, actual]) {
    if (value !== null && value < 0) return "cost";
    if (value !== null && value > 0) return "revenue";
  }
  return "cost";
}

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

/** NaN for a missing or unusable number (see Lines). */
const orNaN = (x: number | null | undefined): number => (x === null || x === undefined ? NaN : x);

/** Step 1 for one line: its cells, kind and method. */
export function readLine(item: unknown, i: number, lines: Lines, ctx: Context): void {
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
  const rawBudgetMonths = f.monthlyBudget;
  const budgetMonths = cellMonths(rawBudgetMonths, lines, i, "budget", budgetWhat, ctx, ctx.budgetSums);
  if (rawBudgetMonths === null || rawBudgetMonths === undefined) lines.budgetSigns[i] = SIGNS_READ;
  else if (budgetMonths === ctx.budgetSums) {
    // Nearly every budget has one sign in every month: then no month can have lost it.
    const { negative, nonZero } = budgetMonths;
    lines.budgetSigns[i] =
      negative === 0 || negative === nonZero
        ? SIGNS_READ
        : summariseMonthSigns(rawBudgetMonths as unknown[], 12);
  }
  const actual = cellNumber(f.actual, lines, i, "actual", "utfallet", findings);
  const rawActualMonths = f.actualMonthly;
  const actualMonths = cellMonths(rawActualMonths, lines, i, "actual", "månadsutfallet", ctx, ctx.actualSums);
  if (budgetMonths) {
    lines.budgetPresent[i] = MONTHS_READ | budgetMonths.present;
    lines.budgetNonZero[i] = budgetMonths.nonZero;
  }
  if (actualMonths) {
    lines.actualPresent[i] = MONTHS_READ | actualMonths.present;
    lines.actualNonZero[i] = actualMonths.nonZero;
  }
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
  if (f.kind === null || f.kind === undefined) totalBySums(lines, i, ctx);
  countSinceTotal(lines, i, ctx);
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

/**
 * The sign that turns line i's typed figures into the net convention: a cost of a cost-positive workbook
 * is typed positive (its net cost too, "Nettokostnad" = costs − revenue).
 */
const netSign = (lines: Lines, i: number, ctx: Context): number =>
  ctx.options.convention === "costPositive" && lines.kind[i] !== "revenue" ? -1 : 1;

/**
 * A line without Radtyp whose typed budget and outcome are the sum of the revenue and cost lines since
 * the last total (at least two, within rounding; in the net convention, so that a cost-positive
 * workbook's net cost is found too) is a total under another name ("Nettokostnad"): counted as a cost
 * it would be counted twice, doubling the net result without any check noticing.
 */
function totalBySums(lines: Lines, i: number, ctx: Context): void {
  const kind = lines.kind[i];
  const s = ctx.sinceTotal;
  if ((kind !== "cost" && kind !== "revenue") || s.count < 2) return;
  const sign = netSign(lines, i, ctx);
  const budget = sign * lines.typedBudget(i);
  const actual = sign * lines.typedActualToDate(i);
  if (Number.isNaN(budget) || Number.isNaN(actual) || budget === 0 || actual === 0) return;
  const tolerance = 0.5 * (s.count + 1) * ctx.options.roundingUnit;
  if (Math.abs(budget - s.budget) > tolerance || Math.abs(actual - s.actual) > tolerance) return;
  lines.kind[i] = "total";
  ctx.findings.add(
    "info",
    "TOTAL_FROM_SUMS",
    `${lines.name(i)} har ingen radtyp, men dess budget och utfall är summan av raderna ovanför, så raden räknas som en summarad (annars hade beloppen räknats två gånger). Skriv summa i Radtyp om det stämmer, annars kostnad eller intäkt.`,
    { line: i, field: "kind" },
  );
}

/**
 * Keeps ctx.sinceTotal: the typed figures (in the net convention) of the revenue and cost lines since
 * the last total line, and how many of them have any.
 */
function countSinceTotal(lines: Lines, i: number, ctx: Context): void {
  const kind = lines.kind[i];
  const s = ctx.sinceTotal;
  if (kind === "total") {
    s.budget = 0;
    s.actual = 0;
    s.count = 0;
  } else if (kind === "cost" || kind === "revenue") {
    const budget = lines.typedBudget(i);
    const actual = lines.typedActualToDate(i);
    const sign = netSign(lines, i, ctx);
    const b = Number.isNaN(budget) ? 0 : sign * budget;
    const a = Number.isNaN(actual) ? 0 : sign * actual;
    s.budget += b;
    s.actual += a;
    // An empty line (nothing budgeted or booked) adds nothing to a sum: counted, one line past it that
    // equals the line before it would pass for their total.
    if (b !== 0 || a !== 0) s.count++;
  }
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
  if (kind === "ofWhich" && bulleted(lines.label[i].toLowerCase())) {
    findings.add(
      "info",
      "OFWHICH_FROM_LABEL",
      `${lines.name(i)} har ingen radtyp men benämningen börjar med "varav" efter ett streck, så raden räknas som en varav-rad till raden ovanför. Skriv varav i Radtyp om det stämmer, annars kostnad eller intäkt.`,
      { line: i, field: "kind" },
    );
  }
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
export function linkOfWhich(lines: Lines, ctx: Context): void {
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
