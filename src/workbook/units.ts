/**
 * The operating statement of a ledger with units (Ansvar): the consolidated table first, then one section
 * per unit on the same sheet (the default), or one sheet per unit when the settings ask for it. A ledger
 * with one unit (a unit's own workbook) gets the statement of a ledger without units, titled with the
 * unit, whatever the setting: a consolidation of one unit would only repeat its lines.
 *
 * Why sections by default: a förvaltning's report is read and printed as one document, consolidated first
 * and then unit by unit (S3 reports Myndighetsavdelningen, Vårnäs, Mercur and Klivet in turn). One sheet
 * keeps that order, prints as one run with the header row repeated on every page (every section has the
 * same five columns), and stays usable with many units, where a sheet per unit would give a tab bar of
 * 200 sheets. A sheet per unit suits a förvaltning that hands each enhetschef their own page.
 *
 * Every table is drawn by the operating statement's own builder (reports/operating.ts), so the
 * consolidated table, the sections and the unit sheets look like the report of a workbook without
 * units, with the same comment zone and note area: one of each on the sheet with sections, one of each
 * on every unit sheet (each sheet's text is carried like any report sheet's).
 */
import { consolidate, consolidatedLedger, unitLedger } from "../core/consolidate";
import type { LedgerResult, LineResult } from "../core/types";
import { REPORT_SHEETS } from "./contract";
import { withUnit } from "../core/summary";
import { changeOf, type ForecastChange, wholeKey } from "./log";
import {
  type BuiltSheet,
  operatingStatement,
  type OperatingExtras,
  type PageInfo,
  type SheetCarry,
} from "./reports";
import type { StoredConfig } from "./types";
import { unitSheetName } from "./unit-sheets";

export { withUnit };

/**
 * The per-unit sheets' names in unit order (empty unless the settings ask for a sheet per unit and there
 * are several units).
 */
export function unitSheetNames(result: LedgerResult, config: StoredConfig): string[] {
  if (config.settings.unitReports !== "sheets" || (result.units?.units.length ?? 0) < 2) return [];
  const taken = new Set(Object.values(REPORT_SHEETS).map((n) => n.toLowerCase()));
  return (result.units?.units ?? []).map((u) => unitSheetName(u.name, taken));
}

/**
 * The operating statement sheet(s) of a ledger with units, the consolidated one first (one sheet for a
 * single unit); callers pass only results with units, and `carry` gives each sheet's carried text by
 * name.
 */
export function operatingStatementsByUnit(
  result: LedgerResult,
  comments: (string | null)[],
  config: StoredConfig,
  carry: (sheet: string) => SheetCarry,
  page: PageInfo,
  extras: OperatingExtras = {},
): BuiltSheet[] {
  const change = extras.change;
  const units = result.units?.units ?? [];
  const count = `${units.length} enheter sammanställda`;
  const main = REPORT_SHEETS.operatingStatement;
  const names = unitSheetNames(result, config);
  // A unit's own workbook (one unit, as in a batch): its table as a workbook without units has it, its
  // own Summa lines included, titled with the unit; not a consolidated table followed by the same lines.
  if (units.length === 1)
    return [
      operatingStatement(result, comments, carry(main), page, {
        ...extras,
        title: `Driftsredovisning, nettoresultat (${result.unit}), ${units[0].name}`,
      }),
    ];
  const sections = units.map((unit, u) => {
    const alone = unitLedger(result, u);
    return {
      title: `${unit.name}, nettoresultat (${result.unit})`,
      result: alone,
      comments: alone.lines.map((l) => comments[unit.lines[l.index]] ?? null),
      change: change && partChange(change, result.lines, unit.lines),
    };
  });
  const table = consolidate(result);
  const consolidated = operatingStatement(consolidatedLedger(result, table), [], carry(main), page, {
    ...extras,
    change: change && consolidatedChange(result, change, table),
    title: `Driftsredovisning, nettoresultat (${result.unit}), ${count}`,
    measuresOf: result,
    sections: names.length ? [] : sections,
  });
  const sheets = names.map((sheet, u) =>
    operatingStatement(sections[u].result, sections[u].comments, carry(sheet), page, {
      sheet,
      title: sections[u].title,
      keyNames: false,
      change: sections[u].change,
    }),
  );
  return [consolidated, ...sheets];
}

/**
 * A line's change since the previous forecast when it goes into a sum (a consolidated line, a unit's
 * net): the parts' changes summed (a part new since then counts from 0, as forecastChanges gives it);
 * null when a part cannot be compared.
 */
function summedChange(parts: readonly number[], change: ForecastChange): number | null {
  let sum = 0;
  for (const i of parts) {
    const c = change.lines[i];
    if (c === null) return null;
    sum += c;
  }
  return parts.length ? sum : null;
}

/**
 * The change column of the consolidated table: each consolidated line's parts summed; when its parts
 * cannot be compared (the previous period logged the administration's lines, without units), the
 * consolidated line against the logged line of the same kind and label.
 */
export function consolidatedChange(
  result: LedgerResult,
  change: ForecastChange,
  table: ReturnType<typeof consolidate> = consolidate(result),
): ForecastChange {
  const { lines, groupOf } = table;
  const parts: number[][] = lines.map(() => []);
  groupOf.forEach((g, i) => g >= 0 && parts[g].push(i));
  const whole = (g: number): number | null => {
    const then = change.whole?.get(wholeKey(lines[g]));
    return then === undefined ? null : changeOf(lines[g].forecastDeviation, then);
  };
  return {
    ...change,
    lines: parts.map((p, g) => summedChange(p, change) ?? whole(g)),
    added: parts.map((p) => p.length > 0 && p.every((i) => change.added?.[i] === true)),
  };
}

/** The change column of one unit's section: its lines' changes, its net as its counted lines' sum. */
export function partChange(
  change: ForecastChange,
  lines: readonly LineResult[],
  mine: readonly number[],
): ForecastChange {
  const counted = mine.filter((i) => lines[i].kind === "revenue" || lines[i].kind === "cost");
  return {
    ...change,
    lines: mine.map((i) => change.lines[i]),
    added: mine.map((i) => change.added?.[i] === true),
    net: change.previousPeriod === null ? null : summedChange(counted, change),
  };
}

/** The result with each measure's unit after its text in the action plan: "Hemmaplanslösning (Mercur)". */
export function measuresWithUnits(result: LedgerResult): LedgerResult {
  const areas = result.actionPlan.areas.map((area) => ({
    ...area,
    measures: area.measures.map((m) => (m.orgUnit ? { ...m, text: withUnit(m.text, m.orgUnit) } : m)),
  }));
  return { ...result, actionPlan: { ...result.actionPlan, areas } };
}
