/**
 * Reading the tertial report's two extra tables (docs/TEMPLATE.md): `Investeringar`, the capital
 * statement's ledger (S1 §4.2), and `Personal`, the personnel key figures (S1 §3.1). Both are tables with
 * a header row, read like `Atgarder` and `Volymer`; blocking problems are ContractErrors naming the cell.
 */
import type { Finding, LedgerInput, LedgerLine, LineKind } from "../core/types";
import { formatPercent } from "../core/format";
import type { PersonnelRow } from "../core/personnel";
import { a1 } from "./a1";
import type { Resolution, ResolvedName } from "./contract";
import { Reader, gridOf, normaliseKey, parseSwedishNumber, type At } from "./cells";
import { serialToDate } from "./dates";
import { METHOD_KEYS } from "./input";
import { readHeader, tableRows, type Column } from "./tables";
import type { ContractError, LocatedFinding, RawCell, ReadResult } from "./types";

export interface InvestmentTable {
  input: LedgerInput;
  /** Where each ledger line's row is, for findings. */
  locate(f: Finding): { sheet?: string; cell?: string };
  comments: (string | null)[];
}

export interface PersonnelTable {
  rows: PersonnelRow[];
  locate(row: number, field?: string): { sheet: string; cell: string };
}

export interface TertialInput {
  investments: InvestmentTable | null;
  personnel: PersonnelTable | null;
  readFindings: LocatedFinding[];
}

const INVESTMENT_COLUMNS: Column[] = [
  { key: "label", aliases: ["projekt", "investering", "post"], required: true, label: "Projekt" },
  { key: "budget", aliases: ["budget", "arsbudget"], required: true, label: "Budget" },
  { key: "actual", aliases: ["utfall"], required: true, label: "Utfall" },
  {
    key: "forecastDeviation",
    aliases: ["prognosavvikelse", "prognosbudgetavvikelse"],
    required: false,
    label: "Prognos budgetavvikelse helår",
  },
  { key: "forecast", aliases: ["prognos", "helarsprognos"], required: false, label: "Prognos" },
  { key: "method", aliases: ["metod"], required: false, label: "Metod" },
  { key: "comment", aliases: ["kommentar"], required: false, label: "Kommentar" },
];

const PERSONNEL_COLUMNS: Column[] = [
  { key: "label", aliases: ["nyckeltal", "personalnyckeltal"], required: true, label: "Nyckeltal" },
  { key: "date", aliases: ["matdatum", "matperiod"], required: false, label: "Mätdatum/mätperiod" },
  { key: "unit", aliases: ["enhet"], required: false, label: "Enhet" },
  { key: "totalLy", aliases: ["totaltfgar", "totaltforegaendear"], required: false, label: "Totalt fg år" },
  {
    key: "womenLy",
    aliases: ["kvinnorfgar", "kvinnorforegaendear"],
    required: false,
    label: "Kvinnor fg år",
  },
  { key: "menLy", aliases: ["manfgar", "manforegaendear"], required: false, label: "Män fg år" },
  { key: "total", aliases: ["totalt"], required: true, label: "Totalt" },
  { key: "women", aliases: ["kvinnor"], required: false, label: "Kvinnor" },
  { key: "men", aliases: ["man"], required: false, label: "Män" },
];

const FIELD_COLUMN: Record<string, string> = {
  label: "label",
  budget: "budget",
  actual: "actual",
  manualForecast: "forecast",
  method: "method",
  comment: "comment",
};

/** Reads both tables when their names exist; `errors` when a cell cannot be used. */
export function readTertialTables(
  resolution: Resolution,
  read: ReadResult,
  base: LedgerInput,
): TertialInput | { errors: ContractError[] } {
  const rd = new Reader();
  const grid = (res: ResolvedName) => gridOf(read, res.role, res.rect) as RawCell[][];
  const inv = resolution.roles.Investeringar;
  const per = resolution.roles.Personal;
  const investments = inv ? readInvestments(rd, inv, grid(inv), base) : null;
  const personnel = per ? readPersonnel(rd, per, grid(per)) : null;
  if (rd.errors.length) return { errors: rd.errors };
  return { investments, personnel, readFindings: rd.findings };
}

function cellAt(res: ResolvedName, i: number, j: number | undefined): { sheet: string; cell: string } {
  return { sheet: res.rect.sheet, cell: a1(res.rect.row + i, res.rect.col + (j ?? 0)) };
}

function readInvestments(
  rd: Reader,
  res: ResolvedName,
  g: RawCell[][],
  base: LedgerInput,
): InvestmentTable | null {
  if (g.length === 0) return null;
  const cols = readHeader(rd, res, g[0], INVESTMENT_COLUMNS);
  if (!cols) return null;
  const lines: LedgerLine[] = [];
  const rows: number[] = [];
  const comments: (string | null)[] = [];
  const flip = base.signConvention === "costPositive" ? -1 : 1;
  for (const { i, cell, need } of tableRows(res, g, cols)) {
    const l = need("label");
    const label = rd.text(l.v, l.at) ?? `Rad ${l.at.row + 1}`;
    const b = need("budget");
    const budget = rd.number(b.v, b.at) as number | null;
    const a = need("actual");
    const line: LedgerLine = { label, annualBudget: budget, actual: rd.number(a.v, a.at) as number | null };
    const key = normaliseKey(label);
    if (key.startsWith("summa") || key.startsWith("totalt")) line.kind = "total" as LineKind;
    const fc = cell("forecast");
    const forecast = fc ? (rd.number(fc.v, fc.at) as number | null) : null;
    const fd = cell("forecastDeviation");
    const deviation = fd ? (rd.number(fd.v, fd.at) as number | null) : null;
    // A typed forecast deviation is the manual forecast budget + deviation (deviations are + favourable).
    if (forecast !== null) line.manualForecast = forecast;
    else if (deviation !== null && line.kind !== "total")
      line.manualForecast = (budget ?? 0) + flip * deviation;
    const m = cell("method");
    const methodText = m ? rd.text(m.v, m.at) : null;
    if (m && methodText !== null) {
      const method = METHOD_KEYS[normaliseKey(methodText)];
      if (method) line.method = method;
      else
        rd.error(
          "METHOD",
          m.at,
          `metoden "${methodText}" är okänd; ange linjär, dagar, budget, säsong, noll eller manuell (eller lämna tom).`,
          `unknown method "${methodText}".`,
        );
    }
    const c = cell("comment");
    const comment = c ? rd.text(c.v, c.at) : null;
    lines.push(line);
    rows.push(i);
    comments.push(comment);
  }
  const input: LedgerInput = {
    ...base,
    lines,
    // Investments keep their budget unless the ekonom says otherwise: a project delayed within the year
    // still spends it (S1: 0 for delayed projects), so the default is no deviation.
    defaultMethod: "zero",
    roundingStep: null,
    balanceTarget: null,
    measures: [],
    committeeDates: [],
    volumes: [],
  };
  return {
    input,
    comments,
    locate(f: Finding) {
      if (f.line === undefined || rows[f.line] === undefined) return {};
      return cellAt(res, rows[f.line], cols[FIELD_COLUMN[f.field ?? "label"] ?? "label"]);
    },
  };
}

/**
 * A percentage stored as Swedish text, "95,8 %" (copied from a report): read as the fraction Excel keeps
 * for a percent cell (0,958), with the warning a number stored as text gets; null for any other value.
 */
function percentText(rd: Reader, v: RawCell, at: At): number | null {
  if (typeof v !== "string") return null;
  const m = /^(.*\d)\s*%$/.exec(v.replace(/\u00A0|\u202F/g, " ").trim());
  const n = m ? parseSwedishNumber(m[1]) : null;
  if (n === null) return null;
  const ratio = Number((n / 100).toPrecision(12));
  rd.textNumber(at, v.trim(), formatPercent(ratio));
  return ratio;
}

const PERCENT_UNITS = new Set(["%", "procent", "andel", "percent"]);
const COUNT_UNITS = new Set(["antal", "st", "personer", "count"]);

function readPersonnel(rd: Reader, res: ResolvedName, g: RawCell[][]): PersonnelTable | null {
  if (g.length === 0) return null;
  const cols = readHeader(rd, res, g[0], PERSONNEL_COLUMNS);
  if (!cols) return null;
  const rows: PersonnelRow[] = [];
  const tableRow: number[] = [];
  for (const { i, cell, need } of tableRows(res, g, cols)) {
    const l = need("label");
    const label = rd.text(l.v, l.at);
    if (label === null) continue;
    const value = (key: string): number | null => {
      const c = cell(key);
      if (!c) return null;
      return percentText(rd, c.v, c.at) ?? (rd.number(c.v, c.at) as number | null);
    };
    const d = cell("date");
    let date: string | null = null;
    if (d && typeof d.v === "number" && d.v > 31) {
      const x = serialToDate(d.v);
      date = `${x.day}/${x.month}`;
    } else if (d) date = rd.text(d.v, d.at);
    const u = cell("unit");
    const unitText = u ? rd.text(u.v, u.at) : null;
    let unit: PersonnelRow["unit"] = null;
    if (unitText !== null) {
      const k = unitText.trim().toLowerCase();
      if (PERCENT_UNITS.has(k)) unit = "percent";
      else if (COUNT_UNITS.has(k)) unit = "count";
      else
        rd.error(
          "PERSONNEL_UNIT",
          u!.at,
          `enheten "${unitText}" är okänd; ange antal eller % (eller lämna tom).`,
          `unknown unit "${unitText}"; use antal or %.`,
        );
    }
    rows.push({
      label,
      date,
      unit,
      current: { total: value("total"), women: value("women"), men: value("men") },
      lastYear: { total: value("totalLy"), women: value("womenLy"), men: value("menLy") },
    });
    tableRow.push(i);
  }
  const colOf: Record<string, string> = {
    label: "label",
    total: "total",
    women: "women",
    men: "men",
    totalLy: "totalLy",
    womenLy: "womenLy",
    menLy: "menLy",
  };
  return {
    rows,
    locate: (row, field) => cellAt(res, tableRow[row] ?? 0, cols[colOf[field ?? "label"] ?? "label"]),
  };
}
