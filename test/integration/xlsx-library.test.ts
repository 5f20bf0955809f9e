/**
 * Library choice (docs/XLSX-LIBRARY.md): round-trips the fidelity fixture through ExcelJS and
 * xlsx-populate (load + save, no edits) and records what survives. The host uses xlsx-populate because it
 * keeps everything; the ExcelJS result documents why it is not used (it drops the chart).
 */
import ExcelJS from "exceljs";
import XlsxPopulate from "xlsx-populate";
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

describe("xlsx library comparison", () => {
  let fixture: Buffer;
  beforeAll(async () => {
    fixture = await buildFidelityFixture();
  });

  it("the fixture holds every feature", async () => {
    expect(await inventory(fixture)).toEqual(ALL_KEPT);
  });

  it("xlsx-populate keeps every feature", async () => {
    const wb = await XlsxPopulate.fromDataAsync(fixture);
    const out = await wb.outputAsync({ type: "nodebuffer" });
    expect(await inventory(out)).toEqual(ALL_KEPT);
  });

  it("ExcelJS drops the chart (and keeps the rest)", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fixture as unknown as ExcelJS.Buffer);
    const out = Buffer.from(await wb.xlsx.writeBuffer());
    expect(await inventory(out)).toEqual({ ...ALL_KEPT, chart: false });
  });
});
