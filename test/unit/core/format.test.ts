/**
 * Formatting, rounding, calendar and method-key helpers, with the §5 acceptance examples they cover.
 */
import {
  convertUnit,
  daysInMonth,
  daysInYear,
  describeDeviation,
  followUpLabel,
  formatAmount,
  formatMkr,
  formatMnkr,
  formatPercent,
  METHOD_KEYS_SV,
  METHOD_LABELS_SV,
  normaliseSwedishText,
  parseMethod,
  parseSwedishNumber,
  periodDays,
  periodLabel,
  roundHalfAwayFromZero,
} from "../../../src/core";
import { compute } from "../../../src/core";
import { formatNumber } from "../../../src/core/format";

describe("roundHalfAwayFromZero (Excel ROUND)", () => {
  test("halves go away from zero, both signs", () => {
    expect(roundHalfAwayFromZero(2.5)).toBe(3);
    expect(roundHalfAwayFromZero(-2.5)).toBe(-3);
    expect(roundHalfAwayFromZero(2350, 100)).toBe(2400);
    expect(roundHalfAwayFromZero(-2350, 100)).toBe(-2400);
    expect(roundHalfAwayFromZero(2332, 100)).toBe(2300);
    expect(roundHalfAwayFromZero(-32349, 100)).toBe(-32300);
  });
  test("decimal steps are exact (1.005 → 1.01 as in Excel, 0.1 steps without float noise)", () => {
    expect(roundHalfAwayFromZero(1.005, 0.01)).toBe(1.01);
    expect(roundHalfAwayFromZero(0.25, 0.1)).toBe(0.3);
    expect(roundHalfAwayFromZero(-8.399999999999999, 0.1)).toBe(-8.4);
  });
  test("no -0, bad steps leave the value unchanged", () => {
    expect(Object.is(roundHalfAwayFromZero(-0.2), 0)).toBe(true);
    expect(roundHalfAwayFromZero(12.3, 0)).toBe(12.3);
    expect(roundHalfAwayFromZero(12.3, -1)).toBe(12.3);
    expect(roundHalfAwayFromZero(12.3, NaN)).toBe(12.3);
  });
  test("ex 30: riksnorm 4 488 784 kr × 2 % = 89 775,68 → 89 776 kr (policy: ROUND, not truncation)", () => {
    const raw = 4488784 * 0.02;
    expect(formatAmount(raw, { decimals: 2 })).toBe("89 775,68");
    expect(formatAmount(raw, { unit: "kr" })).toBe("89 776 kr");
  });
  test("ex 40: average visits per month 2 283/12 → 190; 1 650/12 = 137,5 → 138 (half up)", () => {
    expect(roundHalfAwayFromZero(2283 / 12)).toBe(190);
    expect(roundHalfAwayFromZero(1650 / 12)).toBe(138);
  });
});

describe("formatAmount", () => {
  test("deviation style: explicit + on positives, 0 without sign, ASCII minus and spaces", () => {
    expect(formatAmount(2332, { sign: "deviation" })).toBe("+2 332");
    expect(formatAmount(-17223, { sign: "deviation" })).toBe("-17 223");
    expect(formatAmount(0, { sign: "deviation" })).toBe("0");
    expect(formatAmount(-0.4, { sign: "deviation" })).toBe("0");
    expect(formatAmount(1234567, { sign: "plain" })).toBe("1 234 567");
    expect(formatAmount(11890)).toBe("11 890");
  });
  test("output characters: only ASCII space and ASCII minus", () => {
    const text = formatAmount(-1234567.5, { decimals: 1, unit: "kr" });
    expect(text).toBe("-1 234 567,5 kr");
    expect(text).not.toMatch(/[\u00a0\u202f\u2212]/);
  });
  test("non-finite values give empty text", () => {
    expect(formatAmount(NaN)).toBe("");
    expect(formatAmount(Infinity)).toBe("");
  });
  test("ex 31: Feb 2019 − Feb 2018: 4 488 784 − 4 532 021 → -43 237 kr (-1,0 %)", () => {
    const delta = 4488784 - 4532021;
    expect(formatAmount(delta, { unit: "kr", sign: "deviation" })).toBe("-43 237 kr");
    expect(formatPercent(delta / 4532021, { sign: "deviation" })).toBe("-1,0 %");
  });
  test("ex 32: per diem 18 000 kr × days in the month → 540 000 / 558 000 / 504 000 kr", () => {
    expect(formatAmount(18000 * 30, { unit: "kr" })).toBe("540 000 kr");
    expect(formatAmount(18000 * daysInMonth(2019, 3), { unit: "kr" })).toBe("558 000 kr");
    expect(formatAmount(18000 * daysInMonth(2019, 2), { unit: "kr" })).toBe("504 000 kr");
  });
});

describe("mkr scaling and percentages", () => {
  test("mkr with one decimal, mnkr without decimals when integral", () => {
    expect(formatMkr(29.9)).toBe("29,9 mkr");
    expect(formatMnkr(1)).toBe("1 mnkr");
    expect(formatMnkr(0.3)).toBe("0,3 mnkr");
    expect(formatMnkr(2.5)).toBe("2,5 mnkr");
    expect(formatMkr(-1, { sign: "deviation", trimIntegral: true })).toBe("-1 mkr");
    expect(formatMkr(28674, { from: "tkr" })).toBe("28,7 mkr");
    expect(convertUnit(4488784, "kr", "tkr")).toBeCloseTo(4488.784, 9);
  });
  test("ex 28: intäktsbudget 28,7 vs 2018 utfall 64,3 → minskning 35,6 mkr", () => {
    expect(formatMkr(64.3 - 28.7)).toBe("35,6 mkr");
  });
  test("ex 29: gap bridge 35,6 + 21,1 − 3,0 → 53,7 mkr", () => {
    expect(formatMkr(35.6 + 21.1 - 3.0)).toBe("53,7 mkr");
  });
  test("ex 36: 29,9 + 5,5 + 3,6 → 39,0 mkr; 419 → 598 → +42,7 %", () => {
    expect(formatMkr(29.9 + 5.5 + 3.6)).toBe("39,0 mkr");
    expect(formatPercent(598 / 419 - 1, { sign: "deviation" })).toBe("+42,7 %");
  });
  test("ex 22: heltid 105/109 = 96,3 %, 25/28 = 89,3 %, 130/137 = 94,9 %", () => {
    expect([formatPercent(105 / 109), formatPercent(25 / 28), formatPercent(130 / 137)]).toEqual([
      "96,3 %",
      "89,3 %",
      "94,9 %",
    ]);
  });
});

describe("prose and text helpers", () => {
  test("describeDeviation", () => {
    expect(describeDeviation(-14891, "tkr")).toBe("ett underskott jämfört med budget om 14 891 tkr");
    expect(describeDeviation(2332, "tkr")).toBe("ett överskott jämfört med budget om 2 332 tkr");
    expect(describeDeviation(-29.94, "mkr")).toBe("ett underskott jämfört med budget om 29,9 mkr");
    expect(describeDeviation(0.3, "tkr")).toBe("ingen avvikelse jämfört med budget");
  });
  test("normaliseSwedishText turns Intl output into the reports' characters", () => {
    const intl = new Intl.NumberFormat("sv-SE").format(-17223);
    expect(normaliseSwedishText(intl)).toBe("-17 223");
    expect(normaliseSwedishText("1\u00a0234\u202f567")).toBe("1 234 567");
  });
  test("parseSwedishNumber reads typed numbers and rejects markers", () => {
    expect(parseSwedishNumber("-8 276")).toBe(-8276);
    expect(parseSwedishNumber("+2 332")).toBe(2332);
    expect(parseSwedishNumber("1,2")).toBe(1.2);
    expect(parseSwedishNumber("\u221217\u00a0223")).toBe(-17223);
    for (const text of ["-", "i.u.", "Nytt mått", "8,61*", "", "1,2,3"])
      expect(parseSwedishNumber(text)).toBeNull();
  });
});

describe("calendar", () => {
  test("days per month follow the calendar, with leap years", () => {
    expect(daysInMonth(2019, 2)).toBe(28);
    expect(daysInMonth(2020, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInYear(2019)).toBe(365);
    expect(daysInYear(2020)).toBe(366);
    expect(periodDays(2019, 12)).toBe(365);
    expect(periodDays(2020, 12)).toBe(366);
  });
  test("ex 26: 1 Jan – 30 Apr 2019 = 120 days; remaining 245", () => {
    expect(periodDays(2019, 4)).toBe(120);
    expect(daysInYear(2019) - periodDays(2019, 4)).toBe(245);
  });
  test("labels", () => {
    expect(periodLabel({ year: 2019, month: 4 })).toBe("30/4 2019");
    expect(periodLabel({ year: 2020, month: 2 })).toBe("29/2 2020");
    expect(followUpLabel(1, "2019-06-12")).toBe("Återrapport 1 Nämnd 190612");
  });
});

describe("method keys", () => {
  test("Swedish keys map both ways", () => {
    expect(METHOD_KEYS_SV).toEqual({
      linjär: "linear",
      dagar: "days",
      budget: "budget",
      säsong: "seasonal",
      noll: "zero",
      manuell: "manual",
      trend: "trend",
    });
    for (const [sv, code] of Object.entries(METHOD_KEYS_SV)) expect(METHOD_LABELS_SV[code]).toBe(sv);
  });
  test("parseMethod tolerates case, accents and spaces", () => {
    expect(parseMethod("Linjär")).toBe("linear");
    expect(parseMethod(" LINJAR ")).toBe("linear");
    expect(parseMethod("Säsong")).toBe("seasonal");
    expect(parseMethod("sasong")).toBe("seasonal");
    expect(parseMethod("Dagar")).toBe("days");
    expect(parseMethod("noll")).toBe("zero");
    expect(parseMethod("Manu ell")).toBe("manual");
    expect(parseMethod("seasonal")).toBe("seasonal");
    expect(parseMethod(" Trend ")).toBe("trend");
    expect(parseMethod("glidande")).toBeNull();
    expect(parseMethod("")).toBeNull();
    expect(parseMethod(3)).toBeNull();
  });
});

describe("numbers quoted in messages", () => {
  test("formatNumber: Swedish notation with the number's own decimals", () => {
    expect(formatNumber(-4.808)).toBe("-4,808");
    expect(formatNumber(-4808.5)).toBe("-4 808,5");
    expect(formatNumber(1000)).toBe("1 000");
    expect(formatNumber(0)).toBe("0");
    expect(formatNumber(1e300)).toBe("1e+300");
    expect(formatNumber(NaN)).toBe("NaN");
  });
  test("formatNumber: a number with float noise (a cell's =0,1+0,2) gives its ten decimals without trailing zeros", () => {
    expect(formatNumber(0.1 + 0.2)).toBe("0,3");
    expect(formatNumber(-1234.1 - 0.2)).toBe("-1 234,3");
    expect(formatNumber(1 / 3)).toBe("0,3333333333");
  });
  test("a number typed where something else belongs is quoted the same way", () => {
    const r = compute({
      period: { year: 2019, month: 4 },
      lines: [{ label: "x", kind: 1234.5 as never, actual: -1 }],
    });
    expect(r.findings.find((f) => f.code === "UNKNOWN_KIND")?.message).toBe(
      'Raden "x": radtypen 1 234,5 är okänd; raden räknas som cost.',
    );
  });
});
