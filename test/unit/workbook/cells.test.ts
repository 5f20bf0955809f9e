/**
 * The Reader's messages quote numbers the way the product writes them (space between thousands, decimal
 * comma), not in programming notation.
 */
import { Reader } from "../../../src/workbook/cells";

const at = { sheet: "Underlag", row: 11, col: 14, what: "Utfall" };

function readText(text: string): { value: unknown; message: string } {
  const rd = new Reader();
  const value = rd.number(text, at);
  return { value, message: rd.findings[0]?.message ?? "" };
}

describe("TEXT_NUMBER quotes the number read in Swedish notation", () => {
  test.each([
    ["-4,808", -4.808, "det räknas som -4,808."],
    ["-4 808,50", -4808.5, "det räknas som -4 808,5."],
    ["1 000", 1000, "det räknas som 1 000."],
    ["−8 276", -8276, "det räknas som -8 276."],
    ["14891", 14891, "det räknas som 14 891."],
  ])("%s", (text, value, said) => {
    const r = readText(text);
    expect(r.value).toBe(value);
    expect(r.message).toContain(said);
    expect(r.message.startsWith(`Underlag!O12 (Utfall): talet "${text}" är lagrat som text;`)).toBe(true);
  });
  test("a text too long for a cell gives its length with a space between thousands", () => {
    const rd = new Reader();
    rd.tooLong(at, 40000);
    expect(rd.errors[0].message).toContain("texten är 40 000 tecken lång");
  });
});

describe("an amount typed with its unit", () => {
  const measureAt = { sheet: "Åtgärder", row: 7, col: 2, what: "Atgarder" };
  test.each(["1 200 tkr", "1,0 mnkr", "−3 100 tkr", "300 kr", "2,5 mkr."])(
    "%s in a Belopp cell is refused, not kept as a note for later",
    (text) => {
      const rd = new Reader();
      expect(rd.number(text, measureAt, "keep")).toBeNull();
      expect(rd.errors).toHaveLength(1);
      expect(rd.errors[0].code).toBe("TEXT_IN_NUMBER");
      expect(rd.errors[0].message).toBe(
        `Åtgärder!C8 (Atgarder): cellen innehåller beloppet "${text}" som text, med enheten. Skriv bara talet, i arbetsbokens enhet (namnet Enhet), så att det räknas.`,
      );
    },
  );
  test("a note such as Summa ges efter analysen is still kept", () => {
    const rd = new Reader();
    expect(rd.number("Summa ges efter analysen", measureAt, "keep")).toBe("Summa ges efter analysen");
    expect(rd.number("ca 2 mnkr efter analysen", measureAt, "keep")).toBe("ca 2 mnkr efter analysen");
    expect(rd.errors).toHaveLength(0);
  });
  test("in a number cell the message says to drop the unit", () => {
    const rd = new Reader();
    expect(rd.number("−3 100 tkr", at)).toBeNull();
    expect(rd.errors[0].message).toContain('beloppet "−3 100 tkr" som text, med enheten');
  });
});
