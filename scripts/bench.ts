/**
 * `npm run bench` (issue 6 §1): the core, the Office.js host over the strict fake, the .xlsx runner
 * against the floor of opening and saving with the same library, and the task pane in headless Chromium.
 * Prints a Markdown report and writes it into BENCHMARKS.md between the bench markers (the hand-written
 * notes around them are kept). Not part of `npm test`; test/integration/bench-smoke.test.ts runs the same
 * functions on tiny sizes and checks only that the numbers are well formed.
 *
 * Flags: --only=core,backtest,office,xlsx,pane,units   --no-write (print only)
 * Run through scripts/bench.js's esbuild bundle: `npm run bench`.
 */
import { execFileSync } from "child_process";
import { promises as fs, readFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { compute, type LedgerInput } from "../src/core";
import { BacktestCells, backtestLines } from "../src/core/backtest";
import { readLastYear } from "../src/core/history";
import { Lines } from "../src/core/lines";
import { Findings } from "../src/core/read";
import { createFakeApi } from "../test/fakes/excel";
import { bookSpec, fakeExcel, ledgerInput, rng, xlsxBytes } from "./bench-data";
import { benchUnits, renderUnits, type UnitsBench } from "./bench-units";
import { copyPackage, refreshXlsx } from "./bench-xlsx";

export { copyPackage, refreshXlsx };

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
// Backtest: every line with two years of history and last year's budget (the most work per line)

export interface BacktestRow {
  /** "full": every line has UtfallFgAr, UtfallFgAr2 and BudgetFgAr; "bench": the bench ledger as it is. */
  ledger: "full" | "bench";
  lines: number;
  backtested: number;
  runs: number;
  /** Median of backtestLines() alone. */
  backtestMs: number;
  /** Median of the whole compute() (which includes the backtest). */
  computeMs: number;
  /** Median of compute() with `backtest: false`, as a cross-check of the share. */
  withoutMs: number;
  /** backtestMs / computeMs. */
  share: number;
  /**
   * The same as CPU time of the process (process.cpuUsage, all threads): on a loaded machine the wall
   * clock also counts the time the process waits for a core, CPU time does not.
   */
  cpu: { backtestMs: number; computeMs: number; withoutMs: number; share: number };
}

/** The bench ledger of `n` lines where every line also has UtfallFgAr, UtfallFgAr2 and BudgetFgAr. */
export function historyInput(n: number): LedgerInput {
  const input = ledgerInput(n);
  const random = rng(2018);
  const months = () => Array.from({ length: 12 }, () => Math.round((random() - 0.7) * 1000));
  for (const line of input.lines) {
    line.lastYearMonthly = months();
    line.twoYearsAgoMonthly = months();
    line.lastYearBudget = Math.round((random() - 0.7) * 12_000);
  }
  return input;
}

export function benchBacktest(n: number, runs: number, ledger: "full" | "bench" = "full"): BacktestRow {
  const input = ledger === "full" ? historyInput(n) : ledgerInput(n);
  const result = compute(input); // warm-up
  const setup = {
    year: input.period.year,
    month: input.period.month,
    periodisation: "linear" as const,
    defaultMethod: "linear" as const,
    fallbackMethod: "linear" as const,
    trendMonths: 3,
  };
  // The state compute() hands the backtest: the lines' kinds, labels, methods and varav counts, last
  // year's months as its reading step has already summed them (history.ts, outside the timing here as
  // there: the seasonal forecast needs them too), and the BudgetFgAr and UtfallFgAr2 cells it picked up
  // unread (read and reported by the backtest, inside the timing).
  const lines = new Lines(input.lines.length, "linear");
  const cells = new BacktestCells(input.lines.length);
  input.lines.forEach((item, i) => {
    const shown = result.lines[i];
    lines.kind[i] = shown.kind;
    lines.label[i] = shown.label;
    lines.method[i] = shown.method;
    if (shown.parent !== null) lines.childCount[shown.parent]++;
    readLastYear(item.lastYearMonthly, lines, i, setup, new Findings());
  });
  input.lines.forEach((item, i) => {
    if (!BacktestCells.wants(lines, i)) return;
    cells.budget[i] = item.lastYearBudget;
    cells.older[i] = item.twoYearsAgoMonthly;
  });
  const run = () => backtestLines(cells, lines, setup, new Findings());
  const alone = run();
  // The timed call must do compute()'s work, not a shortcut of it.
  if (JSON.stringify(alone) !== JSON.stringify(result.backtests)) {
    throw new Error("backtestLines() alone does not give compute()'s backtests");
  }
  const backtested = alone.length;
  const without = { ...input, backtest: false };
  const wall: Record<"backtest" | "full" | "bare", number[]> = { backtest: [], full: [], bare: [] };
  const cpu: Record<"backtest" | "full" | "bare", number[]> = { backtest: [], full: [], bare: [] };
  const timed = (key: "backtest" | "full" | "bare", f: () => unknown) => {
    const c = process.cpuUsage();
    const t = now();
    f();
    wall[key].push(now() - t);
    const used = process.cpuUsage(c);
    cpu[key].push((used.user + used.system) / 1000);
  };
  for (let i = 0; i < runs; i++) {
    timed("backtest", run);
    timed("full", () => compute(input));
    timed("bare", () => compute(without));
  }
  return {
    ledger,
    lines: input.lines.length,
    backtested,
    runs,
    backtestMs: median(wall.backtest),
    computeMs: median(wall.full),
    withoutMs: median(wall.bare),
    share: median(wall.backtest) / median(wall.full),
    cpu: {
      backtestMs: median(cpu.backtest),
      computeMs: median(cpu.full),
      withoutMs: median(cpu.bare),
      share: median(cpu.backtest) / median(cpu.full),
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Office.js host through Microsoft's Office.js library, against the in-memory Excel

/** 4.5 MB: the unit of the sync budget beyond 5 000 lines (10 % under Excel on the web's 5 MB limit). */
export const CHUNK_BYTES = 4_500_000;
export const PAYLOAD_LIMIT = 5_000_000;

export interface OfficeRow {
  lines: number;
  /** "first": the output columns are created; "again": a second refresh of the same workbook. */
  refresh: "first" | "again";
  ok: boolean;
  /** Requests sent by the add-in's context.sync() calls (Excel.run's clean-up request not counted). */
  syncs: number;
  readSyncs: number;
  writeSyncs: number;
  /** Requests that failed (a read retried in smaller chunks after ResponsePayloadSizeLimitExceeded). */
  failed: number;
  /** The target: 3 up to 5 000 lines, else 2 + one per 4.5 MB of serialised writes. */
  allowedSyncs: number;
  /**
   * The least any chunking could do with these bytes: one sync per 5 MB (the response limit) of read
   * answers, the metadata riding along, plus one per 4.5 MB of serialised writes (the budget's unit).
   */
  floorSyncs: number;
  largestRequestBytes: number;
  largestResponseBytes: number;
  readBytes: number;
  writeBytes: number;
  ms: number;
}

export async function benchOffice(sizes: number[]): Promise<OfficeRow[]> {
  const rows: OfficeRow[] = [];
  for (const n of sizes) {
    const spec = bookSpec(n);
    const fake = fakeExcel(spec);
    const api = createFakeApi(fake);
    for (const refresh of ["first", "again"] as const) {
      fake.resetCounters();
      const t = now();
      const outcome = await api.refresh();
      const ms = now() - t;
      const requests = fake.requests.filter((r) => !r.cleanup);
      const writes = requests.filter((r) => r.writes > 0);
      const reads = requests.filter((r) => r.writes === 0);
      const writeBytes = writes.reduce((sum, r) => sum + r.bytes, 0);
      rows.push({
        lines: spec.lines,
        refresh,
        ok: outcome.ok,
        syncs: requests.length,
        readSyncs: reads.length,
        writeSyncs: writes.length,
        failed: requests.filter((r) => !r.ok).length,
        allowedSyncs: spec.lines <= 5000 ? 3 : 2 + Math.max(1, Math.ceil(writeBytes / CHUNK_BYTES)),
        floorSyncs:
          Math.ceil(reads.reduce((sum, r) => sum + r.responseBytes, 0) / PAYLOAD_LIMIT) +
          Math.ceil(writeBytes / CHUNK_BYTES),
        largestRequestBytes: Math.max(0, ...fake.requests.map((r) => r.bytes)),
        largestResponseBytes: Math.max(0, ...fake.requests.map((r) => r.responseBytes)),
        readBytes: reads.reduce((sum, r) => sum + r.responseBytes, 0),
        writeBytes,
        ms,
      });
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// .xlsx runner against the floor (the package copied: every part inflated and deflated again)

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
  /** Peak resident memory of a process that only refreshes the file (and one that only copies it), MB. */
  refreshPeakMb?: number;
  floorPeakMb?: number;
}

export async function benchXlsx(
  sizes: number[],
  runs: (lines: number) => number,
  options: { memory?: boolean } = {},
): Promise<XlsxRow[]> {
  const rows: XlsxRow[] = [];
  for (const n of sizes) {
    const spec = bookSpec(n);
    const bytes = await xlsxBytes(spec);
    await copyPackage(bytes); // warm-up both paths
    await refreshXlsx(bytes);
    const floor: number[] = [];
    const full: number[] = [];
    const pairs: number[] = [];
    for (let i = 0; i < runs(spec.lines); i++) {
      // Alternate the order so neither side always runs on a freshly collected heap.
      const order = i % 2 === 0 ? [copyPackage, refreshXlsx] : [refreshXlsx, copyPackage];
      const times = new Map<unknown, number>();
      for (const f of order) {
        const t = now();
        await f(bytes);
        times.set(f, now() - t);
      }
      floor.push(times.get(copyPackage)!);
      full.push(times.get(refreshXlsx)!);
      pairs.push(times.get(refreshXlsx)! / times.get(copyPackage)!);
    }
    const row: XlsxRow = {
      lines: spec.lines,
      fileBytes: bytes.length,
      runs: floor.length,
      floorMs: median(floor),
      refreshMs: median(full),
      ratio: median(full) / median(floor),
      pairedRatio: median(pairs),
    };
    if (options.memory) {
      row.refreshPeakMb = await peakMb("refresh", bytes);
      row.floorPeakMb = await peakMb("copy", bytes);
    }
    rows.push(row);
  }
  return rows;
}

/**
 * Peak resident set size (getrusage's ru_maxrss) of a fresh Node process that reads the file and
 * refreshes it (or copies the package), as `uppfoljaren refresh` would. The child is its own bundle
 * (build/bench-child.js, scripts/bench-child.ts) holding only the runner, the same for both sides.
 */
async function peakMb(kind: "refresh" | "copy", bytes: Buffer): Promise<number> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "uppfoljaren-bench-mem-"));
  try {
    const file = path.join(dir, "in.xlsx");
    await fs.writeFile(file, bytes);
    const childJs = path.join(__dirname, "bench-child.js");
    const out = execFileSync(process.execPath, [childJs, kind, file], { encoding: "utf8" });
    return Number(/peakKb=(\d+)/.exec(out)![1]) / 1024;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
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
  backtest?: BacktestRow[];
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
  if (r.backtest) {
    const what = { full: "history on every line", bench: "bench ledger (2 lines in 10 have UtfallFgAr)" };
    out.push(
      "### Core: backtest on last year, and its share of `compute()`",
      "",
      "| ledger | lines | backtested | runs | clock | backtest (median) | whole compute() (median) | compute() without backtest | share |",
      "|---|---:|---:|---:|---|---:|---:|---:|---:|",
      ...r.backtest.flatMap((b) => [
        `| ${what[b.ledger]} | ${int(b.lines)} | ${int(b.backtested)} | ${b.runs} | wall | ${ms(b.backtestMs)} ms | ${ms(b.computeMs)} ms | ${ms(b.withoutMs)} ms | ${(b.share * 100).toFixed(1)} % |`,
        `| | | | | CPU | ${ms(b.cpu.backtestMs)} ms | ${ms(b.cpu.computeMs)} ms | ${ms(b.cpu.withoutMs)} ms | ${(b.cpu.share * 100).toFixed(1)} % |`,
      ]),
      "",
      ...r.backtest.map(
        (b) =>
          `Target backtest < 10 % of the core's time, ${what[b.ledger]}: ${verdict(b.share < 0.1)} (wall clock), ${verdict(b.cpu.share < 0.1)} (CPU time).`,
      ),
      "",
    );
  }
  if (r.office) {
    out.push(
      "### Office.js host through Microsoft's Office.js library (excel-web-16.00), in-memory Excel: whole refresh",
      "",
      "| lines | refresh | syncs (read + write) | allowed | floor | failed requests | largest request | largest response | read answers | write requests | time | syncs ≤ allowed | sizes < 5 MB |",
      "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
      ...r.office.map(
        (o) =>
          `| ${int(o.lines)} | ${o.refresh} | ${o.syncs} (${o.readSyncs} + ${o.writeSyncs}) | ${o.allowedSyncs} | ${o.floorSyncs} | ${o.failed} | ${mbs(o.largestRequestBytes)} | ${mbs(o.largestResponseBytes)} | ${mbs(o.readBytes)} | ${mbs(o.writeBytes)} | ${int(o.ms)} ms | ${verdict(o.ok && o.syncs <= o.allowedSyncs)} | ${verdict(o.ok && o.largestRequestBytes < PAYLOAD_LIMIT && o.largestResponseBytes < PAYLOAD_LIMIT)} |`,
      ),
      "",
      "Allowed: 3 syncs up to 5 000 lines, else 2 + one per 4.5 MB of write requests. Floor: the least any " +
        "chunking could do with these bytes, one sync per 5 MB of read answers (the metadata riding along) " +
        "plus one per 4.5 MB of write requests; failed requests count as syncs.",
      "",
    );
  }
  if (r.xlsx) {
    const peak = (x?: number) => (x === undefined ? "–" : `${x.toFixed(0)} MB`);
    out.push(
      "### .xlsx runner: open + refresh + save vs copying the package (every part inflated and deflated), interleaved",
      "",
      "| lines | file | runs | floor (package copy) | refresh end to end | ratio of medians | median paired ratio | target ≤ 2 | peak RSS refresh | peak RSS copy | target ≤ 150 MB |",
      "|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|",
      ...r.xlsx.map(
        (x) =>
          `| ${int(x.lines)} | ${mbs(x.fileBytes)} | ${x.runs} | ${int(x.floorMs)} ms | ${int(x.refreshMs)} ms | ${x.ratio.toFixed(2)} | ${x.pairedRatio.toFixed(2)} | ${verdict(x.ratio <= 2)} | ${peak(x.refreshPeakMb)} | ${peak(x.floorPeakMb)} | ${x.refreshPeakMb === undefined ? "–" : verdict(x.refreshPeakMb <= 150)} |`,
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
  if (want("backtest")) {
    log("backtest …");
    results.backtest = [benchBacktest(5_000, 21, "full"), benchBacktest(5_000, 21, "bench")];
  }
  if (want("office")) {
    log("office host …");
    results.office = await benchOffice([100, 5_000, 20_000, 50_000, 100_000]);
  }
  if (want("xlsx")) {
    log(".xlsx runner …");
    results.xlsx = await benchXlsx([1_000, 5_000, 20_000], (n) => (n >= 20_000 ? 5 : 7), { memory: true });
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
