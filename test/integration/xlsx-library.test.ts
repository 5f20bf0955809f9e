/**
 * Library choice (docs/XLSX-LIBRARY.md): round-trips the fidelity fixture (load + save, no edits) through
 * ExcelJS, which re-serialises the workbook from its model, and through the host's package editor, which
 * copies every part it does not change as its compressed bytes. The ExcelJS result documents why a
 * model-based library is not used (it drops the chart).
 */
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { openWorkbook } from "../../src/hosts/xlsx";
import { buildFidelityFixture, inventory } from "../fixtures/fidelity";

const ALL_KEPT = {
  chart: true,
  comment: true,
  dataValidation: true,
  formula: true,
  styles: true,
  extraSheet: true,
  definedNames: true,
};

async function parts(bytes: Buffer): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(bytes);
  const out: Record<string, string> = {};
  for (const name of Object.keys(zip.files)
    .filter((n) => !zip.files[n].dir)
    .sort())
    out[name] = (await zip.file(name)!.async("nodebuffer")).toString("base64");
  return out;
}

describe("xlsx library comparison", () => {
  let fixture: Buffer;
  beforeAll(async () => {
    fixture = await buildFidelityFixture();
  });

  it("the fixture holds every feature", async () => {
    expect(await inventory(fixture)).toEqual(ALL_KEPT);
  });

  it("the package editor gives every part back byte for byte", async () => {
    const host = await openWorkbook(fixture, "fixture.xlsx");
    const out = await host.output();
    expect(await inventory(out)).toEqual(ALL_KEPT);
    expect(await parts(out)).toEqual(await parts(fixture));
    expect(host.touchedParts()).toEqual([]);
  });

  it("ExcelJS drops the chart (and keeps the rest)", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fixture as unknown as ExcelJS.Buffer);
    const out = Buffer.from(await wb.xlsx.writeBuffer());
    expect(await inventory(out)).toEqual({ ...ALL_KEPT, chart: false });
  });
});
