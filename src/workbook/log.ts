/**
 * The forecast log per line (prognosförändring): every refresh records each line's figures for its
 * period on a hidden sheet the refresh owns (`Prognoslogg_rader`), next to the net row per period on the
 * visible `Prognoslogg`. One refresh per period replaces that period's entry, as the visible log does.
 *
 * The data type other modules consume is `ForecastLog` (read with `readForecastLog`):
 *
 *   ForecastLog.periods: LogPeriod[]   sorted by period ("ÅÅÅÅ-MM"), at most one entry per period
 *   LogPeriod.net        the net row: deviation to date, net forecast deviation, gap to the balance
 *                        target (null when the visible log has no row for the period)
 *   LogPeriod.lines      LoggedLine[] in ledger order: the line's key (its unit's and label's folded with
 *                        `lineKey`, so look-alike letters and case do not split a line, and the same
 *                        label in two units stays two lines), its label, unit (Ansvar) and kind as
 *                        logged, and actual, deviation, full-year forecast and forecast deviation in the
 *                        workbook's unit (net-result convention as the report shows them)
 *
 * Hidden sheet layout (row 1 is a header; one row per period and line):
 *   A Period (ÅÅÅÅ-MM) | B Nr (0-based line index) | C Post | D Radtyp | E Utfall | F Avvikelse |
 *   G Prognos | H Prognosavvikelse | I Ansvar (empty without units, and in logs written before it)
 *
 * The change since the previous forecast compares with the latest logged period before the current
 * one in the same year (a forecast for another year is not comparable).
 */
import type { LedgerResult, LineKind } from "../core/types";
import { foldLookAlikes } from "../core/text";
import { monthKey, monthName } from "../core/period";
import { joinSv } from "../core/summary";
import { normaliseKey } from "./cells";
import { logPeriodOf, parseLog } from "./reports/log";
import { LINE_LOG_SHEET } from "./contract";
import type { PlanValue, RawCell, SheetPlan } from "./types";

export { LINE_LOG_SHEET };

export interface LoggedLine {
  key: string;
  label: string;
  orgUnit: string | null;
  kind: LineKind;
  actual: number | null;
  deviation: number | null;
  forecast: number | null;
  forecastDeviation: number | null;
}

export interface LogPeriod {
  /** "ÅÅÅÅ-MM" */
  period: string;
  net: { deviation: number | null; forecastDeviation: number | null; vsTarget: number | null } | null;
  lines: LoggedLine[];
}

export interface ForecastLog {
  periods: LogPeriod[];
}

/** The change of each line's forecast deviation since the previous forecast. */
export interface ForecastChange {
  /** The period compared with ("ÅÅÅÅ-MM"), or null when the log has no earlier period this year. */
  previousPeriod: string | null;
  /**
   * Per entry of LedgerResult.lines (same order): current − previous forecast deviation. A line new since
   * then counts from 0 (it is in `added`); null when it cannot be compared: no earlier period, a total
   * line not logged then, or a line whose unit the previous period did not log (see `uncompared`).
   */
  lines: (number | null)[];
  /** The net forecast deviation's change, or null. */
  net: number | null;
  /** Per line: true when the line is new since the previous period (its change is counted from 0). */
  added?: boolean[];
  /**
   * Why lines could not be compared: the units (as named now) the previous period logged no lines of,
   * and whether lines without a unit found no logged lines without a unit.
   */
  uncompared?: { units: string[]; withoutUnit: boolean; logged: boolean };
  /**
   * The previous period's lines logged without a unit whose label occurs once among them, by kind and
   * `lineKey` ("cost|verksamhetens kostnader"): a consolidated table can be compared with them.
   */
  whole?: Map<string, number | null>;
}

const LINE_KINDS: readonly LineKind[] = ["revenue", "cost", "ofWhich", "total"];

/** A label's key for matching lines across periods: look-alike letters folded, case and punctuation dropped. */
export function lineKey(label: string): string {
  return normaliseKey(foldLookAlikes(label));
}

/**
 * Keys made unique by occurrence ("summa", "summa#2"), so that repeated labels still match in order;
 * a line of a unit is keyed within its unit ("vårnäs|summa").
 */
function uniqueKeys(lines: readonly { label: string; orgUnit?: string | null }[]): string[] {
  const seen = new Map<string, number>();
  return lines.map(({ label, orgUnit }) => {
    const key = orgUnit ? `${lineKey(orgUnit)}|${lineKey(label)}` : lineKey(label);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? key : `${key}#${n}`;
  });
}

const num = (v: RawCell | undefined): number | null =>
  typeof v === "number" && Number.isFinite(v) ? v : null;

/** The log from the visible Prognoslogg's values and the hidden sheet's values (both from A1). */
export function readForecastLog(logValues: RawCell[][], lineValues: RawCell[][]): ForecastLog {
  const byPeriod = new Map<string, LogPeriod>();
  const entry = (period: string): LogPeriod => {
    let e = byPeriod.get(period);
    if (!e) byPeriod.set(period, (e = { period, net: null, lines: [] }));
    return e;
  };
  for (const r of parseLog(logValues))
    entry(r.period).net = {
      deviation: r.deviation,
      forecastDeviation: r.forecastDeviation,
      vsTarget: r.vsTarget,
    };
  const labels = new Map<string, Omit<LoggedLine, "key">[]>();
  const rows: { period: string; line: Omit<LoggedLine, "key"> }[] = [];
  for (const row of lineValues) {
    const period = logPeriodOf(row?.[0]);
    if (!period || typeof row[2] !== "string") continue;
    const kind = LINE_KINDS.find((k) => k === row[3]) ?? "cost";
    const orgUnit = typeof row[8] === "string" && row[8].trim() !== "" ? row[8] : null;
    const line = {
      label: row[2],
      orgUnit,
      kind,
      actual: num(row[4]),
      deviation: num(row[5]),
      forecast: num(row[6]),
      forecastDeviation: num(row[7]),
    };
    rows.push({ period, line });
    // Appended in place: copying the period's list for every row was quadratic in the log's length.
    const same = labels.get(period);
    if (same) same.push(line);
    else labels.set(period, [line]);
  }
  const keys = new Map([...labels].map(([p, ls]) => [p, uniqueKeys(ls)]));
  const used = new Map<string, number>();
  for (const { period, line } of rows) {
    const i = used.get(period) ?? 0;
    used.set(period, i + 1);
    entry(period).lines.push({ key: keys.get(period)![i], ...line });
  }
  const periods = [...byPeriod.values()].sort((a, b) =>
    a.period < b.period ? -1 : a.period > b.period ? 1 : 0,
  );
  return { periods };
}

/** This refresh's entry (what it logs for its period). */
export function currentEntry(result: LedgerResult): LogPeriod {
  const keys = uniqueKeys(result.lines);
  return {
    period: monthKey(result.period),
    net: {
      deviation: result.result.deviation,
      forecastDeviation: result.result.forecastDeviation,
      vsTarget: result.result.deviationVsBalanceTarget,
    },
    lines: result.lines.map((l, i) => ({
      key: keys[i],
      label: l.label,
      orgUnit: l.orgUnit ?? null,
      kind: l.kind,
      actual: l.actual,
      deviation: l.deviation,
      forecast: l.forecast,
      forecastDeviation: l.forecastDeviation,
    })),
  };
}

/** The log with the current period's entry replaced (or added). */
export function mergeForecastLog(log: ForecastLog, current: LogPeriod): ForecastLog {
  const periods = log.periods.filter((p) => p.period !== current.period);
  periods.push(current);
  periods.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  return { periods };
}

/**
 * The hidden sheet's budget: at most this many line rows (nine cells each). A municipal
 * ledger of a few hundred lines keeps every period of many years; a 50 000-line ledger keeps its two
 * latest periods, which is still enough for the change since the previous forecast.
 */
export const LINE_LOG_MAX_ROWS = 100_000;

/** The log with its oldest periods' lines dropped until the line rows fit `maxRows` (net rows are kept). */
export function trimForecastLog(
  log: ForecastLog,
  maxRows = LINE_LOG_MAX_ROWS,
): { log: ForecastLog; dropped: string[] } {
  let rows = log.periods.reduce((n, p) => n + p.lines.length, 0);
  const dropped: string[] = [];
  const periods = log.periods.map((p) => ({ ...p }));
  for (const p of periods) {
    if (rows <= maxRows) break;
    if (!p.lines.length) continue;
    rows -= p.lines.length;
    p.lines = [];
    dropped.push(p.period);
  }
  return { log: { periods }, dropped };
}

/** The latest logged period before `current` in the same year with a forecast (lines or net), or null. */
export function previousEntry(log: ForecastLog, current: string): LogPeriod | null {
  const year = current.slice(0, 4);
  let found: LogPeriod | null = null;
  for (const p of log.periods)
    if (
      p.period < current &&
      p.period.slice(0, 4) === year &&
      (p.lines.length || p.net?.forecastDeviation != null)
    )
      found = p;
  return found;
}

/** now − then, without the float noise of the subtraction; null when either is. */
export const changeOf = (now: number | null, then: number | null): number | null =>
  now === null || then === null ? null : Math.round((now - then) * 1e9) / 1e9;

/** A look-alike letter may stand for the letter it sounds like or the one it looks like: both are tried. */
const visualKey = (l: LoggedLine) => normaliseKey(foldLookAlikes(l.label, true));

/** Lines by their key, and by their look-alike key where that is not taken. */
function keyed(lines: LoggedLine[]): Map<string, LoggedLine> {
  const map = new Map(lines.map((l) => [l.key, l]));
  for (const l of lines) {
    const visual = unitPrefix(l) + visualKey(l);
    if (!map.has(visual)) map.set(visual, l);
  }
  return map;
}

/** "vårnäs|" for a line of a unit, "" without. */
const unitPrefix = (l: { orgUnit?: string | null }) => (l.orgUnit ? `${lineKey(l.orgUnit)}|` : "");

/** The lines whose label (whatever their unit) occurs once among them, by `lineKey(label)`. */
function loneLabels<T extends { label: string }>(lines: readonly T[]): Map<string, T> {
  const seen = new Map<string, T | null>();
  for (const l of lines) {
    const k = lineKey(l.label);
    seen.set(k, seen.has(k) ? null : l);
  }
  const lone = new Map<string, T>();
  for (const [k, l] of seen) if (l) lone.set(k, l);
  return lone;
}

/**
 * The previous period's line that `l` continues (see forecastChanges): the same key or look-alike key
 * within its unit, else the line of the same label when the label occurs once then and once now and
 * at most one of the two has a unit; undefined when none.
 */
function previousOf(
  l: LoggedLine,
  byKey: Map<string, LoggedLine>,
  prevLone: Map<string, LoggedLine>,
  nowLone: Map<string, LoggedLine>,
): LoggedLine | undefined {
  const p = byKey.get(l.key) ?? byKey.get(unitPrefix(l) + visualKey(l));
  if (p) return p;
  const label = lineKey(l.label);
  const lone = prevLone.get(label);
  return lone && nowLone.get(label) === l && !(lone.orgUnit && l.orgUnit) ? lone : undefined;
}

/** The key of a line's kind and label, as `ForecastChange.whole` holds them. */
export const wholeKey = (l: { kind: LineKind; label: string }) => `${l.kind}|${lineKey(l.label)}`;

/**
 * Each line's (and the net) change of forecast deviation against the previous logged period. A line is
 * matched within its unit (by label and order, look-alike letters folded both ways); a line of a unit
 * never matches another unit's line. A line logged without a unit matches by label alone when that label
 * occurs once then and once now, whatever the unit (a log from before the ledger had Ansvar): the
 * administration's "Verksamhetens intäkter" is not each unit's. A line that does not match is new (its
 * change counts from 0) when the period logged lines of units (or, for a line without a unit, lines
 * without one); else it cannot be compared and stays null. A total line that does not match stays null.
 */
export function forecastChanges(
  result: LedgerResult,
  log: ForecastLog,
  current: LogPeriod = currentEntry(result),
): ForecastChange {
  const prev = previousEntry(log, current.period);
  if (!prev) return { previousPeriod: null, lines: result.lines.map(() => null), net: null };
  const byKey = keyed(prev.lines);
  const prevLone = loneLabels(prev.lines);
  const nowLone = loneLabels(current.lines);
  // Lines of a unit count as new when the period logged units (a unit new since then has no lines
  // there); lines without a unit when it logged lines without one.
  const logged = { unit: prev.lines.some((l) => l.orgUnit), none: prev.lines.some((l) => !l.orgUnit) };
  const added: boolean[] = [];
  const units = new Set<string>();
  const unitNames: string[] = [];
  let withoutUnit = false;
  const lines = current.lines.map((l, i) => {
    added.push(false);
    const p = previousOf(l, byKey, prevLone, nowLone);
    if (p) return changeOf(l.forecastDeviation, p.forecastDeviation);
    if (l.kind === "total") return null;
    if (l.orgUnit ? logged.unit : logged.none) {
      added[i] = true;
      return l.forecastDeviation;
    }
    if (!l.orgUnit) withoutUnit = true;
    else if (!units.has(lineKey(l.orgUnit))) {
      units.add(lineKey(l.orgUnit));
      unitNames.push(l.orgUnit);
    }
    return null;
  });
  // Only a ledger with units has a consolidated table to compare with them.
  const whole = new Map<string, number | null>();
  if (result.units) for (const [, l] of prevLone) if (!l.orgUnit) whole.set(wholeKey(l), l.forecastDeviation);
  return {
    previousPeriod: prev.period,
    lines,
    net: changeOf(current.net!.forecastDeviation, prev.net?.forecastDeviation ?? null),
    added,
    uncompared: { units: unitNames, withoutUnit, logged: prev.lines.length > 0 },
    whole,
  };
}

/**
 * Why lines have no change since the previous forecast, for Kontroller and the statement's note (once,
 * not per line); null when every line could be compared.
 */
export function uncomparedMessage(change: ForecastChange): string | null {
  const u = change.uncompared;
  if (!change.previousPeriod || !u || (!u.units.length && !u.withoutUnit)) return null;
  const when = monthName(change.previousPeriod);
  if (!u.logged)
    return `Förändring mot föregående prognos visas inte per rad: prognosloggen per rad (det dolda bladet ${LINE_LOG_SHEET}) har inga rader för ${when}, bara nettot på Prognoslogg.`;
  const texts: string[] = [];
  if (u.units.length) {
    const which = u.units.length <= 5 ? joinSv(u.units) : `${u.units.length} enheter`;
    texts.push(
      `Förändring mot föregående prognos lämnas tom för raderna i ${which}: prognosloggen för ${when} har raderna utan Ansvar, och en enhets rad jämförs bara med samma enhets rad.`,
    );
    if (u.units.length > 1 && change.whole?.size)
      texts.push("Den sammanställda tabellen jämförs med raderna utan Ansvar.");
  }
  if (u.withoutUnit)
    texts.push(
      `Förändring mot föregående prognos lämnas tom för raderna utan Ansvar: prognosloggen för ${when} har bara rader med Ansvar.`,
    );
  return texts.join(" ");
}

/** The rows each period's lines take on the hidden sheet (row 0 is the header), as lineLogSheet writes them. */
export function lineLogBlocks(log: ForecastLog): { period: string; row: number; rows: number }[] {
  const blocks: { period: string; row: number; rows: number }[] = [];
  let row = 1;
  for (const p of log.periods) {
    if (p.lines.length) blocks.push({ period: p.period, row, rows: p.lines.length });
    row += p.lines.length;
  }
  return blocks;
}

/** The hidden sheet holding every period's lines. */
export function lineLogSheet(log: ForecastLog): SheetPlan {
  const rows: PlanValue[][] = [
    ["Period", "Nr", "Post", "Radtyp", "Utfall", "Avvikelse", "Prognos", "Prognosavvikelse", "Ansvar"],
  ];
  for (const p of log.periods)
    p.lines.forEach((l, i) =>
      rows.push([
        p.period,
        i,
        l.label,
        l.kind,
        l.actual,
        l.deviation,
        l.forecast,
        l.forecastDeviation,
        l.orgUnit,
      ]),
    );
  return {
    name: LINE_LOG_SHEET,
    owned: true,
    hidden: true,
    values: [{ row: 0, col: 0, values: rows }],
    formats: [],
    merges: [],
    columnWidths: [
      { col: 0, width: 10 },
      { col: 2, width: 44 },
    ],
    charts: [],
  };
}
