/** Kontroller: every finding with its level, code, message and cell. */
import { sheetPrefix } from "../a1";
import { REPORT_SHEETS } from "../contract";
import type { LocatedFinding, SheetPlan } from "../types";
import { Sheet, TITLE } from "./common";

const LEVEL_SV = { error: "Fel", warning: "Varning", info: "Info" } as const;
const LEVEL_FILL = { error: "#F8D7DA", warning: "#FFF3CD", info: undefined } as const;

/** "Underlag!C7", "'Blad 1'!B2", the sheet alone, or "". */
export function findingRef(f: LocatedFinding): string {
  if (!f.sheet) return "";
  return f.cell ? `${sheetPrefix(f.sheet)}!${f.cell}` : sheetPrefix(f.sheet);
}

export function findingsSheet(findings: LocatedFinding[]): SheetPlan {
  const s = new Sheet(REPORT_SHEETS.findings);
  s.line(["Kontroller"], TITLE);
  s.header(["Nivå", "Kod", "Meddelande", "Cell"]);
  for (const f of findings) {
    const r = s.line([LEVEL_SV[f.level], f.code, f.message, findingRef(f)]);
    s.format({ row: r, col: 2, rows: 1, cols: 1 }, { wrap: true });
    const fill = LEVEL_FILL[f.level];
    if (fill) s.format({ row: r, col: 0, rows: 1, cols: 1 }, { fill });
  }
  if (findings.length === 0) s.line(["", "", "Inga anmärkningar.", ""]);
  s.format({ row: 2, col: 0, rows: Math.max(1, s.row - 2), cols: 4 }, { verticalAlignment: "top" });
  s.widths(10, 27, 90, 20);
  s.plan.freeze = { rows: 2, cols: 0 };
  s.plan.print = { orientation: "landscape", fitToWidth: true, repeatRows: { first: 1, last: 1 } };
  return s.plan;
}
