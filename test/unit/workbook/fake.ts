/**
 * A tiny in-memory workbook for the workbook layer's unit tests: sheets of raw cells, formulas,
 * defined names and protection. It answers planRead's ReadRequest the way a host does.
 */
import { compute } from "../../../src/core";
import { colIndex } from "../../../src/workbook/a1";
import { defaultConfig } from "../../../src/workbook/config";
import { planRead } from "../../../src/workbook/contract";
import { buildInput } from "../../../src/workbook/input";
import type {
  NameEntry,
  RawCell,
  ReadRequest,
  ReadResult,
  StoredConfig,
  WorkbookMeta,
} from "../../../src/workbook/types";

export interface FakeBook {
  sheets: Record<string, RawCell[][]>;
  formulas: Record<string, string[][]>;
  names: NameEntry[];
  protectedSheets: string[];
}

export function book(...sheetNames: string[]): FakeBook {
  const b: FakeBook = { sheets: {}, formulas: {}, names: [], protectedSheets: [] };
  for (const s of sheetNames) {
    b.sheets[s] = [];
    b.formulas[s] = [];
  }
  return b;
}

function addr(a: string): { row: number; col: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(a) as RegExpExecArray;
  return { row: Number(m[2]) - 1, col: colIndex(m[1]) };
}

/** Writes a block of values with its top-left at `at` (e.g. "B6"). */
export function put(b: FakeBook, sheet: string, at: string, values: RawCell[][]): void {
  const { row, col } = addr(at);
  const grid = b.sheets[sheet];
  values.forEach((r, i) =>
    r.forEach((v, j) => {
      grid[row + i] = grid[row + i] ?? [];
      grid[row + i][col + j] = v;
    }),
  );
}

export function putFormula(b: FakeBook, sheet: string, at: string, formula: string, value: RawCell): void {
  const { row, col } = addr(at);
  put(b, sheet, at, [[value]]);
  const f = b.formulas[sheet];
  f[row] = f[row] ?? [];
  f[row][col] = formula;
}

export function name(b: FakeBook, n: string, formula: string, scope: string | null = null): void {
  b.names.push({ name: n, formula, scope });
}

/** The blank template's Investeringar table: its heading and two empty rows, named. */
export function emptyInvestments(b: FakeBook): void {
  b.sheets["Investeringar"] = [];
  put(b, "Investeringar", "A1", [
    ["Projekt", "Budget", "Utfall", "Prognos budgetavvikelse helår", "Kommentar"],
    [null, null, null, null, null],
    [null, null, null, null, null],
  ]);
  name(b, "Investeringar", "=Investeringar!$A$1:$E$3");
}

export function metaOf(b: FakeBook): WorkbookMeta {
  return {
    sheets: Object.keys(b.sheets).map((s) => ({ name: s, protected: b.protectedSheets.includes(s) })),
    names: b.names,
  };
}

export function readOf(b: FakeBook, req: ReadRequest): ReadResult {
  return {
    ranges: req.ranges.map(({ key, rect, formulas }) => {
      const grid = b.sheets[rect.sheet] ?? [];
      const fgrid = b.formulas[rect.sheet] ?? [];
      const values: RawCell[][] = [];
      const fs: string[][] = [];
      for (let i = 0; i < rect.rows; i++) {
        const row: RawCell[] = [];
        const frow: string[] = [];
        for (let j = 0; j < rect.cols; j++) {
          const v = grid[rect.row + i]?.[rect.col + j] ?? null;
          row.push(v);
          const f = fgrid[rect.row + i]?.[rect.col + j];
          frow.push(f ?? (v === null ? "" : String(v)));
        }
        values.push(row);
        fs.push(frow);
      }
      return formulas ? { key, values, formulas: fs } : { key, values };
    }),
    sheets: req.sheets.map((s) => ({
      sheet: s,
      values: (b.sheets[s] ?? []).map((r) => Array.from(r ?? [], (v) => v ?? null)),
    })),
  };
}

/** 2019-04-30 as an Excel serial. */
export const APR_30_2019 = 43585;

/**
 * The Katrineholm T1 2019 ledger (S1 §4.1) on sheet Underlag: labels A6:A12, annual budgets B6:B12,
 * outcome to date C6:C12, Period B2, Balansmal B3, Enhet B4; names defined at workbook scope.
 */
export function katrineholm(): FakeBook {
  const b = book("Underlag");
  put(b, "Underlag", "A2", [
    ["Period", APR_30_2019],
    ["Balansmål", -30000],
    ["Enhet", "tkr"],
  ]);
  put(b, "Underlag", "A5", [["Post", "Budget helår", "Utfall hittills"]]);
  put(b, "Underlag", "A6", [
    ["Verksamhetens intäkter", 28674, 11890],
    ["Verksamhetens kostnader", -209283, -86983],
    ["varav ekonomiskt bistånd", -49959, -20903],
    ["varav köpt huvudverksamhet (placeringar)", -38415, -24054],
    ["varav personalkostnader inkl ers familjehem", -95433, -29743],
    ["varav utredningskonsulter", 0, -4007],
    ["varav övriga kostnader", -25476, -8276],
  ]);
  name(b, "Poster", "=Underlag!$A$6:$A$12");
  name(b, "Budget", "=Underlag!$B$6:$B$12");
  name(b, "Utfall", "=Underlag!$C$6:$C$12");
  name(b, "Period", "=Underlag!$B$2");
  name(b, "Balansmal", "=Underlag!$B$3");
  name(b, "Enhet", "=Underlag!$B$4");
  return b;
}

/** What a refresh does before it plans: the contract, the read, the input and the core; throws on errors. */
export function computeBook(b: FakeBook, config: StoredConfig = defaultConfig(), month?: number) {
  const p = planRead(metaOf(b), config);
  if ("errors" in p) throw new Error(p.errors.map((e) => e.message).join("\n"));
  const read = readOf(b, p.request);
  const built = buildInput(p.resolution, read, config, { month });
  if ("errors" in built) throw new Error(built.errors.map((e) => e.message).join("\n"));
  return { read, input: built.input, layout: built.layout, result: compute(built.input) };
}
