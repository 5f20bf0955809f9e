/**
 * `uppfoljaren refresh --all DIR --out-dir OUT [--consolidate NAMND.xlsx] [--period M] [--json]`: refreshes
 * every .xlsx workbook in DIR (one unit each) into OUT, each exactly as a single `refresh` through the
 * shared pipeline and the .xlsx host, each with its own errors: one that cannot be used does not stop the
 * others. Ends with a table of results; with --consolidate it also writes the nämnd's workbook (the units'
 * figures side by side and summed, plus its report sheets) from the workbooks that could be used.
 *
 * Exit codes: 0 every workbook refreshed (and the nämnd workbook written when asked), 2 any workbook or
 * the consolidation could not be used, 1 unexpected failure of the run itself. Inputs are never written.
 */
import { promises as fs } from "fs";
import * as path from "path";
import { combineLedgers } from "../core/consolidate";
import { formatAmount, unitDecimals } from "../core/format";
import type { FindingLevel, LedgerResult } from "../core/types";
import { openWorkbook, XlsxFileError, XlsxWorkbook } from "../hosts/xlsx";
import { parseConfig } from "../workbook/config";
import { NAMND_SHEETS, namndPlan, type BatchRow } from "../workbook/namnd";
import { refresh } from "../workbook/pipeline";
import type { ContractError } from "../workbook/types";
import { countsSv } from "../workbook/words";
import { blankWorkbook } from "./blank";
import { checkTarget, FileRefusal, readInput, writeAtomically, type Input } from "./files";
import type { CliIo } from "./main";
import { bundleFile, poolSize, runOnWorkers, serveTasks } from "./pool";
import { errorLines, Progress, terminalSafe, terminalSafeJson, UNUSABLE } from "./terminal";

export interface BatchIo extends CliIo {
  /** Whether stderr is a terminal (progress lines); defaults to process.stderr.isTTY. */
  errIsTTY?: boolean;
}

export const BATCH_USAGE = `Användning:
  uppfoljaren refresh --all MAPP --out-dir UTMAPP [--consolidate NÄMND.xlsx] [--period M] [--jobs N] [--nytt-utkast] [--json]

Uppdaterar varje arbetsbok (.xlsx) i MAPP som ett eget refresh och skriver kopiorna i UTMAPP med
samma filnamn. En arbetsbok som inte kan användas stoppar inte de andra. Med --consolidate skrivs
också nämndens arbetsbok: enheternas belopp sida vid sida och summerade, med egna rapportblad.
Med --jobs N uppdateras upp till N arbetsböcker samtidigt (högst en per processorkärna); utan
--jobs en i taget. Resultaten visas i mappens ordning.

Slutkoder: 0 alla uppdaterade, 2 någon arbetsbok (eller sammanställningen) kunde inte användas,
1 oväntat fel.
`;

interface BatchArgs {
  dir: string;
  outDir: string;
  consolidate: string | null;
  month?: number;
  json: boolean;
  /** At most this many workbooks at once (capped at the machine's parallelism; default one). */
  jobs?: number;
  /** --nytt-utkast: every workbook's drafted texts replaced, as for one workbook. */
  newDraft: boolean;
}

class UsageError extends Error {}

/** True when the arguments ask for a batch run (refresh --all). */
export function isBatch(argv: string[]): boolean {
  return argv.includes("--all");
}

export function parseBatchArgs(argv: string[]): BatchArgs {
  const rest = [...argv];
  const positional: string[] = [];
  let dir: string | undefined;
  let outDir: string | undefined;
  let consolidate: string | null = null;
  let month: number | undefined;
  let jobs: number | undefined;
  let json = false;
  let newDraft = false;
  const value = (flag: string) => {
    const v = rest.shift();
    if (!v || v.startsWith("--")) throw new UsageError(`${flag} kräver ett värde.`);
    return v;
  };
  while (rest.length) {
    const a = rest.shift()!;
    if (a === "--all") dir = value(a);
    else if (a === "--out-dir") outDir = value(a);
    else if (a === "--consolidate") consolidate = value(a);
    else if (a === "--json") json = true;
    else if (a === "--nytt-utkast") newDraft = true;
    else if (a === "--period") {
      const v = value(a);
      const m = Number(v);
      if (!Number.isInteger(m) || m < 1 || m > 12)
        throw new UsageError(`--period kräver en månad 1–12 (fick "${v}").`);
      month = m;
    } else if (a === "--jobs") {
      const v = value(a);
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1)
        throw new UsageError(`--jobs kräver ett heltal 1 eller större (fick "${v}").`);
      jobs = n;
    } else if (a.startsWith("-")) throw new UsageError(`Okänd flagga för --all: ${a}`);
    else positional.push(a);
  }
  if (positional.length !== 1 || positional[0] !== "refresh")
    throw new UsageError(
      "--all gäller bara kommandot refresh: uppfoljaren refresh --all MAPP --out-dir UTMAPP.",
    );
  if (!dir) throw new UsageError("--all kräver en mapp.");
  if (!outDir) throw new UsageError("refresh --all kräver --out-dir UTMAPP.");
  if (path.resolve(outDir) === path.resolve(dir))
    throw new UsageError(
      "--out-dir är samma mapp som --all; arbetsböckerna skrivs aldrig över. Välj en annan mapp.",
    );
  return { dir, outDir, consolidate, month, json, jobs, newDraft };
}

/** Runs a batch; returns the exit code. */
export async function batchMain(argv: string[], io: BatchIo): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.out(BATCH_USAGE);
    return 0;
  }
  let args: BatchArgs;
  try {
    args = parseBatchArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`Fel: ${e.message}\n\n${BATCH_USAGE}`);
    return 2;
  }
  try {
    return await runBatch(args, io);
  } catch (e) {
    io.err(`Oväntat fel: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

/** The .xlsx files of a folder by name (Excel's lock files "~$…" and hidden files left out). */
async function workbookFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  return entries
    .filter(
      (e) => e.isFile() && /\.xlsx$/i.test(e.name) && !e.name.startsWith("~$") && !e.name.startsWith("."),
    )
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b, "sv"));
}

interface Done {
  row: BatchRow;
  result: LedgerResult | null;
  /** Why a workbook could not be used, as a single refresh would list it. */
  errors: ContractError[];
  counts: Record<FindingLevel, number>;
}

const NO_COUNTS: Record<FindingLevel, number> = { error: 0, warning: 0, info: 0 };

async function runBatch(args: BatchArgs, io: BatchIo): Promise<number> {
  let files: string[];
  try {
    files = await workbookFiles(args.dir);
  } catch (e) {
    const reason =
      (e as NodeJS.ErrnoException).code === "ENOENT" ? "mappen finns inte" : (e as Error).message;
    io.err(`Mappen ${terminalSafe(args.dir)} kan inte läsas: ${reason}. Ingenting skrevs.\n`);
    return 2;
  }
  if (files.length === 0) {
    io.err(`Mappen ${terminalSafe(args.dir)} innehåller inga arbetsböcker (.xlsx). Ingenting skrevs.\n`);
    return 2;
  }
  const inputs = new Set(files.map((f) => path.resolve(args.dir, f)));
  if (args.consolidate) {
    const target = path.resolve(args.consolidate);
    const outputs = new Set(files.map((f) => path.resolve(args.outDir, f)));
    if (inputs.has(target) || outputs.has(target)) {
      io.err(
        `Fel: --consolidate ${terminalSafe(args.consolidate)} är samma fil som en av arbetsböckerna eller deras kopior. Välj ett annat filnamn.\n`,
      );
      return 2;
    }
  }
  const tty = !args.json && (io.errIsTTY ?? Boolean(process.stderr.isTTY));
  // The runner's progress line while a workbook is refreshed, then one line per workbook that stays.
  const progress = new Progress((t) => io.err(t), tty);
  const done = await refreshAll(args, files, (i, one) => {
    const shown = `[${i + 1}/${files.length}] ${terminalSafe(files[i], 120)}`;
    if (one) {
      progress.done();
      if (tty) io.err(`${shown}: ${progressText(one)}\n`);
    } else progress.step(`${shown} uppdateras`);
  });
  let consolidated: { path: string | null; error: string | null } = { path: null, error: null };
  if (args.consolidate) consolidated = await writeConsolidated(args.consolidate, done);
  const ok = done.every((d) => d.row.status === "ok") && consolidated.error === null;
  if (args.json) {
    const doc = {
      ok,
      workbooks: done.map((d) => ({
        ...d.row,
        ...(d.errors.length ? { errors: d.errors } : {}),
        written: d.row.status === "ok" ? path.join(args.outDir, d.row.file) : null,
      })),
      consolidated: consolidated.path,
      consolidationError: consolidated.error,
    };
    io.out(`${terminalSafeJson(doc)}\n`);
  } else io.out(table(args, done, consolidated));
  return ok ? 0 : 2;
}

/**
 * Every workbook of the folder: with --jobs N (N > 1) on this thread and N - 1 worker threads when the
 * code runs from a bundle, else one after the other here (each copy written while the next workbook is
 * refreshed). One at a time is the default: on the 2-core machine the bench runs on, a worker's start
 * (loading the bundle, compiling it cold) cost more CPU than it saved. `shown(i, done)` is called in
 * folder order: with null when workbook i is the first one not finished, then with its result.
 */
async function refreshAll(
  args: BatchArgs,
  files: string[],
  shown: (index: number, done: Done | null) => void,
): Promise<Done[]> {
  const done: (Done | undefined)[] = new Array(files.length);
  let inOrder = 0;
  const finish = (i: number, one: Done) => {
    done[i] = one;
    for (; inOrder < files.length && done[inOrder]; inOrder++) shown(inOrder, done[inOrder]!);
    if (inOrder < files.length) shown(inOrder, null);
  };
  const script = bundleFile();
  const size = poolSize(files.length, args.jobs ?? 1);
  shown(0, null);
  if (script && size > 1) {
    const tasks = files.map((file) => ({ args, file }));
    const local = (t: { args: BatchArgs; file: string }) => refreshOne(t.args, t.file);
    await runOnWorkers(script, tasks, size, local, finish, (i, reason) => failed(files[i], reason));
  } else {
    // One at a time on this thread, pipelined so that it seldom waits: the next workbook's file is read
    // while this one is refreshed, and a copy is compressed (its large parts on libuv's thread pool)
    // and written while the next workbook is refreshed. Up to two workbooks are in memory (the one being
    // finished and the next) and one more file's bytes. Rows still come in folder order, and they are
    // finished on the loop's own path, so an exception there stops the batch like any other (commit()
    // and a read's refusal turn failures into their rows; the catches only keep a rejection that is
    // awaited later from going unhandled meanwhile).
    let writing: { i: number; job: Promise<Done> } | null = null;
    const written = async () => {
      if (!writing) return;
      const { i, job } = writing;
      writing = null;
      finish(i, await job);
    };
    const read = (i: number) => {
      if (i >= files.length) return null;
      const input = readInput(path.join(args.dir, files[i]), terminalSafe(files[i], 120));
      input.catch(() => undefined);
      return input;
    };
    let next = read(0);
    for (const [i, file] of files.entries()) {
      const input = next!;
      next = read(i + 1);
      const staged = await stageOne(args, file, input);
      await written();
      if ("row" in staged) finish(i, staged);
      else {
        const job = staged.commit();
        job.catch(() => undefined);
        writing = { i, job };
      }
    }
    await written();
  }
  return done as Done[];
}

/** The row of a workbook whose refresh failed unexpectedly (a program error). */
function failed(file: string, reason: string): Done {
  return {
    row: { ...emptyRow(file), status: "failed", message: `Oväntat fel (ett programfel): ${reason}` },
    result: null,
    errors: [],
    counts: NO_COUNTS,
  };
}

function emptyRow(file: string): BatchRow {
  return {
    file,
    unit: null,
    status: "ok",
    message: null,
    errors: 0,
    warnings: 0,
    deviation: null,
    forecastDeviation: null,
  };
}

/**
 * One workbook, exactly as `refresh IN --out OUT/IN` (the same file checks, the same refusals); every
 * failure stays in its own row.
 */
async function refreshOne(args: BatchArgs, file: string): Promise<Done> {
  const input = readInput(path.join(args.dir, file), terminalSafe(file, 120));
  const staged = await stageOne(args, file, input);
  return "row" in staged ? staged : staged.commit();
}

/** A workbook refreshed in memory, its copy not yet made: `commit` makes and writes it, and gives its row. */
interface Staged {
  commit(): Promise<Done>;
}

/**
 * refreshOne up to the copy: a row when the workbook could not be used, else what writes it. `input` is
 * the file's read (started by the caller, maybe while the workbook before was refreshed).
 */
async function stageOne(args: BatchArgs, file: string, read: Promise<Input>): Promise<Done | Staged> {
  const row = emptyRow(file);
  const target = path.join(args.outDir, file);
  try {
    const input = await read;
    await checkTarget(target, input, false, terminalSafe(target, 200));
    const host = await openWorkbook(input.bytes, file);
    const outcome = await refresh(host, parseConfig(host.configXml), {
      month: args.month,
      newDraft: args.newDraft,
    });
    if (!outcome.ok && outcome.stage === "validate") return unusable(row, outcome.errors);
    if (!outcome.ok) throw new Error(`the write failed part-way: ${outcome.message}`);
    const r = outcome.result;
    const counts = { ...NO_COUNTS };
    for (const f of outcome.findings) counts[f.level]++;
    const done: Done = {
      row: {
        ...row,
        unit: unitName(r, file),
        errors: counts.error,
        warnings: counts.warning,
        deviation: r.result.deviation,
        forecastDeviation: r.result.forecastDeviation,
      },
      result: r,
      errors: [],
      counts,
    };
    return {
      commit: () =>
        host
          .output()
          .then((bytes) => writeAtomically(target, bytes, terminalSafe(target, 200)))
          .then(
            () => done,
            (e: unknown) => caught(row, file, e),
          ),
    };
  } catch (e) {
    return caught(row, file, e);
  }
}

function unusable(row: BatchRow, errors: ContractError[]): Done {
  return {
    row: { ...row, status: "unusable", message: [UNUSABLE, ...errorLines(errors)].join(" ") },
    result: null,
    errors,
    counts: NO_COUNTS,
  };
}

/** The row of a workbook whose refresh or write threw: a refusal, a file that cannot be used, or a bug. */
function caught(row: BatchRow, file: string, e: unknown): Done {
  if (e instanceof FileRefusal) return unusable(row, [e.error]);
  if (e instanceof XlsxFileError)
    return unusable(row, [{ code: `FILE_${e.code}`, message: e.message, messageEn: e.messageEn }]);
  return failed(file, (e as Error).message);
}

/** The unit a workbook stands for: its one Ansvar when every line has the same, else its file name. */
function unitName(result: LedgerResult, file: string): string {
  const units = result.units?.units ?? [];
  return units.length === 1 ? units[0].name : file.replace(/\.xlsx$/i, "");
}

function progressText({ row, counts }: Done): string {
  if (row.status === "ok") return `uppdaterad (${countsSv(counts)})`;
  return row.status === "unusable" ? "kan inte användas" : "oväntat fel";
}

/**
 * The nämnd's workbook from the workbooks that could be used: a new package rendered by the .xlsx host.
 * They must share period and amount unit, or nothing is written.
 */
async function writeConsolidated(
  target: string,
  done: Done[],
): Promise<{ path: string | null; error: string | null }> {
  const parts = done.filter((d) => d.result !== null) as (Done & { result: LedgerResult })[];
  if (parts.length === 0)
    return { path: null, error: "Ingen arbetsbok kunde användas, så nämndens arbetsbok skrevs inte." };
  const key = (r: LedgerResult) => `${r.period.year}-${r.period.month} ${r.unit}`;
  const kinds = new Set(parts.map((p) => key(p.result)));
  if (kinds.size > 1) {
    const list = parts.map(
      (p) => `${p.row.file}: ${p.result.period.month}/${p.result.period.year} ${p.result.unit}`,
    );
    return {
      path: null,
      error: `Arbetsböckerna gäller olika perioder eller enheter (${list.join(", ")}); nämndens arbetsbok skrevs inte.`,
    };
  }
  const seen = new Map<string, number>();
  const named = parts.map((p) => {
    const base = p.row.unit ?? p.row.file;
    const n = (seen.get(base.toLowerCase()) ?? 0) + 1;
    seen.set(base.toLowerCase(), n);
    return { name: n === 1 ? base : `${base} (${p.row.file})`, result: p.result };
  });
  const combined = combineLedgers(named);
  const host = await XlsxWorkbook.open(await blankWorkbook(NAMND_SHEETS.overview), path.basename(target));
  await host.write(
    namndPlan(
      combined,
      done.map((d) => d.row),
    ),
  );
  try {
    await writeAtomically(target, await host.output(), terminalSafe(target, 200));
  } catch (e) {
    if (e instanceof FileRefusal) return { path: null, error: e.message };
    throw e;
  }
  return { path: target, error: null };
}

const STATUS = { ok: "uppdaterad", unusable: "kan inte användas", failed: "oväntat fel" } as const;

/** The table of results (Swedish, aligned in columns). */
function table(
  args: BatchArgs,
  done: Done[],
  consolidated: { path: string | null; error: string | null },
): string {
  // Each workbook in its own unit, mkr with one decimal as the sheets show them (DOMAIN §1.1): named once
  // in the heading when all workbooks share it, else beside every amount.
  const units = new Set(done.flatMap((d) => (d.result ? [d.result.unit] : [])));
  const shared = units.size === 1 ? [...units][0] : null;
  const amount = (v: number | null, d: Done) =>
    v === null
      ? ""
      : formatAmount(v, {
          sign: "deviation",
          decimals: d.result ? unitDecimals(d.result.unit) : 0,
          unit: shared ? undefined : d.result?.unit,
        });
  const rows = [
    [
      "Arbetsbok",
      "Enhet",
      "Status",
      `Avvikelse${shared ? ` (${shared})` : ""}`,
      "Prognosavvikelse helår",
      "Kontroller",
    ],
    ...done.map((d) => [
      terminalSafe(d.row.file, 120),
      terminalSafe(d.row.unit ?? "–", 60),
      STATUS[d.row.status],
      amount(d.row.deviation, d),
      amount(d.row.forecastDeviation, d),
      d.row.status === "ok" ? countsSv(d.counts) : "",
    ]),
  ];
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  const right = new Set([3, 4]);
  const lines = rows.map((r) =>
    r
      .map((c, j) => (right.has(j) ? c.padStart(widths[j]) : c.padEnd(widths[j])))
      .join("  ")
      .trimEnd(),
  );
  const okCount = done.filter((d) => d.row.status === "ok").length;
  const dir = terminalSafe(args.dir, 200);
  const books = done.length === 1 ? "arbetsbok" : "arbetsböcker";
  const out = [`Uppföljaren – ${done.length} ${books} i ${dir}`, "", ...lines, ""];
  for (const d of done) {
    if (d.row.status === "ok") continue;
    const file = terminalSafe(d.row.file, 120);
    if (d.row.status === "unusable") out.push(`${file}: ${UNUSABLE}`, ...errorLines(d.errors));
    else out.push(`${file}: ${terminalSafe(d.row.message ?? "")}`);
  }
  out.push(`Skrev ${okCount} av ${done.length} ${books} till ${terminalSafe(args.outDir, 200)}.`);
  if (consolidated.path) out.push(`Nämndens arbetsbok: ${terminalSafe(consolidated.path, 200)}`);
  if (consolidated.error) out.push(consolidated.error);
  return `${out.join("\n")}\n`;
}

// A worker thread of refreshAll (pool.ts): this bundle, loaded with the pool's flag, refreshes workbooks.
serveTasks((t: { args: BatchArgs; file: string }) =>
  refreshOne(t.args, t.file).catch((e: unknown) => failed(t.file, (e as Error).message)),
);
