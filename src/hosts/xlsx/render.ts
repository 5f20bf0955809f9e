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

type StyleFor = (base: number, style: NonNullable<SheetPlan["formats"][number]["style"]>) => number;

/**
 * The plan's cells as rows of columns: final values and style indexes after every block is applied.
 * Plain arrays by row and column (a report sheet is dense within its few columns), no object per cell.
 */
function layOut(sp: SheetPlan, styleFor: StyleFor) {
  const values: (PlanValue[] | undefined)[] = [];
  const styles: (number[] | undefined)[] = [];
  for (const block of sp.values)
    block.values.forEach((line, r) => {
      const row = (values[block.row + r] ??= []);
      line.forEach((v, c) => (row[block.col + c] = v));
    });
  for (const f of sp.formats) {
    if (f.rect.rows <= 0 || f.rect.cols <= 0 || Object.keys(f.style).length === 0) continue;
    // Cells under one format mostly share their base: the last answer is reused.
    let lastBase = -1;
    let lastId = 0;
    for (let r = f.rect.row; r < f.rect.row + f.rect.rows; r++) {
      const row = (styles[r] ??= []);
      for (let c = f.rect.col; c < f.rect.col + f.rect.cols; c++) {
        const base = row[c] ?? 0;
        if (base !== lastBase) [lastBase, lastId] = [base, styleFor(base, f.style)];
        row[c] = lastId;
      }
    }
  }
  return { values, styles };
}

/**
 * Writes the worksheet XML of a report sheet, in pieces, to `write`. `styleFor(base, style)` gives cell
 * format indexes (styles.ts); `drawingRelId` links the sheet's drawing (its charts) when there is one.
 */
export function renderSheet(
  sp: SheetPlan,
  styleFor: StyleFor,
  drawingRelId: string | null,
  write: (xml: string) => void,
): void {
  const { values, styles } = layOut(sp, styleFor);
  const heights: (number | undefined)[] = [];
  for (const h of sp.rowHeights ?? []) heights[h.row] = h.height;
  const rowCount = Math.max(values.length, styles.length, heights.length);
  // The used range goes before the cells (<dimension>), so it is found first.
  let maxRow = -1;
  let maxCol = 0;
  let anyRow = false;
  for (let r = 0; r < rowCount; r++) {
    const vs = values[r];
    const ss = styles[r];
    let last = -1;
    for (let c = Math.max(vs?.length ?? 0, ss?.length ?? 0) - 1; c >= 0 && last < 0; c--)
      if ((vs?.[c] !== null && vs?.[c] !== undefined) || ss?.[c]) last = c;
    if (last >= 0) {
      maxRow = r;
      if (last > maxCol) maxCol = last;
    }
    if (last >= 0 || heights[r] !== undefined) anyRow = true;
  }
  const print = sp.print;
  const fit = !!print && (print.fitToWidth || !!print.fitToHeight);
  write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n');
  write(`<worksheet xmlns="${NS.main}" xmlns:r="${NS.rel}">`);
  if (fit) write('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>');
  write(`<dimension ref="${anyRow ? `A1:${ref(Math.max(maxRow, 0), maxCol)}` : "A1"}"/>`);
  write(`<sheetViews><sheetView workbookViewId="0">${pane(sp)}</sheetView></sheetViews>`);
  write('<sheetFormatPr defaultRowHeight="15"/>');
  const widths = [...sp.columnWidths].sort((a, b) => a.col - b.col);
  if (widths.length)
    write(
      `<cols>${widths.map((w) => `<col min="${w.col + 1}" max="${w.col + 1}" width="${w.width}" customWidth="1"/>`).join("")}</cols>`,
    );
  if (!anyRow) write("<sheetData/>");
  else {
    write("<sheetData>");
    const names: string[] = [];
    for (let r = 0; r < rowCount; r++) {
      const vs = values[r];
      const ss = styles[r];
      const h = heights[r];
      const n = Math.max(vs?.length ?? 0, ss?.length ?? 0);
      let body = "";
      for (let c = 0; c < n; c++) {
        const v = vs?.[c] ?? null;
        const st = ss?.[c] ?? 0;
        if (v === null && !st) continue;
        body += cellXml("", `${(names[c] ??= columnName(c))}${r + 1}`, st, v);
      }
      if (!body && h === undefined) continue;
      write(`<row r="${r + 1}"${h === undefined ? "" : ` ht="${h}" customHeight="1"`}>${body}</row>`);
    }
    write("</sheetData>");
  }
  const merges = sp.merges.filter((m) => m.rows * m.cols > 1);
  if (merges.length) {
    write(`<mergeCells count="${merges.length}">`);
    for (const m of merges)
      write(`<mergeCell ref="${ref(m.row, m.col)}:${ref(m.row + m.rows - 1, m.col + m.cols - 1)}"/>`);
    write("</mergeCells>");
  }
  write('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>');
  if (print) {
    const fitAttrs = fit
      ? ` fitToWidth="${print.fitToWidth ? 1 : 0}" fitToHeight="${print.fitToHeight ? 1 : 0}"`
      : "";
    write(`<pageSetup paperSize="9" orientation="${print.orientation}"${fitAttrs}/>`);
    const head = headerFooter(print.header);
    const foot = headerFooter(print.footer);
    if (head || foot)
      write(
        `<headerFooter>${head ? `<oddHeader>${escapeText(head)}</oddHeader>` : ""}${foot ? `<oddFooter>${escapeText(foot)}</oddFooter>` : ""}</headerFooter>`,
      );
  }
  if (drawingRelId) write(`<drawing r:id="${drawingRelId}"/>`);
  write("</worksheet>");
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
