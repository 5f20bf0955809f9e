/**
 * The explanation of one line's forecast and period budget, with the line's own numbers, for the pane
 * and `--json`: "-20 903 × 12/4 = -62 709", "summa av varav-raderna", "-209 283 × 120/365 = -68 805".
 * Built on demand from a LineResult (compute() builds no strings per line).
 */
import { rankMethods, RECOMMENDATION_RULE } from "./backtest";
import { formatAmount, formatPercent, roundHalfAwayFromZero, unitDecimals } from "./format";
import { METHOD_LABELS_SV } from "./methods";
import { daysInYear, periodDays } from "./period";
import type { LedgerResult, LineBacktest, LineResult } from "./types";

export interface LineExplanation {
  /** How the forecast was found. */
  forecast: string;
  /** How the period budget was found. */
  periodBudget: string;
}

const MONTHS_SHORT = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];

/** "jan–apr" (January alone: "jan"). */
function span(month: number): string {
  return month === 1 ? "jan" : `jan–${MONTHS_SHORT[month - 1]}`;
}

type Context = Pick<LedgerResult, "period" | "unit"> & { trendMonths?: number };

export function explainLine(line: LineResult, ctx: Context): LineExplanation {
  const decimals = unitDecimals(ctx.unit);
  const n = (x: number) => formatAmount(x, { decimals });
  const d = (x: number) => formatAmount(x, { decimals, sign: "deviation" });
  return { forecast: forecastText(line, ctx, n, d), periodBudget: periodText(line, ctx, n) };
}

type Fmt = (x: number) => string;

function forecastText(line: LineResult, ctx: Context, n: Fmt, d: Fmt): string {
  const { year, month } = ctx.period;
  const measures = line.measuresIncluded ? ` + åtgärder ${d(line.measuresIncluded)}` : "";
  if (line.forecastFrom === "sum") return "summa av raderna";
  if (line.forecastFrom === "actual") return `utfallet för helåret ${n(line.actual)} (perioden är december)`;
  if (line.forecastFrom === "ofWhich") {
    const rest = line.unitemised;
    if (!rest) return `summa av varav-raderna${measures}`;
    // What the varav lines leave out is forecast like a line of its own, and its formula shown as one.
    const own = forecastText({ ...line, ...rest, forecastFrom: "method", measuresIncluded: 0 }, ctx, n, d);
    const parts = line.forecast - rest.forecast - line.measuresIncluded * sign(line);
    return `summa av varav-raderna ${n(parts)} + ej specificerat ${n(rest.forecast)} (utfall ${n(rest.actual)}, årsbudget ${n(rest.annualBudget)}; ${own})${measures} = ${n(line.forecast)}`;
  }
  if (line.forecastFrom === "manual" || line.method === "manual")
    return `manuell prognos ${n(line.forecast)}`;
  const U = line.unroundedForecast ?? line.forecast;
  const A = n(line.actual);
  let text: string;
  switch (line.method) {
    case "linear":
      text = `${A} × 12/${month} = ${n(U)}`;
      break;
    case "days":
      text = `${A} × ${daysInYear(year)}/${periodDays(year, month)} dagar = ${n(U)}`;
      break;
    case "seasonal":
      text = `${A} × ${n(line.lastYearTotal ?? 0)}/${n(line.lastYearToDate ?? 0)} (fjolårets helår/${span(month)}) = ${n(U)}`;
      break;
    case "budget":
      text = `utfall ${A} + budget för resten av året ${n(line.annualBudget - line.periodBudget)} = ${n(U)}`;
      break;
    case "trend": {
      const k = ctx.trendMonths ?? 3;
      const monthly = line.trendMonthly ?? 0;
      const fv = line.deviation + (12 - month) * monthly;
      const which =
        k === 1 ? "den senaste månadens avvikelse" : `snitt av de senaste ${k} månadernas avvikelse`;
      text = `avvikelse hittills ${d(line.deviation)} + ${12 - month} × ${monthlyText(line.deviation, 12 - month, monthly, fv, ctx)} (${which}) = ${d(fv)}; prognos ${n(U)}`;
      break;
    }
    default:
      text = `årsbudgeten ${n(line.annualBudget)} (${METHOD_LABELS_SV[line.method]})`;
  }
  if (measures) text += `${measures} = ${n(line.forecast)}`;
  const rounded =
    Math.abs(line.forecast - (U + sign(line) * line.measuresIncluded)) > 1e-9 * Math.max(1, Math.abs(U));
  if (rounded) text += `; prognosavvikelsen avrundad till ${d(line.forecastDeviation)}`;
  return text;
}

/**
 * The trend's monthly deviation with as many decimals as the printed sum needs to hold: "+2 068 + 8 ×
 * +318,6 = +4 617", not "8 × +319" (which gives 4 620). Whole amounts stay whole; at most three more
 * decimals than the unit's.
 */
function monthlyText(deviation: number, months: number, monthly: number, fv: number, ctx: Context): string {
  const base = unitDecimals(ctx.unit);
  const round = (x: number, dec: number) => roundHalfAwayFromZero(x, 10 ** -dec);
  const shown = round(fv, base);
  let dec = base;
  while (dec < base + 3 && round(round(deviation, base) + months * round(monthly, dec), base) !== shown)
    dec++;
  return formatAmount(monthly, { decimals: dec, sign: "deviation" });
}

/** +1 when the line is shown in the net convention, −1 when shown cost-positive (forecast − budget = −FV). */
function sign(line: LineResult): number {
  const shown = line.forecast - line.annualBudget;
  return Math.abs(shown + line.forecastDeviation) < Math.abs(shown - line.forecastDeviation) ? -1 : 1;
}

function periodText(line: LineResult, ctx: Context, n: Fmt): string {
  const { year, month } = ctx.period;
  const B = n(line.annualBudget);
  const P = n(line.periodBudget);
  const asMethod = (by: string) =>
    line.forecastFrom === "method" && line.method === by ? ", som metoden" : "";
  if (line.kind === "total") return `summa av raderna = ${P}`;
  switch (line.periodisedBy) {
    case "months":
      return `summa av månadsbudgetarna ${span(month)} = ${P}`;
    case "days":
      return `${B} × ${periodDays(year, month)}/${daysInYear(year)} dagar = ${P} (per dag${asMethod("days")})`;
    case "lastYear":
      return `${B} × ${n(line.lastYearToDate ?? 0)}/${n(line.lastYearTotal ?? 0)} = ${P} (fjolårets månadsprofil, som metoden)`;
    case "ofWhich":
      return `summa av varav-radernas periodbudgetar = ${P} (de periodiseras olika)`;
    case "ofWhichBlank":
      return `summa av varav-radernas periodbudgetar = ${P} (raden har ingen egen budget)`;
    default:
      return `${B} × ${month}/12 = ${P} (linjärt)`;
  }
}

const percent = (share: number) => formatPercent(share);

/**
 * The backtest in one sentence, best method first: "säsong hade träffat fjolårets utfall inom 1,2 %,
 * linjär 6,8 %". Empty when nothing could be tried.
 */
export function describeBacktest(b: LineBacktest): string {
  const tried = rankMethods(b).filter((m) => !Number.isNaN(m.errorShare));
  if (tried.length === 0) return "";
  const [best, ...rest] = tried;
  const others = rest.map((m) => `${METHOD_LABELS_SV[m.method]} ${percent(m.errorShare)}`);
  const label = METHOD_LABELS_SV[best.method];
  const share = percent(best.errorShare);
  // "Hit within 100 %" reads as praise: past the recommendation's limit the best method missed too.
  const head =
    best.errorShare > RECOMMENDATION_RULE.maxErrorShare
      ? `${label} hade missat fjolårets utfall med ${share}`
      : `${label} hade träffat fjolårets utfall inom ${share}`;
  return [head, ...others].join(", ");
}

/** What the backtest means for the line, in Swedish (why there is, or is no, recommendation). */
export function describeRecommendation(b: LineBacktest): string {
  const rule = RECOMMENDATION_RULE;
  switch (b.reason) {
    case "recommended":
      if (b.recommended === b.current) return "Radens metod hade bäst träff i fjol.";
      return b.current === "manual"
        ? `Bästa metod i fjol: ${METHOD_LABELS_SV[b.recommended!]} (raden har en manuell prognos, som går före metoden).`
        : `Rekommenderad metod: ${METHOD_LABELS_SV[b.recommended!]}.`;
    case "yearEnd":
      return "Vid årets slut ger alla metoder utfallet; ingen backtest.";
    case "fewMonths":
      return `För få månader med utfall i fjol (minst ${rule.minMonthsInYear} av 12 behövs) för att rekommendera en metod.`;
    case "zeroOutcome":
      return "Fjolårets utfall är 0, så felet kan inte anges i procent.";
    case "oneMethod":
      return "Bara en sorts metod kunde provas; fyll i BudgetFgAr eller UtfallFgAr2 för fler.";
    case "largeError":
      return `Ingen metod träffade fjolårets utfall inom ${percent(rule.maxErrorShare)}.`;
    case "noMargin":
      return "Ingen metod var tydligt bättre än de andra.";
    case "fromOfWhich":
      return "Prognosen är summan av varav-raderna; välj metod på dem.";
  }
}
