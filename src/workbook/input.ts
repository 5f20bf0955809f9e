/**
 * Cell parsing for the template contract: turns the ranges planRead() asked for into the core's
 * LedgerInput, with a Layout that says where every line, measure and volume lives. Every blocking
 * problem becomes a ContractError naming the sheet and cell; tolerated oddities (numbers stored as
 * Swedish text, say) become located reading findings.
 */
import type {
  Finding,
  ForecastMethod,
  LedgerInput,
  LedgerLine,
  LineKind,
  Measure,
  Period,
  Unit,
  VolumeMeasure,
  VolumeType,
} from "../core/types";
import { a1, cellRef, rectA1, sheetRectA1 } from "./a1";
import { daysInMonth, MAX_YEAR, MIN_YEAR, MONTHS_SV } from "../core/period";
import { countNoun } from "../core/summary";
import { err, type Layout, type Resolution, type ResolvedName } from "./contract";
import { unitNames, unitSheetClashes } from "./unit-sheets";
import type {
  ContractError,
  LocatedFinding,
  RawCell,
  ReadResult,
  Role,
  SheetRect,
  StoredConfig,
} from "./types";

/** The months a report covers, for people: "januari–april 2019" (January alone: "januari 2019"). */
export function periodSpan(period: Period): string {
  const { year, month } = period;
  return month === 1 ? `januari ${year}` : `januari–${MONTHS_SV[month - 1]} ${year}`;
}

/** Lower-case, accents and all non-alphanumerics removed: "  Inräknad (ja/nej) " → "inraknadjanej". */
export function normaliseKey(s: string): string {
  // A ledger repeats a few method and line-type words on every line: each is folded once.
  let key = normalised.get(s);
  if (key === undefined) {
    key = s
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "");
    if (normalised.size >= 4096) normalised.clear();
    normalised.set(s, key);
  }
  return key;
}
const normalised = new Map<string, string>();

/**
 * A number written as Swedish text: "14 891", "1 234,5", "−8 276" (U+2212), "+2 332", with U+0020,
 * U+00A0, U+202F or U+2009 as thousands separators and a decimal comma (a decimal point is accepted
 * too). A trailing footnote star ("8,61*") is dropped. Returns null when the text is not a number.
 */
export function parseSwedishNumber(text: string): number | null {
  let s = text
    .replace(/[\u00A0\u202F\u2009\u2007]/g, " ")
    .replace(/[\u2212\u2013\u2012]/g, "-")
    .trim();
  s = s.replace(/\*+$/, "").trim();
  const m = /^([+-]?)\s?((?:\d{1,3}(?: \d{3})+)|\d+)(?:[.,](\d+))?$/.exec(s);
  if (!m) return null;
  const value = Number(`${m[2].replace(/ /g, "")}${m[3] ? `.${m[3]}` : ""}`);
  return m[1] === "-" ? -value : value;
}

/** Markers meaning "no value" that may stand in number cells (DOMAIN §1.1). */
const EMPTY_MARKERS = new Set(["-", "–", "—", "i.u.", "i.u", "iu"]);

export function isCellError(v: RawCell): v is { error: string } {
  return typeof v === "object" && v !== null;
}

function display(v: RawCell): string {
  if (isCellError(v)) return v.error;
  if (typeof v === "boolean") return v ? "SANT" : "FALSKT";
  return String(v);
}

/** Excel serial (1900 system) → {year, month, day}. Serials after 1900-02-28 (the usual case). */
export function serialToDate(serial: number): { year: number; month: number; day: number } {
  const ms = Math.round((Math.floor(serial) - 25569) * 86400000);
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function dateToSerial(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / 86400000 + 25569;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/**
 * Text written as an ISO date ("2019-04-30", "2019-4-30"): the day, "impossible" for a day the calendar
 * does not have ("2019-02-30", "2019-13-01": refused, never rolled over into the next month), or null
 * when the text is no ISO date at all.
 */
function isoDateText(text: string): { year: number; month: number; day: number } | "impossible" | null {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return "impossible";
  return { year, month, day };
}

/** The years the core computes (serial dates before 1901 are unreliable in the 1900 date system). */
const FIRST_YEAR = Math.max(1901, MIN_YEAR);

/** Excel's limit on the length of a cell's text; longer text cannot have come from Excel or go back. */
export const MAX_CELL_TEXT = 32767;

export interface At {
  sheet: string;
  row: number;
  col: number;
  /** Role name for the message, e.g. "Budget". */
  what: string;
}

const TEXT_NUMBER_CAP = 20;

/** Collects errors and reading findings while the cells are parsed. */
export class Reader {
  errors: ContractError[] = [];
  findings: LocatedFinding[] = [];
  private textNumbers = new Map<string, number>();

  error(code: string, at: At, sv: string, en: string): void {
    const ref = cellRef(at.sheet, at.row, at.col);
    this.errors.push(
      err(code, `${ref} (${at.what}): ${sv}`, `${ref} (${at.what}): ${en}`, at.sheet, a1(at.row, at.col)),
    );
  }

  finding(level: Finding["level"], code: string, at: At, message: string): void {
    this.findings.push({
      level,
      code,
      message: `${cellRef(at.sheet, at.row, at.col)} (${at.what}): ${message}`,
      sheet: at.sheet,
      cell: a1(at.row, at.col),
    });
  }

  /**
   * A number cell. `text`: "none" = only numbers (and the empty markers "-"/"i.u." as no value);
   * "keep" = any other text is kept as text (e.g. "Summa ges efter analysen", "Nytt mått").
   */
  number(v: RawCell, at: At, text: "none" | "keep" = "none"): number | string | null {
    if (v === null || v === undefined) return null;
    if (typeof v === "number") {
      if (Number.isFinite(v)) return v;
      this.error(
        "CELL_NOT_NUMBER",
        at,
        "cellen innehåller inget giltigt tal.",
        "the cell holds no valid number.",
      );
      return null;
    }
    if (typeof v === "boolean") {
      this.error(
        "CELL_BOOLEAN",
        at,
        `cellen innehåller ${display(v)}; där ska stå ett tal.`,
        `the cell holds ${v ? "TRUE" : "FALSE"}; a number is expected.`,
      );
      return null;
    }
    if (isCellError(v)) {
      this.error(
        "CELL_ERROR",
        at,
        `cellen innehåller felvärdet ${v.error}. Rätta formeln eller töm cellen.`,
        `the cell holds the error value ${v.error}. Fix the formula or clear the cell.`,
      );
      return null;
    }
    const s = v.trim();
    if (s === "") return null;
    const n = parseSwedishNumber(s);
    if (n !== null) {
      const count = (this.textNumbers.get(at.what) ?? 0) + 1;
      this.textNumbers.set(at.what, count);
      if (count <= TEXT_NUMBER_CAP)
        this.finding(
          "warning",
          "TEXT_NUMBER",
          at,
          `talet "${s}" är lagrat som text; det räknas som ${n}. Gör om cellen till ett tal (Data > Text till kolumner).`,
        );
      return n;
    }
    if (EMPTY_MARKERS.has(s.toLowerCase())) return null;
    if (text === "keep" && s.length > MAX_CELL_TEXT) this.tooLong(at, s.length);
    if (text === "keep") return s;
    this.error(
      "TEXT_IN_NUMBER",
      at,
      `cellen innehåller texten "${s}"; där ska stå ett tal (eller inget).`,
      `the cell holds the text "${s}"; a number (or nothing) is expected.`,
    );
    return null;
  }

  /** A text cell: numbers become text, error values are errors, empty → null. */
  text(v: RawCell, at: At): string | null {
    if (v === null || v === undefined) return null;
    if (isCellError(v)) {
      this.error(
        "CELL_ERROR",
        at,
        `cellen innehåller felvärdet ${v.error}. Rätta formeln eller töm cellen.`,
        `the cell holds the error value ${v.error}.`,
      );
      return null;
    }
    const s = typeof v === "boolean" ? display(v) : String(v).trim();
    if (s.length > MAX_CELL_TEXT) {
      this.tooLong(at, s.length);
      return null;
    }
    return s === "" ? null : s;
  }

  tooLong(at: At, length: number): void {
    this.error(
      "TEXT_TOO_LONG",
      at,
      `texten är ${length.toLocaleString("sv-SE")} tecken lång; Excel rymmer högst 32 767 tecken i en cell. Korta texten.`,
      `the text is ${length} characters long; Excel holds at most 32,767 characters in a cell. Shorten it.`,
    );
  }

  /** Adds one finding per role for the text numbers beyond the cap. */
  flushCaps(sheetOf: (what: string) => string | undefined): void {
    for (const [what, count] of this.textNumbers) {
      if (count > TEXT_NUMBER_CAP)
        this.findings.push({
          level: "warning",
          code: "TEXT_NUMBER",
          message: `${what}: ytterligare ${count - TEXT_NUMBER_CAP} tal är lagrade som text och har räknats som tal.`,
          sheet: sheetOf(what),
        });
    }
  }
}

/**
 * The Verksamhet cell's text (a number as its digits, "631"). It only words headings, so an error value
 * there is a warning and no verksamhet, never a stop.
 */
function readVerksamhet(rd: Reader, cell: { v: RawCell; at: At } | null): string | null {
  if (!cell || isBlank(cell.v)) return null;
  if (isCellError(cell.v)) {
    rd.finding(
      "warning",
      "CELL_ERROR",
      cell.at,
      `cellen innehåller felvärdet ${cell.v.error}; rapporterna får ingen verksamhet i rubriken. Rätta formeln eller töm cellen.`,
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

export function isBlank(v: RawCell): boolean {
  return v === null || v === undefined || (typeof v === "string" && v.trim() === "");
}

function isWhole(row: (RawCell | string)[], cols: number, formulas: boolean): boolean {
  if (row.length !== cols) return false;
  for (let j = 0; j < cols; j++) {
    const v = row[j];
    if (v === undefined || (formulas && v === null)) return false;
  }
  return true;
}

/** The values of a read range, padded with null to the rectangle's size. */
export function gridOf(
  read: ReadResult,
  key: string,
  rect: SheetRect,
  formulas = false,
): RawCell[][] | string[][] {
  const r = read.ranges.find((x) => x.key === key);
  const src: (RawCell | string)[][] = (formulas ? r?.formulas : r?.values) ?? [];
  const out: (RawCell | string)[][] = [];
  for (let i = 0; i < rect.rows; i++) {
    const row = src[i] ?? [];
    // A row read whole (no holes: the host fills the cells before a read one) is shared, not copied.
    if (isWhole(row, rect.cols, formulas)) {
      out.push(row);
      continue;
    }
    const line: (RawCell | string)[] = [];
    for (let j = 0; j < rect.cols; j++) line.push(row[j] ?? (formulas ? "" : null));
    out.push(line);
  }
  return out as RawCell[][] | string[][];
}

// ---------------------------------------------------------------------------------------------------
// Building the input

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

const VOLUME_TYPES: Record<string, VolumeType> = {
  flode: "flow",
  flow: "flow",
  stock: "stock",
  bestand: "stock",
  snitt: "average",
  genomsnitt: "average",
  medel: "average",
  average: "average",
};

const UNITS: Record<string, Unit> = { kr: "kr", tkr: "tkr", mkr: "mkr", mnkr: "mkr" };

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

  // Output areas must be empty when the names are not defined (we never overwrite the user's cells).
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

  // Settings cells
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
    (typeof labels[i][0] === "string" && /^\s*varav\b/i.test(labels[i][0])) ||
    (typeof kinds?.[i][0] === "string" && KIND_KEYS[normaliseKey(kinds[i][0])] === "ofWhich");
  // Anything the ekonom typed on the row besides its label makes it a post.
  const typedBesideLabel = [kinds, methods, comments, orgUnits, lastYear, twoYearsAgo, lastYearBudget];
  // A label alone, that is neither a Summa row nor the parent of the varav rows below it, is a heading
  // of the ekonom's ("Individ- och familjeomsorg"), not a post of zeros.
  const isHeading = (i: number) => {
    if (!noFigures(i) || typedBesideLabel.some((g) => g && !g[i].every(isBlank))) return false;
    const label = labels[i][0];
    if (typeof label !== "string" || /^\s*(varav|summa|totalt)\b/i.test(label)) return false;
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
  rd.flushCaps((what) => Object.values(roles).find((r) => r?.name === what)?.rect.sheet);
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
  const layout: Layout = {
    readFindings: [...(resolution.findings ?? []), ...rd.findings],
    outputs: resolution.outputs,
    lineRows,
    rows: n,
    lineComments,
    verksamhet,
    locate(f: Finding) {
      if (f.line !== undefined && lineRows[f.line] !== undefined)
        return rowRange(f.field ? FIELD_ROLE[f.field] : "Poster", lineRows[f.line], f.month);
      if (f.measure !== undefined && measureRows[f.measure] !== undefined && roles.Atgarder)
        return rowRange("Atgarder", measureRows[f.measure]);
      if (f.volume !== undefined && volumeRows[f.volume] !== undefined && roles.Volymer)
        return rowRange("Volymer", volumeRows[f.volume]);
      return {};
    },
  };
  return { input, layout };
}

function readPeriod(
  rd: Reader,
  p: { v: RawCell; at: At } | null,
  ar: { v: RawCell; at: At } | null,
  month: number | undefined,
): Period | null {
  if (!p) return null;
  if (month !== undefined && !(Number.isInteger(month) && month >= 1 && month <= 12)) {
    rd.errors.push(
      err(
        "PERIOD_OVERRIDE",
        `Perioden ${month} är ogiltig; ange en månad 1–12.`,
        `The period ${month} is invalid; give a month 1–12.`,
      ),
    );
    return null;
  }
  let v: RawCell = p.v;
  if (typeof v === "string") {
    const iso = isoDateText(v);
    if (iso === "impossible") {
      rd.error(
        "PERIOD",
        p.at,
        `datumet "${v.trim()}" finns inte i kalendern; ange periodens slutdatum, t.ex. 2019-04-30.`,
        `the date "${v.trim()}" does not exist; give the period end date, e.g. 2019-04-30.`,
      );
      return null;
    }
    if (iso) {
      rd.finding(
        "warning",
        "TEXT_DATE",
        p.at,
        `datumet "${v.trim()}" är lagrat som text; det tolkas som ett datum.`,
      );
      v = dateToSerial(iso.year, iso.month, iso.day);
    } else {
      const parsed = parseSwedishNumber(v);
      if (parsed === null) {
        rd.error(
          "PERIOD",
          p.at,
          `perioden "${v.trim()}" kan inte tolkas; ange periodens slutdatum (t.ex. 2019-04-30) eller ett månadsnummer 1–12.`,
          `the period "${v.trim()}" cannot be read; give the period end date (e.g. 2019-04-30) or a month number 1–12.`,
        );
        return null;
      }
      v = parsed;
    }
  }
  if (typeof v !== "number") {
    rd.error(
      "PERIOD",
      p.at,
      v === null
        ? "perioden saknas; ange periodens slutdatum (t.ex. 2019-04-30) eller ett månadsnummer 1–12."
        : `perioden ${display(v)} kan inte tolkas; ange periodens slutdatum eller ett månadsnummer 1–12.`,
      "the period is missing or not a date/month number.",
    );
    return null;
  }
  if (v > 31) {
    const d = serialToDate(v);
    if (!(d.year >= FIRST_YEAR && d.year <= MAX_YEAR)) {
      rd.error(
        "PERIOD",
        p.at,
        `datumet ${d.year}-${pad2(d.month)}-${pad2(d.day)} ligger utanför åren ${FIRST_YEAR}–${MAX_YEAR}; ange periodens slutdatum, t.ex. 2019-04-30.`,
        `the date ${d.year}-${pad2(d.month)}-${pad2(d.day)} is outside the years ${FIRST_YEAR}–${MAX_YEAR}.`,
      );
      return null;
    }
    const lastDay = new Date(Date.UTC(d.year, d.month, 0)).getUTCDate();
    if (d.day !== lastDay && month === undefined)
      rd.finding(
        "info",
        "PERIOD_NOT_MONTH_END",
        p.at,
        `perioden ${d.year}-${pad2(d.month)}-${pad2(d.day)} är inte ett månadsslut; utfallet räknas till och med ${MONTHS_SV[d.month - 1]}.`,
      );
    return { year: d.year, month: month ?? d.month };
  }
  if (!Number.isInteger(v) || v < 1 || v > 12) {
    rd.error(
      "PERIOD",
      p.at,
      `perioden ${v} är varken en månad 1–12 eller ett datum.`,
      `the period ${v} is neither a month 1–12 nor a date.`,
    );
    return null;
  }
  if (!ar) {
    rd.error(
      "YEAR_MISSING",
      p.at,
      "perioden är ett månadsnummer men namnet Ar (året) saknas. Definiera Ar eller skriv periodens slutdatum.",
      "the period is a month number but the name Ar (the year) is missing.",
    );
    return null;
  }
  const y = rd.number(ar.v, ar.at);
  if (typeof y !== "number" || !Number.isInteger(y) || y < FIRST_YEAR || y > MAX_YEAR) {
    if (rd.errors.length === 0 || typeof y === "number" || y === null)
      rd.error(
        "YEAR",
        ar.at,
        `året ska vara ett årtal ${FIRST_YEAR}–${MAX_YEAR}, t.ex. 2019.`,
        `the year must be a year ${FIRST_YEAR}–${MAX_YEAR} such as 2019.`,
      );
    return null;
  }
  return { year: y, month: month ?? v };
}

export interface Column {
  key: string;
  aliases: string[];
  required: boolean;
  label: string;
}

/** Maps header cells to columns: exact normalised match first, then prefix match. */
export function readHeader(
  rd: Reader,
  res: ResolvedName,
  header: RawCell[],
  columns: Column[],
): Record<string, number> | null {
  const norm = header.map((h) =>
    typeof h === "string" ? normaliseKey(h) : typeof h === "number" ? String(h) : "",
  );
  const found: Record<string, number> = {};
  const taken = new Set<number>();
  for (const pass of ["exact", "prefix"] as const) {
    for (const c of columns) {
      if (found[c.key] !== undefined) continue;
      const j = norm.findIndex(
        (h, idx) =>
          !taken.has(idx) &&
          h !== "" &&
          c.aliases.some((a) => (pass === "exact" ? h === a : h.startsWith(a))),
      );
      if (j >= 0) {
        found[c.key] = j;
        taken.add(j);
      }
    }
  }
  const missing = columns.filter((c) => c.required && found[c.key] === undefined).map((c) => c.label);
  if (missing.length) {
    const headerRect = { ...res.rect, rows: 1 };
    rd.errors.push(
      err(
        "TABLE_HEADER",
        `Tabellen ${res.name} (${sheetRectA1(res.rect)}) saknar ${missing.length > 1 ? "kolumnerna" : "kolumnen"} ${missing.join(", ")} i rubrikraden ${rectA1(headerRect)}.`,
        `The table ${res.name} (${sheetRectA1(res.rect)}) lacks the column(s) ${missing.join(", ")} in its header row ${rectA1(headerRect)}.`,
        res.rect.sheet,
        rectA1(headerRect),
      ),
    );
    return null;
  }
  return found;
}

const MEASURE_COLUMNS: Column[] = [
  { key: "area", aliases: ["omrade"], required: true, label: "Område" },
  { key: "text", aliases: ["atgard", "atgarder"], required: true, label: "Åtgärd" },
  { key: "amount", aliases: ["belopp"], required: true, label: "Belopp" },
  { key: "type", aliases: ["typ"], required: true, label: "Typ" },
  { key: "included", aliases: ["inraknad", "inraknat"], required: true, label: "Inräknad" },
  { key: "line", aliases: ["post"], required: false, label: "Post" },
  { key: "responsible", aliases: ["ansvarig"], required: false, label: "Ansvarig" },
  { key: "status", aliases: ["status"], required: false, label: "Status" },
  // After Ansvarig, so that a header "Ansvarig person" is Ansvarig's by prefix.
  { key: "orgUnit", aliases: ["ansvar", "enhet", "avdelning"], required: false, label: "Ansvar" },
];

interface TableCell {
  v: RawCell;
  at: At;
}

/**
 * The data rows of a table read with readHeader (blank rows skipped): `cell(key)` for an optional
 * column (null when the table lacks it) and `need(key)` for a required one, which readHeader has
 * already found.
 */
export function* tableRows(res: ResolvedName, g: RawCell[][], cols: Record<string, number>) {
  for (let i = 1; i < g.length; i++) {
    if (g[i].every(isBlank)) continue;
    const cell = (key: string): TableCell | null => {
      const j = cols[key];
      if (j === undefined) return null;
      return {
        v: g[i][j],
        at: { sheet: res.rect.sheet, row: res.rect.row + i, col: res.rect.col + j, what: res.name },
      };
    };
    const need = (key: string): TableCell => cell(key) as TableCell;
    yield { i, cell, need };
  }
}

function readMeasures(rd: Reader, res: ResolvedName, g: RawCell[][], rows: number[]): Measure[] {
  if (g.length === 0) return [];
  const cols = readHeader(rd, res, g[0], MEASURE_COLUMNS);
  if (!cols) return [];
  const out: Measure[] = [];
  let area: string | null = null;
  for (const { i, cell, need } of tableRows(res, g, cols)) {
    const c = need("area");
    const a = rd.text(c.v, c.at);
    if (a !== null) area = a;
    else if (area === null) {
      rd.error("MEASURE_AREA", c.at, "åtgärden saknar område.", "the measure has no area.");
      continue;
    }
    const t = need("text");
    const text = rd.text(t.v, t.at) ?? "";
    const am = need("amount");
    const amount = rd.number(am.v, am.at, "keep");
    const ty = need("type");
    const typeText = rd.text(ty.v, ty.at);
    let type: Measure["type"] = "forecast";
    if (typeText !== null) {
      const k = normaliseKey(typeText);
      if (k.startsWith("besl")) type = "decided";
      else if (!k.startsWith("prog"))
        rd.error(
          "MEASURE_TYPE",
          ty.at,
          `typen "${typeText}" är okänd; ange prognos eller beslutad.`,
          `unknown type "${typeText}"; use prognos or beslutad.`,
        );
    }
    const inc = need("included");
    let included = false;
    if (typeof inc.v === "boolean") included = inc.v;
    else {
      const s = rd.text(inc.v, inc.at);
      if (s !== null) {
        const k = normaliseKey(s);
        if (["ja", "j", "x", "yes", "sant", "true", "1"].includes(k)) included = true;
        else if (!["nej", "n", "no", "falskt", "false", "0"].includes(k))
          rd.error("MEASURE_INCLUDED", inc.at, `"${s}" ska vara ja eller nej.`, `"${s}" must be ja or nej.`);
      }
    }
    const m: Measure = { area, text, amount, type, includedInForecast: included };
    for (const key of ["line", "responsible", "status", "orgUnit"] as const) {
      const x = cell(key);
      if (x) m[key] = rd.text(x.v, x.at);
    }
    out.push(m);
    rows.push(i);
  }
  return out;
}

const VOLUME_COLUMNS: Column[] = [
  { key: "label", aliases: ["volymmatt", "matt"], required: true, label: "Volymmått" },
  { key: "type", aliases: ["typ"], required: true, label: "Typ" },
  {
    key: "lastYear",
    aliases: ["utfallfgar", "utfallforegaendear", "fgar"],
    required: false,
    label: "UtfallFgAr",
  },
  { key: "actual", aliases: ["utfall"], required: true, label: "Utfall" },
  { key: "forecast", aliases: ["prognos"], required: false, label: "Prognos" },
  { key: "inflow", aliases: ["inflode", "inflodenfran"], required: false, label: "Inflöde" },
  { key: "outflow", aliases: ["utflode"], required: false, label: "Utflöde" },
];

function readVolumes(rd: Reader, res: ResolvedName, g: RawCell[][], rows: number[]): VolumeMeasure[] {
  if (g.length === 0) return [];
  const cols = readHeader(rd, res, g[0], VOLUME_COLUMNS);
  if (!cols) return [];
  const out: VolumeMeasure[] = [];
  for (const { i, cell, need } of tableRows(res, g, cols)) {
    const l = need("label");
    let label = rd.text(l.v, l.at);
    if (label === null) {
      label = `Rad ${l.at.row + 1}`;
      rd.finding("warning", "LABEL_MISSING", l.at, `volymmåttet saknar benämning; det kallas "${label}".`);
    }
    const ty = need("type");
    const typeText = rd.text(ty.v, ty.at);
    const type = typeText === null ? undefined : VOLUME_TYPES[normaliseKey(typeText)];
    if (!type) {
      rd.error(
        "VOLUME_TYPE",
        ty.at,
        typeText === null
          ? "typen saknas; ange flöde, stock eller snitt."
          : `typen "${typeText}" är okänd; ange flöde, stock eller snitt.`,
        "the volume type must be flöde, stock or snitt.",
      );
      continue;
    }
    const ac = need("actual");
    const v: VolumeMeasure = { label, type, actual: rd.number(ac.v, ac.at) as number | null };
    const fc = cell("forecast");
    if (fc) v.forecast = rd.number(fc.v, fc.at) as number | null;
    const ly = cell("lastYear");
    if (ly) v.lastYear = rd.number(ly.v, ly.at, "keep");
    for (const key of ["inflow", "outflow"] as const) {
      const c = cell(key);
      const text = c ? rd.text(c.v, c.at) : null;
      if (text !== null)
        v[key] = text
          .split(";")
          .map((s) => s.trim())
          .filter(Boolean);
    }
    out.push(v);
    rows.push(i);
  }
  return out;
}

function readDates(rd: Reader, res: ResolvedName, g: RawCell[][]): string[] {
  const out: string[] = [];
  g.forEach((row, i) =>
    row.forEach((v, j) => {
      const at: At = { sheet: res.rect.sheet, row: res.rect.row + i, col: res.rect.col + j, what: res.name };
      if (isBlank(v)) return;
      if (typeof v === "number" && v > 31) {
        const d = serialToDate(v);
        out.push(`${d.year}-${pad2(d.month)}-${pad2(d.day)}`);
        return;
      }
      const iso = typeof v === "string" ? isoDateText(v) : null;
      if (iso && iso !== "impossible") {
        out.push(`${iso.year}-${pad2(iso.month)}-${pad2(iso.day)}`);
        return;
      }
      rd.error(
        "DATE",
        at,
        iso === "impossible"
          ? `datumet "${display(v).trim()}" finns inte i kalendern; ange nämndmötets datum, t.ex. 2019-06-12.`
          : `"${display(v)}" är inget datum; ange nämndmötets datum, t.ex. 2019-06-12.`,
        iso === "impossible"
          ? `the date "${display(v).trim()}" does not exist.`
          : `"${display(v)}" is not a date.`,
      );
    }),
  );
  return out.sort();
}
