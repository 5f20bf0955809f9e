/**
 * The drafted summary: prose from the figures in the seeds' style (S1 "Sammanfattning av ärendet" and the
 * first paragraph of "Kommentar till driftsredovisning"). Pure: facts in, paragraphs out. The ekonom
 * edits the draft; the workbook layer decides when a new draft replaces the text.
 *
 * Wording rules (tested in test/unit/core/summary.test.ts):
 * - A deviation is written with a word and its unsigned amount: "en negativ budgetavvikelse på 14 891 tkr"
 *   (S1), "ett underskott om 8 000 tkr"; a positive one "en positiv budgetavvikelse", "ett överskott". An
 *   amount that rounds to 0 is "ingen budgetavvikelse" / "i nivå med budget".
 * - Amounts: the workbook's unit ("14 891 tkr", "8,4 mkr", "89 776 kr"), or with `amounts: "mnkr"` tkr
 *   and kr amounts as millions with one decimal and none when whole ("14,9 mnkr", "30 mnkr").
 * - Counts agree in number and are words up to twelve, as Swedish prose writes them (Språkrådet's
 *   rule): "en åtgärd … inräknad", "tre åtgärder … inräknade", "13 åtgärder"; "den största
 *   avvikelsen" for one line, "de största avvikelserna" for several.
 * - Without a balance target, no sentence about it; without an earlier forecast, no sentence about the
 *   change.
 * - In December (the year known, every forecast its outcome) no forecast sentence: the year's figure is
 *   said once, and the balance target and the investments speak of the result.
 * - With units (Ansvar), a line named among the largest deviations carries its unit ("kostnader
 *   (Mercur)"), and a sentence names the (at most three) units with the largest forecast deviations.
 */
import { largestDeviations } from "./consolidate";
import { convertUnit, formatAmount, roundHalfAwayFromZero, unitDecimals } from "./format";
import { monthName, MONTHS_SV } from "./period";
import type { LedgerResult, Unit } from "./types";

const NUMBERS_SV = ["noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv"]; // prettier-ignore

/** A count of a common-gender noun in prose ("en åtgärd", "två månader"): words to twelve, then digits. */
const countWord = (n: number) => NUMBERS_SV[n] ?? String(n);

/** A common-gender noun counted in prose: "en enhet", "två enheter", "14 enheter". */
export const countNoun = (n: number, singular: string, plural: string) =>
  `${countWord(n)} ${n === 1 ? singular : plural}`;

/** Prose that begins a sentence: "Två enheter …". */
export const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface SummaryFacts {
  result: LedgerResult;
  /** Who reports: "Socialnämnden"; default "Verksamheten". */
  subject?: string;
  /** "unit": the workbook's unit; "mnkr": millions with one decimal. */
  amounts?: "unit" | "mnkr";
  /** The net forecast deviation's change since the previous forecast, and when that was ("ÅÅÅÅ-MM"). */
  change?: { previousPeriod: string; net: number; lines: { label: string; change: number }[] } | null;
  /** Earlier periods this year from the log: deviation to date per period, oldest first. */
  history?: { period: string; deviation: number }[];
  /** Measures counted into the forecast: how many and their total (avoided cost, positive). */
  measures?: { count: number; total: number } | null;
  /** The capital statement's net figures, when there is one. */
  investments?: { deviation: number; forecastDeviation: number } | null;
}

export interface SummaryDraft {
  /** "Sammanfattning av ärendet": one paragraph. */
  summary: string;
  /** The first paragraph of "Kommentar till driftsredovisning". */
  operatingComment: string;
}

/** An unsigned amount in the chosen style. */
export function proseAmount(value: number, unit: Unit, style: "unit" | "mnkr" = "unit"): string {
  const magnitude = Math.abs(value);
  if (style === "mnkr" && unit !== "mkr")
    return formatAmount(convertUnit(magnitude, unit, "mkr"), {
      unit: "mnkr",
      decimals: 1,
      trimIntegral: true,
    });
  if (style === "mnkr") return formatAmount(magnitude, { unit: "mnkr", decimals: 1, trimIntegral: true });
  return formatAmount(magnitude, { unit, decimals: unitDecimals(unit) });
}

/** The value as it will be printed: rounded to what the prose shows, so that "0 tkr" is never written. */
function shownSign(value: number, unit: Unit, style: "unit" | "mnkr"): -1 | 0 | 1 {
  const inShown = style === "mnkr" || unit === "mkr" ? convertUnit(value, unit, "mkr") : value;
  const step = style === "mnkr" || unit === "mkr" ? 0.1 : 1;
  const r = roundHalfAwayFromZero(inShown, step);
  return r === 0 ? 0 : r < 0 ? -1 : 1;
}

/** "de första fyra månaderna", "den första månaden", "hela året". */
export function monthsPhrase(month: number): string {
  if (month === 1) return "den första månaden";
  if (month === 12) return "hela året";
  return `de första ${NUMBERS_SV[month]} månaderna`;
}

/** "januari till april", "januari och februari", "januari". */
export function spanPhrase(month: number): string {
  if (month === 1) return "januari";
  if (month === 2) return "januari och februari";
  return `januari till ${MONTHS_SV[month - 1]}`;
}

function budgetDeviation(value: number, unit: Unit, style: "unit" | "mnkr"): string {
  const sign = shownSign(value, unit, style);
  if (sign === 0) return "ingen budgetavvikelse";
  return `en ${sign < 0 ? "negativ" : "positiv"} budgetavvikelse på ${proseAmount(value, unit, style)}`;
}

/** "ett underskott jämfört med budget om 14 891 tkr" (S1), or "ett resultat i nivå med budget". */
function vsBudget(value: number, unit: Unit, style: "unit" | "mnkr"): string {
  const sign = shownSign(value, unit, style);
  if (sign === 0) return "ett resultat i nivå med budget";
  return `ett ${sign < 0 ? "underskott" : "överskott"} jämfört med budget om ${proseAmount(value, unit, style)}`;
}

function surplusDeficit(value: number, unit: Unit, style: "unit" | "mnkr", preposition = "om"): string {
  const sign = shownSign(value, unit, style);
  if (sign === 0) return "ett resultat i nivå med budget";
  return `ett ${sign < 0 ? "underskott" : "överskott"} ${preposition} ${proseAmount(value, unit, style)}`;
}

/**
 * A line's label with its unit, for text that names lines across units: "Personal (Vårnäs)"; a label
 * that ends in its own parentheses gets the unit after a comma, "köpt huvudverksamhet (placeringar),
 * Klivet", not two brackets in a row.
 */
export function withUnit(label: string, unit: string | null | undefined): string {
  if (!unit) return label;
  return label.trimEnd().endsWith(")") ? `${label}, ${unit}` : `${label} (${unit})`;
}

const LABEL_MAX = 120;

/** "varav köpt huvudverksamhet (placeringar)" → "köpt huvudverksamhet (placeringar)". */
function lineName(label: string): string {
  const trimmed = label.trim().replace(/^varav\s+/i, "");
  // A label is the ekonom's; a very long one is cut so that the paragraph stays readable.
  const s = trimmed.length > LABEL_MAX ? `${trimmed.slice(0, LABEL_MAX - 1)}…` : trimmed;
  return /^[A-ZÅÄÖ][a-zåäö]/.test(s) ? s[0].toLowerCase() + s.slice(1) : s;
}

/**
 * The subject inside a sentence: a board or an administration named by its common noun in the definite
 * form ("Socialnämnden" → "visade socialnämnden", as S1 writes it) takes a small letter; any other name
 * stays as the ekonom typed it ("Social välfärd", S0; "Vårnäs"), since a proper name keeps its capital.
 */
function inSentence(subject: string): string {
  const words = subject.trim().split(/\s+/);
  const common = /(nämnden|förvaltningen|styrelsen|utskottet|kontoret)$/.test(words[words.length - 1]);
  const oneCapital = words.slice(1).every((w) => !/^[A-ZÅÄÖ]/.test(w));
  return common && oneCapital && /^[A-ZÅÄÖ][a-zåäö]/.test(subject)
    ? subject[0].toLowerCase() + subject.slice(1)
    : subject;
}

export function joinSv(items: string[]): string {
  return items.length <= 1
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} och ${items[items.length - 1]}`;
}

/** The lines to name as the largest deviations: no totals and no parents of varav lines, largest first. */
function largestLines(
  result: LedgerResult,
  count: number,
): { label: string; deviation: number; unit?: string }[] {
  const parents = new Set(result.lines.filter((l) => l.parent !== null).map((l) => l.parent));
  return result.lines
    .filter((l) => l.kind !== "total" && !parents.has(l.index) && l.deviation !== 0)
    .map((l) => ({ label: l.label, deviation: l.deviation, unit: l.orgUnit }))
    .sort((a, b) => Math.abs(b.deviation) - Math.abs(a.deviation))
    .slice(0, count);
}

function forecastSentence(facts: SummaryFacts, style: "unit" | "mnkr"): string {
  const { result } = facts;
  const unit = result.unit;
  const fv = result.result.forecastDeviation;
  const tail =
    shownSign(fv, unit, style) === 0
      ? "landa i nivå med budget"
      : `landa på en ${fv < 0 ? "negativ" : "positiv"} avvikelse jämfört med budget på ${proseAmount(fv, unit, style)}`;
  const forecast = `den sammantagna prognosen för helår ${result.period.year}`;
  const m = facts.measures;
  if (!m || m.count === 0) return `${capitalised(forecast)} bedöms ${tail}.`;
  const one = m.count === 1;
  const measures = `${countWord(m.count)} ${one ? "åtgärd" : "åtgärder"} om ${one ? "" : "sammanlagt "}${proseAmount(m.total, unit, style)} ${one ? "inräknad" : "inräknade"}`;
  return `Med ${measures} bedöms ${forecast} ${tail}.`;
}

function targetSentence(facts: SummaryFacts, style: "unit" | "mnkr"): string | null {
  const { balanceTarget, deviationVsBalanceTarget: gap } = facts.result.result;
  if (balanceTarget === null || gap === null) return null;
  const unit = facts.result.unit;
  const target =
    shownSign(balanceTarget, unit, style) === 0
      ? "budget i balans"
      : `en ${balanceTarget < 0 ? "negativ" : "positiv"} avvikelse på ${proseAmount(balanceTarget, unit, style)}`;
  const sign = shownSign(gap, unit, style);
  // In December the year is known: its result, not a forecast, is measured against the target.
  const what = facts.result.period.month === 12 ? "resultatet" : "prognosen";
  const where =
    sign === 0
      ? `${what} ligger i nivå med målet`
      : `${what} är ${proseAmount(gap, unit, style)} ${sign < 0 ? "sämre" : "bättre"} än målet`;
  return `Målet för ekonomi i balans är ${target}; ${where}.`;
}

/**
 * "Störst prognosavvikelse för helåret har Mercur med ett underskott på 3 200 tkr och Vårnäs med ett
 * överskott på 1 100 tkr."; null without at least two units.
 */
function unitsSentence(result: LedgerResult, style: "unit" | "mnkr"): string | null {
  if ((result.units?.units.length ?? 0) < 2) return null;
  const unit = result.unit;
  const top = largestDeviations(result, 3).filter((u) => shownSign(u.forecastDeviation, unit, style) !== 0);
  if (top.length === 0) return null;
  const parts = top.map((u) => `${u.name} med ${surplusDeficit(u.forecastDeviation, unit, style, "på")}`);
  return `Störst prognosavvikelse för helåret har ${joinSv(parts)}.`;
}

function changeSentence(facts: SummaryFacts, style: "unit" | "mnkr"): string | null {
  const c = facts.change;
  if (!c) return null;
  const unit = facts.result.unit;
  const sign = shownSign(c.net, unit, style);
  const when = `Jämfört med föregående prognos (${monthName(c.previousPeriod)})`;
  const amount = (x: number) => formatAmount(x, { sign: "deviation", unit, decimals: unitDecimals(unit) });
  const largest = c.lines
    .filter((l) => shownSign(l.change, unit, style) !== 0)
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change))
    .slice(0, 3);
  const moved = largest.map((l) => `${lineName(l.label)} ${amount(l.change)}`);
  // In December the year's result, not a forecast, is what changed against the last forecast.
  const yearEnd = facts.result.period.month === 12;
  if (sign === 0) {
    const same = yearEnd ? "är årets resultat oförändrat" : "är helårsprognosen oförändrad";
    if (!moved.length) return `${when} ${same}.`;
    // "Unchanged net" must add up in the sentence itself: what the named lines leave is said too.
    const rest = c.net - largest.reduce((a, l) => a + l.change, 0);
    if (shownSign(rest, unit, style) !== 0) moved.push(`övriga poster ${amount(rest)}`);
    return `${when} ${same} netto, men ${yearEnd ? "skiljer sig" : "har ändrats"} för ${joinSv(moved)}.`;
  }
  const why = moved.length ? `, främst ${joinSv(moved)}` : "";
  if (yearEnd)
    return `${when} blev årets resultat ${proseAmount(c.net, unit, style)} ${sign < 0 ? "sämre" : "bättre"}${why}.`;
  const verb = sign < 0 ? "försämrats" : "förbättrats";
  return `${when} har helårsprognosen ${verb} med ${proseAmount(c.net, unit, style)}${why}.`;
}

/** The draft: "Sammanfattning av ärendet" and the first paragraph of "Kommentar till driftsredovisning". */
export function draftSummary(facts: SummaryFacts): SummaryDraft {
  const { result } = facts;
  const style = facts.amounts ?? "unit";
  const unit = result.unit;
  const subject = facts.subject?.trim() || "Verksamheten";
  const { month } = result.period;
  const net = result.result;

  const summary: string[] = [
    `${subject} redovisar för ${monthsPhrase(month)} ${budgetDeviation(net.deviation, unit, style)}.`,
  ];
  const largest = largestLines(result, 3);
  if (largest.length) {
    const parts = largest.map(
      (l) => `${withUnit(lineName(l.label), l.unit)} med ${surplusDeficit(l.deviation, unit, style, "på")}`,
    );
    summary.push(
      `${largest.length === 1 ? "Den största avvikelsen finns" : "De största avvikelserna finns"} för ${joinSv(parts)}.`,
    );
  }
  // In December the first sentence already gives the year's figure, which is also the forecast.
  if (month < 12) summary.push(forecastSentence(facts, style));
  const units = unitsSentence(result, style);
  if (units) summary.push(units);
  const target = targetSentence(facts, style);
  if (target) summary.push(target);
  const change = changeSentence(facts, style);
  if (change) summary.push(change);
  if (facts.investments) {
    const inv = facts.investments;
    const fv = inv.forecastDeviation;
    const forecast =
      shownSign(fv, unit, style) === 0
        ? "prognosen för helår ingen avvikelse"
        : `prognosen för helår en ${fv < 0 ? "negativ" : "positiv"} avvikelse på ${proseAmount(fv, unit, style)}`;
    summary.push(
      month === 12
        ? `Investeringsredovisningen visar för hela året ${budgetDeviation(inv.deviation, unit, style)}.`
        : `Investeringsredovisningen visar för perioden ${budgetDeviation(inv.deviation, unit, style)} och ${forecast}.`,
    );
  }

  const comment: string[] = [
    `${subject} visar för perioden ${spanPhrase(month)} ${vsBudget(net.deviation, unit, style)}.`,
  ];
  const earlier = (facts.history ?? []).filter(
    (h) => h.period.slice(0, 4) === String(result.period.year) && Number(h.period.slice(5)) < month,
  );
  if (earlier.length) {
    const who = inSentence(subject);
    const parts = earlier.map((h, i) => {
      const span = `för perioden ${spanPhrase(Number(h.period.slice(5)))}`;
      const what = surplusDeficit(h.deviation, unit, style);
      return i === 0
        ? `För perioden ${spanPhrase(Number(h.period.slice(5)))} visade ${who} ${what}`
        : `${span} ${what}`;
    });
    comment.push(`${joinSv(parts)}.`);
  }
  return { summary: summary.join(" "), operatingComment: comment.join(" ") };
}
