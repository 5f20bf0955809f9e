/**
 * The producer matrix's inputs: the bundled sample as other programs write it (issue: real files from
 * any producer come out whole). Built from the sample on every machine; nothing binary is checked in.
 *
 * - exceljs: the sample itself (scripts/build-sample.ts writes it with ExcelJS);
 * - libreoffice: `soffice --headless --convert-to xlsx` of the sample (Excel 2007–365 filter);
 * - sheetjs: SheetJS (the `xlsx` npm package) read + write of the sample;
 * - openpyxl, openpyxl-chartsheet, dotnet, minimal, inline-strings, empty-rows, macro:
 *   scripts/build-producers.py (Debian's python3-openpyxl; see that file for what each one is).
 *
 * Everything lands in one directory keyed by a hash of the builders, so the slow LibreOffice conversion
 * runs once per machine and change (test/integration/producers.test.ts builds into build/producers/).
 */
import { execFile } from "child_process";
import { createHash } from "crypto";
import { existsSync, promises as fs } from "fs";
import * as path from "path";
import { promisify } from "util";
import { buildSample } from "./build-sample";

const run = promisify(execFile);

/** The project root: the nearest directory above this file (or its bundle) with a package.json. */
function projectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (dir === path.dirname(dir)) throw new Error(`no package.json above ${__dirname}`);
  }
}
const ROOT = projectRoot();
const SCRIPTS = path.join(ROOT, "scripts");

export interface Producer {
  name: string;
  /** The file's extension: what the refresh must write it as. */
  ext: "xlsx" | "xlsm";
  file: string;
  /** Why the file could not be built (the producer's test fails with it). */
  error?: string;
}

const PYTHON_PRODUCERS: [string, "xlsx" | "xlsm"][] = [
  ["openpyxl", "xlsx"],
  ["openpyxl-chartsheet", "xlsx"],
  ["openpyxl-features", "xlsx"],
  ["dotnet", "xlsx"],
  ["minimal", "xlsx"],
  ["inline-strings", "xlsx"],
  ["empty-rows", "xlsx"],
  ["macro", "xlsm"],
];

export const PRODUCER_NAMES = ["exceljs", "libreoffice", "sheetjs", ...PYTHON_PRODUCERS.map(([n]) => n)];

async function builderKey(): Promise<string> {
  const hash = createHash("sha256");
  for (const f of ["build-sample.ts", "build-producers.ts", "build-producers.py"])
    hash.update(await fs.readFile(path.join(SCRIPTS, f)));
  // Resolved as the producers load them, so a set built with a package is never reused without it.
  for (const pkg of ["exceljs", "xlsx"]) hash.update(`${pkg}@${versionOf(pkg)}`);
  return hash.digest("hex").slice(0, 16);
}

function versionOf(pkg: string): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return "missing";
  }
}

async function libreOffice(sample: string, dir: string): Promise<string> {
  const work = path.join(dir, "libreoffice-work");
  await fs.mkdir(work, { recursive: true });
  const input = path.join(work, "libreoffice.xlsx");
  await fs.copyFile(sample, input);
  const outDir = path.join(work, "out");
  // A private profile: a second soffice (another test, the user's desktop) must not share its lock.
  await run(
    "soffice",
    [
      `-env:UserInstallation=file://${path.join(work, "profile")}`,
      "--headless",
      "--convert-to",
      "xlsx:Calc MS Excel 2007 XML",
      "--outdir",
      outDir,
      input,
    ],
    { timeout: 180_000 },
  );
  const file = path.join(dir, "libreoffice.xlsx");
  await fs.rename(path.join(outDir, "libreoffice.xlsx"), file);
  await fs.rm(work, { recursive: true, force: true });
  return file;
}

async function sheetJs(sample: string, dir: string): Promise<string> {
  // Loaded at run time so that a missing devDependency fails this producer loudly, not the whole build.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const XLSX = require("xlsx") as SheetJs;
  const wb = XLSX.read(await fs.readFile(sample), { type: "buffer" });
  const file = path.join(dir, "sheetjs.xlsx");
  await fs.writeFile(file, XLSX.write(wb, { type: "buffer", bookType: "xlsx" }));
  return file;
}

/** The two SheetJS calls used here (the package's own types need the package installed to typecheck). */
interface SheetJs {
  read(data: Buffer, options: { type: "buffer" }): unknown;
  write(wb: unknown, options: { type: "buffer"; bookType: "xlsx" }): Buffer;
}

/** A producer whose build failed still appears, with the reason, so its test fails rather than vanishes. */
async function attempt(name: string, ext: "xlsx", build: () => Promise<string>): Promise<Producer> {
  try {
    return { name, ext, file: await build() };
  } catch (e) {
    return { name, ext, file: "", error: `${name} could not be built: ${(e as Error).message}` };
  }
}

/**
 * Builds (or reuses) every producer's file under `root`; returns them in PRODUCER_NAMES order. Builds in
 * a private directory and renames it into place, so two test runs at once never see a half-built set.
 */
export async function buildProducers(root: string): Promise<Producer[]> {
  const key = await builderKey();
  const dir = path.join(root, key);
  const cached = await readDone(dir);
  if (cached) return cached;
  await removeAbandoned(root);
  const tmp = path.join(root, `${key}.${process.pid}.tmp`);
  await fs.mkdir(tmp, { recursive: true });
  const built = await buildAll(tmp);
  if (built.some((p) => p.error)) return built; // not cached: a failed producer is tried again next time
  await fs.writeFile(
    path.join(tmp, "done.json"),
    JSON.stringify(built.map((p) => ({ ...p, file: path.basename(p.file) }))),
  );
  if (
    !(await fs.rename(tmp, dir).then(
      () => true,
      () => false,
    ))
  ) {
    // Another run finished first (use its set), or a crashed run left an incomplete one (replace it).
    if (!(await readDone(dir))) {
      await fs.rm(dir, { recursive: true, force: true });
      await fs.rename(tmp, dir);
    } else await fs.rm(tmp, { recursive: true, force: true });
  }
  for (const old of await fs.readdir(root))
    if (/^[0-9a-f]{16}$/.test(old) && old !== key)
      await fs.rm(path.join(root, old), { recursive: true, force: true });
  return (await readDone(dir))!;
}

/** Build directories of runs that are no longer running (a crash, or a set with a failed producer). */
async function removeAbandoned(root: string): Promise<void> {
  for (const entry of await fs.readdir(root).catch(() => [] as string[])) {
    const pid = /^[0-9a-f]{16}\.(\d+)\.tmp$/.exec(entry)?.[1];
    if (pid && !isRunning(Number(pid))) await fs.rm(path.join(root, entry), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return false; // this process's earlier attempt
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readDone(dir: string): Promise<Producer[] | null> {
  const text = await fs.readFile(path.join(dir, "done.json"), "utf8").catch(() => null);
  if (!text) return null;
  return (JSON.parse(text) as Producer[]).map((p) => ({ ...p, file: path.join(dir, p.file) }));
}

async function buildAll(dir: string): Promise<Producer[]> {
  const { sample } = await buildSample(path.join(dir, "sample"));
  const exceljs = path.join(dir, "exceljs.xlsx");
  await fs.copyFile(sample, exceljs);
  await run("/usr/bin/python3", [path.join(SCRIPTS, "build-producers.py"), sample, dir], {
    timeout: 120_000,
  });
  return [
    { name: "exceljs", ext: "xlsx", file: exceljs },
    await attempt("libreoffice", "xlsx", () => libreOffice(sample, dir)),
    await attempt("sheetjs", "xlsx", () => sheetJs(sample, dir)),
    ...PYTHON_PRODUCERS.map(([name, ext]) => ({ name, ext, file: path.join(dir, `${name}.${ext}`) })),
  ];
}
