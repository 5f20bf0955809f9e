/**
 * styles.xml's formats when many workbooks from one template are refreshed in one process (a batch):
 * a Styles over a styles part seen before replays the formats built then, and must give exactly what a
 * Styles with no history gives (the same indexes, the same part), also when it asks for other formats
 * or for the same ones in another order.
 */
import { DEFAULT_STYLES, Styles } from "../../src/hosts/xlsx/styles";
import type { CellStyle } from "../../src/workbook/types";

/** Styles from a fresh copy of the module: nothing recorded from earlier workbooks. */
function freshStyles(text: string): Styles {
  let S: typeof Styles | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    S = (require("../../src/hosts/xlsx/styles") as { Styles: typeof Styles }).Styles;
  });
  return new S!(text);
}

const TEMPLATE = DEFAULT_STYLES.replace(
  "<fonts",
  '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0"/></numFmts><fonts',
);

const bold: CellStyle = { bold: true };
const amount: CellStyle = { numberFormat: "# ##0;[Red]-# ##0" };
const percent: CellStyle = { numberFormat: "0.0%", italic: true };
const fill: CellStyle = { fill: "#DDEBF7", borderBottom: "thin" };
const header: CellStyle = { bold: true, fill: "#DDEBF7", wrap: true, horizontalAlignment: "center" };

type Ask = [number, CellStyle];
/** Asks for each format in turn (on its base index); the indexes it got. */
function ask(styles: Styles, asks: Ask[]): number[] {
  return asks.map(([base, style]) => styles.xfFor(base, style));
}

describe("Styles over a styles part seen before", () => {
  const first: Ask[] = [
    [0, bold],
    [0, amount],
    [0, percent],
    [1, fill],
    [0, header],
    [2, bold],
  ];

  it("the same formats in the same order: the same indexes and the same part as with no history", () => {
    const reference = freshStyles(TEMPLATE);
    const expected = ask(reference, first);
    const a = new Styles(TEMPLATE);
    const b = new Styles(TEMPLATE);
    expect(ask(a, first)).toEqual(expected);
    expect(a.output()).toBe(reference.output());
    // The second one replays what the first built.
    expect(ask(b, first)).toEqual(expected);
    expect(b.output()).toBe(reference.output());
    expect(b.changed).toBe(true);
  });

  it("another order, or other formats after a shared start: still what a Styles with no history gives", () => {
    new Styles(TEMPLATE).xfFor(0, bold);
    ask(new Styles(TEMPLATE), first);
    const variants: Ask[][] = [
      [...first].reverse(),
      [...first.slice(0, 3), [0, { fontColor: "#C00000" }], [3, amount], ...first.slice(3)],
      [
        [0, amount],
        [0, { numberFormat: "0.000" }],
        [0, percent],
      ],
      [],
    ];
    for (const asks of variants) {
      const reference = freshStyles(TEMPLATE);
      const expected = ask(reference, asks);
      const s = new Styles(TEMPLATE);
      expect(ask(s, asks)).toEqual(expected);
      expect(s.output()).toBe(reference.output());
      expect(s.changed).toBe(reference.changed);
    }
  });

  it("a number format replayed keeps its id, and the next new one comes after it", () => {
    ask(new Styles(TEMPLATE), [[0, amount]]);
    const s = new Styles(TEMPLATE);
    ask(s, [
      [0, amount],
      [0, { numberFormat: "0.00000" }],
    ]);
    const out = s.output();
    expect(out).toContain('<numFmt numFmtId="165" formatCode="# ##0;[Red]-# ##0"/>');
    expect(out).toContain('<numFmt numFmtId="166" formatCode="0.00000"/>');
    expect(out).toContain('<numFmts count="3">');
  });

  it("a different styles part does not take the other part's formats", () => {
    const other = TEMPLATE.replace('<sz val="11"/>', '<sz val="10"/>');
    ask(new Styles(TEMPLATE), first);
    const reference = freshStyles(other);
    const s = new Styles(other);
    expect(ask(s, first)).toEqual(ask(reference, first));
    expect(s.output()).toBe(reference.output());
    expect(s.output()).toContain('<sz val="10"/>');
  });
});
