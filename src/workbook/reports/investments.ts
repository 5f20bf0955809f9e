/**
 * Investeringsredovisning (S1 §4.2): the capital statement's ledger (the core's compute on the
 * `Investeringar` table) in the operating statement's five columns and Summa, the project comments,
 * the ekonom's "Kommentar till investeringsredovisning" and a note area.
 */
import { periodLabel } from "../../core";
import type { LedgerResult } from "../../core/types";
import { REPORT_SHEETS } from "../contract";
import type { CellStyle } from "../types";
import type { SheetCarry } from "./carry";
import { amountFormats, type BuiltSheet, NOTE, OFWHICH, type PageInfo, Sheet } from "./common";

const COLS = 5;
const TOTAL: CellStyle = { bold: true, borderTop: "thin" };

/** The workbook-scoped names of the capital statement's key results (docs/TEMPLATE.md). */
export const INVESTMENT_NAMES = {
  deviation: "Uppf_InvesteringarAvvikelseHittills",
  forecastDeviation: "Uppf_InvesteringarPrognosavvikelseHelar",
} as const;

export const INVESTMENT_COMMENT = "Kommentar till investeringsredovisning";

export function investmentSheet(
  result: LedgerResult,
  comments: (string | null)[],
  carry: SheetCarry,
  page: PageInfo,
): BuiltSheet {
  const s = new Sheet(REPORT_SHEETS.investments, [48, 16, 16, 16, 28], carry);
  const end = periodLabel(result.period);
  const fmt = amountFormats(result.unit);
  s.title(`Investeringsredovisning, nettoresultat (${result.unit})`, COLS);
  s.header([
    "",
    `Utfall per ${end}`,
    `Budget per ${end}`,
    `Avvikelse per ${end}`,
    `Prognos budgetavvikelse helår ${result.period.year}`,
  ]);
  s.format({ row: 1, col: 1, rows: 1, cols: 4 }, { horizontalAlignment: "right", bold: true, wrap: true });
  const first = s.row;
  let netRow = -1;
  for (const l of result.lines) {
    const r = s.line([l.label, l.actual, l.periodBudget, l.deviation, l.forecastDeviation]);
    if (l.kind === "ofWhich") s.format({ row: r, col: 0, rows: 1, cols: 1 }, { ...OFWHICH, wrap: true });
    s.fit(r, 0, 1, l.kind === "ofWhich" ? `xx${l.label}` : l.label, undefined, l.kind === "total");
    if (l.kind === "total") {
      s.format({ row: r, col: 0, rows: 1, cols: COLS }, TOTAL);
      netRow = r;
    }
  }
  const net = result.result;
  if (result.lines.length === 0) {
    // The template's empty table: a note as on Volymmått, not a Summa of zeros; the names point at blanks.
    netRow = s.line(["Inga investeringar är angivna (tabellen Investeringar är tom)."], NOTE);
  } else if (!result.lines.some((l) => l.kind === "total")) {
    netRow = s.line(["Summa", net.actual, net.periodBudget, net.deviation, net.forecastDeviation]);
    s.format({ row: netRow, col: 0, rows: 1, cols: COLS }, TOTAL);
  }
  const rows = s.row - first;
  s.format({ row: first, col: 0, rows, cols: 1 }, { wrap: true });
  s.format({ row: first, col: 1, rows, cols: 2 }, { numberFormat: fmt.plain });
  s.format({ row: first, col: 3, rows, cols: 2 }, { numberFormat: fmt.deviation });
  s.name(INVESTMENT_NAMES.deviation, netRow, 3);
  s.name(INVESTMENT_NAMES.forecastDeviation, netRow, 4);
  s.skip();

  s.lineComments("Kommentarer per projekt", result.lines, comments, COLS);
  s.commentZone(INVESTMENT_COMMENT, COLS);
  s.notes(COLS);
  s.plan.freeze = { rows: 2, cols: 1 };
  s.print(
    { orientation: "landscape", fitToWidth: true, repeatRows: { first: 1, last: 1 } },
    "Investeringsredovisning",
    page,
  );
  return s.done();
}
