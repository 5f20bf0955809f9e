/**
 * The trend explanation's printed arithmetic holds: the monthly deviation carries the decimals the sum
 * needs ("+2 068 + 8 × +318,67 = +4 617", not "8 × +319", which gives 4 620).
 */
import { compute, explainLine } from "../../../src/core";

const period = { year: 2019, month: 4 };

/** The sum the explanation prints, recomputed from its printed figures ("+2 068", "8", "+318,67"). */
function printedSum(text: string): { left: number; right: number } {
  const m = /avvikelse hittills (\S+(?: \d{3})*) \+ (\d+) × (\S+(?: \d{3})*) \(.*\) = (\S+(?: \d{3})*);/.exec(
    text,
  );
  if (!m) throw new Error(`no trend sum in: ${text}`);
  const num = (s: string) => Number(s.replace(/ /g, "").replace(",", ".").replace("−", "-"));
  const left = num(m[1]) + Number(m[2]) * num(m[3]);
  return { left: Math.sign(left) * Math.round(Math.abs(left)), right: num(m[4]) };
}

test.each([
  // Monthly deviations 954, 956 and 945 (mean 951,67): "+4 643 + 8 × +951,67 = +12 256".
  [
    "a mean of thirds, k = 3",
    3,
    [-5000, -5000, -5000, -5000],
    [-5000 + 1000 - 2068 + 2856, -5000 + 955 - 1, -5000 + 956, -5000 + 945],
  ],
  // Monthly deviations −2, −1 and −1,125 (mean −1,375): "+216 + 8 × -1,4 = +205", not "8 × -1".
  [
    "a mean below 1 tkr, k = 3",
    3,
    [-2000, -2000, -2000, -2000],
    [-2000 + 220.125, -2000 - 2, -2000 - 1, -2000 - 1.125],
  ],
  ["whole amounts stay whole, k = 1", 1, [-5000, -5000, -5000, -5000], [-9000, -9000, -9048, -7843]],
])("%s: the printed sum adds up", (_, k, budget, actual) => {
  const r = compute({
    period,
    trendMonths: k,
    lines: [
      {
        label: "Rad",
        monthlyBudget: [...budget, ...Array(8).fill(budget[0])],
        actualMonthly: [...actual, ...Array(8).fill(null)],
        method: "trend",
      },
    ],
  });
  const text = explainLine(r.lines[0], r).forecast;
  const { left, right } = printedSum(text);
  expect([text, left]).toEqual([text, right]);
});

test("the monthly figure is whole when it is whole", () => {
  const r = compute({
    period,
    trendMonths: 1,
    lines: [
      {
        label: "Netto",
        monthlyBudget: Array(12).fill(-5000),
        actualMonthly: [-9000, -9000, -9048, -7843, ...Array(8).fill(null)],
        method: "trend",
      },
    ],
  });
  expect(explainLine(r.lines[0], r).forecast).toContain("+ 8 × -2 843 (");
});
