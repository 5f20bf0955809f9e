/**
 * Synthetic ledgers for the benchmarks (scripts/bench.ts) and their smoke test: one deterministic line
 * generator, rendered three ways so every measurement runs on the same data:
 * - ledgerInput(n): the core's LedgerInput (12 months, every method, varav lines, manual forecasts,
 *   last year's months, measures, volumes, totals that foot);
 * - bookSpec(n): the same ledger as template-shaped sheets and defined names (docs/TEMPLATE.md);
 * - xlsxBytes(spec) / fakeExcel(spec): that workbook as an .xlsx file (ExcelJS, like the sample builder)
 *   or loaded straight into the strict Excel fake.
 */
import ExcelJS from "exceljs";
import type { ForecastMethod, LedgerInput, LedgerLine, LineKind, Measure } from "../src/core/types";
import type { RawCell } from "../src/workbook/types";
import { createFakeExcel, type FakeExcel } from "../test/fakes/excel";

type KindSv = "intäkt" | "kostnad" | "varav" | "summa";

const KIND: Record<KindSv, LineKind> = {
  intäkt: "revenue",
  kostnad: "cost",
  varav: "ofWhich",
  summa: "total",
};
const METHOD: Record<string, ForecastMethod> = {
  linjär: "linear",
  dagar: "days",
  budget: "budget",
  säsong: "seasonal",
  noll: "zero",
  manuell: "manual",
};

/** The reporting period of every synthetic ledger: April 2019 (outcome for January–April). */
export const BENCH_PERIOD = { year: 2019, month: 4 };
/** 2019-04-30 as an Excel serial. */
const PERIOD_SERIAL = 43585;

export interface GenLine {
  label: string;
  kind: KindSv;
  budget: number[];
  /** Months after the period are null. */
  actual: (number | null)[];
  lastYear: number[] | null;
  method: string | null;
  manual: number | null;
  comment: string | null;
}

/** A small deterministic PRNG (mulberry32), so every run measures the same ledger. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Blocks of ten lines: a revenue line (budget method), a cost line (linear) with two varav lines (days,
 * seasonal), a seasonal cost line, a cost line with a manual forecast, a zero-method cost line, a
 * revenue line (days), a cost line on the default method, and a Summa line typed with the block's sums.
 * `n` is rounded up to whole blocks of ten.
 */
export function generateLines(n: number, seed = 2019): GenLine[] {
  const rand = rng(seed);
  const months = (base: number, spread = 0.2) =>
    Array.from({ length: 12 }, () => Math.round(base * (1 - spread / 2 + rand() * spread)));
  const outcome = (budget: number[]) =>
    budget.map((b, m) => (m < BENCH_PERIOD.month ? Math.round(b * (0.85 + rand() * 0.3)) : null));
  const lines: GenLine[] = [];
  for (let g = 0; lines.length < n; g++) {
    const scale = 50 + Math.floor(rand() * 950);
    const make = (
      label: string,
      kind: KindSv,
      budget: number[],
      method: string | null,
      extra: Partial<GenLine> = {},
    ): GenLine => ({
      label: `${label} ${g + 1}`,
      kind,
      budget,
      actual: outcome(budget),
      lastYear: null,
      method,
      manual: null,
      comment: null,
      ...extra,
    });
    const parent = months(-scale * 4);
    const varavA = parent.map((v) => Math.round(v * 0.4));
    const varavB = parent.map((v, m) => v - varavA[m]);
    const block: GenLine[] = [
      make("Verksamhetens intäkter", "intäkt", months(scale), "budget"),
      make("Verksamhetens kostnader", "kostnad", parent, "linjär"),
      make("varav personalkostnader", "varav", varavA, "dagar"),
      make("varav köpt verksamhet", "varav", varavB, "säsong", { lastYear: months(-scale * 1.2, 0.6) }),
      make("Placeringar", "kostnad", months(-scale * 2, 0.6), "säsong", {
        lastYear: months(-scale * 2, 0.6),
      }),
      make("Ekonomiskt bistånd", "kostnad", months(-scale * 3), null, {
        manual: -scale * 3 * 12 - Math.round(rand() * scale * 6),
        comment: "Fler hushåll med långvarigt bistånd.",
      }),
      make("Projektmedel", "kostnad", months(-scale / 2), "noll"),
      make("Statsbidrag", "intäkt", months(scale / 2), "dagar"),
      make("Övriga kostnader", "kostnad", months(-scale), null),
    ];
    // The two varav lines split the parent exactly (budget and outcome), as in a real ledger.
    const [, cost, a, b] = block;
    a.actual = cost.actual.map((v) => (v === null ? null : Math.round(v * 0.4)));
    b.actual = cost.actual.map((v, m) => (v === null ? null : v - (a.actual[m] as number)));
    const base = block.filter((l) => l.kind !== "varav");
    const sumMonths = (pick: (l: GenLine) => (number | null)[]) =>
      Array.from({ length: 12 }, (_, m) => base.reduce((s, l) => s + (pick(l)[m] ?? 0), 0));
    const total = make(
      "Summa",
      "summa",
      sumMonths((l) => l.budget),
      null,
    );
    total.actual = sumMonths((l) => l.actual).map((v, m) => (m < BENCH_PERIOD.month ? v : null));
    lines.push(...block, total);
  }
  return lines;
}

/**
 * One measure per 50 lines (at least two), alternating included/not, forecast/decided; every tenth has
 * the text "Summa ges efter analysen" instead of an amount (never an included one).
 */
function generateMeasures(lines: GenLine[]): (Measure & { lineLabel: string })[] {
  const count = Math.max(2, Math.floor(lines.length / 50));
  const costs = lines.filter((l) => l.kind === "kostnad");
  return Array.from({ length: count }, (_, i) => {
    const line = costs[(i * 7) % costs.length];
    return {
      area: `Område ${Math.floor(i / 3) + 1}`,
      text: `Åtgärd ${i + 1}: minska kostnaderna för ${line.label.toLowerCase()}.`,
      amount: i % 10 === 5 ? "Summa ges efter analysen" : 100 + ((i * 37) % 900),
      type: i % 4 === 3 ? "decided" : "forecast",
      includedInForecast: i % 2 === 0,
      line: line.label,
      lineLabel: line.label,
    };
  });
}

const COMMITTEE_SERIALS = [43537, 43628, 43712, 43747, 43775, 43810]; // 2019-03-13 … 2019-12-11
const VOLUMES: [string, string, number, number | null, number | string][] = [
  ["Antal hushåll med ekonomiskt bistånd, genomsnitt per månad", "snitt", 602, 550, 599],
  ["Antal utnyttjade vårddygn i familjehem", "flöde", 4518, 12000, 14944],
  ["Antal pågående utredningar", "stock", 1040, 450, 449],
];

/** The core's input for a ledger of `n` lines (rounded up to whole blocks of ten). */
export function ledgerInput(n: number): LedgerInput {
  const lines = generateLines(n);
  return {
    period: BENCH_PERIOD,
    unit: "tkr",
    roundingStep: 100,
    balanceTarget: 0,
    defaultMethod: "linear",
    lines: lines.map((l): LedgerLine => ({
      label: l.label,
      kind: KIND[l.kind],
      monthlyBudget: l.budget,
      actualMonthly: l.actual,
      lastYearMonthly: l.lastYear,
      method: l.method === null ? null : METHOD[l.method],
      manualForecast: l.manual,
      comment: l.comment,
    })),
    measures: generateMeasures(lines).map(({ lineLabel: _, ...m }) => m),
    committeeDates: ["2019-03-13", "2019-06-12", "2019-09-04", "2019-10-09", "2019-11-06", "2019-12-11"],
    volumes: VOLUMES.map(([label, type, actual, forecast, lastYear]) => ({
      label,
      type: type === "flöde" ? "flow" : type === "stock" ? "stock" : "average",
      actual,
      forecast,
      lastYear,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------
// The same ledger as a template-shaped workbook

export interface BookSpec {
  /** Sheets with their cells from A1 (rows may be ragged; null = empty). */
  sheets: { name: string; rows: RawCell[][] }[];
  /** Defined names (workbook scope) over 0-based rectangles. */
  names: { name: string; sheet: string; row: number; col: number; rows: number; cols: number }[];
  lines: number;
}

const MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];
// Underlag, 0-based columns: A Post, B Radtyp, C–N Budget, O–Z Utfall, AA–AC left empty for the output
// columns (the first refresh creates them), AD Metod, AE ManuellPrognos, AF Kommentar, AG–AR UtfallFgAr.
const COL = { post: 0, kind: 1, budget: 2, actual: 14, method: 29, manual: 30, comment: 31, lastYear: 32 };
/** Row 9 (0-based 8) holds the headers; lines start on row 10. */
const FIRST_ROW = 9;

export function bookSpec(n: number): BookSpec {
  const lines = generateLines(n);
  const underlag: RawCell[][] = [
    ["Uppföljning april 2019 – syntetisk huvudbok (tkr)"],
    [],
    ["Period", PERIOD_SERIAL],
    ["Enhet", "tkr"],
    ["Avrundning", 100],
    ["Balansmål", 0],
    [],
    [],
  ];
  const header: RawCell[] = Array<RawCell>(COL.lastYear + 12).fill(null);
  header[COL.post] = "Post";
  header[COL.kind] = "Radtyp";
  MONTHS.forEach((m, i) => {
    header[COL.budget + i] = `Budget ${m}`;
    header[COL.actual + i] = `Utfall ${m}`;
    header[COL.lastYear + i] = `Utfall fg år ${m}`;
  });
  header[COL.method] = "Metod";
  header[COL.manual] = "ManuellPrognos";
  header[COL.comment] = "Kommentar";
  underlag.push(header);
  for (const l of lines) {
    const row: RawCell[] = Array<RawCell>(COL.lastYear + 12).fill(null);
    row[COL.post] = l.label;
    row[COL.kind] = l.kind;
    l.budget.forEach((v, i) => (row[COL.budget + i] = v));
    l.actual.forEach((v, i) => (row[COL.actual + i] = v));
    l.lastYear?.forEach((v, i) => (row[COL.lastYear + i] = v));
    row[COL.method] = l.method;
    row[COL.manual] = l.manual;
    row[COL.comment] = l.comment;
    underlag.push(row);
  }
  const measures = generateMeasures(lines);
  const atgarder: RawCell[][] = [
    ["Åtgärder (tkr) och nämndmöten"],
    [],
    ["Område", "Åtgärd", "Belopp", "Typ", "Inräknad", "Post", null, "Nämndmöten"],
  ];
  const mRows = Math.max(measures.length, COMMITTEE_SERIALS.length);
  for (let i = 0; i < mRows; i++) {
    const m = measures[i];
    atgarder.push([
      m?.area ?? null,
      m?.text ?? null,
      m?.amount ?? null,
      m ? (m.type === "decided" ? "beslutad" : "prognos") : null,
      m ? (m.includedInForecast ? "ja" : "nej") : null,
      m?.lineLabel ?? null,
      null,
      COMMITTEE_SERIALS[i] ?? null,
    ]);
  }
  const volymer: RawCell[][] = [
    ["Volymmått"],
    [],
    ["Volymmått", "Typ", "Utfall", "Prognos", "Utfall fg år"],
    ...VOLUMES.map((v) => [...v]),
  ];
  const U = "Underlag";
  const rows = lines.length;
  const cell = (name: string, row: number) => ({ name, sheet: U, row, col: 1, rows: 1, cols: 1 });
  return {
    sheets: [
      { name: U, rows: underlag },
      { name: "Åtgärder", rows: atgarder },
      { name: "Volymer", rows: volymer },
    ],
    names: [
      cell("Period", 2),
      cell("Enhet", 3),
      cell("Avrundning", 4),
      cell("Balansmal", 5),
      { name: "Poster", sheet: U, row: FIRST_ROW, col: COL.post, rows, cols: 1 },
      { name: "Radtyp", sheet: U, row: FIRST_ROW, col: COL.kind, rows, cols: 1 },
      { name: "Budget", sheet: U, row: FIRST_ROW, col: COL.budget, rows, cols: 12 },
      { name: "Utfall", sheet: U, row: FIRST_ROW, col: COL.actual, rows, cols: 12 },
      { name: "Metod", sheet: U, row: FIRST_ROW, col: COL.method, rows, cols: 1 },
      { name: "ManuellPrognos", sheet: U, row: FIRST_ROW, col: COL.manual, rows, cols: 1 },
      { name: "Kommentar", sheet: U, row: FIRST_ROW, col: COL.comment, rows, cols: 1 },
      { name: "UtfallFgAr", sheet: U, row: FIRST_ROW, col: COL.lastYear, rows, cols: 12 },
      { name: "Atgarder", sheet: "Åtgärder", row: 2, col: 0, rows: measures.length + 1, cols: 6 },
      { name: "Namndmoten", sheet: "Åtgärder", row: 3, col: 7, rows: COMMITTEE_SERIALS.length, cols: 1 },
      { name: "Volymer", sheet: "Volymer", row: 2, col: 0, rows: VOLUMES.length + 1, cols: 5 },
    ],
    lines: rows,
  };
}

function colLetters(col: number): string {
  let s = "";
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function rangeA1(r: { row: number; col: number; rows: number; cols: number }): string {
  const a = `${colLetters(r.col)}${r.row + 1}`;
  const b = `${colLetters(r.col + r.cols - 1)}${r.row + r.rows}`;
  return a === b ? a : `${a}:${b}`;
}

/** The workbook as .xlsx bytes (ExcelJS; dates are plain serials, as Excel stores them). */
export async function xlsxBytes(spec: BookSpec): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Uppföljaren bench";
  for (const s of spec.sheets) {
    const ws = wb.addWorksheet(s.name);
    s.rows.forEach((r, i) => {
      if (r.length === 0) return;
      const row = ws.getRow(i + 1);
      r.forEach((v, j) => {
        if (v !== null && typeof v !== "object") row.getCell(j + 1).value = v;
      });
    });
  }
  for (const nm of spec.names) {
    const abs = rangeA1(nm).replace(/([A-Z]+)(\d+)/g, "$$$1$$$2");
    wb.definedNames.add(`'${nm.sheet}'!${abs}`, nm.name);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The workbook loaded straight into the strict Excel fake (no .xlsx round trip). */
export function fakeExcel(spec: BookSpec): FakeExcel {
  return createFakeExcel((wb) => {
    for (const s of spec.sheets) wb.addSheet(s.name).setValues(0, 0, s.rows);
    for (const nm of spec.names) wb.defineName(nm.name, nm.sheet, rangeA1(nm));
  });
}
