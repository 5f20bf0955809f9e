/**
 * A user's sheet edited from the archive a stretch at a time (large ledgers, so that the sheet's text
 * need not be held through the write) gives the same file as an edit of the whole text, on the first
 * refresh and on a second one that leaves the sheet as it was.
 */
import { sampleWorkbook } from "../../scripts/build-sample";
import { openWorkbook } from "../../src/hosts/xlsx";
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
