/**
 * The operating statement of a ledger with units (Ansvar): the consolidated table first, then one section
 * per unit on the same sheet (the default), or one sheet per unit when the settings ask for it.
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
import { consolidatedLedger, unitLedger } from "../core/consolidate";
import type { LedgerResult } from "../core/types";
import { REPORT_SHEETS } from "./contract";
import { type BuiltSheet, operatingStatement, type PageInfo, type SheetCarry } from "./reports";
import type { StoredConfig } from "./types";
import { unitSheetName } from "./unit-sheets";

/** The per-unit sheets' names in unit order (empty unless the settings ask for a sheet per unit). */
export function unitSheetNames(result: LedgerResult, config: StoredConfig): string[] {
  if (config.settings.unitReports !== "sheets") return [];
  const taken = new Set(Object.values(REPORT_SHEETS).map((n) => n.toLowerCase()));
  return (result.units?.units ?? []).map((u) => unitSheetName(u.name, taken));
}

/**
 * The operating statement sheet(s) of a ledger with units, the consolidated one first; callers pass only
 * results with units, and `carry` gives each sheet's carried text by name.
 */
export function operatingStatementsByUnit(
  result: LedgerResult,
  comments: (string | null)[],
  config: StoredConfig,
  carry: (sheet: string) => SheetCarry,
  page: PageInfo,
): BuiltSheet[] {
  const units = result.units?.units ?? [];
  const count = units.length === 1 ? "1 enhet" : `${units.length} enheter`;
  const title = `Driftsredovisning, nettoresultat (${result.unit}), ${count} sammanställda`;
  const sections = units.map((unit, u) => {
    const alone = unitLedger(result, u);
    return {
      title: `${unit.name}, nettoresultat (${result.unit})`,
      result: alone,
      comments: alone.lines.map((l) => comments[unit.lines[l.index]] ?? null),
    };
  });
  const main = REPORT_SHEETS.operatingStatement;
  const names = unitSheetNames(result, config);
  const consolidated = operatingStatement(consolidatedLedger(result), [], carry(main), page, {
    title,
    measuresOf: result,
    sections: names.length ? [] : sections,
  });
  const sheets = names.map((sheet, u) =>
    operatingStatement(sections[u].result, sections[u].comments, carry(sheet), page, {
      sheet,
      title: sections[u].title,
      keyNames: false,
    }),
  );
  return [consolidated, ...sheets];
}

/** The result with each measure's unit after its text in the action plan: "Hemmaplanslösning (Mercur)". */
export function measuresWithUnits(result: LedgerResult): LedgerResult {
  const areas = result.actionPlan.areas.map((area) => ({
    ...area,
    measures: area.measures.map((m) => (m.orgUnit ? { ...m, text: `${m.text} (${m.orgUnit})` } : m)),
  }));
  return { ...result, actionPlan: { ...result.actionPlan, areas } };
}
