/**
 * The in-place editor on a sheet large enough to be written in several stretches: the fast walk
 * (rows.ts) and the general scanner (xml.ts, used when a comment could hide a tag) must give the same
 * part, whether rows carry their `r` or follow the one before, with rows inserted between stretches.
 */
import { StringOut } from "../../src/hosts/xlsx/bytes";
import { editSheet, type CellWrite, type SheetWrites } from "../../src/hosts/xlsx/edit";
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
  const writes: SheetWrites = new Map();
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
