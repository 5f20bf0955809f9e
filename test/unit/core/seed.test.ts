/**
 * Seed reproductions (shared/DOMAIN.md §1.2, §1.3, §1.7, §2.1, §2.2, §2.6) and the acceptance examples of
 * §5 that concern them. Each test names its example number ("ex N").
 *
 * Inputs are the seed's figures: period 2019-04, linear periodisation, annual budgets = period budget × 3
 * (so that the period budget equals the printed "Budget per 30/4 2019"), rounding step 100 tkr. Forecasts
 * the seed made by judgement are given as manual full-year forecasts (annual budget + printed deviation).
 */
import {
  compute,
  describeDeviation,
  formatAmount,
  formatMkr,
  formatMnkr,
  type Finding,
  type LedgerInput,
  type LedgerLine,
  type LedgerResult,
} from "../../../src/core";

const period = { year: 2019, month: 4 };
const dev = (x: number): string => formatAmount(x, { sign: "deviation" });
const plain = (x: number): string => formatAmount(x);

/** The driftsredovisning's lines; `ovrigaActual` lets a test use the printed (wrong) or the blank value. */
function driftLines(ovrigaActual: number | null): LedgerLine[] {
  return [
    {
      label: "Verksamhetens intäkter",
      annualBudget: 9558 * 3,
      actual: 11890,
      method: "budget",
      typedDeviation: 2332,
    },
    { label: "Verksamhetens kostnader", annualBudget: -69761 * 3, actual: -86983, typedDeviation: -17223 },
    {
      label: "varav ekonomiskt bistånd",
      annualBudget: -16653 * 3,
      actual: -20903,
      manualForecast: -16653 * 3 - 8000,
      typedDeviation: -4249,
    },
    {
      label: "varav köpt huvudverksamhet (placeringar)",
      annualBudget: -12805 * 3,
      actual: -24054,
      manualForecast: -12805 * 3 - 23000,
      typedDeviation: -11250,
    },
    {
      label: "varav personalkostnader inkl ers familjehem",
      annualBudget: -31811 * 3,
      actual: -29743,
      manualForecast: -31811 * 3 + 6700,
      typedDeviation: 2086,
    },
    {
      label: "varav utredningskonsulter",
      annualBudget: 0,
      actual: -4007,
      method: "manual",
      manualForecast: -8000,
    },
    { label: "varav övriga kostnader", annualBudget: -8492 * 3, actual: ovrigaActual, method: "zero" },
    { label: "Summa", actual: -75094, typedDeviation: -14891 },
  ];
}

function drift(ovrigaActual: number | null): LedgerResult {
  return compute({ period, roundingStep: 100, balanceTarget: -30000, lines: driftLines(ovrigaActual) });
}

const byCode = (findings: Finding[], code: string, line?: number): Finding[] =>
  findings.filter((f) => f.code === code && (line === undefined || f.line === line));

describe("S1 Driftsredovisning, nettoresultat (tkr), corrected input (övriga utfall blank → residual)", () => {
  const r = drift(null);
  const [intakter, kostnader, bistand, placeringar, personal, konsulter, ovriga, summa] = r.lines;

  test("ex 1: intäkter 11 890 vs periodbudget 9 558 → +2 332", () => {
    expect(intakter.kind).toBe("revenue");
    expect(intakter.periodBudget).toBe(9558);
    expect(dev(intakter.deviation)).toBe("+2 332");
    expect(byCode(r.findings, "DEVIATION_MISMATCH", 0)).toEqual([]);
  });

  test("ex 2: kostnader -86 983 vs -69 761 → -17 222; the printed -17 223 is a rounding (info)", () => {
    expect(kostnader.kind).toBe("cost");
    expect(kostnader.periodBudget).toBe(-69761);
    expect(dev(kostnader.deviation)).toBe("-17 222");
    const [finding] = byCode(r.findings, "DEVIATION_MISMATCH", 1);
    expect(finding.level).toBe("info");
  });

  test("ex 3: ek. bistånd -20 903 vs -16 653 → -4 250; printed -4 249 is info", () => {
    expect(dev(bistand.deviation)).toBe("-4 250");
    expect(byCode(r.findings, "DEVIATION_MISMATCH", 2).map((f) => f.level)).toEqual(["info"]);
  });

  test("ex 4: placeringar -24 054 vs -12 805 → -11 249; printed -11 250 is info", () => {
    expect(dev(placeringar.deviation)).toBe("-11 249");
    expect(byCode(r.findings, "DEVIATION_MISMATCH", 3).map((f) => f.level)).toEqual(["info"]);
  });

  test("ex 5: personal -29 743 vs -31 811 → +2 068; printed +2 086 is an error (transposed digits)", () => {
    expect(dev(personal.deviation)).toBe("+2 068");
    const [finding] = byCode(r.findings, "DEVIATION_MISMATCH", 4);
    expect(finding.level).toBe("error");
    expect(finding.message).toContain("+2 086");
    expect(finding.message).toContain("+2 068");
  });

  test("ex 6: utredningskonsulter -4 007 vs budget 0 → -4 007", () => {
    expect(konsulter.periodBudget).toBe(0);
    expect(dev(konsulter.deviation)).toBe("-4 007");
  });

  test("ex 7: övriga as residual of the parent → utfall -8 276, avvikelse +216", () => {
    expect(plain(ovriga.actual)).toBe("-8 276");
    expect(dev(ovriga.deviation)).toBe("+216");
    expect(byCode(r.findings, "OFWHICH_RESIDUAL", 6)).toHaveLength(1);
    expect(byCode(r.findings, "SIGN_SUSPECT")).toEqual([]);
    expect(byCode(r.findings, "OFWHICH_MISMATCH")).toEqual([]);
  });

  test("ex 8: Summa utfall -75 093 (printed -75 094 is info), Summa budget -60 203", () => {
    expect(summa.kind).toBe("total");
    expect(plain(summa.actual)).toBe("-75 093");
    expect(plain(summa.periodBudget)).toBe("-60 203");
    const [finding] = byCode(r.findings, "TOTAL_MISMATCH", 7);
    expect(finding.level).toBe("info");
    expect(finding.field).toBe("actual");
  });

  test("ex 9: Summa avvikelse = Σ line deviations; printed -14 891 is within rounding of the exact -14 890", () => {
    expect(summa.deviation).toBe(intakter.deviation + kostnader.deviation);
    expect(dev(summa.deviation)).toBe("-14 890");
    expect(r.result.deviation).toBe(summa.deviation);
    expect(byCode(r.findings, "DEVIATION_MISMATCH", 7).map((f) => f.level)).toEqual(["info"]);
  });

  test("ex 10: prognos: varav -8 000, -23 000, +6 700, -8 000, 0 → kostnader -32 300; Summa -30 000", () => {
    expect([bistand, placeringar, personal, konsulter, ovriga].map((l) => dev(l.forecastDeviation))).toEqual([
      "-8 000",
      "-23 000",
      "+6 700",
      "-8 000",
      "0",
    ]);
    expect(kostnader.forecastFrom).toBe("ofWhich");
    expect(dev(kostnader.forecastDeviation)).toBe("-32 300");
    expect(dev(intakter.forecastDeviation)).toBe("+2 300");
    expect(dev(summa.forecastDeviation)).toBe("-30 000");
    expect(r.result.forecastDeviation).toBe(-30000);
  });

  test("ex 11: Ekonomi i balans -30 000 → Avvikelse jämfört ekonomi i balans 0", () => {
    expect(r.result.balanceTarget).toBe(-30000);
    expect(dev(r.result.deviationVsBalanceTarget ?? NaN)).toBe("0");
  });

  test("ex 12: Σ varav budget = -69 761 = parent, no warning", () => {
    const sumBudget = [bistand, placeringar, personal, konsulter, ovriga].reduce(
      (s, l) => s + l.periodBudget,
      0,
    );
    expect(sumBudget).toBe(-69761);
    expect(sumBudget).toBe(kostnader.periodBudget);
    expect(r.findings.filter((f) => f.level !== "info")).toEqual([
      expect.objectContaining({ code: "DEVIATION_MISMATCH", line: 4, level: "error" }),
    ]);
  });

  test("ex 13: annual intäktsbudget from periodbudget, linear key m = 4 → 28 674 tkr = 28,7 mkr", () => {
    expect(intakter.annualBudget).toBe(28674);
    expect(intakter.periodBudget * 12).toBe(intakter.annualBudget * 4);
    expect(formatMkr(intakter.annualBudget, { from: "tkr" })).toBe("28,7 mkr");
  });

  test("ex 14: prose for Summa avvikelse -14 891", () => {
    expect(describeDeviation(-14891, "tkr")).toBe("ett underskott jämfört med budget om 14 891 tkr");
    expect(describeDeviation(r.result.deviation, "tkr")).toBe(
      "ett underskott jämfört med budget om 14 890 tkr",
    );
  });

  test("forecast rounding step 100: intäkter by the budget method, +2 332 → +2 300", () => {
    expect(intakter.method).toBe("budget");
    expect(intakter.forecast).toBe(28674 + 2300);
  });
});

describe("S1 Driftsredovisning with the printed övriga utfall 8 276 (sign slip)", () => {
  const r = drift(8276);
  test("ex 7: the printed +8 276 is flagged SIGN_SUSPECT and OFWHICH_MISMATCH (error, naming the line)", () => {
    const [sign] = byCode(r.findings, "SIGN_SUSPECT", 6);
    expect(sign.level).toBe("warning");
    expect(sign.field).toBe("actual");
    const mismatch = byCode(r.findings, "OFWHICH_MISMATCH");
    expect(mismatch).toHaveLength(1);
    expect(mismatch[0]).toMatchObject({ level: "error", line: 6, field: "actual" });
    expect(mismatch[0].message).toContain("-70 431");
    expect(mismatch[0].message).toContain("-86 983");
    expect(mismatch[0].message).toContain("varav övriga kostnader");
  });
  test("the parent and the total keep their own (correct) figures", () => {
    expect(r.lines[1].actual).toBe(-86983);
    expect(r.lines[7].actual).toBe(-75093);
    expect(r.lines[6].deviation).toBe(8276 + 8492);
  });
});

describe("S1 Investeringsredovisning, nettoresultat (tkr)", () => {
  const input: LedgerInput = {
    period,
    roundingStep: 100,
    lines: [
      { label: "Digitalisering/utveckling datorprogram", annualBudget: -399, actual: 0, method: "zero" },
      { label: "Möbler och inventarier ny våning", annualBudget: -474, actual: 0, method: "zero" },
      { label: "Arbetsmiljöinvesteringar", annualBudget: -1200, actual: 0, manualForecast: -600 },
      { label: "Summa" },
    ],
  };
  const r = compute(input);

  test("ex 15: deviations +133, +158, +400; Summa utfall 0, budget -691, avvikelse +691", () => {
    expect(r.lines.slice(0, 3).map((l) => l.kind)).toEqual(["cost", "cost", "cost"]);
    expect(r.lines.slice(0, 3).map((l) => plain(l.periodBudget))).toEqual(["-133", "-158", "-400"]);
    expect(r.lines.slice(0, 3).map((l) => dev(l.deviation))).toEqual(["+133", "+158", "+400"]);
    const summa = r.lines[3];
    expect([plain(summa.actual), plain(summa.periodBudget), dev(summa.deviation)]).toEqual([
      "0",
      "-691",
      "+691",
    ]);
  });

  test("ex 16: prognos 0, 0, +600 → Summa +600; everything foots (no findings)", () => {
    expect(r.lines.map((l) => dev(l.forecastDeviation))).toEqual(["0", "0", "+600", "+600"]);
    expect(r.findings).toEqual([]);
  });
});

describe("Ludvika Åtgärdsplan 2019 (mnkr), S0 §1.7/§2.6", () => {
  const area2 = "Lagtolkning av rätten till ekonomiskt bistånd exkl. Ludvikamodellen";
  const r = compute({
    period: { year: 2019, month: 3 },
    unit: "mkr",
    roundingUnit: 0.1,
    lines: [],
    committeeDates: ["2019-06-12", "2019-09-04", "2019-10-09", "2019-11-06", "2019-12-11", "2018-12-12"],
    measures: [
      {
        area: "Organisationsförändringar m.m",
        text: "a",
        amount: null,
        type: "forecast",
        includedInForecast: false,
      },
      {
        area: "Organisationsförändringar m.m",
        text: "b",
        amount: null,
        type: "forecast",
        includedInForecast: false,
      },
      { area: area2, text: "Ekonomiskt bistånd", amount: 1.2, type: "forecast", includedInForecast: false },
      {
        area: "Stödboendeverksamheten",
        text: "Stödboende",
        amount: 1,
        type: "forecast",
        includedInForecast: false,
      },
      {
        area: "Vuxenplaceringar",
        text: "Vuxenplaceringar",
        amount: "Summa ges efter analysen",
        type: "forecast",
        includedInForecast: false,
      },
      {
        area: "Barn och ungdomsplaceringar",
        text: "Barn unga",
        amount: 0.3,
        type: "forecast",
        includedInForecast: false,
      },
      {
        area: "Ludvikamodellen",
        text: "Ludvikamodellen",
        amount: 5.5,
        type: "decided",
        includedInForecast: true,
      },
    ],
  });
  const plan = r.actionPlan;

  test("ex 33: forecast total excl. Ludvikamodellen 2,5 mnkr (seed prints 2,3); incl. decided 8,0", () => {
    expect(formatMnkr(plan.forecastTotal)).toBe("2,5 mnkr");
    expect(formatMnkr(plan.forecastTotal)).not.toBe("2,3 mnkr");
    expect(plan.decidedTotal).toBe(5.5);
    expect(formatMkr(plan.forecastTotal + plan.decidedTotal, { label: "mnkr", trimIntegral: false })).toBe(
      "8,0 mnkr",
    );
    expect(plan.excluded).toEqual(
      expect.arrayContaining([
        { area: "Ludvikamodellen", text: "Ludvikamodellen", reason: "decided" },
        { area: "Vuxenplaceringar", text: "Vuxenplaceringar", reason: "notGiven" },
      ]),
    );
  });

  test("areas numbered in order of first appearance, measures lettered, pending texts kept", () => {
    expect(plan.areas.map((a) => [a.number, a.name])).toEqual([
      [1, "Organisationsförändringar m.m"],
      [2, area2],
      [3, "Stödboendeverksamheten"],
      [4, "Vuxenplaceringar"],
      [5, "Barn och ungdomsplaceringar"],
      [6, "Ludvikamodellen"],
    ]);
    expect(plan.areas[0].measures.map((m) => m.letter)).toEqual(["a", "b"]);
    expect(plan.areas[0].total).toBeNull();
    expect(plan.areas[3].total).toBeNull();
    expect(plan.areas[3].pendingTexts).toEqual(["Summa ges efter analysen"]);
    expect(plan.areas[5]).toMatchObject({ total: 5.5, decidedTotal: 5.5, forecastTotal: 0 });
  });

  test("ex 34: integral amounts without decimals: 1,0 → 1 mnkr; 0,3 → 0,3 mnkr", () => {
    expect(formatMnkr(plan.areas[2].total ?? NaN)).toBe("1 mnkr");
    expect(formatMnkr(plan.areas[4].total ?? NaN)).toBe("0,3 mnkr");
    expect(formatMnkr(plan.areas[1].total ?? NaN)).toBe("1,2 mnkr");
  });

  test("ex 35: Återrapport labels from the committee dates of the year (a 2018 date left out), numbered from 1", () => {
    expect(plan.followUps).toEqual([
      "Återrapport 1 Nämnd 190612",
      "Återrapport 2 Nämnd 190904",
      "Återrapport 3 Nämnd 191009",
      "Återrapport 4 Nämnd 191106",
      "Återrapport 5 Nämnd 191211",
    ]);
  });

  test("the decided measure counted into the forecast goes to the line Åtgärder inräknade i prognosen", () => {
    expect(plan.unassignedIncluded).toBe(5.5);
    const extra = r.lines[r.lines.length - 1];
    expect(extra).toMatchObject({ label: "Åtgärder inräknade i prognosen", kind: "cost", annualBudget: 0 });
    expect(extra.forecastDeviation).toBe(5.5);
    expect(r.result.forecastDeviation).toBe(5.5);
  });
});
