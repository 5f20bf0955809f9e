/**
 * The drafted summary's wording (src/core/summary.ts): S1's sentences from S1's figures, the
 * surplus/deficit words, tkr and mnkr amounts, singular and plural, zero and no-target cases.
 */
import { compute, type LedgerInput, type LedgerResult } from "../../../src/core";
import { draftSummary, monthsPhrase, proseAmount, spanPhrase } from "../../../src/core/summary";

const period = { year: 2019, month: 4 };

/** S1 §4.1 with the seed's judgement forecasts as manual forecasts (annual budget = period budget × 3). */
function s1(balanceTarget: number | null = -30000): LedgerResult {
  const line = (label: string, pb: number, actual: number, fd?: number) => ({
    label,
    annualBudget: pb * 3,
    actual,
    ...(fd === undefined ? {} : { manualForecast: pb * 3 + fd }),
  });
  const input: LedgerInput = {
    period,
    roundingStep: 100,
    balanceTarget,
    lines: [
      { ...line("Verksamhetens intäkter", 9558, 11890, 2300) },
      line("Verksamhetens kostnader", -69761, -86983),
      line("varav ekonomiskt bistånd", -16653, -20903, -8000),
      line("varav köpt huvudverksamhet (placeringar)", -12805, -24054, -23000),
      line("varav personalkostnader inkl ers familjehem", -31811, -29743, 6700),
      line("varav utredningskonsulter", 0, -4007, -8000),
      line("varav övriga kostnader", -8492, -8276, 0),
      { label: "Summa" },
    ],
  };
  return compute(input);
}

/** A one-line ledger with the given deviation to date and forecast deviation. */
function simple(
  deviation: number,
  forecastDeviation: number,
  unit: "tkr" | "mkr" = "tkr",
  target: number | null = null,
) {
  return compute({
    period: { year: 2019, month: 2 },
    unit,
    balanceTarget: target,
    lines: [
      {
        label: "Verksamhetens kostnader",
        kind: "cost",
        annualBudget: -1200,
        actual: -200 + deviation,
        manualForecast: -1200 + forecastDeviation,
      },
    ],
  });
}

describe("draftSummary on S1", () => {
  const d = draftSummary({ result: s1(), subject: "Socialnämnden" });

  it("opens as S1's Sammanfattning av ärendet: negative budget deviation, unsigned amount", () => {
    expect(d.summary).toMatch(
      /^Socialnämnden redovisar för de första fyra månaderna en negativ budgetavvikelse på 14 890 tkr\./,
    );
  });

  it("states the full-year forecast deviation in S1's words", () => {
    expect(d.summary).toContain(
      "Den sammantagna prognosen för helår 2019 bedöms landa på en negativ avvikelse jämfört med budget på 30 000 tkr.",
    );
  });

  it("names the largest line deviations (varav lines, not their parent), largest first", () => {
    expect(d.summary).toContain(
      "De största avvikelserna finns för köpt huvudverksamhet (placeringar) med ett underskott på 11 249 tkr, ekonomiskt bistånd med ett underskott på 4 250 tkr och utredningskonsulter med ett underskott på 4 007 tkr.",
    );
  });

  it("states the balance-target gap", () => {
    expect(d.summary).toContain(
      "Målet för ekonomi i balans är en negativ avvikelse på 30 000 tkr; prognosen ligger i nivå med målet.",
    );
  });

  it("writes the first paragraph of Kommentar till driftsredovisning with the earlier periods", () => {
    const c = draftSummary({
      result: s1(),
      subject: "Socialnämnden",
      history: [
        { period: "2019-02", deviation: -8000 },
        { period: "2019-03", deviation: -12048 },
        { period: "2019-04", deviation: -14890 },
      ],
    });
    expect(c.operatingComment).toBe(
      "Socialnämnden visar för perioden januari till april ett underskott jämfört med budget om 14 890 tkr. " +
        "För perioden januari och februari visade socialnämnden ett underskott om 8 000 tkr och för perioden januari till mars ett underskott om 12 048 tkr.",
    );
  });

  it("keeps a name as typed in mid-sentence; only a board's or department's common noun gets a small letter", () => {
    const history = [
      { period: "2019-02", deviation: -8000 },
      { period: "2019-04", deviation: -14890 },
    ];
    const second = (subject: string) =>
      draftSummary({ result: s1(), subject, history }).operatingComment.split(". ")[1];
    expect(second("Social välfärd")).toMatch(
      /^För perioden januari och februari visade Social välfärd ett underskott/,
    );
    expect(second("Vårnäs")).toMatch(/visade Vårnäs ett underskott/);
    expect(second("Socialnämnden Eskilstuna")).toMatch(/visade Socialnämnden Eskilstuna ett/);
    expect(second("Social- och utbildningsnämnden")).toMatch(/visade social- och utbildningsnämnden ett/);
    expect(second("Socialförvaltningen")).toMatch(/visade socialförvaltningen ett/);
  });

  it("says how the forecast moved since the previous one, with the lines that moved most", () => {
    const c = draftSummary({
      result: s1(),
      subject: "Socialnämnden",
      change: {
        previousPeriod: "2019-03",
        net: -1200,
        lines: [
          { label: "varav ekonomiskt bistånd", change: -2000 },
          { label: "varav personalkostnader inkl ers familjehem", change: 800 },
          { label: "varav övriga kostnader", change: 0 },
        ],
      },
    });
    expect(c.summary).toContain(
      "Jämfört med föregående prognos (mars 2019) har helårsprognosen försämrats med 1 200 tkr, främst ekonomiskt bistånd -2 000 tkr och personalkostnader inkl ers familjehem +800 tkr.",
    );
    const same = draftSummary({ result: s1(), change: { previousPeriod: "2019-03", net: 0, lines: [] } });
    expect(same.summary).toContain(
      "Jämfört med föregående prognos (mars 2019) är helårsprognosen oförändrad.",
    );
    // Unchanged net with four lines moved: the three named and the rest, so the sentence adds up.
    const moved = [-3000, 2700, 2300, -2000].map((change, i) => ({ label: `Post ${i + 1}`, change }));
    const net0 = draftSummary({ result: s1(), change: { previousPeriod: "2019-02", net: 0, lines: moved } });
    expect(net0.summary).toContain(
      "Jämfört med föregående prognos (februari 2019) är helårsprognosen oförändrad netto, men har ändrats för post 1 -3 000 tkr, post 2 +2 700 tkr, post 3 +2 300 tkr och övriga poster -2 000 tkr.",
    );
  });

  it("in December says how the year's result came out against the last forecast, not how a forecast moved", () => {
    const december: LedgerResult = compute({
      period: { year: 2019, month: 12 },
      lines: [{ label: "Placeringar", annualBudget: -12000, actual: -13200 }],
    });
    const change = { previousPeriod: "2019-11", lines: [{ label: "Placeringar", change: -400 }] };
    expect(draftSummary({ result: december, change: { ...change, net: -400 } }).summary).toContain(
      "Jämfört med föregående prognos (november 2019) blev årets resultat 400 tkr sämre, främst placeringar -400 tkr.",
    );
    expect(
      draftSummary({ result: december, change: { previousPeriod: "2019-11", net: 0, lines: [] } }).summary,
    ).toContain("Jämfört med föregående prognos (november 2019) är årets resultat oförändrat.");
  });

  it("counts the measures in the forecast, singular and plural", () => {
    expect(draftSummary({ result: s1(), measures: { count: 1, total: 1200 } }).summary).toContain(
      "Med en åtgärd om 1 200 tkr inräknad bedöms den sammantagna prognosen för helår 2019 landa på",
    );
    expect(draftSummary({ result: s1(), measures: { count: 3, total: 2500 } }).summary).toContain(
      "Med tre åtgärder om sammanlagt 2 500 tkr inräknade bedöms",
    );
    expect(draftSummary({ result: s1(), measures: { count: 13, total: 2500 } }).summary).toContain(
      "Med 13 åtgärder om sammanlagt 2 500 tkr inräknade bedöms",
    );
  });

  it("adds the capital statement in one sentence", () => {
    const d = draftSummary({ result: s1(), investments: { deviation: 691, forecastDeviation: 600 } });
    expect(d.summary).toContain(
      "Investeringsredovisningen visar för perioden en positiv budgetavvikelse på 691 tkr och prognosen för helår en positiv avvikelse på 600 tkr.",
    );
    const zero = draftSummary({ result: s1(), investments: { deviation: 0, forecastDeviation: 0 } });
    expect(zero.summary).toContain(
      "visar för perioden ingen budgetavvikelse och prognosen för helår ingen avvikelse.",
    );
  });

  it("writes mnkr when asked: one decimal, none when whole", () => {
    const m = draftSummary({ result: s1(), subject: "Socialnämnden", amounts: "mnkr" });
    expect(m.summary).toContain("en negativ budgetavvikelse på 14,9 mnkr");
    expect(m.summary).toContain("negativ avvikelse jämfört med budget på 30 mnkr");
  });
});

describe("draftSummary wording rules", () => {
  it("a surplus is positiv / överskott", () => {
    const d = draftSummary({ result: simple(300, 500) });
    expect(d.summary).toMatch(
      /^Verksamheten redovisar för de första två månaderna en positiv budgetavvikelse på 300 tkr\./,
    );
    expect(d.summary).toContain("landa på en positiv avvikelse jämfört med budget på 500 tkr");
    expect(d.operatingComment).toBe(
      "Verksamheten visar för perioden januari och februari ett överskott jämfört med budget om 300 tkr.",
    );
    expect(d.summary).toContain(
      "Den största avvikelsen finns för verksamhetens kostnader med ett överskott på 300 tkr.",
    );
  });

  it("zero is no deviation, never 0 tkr, and no line is named", () => {
    const d = draftSummary({ result: simple(0, 0) });
    expect(d.summary).toContain("redovisar för de första två månaderna ingen budgetavvikelse.");
    expect(d.summary).toContain("bedöms landa i nivå med budget.");
    expect(d.operatingComment).toContain("ett resultat i nivå med budget.");
    expect(d.summary).not.toMatch(/\b0 tkr/);
    expect(d.summary).not.toContain("största");
  });

  it("an amount that rounds to zero in the shown unit counts as zero", () => {
    const d = draftSummary({ result: simple(0.04, 0, "mkr") });
    expect(d.summary).toContain("ingen budgetavvikelse");
  });

  it("mkr amounts keep one decimal", () => {
    const d = draftSummary({ result: simple(-8.4, -30, "mkr") });
    expect(d.summary).toContain("en negativ budgetavvikelse på 8,4 mkr");
    expect(d.summary).toContain("på 30,0 mkr");
  });

  it("without a balance target there is no sentence about it; with one the gap is better or worse", () => {
    expect(draftSummary({ result: simple(-100, -500) }).summary).not.toContain("ekonomi i balans");
    expect(draftSummary({ result: simple(-100, -500, "tkr", -300) }).summary).toContain(
      "Målet för ekonomi i balans är en negativ avvikelse på 300 tkr; prognosen är 200 tkr sämre än målet.",
    );
    expect(draftSummary({ result: simple(-100, -500, "tkr", -800) }).summary).toContain(
      "prognosen är 300 tkr bättre än målet.",
    );
    expect(draftSummary({ result: simple(-100, 0, "tkr", 0) }).summary).toContain(
      "Målet för ekonomi i balans är budget i balans; prognosen ligger i nivå med målet.",
    );
  });

  it("periods in words", () => {
    expect([1, 2, 4, 8, 12].map(monthsPhrase)).toEqual([
      "den första månaden",
      "de första två månaderna",
      "de första fyra månaderna",
      "de första åtta månaderna",
      "hela året",
    ]);
    expect([1, 2, 3, 4].map(spanPhrase)).toEqual([
      "januari",
      "januari och februari",
      "januari till mars",
      "januari till april",
    ]);
    expect(proseAmount(-14891, "tkr")).toBe("14 891 tkr");
    expect(proseAmount(-14891, "tkr", "mnkr")).toBe("14,9 mnkr");
    expect(proseAmount(1000, "tkr", "mnkr")).toBe("1 mnkr");
    expect(proseAmount(89775.68, "kr")).toBe("89 776 kr");
  });
});

describe("draftSummary with units (Ansvar)", () => {
  // Three units, annual budget = 3 × the period budget (April): Vårnäs −1 200 to date, Mercur +300,
  // Klivet in line with budget; the forecast (linjär) is three times the deviation to date.
  const result = compute({
    period,
    lines: [
      { label: "Kostnader", kind: "cost", annualBudget: -12000, actual: -5200, orgUnit: "Vårnäs" },
      { label: "Kostnader", kind: "cost", annualBudget: -6000, actual: -1700, orgUnit: "Mercur" },
      { label: "Kostnader", kind: "cost", annualBudget: -3000, actual: -1000, orgUnit: "Klivet" },
    ],
  });
  const { summary } = draftSummary({ result });

  it("names the units with the largest forecast deviations, largest first, and leaves out one in line", () => {
    expect(summary).toContain(
      "Störst prognosavvikelse för helåret har Vårnäs med ett underskott på 3 600 tkr och Mercur med ett överskott på 900 tkr.",
    );
    expect(summary).not.toContain("Klivet med");
  });

  it("says which unit a line among the largest deviations belongs to", () => {
    expect(summary).toContain(
      "De största avvikelserna finns för kostnader (Vårnäs) med ett underskott på 1 200 tkr och kostnader (Mercur) med ett överskott på 300 tkr.",
    );
  });

  it("names the unit of a label ending in parentheses after a comma, as the rest of the report does", () => {
    const placements = compute({
      period,
      lines: [
        { label: "Placeringar (HVB)", kind: "cost", annualBudget: -3000, actual: -1500, orgUnit: "Klivet" },
        { label: "Placeringar (HVB)", kind: "cost", annualBudget: -3000, actual: -1000, orgUnit: "Vårnäs" },
      ],
    });
    const text = draftSummary({ result: placements }).summary;
    expect(text).toContain("placeringar (HVB), Klivet med ett underskott på 500 tkr");
    expect(text).not.toContain("(HVB) (Klivet)");
  });

  it("has no unit sentence without units", () => {
    expect(draftSummary({ result: simple(-100, -300) }).summary).not.toContain("Störst prognosavvikelse");
  });
});
