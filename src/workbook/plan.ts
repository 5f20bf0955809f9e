/**
 * Core output → declarative write plan. Pure and serialisable: hosts render it and decide nothing.
 *
 * On the user's sheets the plan holds only the three output columns (values in their cells, number
 * formats, the names to define when they were created, and a heading above each column where that
 * cell is empty). Everything else goes to the report sheets the product owns, placed after the
 * user's sheets and updated in place; what the ekonom typed on them is read first and carried over
 * (reports/carry.ts), and a hidden sheet records where it went.
 */
import { periodLabel } from "../core";
import type { LedgerResult } from "../core/types";
import type { Layout } from "./contract";
import { verksamhetOf } from "./config";
import { LINE_LOG_SHEET, REPORT_SHEETS, STATE_SHEET } from "./contract";
import { periodSpan } from "./dates";
import {
  actionPlan,
  amountFormats,
  type BuiltSheet,
  carryOver,
  findingsSheet,
  investmentSheet,
  logSheet,
  operatingStatement,
  type PageInfo,
  personnelSheet,
  stateSheet,
  stateSheetIsOurs,
  summarySheet,
  volumes,
} from "./reports";
import { accuracySheet, logHistory } from "./accuracy";
import { lineLogBlocks, lineLogSheet } from "./log";
import { computeTertial, type TertialFigures, type TertialTexts } from "./tertial";
import { capCellText } from "./limits";
import type {
  LocatedFinding,
  NameDefinition,
  PlanValue,
  RawCell,
  ReadResult,
  SheetPlan,
  StoredConfig,
  WritePlan,
} from "./types";
import { measuresWithUnits, operatingStatementsByUnit, unitSheetNames } from "./units";

export function buildWritePlan(
  result: LedgerResult,
  layout: Layout,
  read: ReadResult,
  config: StoredConfig,
  extras: RefreshExtras = {},
): WritePlan {
  return planRefresh(result, layout, read, config, extras).plan;
}

/** The tertial report's figures (computed from the read when not given) and whether to redraft. */
export interface RefreshExtras {
  tertial?: TertialFigures;
  /** Replace the drafted texts even where the ekonom has written (`--nytt-utkast`, "Nytt utkast"). */
  newDraft?: boolean;
}

export interface PlannedRefresh {
  plan: WritePlan;
  findings: LocatedFinding[];
  /** The texts of the report's input zones after this refresh, and which zones got a fresh draft. */
  texts: TertialTexts;
  drafted: { summary: boolean; operatingComment: boolean };
}

/** The write plan and every finding of the refresh (reading, core, and the text carried on the reports). */
export function planRefresh(
  result: LedgerResult,
  layout: Layout,
  read: ReadResult,
  config: StoredConfig,
  extras: RefreshExtras = {},
): PlannedRefresh {
  const verksamhet = verksamhetOf(config, layout);
  const tertial =
    extras.tertial ?? computeTertial(result, layout, null, read, { subject: verksamhet ?? undefined });
  const redraft = extras.newDraft === true;
  const names: NameDefinition[] = [];
  const userSheets = outputColumns(result, layout, read, names);

  const reports = config.settings.reports;
  const enabled = (Object.keys(REPORT_SHEETS) as (keyof typeof REPORT_SHEETS)[])
    .filter((k) => reports[k])
    .map((k) => REPORT_SHEETS[k]);
  // A sheet per unit (units.ts) follows Driftsredovisning and is carried like every report sheet.
  const unitSheets = reports.operatingStatement && result.units ? unitSheetNames(result, config) : [];
  const carries = carryOver(read, [...enabled, ...unitSheets]);
  const carry = (sheet: string) => carries.get(sheet)!;
  const page: PageInfo = { verksamhet, period: periodSpan(result.period) };
  const built = new Map<string, BuiltSheet>();
  const S = REPORT_SHEETS;
  if (reports.summary)
    built.set(S.summary, summarySheet(result, tertial.draft.summary, redraft, carry(S.summary), page));
  const operating = {
    change: tertial.change,
    draft: tertial.draft.operatingComment,
    redraft,
  };
  if (reports.operatingStatement && result.units) {
    const [main, ...perUnit] = operatingStatementsByUnit(
      result,
      layout.lineComments,
      config,
      carry,
      page,
      operating,
    );
    built.set(S.operatingStatement, main);
    perUnit.forEach((b) => built.set(b.plan.name, b));
  } else if (reports.operatingStatement)
    built.set(
      S.operatingStatement,
      operatingStatement(result, layout.lineComments, carry(S.operatingStatement), page, operating),
    );
  const inv = tertial.investments;
  if (reports.investments && inv)
    built.set(S.investments, investmentSheet(inv.result, inv.comments, carry(S.investments), page));
  if (reports.personnel && tertial.personnel)
    built.set(S.personnel, personnelSheet(result, tertial.personnel, carry(S.personnel), page));
  if (reports.actionPlan)
    built.set(S.actionPlan, actionPlan(measuresWithUnits(result), carry(S.actionPlan), page));
  if (reports.volumes) built.set(S.volumes, volumes(result, carry(S.volumes), page));
  const existing = read.sheets.find((s) => s.sheet.toLowerCase() === S.log.toLowerCase());
  if (reports.log) built.set(S.log, logSheet(result, existing?.values ?? [], carry(S.log), page));
  if (reports.accuracy)
    built.set(S.accuracy, accuracySheet(result, logHistory(result, tertial.log), carry(S.accuracy), page));
  // Text over Excel's cell limit is cut before the findings sheet is built, so it lists the cut cells.
  const capped = capCellText([...userSheets, ...[...built.values()].map((b) => b.plan)]);
  const findings = [
    ...allFindings(result, layout),
    ...tertial.findings,
    ...capped,
    ...[...built.values()].flatMap((b) => b.findings),
    ...(reports.findings ? carry(S.findings).findings : []),
  ];
  // A sheet of the user's own under the state sheet's name is never written over; the zones are then
  // not recorded (the next refresh finds the comments by their headings only).
  const stateOk = stateSheetIsOurs(read);
  if (!stateOk && enabled.length)
    findings.push({
      level: "warning",
      code: "STATE_SHEET_TAKEN",
      message: `Bladet ${STATE_SHEET} finns redan och är inte Uppföljarens, så det lämnas orört. Byt namn på det, så kan Uppföljaren spara var de gula cellerna ligger.`,
      sheet: STATE_SHEET,
    });
  if (reports.findings) built.set(S.findings, findingsSheet(findings, carry(S.findings), page));

  // Investeringsredovisning and Personalnyckeltal only when their tables are given; a sheet per unit
  // follows Driftsredovisning.
  const order = enabled.flatMap((name) => (name === S.operatingStatement ? [name, ...unitSheets] : [name]));
  const owned = order.flatMap((name) => built.get(name) ?? []);
  for (const b of owned) names.push(...b.names);
  const sheets = [...userSheets, ...owned.map((b) => b.plan)];
  // The per-line log is the hidden sheet after Prognoslogg (it has no zones: nothing to carry).
  const at = sheets.findIndex((p) => p.name === S.log);
  if (at >= 0) sheets.splice(at + 1, 0, { ...lineLogSheet(tertial.log), name: LINE_LOG_SHEET });
  // The state goes before the report sheets: a write that stops part-way has already recorded the cells
  // it was writing, so the next refresh of the same ledger recognises them as the report's own.
  const lineLog = at >= 0 ? { sheet: LINE_LOG_SHEET, periods: lineLogBlocks(tertial.log) } : undefined;
  if (owned.length && stateOk) sheets.splice(userSheets.length, 0, stateSheet(owned, lineLog));
  const drafted = (sheet: string, key: string) => built.get(sheet)?.drafted.includes(key) === true;
  return {
    plan: { version: 1, sheets, names },
    findings,
    texts: zoneTexts(built),
    drafted: {
      summary: drafted(S.summary, "summary"),
      operatingComment: drafted(S.operatingStatement, "comment"),
    },
  };
}

/** The paragraphs of each text zone as this refresh writes it (for the Word report). */
function zoneTexts(built: Map<string, BuiltSheet>): TertialTexts {
  const S = REPORT_SHEETS;
  const text = (sheet: string, key: string): string[] => {
    const v = built.get(sheet)?.zones.find((z) => z.key === key)?.value;
    if (v === null || v === undefined) return [];
    return String(v)
      .split(/\r?\n/)
      .map((p) => p.trim())
      .filter((p) => p !== "");
  };
  return {
    summary: text(S.summary, "summary"),
    operatingComment: text(S.operatingStatement, "comment"),
    volumes: text(S.volumes, "comment"),
    investments: text(S.investments, "comment"),
    personnel: text(S.personnel, "comment"),
  };
}

/** Heading text above a created output column. */
function outputHeading(role: string, result: LedgerResult): string {
  const { year } = result.period;
  if (role === "Avvikelse") return `Avvikelse per ${periodLabel(result.period)}`;
  if (role === "Prognos") return `Prognos helår ${year}`;
  return `Prognos budgetavvikelse helår ${year}`;
}

const blank = (v: RawCell | undefined) => v === null || v === undefined || v === "";

/** A heading Uppföljaren wrote for some earlier period ("Avvikelse per 31/8 2019"): its own to update. */
const OWN_HEADING =
  /^(Avvikelse per \d{1,2}\/\d{1,2} \d{4}|Prognos helår \d{4}|Prognos budgetavvikelse helår \d{4})$/;

/** The output columns on the user's sheets (and the names of created ones). */
function outputColumns(
  result: LedgerResult,
  layout: Layout,
  read: ReadResult,
  names: NameDefinition[],
): SheetPlan[] {
  const userSheets: SheetPlan[] = [];
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
    // A heading above each output column where that cell is empty (value and formula), so a column the
    // refresh created is labelled, also when an earlier refresh defined its name and then failed; a
    // heading it wrote for an earlier period follows the period (text the user typed there stays).
    const head = read.ranges.find((x) => x.key === `head:${out.role}`);
    const current = head?.values[0]?.[0];
    const ours = blank(current) || (typeof current === "string" && OWN_HEADING.test(current.trim()));
    const formula = head?.formulas?.[0]?.[0];
    if (head && ours && !(typeof formula === "string" && formula.startsWith("="))) {
      sheet.values.push({
        row: out.rect.row - 1,
        col: out.rect.col,
        values: [[outputHeading(out.role, result)]],
      });
      sheet.formats.push({
        rect: { row: out.rect.row - 1, col: out.rect.col, rows: 1, cols: 1 },
        style: { bold: true, wrap: true },
      });
    }
  }
  return userSheets;
}

/** Reading findings first, then the core's, each placed in the workbook. */
export function allFindings(result: LedgerResult, layout: Layout): LocatedFinding[] {
  return [...layout.readFindings, ...result.findings.map((f) => ({ ...f, ...layout.locate(f) }))];
}
