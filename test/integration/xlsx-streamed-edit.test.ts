/**
 * A user's sheet edited from the archive a stretch at a time (large ledgers, so that the sheet's text
 * need not be held through the write) gives the same file as an edit of the whole text, on the first
 * refresh and on a second one that leaves the sheet as it was.
 */
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
