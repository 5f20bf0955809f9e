/**
 * ACTUAL_CUMULATIVE (src/core/cumulative.ts): monthly outcomes typed as the outcome to date are found by
 * the monthly budget, and a line that only grows is not.
 */
import { compute } from "../../../src/core";
import type { LedgerLine } from "../../../src/core/types";

const april = { year: 2019, month: 4 };
const months = (values: number[]) => [...values, ...Array<null>(12 - values.length).fill(null)];
const line = (label: string, budget: number, actual: number[]): LedgerLine => ({
  label,
  kind: budget < 0 ? "cost" : "revenue",
  monthlyBudget: Array<number>(12).fill(budget),
  actualMonthly: months(actual),
});
const codes = (lines: LedgerLine[]) =>
  compute({ period: april, lines }).findings.filter((f) => f.code === "ACTUAL_CUMULATIVE");

test("months typed as the outcome to date: a warning naming the line and what is counted", () => {
  const f = codes([line("Intäkter", 1000, [1100, 2150, 3350, 4350])]);
  expect(f).toHaveLength(1);
  expect(f[0]).toMatchObject({ level: "warning", line: 0, field: "actual" });
  expect(f[0].message).toBe(
    'Raden "Intäkter": månadsutfallen växer med ungefär en månadsbudget i taget, som om de vore utfallet hittills (ackumulerat) och inte varje månads eget utfall. Skriv varje månads utfall i sin kolumn; nu räknas utfallet hittills som 10 950.',
  );
  expect(codes([line("Kostnader", -5000, [-5200, -10500, -15600, -21000])])).toHaveLength(1);
});

test("ordinary months, and a line that grows but not by its budget, are no finding", () => {
  expect(codes([line("Intäkter", 1000, [1100, 1050, 1200, 1000])])).toEqual([]);
  // A new activity ramping up against a budget of its final size: the months are nearer the budget.
  expect(codes([line("Ny verksamhet", -4000, [-1000, -2000, -3000, -4000])])).toEqual([]);
  // Before March there are too few months to tell.
  expect(
    compute({ period: { year: 2019, month: 2 }, lines: [line("Intäkter", 1000, [1100, 2150])] }).findings,
  ).toEqual([]);
});

test("many lines: five named, the rest counted in one more", () => {
  const lines = Array.from({ length: 8 }, (_, k) =>
    line(`Post ${k + 1}`, -1000, [-1000, -2000, -3100, -4000]),
  );
  const f = codes(lines);
  expect(f).toHaveLength(6);
  expect(f[5].message).toBe("Ytterligare 3 rader har månadsutfall som ser ut att vara ackumulerade.");
});
