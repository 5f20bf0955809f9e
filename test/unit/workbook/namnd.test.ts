/**
 * The nämnd workbook's plan from unit ledgers combined (src/workbook/namnd.ts): the units side by side
 * and summed, by hand (April, linear: deviation = actual − budget × 4/12).
 */
import { combineLedgers, compute, type LedgerLine } from "../../../src/core";
import { namndPlan, overviewSheet, type BatchRow } from "../../../src/workbook/namnd";
import { planGrid } from "../../../src/export/report-model";

const period = { year: 2019, month: 4 };
const page = { verksamhet: null, period: "januari–april 2019" };
// Vårnäs: Personal −1 200 / −300 (avvikelse +100), Hyror −600 / −250 (−50). Mercur: Personal −2 400 / −900 (−100).
const varnas: LedgerLine[] = [
  { label: "Personal", kind: "cost", annualBudget: -1200, actual: -300 },
  { label: "Hyror", kind: "cost", annualBudget: -600, actual: -250 },
];
const mercur: LedgerLine[] = [{ label: "Personal", kind: "cost", annualBudget: -2400, actual: -900 }];

const row = (name: string, unit: string | null, status: BatchRow["status"]): BatchRow => ({
  file: `${name}.xlsx`,
  unit,
  status,
  message: status === "ok" ? null : "Namnet Utfall saknas i arbetsboken.",
  errors: 0,
  warnings: 0,
  deviation: null,
  forecastDeviation: null,
});

/** The values a sheet plan writes, as a grid from A1 (the Word report reads plans the same way). */
const grid = planGrid;

const combined = () =>
  combineLedgers([
    { name: "Vårnäs", result: compute({ period, balanceTarget: 0, lines: varnas }) },
    { name: "Mercur", result: compute({ period, balanceTarget: -50, lines: mercur }) },
  ]);

test("Sammanställning: each unit's figure per line, blank where a unit has no such line, and the sum", () => {
  const runs = [
    row("Vårnäs", "Vårnäs", "ok"),
    row("Mercur", "Mercur", "ok"),
    row("Trasig", null, "unusable"),
  ];
  const g = grid(overviewSheet(combined(), runs, page));
  expect(g[1][0]).toMatch(/^Två enheter per 30\/4 2019.* En arbetsbok kunde inte användas/);
  const header = g.findIndex((r) => r[0] === "Avvikelse per 30/4 2019");
  expect(g[header]).toEqual(["Avvikelse per 30/4 2019", "Vårnäs", "Mercur", "Summa"]);
  expect(g[header + 1]).toEqual(["Personal", 100, -100, 0]);
  expect(g[header + 2]).toEqual(["Hyror", -50, null, -50]);
  expect(g[header + 3]).toEqual(["Summa", 50, -100, -50]);
  // Full year, linear: Personal −900 vs −1 200 → +300 and −2 700 vs −2 400 → −300; Hyror −750 vs −600 → −150.
  const fy = g.findIndex((r) => r[0] === "Prognos budgetavvikelse helår 2019");
  expect(g.slice(fy + 1, fy + 6)).toEqual([
    ["Personal", 300, -300, 0],
    ["Hyror", -150, null, -150],
    ["Summa", 150, -300, -150],
    ["Ekonomi i balans", null, null, -50],
    ["Avvikelse jämfört ekonomi i balans", null, null, -100],
  ]);
});

test("the plan: Sammanställning (in the new workbook's one sheet), the report sheets and Körning, all printable", () => {
  const plan = namndPlan(combined(), [row("Vårnäs", "Vårnäs", "ok"), row("Mercur", "Mercur", "ok")]);
  expect(plan.sheets.map((s) => [s.name, s.owned])).toEqual([
    ["Sammanställning", true],
    ["Driftsredovisning", true],
    ["Åtgärdsplan", true],
    ["Körning", true],
  ]);
  for (const sheet of plan.sheets) {
    expect(sheet.columnWidths.length).toBeGreaterThan(0);
    expect(sheet.print?.header?.center).toBe(`&B${sheet.name}`);
    expect(sheet.print?.footer?.center).toBe("Sida &P av &N");
  }
  const runs = grid(plan.sheets[3]);
  expect(runs[2].slice(0, 3)).toEqual(["Vårnäs.xlsx", "Vårnäs", "Uppdaterad"]);
});
