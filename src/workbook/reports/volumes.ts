/**
 * Volymmått (S1 §1.2): outcome, the ekonom's forecast, the run-rate suggestion and last year, then the
 * ekonom's "Kommentar till volymutveckling" and a note area.
 */
import type { LedgerResult } from "../../core/types";
import { REPORT_SHEETS } from "../contract";
import type { SheetCarry } from "./carry";
import { type BuiltSheet, COUNT_FORMAT, NOTE, OFWHICH, type PageInfo, Sheet, ytdLabel } from "./common";

const COLS = 5;

export function volumes(result: LedgerResult, carry: SheetCarry, page: PageInfo): BuiltSheet {
  const s = new Sheet(REPORT_SHEETS.volumes, [60, 16, 14, 14, 16], carry);
  const { year, month } = result.period;
  s.header([
    "Volymmått",
    `Utfall ${ytdLabel(year, month)}`,
    `Prognos ${year}`,
    `Utfall ${year - 1}`,
    `Förslag (takt) ${year}`,
  ]);
  s.format({ row: 0, col: 1, rows: 1, cols: 4 }, { horizontalAlignment: "right", bold: true, wrap: true });
  const first = s.row;
  for (const v of result.volumes) {
    // The seed's three columns first, so the first four columns paste as S1's table; the suggestion after.
    const r = s.line([v.label, v.actual, v.forecast ?? null, v.lastYear, v.suggestion]);
    s.fit(r, 0, 1, v.label);
  }
  if (result.volumes.length === 0)
    s.line(["Inga volymmått är angivna (namnet Volymer saknas eller är tomt)."], NOTE);
  else {
    const rows = s.row - first;
    s.format(
      { row: first, col: 0, rows, cols: 1 },
      { ...OFWHICH, indent: 0, wrap: true, verticalAlignment: "top" },
    );
    s.format({ row: first, col: 1, rows, cols: 4 }, { numberFormat: COUNT_FORMAT, verticalAlignment: "top" });
    s.format(
      { row: first, col: 3, rows, cols: 1 },
      { horizontalAlignment: "right", verticalAlignment: "top" },
    );
  }
  s.skip();
  s.commentZone("Kommentar till volymutveckling", COLS);
  s.notes(COLS);
  s.plan.freeze = { rows: 1, cols: 1 };
  s.print(
    { orientation: "landscape", fitToWidth: true, repeatRows: { first: 0, last: 0 } },
    "Volymmått",
    page,
  );
  return s.done();
}
