/**
 * `uppfoljaren refresh --all DIR --out-dir OUT --consolidate NAMND.xlsx` in-process through main(), on a
 * folder of generated unit workbooks (scripts/bench-units.ts) with one broken among them: every good
 * workbook is refreshed exactly as a single refresh would, the broken one is reported with its cell and
 * stops nothing, the exit code is 2, the inputs are untouched, and the nämnd workbook (read back with
 * ExcelJS, an independent reader) holds the units side by side and their sum.
 */
import { build } from "esbuild";
import ExcelJS from "exceljs";
import { createHash } from "crypto";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import type { BatchIo } from "../../src/cli/batch";
import { main } from "../../src/cli/main";
import { xlsxBytes } from "../../scripts/bench-data";
import { unitWorkbookSpec } from "../../scripts/bench-units";

jest.setTimeout(120_000);

const UNITS = ["Klivet", "Mercur", "Myndighetsavdelningen", "Vårnäs"];
let dir: string;
let input: string;

const sha = async (p: string) =>
  createHash("sha256")
    .update(await fs.readFile(p))
    .digest("hex");

async function run(argv: string[], tty = false) {
  let out = "";
  let err = "";
  const io: BatchIo = { out: (t) => void (out += t), err: (t) => void (err += t), errIsTTY: tty };
  const code = await main(argv, io);
  return { code, out, err };
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "uppfoljaren-batch-"));
  input = path.join(dir, "enheter");
  await fs.mkdir(input);
  for (const unit of UNITS)
    await fs.writeFile(path.join(input, `${unit}.xlsx`), await xlsxBytes(unitWorkbookSpec(unit, 30)));
  // The broken one: its name Utfall is missing, so the contract refuses it.
  const broken = unitWorkbookSpec("Öppenvården", 30);
  broken.names = broken.names.filter((n) => n.name !== "Utfall");
  await fs.writeFile(path.join(input, "Öppenvården.xlsx"), await xlsxBytes(broken));
  // Neither a workbook nor Excel's lock file is picked up.
  await fs.writeFile(path.join(input, "anteckningar.txt"), "inte en arbetsbok");
  await fs.writeFile(path.join(input, "~$Vårnäs.xlsx"), "lock");
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

test("refreshes every workbook, reports the broken one, exits 2 and writes the nämnd workbook", async () => {
  const before = await Promise.all(UNITS.map((u) => sha(path.join(input, `${u}.xlsx`))));
  const out = path.join(dir, "ut");
  const namnd = path.join(dir, "Namnd.xlsx");
  const r = await run(["refresh", "--all", input, "--out-dir", out, "--consolidate", namnd, "--json"]);
  expect(r.err).toBe("");
  expect(r.code).toBe(2);
  const doc = JSON.parse(r.out) as {
    ok: boolean;
    workbooks: {
      file: string;
      unit: string | null;
      status: string;
      message: string | null;
      forecastDeviation: number | null;
    }[];
    consolidated: string | null;
  };
  expect(doc.ok).toBe(false);
  expect(doc.workbooks.map((w) => [w.file, w.status])).toEqual([
    ["Klivet.xlsx", "ok"],
    ["Mercur.xlsx", "ok"],
    ["Myndighetsavdelningen.xlsx", "ok"],
    ["Vårnäs.xlsx", "ok"],
    ["Öppenvården.xlsx", "unusable"],
  ]);
  expect(doc.workbooks[4].message).toMatch(/Namnet Utfall saknas i arbetsboken/);
  expect(doc.workbooks.slice(0, 4).map((w) => w.unit)).toEqual(UNITS);
  expect(doc.consolidated).toBe(namnd);

  // Outputs for the good ones only; inputs byte-identical.
  expect((await fs.readdir(out)).sort()).toEqual(UNITS.map((u) => `${u}.xlsx`).sort());
  expect(await Promise.all(UNITS.map((u) => sha(path.join(input, `${u}.xlsx`))))).toEqual(before);

  // Each output is what a single refresh of the same workbook writes.
  const single = path.join(dir, "Mercur-ensam.xlsx");
  const alone = await run(["refresh", path.join(input, "Mercur.xlsx"), "--out", single, "--json"]);
  expect(alone.code).toBe(0);
  const aloneDoc = JSON.parse(alone.out) as { result: { forecastDeviation: number } };
  expect(doc.workbooks[1].forecastDeviation).toBe(aloneDoc.result.forecastDeviation);
  expect(await driftValues(path.join(out, "Mercur.xlsx"))).toEqual(await driftValues(single));

  // The nämnd workbook: the units side by side and summed, with its own report sheets.
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(namnd);
  expect(wb.worksheets.map((w) => w.name)).toEqual([
    "Sammanställning",
    "Driftsredovisning",
    "Åtgärdsplan",
    "Körning",
  ]);
  const overview = wb.getWorksheet("Sammanställning")!;
  // Printed as the other report sheets are: landscape on the page's width, titled, labels not cut.
  expect(overview.pageSetup.orientation).toBe("landscape");
  expect(overview.headerFooter.oddHeader).toContain("Sammanställning");
  expect(overview.getColumn(1).width).toBe(44);
  const rows = sheetRows(overview);
  const header = rows.findIndex((row) => String(row[0]).startsWith("Prognos budgetavvikelse helår"));
  expect(rows[header].slice(1)).toEqual([...UNITS, "Summa"]);
  const sum = rows.findIndex((row, i) => i > header && row[0] === "Summa");
  const perUnit = rows[sum].slice(1, 5) as number[];
  expect(perUnit).toEqual(doc.workbooks.slice(0, 4).map((w) => w.forecastDeviation));
  expect(rows[sum][5]).toBeCloseTo(
    perUnit.reduce((a, b) => a + b, 0),
    6,
  );
  const runs = sheetRows(wb.getWorksheet("Körning")!);
  expect(runs.find((row) => row[0] === "Öppenvården.xlsx")?.[2]).toBe("Kan inte användas");
  // A workbook that could not be used was not checked: its Fel and Varningar are blank, not 0.
  const broken = runs.find((row) => row[0] === "Öppenvården.xlsx")!;
  expect([broken[5] ?? null, broken[6] ?? null]).toEqual([null, null]);
  expect(runs.find((row) => row[0] === "Klivet.xlsx")?.[5]).toEqual(expect.any(Number));
  const drift = sheetRows(wb.getWorksheet("Driftsredovisning")!).map((row) => row[0]);
  for (const unit of UNITS) expect(drift).toContain(`${unit}, nettoresultat (tkr)`);
});

test("the table of results and a progress line per workbook on a terminal", async () => {
  const out = path.join(dir, "ut-tty");
  const r = await run(["refresh", "--all", input, "--out-dir", out], true);
  expect(r.code).toBe(2);
  // The in-place progress line ("\r\x1b[2K…", src/cli/terminal.ts) is cleared before each result line.
  const progress = r.err
    .split("\n")
    .map((l) => l.split("\r\x1b[2K").pop()!)
    .filter((l) => /^\[\d\/5\]/.test(l));
  expect(progress).toHaveLength(5);
  expect(progress[0]).toMatch(
    /^\[1\/5\] Klivet\.xlsx: uppdaterad \(\d+ fel, \d+ varning(ar)?, \d+ upplysning(ar)?\)$/,
  );
  expect(progress[4]).toBe("[5/5] Öppenvården.xlsx: kan inte användas");
  // The same words as the Körning sheet: the forecast column is the deviation, not the forecast itself.
  expect(r.out).toMatch(
    /^Arbetsbok\s+Enhet\s+Status\s+Avvikelse \(tkr\)\s+Prognosavvikelse helår\s+Kontroller$/m,
  );
  expect(r.out).toMatch(/^Öppenvården\.xlsx\s+–\s+kan inte användas/m);
  expect(r.out).toMatch(/Skrev 4 av 5 arbetsböcker/);
  // Not a terminal (or --json): no progress lines.
  const quiet = await run(["refresh", "--all", input, "--out-dir", path.join(dir, "ut-quiet")], false);
  expect(quiet.err).toBe("");
});

test("mkr with one decimal in the batch table and in a single refresh's summary, as on the sheets", async () => {
  // A unit workbook in mkr: its amounts a thousandth of the tkr workbook's (deviation -1,034 mkr: "-1,0").
  const spec = unitWorkbookSpec("Mercur", 30);
  const underlag = spec.sheets.find((x) => x.name === "Underlag")!;
  underlag.rows = underlag.rows.map((row, r) =>
    r === 3 ? ["Enhet", "mkr"] : r < 9 ? row : row.map((v) => (typeof v === "number" ? v / 1000 : v)),
  );
  const mkr = path.join(dir, "mkr");
  await fs.mkdir(mkr);
  await fs.writeFile(path.join(mkr, "Mercur.xlsx"), await xlsxBytes(spec));
  const one = await run([
    "refresh",
    path.join(mkr, "Mercur.xlsx"),
    "--out",
    path.join(dir, "mkr-ut.xlsx"),
    "--json",
  ]);
  const result = (JSON.parse(one.out) as { result: { deviation: number; forecastDeviation: number } }).result;
  const oneDecimal = (v: number) =>
    `${v > 0 ? "+" : v < 0 ? "-" : ""}${Math.abs(Math.round(v * 10) / 10)
      .toFixed(1)
      .replace(".", ",")}`;
  const text = await run(["check", path.join(mkr, "Mercur.xlsx")]);
  expect(text.out).toContain(`Nettoresultat, avvikelse per 30/4 2019: ${oneDecimal(result.deviation)} mkr`);
  expect(text.out).toContain(
    `Prognos budgetavvikelse helår 2019: ${oneDecimal(result.forecastDeviation)} mkr`,
  );
  const batch = await run(["refresh", "--all", mkr, "--out-dir", path.join(dir, "mkr-ut")]);
  expect(batch.code).toBe(0);
  const row = batch.out.split("\n").find((l) => l.startsWith("Mercur.xlsx"))!;
  expect(row).toContain(`${oneDecimal(result.deviation)}  `);
  expect(row).toContain(oneDecimal(result.forecastDeviation));
  expect(batch.out).toMatch(/Avvikelse \(mkr\)/);
  // Beside a workbook in tkr, each amount names its own unit and the heading none.
  await fs.copyFile(path.join(input, "Klivet.xlsx"), path.join(mkr, "Klivet.xlsx"));
  const mixed = await run(["refresh", "--all", mkr, "--out-dir", path.join(dir, "mkr-blandat")]);
  const lines = mixed.out.split("\n");
  expect(lines.find((l) => l.startsWith("Arbetsbok"))).toMatch(/Avvikelse +Prognosavvikelse helår/);
  expect(lines.find((l) => l.startsWith("Mercur.xlsx"))).toContain(`${oneDecimal(result.deviation)} mkr`);
  expect(lines.find((l) => l.startsWith("Klivet.xlsx"))).toMatch(/[-+]?[\d ]+ tkr +[-+]?[\d ]+ tkr/);
});

test("all good: exit 0; unusable arguments: exit 2 and nothing written", async () => {
  const good = path.join(dir, "bara-goda");
  await fs.mkdir(good);
  await fs.copyFile(path.join(input, "Klivet.xlsx"), path.join(good, "Klivet.xlsx"));
  expect((await run(["refresh", "--all", good, "--out-dir", path.join(dir, "ut-goda")])).code).toBe(0);

  const same = await run(["refresh", "--all", good, "--out-dir", good]);
  expect(same.code).toBe(2);
  expect(same.err).toMatch(/skrivs aldrig över/);
  const empty = path.join(dir, "tom");
  await fs.mkdir(empty);
  const none = await run(["refresh", "--all", empty, "--out-dir", path.join(dir, "ut-tom")]);
  expect(none.code).toBe(2);
  expect(none.err).toMatch(/innehåller inga arbetsböcker/);
  const clash = await run([
    "refresh",
    "--all",
    good,
    "--out-dir",
    path.join(dir, "ut-krock"),
    "--consolidate",
    path.join(good, "Klivet.xlsx"),
  ]);
  expect(clash.code).toBe(2);
  expect(await fs.readdir(good)).toEqual(["Klivet.xlsx"]);
});

test("--jobs 3 from the bundled CLI: worker threads, the same results and progress lines in folder order", async () => {
  // Worker threads load the running bundle (src/cli/pool.ts), so this runs the CLI as users do: bundled.
  // Beside the sources (build/ is not checked in), so that the bundle finds node_modules.
  const bundle = path.join(__dirname, `../../build/.tmp/batch-test-cli-${process.pid}.js`);
  await build({
    entryPoints: [path.join(__dirname, "../../src/cli/main.ts")],
    outfile: bundle,
    bundle: true,
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  const cli = (await import(bundle)) as { main: typeof main };
  const bundled = async (argv: string[], tty = false) => {
    let out = "";
    let err = "";
    const io: BatchIo = { out: (t) => void (out += t), err: (t) => void (err += t), errIsTTY: tty };
    return { code: await cli.main(argv, io), out, err };
  };
  const seq = path.join(dir, "ut-en-i-taget");
  const par = path.join(dir, "ut-samtidigt");
  const one = await bundled(["refresh", "--all", input, "--out-dir", seq, "--json"]);
  const three = await bundled(["refresh", "--all", input, "--out-dir", par, "--jobs", "3", "--json"]);
  expect(three.code).toBe(2);
  expect(three.err).toBe("");
  const rows = (r: { out: string }, out: string) =>
    (JSON.parse(r.out) as { workbooks: { written: string | null }[] }).workbooks.map((w) => ({
      ...w,
      written: w.written && path.relative(out, w.written),
    }));
  expect(rows(three, par)).toEqual(rows(one, seq));
  for (const unit of UNITS)
    expect(await driftValues(path.join(par, `${unit}.xlsx`))).toEqual(
      await driftValues(path.join(seq, `${unit}.xlsx`)),
    );
  // On a terminal: one result line per workbook, in the folder's order whichever thread finished first.
  const tty = await bundled(
    ["refresh", "--all", input, "--out-dir", path.join(dir, "ut-tty3"), "--jobs", "3"],
    true,
  );
  const lines = tty.err
    .split("\n")
    .map((l) => l.split("\r\x1b[2K").pop()!)
    .filter((l) => /^\[\d\/5\] .*: /.test(l));
  expect(lines.map((l) => l.slice(0, 5))).toEqual(["[1/5]", "[2/5]", "[3/5]", "[4/5]", "[5/5]"]);
  expect(lines[4]).toBe("[5/5] Öppenvården.xlsx: kan inte användas");
  const bad = await bundled(["refresh", "--all", input, "--out-dir", path.join(dir, "ut-x"), "--jobs", "0"]);
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(/--jobs kräver ett heltal/);
  await fs.rm(bundle, { force: true });
});

function sheetRows(ws: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const values = (row.values as unknown[]).slice(1);
    rows[n - 1] = values.map((v) => (v === undefined ? null : v));
  });
  return Array.from(rows, (r) => r ?? []);
}

async function driftValues(file: string): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return sheetRows(wb.getWorksheet("Driftsredovisning")!);
}

test("--nytt-utkast redrafts each workbook's summary, as for one workbook; without it the edit stays", async () => {
  const first = path.join(dir, "ut-goda", "Klivet.xlsx"); // refreshed once by the test above
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(first);
  const sheet = wb.getWorksheet("Sammanfattning")!;
  let at = "";
  sheet.eachRow((row) =>
    row.eachCell((c) => {
      if (!at && typeof c.value === "string" && / redovisar /.test(c.value)) at = c.address;
    }),
  );
  expect(at).not.toBe("");
  sheet.getCell(at).value = "Egen text om Klivet.";
  const edited = path.join(dir, "redigerad");
  await fs.mkdir(edited);
  await wb.xlsx.writeFile(path.join(edited, "Klivet.xlsx"));
  const summary = async (out: string, flags: string[]) => {
    expect((await run(["refresh", "--all", edited, "--out-dir", out, ...flags])).code).toBe(0);
    const back = new ExcelJS.Workbook();
    await back.xlsx.readFile(path.join(out, "Klivet.xlsx"));
    return String(back.getWorksheet("Sammanfattning")!.getCell(at).value);
  };
  expect(await summary(path.join(dir, "ut-kvar"), [])).toBe("Egen text om Klivet.");
  expect(await summary(path.join(dir, "ut-nytt"), ["--nytt-utkast"])).toMatch(/ redovisar /);
});

test("a copy that cannot be written is that workbook's row; the ones refreshed meanwhile are still written", async () => {
  const out = path.join(dir, "ut-skriv");
  await fs.mkdir(path.join(out, "Mercur.xlsx"), { recursive: true }); // a folder where the copy goes
  const r = await run(["refresh", "--all", input, "--out-dir", out, "--json"]);
  expect(r.code).toBe(2);
  const doc = JSON.parse(r.out) as { workbooks: { file: string; status: string; message: string | null }[] };
  expect(doc.workbooks.map((w) => [w.file, w.status])).toEqual([
    ["Klivet.xlsx", "ok"],
    ["Mercur.xlsx", "unusable"],
    ["Myndighetsavdelningen.xlsx", "ok"],
    ["Vårnäs.xlsx", "ok"],
    ["Öppenvården.xlsx", "unusable"],
  ]);
  expect(doc.workbooks[1].message).toMatch(/mapp/);
  expect((await fs.readdir(out)).sort()).toEqual(["Klivet.xlsx", "Mercur.xlsx", "Myndighetsavdelningen.xlsx", "Vårnäs.xlsx"]); // prettier-ignore
  expect((await fs.stat(path.join(out, "Mercur.xlsx"))).isDirectory()).toBe(true);
});
