/**
 * Measures (åtgärder), the action-plan summary and volume measures (volymmått).
 */
import { formatAmount, parseSwedishNumber, roundHalfAwayFromZero } from "./format";
import { foldLookAlikes } from "./text";
import { daysInYear, describeValue, followUpLabel, parseIsoDate, periodDays } from "./period";
import { Findings, isRecord, labelKey, prop, readNumber, readText } from "./read";
import type {
  ActionPlanArea,
  ActionPlanSummary,
  MeasureType,
  Period,
  VolumeResult,
  VolumeType,
} from "./types";

/** A measure after reading: the amount is either a number or a pending text (or neither). */
export interface ReadMeasure {
  index: number;
  area: string;
  text: string;
  amount: number | null;
  pendingText: string | null;
  type: MeasureType;
  included: boolean;
  /** The named ledger line, or null for the separate line "Åtgärder inräknade i prognosen". */
  line: string | null;
  responsible: string | null;
  status: string | null;
  /** The measure's unit (Ansvar), or null. */
  orgUnit: string | null;
}

const MEASURE_TYPES: Record<string, MeasureType> = {
  forecast: "forecast",
  prognos: "forecast",
  decided: "decided",
  beslutad: "decided",
  beslutat: "decided",
};

/** Reads LedgerInput.measures; bad entries give findings and are left out. */
export function readMeasures(raw: unknown, findings: Findings): ReadMeasure[] {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) {
    findings.add(
      "warning",
      "MEASURES_INVALID",
      `Åtgärderna är inte en lista (${describeValue(raw)}) och används inte.`,
    );
    return [];
  }
  const measures: ReadMeasure[] = [];
  for (let index = 0; index < raw.length; index++) {
    const where = { measure: index };
    const item: unknown = raw[index];
    if (!isRecord(item)) {
      findings.add("warning", "BAD_MEASURE", `Åtgärd ${index + 1} saknar uppgifter och används inte.`, where);
      continue;
    }
    const area =
      readText(prop(item, "area"), findings, where, `Åtgärd ${index + 1}: området`) || "(område saknas)";
    const text = readText(prop(item, "text"), findings, where, `Åtgärd ${index + 1}: texten`);
    const name = `Åtgärd ${index + 1} (${area})`;

    let amount: number | null = null;
    let pendingText: string | null = null;
    const rawAmount = prop(item, "amount");
    if (typeof rawAmount === "string") {
      const parsed = parseSwedishNumber(rawAmount);
      if (parsed !== null) amount = parsed;
      else if (rawAmount.trim() !== "") pendingText = rawAmount.trim();
    } else {
      amount = readNumber(rawAmount, findings, where, `${name}: beloppet`).value;
    }

    const rawType = prop(item, "type");
    let type: MeasureType = "forecast";
    const typeKey = typeof rawType === "string" ? rawType.trim().toLowerCase() : "";
    if (MEASURE_TYPES[typeKey]) type = MEASURE_TYPES[typeKey];
    else if (rawType !== null && rawType !== undefined) {
      findings.add(
        "warning",
        "MEASURE_TYPE_UNKNOWN",
        `${name}: typen ${describeValue(rawType)} är okänd; åtgärden räknas som prognos.`,
        where,
      );
    }

    const rawIncluded = prop(item, "includedInForecast");
    const included = rawIncluded === true;
    if (typeof rawIncluded !== "boolean" && rawIncluded !== null && rawIncluded !== undefined) {
      findings.add(
        "warning",
        "MEASURE_INCLUDED_INVALID",
        `${name}: "inräknad" är ${describeValue(rawIncluded)}, inte ja/nej; åtgärden räknas inte in i prognosen.`,
        where,
      );
    }
    const lineText = readText(prop(item, "line"), findings, where, `${name}: posten`);
    const responsible = readText(prop(item, "responsible"), findings, where, `${name}: ansvarig`) || null;
    const status = readText(prop(item, "status"), findings, where, `${name}: status`) || null;
    const orgUnit = readText(prop(item, "orgUnit"), findings, where, `${name}: ansvaret`) || null;
    measures.push({
      index,
      area,
      text,
      amount,
      pendingText,
      type,
      included,
      line: lineText || null,
      responsible,
      status,
      orgUnit,
    });
  }
  return measures;
}

/** Letters a, b, …, z, aa, ab, … */
export function measureLetter(n: number): string {
  let letters = "";
  let k = n;
  do {
    letters = String.fromCharCode(97 + (k % 26)) + letters;
    k = Math.floor(k / 26) - 1;
  } while (k >= 0);
  return letters;
}

/**
 * Follow-up rows from the committee dates of the period's year, in date order and numbered from 1 over
 * the whole year (past meetings too), so that "Återrapport 2" is the same meeting in every period and a
 * follow-up typed for it stays with it. Dates of other years are left out.
 */
export function readFollowUps(
  raw: unknown,
  period: Period,
  findings: Findings,
): { labels: string[]; dates: string[] } {
  if (raw === null || raw === undefined) return { labels: [], dates: [] };
  if (!Array.isArray(raw)) {
    findings.add("warning", "DATES_INVALID", `Nämndens mötesdatum är inte en lista (${describeValue(raw)}).`);
    return { labels: [], dates: [] };
  }
  const dates = new Set<string>();
  for (const item of raw) {
    const date = parseIsoDate(item);
    if (!date) {
      findings.add(
        "warning",
        "BAD_DATE",
        `Mötesdatumet ${describeValue(item)} är inte ett datum på formen ÅÅÅÅ-MM-DD.`,
      );
      continue;
    }
    const iso = `${date.year}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;
    if (date.year === period.year) dates.add(iso);
  }
  const sorted = [...dates].sort();
  return { labels: sorted.map((iso, i) => followUpLabel(i + 1, iso)), dates: sorted };
}

/** The action-plan summary (shared/DOMAIN.md §1.7): areas in order of first appearance, lettered measures. */
export function summariseActionPlan(
  measures: readonly ReadMeasure[],
  followUps: { labels: string[]; dates: string[] },
  unassignedIncluded: number,
): ActionPlanSummary {
  const areas: ActionPlanArea[] = [];
  const byKey = new Map<string, ActionPlanArea>();
  const excluded: ActionPlanSummary["excluded"] = [];
  let forecastTotal = 0;
  let decidedTotal = 0;
  for (const measure of measures) {
    const key = measure.area.toLowerCase().replace(/\s+/g, " ");
    let area = byKey.get(key);
    if (!area) {
      area = {
        number: areas.length + 1,
        name: measure.area,
        measures: [],
        total: null,
        pendingTexts: [],
        forecastTotal: 0,
        decidedTotal: 0,
      };
      byKey.set(key, area);
      areas.push(area);
    }
    const entry: ActionPlanArea["measures"][number] = {
      letter: measureLetter(area.measures.length),
      index: measure.index,
      text: measure.text,
      responsible: measure.responsible,
      status: measure.status,
      line: measure.line,
    };
    if (measure.orgUnit !== null) entry.orgUnit = measure.orgUnit;
    area.measures.push(entry);
    if (measure.pendingText !== null) area.pendingTexts.push(measure.pendingText);
    if (measure.amount === null) {
      excluded.push({ area: measure.area, text: measure.text, reason: "notGiven" });
      continue;
    }
    area.total = (area.total ?? 0) + measure.amount;
    if (measure.type === "decided") {
      area.decidedTotal += measure.amount;
      decidedTotal += measure.amount;
      excluded.push({ area: measure.area, text: measure.text, reason: "decided" });
    } else {
      area.forecastTotal += measure.amount;
      forecastTotal += measure.amount;
    }
  }
  return {
    areas,
    forecastTotal,
    decidedTotal,
    excluded,
    followUps: followUps.labels,
    followUpDates: followUps.dates,
    unassignedIncluded,
  };
}

const VOLUME_TYPES: Record<string, VolumeType> = {
  flow: "flow",
  flöde: "flow",
  stock: "stock",
  average: "average",
  snitt: "average",
  genomsnitt: "average",
};

/** Forecast/suggestion ratios outside this band are flagged (Vårnäs 0,66 and kvinnofrid 2,09 in S1). */
export const VOLUME_RATIO_BAND = { low: 0.67, high: 1.5 } as const;

/**
 * Volume measures: flows get the run-rate suggestion actual × D/D_m; stocks and averages carry the latest
 * value. The ekonom's forecast is kept and compared (VOLUME_FORECAST_DEVIATES when far from the suggestion).
 */
export function computeVolumes(raw: unknown, period: Period, findings: Findings): VolumeResult[] {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) {
    findings.add(
      "warning",
      "VOLUMES_INVALID",
      `Volymmåtten är inte en lista (${describeValue(raw)}) och används inte.`,
    );
    return [];
  }
  const factor = daysInYear(period.year) / periodDays(period.year, period.month);
  const results: VolumeResult[] = [];
  for (let index = 0; index < raw.length; index++) {
    const where = { volume: index };
    const item: unknown = raw[index];
    if (!isRecord(item)) {
      findings.add(
        "warning",
        "BAD_VOLUME",
        `Volymmått ${index + 1} saknar uppgifter och används inte.`,
        where,
      );
      continue;
    }
    const label = readText(prop(item, "label"), findings, where, `Volymmått ${index + 1}: namnet`);
    const name = label ? `Volymmåttet "${label}"` : `Volymmått ${index + 1}`;
    const rawType = prop(item, "type");
    const typeKey = typeof rawType === "string" ? rawType.trim().toLowerCase() : "";
    let type: VolumeType = "stock";
    if (VOLUME_TYPES[typeKey]) type = VOLUME_TYPES[typeKey];
    else {
      findings.add(
        "warning",
        "VOLUME_TYPE_UNKNOWN",
        `${name}: typen ${describeValue(rawType)} är okänd (flöde, stock eller snitt); det senaste värdet förs vidare.`,
        where,
      );
    }
    const actual = readNumber(prop(item, "actual"), findings, where, `${name}: utfallet`).value;
    const forecast = readNumber(prop(item, "forecast"), findings, where, `${name}: prognosen`).value;
    const rawLastYear = prop(item, "lastYear");
    let lastYear: number | string | null = null;
    if (typeof rawLastYear === "string") lastYear = rawLastYear;
    else if (rawLastYear !== null && rawLastYear !== undefined) {
      lastYear = readNumber(rawLastYear, findings, where, `${name}: fjolårets utfall`).value;
    }
    // Volumes are counts: the run-rate suggestion is rounded to whole units (13 742, not 13 742,25).
    const suggestion =
      actual === null ? null : type === "flow" ? roundHalfAwayFromZero(actual * factor) : actual;
    const ratio = forecast !== null && suggestion !== null && suggestion !== 0 ? forecast / suggestion : null;
    if (ratio !== null && (ratio < VOLUME_RATIO_BAND.low || ratio > VOLUME_RATIO_BAND.high)) {
      findings.add(
        "warning",
        "VOLUME_FORECAST_DEVIATES",
        `${name}: prognosen är ${ratio.toFixed(2).replace(".", ",")} gånger ${
          type === "flow" ? "takten hittills" : "det senaste värdet"
        }; kontrollera att den stämmer.`,
        where,
      );
    }
    results.push({ index, label, type, actual, suggestion, forecast, lastYear, forecastToSuggestion: ratio });
  }
  checkStockFlows(raw, results, findings);
  return results;
}

function linkList(raw: unknown): string[] {
  if (typeof raw === "string")
    return raw
      .split(";")
      .map((s) => s.trim())
      .filter(Boolean);
  return Array.isArray(raw) ? raw.filter((s): s is string => typeof s === "string" && s.trim() !== "") : [];
}

const volumeKey = (label: string) => labelKey(foldLookAlikes(label));

/**
 * The stock-flow identity for stocks tied to their flows: last year's value + Σ inflows − Σ outflows
 * must equal the stock (VOLUME_STOCK_FLOW, error: S1 prints 1 040 where 449 + 620 − 691 = 378), and the
 * same for the forecasts (VOLUME_STOCK_FLOW_FORECAST, warning: 449 + 2 200 − 2 000 = 649, not 450).
 * A named flow that is not in the table gives VOLUME_LINK_UNKNOWN.
 */
function checkStockFlows(raw: unknown[], results: VolumeResult[], findings: Findings): void {
  const byKey = new Map<string, VolumeResult>();
  for (const r of results) if (r.label && !byKey.has(volumeKey(r.label))) byKey.set(volumeKey(r.label), r);
  for (const r of results) {
    const item = raw[r.index];
    if (!isRecord(item)) continue;
    const ins = linkList(prop(item, "inflow"));
    const outs = linkList(prop(item, "outflow"));
    if (!ins.length && !outs.length) continue;
    const where = { volume: r.index };
    const name = `Volymmåttet "${r.label}"`;
    const flows: { v: VolumeResult; sign: 1 | -1; label: string }[] = [];
    for (const [list, sign] of [
      [ins, 1],
      [outs, -1],
    ] as const)
      for (const label of list) {
        const v = byKey.get(volumeKey(label));
        if (v) flows.push({ v, sign, label: v.label });
        else
          findings.add(
            "warning",
            "VOLUME_LINK_UNKNOWN",
            `${name}: flödet "${label}" finns inte bland volymmåtten; kontrollen av stocken görs inte.`,
            where,
          );
      }
    if (flows.length !== ins.length + outs.length || typeof r.lastYear !== "number") {
      r.stockFlow = null;
      continue;
    }
    const opening = r.lastYear;
    const sum = (pick: (v: VolumeResult) => number | null | undefined): number | null => {
      let total = opening;
      for (const f of flows) {
        const x = pick(f.v);
        if (x === null || x === undefined) return null;
        total += f.sign * x;
      }
      return total;
    };
    const expected = sum((v) => v.actual);
    const forecastExpected = sum((v) => v.forecast);
    r.stockFlow = { expected, forecastExpected };
    const terms = (pick: (v: VolumeResult) => number | null | undefined) =>
      `${fmt(opening)} (utfall fg år)${flows.map((f) => ` ${f.sign > 0 ? "+" : "−"} ${fmt(pick(f.v) ?? 0)} (${f.label})`).join("")}`;
    if (expected !== null && r.actual !== null && expected !== r.actual)
      findings.add(
        "error",
        "VOLUME_STOCK_FLOW",
        `${name}: ${terms((v) => v.actual)} = ${fmt(expected)}, men utfallet är ${fmt(r.actual)}.`,
        where,
      );
    if (forecastExpected !== null && r.forecast !== null && forecastExpected !== r.forecast)
      findings.add(
        "warning",
        "VOLUME_STOCK_FLOW_FORECAST",
        `${name}: prognoserna ger ${terms((v) => v.forecast)} = ${fmt(forecastExpected)}, men prognosen är ${fmt(r.forecast)}.`,
        where,
      );
  }
}

const fmt = (x: number) => formatAmount(x);
