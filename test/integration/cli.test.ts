/**
 * The command-line runner in-process through main(): exit codes, Swedish messages naming the sheet and
 * cell, nothing written on exit 2, the input byte-identical after every run, --json, check writes nothing.
 * The built bin (dist/cli.js via bin/uppfoljaren.js) is exercised once via child_process.
 */
import { execFileSync, spawnSync } from "child_process";
import { createHash } from "crypto";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { main, type CliIo } from "../../src/cli/main";
import { buildFidelityFixture, type FixtureOptions } from "../fixtures/fidelity";

const root = path.join(__dirname, "..", "..");
let dir: string;

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

async function run(argv: string[]): Promise<Run> {
  let out = "";
  let err = "";
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t) };
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
    expect(r.out).toMatch(/Användning:/);
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
        "deviation",
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
    });
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
