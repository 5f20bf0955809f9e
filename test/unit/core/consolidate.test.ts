/**
 * Views of a ledger with units: one unit alone, the consolidated table, the largest deviations, and unit
 * ledgers combined into one (the nämnd's workbook). Figures as in units.test.ts (April, linear).
 */
import {
  combineLedgers,
  compute,
  consolidatedLines,
  describeLargestDeviations,
  largestDeviations,
  unitLedger,
  type LedgerLine,
} from "../../../src/core";

const period = { year: 2019, month: 4 };
const varnas: LedgerLine[] = [
  { label: "Intäkter", kind: "revenue", annualBudget: 1200, actual: 500 },
  { label: "Kostnader", kind: "cost", annualBudget: -6000, actual: -2200 },
  { label: "Summa", kind: "total" },
];
const mercur: LedgerLine[] = [
  { label: "Kostnader", kind: "cost", annualBudget: -3000, actual: -900 },
  { label: "varav personal", annualBudget: -2400, actual: -600 },
  { label: "varav övrigt", annualBudget: -600, actual: -300 },
  { label: "Summa", kind: "total" },
];
const tag = (lines: LedgerLine[], orgUnit: string) => lines.map((l) => ({ ...l, orgUnit }));
const both = () =>
  compute({ period, balanceTarget: -100, lines: [...tag(varnas, "Vårnäs"), ...tag(mercur, "Mercur")] });

test("the consolidated table sums the same lines over the units and leaves out the units' totals", () => {
  const lines = consolidatedLines(both());
  expect(lines.map((l) => [l.label, l.parent])).toEqual([
    ["Intäkter", null],
    ["Kostnader", null],
    ["varav personal", 1],
    ["varav övrigt", 1],
  ]);
  // Kostnader: −6 000 − 3 000 = −9 000; −2 200 − 900 = −3 100; forecast −6 600 − 2 700 = −9 300, helår −300.
  expect(lines[1]).toMatchObject({
    annualBudget: -9000,
    actual: -3100,
    forecast: -9300,
    forecastDeviation: -300,
  });
  expect(lines[1].orgUnit).toBeUndefined();
  expect(lines[2]).toMatchObject({ annualBudget: -2400, actual: -600, forecastDeviation: 600 });
});

test("one unit alone is renumbered from 0 with the unit's own result", () => {
  const alone = unitLedger(both(), 1);
  expect(alone.lines.map((l) => [l.index, l.label, l.parent])).toEqual([
    [0, "Kostnader", null],
    [1, "varav personal", 0],
    [2, "varav övrigt", 0],
    [3, "Summa", null],
  ]);
  expect(alone.result).toMatchObject({
    actual: -900,
    deviation: 100,
    forecastDeviation: 300,
    balanceTarget: null,
  });
  expect(alone.units).toBeUndefined();
});

test("the largest deviations: by the size of the forecast deviation, then to date, then by name", () => {
  const r = both();
  expect(largestDeviations(r)).toEqual([
    { name: "Mercur", deviation: 100, forecastDeviation: 300 },
    { name: "Vårnäs", deviation: -100, forecastDeviation: -300 },
  ]);
  expect(largestDeviations(r, 1).map((u) => u.name)).toEqual(["Mercur"]);
  expect(describeLargestDeviations(r)).toBe(
    "Störst prognosavvikelse för helåret har Mercur (+300 tkr) och Vårnäs (-300 tkr).",
  );
  expect(describeLargestDeviations(compute({ period, lines: varnas }))).toBeNull();
});

test("unit ledgers combined give the same result as one ledger with the units' lines", () => {
  const a = compute({ period, balanceTarget: -40, lines: varnas });
  const b = compute({ period, balanceTarget: -60, lines: mercur });
  const combined = combineLedgers([
    { name: "Vårnäs", result: a },
    { name: "Mercur", result: b },
  ]);
  const one = both();
  expect(combined.result).toEqual(one.result);
  expect(combined.units!.units.map((u) => [u.name, u.result.forecastDeviation])).toEqual([
    ["Vårnäs", -300],
    ["Mercur", 300],
  ]);
  expect(consolidatedLines(combined)).toEqual(consolidatedLines(one));
  // Without a target in every part there is no target for the whole.
  const noTarget = combineLedgers([
    { name: "Vårnäs", result: a },
    { name: "Mercur", result: compute({ period, lines: mercur }) },
  ]);
  expect(noTarget.result.balanceTarget).toBeNull();
});

test("combined unit ledgers keep the measures line last in the consolidated table, as one ledger has it", () => {
  // Each unit counts a measure of 100 into the forecast on no line of its own; Mercur has a line Vårnäs has not.
  const measures = [
    {
      area: "Placeringar",
      text: "Färre externa placeringar",
      amount: 100,
      type: "forecast" as const,
      includedInForecast: true,
    },
  ];
  const combined = combineLedgers([
    { name: "Vårnäs", result: compute({ period, lines: varnas.slice(0, 2), measures }) },
    {
      name: "Mercur",
      result: compute({
        period,
        lines: [...mercur.slice(0, 3), { label: "Lokaler", kind: "cost", annualBudget: -120, actual: -40 }],
        measures,
      }),
    },
  ]);
  const lines = consolidatedLines(combined);
  expect(lines.map((l) => l.label)).toEqual([
    "Intäkter",
    "Kostnader",
    "varav personal",
    "varav övrigt",
    "Lokaler",
    "Åtgärder inräknade i prognosen",
  ]);
  expect(lines[5].forecastDeviation).toBe(200);
});
