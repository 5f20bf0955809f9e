/**
 * Dates typed as text are read as the calendar has them: "2019-02-30" is refused at its cell, never rolled
 * over into March (the Period cell and the Namndmoten dates; serial numbers are always real days).
 */
import { defaultConfig } from "../../../src/workbook/config";
import { planRead, type Resolution } from "../../../src/workbook/contract";
import { buildInput } from "../../../src/workbook/input";
import type { RawCell } from "../../../src/workbook/types";
import { katrineholm, metaOf, name, put, readOf, type FakeBook } from "./fake";

function build(b: FakeBook) {
  const planned = planRead(metaOf(b), defaultConfig());
  if ("errors" in planned) throw new Error(planned.errors.map((e) => e.message).join("\n"));
  const resolution: Resolution = planned.resolution;
  return buildInput(resolution, readOf(b, planned.request), defaultConfig(), {});
}

function withPeriod(v: RawCell): FakeBook {
  const b = katrineholm();
  put(b, "Underlag", "B2", [[v]]);
  return b;
}

function withCommitteeDates(dates: RawCell[]): FakeBook {
  const b = katrineholm();
  put(
    b,
    "Underlag",
    "H30",
    dates.map((d) => [d]),
  );
  name(b, "Namndmoten", `=Underlag!$H$30:$H$${29 + dates.length}`);
  return b;
}

describe("a period typed as a date", () => {
  it.each(["2019-02-30", "2019-02-29", "2019-04-31", "2019-13-01", "2019-00-10", "2019-04-00"])(
    "refuses %s at the Period cell",
    (text) => {
      const built = build(withPeriod(text));
      expect("errors" in built && built.errors.map((e) => [e.code, e.sheet, e.cell])).toEqual([
        ["PERIOD", "Underlag", "B2"],
      ]);
      if (!("errors" in built)) return;
      expect(built.errors[0].message).toBe(
        `Underlag!B2 (Period): datumet "${text}" finns inte i kalendern; ange periodens slutdatum, t.ex. 2019-04-30.`,
      );
    },
  );

  it("reads a real day, with the leap day of a leap year", () => {
    for (const [text, month] of [
      ["2019-04-30", 4],
      ["2020-02-29", 2],
      ["2019-4-30", 4],
    ] as const) {
      const built = build(withPeriod(text));
      expect("input" in built && built.input.period).toEqual({ year: Number(text.slice(0, 4)), month });
    }
  });
});

describe("a period typed the Swedish way", () => {
  it.each([
    ["30/4 2019", 4, "2019-04-30"],
    ["30/4-2019", 4, "2019-04-30"],
    ["30.4.2019", 4, "2019-04-30"],
    ["per 30/4 2019", 4, "2019-04-30"],
    ["29/2 2020", 2, "2020-02-29"],
    ["30 april 2019", 4, "2019-04-30"],
    ["April 2019", 4, "2019-04-30"],
    ["sept. 2019", 9, "2019-09-30"],
    ["februari 2020", 2, "2020-02-29"],
  ] as const)("reads %s as the day it names (a month alone: its last day)", (text, month, day) => {
    const built = build(withPeriod(text));
    expect("input" in built && built.input.period).toEqual({ year: Number(day.slice(0, 4)), month });
    expect("input" in built && built.layout.readFindings.find((f) => f.code === "TEXT_DATE")?.message).toBe(
      `Underlag!B2 (Period): datumet "${text}" är lagrat som text; det tolkas som ${day}.`,
    );
  });

  // 4/30/2019 is month-first (American): read day first it has a 30th month, and is refused, not guessed.
  it.each(["31/4 2019", "29.2.2019", "32 maj 2019", "4/30/2019"])(
    "refuses %s, a day the calendar does not have",
    (text) => {
      const built = build(withPeriod(text));
      expect("errors" in built && built.errors.map((e) => [e.code, e.cell])).toEqual([["PERIOD", "B2"]]);
    },
  );

  it.each(["30/4", "april", "ma 2019", "T1 2019"])("does not guess at %s", (text) => {
    const built = build(withPeriod(text));
    expect("errors" in built && built.errors[0].message).toMatch(/kan inte tolkas/);
  });
});

describe("committee dates typed as text", () => {
  it("refuses an impossible day at its cell and keeps the real ones", () => {
    const built = build(withCommitteeDates(["2019-06-12", "2019-02-30", "2019-09-31"]));
    expect("errors" in built && built.errors.map((e) => [e.code, e.cell, e.message])).toEqual([
      [
        "DATE",
        "H31",
        'Underlag!H31 (Namndmoten): datumet "2019-02-30" finns inte i kalendern; ange nämndmötets datum, t.ex. 2019-06-12.',
      ],
      [
        "DATE",
        "H32",
        'Underlag!H32 (Namndmoten): datumet "2019-09-31" finns inte i kalendern; ange nämndmötets datum, t.ex. 2019-06-12.',
      ],
    ]);
  });

  it("reads real days, padded", () => {
    const built = build(withCommitteeDates(["2019-6-12", "2020-02-29"]));
    expect("input" in built && built.input.committeeDates).toEqual(["2019-06-12", "2020-02-29"]);
  });

  it("says how a date stored as text was read, as for Period (day first: 4/9 is 4 September)", () => {
    const built = build(withCommitteeDates(["4/9 2019", 43628]));
    if (!("input" in built)) throw new Error("expected input");
    expect(built.input.committeeDates).toEqual(["2019-06-12", "2019-09-04"]);
    expect(built.layout.readFindings.map((f) => [f.level, f.code, f.cell, f.message])).toEqual([
      [
        "warning",
        "TEXT_DATE",
        "H30",
        'Underlag!H30 (Namndmoten): datumet "4/9 2019" är lagrat som text; det tolkas som 2019-09-04.',
      ],
    ]);
  });
});
