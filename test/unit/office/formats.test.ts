// The Office host's format compilation (src/hosts/office/formats.ts): the same cells end up with the same
// formats as the plan's formats applied one by one, in far fewer operations.
import { rng } from "../../../scripts/bench-data";
import { unitBookSpec } from "../../../scripts/bench-units";
import { fakeExcel } from "../../../scripts/bench-data";
import { createOfficeApi } from "../../../src/hosts/office";
import { addressChunks, compileFormats } from "../../../src/hosts/office/formats";
import { rectA1 } from "../../../src/workbook/a1";
import type { CellStyle, Rect } from "../../../src/workbook/types";
import type { FakeWorkbook } from "../../fakes/excel";

type Cells = Map<string, Record<string, unknown>>;

/** The reference: each format in order on each cell; an edge border only on its rectangle's edge row. */
function applyInOrder(formats: { rect: Rect; style: CellStyle }[]): Cells {
  const out: Cells = new Map();
  for (const { rect, style } of formats)
    for (let r = rect.row; r < rect.row + rect.rows; r++)
      for (let c = rect.col; c < rect.col + rect.cols; c++) {
        const cell = out.get(`${r},${c}`) ?? {};
        for (const [k, v] of Object.entries(style)) {
          if (v === undefined) continue;
          if (k === "borderTop" && r !== rect.row) continue;
          if (k === "borderBottom" && r !== rect.row + rect.rows - 1) continue;
          cell[k] = v;
        }
        out.set(`${r},${c}`, cell);
      }
  return out;
}

test("compiled formats leave every cell as the formats applied one by one (random overlapping formats)", () => {
  const rand = rng(7);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  for (let round = 0; round < 30; round++) {
    const formats = Array.from({ length: 60 }, () => {
      const rect = {
        row: Math.floor(rand() * 30),
        col: Math.floor(rand() * 6),
        rows: 1 + Math.floor(rand() * 8),
        cols: 1 + Math.floor(rand() * 4),
      };
      const style: CellStyle = {};
      if (rand() < 0.5) style.bold = rand() < 0.5;
      if (rand() < 0.3) style.fontSize = pick([11, 14]);
      if (rand() < 0.3) style.borderTop = pick(["thin", "medium"] as const);
      if (rand() < 0.3) style.borderBottom = "thin";
      if (rand() < 0.3) style.numberFormat = pick(["#,##0", "0.0"]);
      if (rand() < 0.3) style.horizontalAlignment = pick(["left", "right"] as const);
      if (rand() < 0.2) style.fill = "#FFF2CC";
      return { rect, style };
    });
    // In one pass, and in bands of a few rows (as a large sheet is compiled).
    const { styles, numberFormats } = compileFormats(formats);
    const banded = compileFormats(formats, 40);
    const banding = applyInOrder([
      ...banded.numberFormats.map(({ rect, numberFormat }) => ({ rect, style: { numberFormat } })),
      ...banded.styles.flatMap(({ style, areas }) => areas.map((rect) => ({ rect, style }))),
    ]);
    const compiled = applyInOrder([
      ...numberFormats.map(({ rect, numberFormat }) => ({ rect, style: { numberFormat } })),
      ...styles.flatMap(({ style, areas }) => areas.map((rect) => ({ rect, style }))),
    ]);
    const canonical = (m: Cells) =>
      [...m]
        .filter(([, v]) => Object.keys(v).length)
        .map(([k, v]) => `${k} ${JSON.stringify(Object.fromEntries(Object.entries(v).sort()))}`)
        .sort();
    expect(canonical(compiled)).toEqual(canonical(applyInOrder(formats)));
    expect(canonical(banding)).toEqual(canonical(applyInOrder(formats)));
    // and no area of an edge border is taller than a row
    for (const { style, areas } of [...styles, ...banded.styles])
      if (style.borderTop || style.borderBottom) expect(areas.every((a) => a.rows === 1)).toBe(true);
  }
});

test("addresses: A1 notation, chunks of at most the given length, every area once", () => {
  expect(rectA1({ row: 0, col: 0, rows: 1, cols: 1 })).toBe("A1");
  expect(rectA1({ row: 4, col: 25, rows: 2, cols: 3 })).toBe("Z5:AB6");
  const areas = Array.from({ length: 500 }, (_, i) => ({ row: i * 2, col: 0, rows: 1, cols: 6 }));
  const chunks = addressChunks(areas, 200);
  expect(chunks.length).toBeGreaterThan(1);
  expect(chunks.every((c) => c.length <= 200)).toBe(true);
  expect(chunks.join(",").split(",")).toEqual(areas.map(rectA1));
});

/** Everything the write leaves in the cells and the sheet's grid, sheet by sheet. */
function grid(model: FakeWorkbook): unknown {
  return model.sheets.map((s) => ({
    name: s.name,
    cells: [...s.cells]
      .flatMap(([r, line]) => [...line].map(([c, cell]) => [r, c, cell] as const))
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]),
    merges: [...s.merges].sort((a, b) => a.row - b.row || a.col - b.col),
    heights: [...s.rowHeights].sort((a, b) => a[0] - b[0]),
    widths: [...s.columnWidths].sort((a, b) => a[0] - b[0]),
  }));
}

test("a workbook with units refreshed through the Office host: the same cells and formats as one operation per format", async () => {
  const spec = unitBookSpec(6, 20);
  const run = async (areas: boolean) => {
    const fake = fakeExcel(spec);
    // Without ExcelApi 1.9 the host writes every format of the plan as its own operation.
    const isSetSupported = (set: string, version: string) =>
      (areas || !(set === "ExcelApi" && version === "1.9")) && fake.isSetSupported(set, version);
    const outcome = await createOfficeApi((batch) => fake.run(batch), { isSetSupported }).refresh();
    expect(outcome.ok).toBe(true);
    const writes = fake.requests.filter((r) => !r.cleanup && r.writes > 0);
    return { model: grid(fake.model), bytes: writes.reduce((n, r) => n + r.bytes, 0) };
  };
  const perFormat = await run(false);
  const compiled = await run(true);
  expect(compiled.model).toEqual(perFormat.model);
  expect(compiled.bytes).toBeLessThan(perFormat.bytes * 0.6);
});
