/**
 * Personalnyckeltal (src/core/personnel.ts) on S1 §3.1 as printed, and the look-alike letters of
 * src/core/text.ts (S1's "deltidсанställning").
 */
import { computePersonnel, type PersonnelRow } from "../../../src/core/personnel";
import { findLookAlikes, foldLookAlikes } from "../../../src/core/text";

const row = (
  label: string,
  date: string | null,
  cur: (number | null)[],
  ly: (number | null)[],
): PersonnelRow => ({
  label,
  date,
  unit: null,
  current: { total: cur[0] ?? null, women: cur[1] ?? null, men: cur[2] ?? null },
  lastYear: { total: ly[0] ?? null, women: ly[1] ?? null, men: ly[2] ?? null },
});

/** S1 §3.1 exactly as printed, the Cyrillic "сан" included. */
export const S1_PERSONNEL: PersonnelRow[] = [
  row("Attraktiv arbetsgivare", null, [], []),
  row("Antal månadsanställda personer", "30/4", [137, 109, 28], [143, 108, 35]),
  row("Andel månadsanställda som arbetar heltid", "30/4", [0.949, 0.963, 0.893], [0.958, 0.982, 0.886]),
  row(
    "Genomsnittlig sysselsättningsgrad, månadsanställda med deltid\u0441\u0430\u043dställning",
    "30/4",
    [0.771, 0.813, 0.717],
    [0.683, 0.825, 0.613],
  ),
  row("Hälsa", null, [], []),
  row("Total sjukfrånvaro", "1/12-28/2", [0.052, 0.05, 0.058], [0.07, 0.069, 0.075]),
  row("Sjukfrånvaro månadsanställda", "1/12-28/2", [0.053], [0.073]),
  row("varav sjukfrånvaro <15 dagar", "1/12-28/2", [0.028], [0.033]),
  row("varav sjukfrånvaro 15-90 dagar", "1/12-28/2", [0.008], [0.02]),
  row("varav sjukfrånvaro >90 dagar", "1/12-28/2", [0.016], [0.02]),
  row("Personalkostnader", null, [], []),
  row("Sjuklönekostnad som andel av total lönekostnad", "1/1-30/4", [0.02], [0.018]),
  row("Kostnad övertid inkl mertid som andel av total lönekostnad", "1/1-30/4", [0.004], [0.003]),
];

describe("Personalnyckeltal on S1 §3.1", () => {
  const r = computePersonnel(S1_PERSONNEL);

  it("classifies sections, figures (count or percent) and varav rows", () => {
    expect(r.rows.map((x) => x.kind)).toEqual(["section", "figure", "figure", "figure", "section", "figure", "figure", "ofWhich", "ofWhich", "ofWhich", "section", "figure", "figure"]); // prettier-ignore
    expect(r.rows[1].unit).toBe("count");
    expect(r.rows[2].unit).toBe("percent");
    expect(r.rows.slice(7, 10).map((x) => x.parent)).toEqual([6, 6, 6]);
  });

  it("finds exactly the seed's two slips: the varav sick leave 5,2 % against 5,3 % and the Cyrillic letters", () => {
    expect(r.findings.map((f) => [f.code, f.row, f.field])).toEqual([
      ["LABEL_LOOKALIKE", 3, "label"],
      ["PERSONNEL_OFWHICH_MISMATCH", 6, "total"],
    ]);
    expect(r.findings[1].message).toBe(
      '"Sjukfrånvaro månadsanställda" i år (Totalt): varav-raderna 2,8 % + 0,8 % + 1,6 % = 5,2 %, men raden själv är 5,3 % (differens 0,1 procentenheter).',
    );
    expect(r.findings[0].message).toContain("с (U+0441), а (U+0430), н (U+043D)");
    expect(r.findings[0].message).toContain('"deltidsanställning"');
  });

  it("checks Totalt = Kvinnor + Män for counts", () => {
    const rows = [...S1_PERSONNEL];
    rows[1] = row("Antal månadsanställda personer", "30/4", [138, 109, 28], [143, 108, 35]);
    const f = computePersonnel(rows).findings.filter((x) => x.code === "PERSONNEL_TOTAL_MISMATCH");
    expect(f).toEqual([
      expect.objectContaining({
        row: 1,
        field: "total",
        message: '"Antal månadsanställda personer" i år: Totalt 138 är inte Kvinnor + Män = 109 + 28 = 137.',
      }),
    ]);
  });

  it("checks a Totalt percentage against Kvinnor/Män: outside both, and a share of staff against the headcount", () => {
    const rows = [...S1_PERSONNEL];
    rows[5] = row("Total sjukfrånvaro", "1/12-28/2", [0.062, 0.05, 0.058], [0.07, 0.069, 0.075]);
    rows[2] = row(
      "Andel månadsanställda som arbetar heltid",
      "30/4",
      [0.949, 0.963, 0.893],
      [0.958, 0.982, 0.886],
    );
    // 95,5 % lies between 89,3 % and 96,3 % but not where 109 women and 28 men put it (94,9 %).
    rows[2].current.total = 0.955;
    const codes = computePersonnel(rows).findings.map((x) => [x.code, x.row, x.field]);
    expect(codes).toContainEqual(["PERSONNEL_PERCENT_RANGE", 5, "total"]);
    expect(codes).toContainEqual(["PERSONNEL_PERCENT_WEIGHTED", 2, "total"]);
  });

  it("checks last year's columns too", () => {
    const rows = [...S1_PERSONNEL];
    rows[7] = row("varav sjukfrånvaro <15 dagar", "1/12-28/2", [0.029], [0.033]);
    rows[1] = row("Antal månadsanställda personer", "30/4", [137, 109, 28], [145, 108, 35]);
    const f = computePersonnel(rows).findings.map((x) => [x.code, x.row, x.field]);
    expect(f).toContainEqual(["PERSONNEL_TOTAL_MISMATCH", 1, "totalLy"]);
    // 2,9 + 0,8 + 1,6 = 5,3: this year's varav rows now foot.
    expect(f).not.toContainEqual(["PERSONNEL_OFWHICH_MISMATCH", 6, "total"]);
  });
});

describe("a percentage typed as percent points", () => {
  it("is read as the percentage, with a warning per cell, and the row's checks run on the percentages", () => {
    const rows = [...S1_PERSONNEL];
    // This year's heltid typed as 94,9 / 96,3 / 89,3 (last year's as percentages, 0,958 …).
    rows[2] = row(
      "Andel månadsanställda som arbetar heltid",
      "30/4",
      [94.9, 96.3, 89.3],
      [0.958, 0.982, 0.886],
    );
    const r = computePersonnel(rows);
    expect(r.rows[2].unit).toBe("percent");
    expect(r.rows[2].current).toEqual({ total: 0.949, women: 0.963, men: 0.893 });
    const points = r.findings.filter((f) => f.code === "PERSONNEL_PERCENT_POINTS");
    expect(points.map((f) => [f.level, f.row, f.field])).toEqual([
      ["warning", 2, "total"],
      ["warning", 2, "women"],
      ["warning", 2, "men"],
    ]);
    expect(points[0].message).toBe(
      '"Andel månadsanställda som arbetar heltid" i år (Totalt): 94,9 är skrivet som ett tal, inte som procent; det räknas som 94,9 %. Skriv 94,9 % i cellen (cellen innehåller då 0,949).',
    );
    // 94,9 % against 96,3 % and 89,3 % weighted by 109 and 28 is as S1 prints it: no other finding on the row.
    expect(r.findings.filter((f) => f.row === 2 && f.code !== "PERSONNEL_PERCENT_POINTS")).toEqual([]);
  });
  it("reads the whole table as points when it is typed so, its small percentages too (0,8 is 0,8 %)", () => {
    // S1's table typed without percent format: 94,9 … 5,3 and also 0,8 (varav 15-90 dagar) and 0,4 (övertid).
    const typed = (f: PersonnelRow["current"]) => {
      const p = (v: number | null) => (v === null ? null : Number((v * 100).toPrecision(12)));
      return { total: p(f.total), women: p(f.women), men: p(f.men) };
    };
    const rows = S1_PERSONNEL.map((r, i) =>
      i === 1 ? r : { ...r, current: typed(r.current), lastYear: typed(r.lastYear) },
    );
    const r = computePersonnel(rows);
    expect(r.rows.map((x) => [x.current, x.lastYear])).toEqual(
      S1_PERSONNEL.map((x) => [x.current, x.lastYear]),
    );
    // The seed's own slip (5,2 % against 5,3 %) and nothing more than the points are found.
    expect(r.findings.filter((f) => f.code !== "PERSONNEL_PERCENT_POINTS").map((f) => f.code)).toEqual([
      "LABEL_LOOKALIKE",
      "PERSONNEL_OFWHICH_MISMATCH",
    ]);
    expect(r.findings.find((f) => f.row === 8 && f.field === "total")?.message).toContain(
      "0,8 är skrivet som ett tal, inte som procent; det räknas som 0,8 %.",
    );
  });
  it("leaves counts and true fractions alone", () => {
    const codes = computePersonnel(S1_PERSONNEL).findings.map((f) => f.code);
    expect(codes).not.toContain("PERSONNEL_PERCENT_POINTS");
  });
});

describe("look-alike letters", () => {
  it("folds Cyrillic letters in a Swedish word and reports the word", () => {
    expect(foldLookAlikes("deltid\u0441\u0430\u043dställning")).toBe("deltidsanställning");
    expect(findLookAlikes("med deltid\u0441\u0430\u043dställning")).toEqual([
      {
        word: "deltid\u0441\u0430\u043dställning",
        folded: "deltidsanställning",
        letters: ["с (U+0441)", "а (U+0430)", "н (U+043D)"],
      },
    ]);
  });

  it("leaves plain Swedish and wholly foreign words alone", () => {
    expect(findLookAlikes("Sjukfrånvaro månadsanställda")).toEqual([]);
    expect(findLookAlikes("Москва och Göteborg")).toEqual([]);
  });
});
