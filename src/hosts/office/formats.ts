/**
 * A sheet plan's formats as the fewest Office.js operations that leave every cell as the plan's formats
 * applied one by one would: the plan's last word per cell and property is worked out first, then each
 * property value goes to all its cells at once, as the areas of one RangeAreas ("Setting a property on a
 * RangeAreas object sets the corresponding property on all the ranges in the RangeAreas.areas
 * collection", https://learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-multiple-ranges).
 *
 * A report with a section per unit repeats the same few styles hundreds of times (title, header, total
 * lines, varav labels); one operation per style and property instead of one per occurrence is what keeps
 * its request near the size of the same lines without units.
 */
import { rectA1 } from "../../workbook/a1";
import type { CellStyle, Rect } from "../../workbook/types";

type Prop = keyof CellStyle;
type Value = CellStyle[Prop];

/** Properties whose value belongs to one edge of the plan's rectangle, not to each of its cells. */
const EDGE: Partial<Record<Prop, "top" | "bottom">> = { borderTop: "top", borderBottom: "bottom" };

/**
 * The per-cell pass holds one small object per cell: a sheet whose formats cover more cells is compiled
 * in bands of rows of about this many cells each (a band's areas stop at its edge), so memory stays
 * near 25 MB whatever the sheet's size.
 */
export const BAND_CELLS = 250_000;

/**
 * Address text per RangeAreas: Worksheet.getRanges has refused long valid addresses (reported from
 * about 8 200 characters, https://github.com/OfficeDev/office-js/issues/5198); a quarter of that.
 */
export const MAX_ADDRESS_CHARS = 2048;

/** One style (without number format) for a set of areas. */
export interface AreaStyle {
  style: Omit<CellStyle, "numberFormat">;
  areas: Rect[];
}

export interface CompiledFormats {
  styles: AreaStyle[];
  /** Number formats, one rectangle each (RangeAreas has no numberFormat). */
  numberFormats: { rect: Rect; numberFormat: string }[];
}

/** Sum of the formats' cells (the work the per-cell pass would do). */
export function formatCells(formats: readonly { rect: Rect }[]): number {
  return formats.reduce((n, f) => n + Math.max(0, f.rect.rows) * Math.max(0, f.rect.cols), 0);
}

/**
 * The final value of every (cell, property) the formats set, in plan order (a later format wins), as
 * rectangles per property value; values that cover exactly the same rectangles share one style.
 */
export function compileFormats(
  formats: readonly { rect: Rect; style: CellStyle }[],
  bandCells = BAND_CELLS,
): CompiledFormats {
  const live = formats.filter((f) => f.rect.rows > 0 && f.rect.cols > 0);
  if (!live.length) return { styles: [], numberFormats: [] };
  const first = live.reduce((m, f) => Math.min(m, f.rect.row), Infinity);
  const end = live.reduce((m, f) => Math.max(m, f.rect.row + f.rect.rows), 0);
  const cells = formatCells(live);
  const bandRows = Math.max(1, Math.floor(((end - first) * bandCells) / Math.max(1, cells)));
  const out: CompiledFormats = { styles: [], numberFormats: [] };
  for (let from = first; from < end; from += bandRows) {
    const band = compileBand(live, from, Math.min(end, from + bandRows));
    out.styles.push(...band.styles);
    out.numberFormats.push(...band.numberFormats);
  }
  return out;
}

/** The formats' final values on rows [from, to) (an edge border still belongs to its own rectangle's edge). */
function compileBand(
  formats: readonly { rect: Rect; style: CellStyle }[],
  from: number,
  to: number,
): CompiledFormats {
  // row → cells by column (sparse) → property → value
  const grid = new Map<number, Cell[]>();
  for (const { rect, style } of formats) {
    const props = (Object.keys(style) as Prop[]).filter((p) => style[p] !== undefined);
    if (!props.length) continue;
    const start = Math.max(rect.row, from);
    const stop = Math.min(rect.row + rect.rows, to);
    for (let r = start; r < stop; r++) {
      let line = grid.get(r);
      if (!line) grid.set(r, (line = []));
      const top = r === rect.row;
      const bottom = r === rect.row + rect.rows - 1;
      for (let c = rect.col; c < rect.col + rect.cols; c++) {
        const cell = (line[c] ??= {}) as Record<Prop, Value>;
        for (const p of props) {
          const edge = EDGE[p];
          if ((edge === "top" && !top) || (edge === "bottom" && !bottom)) continue;
          cell[p] = style[p];
        }
      }
    }
  }
  return groupAreas(grid);
}

type Cell = Partial<Record<Prop, Value>>;

interface Group {
  prop: Prop;
  value: Value;
  rects: Rect[];
  /** This row's runs of consecutive columns. */
  runs: { col: number; cols: number }[];
  /** Rectangles open at the last row, by col × 2^16 + cols, to extend downwards. */
  open: Map<number, Rect>;
}

function groupAreas(grid: Map<number, Cell[]>): CompiledFormats {
  const byProp = new Map<Prop, Map<Value, Group>>();
  const all: Group[] = [];
  for (const r of [...grid.keys()].sort((a, b) => a - b)) {
    const line = grid.get(r)!;
    const touched: Group[] = [];
    for (let c = 0; c < line.length; c++) {
      const cell = line[c];
      if (!cell) continue;
      for (const prop in cell) {
        const value = cell[prop as Prop];
        let values = byProp.get(prop as Prop);
        if (!values) byProp.set(prop as Prop, (values = new Map()));
        let g = values.get(value);
        if (!g) {
          g = { prop: prop as Prop, value, rects: [], runs: [], open: new Map() };
          values.set(value, g);
          all.push(g);
        }
        const last = g.runs[g.runs.length - 1];
        if (last && last.col + last.cols === c) last.cols++;
        else {
          if (!g.runs.length) touched.push(g);
          g.runs.push({ col: c, cols: 1 });
        }
      }
    }
    for (const g of touched) {
      const open = new Map<number, Rect>();
      for (const { col, cols } of g.runs) {
        const id = col * 65536 + cols;
        const above = g.open.get(id);
        // An edge border stays one row per area: on a taller area it would mark only its outer edge.
        if (above && above.row + above.rows === r && !EDGE[g.prop]) {
          above.rows++;
          open.set(id, above);
        } else {
          const rect = { row: r, col, rows: 1, cols };
          g.rects.push(rect);
          open.set(id, rect);
        }
      }
      g.open = open;
      g.runs = [];
    }
  }
  const groups = all;
  const styles = new Map<string, AreaStyle>();
  const numberFormats: CompiledFormats["numberFormats"] = [];
  for (const g of groups) {
    if (g.prop === "numberFormat") {
      for (const rect of g.rects) numberFormats.push({ rect, numberFormat: g.value as string });
      continue;
    }
    const id = g.rects.map((x) => `${x.row},${x.col},${x.rows},${x.cols}`).join(";");
    const same = styles.get(id);
    if (same) (same.style as Record<string, Value>)[g.prop] = g.value;
    else styles.set(id, { style: { [g.prop]: g.value }, areas: g.rects });
  }
  return { styles: [...styles.values()], numberFormats };
}

/** Areas as comma-separated addresses of at most MAX_ADDRESS_CHARS each. */
export function addressChunks(areas: readonly Rect[], maxChars = MAX_ADDRESS_CHARS): string[] {
  const out: string[] = [];
  let cur = "";
  for (const area of areas) {
    const a = rectA1(area);
    if (cur && cur.length + 1 + a.length > maxChars) {
      out.push(cur);
      cur = a;
    } else cur = cur ? `${cur},${a}` : a;
  }
  if (cur) out.push(cur);
  return out;
}
