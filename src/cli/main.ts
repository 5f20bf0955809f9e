/**
 * `uppfoljaren`: the headless runner for .xlsx files (issue 3 §3). A thin shell over the .xlsx host and the
 * shared refresh pipeline:
 *   uppfoljaren refresh IN.xlsx --out OUT.xlsx [--period M] [--json] [--in-place]
 *   uppfoljaren check IN.xlsx [--period M] [--json]
 * Exit codes: 0 refreshed/checked, 2 the input cannot be used (nothing written), 1 unexpected failure.
 * OUT is written atomically (temp file + rename); IN is never written unless --in-place.
 */
import { promises as fs } from "fs";
import * as path from "path";
import { formatAmount } from "../core/format";
import { periodLabel } from "../core/period";
import type { LedgerResult } from "../core/types";
import { openWorkbook, XlsxFileError } from "../hosts/xlsx";
import { batchMain, isBatch } from "./batch";
import { parseConfig } from "../workbook/config";
import { periodSpan } from "../workbook/input";
import { refresh, type LocatedFinding, type RefreshOutcome } from "../workbook/pipeline";
import type { ContractError } from "../workbook/types";

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CliIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

export const USAGE = `Uppföljaren – uppdaterar uppföljningsarbetsböcker (.xlsx) utan Excel

Användning:
  uppfoljaren refresh IN.xlsx --out UT.xlsx [--period M] [--json] [--in-place]
  uppfoljaren check IN.xlsx [--period M] [--json]
  uppfoljaren --help

Kommandon:
  refresh   Läser arbetsboken via de namngivna områdena, räknar avvikelser och prognoser,
            skriver utdatakolumnerna och rapportbladen i en kopia (UT.xlsx).
  check     Kontrollerar bara arbetsboken; skriver ingenting.

Flaggor:
  --out FIL     Filen som skrivs. IN skrivs aldrig över utan --in-place.
  --in-place    Skriv resultatet tillbaka till IN.
  --period M    Rapportmånad 1–12 (annars arbetsbokens Period).
  --json        Skriv ett JSON-dokument på stdout i stället för sammanfattningen.

Slutkoder: 0 klart, 2 arbetsboken kan inte användas (inget skrivs), 1 oväntat fel.
`;

interface Args {
  command: "refresh" | "check" | "help";
  input?: string;
  out?: string;
  inPlace: boolean;
  json: boolean;
  month?: number;
}

class UsageError extends Error {}

export function parseArgs(argv: string[]): Args {
  const args: Args = { command: "help", inPlace: false, json: false };
  const rest = [...argv];
  const positional: string[] = [];
  while (rest.length) {
    const a = rest.shift()!;
    if (a === "--help" || a === "-h") return { ...args, command: "help" };
    else if (a === "--json") args.json = true;
    else if (a === "--in-place") args.inPlace = true;
    else if (a === "--out" || a === "-o") {
      const v = rest.shift();
      if (!v) throw new UsageError("--out kräver ett filnamn.");
      args.out = v;
    } else if (a === "--period") {
      const v = rest.shift();
      const m = Number(v);
      if (!v || !Number.isInteger(m) || m < 1 || m > 12)
        throw new UsageError(`--period kräver en månad 1–12 (fick "${v ?? ""}").`);
      args.month = m;
    } else if (a.startsWith("-")) throw new UsageError(`Okänd flagga: ${a}`);
    else positional.push(a);
  }
  const [command, input, ...extra] = positional;
  if (command === undefined || command === "help") return args;
  if (command !== "refresh" && command !== "check") throw new UsageError(`Okänt kommando: ${command}`);
  if (!input) throw new UsageError(`${command} kräver en arbetsbok (IN.xlsx).`);
  if (extra.length) throw new UsageError(`Oväntat argument: ${extra[0]}`);
  args.command = command;
  args.input = input;
  if (command === "refresh") {
    if (args.inPlace && args.out && path.resolve(args.out) !== path.resolve(input))
      throw new UsageError("Ange antingen --out eller --in-place, inte båda.");
    if (!args.inPlace && !args.out) throw new UsageError("refresh kräver --out UT.xlsx (eller --in-place).");
    if (!args.inPlace && path.resolve(args.out!) === path.resolve(input))
      throw new UsageError("--out är samma fil som IN; använd --in-place för att skriva över arbetsboken.");
  } else if (args.out || args.inPlace)
    throw new UsageError("check skriver ingenting; --out och --in-place gäller inte.");
  return args;
}

/** Runs the CLI; returns the exit code. `io` defaults to the process's stdout/stderr. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  if (isBatch(argv)) return batchMain(argv, io);
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`Fel: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.command === "help") {
    io.out(USAGE);
    return 0;
  }
  try {
    return await run(args, io);
  } catch (e) {
    io.err(`Oväntat fel: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

async function run(args: Args, io: CliIo): Promise<number> {
  const input = args.input!;
  const file = path.basename(input);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(input);
  } catch (e) {
    const reason =
      (e as NodeJS.ErrnoException).code === "ENOENT" ? "filen finns inte." : (e as Error).message;
    const reasonEn = (e as NodeJS.ErrnoException).code === "ENOENT" ? "the file does not exist." : reason;
    return unusable(io, args, [
      {
        code: "FILE_UNREADABLE",
        message: `Filen ${file} kan inte läsas: ${reason}`,
        messageEn: `The file ${file} cannot be read: ${reasonEn}`,
      },
    ]);
  }
  let host;
  try {
    host = await openWorkbook(bytes, file);
  } catch (e) {
    if (!(e instanceof XlsxFileError)) throw e;
    return unusable(io, args, [{ code: `FILE_${e.code}`, message: e.message, messageEn: e.messageEn }]);
  }
  const config = parseConfig(host.configXml);
  const outcome = await refresh(host, config, { month: args.month, dryRun: args.command === "check" });
  if (!outcome.ok && outcome.stage === "validate") return unusable(io, args, outcome.errors);
  if (!outcome.ok) {
    io.err(`Oväntat fel: skrivningen misslyckades (${outcome.message}). Ingen fil skrevs.\n`);
    return 1;
  }
  let written: string | null = null;
  if (args.command === "refresh") {
    written = args.inPlace ? input : args.out!;
    await writeAtomically(written, await host.output());
  }
  if (args.json) io.out(`${JSON.stringify(toJson(outcome, written), null, 2)}\n`);
  else io.out(summary(outcome, file, written));
  return 0;
}

function unusable(io: CliIo, args: Args, errors: ContractError[]): number {
  const where = (e: ContractError) => (e.sheet ? ` [${e.sheet}${e.cell ? `!${e.cell}` : ""}]` : "");
  io.err(
    `Arbetsboken kan inte användas; ingenting skrevs.\n${errors.map((e) => `- ${e.message}${where(e)}\n`).join("")}`,
  );
  if (args.json) io.out(`${JSON.stringify({ ok: false, errors }, null, 2)}\n`);
  return 2;
}

/** Writes to a temp file next to the target, then renames it into place: no partial output on failure. */
export async function writeAtomically(target: string, bytes: Buffer): Promise<void> {
  const dir = path.dirname(path.resolve(target));
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

type OkOutcome = Extract<RefreshOutcome, { ok: true }>;

function cellOf(f: LocatedFinding): string | null {
  if (!f.sheet) return null;
  return f.cell ? `${f.sheet}!${f.cell}` : f.sheet;
}

/** The --json document (issue 3 §3): plain, unrounded numbers in the workbook's unit. */
export function toJson(outcome: OkOutcome, written: string | null) {
  const r: LedgerResult = outcome.result;
  return {
    ok: true,
    period: { year: r.period.year, month: r.period.month },
    unit: r.unit,
    lines: r.lines.map((l) => ({
      label: l.label,
      kind: l.kind,
      annualBudget: l.annualBudget,
      periodBudget: l.periodBudget,
      actual: l.actual,
      deviation: l.deviation,
      forecast: l.forecast,
      forecastDeviation: l.forecastDeviation,
      method: l.method,
    })),
    result: { ...r.result },
    actionPlan: {
      areas: r.actionPlan.areas.map((a) => ({ name: a.name, total: a.total })),
      forecastTotal: r.actionPlan.forecastTotal,
      decidedTotal: r.actionPlan.decidedTotal,
    },
    volumes: r.volumes.map((v) => ({
      label: v.label,
      type: v.type,
      suggestion: v.suggestion,
      forecast: v.forecast,
    })),
    findings: outcome.findings.map((f) => ({
      level: f.level,
      code: f.code,
      message: f.message,
      cell: cellOf(f),
    })),
    written,
  };
}

/** The human summary in Swedish. */
export function summary(outcome: OkOutcome, file: string, written: string | null): string {
  const r = outcome.result;
  const { year } = r.period;
  const end = periodLabel(r.period);
  const unit = r.unit;
  const dev = (v: number) => formatAmount(v, { sign: "deviation", unit });
  const lines = [
    `Uppföljaren – ${file}`,
    `Period: ${periodSpan(r.period)} (per ${end})`,
    `Nettoresultat, avvikelse per ${end}: ${dev(r.result.deviation)}`,
    `Prognos budgetavvikelse helår ${year}: ${dev(r.result.forecastDeviation)}`,
  ];
  if (r.result.balanceTarget !== null && r.result.deviationVsBalanceTarget !== null)
    lines.push(
      `Jämfört med ekonomi i balans (${formatAmount(r.result.balanceTarget, { unit })}): ${dev(r.result.deviationVsBalanceTarget)}`,
    );
  const count = (level: string) => outcome.findings.filter((f) => f.level === level).length;
  lines.push(
    `Kontroller: ${count("error")} fel, ${count("warning")} varningar, ${count("info")} upplysningar`,
  );
  for (const skipped of outcome.written?.notWritten ?? []) lines.push(`Ej skrivet: ${skipped}`);
  lines.push(written ? `Skrev: ${written}` : "Kontroll klar; ingenting skrevs.");
  return `${lines.join("\n")}\n`;
}
