/**
 * The short parts edited as one parse (edited.ts) and small parts deflated once (zip.ts): the text an
 * edited parse builds must be what making the same edits one after the other on the text gives, and a
 * deflate reused for the same bytes must be the bytes deflating them again gives.
 */
import * as zlib from "zlib";
import { EditedXml } from "../../src/hosts/xlsx/edited";
import { Package } from "../../src/hosts/xlsx/package";
import { child, children, parseTree, type XmlNode } from "../../src/hosts/xlsx/xml";
import { readZip, SegmentedDeflater, writeZip } from "../../src/hosts/xlsx/zip";
import { sampleWorkbook } from "../../scripts/build-sample";

/** The reference: each edit made on the text at once, the text parsed again before the next. */
class OneByOne {
  constructor(public text: string) {}
  get root(): XmlNode {
    return parseTree(this.text);
  }
  splice(start: number, end: number, xml: string): void {
    this.text = this.text.slice(0, start) + xml + this.text.slice(end);
  }
  append(path: (root: XmlNode) => XmlNode, xml: string): void {
    const node = path(this.root);
    if (node.tag.selfClosing) {
      const open = this.text.slice(node.tag.start, node.tag.end).replace(/\s*\/>$/, ">");
      this.splice(node.tag.start, node.tag.end, `${open}${xml}</${node.tag.qname}>`);
    } else this.splice(node.endStart, node.endStart, xml);
  }
  remove(path: (root: XmlNode) => XmlNode): void {
    const node = path(this.root);
    this.splice(node.tag.start, node.endEnd, "");
  }
  replaceTag(path: (root: XmlNode) => XmlNode, tag: string): void {
    const node = path(this.root);
    this.splice(node.tag.start, node.tag.end, tag);
  }
}

const WB =
  '<?xml version="1.0"?>\n<workbook xmlns="urn:x"><sheets>\n  <sheet name="A"/>\n  <sheet name="B"/>\n</sheets>' +
  '<empty/>\n<definedNames><definedName name="x">1</definedName> <definedName name="y">2</definedName></definedNames><calcPr/></workbook>';

describe("EditedXml", () => {
  const sheets = (root: XmlNode) => child(root, "sheets")!;
  const names = (root: XmlNode) => child(root, "definedNames")!;
  const empty = (root: XmlNode) => child(root, "empty")!;

  it("builds what the edits made one after the other give, in any order of making them", () => {
    const m = new EditedXml(WB);
    const r = new OneByOne(WB);
    const both = (edit: (root: XmlNode) => void, ref: () => void) => {
      edit(m.root);
      ref();
      expect(m.text()).toBe(r.text);
    };
    both(
      (root) => m.append(sheets(root), '<sheet name="C"/>'),
      () => r.append(sheets, '<sheet name="C"/>'),
    );
    both(
      (root) => m.replaceTag(children(sheets(root), "sheet")[1], '<sheet name="B" state="hidden"/>'),
      () => r.replaceTag((root) => children(sheets(root), "sheet")[1], '<sheet name="B" state="hidden"/>'),
    );
    both(
      (root) => m.append(empty(root), "<a/>"),
      () => r.append(empty, "<a/>"),
    );
    both(
      (root) => m.append(empty(root), "<b/>"),
      () => r.append(empty, "<b/>"),
    );
    both(
      (root) => m.remove(children(names(root), "definedName")[0]),
      () => r.remove((root) => children(names(root), "definedName")[0]),
    );
    both(
      (root) => m.append(names(root), '<definedName name="z">3</definedName>'),
      () => r.append(names, '<definedName name="z">3</definedName>'),
    );
    // The whole container goes, and a new one is put where a sheets' sibling ends.
    m.rebase();
    both(
      (root) => m.remove(names(root)),
      () => r.remove(names),
    );
    const at = sheets(m.root).endEnd;
    const made = m.insert(at, "<definedNames>", "</definedNames>");
    m.appendInto(made, '<definedName name="w">4</definedName>');
    r.splice(
      sheets(r.root).endEnd,
      sheets(r.root).endEnd,
      '<definedNames><definedName name="w">4</definedName></definedNames>',
    );
    expect(m.text()).toBe(r.text);
    m.appendInto(made, '<definedName name="v">5</definedName>');
    r.append(names, '<definedName name="v">5</definedName>');
    expect(m.text()).toBe(r.text);
    // After a rebase the parse is the current text, and edits go on from it.
    m.rebase();
    expect(m.base).toBe(r.text);
    both(
      (root) => m.remove(children(names(root), "definedName")[1]),
      () => r.remove((root) => children(names(root), "definedName")[1]),
    );
  });

  it("an element edited twice needs a rebase", () => {
    const m = new EditedXml(WB);
    const node = children(sheets(m.root), "sheet")[0];
    m.replaceTag(node, '<sheet name="A" state="hidden"/>');
    expect(() => m.remove(node)).toThrow(/rebase/);
    expect(m.untouched(node)).toBe(false);
  });
});

describe("Package content types and relationships as a parse", () => {
  it("after adding, replacing and removing Overrides, also ones added since, they read as a fresh package does", async () => {
    const pkg = Package.open(await sampleWorkbook(), "prov.xlsx");
    const t1 = "application/x-ett";
    const t2 = "application/x-tva";
    pkg.setContentType("xl/ny1.xml", t1);
    pkg.setContentType("xl/ny2.xml", t1);
    pkg.setContentType("xl/ny1.xml", t2); // an Override added since, replaced
    pkg.setContentType("xl/ny2.xml", null); // and one removed
    pkg.setContentType("xl/ny3.xml", t1);
    pkg.setContentType("xl/ny3.xml", t1); // the same: no edit
    const styles = pkg.contentType("xl/styles.xml");
    expect(styles).toMatch(/styles/);
    pkg.setContentType("xl/styles.xml", null); // one the file had, removed and given again
    pkg.setContentType("xl/styles.xml", styles);
    const rid = pkg.addRel(pkg.workbookPart, "urn:typ", "xl/ny1.xml");
    pkg.removeRels(pkg.workbookPart, new Set([rid]));
    pkg.addRel(pkg.workbookPart, "urn:typ", "xl/ny3.xml");
    const again = Package.open(await pkg.output(), "igen.xlsx");
    for (const [part, type] of [
      ["xl/ny1.xml", t2],
      ["xl/ny2.xml", pkg.contentType("xl/ingen.xml")], // the Default for .xml again
      ["xl/ny3.xml", t1],
      ["xl/styles.xml", styles],
    ] as const) {
      expect(pkg.contentType(part)).toBe(type);
      expect(again.contentType(part)).toBe(type);
    }
    expect(pkg.rels(pkg.workbookPart)).toEqual(again.rels(again.workbookPart));
    const types = pkg.textOrNull("[Content_Types].xml")!;
    expect(types.match(/PartName="\/xl\/ny\d\.xml"/g)).toEqual([
      'PartName="/xl/ny1.xml"',
      'PartName="/xl/ny3.xml"',
    ]);
  });
});

describe("small parts deflated again", () => {
  const text = (n: number) => Buffer.from(`<a>${"<b>text</b>".repeat(n)}</a>`);

  it("the same bytes come out as deflating them again, and changed bytes are never served the old ones", async () => {
    for (const data of [text(50), text(50), text(51), text(50)]) {
      const zip = readZip(await writeZip([{ name: "a.xml", data }]));
      const e = zip.entry("a.xml")!;
      expect(zip.compressed(e)).toEqual(zlib.deflateRawSync(data));
      expect(zip.inflate(e)).toEqual(data);
    }
  });

  it("a generated part of one segment too, its writer's buffer reused between parts", async () => {
    const buffer = Buffer.alloc(4096);
    for (const n of [40, 40, 41]) {
      const data = text(n);
      data.copy(buffer);
      const d = new SegmentedDeflater();
      d.segment(buffer.subarray(0, data.length));
      buffer.fill(0);
      const deflated = await d.end();
      const zip = readZip(await writeZip([{ name: "s.xml", deflated }]));
      expect(zip.inflate(zip.entry("s.xml")!)).toEqual(data);
    }
  });
});
