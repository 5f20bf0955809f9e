/** Driftsredovisning (S1 §4.1): the operating statement with the line comments under it. */
import { periodLabel } from "../../core";
import type { LedgerResult } from "../../core/types";
import { REPORT_SHEETS } from "../contract";
import type { SheetPlan } from "../types";
import { amountFormats, Sheet, TITLE } from "./common";

export function operatingStatement(result: LedgerResult, comments: (string | null)[]): SheetPlan {
  const s = new Sheet(REPORT_SHEETS.operatingStatement);
  const { year } = result.period;
  const end = periodLabel(result.period);
  const fmt = amountFormats(result.unit);
  s.line([`Driftsredovisning, nettoresultat (${result.unit})`], TITLE);
  s.merge({ row: 0, col: 0, rows: 1, cols: 5 });
  s.header([
    "",
    `Utfall per ${end}`,
    `Budget per ${end}`,
    `Avvikelse per ${end}`,
    `Prognos budgetavvikelse helår ${year}`,
  ]);
  const first = s.row;
  for (const l of result.lines) {
    const r = s.line([l.label, l.actual, l.periodBudget, l.deviation, l.forecastDeviation]);
    if (l.kind === "ofWhich") s.format({ row: r, col: 0, rows: 1, cols: 1 }, { indent: 1 });
    if (l.kind === "total") s.format({ row: r, col: 0, rows: 1, cols: 5 }, { bold: true, borderTop: "thin" });
  }
  const net = result.result;
  if (!result.lines.some((l) => l.kind === "total")) {
    const r = s.line(["Summa", net.actual, net.periodBudget, net.deviation, net.forecastDeviation]);
    s.format({ row: r, col: 0, rows: 1, cols: 5 }, { bold: true, borderTop: "thin" });
  }
  if (net.balanceTarget !== null) {
    s.line(["Ekonomi i balans", null, null, null, net.balanceTarget]);
    const r = s.line(["Avvikelse jämfört ekonomi i balans", null, null, null, net.deviationVsBalanceTarget]);
    s.format({ row: r, col: 0, rows: 1, cols: 5 }, { bold: true });
  }
  const rows = s.row - first;
  s.format({ row: first, col: 1, rows, cols: 2 }, { numberFormat: fmt.plain });
  s.format({ row: first, col: 3, rows, cols: 2 }, { numberFormat: fmt.deviation });
  s.format({ row: 1, col: 1, rows: 1, cols: 4 }, { horizontalAlignment: "right" });

  const withComments = result.lines.filter((l) => comments[l.index]);
  if (withComments.length) {
    s.skip();
    s.line(["Kommentarer"], { bold: true });
    for (const l of withComments) {
      const r = s.line([`${l.label}: ${comments[l.index]}`], { wrap: true, verticalAlignment: "top" });
      s.merge({ row: r, col: 0, rows: 1, cols: 5 });
    }
  }
  s.widths(44, 16, 16, 16, 22);
  s.plan.freeze = { rows: 2, cols: 1 };
  s.plan.print = { orientation: "landscape", fitToWidth: true, repeatRows: { first: 1, last: 1 } };
  return s.plan;
}
