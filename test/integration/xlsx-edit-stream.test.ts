/**
 * The in-place editor on a sheet large enough to be written in several stretches: the fast walk
 * (rows.ts) and the general scanner (xml.ts, used when a comment could hide a tag) must give the same
 * part, whether rows carry their `r` or follow the one before, with rows inserted between stretches.
 */
import { StringOut } from "../../src/hosts/xlsx/bytes";
import {
  editSheet,
  editStretches,
  plannedWrites,
  type CellWrite,
  type SheetWrites,
} from "../../src/hosts/xlsx/edit";
import type { CellStyle, SheetPlan } from "../../src/workbook/types";
import { columnName } from "../../src/hosts/xlsx/text";

const NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/** A sheet of `rows` rows (every third one without `r`, some rows missing), cells A..D each. */
function sheet(rows: number, comment: boolean): string {
  const body: string[] = [];
  for (let r = 0; r < rows; r++) {
    if (r % 7 === 5) continue; // a row the part does not have
    const cells = [0, 1, 2, 3]
      .map(
        (c) => `<c r="${columnName(c)}${r + 1}" t="inlineStr"><is><t>rad ${r} kolumn ${c} åäö</t></is></c>`,
      )
      .join("");
    // A row without r follows the previous row of the part, so only a row right after one it has may lack it.
    const r1 = r % 3 === 0 && r % 7 !== 6 ? "" : ` r="${r + 1}"`;
    body.push(`<row${r1} spans="1:4">${cells}</row>`);
  }
  return `<worksheet xmlns="${NS}"><dimension ref="A1:D${rows}"/><sheetData>${comment ? "<!-- c -->" : ""}${body.join("")}</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;
}

function edited(xml: string, writes: SheetWrites): string {
  const out = new StringOut();
  for (const _ of editSheet(xml, writes, out));
  return out.value;
}

describe("the in-place editor on a large sheet", () => {
  const rows = 6000;
  const writes = new Map<number, Map<number, CellWrite>>();
  for (let r = 0; r < rows + 3; r += 1) {
    // Column F on every row (rows the part lacks are inserted), column B restyled on some.
    const line = new Map<number, CellWrite>([
      [5, { hasValue: true, value: r % 2 ? r * 1.5 : `värde ${r}`, style: null }],
    ]);
    if (r % 11 === 0) line.set(1, { hasValue: false, style: () => 3 });
    writes.set(r, line);
  }

  it("writes in stretches the same part as the general scanner", () => {
    const fast = sheet(rows, false);
    expect(fast.length).toBeGreaterThan(4 * (1 << 18)); // several stretches
    const fromFast = edited(fast, writes);
    const fromGeneral = edited(sheet(rows, true), writes).replace("<!-- c -->", "");
    expect(fromFast === fromGeneral).toBe(true);
    expect(fromFast).toContain(`<dimension ref="A1:F${rows + 3}"/>`);
    // A row the part lacked, inserted in order, and the rows added after the last one.
    expect(fromFast.includes(`<row r="6"><c r="F6"><v>7.5</v></c></row><row r="7" spans="1:6">`)).toBe(true);
    expect(
      fromFast.endsWith(
        `<row r="${rows + 3}"><c r="F${rows + 3}" t="inlineStr"><is><t>värde ${rows + 2}</t></is></c></row></sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`,
      ),
    ).toBe(true);
    expect(fromFast.match(/<c r="F\d+"/g)).toHaveLength(rows + 3);
  });
});

/** The part edited from its frame and its rows in stretches (as Package.rowStretches gives them). */
async function editedInStretches(
  xml: string,
  writes: SheetWrites,
  size: number,
): Promise<{ xml: string; same: boolean }> {
  const from = xml.indexOf("<sheetData>") + "<sheetData>".length;
  const to = xml.indexOf("</sheetData>");
  async function* stretches() {
    for (let at = from; at < to;) {
      const close = xml.indexOf("</row>", Math.min(at + size, to));
      const end = close < 0 || close >= to ? to : close + "</row>".length;
      yield xml.slice(at, end);
      at = end;
    }
  }
  const out = new StringOut();
  const result = { same: false };
  const frame = xml.slice(0, from) + xml.slice(to);
  for await (const _ of editStretches(frame, from, stretches(), writes, out, result));
  return { xml: out.value, same: result.same };
}

describe("the in-place editor on a sheet given in stretches", () => {
  const rows = 2000;
  const xml = sheet(rows, false);

  it("writes the same part as from the whole text, whatever the stretches", async () => {
    const writes = new Map<number, Map<number, CellWrite>>();
    for (let r = 0; r < rows + 3; r += 2)
      writes.set(r, new Map([[5, { hasValue: true, value: r * 0.25, style: null }]]));
    const whole = edited(xml, writes);
    for (const size of [1, 5000, 1 << 16, 1 << 24]) {
      const streamed = await editedInStretches(xml, writes, size);
      expect(streamed.xml === whole).toBe(true);
      expect(streamed.same).toBe(false);
    }
  });

  it("says when the part came out as it was", async () => {
    // Rewriting a cell with the value and style it has leaves every character as it was.
    const writes = new Map([[4, new Map([[2, { hasValue: false, style: null }]])]]);
    const streamed = await editedInStretches(xml, writes, 5000);
    expect(streamed.xml === xml).toBe(true);
    expect(streamed.same).toBe(true);
  });
});

describe("a plan's cells on a user's sheet", () => {
  const rows = 3000;
  const bold: CellStyle = { bold: true };
  const amount: CellStyle = { numberFormat: "#,##0" };
  const plan = (split: boolean): SheetPlan => {
    // Two output columns (one block each, or one block per row), a heading row, a format over both
    // columns and one over the first column only, applied in that order.
    const column = (col: number, at: (r: number) => number) =>
      split
        ? Array.from({ length: rows }, (_, r) => ({ row: 1 + r, col, values: [[at(r)]] }))
        : [{ row: 1, col, values: Array.from({ length: rows }, (_, r) => [at(r)]) }];
    return {
      name: "Underlag",
      owned: false,
      values: [
        { row: 0, col: 5, values: [["Prognos", "Avvikelse"]] },
        ...column(5, (r) => r * 2),
        ...column(6, (r) => -r),
      ],
      formats: [
        { rect: { row: 1, col: 5, rows, cols: 2 }, style: amount },
        { rect: { row: 0, col: 5, rows: 1, cols: 1 }, style: bold },
        { rect: { row: 10, col: 5, rows: 5, cols: 1 }, style: bold },
      ],
      merges: [],
      columnWidths: [],
      charts: [],
    } as unknown as SheetPlan;
  };
  // A style id per (base, style) in the order first asked for, as styles.ts appends formats.
  const ids = () => {
    const seen = new Map<string, number>();
    const order: string[] = [];
    return {
      order,
      xfFor: (base: number, style: CellStyle) => {
        const k = `${base}|${JSON.stringify(style)}`;
        if (!seen.has(k)) {
          seen.set(k, 100 + seen.size);
          order.push(k);
        }
        return seen.get(k)!;
      },
    };
  };

  it("gives the same part, and asks for the same formats in the same order, row by row or built whole", () => {
    const xml = sheet(rows, false);
    const lazy = ids();
    const whole = ids();
    const byRow = edited(xml, plannedWrites(plan(false), lazy.xfFor));
    const built = plannedWrites(plan(true), whole.xfFor);
    expect(built instanceof Map).toBe(true); // more than 64 blocks: built whole
    expect(edited(xml, built) === byRow).toBe(true);
    expect(lazy.order).toEqual(whole.order);
    expect(lazy.order.length).toBeGreaterThan(1);
    // The heading's bold asked for first, then the amounts' format, then bold over it on rows 11-15.
    expect(byRow.includes('<c r="F1" s="100" t="inlineStr"><is><t>Prognos</t></is></c>')).toBe(true);
    expect(byRow.includes('<c r="F12" s="102"><v>20</v></c><c r="G12" s="101"><v>-10</v></c>')).toBe(true);
    expect(byRow.includes(`<dimension ref="A1:G${rows + 1}"/>`)).toBe(true);
  });
});
