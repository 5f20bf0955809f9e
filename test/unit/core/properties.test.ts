/**
 * Property tests over random ledgers (fast-check, fixed seed so failures reproduce).
 */
import fc from "fast-check";
import {
  compute,
  CoreInputError,
  type ForecastMethod,
  type LedgerInput,
  type LedgerLine,
} from "../../../src/core";

fc.configureGlobal({ seed: 20190430, numRuns: 200 });

const amount = fc.integer({ min: -1_000_000, max: 1_000_000 });
const method = fc.constantFrom<ForecastMethod>("linear", "days", "budget", "seasonal", "zero", "manual");
const month = fc.integer({ min: 1, max: 12 });
const year = fc.integer({ min: 1990, max: 2100 });
const lastYear = fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 12, maxLength: 12 });

const baseLine: fc.Arbitrary<LedgerLine> = fc.record({
  label: fc.string({ maxLength: 8 }).map((s) => `Post ${s}`),
  kind: fc.constantFrom("revenue" as const, "cost" as const),
  annualBudget: amount,
  actual: amount,
  method,
  manualForecast: fc.option(amount, { nil: null }),
  lastYearMonthly: fc.option(lastYear, { nil: null }),
});
const ofWhichLine: fc.Arbitrary<LedgerLine> = fc.record({
  label: fc.string({ maxLength: 8 }).map((s) => `varav ${s}`),
  annualBudget: amount,
  actual: amount,
  method,
  manualForecast: fc.option(amount, { nil: null }),
});

/** A ledger: base lines, each followed by 0–3 varav lines, then "Summa". */
const ledger = fc
  .record({
    period: fc.record({ year, month }),
    groups: fc.array(fc.tuple(baseLine, fc.array(ofWhichLine, { maxLength: 3 })), {
      minLength: 1,
      maxLength: 8,
    }),
    roundingStep: fc.constantFrom(null, 0, 1, 10, 100, 500),
    balanceTarget: fc.option(amount, { nil: null }),
  })
  .map(({ period, groups, roundingStep, balanceTarget }) => ({
    input: {
      period,
      roundingStep,
      balanceTarget,
      lines: [...groups.flatMap(([line, kids]) => [line, ...kids]), { label: "Summa" }],
    } satisfies LedgerInput,
    groups,
  }));

const sumOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Lines whose annual budget is periodised by their method rather than linearly (docs/TEMPLATE.md). */
const byMethod = (l: LedgerLine) =>
  (l.manualForecast ?? null) === null &&
  (l.method === "days" || (l.method === "seasonal" && (l.lastYearMonthly ?? null) !== null));

test("varav lines always add up to their parent's period budget, however each is periodised", () => {
  fc.assert(
    fc.property(ledger, ({ input }) => {
      const r = compute(input);
      r.lines.forEach((line, i) => {
        const kids = r.lines.filter((k) => k.parent === i);
        if (!kids.some((k) => k.periodisedBy !== line.periodisedBy)) return;
        expect(line.periodBudget).toBeCloseTo(sumOf(kids.map((k) => k.periodBudget)), 6);
      });
    }),
  );
});

test("the deviation of the total equals the sum of the revenue and cost lines' deviations", () => {
  fc.assert(
    fc.property(ledger, ({ input }) => {
      const r = compute(input);
      const base = r.lines.filter((l) => l.kind === "revenue" || l.kind === "cost");
      const total = r.lines[r.lines.length - 1];
      expect(total.kind).toBe("total");
      expect(total.deviation).toBe(sumOf(base.map((l) => l.deviation)));
      expect(r.result.deviation).toBe(total.deviation);
      expect(total.deviation).toBeCloseTo(total.actual - total.periodBudget, 6);
      expect(r.result.forecastDeviation).toBeCloseTo(sumOf(base.map((l) => l.forecastDeviation)), 6);
    }),
  );
});

test("varav lines never change the total's actual, budgets and deviation (nor its forecast when parents are manual)", () => {
  fc.assert(
    fc.property(ledger, ({ input, groups }) => {
      const withoutVarav = { ...input, lines: [...groups.map(([line]) => line), { label: "Summa" }] };
      const a = compute(input);
      const b = compute(withoutVarav);
      const ta = a.lines[a.lines.length - 1];
      const tb = b.lines[b.lines.length - 1];
      expect([ta.actual, ta.annualBudget]).toEqual([tb.actual, tb.annualBudget]);
      // A parent whose varav lines are periodised otherwise (by days, by last year's profile) takes the
      // sum of their period budgets; otherwise the period budget and deviation do not move either.
      const alike = groups.every(([line, kids]) => kids.length === 0 || ![line, ...kids].some(byMethod));
      if (alike) expect([ta.periodBudget, ta.deviation]).toEqual([tb.periodBudget, tb.deviation]);
      const manualParents = groups.every(([line, kids]) => kids.length === 0 || line.manualForecast !== null);
      if (manualParents) expect(ta.forecast).toBe(tb.forecast);
    }),
  );
});

test("at m = 12 the year is known: F = A for every method, zero included (YEAR_END_METHOD when B ≠ A)", () => {
  fc.assert(
    fc.property(
      year,
      amount,
      amount,
      lastYear,
      fc.constantFrom<ForecastMethod>("linear", "days", "seasonal", "zero", "budget", "trend"),
      (y, budget, actual, L, m) => {
        const r = compute({
          period: { year: y, month: 12 },
          lines: [{ label: "x", kind: "cost", annualBudget: budget, actual, method: m, lastYearMonthly: L }],
        });
        const line = r.lines[0];
        expect(line.method).toBe(m);
        expect(line.forecast).toBe(actual);
        expect(line.forecastFrom).toBe("actual");
        expect(r.findings.filter((f) => f.code === "SEASONAL_FALLBACK")).toEqual([]);
      },
    ),
  );
});

test("rounding never moves a forecast deviation by more than r/2", () => {
  fc.assert(
    fc.property(ledger, fc.constantFrom(1, 10, 100, 500, 1000), ({ input }, r) => {
      const exact = compute({ ...input, roundingStep: null });
      const rounded = compute({ ...input, roundingStep: r });
      exact.lines.forEach((line, i) => {
        const other = rounded.lines[i];
        const own = line.kind !== "total" && line.forecastFrom === "method";
        if (!own) return;
        expect(Math.abs(other.forecastDeviation - line.forecastDeviation)).toBeLessThanOrEqual(r / 2 + 1e-6);
        expect(Math.abs(other.forecastDeviation / r - Math.round(other.forecastDeviation / r))).toBeLessThan(
          1e-6,
        );
      });
    }),
  );
});

test("computing twice gives deep-equal results and leaves the input unchanged", () => {
  fc.assert(
    fc.property(ledger, ({ input }) => {
      const copy = structuredClone(input);
      expect(compute(input)).toEqual(compute(input));
      expect(input).toEqual(copy);
    }),
  );
});

test("garbage in number fields never throws; the result stays finite", () => {
  const garbageLine = fc.record(
    {
      label: fc.anything(),
      kind: fc.anything(),
      annualBudget: fc.anything(),
      monthlyBudget: fc.oneof(fc.anything(), fc.array(fc.anything(), { minLength: 12, maxLength: 12 })),
      actual: fc.oneof(fc.anything(), fc.constantFrom(NaN, Infinity, -Infinity, "i.u.", "-8 276", "")),
      actualMonthly: fc.anything(),
      lastYearMonthly: fc.oneof(fc.anything(), fc.array(fc.anything(), { minLength: 12, maxLength: 12 })),
      method: fc.anything(),
      manualForecast: fc.anything(),
      typedDeviation: fc.anything(),
    },
    { requiredKeys: [] },
  );
  const garbage = fc.record({
    period: fc.record({ year, month }),
    lines: fc.oneof(fc.array(fc.oneof(garbageLine, fc.anything()), { maxLength: 6 }), fc.anything()),
    roundingStep: fc.anything(),
    roundingUnit: fc.anything(),
    balanceTarget: fc.anything(),
    signConvention: fc.oneof(fc.constantFrom("net", "costPositive"), fc.anything()),
    periodisation: fc.anything(),
    defaultMethod: fc.anything(),
    unit: fc.anything(),
    measures: fc.oneof(
      fc.array(
        fc.record({
          area: fc.anything(),
          text: fc.anything(),
          amount: fc.anything(),
          type: fc.anything(),
          includedInForecast: fc.anything(),
          line: fc.anything(),
        }),
        { maxLength: 4 },
      ),
      fc.anything(),
    ),
    committeeDates: fc.oneof(fc.array(fc.anything(), { maxLength: 3 }), fc.anything()),
    volumes: fc.oneof(
      fc.array(
        fc.record({
          label: fc.anything(),
          type: fc.anything(),
          actual: fc.anything(),
          forecast: fc.anything(),
        }),
        { maxLength: 3 },
      ),
      fc.anything(),
    ),
  });
  fc.assert(
    fc.property(garbage, (input) => {
      const r = compute(input as unknown as LedgerInput);
      for (const line of r.lines) {
        for (const x of [
          line.actual,
          line.periodBudget,
          line.deviation,
          line.forecast,
          line.forecastDeviation,
        ]) {
          expect(Number.isFinite(x)).toBe(true);
        }
      }
      expect(Number.isFinite(r.result.forecastDeviation)).toBe(true);
      for (const f of r.findings) expect(typeof f.message).toBe("string");
    }),
  );
});

test("garbage anywhere, including the period, throws nothing but CoreInputError", () => {
  fc.assert(
    fc.property(fc.anything(), fc.anything(), fc.anything(), (period, lines, rest) => {
      try {
        compute({ period, lines, measures: rest } as unknown as LedgerInput);
      } catch (error) {
        expect(error).toBeInstanceOf(CoreInputError);
        expect((error as CoreInputError).message).toMatch(/[a-zåäö]/i);
      }
    }),
  );
});
