/**
 * The reading shortcuts the core takes on long ledgers must read exactly what the plain rules read:
 * labelKeyHash against labelKey, OwnFields against prop(), and the month sign summary against the month
 * check itself (through compute()).
 */
import fc from "fast-check";
import { compute, type LedgerLine } from "../../../src/core";
import { keyHash, labelKey, labelKeyHash, OwnFields, prop } from "../../../src/core/read";

fc.configureGlobal({ seed: 20190430, numRuns: 300 });

/** Characters where lower case and whitespace are not plain ASCII. */
const tricky = [..."AaÅåÄäÖöİıIiSsßẞǄǅǆǇǈǉΣσςΩωKK\u00a0\t\n\u2028\u3000\u0301 é"];
const latin = fc.integer({ min: 0, max: 0x24f }).map((c) => String.fromCharCode(c));
const label = fc
  .array(
    fc.oneof(
      fc.constantFrom(...tricky),
      latin,
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    ),
    { maxLength: 12 },
  )
  .map((cs) => cs.join(""));

describe("labelKeyHash", () => {
  it("is the hash of the label's key, for any text", () => {
    fc.assert(fc.property(label, (text) => labelKeyHash(text) === keyHash(labelKey(text))));
  });

  it("gives labels with one key one hash, and tells these apart", () => {
    expect(labelKeyHash(" Köpt  Verksamhet")).toBe(labelKeyHash("köpt\u00a0verksamhet"));
    expect(labelKeyHash("İstanbul")).toBe(keyHash("i\u0307stanbul"));
    expect(labelKeyHash("Personal")).not.toBe(labelKeyHash("Lokaler"));
  });

  it("lets a measure find its line whatever the case and spaces of either", () => {
    const result = compute({
      period: { year: 2019, month: 4 },
      lines: [
        { label: "Lokaler", kind: "cost", annualBudget: -1200, actual: -400 },
        { label: "Köpt  VERKSAMHET", kind: "cost", annualBudget: -2400, actual: -800 },
      ],
      measures: [
        {
          area: "A",
          text: "t",
          amount: 100,
          type: "forecast",
          includedInForecast: true,
          line: "köpt verksamhet",
        },
      ],
    });
    expect(result.measuresApplied).toEqual([expect.objectContaining({ line: "Köpt  VERKSAMHET" })]);
    expect(result.lines[1].measuresIncluded).toBe(100);
  });
});

describe("OwnFields", () => {
  const keys = ["label", "actual", "toString"];

  it("reads what prop() reads, own properties only", () => {
    const fields = new OwnFields(keys);
    const inherited = Object.assign(Object.create({ actual: 5 }) as Record<string, unknown>, { label: "x" });
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { actual: 7 });
    for (const record of [{ label: "a", actual: 1 }, { actual: 2 }, inherited, bare, null]) {
      const read = fields.of(record);
      for (const key of keys) expect(read[key]).toBe(prop(record, key));
    }
  });
});

describe("the month sign check's summary", () => {
  const cell = fc.oneof(
    fc.integer({ min: -3000, max: 3000 }),
    fc.double({ min: -3000, max: 3000, noNaN: true }),
    fc.constant(null),
  );
  const line: fc.Arbitrary<LedgerLine> = fc.record({
    label: fc.constantFrom("Intäkter", "Kostnader", "varav a"),
    kind: fc.constantFrom("revenue", "cost", "ofWhich"),
    annualBudget: fc.oneof(fc.integer({ min: -50_000, max: 50_000 }), fc.constant(null)),
    actualMonthly: fc.array(cell, { minLength: 12, maxLength: 12 }),
  });

  it("finds the months with a lost sign that reading the months again finds", () => {
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 11 }),
        fc.constantFrom("net" as const, "costPositive" as const),
        (lines, month, signConvention) => {
          const input = { period: { year: 2019, month }, lines, signConvention };
          // December as numeric text (after the period, so no sum to date changes) sends the months
          // through the full reading, where the check reads them itself.
          const full = {
            ...input,
            lines: lines.map((l) => ({
              ...l,
              actualMonthly: [...(l.actualMonthly ?? []).slice(0, 11), "0" as never],
            })),
          };
          const signs = (r: ReturnType<typeof compute>) =>
            r.findings.filter((f) => f.code === "SIGN_SUSPECT" && f.month !== undefined);
          expect(signs(compute(input))).toEqual(signs(compute(full)));
        },
      ),
    );
  });
});
