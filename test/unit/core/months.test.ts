/**
 * The months' checks (src/core/months.ts): a blank outcome month inside the period, outcomes typed after
 * it and a blank budget month among budgeted ones, each a warning naming the line's month cell; and
 * none of them on lines that simply have no outcome, or on lines that started later in the year.
 */
import { compute, type Finding, type LedgerLine } from "../../../src/core";

const period = { year: 2019, month: 4 };
const budget = Array<number>(12).fill(-100);
const run = (...lines: LedgerLine[]) => compute({ period, lines }).findings;
const byCode = (findings: Finding[], code: string) => findings.filter((f) => f.code === code);
const months = (...values: (number | null)[]) => [...values, ...Array<null>(12 - values.length).fill(null)];

describe("ACTUAL_MONTH_MISSING", () => {
  test("April blank on a line with January–March: a warning at the April cell, April counted as 0", () => {
    const r = compute({
      period,
      lines: [
        { label: "Bistånd", kind: "cost", monthlyBudget: budget, actualMonthly: months(-90, -95, -99) },
      ],
    });
    expect(r.lines[0].actual).toBe(-284);
    const [f] = byCode(r.findings, "ACTUAL_MONTH_MISSING");
    expect(f).toMatchObject({ level: "warning", line: 0, field: "actual", month: 4 });
    expect(f.message).toBe(
      'Raden "Bistånd": utfall saknas för april men finns för andra månader i perioden; månaden räknas som 0. Fyll i utfallet (0 om inget har bokförts).',
    );
  });
  test("a hole inside the period and leading blanks where the month is budgeted", () => {
    const [hole] = byCode(
      run({ label: "A", monthlyBudget: budget, actualMonthly: months(-90, null, -99, -98) }),
      "ACTUAL_MONTH_MISSING",
    );
    expect(hole).toMatchObject({ month: 2 });
    expect(hole.message).toContain("utfall saknas för februari");
    const [lead] = byCode(
      run({ label: "B", monthlyBudget: budget, actualMonthly: months(null, null, -99, -98) }),
      "ACTUAL_MONTH_MISSING",
    );
    expect(lead).toMatchObject({ month: 1 });
    expect(lead.message).toContain("utfall saknas för januari och februari men finns");
    expect(lead.message).toContain("månaderna räknas som 0");
  });
  test("no finding for a line without outcomes, a zero line, a line started later or a full period", () => {
    const later = months(0, 0, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100);
    const findings = run(
      { label: "Ny rad", kind: "cost", monthlyBudget: budget, actualMonthly: months() },
      { label: "Noll", kind: "cost", monthlyBudget: budget, actualMonthly: months(0, 0, 0, 0) },
      {
        label: "Startad i mars",
        kind: "cost",
        monthlyBudget: later,
        actualMonthly: months(null, null, -99, -98),
      },
      { label: "Hel", kind: "cost", monthlyBudget: budget, actualMonthly: months(-1, -2, -3, -4) },
      { label: "Utfall hittills", kind: "cost", annualBudget: -1200, actual: -400 },
    );
    expect(findings.map((f) => f.code)).not.toContain("ACTUAL_MONTH_MISSING");
    expect(findings.map((f) => f.code)).not.toContain("BUDGET_MONTH_MISSING");
    expect(findings.map((f) => f.code)).not.toContain("ACTUAL_AFTER_PERIOD");
  });
  test('a "-" or "i.u." in a month is no value: the same warning', () => {
    const [f] = byCode(
      run({
        label: "Övriga",
        monthlyBudget: budget,
        actualMonthly: ["-", "i.u.", -99, -98, ...Array(8).fill(null)],
      }),
      "ACTUAL_MONTH_MISSING",
    );
    expect(f).toMatchObject({ month: 1, field: "actual" });
    expect(f.message).toContain("januari och februari");
  });
  test("total lines are not checked (a Summa row is compared as a whole, TOTAL_MISMATCH)", () => {
    const findings = run(
      { label: "A", kind: "cost", monthlyBudget: budget, actualMonthly: months(-1, -2, -3, -4) },
      { label: "Summa", kind: "total", actualMonthly: months(-1, -2, -3) },
    );
    expect(byCode(findings, "ACTUAL_MONTH_MISSING")).toEqual([]);
  });
});

describe("ACTUAL_AFTER_PERIOD", () => {
  test("an outcome typed for May with period April: a warning at the May cell with the amount", () => {
    const r = compute({
      period,
      lines: [
        {
          label: "Bistånd",
          kind: "cost",
          monthlyBudget: budget,
          actualMonthly: months(-1, -2, -3, -4, -5000),
        },
        { label: "Övrigt", kind: "cost", monthlyBudget: budget, actualMonthly: months(-1, -2, -3, -4, 0, 0) },
      ],
    });
    expect(r.lines[0].actual).toBe(-10);
    const found = byCode(r.findings, "ACTUAL_AFTER_PERIOD");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ level: "warning", line: 0, field: "actual", month: 5 });
    expect(found[0].message).toBe(
      'Raden "Bistånd": utfall för maj -5 000 är ifyllt efter periodens slut (april) och räknas inte med. Är det inskrivet på fel ställe, eller är perioden fel?',
    );
  });
  test("every line with outcomes has later ones: said once, the period is likely too early", () => {
    const found = byCode(
      run(
        { label: "A", monthlyBudget: budget, actualMonthly: months(-1, -2, -3, -4, -5) },
        { label: "B", monthlyBudget: budget, actualMonthly: months(-1, -2, -3, -4, -5, -6) },
      ),
      "ACTUAL_AFTER_PERIOD",
    );
    expect(found).toHaveLength(1);
    expect(found[0].line).toBeUndefined();
    expect(found[0].message).toContain(
      "Alla rader med utfall har utfall även efter periodens slut (april), till och med juni",
    );
  });
  test("lines with outcomes only after the period do not make it 'every line': each is named", () => {
    const found = byCode(
      run(
        { label: "A", monthlyBudget: budget, actualMonthly: months(null, null, null, null, -5) },
        { label: "B", monthlyBudget: budget, actualMonthly: months(null, null, null, null, -6) },
        { label: "C", monthlyBudget: budget, actualMonthly: months(-1, -2, -3, -4) },
        { label: "D", monthlyBudget: budget, actualMonthly: months(-1, -2, -3, -4) },
      ),
      "ACTUAL_AFTER_PERIOD",
    );
    expect(found.map((f) => f.line)).toEqual([0, 1]);
    expect(found[0].message).toContain('Raden "A": utfall för maj -5 är ifyllt efter periodens slut');
  });
  test("December: nothing is after the period", () => {
    const full = Array<number>(12).fill(-100);
    const r = compute({
      period: { year: 2019, month: 12 },
      lines: [{ label: "A", monthlyBudget: full, actualMonthly: full }],
    });
    expect(r.findings).toEqual([]);
  });
});

describe("BUDGET_MONTH_MISSING", () => {
  test("one blank budget month among budgeted ones: a warning at its cell", () => {
    const holed = budget.map((v, m) => (m === 3 ? null : v));
    const r = compute({
      period,
      lines: [
        { label: "Bistånd", kind: "cost", monthlyBudget: holed, actualMonthly: months(-1, -2, -3, -4) },
      ],
    });
    expect(r.lines[0].periodBudget).toBe(-300);
    const [f] = byCode(r.findings, "BUDGET_MONTH_MISSING");
    expect(f).toMatchObject({ level: "warning", line: 0, field: "budget", month: 4 });
    expect(f.message).toBe(
      'Raden "Bistånd": budget saknas för april men finns för månaderna runt den; månaden räknas som 0. Fyll i budgeten (0 om den ska vara 0).',
    );
  });
  test("no finding for a budget given per quarter, for a part of the year only, or for zeros", () => {
    const quarterly = months(null, null, -300, null, null, -300, null, null, -300, null, null, -300);
    const firstHalf = months(-100, -100, -100, -100, -100, -100);
    const zeros = Array<number>(12).fill(0);
    const findings = run(
      { label: "Kvartal", kind: "cost", monthlyBudget: quarterly, actual: -300 },
      { label: "Halvår", kind: "cost", monthlyBudget: firstHalf, actual: -400 },
      { label: "Noll", kind: "cost", monthlyBudget: zeros, actual: 0 },
    );
    expect(byCode(findings, "BUDGET_MONTH_MISSING")).toEqual([]);
  });
});

describe("BUDGET_IN_ONE_MONTH", () => {
  test("the annual budget typed into January while outcomes run January–April: a warning at January's cell", () => {
    const r = compute({
      period,
      lines: [
        {
          label: "Hyror",
          kind: "cost",
          monthlyBudget: months(-12000),
          actualMonthly: months(-1000, -1000, -1000, -1000),
        },
      ],
    });
    // Periodised by its months, the whole year's budget counts from January on.
    expect(r.lines[0].periodBudget).toBe(-12000);
    const [f] = byCode(r.findings, "BUDGET_IN_ONE_MONTH");
    expect(f).toMatchObject({ level: "warning", line: 0, field: "budget", month: 1 });
    expect(f.message).toBe(
      'Raden "Hyror": hela budgeten, -12 000, ligger i januari och de andra månaderna har ingen budget, men utfall finns för januari, februari, mars och april. Är årsbudgeten inskriven i kolumnen för januari? Periodbudgeten blir då hela årets budget; fördela den på månaderna.',
    );
  });
  test("no finding for a cost budgeted and booked once, for zeros in the other months' budget that fit, or for two months booked", () => {
    const zerosAfter = [-5000, ...Array<number>(11).fill(0)];
    const findings = run(
      { label: "Licens", kind: "cost", monthlyBudget: zerosAfter, actualMonthly: months(-5000, 0, 0, 0) },
      {
        label: "Avgift",
        kind: "cost",
        monthlyBudget: months(null, -600),
        actualMonthly: months(null, -300, -300),
      },
      { label: "Spritt", kind: "cost", monthlyBudget: budget, actualMonthly: months(-100, -100, -100, -100) },
    );
    expect(byCode(findings, "BUDGET_IN_ONE_MONTH")).toEqual([]);
  });
  test("zeros typed in the other months count as no budget there", () => {
    const zerosAfter = [-12000, ...Array<number>(11).fill(0)];
    const findings = run({
      label: "Hyror",
      kind: "cost",
      monthlyBudget: zerosAfter,
      actualMonthly: months(-1000, -1000, -1000, -1000),
    });
    expect(byCode(findings, "BUDGET_IN_ONE_MONTH")).toHaveLength(1);
  });
});
