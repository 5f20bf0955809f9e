/**
 * The plan renderer: a report sheet's whole worksheet part from its SheetPlan (ECMA-376 Part 1, 18.3.1
 * CT_Worksheet, children in the schema's order), and the XML of one cell, shared with the in-place
 * editor. Strings are inline strings (never formulas, never the shared string table, which stays as the
 * user's file had it); numbers that are not finite are written as the error #NUM!, never as text.
 */
import type { HeaderFooterText, PlanValue, SheetPlan } from "../../workbook/types";
import { columnName } from "./text";
import { escapeText, NS } from "./xml";

/** One <c> element. `extra` carries attributes of an existing cell that are kept (already escaped). */
export function cellXml(prefix: string, ref: string, style: number, value: PlanValue, extra = ""): string {
  const s = style ? ` s="${style}"` : "";
  const p = prefix;
  if (value === null || value === undefined) return `<${p}c r="${ref}"${s}${extra}/>`;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return `<${p}c r="${ref}"${s} t="e"${extra}><${p}v>#NUM!</${p}v></${p}c>`;
    return `<${p}c r="${ref}"${s}${extra}><${p}v>${value}</${p}v></${p}c>`;
  }
  if (typeof value === "boolean")
    return `<${p}c r="${ref}"${s} t="b"${extra}><${p}v>${value ? 1 : 0}</${p}v></${p}c>`;
  const text = String(value);
  const space = /^\s|\s$|\n/.test(text) ? ' xml:space="preserve"' : "";
  return `<${p}c r="${ref}"${s} t="inlineStr"${extra}><${p}is><${p}t${space}>${escapeText(text)}</${p}t></${p}is></${p}c>`;
}

/** A cell's final value and style index after every block of the plan is applied. */
interface PlannedCell {
  v: PlanValue;
  s: number;
}

/** Excel's header/footer codes for three sections (18.3.1.39); a missing section is left out. */
function headerFooter(h: HeaderFooterText | undefined): string {
  if (!h) return "";
  return [h.left && `&L${h.left}`, h.center && `&C${h.center}`, h.right && `&R${h.right}`]
    .filter(Boolean)
    .join("");
}

function ref(row: number, col: number): string {
  return `${columnName(col)}${row + 1}`;
}

/**
 * The worksheet XML of a report sheet. `styleFor(base, style)` gives cell format indexes (styles.ts);
 * `drawingRelId` links the sheet's drawing (its charts) when there is one.
 */
export function renderSheet(
  sp: SheetPlan,
  styleFor: (base: number, style: NonNullable<SheetPlan["formats"][number]["style"]>) => number,
  drawingRelId: string | null,
): string {
  const cells = new Map<number, Map<number, PlannedCell>>();
  const at = (r: number, c: number): PlannedCell => {
    let line = cells.get(r);
    if (!line) cells.set(r, (line = new Map()));
    let cell = line.get(c);
    if (!cell) line.set(c, (cell = { v: null, s: 0 }));
    return cell;
  };
  for (const block of sp.values)
    block.values.forEach((line, r) => line.forEach((v, c) => (at(block.row + r, block.col + c).v = v)));
  for (const f of sp.formats) {
    if (f.rect.rows <= 0 || f.rect.cols <= 0 || Object.keys(f.style).length === 0) continue;
    for (let r = f.rect.row; r < f.rect.row + f.rect.rows; r++)
      for (let c = f.rect.col; c < f.rect.col + f.rect.cols; c++) {
        const cell = at(r, c);
        cell.s = styleFor(cell.s, f.style);
      }
  }
  const heights = new Map((sp.rowHeights ?? []).map((h) => [h.row, h.height]));
  for (const r of heights.keys()) if (!cells.has(r)) cells.set(r, new Map());
  let maxRow = 0;
  let maxCol = 0;
  const rows: string[] = [];
  for (const r of [...cells.keys()].sort((a, b) => a - b)) {
    const h = heights.get(r);
    const line = cells.get(r)!;
    const body: string[] = [];
    for (const c of [...line.keys()].sort((a, b) => a - b)) {
      const cell = line.get(c)!;
      if (cell.v === null && !cell.s) continue;
      maxRow = Math.max(maxRow, r);
      maxCol = Math.max(maxCol, c);
      body.push(cellXml("", ref(r, c), cell.s, cell.v));
    }
    if (!body.length && h === undefined) continue;
    rows.push(
      `<row r="${r + 1}"${h === undefined ? "" : ` ht="${h}" customHeight="1"`}>${body.join("")}</row>`,
    );
  }
  const print = sp.print;
  const fit = !!print && (print.fitToWidth || !!print.fitToHeight);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
    `<worksheet xmlns="${NS.main}" xmlns:r="${NS.rel}">`,
  ];
  if (fit) out.push('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>');
  out.push(`<dimension ref="${rows.length ? `A1:${ref(maxRow, maxCol)}` : "A1"}"/>`);
  out.push(`<sheetViews><sheetView workbookViewId="0">${pane(sp)}</sheetView></sheetViews>`);
  out.push('<sheetFormatPr defaultRowHeight="15"/>');
  const widths = [...sp.columnWidths].sort((a, b) => a.col - b.col);
  if (widths.length)
    out.push(
      `<cols>${widths.map((w) => `<col min="${w.col + 1}" max="${w.col + 1}" width="${w.width}" customWidth="1"/>`).join("")}</cols>`,
    );
  out.push(rows.length ? `<sheetData>${rows.join("")}</sheetData>` : "<sheetData/>");
  const merges = sp.merges.filter((m) => m.rows * m.cols > 1);
  if (merges.length)
    out.push(
      `<mergeCells count="${merges.length}">${merges.map((m) => `<mergeCell ref="${ref(m.row, m.col)}:${ref(m.row + m.rows - 1, m.col + m.cols - 1)}"/>`).join("")}</mergeCells>`,
    );
  out.push('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>');
  if (print) {
    const fitAttrs = fit
      ? ` fitToWidth="${print.fitToWidth ? 1 : 0}" fitToHeight="${print.fitToHeight ? 1 : 0}"`
      : "";
    out.push(`<pageSetup paperSize="9" orientation="${print.orientation}"${fitAttrs}/>`);
    const head = headerFooter(print.header);
    const foot = headerFooter(print.footer);
    if (head || foot)
      out.push(
        `<headerFooter>${head ? `<oddHeader>${escapeText(head)}</oddHeader>` : ""}${foot ? `<oddFooter>${escapeText(foot)}</oddFooter>` : ""}</headerFooter>`,
      );
  }
  if (drawingRelId) out.push(`<drawing r:id="${drawingRelId}"/>`);
  out.push("</worksheet>");
  return out.join("");
}

/** Frozen panes (18.3.1.66): rows above and columns left of the top-left scrolling cell. */
function pane(sp: SheetPlan): string {
  const f = sp.freeze;
  if (!f || (f.rows <= 0 && f.cols <= 0)) return "";
  const active = f.rows > 0 && f.cols > 0 ? "bottomRight" : f.rows > 0 ? "bottomLeft" : "topRight";
  const split = `${f.cols > 0 ? ` xSplit="${f.cols}"` : ""}${f.rows > 0 ? ` ySplit="${f.rows}"` : ""}`;
  const top = ref(Math.max(f.rows, 0), Math.max(f.cols, 0));
  return `<pane${split} topLeftCell="${top}" activePane="${active}" state="frozen"/><selection pane="${active}" activeCell="${top}" sqref="${top}"/>`;
}
