/**
 * ACTUAL_CUMULATIVE (warning): monthly outcomes typed as the outcome to date (an export's "ackumulerat
 * utfall" pasted into the month columns: 1 100, 2 150, 3 350, 4 350 for months of about 1 100). Read as
 * months they sum to several times the real outcome, and every figure after them is wrong, while no other
 * check notices: the signs and the sums of the lines still agree. Told apart from a line that really
 * grows by the budget: the differences between the months lie far closer to the monthly budget than the
 * months themselves.
 */
import type { CheckContext } from "./checks";
import type { Lines } from "./lines";
import { isRecord, prop, type Findings } from "./read";

export function checkCumulative(lines: Lines, findings: Findings, ctx: CheckContext): void {
  if (ctx.month < 3) return;
  const flagged: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines.kind[i] === "total") continue;
    // Months to date typed cumulatively sum to about (m + 1)/2 times the budget to date: the usual line,
    // near its budget, is passed over without reading its raw months (the check runs on every line).
    const actual = lines.actualMonthsToDate[i];
    const budget = lines.budgetMonthsToDate[i];
    if (!(Math.abs(actual) >= 1.5 * Math.abs(budget)) || budget === 0) continue;
    const item = ctx.rawLines[i];
    if (!isRecord(item)) continue;
    if (looksCumulative(prop(item, "actualMonthly"), prop(item, "monthlyBudget"), ctx.month)) flagged.push(i);
  }
  findings.addPerLine(
    "ACTUAL_CUMULATIVE",
    flagged,
    (i) => ({
      message: `${lines.name(i)}: månadsutfallen växer med ungefär en månadsbudget i taget, som om de vore utfallet hittills (ackumulerat) och inte varje månads eget utfall. Skriv varje månads utfall i sin kolumn; nu räknas utfallet hittills som ${ctx.fmt(lines.shown(i, lines.actual[i]))}.`,
      where: { line: i, field: "actual" },
    }),
    (n) => `Ytterligare ${n} rader har månadsutfall som ser ut att vara ackumulerade.`,
  );
}

/**
 * Months 1..m all given with the budget's sign, growing in size every month, and their differences at
 * most a third as far from the monthly budget (in all) as the months themselves.
 */
function looksCumulative(actual: unknown, budget: unknown, m: number): boolean {
  if (!Array.isArray(actual) || !Array.isArray(budget) || actual.length < m || budget.length < m)
    return false;
  const first = actual[0];
  const last = actual[m - 1];
  // Cheap reject for the usual line: months to date of a similar size.
  if (typeof first !== "number" || typeof last !== "number" || first === 0) return false;
  if (Math.abs(last) < 1.5 * Math.abs(first)) return false;
  const sign = Math.sign(first);
  let asMonths = 0;
  let asDifferences = 0;
  let previous = 0;
  for (let t = 0; t < m; t++) {
    const a = actual[t];
    const b = budget[t];
    if (typeof a !== "number" || typeof b !== "number" || Math.sign(a) !== sign || Math.sign(b) !== sign)
      return false;
    if (Math.abs(a) <= Math.abs(previous)) return false;
    asMonths += Math.abs(a - b);
    asDifferences += Math.abs(a - previous - b);
    previous = a;
  }
  return 3 * asDifferences < asMonths;
}
