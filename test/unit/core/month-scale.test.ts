/**
 * MONTH_SCALE (src/core/month-scale.ts): one month typed in a unit a thousand times smaller (kr in a tkr
 * workbook) is a warning at that month's cell; an ordinary one-off month is not.
 */
import { compute } from "../../../src/core";
import type { LedgerLine, Unit } from "../../../src/core/types";

const april = { year: 2019, month: 4 };
const months = (values: number[]) => [...values, ...Array<null>(12 - values.length).fill(null)];
const line = (actual: number[], budget = -2000): LedgerLine => ({
  label: "Övriga kostnader",
  kind: "cost",
  monthlyBudget: Array<number>(12).fill(budget),
  actualMonthly: months(actual),
});
const scale = (l: LedgerLine, unit: Unit = "tkr") =>
  compute({ period: april, unit, lines: [l] }).findings.filter((f) => f.code === "MONTH_SCALE");

test("a month in kr among months in tkr: a warning at the month", () => {
  const f = scale(line([-2100, -2200, -2100000, -2200]));
  expect(f.map((x) => [x.level, x.line, x.field, x.month])).toEqual([["warning", 0, "actual", 3]]);
  expect(f[0].message).toBe(
    'Raden "Övriga kostnader": utfallet för mars -2 100 000 är mer än 500 gånger så stort som radens övriga månader; är det skrivet i kr i stället för tkr?',
  );
  // The same in a budget month; and in mkr the slip is tkr.
  const budget = {
    ...line([-2.1, -2.2, -2.1, -2.2]),
    monthlyBudget: [-2, -2, -2000, ...Array<number>(9).fill(-2)],
  };
  expect(scale(budget, "mkr").map((x) => [x.field, x.month])).toEqual([["budget", 3]]);
  expect(scale(budget, "mkr")[0].message).toContain("skrivet i tkr i stället för mkr?");
  expect(scale(budget, "mkr")[0].message).toContain(
    "budgeten för mars -2 000 är mer än 500 gånger så stor som",
  );
});

test("no finding for a one-off month, for kr workbooks, or with too few months", () => {
  expect(scale(line([-2100, -2200, -150000, -2200]))).toEqual([]);
  expect(scale(line([-2100, -2200, -2100000, -2200]), "kr")).toEqual([]);
  expect(scale(line([-2100, -2100000]))).toEqual([]);
});
