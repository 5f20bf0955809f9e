/** Prognoslogg: one row per period (a refresh of the same period replaces its row) and a line chart. */
import { monthKey } from "../../core/period";
import type { LedgerResult } from "../../core/types";
import { REPORT_SHEETS } from "../contract";
import { serialToDate } from "../dates";
import type { RawCell } from "../types";
import type { SheetCarry } from "./carry";
import { amountFormats, type BuiltSheet, type PageInfo, Sheet } from "./common";

export interface LogRow {
  /** "ÅÅÅÅ-MM" */
  period: string;
  deviation: number | null;
  forecastDeviation: number | null;
  vsTarget: number | null;
}

function logNumber(v: RawCell | undefined): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** A log's period cell as its key: "ÅÅÅÅ-MM" as text, or a date serial (Excel may turn the text into one). */
export function logPeriodOf(v: RawCell | undefined): string | null {
  if (typeof v === "string" && /^\d{4}-\d{2}$/.test(v.trim())) return v.trim();
  if (typeof v === "number" && v > 31) return monthKey(serialToDate(v));
  return null;
}

/** Rows of an existing Prognoslogg sheet (values from A1): every row whose first cell is a period. */
export function parseLog(values: RawCell[][]): LogRow[] {
  const rows: LogRow[] = [];
  for (const row of values) {
    const period = logPeriodOf(row?.[0]);
    if (!period) continue;
    rows.push({
      period,
      deviation: logNumber(row[1]),
      forecastDeviation: logNumber(row[2]),
      vsTarget: logNumber(row[3]),
    });
  }
  return rows;
}

/** The existing rows with the current period's row replaced (or added), one row per period, sorted. */
export function mergeLog(existing: LogRow[], current: LogRow): LogRow[] {
  const byPeriod = new Map<string, LogRow>();
  for (const r of existing) byPeriod.set(r.period, r);
  byPeriod.set(current.period, current);
  return [...byPeriod.values()].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
}

export function logSheet(
  result: LedgerResult,
  existing: RawCell[][],
  carry: SheetCarry,
  page: PageInfo,
): BuiltSheet {
  const s = new Sheet(REPORT_SHEETS.log, [10, 18, 22, 22], carry);
  const current: LogRow = {
    period: monthKey(result.period),
    deviation: result.result.deviation,
    forecastDeviation: result.result.forecastDeviation,
    vsTarget: result.result.deviationVsBalanceTarget,
  };
  const rows = mergeLog(parseLog(existing), current);
  const u = result.unit;
  s.header([
    "Period",
    `Avvikelse hittills (${u})`,
    `Prognos budgetavvikelse helår (${u})`,
    `Avvikelse jämfört ekonomi i balans (${u})`,
  ]);
  for (const r of rows) s.line([r.period, r.deviation, r.forecastDeviation, r.vsTarget]);
  const fmt = amountFormats(u);
  s.format({ row: 1, col: 1, rows: rows.length, cols: 3 }, { numberFormat: fmt.deviation });
  s.format({ row: 0, col: 1, rows: 1, cols: 3 }, { horizontalAlignment: "right", bold: true, wrap: true });
  s.plan.freeze = { rows: 1, cols: 0 };
  s.plan.charts.push({
    type: "line",
    title: `Prognos budgetavvikelse helår (${u})`,
    categories: { row: 1, col: 0, rows: rows.length, cols: 1 },
    series: [
      { name: "Prognos budgetavvikelse helår", values: { row: 1, col: 2, rows: rows.length, cols: 1 } },
      { name: "Avvikelse hittills", values: { row: 1, col: 1, rows: rows.length, cols: 1 } },
    ],
    anchor: { row: 1, col: 5, rows: 16, cols: 8 },
    valueFormat: fmt.plain,
    labelAngle: -45,
  });
  s.notes(4);
  // One page, chart included: the log is short, and a chart cut over two pages is useless.
  s.print(
    { orientation: "landscape", fitToWidth: true, fitToHeight: true, repeatRows: { first: 0, last: 0 } },
    "Prognoslogg",
    page,
  );
  return s.done();
}
