/**
 * The producer matrix: the bundled sample as LibreOffice, openpyxl, ExcelJS, SheetJS, a .NET
 * System.IO.Packaging-style writer and others write it (scripts/build-producers.ts), each refreshed
 * twice through the command-line runner (`main(["refresh", …, "--json"])`). The judges are independent:
 * Python's zipfile, lxml and Debian's openpyxl (test/fixtures/read-workbook.py), @xmldom/xmldom, the
 * ECMA-376 schemas (../shared/tools/ooxml-validate), LibreOffice and Gnumeric.
 *
 * What a refresh may change (docs/TEMPLATE.md, "Vad körningen behåller"): the output cells on the
 * user's sheet (edited in place: the rest of that part byte-identical), the report sheets it owns and the
 * parts they use, the workbook part (sheets and defined names only), its relationships,
 * [Content_Types].xml, the styles part and docProps/app.xml when it exists. Everything else must come
 * out byte-identical. Each producer's test lists every problem it finds at once.
 */
import { DOMParser } from "@xmldom/xmldom";
import { execFile } from "child_process";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { buildProducers, PRODUCER_NAMES, type Producer } from "../../scripts/build-producers";
import { ensureDebianPackages } from "../../scripts/debian";
import { main, type CliIo } from "../../src/cli/main";
import { REPORT_SHEETS, STATE_SHEET } from "../../src/workbook/contract";

const exec = promisify(execFile);
const root = path.join(__dirname, "..", "..");
const VALIDATE = path.join(root, "..", "shared", "tools", "ooxml-validate");
const READER = path.join(__dirname, "..", "fixtures", "read-workbook.py");

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships";
// The sheets the refresh owns, as the workbook layer defines them (the report sheets and the hidden state sheet).
const OWNED: string[] = [...Object.values(REPORT_SHEETS), STATE_SHEET];
const OUTPUTS = ["Avvikelse", "Prognos", "Prognosavvikelse"];

interface Part {
  name: string;
  sha256: string;
  size: number;
  /** The part starts with a byte-order mark (the text has it removed). */
  bom: boolean;
  text?: string;
  xmlError?: string;
}
interface OpenpyxlView {
  error?: string;
  sheetNames: string[];
  sheets: Record<string, Record<string, unknown>>;
  names: Record<string, string>;
  warnings: string[];
}
interface View {
  zipError?: string;
  parts: Part[];
  openpyxl: OpenpyxlView;
}

async function readWorkbooks(files: string[]): Promise<Record<string, View>> {
  const { stdout } = await exec("/usr/bin/python3", [READER, ...files], { maxBuffer: 256 << 20 });
  return JSON.parse(stdout) as Record<string, View>;
}

interface JsonLine {
  label: string;
  deviation: number;
  forecast: number;
  forecastDeviation: number;
}

async function refreshOnce(
  input: string,
  out: string,
): Promise<{ code: number; lines: JsonLine[]; err: string }> {
  let stdout = "";
  let err = "";
  const io: CliIo = { out: (t) => void (stdout += t), err: (t) => void (err += t) };
  const code = await main(["refresh", input, "--out", out, "--json"], io);
  const doc = code === 0 ? JSON.parse(stdout) : null;
  return { code, lines: doc?.lines ?? [], err };
}

/** Namespace-aware parse with @xmldom/xmldom; returns the document or the parser's complaint. */
function parseXml(text: string): { doc?: Document; error?: string } {
  const problems: string[] = [];
  try {
    const doc = new DOMParser({
      onError: (level: string, msg: string) => void (level !== "warning" && problems.push(msg)),
    }).parseFromString(text, "text/xml") as unknown as Document;
    return problems.length ? { error: problems.join("; ") } : { doc };
  } catch (e) {
    return { error: (e as Error).message.split("\n")[0] };
  }
}

const partMap = (v: View) => new Map(v.parts.map((p) => [p.name, p]));
const relsOf = (part: string) =>
  path.posix.join(path.posix.dirname(part), "_rels", `${path.posix.basename(part)}.rels`);

function resolveTarget(source: string, target: string): string {
  const full = target.startsWith("/") ? target : path.posix.join("/", path.posix.dirname(source), target);
  return path.posix.normalize(full).slice(1);
}

interface Rel {
  id: string;
  type: string;
  target: string;
}

function rels(parts: Map<string, Part>, source: string): Rel[] {
  const text = parts.get(source === "" ? "_rels/.rels" : relsOf(source))?.text;
  const doc = text ? parseXml(text).doc : undefined;
  if (!doc) return [];
  return Array.from(doc.getElementsByTagNameNS(PKG_RELS, "Relationship"))
    .filter((r) => r.getAttribute("TargetMode") !== "External")
    .map((r) => ({
      id: r.getAttribute("Id") ?? "",
      type: (r.getAttribute("Type") ?? "").split("/").pop()!,
      target: resolveTarget(source, r.getAttribute("Target") ?? ""),
    }));
}

interface SheetEntry {
  name: string;
  sheetId: string;
  rid: string;
  part: string;
  xml: string;
}

interface Package {
  parts: Map<string, Part>;
  main: string;
  workbook: Document;
  sheets: SheetEntry[];
  names: { name: string; local: string | null; text: string; xml: string }[];
}

function openPackage(v: View): Package {
  const parts = partMap(v);
  const main = rels(parts, "").find((r) => r.type === "officeDocument")!.target;
  const workbook = parseXml(parts.get(main)!.text!).doc!;
  const wbRels = new Map(rels(parts, main).map((r) => [r.id, r.target]));
  const sheets = Array.from(workbook.getElementsByTagNameNS(MAIN, "sheet")).map((s) => ({
    name: s.getAttribute("name")!,
    sheetId: s.getAttribute("sheetId")!,
    rid: s.getAttributeNS(R, "id")!,
    part: wbRels.get(s.getAttributeNS(R, "id")!)!,
    xml: canonical(s),
  }));
  const names = Array.from(workbook.getElementsByTagNameNS(MAIN, "definedName")).map((d) => ({
    name: d.getAttribute("name")!,
    local: d.getAttribute("localSheetId"),
    text: d.textContent ?? "",
    xml: canonical(d),
  }));
  return { parts, main, workbook, sheets, names };
}

/** An element as namespace URI + local name + sorted attributes + children, independent of prefixes. */
function canonical(node: Node): string {
  if (node.nodeType === 3 || node.nodeType === 4) return JSON.stringify(node.nodeValue);
  if (node.nodeType !== 1) return "";
  const el = node as Element;
  const attrs = Array.from(el.attributes)
    .filter((a) => a.prefix !== "xmlns" && a.name !== "xmlns")
    .map((a) => `{${a.namespaceURI ?? ""}}${a.localName}=${JSON.stringify(a.value)}`)
    .sort();
  const kids = Array.from(el.childNodes).map(canonical).join("");
  return `<{${el.namespaceURI}}${el.localName} ${attrs.join(" ")}>${kids}</>`;
}

/** The workbook part without <sheets> and <definedNames>: what a refresh must leave exactly as it was. */
function workbookRest(doc: Document): string {
  const rootEl = doc.documentElement;
  return Array.from(rootEl.childNodes)
    .filter((n) => !(n.nodeType === 1 && ["sheets", "definedNames"].includes((n as Element).localName)))
    .map(canonical)
    .join("");
}

interface Area {
  sheet: string;
  cells: string[];
}

function colNumber(letters: string): number {
  return [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
}
function colLetters(n: number): string {
  let s = "";
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** "Underlag!$AA$10:$AA$17" → the sheet and every cell in it. */
function area(ref: string): Area {
  const m = /^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/.exec(ref.trim());
  if (!m) throw new Error(`unexpected reference ${ref}`);
  const sheet = m[1] ? m[1].replace(/''/g, "'") : m[2];
  const [c1, r1] = [colNumber(m[3]), Number(m[4])];
  const [c2, r2] = [m[5] ? colNumber(m[5]) : c1, m[6] ? Number(m[6]) : r1];
  const cells: string[] = [];
  for (let r = r1; r <= r2; r++) for (let c = c1; c <= c2; c++) cells.push(`${colLetters(c)}${r}`);
  return { sheet, cells };
}

function outputAreas(pkg: Package): Map<string, Area> {
  const out = new Map<string, Area>();
  for (const n of pkg.names)
    if (n.local === null && OUTPUTS.some((o) => o.toLowerCase() === n.name.toLowerCase()))
      out.set(
        OUTPUTS.find((o) => o.toLowerCase() === n.name.toLowerCase())!,
        area(n.text),
      );
  return out;
}

/**
 * The heading cell above each output column (docs/TEMPLATE.md, "Rapportbladen"): the refresh may write
 * it, but only where the cell was empty before.
 */
function headingCells(outputs: Map<string, Area>, before: OpenpyxlView): Area[] {
  const out: Area[] = [];
  for (const o of outputs.values()) {
    const m = /^([A-Z]+)(\d+)$/.exec(o.cells[0]);
    if (!m || Number(m[2]) <= 1) continue;
    const ref = `${m[1]}${Number(m[2]) - 1}`;
    if (before.sheets?.[o.sheet]?.[ref] === undefined) out.push({ sheet: o.sheet, cells: [ref] });
  }
  return out;
}

/** The part without the given cells (and without rows that only the refresh added). */
function withoutCells(xml: string, cells: Set<string>, keepRows: Set<string> | null): string {
  let out = xml.replace(
    /<(\w+:)?c\b[^>]*?\br="([A-Z]+\d+)"[^>]*?(?:\/>|>[\s\S]*?<\/\1c>)/g,
    (whole, _p, ref: string) => (cells.has(ref) ? "" : whole),
  );
  if (keepRows)
    out = out.replace(/<(\w+:)?row\b[^>]*?\br="(\d+)"[^>]*?(?:\/>|>\s*<\/\1row>)/g, (whole, _p, r: string) =>
      keepRows.has(r) ? whole : "",
    );
  return out;
}
const rowNumbers = (xml: string) =>
  new Set([...xml.matchAll(/<(?:\w+:)?row\b[^>]*?\br="(\d+)"/g)].map((m) => m[1]));

/** Every part reachable from the owned report sheets (their rels, drawings, charts …). */
function ownedParts(pkg: Package): Set<string> {
  const owned = new Set<string>();
  const visit = (part: string) => {
    if (owned.has(part) || !pkg.parts.has(part)) return;
    owned.add(part);
    if (pkg.parts.has(relsOf(part))) owned.add(relsOf(part));
    for (const r of rels(pkg.parts, part)) visit(r.target);
  };
  for (const s of pkg.sheets) if (OWNED.includes(s.name)) visit(s.part);
  return owned;
}

/** Everything one refresh (before → after) may not do; empty when it kept its promises. */
function problemsOf(before: View, after: View, figures: JsonLine[]): string[] {
  if (after.zipError) return [`the output is not a readable zip: ${after.zipError}`];
  const problems: string[] = [];
  const b = openPackage(before);
  const a = openPackage(after);
  const outputs = outputAreas(a);
  if (outputs.size !== 3) problems.push(`output names defined: ${[...outputs.keys()].join(", ") || "none"}`);
  const outputSheetParts = new Map<string, Set<string>>();
  const headings = headingCells(outputs, before.openpyxl);
  for (const o of [...outputs.values(), ...headings]) {
    const part = a.sheets.find((s) => s.name === o.sheet)?.part;
    if (!part) continue;
    const set = outputSheetParts.get(part) ?? new Set<string>();
    o.cells.forEach((c) => set.add(c));
    outputSheetParts.set(part, set);
  }
  const styles = rels(b.parts, b.main).find((r) => r.type === "styles")?.target ?? "xl/styles.xml";
  const mayChange = new Set([b.main, relsOf(b.main), "[Content_Types].xml", styles, "docProps/app.xml"]);
  const ownedAfter = ownedParts(a);
  const ownedBefore = ownedParts(b);

  for (const p of before.parts) {
    const q = a.parts.get(p.name);
    if (!q) {
      if (!ownedBefore.has(p.name)) problems.push(`part removed: ${p.name}`);
      continue;
    }
    // A user's part that a report sheet now points to is still the user's: not skipped here.
    if (mayChange.has(p.name) || ownedBefore.has(p.name)) continue;
    const cells = outputSheetParts.get(p.name);
    if (cells) {
      const beforeText = withoutCells(p.text ?? "", cells, null);
      const afterText = withoutCells(q.text ?? "", cells, rowNumbers(p.text ?? ""));
      if (beforeText !== afterText) problems.push(`${p.name}: changed outside the output cells`);
      if (p.bom !== q.bom) problems.push(`${p.name}: byte-order mark ${p.bom ? "dropped" : "added"}`);
    } else if (p.sha256 !== q.sha256) problems.push(`part changed: ${p.name}`);
  }
  for (const q of after.parts) {
    if (b.parts.has(q.name)) continue;
    if (!ownedAfter.has(q.name) && q.name !== styles)
      problems.push(`part added outside the report sheets: ${q.name}`);
  }
  for (const q of after.parts) {
    if (!q.text && !q.name.match(/\.(xml|rels)$/)) continue;
    if (q.xmlError) problems.push(`${q.name}: lxml: ${q.xmlError}`);
    const parsed = parseXml(q.text ?? "");
    if (parsed.error) problems.push(`${q.name}: xmldom: ${parsed.error}`);
  }

  problems.push(...keptEntries(b, a, ownedBefore));
  if (workbookRest(b.workbook) !== workbookRest(a.workbook))
    problems.push(`${a.main}: changed outside <sheets> and <definedNames>`);
  for (const s of b.sheets) {
    if (OWNED.includes(s.name)) continue;
    const t = a.sheets.find((x) => x.name === s.name);
    if (!t || t.xml !== s.xml) problems.push(`${a.main}: the user's sheet ${s.name} changed: ${t?.xml}`);
  }
  const ownedIndexes = new Set(a.sheets.flatMap((s, i) => (OWNED.includes(s.name) ? [String(i)] : [])));
  for (const n of b.names) {
    if (n.local !== null && ownedIndexes.has(n.local)) continue;
    if (!a.names.some((m) => m.xml === n.xml)) problems.push(`${a.main}: defined name ${n.name} changed`);
  }

  const pyB = before.openpyxl;
  const pyA = after.openpyxl;
  if (pyA.error) problems.push(`openpyxl cannot open the output: ${pyA.error}`);
  else {
    const newWarnings = pyA.warnings.filter((w) => !pyB.warnings.includes(w));
    if (newWarnings.length) problems.push(`openpyxl warns: ${newWarnings.join("; ")}`);
    for (const [sheet, cells] of Object.entries(pyB.sheets ?? {})) {
      if (OWNED.includes(sheet)) continue;
      const written = [...outputs.values(), ...headings].filter((o) => o.sheet === sheet);
      const skip = new Set(written.flatMap((o) => o.cells));
      const got = pyA.sheets[sheet] ?? {};
      for (const ref of new Set([...Object.keys(cells), ...Object.keys(got)]))
        if (!skip.has(ref) && cells[ref] !== got[ref])
          problems.push(`${sheet}!${ref}: ${JSON.stringify(cells[ref])} became ${JSON.stringify(got[ref])}`);
    }
    problems.push(...figureProblems(pyA, outputs, figures));
  }
  return problems;
}

/**
 * What the package already declared stays declared: every content type (Default and Override, so a
 * macro workbook keeps its macro-enabled main part) and every relationship of the workbook part, except
 * those of report sheets, which the refresh owns.
 */
function keptEntries(b: Package, a: Package, ownedBefore: Set<string>): string[] {
  const problems: string[] = [];
  const types = (p: Package) => {
    const doc = parseXml(p.parts.get("[Content_Types].xml")?.text ?? "").doc;
    if (!doc) return new Map<string, string>();
    const ns = "http://schemas.openxmlformats.org/package/2006/content-types";
    const entries = [
      ...Array.from(doc.getElementsByTagNameNS(ns, "Default")).map(
        (d) => [`ext ${d.getAttribute("Extension")?.toLowerCase()}`, d.getAttribute("ContentType")!] as const,
      ),
      ...Array.from(doc.getElementsByTagNameNS(ns, "Override")).map(
        (o) =>
          [
            `part ${o.getAttribute("PartName")?.slice(1).toLowerCase()}`,
            o.getAttribute("ContentType")!,
          ] as const,
      ),
    ];
    return new Map(entries);
  };
  const tb = types(b);
  const ta = types(a);
  for (const [key, type] of tb) {
    if (key.startsWith("part ") && [...ownedBefore].some((o) => o.toLowerCase() === key.slice(5))) continue;
    if (ta.get(key) !== type) problems.push(`[Content_Types].xml: ${key} was ${type}, is ${ta.get(key)}`);
  }
  const relsB = rels(b.parts, b.main);
  const relsA = rels(a.parts, a.main);
  for (const r of relsB) {
    if (ownedBefore.has(r.target)) continue;
    if (!relsA.some((x) => x.id === r.id && x.type === r.type && x.target === r.target))
      problems.push(`${relsOf(b.main)}: relationship ${r.id} (${r.type} → ${r.target}) not kept`);
  }
  return problems;
}

/** openpyxl's reading of the output columns against the CLI's --json lines. */
function figureProblems(py: OpenpyxlView, outputs: Map<string, Area>, lines: JsonLine[]): string[] {
  const problems: string[] = [];
  const poster = area(py.names.Poster ?? "");
  const key = { Avvikelse: "deviation", Prognos: "forecast", Prognosavvikelse: "forecastDeviation" } as const;
  if (lines.length !== poster.cells.length) problems.push(`--json has ${lines.length} lines`);
  for (const [name, o] of outputs)
    lines.forEach((line, i) => {
      const label = py.sheets[poster.sheet]?.[poster.cells[i]];
      const got = py.sheets[o.sheet]?.[o.cells[i]];
      const want = line[key[name as keyof typeof key]];
      if (label !== line.label)
        problems.push(`${poster.sheet}!${poster.cells[i]} is ${JSON.stringify(label)}`);
      if (typeof got !== "number" || Math.abs(got - want) > 1e-9)
        problems.push(`${o.sheet}!${o.cells[i]} (${name}) reads ${JSON.stringify(got)}, --json says ${want}`);
    });
  return problems;
}

/** Between two refreshes: the report sheets keep part, sheetId and r:id, and no format is added. */
function secondRefreshProblems(first: View, second: View): string[] {
  const a = openPackage(first);
  const b = openPackage(second);
  const problems: string[] = [];
  for (const s of a.sheets.filter((x) => OWNED.includes(x.name))) {
    const t = b.sheets.find((x) => x.name === s.name);
    if (!t || t.part !== s.part || t.sheetId !== s.sheetId || t.rid !== s.rid)
      problems.push(
        `report sheet ${s.name} moved: ${s.part} ${s.sheetId} ${s.rid} → ${t?.part} ${t?.sheetId} ${t?.rid}`,
      );
  }
  const styles = rels(a.parts, a.main).find((r) => r.type === "styles")?.target;
  if (styles && a.parts.get(styles)?.sha256 !== b.parts.get(styles)?.sha256)
    problems.push(
      `${styles} changed on the second refresh (cellXfs ${xfCount(a, styles)} → ${xfCount(b, styles)})`,
    );
  return problems;
}
function xfCount(p: Package, part: string): number {
  const block = /<(\w+:)?cellXfs\b[\s\S]*?<\/\1cellXfs>/.exec(p.parts.get(part)?.text ?? "")?.[0] ?? "";
  return (block.match(/<(?:\w+:)?xf\b/g) ?? []).length;
}

async function schemaProblems(file: string): Promise<string[]> {
  try {
    await exec("/usr/bin/python3", [VALIDATE, file], { maxBuffer: 64 << 20 });
    return [];
  } catch (e) {
    const out = (e as { stdout?: string }).stdout ?? String(e);
    return out
      .split("\n")
      .slice(1, 11)
      .filter(Boolean)
      .map((l) => `ooxml-validate: ${l.trim().slice(0, 300)}`);
  }
}

let producers: Producer[];
let work: string;
const refreshed: string[] = [];

beforeAll(async () => {
  ensureDebianPackages(["python3-openpyxl", "python3-lxml", "libreoffice-calc", "gnumeric"]);
  producers = await buildProducers(path.join(root, "build", "producers"));
  work = await fs.mkdtemp(path.join(os.tmpdir(), "uppfoljaren-producers-"));
}, 600_000);
afterAll(async () => {
  if (work) await fs.rm(work, { recursive: true, force: true });
});

describe.each(PRODUCER_NAMES)("a workbook written by %s", (name) => {
  it("is refreshed twice, touching only what the refresh owns, and reads back the same figures", async () => {
    const p = producers.find((x) => x.name === name)!;
    if (p.error) throw new Error(p.error);
    const input = path.join(work, `${name}.${p.ext}`);
    await fs.copyFile(p.file, input);
    const out1 = path.join(work, `${name}-1.${p.ext}`);
    const out2 = path.join(work, `${name}-2.${p.ext}`);
    const first = await refreshOnce(input, out1);
    expect({ code: first.code, err: first.err }).toEqual({ code: 0, err: "" });
    const second = await refreshOnce(out1, out2);
    expect({ code: second.code, err: second.err }).toEqual({ code: 0, err: "" });
    refreshed.push(out2);
    const views = await readWorkbooks([input, out1, out2]);
    const problems = [
      ...problemsOf(views[input], views[out1], first.lines).map((m) => `refresh 1: ${m}`),
      ...problemsOf(views[out1], views[out2], second.lines).map((m) => `refresh 2: ${m}`),
      ...secondRefreshProblems(views[out1], views[out2]).map((m) => `refresh 2: ${m}`),
      ...(await schemaProblems(out2)),
    ];
    expect(problems).toEqual([]);
  }, 120_000);
});

describe("other readers open the refreshed files", () => {
  it("LibreOffice loads every refreshed file", async () => {
    expect(refreshed.length).toBeGreaterThan(0);
    const outDir = path.join(work, "libreoffice-csv");
    const { stdout, stderr } = await exec(
      "soffice",
      [
        `-env:UserInstallation=file://${path.join(work, "lo-profile")}`,
        "--headless",
        "--convert-to",
        "csv",
        "--outdir",
        outDir,
        ...refreshed,
      ],
      { timeout: 300_000 },
    );
    const failed = refreshed.filter(
      (f) => !stdout.includes(`${f} -> `) || /could not be loaded/i.test(stderr),
    );
    expect({ failed, stderr: stderr.split("\n").filter((l) => l && !/javaldx/.test(l)) }).toEqual({
      failed: [],
      stderr: [],
    });
  }, 300_000);

  it("Gnumeric's ssconvert reads every refreshed file with no warning the input did not give", async () => {
    expect(refreshed.length).toBeGreaterThan(0);
    const warnings = async (file: string) => {
      const { stderr } = await exec("ssconvert", [file, path.join(work, "gnumeric.csv")], {
        timeout: 120_000,
      });
      // GLib's prefix carries the process id and the time: drop it so two runs compare.
      return stderr
        .split("\n")
        .filter(Boolean)
        .map((l) => l.replace(/^\*\* \(ssconvert:\d+\): (\w+) \*\*: [\d:.]+: /, "$1: "));
    };
    const problems: Record<string, string[]> = {};
    for (const out of refreshed) {
      const input = out.replace(/-2(\.xls[xm])$/, "$1");
      const known = await warnings(input);
      const added = (await warnings(out)).filter((w) => !known.includes(w));
      if (added.length) problems[path.basename(out)] = added;
    }
    expect(problems).toEqual({});
    const sample = refreshed.find((f) => path.basename(f) === "exceljs-2.xlsx");
    expect(sample && (await warnings(sample))).toEqual([]);
  }, 300_000);
});
