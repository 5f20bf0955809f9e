/**
 * Text that looks like a number ("2019", "14891", "-5") in a label or amount cell. Excel keeps it text;
 * a parser that converts canonical numbers (as xlsx-populate's did) would turn it into a number. Both hosts must read it as text: amounts are
 * counted with a TEXT_NUMBER warning, labels stay text, and the saved file keeps the user's cells as text.
 */
import { promises as fs } from "fs";
import JSZip from "jszip";
import * as os from "os";
import * as path from "path";
import { openWorkbook } from "../../src/hosts/xlsx";
import { buildBook, DEFAULT_LINES, patchZip } from "../fixtures/bad-workbooks";
import { fakeFromXlsx } from "../fakes/excel/fromXlsx";
import { cellsOf, cellsOfXlsx, outcomeJson, reportHasText, runCli, runOffice } from "./hosts";

jest.setTimeout(60_000);

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "uppfoljaren-textnum-"));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Underlag: labels in A4:A7, budget in C, outcome in D (rows 4–7). D7 becomes an inline string. */
async function book(): Promise<Buffer> {
  const [l1, l2, l3, l4] = DEFAULT_LINES;
  const bytes = await buildBook({
    lines: [
      { ...l1, label: "2019", budget: "14891" },
      { ...l2, actual: "-5" },
      { ...l3, label: "14891", actual: "2019" },
      l4,
    ],
  });
  return patchZip(bytes, "xl/worksheets/sheet1.xml", (xml) => {
    const out = xml.replace(
      /<c r="D7"([^>]*)><v>-8276<\/v><\/c>/,
      '<c r="D7"$1 t="inlineStr"><is><t>-8276</t></is></c>',
    );
    if (out === xml) throw new Error("fixture: D7 not found");
    return out;
  });
}

const TEXT_CELLS = ["C4", "D5", "D6", "D7"];

test("the .xlsx host reads string cells that look like numbers as text", async () => {
  const host = await openWorkbook(await book(), "text.xlsx");
  const read = await host.read({
    ranges: [{ key: "k", rect: { sheet: "Underlag", row: 3, col: 0, rows: 4, cols: 4 }, formulas: false }],
    sheets: [],
  });
  expect(read.ranges[0].values.map((r) => [r[0], r[2], r[3]])).toEqual([
    ["2019", "14891", 11890],
    ["Personalkostnader", -95433, "-5"],
    ["14891", -38415, "2019"],
    ["Övriga kostnader", -25476, "-8276"],
  ]);
});

test("both hosts: identical outcome, a TEXT_NUMBER warning per text amount, labels kept as text", async () => {
  const bytes = await book();
  const fake = await fakeFromXlsx(bytes);
  expect(cellsOf(fake.model).Underlag).toMatchObject({ "0,3": { v: "2019" }, "2,3": { v: "14891" } });

  const cli = await runCli(dir, "text-numbers", bytes);
  expect({ code: cli.code, err: cli.err }).toEqual({ code: 0, err: "" });
  const findings = (cli.json.findings ?? []) as { code: string; cell: string | null }[];
  const textNumbers = findings.filter((f) => f.code === "TEXT_NUMBER").map((f) => f.cell);
  expect(textNumbers.sort()).toEqual(TEXT_CELLS.map((c) => `Underlag!${c}`));

  const office = await runOffice(bytes);
  expect(office.outcome.ok).toBe(true);
  const { written: _w, ...cliJson } = cli.json;
  expect(outcomeJson(office.outcome)).toEqual(cliJson);
  expect(cellsOf(office.fake.model)).toEqual(await cellsOfXlsx(cli.output!));

  // Labels stay text in the report, and the user's text cells are saved as text (t="s" or inline).
  const cells = await cellsOfXlsx(cli.output!);
  expect(reportHasText(cells, "2019")).toBe(true);
  expect(reportHasText(cells, "14891")).toBe(true);
  const zip = await JSZip.loadAsync(cli.output!);
  const names = Object.keys(zip.files);
  let underlag = "";
  for (const n of names.filter((f) => /^xl\/worksheets\/sheet\d+\.xml$/.test(f))) {
    const xml = await zip.file(n)!.async("string");
    if (/<c r="D7"/.test(xml) && /<c r="C4"/.test(xml) && !underlag) underlag = xml;
  }
  for (const c of ["A4", "A6", ...TEXT_CELLS])
    expect({
      c,
      tag: /<c r="[A-Z]+\d+"[^>]*>/.exec(underlag.slice(underlag.indexOf(`<c r="${c}"`)))?.[0],
    }).toEqual({
      c,
      tag: expect.stringMatching(/t="(s|inlineStr)"/),
    });
});
