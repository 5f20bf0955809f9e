/**
 * Builds the core's LedgerInput from the ranges planRead() asked for, with a Layout that says where
 * every line, measure and volume lives: the output areas must be empty, then the settings cells, the
 * ledger lines and the tables are read. Every blocking problem becomes a ContractError naming the sheet
 * and cell. The cells are parsed in cells.ts, the period and dates in dates.ts, the tables in tables.ts.
 */
import type { Finding, ForecastMethod, LedgerInput, LedgerLine, LineKind, Unit } from "../core/types";
import { a1, cellRef, rectA1, sheetRectA1 } from "./a1";
import { VARAV_LABEL } from "../core/read-lines";
import { countNoun } from "../core/summary";
import { display, gridOf, isBlank, isCellError, normaliseKey, Reader, type At } from "./cells";
import { err, type Layout, type Resolution, type ResolvedName } from "./contract";
import { readDates, readPeriod } from "./dates";
import { lastMonthError } from "./last-month";
import { readMeasures, readVolumes } from "./tables";
import { unitNames, unitSheetClashes } from "./unit-sheets";
import type { ContractError, RawCell, ReadResult, Role, StoredConfig } from "./types";

/**
 * The Verksamhet cell's text (a number as its digits, "631"). It only words headings, so an error value
 * there is a warning and no verksamhet, never a stop.
 */
function readVerksamhet(rd: Reader, cell: { v: RawCell; at: At } | null): string | null {
  if (!cell || isBlank(cell.v)) return null;
  if (isCellError(cell.v)) {
    rd.finding(
      "warning",
      cell.v.uncalculated ? "FORMULA_UNCALCULATED" : "CELL_ERROR",
      cell.at,
      cell.v.uncalculated
        ? `cellen har formeln ${cell.v.error} men inget beräknat värde; rapporterna får ingen verksamhet i rubriken. Öppna och spara arbetsboken i Excel eller LibreOffice, eller skriv in texten.`
        : `cellen innehåller felvärdet ${cell.v.error}; rapporterna får ingen verksamhet i rubriken. Rätta formeln eller töm cellen.`,
    );
    return null;
  }
  const text = typeof cell.v === "string" || typeof cell.v === "number" ? String(cell.v).trim() : "";
  return text.slice(0, 200) || null;
}

/** One finding for every heading row (one per row would flood Kontroller for a ledger full of them). */
function headingFinding(
  rd: Reader,
  rows: number[],
  labels: RawCell[][],
  at: (role: Role, i: number, j: number) => At,
): void {
  const SHOWN = 5;
  const named = rows.slice(0, SHOWN).map((i) => `"${String(labels[i][0]).trim()}"`);
  const more = rows.length > SHOWN ? ` och ${rows.length - SHOWN} till` : "";
  const which = rows.length === 1 ? `raden ${named[0]} har` : `raderna ${named.join(", ")}${more} har`;
  rd.finding(
    "info",
    "HEADING_ROW",
    at("Poster", rows[0], 0),
    `${which} bara en benämning (inga belopp, ingen radtyp, metod eller kommentar) och tas inte med i rapporten: de räknas som rubriker. Ange en radtyp för en rad som ska vara en post.`,
  );
}

const KIND_KEYS: Record<string, LineKind> = {
  intakt: "revenue",
  intakter: "revenue",
  kostnad: "cost",
  kostnader: "cost",
  varav: "ofWhich",
  summa: "total",
  totalt: "total",
  total: "total",
};

export const METHOD_KEYS: Record<string, ForecastMethod> = {
  linjar: "linear",
  linjart: "linear",
  linear: "linear",
  dagar: "days",
  dag: "days",
  days: "days",
  budget: "budget",
  sasong: "seasonal",
  sasongs: "seasonal",
  seasonal: "seasonal",
  noll: "zero",
  zero: "zero",
  manuell: "manual",
  manual: "manual",
  trend: "trend",
};

const UNITS: Record<string, Unit> = { kr: "kr", tkr: "tkr", mkr: "mkr", mnkr: "mkr" };

/**
 * Output areas must be empty when their names are not defined (the user's cells are never
 * overwritten): OUTPUT_OCCUPIED names the first filled cell, OUTPUT_MERGED a merged area.
 */
function checkOutputAreas(resolution: Resolution, read: ReadResult, rd: Reader): void {
  for (const out of resolution.outputs) {
    if (out.defined) continue;
    const key = `out:${out.role}`;
    const range = read.ranges.find((x) => x.key === key);
    // The cells as gridOf would pad them, without building a grid of the (mostly empty) column.
    const values = range?.values ?? [];
    const formulas = range?.formulas ?? [];
    let first: { i: number; shown: string } | null = null;
    let count = 0;
    for (let i = 0; i < out.rect.rows; i++) {
      const f = formulas[i]?.[0] ?? "";
      const v = values[i]?.[0] ?? null;
      if ((typeof f === "string" && f !== "") || !isBlank(v)) {
        count++;
        if (!first) first = { i, shown: typeof f === "string" && f.startsWith("=") ? f : display(v) };
      }
    }
    if (first) {
      const cell = a1(out.rect.row + first.i, out.rect.col);
      rd.errors.push(
        err(
          "OUTPUT_OCCUPIED",
          `Cellen ${cellRef(out.rect.sheet, out.rect.row + first.i, out.rect.col)} innehåller "${first.shown}"${count > 1 ? ` (och ${countNoun(count - 1, "cell", "celler")} till i ${rectA1(out.rect)})` : ""}, men där skulle kolumnen ${out.role} skrivas. Töm cellerna ${rectA1(out.rect)} eller definiera namnet ${out.role} där resultatet ska skrivas. Inget har skrivits.`,
          `The cell ${cellRef(out.rect.sheet, out.rect.row + first.i, out.rect.col)} holds "${first.shown}", where the ${out.role} column would be written. Clear ${rectA1(out.rect)} or define the name ${out.role}. Nothing was written.`,
          out.rect.sheet,
          cell,
        ),
      );
    } else if (range?.merged) {
      rd.errors.push(
        err(
          "OUTPUT_MERGED",
          `Cellerna ${sheetRectA1(out.rect)}, där kolumnen ${out.role} skulle skrivas, innehåller sammanslagna celler. Dela upp dem eller definiera namnet ${out.role}. Inget har skrivits.`,
          `The cells ${sheetRectA1(out.rect)} for the ${out.role} column contain merged cells. Nothing was written.`,
          out.rect.sheet,
          rectA1(out.rect),
        ),
      );
    }
  }
}

type Single = (role: Role) => { v: RawCell; at: At } | null;

/** The settings cells: the period, the amounts' unit, the verksamhet, the rounding step, the balance target. */
function readSettings(
  rd: Reader,
  single: Single,
  config: StoredConfig,
  overrides: { month?: number },
): {
  period: ReturnType<typeof readPeriod>;
  unit: Unit;
  verksamhet: string | null;
  roundingStep: number | null;
  balanceTarget: number | null;
} {
  const period = readPeriod(rd, single("Period"), single("Ar"), overrides.month);
  let unit: Unit = "tkr";
  const enhet = single("Enhet");
  if (enhet) {
    const s = rd.text(enhet.v, enhet.at);
    if (s !== null) {
      const u = UNITS[normaliseKey(s)];
      if (u) unit = u;
      else
        rd.error(
          "UNIT",
          enhet.at,
          `enheten "${s}" är okänd; ange kr, tkr eller mkr.`,
          `unknown unit "${s}"; use kr, tkr or mkr.`,
        );
    }
  }
  const verksamhet = config.settings.verksamhet === null ? readVerksamhet(rd, single("Verksamhet")) : null;
  let roundingStep: number | null = null;
  const avr = single("Avrundning");
  if (avr) {
    const v = rd.number(avr.v, avr.at);
    if (typeof v === "number") {
      if (v < 0)
        rd.error(
          "ROUNDING",
          avr.at,
          "avrundningen kan inte vara negativ.",
          "the rounding step cannot be negative.",
        );
      else roundingStep = v === 0 ? null : v;
    }
  }
  if (config.settings.roundingStep !== null) roundingStep = config.settings.roundingStep;
  let balanceTarget: number | null = null;
  const bal = single("Balansmal");
  if (bal) balanceTarget = rd.number(bal.v, bal.at) as number | null;
  return { period, unit, verksamhet, roundingStep, balanceTarget };
}

export function buildInput(
  resolution: Resolution,
  read: ReadResult,
  config: StoredConfig,
  overrides: { month?: number } = {},
): { input: LedgerInput; layout: Layout } | { errors: ContractError[] } {
  const rd = new Reader();
  const roles = resolution.roles;
  const n = resolution.rows;
  const grid = (role: Role): RawCell[][] | null => {
    const r = roles[role];
    return r ? (gridOf(read, role, r.rect) as RawCell[][]) : null;
  };
  const at = (role: Role, i: number, j: number): At => {
    const r = roles[role] as ResolvedName;
    return { sheet: r.rect.sheet, row: r.rect.row + i, col: r.rect.col + j, what: r.name };
  };
  const single = (role: Role): { v: RawCell; at: At } | null => {
    const g = grid(role);
    return g ? { v: g[0][0], at: at(role, 0, 0) } : null;
  };

  checkOutputAreas(resolution, read, rd);
  const { period, unit, verksamhet, roundingStep, balanceTarget } = readSettings(
    rd,
    single,
    config,
    overrides,
  );

  // Ledger lines
  const labels = grid("Poster") ?? [];
  const budget = grid("Budget") ?? [];
  const actual = grid("Utfall") ?? [];
  const kinds = grid("Radtyp");
  const methods = grid("Metod");
  const manual = grid("ManuellPrognos");
  const comments = grid("Kommentar");
  const orgUnits = grid("Ansvar");
  const lastYear = grid("UtfallFgAr");
  const twoYearsAgo = grid("UtfallFgAr2");
  const lastYearBudget = grid("BudgetFgAr");
  const lines: LedgerLine[] = [];
  const lineRows: number[] = [];
  const lineComments: (string | null)[] = [];
  // A finite number or an empty cell is taken as it is: the cell's place is built only for a message.
  // A row of finite numbers and empty cells (nearly every row) is the read's row itself, not a copy.
  const plain = (v: RawCell): v is number | null =>
    v === null || (typeof v === "number" && Number.isFinite(v));
  const rowNumbers = (g: RawCell[][] | null, role: Role, i: number): (number | null)[] | null =>
    g
      ? g[i].every(plain)
        ? (g[i] as (number | null)[])
        : g[i].map((v, j) => (plain(v) ? v : (rd.number(v, at(role, i, j)) as number | null)))
      : null;
  const noFigures = (i: number) =>
    budget[i].every(isBlank) && actual[i].every(isBlank) && (!manual || isBlank(manual[i][0]));
  const isVarav = (i: number) =>
    (typeof labels[i][0] === "string" && VARAV_LABEL.test(labels[i][0])) ||
    (typeof kinds?.[i][0] === "string" && KIND_KEYS[normaliseKey(kinds[i][0])] === "ofWhich");
  // Anything the ekonom typed on the row besides its label makes it a post.
  const typedBesideLabel = [kinds, methods, comments, orgUnits, lastYear, twoYearsAgo, lastYearBudget];
  // A label alone, that is neither a Summa row nor the parent of the varav rows below it, is a heading
  // of the ekonom's ("Individ- och familjeomsorg"), not a post of zeros.
  const isHeading = (i: number) => {
    if (!noFigures(i) || typedBesideLabel.some((g) => g && !g[i].every(isBlank))) return false;
    const label = labels[i][0];
    if (typeof label !== "string" || VARAV_LABEL.test(label) || /^\s*(summa|totalt)\b/i.test(label))
      return false;
    let next = i + 1;
    while (next < n && isBlank(labels[next][0]) && noFigures(next)) next++;
    return !(next < n && isVarav(next));
  };
  const headings: number[] = [];
  for (let i = 0; i < n; i++) {
    if (isBlank(labels[i][0]) && noFigures(i)) continue;
    if (isHeading(i)) {
      headings.push(i);
      continue;
    }
    let label = rd.text(labels[i][0], at("Poster", i, 0));
    if (label === null) {
      label = `Rad ${(roles.Poster as ResolvedName).rect.row + i + 1}`;
      rd.finding(
        "warning",
        "LABEL_MISSING",
        at("Poster", i, 0),
        `raden har belopp men ingen benämning; den kallas "${label}".`,
      );
    }
    const line: LedgerLine = { label };
    const b = rowNumbers(budget, "Budget", i) as (number | null)[];
    if (b.length === 12) line.monthlyBudget = b;
    else line.annualBudget = b[0];
    const a = rowNumbers(actual, "Utfall", i) as (number | null)[];
    if (a.length === 12) line.actualMonthly = a;
    else line.actual = a[0];
    if (lastYear) line.lastYearMonthly = rowNumbers(lastYear, "UtfallFgAr", i);
    if (twoYearsAgo) line.twoYearsAgoMonthly = rowNumbers(twoYearsAgo, "UtfallFgAr2", i);
    if (lastYearBudget) line.lastYearBudget = rowNumbers(lastYearBudget, "BudgetFgAr", i)![0];
    if (kinds) {
      const s = rd.text(kinds[i][0], at("Radtyp", i, 0));
      if (s !== null) {
        const k = KIND_KEYS[normaliseKey(s)];
        if (k) line.kind = k;
        else
          rd.error(
            "KIND",
            at("Radtyp", i, 0),
            `radtypen "${s}" är okänd; ange intäkt, kostnad, varav eller summa (eller lämna tom).`,
            `unknown line type "${s}"; use intäkt, kostnad, varav or summa (or leave blank).`,
          );
      }
    }
    if (methods) {
      const s = rd.text(methods[i][0], at("Metod", i, 0));
      if (s !== null) {
        const m = METHOD_KEYS[normaliseKey(s)];
        if (m) line.method = m;
        else
          rd.error(
            "METHOD",
            at("Metod", i, 0),
            `metoden "${s}" är okänd; ange linjär, dagar, budget, säsong, trend, noll eller manuell (eller lämna tom).`,
            `unknown method "${s}"; use linjär, dagar, budget, säsong, trend, noll or manuell (or leave blank).`,
          );
      }
    }
    if (manual) line.manualForecast = rd.number(manual[i][0], at("ManuellPrognos", i, 0)) as number | null;
    const comment = comments ? rd.text(comments[i][0], at("Kommentar", i, 0)) : null;
    if (comment !== null) line.comment = comment;
    if (orgUnits) {
      const orgUnit = rd.text(orgUnits[i][0], at("Ansvar", i, 0));
      if (orgUnit !== null) line.orgUnit = orgUnit;
    }
    lines.push(line);
    lineRows.push(i);
    lineComments.push(comment);
  }
  if (headings.length) headingFinding(rd, headings, labels, at);
  const notBooked = period
    ? lastMonthError(roles.Utfall, lines, period, overrides.month !== undefined)
    : null;
  if (notBooked) rd.errors.push(notBooked);
  if (roles.Poster && lines.length === 0 && rd.errors.length === 0) {
    const p = roles.Poster;
    rd.errors.push(
      err(
        "LEDGER_EMPTY",
        `Namnet ${p.name} (${sheetRectA1(p.rect)}) innehåller inga rader med benämning eller belopp. Fyll i raderna och uppdatera igen.`,
        `The name ${p.name} (${sheetRectA1(p.rect)}) holds no lines. Fill in the lines and refresh again.`,
        p.rect.sheet,
        rectA1(p.rect),
      ),
    );
  }

  const measureRows: number[] = [];
  const measures = roles.Atgarder
    ? readMeasures(rd, roles.Atgarder, grid("Atgarder") ?? [], measureRows)
    : [];
  const volumeRows: number[] = [];
  const volumes = roles.Volymer ? readVolumes(rd, roles.Volymer, grid("Volymer") ?? [], volumeRows) : [];
  const committeeDates = roles.Namndmoten ? readDates(rd, roles.Namndmoten, grid("Namndmoten") ?? []) : [];

  const dataSheets = Object.values(roles).map((r) => (r as ResolvedName).rect.sheet);
  for (const clash of unitSheetClashes(unitNames(lines), dataSheets, config)) {
    rd.errors.push(
      err(
        "OWNED_SHEET",
        `Enheten "${clash.unit}" får ett eget blad i driftsredovisningen, men bladet ${clash.sheet} har arbetsbokens underlag och skulle skrivas över. Byt namn på bladet (eller välj ett avsnitt per enhet i inställningarna). Inget har skrivits.`,
        `The unit "${clash.unit}" gets its own report sheet, which would replace the sheet ${clash.sheet} holding the workbook's data. Rename the sheet. Nothing was written.`,
        clash.sheet,
      ),
    );
  }
  // A table's cells name their column after the table ("Volymer, Utfall"): the table's name comes first.
  rd.flushCaps((what) => Object.values(roles).find((r) => r?.name === what.split(", ")[0])?.rect.sheet);
  if (rd.errors.length || !period) return { errors: rd.errors };

  const input: LedgerInput = {
    period,
    lines,
    signConvention: config.settings.signConvention,
    periodisation: config.settings.periodisation,
    defaultMethod: config.settings.defaultMethod,
    roundingStep,
    roundingUnit: unit === "mkr" ? 0.1 : 1,
    balanceTarget,
    trendMonths: config.settings.trendMonths,
    unit,
    measures,
    measuresOnManualForecast: config.settings.measuresOnManualForecast,
    committeeDates,
    volumes,
  };

  const layout: Layout = {
    readFindings: [...(resolution.findings ?? []), ...rd.findings],
    outputs: resolution.outputs,
    lineRows,
    rows: n,
    lineComments,
    verksamhet,
    locate: locator(roles, lineRows, measureRows, volumeRows),
  };
  return { input, layout };
}

/** The role whose cells hold each field of a line, for placing a finding. */
const FIELD_ROLE: Record<string, Role> = {
  label: "Poster",
  kind: "Radtyp",
  budget: "Budget",
  actual: "Utfall",
  lastYear: "UtfallFgAr",
  lastYearBudget: "BudgetFgAr",
  twoYearsAgo: "UtfallFgAr2",
  method: "Metod",
  manualForecast: "ManuellPrognos",
  comment: "Kommentar",
  orgUnit: "Ansvar",
};

/** Where a core finding goes in the workbook: the line's (or measure's, or volume's) row in its range. */
function locator(
  roles: Resolution["roles"],
  lineRows: number[],
  measureRows: number[],
  volumeRows: number[],
): Layout["locate"] {
  const rowRange = (role: Role, offset: number, month?: number): { sheet: string; cell: string } => {
    const r = (roles[role] ?? roles.Poster) as ResolvedName;
    // A month of a twelve-month range (Utfall per månad) is its own cell; otherwise the line's range.
    const one = month !== undefined && r.rect.cols === 12;
    return {
      sheet: r.rect.sheet,
      cell: rectA1({
        row: r.rect.row + offset,
        col: one ? r.rect.col + month - 1 : r.rect.col,
        rows: 1,
        cols: one ? 1 : r.rect.cols,
      }),
    };
  };
  return (f: Finding) => {
    if (f.line !== undefined && lineRows[f.line] !== undefined)
      return rowRange(f.field ? FIELD_ROLE[f.field] : "Poster", lineRows[f.line], f.month);
    if (f.measure !== undefined && measureRows[f.measure] !== undefined && roles.Atgarder)
      return rowRange("Atgarder", measureRows[f.measure]);
    if (f.volume !== undefined && volumeRows[f.volume] !== undefined && roles.Volymer)
      return rowRange("Volymer", volumeRows[f.volume]);
    return {};
  };
}
