/**
 * The long fuzz run (issue 6 §3): `npm run fuzz [-- --count N --mutations M --seed S --large]`.
 * Through the .xlsx runner (the CLI's main(), in-process):
 *  1. N random ledger workbooks (test/fixtures/fuzz-ledgers.ts);
 *  2. M byte mutations of valid .xlsx files (the sample and random ledgers): flip, truncate and insert
 *     bytes, and mutate the XML inside the zip (cell types, values, references, names, truncated parts);
 *  3. with --large, one full refresh of the 200 000-line workbook, timed.
 * Expected: exit 0 or 2 only, never 1 or a crash; the input byte-identical; no output file on exit 2.
 * Prints how many cases it tried and what it found; failing inputs are kept in build/fuzz/failures/.
 */
import fc from "fast-check";
import JSZip from "jszip";
import { createHash } from "crypto";
import { promises as fs } from "fs";
import * as path from "path";
import { main, type CliIo } from "../src/cli/main";
import { bigBook } from "../test/fixtures/bad-workbooks";
import { ledgerArb, ledgerBook } from "../test/fixtures/fuzz-ledgers";
import { rng } from "./bench-data";
import { sampleWorkbook } from "./build-sample";

const root = path.join(__dirname, "..", "..");
const work = path.join(root, "build", "fuzz");

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const COUNT = arg("count", 2000);
const MUTATIONS = arg("mutations", COUNT);
const SEED = arg("seed", 20190430);
const LARGE = process.argv.includes("--large");

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

interface Tally {
  tried: number;
  exit0: number;
  exit2: number;
  codes: Map<string, number>;
  failures: { kind: string; why: string; file: string }[];
}

const tally = (): Tally => ({ tried: 0, exit0: 0, exit2: 0, codes: new Map(), failures: [] });

/** One CLI run; returns a failure reason, or null when the outcome was a typed one. */
async function runOne(t: Tally, kind: string, bytes: Buffer): Promise<void> {
  const n = t.tried++;
  const input = path.join(work, "in.xlsx");
  const out = path.join(work, "out.xlsx");
  await fs.rm(out, { force: true });
  await fs.writeFile(input, bytes);
  let stdout = "";
  let stderr = "";
  const io: CliIo = { out: (s) => void (stdout += s), err: (s) => void (stderr += s) };
  let code: number;
  let why: string | null = null;
  try {
    code = await main(["refresh", input, "--out", out, "--json"], io);
  } catch (e) {
    code = -1;
    why = `crash: ${(e as Error).stack ?? String(e)}`;
  }
  const after = await fs.readFile(input);
  const outExists = await fs.stat(out).then(
    () => true,
    () => false,
  );
  const stray = (await fs.readdir(work)).filter((f) => f.startsWith(".out.xlsx"));
  if (!why && code === 1) why = `exit 1: ${stderr.slice(0, 600)}`;
  if (!why && code !== 0 && code !== 2) why = `exit ${code}`;
  if (!why && sha(after) !== sha(bytes)) why = "input changed";
  if (!why && code === 2 && outExists) why = "exit 2 but an output file was written";
  if (!why && code === 0 && !outExists) why = "exit 0 but no output file";
  if (!why && stray.length) why = `temp files left: ${stray.join(", ")}`;
  if (why) {
    const file = path.join(work, "failures", `${kind}-${n}.xlsx`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, bytes);
    t.failures.push({ kind, why, file: path.relative(process.cwd(), file) });
    for (const f of stray) await fs.rm(path.join(work, f), { force: true });
    return;
  }
  if (code === 0) t.exit0++;
  else {
    t.exit2++;
    let errCode = "?";
    try {
      errCode = (JSON.parse(stdout) as { errors: { code: string }[] }).errors[0].code;
    } catch {
      /* keep "?" */
    }
    t.codes.set(errCode, (t.codes.get(errCode) ?? 0) + 1);
  }
}

const XML_EDITS: [string, (xml: string, r: () => number) => string][] = [
  ["cell-type", (x, r) => replaceNth(x, /t="(s|n|b|e|str|inlineStr)"/g, r, () => `t="${pick(["s", "n", "b", "e", "str", "inlineStr", "zz"], r)}"`)], // prettier-ignore
  ["cell-value", (x, r) => replaceNth(x, /<v>[^<]*<\/v>/g, r, () => `<v>${pick(["", "-", "1e309", "NaN", "99999999", "#REF!", "abc", "-0", "4.5"], r)}</v>`)], // prettier-ignore
  ["cell-ref", (x, r) => replaceNth(x, / r="[A-Z]+\d+"/g, r, () => ` r="${pick(["A0", "XFE1", "A1048577", "", "ZZZZ9", "A1"], r)}"`)], // prettier-ignore
  ["row-ref", (x, r) => replaceNth(x, /<row r="\d+"/g, r, () => `<row r="${pick(["0", "-1", "1048577", "x", "3"], r)}"`)], // prettier-ignore
  ["name", (x, r) => replaceNth(x, /<definedName [^>]*>[^<]*<\/definedName>/g, r, () => `<definedName name="${pick(["Budget", "Poster", "Period", "Utfall"], r)}">${pick(["#REF!", "Underlag!$A$1:$A$0", "Nope!$A$1", "Underlag!$C$4,Underlag!$C$9", "1/0", "Underlag!$XFD$1048576:$A$1", "'Under''lag'!A1"], r)}</definedName>`)], // prettier-ignore
  ["truncate-part", (x, r) => x.slice(0, Math.floor(r() * x.length))],
  ["drop-element", (x, r) => replaceNth(x, /<(c|row|definedName|sheet|si) [^>]*\/>|<(c|row|si)\b[^>]*>[\s\S]*?<\/\2>/g, r, () => "")], // prettier-ignore
  ["garble-chars", (x, r) => { const a = x.split(""); for (let i = 0; i < 5; i++) a[Math.floor(r() * a.length)] = pick(["<", ">", "&", '"', "\u0000", "é"], r); return a.join(""); }], // prettier-ignore
];

function pick<T>(xs: T[], r: () => number): T {
  return xs[Math.floor(r() * xs.length)];
}

function replaceNth(xml: string, re: RegExp, r: () => number, by: () => string): string {
  const matches = [...xml.matchAll(re)];
  if (!matches.length) return xml;
  const m = matches[Math.floor(r() * matches.length)];
  return xml.slice(0, m.index) + by() + xml.slice((m.index ?? 0) + m[0].length);
}

async function mutate(base: Buffer, r: () => number): Promise<{ kind: string; bytes: Buffer }> {
  const op = Math.floor(r() * 5);
  const b = Buffer.from(base);
  if (op === 0) {
    for (let i = 0, n = 1 + Math.floor(r() * 8); i < n; i++)
      b[Math.floor(r() * b.length)] ^= 1 << Math.floor(r() * 8);
    return { kind: "flip", bytes: b };
  }
  if (op === 1) return { kind: "truncate", bytes: b.subarray(0, Math.floor(r() * b.length)) };
  if (op === 2) {
    const at = Math.floor(r() * b.length);
    const junk = Buffer.from(Array.from({ length: 1 + Math.floor(r() * 64) }, () => Math.floor(r() * 256)));
    return { kind: "insert", bytes: Buffer.concat([b.subarray(0, at), junk, b.subarray(at)]) };
  }
  const zip = await JSZip.loadAsync(base);
  const parts = Object.keys(zip.files).filter((f) => /\.(xml|rels)$/.test(f) && !zip.files[f].dir);
  const part =
    op === 3
      ? pick(
          parts.filter((p) => /worksheets|sharedStrings|workbook\.xml$/.test(p)),
          r,
        )
      : pick(parts, r);
  const [name, edit] = pick(XML_EDITS, r);
  zip.file(part, edit(await zip.file(part)!.async("string"), r));
  return {
    kind: `xml-${name}`,
    bytes: Buffer.from(await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" })),
  };
}

function report(title: string, t: Tally): void {
  const codes = [...t.codes]
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c} ${n}`)
    .join(", ");
  console.log(`${title}: ${t.tried} tried, exit 0: ${t.exit0}, exit 2: ${t.exit2}, failures (exit 1, crash, input changed, partial output): ${t.failures.length}`); // prettier-ignore
  if (codes) console.log(`  exit-2 codes: ${codes}`);
  for (const f of t.failures.slice(0, 10))
    console.log(`  FAIL ${f.kind} (${f.file}): ${f.why.split("\n")[0]}`);
}

async function run(): Promise<number> {
  await fs.rm(work, { recursive: true, force: true });
  await fs.mkdir(work, { recursive: true });
  const started = Date.now();
  console.log(`Uppföljaren fuzz: seed ${SEED}, ${COUNT} random ledgers, ${MUTATIONS} byte mutations${LARGE ? ", 200 000 lines" : ""}`); // prettier-ignore

  const ledgers = tally();
  const samples = fc.sample(ledgerArb, { seed: SEED, numRuns: COUNT });
  const valid: Buffer[] = [await sampleWorkbook()];
  for (const c of samples) {
    const bytes = await ledgerBook(c);
    const before = ledgers.exit0;
    await runOne(ledgers, "ledger", bytes);
    if (ledgers.exit0 > before && valid.length < 40) valid.push(bytes);
  }
  report("Random ledgers", ledgers);

  const mutations = tally();
  const r = rng(SEED);
  const kinds = new Map<string, number>();
  for (let i = 0; i < MUTATIONS; i++) {
    const { kind, bytes } = await mutate(pick(valid, r), r);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    await runOne(mutations, kind, bytes);
  }
  report("Byte mutations of valid .xlsx files", mutations);
  console.log(`  mutation kinds: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(", ")}`);

  let large = { failures: 0 };
  if (LARGE) {
    const t = tally();
    const t0 = Date.now();
    await runOne(t, "large", await bigBook(200000));
    report(`200 000 lines (${((Date.now() - t0) / 1000).toFixed(1)} s)`, t);
    large = { failures: t.failures.length };
  }
  const failures = ledgers.failures.length + mutations.failures.length + large.failures;
  console.log(`Total: ${ledgers.tried + mutations.tried + (LARGE ? 1 : 0)} cases in ${((Date.now() - started) / 1000).toFixed(0)} s; ${failures} failures.`); // prettier-ignore
  return failures ? 1 : 0;
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(e);
    process.exitCode = 1;
  },
);
