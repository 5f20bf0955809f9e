/**
 * A user's sheet edited from the archive a stretch at a time (large ledgers, so that the sheet's text
 * need not be held through the write) gives the same file as an edit of the whole text, on the first
 * refresh and on a second one that leaves the sheet as it was.
 */
import JSZip from "jszip";
import { sampleWorkbook } from "../../scripts/build-sample";
import { openWorkbook } from "../../src/hosts/xlsx";
import { stretchesOf } from "../../src/hosts/xlsx/package";
import { parseConfig } from "../../src/workbook/config";
import { refresh } from "../../src/workbook/pipeline";

jest.setTimeout(120_000);

async function refreshed(
  bytes: Uint8Array,
  streamedRows: number,
): Promise<{ out: Buffer; touched: string[] }> {
  const host = await openWorkbook(bytes, "in.xlsx", { streamedRows });
  const outcome = await refresh(host, parseConfig(host.configXml));
  if (!outcome.ok) throw new Error(JSON.stringify(outcome).slice(0, 500));
  return { out: await host.output(), touched: host.touchedParts().sort() };
}

describe("the ledger sheet edited in stretches", () => {
  it("gives the same file as the whole text, twice over", async () => {
    const input = Buffer.from(await sampleWorkbook());
    const whole = await refreshed(input, Infinity);
    const streamed = await refreshed(input, 0);
    expect(streamed.out.equals(whole.out)).toBe(true);
    expect(streamed.touched).toEqual(whole.touched);
    // The sample's ledger is the user's sheet the refresh edits.
    expect(streamed.touched).toContain("xl/worksheets/sheet2.xml");

    const again = await refreshed(whole.out, Infinity);
    const againStreamed = await refreshed(whole.out, 0);
    expect(againStreamed.out.equals(again.out)).toBe(true);
    expect(againStreamed.touched).toEqual(again.touched);
    // Refreshed for the same period, the ledger comes out as it was: its compressed bytes are kept.
    expect(againStreamed.touched).not.toContain("xl/worksheets/sheet2.xml");
  });
});

/** Each part's uncompressed text, by name. */
async function partsOf(bytes: Buffer): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(bytes);
  const out = new Map<string, string>();
  for (const name of Object.keys(zip.files).sort()) out.set(name, await zip.file(name)!.async("string"));
  return out;
}

describe("a ledger sheet over the streamed size (1 MiB of rows)", () => {
  it("comes out with the same parts whether edited whole or in stretches: CRLF, characters of 2-4 bytes, empty rows", async () => {
    // The sample's ledger with CRLF after every row and 14 000 rows of notes beside it (column BH),
    // "åäö € 😀" in each, so that rows, characters of several bytes and the inflater's pieces straddle
    // every stretch boundary; every fifth of them an empty self-closing row.
    const zip = await JSZip.loadAsync(await sampleWorkbook());
    const part = "xl/worksheets/sheet2.xml";
    const notes: string[] = [];
    for (let r = 30; r < 14000; r++)
      notes.push(
        r % 5 === 0
          ? `<row r="${r}"/>\r\n`
          : `<row r="${r}"><c r="BH${r}" t="inlineStr"><is><t>${`rad ${r} åäö € 😀 `.repeat(3)}</t></is></c></row>\r\n`,
      );
    const xml = (await zip.file(part)!.async("string"))
      .replace(/<\/row>/g, "</row>\r\n")
      .replace("</sheetData>", `${notes.join("")}</sheetData>`);
    expect(xml.length).toBeGreaterThan(1 << 20);
    zip.file(part, xml);
    const input = await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });

    const whole = await refreshed(input, Infinity);
    const wholeParts = await partsOf(whole.out);
    // The default size, and one below it: the part's text is the same (its compressed bytes may not be,
    // as the deflater's segments end where the pieces written fill them).
    for (const size of [undefined, 0]) {
      const host = await openWorkbook(input, "in.xlsx", size === undefined ? {} : { streamedRows: size });
      const outcome = await refresh(host, parseConfig(host.configXml));
      expect(outcome.ok).toBe(true);
      expect(host.touchedParts().sort()).toEqual(whole.touched);
      const parts = await partsOf(await host.output());
      expect([...parts.keys()]).toEqual([...wholeParts.keys()]);
      for (const [name, text] of parts) expect(text === wholeParts.get(name)).toBe(true);
    }
    const edited = wholeParts.get(part)!;
    expect(edited).toContain(`<row r="13999"><c r="BH13999" t="inlineStr"><is><t>rad 13999 åäö € 😀 `);
    expect(edited.split("\r\n").length).toBe(xml.split("\r\n").length);
  });
});

describe("a part's rows cut into stretches from its inflated bytes", () => {
  const row = (r: number) =>
    `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>rad ${r} åäö €</t></is></c></row>`;
  const rows = Array.from({ length: 4000 }, (_, r) => row(r + 1)).join("");
  const head = '<worksheet xmlns="urn:x"><sheetData>';
  const tail = "</sheetData></worksheet>";
  const text = head + rows + tail;
  const range = { from: head.length, to: head.length + rows.length };
  /** The text's UTF-8 bytes in pieces of `size` (splitting characters of several bytes). */
  async function* chunks(bytes: Buffer, size: number) {
    for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
  }
  const all = async (items: AsyncIterable<string>) => {
    const out: string[] = [];
    for await (const s of items) out.push(s);
    return out;
  };

  it("gives the rows whole, each stretch ending after a row", async () => {
    for (const size of [7, 1000, 1 << 16, 1 << 22]) {
      const got = await all(
        stretchesOf(chunks(Buffer.from(text), size), range, "</row>", head + tail, text.length),
      );
      expect(got.join("") === rows).toBe(true);
      expect(got.length).toBeGreaterThan(1);
      for (const s of got) expect(s.endsWith("</row>") && s.startsWith("<row ")).toBe(true);
    }
  });

  it("fails when the part is not as it was read", async () => {
    const changed = Buffer.from(text.replace("</worksheet>", "</worksheet>\n"));
    await expect(
      all(stretchesOf(chunks(changed, 1000), range, "</row>", head + tail, text.length)),
    ).rejects.toThrow(/not as it was read/);
    const short = Buffer.from(text.slice(0, range.to - 10));
    await expect(
      all(stretchesOf(chunks(short, 1000), range, "</row>", head + tail, text.length)),
    ).rejects.toThrow(/end early/);
  });
});
