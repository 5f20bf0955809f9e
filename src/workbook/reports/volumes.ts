/** Volymmått (S1 §1.2): outcome, the ekonom's forecast, the run-rate suggestion and last year. */
import type { LedgerResult } from "../../core/types";
import { REPORT_SHEETS } from "../contract";
import type { SheetPlan } from "../types";
import { COUNT_FORMAT, NOTE, Sheet, ytdLabel } from "./common";

export function volumes(result: LedgerResult): SheetPlan {
  const s = new Sheet(REPORT_SHEETS.volumes);
  const { year, month } = result.period;
  s.header([
    "Volymmått",
    `Utfall ${ytdLabel(year, month)}`,
    `Prognos ${year}`,
    `Förslag (takt) ${year}`,
    `Utfall ${year - 1}`,
  ]);
  const first = s.row;
  for (const v of result.volumes) s.line([v.label, v.actual, v.forecast ?? null, v.suggestion, v.lastYear]);
  if (result.volumes.length === 0)
    s.line(["Inga volymmått är angivna (namnet Volymer saknas eller är tomt)."], NOTE);
  else {
    s.format({ row: first, col: 1, rows: s.row - first, cols: 4 }, { numberFormat: COUNT_FORMAT });
    s.format({ row: first, col: 4, rows: s.row - first, cols: 1 }, { horizontalAlignment: "right" });
  }
  s.format({ row: 0, col: 1, rows: 1, cols: 4 }, { horizontalAlignment: "right" });
  s.skip();
  s.line(["Kommentar till volymutveckling"], { bold: true });
  s.line(["(Skriv kommentaren här.)"], NOTE);
  s.widths(60, 16, 14, 16, 14);
  s.plan.freeze = { rows: 1, cols: 1 };
  s.plan.print = { orientation: "landscape", fitToWidth: true, repeatRows: { first: 0, last: 0 } };
  return s.plan;
}
