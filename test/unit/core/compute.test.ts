/**
 * compute(): methods, structure, sign conventions, measures, volumes and bad input, plus the §5
 * acceptance examples that are about these rules (ex 17–21, 24, 27, 37–39).
 */
import {
  compute,
  CoreInputError,
  formatAmount,
  formatMkr,
  inferKind,
  type Finding,
  type LedgerInput,
  type LedgerLine,
} from "../../../src/core";

const period = { year: 2019, month: 4 };
const one = (line: LedgerLine, extra: Partial<LedgerInput> = {}) =>
  compute({ period, lines: [line], ...extra });
const codes = (findings: Finding[]) => findings.map((f) => f.code);

describe("periodised budget", () => {
  test("annual budget, linear key: B × m/12", () => {
    expect(one({ label: "x", annualBudget: -1200, actual: -500 }).lines[0].periodBudget).toBe(-400);
  });
  test("annual budget by days: B × D_m/D (120/365 in 2019, 60/366 for Jan–Feb 2020)", () => {
    expect(
      one({ label: "x", annualBudget: -365, actual: 0 }, { periodisation: "days" }).lines[0].periodBudget,
    ).toBe(-120);
    const leap = compute({
      period: { year: 2020, month: 2 },
      periodisation: "days",
      lines: [{ label: "x", annualBudget: -366, actual: 0 }],
    });
    expect(leap.lines[0].periodBudget).toBe(-60);
  });
  test("twelve monthly budgets: the sum of months 1..m; annual = their sum when omitted", () => {
    const monthly = [-10, -20, -30, -40, -50, -60, -70, -80, -90, -100, -110, -120];
    const r = one({ label: "x", monthlyBudget: monthly, actual: -100 });
    expect(r.lines[0].periodBudget).toBe(-100);
    expect(r.lines[0].annualBudget).toBe(-780);
    expect(r.lines[0].deviation).toBe(0);
  });
  test("actual from monthly outcomes ignores the months after the period", () => {
    const r = one({
      label: "x",
      annualBudget: -120,
      actualMonthly: [-1, -2, -3, -4, -99, -99, 0, 0, 0, 0, 0, 0],
    });
    expect(r.lines[0].actual).toBe(-10);
  });
  test("annual budget that is not the sum of the months → BUDGET_MISMATCH", () => {
    const r = one({ label: "x", annualBudget: -1000, monthlyBudget: Array(12).fill(-10), actual: -40 });
    expect(r.lines[0].periodBudget).toBe(-40);
    expect(codes(r.findings)).toContain("BUDGET_MISMATCH");
  });
});

describe("forecast methods (A = -100 to date, B = -360, m = 4)", () => {
  const base = { label: "x", annualBudget: -360, actual: -100 };
  const forecast = (line: Partial<LedgerLine>, extra: Partial<LedgerInput> = {}) =>
    one({ ...base, ...line }, extra).lines[0];

  test("linear (default): F = A × 12/m", () => {
    expect(forecast({}).forecast).toBe(-300);
    expect(forecast({}).method).toBe("linear");
    expect(forecast({ method: "linear" }).forecastDeviation).toBe(60);
    // The workbook's Swedish keys are accepted at runtime too.
    expect(forecast({ method: "Linjär" as never }).method).toBe("linear");
    expect(forecast({ method: "noll" as never }).method).toBe("zero");
  });
  test("days: F = A × D/D_m", () => {
    expect(forecast({ method: "days" }).forecast).toBeCloseTo((-100 * 365) / 120, 10);
  });
  test("budget: F = A + (B − P)", () => {
    expect(forecast({ method: "budget" }).forecast).toBe(-100 + (-360 - -120));
  });
  test("seasonal: F = A × ΣL(1..12)/ΣL(1..m)", () => {
    const L = [20, 20, 20, 20, 10, 10, 10, 10, 10, 10, 10, 10];
    const line = forecast({ method: "seasonal", lastYearMonthly: L });
    expect(line.method).toBe("seasonal");
    expect(line.forecast).toBe(-200);
  });
  test("seasonal without last year, or with ΣL(1..m) = 0 → linear and SEASONAL_FALLBACK", () => {
    for (const lastYearMonthly of [null, [0, 0, 0, 0, 5, 5, 5, 5, 5, 5, 5, 5]]) {
      const r = one({ ...base, method: "seasonal", lastYearMonthly });
      expect(r.lines[0].method).toBe("linear");
      expect(r.lines[0].forecast).toBe(-300);
      expect(r.findings).toEqual([
        expect.objectContaining({ code: "SEASONAL_FALLBACK", line: 0, field: "lastYear" }),
      ]);
    }
  });
  test("zero: F = B", () => {
    expect(forecast({ method: "zero" }).forecast).toBe(-360);
    expect(forecast({ method: "zero" }).forecastDeviation).toBe(0);
  });
  test("a filled manual forecast overrides any method", () => {
    const line = forecast({ method: "days", manualForecast: -333 });
    expect(line).toMatchObject({
      method: "manual",
      forecast: -333,
      forecastDeviation: 27,
      forecastFrom: "manual",
    });
  });
  test("manual method without a value → MANUAL_MISSING, falls back to the default method and says which", () => {
    const r = one({ ...base, method: "manual" }, { defaultMethod: "days" });
    expect(r.lines[0].method).toBe("days");
    const [finding] = r.findings;
    expect(finding).toMatchObject({
      code: "MANUAL_MISSING",
      level: "warning",
      line: 0,
      field: "manualForecast",
    });
    expect(finding.message).toContain("dagar");
  });
  test("rounding step: forecast deviation rounded half away from zero, F = B + rounded deviation", () => {
    const line = forecast({ method: "days" }, { roundingStep: 100 });
    const exact = (-100 * 365) / 120 + 360; // +55.8…
    expect(line.forecastDeviation).toBe(100);
    expect(Math.abs(line.forecastDeviation - exact)).toBeLessThanOrEqual(50);
    expect(line.forecast).toBe(-260);
  });
  test("ex 17: personnel YTD +2 068, seed +6 700 is a manual override; run-rate alternatives as linear", () => {
    // M2 with r = 500 is YTD + 8 × 500; the product offers linear/manual: the seed's +6 700 is entered as manual.
    const line = one({
      label: "Personal",
      annualBudget: -95433,
      actual: -29743,
      manualForecast: -95433 + 6700,
    }).lines[0];
    expect(formatAmount(line.deviation, { sign: "deviation" })).toBe("+2 068");
    expect(formatAmount(line.forecastDeviation, { sign: "deviation" })).toBe("+6 700");
    expect(formatAmount(2068 + 8 * 500, { sign: "deviation" })).toBe("+6 068");
  });
  test("ex 18: grants YTD +2 332 by the budget method, ROUND(−2) → +2 300", () => {
    const line = one(
      { label: "Intäkter", annualBudget: 28674, actual: 11890, method: "budget" },
      { roundingStep: 100 },
    ).lines[0];
    expect(formatAmount(line.forecastDeviation, { sign: "deviation" })).toBe("+2 300");
  });
  test("ex 19: consultants YTD -4 007, unbudgeted, full-year cost 8 000 → FV -8 000", () => {
    const line = one({ label: "Konsulter", annualBudget: 0, actual: -4007, manualForecast: -8000 }).lines[0];
    expect(formatAmount(line.forecastDeviation, { sign: "deviation" })).toBe("-8 000");
    expect(Math.round((8000 - 4007) / 8)).toBe(499);
  });
  test("ex 20: linear (M1) on the total deviation -14 891 → -44 673", () => {
    const line = one({ label: "Netto", annualBudget: -180609, actual: -60203 - 14891 }).lines[0];
    expect(line.deviation).toBe(-14891);
    expect(formatAmount(line.forecastDeviation, { sign: "deviation" })).toBe("-44 673");
  });
});

describe("structure: varav, totals, kinds", () => {
  test("kind inference", () => {
    expect(inferKind("  Varav köp", -5, null)).toBe("ofWhich");
    expect(inferKind("Summa", null, null)).toBe("total");
    expect(inferKind("TOTALT", 10, 10)).toBe("total");
    expect(inferKind("Intäkter", 100, null)).toBe("revenue");
    expect(inferKind("Kostnader", -100, 50)).toBe("cost");
    expect(inferKind("Konsulter", 0, -5)).toBe("cost");
    expect(inferKind("Konsulter", null, 5)).toBe("revenue");
    expect(inferKind("Okänt", null, null)).toBe("cost");
    expect(inferKind("Intäkter", 100, null, "costPositive")).toBe("revenue");
    expect(inferKind("Personal", 100, null, "costPositive")).toBe("cost");
  });
  test("a net result's usual names are totals: Nettoresultat, Resultat …, Total (not Resultatenheten)", () => {
    expect(inferKind("Nettoresultat", -1000, -900)).toBe("total");
    expect(inferKind("Resultat Vårnäs", -1000, -900)).toBe("total");
    expect(inferKind("Total", -1000, -900)).toBe("total");
    expect(inferKind("Resultatenhetens kostnader", -1000, -900)).toBe("cost");
    expect(inferKind("Totalförsvarsplanering", -1000, -900)).toBe("cost");
    expect(inferKind("Total lönekostnad", -1000, -900)).toBe("cost");
    expect(inferKind("Total:", -1000, -900)).toBe("total");
    // The result of a transaction is a line of its own, not the net result.
    expect(inferKind("Resultat från försäljning av inventarier", 50, 20)).toBe("revenue");
    expect(inferKind("Resultat vid avyttring", -50, -20)).toBe("cost");
    expect(inferKind("Resultat av finansiella poster", 50, 20)).toBe("revenue");
    expect(inferKind("Resultat efter finansiella poster", -1000, -900)).toBe("total");
  });
  test("a line without Radtyp that is the sum of the lines above is a total, not counted twice", () => {
    const lines: LedgerLine[] = [
      { label: "Intäkter", annualBudget: 1200, actual: 500 },
      { label: "Kostnader", annualBudget: -6000, actual: -2200 },
      { label: "varav personal", annualBudget: -4000, actual: -1500 },
      { label: "varav övrigt", annualBudget: -2000, actual: -700 },
      { label: "Nettokostnad", annualBudget: -4800, actual: -1700 },
    ];
    const r = compute({ period, lines });
    expect(r.lines[4].kind).toBe("total");
    expect(r.result).toMatchObject({ actual: -1700, annualBudget: -4800 });
    expect(r.findings).toEqual([
      expect.objectContaining({ code: "TOTAL_FROM_SUMS", level: "info", line: 4, field: "kind" }),
    ]);
    // Not the sum (a real cost line), or its Radtyp given: a cost line as before.
    const other = compute({ period, lines: [...lines.slice(0, 4), { ...lines[4], actual: -1600 }] });
    expect(other.lines[4].kind).toBe("cost");
    expect(other.result.actual).toBe(-3300);
    const typed = compute({ period, lines: [...lines.slice(0, 4), { ...lines[4], kind: "cost" }] });
    expect(typed.lines[4].kind).toBe("cost");
    expect(typed.findings.map((f) => f.code)).not.toContain("TOTAL_FROM_SUMS");
  });
  test("in a cost-positive workbook too, a Nettokostnad row without Radtyp is a total, not a second cost", () => {
    // Ludvika's way: costs and the net cost typed positive; the net cost is costs − revenue.
    const lines: LedgerLine[] = [
      { label: "Intäkter", annualBudget: 1200, actual: 500 },
      { label: "Kostnader", annualBudget: 6000, actual: 2200 },
      { label: "varav personal", annualBudget: 4000, actual: 1500 },
      { label: "varav övrigt", annualBudget: 2000, actual: 700 },
      { label: "Nettokostnad", annualBudget: 4800, actual: 1700 },
    ];
    const r = compute({ period, lines, signConvention: "costPositive" });
    expect(r.lines[4].kind).toBe("total");
    expect(r.findings.map((f) => f.code)).toContain("TOTAL_FROM_SUMS");
    // The net result is the net cost once (shown cost-positive), not twice.
    expect(r.result.actual).toBe(1700);
  });
  test("a line equal to one line above, past an empty line, stays a cost line (an empty line sums nothing)", () => {
    // Two units' rents of the same contract, an unused line between: not a total of the lines above.
    const lines: LedgerLine[] = [
      { label: "Hyra Vårnäs", annualBudget: -120, actual: -40 },
      { label: "Övrigt", annualBudget: 0, actual: 0 },
      { label: "Hyra Mercur", annualBudget: -120, actual: -40 },
    ];
    const r = compute({ period, lines });
    expect(r.lines[2].kind).toBe("cost");
    expect(r.result.actual).toBe(-80);
    expect(r.findings.map((f) => f.code)).not.toContain("TOTAL_FROM_SUMS");
  });
  test("a parent with varav lines takes the sum of its children's forecasts, unless manual", () => {
    const lines: LedgerLine[] = [
      { label: "Kostnader", annualBudget: -1200, actual: -400 },
      { label: "varav a", annualBudget: -600, actual: -200, method: "zero" },
      { label: "varav b", annualBudget: -600, actual: -200, manualForecast: -700 },
    ];
    const r = compute({ period, lines });
    expect(r.lines[0]).toMatchObject({ forecast: -1300, forecastDeviation: -100, forecastFrom: "ofWhich" });
    expect(r.lines.map((l) => l.parent)).toEqual([null, 0, 0]);
    const manual = compute({ period, lines: [{ ...lines[0], manualForecast: -1250 }, lines[1], lines[2]] });
    expect(manual.lines[0]).toMatchObject({ forecast: -1250, forecastFrom: "manual" });
  });
  test("totals sum revenue and cost lines only, never varav or total lines; typed values only checked", () => {
    const r = compute({
      period,
      lines: [
        { label: "Intäkter", annualBudget: 120, actual: 50 },
        { label: "Kostnader", annualBudget: -1200, actual: -400 },
        { label: "varav a", annualBudget: -1200, actual: -400 },
        { label: "Summa", annualBudget: 5, actual: -350 },
      ],
    });
    const total = r.lines[3];
    expect(total).toMatchObject({
      kind: "total",
      actual: -350,
      annualBudget: -1080,
      periodBudget: -360,
      deviation: 10,
    });
    expect(total.forecast).toBe(r.lines[0].forecast + r.lines[1].forecast);
    expect(r.findings).toEqual([
      expect.objectContaining({ code: "TOTAL_MISMATCH", line: 3, field: "budget" }),
    ]);
    expect(r.findings[0].level).toBe("error"); // 5 typed for -1 080: far beyond rounding
  });
  test("a varav line with no line above → OFWHICH_ORPHAN, not in any total", () => {
    const r = compute({
      period,
      lines: [{ label: "varav x", annualBudget: -12, actual: -4 }, { label: "Summa" }],
    });
    expect(r.lines[0].parent).toBeNull();
    expect(codes(r.findings)).toContain("OFWHICH_ORPHAN");
    expect(r.lines[1].actual).toBe(0);
  });
  test("sections: a total sums the lines since the previous total; a grand total after totals sums all", () => {
    const r = compute({
      period,
      lines: [
        { label: "A", annualBudget: -12, actual: -4 },
        { label: "Summa 1" },
        { label: "B", annualBudget: -24, actual: -8 },
        { label: "Summa 2" },
        { label: "Totalt" },
      ],
    });
    expect(r.lines.map((l) => l.actual)).toEqual([-4, -4, -8, -8, -12]);
    expect(r.result.actual).toBe(-12);
  });
  test("ex 21: Kvinnor 109 + Män 28 → Totalt 137; 2018: 108 + 35 → 143", () => {
    const r = compute({
      period,
      lines: [
        { label: "Kvinnor", kind: "revenue", actual: 109, annualBudget: 108 },
        { label: "Män", kind: "revenue", actual: 28, annualBudget: 35 },
        { label: "Totalt" },
      ],
    });
    expect(r.lines[2].actual).toBe(137);
    expect(r.lines[2].annualBudget).toBe(143);
  });
  test("ex 27: -1 − 2 − 1,8 − 5,8 + 1 + 1,2 mkr → -8,4 mkr", () => {
    const values = [-1, -2, -1.8, -5.8, 1, 1.2];
    const r = compute({
      period: { year: 2019, month: 2 },
      unit: "mkr",
      roundingUnit: 0.1,
      lines: [
        ...values.map((v, i) => ({ label: `Post ${i}`, kind: "cost" as const, actual: v, annualBudget: 0 })),
        { label: "Summa" },
      ],
    });
    expect(formatMkr(r.lines[6].actual, { sign: "deviation" })).toBe("-8,4 mkr");
  });
  test("a typed Totalt off by rounding is info, by up to one unit more a warning, by more an error", () => {
    const level = (typed: number) =>
      compute({
        period,
        lines: [
          { label: "A", kind: "revenue", actual: 137 },
          { label: "B", kind: "revenue", actual: 83 },
          { label: "Totalt", actual: typed },
        ],
      })
        .findings.filter((f) => f.code === "TOTAL_MISMATCH")
        .map((f) => `${f.code} ${f.level}`);
    // Three rounded figures: tolerance 1,5; warning up to 2,5; DOMAIN §5 ex 39 (2016) 275 vs 272 is an error.
    expect(level(221)).toEqual(["TOTAL_MISMATCH info"]);
    expect(level(222)).toEqual(["TOTAL_MISMATCH warning"]);
    expect(level(218)).toEqual(["TOTAL_MISMATCH warning"]);
    expect(level(223)).toEqual(["TOTAL_MISMATCH error"]);
    expect(level(217)).toEqual(["TOTAL_MISMATCH error"]);
  });
  test("a Summa of twelve rounded months may carry each month's rounding: a warning, not an error", () => {
    // mkr rounded per month (2,39 → 2,4, -17,44 → -17,4 …): the typed Summa months were rounded themselves.
    const r = compute({
      period,
      unit: "mkr",
      roundingUnit: 0.1,
      lines: [
        { label: "Intäkter", kind: "revenue", monthlyBudget: Array<number>(12).fill(2.4) },
        { label: "Kostnader", kind: "cost", monthlyBudget: Array<number>(12).fill(-17.4) },
        { label: "Summa", kind: "total", monthlyBudget: Array<number>(12).fill(-15.1) },
      ],
    });
    const [f] = r.findings.filter((x) => x.code === "TOTAL_MISMATCH");
    expect(f.message).toContain("(differens -1,2, mer än avrundning)");
    expect(f.level).toBe("warning");
    // The same difference typed as one annual figure is an error: nothing was rounded month by month.
    const whole = compute({
      period,
      unit: "mkr",
      roundingUnit: 0.1,
      lines: [
        { label: "Intäkter", kind: "revenue", annualBudget: 28.8 },
        { label: "Kostnader", kind: "cost", annualBudget: -208.8 },
        { label: "Summa", kind: "total", annualBudget: -181.2 },
      ],
    });
    expect(whole.findings.filter((x) => x.code === "TOTAL_MISMATCH").map((x) => x.level)).toEqual(["error"]);
  });
  test("varav lines that miss their parent by far more than rounding → OFWHICH_MISMATCH error", () => {
    const level = (parent: number) =>
      compute({
        period,
        lines: [
          { label: "Kostnader", kind: "cost", annualBudget: -300, actual: parent },
          { label: "varav a", annualBudget: -100, actual: -20903 },
          { label: "varav b", annualBudget: -200, actual: -24054 },
        ],
      }).findings.map((f) => `${f.code} ${f.level} ${/\(differens [^)]*\)/.exec(f.message)?.[0]}`);
    expect(level(-44957)).toEqual([]);
    // Beyond rounding the unitemised rest is forecast too (an info that says so).
    expect(level(-44959)).toEqual([
      "OFWHICH_UNITEMISED info undefined",
      "OFWHICH_MISMATCH warning (differens 2, mer än avrundning)",
    ]);
    expect(level(-49760)).toEqual([
      "OFWHICH_UNITEMISED info undefined",
      "OFWHICH_MISMATCH error (differens 4 803, mer än avrundning)",
    ]);
  });
  test("ex 39: Tabell 14 Totalt 137 + 83 = 220 vs printed 229 → TOTAL_MISMATCH beyond rounding", () => {
    const r = compute({
      period,
      lines: [
        { label: "Placeringar A", kind: "revenue", actual: 137 },
        { label: "Placeringar B", kind: "revenue", actual: 83 },
        { label: "Totalt", actual: 229 },
      ],
    });
    expect(r.lines[2].actual).toBe(220);
    const mismatch = r.findings.filter((f) => f.code === "TOTAL_MISMATCH");
    expect(mismatch).toHaveLength(1);
    expect(mismatch[0].level).toBe("error"); // DOMAIN §5 ex 39: ERROR
  });
});

describe("cost-positive convention", () => {
  test("ex 37: Tabell 30 style: Notgårdshemmet 11 159 − 9 022 → +2 137; Totalt 5 815 | 5 219 | 596", () => {
    const r = compute({
      period: { year: 2017, month: 12 },
      signConvention: "costPositive",
      lines: [
        { label: "Stödboende Ludvika", annualBudget: 3148, actual: 2909 },
        { label: "Stödboende Smedjebacken", annualBudget: 2667, actual: 2310 },
        { label: "Totalt", annualBudget: 5815, actual: 5219 },
        { label: "Notgårdshemmet HVB", annualBudget: 11159, actual: 9022 },
        { label: "Brunnsvik Ludvika", annualBudget: 4279, actual: 3913 },
        { label: "Totalt" },
      ],
    });
    expect(r.lines[0]).toMatchObject({ kind: "cost", annualBudget: 3148, actual: 2909, deviation: 239 });
    expect(r.lines[3].deviation).toBe(2137);
    expect(r.lines[2]).toMatchObject({
      annualBudget: 5815,
      periodBudget: 5815,
      actual: 5219,
      deviation: 596,
    });
    expect(r.lines[5]).toMatchObject({ annualBudget: 15438, actual: 12935, deviation: 2503 });
    expect(r.result.actual).toBe(5219 + 12935);
    expect(r.findings).toEqual([]);
  });
  test("ex 38: Placeringskostnad 2017 = 42 575 + 10 790 + 34 112 = 87 477 ✓; 2016 85 900 vs 89 900 → mismatch", () => {
    const year = (values: number[], typed: number) =>
      compute({
        period: { year: 2017, month: 12 },
        signConvention: "costPositive",
        lines: [
          ...values.map((v, i) => ({ label: `Post ${i}`, actual: v })),
          { label: "Totalt", actual: typed },
        ],
      });
    const ok = year([42575, 10790, 34112], 87477);
    expect(ok.lines[3].actual).toBe(87477);
    expect(ok.findings.filter((f) => f.code === "TOTAL_MISMATCH")).toEqual([]);
    const bad = year([38800, 9020, 38080], 89900);
    expect(bad.lines[3].actual).toBe(85900);
    // DOMAIN §5 ex 38: ERROR (a digit mistyped, 4 000 beyond rounding).
    expect(bad.findings.filter((f) => f.code === "TOTAL_MISMATCH").map((f) => f.level)).toEqual(["error"]);
  });
  test("costPositive and net give the same deviations and mirrored amounts", () => {
    const net = compute({ period, lines: [{ label: "K", kind: "cost", annualBudget: -1200, actual: -500 }] });
    const pos = compute({
      period,
      signConvention: "costPositive",
      lines: [{ label: "K", kind: "cost", annualBudget: 1200, actual: 500 }],
    });
    expect(pos.lines[0]).toMatchObject({ actual: 500, periodBudget: 400, forecast: 1500 });
    expect(pos.lines[0].deviation).toBe(net.lines[0].deviation);
    expect(pos.lines[0].forecastDeviation).toBe(net.lines[0].forecastDeviation);
  });
  test("a cost line whose actual has the opposite sign of its budget → SIGN_SUSPECT in either convention", () => {
    const pos = compute({
      period,
      signConvention: "costPositive",
      lines: [{ label: "K", kind: "cost", annualBudget: 1200, actual: -500 }],
    });
    expect(codes(pos.findings)).toEqual(["SIGN_SUSPECT"]);
    const revenue = one({ label: "Intäkter", kind: "revenue", annualBudget: 100, actual: -5 });
    expect(codes(revenue.findings)).toEqual(["SIGN_SUSPECT"]);
  });
});

describe("a month with a lost minus sign, and a forecast below the outcome to date", () => {
  const august = { year: 2019, month: 8 };
  const months = (may: number) => [-2300, -2300, -2300, -2300, may, -2300, -2300, -2300, 0, 0, 0, 0];
  test("one month against the sign of the budget and the other months → SIGN_SUSPECT at that month", () => {
    const r = compute({
      period: august,
      lines: [{ label: "Personal", kind: "cost", annualBudget: -28000, actualMonthly: months(2400) }],
    });
    // The outcome to date (−13 700) has the budget's sign: only the month check sees the slip.
    expect(r.lines[0].actual).toBe(-13700);
    expect(r.findings).toEqual([
      {
        level: "warning",
        code: "SIGN_SUSPECT",
        message:
          'Raden "Personal": utfallet för maj 2 400 har motsatt tecken mot budgeten och radens övriga månader; saknas ett minustecken?',
        line: 0,
        field: "actual",
        month: 5,
      },
    ]);
  });
  test("a small credit in one month, or a costPositive ledger typed right, is an ordinary month", () => {
    const credit = compute({
      period: august,
      lines: [{ label: "Personal", kind: "cost", annualBudget: -28000, actualMonthly: months(300) }],
    });
    expect(codes(credit.findings)).toEqual([]);
    const positive = compute({
      period: august,
      signConvention: "costPositive",
      lines: [
        { label: "Personal", kind: "cost", annualBudget: 28000, actualMonthly: months(-2300).map((v) => -v) },
      ],
    });
    expect(codes(positive.findings)).toEqual([]);
  });
  test("one budget month with the other sign (revenue −2 390 among +2 390) → SIGN_SUSPECT at that budget month", () => {
    const budget = Array<number>(12).fill(2390);
    budget[2] = -2390;
    const r = compute({
      period: august,
      lines: [
        {
          label: "Intäkter",
          kind: "revenue",
          monthlyBudget: budget,
          actualMonthly: months(-2300).map((v) => -v),
        },
      ],
    });
    expect(r.lines[0].periodBudget).toBe(14340); // 7 × 2 390 − 2 390, not 8 × 2 390
    expect(r.findings).toEqual([
      {
        level: "warning",
        code: "SIGN_SUSPECT",
        message:
          'Raden "Intäkter": budgeten för mars -2 390 har motsatt tecken mot radens övriga månader; är tecknet fel?',
        line: 0,
        field: "budget",
        month: 3,
      },
    ]);
    // The reverse on a cost line, in a month after the period: the annual budget is wrong all the same.
    const cost = Array<number>(12).fill(-17440);
    cost[9] = 17440;
    const later = compute({
      period: august,
      lines: [{ label: "Kostnader", kind: "cost", monthlyBudget: cost, actual: -140000 }],
    });
    expect(later.findings).toMatchObject([{ code: "SIGN_SUSPECT", field: "budget", month: 10 }]);
  });
  test("a budget of the same sign every month, or a small negative month, gives no SIGN_SUSPECT", () => {
    const even = compute({
      period: august,
      lines: [{ label: "K", kind: "cost", monthlyBudget: Array<number>(12).fill(-100), actual: -800 }],
    });
    expect(codes(even.findings)).toEqual([]);
    const small = Array<number>(12).fill(-100);
    small[5] = 20;
    expect(
      codes(
        compute({ period: august, lines: [{ label: "K", kind: "cost", monthlyBudget: small, actual: -700 }] })
          .findings,
      ),
    ).toEqual([]);
  });
  test("the deviation typed as the manual forecast → FORECAST_BELOW_ACTUAL at ManuellPrognos", () => {
    const line = { label: "Placeringar", kind: "cost" as const, annualBudget: -48000, actual: -35400 };
    const r = compute({ period: august, lines: [{ ...line, manualForecast: -5500 }] });
    expect(r.findings).toMatchObject([
      { level: "warning", code: "FORECAST_BELOW_ACTUAL", field: "manualForecast" },
    ]);
    expect(r.findings[0].message).toMatch(/ManuellPrognos ska vara helårets belopp, inte avvikelsen\.$/);
    expect(codes(compute({ period: august, lines: [{ ...line, manualForecast: -53000 }] }).findings)).toEqual(
      [],
    );
    expect(codes(compute({ period: august, lines: [line] }).findings)).toEqual([]);
  });
});

describe("measures", () => {
  const lines: LedgerLine[] = [
    { label: "Ekonomiskt bistånd", annualBudget: -1200, actual: -400, method: "zero" },
    { label: "Summa" },
  ];
  test("an included measure raises the forecast of its named line (case- and space-insensitive)", () => {
    const r = compute({
      period,
      lines,
      measures: [
        {
          area: "Bistånd",
          text: "a",
          amount: 50,
          type: "forecast",
          includedInForecast: true,
          line: "EKONOMISKT  bistånd",
        },
        {
          area: "Bistånd",
          text: "b",
          amount: 30,
          type: "forecast",
          includedInForecast: false,
          line: "Ekonomiskt bistånd",
        },
      ],
    });
    expect(r.lines[0]).toMatchObject({ forecast: -1150, forecastDeviation: 50, measuresIncluded: 50 });
    expect(r.lines[1].forecastDeviation).toBe(50);
    expect(r.lines).toHaveLength(2);
    expect(r.actionPlan.forecastTotal).toBe(80);
  });
  test("no named line, or an unknown one → the extra line, counted in totals; unknown → finding", () => {
    const r = compute({
      period,
      lines,
      measures: [
        { area: "A", text: "a", amount: 20, type: "forecast", includedInForecast: true },
        { area: "A", text: "b", amount: 5, type: "decided", includedInForecast: true, line: "Finns inte" },
      ],
    });
    expect(r.lines).toHaveLength(3);
    expect(r.lines[2]).toMatchObject({
      index: 2,
      label: "Åtgärder inräknade i prognosen",
      kind: "cost",
      forecast: 25,
    });
    expect(r.lines[1].forecastDeviation).toBe(25);
    expect(r.result.forecastDeviation).toBe(25);
    expect(r.findings).toEqual([expect.objectContaining({ code: "MEASURE_LINE_UNKNOWN", measure: 1 })]);
    expect(r.actionPlan).toMatchObject({ forecastTotal: 20, decidedTotal: 5, unassignedIncluded: 25 });
  });
  test("a manual forecast is final: an included measure on it is not added (MEASURE_MANUAL_FINAL), nor on a varav line under a manual parent", () => {
    const ledger: LedgerLine[] = [
      { label: "Kostnader", kind: "cost", annualBudget: -3000, actual: -1000, manualForecast: -3500 },
      { label: "varav bistånd", kind: "ofWhich", annualBudget: -1200, actual: -400 },
      { label: "Placeringar", kind: "cost", annualBudget: -1200, actual: -400, manualForecast: -1300 },
      { label: "Konsulter", kind: "cost", annualBudget: -600, actual: -200 },
    ];
    const m = (text: string, line: string, amount: number) =>
      ({ area: "A", text, amount, type: "forecast", includedInForecast: true, line }) as const;
    const measures = [m("a", "Placeringar", 40), m("b", "varav bistånd", 30), m("c", "Konsulter", 20)];
    const r = compute({ period, lines: ledger, measures });
    expect(r.lines[2]).toMatchObject({ forecast: -1300, measuresIncluded: 0 });
    expect(r.lines[0].forecast).toBe(-3500);
    expect(r.lines[3]).toMatchObject({ forecast: -580, measuresIncluded: 20 });
    const final = r.findings.filter((f) => f.code === "MEASURE_MANUAL_FINAL");
    expect(final.map((f) => [f.level, f.measure])).toEqual([
      ["warning", 0],
      ["warning", 1],
    ]);
    expect(final[1].message).toContain('huvudraden "Kostnader"');
    expect(r.measuresApplied).toEqual([{ index: 2, area: "A", text: "c", line: "Konsulter", amount: 20 }]);
    // The setting puts measures on top of manual forecasts.
    const onTop = compute({ period, lines: ledger, measures, measuresOnManualForecast: true });
    expect(onTop.lines[2]).toMatchObject({ forecast: -1260, measuresIncluded: 40 });
    expect(onTop.findings.map((f) => f.code)).not.toContain("MEASURE_MANUAL_FINAL");
    expect(onTop.measuresApplied?.map((a) => a.index)).toEqual([0, 1, 2]);
    expect(onTop.result.forecastDeviation - r.result.forecastDeviation).toBe(40);
  });
  test("a measure on a parent with varav lines is a warning: they no longer add up to it in the forecast", () => {
    const ledger: LedgerLine[] = [
      { label: "Kostnader", kind: "cost", annualBudget: -3000, actual: -1000 },
      { label: "varav bistånd", kind: "ofWhich", annualBudget: -1200, actual: -400 },
      { label: "varav övrigt", kind: "ofWhich", annualBudget: -1800, actual: -600 },
      { label: "Placeringar", kind: "cost", annualBudget: -600, actual: -200 },
      { label: "Summa", kind: "total" },
    ];
    const m = (text: string, line: string) =>
      ({ area: "A", text, amount: 100, type: "forecast", includedInForecast: true, line }) as const;
    const r = compute({
      period,
      lines: ledger,
      measures: [m("a", "Kostnader"), m("b", "varav bistånd"), m("c", "Placeringar")],
    });
    // Linear in April: bistånd -1 200 + 100, övrigt -1 800; Kostnader = their sum + its own 100.
    expect(r.lines[0]).toMatchObject({ forecast: -2800, measuresIncluded: 100 });
    expect(r.lines[1].forecast + r.lines[2].forecast).toBe(-2900);
    expect(r.findings).toEqual([
      expect.objectContaining({ code: "MEASURE_ON_PARENT", level: "warning", measure: 0 }),
    ]);
    expect(r.findings[0].message).toBe(
      'Åtgärd 1 (A) avser posten "Kostnader", som delas upp i varav-rader: beloppet läggs på posten men inte på någon varav-rad, så i prognoskolumnen summerar varav-raderna inte till posten. Ange den varav-rad åtgärden gäller som Post.',
    );
  });
  test("a total line left blank (twelve empty months) is not a typed figure: no TOTAL_MISMATCH", () => {
    const blank = Array<number | null>(12).fill(null);
    const r = compute({
      period,
      lines: [
        { label: "Intäkter", annualBudget: 1200, actual: 500 },
        { label: "Summa", kind: "total", monthlyBudget: blank, actualMonthly: blank },
      ],
    });
    expect(r.findings.map((f) => f.code)).toEqual([]);
    expect(r.lines[1]).toMatchObject({ actual: 500, annualBudget: 1200 });
    const typed = compute({
      period,
      lines: [
        { label: "Intäkter", annualBudget: 1200, actual: 500 },
        { label: "Summa", kind: "total", actualMonthly: [0, 0, 0, 0, ...blank.slice(4)] },
      ],
    });
    expect(typed.findings.map((f) => f.code)).toEqual(["TOTAL_MISMATCH"]);
  });
  test("follow-ups: every meeting of the period's year in date order, other years left out; bad dates → finding", () => {
    const r = compute({
      period,
      lines,
      committeeDates: ["2019-09-04", "2019-04-30", "2018-12-12", "2019-02-30", "2020-01-15", "2019-05-01"],
    });
    expect(r.actionPlan.followUps).toEqual([
      "Återrapport 1 Nämnd 190430",
      "Återrapport 2 Nämnd 190501",
      "Återrapport 3 Nämnd 190904",
    ]);
    expect(r.actionPlan.followUpDates).toEqual(["2019-04-30", "2019-05-01", "2019-09-04"]);
    expect(codes(r.findings)).toEqual(["BAD_DATE"]);
  });
  test("the numbering is stable: a later period numbers the same meetings the same way", () => {
    const dates = ["2019-06-12", "2019-09-04", "2019-10-09"];
    const april = compute({ period, lines, committeeDates: dates }).actionPlan.followUps;
    const october = compute({ period: { year: 2019, month: 10 }, lines, committeeDates: dates }).actionPlan;
    expect(october.followUps).toEqual(april);
    expect(october.followUps[1]).toBe("Återrapport 2 Nämnd 190904");
  });
});

describe("volume measures", () => {
  test("ex 24: vårddygn FH EKB 4 518 over 120 days → occupancy 37,7; run-rate 13 742; prognos 12 000 → 0,87", () => {
    const r = compute({
      period,
      lines: [],
      volumes: [
        { label: "Vårddygn i familjehem, EKB", type: "flow", actual: 4518, forecast: 12000, lastYear: 14944 },
        { label: "Antal ensamkommande barn och unga", type: "stock", actual: 45, forecast: 35, lastYear: 49 },
        {
          label: "Antal hushåll, genomsnitt per månad",
          type: "average",
          actual: 602,
          forecast: null,
          lastYear: 599,
        },
        { label: "Vårddygn på Vårnäs", type: "flow", actual: 643, forecast: 1300, lastYear: 1238 },
        { label: "Spelmissbruk", type: "flow", actual: 4, forecast: null, lastYear: "Nytt mått" },
      ],
    });
    const [fh, ekb, hushall, varnas, spel] = r.volumes;
    expect(formatAmount(4518 / 120, { decimals: 1 })).toBe("37,7");
    expect(formatAmount(fh.suggestion ?? NaN)).toBe("13 742");
    expect(formatAmount(fh.forecastToSuggestion ?? NaN, { decimals: 2 })).toBe("0,87");
    expect(fh.forecast).toBe(12000);
    expect(ekb.suggestion).toBe(45);
    expect(hushall.suggestion).toBe(602);
    expect(spel.lastYear).toBe("Nytt mått");
    expect(varnas.forecastToSuggestion).toBeLessThan(0.67);
    expect(r.findings.filter((f) => f.code === "VOLUME_FORECAST_DEVIATES").map((f) => f.volume)).toEqual([3]);
  });
});

describe("bad input", () => {
  test("period month 0, 13, 2.5, text and a missing period → CoreInputError in Swedish", () => {
    for (const month of [0, 13, 2.5, NaN, "4"]) {
      const run = () => compute({ period: { year: 2019, month: month as number }, lines: [] });
      expect(run).toThrow(CoreInputError);
      expect(run).toThrow(/månad/i);
    }
    expect(() => compute({ period: { year: 19.5, month: 4 }, lines: [] })).toThrow(/årtal/);
    expect(() => compute({ lines: [] } as unknown as LedgerInput)).toThrow(CoreInputError);
    expect(() => compute(null as unknown as LedgerInput)).toThrow(CoreInputError);
  });
  test("NaN, Infinity and text give findings and count as 0; numeric text is read", () => {
    const r = compute({
      period,
      lines: [
        { label: "a", annualBudget: NaN, actual: -4 },
        { label: "b", annualBudget: -12, actual: Infinity },
        {
          label: "c",
          annualBudget: "Summa ges efter analysen" as unknown as number,
          actual: "-8 276" as unknown as number,
        },
      ],
    });
    expect(r.lines.map((l) => [l.annualBudget, l.actual])).toEqual([
      [0, -4],
      [-12, 0],
      [0, -8276],
    ]);
    expect(r.findings).toEqual([
      expect.objectContaining({ code: "NOT_FINITE", line: 0, field: "budget", level: "warning" }),
      expect.objectContaining({ code: "NOT_FINITE", line: 1, field: "actual", level: "warning" }),
      expect.objectContaining({ code: "NOT_A_NUMBER", line: 2, field: "budget", level: "warning" }),
      expect.objectContaining({ code: "NUMBER_AS_TEXT", line: 2, field: "actual", level: "info" }),
    ]);
    expect(r.findings[2].message).toContain("Summa ges efter analysen");
  });
  test("absurdly large amounts (> 10^15) are refused so that results stay finite", () => {
    const r = one({ label: "x", annualBudget: -1e308, actual: 1e300 });
    expect(r.lines[0]).toMatchObject({ annualBudget: 0, actual: 0, forecast: 0 });
    expect(codes(r.findings)).toEqual(["NUMBER_TOO_LARGE", "NUMBER_TOO_LARGE"]);
  });
  test("missing values → info and 0; empty ledger → EMPTY_LEDGER and zero totals", () => {
    const r = compute({ period, lines: [{ label: "a" }] });
    expect(codes(r.findings)).toEqual(["ACTUAL_MISSING", "BUDGET_MISSING"]);
    const empty = compute({ period, lines: [] });
    expect(codes(empty.findings)).toEqual(["EMPTY_LEDGER"]);
    expect(empty.result).toMatchObject({
      actual: 0,
      forecast: 0,
      deviation: 0,
      deviationVsBalanceTarget: null,
    });
  });
  test("wrong-length monthly arrays, unknown method and kind → findings and fallbacks", () => {
    const r = compute({
      period,
      lines: [
        {
          label: "a",
          annualBudget: -120,
          monthlyBudget: [1, 2, 3],
          actual: -40,
          method: "glidande" as never,
          kind: "kostnad" as never,
        },
      ],
    });
    expect(r.lines[0]).toMatchObject({ periodBudget: -40, method: "linear", kind: "cost" });
    expect(codes(r.findings)).toEqual(["BAD_MONTHLY_LENGTH", "UNKNOWN_KIND", "UNKNOWN_METHOD"]);
  });
  test("lines that are not objects and bad options never throw", () => {
    const r = compute({
      period,
      lines: [null, 5, "text"] as unknown as LedgerLine[],
      roundingStep: -5,
      signConvention: "upp och ner" as never,
      measures: "x" as never,
      volumes: [null] as never,
    });
    expect(r.lines).toHaveLength(3);
    expect(codes(r.findings)).toEqual(
      expect.arrayContaining(["BAD_LINE", "OPTION_INVALID", "MEASURES_INVALID", "BAD_VOLUME"]),
    );
  });
});
