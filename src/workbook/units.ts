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
 * Every table is drawn by the operating statement's own builder (reports.ts), so the consolidated table,
 * the sections and the unit sheets look exactly like the report of a workbook without units.
 */
import { consolidatedLedger, unitLedger } from "../core/consolidate";
import type { LedgerResult } from "../core/types";
import { REPORT_SHEETS } from "./contract";
import { operatingStatement } from "./reports";
import type { Rect, SheetPlan, StoredConfig } from "./types";
import { unitSheetName } from "./unit-sheets";

/** Rows left empty between the consolidated table and each unit's section. */
const SECTION_GAP = 2;

/** The operating statement sheet(s) of a ledger with units; callers pass only results with units. */
export function operatingStatementsByUnit(
  result: LedgerResult,
  comments: (string | null)[],
  config: StoredConfig,
): SheetPlan[] {
  const units = result.units?.units ?? [];
  const main = operatingStatement(consolidatedLedger(result), []);
  const title = `Driftsredovisning, nettoresultat (${result.unit})`;
  setTitle(main, `${title}, ${units.length === 1 ? "1 enhet" : `${units.length} enheter`} sammanställda`);
  const perUnit = units.map((unit, u) => {
    const alone = unitLedger(result, u);
    const plan = operatingStatement(
      alone,
      alone.lines.map((l) => comments[unit.lines[l.index]] ?? null),
    );
    setTitle(plan, `${unit.name}, nettoresultat (${result.unit})`);
    return plan;
  });
  if (config.settings.unitReports === "sheets") {
    const taken = new Set(Object.values(REPORT_SHEETS).map((n) => n.toLowerCase()));
    perUnit.forEach((plan, u) => (plan.name = unitSheetName(units[u].name, taken)));
    return [main, ...perUnit];
  }
  for (const section of perUnit) appendBelow(main, section, SECTION_GAP);
  return [main];
}

/** Replaces the title (the text in A1) of a report sheet. */
function setTitle(plan: SheetPlan, title: string): void {
  const block = plan.values.find((b) => b.row === 0 && b.col === 0);
  if (block && typeof block.values[0][0] === "string") block.values[0][0] = title;
}

/** One past the last row the plan writes or formats. */
function endRow(plan: SheetPlan): number {
  let end = 0;
  for (const b of plan.values) end = Math.max(end, b.row + b.values.length);
  for (const f of plan.formats) end = Math.max(end, f.rect.row + f.rect.rows);
  for (const m of plan.merges) end = Math.max(end, m.row + m.rows);
  return end;
}

/** Appends a section's cells, formats, merges and row heights below the plan's, `gap` rows apart. */
function appendBelow(plan: SheetPlan, section: SheetPlan, gap: number): void {
  const offset = endRow(plan) + gap;
  const shift = (r: Rect): Rect => ({ ...r, row: r.row + offset });
  for (const b of section.values) plan.values.push({ ...b, row: b.row + offset });
  for (const f of section.formats) plan.formats.push({ rect: shift(f.rect), style: f.style });
  for (const m of section.merges) plan.merges.push(shift(m));
  for (const h of section.rowHeights ?? [])
    (plan.rowHeights ??= []).push({ row: h.row + offset, height: h.height });
}

/** The result with each measure's unit after its text in the action plan: "Hemmaplanslösning (Mercur)". */
export function measuresWithUnits(result: LedgerResult): LedgerResult {
  const areas = result.actionPlan.areas.map((area) => ({
    ...area,
    measures: area.measures.map((m) => (m.orgUnit ? { ...m, text: `${m.text} (${m.orgUnit})` } : m)),
  }));
  return { ...result, actionPlan: { ...result.actionPlan, areas } };
}
