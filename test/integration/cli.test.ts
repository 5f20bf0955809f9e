/**
 * The command-line runner in-process through main(): exit codes, Swedish messages naming the sheet and
 * cell, nothing written on exit 2, the input byte-identical after every run, --json, check writes nothing,
 * usage as a terminal user expects it, findings listed, the format's extension, progress on a terminal.
 * The built bin (dist/cli.js via bin/uppfoljaren.js) is exercised via child_process.
 * Hostile file-system targets and workbook text: cli-hostile.test.ts.
 */
import { execFileSync, spawnSync } from "child_process";
import { createHash } from "crypto";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { bookSpec, xlsxBytes } from "../../scripts/bench-data";
import { main, PROGRESS_FROM_BYTES, USAGE, USAGE_LINE, type CliIo } from "../../src/cli/main";
import { buildFidelityFixture, type FixtureOptions } from "../fixtures/fidelity";

const root = path.join(__dirname, "..", "..");
let dir: string;

// Generous: the machine running the suite may be busy; nothing here is a speed target.
jest.setTimeout(60_000);

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "uppfoljaren-cli-"));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(argv: string[], errIsTTY = false): Promise<Run> {
  let out = "";
  let err = "";
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), errIsTTY };
  const code = await main(argv, io);
  return { code, out, err };
}

const sha = async (p: string) =>
  createHash("sha256")
    .update(await fs.readFile(p))
    .digest("hex");
const exists = (p: string) =>
  fs.stat(p).then(
    () => true,
    () => false,
  );

async function fixtureFile(name: string, options: FixtureOptions = {}): Promise<string> {
  const p = path.join(dir, name);
  await fs.writeFile(p, await buildFidelityFixture(options));
  return p;
}

/** Runs refresh and check on an unusable input; both must exit 2, write nothing and leave IN untouched. */
async function expectUnusable(input: string, message: RegExp): Promise<Run> {
  const before = (await exists(input)) ? await sha(input) : null;
  const out = path.join(dir, `${path.basename(input)}.out.xlsx`);
  const refreshed = await run(["refresh", input, "--out", out]);
  expect(refreshed.code).toBe(2);
  expect(refreshed.err).toMatch(/Arbetsboken kan inte användas; ingenting skrevs\./);
  expect(refreshed.err).toMatch(message);
  expect(refreshed.err).not.toMatch(/NaN|undefined|Error|Cannot |ENOENT|errno/);
  expect(await exists(out)).toBe(false);
  const checked = await run(["check", input, "--json"]);
  expect(checked.code).toBe(2);
  const doc = JSON.parse(checked.out);
  expect(doc.ok).toBe(false);
  expect(doc.errors.length).toBeGreaterThan(0);
  for (const e of doc.errors) {
    expect(typeof e.message).toBe("string");
    expect(typeof e.messageEn).toBe("string");
  }
  if (before !== null) expect(await sha(input)).toBe(before);
  const leftovers = (await fs.readdir(dir)).filter((f) => f.endsWith(".tmp") || f.endsWith(".out.xlsx"));
  expect(leftovers).toEqual([]);
  return refreshed;
}

describe("exit 2: the input cannot be used", () => {
  it("a missing required name is named", async () => {
    const input = await fixtureFile("missing-name.xlsx", { omitNames: ["Budget"] });
    await expectUnusable(input, /Namnet Budget saknas i arbetsboken/);
  });

  it("a wrong shape names the sheet and cell", async () => {
    const input = await fixtureFile("wrong-shape.xlsx", { names: { Budget: "Underlag!$C$4:$D$7" } });
    const r = await expectUnusable(input, /Budget/);
    expect(r.err).toMatch(/Underlag!\$?C\$?4/);
  });

  it("text in a number cell names the sheet and cell", async () => {
    const input = await fixtureFile("text-in-number.xlsx", { underlag: { C5: "abc" } });
    const r = await expectUnusable(input, /Underlag!C5 \(Budget\): cellen innehåller texten "abc"/);
    const doc = JSON.parse((await run(["check", input, "--json"])).out);
    expect(doc.errors).toContainEqual(
      expect.objectContaining({ sheet: "Underlag", cell: "C5", code: "TEXT_IN_NUMBER" }),
    );
    expect(r.err).toContain("[Underlag!C5]");
  });

  it("a zero-byte file is named", async () => {
    const input = path.join(dir, "tom.xlsx");
    await fs.writeFile(input, Buffer.alloc(0));
    await expectUnusable(input, /Filen tom\.xlsx kan inte läsas: filen är tom/);
  });

  it("a file that is not a zip is named", async () => {
    const input = path.join(dir, "inte-zip.xlsx");
    await fs.writeFile(input, Buffer.from([0, 1, 2, 3, 250, 251, 252, 253]));
    await expectUnusable(input, /Filen inte-zip\.xlsx kan inte läsas: filen är ingen Excel-arbetsbok/);
  });

  it("a CSV file renamed to .xlsx is named", async () => {
    const input = path.join(dir, "export.xlsx");
    await fs.writeFile(input, "Post;Budget;Utfall\nIntäkter;100;50\n");
    await expectUnusable(input, /Filen export\.xlsx kan inte läsas: filen är en textfil \(CSV\)/);
  });

  it("a missing file is named", async () => {
    await expectUnusable(
      path.join(dir, "finns-inte.xlsx"),
      /Filen finns-inte\.xlsx kan inte läsas: filen finns inte/,
    );
  });
});

describe("arguments", () => {
  it("--help prints the Swedish usage and exits 0", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(USAGE);
    expect(r.out).toMatch(/Användning:/);
    expect(r.err).toBe("");
  });

  it("no arguments prints the usage on stderr and exits 2", async () => {
    const r = await run([]);
    expect(r).toEqual({ code: 2, out: "", err: USAGE });
  });

  it.each([
    [["rita", "x.xlsx"], "Okänt kommando: rita"],
    [["refresh"], "refresh kräver en arbetsbok (IN.xlsx)."],
    [["refresh", "in.xlsx"], "refresh kräver --out UT.xlsx (eller --in-place)."],
    [["refresh", "in.xlsx", "--out"], "--out kräver ett filnamn."],
    [["refresh", "in.xlsx", "--out", "--json"], "--out kräver ett filnamn."],
    [["refresh", "in.xlsx", "--out", "a.xlsx", "--out", "b.xlsx"], "--out anges mer än en gång."],
    [
      ["refresh", "in.xlsx", "--out", "a.xlsx", "--period", "13"],
      '--period kräver en månad 1–12 (fick "13").',
    ],
    [["check", "in.xlsx", "--period", "4.5"], '--period kräver en månad 1–12 (fick "4.5").'],
    [["check", "in.xlsx", "--period=abc"], '--period kräver en månad 1–12 (fick "abc").'],
    [["check", "in.xlsx", "--verbose"], "Okänd flagga: --verbose"],
    [["check", "in.xlsx", "extra"], "Oväntat argument: extra"],
    [["check", "in.xlsx", "--out", "a.xlsx"], "check skriver ingenting; --out och --in-place gäller inte."],
  ])("%j is a usage error: the reason and one line of usage, exit 2", async (argv, reason) => {
    const r = await run(argv);
    expect(r).toEqual({ code: 2, out: "", err: `Fel: ${reason}\n${USAGE_LINE}\n` });
  });

  it("refuses to overwrite IN without --in-place, and refresh without --out", async () => {
    const input = await fixtureFile("args.xlsx");
    const before = await sha(input);
    expect((await run(["refresh", input, "--out", input])).code).toBe(2);
    expect((await run(["refresh", input])).code).toBe(2);
    expect((await run(["refresh", input, "--out", "x.xlsx", "--period", "13"])).code).toBe(2);
    expect((await run(["rita", input])).code).toBe(2);
    expect(await sha(input)).toBe(before);
  });

  it("takes --out=FILE and --period=M, and -- before a file name that starts with a dash", async () => {
    const input = await fixtureFile("-streck.xlsx");
    const out = path.join(dir, "likhet.xlsx");
    const r = await run(["refresh", "--period=3", `--out=${out}`, "--", input]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Period: januari–mars 2019/);
    expect(await exists(out)).toBe(true);
  });
});

describe("check lists the findings", () => {
  it("with level, cell and message, after the counts", async () => {
    const input = await fixtureFile("fynd.xlsx", { underlag: { C5: "-3 600" } });
    const r = await run(["check", input]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Kontroller: 0 fel, 1 varning, 0 upplysningar$/m);
    expect(r.out).toMatch(
      /^ {2}varning {5}Underlag!C5 {2}Underlag!C5 \(Budget\): talet "-3 600" är lagrat som text; det räknas som -3 600\./m,
    );
    const doc = JSON.parse((await run(["check", input, "--json"])).out);
    const listed = r.out.split("\n").filter((l) => /^ {2}(fel|varning|upplysning) /.test(l));
    expect(listed).toHaveLength(doc.findings.length);
    for (const f of doc.findings) expect(r.out).toContain(f.message);
  });

  it("caps the list and the number of errors shown", async () => {
    const spec = bookSpec(120);
    const underlag = spec.sheets.find((x) => x.name === "Underlag")!;
    for (let i = 0; i < 120; i++) underlag.rows[9 + i][2] = `fel ${i}`;
    const input = path.join(dir, "manga-fel.xlsx");
    await fs.writeFile(input, await xlsxBytes(spec));
    const r = await run(["check", input]);
    expect(r.code).toBe(2);
    const lines = r.err.trim().split("\n");
    expect(lines[0]).toBe("Arbetsboken kan inte användas; ingenting skrevs.");
    expect(lines).toHaveLength(1 + 50 + 1);
    expect(lines[51]).toBe("- … och 70 fel till (alla finns i --json)");
    const doc = JSON.parse((await run(["check", input, "--json"])).out);
    expect(doc.errors).toHaveLength(120);
  });
});

describe("--out carries the extension of the format written", () => {
  it("an .xlsx workbook is not written as .xlsm, and the extension's case does not matter", async () => {
    const input = await fixtureFile("format.xlsx");
    const wrong = path.join(dir, "format-ut.xlsm");
    const r = await run(["refresh", input, "--out", wrong]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `Resultatet kan inte skrivas dit; ingenting skrevs.\n- ${wrong} har fel filändelse: arbetsboken är en vanlig arbetsbok (.xlsx) och skrivs som .xlsx. Ange --out med filändelsen .xlsx.\n`,
    );
    expect(await exists(wrong)).toBe(false);
    expect((await run(["refresh", input, "--out", path.join(dir, "format-ut.XLSX")])).code).toBe(0);
  });

  it("a macro workbook must be written as .xlsm", async () => {
    const plain = await fixtureFile("makro-bas.xlsx");
    const input = path.join(dir, "makro.xlsm");
    execFileSync("/usr/bin/python3", [
      "-c",
      "import importlib.util as u, sys; s = u.spec_from_file_location('bp', sys.argv[1]); m = u.module_from_spec(s); s.loader.exec_module(m); m.macro(sys.argv[2], sys.argv[3])",
      path.join(root, "scripts", "build-producers.py"),
      plain,
      input,
    ]);
    const wrong = path.join(dir, "makro-ut.xlsx");
    const r = await run(["refresh", input, "--out", wrong, "--json"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).errors).toEqual([
      expect.objectContaining({
        code: "OUT_EXTENSION",
        message: `${wrong} har fel filändelse: arbetsboken är en arbetsbok med makron (.xlsm) och skrivs som .xlsm. Ange --out med filändelsen .xlsm.`,
      }),
    ]);
    expect(await exists(wrong)).toBe(false);
    const right = path.join(dir, "makro-ut.xlsm");
    expect((await run(["refresh", input, "--out", right])).code).toBe(0);
    const copy = path.join(dir, "makro-kopia.xlsm");
    await fs.copyFile(input, copy);
    expect((await run(["refresh", copy, "--in-place"])).code).toBe(0);
  });
});

describe("progress on a terminal", () => {
  let large: string;
  beforeAll(async () => {
    // A small workbook made large by a picture's worth of bytes, as an embedded image makes it.
    large = path.join(dir, "stor.xlsx");
    execFileSync("/usr/bin/python3", [
      "-c",
      "import sys, shutil, zipfile, os; shutil.copy(sys.argv[1], sys.argv[2]); z = zipfile.ZipFile(sys.argv[2], 'a'); z.writestr('xl/media/image1.png', os.urandom(int(sys.argv[3]))); z.close()",
      await fixtureFile("stor-bas.xlsx"),
      large,
      String(PROGRESS_FROM_BYTES),
    ]);
    expect((await fs.stat(large)).size).toBeGreaterThanOrEqual(PROGRESS_FROM_BYTES);
  });

  it("a large file shows the steps on an interactive stderr, cleared before the summary", async () => {
    const r = await run(["refresh", large, "--out", path.join(dir, "stor-ut.xlsx")], true);
    expect(r.code).toBe(0);
    for (const step of ["öppnar stor.xlsx (", "läser arbetsboken", "räknar", "skriver resultatet", "sparar "])
      expect(r.err).toContain(`\r\x1b[2KUppföljaren: ${step}`);
    expect(r.err.endsWith("\r\x1b[2K")).toBe(true);
    expect(r.out).toMatch(/^Uppföljaren – stor\.xlsx\n/);
  });

  it("not with --json, not when stderr is no terminal, and not for a small file", async () => {
    expect((await run(["check", large, "--json"], true)).err).toBe("");
    expect((await run(["check", large], false)).err).toBe("");
    expect((await run(["check", await fixtureFile("liten.xlsx")], true)).err).toBe("");
  });

  it("from the built bin on a real terminal (a pseudo-terminal from script(1))", () => {
    execFileSync(process.execPath, [path.join(root, "scripts", "build-cli.js")], { cwd: root });
    const bin = path.join(root, "bin", "uppfoljaren.js");
    const command = [process.execPath, bin, "check", large].map((a) => `'${a}'`).join(" ");
    const r = spawnSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("\r\x1b[2KUppföljaren: läser arbetsboken…");
    expect(r.stdout).toContain("Kontroll klar; ingenting skrevs.");
  });

  it("not from the built bin when stderr is a pipe", () => {
    execFileSync(process.execPath, [path.join(root, "scripts", "build-cli.js")], { cwd: root });
    const r = spawnSync(process.execPath, [path.join(root, "bin", "uppfoljaren.js"), "check", large], {
      encoding: "utf8",
    });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
  });
});

describe("dates", () => {
  it("an impossible period date is refused at its cell, not rolled over", async () => {
    const input = await fixtureFile("30-februari.xlsx", { underlag: { B10: "2019-02-30" } });
    const r = await expectUnusable(
      input,
      /Underlag!B10 \(Period\): datumet "2019-02-30" finns inte i kalendern/,
    );
    expect(r.err).toContain("[Underlag!B10]");
  });
});

describe("refresh and check", () => {
  it("check validates and writes nothing", async () => {
    const input = await fixtureFile("check.xlsx");
    const before = await sha(input);
    const files = await fs.readdir(dir);
    const r = await run(["check", input]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Kontroll klar; ingenting skrevs\./);
    expect(await fs.readdir(dir)).toEqual(files);
    expect(await sha(input)).toBe(before);
  });

  it("refresh writes OUT, leaves IN byte-identical, and --json has the documented shape", async () => {
    const input = await fixtureFile("refresh.xlsx");
    const before = await sha(input);
    const out = path.join(dir, "sub", "refresh-ut.xlsx");
    const r = await run(["refresh", input, "--out", out, "--json"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(await exists(out)).toBe(true);
    expect(await sha(input)).toBe(before);
    const doc = JSON.parse(r.out);
    expect(doc.period).toEqual({ year: 2019, month: 4 });
    expect(doc.unit).toBe("tkr");
    expect(Object.keys(doc.lines[0]).sort()).toEqual(
      [
        "actual",
        "annualBudget",
        "backtest",
        "deviation",
        "explanation",
        "forecast",
        "forecastChange",
        "forecastDeviation",
        "kind",
        "label",
        "method",
        "periodBudget",
      ].sort(),
    );
    expect(doc.lines[0]).toMatchObject({
      label: "Verksamhetens intäkter",
      kind: "revenue",
      actual: 450,
      annualBudget: 1200,
      backtest: null,
    });
    expect(Object.keys(doc.lines[0].explanation).sort()).toEqual(["forecast", "periodBudget"]);
    expect(doc.lines[0].explanation.periodBudget).toBe("1 200 × 4/12 = 400 (linjärt)");
    expect(Object.keys(doc.result).sort()).toEqual(
      [
        "actual",
        "annualBudget",
        "balanceTarget",
        "deviation",
        "deviationVsBalanceTarget",
        "forecast",
        "forecastChange",
        "forecastDeviation",
        "periodBudget",
      ].sort(),
    );
    expect(doc.result.actual).toBe(450 - 1300);
    expect(doc.actionPlan).toEqual({ areas: [], forecastTotal: 0, decidedTotal: 0 });
    expect(Array.isArray(doc.volumes)).toBe(true);
    for (const f of doc.findings) expect(Object.keys(f).sort()).toEqual(["cell", "code", "level", "message"]);
  });

  it("--in-place rewrites IN (and only then)", async () => {
    const input = await fixtureFile("in-place.xlsx");
    const before = await sha(input);
    const r = await run(["refresh", input, "--in-place"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Skrev: ${input}`);
    expect(await sha(input)).not.toBe(before);
  });
});

describe("the built bin", () => {
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(root, "scripts", "build-cli.js")], { cwd: root });
  });

  it("runs --help, and exits 2 on an unusable file with a Swedish message", async () => {
    const bin = path.join(root, "bin", "uppfoljaren.js");
    const help = spawnSync(process.execPath, [bin, "--help"], { encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/uppfoljaren refresh IN\.xlsx --out UT\.xlsx/);
    const empty = path.join(dir, "bin-tom.xlsx");
    await fs.writeFile(empty, Buffer.alloc(0));
    const out = path.join(dir, "bin-ut.xlsx");
    const r = spawnSync(process.execPath, [bin, "refresh", empty, "--out", out], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Filen bin-tom\.xlsx kan inte läsas: filen är tom/);
    expect(await exists(out)).toBe(false);
  });

  it("refreshes a workbook", async () => {
    const input = await fixtureFile("bin-in.xlsx");
    const out = path.join(dir, "bin-refreshed.xlsx");
    const r = spawnSync(
      process.execPath,
      [path.join(root, "bin", "uppfoljaren.js"), "refresh", input, "--out", out],
      {
        encoding: "utf8",
      },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Prognos budgetavvikelse helår 2019: /);
    expect(await exists(out)).toBe(true);
  });
});
