/**
 * What every report sheet shares: number formats, base styles and the Sheet helper that appends rows to
 * a SheetPlan.
 */
import type { Unit } from "../../core/types";
import { MONTHS_SV } from "../input";
import type { CellStyle, PlanValue, Rect, SheetPlan } from "../types";

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
export const COUNT_FORMAT = "#,##0";

export const TITLE: CellStyle = { bold: true, fontSize: 14 };
export const HEADER: CellStyle = {
  bold: true,
  wrap: true,
  verticalAlignment: "bottom",
  borderBottom: "thin",
};
/** Points: two lines of 11 pt text. */
export const HEADER_HEIGHT = 30;
export const NOTE: CellStyle = { italic: true, fontColor: "#595959" };

function sameStyle(a: CellStyle, b: CellStyle): boolean {
  const ka = Object.keys(a) as (keyof CellStyle)[];
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** A small helper that appends rows to a SheetPlan. */
export class Sheet {
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
