/**
 * A parent's forecast from its varav lines (DOMAIN.md §1.2: the varav lines partition their parent and
 * "övriga" is the residual): when they do not cover it, what they leave out ("ej specificerat") is
 * forecast by the parent's own method and counted in; a parent left blank is the sum of its varav
 * lines; a "- varav …" label with no Radtyp is a varav line.
 */
import { compute, explainLine, type ForecastMethod, type LedgerLine } from "../../../src/core";

const period = { year: 2019, month: 4 };
const codes = (r: ReturnType<typeof compute>, code: string) => r.findings.filter((f) => f.code === code);

describe("varav lines that do not cover their parent", () => {
  // The varav line is a tenth of the parent: -40 of -400 to date, -120 of -1 200 for the year.
  const lines = (parentMethod?: ForecastMethod): LedgerLine[] => [
    {
      label: "Kostnader",
      annualBudget: -1200,
      actual: -400,
      ...(parentMethod ? { method: parentMethod } : {}),
    },
    { label: "varav konsulter", annualBudget: -120, actual: -40, method: "zero" },
  ];

  test("the parent forecasts Σ varav + the unitemised rest by its own method (linjär: like the parent alone)", () => {
    const r = compute({ period, lines: lines() });
    const alone = compute({ period, lines: [lines()[0]] });
    // Rest: utfall -360, årsbudget -1 080, linjär -360 × 12/4 = -1 080; varav noll -120.
    expect(r.lines[0]).toMatchObject({ forecast: -1200, forecastDeviation: 0, forecastFrom: "ofWhich" });
    expect(r.lines[0].forecast).toBe(alone.lines[0].forecast);
    expect(r.lines[0].unitemised).toMatchObject({
      actual: -360,
      annualBudget: -1080,
      forecast: -1080,
      method: "linear",
    });
    expect(r.result.forecast).toBe(-1200);
    expect(codes(r, "OFWHICH_MISMATCH").map((f) => f.level)).toEqual(["error", "error"]);
    const [note] = codes(r, "OFWHICH_UNITEMISED");
    expect(note).toMatchObject({ level: "info", line: 0 });
    expect(note.message).toContain("utfall -360, årsbudget -1 080");
    expect(note.message).toContain("prognosen -1 080 med metoden linjär");
    expect(explainLine(r.lines[0], r).forecast).toBe(
      "summa av varav-raderna -120 + ej specificerat -1 080 (utfall -360, årsbudget -1 080; -360 × 12/4 = -1 080) = -1 200",
    );
  });

  test("the rest takes the parent's method (budget), rounded to the rounding step like a line", () => {
    const r = compute({
      period,
      roundingStep: 100,
      lines: [{ ...lines("budget")[0], actual: -450 }, lines()[1]],
    });
    // Rest: utfall -410, periodbudget -360, årsbudget -1 080: -410 + (-1 080 + 360) = -1 130 → FV -50 → -100.
    expect(r.lines[0].unitemised).toMatchObject({
      method: "budget",
      unroundedForecast: -1130,
      forecast: -1180,
    });
    expect(r.lines[0].forecast).toBe(-120 - 1180);
  });

  test("säsong: the rest follows the parent's last-year profile", () => {
    const lastYearMonthly = [-100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -300];
    const r = compute({ period, lines: [{ ...lines("seasonal")[0], lastYearMonthly }, lines()[1]] });
    // Profile 1 400/400 = 3,5: rest -360 × 3,5 = -1 260.
    expect(r.lines[0].unitemised).toMatchObject({ method: "seasonal", forecast: -1260 });
    expect(r.lines[0].forecast).toBe(-120 - 1260);
  });

  test("trend: the rest's monthly deviation is the parent's less its varav lines' (like the parent alone)", () => {
    const months = (v: number) => Array.from({ length: 12 }, () => v);
    const later = Array.from({ length: 8 }, () => null); // May–December: not yet
    const trend = (parent: number[], kid: number[]) =>
      compute({
        period,
        trendMonths: 1,
        lines: [
          {
            label: "Kostnader",
            monthlyBudget: months(-100),
            actualMonthly: [...parent, ...later],
            method: "trend",
          },
          {
            label: "varav a",
            monthlyBudget: months(-10),
            actualMonthly: [...kid, ...later],
            method: "trend",
          },
        ],
      });
    const r = trend([-100, -100, -100, -130], [-10, -10, -10, -10]);
    // Rest: utfall -390, periodbudget -360, årsbudget -1 080; April's deviation -30: -1 080 - 30 + 8 × -30.
    expect(r.lines[0].unitemised).toMatchObject({ method: "trend", trendMonthly: -30, forecast: -1350 });
    expect(r.lines[0].forecast).toBe(-120 - 1350);
    const alone = compute({
      period,
      trendMonths: 1,
      lines: [
        {
          label: "x",
          monthlyBudget: months(-100),
          actualMonthly: [-100, -100, -100, -130, ...later],
          method: "trend",
        },
      ],
    });
    expect(alone.lines[0].forecast).toBe(r.lines[0].forecast);
  });

  test("cost-positive: the same rest, shown cost-positive", () => {
    const flip = (l: LedgerLine): LedgerLine => ({
      ...l,
      annualBudget: 0 - (l.annualBudget as number),
      actual: 0 - (l.actual as number),
    });
    const r = compute({ period, signConvention: "costPositive", lines: lines().map(flip) });
    expect(r.lines[0]).toMatchObject({ forecast: 1200, forecastDeviation: 0 });
    expect(r.lines[0].unitemised).toMatchObject({ actual: 360, forecast: 1080, forecastDeviation: 0 });
  });

  test("varav lines that foot (within rounding) keep the plain sum and say so", () => {
    const r = compute({
      period,
      lines: [
        { label: "Kostnader", annualBudget: -1200, actual: -401 },
        { label: "varav a", annualBudget: -600, actual: -200, method: "zero" },
        { label: "varav b", annualBudget: -600, actual: -200, manualForecast: -700 },
      ],
    });
    expect(r.lines[0]).toMatchObject({ forecast: -1300, forecastFrom: "ofWhich" });
    expect(r.lines[0].unitemised).toBeUndefined();
    expect(codes(r, "OFWHICH_UNITEMISED")).toEqual([]);
    expect(explainLine(r.lines[0], r).forecast).toBe("summa av varav-raderna");
  });

  test("a gap that a varav line's lost sign explains is a typo, not a rest: the plain sum", () => {
    const r = compute({
      period,
      lines: [
        { label: "Kostnader", annualBudget: -1200, actual: -400 },
        { label: "varav a", annualBudget: -600, actual: -300, method: "zero" },
        { label: "varav b", annualBudget: -600, actual: 100, method: "zero" },
      ],
    });
    expect(r.lines[0].forecast).toBe(-1200);
    expect(r.lines[0].unitemised).toBeUndefined();
    expect(codes(r, "OFWHICH_MISMATCH")[0].level).toBe("error");
  });
});

describe("a parent row whose amounts are blank (a heading over its varav rows)", () => {
  const kids: LedgerLine[] = [
    { label: "varav a", annualBudget: -600, actual: -250 },
    { label: "varav b", annualBudget: -600, actual: -150, method: "zero" },
  ];
  const typed = compute({
    period,
    lines: [
      { label: "Kostnader", kind: "cost", annualBudget: -1200, actual: -400 },
      ...kids,
      { label: "Summa" },
    ],
  });
  const blank = compute({
    period,
    lines: [{ label: "Kostnader", kind: "cost" }, ...kids, { label: "Summa" }],
  });

  test("its utfall and budget are the sums of its varav rows, as if typed", () => {
    expect(blank.lines[0]).toMatchObject({
      actual: -400,
      annualBudget: -1200,
      periodBudget: -400,
      forecast: -1350,
    });
    expect(blank.result).toEqual(typed.result);
    expect(blank.lines[0].periodisedBy).toBe("ofWhichBlank");
    expect(explainLine(blank.lines[0], blank).periodBudget).toBe(
      "summa av varav-radernas periodbudgetar = -400 (raden har ingen egen budget)",
    );
  });

  test("an upplysning per column says so; no OFWHICH_MISMATCH, no 'räknas som 0'", () => {
    const notes = codes(blank, "OFWHICH_SUM");
    expect(notes.map((f) => [f.level, f.line, f.field])).toEqual([
      ["info", 0, "actual"],
      ["info", 0, "budget"],
    ]);
    expect(notes[0].message).toBe(
      'Raden "Kostnader": utfallet saknas och räknas som summan av varav-raderna: -400.',
    );
    expect(notes[1].message).toBe(
      'Raden "Kostnader": budgeten saknas och räknas som summan av varav-raderna: -1 200.',
    );
    expect(codes(blank, "OFWHICH_MISMATCH")).toEqual([]);
    expect(codes(blank, "ACTUAL_MISSING")).toEqual([]);
    expect(codes(blank, "BUDGET_MISSING")).toEqual([]);
  });
});

test('a "- varav …" label with no Radtyp is a varav row, with an upplysning that says why', () => {
  const ledger = (label: string) =>
    compute({
      period,
      lines: [
        { label: "Kostnader", annualBudget: -1200, actual: -400 },
        { label, annualBudget: -1200, actual: -400 },
        { label: "Summa" },
      ],
    });
  const dashed = ledger("- varav placeringar");
  const plain = ledger("varav placeringar");
  expect(dashed.lines[1]).toMatchObject({ kind: "ofWhich", parent: 0 });
  expect(dashed.result).toEqual(plain.result);
  const [note] = codes(dashed, "OFWHICH_FROM_LABEL");
  expect(note).toMatchObject({ level: "info", line: 1, field: "kind" });
  expect(note.message).toContain('Raden "- varav placeringar" har ingen radtyp');
  expect(codes(plain, "OFWHICH_FROM_LABEL")).toEqual([]);
  expect(ledger("– varav x").lines[1].kind).toBe("ofWhich");
  expect(ledger("-varav x").lines[1].kind).toBe("ofWhich");
});

describe("a manual forecast on a parent row against its varav rows' forecasts", () => {
  const ledger = (manual: number, roundingStep = 0) =>
    compute({
      period,
      roundingStep,
      lines: [
        { label: "Kostnader", annualBudget: -1200, actual: -400, manualForecast: manual },
        { label: "varav a", annualBudget: -600, actual: -200, method: "zero" },
        { label: "varav b", annualBudget: -600, actual: -200, manualForecast: -700 },
      ],
    });

  test("a difference beyond rounding (here by far) is an error at the parent's ManuellPrognos; the manual figure is used", () => {
    const r = ledger(-1250);
    expect(r.lines[0]).toMatchObject({ forecast: -1250, forecastFrom: "manual" });
    const found = codes(r, "OFWHICH_FORECAST_MISMATCH");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ level: "error", line: 0, field: "manualForecast" });
    expect(found[0].message).toBe(
      'Raden "Kostnader": den manuella prognosen -1 250 är inte summan av varav-radernas prognoser -1 300 (differens +50, mer än avrundning); den manuella prognosen används för raden och i summorna.',
    );
  });

  test("agreeing, or within the rounding step per figure, is no finding", () => {
    expect(codes(ledger(-1300), "OFWHICH_FORECAST_MISMATCH")).toEqual([]);
    expect(codes(ledger(-1350, 100), "OFWHICH_FORECAST_MISMATCH")).toEqual([]);
    expect(codes(ledger(-1500, 100), "OFWHICH_FORECAST_MISMATCH")).toHaveLength(1);
  });

  test("a parent its varav rows do not cover is not checked (the unitemised part is the ekonom's)", () => {
    const r = compute({
      period,
      lines: [
        { label: "Kostnader", annualBudget: -1200, actual: -400, manualForecast: -1250 },
        { label: "varav a", annualBudget: -120, actual: -40, method: "zero" },
      ],
    });
    expect(codes(r, "OFWHICH_FORECAST_MISMATCH")).toEqual([]);
    expect(r.lines[0].forecast).toBe(-1250);
  });
});
