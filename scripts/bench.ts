/**
 * `npm run bench` (issue 6 §1): the core, the Office.js host over the strict fake, the .xlsx runner
 * against the floor of opening and saving with the same library, and the task pane in headless Chromium.
 * Prints a Markdown report and writes it into BENCHMARKS.md between the bench markers (the hand-written
 * notes around them are kept). Not part of `npm test`; test/integration/bench-smoke.test.ts runs the same
 * functions on tiny sizes and checks only that the numbers are well formed.
 *
 * Flags: --only=core,office,xlsx,pane,units   --no-write (print only)
 * Run through scripts/bench.js's esbuild bundle: `npm run bench`.
 */
import { execFileSync } from "child_process";
import { promises as fs, readFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import XlsxPopulate from "xlsx-populate";
import { compute } from "../src/core";
import { openWorkbook } from "../src/hosts/xlsx";
import { parseConfig } from "../src/workbook/config";
import { refresh } from "../src/workbook/pipeline";
import { createFakeApi } from "../test/fakes/excel";
import { bookSpec, fakeExcel, ledgerInput, xlsxBytes } from "./bench-data";
import { benchUnits, renderUnits, type UnitsBench } from "./bench-units";

export const MB = 1024 * 1024;

export function median(values: number[]): number {
  if (values.length === 0) throw new Error("median of nothing");
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const now = () => performance.now();

// ---------------------------------------------------------------------------------------------------
// Core

export interface CoreRow {
  lines: number;
  runs: number;
  medianMs: number;
  minMs: number;
  linesPerSecond: number;
  findings: number;
}

/** Full compute() per size: one warm-up, then `runs` timed runs on the same input. */
export function benchCore(sizes: number[], runs: (lines: number) => number): CoreRow[] {
  return sizes.map((n) => {
    const input = ledgerInput(n);
    const lines = input.lines.length;
    const findings = compute(input).findings.length; // warm-up
    const times: number[] = [];
    for (let i = 0; i < runs(lines); i++) {
      const t = now();
      compute(input);
      times.push(now() - t);
    }
    const med = median(times);
    return {
      lines,
      runs: times.length,
      medianMs: med,
      minMs: Math.min(...times),
      linesPerSecond: (lines / med) * 1000,
      findings,
    };
  });
}

// ---------------------------------------------------------------------------------------------------
// Office.js host over the strict fake

export interface OfficeRow {
  lines: number;
  ok: boolean;
  syncs: number;
  /** Syncs allowed by the target: 3 up to 5 000 lines, else 2 + one per 4 MB of writes. */
  allowedSyncs: number;
  largestRequestBytes: number;
  writeBytes: number;
  ms: number;
}

export async function benchOffice(sizes: number[]): Promise<OfficeRow[]> {
  const rows: OfficeRow[] = [];
  for (const n of sizes) {
    const spec = bookSpec(n);
    const fake = fakeExcel(spec);
    const t = now();
    const outcome = await createFakeApi(fake).refresh();
    const ms = now() - t;
    const requests = fake.requests;
    const writeBytes = requests.filter((r) => r.writes > 0).reduce((s, r) => s + r.bytes, 0);
    rows.push({
      lines: spec.lines,
      ok: outcome.ok && requests.every((r) => r.ok),
      syncs: fake.syncCount,
      allowedSyncs: spec.lines <= 5000 ? 3 : 2 + Math.max(1, Math.ceil(writeBytes / (4 * MB))),
      largestRequestBytes: Math.max(0, ...requests.map((r) => r.bytes)),
      writeBytes,
      ms,
    });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// .xlsx runner against the floor (open + save with xlsx-populate), interleaved in one run

export interface XlsxRow {
  lines: number;
  fileBytes: number;
  runs: number;
  floorMs: number;
  refreshMs: number;
  /** median(refresh) / median(floor). */
  ratio: number;
  /** Median of the per-run ratios (each refresh against the floor measured next to it). */
  pairedRatio: number;
}

/** The .xlsx runner end to end, as the CLI does it: open, refresh, produce the file's bytes. */
export async function refreshXlsx(bytes: Buffer): Promise<Buffer> {
  const host = await openWorkbook(bytes, "bench.xlsx");
  const outcome = await refresh(host, parseConfig(host.configXml));
  if (!outcome.ok) throw new Error(`refresh failed: ${JSON.stringify(outcome).slice(0, 400)}`);
  return host.output();
}

/** The floor: merely open and save the same bytes with the same library. */
export async function openAndSave(bytes: Buffer): Promise<Buffer> {
  const wb = await XlsxPopulate.fromDataAsync(bytes);
  return (await wb.outputAsync()) as Buffer;
}

export async function benchXlsx(sizes: number[], runs: (lines: number) => number): Promise<XlsxRow[]> {
  const rows: XlsxRow[] = [];
  for (const n of sizes) {
    const spec = bookSpec(n);
    const bytes = await xlsxBytes(spec);
    await openAndSave(bytes); // warm-up both paths
    await refreshXlsx(bytes);
    const floor: number[] = [];
    const full: number[] = [];
    const pairs: number[] = [];
    for (let i = 0; i < runs(spec.lines); i++) {
      // Alternate the order so neither side always runs on a freshly collected heap.
      const order = i % 2 === 0 ? [openAndSave, refreshXlsx] : [refreshXlsx, openAndSave];
      const times = new Map<unknown, number>();
      for (const f of order) {
        const t = now();
        await f(bytes);
        times.set(f, now() - t);
      }
      floor.push(times.get(openAndSave)!);
      full.push(times.get(refreshXlsx)!);
      pairs.push(times.get(refreshXlsx)! / times.get(openAndSave)!);
    }
    rows.push({
      lines: spec.lines,
      fileBytes: bytes.length,
      runs: floor.length,
      floorMs: median(floor),
      refreshMs: median(full),
      ratio: median(full) / median(floor),
      pairedRatio: median(pairs),
    });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// Task pane: initial JS (gzip) of the production build and time to ready in headless Chromium

export interface PaneResult {
  files: { name: string; bytes: number; gzipBytes: number }[];
  gzipBytes: number;
  runs: number;
  readyMs: number;
  readyAll: number[];
}

const ROOT = path.join(__dirname, "..");
const WEB = path.join(ROOT, "dist", "web");

/** The local scripts taskpane.html loads (office.js comes from Microsoft's CDN and is not counted). */
export function initialScripts(html: string): string[] {
  // The production HTML is minified: attribute quotes may be gone.
  return [...html.matchAll(/<script\b[^>]*?\bsrc=["']?([^"'\s>]+)/g)]
    .map((m) => m[1])
    .filter((src) => !/^https?:/i.test(src))
    .map((src) => src.replace(/^\.?\//, ""));
}

export async function benchPane(runs: number): Promise<PaneResult> {
  execFileSync(
    process.execPath,
    [path.join(ROOT, "node_modules", ".bin", "webpack"), "--mode", "production"],
    {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const html = readFileSync(path.join(WEB, "taskpane.html"), "utf8");
  const files = initialScripts(html).map((name) => {
    const data = readFileSync(path.join(WEB, name));
    return { name, bytes: data.length, gzipBytes: zlib.gzipSync(data, { level: 9 }).length };
  });

  // The browser tests' helpers: loopback server, office.js stub over the strict fake, sample workbook.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const harness = require(path.join(ROOT, "scripts", "pane-harness.js")) as typeof import("./pane-harness");
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), "uppfoljaren-bench-"));
  const executablePath = harness.ensureChromium();
  const stub = readFileSync(harness.buildOfficeStub(path.join(tmp, "office-stub.js")), "utf8");
  const sample = await harness.buildSampleWorkbook(path.join(tmp, "sample"));
  const { server, url } = await harness.serve(WEB, { files: { "/sample.xlsx": sample } });
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath,
    args: harness.CHROMIUM_ARGS,
  });
  const readyAll: number[] = [];
  try {
    for (let i = 0; i <= runs; i++) {
      const context = await browser.newContext({ viewport: { width: 320, height: 900 }, locale: "sv-SE" });
      await context.route("**/*", (route) => {
        const u = route.request().url();
        if (u === harness.OFFICE_JS_URL)
          return route.fulfill({ status: 200, contentType: "text/javascript", body: stub });
        if (u.startsWith(url) || u.startsWith("data:")) return route.continue();
        return route.abort();
      });
      const page = await context.newPage();
      await page.goto(`${url}/taskpane.html`);
      // Ready: the refresh button is there and the workbook's period has been read (detection done).
      const handle = await page.waitForFunction(
        () => {
          const button = [...document.querySelectorAll("button")].some((b) =>
            (b.textContent ?? "").includes("Uppdatera prognos"),
          );
          return button && (document.body.textContent ?? "").includes("januari–april 2019")
            ? performance.now()
            : false;
        },
        undefined,
        { polling: 5, timeout: 30_000 },
      );
      const ms = (await handle.jsonValue()) as number;
      if (i > 0) readyAll.push(ms); // the first navigation warms Chromium's own caches
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
    await fs.rm(tmp, { recursive: true, force: true });
  }
  return {
    files,
    gzipBytes: files.reduce((s, f) => s + f.gzipBytes, 0),
    runs: readyAll.length,
    readyMs: median(readyAll),
    readyAll,
  };
}

// ---------------------------------------------------------------------------------------------------
// Report

export interface BenchResults {
  core?: CoreRow[];
  office?: OfficeRow[];
  xlsx?: XlsxRow[];
  pane?: PaneResult;
  units?: UnitsBench;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  date: string;
  load: string;
}

export function machine(): Machine {
  let cpu = os.cpus()[0]?.model ?? "unknown";
  try {
    cpu = /model name\s*:\s*(.+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux: keep os.cpus()
  }
  return {
    cpu,
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    load: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" / "),
  };
}

const int = (x: number) => Math.round(x).toLocaleString("en-US").replace(/,/g, " ");
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : int(x));
const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
const mbs = (b: number) => (b >= MB ? `${(b / MB).toFixed(2)} MB` : kb(b));
const verdict = (ok: boolean) => (ok ? "met" : "**missed**");

export function renderMarkdown(r: BenchResults, m: Machine): string {
  const out: string[] = [
    `Run ${m.date} on ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB RAM, Node ${m.node}; load average at the end ${m.load}.`,
    "",
  ];
  if (r.core) {
    const big = r.core.find((c) => c.lines >= 100_000);
    out.push(
      "### Core: full `compute()`",
      "",
      "| lines | runs | median | fastest | lines per second | findings |",
      "|---:|---:|---:|---:|---:|---:|",
      ...r.core.map(
        (c) =>
          `| ${int(c.lines)} | ${c.runs} | ${ms(c.medianMs)} ms | ${ms(c.minMs)} ms | ${int(c.linesPerSecond)} | ${c.findings} |`,
      ),
      "",
      big
        ? `Target 100 000 lines < 100 ms: ${verdict(big.medianMs < 100)} (median ${ms(big.medianMs)} ms).`
        : "",
      "",
    );
  }
  if (r.office) {
    out.push(
      "### Office.js host over the strict fake: whole refresh",
      "",
      "| lines | syncs | allowed | largest request | write bytes | time (fake) | target |",
      "|---:|---:|---:|---:|---:|---:|---|",
      ...r.office.map(
        (o) =>
          `| ${int(o.lines)} | ${o.syncs} | ${o.allowedSyncs} | ${mbs(o.largestRequestBytes)} | ${mbs(o.writeBytes)} | ${int(o.ms)} ms | ${verdict(o.ok && o.syncs <= o.allowedSyncs && o.largestRequestBytes <= 5 * MB)} |`,
      ),
      "",
    );
  }
  if (r.xlsx) {
    out.push(
      "### .xlsx runner: open + refresh + save vs open + save (xlsx-populate), interleaved",
      "",
      "| lines | file | runs | floor (open+save) | refresh end to end | ratio of medians | median paired ratio | target ≤ 1.3 |",
      "|---:|---:|---:|---:|---:|---:|---:|---|",
      ...r.xlsx.map(
        (x) =>
          `| ${int(x.lines)} | ${mbs(x.fileBytes)} | ${x.runs} | ${int(x.floorMs)} ms | ${int(x.refreshMs)} ms | ${x.ratio.toFixed(2)} | ${x.pairedRatio.toFixed(2)} | ${verdict(x.ratio <= 1.3)} |`,
      ),
      "",
    );
  }
  if (r.pane) {
    const p = r.pane;
    out.push(
      "### Task pane (production build, headless Chromium, fake host with the sample workbook)",
      "",
      "| initial JS file | size | gzip |",
      "|---|---:|---:|",
      ...p.files.map((f) => `| ${f.name} | ${kb(f.bytes)} | ${kb(f.gzipBytes)} |`),
      `| **total** | ${kb(p.files.reduce((s, f) => s + f.bytes, 0))} | **${kb(p.gzipBytes)}** |`,
      "",
      `Initial JS ≤ 250 KB gzip: ${verdict(p.gzipBytes <= 250 * 1024)}. Navigation → ready (button shown and workbook ` +
        `detected), median of ${p.runs}: **${int(p.readyMs)} ms** (all: ${p.readyAll.map(int).join(", ")}); ` +
        `target < 1 500 ms: ${verdict(p.readyMs < 1500)}.`,
      "",
    );
  }
  if (r.units) out.push(renderUnits(r.units));
  return out.join("\n");
}

export const BEGIN = "<!-- bench:begin (written by npm run bench) -->";
export const END = "<!-- bench:end -->";

export function spliceReport(doc: string, report: string): string {
  const i = doc.indexOf(BEGIN);
  const j = doc.indexOf(END);
  if (i < 0 || j < i) return `${doc.trimEnd()}\n\n${BEGIN}\n${report}\n${END}\n`;
  return `${doc.slice(0, i + BEGIN.length)}\n${report}\n${doc.slice(j)}`;
}

async function main(argv: string[]): Promise<void> {
  const only = argv
    .find((a) => a.startsWith("--only="))
    ?.slice(7)
    .split(",");
  const want = (part: string) => !only || only.includes(part);
  const results: BenchResults = {};
  const log = (s: string) => process.stderr.write(`${s}\n`);
  if (want("core")) {
    log("core …");
    results.core = benchCore([100, 1_000, 10_000, 100_000], (n) => (n >= 100_000 ? 5 : 7));
  }
  if (want("office")) {
    log("office host …");
    results.office = await benchOffice([100, 5_000, 50_000]);
  }
  if (want("xlsx")) {
    log(".xlsx runner …");
    results.xlsx = await benchXlsx([1_000, 20_000], (n) => (n >= 20_000 ? 5 : 7));
  }
  if (want("pane")) {
    log("task pane …");
    results.pane = await benchPane(5);
  }
  if (want("units")) {
    log("units …");
    results.units = await benchUnits();
  }
  const report = renderMarkdown(results, machine());
  process.stdout.write(`${report}\n`);
  if (!argv.includes("--no-write") && !only) {
    const file = path.join(ROOT, "BENCHMARKS.md");
    const doc = await fs.readFile(file, "utf8").catch(() => "# Benchmarks\n");
    // Formatted like every other file (`prettier --check .` runs in npm test).
    const prettier = await import("prettier");
    const options = (await prettier.resolveConfig(file)) ?? {};
    await fs.writeFile(
      file,
      await prettier.format(spliceReport(doc, report), { ...options, filepath: file }),
    );
    log(`wrote ${file}`);
  }
}

// Bundled, this file is the entry only as build/bench.js (other bundles import its functions).
if (require.main === module && /bench\.js$/.test(process.argv[1] ?? "")) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
