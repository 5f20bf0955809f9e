/**
 * The sample's variant with units (scripts/build-sample.ts: the tertial split over Myndighetsavdelningen,
 * Vårnäs, Mercur and Klivet) through both hosts: the CLI's .xlsx runner and the Office.js host over the
 * strict fake. The consolidated Driftsredovisning must equal the flat sample's (S1 §4.1), each unit gets
 * its section with its own figures, and both hosts write the same report cells. The empty Mall has the
 * Ansvar column.
 */
import ExcelJS from "exceljs";
import { promises as fs } from "fs";
import JSZip from "jszip";
import * as os from "os";
import * as path from "path";
import { buildSample, SAMPLE_UNITS, unitSeedLines } from "../../scripts/build-sample";
import { main } from "../../src/cli/main";
import { roundHalfAwayFromZero } from "../../src/core";
import { createOfficeApi } from "../../src/hosts/office";
import { openWorkbook } from "../../src/hosts/xlsx";
import { CONFIG_NAMESPACE, parseConfig, serializeConfig } from "../../src/workbook/config";
import { refresh } from "../../src/workbook/pipeline";
import { fakeFromXlsx } from "../fakes/excel/fromXlsx";
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
  // 350 → 400, 233 → 200): +2 400. The Summa, the gap to the balance target and the change since the
  // previous forecast move by the same +100.
  const intakter = unitSeedLines().filter((l) => l.label === "Verksamhetens intäkter");
  const parts = intakter.map((l) => roundHalfAwayFromZero(l.actual - l.periodBudget, 100));
  expect(parts).toEqual([1300, 500, 400, 200]);
  const shift = parts.reduce((a, b) => a + b, 0) - 2300;
  const flatResult = flat.json.result as Record<string, number>;
  expect(cli.json.result).toEqual({
    ...flatResult,
    forecast: flatResult.forecast + shift,
    forecastDeviation: flatResult.forecastDeviation + shift,
    // Against the same logged March net, the change since the previous forecast moves by it too.
    forecastChange: flatResult.forecastChange + shift,
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
  for (const sheet of ["Sammanfattning", "Driftsredovisning", "Åtgärdsplan", "Prognossäkerhet"]) {
    expect(Object.keys(xlsxCells[sheet] ?? {}).length).toBeGreaterThan(0);
    expect([sheet, officeCells[sheet]]).toEqual([sheet, xlsxCells[sheet]]);
  }
});

/** Driftsredovisning's sixth column (Förändring mot föregående prognos) by row label, in order. */
async function changeRows(bytes: Buffer): Promise<[string, number | null][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const rows: [string, number | null][] = [];
  wb.getWorksheet("Driftsredovisning")!.eachRow((row) => {
    const label = row.getCell(1).value;
    if (typeof label === "string") rows.push([label, row.getCell(6).value as number | null]);
  });
  return rows;
}

test("the change since the previous forecast against the administration's log, which has no Ansvar", async () => {
  // The sample's February lines are logged without units (the whole administration's figures): the
  // consolidated table compares with them line by line and foots; a unit's line never takes the
  // administration's figure, so the sections' column is blank, with one finding saying why.
  const run = await runCli(dir, "units-change", await fs.readFile(built.unitSample));
  expect(run.code).toBe(0);
  const rows = await changeRows(run.output!);
  const end = rows.findIndex(([l]) => l === "Summa");
  const table = new Map(
    rows.slice(
      rows.findIndex(([l]) => l === "Verksamhetens intäkter"),
      end + 1,
    ),
  );
  expect([...table]).toEqual([
    ["Verksamhetens intäkter", 2400 - 0],
    ["Verksamhetens kostnader", -32300 - -30000],
    ["varav ekonomiskt bistånd", -8000 - -6000],
    ["varav köpt huvudverksamhet (placeringar)", -23000 - -20000],
    ["varav personalkostnader inkl ers familjehem", 6700 - 4000],
    ["varav utredningskonsulter", 0],
    ["varav övriga kostnader", 0],
    ["Summa", -29900 - -30000],
  ]);
  const varav = [...table].filter(([l]) => l.startsWith("varav ")).reduce((a, [, c]) => a + c!, 0);
  expect(varav).toBe(table.get("Verksamhetens kostnader"));
  expect(table.get("Verksamhetens intäkter")! + table.get("Verksamhetens kostnader")!).toBe(
    table.get("Summa"),
  );
  expect(run.json.result).toMatchObject({ forecastChange: 100 });
  // Below the consolidated table, no figure in the column (the unit sections' header rows aside).
  const below = rows.slice(end + 1);
  expect(below.filter(([l]) => l.startsWith("Summa ")).length).toBe(4);
  expect(below.filter(([, c]) => typeof c === "number")).toEqual([]);
  const json = run.json as unknown as {
    lines: { forecastChange: number | null }[];
    findings: { code: string; message: string }[];
    summary: string[];
  };
  expect(json.lines.filter((l) => l.forecastChange !== null)).toHaveLength(1); // the administration's Summa
  const why = json.findings.filter((f) => f.code === "FORECAST_CHANGE_UNCOMPARED");
  expect(why).toHaveLength(1);
  expect(why[0].message).toContain("prognosloggen för februari 2019 har raderna utan Ansvar");
  expect(rows.some(([l]) => l === why[0].message)).toBe(true);
  // The draft names the consolidated lines' changes, not a unit's line against the administration.
  const draft = json.summary.join(" ");
  expect(draft).toContain(
    "har helårsprognosen förbättrats med 100 tkr, främst köpt huvudverksamhet (placeringar) -3 000 tkr",
  );
  expect(draft).not.toMatch(/\((Myndighetsavdelningen|Vårnäs|Mercur|Klivet)\) [+-]\d/);
});

test("the tertial pieces with units: the summary names the units, every unit's lines are backtested", async () => {
  const run = await runCli(dir, "units-json", await fs.readFile(built.unitSample));
  expect(run.code).toBe(0);
  const json = run.json as unknown as {
    summary: string[];
    units: { name: string; forecastDeviation: number }[];
    lines: { label: string; orgUnit?: string; backtest: { recommended: string | null } | null }[];
  };
  expect(json.units.map((u) => u.name)).toEqual(SAMPLE_UNITS.map(([u]) => u));
  // The drafted summary names the three units with the largest forecast deviations, largest first.
  const top = [...json.units]
    .sort((a, b) => Math.abs(b.forecastDeviation) - Math.abs(a.forecastDeviation))
    .slice(0, 3);
  const sentence = json.summary.join(" ").match(/Störst prognosavvikelse för helåret har ([^.]*)\./);
  expect(sentence).not.toBeNull();
  expect([...sentence![1].matchAll(/(\p{Lu}\p{L}+) med/gu)].map((m) => m[1])).toEqual(top.map((u) => u.name));
  // Last year's months are split over the units too, so each unit's grants line is backtested on its own
  // and, paid per quarter as in the flat sample, recommended säsong.
  for (const [unit] of SAMPLE_UNITS) {
    const intakter = json.lines.find((l) => l.label === "Verksamhetens intäkter" && l.orgUnit === unit)!;
    expect(intakter.backtest).toMatchObject({ recommended: "seasonal" });
    expect(json.lines.find((l) => l.label === `Summa ${unit}`)!.backtest).toBeNull();
  }
});

test("the Word report with units: the consolidated table, then a table per unit", async () => {
  const out = path.join(dir, "rapport-enheter.docx");
  const quiet = { out: () => undefined, err: (t: string) => void process.stderr.write(t) };
  expect(await main(["rapport", built.unitSample, "--out", out], quiet)).toBe(0);
  const zip = await JSZip.loadAsync(await fs.readFile(out));
  const text = (await zip.file("word/document.xml")!.async("string"))
    .replace(/<w:p[ >][\s\S]*?<\/w:p>/g, (p) => `${p.replace(/<[^>]+>/g, "")}\n`)
    .split("\n")
    .map((l) => l.replace(/<[^>]+>/g, "").trim())
    .filter(Boolean);
  const captions = text.filter((l) => l.endsWith(", nettoresultat (tkr)"));
  expect(captions).toEqual([
    "Driftsredovisning, nettoresultat (tkr)",
    ...SAMPLE_UNITS.map(([u]) => `${u}, nettoresultat (tkr)`),
    "Investeringsredovisning, nettoresultat (tkr)",
  ]);
  // Each unit's table ends with its own Summa line; the consolidated one has none of them.
  const at = (l: string) => text.indexOf(l);
  for (const [u] of SAMPLE_UNITS) expect(at(`Summa ${u}`)).toBeGreaterThan(at(`${u}, nettoresultat (tkr)`));
  expect(at("Summa Myndighetsavdelningen")).toBeGreaterThan(at("Avvikelse jämfört ekonomi i balans"));
  // Why the units' change column is blank, once, under the consolidated table.
  const why = text.filter((l) => l.startsWith("Förändring mot föregående prognos lämnas tom för raderna i"));
  expect(why).toHaveLength(1);
  expect(at(why[0])).toBeGreaterThan(at("Avvikelse jämfört ekonomi i balans"));
  expect(at(why[0])).toBeLessThan(at("Myndighetsavdelningen, nettoresultat (tkr)"));
});

test("a sheet per unit (unitReports: sheets) in both hosts: the same Drift sheets, cell for cell", async () => {
  const bytes = await fs.readFile(built.unitSample);
  const xlsx = await openWorkbook(bytes);
  // The sample's own settings (Verksamhet), with a sheet per unit.
  const config = parseConfig(xlsx.configXml);
  config.settings.unitReports = "sheets";
  const outcome = await refresh(xlsx, config);
  expect(outcome.ok).toBe(true);
  const xlsxCells = await cellsOfXlsx(await xlsx.output());

  const fake = await fakeFromXlsx(bytes);
  const stored = fake.model.customXmlParts.find((p) => p.namespaceUri === CONFIG_NAMESPACE);
  if (stored) stored.xml = serializeConfig(config);
  else fake.model.addXmlPart(serializeConfig(config));
  const api = createOfficeApi((batch) => fake.run(batch), { isSetSupported: fake.isSetSupported });
  expect((await api.refresh()).ok).toBe(true);
  const officeCells = cellsOf(fake.model);

  const sheets = ["Driftsredovisning", ...SAMPLE_UNITS.map(([u]) => `Drift ${u}`)];
  expect(fake.model.sheets.map((s) => s.name)).toEqual(expect.arrayContaining(sheets));
  for (const sheet of sheets) {
    expect(Object.keys(xlsxCells[sheet] ?? {}).length).toBeGreaterThan(0);
    expect([sheet, officeCells[sheet]]).toEqual([sheet, xlsxCells[sheet]]);
  }
  // The consolidated sheet has no unit sections; each unit's sheet has its own lines and Summa.
  const texts = (sheet: string) => Object.values(officeCells[sheet]).map((c) => c.v);
  expect(texts("Driftsredovisning")).not.toContain("Summa Vårnäs");
  expect(texts("Drift Vårnäs")).toContain("Summa Vårnäs");
  expect(texts("Drift Vårnäs")).not.toContain("Summa Mercur");
});
