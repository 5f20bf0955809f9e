/** Kontroller: every finding with its level, Swedish title, message, cell and code, then a note area. */
import { sheetPrefix } from "../a1";
import { REPORT_SHEETS } from "../contract";
import type { LocatedFinding } from "../types";
import { bySeverity, findingTitle, LEVEL_SV } from "../words";
import type { SheetCarry } from "./carry";
import { type BuiltSheet, type PageInfo, Sheet } from "./common";

const LEVEL_FILL = { error: "#F8D7DA", warning: "#FFF3CD", info: undefined } as const;
const COLS = 5;

/** "Underlag!C7", "'Blad 1'!B2", the sheet alone, or "". */
export function findingRef(f: LocatedFinding): string {
  if (!f.sheet) return "";
  return f.cell ? `${sheetPrefix(f.sheet)}!${f.cell}` : sheetPrefix(f.sheet);
}

export function findingsSheet(findings: LocatedFinding[], carry: SheetCarry, page: PageInfo): BuiltSheet {
  const s = new Sheet(REPORT_SHEETS.findings, [12, 30, 80, 20, 30], carry);
  s.title("Kontroller", COLS);
  s.header(["Nivå", "Kontroll", "Meddelande", "Cell", "Kod"]);
  const first = s.row;
  for (const f of bySeverity(findings)) {
    const title = findingTitle(f.code);
    const ref = findingRef(f);
    const r = s.line([LEVEL_SV[f.level], title, f.message, ref, f.code]);
    s.fit(r, 1, 1, title);
    s.fit(r, 2, 1, f.message);
    s.fit(r, 3, 1, ref);
    const fill = LEVEL_FILL[f.level];
    if (fill) s.format({ row: r, col: 0, rows: 1, cols: 1 }, { fill, verticalAlignment: "top" });
  }
  if (findings.length === 0) s.line(["", "", "Inga anmärkningar.", "", ""]);
  const rows = Math.max(1, s.row - first);
  s.format({ row: first, col: 0, rows, cols: 1 }, { verticalAlignment: "top" });
  s.format({ row: first, col: 1, rows, cols: 3 }, { wrap: true, verticalAlignment: "top" });
  s.format(
    { row: first, col: 4, rows: Math.max(1, s.row - first), cols: 1 },
    { verticalAlignment: "top", fontColor: "#595959" },
  );
  s.notes(COLS);
  s.plan.freeze = { rows: 2, cols: 0 };
  s.print(
    { orientation: "landscape", fitToWidth: true, repeatRows: { first: 1, last: 1 } },
    "Kontroller",
    page,
  );
  return s.done();
}
