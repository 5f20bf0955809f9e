/**
 * The sheet reader's fast walk reads plain integers (amounts, shared-string indexes) and inline strings
 * in the reports' own form from the characters instead of through Number() or the general scanner: it
 * must give exactly what the general scanner gives, -0 and all.
 */
import { StringOut } from "../../src/hosts/xlsx/bytes";
import { inlineTags, plainInline, scanSheet, type ScannedCell } from "../../src/hosts/xlsx/cells";
import { writeCell } from "../../src/hosts/xlsx/render";
import { walkCells, walkRows } from "../../src/hosts/xlsx/rows";
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

/** Every cell the scanner reports (copied: the fast walk reuses one object). */
function cells(xml: string, fast: boolean): ScannedCell[] {
  const out: ScannedCell[] = [];
  scanSheet(
    xml,
    () => STRINGS,
    () => true,
    (c) => out.push({ ...c }),
    () => true,
    new Map(),
    fast,
  );
  return out;
}

const read = (xml: string, fast: boolean): RawCell[] => cells(xml, fast).map((c) => c.value);

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

describe("inline strings on the fast walk", () => {
  // The reports' own form first, then forms that must go to the general scanner and come out the same.
  const CELLS = [
    `<c r="A1" t="inlineStr"><is><t>Verksamhetens kostnader</t></is></c>`,
    `<c r="B1" s="12" t="inlineStr"><is><t xml:space="preserve"> två  ord </t></is></c>`,
    `<c r="C1" t="inlineStr"><is><t>R&amp;D &lt;3 &#229;r_x000D_</t></is></c>`,
    `<c r="D1" t="inlineStr"><is><t></t></is></c>`,
    `<c r="E1" t="inlineStr"><is><t/></is></c>`,
    `<c r="F1" t="inlineStr"><is><r><t>fet</t></r><r><t> text</t></r></is></c>`,
    `<c r="G1" t="inlineStr"><is><t>med</t><rPh><t>ふりがな</t></rPh></is></c>`,
    `<c r="i1" t="inlineStr"><is><t>gemen referens</t></is></c>`,
    `<c r="J01" t="inlineStr"><is><t>nolla först</t></is></c>`,
    `<c r="K9" t="inlineStr"><is><t>annan rad</t></is></c>`,
    `<c t="inlineStr" r="L1"><is><t>t först</t></is></c>`,
    `<c r="M1" t="inlineStr" s="3"><is><t>s sist</t></is></c>`,
    `<c r="N1" s="" t="inlineStr"><is><t>tom stil</t></is></c>`,
    `<c r="O1" t="inlineStr"><f>1+1</f><is><t>formel</t></is></c>`,
    `<c r="P1" t="str"><is><t>fel typ</t></is></c>`,
    `<c r="Q1" t="inlineStr"><is><t>x</t></is><v>7</v></c>`,
    `<c r="R1" t="inlineStr"></c>`,
  ];

  for (const prefix of ["", "x:"])
    it(`read as the general scanner reads them${prefix ? " (prefixed)" : ""}`, () => {
      const p = (c: string) => c.replace(/<(\/?)(?=[a-zA-Z])(?!!)/g, `<$1${prefix}`);
      const decl = prefix ? `xmlns:${prefix.slice(0, -1)}` : "xmlns";
      const row = `<${prefix}row r="1">${CELLS.map(p).join("")}</${prefix}row>`;
      const xml = `<${prefix}worksheet ${decl}="${NS}"><${prefix}sheetData>${row}</${prefix}sheetData></${prefix}worksheet>`;
      const fast = cells(xml, true);
      expect(fast).toEqual(cells(xml, false));
      expect(fast.slice(0, 4).map((c) => c.value)).toEqual([
        "Verksamhetens kostnader",
        " två  ord ",
        "R&D <3 år\r",
        null,
      ]);
      expect(fast.find((c) => c.value === "annan rad")?.row).toBe(8);
    });
});

test("the report cells writeCell writes take the inline fast path", () => {
  const texts = ["Verksamhetens kostnader", " två  ord ", "rad\nbrytning", "R&D <3 år"];
  const out = new StringOut();
  texts.forEach((text, i) => writeCell(out, "", "ABCD"[i], "7", i % 2 ? 12 : 0, text));
  const xml = `<row r="7">${out.value}</row>`;
  const fast: (string | null)[] = [];
  walkRows(xml, { from: 0, to: xml.length }, "", (row) =>
    walkCells(xml, row, "", (cell) => fast.push(plainInline(xml, cell, row.row, inlineTags("")))),
  );
  expect(fast).toEqual(texts);
});

describe("formulas saved without their values", () => {
  it("are told apart from formulas with a value, an empty text result included", () => {
    const rows = [
      '<c r="A1"><f>SUM(B1:B2)</f><v></v></c>', // openpyxl: an empty <v>
      '<c r="A2"><f>B1</f></c>', // no <v> at all
      '<c r="A3" t="str"><f>""</f><v></v></c>', // a formula whose value is the empty text
      '<c r="A4"><f>1+1</f><v>2</v></c>',
      '<c r="A5"><v>3</v></c>',
    ].map((c, i) => `<row r="${i + 1}">${c}</row>`);
    const xml = `<worksheet xmlns="${NS}"><sheetData>${rows.join("")}</sheetData></worksheet>`;
    for (const fast of [true, false])
      expect(cells(xml, fast).map((c) => [c.formula, c.uncalculated ?? false])).toEqual([
        ["SUM(B1:B2)", true],
        ["B1", true],
        ['""', false],
        ["1+1", false],
        [undefined, false],
      ]);
  });
});
