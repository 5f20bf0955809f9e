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
    const item = ctx.rawLines[i];
    if (!isRecord(item)) continue;
    for (const [key, field, what] of [
      ["actualMonthly", "actual", "utfallet"],
      ["monthlyBudget", "budget", "budgeten"],
    ] as const) {
      const months = prop(item, key);
      const end = key === "actualMonthly" ? ctx.month : 12;
      const m = Array.isArray(months) ? outlier(months, end) : -1;
      if (m < 0) continue;
      findings.add(
        "warning",
        "MONTH_SCALE",
        `${lines.name(i)}: ${what} för ${MONTHS_SV[m]} ${ctx.fmt((months as number[])[m])} är mer än ${FACTOR} gånger radens andra månader; är det skrivet i ${slip}?`,
        { line: i, field, month: m + 1 },
      );
    }
  }
}

/** The one month among the first `end` (at least three given, the rest non-zero) FACTOR times the others' median; else −1. */
function outlier(months: unknown[], end: number): number {
  const sizes: number[] = [];
  let largest = -1;
  for (let t = 0; t < Math.min(end, months.length); t++) {
    const v = months[t];
    if (typeof v !== "number" || v === 0) continue;
    sizes.push(Math.abs(v));
    if (largest < 0 || Math.abs(v) > Math.abs(months[largest] as number)) largest = t;
  }
  if (sizes.length < 3) return -1;
  const big = Math.abs(months[largest] as number);
  const others = sizes.filter((s) => s !== big).sort((a, b) => a - b);
  if (others.length !== sizes.length - 1) return -1; // two months of the same size: no single slip
  const median = others[Math.floor(others.length / 2)];
  return big >= FACTOR * median ? largest : -1;
}
