/**
 * Prognossäkerhet over a year: once the year's outcome is known, how far each earlier period's forecast
 * (prognos budgetavvikelse helår at month m) was from it, in total and per line, and how the error
 * shrank month by month.
 *
 * The input is plain data so that any log can feed it: today's Prognoslogg gives one net row per period
 * (src/workbook/accuracy.ts feeds `net` from it); a per-line log feeds `lines` the same way.
 */
import { formatAmount, formatPercent, unitDecimals } from "./format";
import { MONTHS_SV } from "./period";
import { labelKey } from "./read";
import type { Unit } from "./types";

/** One logged period of a year. */
export interface ForecastLogEntry {
  /** The reporting month 1–12. */
  month: number;
  /** The net result: deviation to date (avvikelse hittills) and forecast deviation for the year. */
  net: { deviation: number | null; forecastDeviation: number | null } | null;
  /**
   * Per line (optional): the same two figures keyed by the line's label as in `Poster` (matched without
   * regard to case and spaces; the first line with a label wins).
   */
  lines?: { label: string; deviation: number | null; forecastDeviation: number | null }[] | null;
}

export interface ForecastHistory {
  year: number;
  /** The year's logged periods in any order; a later entry for the same month replaces an earlier one. */
  entries: ForecastLogEntry[];
  /** Annual budgets for the error as a share of the budget (optional): the net result's and per line. */
  annualBudget?: { net: number | null; lines?: { label: string; annualBudget: number | null }[] } | null;
}

export interface AccuracyPoint {
  month: number;
  forecastDeviation: number;
  /** forecastDeviation − the year's outcome deviation (+ = the forecast was too optimistic). */
  error: number;
  /** |error| / |annual budget|, null without a budget. */
  errorShare: number | null;
  /** |error| − |error| of the previous logged month (negative = the error shrank); null for the first. */
  change: number | null;
}

export interface AccuracySeries {
  /** null for the net result. */
  label: string | null;
  /** The year's outcome: the deviation to date at month 12. */
  outcome: number;
  points: AccuracyPoint[];
  /** Mean |error| over the points. */
  meanAbsError: number;
}

export interface ForecastAccuracy {
  year: number;
  /** True when a month-12 entry gives the outcome; otherwise `net` is null and `lines` empty. */
  known: boolean;
  net: AccuracySeries | null;
  lines: AccuracySeries[];
}

interface Figures {
  deviation: number | null;
  forecastDeviation: number | null;
}

const finite = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

/** Month → figures for one series, later entries winning. */
type Track = Map<number, Figures>;

function series(label: string | null, track: Track, budget: number | null): AccuracySeries | null {
  const outcome = track.get(12)?.deviation;
  if (!finite(outcome)) return null;
  const points: AccuracyPoint[] = [];
  const months = [...track.keys()].filter((m) => m < 12).sort((a, b) => a - b);
  for (const month of months) {
    const fv = track.get(month)?.forecastDeviation;
    if (!finite(fv)) continue;
    const error = fv - outcome;
    const previous = points[points.length - 1];
    points.push({
      month,
      forecastDeviation: fv,
      error,
      errorShare: finite(budget) && budget !== 0 ? Math.abs(error) / Math.abs(budget) : null,
      change: previous ? Math.abs(error) - Math.abs(previous.error) : null,
    });
  }
  const meanAbsError = points.length ? points.reduce((s, p) => s + Math.abs(p.error), 0) / points.length : 0;
  return { label, outcome, points, meanAbsError };
}

/** The accuracy of a year's forecasts against its outcome (the month-12 entry's deviation to date). */
export function forecastAccuracy(history: ForecastHistory): ForecastAccuracy {
  const net: Track = new Map();
  const lines = new Map<string, { label: string; track: Track }>();
  for (const entry of history.entries) {
    if (!Number.isInteger(entry.month) || entry.month < 1 || entry.month > 12) continue;
    if (entry.net) net.set(entry.month, entry.net);
    const seen = new Set<string>();
    for (const l of entry.lines ?? []) {
      const key = labelKey(l.label);
      if (seen.has(key)) continue;
      seen.add(key);
      const slot = lines.get(key) ?? { label: l.label, track: new Map() };
      slot.track.set(entry.month, l);
      lines.set(key, slot);
    }
  }
  const budgets = new Map<string, number | null>();
  for (const b of history.annualBudget?.lines ?? [])
    if (!budgets.has(labelKey(b.label))) budgets.set(labelKey(b.label), b.annualBudget);
  const netSeries = series(null, net, history.annualBudget?.net ?? null);
  const lineSeries: AccuracySeries[] = [];
  for (const [key, { label, track }] of lines) {
    const s = series(label, track, budgets.get(key) ?? null);
    if (s) lineSeries.push(s);
  }
  return {
    year: history.year,
    known: netSeries !== null || lineSeries.length > 0,
    net: netSeries,
    lines: lineSeries,
  };
}

/**
 * The figure for the drafted summary, in Swedish: how close the net forecast came at the tertials (or
 * the first and last logged months), e.g. "Prognosen för 2018 (utfall -28 400 tkr) missade i april med
 * 6 300 tkr och i augusti med 1 400 tkr; i snitt 3 200 tkr över året." Null when the outcome is unknown.
 */
export function describeAccuracy(accuracy: ForecastAccuracy, unit: Unit = "tkr"): string | null {
  const s = accuracy.net;
  if (!s || s.points.length === 0) return null;
  const decimals = unitDecimals(unit);
  const amount = (x: number) => formatAmount(Math.abs(x), { unit, decimals });
  const at = (p: AccuracyPoint) =>
    `i ${MONTHS_SV[p.month - 1]} med ${amount(p.error)}${p.errorShare === null ? "" : ` (${formatPercent(p.errorShare)} av budgeten)`}`;
  const tertials = s.points.filter((p) => p.month === 4 || p.month === 8);
  const shown = tertials.length ? tertials : [s.points[0], s.points[s.points.length - 1]];
  const unique = shown.filter((p, i) => shown.indexOf(p) === i);
  const parts = unique.map(at);
  const list =
    parts.length > 1 ? `${parts.slice(0, -1).join(", ")} och ${parts[parts.length - 1]}` : parts[0];
  const outcome = formatAmount(s.outcome, { unit, decimals, sign: "deviation" });
  return `Prognosen för ${accuracy.year} (utfall ${outcome} mot budget) missade ${list}; i snitt ${amount(s.meanAbsError)} över året.`;
}
