/**
 * December: the year is known, so every line's full-year forecast is its outcome (unrounded); a manual
 * forecast or a method that would say otherwise is a finding, included measures are already in the
 * outcome, and the drafted summary says the year's figure once.
 */
import { compute, explainLine, type LedgerInput, type LedgerLine } from "../../../src/core";
import { draftSummary } from "../../../src/core/summary";

const december = { year: 2019, month: 12 };
const codes = (r: ReturnType<typeof compute>, code: string) => r.findings.filter((f) => f.code === code);

const lines: LedgerLine[] = [
  { label: "Verksamhetens intäkter", annualBudget: 28674, actual: 38290, method: "budget" },
  { label: "Verksamhetens kostnader", annualBudget: -209283, actual: -278183 },
  { label: "varav ekonomiskt bistånd", annualBudget: -49959, actual: -66503, manualForecast: -57959 },
  { label: "varav övriga kostnader", annualBudget: -159324, actual: -211680, method: "zero" },
  { label: "Summa" },
];
const input: LedgerInput = { period: december, roundingStep: 100, balanceTarget: -30000, lines };
const r = compute(input);

test("every line's forecast is its outcome, unrounded, and the net forecast deviation is the year's deviation", () => {
  expect(r.lines.map((l) => l.forecast)).toEqual([38290, -278183, -66503, -211680, -239893]);
  expect(r.lines.slice(0, 4).map((l) => l.forecastFrom)).toEqual(["actual", "actual", "actual", "actual"]);
  expect(r.result.forecastDeviation).toBe(-59284);
  expect(r.result.forecastDeviation).toBe(r.result.deviation);
  expect(r.result.deviationVsBalanceTarget).toBe(-29284);
  expect(explainLine(r.lines[2], r).forecast).toBe("utfallet för helåret -66 503 (perioden är december)");
});

test("a manual forecast that differs from the outcome is a warning at its cell, not the year's figure", () => {
  const [manual] = codes(r, "YEAR_END_MANUAL");
  expect(manual).toMatchObject({ level: "warning", line: 2, field: "manualForecast" });
  expect(manual.message).toBe(
    'Raden "varav ekonomiskt bistånd": perioden är december, så helåret är känt och prognosen är utfallet för helåret -66 503. Den manuella prognosen -57 959 används inte; töm ManuellPrognos eller ändra den till utfallet.',
  );
  expect(r.lines[2].method).toBe("manual");
  // Within the rounding step the ekonom's rounded figure is no finding.
  const rounded = compute({ ...input, lines: [{ ...lines[2], kind: "cost", manualForecast: -66500 }] });
  expect(codes(rounded, "YEAR_END_MANUAL")).toEqual([]);
  expect(rounded.lines[0].forecast).toBe(-66503);
});

test("the method noll (the budget, whatever the outcome) is an upplysning", () => {
  const [zero] = codes(r, "YEAR_END_METHOD");
  expect(zero).toMatchObject({ level: "info", line: 3, field: "method" });
  expect(zero.message).toContain("inte årsbudgeten -159 324 som metoden noll ger");
});

test("a parent's manual forecast is not used either, and is not checked against its varav lines", () => {
  const manualParent = compute({
    ...input,
    lines: [lines[0], { ...lines[1], manualForecast: -250000 }, ...lines.slice(2)],
  });
  expect(manualParent.lines[1].forecast).toBe(-278183);
  expect(codes(manualParent, "YEAR_END_MANUAL").map((f) => f.line)).toEqual([1, 2]);
  expect(codes(manualParent, "OFWHICH_FORECAST_MISMATCH")).toEqual([]);
});

test("an included measure is already in the outcome: not added, with an upplysning", () => {
  const withMeasure = compute({
    ...input,
    measures: [
      {
        area: "Bistånd",
        text: "a",
        amount: 500,
        type: "forecast",
        includedInForecast: true,
        line: "varav ekonomiskt bistånd",
      },
      { area: "Övrigt", text: "b", amount: 300, type: "forecast", includedInForecast: true },
    ],
  });
  expect(withMeasure.lines.map((l) => l.forecast)).toEqual(r.lines.map((l) => l.forecast));
  expect(withMeasure.lines).toHaveLength(r.lines.length);
  expect(withMeasure.measuresApplied).toEqual([]);
  expect(withMeasure.result.forecastDeviation).toBe(-59284);
  expect(codes(withMeasure, "MEASURE_YEAR_END").map((f) => [f.level, f.measure])).toEqual([
    ["info", 0],
    ["info", 1],
  ]);
});

test("the drafted summary says the year's figure once: no forecast sentence, the result against the target", () => {
  const { summary } = draftSummary({
    result: r,
    subject: "Social välfärd",
    investments: { deviation: 2073, forecastDeviation: 2073 },
  });
  expect(summary).toContain("redovisar för hela året en negativ budgetavvikelse på 59 284 tkr.");
  expect(summary).not.toContain("prognosen för helår");
  expect(summary).toContain("resultatet är 29 284 tkr sämre än målet.");
  expect(summary).toContain(
    "Investeringsredovisningen visar för hela året en positiv budgetavvikelse på 2 073 tkr.",
  );
  expect(summary.match(/59 284/g)).toHaveLength(1);
});

test("November is unchanged: methods, rounding and manual forecasts as always", () => {
  const nov = compute({ ...input, period: { year: 2019, month: 11 } });
  expect(nov.lines[2]).toMatchObject({ forecast: -57959, forecastFrom: "manual" });
  expect(nov.lines[3].forecast).toBe(-159324);
  expect(codes(nov, "YEAR_END_MANUAL")).toEqual([]);
});
