/**
 * Excel's limit on the text of one cell: 32 767 characters ("Excel specifications and limits",
 * https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3).
 * Excel refuses a longer value (Office.js fails the whole request; an .xlsx cell over the limit is
 * invalid), so a plan's longer text is cut to the limit, ending in "…", with a finding naming the cell.
 */
import { formatNumber } from "../core/format";
import { a1 } from "./a1";
import type { LocatedFinding, SheetPlan } from "./types";

export const MAX_CELL_CHARS = 32_767;

/** Cuts every text over the limit in place; returns one finding per cut cell. */
export function capCellText(sheets: SheetPlan[]): LocatedFinding[] {
  const findings: LocatedFinding[] = [];
  for (const sheet of sheets)
    for (const block of sheet.values)
      block.values.forEach((line, r) =>
        line.forEach((v, c) => {
          if (typeof v !== "string" || v.length <= MAX_CELL_CHARS) return;
          line[c] = `${v.slice(0, MAX_CELL_CHARS - 1)}…`;
          const cell = a1(block.row + r, block.col + c);
          findings.push({
            level: "warning",
            code: "CELL_TEXT_TOO_LONG",
            message: `Texten i ${sheet.name}!${cell} har ${formatNumber(v.length)} tecken, men en cell i Excel rymmer högst ${formatNumber(MAX_CELL_CHARS)}. Texten har kortats; korta kommentaren eller benämningen i underlaget.`,
            sheet: sheet.name,
            cell,
          });
        }),
      );
  return findings;
}
