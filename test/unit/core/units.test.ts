/**
 * Units (Ansvar) in one ledger: totals per unit and for the whole, varav structure within a unit, checks
 * per unit, measures tied to a unit, and the consolidated net result with the balance target. The
 * expected figures are computed by hand in the comments (period = April: linear share 4/12, rate 12/4).
 */
import fc from "fast-check";
import { compute, type LedgerInput, type LedgerLine } from "../../../src/core";

const period = { year: 2019, month: 4 };

/**
 * Vårnäs: Intäkter B 1 200, A 500 → periodbudget 400, avvikelse +100, prognos 1 500, helår +300.
 *         Kostnader B −6 000, A −2 200 → −2 000, −200, prognos −6 600, helår −600.
 * Mercur: Kostnader B −3 000, A −900 → −1 000, +100; it has two varav lines:
 *         personal B −2 400, A −600 → −800, +200, prognos −1 800, helår +600;
 *         övrigt B −600, A −300 → −200, −100, prognos −900, helår −300;
 *         so Kostnader's forecast is −1 800 − 900 = −2 700, helår +300.
 */
const twoUnits = (): LedgerLine[] => [
  { label: "Intäkter", kind: "revenue", annualBudget: 1200, actual: 500, orgUnit: "Vårnäs" },
  { label: "Kostnader", kind: "cost", annualBudget: -6000, actual: -2200, orgUnit: "Vårnäs" },
  { label: "Summa Vårnäs", kind: "total", orgUnit: "Vårnäs" },
  { label: "Kostnader", kind: "cost", annualBudget: -3000, actual: -900, orgUnit: "Mercur" },
  { label: "varav personal", annualBudget: -2400, actual: -600 },
  { label: "varav övrigt", annualBudget: -600, actual: -300, orgUnit: "mercur " },
  { label: "Summa Mercur", kind: "total", orgUnit: "Mercur" },
  { label: "Summa förvaltningen", kind: "total" },
];

const codes = (r: ReturnType<typeof compute>) => r.findings.map((f) => f.code);

test("totals per unit and for the whole, by hand", () => {
  const r = compute({ period, lines: twoUnits(), balanceTarget: -100 });
  const [varnas, mercur] = r.units!.units;
  expect(r.units!.units.map((u) => u.name)).toEqual(["Vårnäs", "Mercur"]);
  expect(varnas.lines).toEqual([0, 1, 2]);
  expect(mercur.lines).toEqual([3, 4, 5, 6]);
  // Vårnäs: 500 − 2 200 = −1 700; 400 − 2 000 = −1 600; +100 − 200 = −100; +300 − 600 = −300.
  expect(varnas.result).toMatchObject({
    actual: -1700,
    periodBudget: -1600,
    deviation: -100,
    annualBudget: -4800,
    forecast: -5100,
    forecastDeviation: -300,
    balanceTarget: null,
    deviationVsBalanceTarget: null,
  });
  expect(mercur.result).toMatchObject({ actual: -900, periodBudget: -1000, deviation: 100 });
  expect(mercur.result.forecastDeviation).toBe(300);
  // The unit total lines carry the same figures.
  expect(r.lines[2]).toMatchObject({
    kind: "total",
    actual: -1700,
    deviation: -100,
    forecastDeviation: -300,
  });
  expect(r.lines[6]).toMatchObject({ kind: "total", actual: -900, deviation: 100, forecastDeviation: 300 });
  // The whole: −1 700 − 900 = −2 600; deviation −100 + 100 = 0; helår −300 + 300 = 0; vs target −100 → +100.
  expect(r.lines[7]).toMatchObject({ kind: "total", actual: -2600, deviation: 0, forecastDeviation: 0 });
  expect(r.lines[7].orgUnit).toBeUndefined();
  expect(r.result).toMatchObject({ actual: -2600, periodBudget: -2600, deviation: 0, forecastDeviation: 0 });
  expect(r.result.balanceTarget).toBe(-100);
  expect(r.result.deviationVsBalanceTarget).toBe(100);
  expect(r.units!.unassignedMeasures).toBe(0);
});

test("varav structure within a unit: a blank Ansvar takes the parent's, and the parent's forecast is their sum", () => {
  const r = compute({ period, lines: twoUnits() });
  expect(r.lines[4]).toMatchObject({ orgUnit: "Mercur", parent: 3, forecast: -1800, forecastDeviation: 600 });
  expect(r.lines[5]).toMatchObject({ orgUnit: "Mercur", parent: 3, forecast: -900, forecastDeviation: -300 });
  expect(r.lines[3]).toMatchObject({ forecast: -2700, forecastDeviation: 300, forecastFrom: "ofWhich" });
  expect(codes(r)).not.toContain("ORG_UNIT_OFWHICH");
  expect(codes(r)).not.toContain("OFWHICH_MISMATCH");
});

test("a varav line in another unit than its parent is an error naming its Ansvar cell, computed with its parent", () => {
  const lines = twoUnits();
  lines[5] = { ...lines[5], orgUnit: "Klivet" };
  const r = compute({ period, lines });
  const f = r.findings.find((x) => x.code === "ORG_UNIT_OFWHICH");
  expect(f).toMatchObject({ level: "error", line: 5, field: "orgUnit" });
  expect(f!.message).toContain('"Klivet"');
  expect(f!.message).toContain('"Kostnader", har "Mercur"');
  expect(r.lines[5].orgUnit).toBe("Mercur");
  expect(r.lines[3].forecast).toBe(-2700);
  expect(r.units!.units.map((u) => u.name)).toEqual(["Vårnäs", "Mercur"]);
});

test("a unit's total line sums only its unit's lines, even when the units' lines are interleaved", () => {
  const r = compute({
    period,
    lines: [
      { label: "Kostnader", kind: "cost", annualBudget: -1200, actual: -300, orgUnit: "A" },
      { label: "Kostnader", kind: "cost", annualBudget: -2400, actual: -1000, orgUnit: "B" },
      { label: "Intäkter", kind: "revenue", annualBudget: 600, actual: 150, orgUnit: "A" },
      { label: "Summa A", kind: "total", orgUnit: "A", actual: -150 },
      { label: "Summa B", kind: "total", orgUnit: "B", actual: -999 },
    ],
  });
  // A: −300 + 150 = −150 (typed −150: no finding); B: −1 000 (typed −999: within rounding, info).
  expect(r.lines[3].actual).toBe(-150);
  expect(r.lines[4].actual).toBe(-1000);
  const mismatches = r.findings.filter((f) => f.code === "TOTAL_MISMATCH");
  expect(mismatches).toHaveLength(1);
  expect(mismatches[0]).toMatchObject({ line: 4, level: "info" });
  expect(r.result.actual).toBe(-1150);
});

test("a unit total with no lines of its unit above it, and a line without Ansvar, are findings", () => {
  const r = compute({
    period,
    lines: [
      { label: "Summa Klivet", kind: "total", orgUnit: "Klivet" },
      { label: "Kostnader", kind: "cost", annualBudget: -1200, actual: -300, orgUnit: "Klivet" },
      { label: "Hyror", kind: "cost", annualBudget: -120, actual: -40 },
    ],
  });
  expect(r.findings.find((f) => f.code === "ORG_UNIT_TOTAL_EMPTY")).toMatchObject({
    level: "warning",
    line: 0,
    field: "orgUnit",
  });
  expect(r.findings.find((f) => f.code === "ORG_UNIT_MISSING")).toMatchObject({ line: 2, field: "orgUnit" });
  expect(r.units!.units.map((u) => [u.name, u.result.actual])).toEqual([
    ["Klivet", -300],
    ["Utan ansvar", -40],
  ]);
});

test("a measure tied to a unit raises that unit's line, not the first line with the same label", () => {
  const input: LedgerInput = {
    period,
    lines: twoUnits(),
    measures: [
      {
        area: "Placeringar",
        text: "Hemmaplanslösning",
        amount: 250,
        type: "forecast",
        includedInForecast: true,
        line: "Kostnader",
        orgUnit: "Mercur",
      },
      {
        area: "Placeringar",
        text: "Okänd enhet",
        amount: 40,
        type: "forecast",
        includedInForecast: true,
        line: "Kostnader",
        orgUnit: "Viadidakt",
      },
    ],
  };
  const r = compute(input);
  // Mercur's Kostnader: −2 700 + 250 = −2 450 (helår +550); Vårnäs' Kostnader unchanged (−6 600).
  expect(r.lines[3]).toMatchObject({ forecast: -2450, forecastDeviation: 550, measuresIncluded: 250 });
  expect(r.lines[1]).toMatchObject({ forecast: -6600, measuresIncluded: 0 });
  expect(r.units!.units[1].measuresIncluded).toBe(250);
  expect(r.units!.units[1].result.forecastDeviation).toBe(550);
  // The unknown unit's 40 goes to the extra line, which counts for the whole only.
  expect(r.findings.find((f) => f.code === "MEASURE_UNIT_UNKNOWN")).toMatchObject({ measure: 1 });
  expect(r.units!.unassignedMeasures).toBe(40);
  expect(r.result.forecastDeviation).toBe(-300 + 550 + 40);
  expect(r.lines[7].forecastDeviation).toBe(-300 + 550 + 40);
  expect(r.actionPlan.areas[0].measures.map((m) => m.orgUnit)).toEqual(["Mercur", "Viadidakt"]);
});

test("a ledger without Ansvar has no units and no unit fields", () => {
  const lines = twoUnits().map(({ orgUnit: _drop, ...rest }) => rest);
  const r = compute({ period, lines });
  expect(r.units).toBeUndefined();
  expect(r.lines.some((l) => "orgUnit" in l)).toBe(false);
});

// ---------------------------------------------------------------------------------------------------
// Properties

fc.configureGlobal({ seed: 20190228, numRuns: 150 });

const amount = fc.integer({ min: -500_000, max: 500_000 });
const method = fc.constantFrom("linear" as const, "days" as const, "budget" as const, "zero" as const);
const baseLine = fc.record({
  label: fc.constantFrom("Intäkter", "Personal", "Placeringar", "Övrigt"),
  kind: fc.constantFrom("revenue" as const, "cost" as const),
  annualBudget: amount,
  actual: amount,
  method,
  manualForecast: fc.option(amount, { nil: null }),
});
const ofWhich = fc.record({ label: fc.constant("varav del"), annualBudget: amount, actual: amount, method });
const unitBlock = fc.record({
  groups: fc.array(fc.tuple(baseLine, fc.array(ofWhich, { maxLength: 2 })), { minLength: 1, maxLength: 5 }),
  total: fc.boolean(),
});
const unitLedger = fc.record({
  month: fc.integer({ min: 1, max: 12 }),
  units: fc.array(unitBlock, { minLength: 1, maxLength: 6 }),
  roundingStep: fc.constantFrom(null, 100),
  balanceTarget: fc.option(amount, { nil: null }),
});

type Block = { groups: [LedgerLine, LedgerLine[]][]; total: boolean };
const unitLines = (block: Block, name: string | null): LedgerLine[] => [
  ...block.groups.flatMap(([line, kids]) => [
    { ...line, orgUnit: name },
    ...kids.map((k) => ({ ...k, orgUnit: name })),
  ]),
  ...(block.total ? [{ label: "Summa", kind: "total" as const, orgUnit: name }] : []),
];

const KEYS = [
  "actual",
  "periodBudget",
  "deviation",
  "annualBudget",
  "forecast",
  "forecastDeviation",
] as const;

test("property: the units' results add up to the consolidated result, and each equals its unit computed alone", () => {
  fc.assert(
    fc.property(unitLedger, ({ month, units, roundingStep, balanceTarget }) => {
      const names = units.map((_, u) => `Enhet ${u + 1}`);
      const input: LedgerInput = {
        period: { year: 2019, month },
        roundingStep,
        balanceTarget,
        lines: units.flatMap((b, u) => unitLines(b, names[u])),
      };
      const r = compute(input);
      expect(r.units!.units.map((u) => u.name)).toEqual(names);
      for (const key of KEYS) {
        const sum = r.units!.units.reduce((acc, u) => acc + u.result[key], 0);
        expect(sum).toBeCloseTo(r.result[key], 6);
      }
      units.forEach((block, u) => {
        const alone = compute({ ...input, balanceTarget: null, lines: unitLines(block, null) });
        for (const key of KEYS) expect(r.units!.units[u].result[key]).toBeCloseTo(alone.result[key], 6);
      });
    }),
  );
});
