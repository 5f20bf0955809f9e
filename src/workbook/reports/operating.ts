/**
 * Driftsredovisning (S1 §4.1): the operating statement, the measures counted into the forecast (as S3's
 * "Åtgärder som är inräknade i helårsprognosen"), the line comments, the ekonom's comment (S1's
 * "Kommentar till driftsredovisning") and a note area.
 */
import { MEASURES_LINE_LABEL, monthName, periodLabel } from "../../core";
import type { LedgerResult, LineResult } from "../../core/types";
import { REPORT_SHEETS } from "../contract";
import { type ForecastChange, uncomparedMessage } from "../log";
import type { CellStyle, PlanValue } from "../types";
import type { SheetCarry } from "./carry";
import { amountFormats, BOLD, type BuiltSheet, NOTE, OFWHICH, type PageInfo, Sheet } from "./common";

const TOTAL: CellStyle = { bold: true, borderTop: "thin" };
const LABEL: CellStyle = { wrap: true };
const OFWHICH_WRAP: CellStyle = { ...OFWHICH, wrap: true };

/** The workbook-scoped names of the statement's key results (docs/TEMPLATE.md). */
export const OPERATING_NAMES = {
  actual: "Uppf_UtfallHittills",
  periodBudget: "Uppf_BudgetHittills",
  deviation: "Uppf_AvvikelseHittills",
  forecastDeviation: "Uppf_PrognosavvikelseHelar",
  balanceTarget: "Uppf_Balansmal",
  vsBalanceTarget: "Uppf_AvvikelseBalansmal",
  beforeMeasures: "Uppf_PrognosavvikelseForeAtgarder",
  measures: "Uppf_AtgarderInraknade",
} as const;

/** What the tertial report adds: the change since the previous forecast, a draft of the comment. */
export interface OperatingExtras {
  /** A sixth column "Förändring mot föregående prognos" (empty when the log has no earlier period). */
  change?: ForecastChange;
  /** The comment zone's draft (core/summary.ts), written only into an empty zone or when `redraft`. */
  draft?: string;
  redraft?: boolean;
}

/** A unit's section below the consolidated table (units.ts): its own title, lines, comments and change. */
export interface StatementSection {
  title: string;
  result: LedgerResult;
  comments: (string | null)[];
  change?: ForecastChange;
}

/**
 * For a ledger with units (units.ts): another sheet name and title (a unit's own sheet, which leaves the
 * key-result names to the consolidated sheet), the ledger whose measures and findings the measures
 * section shows, and the unit sections drawn below the consolidated table.
 */
export interface StatementOptions extends OperatingExtras {
  sheet?: string;
  title?: string;
  keyNames?: boolean;
  measuresOf?: LedgerResult;
  sections?: readonly StatementSection[];
}

export function operatingStatement(
  result: LedgerResult,
  comments: (string | null)[],
  carry: SheetCarry,
  page: PageInfo,
  opts: StatementOptions = {},
): BuiltSheet {
  const change = opts.change;
  const cols = change ? 6 : 5;
  const widths = [48, 16, 16, 16, 28, ...(change ? [22] : [])];
  const s = new Sheet(opts.sheet ?? REPORT_SHEETS.operatingStatement, widths, carry);
  const fmt = amountFormats(result.unit);
  s.title(opts.title ?? `Driftsredovisning, nettoresultat (${result.unit})`, cols);
  headerRow(s, result, cols);
  const { netRow, balanceRow, vsRow } = table(s, result, fmt, cols, change);
  if (change) {
    s.text(
      change.previousPeriod
        ? `Förändring mot föregående prognos: jämfört med prognosen för ${monthName(change.previousPeriod)} (Prognoslogg).`
        : "Förändring mot föregående prognos: Prognoslogg har ingen tidigare prognos ännu.",
      NOTE,
      cols,
    );
    const why = uncomparedMessage(change);
    if (why) s.text(why, NOTE, cols);
    addedNote(s, result, change, cols);
  }
  // An empty cell for the names whose figure this refresh does not have (no balance target, no measures).
  const empty = s.row;
  s.skip();

  const keyNames = opts.keyNames !== false;
  if (keyNames) {
    s.name(OPERATING_NAMES.actual, netRow, 1);
    s.name(OPERATING_NAMES.periodBudget, netRow, 2);
    s.name(OPERATING_NAMES.deviation, netRow, 3);
    s.name(OPERATING_NAMES.forecastDeviation, netRow, 4);
    s.name(OPERATING_NAMES.balanceTarget, balanceRow >= 0 ? balanceRow : empty, 4);
    s.name(OPERATING_NAMES.vsBalanceTarget, vsRow >= 0 ? vsRow : empty, 4);
  }
  const measureRows = measuresSection(s, opts.measuresOf ?? result, fmt.deviation, cols);
  if (keyNames) {
    s.name(OPERATING_NAMES.beforeMeasures, measureRows?.before ?? netRow, 4);
    s.name(OPERATING_NAMES.measures, measureRows?.sum ?? empty, 4);
  }
  s.lineComments("Kommentarer per post", result.lines, comments, cols);
  for (const section of opts.sections ?? []) {
    s.skip();
    s.title(section.title, cols);
    headerRow(s, section.result, cols);
    table(s, section.result, fmt, cols, change && (section.change ?? null));
    if (section.change) addedNote(s, section.result, section.change, cols);
    s.skip();
    s.lineComments("Kommentarer per post", section.result.lines, section.comments, cols);
  }
  s.line(["Kommentar till driftsredovisning"], BOLD);
  s.hint(cols);
  if (opts.draft)
    s.draftZoneRow("comment", cols, "Kommentar till driftsredovisning", opts.draft, !!opts.redraft);
  else s.zoneRow("comment", cols, "Kommentar till driftsredovisning");
  s.notes(cols);

  s.plan.freeze = { rows: 2, cols: 1 };
  s.print(
    { orientation: "landscape", fitToWidth: true, repeatRows: { first: 1, last: 1 } },
    opts.sheet ?? "Driftsredovisning",
    page,
  );
  return s.done();
}

/** The note naming the lines new since the previous forecast, whose change counts from 0; null without. */
export function addedText(result: LedgerResult, change: ForecastChange): string | null {
  const added = result.lines.filter((_, i) => change.added?.[i]).map((l) => l.label);
  if (!added.length || !change.previousPeriod) return null;
  const list = added.length <= 5 ? added.join("; ") : `${added.slice(0, 5).join("; ")} m.fl.`;
  const what = added.length > 1 ? "Nya rader" : "Ny rad";
  return `${what} sedan ${monthName(change.previousPeriod)}, förändringen räknad från 0: ${list}.`;
}

function addedNote(s: Sheet, result: LedgerResult, change: ForecastChange, cols: number): void {
  const text = addedText(result, change);
  if (text) s.text(text, NOTE, cols);
}

/**
 * The order the statement shows the lines in: the ledger's, except that the extra line "Åtgärder
 * inräknade i prognosen" (the core appends it last) goes above the last total line without a unit,
 * which already counts it, so the rows above Summa add up to Summa.
 */
export function shownOrder(lines: readonly LineResult[]): number[] {
  const order = lines.map((_, i) => i);
  const extra = lines.length - 1;
  if (extra < 0 || lines[extra].label !== MEASURES_LINE_LABEL || lines[extra].kind !== "cost") return order;
  let total = -1;
  for (let i = 0; i < extra; i++) if (lines[i].kind === "total" && !lines[i].orgUnit) total = i;
  if (total < 0) return order;
  return [...order.slice(0, total), extra, ...order.slice(total, extra)];
}

/** Whether the ledger's last total line is its net result (else the statement adds a Summa row for it). */
export function lastTotalIsNet(result: LedgerResult): boolean {
  const net = result.result;
  const last = [...result.lines].reverse().find((l) => l.kind === "total");
  return (
    last !== undefined &&
    last.actual === net.actual &&
    last.deviation === net.deviation &&
    last.forecastDeviation === net.forecastDeviation
  );
}

function headerRow(s: Sheet, result: LedgerResult, cols: number): void {
  const end = periodLabel(result.period);
  const r = s.header([
    "",
    `Utfall per ${end}`,
    `Budget per ${end}`,
    `Avvikelse per ${end}`,
    `Prognos budgetavvikelse helår ${result.period.year}`,
    ...(cols > 5 ? ["Förändring mot föregående prognos"] : []),
  ]);
  s.format(
    { row: r, col: 1, rows: 1, cols: cols - 1 },
    { horizontalAlignment: "right", bold: true, wrap: true },
  );
}

/**
 * The lines, the net result (unless the last total line is it) and the balance target; with `cols` 6 the
 * change since the previous forecast per line (`change` null: a section whose change is not known).
 */
function table(
  s: Sheet,
  result: LedgerResult,
  fmt: { plain: string; deviation: string },
  cols: number,
  change: ForecastChange | null | undefined,
): { netRow: number; balanceRow: number; vsRow: number } {
  const tail = (v: number | null): PlanValue[] => (cols > 5 ? [v] : []);
  const first = s.row;
  let lastTotal = -1;
  // A plain loop and one array per row: this runs once per ledger line.
  for (const i of shownOrder(result.lines)) {
    const l = result.lines[i];
    // Made at its length: an array literal pushed onto reserves room for 17 more cells.
    const row: PlanValue[] =
      cols > 5
        ? [l.label, l.actual, l.periodBudget, l.deviation, l.forecastDeviation, change?.lines[i] ?? null]
        : [l.label, l.actual, l.periodBudget, l.deviation, l.forecastDeviation];
    const r = s.line(row);
    if (l.kind === "ofWhich") s.format({ row: r, col: 0, rows: 1, cols: 1 }, OFWHICH_WRAP);
    // A varav label's indent takes about two characters of the column.
    s.fit(r, 0, 1, l.kind === "ofWhich" ? `xx${l.label}` : l.label, undefined, l.kind === "total");
    if (l.kind === "total") {
      s.format({ row: r, col: 0, rows: 1, cols }, TOTAL);
      lastTotal = r;
    }
  }
  const net = result.result;
  let netRow = lastTotal;
  if (!lastTotalIsNet(result)) {
    netRow = s.line([
      "Summa",
      net.actual,
      net.periodBudget,
      net.deviation,
      net.forecastDeviation,
      ...tail(change?.net ?? null),
    ]);
    s.format({ row: netRow, col: 0, rows: 1, cols }, TOTAL);
  }
  let balanceRow = -1;
  let vsRow = -1;
  if (net.balanceTarget !== null) {
    balanceRow = s.line(["Ekonomi i balans", null, null, null, net.balanceTarget, ...tail(null)]);
    vsRow = s.line([
      "Avvikelse jämfört ekonomi i balans",
      null,
      null,
      null,
      net.deviationVsBalanceTarget,
      ...tail(null),
    ]);
    s.format({ row: vsRow, col: 0, rows: 1, cols }, BOLD);
  }
  const rows = s.row - first;
  s.format({ row: first, col: 0, rows, cols: 1 }, LABEL);
  s.format({ row: first, col: 1, rows, cols: 2 }, { numberFormat: fmt.plain });
  s.format({ row: first, col: 3, rows, cols: cols - 3 }, { numberFormat: fmt.deviation });
  return { netRow, balanceRow, vsRow };
}

/**
 * "Åtgärder som är inräknade i helårsprognosen": the forecast deviation before measures, each measure
 * counted in, the deviation after; then the measures a manual forecast kept out. Null when there are none.
 */
function measuresSection(
  s: Sheet,
  result: LedgerResult,
  deviationFormat: string,
  cols: number,
): { before: number; sum: number } | null {
  const applied = result.measuresApplied ?? [];
  const keptOut = result.findings.filter((f) => f.code === "MEASURE_MANUAL_FINAL");
  if (applied.length === 0 && keptOut.length === 0) return null;
  const sum = applied.reduce((t, m) => t + m.amount, 0);
  const after = result.result.forecastDeviation;
  s.line(["Åtgärder som är inräknade i helårsprognosen"], BOLD);
  const first = s.row;
  const before = s.line(["Prognos budgetavvikelse helår före åtgärder", null, null, null, after - sum]);
  for (const m of applied) {
    const where = m.line === null ? "egen rad i prognosen" : `posten ${m.line}`;
    const label = `${m.area}: ${m.text || "(utan text)"} (${where})`;
    const r = s.line([label, null, null, null, m.amount]);
    s.merge({ row: r, col: 0, rows: 1, cols: 4 });
    s.format({ row: r, col: 0, rows: 1, cols: 1 }, { ...OFWHICH, wrap: true, verticalAlignment: "top" });
    s.fit(r, 0, 4, label);
  }
  const sumRow = s.line(["Summa inräknade åtgärder", null, null, null, sum]);
  s.format({ row: sumRow, col: 0, rows: 1, cols: 1 }, OFWHICH);
  const afterRow = s.line(["Prognos budgetavvikelse helår efter åtgärder", null, null, null, after]);
  s.format({ row: afterRow, col: 0, rows: 1, cols: cols }, TOTAL);
  s.format({ row: first, col: 4, rows: s.row - first, cols: 1 }, { numberFormat: deviationFormat });
  for (const f of keptOut) s.text(`Inte inräknad: ${f.message}`, NOTE, cols);
  s.skip();
  return { before, sum: sumRow };
}
