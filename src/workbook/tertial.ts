/**
 * The tertial report's figures around the operating statement: the forecast change per line (log.ts),
 * the drafted summary (core/summary.ts), Investeringsredovisning (S1 §4.2, the core's compute on a
 * second ledger) and Personalnyckeltal (S1 §3.1, core/personnel.ts). The sheets are built in
 * reports/ on the report model; the texts the ekonom writes live in their input zones (reports/carry.ts).
 */
import { sameName } from "./a1";
import { compute } from "../core";
import { computePersonnel, type PersonnelResult } from "../core/personnel";
import { monthName } from "../core/period";
import { draftSummary, joinSv, type SummaryDraft } from "../core/summary";
import { findLookAlikes } from "../core/text";
import { consolidate } from "../core/consolidate";
import { formatAmount, formatNumber, unitDecimals } from "../core/format";
import type { Finding, LedgerResult, LineResult } from "../core/types";
import type { Layout } from "./contract";
import { LINE_LOG_SHEET, REPORT_SHEETS } from "./contract";
import {
  currentEntry,
  forecastChanges,
  LINE_LOG_MAX_ROWS,
  mergeForecastLog,
  readForecastLog,
  trimForecastLog,
  type ForecastChange,
  type ForecastLog,
  uncomparedMessage,
} from "./log";
import { consolidatedChange, withUnit } from "./units";
import type { TertialInput } from "./tertial-input";
import type { LocatedFinding, RawCell, ReadResult } from "./types";

export interface TertialOptions {
  /** Who reports, for the draft (the Verksamhet setting, "Social välfärd"); default "Verksamheten". */
  subject?: string;
}

/** The texts of the report's input zones after a refresh (paragraphs), for the Word report. */
export interface TertialTexts {
  summary: string[];
  operatingComment: string[];
  volumes: string[];
  investments: string[];
  personnel: string[];
}

/** What a refresh adds for the tertial report: the figures, and the zones' texts after it. */
export interface TertialOutcome extends TertialFigures {
  texts: TertialTexts;
  /** Which zones got a fresh draft in this refresh. */
  drafted: { summary: boolean; operatingComment: boolean };
}

export interface TertialFigures {
  /** Who reports (the Verksamhet setting or cell), for the Word report's heading; null: not given. */
  subject: string | null;
  /** The log after this refresh (its period replaced or added). */
  log: ForecastLog;
  change: ForecastChange;
  investments: { result: LedgerResult; comments: (string | null)[] } | null;
  personnel: PersonnelResult | null;
  draft: SummaryDraft;
  /** Measures counted into the forecast (Inräknad = ja with an amount), for "Åtgärder inräknade i helårsprognosen". */
  includedMeasures: { area: string; text: string; amount: number; line: string | null }[];
  /** Each operating line's comment (Kommentar), in LedgerResult.lines order where known. */
  lineComments: (string | null)[];
  findings: LocatedFinding[];
}

function sheetValues(read: ReadResult, name: string): RawCell[][] | null {
  return read.sheets.find((x) => sameName(x.sheet, name))?.values ?? null;
}

/** The lines the draft may name for their change: not totals, not parents of varav lines, not unknown. */
function changedLines(
  lines: readonly LineResult[],
  changes: readonly (number | null)[],
): { label: string; change: number }[] {
  const parents = new Set(lines.map((l) => l.parent));
  return lines
    .map((l, i) => ({
      // With units the same label recurs; the draft names the line's unit too.
      label: withUnit(l.label, l.orgUnit),
      change: changes[i],
      skip: l.kind === "total" || parents.has(l.index),
    }))
    .filter((l): l is { label: string; change: number; skip: false } => l.change !== null && !l.skip);
}

/** Everything around the operating statement, from the computed result, the extra tables and what the workbook holds. */
export function computeTertial(
  result: LedgerResult,
  layout: Pick<Layout, "locate"> & Partial<Pick<Layout, "lineComments">>,
  tables: TertialInput | null,
  read: ReadResult,
  options: TertialOptions = {},
): TertialFigures {
  const findings: LocatedFinding[] = [...(tables?.readFindings ?? [])];
  const logged = readForecastLog(
    sheetValues(read, REPORT_SHEETS.log) ?? [],
    sheetValues(read, LINE_LOG_SHEET) ?? [],
  );
  // One entry for the current period, shared by the change column and the log (one per ledger line).
  const current = currentEntry(result);
  const change = forecastChanges(result, logged, current);
  const trimmed = trimForecastLog(mergeForecastLog(logged, current));
  const log = trimmed.log;
  if (trimmed.dropped.length)
    findings.push({
      level: "info",
      code: "LINE_LOG_TRIMMED",
      message: `Prognosloggen per rad rymmer högst ${formatNumber(LINE_LOG_MAX_ROWS)} rader; raderna för ${joinSv(trimmed.dropped.map(monthName))} togs bort (nettoraderna på Prognoslogg finns kvar).`,
      sheet: LINE_LOG_SHEET,
    });

  let investments: TertialFigures["investments"] = null;
  if (tables?.investments) {
    const inv = tables.investments;
    const invResult = compute(inv.input);
    investments = { result: invResult, comments: inv.comments };
    // An empty table (the template's, for a board without investments) is no slip to warn about.
    const found = invResult.findings.filter((f) => f.code !== "EMPTY_LEDGER");
    for (const f of [...found, ...budgetSignSlips(invResult)])
      findings.push({ ...f, message: `Investeringar: ${f.message}`, ...inv.locate(f) });
  }
  let personnel: PersonnelResult | null = null;
  if (tables?.personnel) {
    const per = tables.personnel;
    personnel = computePersonnel(per.rows);
    for (const f of personnel.findings)
      findings.push({ level: f.level, code: f.code, message: f.message, ...per.locate(f.row, f.field) });
  }
  result.lines.forEach((l, i) => {
    for (const x of findLookAlikes(l.label))
      findings.push({
        level: "warning",
        code: "LABEL_LOOKALIKE",
        message: `Benämningen "${l.label}" har kyrilliska eller grekiska bokstäver (${x.letters.join(", ")}) i ordet "${x.word}", som ser ut som latinska men inte är det. Skriv om ordet: "${x.folded}".`,
        line: i,
        field: "label",
        ...layout.locate({ level: "warning", code: "LABEL_LOOKALIKE", message: "", line: i, field: "label" }),
      });
  });

  const uncompared = uncomparedMessage(change);
  if (uncompared)
    findings.push({
      level: "info",
      code: "FORECAST_CHANGE_UNCOMPARED",
      message: uncompared,
      sheet: REPORT_SHEETS.log,
    });

  // The measures the core counted in (a manual forecast may keep one out), as Driftsredovisning shows them.
  const included = result.measuresApplied ?? [];
  let changed = changedLines(result.lines, change.lines);
  // Units whose lines the log cannot compare: the draft names the consolidated lines the table compares.
  if (!changed.length && (result.units?.units.length ?? 0) > 1) {
    const table = consolidate(result);
    changed = changedLines(table.lines, consolidatedChange(result, change, table).lines);
  }
  const draft = draftSummary({
    result,
    subject: options.subject,
    change:
      change.previousPeriod !== null && change.net !== null
        ? { previousPeriod: change.previousPeriod, net: change.net, lines: changed }
        : null,
    history: log.periods
      .filter((p) => p.net?.deviation !== null && p.net?.deviation !== undefined)
      .map((p) => ({ period: p.period, deviation: p.net!.deviation! })),
    measures: included.length
      ? { count: included.length, total: included.reduce((a, m) => a + m.amount, 0) }
      : null,
    // An investment table without projects (a blank template's) has nothing to say in the summary.
    investments: investments?.result.lines.length
      ? {
          deviation: investments.result.result.deviation,
          forecastDeviation: investments.result.result.forecastDeviation,
        }
      : null,
  });

  return {
    subject: options.subject?.trim() || null,
    log,
    change,
    investments,
    personnel,
    draft,
    includedMeasures: included.map((m) => ({ area: m.area, text: m.text, amount: m.amount, line: m.line })),
    lineComments: result.lines.map((l) => layout.lineComments?.[l.index] ?? null),
    findings,
  };
}

/**
 * Investments are all expenditure (or all income, for a table of grants): a project whose budget has
 * the other sign than most projects' is a minus sign left out, which no outcome shows while nothing is
 * spent yet (SIGN_SUSPECT compares the outcome with the budget). A line named for an investment income
 * (a grant, a sale, a compensation) has the other sign by right, and the table has no Radtyp to say so.
 */
const INVESTMENT_INCOME = /intäkt|inkomst|bidrag|ersättning|försäljning/i;

function budgetSignSlips(result: LedgerResult): Finding[] {
  const projects = result.lines.filter(
    (l) => l.kind !== "total" && l.annualBudget !== 0 && !INVESTMENT_INCOME.test(l.label),
  );
  const negative = projects.filter((l) => l.annualBudget < 0).length;
  const positive = projects.length - negative;
  if (negative === positive || Math.min(negative, positive) === 0) return [];
  const usual = negative > positive ? -1 : 1;
  const words = usual < 0 ? "negativa (utgifter)" : "positiva";
  const decimals = unitDecimals(result.unit);
  return projects
    .filter((l) => Math.sign(l.annualBudget) !== usual)
    .map((l) => ({
      level: "warning" as const,
      code: "SIGN_SUSPECT",
      message: `Projektet "${l.label}" har budgeten ${formatAmount(l.annualBudget, { decimals })}, men de andra projektens budgetar är ${words}; saknas ett minustecken?`,
      line: l.index,
      field: "budget",
    }));
}
