/**
 * The two sides of the .xlsx bench, in a module of their own so that the child process measuring peak
 * memory (scripts/bench-child.ts) loads only the runner, not the bench's fixtures (ExcelJS, the fakes).
 */
import { openWorkbook } from "../src/hosts/xlsx";
import { readZip, writeZip } from "../src/hosts/xlsx/zip";
import { parseConfig } from "../src/workbook/config";
import { refresh } from "../src/workbook/pipeline";

/** The .xlsx runner end to end, as the CLI does it: open, refresh, produce the file's bytes. */
export async function refreshXlsx(bytes: Buffer): Promise<Buffer> {
  const host = await openWorkbook(bytes, "bench.xlsx");
  const outcome = await refresh(host, parseConfig(host.configXml));
  if (!outcome.ok) throw new Error(`refresh failed: ${JSON.stringify(outcome).slice(0, 400)}`);
  return host.output();
}

/** The floor: open the zip, inflate every part, deflate every part again, write the zip. */
export async function copyPackage(bytes: Buffer): Promise<Buffer> {
  const zip = readZip(bytes);
  return writeZip(zip.entries.map((e) => ({ name: e.name, data: zip.inflate(e), template: e })));
}
