/**
 * Synthetic ledgers with units (Ansvar) for the benchmarks and the batch test, built on bench-data's
 * template-shaped workbooks: the same lines, plus an Ansvar column beside them (and in the Atgarder
 * table, each measure in the unit of its line).
 * - unitBookSpec(units, linesPerUnit): one workbook whose lines are split into `units` units of
 *   `linesPerUnit` lines each (whole blocks of ten, each block ending in its Summa line);
 * - unitWorkbookSpec(name, lines): one unit's own workbook (every line in unit `name`);
 * - benchUnits() / renderUnits(): the units section of `npm run bench`.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import type { BatchIo } from "../src/cli/batch";
import { main } from "../src/cli/main";
import { XlsxWorkbook } from "../src/hosts/xlsx";
import { parseConfig } from "../src/workbook/config";
import { refresh } from "../src/workbook/pipeline";
import type { RawCell } from "../src/workbook/types";
import { createFakeApi } from "../test/fakes/excel";
import { bookSpec, fakeExcel, xlsxBytes, type BookSpec } from "./bench-data";

/** The spec with an Ansvar column right of the used columns of Underlag, `unitOf(i)` for line i. */
export function withUnits(spec: BookSpec, unitOf: (line: number) => string): BookSpec {
  const poster = spec.names.find((n) => n.name === "Poster")!;
  const underlag = spec.sheets.find((s) => s.name === poster.sheet)!;
  const col = Math.max(...underlag.rows.map((r) => r.length));
  const rows = underlag.rows.map((r) => [...r]);
  const set = (row: number, value: RawCell) => {
    while (rows[row].length < col) rows[row].push(null);
    rows[row][col] = value;
  };
  set(poster.row - 1, "Ansvar");
  const unitByLabel = new Map<string, string>();
  for (let i = 0; i < poster.rows; i++) {
    const unit = unitOf(i);
    set(poster.row + i, unit);
    const label = rows[poster.row + i][poster.col];
    if (typeof label === "string" && !unitByLabel.has(label)) unitByLabel.set(label, unit);
  }
  // Atgarder: column G (beside Post) gets the unit of each measure's line.
  const table = spec.names.find((n) => n.name === "Atgarder")!;
  const atgarder = spec.sheets.find((s) => s.name === table.sheet)!;
  const measureRows = atgarder.rows.map((r) => [...r]);
  const post = table.col + 5;
  measureRows[table.row][post + 1] = "Ansvar";
  for (let i = 1; i < table.rows; i++) {
    const r = measureRows[table.row + i];
    const line = r[post];
    r[post + 1] = typeof line === "string" ? (unitByLabel.get(line) ?? null) : null;
  }
  return {
    ...spec,
    sheets: spec.sheets.map((s) =>
      s === underlag ? { ...s, rows } : s === atgarder ? { ...s, rows: measureRows } : s,
    ),
    names: [
      ...spec.names.map((n) => (n === table ? { ...n, cols: n.cols + 1 } : n)),
      { name: "Ansvar", sheet: poster.sheet, row: poster.row, col, rows: poster.rows, cols: 1 },
    ],
  };
}

/** The name of unit k (0-based): "Enhet 001" … so that names sort in order. */
export const unitLabel = (k: number): string => `Enhet ${String(k + 1).padStart(3, "0")}`;

/**
 * One workbook of `units` × `linesPerUnit` lines (linesPerUnit a multiple of ten). Every unit has the same
 * labels ("Placeringar 1" … per unit, as real units share a chart of accounts), so the consolidated table
 * sums like lines over the units; measures keep pointing at their line, now within its unit.
 */
export function unitBookSpec(units: number, linesPerUnit: number): BookSpec {
  const spec = withUnits(bookSpec(units * linesPerUnit), (i) => unitLabel(Math.floor(i / linesPerUnit)));
  const blocks = linesPerUnit / 10;
  const relabel = (v: RawCell) =>
    typeof v === "string" ? v.replace(/ (\d+)$/, (_, n: string) => ` ${((Number(n) - 1) % blocks) + 1}`) : v;
  const poster = spec.names.find((n) => n.name === "Poster")!;
  const table = spec.names.find((n) => n.name === "Atgarder")!;
  const edit = (sheet: string, col: number, from: number, count: number) => {
    const rows = spec.sheets.find((s) => s.name === sheet)!.rows;
    for (let r = from; r < from + count; r++) if (rows[r]) rows[r][col] = relabel(rows[r][col] ?? null);
  };
  edit(poster.sheet, poster.col, poster.row, poster.rows);
  edit(table.sheet, table.col + 5, table.row + 1, table.rows - 1);
  return spec;
}

/** One unit's own workbook of `lines` lines, every line in unit `name`. */
export function unitWorkbookSpec(name: string, lines: number): BookSpec {
  return withUnits(bookSpec(lines), () => name);
}

// ---------------------------------------------------------------------------------------------------
// The benchmark (a section of `npm run bench`): the unit split against the same lines without units.

const MB = 1024 * 1024;
/** The Office host's write chunk, as scripts/bench.ts's CHUNK_BYTES (not imported: bench.ts is an entry). */
const CHUNK_BYTES = 4_500_000;
const now = () => performance.now();
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

export interface OfficeStats {
  ok: boolean;
  syncs: number;
  /** As the Office bench's rule (scripts/bench.ts): 3 up to 5 000 lines, else 2 + one per chunk of writes. */
  allowedSyncs: number;
  largestRequestBytes: number;
  writeBytes: number;
  ms: number;
}

export interface UnitsBench {
  units: number;
  linesPerUnit: number;
  runs: number;
  /** Pairs of the Office.js row, when more than `runs`. */
  officeRuns?: number;
  /** .xlsx host, open + refresh + output, medians of interleaved runs. */
  xlsx: { flatMs: number; unitsMs: number; ratio: number };
  /** Office.js host over the strict fake. */
  office: { flat: OfficeStats; units: OfficeStats; ratio: number };
  /** The CLI: one workbook of all lines vs `refresh --all` over unit workbooks (files on disk). */
  batch: {
    workbooks: number;
    linesEach: number;
    singleMs: number;
    batchMs: number;
    consolidateMs: number;
    ratio: number;
    /**
     * The same runs in CPU time (process.cpuUsage: this thread and libuv's pool), medians: the cost of
     * the work whatever else the shared machine runs, where the wall times above move with its load.
     */
    singleCpuMs: number;
    batchCpuMs: number;
    cpuRatio: number;
  };
}

async function refreshXlsxBytes(bytes: Buffer): Promise<void> {
  const host = await XlsxWorkbook.open(bytes, "bench.xlsx");
  const outcome = await refresh(host, parseConfig(host.configXml));
  if (!outcome.ok) throw new Error(`refresh failed: ${JSON.stringify(outcome).slice(0, 300)}`);
  await host.output();
}

async function officeRun(spec: BookSpec): Promise<OfficeStats> {
  const fake = fakeExcel(spec);
  const t = now();
  const outcome = await createFakeApi(fake).refresh();
  const ms = now() - t;
  // Counted as the Office bench counts them: the refresh's own requests, not the fake's cleanup.
  const requests = fake.requests.filter((r) => !r.cleanup);
  const writeBytes = requests.filter((r) => r.writes > 0).reduce((s, r) => s + r.bytes, 0);
  return {
    ok: outcome.ok && requests.every((r) => r.ok),
    syncs: requests.length,
    allowedSyncs: spec.lines <= 5000 ? 3 : 2 + Math.max(1, Math.ceil(writeBytes / CHUNK_BYTES)),
    largestRequestBytes: Math.max(0, ...requests.map((r) => r.bytes)),
    writeBytes,
    ms,
  };
}

async function cli(argv: string[], cpu?: number[]): Promise<number> {
  const t = now();
  const before = process.cpuUsage();
  const io: BatchIo = { out: () => undefined, err: () => undefined, errIsTTY: false };
  const code = await main(argv, io);
  if (code !== 0) throw new Error(`uppfoljaren ${argv.join(" ")} exited ${code}`);
  const used = process.cpuUsage(before);
  cpu?.push((used.user + used.system) / 1000);
  return now() - t;
}

export async function benchUnits(
  o: {
    units: number;
    linesPerUnit: number;
    workbooks: number;
    linesEach: number;
    runs: number;
    /**
     * Pairs for the Office.js row (default `runs`). Its goal sits at the units' extra write bytes
     * (1.20 times), single pairs on the shared machine ranged 0.82-1.55 (three sets of ten), and three
     * pairs read 1.05 and 1.29 on two consecutive days.
     */
    officeRuns?: number;
  } = { units: 200, linesPerUnit: 50, workbooks: 50, linesEach: 200, runs: 3, officeRuns: 9 },
): Promise<UnitsBench> {
  const lines = o.units * o.linesPerUnit;
  const flatSpec = bookSpec(lines);
  const unitSpec = unitBookSpec(o.units, o.linesPerUnit);
  const flatBytes = await xlsxBytes(flatSpec);
  const unitBytes = await xlsxBytes(unitSpec);
  const xf: number[] = [];
  const xu: number[] = [];
  const of: OfficeStats[] = [];
  const ou: OfficeStats[] = [];
  // Warm-up (JIT, library caches): one untimed run of each before the interleaved timed ones.
  await refreshXlsxBytes(flatBytes);
  await refreshXlsxBytes(unitBytes);
  await officeRun(flatSpec);
  await officeRun(unitSpec);
  for (let r = 0; r < o.runs; r++) {
    let t = now();
    await refreshXlsxBytes(flatBytes);
    xf.push(now() - t);
    t = now();
    await refreshXlsxBytes(unitBytes);
    xu.push(now() - t);
  }
  // Alternated which goes first, so neither always runs right after the other's garbage.
  for (let r = 0; r < (o.officeRuns ?? o.runs); r++)
    if (r % 2) {
      ou.push(await officeRun(unitSpec));
      of.push(await officeRun(flatSpec));
    } else {
      of.push(await officeRun(flatSpec));
      ou.push(await officeRun(unitSpec));
    }
  const officeMedian = (runs: OfficeStats[]) => ({
    ...runs[runs.length - 1],
    ms: median(runs.map((x) => x.ms)),
  });

  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), "uppfoljaren-bench-units-"));
  try {
    const single = path.join(tmp, "alla-rader.xlsx");
    await fs.writeFile(single, await xlsxBytes(bookSpec(o.workbooks * o.linesEach)));
    const dir = path.join(tmp, "enheter");
    await fs.mkdir(dir);
    const unitBook = await xlsxBytes(unitWorkbookSpec("Enhet", o.linesEach));
    for (let k = 0; k < o.workbooks; k++)
      await fs.writeFile(path.join(dir, `${unitLabel(k)}.xlsx`), unitBook);
    const ts: number[] = [];
    const tb: number[] = [];
    const tc: number[] = [];
    const cs: number[] = [];
    const cb: number[] = [];
    for (let r = 0; r < o.runs; r++) {
      ts.push(await cli(["refresh", single, "--out", path.join(tmp, `ut-${r}.xlsx`)], cs));
      tb.push(await cli(["refresh", "--all", dir, "--out-dir", path.join(tmp, `ut-${r}`)], cb));
      const namnd = path.join(tmp, `namnd-${r}.xlsx`);
      tc.push(
        await cli(["refresh", "--all", dir, "--out-dir", path.join(tmp, `utc-${r}`), "--consolidate", namnd]),
      );
    }
    const flat = officeMedian(of);
    const units = officeMedian(ou);
    return {
      ...o,
      xlsx: { flatMs: median(xf), unitsMs: median(xu), ratio: median(xu) / median(xf) },
      office: { flat, units, ratio: units.ms / flat.ms },
      batch: {
        workbooks: o.workbooks,
        linesEach: o.linesEach,
        singleMs: median(ts),
        batchMs: median(tb),
        consolidateMs: median(tc),
        ratio: median(tb) / median(ts),
        singleCpuMs: median(cs),
        batchCpuMs: median(cb),
        cpuRatio: median(cb) / median(cs),
      },
    };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

const int = (x: number) => Math.round(x).toLocaleString("en-US").replace(/,/g, " ");
const mbs = (b: number) => (b >= MB ? `${(b / MB).toFixed(2)} MB` : `${(b / 1024).toFixed(1)} KB`);
const verdict = (ok: boolean) => (ok ? "met" : "**missed**");

/** The Markdown section of the report. */
export function renderUnits(u: UnitsBench): string {
  const lines = u.units * u.linesPerUnit;
  const office = (name: string, s: OfficeStats) =>
    `| ${name} | ${s.syncs} | ${s.allowedSyncs} | ${mbs(s.largestRequestBytes)} | ${mbs(s.writeBytes)} | ${int(s.ms)} ms | ${verdict(s.ok && s.syncs <= s.allowedSyncs && s.largestRequestBytes <= 5 * MB)} |`;
  return [
    `### Units: ${u.units} units × ${u.linesPerUnit} lines against the same ${int(lines)} lines without units (medians of ${u.runs} interleaved runs${u.officeRuns && u.officeRuns !== u.runs ? `, ${u.officeRuns} for Office.js` : ""})`,
    "",
    "| host | without units | with units | ratio | target ≤ 1.2 |",
    "|---|---:|---:|---:|---|",
    `| .xlsx (open + refresh + save) | ${int(u.xlsx.flatMs)} ms | ${int(u.xlsx.unitsMs)} ms | ${u.xlsx.ratio.toFixed(2)} | ${verdict(u.xlsx.ratio <= 1.2)} |`,
    `| Office.js over the strict fake | ${int(u.office.flat.ms)} ms | ${int(u.office.units.ms)} ms | ${u.office.ratio.toFixed(2)} | ${verdict(u.office.ratio <= 1.2)} |`,
    "",
    "| Office.js refresh | syncs | allowed | largest request | write bytes | time (fake) | within the rules |",
    "|---|---:|---:|---:|---:|---:|---|",
    office("without units", u.office.flat),
    office("with units", u.office.units),
    "",
    `Batch (CLI, files on disk): \`refresh --all\` over ${u.batch.workbooks} unit workbooks of ${u.batch.linesEach} lines ` +
      `**${int(u.batch.batchMs)} ms** against \`refresh\` of one workbook of ${int(u.batch.workbooks * u.batch.linesEach)} lines ` +
      `**${int(u.batch.singleMs)} ms**: ratio ${u.batch.ratio.toFixed(2)}, target ≤ 1.2: ${verdict(u.batch.ratio <= 1.2)}. ` +
      `With \`--consolidate\` (the nämnd workbook too): ${int(u.batch.consolidateMs)} ms. ` +
      `In CPU time: ${int(u.batch.batchCpuMs)} ms against ${int(u.batch.singleCpuMs)} ms, ratio ${u.batch.cpuRatio.toFixed(2)}.`,
    "",
  ].join("\n");
}
