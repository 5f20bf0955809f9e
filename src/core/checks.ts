/**
 * Checks on typed figures: SIGN_SUSPECT, OFWHICH_MISMATCH, DEVIATION_MISMATCH, and the comparison rule
 * shared with TOTAL_MISMATCH / BUDGET_MISMATCH / ACTUAL_MISMATCH (rounding tolerance, slip detection).
 */
import type { Findings } from "./read";
import type { FindingLevel, LineKind } from "./types";

/** What the checks need of a line; amounts in the internal net convention. */
export interface CheckedLine {
  index: number;
  label: string;
  kind: LineKind;
  parent: number | null;
  /** The line's varav lines (indices), in order. */
  children: readonly number[];
  /** True when the line's amounts are shown negated (costPositive). */
  flip: boolean;
  annual: number;
  period: number;
  actual: number;
  actualGiven: boolean;
  deviation: number;
  typedDeviation: number | null;
}

export const clean = (x: number): number => (x === 0 ? 0 : x);

/** How messages name a line: `Raden "Placeringar"`, or `Rad 7` when it has no label. */
export function lineName(line: { index: number; label: string }): string {
  return line.label ? `Raden "${line.label}"` : `Rad ${line.index + 1}`;
}

/** Is `a` the digits of `b` with two neighbouring digits swapped (2 086 vs 2 068)? */
export function isTransposition(a: number, b: number): boolean {
  const x = String(Math.round(Math.abs(a)));
  const y = String(Math.round(Math.abs(b)));
  if (x.length !== y.length || x === y) return false;
  const diff: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) diff.push(i);
  return (
    diff.length === 2 && diff[1] === diff[0] + 1 && x[diff[0]] === y[diff[1]] && x[diff[1]] === y[diff[0]]
  );
}

/**
 * Tolerance for comparing a typed figure with a computed one: half a rounding unit per rounded operand.
 * A difference within it is info (rounding); a sign slip or transposed digits is error; else warning.
 */
export function classify(
  typed: number,
  computed: number,
  operands: number,
  roundingUnit: number,
): { level: FindingLevel; why: string } | null {
  const delta = typed - computed;
  const tolerance = 0.5 * operands * roundingUnit + 1e-9 * Math.max(1, Math.abs(computed));
  if (Math.abs(delta) <= 1e-9 * Math.max(1, Math.abs(computed))) return null;
  if (Math.abs(delta) <= tolerance) return { level: "info", why: "inom avrundning" };
  if (computed !== 0 && Math.abs(typed + computed) <= tolerance)
    return { level: "error", why: "tecknet är fel" };
  if (isTransposition(typed / roundingUnit, computed / roundingUnit)) {
    return { level: "error", why: "två siffror har bytt plats" };
  }
  return { level: "warning", why: "mer än avrundning" };
}

type Column = "actual" | "period" | "annual";

/** The columns whose varav lines must add up to their parent, in the order they are checked. */
const OFWHICH_COLUMNS: readonly { key: Column; what: string; field: "actual" | "budget" }[] = [
  { key: "actual", what: "utfall", field: "actual" },
  { key: "period", what: "periodbudget", field: "budget" },
  { key: "annual", what: "årsbudget", field: "budget" },
];

/** An amount as the workbook shows it (negated for flipped lines). */
const shown = (line: CheckedLine, x: number): number => clean(line.flip ? -x : x);

/** SIGN_SUSPECT, OFWHICH_MISMATCH and DEVIATION_MISMATCH. */
export function checkLines(
  work: CheckedLine[],
  findings: Findings,
  roundingUnit: number,
  fmt: (x: number, deviation?: boolean) => string,
): void {
  for (const line of work) {
    if (line.typedDeviation !== null) checkDeviation(line, line.typedDeviation, findings, roundingUnit, fmt);
    if (line.kind !== "total") checkSign(line, work, findings, fmt);
  }
  for (const parent of work) {
    if (parent.children.length === 0) continue;
    let budgetFlagged = false;
    for (const column of OFWHICH_COLUMNS) {
      if (column.key === "annual" && budgetFlagged) continue;
      const flagged = checkOfWhich(parent, work, column, findings, roundingUnit, fmt);
      if (flagged && column.key === "period") budgetFlagged = true;
    }
  }
}

function checkDeviation(
  line: CheckedLine,
  typed: number,
  findings: Findings,
  roundingUnit: number,
  fmt: (x: number, deviation?: boolean) => string,
): void {
  const c = classify(typed, line.deviation, 3, roundingUnit);
  if (!c) return;
  findings.add(
    c.level,
    "DEVIATION_MISMATCH",
    `${lineName(line)}: avvikelsen ${fmt(typed, true)} ska vara ${fmt(line.deviation, true)} (${c.why}).`,
    { line: line.index },
  );
}

function checkSign(
  line: CheckedLine,
  work: CheckedLine[],
  findings: Findings,
  fmt: (x: number, deviation?: boolean) => string,
): void {
  const expected =
    line.kind === "revenue" || (line.parent !== null && work[line.parent].kind === "revenue") ? 1 : -1;
  const budgetSign = Math.sign(line.annual) || Math.sign(line.period);
  const reference = budgetSign !== 0 ? budgetSign : expected;
  if (!line.actualGiven || line.actual === 0 || Math.sign(line.actual) !== -reference) return;
  findings.add(
    "warning",
    "SIGN_SUSPECT",
    `${lineName(line)}: utfallet ${fmt(shown(line, line.actual))} har ${
      budgetSign !== 0
        ? `motsatt tecken mot budgeten ${fmt(shown(line, line.annual))}`
        : "fel tecken för raden"
    }; saknas ett minustecken?`,
    { line: line.index, field: "actual" },
  );
}

/** OFWHICH_MISMATCH for one column of a parent; true when the varav lines do not add up. */
function checkOfWhich(
  parent: CheckedLine,
  work: CheckedLine[],
  { key, what, field }: (typeof OFWHICH_COLUMNS)[number],
  findings: Findings,
  roundingUnit: number,
  fmt: (x: number, deviation?: boolean) => string,
): boolean {
  let parts = 0;
  for (const i of parent.children) parts += work[i][key];
  const whole = parent[key];
  const kids = parent.children.length;
  const c = classify(parts, whole, kids + 1, roundingUnit);
  if (!c) return false;
  // Only on a mismatch: which varav line would explain it by its sign, or by two swapped digits?
  const tolerance = 0.5 * (kids + 1) * roundingUnit;
  const delta = whole - parts;
  const children = parent.children.map((i) => work[i]);
  const flipped = children.find((k) => k[key] !== 0 && Math.abs(delta + 2 * k[key]) <= tolerance);
  const swapped = children.find(
    (k) => k[key] !== 0 && isTransposition((k[key] + delta) / roundingUnit, k[key] / roundingUnit),
  );
  let level = c.level;
  let why = c.why;
  if (flipped) {
    level = "error";
    why = `tecknet på "${flipped.label}" är troligen fel`;
  } else if (swapped && c.level !== "info") {
    level = "error";
    why = `två siffror i "${swapped.label}" har troligen bytt plats`;
  }
  findings.add(
    level,
    "OFWHICH_MISMATCH",
    `Varav-raderna under "${parent.label}" summerar till ${fmt(shown(parent, parts))} i ${what} men raden har ${fmt(
      shown(parent, whole),
    )} (differens ${fmt(Math.abs(delta))}, ${why}).`,
    { line: (flipped ?? parent).index, field },
  );
  return true;
}
