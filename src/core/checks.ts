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
  /** "Raden \"…\"" for messages. */
  name: string;
  kind: LineKind;
  parent: number | null;
  children: number[];
  /** True when the line's amounts are shown negated (costPositive). */
  flip: boolean;
  annual: number;
  period: number;
  actual: number;
  actualGiven: boolean;
  deviation: number;
  typedDeviation: number | null;
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
export const clean = (x: number): number => (x === 0 ? 0 : x);

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

/** SIGN_SUSPECT, OFWHICH_MISMATCH and DEVIATION_MISMATCH. */
export function checkLines(
  work: CheckedLine[],
  findings: Findings,
  roundingUnit: number,
  fmt: (x: number, deviation?: boolean) => string,
): void {
  const out = (line: CheckedLine, x: number): number => clean(line.flip ? -x : x);
  for (const line of work) {
    if (line.typedDeviation !== null) {
      const c = classify(line.typedDeviation, line.deviation, 3, roundingUnit);
      if (c) {
        findings.add(
          c.level,
          "DEVIATION_MISMATCH",
          `${line.name}: avvikelsen ${fmt(line.typedDeviation, true)} ska vara ${fmt(line.deviation, true)} (${c.why}).`,
          { line: line.index },
        );
      }
    }
    if (line.kind === "total") continue;
    const expected =
      line.kind === "revenue" || (line.parent !== null && work[line.parent].kind === "revenue") ? 1 : -1;
    const budgetSign = Math.sign(line.annual) || Math.sign(line.period);
    const reference = budgetSign !== 0 ? budgetSign : expected;
    if (line.actualGiven && line.actual !== 0 && Math.sign(line.actual) === -reference) {
      findings.add(
        "warning",
        "SIGN_SUSPECT",
        `${line.name}: utfallet ${fmt(out(line, line.actual))} har ${
          budgetSign !== 0
            ? `motsatt tecken mot budgeten ${fmt(out(line, line.annual))}`
            : "fel tecken för raden"
        }; saknas ett minustecken?`,
        { line: line.index, field: "actual" },
      );
    }
  }
  const columns: { key: "actual" | "period" | "annual"; what: string; field: "actual" | "budget" }[] = [
    { key: "actual", what: "utfall", field: "actual" },
    { key: "period", what: "periodbudget", field: "budget" },
    { key: "annual", what: "årsbudget", field: "budget" },
  ];
  for (const parent of work) {
    if (parent.children.length === 0) continue;
    const kids = parent.children.map((i) => work[i]);
    let budgetFlagged = false;
    for (const { key, what, field } of columns) {
      if (key === "annual" && budgetFlagged) continue;
      const parts = sum(kids.map((k) => k[key]));
      const whole = parent[key];
      const c = classify(parts, whole, kids.length + 1, roundingUnit);
      if (!c) continue;
      if (key === "period") budgetFlagged = true;
      const tolerance = 0.5 * (kids.length + 1) * roundingUnit;
      const delta = whole - parts;
      const flipped = kids.find((k) => k[key] !== 0 && Math.abs(delta + 2 * k[key]) <= tolerance);
      const swapped = kids.find(
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
        `Varav-raderna under "${parent.label}" summerar till ${fmt(out(parent, parts))} i ${what} men raden har ${fmt(
          out(parent, whole),
        )} (differens ${fmt(Math.abs(delta))}, ${why}).`,
        { line: (flipped ?? parent).index, field },
      );
    }
  }
}
