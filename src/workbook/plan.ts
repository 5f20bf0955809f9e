/**
 * Core output → declarative write plan. Pure and serialisable: hosts render it and decide nothing.
 *
 * On the user's sheets the plan holds only the three output columns (values in their cells, number
 * formats, and the names to define when they were created). Everything else goes to the report sheets
 * the product owns, placed after the user's sheets.
 */
import type { LedgerResult } from "../core/types";
import type { Layout } from "./contract";
import { REPORT_SHEETS } from "./contract";
import { actionPlan, amountFormats, findingsSheet, logSheet, operatingStatement, volumes } from "./reports";
import type {
  LocatedFinding,
  NameDefinition,
  PlanValue,
  ReadResult,
  SheetPlan,
  StoredConfig,
  WritePlan,
} from "./types";
import { measuresWithUnits, operatingStatementsByUnit } from "./units";

export function buildWritePlan(
  result: LedgerResult,
  layout: Layout,
  read: ReadResult,
  config: StoredConfig,
): WritePlan {
  const userSheets: SheetPlan[] = [];
  const names: NameDefinition[] = [];
  const fmt = amountFormats(result.unit);
  const byIndex = new Map(result.lines.map((l) => [l.index, l]));

  for (const out of layout.outputs) {
    let sheet = userSheets.find((s) => s.name === out.rect.sheet);
    if (!sheet) {
      sheet = {
        name: out.rect.sheet,
        owned: false,
        values: [],
        formats: [],
        merges: [],
        columnWidths: [],
        charts: [],
      };
      userSheets.push(sheet);
    }
    const column: PlanValue[][] = Array.from({ length: out.rect.rows }, () => [null]);
    layout.lineRows.forEach((row, i) => {
      const line = byIndex.get(i);
      if (!line || row >= out.rect.rows) return;
      column[row][0] =
        out.role === "Avvikelse"
          ? line.deviation
          : out.role === "Prognos"
            ? line.forecast
            : line.forecastDeviation;
    });
    sheet.values.push({ row: out.rect.row, col: out.rect.col, values: column });
    sheet.formats.push({
      rect: { row: out.rect.row, col: out.rect.col, rows: out.rect.rows, cols: 1 },
      style: { numberFormat: out.role === "Prognos" ? fmt.plain : fmt.deviation },
    });
    if (!out.defined) names.push({ name: out.role, scope: null, ref: { ...out.rect } });
  }

  const reports = config.settings.reports;
  const owned: SheetPlan[] = [];
  if (reports.operatingStatement && result.units)
    owned.push(...operatingStatementsByUnit(result, layout.lineComments, config));
  else if (reports.operatingStatement) owned.push(operatingStatement(result, layout.lineComments));
  if (reports.actionPlan) owned.push(actionPlan(measuresWithUnits(result)));
  if (reports.volumes) owned.push(volumes(result));
  if (reports.findings) owned.push(findingsSheet(allFindings(result, layout)));
  if (reports.log) {
    const existing = read.sheets.find((s) => s.sheet.toLowerCase() === REPORT_SHEETS.log.toLowerCase());
    owned.push(logSheet(result, existing?.values ?? []));
  }
  return { version: 1, sheets: [...userSheets, ...owned], names };
}

/** Reading findings first, then the core's, each placed in the workbook. */
export function allFindings(result: LedgerResult, layout: Layout): LocatedFinding[] {
  return [...layout.readFindings, ...result.findings.map((f) => ({ ...f, ...layout.locate(f) }))];
}
