/**
 * Synthetic ledgers with units (Ansvar) for the benchmarks and the batch test, built on bench-data's
 * template-shaped workbooks: the same lines, plus an Ansvar column beside them (and in the Atgarder
 * table, each measure in the unit of its line).
 * - unitBookSpec(units, linesPerUnit): one workbook whose lines are split into `units` units of
 *   `linesPerUnit` lines each (whole blocks of ten, each block ending in its Summa line);
 * - unitWorkbookSpec(name, lines): one unit's own workbook (every line in unit `name`).
 */
import { bookSpec, type BookSpec } from "./bench-data";
import type { RawCell } from "../src/workbook/types";

/** The spec with an Ansvar column right of the used columns of Underlag, `unitOf(i)` for line i. */
export function withUnits(spec: BookSpec, unitOf: (line: number) => string): BookSpec {
  const poster = spec.names.find((n) => n.name === "Poster")!;
  const underlag = spec.sheets.find((s) => s.name === poster.sheet)!;
  const col = Math.max(...underlag.rows.map((r) => r.length));
  const rows = underlag.rows.map((r) => [...r]);
  const set = (row: number, value: RawCell) => {
    while (rows[row].length < col) rows[row].push(null);
    rows[row][col] = value;
  };
  set(poster.row - 1, "Ansvar");
  const unitByLabel = new Map<string, string>();
  for (let i = 0; i < poster.rows; i++) {
    const unit = unitOf(i);
    set(poster.row + i, unit);
    const label = rows[poster.row + i][poster.col];
    if (typeof label === "string" && !unitByLabel.has(label)) unitByLabel.set(label, unit);
  }
  // Atgarder: column G (beside Post) gets the unit of each measure's line.
  const table = spec.names.find((n) => n.name === "Atgarder")!;
  const atgarder = spec.sheets.find((s) => s.name === table.sheet)!;
  const measureRows = atgarder.rows.map((r) => [...r]);
  const post = table.col + 5;
  measureRows[table.row][post + 1] = "Ansvar";
  for (let i = 1; i < table.rows; i++) {
    const r = measureRows[table.row + i];
    const line = r[post];
    r[post + 1] = typeof line === "string" ? (unitByLabel.get(line) ?? null) : null;
  }
  return {
    ...spec,
    sheets: spec.sheets.map((s) =>
      s === underlag ? { ...s, rows } : s === atgarder ? { ...s, rows: measureRows } : s,
    ),
    names: [
      ...spec.names.map((n) => (n === table ? { ...n, cols: n.cols + 1 } : n)),
      { name: "Ansvar", sheet: poster.sheet, row: poster.row, col, rows: poster.rows, cols: 1 },
    ],
  };
}

/** The name of unit k (0-based): "Enhet 001" … so that names sort in order. */
export const unitLabel = (k: number): string => `Enhet ${String(k + 1).padStart(3, "0")}`;

/** One workbook of `units` × `linesPerUnit` lines (linesPerUnit a multiple of ten). */
export function unitBookSpec(units: number, linesPerUnit: number): BookSpec {
  return withUnits(bookSpec(units * linesPerUnit), (i) => unitLabel(Math.floor(i / linesPerUnit)));
}

/** One unit's own workbook of `lines` lines, every line in unit `name`. */
export function unitWorkbookSpec(name: string, lines: number): BookSpec {
  return withUnits(bookSpec(lines), () => name);
}
