/**
 * The runner against hostile surroundings: --out at a folder, a symbolic or hard link, a named pipe, IN
 * under another name; IN that is a folder or a pipe; workbook text that would steer the terminal. Every
 * refusal is exit 2 with a Swedish message naming the place, nothing is written or left behind, and
 * nothing from the workbook reaches the terminal raw.
 */
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { MAX_INPUT_BYTES } from "../../src/cli/files";
import { main, type CliIo } from "../../src/cli/main";
import { buildFidelityFixture, type FixtureOptions } from "../fixtures/fidelity";

jest.setTimeout(60_000);

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "uppfoljaren-hostile-"));
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
  return { code: await main(argv, io), out, err };
}

const sha = async (p: string) =>
  createHash("sha256")
    .update(await fs.readFile(p))
    .digest("hex");

async function fixture(name: string, options: FixtureOptions = {}): Promise<string> {
  const p = path.join(dir, name);
  await fs.writeFile(p, await buildFidelityFixture(options));
  return p;
}

/** What no refusal may contain: system or parser English, placeholders, stack traces. */
const LEAKS = /NaN|undefined|null|Error|ENOENT|EISDIR|ENOTDIR|EEXIST|errno|Cannot |at .*\.ts:/;

/** Exit 2, the Swedish header and reason, nothing else in the folder changed, no temp file left. */
async function expectRefused(argv: string[], reason: string): Promise<Run> {
  const before = await listing(dir);
  const r = await run(argv);
  expect(r.code).toBe(2);
  expect(r.out).toBe("");
  expect(r.err).toContain(reason);
  expect(r.err).not.toMatch(LEAKS);
  expect(await listing(dir)).toEqual(before);
  return r;
}

/** Every entry under `root` with its kind and content hash (links by their target). */
async function listing(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await fs.readdir(root)).sort()) {
    const p = path.join(root, name);
    const st = await fs.lstat(p);
    if (st.isSymbolicLink()) out.push(`${name} -> ${await fs.readlink(p)}`);
    else if (st.isDirectory()) out.push(`${name}/ [${(await listing(p)).join(", ")}]`);
    else if (st.isFile())
      out.push(`${name} ${st.size > 1 << 26 ? st.size : await sha(p)} ${st.mode.toString(8)}`);
    else out.push(`${name} (special)`);
  }
  return out;
}

const OUT_HEADER = "Resultatet kan inte skrivas dit; ingenting skrevs.";

describe("--out never lands anywhere but a regular file of its own", () => {
  let input: string;
  beforeAll(async () => {
    input = await fixture("in.xlsx");
  });

  it("an existing folder", async () => {
    const folder = path.join(dir, "mapp.xlsx");
    await fs.mkdir(folder, { recursive: true });
    const r = await expectRefused(
      ["refresh", input, "--out", folder],
      `- ${folder} kan inte skrivas: det är en mapp`,
    );
    expect(r.err.startsWith(OUT_HEADER)).toBe(true);
  });

  it("a name ending in a slash", async () => {
    await expectRefused(
      ["refresh", input, "--out", path.join(dir, "ny") + "/"],
      "kan inte skrivas: det är en mapp",
    );
  });

  it("a symbolic link to IN, and one to another file", async () => {
    const toInput = path.join(dir, "lank-till-in.xlsx");
    await fs.symlink(input, toInput);
    await expectRefused(["refresh", input, "--out", toInput], "kan inte skrivas: det är en symbolisk länk");
    const other = path.join(dir, "annan.xlsx");
    await fs.writeFile(other, "en annan fil");
    const toOther = path.join(dir, "lank-till-annan.xlsx");
    await fs.symlink(other, toOther);
    await expectRefused(["refresh", input, "--out", toOther], "kan inte skrivas: det är en symbolisk länk");
    const dangling = path.join(dir, "lank-till-ingenting.xlsx");
    await fs.symlink(path.join(dir, "finns-inte.xlsx"), dangling);
    await expectRefused(["refresh", input, "--out", dangling], "kan inte skrivas: det är en symbolisk länk");
  });

  it("a hard link to IN, and IN through a linked folder", async () => {
    const hard = path.join(dir, "hard-lank.xlsx");
    await fs.link(input, hard);
    await expectRefused(
      ["refresh", input, "--out", hard],
      "det är samma fil som IN (en hård länk eller en länkad mapp)",
    );
    await fs.rm(hard);
    const linkedDir = path.join(dir, "lankad-mapp");
    await fs.symlink(dir, linkedDir);
    await expectRefused(
      ["refresh", input, "--out", path.join(linkedDir, "in.xlsx")],
      "det är samma fil som IN (en hård länk eller en länkad mapp)",
    );
    await fs.rm(linkedDir);
  });

  it("a named pipe", async () => {
    const fifo = path.join(dir, "ror.xlsx");
    execFileSync("mkfifo", [fifo]);
    await expectRefused(
      ["refresh", input, "--out", fifo],
      "kan inte skrivas: det är ingen vanlig fil och ersätts inte",
    );
    await fs.rm(fifo);
  });

  it("a path through a file", async () => {
    await expectRefused(
      ["refresh", input, "--out", path.join(input, "ut.xlsx")],
      "kan inte skrivas: en del av sökvägen är ingen mapp.",
    );
  });

  it("replaces an existing regular file atomically, keeping its permissions", async () => {
    const out = path.join(dir, "befintlig.xlsx");
    await fs.writeFile(out, "gammalt innehåll");
    await fs.chmod(out, 0o640);
    const r = await run(["refresh", input, "--out", out]);
    expect(r.code).toBe(0);
    expect((await fs.stat(out)).mode & 0o777).toBe(0o640);
    expect((await fs.readFile(out)).subarray(0, 2).toString("latin1")).toBe("PK");
    expect((await fs.readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    await fs.rm(out);
  });
});

describe("--in-place does not write through links", () => {
  it("refuses a symbolic link and a file with several hard links", async () => {
    const real = await fixture("riktig.xlsx");
    const link = path.join(dir, "symlank.xlsx");
    await fs.symlink(real, link);
    await expectRefused(
      ["refresh", link, "--in-place"],
      "filen är en symbolisk länk, och --in-place skriver inte genom länkar",
    );
    await fs.rm(link);
    const hard = path.join(dir, "andra-namnet.xlsx");
    await fs.link(real, hard);
    await expectRefused(["refresh", real, "--in-place"], "filen har flera hårda länkar");
    await fs.rm(hard);
    await fs.rm(real);
  });
});

describe("IN that is not a regular file", () => {
  it("a folder", async () => {
    const folder = path.join(dir, "en-mapp.xlsx");
    await fs.mkdir(folder);
    await expectRefused(["check", folder], "Filen en-mapp.xlsx kan inte läsas: det är en mapp, inte en fil.");
    await fs.rmdir(folder);
  });

  it("a file over the size limit is refused before it is read", async () => {
    const huge = path.join(dir, "jatte.xlsx");
    const handle = await fs.open(huge, "w");
    await handle.truncate(MAX_INPUT_BYTES + 1); // sparse: no disk space used
    await handle.close();
    await expectRefused(["check", huge], "Filen jatte.xlsx kan inte läsas: filen är större än 1024 MB");
    await fs.rm(huge);
  });

  it("a named pipe is refused at once, not waited on", async () => {
    const fifo = path.join(dir, "in-ror.xlsx");
    execFileSync("mkfifo", [fifo]);
    await expectRefused(["check", fifo], "Filen in-ror.xlsx kan inte läsas: det är ingen vanlig fil.");
    await fs.rm(fifo);
  });
});

describe("workbook text on the terminal", () => {
  // C1 CSI (U+009B) and the bidi override are legal in XML, so a workbook can carry them.
  const hostile = "abc\u009b2J\u202eevil";

  it("is escaped in the human output and in --json, whose strings still hold the original text", async () => {
    const input = await fixture("fientlig.xlsx", { underlag: { C5: hostile } });
    const r = await run(["refresh", input, "--out", path.join(dir, "fientlig-ut.xlsx")]);
    expect(r.code).toBe(2);
    // eslint-disable-next-line no-control-regex
    expect(r.err).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(r.err).toContain("abc\\u009B2J\\u202Eevil");
    const j = await run(["check", input, "--json"]);
    expect(j.out).not.toMatch(/[\u007f-\u009f\u202a-\u202e]/);
    const doc = JSON.parse(j.out);
    expect(doc.errors[0].message).toContain(hostile);
  });

  it("escapes a sheet name in a message, and text decoded from _x001B_", async () => {
    const input = await fixture("fientligt-blad.xlsx", {
      names: { Budget: "'Bl\u009bad'!$C$4:$C$7" },
      underlag: { C6: "_x001B_[2J" },
    });
    const r = await run(["check", input]);
    expect(r.code).toBe(2);
    // eslint-disable-next-line no-control-regex
    expect(r.err).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(r.err).toContain("Bl\\u009Bad");
  });

  it("caps a long message", async () => {
    const input = await fixture("lang-text.xlsx", { underlag: { C5: "x".repeat(5000) } });
    const r = await run(["check", input]);
    expect(r.code).toBe(2);
    const line = r.err.split("\n").find((l) => l.startsWith("- "))!;
    expect(line.length).toBeLessThan(400);
    expect(line).toContain("…");
  });
});
