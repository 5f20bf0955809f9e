/**
 * The report sheets the product owns (recreated on every refresh): Driftsredovisning (S1 §4.1),
 * Åtgärdsplan (S0), Volymmått (S1 §1.2), Kontroller and Prognoslogg. Each builder returns a SheetPlan;
 * user text (labels, measures, comments) is placed as plain strings, which hosts write as text.
 */
import { convertUnit, formatMnkr, periodLabel, roundHalfAwayFromZero } from "../core";
import type { LedgerResult, Unit } from "../core/types";
import { sheetPrefix } from "./a1";
import { REPORT_SHEETS } from "./contract";
import { MONTHS_SV, serialToDate } from "./input";
import type { ForecastChange } from "./log";
import type { CellStyle, LocatedFinding, PlanValue, RawCell, Rect, SheetPlan } from "./types";

export { REPORT_SHEETS };

/**
 * Excel number formats in the file's invariant notation ("," = thousands separator, "." = decimal
 * point); Excel shows them with the user's separators, in Swedish Excel "+2 332" and "-17 223".
 */
export function amountFormats(unit: Unit): { plain: string; deviation: string } {
  const d = unit === "mkr" ? ".0" : "";
  return { plain: `#,##0${d};-#,##0${d};0`, deviation: `+#,##0${d};[Red]-#,##0${d};0` };
}

/** The action plan's mnkr cells: one decimal at most, none when integral ("1 mnkr", "1,2 mnkr"). */
export const MNKR_FORMAT = 'General" mnkr"';
const COUNT_FORMAT = "#,##0";

const TITLE: CellStyle = { bold: true, fontSize: 14 };
const HEADER: CellStyle = { bold: true, wrap: true, verticalAlignment: "bottom", borderBottom: "thin" };
/** Points: two lines of 11 pt text. */
const HEADER_HEIGHT = 30;
const NOTE: CellStyle = { italic: true, fontColor: "#595959" };

function sameStyle(a: CellStyle, b: CellStyle): boolean {
  const ka = Object.keys(a) as (keyof CellStyle)[];
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** A small helper that appends rows to a SheetPlan. */
class Sheet {
  readonly plan: SheetPlan;
  row = 0;
  constructor(name: string) {
    this.plan = { name, owned: true, values: [], formats: [], merges: [], columnWidths: [], charts: [] };
  }
  /**
   * Writes one row at the current row and advances. A row right below the previous one, at the same
   * column and as wide, extends that block: a 5 000-line report is a few blocks, not 5 000 (fewer
   * operations and bytes per request in Office.js, fewer calls in the .xlsx host).
   */
  line(values: PlanValue[], style?: CellStyle, col = 0): number {
    const r = this.row++;
    const prev = this.plan.values[this.plan.values.length - 1];
    if (
      prev &&
      prev.col === col &&
      prev.row + prev.values.length === r &&
      prev.values[0].length === values.length
    )
      prev.values.push(values);
    else this.plan.values.push({ row: r, col, values: [values] });
    if (style) this.format({ row: r, col, rows: 1, cols: values.length }, style);
    return r;
  }
  skip(n = 1): void {
    this.row += n;
  }
  /** Adds a format; one directly below the previous format, as wide and with the same style, extends it. */
  format(rect: Rect, style: CellStyle): void {
    const prev = this.plan.formats[this.plan.formats.length - 1];
    if (
      prev &&
      prev.rect.col === rect.col &&
      prev.rect.cols === rect.cols &&
      prev.rect.row + prev.rect.rows === rect.row &&
      sameStyle(prev.style, style)
    )
      prev.rect = { ...prev.rect, rows: prev.rect.rows + rect.rows };
    else this.plan.formats.push({ rect, style });
  }
  merge(rect: Rect): void {
    this.plan.merges.push(rect);
  }
  /** A header row: bold, wrapped, two lines high so "Prognos budgetavvikelse helår 2019" shows whole. */
  header(values: PlanValue[], col = 0): number {
    const r = this.line(values, HEADER, col);
    (this.plan.rowHeights ??= []).push({ row: r, height: HEADER_HEIGHT });
    return r;
  }
  widths(...widths: number[]): void {
    this.plan.columnWidths = widths.map((width, col) => ({ col, width }));
  }
}

/** "Utfall jan-april 2019" (January alone: "Utfall januari 2019"). */
export function ytdLabel(year: number, month: number): string {
  return month === 1 ? `januari ${year}` : `jan-${MONTHS_SV[month - 1]} ${year}`;
}

// ---------------------------------------------------------------------------------------------------

/**
 * `change` (optional): each line's change of forecast deviation since the previous forecast (log.ts),
 * shown in a sixth column "Förändring mot föregående prognos".
 */
export function operatingStatement(
  result: LedgerResult,
  comments: (string | null)[],
  change?: ForecastChange,
): SheetPlan {
  const s = new Sheet(REPORT_SHEETS.operatingStatement);
  const cols = change ? 6 : 5;
  const changeOf = (i: number): PlanValue[] => (change ? [change.lines[i] ?? null] : []);
  const { year } = result.period;
  const end = periodLabel(result.period);
  const fmt = amountFormats(result.unit);
  s.line([`Driftsredovisning, nettoresultat (${result.unit})`], TITLE);
  s.merge({ row: 0, col: 0, rows: 1, cols });
  s.header([
    "",
    `Utfall per ${end}`,
    `Budget per ${end}`,
    `Avvikelse per ${end}`,
    `Prognos budgetavvikelse helår ${year}`,
    ...(change ? ["Förändring mot föregående prognos"] : []),
  ]);
  const first = s.row;
  result.lines.forEach((l, i) => {
    const r = s.line([l.label, l.actual, l.periodBudget, l.deviation, l.forecastDeviation, ...changeOf(i)]);
    if (l.kind === "ofWhich") s.format({ row: r, col: 0, rows: 1, cols: 1 }, { indent: 1 });
    if (l.kind === "total") s.format({ row: r, col: 0, rows: 1, cols }, { bold: true, borderTop: "thin" });
  });
  const net = result.result;
  const none: PlanValue[] = change ? [null] : [];
  if (!result.lines.some((l) => l.kind === "total")) {
    const netChange: PlanValue[] = change ? [change.net] : [];
    const r = s.line([
      "Summa",
      net.actual,
      net.periodBudget,
      net.deviation,
      net.forecastDeviation,
      ...netChange,
    ]);
    s.format({ row: r, col: 0, rows: 1, cols }, { bold: true, borderTop: "thin" });
  }
  if (net.balanceTarget !== null) {
    s.line(["Ekonomi i balans", null, null, null, net.balanceTarget, ...none]);
    const r = s.line([
      "Avvikelse jämfört ekonomi i balans",
      null,
      null,
      null,
      net.deviationVsBalanceTarget,
      ...none,
    ]);
    s.format({ row: r, col: 0, rows: 1, cols }, { bold: true });
  }
  const rows = s.row - first;
  s.format({ row: first, col: 1, rows, cols: 2 }, { numberFormat: fmt.plain });
  s.format({ row: first, col: 3, rows, cols: cols - 3 }, { numberFormat: fmt.deviation });
  s.format({ row: 1, col: 1, rows: 1, cols: cols - 1 }, { horizontalAlignment: "right" });
  if (change?.previousPeriod) {
    const r = s.line([`Föregående prognos: ${change.previousPeriod} (Prognoslogg).`], NOTE);
    s.merge({ row: r, col: 0, rows: 1, cols });
  }

  const withComments = result.lines.filter((l) => comments[l.index]);
  if (withComments.length) {
    s.skip();
    s.line(["Kommentarer"], { bold: true });
    for (const l of withComments) {
      const r = s.line([`${l.label}: ${comments[l.index]}`], { wrap: true, verticalAlignment: "top" });
      s.merge({ row: r, col: 0, rows: 1, cols });
    }
  }
  s.widths(44, 16, 16, 16, 22, ...(change ? [18] : []));
  s.plan.freeze = { rows: 2, cols: 1 };
  s.plan.print = { orientation: "landscape", fitToWidth: true, repeatRows: { first: 1, last: 1 } };
  return s.plan;
}

// ---------------------------------------------------------------------------------------------------

const mnkr = (x: number, unit: Unit) => roundHalfAwayFromZero(convertUnit(x, unit, "mkr"), 0.1);

function joinSv(items: string[]): string {
  return items.length <= 1
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} och ${items[items.length - 1]}`;
}

/** "Ekonomiskt bistånd" → "ekonomiskt bistånd", but "IFO-skola" and "Ludvikamodellen" as the user wrote them. */
function lowerFirst(s: string): string {
  return /^[A-ZÅÄÖ][a-zåäö]/.test(s) && !/^Ludvika/.test(s) ? s[0].toLowerCase() + s.slice(1) : s;
}

export function actionPlan(result: LedgerResult): SheetPlan {
  const s = new Sheet(REPORT_SHEETS.actionPlan);
  const { year } = result.period;
  const plan = result.actionPlan;
  const unit = result.unit;
  s.line([`Åtgärdsplan utifrån budgetuppföljning ${year}`], TITLE);
  s.merge({ row: 0, col: 0, rows: 1, cols: 2 });
  s.line([`Prognos per ${periodLabel(result.period)}. Belopp i mnkr.`], NOTE);
  s.skip();
  const amountRow = (label: string, value: PlanValue) => {
    const r = s.line([label, value]);
    s.format(
      { row: r, col: 1, rows: 1, cols: 1 },
      { numberFormat: MNKR_FORMAT, horizontalAlignment: "right" },
    );
  };
  const followUps = () => {
    for (const f of plan.followUps) s.line([f]);
  };
  const decidedLabel = `Utebliven kostnad, beslutad för ${year}`;

  if (plan.areas.length === 0) {
    s.line(["Inga åtgärder är angivna (namnet Atgarder saknas eller är tomt)."], NOTE);
  }
  for (const area of plan.areas) {
    s.line([`${area.number}. ${area.name}`], { bold: true });
    for (const m of area.measures) {
      const r = s.line([`${m.letter}) ${m.text}`], { wrap: true, verticalAlignment: "top" });
      s.merge({ row: r, col: 0, rows: 1, cols: 2 });
    }
    const forecastLabel = `Prognos utebliven kostnad för ${lowerFirst(area.name)}`;
    const onlyDecided = area.decidedTotal !== 0 && area.forecastTotal === 0;
    let amounts = 0;
    if (area.total !== null && !onlyDecided) {
      amountRow(forecastLabel, mnkr(area.forecastTotal, unit));
      amounts++;
    } else if (area.pendingTexts.length) {
      amountRow(forecastLabel, area.pendingTexts.join("; "));
      amounts++;
    }
    if (area.decidedTotal !== 0) {
      amountRow(decidedLabel, mnkr(area.decidedTotal, unit));
      amounts++;
    }
    if (amounts) followUps();
    s.skip();
  }

  if (plan.areas.length) {
    s.line(["Summering:"], { bold: true });
    const pendingAreas = new Set(plan.areas.filter((a) => a.pendingTexts.length).map((a) => a.name));
    const excluded: { name: string; why: string }[] = [];
    // Decided items first (as the seed's "exkl Ludvikamodellen"), then the amounts not yet given.
    const order = { decided: 0, notGiven: 1 } as const;
    for (const e of [...plan.excluded].sort((a, b) => order[a.reason] - order[b.reason])) {
      if (excluded.some((x) => x.name === e.area)) continue;
      const area = plan.areas.find((a) => a.name === e.area);
      if (e.reason === "decided" && area)
        excluded.push({ name: e.area, why: `beslutad, ${formatMnkr(mnkr(area.decidedTotal, unit))}` });
      else if (e.reason === "notGiven" && pendingAreas.has(e.area) && area)
        excluded.push({ name: e.area, why: lowerFirst(area.pendingTexts[0]) });
    }
    const names = excluded.map((x) => x.name);
    amountRow(
      names.length ? `Prognos utebliven kostnad, exkl ${joinSv(names)}` : "Prognos utebliven kostnad",
      mnkr(plan.forecastTotal, unit),
    );
    if (excluded.length) {
      const r = s.line([`Ej medräknat: ${excluded.map((x) => `${x.name} (${x.why})`).join(", ")}.`], NOTE);
      s.merge({ row: r, col: 0, rows: 1, cols: 2 });
    }
    followUps();
    if (plan.decidedTotal !== 0) amountRow(decidedLabel, mnkr(plan.decidedTotal, unit));
  }
  s.widths(70, 26);
  s.plan.print = { orientation: "portrait", fitToWidth: true };
  return s.plan;
}

// ---------------------------------------------------------------------------------------------------

export function volumes(result: LedgerResult): SheetPlan {
  const s = new Sheet(REPORT_SHEETS.volumes);
  const { year, month } = result.period;
  s.header([
    "Volymmått",
    `Utfall ${ytdLabel(year, month)}`,
    `Prognos ${year}`,
    `Utfall ${year - 1}`,
    `Förslag (takt) ${year}`,
  ]);
  const first = s.row;
  // The seed's three columns first, so the first four columns paste as S1's table; the suggestion after.
  for (const v of result.volumes) s.line([v.label, v.actual, v.forecast ?? null, v.lastYear, v.suggestion]);
  if (result.volumes.length === 0)
    s.line(["Inga volymmått är angivna (namnet Volymer saknas eller är tomt)."], NOTE);
  else {
    s.format({ row: first, col: 1, rows: s.row - first, cols: 4 }, { numberFormat: COUNT_FORMAT });
    s.format({ row: first, col: 3, rows: s.row - first, cols: 1 }, { horizontalAlignment: "right" });
  }
  s.format({ row: 0, col: 1, rows: 1, cols: 4 }, { horizontalAlignment: "right" });
  s.skip();
  s.line(["Kommentar till volymutveckling"], { bold: true });
  s.line(["(Skriv kommentaren här.)"], NOTE);
  s.widths(60, 16, 14, 16, 14);
  s.plan.freeze = { rows: 1, cols: 1 };
  s.plan.print = { orientation: "landscape", fitToWidth: true, repeatRows: { first: 0, last: 0 } };
  return s.plan;
}

// ---------------------------------------------------------------------------------------------------

const LEVEL_SV = { error: "Fel", warning: "Varning", info: "Info" } as const;
const LEVEL_FILL = { error: "#F8D7DA", warning: "#FFF3CD", info: undefined } as const;

/** "Underlag!C7", "'Blad 1'!B2", the sheet alone, or "". */
export function findingRef(f: LocatedFinding): string {
  if (!f.sheet) return "";
  return f.cell ? `${sheetPrefix(f.sheet)}!${f.cell}` : sheetPrefix(f.sheet);
}

export function findingsSheet(findings: LocatedFinding[]): SheetPlan {
  const s = new Sheet(REPORT_SHEETS.findings);
  s.line(["Kontroller"], TITLE);
  s.header(["Nivå", "Kod", "Meddelande", "Cell"]);
  for (const f of findings) {
    const r = s.line([LEVEL_SV[f.level], f.code, f.message, findingRef(f)]);
    s.format({ row: r, col: 2, rows: 1, cols: 1 }, { wrap: true });
    const fill = LEVEL_FILL[f.level];
    if (fill) s.format({ row: r, col: 0, rows: 1, cols: 1 }, { fill });
  }
  if (findings.length === 0) s.line(["", "", "Inga anmärkningar.", ""]);
  s.format({ row: 2, col: 0, rows: Math.max(1, s.row - 2), cols: 4 }, { verticalAlignment: "top" });
  s.widths(10, 27, 90, 20);
  s.plan.freeze = { rows: 2, cols: 0 };
  s.plan.print = { orientation: "landscape", fitToWidth: true, repeatRows: { first: 1, last: 1 } };
  return s.plan;
}

// ---------------------------------------------------------------------------------------------------

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

/** Rows of an existing Prognoslogg sheet (values from A1): every row whose first cell is a period. */
export function parseLog(values: RawCell[][]): LogRow[] {
  const rows: LogRow[] = [];
  for (const row of values) {
    const first = row?.[0];
    let period: string | null = null;
    if (typeof first === "string" && /^\d{4}-\d{2}$/.test(first.trim())) period = first.trim();
    else if (typeof first === "number" && first > 31) {
      const d = serialToDate(first);
      period = `${d.year}-${String(d.month).padStart(2, "0")}`;
    }
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

export function logSheet(result: LedgerResult, existing: RawCell[][]): SheetPlan {
  const s = new Sheet(REPORT_SHEETS.log);
  const { year, month } = result.period;
  const current: LogRow = {
    period: `${year}-${String(month).padStart(2, "0")}`,
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
  s.format({ row: 0, col: 1, rows: 1, cols: 3 }, { horizontalAlignment: "right" });
  s.widths(10, 18, 22, 22);
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
  });
  return s.plan;
}
