/**
 * The package editor against independent judges: JSZip (what the zip holds), Python's lxml (namespace
 * well-formedness of every part written), the ECMA-376 schemas (ooxml-validate), openpyxl and LibreOffice.
 * Two refreshes of the sample: only the parts the refresh owns change, the second refresh changes
 * nothing at all, report sheets keep their part, sheetId and relationship id, a user's formula pointing
 * at a report cell stays valid, styles.xml gets what the plan needs once.
 */
import { execFileSync } from "child_process";
import { promises as fs } from "fs";
import JSZip from "jszip";
import * as os from "os";
import * as path from "path";
import { sampleWorkbook } from "../../scripts/build-sample";
import { ensureDebianPackages } from "../../scripts/debian";
import { openWorkbook, type XlsxWorkbook } from "../../src/hosts/xlsx";
import { readZip } from "../../src/hosts/xlsx/zip";
import { parseConfig } from "../../src/workbook/config";
import { LINE_LOG_SHEET, REPORT_SHEETS, STATE_SHEET } from "../../src/workbook/contract";
import { refresh } from "../../src/workbook/pipeline";
import type { SheetPlan } from "../../src/workbook/types";

jest.setTimeout(180_000);

// The sheets the refresh owns, as the workbook layer defines them (the report sheets and the hidden state sheet).
const REPORTS: string[] = [...Object.values(REPORT_SHEETS), LINE_LOG_SHEET, STATE_SHEET];
// The ECMA-376 schema check shared by the project (beside the repository, as the producer matrix uses it).
const validator = path.join(__dirname, "..", "..", "..", "shared", "tools", "ooxml-validate");

let dir: string;
beforeAll(async () => {
  ensureDebianPackages(["python3-lxml", "python3-openpyxl"]);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "uppfoljaren-package-"));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function refreshed(bytes: Uint8Array): Promise<{ host: XlsxWorkbook; out: Buffer }> {
  const host = await openWorkbook(bytes, "in.xlsx");
  const outcome = await refresh(host, parseConfig(host.configXml));
  if (!outcome.ok) throw new Error(JSON.stringify(outcome).slice(0, 500));
  return { host, out: await host.output() };
}

async function parts(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await JSZip.loadAsync(bytes);
  const out = new Map<string, Buffer>();
  for (const name of Object.keys(zip.files).filter((n) => !zip.files[n].dir))
    out.set(name, await zip.file(name)!.async("nodebuffer"));
  return out;
}

function python(script: string, ...args: string[]): string {
  return execFileSync("/usr/bin/python3", ["-c", script, ...args], { encoding: "utf8" });
}

async function save(name: string, bytes: Buffer): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, bytes);
  return file;
}

/** Every XML part listed, parsed by lxml (namespace-aware; an undeclared prefix is an error). */
function namespaceProblems(file: string, names: string[]): string {
  const script = [
    "import sys, zipfile",
    "from lxml import etree",
    "z = zipfile.ZipFile(sys.argv[1])",
    "for n in sys.argv[2:]:",
    "    try:",
    "        etree.fromstring(z.read(n), etree.XMLParser(resolve_entities=False, no_network=True))",
    "    except Exception as e:",
    "        print(n, e)",
  ].join("\n");
  return python(script, file, ...names).trim();
}

interface SheetId {
  name: string;
  sheetId: string;
  rid: string;
  part: string;
}

async function sheetIdentity(bytes: Buffer): Promise<SheetId[]> {
  const zip = await JSZip.loadAsync(bytes);
  const wb = await zip.file("xl/workbook.xml")!.async("string");
  const rels = await zip.file("xl/_rels/workbook.xml.rels")!.async("string");
  // Attributes in any order: a producer's own sheets (ExcelJS writes sheetId before name) count too.
  const attr = (el: string, a: string) => new RegExp(`\\s${a}="([^"]*)"`).exec(el)?.[1] ?? "";
  return [...wb.matchAll(/<sheet\s[^>]*>/g)].map(([el]) => {
    const rid = attr(el, "r:id");
    return {
      name: attr(el, "name"),
      sheetId: attr(el, "sheetId"),
      rid,
      part:
        new RegExp(`Id="${rid}"[^>]*Target="([^"]*)"`).exec(rels)?.[1] ??
        new RegExp(`Target="([^"]*)"[^>]*Id="${rid}"`).exec(rels)![1],
    };
  });
}

describe("two refreshes of the sample", () => {
  let input: Buffer;
  let first: { host: XlsxWorkbook; out: Buffer };
  let second: { host: XlsxWorkbook; out: Buffer };
  beforeAll(async () => {
    input = Buffer.from(await sampleWorkbook());
    first = await refreshed(input);
    second = await refreshed(first.out);
  });

  it("the first refresh changes only what it owns; every other part is byte-identical", async () => {
    const a = await parts(input);
    const b = await parts(first.out);
    const ids = await sheetIdentity(first.out);
    const owned = new Set([
      "xl/workbook.xml",
      "xl/_rels/workbook.xml.rels",
      "[Content_Types].xml",
      "xl/styles.xml",
      "docProps/app.xml",
      "xl/worksheets/sheet2.xml",
    ]);
    for (const s of ids.filter((x) => REPORTS.includes(x.name))) {
      owned.add(`xl/${s.part}`);
      owned.add(`xl/${s.part.replace(/([^/]+)$/, "_rels/$1.rels")}`);
    }
    const changed = [...b.keys()].filter((n) => !a.has(n) || !a.get(n)!.equals(b.get(n)!));
    const outside = changed.filter((n) => !owned.has(n) && !/^xl\/(charts|drawings)\//.test(n));
    expect(outside).toEqual([]);
    expect([...a.keys()].filter((n) => !b.has(n))).toEqual([]);
    // The user's sheet is the ledger (Underlag), edited in place; sharedStrings.xml is never rewritten.
    expect(changed).toContain("xl/worksheets/sheet2.xml");
    expect(changed).not.toContain("xl/sharedStrings.xml");
  });

  it("parts the refresh does not change are copied as their compressed bytes", () => {
    const a = readZip(input);
    const b = readZip(first.out);
    const touched = new Set(first.host.touchedParts());
    for (const e of a.entries) {
      if (touched.has(e.name)) continue;
      const f = b.entry(e.name)!;
      expect([e.name, a.compressed(e).equals(b.compressed(f))]).toEqual([e.name, true]);
    }
  });

  it("the second refresh changes nothing (no new styles, no new parts, no other bytes)", async () => {
    const a = await parts(first.out);
    const b = await parts(second.out);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    const differ = [...a.keys()].filter((n) => !a.get(n)!.equals(b.get(n)!));
    expect(differ).toEqual([]);
    const styles = a.get("xl/styles.xml")!.toString("utf8");
    const count = (el: string, s: string) => new RegExp(`<${el} count="(\\d+)"`).exec(s)?.[1];
    expect(count("cellXfs", b.get("xl/styles.xml")!.toString("utf8"))).toBe(count("cellXfs", styles));
  });

  it("styles.xml: 8-digit ARGB colours, fonts with name and size, no empty fill, only formats the plan needs", async () => {
    const before = (await parts(input)).get("xl/styles.xml")!.toString("utf8");
    const after = (await parts(first.out)).get("xl/styles.xml")!.toString("utf8");
    for (const m of after.matchAll(/\brgb="([^"]*)"/g)) expect(m[1]).toMatch(/^[0-9A-F]{8}$/);
    expect(after).not.toMatch(/<fill\s*\/>|<fill>\s*<\/fill>/);
    const fonts = (x: string) => x.match(/<font>[\s\S]*?<\/font>|<font\/>/g) ?? [];
    const added = fonts(after).slice(fonts(before).length);
    expect(added.length).toBeGreaterThan(0);
    for (const font of added) {
      expect(font).toMatch(/<sz val="[\d.]+"\/>/);
      expect(font).toMatch(/<name val="[^"]+"\/>/);
    }
    const xfs = /<cellXfs count="(\d+)">([\s\S]*?)<\/cellXfs>/.exec(after)!;
    const list = xfs[2].match(/<xf\b[\s\S]*?(?:\/>|<\/xf>)/g)!;
    expect(list.length).toBe(Number(xfs[1]));
    expect(new Set(list).size).toBe(list.length); // no duplicate cell formats
  });

  it("report sheets keep their part name, sheetId and relationship id", async () => {
    const a = (await sheetIdentity(first.out)).filter((s) => REPORTS.includes(s.name));
    const b = (await sheetIdentity(second.out)).filter((s) => REPORTS.includes(s.name));
    expect(a.map((s) => s.name).sort()).toEqual([...REPORTS].sort());
    expect(b).toEqual(a);
  });

  it("every part written is namespace-well-formed (lxml) and the whole file passes ooxml-validate", async () => {
    const file = await save("sample-refreshed.xlsx", first.out);
    const xmlParts = first.host.touchedParts().filter((n) => /\.(xml|rels)$/.test(n) && !n.startsWith("["));
    expect(namespaceProblems(file, [...xmlParts, "[Content_Types].xml"])).toBe("");
    expect(execFileSync("/usr/bin/python3", [validator, file], { encoding: "utf8" })).toMatch(
      /0 problem\(s\)/,
    );
  });

  it("openpyxl reads the same figures the refresh wrote", async () => {
    const file = await save("sample-openpyxl.xlsx", first.out);
    const printed = python(
      "import openpyxl,sys\nws=openpyxl.load_workbook(sys.argv[1], read_only=True)['Underlag']\nprint([c.value for c in next(ws.iter_rows(min_row=10, max_row=10, min_col=27, max_col=29))])",
      file,
    );
    expect(printed.trim()).toBe(`[2332, ${28674 + 2300}, 2300]`);
  });
});

describe("a formula on a user's sheet referring to a report cell", () => {
  it("stays valid across refreshes and LibreOffice computes it from the report", async () => {
    const { out } = await refreshed(await sampleWorkbook());
    // The ekonom adds =Driftsredovisning!D3 (the revenue deviation) to the Instruktion sheet, A30.
    const zip = await JSZip.loadAsync(out);
    const sheet = "xl/worksheets/sheet1.xml";
    const xml = await zip.file(sheet)!.async("string");
    zip.file(
      sheet,
      xml.replace(
        /<\/sheetData>/,
        '<row r="30"><c r="A30"><f>Driftsredovisning!D3</f></c></row></sheetData>',
      ),
    );
    const withFormula = await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
    const again = await refreshed(withFormula);
    const after = await (await JSZip.loadAsync(again.out)).file(sheet)!.async("string");
    expect(after).toContain("<f>Driftsredovisning!D3</f>");
    ensureDebianPackages(["libreoffice-calc"]);
    const file = await save("formula.xlsx", again.out);
    const csvDir = path.join(dir, "csv");
    execFileSync("soffice", [`-env:UserInstallation=file://${dir}/lo-profile`, "--headless", "--convert-to", "csv", "--outdir", csvDir, file], { stdio: "ignore", timeout: 120_000 }); // prettier-ignore
    const csv = await fs.readFile(path.join(csvDir, "formula.csv"), "latin1");
    // The first sheet (Instruktion) is exported: A30 holds the report's revenue deviation, 2 332.
    expect(csv.split("\n")[29].split(",")[0]).toBe("2332");
  });
});

describe("rendering what the plan asks for", () => {
  const sheet = (over: Partial<SheetPlan>): SheetPlan => ({
    name: "Rapport",
    owned: true,
    values: [
      {
        row: 0,
        col: 0,
        values: [
          ["Rubrik", 1.5],
          ["a\u0001b\rc", Number.NaN],
          ["_x0041_", Number.POSITIVE_INFINITY],
        ],
      },
    ],
    formats: [
      {
        rect: { row: 0, col: 0, rows: 1, cols: 2 },
        style: { fontName: "Arial", fontSize: 12, bold: true, fontColor: "#595959", fill: "#FFF3CD" },
      },
    ],
    merges: [],
    columnWidths: [{ col: 0, width: 30 }],
    charts: [],
    ...over,
  });

  it("hidden sheets, fit to one page tall, headers and footers, font names; control characters and NaN stay out of the XML", async () => {
    const host = await openWorkbook(await sampleWorkbook(), "in.xlsx");
    await host.write({
      version: 1,
      sheets: [
        sheet({
          print: {
            orientation: "landscape",
            fitToWidth: true,
            fitToHeight: true,
            header: { center: "Socialnämnden && år" },
            footer: { right: "Sida &P av &N" },
          },
        }),
        { ...sheet({}), name: "Dold", hidden: true },
      ],
      names: [],
    });
    const file = await save("render.xlsx", await host.output());
    const printed = python(
      [
        "import openpyxl,sys",
        "wb=openpyxl.load_workbook(sys.argv[1])",
        "ws=wb['Rapport']",
        "print(ws.sheet_state, wb['Dold'].sheet_state)",
        "print(ws.page_setup.fitToWidth, ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage, ws.page_setup.orientation)",
        "print(ws.oddHeader.center.text, '|', ws.oddFooter.right.text)",
        "print(ws['A1'].font.name, ws['A1'].font.sz, ws['A1'].font.b, ws['A1'].font.color.rgb, ws['A1'].fill.fgColor.rgb)",
        "print(repr(ws['B2'].value), repr(ws['B3'].value))",
      ].join("\n"),
      file,
    ).split("\n");
    expect(printed[0]).toBe("visible hidden");
    expect(printed[1]).toBe("1 1 True landscape");
    expect(printed[2]).toBe("Socialnämnden && år | Sida &P av &N");
    expect(printed[3]).toBe("Arial 12.0 True FF595959 FFFFF3CD");
    expect(printed[4]).toBe("'#NUM!' '#NUM!'");
    // The texts come back exactly through the host (control characters as _xHHHH_, a literal _x0041_ escaped).
    const back = await openWorkbook(await fs.readFile(file));
    const read = await back.read({
      ranges: [{ key: "a", rect: { sheet: "Rapport", row: 1, col: 0, rows: 2, cols: 1 }, formulas: false }],
      sheets: [],
    });
    expect(read.ranges[0].values).toEqual([["a\u0001b\rc"], ["_x0041_"]]);
    expect(execFileSync("/usr/bin/python3", [validator, file], { encoding: "utf8" })).toMatch(
      /0 problem\(s\)/,
    );
  });
});
