/**
 * The sheet reader's fast walk reads plain integers (amounts, shared-string indexes) from the characters
 * instead of through Number(): it must give exactly what the general scanner gives, -0 and all.
 */
import { scanSheet, type ScannedCell } from "../../src/hosts/xlsx/cells";
import type { RawCell } from "../../src/workbook/types";

const NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const TEXTS = [
  "0",
  "-0",
  "7",
  "-12",
  "007",
  "123456789012345",
  "-999999999999999",
  "1234567890123456",
  "12345678901234567890",
  "1e3",
  "1.5",
  " 5",
  "5 ",
  "",
  "-",
  "+5",
  "0x10",
  "2",
  "3",
  "-1",
];
const STRINGS = ["noll", "ett", "två"];

function read(xml: string, fast: boolean): RawCell[] {
  const out: RawCell[] = [];
  scanSheet(
    xml,
    () => STRINGS,
    () => true,
    (c: ScannedCell) => out.push(c.value),
    () => true,
    new Map(),
    fast,
  );
  return out;
}

describe("plain integers on the fast walk", () => {
  for (const type of ["", ' t="n"', ' t="s"'])
    it(`read as the general scanner reads them (cells${type || " without t"})`, () => {
      const cells = TEXTS.map((v, i) => `<c r="A${i + 1}"${type}><v>${v}</v></c>`);
      const rows = cells.map((c, i) => `<row r="${i + 1}">${c}</row>`).join("");
      const xml = `<worksheet xmlns="${NS}"><sheetData>${rows}</sheetData></worksheet>`;
      const fast = read(xml, true);
      const general = read(xml, false);
      expect(fast).toHaveLength(TEXTS.length);
      fast.forEach((v, i) => expect([TEXTS[i], v]).toEqual([TEXTS[i], general[i]]));
      if (type === ' t="s"') {
        expect(fast.slice(17)).toEqual(["två", { error: "#REF!" }, { error: "#REF!" }]);
      } else {
        expect(Object.is(fast[1], -0)).toBe(true);
        expect(fast.slice(0, 7)).toEqual([0, -0, 7, -12, 7, 123456789012345, -999999999999999]);
        expect(fast[7]).toBe(1234567890123456);
        expect(fast[9]).toBe(1000);
        expect(fast[13]).toBeNull();
      }
    });
});
