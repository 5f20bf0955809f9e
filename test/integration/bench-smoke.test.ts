/**
 * A tiny run of `npm run bench`'s own code (scripts/bench.ts): it must produce well-formed numbers and a
 * well-formed report. No timing targets here; those live in BENCHMARKS.md, measured by `npm run bench`.
 */
import {
  BEGIN,
  END,
  benchBacktest,
  benchCore,
  benchOffice,
  benchXlsx,
  initialScripts,
  machine,
  median,
  renderMarkdown,
  spliceReport,
} from "../../scripts/bench";
import { bookSpec, ledgerInput } from "../../scripts/bench-data";

jest.setTimeout(60_000);

const positive = (x: number) => Number.isFinite(x) && x > 0;

test("median of odd and even samples", () => {
  expect(median([5, 1, 3])).toBe(3);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(() => median([])).toThrow();
});

test("the synthetic ledger mixes every method, varav and total lines, measures and last year", () => {
  const input = ledgerInput(40);
  expect(input.lines).toHaveLength(40);
  const methods = new Set(input.lines.map((l) => l.method ?? "default"));
  for (const m of ["linear", "days", "budget", "seasonal", "zero", "default"]) expect(methods).toContain(m);
  expect(input.lines.some((l) => l.kind === "ofWhich")).toBe(true);
  expect(input.lines.some((l) => l.kind === "total")).toBe(true);
  expect(input.lines.some((l) => l.manualForecast !== null)).toBe(true);
  expect(input.lines.some((l) => l.lastYearMonthly)).toBe(true);
  expect(input.measures!.length).toBeGreaterThan(0);
  expect(bookSpec(40).lines).toBe(40);
});

test("core, Office host and .xlsx runner benchmarks give well-formed numbers and a report", async () => {
  const core = benchCore([20, 100], () => 2);
  expect(core.map((c) => c.lines)).toEqual([20, 100]);
  for (const c of core) {
    expect(c.runs).toBe(2);
    expect(positive(c.medianMs)).toBe(true);
    expect(c.minMs).toBeLessThanOrEqual(c.medianMs);
    expect(positive(c.linesPerSecond)).toBe(true);
    expect(Number.isInteger(c.findings)).toBe(true);
  }

  const [office] = await benchOffice([20]);
  expect(office.ok).toBe(true);
  expect(office.lines).toBe(20);
  expect(Number.isInteger(office.syncs) && office.syncs >= 2).toBe(true);
  expect(office.allowedSyncs).toBe(3);
  expect(positive(office.largestRequestBytes)).toBe(true);
  expect(positive(office.writeBytes)).toBe(true);

  const [xlsx] = await benchXlsx([20], () => 2);
  expect(xlsx.lines).toBe(20);
  expect(xlsx.runs).toBe(2);
  for (const x of [xlsx.fileBytes, xlsx.floorMs, xlsx.refreshMs, xlsx.ratio, xlsx.pairedRatio])
    expect(positive(x)).toBe(true);
  expect(xlsx.ratio).toBeCloseTo(xlsx.refreshMs / xlsx.floorMs, 10);

  const m = machine();
  expect(m.cores).toBeGreaterThan(0);
  expect(m.node).toMatch(/^v\d+/);
  const report = renderMarkdown({ core, office: [office], xlsx: [xlsx] }, m);
  expect(report).toContain("| 100 | 2 |");
  expect(report).toContain("### Office.js host");
  expect(report).toContain("### .xlsx runner");
  expect(report).not.toMatch(/NaN|undefined|Infinity/);
});

test("the report replaces only what lies between the markers", () => {
  const doc = `# Benchmarks\n\nnotes before\n\n${BEGIN}\nold numbers\n${END}\n\nnotes after\n`;
  const out = spliceReport(doc, "new numbers");
  expect(out).toBe(`# Benchmarks\n\nnotes before\n\n${BEGIN}\nnew numbers\n${END}\n\nnotes after\n`);
  expect(spliceReport("# B\n", "x")).toBe(`# B\n\n${BEGIN}\nx\n${END}\n`);
});

test("the pane's initial scripts are the local <script src> of taskpane.html", () => {
  const html =
    '<script src="https://appsforoffice.microsoft.com/lib/1/hosted/office.js"></script>' +
    '<script defer="defer" src="vendor.1234abcd.js"></script><script src="./taskpane.abcd1234.js"></script>';
  expect(initialScripts(html)).toEqual(["vendor.1234abcd.js", "taskpane.abcd1234.js"]);
  // Minified by html-webpack-plugin: no quotes.
  const minified =
    "<script src=https://appsforoffice.microsoft.com/lib/1/hosted/office.js></script>" +
    "<script defer src=taskpane.78e49d51.js></script>";
  expect(initialScripts(minified)).toEqual(["taskpane.78e49d51.js"]);
});

test("the backtest benchmark backtests every non-total line and reports its share", () => {
  const b = benchBacktest(40, 2);
  expect(b.lines).toBe(40);
  expect(b.backtested).toBe(36); // every line but the four totals
  expect([b.backtestMs, b.computeMs, b.withoutMs, b.share].every(positive)).toBe(true);
  expect(renderMarkdown({ backtest: [b] }, machine())).toContain("| 40 | 36 | 2 |");
  expect(benchBacktest(40, 1, "bench").backtested).toBe(8); // two lines in ten have last year's months
});
