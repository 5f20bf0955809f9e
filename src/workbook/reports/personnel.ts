/**
 * Personalnyckeltal (S1 §3.1): two header rows, the section rows, Totalt/Kvinnor/Män for this period and
 * the same period last year (core/personnel.ts checks them), the ekonom's "Kommentar till
 * personalnyckeltal" and a note area.
 */
import type { PersonnelResult } from "../../core/personnel";
import type { LedgerResult } from "../../core/types";
import { REPORT_SHEETS } from "../contract";
import type { SheetCarry } from "./carry";
import {
  BOLD,
  type BuiltSheet,
  COUNT_FORMAT,
  HEADER,
  NOTE,
  OFWHICH,
  type PageInfo,
  Sheet,
  ytdLabel,
} from "./common";

const COLS = 8;
export const PERSONNEL_COMMENT = "Kommentar till personalnyckeltal";
export const PERCENT_FORMAT = "0.0 %";

/** "Tertial 2019" for the tertial months, otherwise the months covered ("jan-mars 2019"). */
export function personnelPeriodLabel(year: number, month: number): string {
  return month === 4 || month === 8 || month === 12 ? `Tertial ${year}` : ytdLabel(year, month);
}

export function personnelSheet(
  result: LedgerResult,
  personnel: PersonnelResult,
  carry: SheetCarry,
  page: PageInfo,
): BuiltSheet {
  // Wide enough for S1's longest label and the two-line Mätdatum header.
  const s = new Sheet(REPORT_SHEETS.personnel, [72, 18, 10, 10, 10, 10, 10, 10], carry);
  const { year, month } = result.period;
  s.title("Personalnyckeltal", COLS);
  const h1 = s.header([
    "",
    "Mätdatum/ mätperiod",
    personnelPeriodLabel(year, month),
    null,
    null,
    personnelPeriodLabel(year - 1, month),
    null,
    null,
  ]);
  s.merge({ row: h1, col: 2, rows: 1, cols: 3 });
  s.merge({ row: h1, col: 5, rows: 1, cols: 3 });
  s.format({ row: h1, col: 2, rows: 1, cols: 6 }, { ...HEADER, horizontalAlignment: "center" });
  s.header(["", "", "Totalt", "Kvinnor", "Män", "Totalt", "Kvinnor", "Män"]);
  for (const r of personnel.rows) {
    if (r.kind === "section") {
      s.line([r.label], BOLD);
      continue;
    }
    const f = r.current;
    const ly = r.lastYear;
    const row = s.line([r.label, r.date, f.total, f.women, f.men, ly.total, ly.women, ly.men]);
    s.format(
      { row, col: 0, rows: 1, cols: 1 },
      r.kind === "ofWhich" ? { ...OFWHICH, wrap: true } : { wrap: true },
    );
    s.fit(row, 0, 1, r.kind === "ofWhich" ? `xx${r.label}` : r.label);
    s.format({ row, col: 1, rows: 1, cols: 1 }, { horizontalAlignment: "right" });
    s.format(
      { row, col: 2, rows: 1, cols: 6 },
      { numberFormat: r.unit === "percent" ? PERCENT_FORMAT : COUNT_FORMAT },
    );
  }
  if (personnel.rows.length === 0)
    s.line(["Inga personalnyckeltal är angivna (tabellen Personal är tom)."], NOTE);
  s.skip();
  s.commentZone(PERSONNEL_COMMENT, COLS);
  s.notes(COLS);
  s.plan.freeze = { rows: 3, cols: 1 };
  s.print(
    { orientation: "landscape", fitToWidth: true, repeatRows: { first: 1, last: 2 } },
    "Personalnyckeltal",
    page,
  );
  return s.done();
}
