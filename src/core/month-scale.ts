/**
 * MONTH_SCALE (warning): one month of a line a thousand times its other months, as when that month was
 * typed in kronor in a workbook in tkr (2 100 000 among months of about 2 100). The line's sum to date
 * then carries the slip into every figure; only a parent's varav check would notice, and a line without
 * varav lines has none.
 */
import type { CheckContext } from "./checks";
import type { Lines } from "./lines";
import { MONTHS_SV } from "./period";
import { isRecord, prop, type Findings } from "./read";
import type { Unit } from "./types";

/** A unit slip makes a month 1 000 times its neighbours; a one-off rarely reaches half of that. */
const FACTOR = 500;
const SMALLER: Partial<Record<Unit, string>> = { tkr: "kr i stället för tkr", mkr: "tkr i stället för mkr" };

export function checkMonthScale(lines: Lines, findings: Findings, ctx: CheckContext & { unit: Unit }): void {
  const slip = SMALLER[ctx.unit];
  if (!slip) return;
  for (let i = 0; i < lines.length; i++) {
    if (lines.kind[i] === "total") continue;
    const checks = suspects(lines, i, ctx.month);
    if (checks.length === 0) continue;
    const item = ctx.rawLines[i];
    if (!isRecord(item)) continue;
    for (const [key, field, what] of checks) {
      const months = prop(item, key);
      const end = key === "actualMonthly" ? ctx.month : 12;
      const m = Array.isArray(months) ? outlier(months, end) : -1;
      if (m < 0) continue;
      findings.add(
        "warning",
        "MONTH_SCALE",
        `${lines.name(i)}: ${what} för ${MONTHS_SV[m]} ${ctx.fmt((months as number[])[m])} är mer än ${FACTOR} gånger så ${what === "utfallet" ? "stort" : "stor"} som radens övriga månader; är det skrivet i ${slip}?`,
        { line: i, field, month: m + 1 },
      );
    }
  }
}

const ACTUAL = ["actualMonthly", "actual", "utfallet"] as const;
const BUDGET = ["monthlyBudget", "budget", "budgeten"] as const;

/**
 * Which of line i's months to read: a month in a unit a thousand times smaller lifts its months' sum far
 * above the other figure of the line (the outcome against the budget to date, the budget against the
 * outcome), so the usual line is passed over on its sums alone (the check runs on every line).
 */
function suspects(lines: Lines, i: number, m: number): (typeof ACTUAL | typeof BUDGET)[] {
  const actual = lines.actualMonthsToDate[i];
  const budget = lines.budgetMonthsToDate[i];
  const total = lines.budgetMonthsTotal[i];
  const out: (typeof ACTUAL | typeof BUDGET)[] = [];
  if (!Number.isNaN(actual) && !(Math.abs(actual) < 50 * Math.abs(budget))) out.push(ACTUAL);
  if (!Number.isNaN(total) && !(Math.abs(total) / 12 < (20 * Math.abs(actual)) / m)) out.push(BUDGET);
  return out;
}

/**
 * The month among the first `end` (at least three non-zero) that is FACTOR times the next largest (so
 * every other month is small beside it); else −1. One pass and no allocation: it runs on every line.
 */
function outlier(months: unknown[], end: number): number {
  let count = 0;
  let largest = -1;
  let big = 0;
  let second = 0;
  for (let t = 0; t < Math.min(end, months.length); t++) {
    const v = months[t];
    if (typeof v !== "number" || v === 0) continue;
    count++;
    const size = Math.abs(v);
    if (size > big) {
      second = big;
      big = size;
      largest = t;
    } else if (size > second) second = size;
  }
  return count >= 3 && big >= FACTOR * second ? largest : -1;
}
