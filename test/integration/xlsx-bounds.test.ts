/**
 * The package layer on hostile and unusual packages: zip bombs stop at the limits (declared and actual
 * size), ZIP64 is read and written (Python's zipfile and openpyxl judge), a stray cell at XFD1048576 or a
 * range over a million rows builds nothing dense, and files of other formats get a message naming them.
 * Producers' variants: UTF-16 and BOM-prefixed parts, x:-prefixed namespaces with the relationships
 * prefix declared on each <sheet> only, absolute relationship targets, a macro workbook kept as .xlsm.
 */
import { execFileSync } from "child_process";
import { promises as fs } from "fs";
import JSZip from "jszip";
import * as os from "os";
import * as path from "path";
import { sampleWorkbook } from "../../scripts/build-sample";
import { ensureDebianPackages } from "../../scripts/debian";
import { openWorkbook, XlsxFileError } from "../../src/hosts/xlsx";
import { parseConfig } from "../../src/workbook/config";
import { refresh } from "../../src/workbook/pipeline";

jest.setTimeout(120_000);

let dir: string;
beforeAll(async () => {
  ensureDebianPackages(["python3-openpyxl", "python3-lxml"]);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "uppfoljaren-bounds-"));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const validator = path.join(__dirname, "..", "..", "..", "shared", "tools", "ooxml-validate");

async function edit(
  bytes: Buffer,
  edits: Record<string, ((xml: string) => string) | Buffer | null>,
): Promise<Buffer> {
  const zip = await JSZip.loadAsync(bytes);
  for (const [name, e] of Object.entries(edits)) {
    if (e === null) zip.remove(name);
    else if (Buffer.isBuffer(e)) zip.file(name, e);
    else zip.file(name, e((await zip.file(name)?.async("string")) ?? ""));
  }
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}

async function fileError(
  bytes: Uint8Array,
  options?: Parameters<typeof openWorkbook>[2],
): Promise<XlsxFileError> {
  const e = await openWorkbook(bytes, "X.xlsx", options).then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(XlsxFileError);
  expect((e as XlsxFileError).message).toMatch(/^Filen X\.xlsx kan inte läsas: /);
  return e as XlsxFileError;
}

async function refreshed(bytes: Uint8Array) {
  const host = await openWorkbook(bytes, "in.xlsx");
  const outcome = await refresh(host, parseConfig(host.configXml));
  expect(outcome.ok ? "ok" : JSON.stringify(outcome).slice(0, 300)).toBe("ok");
  return { host, out: await host.output() };
}

function python(script: string, ...args: string[]): string {
  return execFileSync("/usr/bin/python3", ["-c", script, ...args], { encoding: "utf8" }).trim();
}

describe("zip bombs", () => {
  it("a part that inflates beyond the per-part limit is refused before it is inflated", async () => {
    const bomb = await edit(await sampleWorkbook(), { "xl/media/bomb.bin": Buffer.alloc(64 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const e = await fileError(bomb, { limits: { entryBytes: 16 * 1024 * 1024 } });
    expect(e.code).toBe("TOO_LARGE");
    expect(e.message).toContain("xl/media/bomb.bin");
    expect(e.message).toContain("zip-bomb");
    // Under the default limits the same file opens, and the untouched part is never inflated.
    await expect(openWorkbook(bomb, "X.xlsx")).resolves.toBeDefined();
  });

  it("all parts together beyond the total limit are refused", async () => {
    const e = await fileError(await sampleWorkbook(), { limits: { totalBytes: 8 * 1024 } });
    expect(e.code).toBe("TOO_LARGE");
  });

  it("a header that declares less than the part inflates to is damage, found without inflating further", async () => {
    const bytes = Buffer.from(await sampleWorkbook());
    const name = Buffer.from("xl/worksheets/sheet2.xml");
    // Central directory entry of the ledger sheet: declare 1 000 bytes inflated.
    let at = bytes.lastIndexOf(name);
    while (at >= 0 && bytes.readUInt32LE(at - 46) !== 0x02014b50) at = bytes.lastIndexOf(name, at - 1);
    bytes.writeUInt32LE(1000, at - 46 + 24);
    const host = await openWorkbook(bytes, "X.xlsx");
    const outcome = refresh(host, parseConfig(host.configXml));
    await expect(outcome).rejects.toMatchObject({
      code: "CORRUPT",
      message: expect.stringContaining("xl/worksheets/sheet2.xml"),
    });
  });
});

describe("ZIP64", () => {
  it("a package written with ZIP64 records is read by Python's zipfile and openpyxl", async () => {
    const { host } = await refreshed(await sampleWorkbook());
    const file = path.join(dir, "zip64.xlsx");
    await fs.writeFile(file, await host.output({ forceZip64: true }));
    const printed = python(
      "import sys, zipfile, openpyxl\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(openpyxl.load_workbook(sys.argv[1])['Underlag']['AA10'].value)",
      file,
    );
    expect(printed).toBe("2332");
  });

  it("a package Python wrote with ZIP64 records is read", async () => {
    const src = path.join(dir, "plain.xlsx");
    const dst = path.join(dir, "py-zip64.xlsx");
    await fs.writeFile(src, await sampleWorkbook());
    python(
      "import sys, zipfile\nsrc = zipfile.ZipFile(sys.argv[1])\nwith zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as out:\n  for i in src.infolist():\n    with out.open(i.filename, 'w', force_zip64=True) as f: f.write(src.read(i.filename))",
      src,
      dst,
    );
    const { out } = await refreshed(await fs.readFile(dst));
    const again = await openWorkbook(out);
    const read = await again.read({
      ranges: [{ key: "a", rect: { sheet: "Underlag", row: 9, col: 26, rows: 1, cols: 1 }, formulas: false }],
      sheets: [],
    });
    expect(read.ranges[0].values).toEqual([[2332]]);
  });
});

describe("memory follows the cells present", () => {
  it("a stray cell at XFD1048576 and a range over a million rows build nothing dense", async () => {
    const bytes = await edit(await sampleWorkbook(), {
      "xl/worksheets/sheet4.xml": (x) =>
        x.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>7</v></c></row></sheetData>'),
    });
    const host = await openWorkbook(bytes, "X.xlsx");
    const name = (await host.readMeta()).sheets[3].name;
    const before = process.memoryUsage().heapUsed;
    const read = await host.read({
      ranges: [
        { key: "all", rect: { sheet: name, row: 0, col: 0, rows: 1048576, cols: 16384 }, formulas: true },
      ],
      sheets: [name],
    });
    const grown = process.memoryUsage().heapUsed - before;
    const [range] = read.ranges;
    const rows = Object.keys(range.values);
    expect(range.values.length).toBe(1048576);
    expect(rows.length).toBeLessThan(100); // holes, not a million row arrays
    expect(range.values[1048575][16383]).toBe(7);
    expect(Object.keys(read.sheets[0].values).length).toBeLessThan(100);
    expect(grown).toBeLessThan(64 * 1024 * 1024);
  });
});

describe("files of other formats get a message naming the format", () => {
  const cases: [string, () => Promise<Buffer>, string, RegExp][] = [
    ["Strict OOXML", async () => edit(await sampleWorkbook(), { "_rels/.rels": (x) => x.replace("http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument") }), "STRICT_OOXML", /Strict Open XML/],
    ["Strict OOXML namespaces", async () => edit(await sampleWorkbook(), { "xl/workbook.xml": (x) => x.replace(/http:\/\/schemas\.openxmlformats\.org\/spreadsheetml\/2006\/main/g, "http://purl.oclc.org/ooxml/spreadsheetml/main") }), "STRICT_OOXML", /Strict Open XML/],
    ["binary workbook (.xlsb)", async () => edit(await sampleWorkbook(), { "[Content_Types].xml": (x) => x.replace(/application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet\.main\+xml/, "application/vnd.ms-excel.sheet.binary.macroEnabled.main") }), "XLSB", /\.xlsb/],
    ["OpenDocument (.ods)", async () => { const z = new JSZip(); z.file("mimetype", "application/vnd.oasis.opendocument.spreadsheet", { compression: "STORE" }); z.file("content.xml", "<office:document-content/>"); return z.generateAsync({ type: "nodebuffer" }); }, "ODS", /OpenDocument-kalkylblad \(\.ods\)/],
  ]; // prettier-ignore
  it.each(cases)("%s", async (_title, build, code, message) => {
    const e = await fileError(await build());
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it("an entry flagged as encrypted in the zip", async () => {
    const bytes = Buffer.from(await sampleWorkbook());
    const cd = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt16LE(bytes.readUInt16LE(cd + 8) | 1, cd + 8);
    expect((await fileError(bytes)).code).toBe("ENCRYPTED");
  });
});

describe("producers' variants", () => {
  it("UTF-16 and BOM parts, x: prefixes with r: declared per <sheet>, absolute targets: refreshed and valid", async () => {
    const sample = Buffer.from(await sampleWorkbook());
    const zip = await JSZip.loadAsync(sample);
    const wb = await zip.file("xl/workbook.xml")!.async("string");
    // Prefix every spreadsheetml element with x:, declare r: only on each <sheet> (as .NET and openpyxl do).
    const prefixed = wb
      .replace(/<(\/?)(?!\?)([A-Za-z][\w]*)/g, "<$1x:$2")
      .replace(
        ' xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
        ' xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
      )
      .replace(/ xmlns:r="[^"]*"/, "")
      .replace(
        /<x:sheet /g,
        '<x:sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ',
      );
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(prefixed.replace(/encoding="UTF-8"/i, 'encoding="UTF-16"'), "utf16le"),
    ]);
    const rels = await zip.file("xl/_rels/workbook.xml.rels")!.async("string");
    const bytes = await edit(sample, {
      "xl/workbook.xml": utf16,
      "xl/_rels/workbook.xml.rels": () => rels.replace(/Target="(?!\/)([^"]*)"/g, 'Target="/xl/$1"'),
      "[Content_Types].xml": (x) => `\ufeff${x}`,
    });
    const { out, host } = await refreshed(bytes);
    const { out: out2 } = await refreshed(out);
    const file = path.join(dir, "variants.xlsx");
    await fs.writeFile(file, out2);
    expect(host.touchedParts()).toContain("xl/workbook.xml");
    const written = await (await JSZip.loadAsync(out)).file("xl/workbook.xml")!.async("string");
    expect(written).toMatch(/^<\?xml[^>]*encoding="UTF-8"/);
    expect(execFileSync("/usr/bin/python3", [validator, file], { encoding: "utf8" })).toMatch(
      /0 problem\(s\)/,
    );
    expect(
      python(
        "import openpyxl,sys\nprint(openpyxl.load_workbook(sys.argv[1])['Underlag']['AA10'].value)",
        file,
      ),
    ).toBe("2332");
  });

  it("a macro workbook stays a macro workbook: its content type and vbaProject.bin are kept", async () => {
    const vba = Buffer.from("not really VBA, but kept byte for byte");
    const bytes = await edit(Buffer.from(await sampleWorkbook()), {
      "[Content_Types].xml": (x) =>
        x.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml").replace("</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'),
      "xl/vbaProject.bin": vba,
      "xl/_rels/workbook.xml.rels": (x) => x.replace("</Relationships>", '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>'),
    }); // prettier-ignore
    const { host, out } = await refreshed(bytes);
    expect(host.format).toBe("xlsm");
    const zip = await JSZip.loadAsync(out);
    expect(await zip.file("xl/vbaProject.bin")!.async("nodebuffer")).toEqual(vba);
    expect(await zip.file("[Content_Types].xml")!.async("string")).toContain(
      "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    );
    expect((await openWorkbook(out)).format).toBe("xlsm");
  });
});
