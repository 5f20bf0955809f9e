/**
 * The report for the nämnd as plain data: headings, paragraphs and tables of finished Swedish strings,
 * in the seed's order (S1: Sammanfattning, Volymutveckling, Personalnyckeltal, Driftsredovisning,
 * Investeringsredovisning; S3: Åtgärder som är inräknade i helårsprognosen; S0: Åtgärdsplan). Pure: it reads
 * what a refresh computed and the texts of the report sheets' input zones as the refresh wrote them
 * (the ekonom's own or the draft), so the Word document shows what the report sheets show. The renderer (docx.ts) only lays it out.
 *
 * Number formats as the seeds print them (shared/DOMAIN.md §1.1): space as thousands separator, an
 * explicit + on deviations, 0 without sign, ASCII minus, decimal comma, "94,9 %", mnkr with one decimal
 * (none when whole) in the action plan; volumes as S1's table prints them, whole numbers without
 * separator ("4518", "12000").
 */
import { formatAmount, formatMnkr, formatPercent, MONTHS_SV, periodLabel, unitDecimals } from "../core";
import { consolidate, consolidatedLedger, unitLedger } from "../core/consolidate";
import type { PersonnelResult } from "../core/personnel";
import type { LedgerResult, LineResult } from "../core/types";
import type { RefreshOutcome } from "../workbook/pipeline";
import {
  INVESTMENT_COMMENT,
  NOTES_HEADING,
  PERSONNEL_COMMENT,
  personnelPeriodLabel,
  ytdLabel,
  ZONE_HINT,
} from "../workbook/reports";
import { type ForecastChange, uncomparedMessage } from "../workbook/log";
import type { TertialOutcome } from "../workbook/tertial";
import { REPORT_SHEETS } from "../workbook/contract";
import type { PlanValue, SheetPlan, WritePlan } from "../workbook/types";
import { addedText, lastTotalIsNet, shownOrder } from "../workbook/reports/operating";
import { consolidatedChange, partChange, withUnit } from "../workbook/units";

export interface TableCell {
  text: string;
  /** Numbers are right-aligned. */
  numeric?: boolean;
  span?: number;
}

export interface TableRow {
  cells: TableCell[];
  header?: boolean;
  bold?: boolean;
  indent?: boolean;
}

export type Block =
  | { kind: "heading"; level: 1 | 2; text: string }
  | { kind: "paragraph"; text: string; bold?: boolean; italic?: boolean }
  | { kind: "table"; caption?: string; rows: TableRow[]; widths: number[]; small?: boolean };

export interface ReportModel {
  /** Who reports ("Socialnämnden", "Social välfärd"), above the title as in the seed reports; null: none. */
  subject: string | null;
  title: string;
  subtitle: string;
  blocks: Block[];
}

type Ok = Extract<RefreshOutcome, { ok: true }>;
export type ReportSource = Pick<Ok, "result" | "tertial" | "plan">;

/** "Tertialrapport 1 2019", "Tertialrapport 2 2019", "Årsbokslut 2019", "Månadsrapport februari 2019". */
export function reportTitle(year: number, month: number): string {
  if (month === 4 || month === 8) return `Tertialrapport ${month / 4} ${year}`;
  if (month === 12) return `Helårsuppföljning ${year}`;
  return `Månadsrapport ${MONTHS_SV[month - 1]} ${year}`;
}

const plain = (v: number | null | undefined, decimals = 0) =>
  v === null || v === undefined ? "" : formatAmount(v, { decimals });
const dev = (v: number | null | undefined, decimals = 0) =>
  v === null || v === undefined ? "" : formatAmount(v, { sign: "deviation", decimals });

const num = (text: string): TableCell => ({ text, numeric: true });
const head = (texts: string[]): TableRow => ({
  header: true,
  cells: texts.map((t, i) => ({ text: t, numeric: i > 0 })),
});

/** The values of a plan's sheet as a grid from A1 (what the host writes). */
export function planGrid(sheet: SheetPlan | undefined): PlanValue[][] {
  const g: PlanValue[][] = [];
  if (!sheet) return g;
  for (const block of sheet.values)
    block.values.forEach((row, i) =>
      row.forEach((v: PlanValue, j) => {
        const r = (g[block.row + i] ??= []);
        r[block.col + j] = v;
      }),
    );
  return Array.from(g, (r) => Array.from(r ?? [], (v) => (v === undefined ? null : v)));
}

const sheetOf = (plan: WritePlan, name: string) => plan.sheets.find((s) => s.name === name);

function ledgerTable(
  title: string,
  result: LedgerResult,
  change: Pick<ForecastChange, "lines" | "net"> | null,
  target: boolean,
): Extract<Block, { kind: "table" }> {
  const end = periodLabel(result.period);
  const d = unitDecimals(result.unit);
  const header = [
    "",
    `Utfall per ${end}`,
    `Budget per ${end}`,
    `Avvikelse per ${end}`,
    `Prognos budgetavvikelse helår ${result.period.year}`,
  ];
  if (change) header.push("Förändring mot föregående prognos");
  const rows: TableRow[] = [head(header)];
  const line = (
    l: Pick<LineResult, "label" | "actual" | "periodBudget" | "deviation" | "forecastDeviation">,
    c: number | null,
    kind: string,
  ) => ({
    bold: kind === "total",
    indent: kind === "ofWhich",
    cells: [
      { text: l.label },
      num(plain(l.actual, d)),
      num(plain(l.periodBudget, d)),
      num(dev(l.deviation, d)),
      num(dev(l.forecastDeviation, d)),
      ...(change ? [num(dev(c, d))] : []),
    ],
  });
  for (const i of shownOrder(result.lines)) {
    const l = result.lines[i];
    rows.push(line(l, change?.lines[i] ?? null, l.kind));
  }
  const net = result.result;
  // As on the sheet: a Summa row unless the last total line is the net result.
  if (!lastTotalIsNet(result))
    rows.push(line({ label: "Summa", actual: net.actual, periodBudget: net.periodBudget, deviation: net.deviation, forecastDeviation: net.forecastDeviation }, change?.net ?? null, "total")); // prettier-ignore
  if (target && net.balanceTarget !== null) {
    const tail = change ? [num("")] : [];
    rows.push({ cells: [{ text: "Ekonomi i balans" }, num(""), num(""), num(""), num(dev(net.balanceTarget, d)), ...tail] }); // prettier-ignore
    rows.push({
      bold: true,
      cells: [{ text: "Avvikelse jämfört ekonomi i balans" }, num(""), num(""), num(""), num(dev(net.deviationVsBalanceTarget, d)), ...tail], // prettier-ignore
    });
  }
  const widths = change ? [28, 14, 14, 14, 15, 15] : [36, 16, 16, 16, 16];
  return {
    kind: "table",
    caption: `${title}, nettoresultat (${result.unit})`,
    rows,
    widths,
    small: !!change,
  };
}

function volumeTable(result: LedgerResult): Block | null {
  if (!result.volumes.length) return null;
  const { year, month } = result.period;
  const whole = (v: number | null) => (v === null ? "" : String(Math.round(v)));
  const rows: TableRow[] = [
    head(["Volymmått", `Utfall ${ytdLabel(year, month)}`, `Prognos ${year}`, `Utfall ${year - 1}`]),
  ];
  for (const v of result.volumes)
    rows.push({
      cells: [
        { text: v.label },
        num(whole(v.actual)),
        num(whole(v.forecast)),
        num(typeof v.lastYear === "number" ? whole(v.lastYear) : (v.lastYear ?? "")),
      ],
    });
  return { kind: "table", rows, widths: [55, 15, 15, 15] };
}

function personnelTable(result: LedgerResult, t: TertialOutcome): Block | null {
  const p = t.personnel;
  if (!p) return null;
  const { year, month } = result.period;
  const show = (v: number | null, unit: "count" | "percent" | null) =>
    v === null ? "" : unit === "percent" ? formatPercent(v) : formatAmount(v);
  const rows: TableRow[] = [
    {
      header: true,
      cells: [{ text: "" }, { text: "Mätdatum/ mätperiod" }, { text: personnelPeriodLabel(year, month), span: 3 }, { text: personnelPeriodLabel(year - 1, month), span: 3 }], // prettier-ignore
    },
    head(["", "", "Totalt", "Kvinnor", "Män", "Totalt", "Kvinnor", "Män"]),
  ];
  for (const r of p.rows) {
    if (r.kind === "section") {
      rows.push({ bold: true, cells: [{ text: r.label, span: 8 }] });
      continue;
    }
    const f = [
      r.current.total,
      r.current.women,
      r.current.men,
      r.lastYear.total,
      r.lastYear.women,
      r.lastYear.men,
    ];
    rows.push({
      indent: r.kind === "ofWhich",
      cells: [{ text: r.label }, { text: r.date ?? "" }, ...f.map((v) => num(show(v, r.unit)))],
    });
  }
  return { kind: "table", rows, widths: [25, 13, 10, 11, 10, 10, 11, 10], small: true };
}

function measuresBlocks(t: TertialOutcome, result: LedgerResult): Block[] {
  if (!t.includedMeasures.length)
    return [{ kind: "paragraph", text: "Inga åtgärder är inräknade i helårsprognosen.", italic: true }];
  const d = unitDecimals(result.unit);
  const rows: TableRow[] = [head(["Åtgärd", "Post", `Belopp (${result.unit})`])];
  for (const m of t.includedMeasures)
    rows.push({ cells: [{ text: `${m.area}: ${m.text}` }, { text: m.line ?? "Åtgärder inräknade i prognosen" }, num(plain(m.amount, d))] }); // prettier-ignore
  const total = t.includedMeasures.reduce((a, m) => a + m.amount, 0);
  rows.push({ bold: true, cells: [{ text: "Summa" }, { text: "" }, num(plain(total, d))] });
  return [{ kind: "table", rows, widths: [60, 25, 15] }];
}

/**
 * The Åtgärdsplan sheet as paragraphs: what the ekonom sees there, in its own wording, less what is for
 * the workbook only (the line about the yellow cells, the sheet's own notes) and less the Återrapport
 * rows nobody has filled in yet (five empty rows per area say nothing to the nämnd).
 */
function actionPlanBlocks(plan: WritePlan, followUps: readonly string[]): Block[] {
  const sheet = sheetOf(plan, REPORT_SHEETS.actionPlan);
  if (!sheet) return [];
  const grid = planGrid(sheet);
  const bold = (r: number) =>
    sheet.formats.some(
      (f) => f.style.bold && r >= f.rect.row && r < f.rect.row + f.rect.rows && f.rect.col === 0,
    );
  const notes = grid.map((row) => row[0]).lastIndexOf(NOTES_HEADING);
  const out: Block[] = [];
  grid.slice(0, notes < 0 ? grid.length : notes).forEach((row, r) => {
    if (r === 0) return; // the title: the document's heading says it
    const label = typeof row[0] === "string" ? row[0] : "";
    if (label === ZONE_HINT) return;
    const value = row[1];
    const amount =
      typeof value === "number" ? formatMnkr(value) : typeof value === "string" ? value.trim() : "";
    if (!amount && followUps.includes(label)) return;
    // "Ej medräknat, belopp ges senare: Vuxenplaceringar" already has its colon: the amount follows a dash.
    const text = amount ? `${label}${label.includes(":") ? " – " : ": "}${amount}` : label;
    if (text.trim()) out.push({ kind: "paragraph", text, bold: bold(r) });
  });
  return out;
}

/** The placeholder under a comment heading nobody has written. */
export const NO_COMMENT = "Ingen kommentar har skrivits.";
/** S3's heading, as on Driftsredovisning. */
const MEASURES_HEADING = "Åtgärder som är inräknade i helårsprognosen";

function hasFigures(p: PersonnelResult): boolean {
  return p.rows.some((r) =>
    [r.current, r.lastYear].some((y) => y.total !== null || y.women !== null || y.men !== null),
  );
}

function texts(paragraphs: string[]): Block[] {
  return paragraphs.map((text) => ({ kind: "paragraph", text }));
}

/** As under the sheet's table: why lines have no change since the previous forecast, which lines are new. */
function changeNotes(result: LedgerResult, change: ForecastChange | null): Block[] {
  if (!change) return [];
  return [uncomparedMessage(change), addedText(result, change)].flatMap((text) =>
    text ? [{ kind: "paragraph" as const, text, italic: true }] : [],
  );
}

/**
 * Driftsredovisning's table; with units (Ansvar), as the report sheet has it (units.ts): the consolidated
 * table (with the balance target), then one table per unit; with a single unit, its own table.
 */
function operatingTables(result: LedgerResult, t: TertialOutcome): Block[] {
  const change = t.change.previousPeriod ? t.change : null;
  const units = result.units?.units ?? [];
  if (units.length < 2) {
    const own = ledgerTable("Driftsredovisning", result, change, true);
    return [
      units.length ? { ...own, caption: `${own.caption}, ${units[0].name}` } : own,
      ...changeNotes(result, change),
    ];
  }
  const table = consolidate(result);
  const ledger = consolidatedLedger(result, table);
  const wholeChange = change && consolidatedChange(result, change, table);
  const tables: Block[] = [ledgerTable("Driftsredovisning", ledger, wholeChange, true)];
  tables.push(...changeNotes(ledger, wholeChange));
  units.forEach((unit, u) => {
    const unitChange = change && partChange(change, result.lines, unit.lines);
    const own = unitLedger(result, u);
    tables.push(ledgerTable(unit.name, own, unitChange, false));
    // The reason the column is blank is said once, under the consolidated table.
    const added = unitChange && addedText(own, unitChange);
    if (added) tables.push({ kind: "paragraph", text: added, italic: true });
  });
  return tables;
}

/** The whole report. */
export function buildReportModel(source: ReportSource): ReportModel {
  const { result, tertial: t, plan } = source;
  const { year, month } = result.period;
  const blocks: Block[] = [];
  const h1 = (text: string) => blocks.push({ kind: "heading", level: 1, text });
  // Every comment heading is printed, as in the seed; one nobody has written gets a placeholder, so the
  // unfinished report shows where text is missing (DOMAIN §1.4).
  const comment = (heading: string, paragraphs: string[]) => {
    const written = paragraphs.filter((p) => p.trim());
    blocks.push({ kind: "heading", level: 2, text: heading });
    blocks.push(
      ...(written.length ? texts(written) : [{ kind: "paragraph" as const, text: NO_COMMENT, italic: true }]),
    );
  };

  h1("Sammanfattning");
  blocks.push(...texts(t.texts.summary));

  // A table the workbook has no figures for is left out with its section (a blank template's sections).
  const volumes = volumeTable(result);
  if (volumes) {
    h1("Volymutveckling");
    blocks.push(volumes);
    comment("Kommentar till volymutveckling", t.texts.volumes);
  }

  if (t.personnel && hasFigures(t.personnel)) {
    h1("Personalnyckeltal");
    blocks.push(personnelTable(result, t)!);
    comment(PERSONNEL_COMMENT, t.texts.personnel);
  }

  h1("Driftsredovisning");
  blocks.push(...operatingTables(result, t));
  const lineComments = result.lines.flatMap((l, i) => {
    const c = t.lineComments[i];
    return c ? [`${withUnit(l.label, l.orgUnit)}: ${c}`] : [];
  });
  comment("Kommentar till driftsredovisning", [...t.texts.operatingComment, ...lineComments]);

  if (t.investments?.result.lines.length) {
    const { result: invested, comments } = t.investments;
    h1("Investeringsredovisning");
    blocks.push(ledgerTable("Investeringsredovisning", invested, null, false));
    const projectComments = invested.lines.flatMap((l, i) =>
      comments[i] ? [`${l.label}: ${comments[i]}`] : [],
    );
    comment(INVESTMENT_COMMENT, [...t.texts.investments, ...projectComments]);
  }

  h1(MEASURES_HEADING);
  blocks.push(...measuresBlocks(t, result));

  if (result.actionPlan.areas.length) {
    h1(`Åtgärdsplan utifrån budgetuppföljning ${year}${t.subject ? `, ${t.subject}` : ""}`);
    blocks.push(...actionPlanBlocks(plan, result.actionPlan.followUps));
  }
  return {
    subject: t.subject,
    title: reportTitle(year, month),
    subtitle: `Per ${periodLabel(result.period)}`,
    blocks,
  };
}
