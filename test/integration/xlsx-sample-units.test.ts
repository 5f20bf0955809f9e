/**
 * The sample's variant with units (scripts/build-sample.ts: the tertial split over Myndighetsavdelningen,
 * Vårnäs, Mercur and Klivet) through both hosts: the CLI's .xlsx runner and the Office.js host over the
 * strict fake. The consolidated Driftsredovisning must equal the flat sample's (S1 §4.1), each unit gets
 * its section with its own figures, and both hosts write the same report cells. The empty Mall has the
 * Ansvar column.
 */
import ExcelJS from "exceljs";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { buildSample, SAMPLE_UNITS, unitSeedLines } from "../../scripts/build-sample";
import { roundHalfAwayFromZero } from "../../src/core";
import { openWorkbook } from "../../src/hosts/xlsx";
import { cellsOf, cellsOfXlsx, runCli, runOffice } from "./hosts";

jest.setTimeout(120_000);

let dir: string;
let built: { sample: string; template: string; unitSample: string };

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "uppfoljaren-sample-units-"));
  built = await buildSample(dir);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

type Rows = [string, (number | null)[]][];

/** Driftsredovisning's rows (label and the four amount columns), in order. */
async function driftRows(bytes: Buffer): Promise<Rows> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const rows: Rows = [];
  wb.getWorksheet("Driftsredovisning")!.eachRow((row) => {
    const label = row.getCell(1).value;
    if (typeof label !== "string") return;
    rows.push([label, [2, 3, 4, 5].map((c) => row.getCell(c).value as number | null)]);
  });
  return rows;
}

test("the variant's units add up line by line to the seed, and the Mall has the Ansvar column", async () => {
  const lines = unitSeedLines();
  const units = SAMPLE_UNITS.map(([u]) => u);
  for (const label of ["Verksamhetens intäkter", "varav utredningskonsulter"]) {
    const parts = lines.filter((l) => l.label === label);
    expect(parts.map((l) => l.orgUnit)).toEqual(units);
  }
  expect(lines.filter((l) => l.label === "Verksamhetens kostnader").reduce((a, l) => a + l.actual, 0)).toBe(
    -86983,
  );
  for (const file of [built.template, built.unitSample]) {
    const names = (await (await openWorkbook(await fs.readFile(file))).readMeta()).names.map((n) => n.name);
    expect(names).toContain("Ansvar");
  }
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(built.template);
  expect(wb.getWorksheet("Underlag")!.getCell("AG9").value).toBe("Ansvar");
  expect(wb.getWorksheet("Åtgärder")!.getCell("G3").value).toBe("Ansvar");
});

test("both hosts: the consolidated table equals the flat sample's, one section per unit, the same cells", async () => {
  const flat = await runCli(dir, "flat", await fs.readFile(built.sample));
  const bytes = await fs.readFile(built.unitSample);
  const cli = await runCli(dir, "units", bytes);
  expect(cli.code).toBe(0);
  expect(cli.inputUnchanged).toBe(true);

  // Every figure equals the flat sample's but one: the forecast deviations are rounded to 100 tkr line by
  // line, so per unit. Verksamhetens intäkter (method budget: forecast deviation = deviation to date) is
  // +2 332 → +2 300 for the whole, but its four unit parts round on their own (1 283 → 1 300, 466 → 500,
  // 350 → 400, 233 → 200): +2 400. The Summa and the gap to the balance target move by the same +100.
  const intakter = unitSeedLines().filter((l) => l.label === "Verksamhetens intäkter");
  const parts = intakter.map((l) => roundHalfAwayFromZero(l.actual - l.periodBudget, 100));
  expect(parts).toEqual([1300, 500, 400, 200]);
  const shift = parts.reduce((a, b) => a + b, 0) - 2300;
  const flatResult = flat.json.result as Record<string, number>;
  expect(cli.json.result).toEqual({
    ...flatResult,
    forecast: flatResult.forecast + shift,
    forecastDeviation: flatResult.forecastDeviation + shift,
    deviationVsBalanceTarget: flatResult.deviationVsBalanceTarget + shift,
  });

  const consolidated = await driftRows(cli.output!);
  const table = (rows: Rows) =>
    rows.slice(1, rows.findIndex(([l]) => l === "Avvikelse jämfört ekonomi i balans") + 1);
  const shifted = ["Verksamhetens intäkter", "Summa", "Avvikelse jämfört ekonomi i balans"];
  const expected = table(await driftRows(flat.output!)).map(([label, v]): Rows[number] =>
    shifted.includes(label) ? [label, [v[0], v[1], v[2], (v[3] as number) + shift]] : [label, v],
  );
  expect(table(consolidated)).toEqual(expected);
  expect(consolidated[0][0]).toBe("Driftsredovisning, nettoresultat (tkr), 4 enheter sammanställda");

  // One section per unit, in order, each with its Summa line: its lines' own sums.
  const titles = consolidated.map(([l]) => l).filter((l) => l.endsWith(", nettoresultat (tkr)"));
  expect(titles).toEqual(SAMPLE_UNITS.map(([u]) => `${u}, nettoresultat (tkr)`));
  const lines = unitSeedLines();
  for (const [unit] of SAMPLE_UNITS) {
    const row = consolidated.find(([l]) => l === `Summa ${unit}`)!;
    const own = lines.filter((l) => l.orgUnit === unit && (l.kind === "intäkt" || l.kind === "kostnad"));
    expect(row[1][0]).toBe(own.reduce((a, l) => a + l.actual, 0));
    expect(row[1][1]).toBe(own.reduce((a, l) => a + l.periodBudget, 0));
  }
  // The measures carry their unit into the action plan.
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(cli.output! as unknown as ExcelJS.Buffer);
  const plan: string[] = [];
  wb.getWorksheet("Åtgärdsplan")!.eachRow((row) => plan.push(String(row.getCell(1).value ?? "")));
  expect(plan.some((l) => /^a\. Stödboendet utvecklas .*\(Klivet\)$/.test(l))).toBe(true);

  // The Office.js host writes the same report cells.
  const office = await runOffice(bytes);
  expect(office.outcome.ok).toBe(true);
  const officeCells = cellsOf(office.fake.model);
  const xlsxCells = await cellsOfXlsx(cli.output!);
  expect(officeCells["Driftsredovisning"]).toEqual(xlsxCells["Driftsredovisning"]);
  expect(officeCells["Åtgärdsplan"]).toEqual(xlsxCells["Åtgärdsplan"]);
});
