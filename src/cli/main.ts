/**
 * `uppfoljaren`: the headless runner for .xlsx files. A thin shell over the .xlsx host and the shared
 * refresh pipeline:
 *   uppfoljaren refresh IN.xlsx --out UT.xlsx [--period M] [--json] [--in-place]
 *   uppfoljaren check IN.xlsx [--period M] [--json]
 * Exit codes: 0 refreshed/checked, 2 refused (the input, the arguments or OUT; nothing written), 1 a bug.
 * OUT is written atomically (src/cli/files.ts); IN is never written unless --in-place.
 */
import * as path from "path";
import { rankMethods } from "../core/backtest";
import { describeBacktest, describeRecommendation, explainLine } from "../core/explain";
import { formatAmount, unitDecimals } from "../core/format";
import { monthName, periodLabel } from "../core/period";
import type { LedgerResult } from "../core/types";
import { reportDocxBuffer } from "../export/docx";
import { buildReportModel } from "../export/report-model";
import { openWorkbook, XlsxFileError } from "../hosts/xlsx";
import { batchMain, isBatch } from "./batch";
import { setOneWorkbookHeap } from "./heap";
import { parseConfig } from "../workbook/config";
import { periodSpan } from "../workbook/dates";
import { refresh, type LocatedFinding, type RefreshOutcome, type RefreshStep } from "../workbook/pipeline";
import type { ContractError } from "../workbook/types";
import { countSv, countsSv } from "../workbook/words";
import { checkTarget, FileRefusal, readInput, writeAtomically } from "./files";
import {
  capped,
  clip,
  errorLines,
  findingLines,
  MAX_JSON_ITEMS,
  MAX_JSON_MESSAGE,
  Progress,
  terminalSafe,
  terminalSafeJson,
  UNUSABLE,
} from "./terminal";

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** stderr is an interactive terminal: progress is shown there for large files. */
  errIsTTY?: boolean;
}

const processIo: CliIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  errIsTTY: process.stderr.isTTY === true,
};

/** Files from this size on show progress on an interactive terminal. */
export const PROGRESS_FROM_BYTES = 512 * 1024;

export const USAGE = `Uppföljaren – uppdaterar uppföljningsarbetsböcker (.xlsx) utan Excel

Användning:
  uppfoljaren refresh IN.xlsx --out UT.xlsx [--period M] [--json]
  uppfoljaren refresh IN.xlsx --in-place [--period M] [--json]
  uppfoljaren check IN.xlsx [--period M] [--json]
  uppfoljaren rapport IN.xlsx --out RAPPORT.docx [--period M] [--json]
  uppfoljaren refresh --all MAPP --out-dir UTMAPP [--consolidate NÄMND.xlsx] [--period M] [--jobs N] [--nytt-utkast] [--json]
  uppfoljaren --help

Kommandon:
  refresh   Läser arbetsboken via de namngivna områdena, räknar avvikelser och prognoser,
            skriver utdatakolumnerna och rapportbladen i en kopia (UT.xlsx).
  check     Kontrollerar arbetsboken och listar anmärkningarna (nivå, cell, meddelande);
            skriver ingenting.
  rapport   Skriver rapporten till nämnden som Word-dokument (RAPPORT.docx): sammanfattning,
            volymer, personalnyckeltal, drifts- och investeringsredovisning, åtgärder och
            åtgärdsplan, med texterna från rapportbladen. Arbetsboken ändras inte.
  refresh --all MAPP
            Uppdaterar varje arbetsbok (.xlsx) i MAPP var för sig (en per enhet) och skriver
            kopiorna med samma filnamn i UTMAPP; en arbetsbok som inte kan användas stoppar inte
            de andra. Slutar med en tabell; slutkod 2 om någon inte kunde användas.

Flaggor:
  --out FIL     Filen som skrivs, med samma filändelse som arbetsbokens format
                (.xlsx, eller .xlsm för en arbetsbok med makron). IN skrivs aldrig över utan
                --in-place; en mapp, en länk eller något annat än en vanlig fil ersätts aldrig.
                För rapport: en .docx-fil.
  --in-place    Skriv resultatet tillbaka till IN.
  --out-dir MAPP
                Med --all: mappen kopiorna skrivs i (inte samma som MAPP).
  --consolidate FIL
                Med --all: skriv också nämndens arbetsbok, enheternas belopp sida vid sida och
                summerade, med egna rapportblad.
  --jobs N      Med --all: upp till N arbetsböcker samtidigt (standard en i taget).
  --period M    Rapportmånad 1–12 (annars arbetsbokens Period).
  --json        Skriv ett JSON-dokument på stdout i stället för sammanfattningen.
  --nytt-utkast Skriv ett nytt utkast till sammanfattningen och kommentaren till
                driftsredovisningen även där texten redan är ändrad (den gamla texten sparas
                under Egna anteckningar).
  -h, --help    Visa den här hjälpen.

Slutkoder: 0 klart, 2 kan inte användas (inget skrivs; meddelandet säger varför), 1 programfel.
`;

/** The one line of usage shown after a usage error. */
export const USAGE_LINE =
  "Användning: uppfoljaren refresh IN.xlsx --out UT.xlsx | check IN.xlsx [--period M] [--json]  (mer: uppfoljaren --help)";

interface Args {
  command: "refresh" | "check" | "rapport" | "help" | "none";
  input?: string;
  out?: string;
  inPlace: boolean;
  json: boolean;
  month?: number;
  newDraft: boolean;
}

class UsageError extends Error {}

function takeValue(flag: string, inline: string | undefined, rest: string[]): string {
  const v = inline ?? rest.shift();
  if (v === undefined || v === "" || (inline === undefined && v.startsWith("-")))
    throw new UsageError(`${flag} kräver ${flag === "--period" ? "en månad 1–12" : "ett filnamn"}.`);
  return v;
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { command: "none", inPlace: false, json: false, newDraft: false };
  const rest = [...argv];
  const positional: string[] = [];
  const seen = new Set<string>();
  const once = (flag: string) => {
    if (seen.has(flag)) throw new UsageError(`${flag} anges mer än en gång.`);
    seen.add(flag);
  };
  while (rest.length) {
    const a = rest.shift()!;
    const [flag, inline] =
      a.startsWith("--") && a.includes("=")
        ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
        : [a, undefined];
    if (flag === "--") positional.push(...rest.splice(0));
    else if (flag === "--help" || flag === "-h") return { ...args, command: "help" };
    else if (flag === "--json") args.json = true;
    else if (flag === "--in-place") args.inPlace = true;
    else if (flag === "--nytt-utkast") args.newDraft = true;
    else if (flag === "--out" || flag === "-o") {
      once("--out");
      args.out = takeValue("--out", inline, rest);
    } else if (flag === "--period") {
      once("--period");
      const v = takeValue("--period", inline, rest);
      const m = /^\d{1,2}$/.test(v) ? Number(v) : NaN;
      if (!(m >= 1 && m <= 12)) throw new UsageError(`--period kräver en månad 1–12 (fick "${v}").`);
      args.month = m;
    } else if (flag.startsWith("-") && flag !== "-") throw new UsageError(`Okänd flagga: ${flag}`);
    else positional.push(a);
  }
  const [command, input, ...extra] = positional;
  if (command === undefined) return args;
  if (command === "help") return { ...args, command: "help" };
  if (command !== "refresh" && command !== "check" && command !== "rapport")
    throw new UsageError(`Okänt kommando: ${command}`);
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
  } else if (command === "rapport") {
    if (!args.out) throw new UsageError("rapport kräver --out RAPPORT.docx.");
    if (args.inPlace) throw new UsageError("rapport ändrar inte arbetsboken; --in-place gäller inte.");
    if (!/\.docx$/i.test(args.out)) throw new UsageError("--out för rapport ska vara en .docx-fil.");
  } else if (args.out || args.inPlace)
    throw new UsageError("check skriver ingenting; --out och --in-place gäller inte.");
  return args;
}

/** Runs the CLI; returns the exit code. `io` defaults to the process's stdout/stderr. */
/** A report with errors on Kontroller should not reach the nämnd unread: said after "Skrev rapporten". */
function reportWarning(findings: readonly { level: string }[]): string {
  const errors = findings.filter((f) => f.level === "error").length;
  return errors
    ? `Obs: Kontroller har ${countSv("error", errors)}; se över dem innan rapporten går till nämnden (uppfoljaren check IN.xlsx listar dem).\n`
    : "";
}

/**
 * The process entry (bin/uppfoljaren.js): the heap set for one workbook (not for a batch, whose workers
 * share the process's flags), then main.
 */
export function runProcess(argv: string[]): Promise<number> {
  if (!isBatch(argv)) setOneWorkbookHeap();
  return main(argv);
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  if (isBatch(argv)) return batchMain(argv, io);
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`Fel: ${terminalSafe(e.message)}\n${USAGE_LINE}\n`);
    return 2;
  }
  if (args.command === "help") {
    io.out(USAGE);
    return 0;
  }
  if (args.command === "none") {
    io.err(USAGE);
    return 2;
  }
  try {
    return await run(args, io);
  } catch (e) {
    if (e instanceof FileRefusal) return refused(io, args, [e.error], headerFor(e.error));
    io.err(`Oväntat fel (ett programfel; ingenting skrevs): ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

/** The extension each workbook format is written with (the main part's content type decides). */
const EXTENSION: Record<string, string> = { xlsx: ".xlsx", xlsm: ".xlsm", xltx: ".xltx", xltm: ".xltm" };
const FORMAT_SV: Record<string, string> = {
  xlsx: "en vanlig arbetsbok (.xlsx)",
  xlsm: "en arbetsbok med makron (.xlsm)",
  xltx: "en mall (.xltx)",
  xltm: "en mall med makron (.xltm)",
};

async function run(args: Args, io: CliIo): Promise<number> {
  const input = args.input!;
  const file = terminalSafe(path.basename(input), 120);
  const input0 = await readInput(input, file);
  const target = args.command === "refresh" ? (args.inPlace ? input : args.out!) : null;
  const shownTarget = target ? terminalSafe(target, 200) : "";
  if (target) await checkTarget(target, input0, args.inPlace, shownTarget);
  if (args.command === "rapport") await checkTarget(args.out!, input0, false, terminalSafe(args.out!, 200));
  const progress = new Progress(
    (t) => io.err(t),
    io.errIsTTY === true && !args.json && input0.stats.size >= PROGRESS_FROM_BYTES,
  );
  progress.step(`öppnar ${file} (${(input0.stats.size / 1e6).toFixed(1).replace(".", ",")} MB)`);
  // Progress is cleared before anything else is printed, so no message lands on its line.
  const quiet: CliIo = { out: (t) => (progress.done(), io.out(t)), err: (t) => (progress.done(), io.err(t)) };
  try {
    return await refreshWith({ args, io: quiet, bytes: input0.bytes, target, shownTarget, progress, file });
  } catch (e) {
    progress.done();
    // A damaged part found while reading, or the package refused at open: the workbook's problem.
    if (!(e instanceof XlsxFileError)) throw e;
    return unusable(io, args, [{ code: `FILE_${e.code}`, message: e.message, messageEn: e.messageEn }]);
  }
}

interface RunContext {
  args: Args;
  io: CliIo;
  bytes: Buffer;
  target: string | null;
  shownTarget: string;
  progress: Progress;
  file: string;
}

async function refreshWith(c: RunContext): Promise<number> {
  const { args, io, target, shownTarget, progress, file } = c;
  const host = await openWorkbook(c.bytes, path.basename(args.input!));
  if (target && !args.inPlace) {
    const want = EXTENSION[host.format] ?? `.${host.format}`;
    if (path.extname(target).toLowerCase() !== want) {
      const error = extensionError(shownTarget, host.format, want);
      return refused(io, args, [error], headerFor(error));
    }
  }
  const config = parseConfig(host.configXml);
  const outcome = await refresh(host, config, {
    month: args.month,
    dryRun: args.command !== "refresh",
    newDraft: args.newDraft,
    onProgress: (step) => progress.step(STEP_SV[step]),
  });
  if (!outcome.ok && outcome.stage === "validate") return unusable(io, args, outcome.errors);
  if (!outcome.ok) throw new Error(`the write failed part-way: ${outcome.message}`);
  if (target) {
    progress.step(`sparar ${shownTarget}`);
    await writeAtomically(target, await host.output(), shownTarget);
  }
  if (args.command === "rapport") {
    const model = buildReportModel(outcome);
    progress.step(`sparar ${terminalSafe(args.out!, 200)}`);
    await writeAtomically(args.out!, await reportDocxBuffer(model), terminalSafe(args.out!, 200));
    progress.done();
    if (args.json) io.out(`${terminalSafeJson({ ok: true, title: model.title, written: args.out })}\n`);
    else
      io.out(
        `${model.title} (${periodSpan(outcome.result.period)})\nSkrev rapporten: ${terminalSafe(args.out!, 200)}\n${reportWarning(outcome.findings)}`,
      );
    return 0;
  }
  progress.done();
  if (args.json) io.out(`${terminalSafeJson(toJson(outcome, target))}\n`);
  else io.out(summary(outcome, file, target === null ? null : shownTarget));
  return 0;
}

const STEP_SV: Record<RefreshStep, string> = {
  read: "läser arbetsboken",
  validate: "kontrollerar indata",
  compute: "räknar",
  write: "skriver resultatet",
  done: "klar",
};

function extensionError(shown: string, format: string, want: string): ContractError {
  return {
    code: "OUT_EXTENSION",
    message: `${shown} har fel filändelse: arbetsboken är ${FORMAT_SV[format] ?? format} och skrivs som ${want}. Ange --out med filändelsen ${want}.`,
    messageEn: `${shown} has the wrong extension: the workbook is ${format} and is written as ${want}. Give --out with the extension ${want}.`,
  };
}

/** IN's problems are the workbook's; OUT's are where it was to be written. */
const headerFor = (e: ContractError) =>
  e.code.startsWith("OUT_") ? "Resultatet kan inte skrivas dit; ingenting skrevs." : UNUSABLE;

function unusable(io: CliIo, args: Args, errors: ContractError[]): number {
  return refused(io, args, errors, UNUSABLE);
}

/** Exit 2: the reasons on stderr (escaped, capped), and {ok: false, errors} on stdout with --json. */
function refused(io: CliIo, args: Args, errors: ContractError[], header: string): number {
  const lines = errorLines(errors).map((l) => `${l}\n`);
  io.err(`${header}\n${lines.join("")}`);
  if (args.json) {
    const json = capped(errors, MAX_JSON_ITEMS);
    const doc = {
      ok: false,
      errors: json.shown.map((e) => ({
        ...e,
        message: clip(e.message, MAX_JSON_MESSAGE),
        messageEn: clip(e.messageEn, MAX_JSON_MESSAGE),
      })),
      ...(json.omitted ? { errorsOmitted: json.omitted } : {}),
    };
    io.out(`${terminalSafeJson(doc)}\n`);
  }
  return 2;
}

type OkOutcome = Extract<RefreshOutcome, { ok: true }>;

function cellOf(f: LocatedFinding): string | null {
  if (!f.sheet) return null;
  return f.cell ? `${f.sheet}!${f.cell}` : f.sheet;
}

/** The --json document: plain, unrounded numbers in the workbook's unit. */
export function toJson(outcome: OkOutcome, written: string | null) {
  const r: LedgerResult = outcome.result;
  const findings = capped(outcome.findings, MAX_JSON_ITEMS);
  const backtests = new Map((r.backtests ?? []).map((b) => [b.line, b]));
  return {
    ok: true,
    period: { year: r.period.year, month: r.period.month },
    unit: r.unit,
    lines: r.lines.map((l, i) => ({
      label: l.label,
      ...(l.orgUnit === undefined ? {} : { orgUnit: l.orgUnit }),
      kind: l.kind,
      annualBudget: l.annualBudget,
      periodBudget: l.periodBudget,
      actual: l.actual,
      deviation: l.deviation,
      forecast: l.forecast,
      forecastDeviation: l.forecastDeviation,
      forecastChange: outcome.tertial.change.lines[i] ?? null,
      method: l.method,
      explanation: explainLine(l, r),
      backtest: backtestJson(backtests.get(l.index)),
    })),
    result: { ...r.result, forecastChange: outcome.tertial.change.net },
    ...(r.units ? { units: r.units.units.map((u) => ({ name: u.name, ...u.result })) } : {}),
    previousForecastPeriod: outcome.tertial.change.previousPeriod,
    summary: outcome.tertial.texts.summary,
    investments: outcome.tertial.investments && {
      lines: outcome.tertial.investments.result.lines.map((l) => ({
        label: l.label,
        kind: l.kind,
        annualBudget: l.annualBudget,
        periodBudget: l.periodBudget,
        actual: l.actual,
        deviation: l.deviation,
        forecastDeviation: l.forecastDeviation,
      })),
      result: { ...outcome.tertial.investments.result.result },
    },
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
    findings: findings.shown.map((f) => ({
      level: f.level,
      code: f.code,
      message: clip(f.message, MAX_JSON_MESSAGE),
      cell: cellOf(f),
    })),
    ...(findings.omitted ? { findingsOmitted: findings.omitted } : {}),
    written,
  };
}

/** The human summary in Swedish, with the findings listed (level, cell, message). */
/** A line's backtest for --json: last year's outcome, each method's error, the recommendation and why. */
function backtestJson(b: NonNullable<LedgerResult["backtests"]>[number] | undefined) {
  if (!b) return null;
  return {
    outcome: b.outcome,
    methods: rankMethods(b).map((m) => ({
      method: m.method,
      forecast: m.forecast,
      error: m.error,
      errorShare: Number.isNaN(m.errorShare) ? null : m.errorShare,
    })),
    recommended: b.recommended,
    reason: b.reason,
    text: [describeBacktest(b), describeRecommendation(b)].filter(Boolean).join(". "),
  };
}

/** The human summary in Swedish. */
export function summary(outcome: OkOutcome, file: string, written: string | null): string {
  const r = outcome.result;
  const { year } = r.period;
  const end = periodLabel(r.period);
  const unit = r.unit;
  // mkr with one decimal, as the sheets and the Word report show them (DOMAIN §1.1).
  const decimals = unitDecimals(unit);
  const dev = (v: number) => formatAmount(v, { sign: "deviation", unit, decimals });
  const lines = [
    `Uppföljaren – ${terminalSafe(file, 120)}`,
    `Period: ${periodSpan(r.period)} (per ${end})`,
    `Nettoresultat, avvikelse per ${end}: ${dev(r.result.deviation)}`,
    `Prognos budgetavvikelse helår ${year}: ${dev(r.result.forecastDeviation)}`,
  ];
  if (r.result.balanceTarget !== null && r.result.deviationVsBalanceTarget !== null)
    lines.push(
      `Jämfört med ekonomi i balans (${formatAmount(r.result.balanceTarget, { unit, decimals })}): ${dev(r.result.deviationVsBalanceTarget)}`,
    );
  const change = outcome.tertial.change;
  if (change.previousPeriod !== null && change.net !== null)
    lines.push(`Förändring mot föregående prognos (${monthName(change.previousPeriod)}): ${dev(change.net)}`);
  const count = (level: string) => outcome.findings.filter((f) => f.level === level).length;
  lines.push(
    `Kontroller: ${countsSv({ error: count("error"), warning: count("warning"), info: count("info") })}`,
  );
  lines.push(...findingLines(outcome.findings.map((f) => ({ ...f, cell: cellOf(f) }))));
  for (const skipped of outcome.written?.notWritten ?? []) lines.push(`Ej skrivet: ${terminalSafe(skipped)}`);
  lines.push(written ? `Skrev: ${terminalSafe(written, 200)}` : "Kontroll klar; ingenting skrevs.");
  return `${lines.join("\n")}\n`;
}
