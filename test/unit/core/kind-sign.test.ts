/**
 * KIND_SIGN (src/core/kind-sign.ts): a line typed as a cost (Radtyp kostnad) with a positive budget, the
 * cost-positive way in a net workbook, is a warning: its deviations would all have the wrong sign.
 */
import { compute } from "../../../src/core";
import type { LedgerLine } from "../../../src/core/types";

const april = { year: 2019, month: 4 };
const ledger = (costSign: number, kind?: "cost"): LedgerLine[] => [
  { label: "Intäkter", kind: "revenue", annualBudget: 12000, actual: 4350 },
  { label: "Kostnader", kind, annualBudget: costSign * 60000, actual: costSign * 21000 },
  { label: "varav personal", annualBudget: costSign * 36000, actual: costSign * 12400 },
  { label: "varav övrigt", annualBudget: costSign * 24000, actual: costSign * 8600 },
];
const found = (lines: LedgerLine[], signConvention?: "costPositive") =>
  compute({ period: april, lines, signConvention }).findings.filter((f) => f.code === "KIND_SIGN");

test("a cost typed positive: one warning at its budget, not one per varav line", () => {
  const f = found(ledger(1, "cost"));
  expect(f.map((x) => [x.level, x.line, x.field])).toEqual([["warning", 1, "budget"]]);
  expect(f[0].message).toBe(
    'Raden "Kostnader" har Radtyp kostnad, men budgeten 60 000 är positiv. Kostnader skrivs negativa och intäkter positiva; med positiva kostnader blir en kostnad över budget ett överskott. Saknas minustecknen?',
  );
});

test("no warning for a cost typed negative, a line whose kind follows its sign, or a cost-positive workbook", () => {
  expect(found(ledger(-1, "cost"))).toEqual([]);
  expect(found(ledger(1))).toEqual([]);
  expect(found(ledger(1, "cost"), "costPositive")).toEqual([]);
});

test("a ledger without any cost line (costs typed positive, no Radtyp) is one warning", () => {
  const lines = ledger(1);
  const f = compute({ period: april, lines }).findings.filter((x) => x.code === "NO_COST_LINES");
  expect(f.map((x) => [x.level, x.message])).toEqual([
    [
      "warning",
      "Ingen rad räknas som kostnad: alla rader har positiv budget och räknas som intäkter. Kostnader skrivs negativa; saknas minustecknen, eller ska raderna ha Radtyp kostnad?",
    ],
  ]);
  const normal = compute({ period: april, lines: ledger(-1) }).findings.map((x) => x.code);
  expect(normal).not.toContain("NO_COST_LINES");
  // One revenue line alone (an income table) is no finding.
  expect(compute({ period: april, lines: lines.slice(0, 1) }).findings).toEqual([]);
});

test("no NO_COST_LINES for an income ledger its Radtyp or its labels call revenue", () => {
  const income = (kind?: "revenue"): LedgerLine[] => [
    { label: "Statsbidrag", kind, annualBudget: 3000, actual: 1000 },
    { label: "Avgifter", kind, annualBudget: 600, actual: 210 },
  ];
  const codes = (lines: LedgerLine[]) => compute({ period: april, lines }).findings.map((x) => x.code);
  // The ekonom typed intäkt: nothing was inferred from the signs, so no minus sign can be missing.
  expect(codes(income("revenue"))).not.toContain("NO_COST_LINES");
  const named: LedgerLine[] = [
    { label: "Intäkter statsbidrag", annualBudget: 3000, actual: 1000 },
    { label: "Avgiftsintäkter", annualBudget: 600, actual: 210 },
  ];
  expect(codes(named)).not.toContain("NO_COST_LINES");
  // Kinds from the signs alone, labels that say nothing: still the warning.
  expect(codes(income())).toContain("NO_COST_LINES");
});
