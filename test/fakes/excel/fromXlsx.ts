/**
 * Loads an .xlsx file into the strict fake, so the same fixtures drive both hosts. Uses xlsx-populate
 * (cells, formulas, number formats, merges, protection, defined names) and JSZip (custom XML parts);
 * both run in a browser when bundled. Kept apart from index.ts so pages that build their workbook in
 * code do not pull them in.
 */
import JSZip from "jszip";
import XlsxPopulate from "xlsx-populate";
import { restoreNumericText, toRaw } from "../../../src/hosts/xlsx/text";
import { createFakeExcel, type FakeExcel, type FakeExcelOptions } from "./index";
import { parseRange, type FakeWorkbook } from "./model";

type XmlNode = XlsxPopulate.XmlNode;

function children(node: XmlNode | undefined, name: string): XmlNode[] {
  return (node?.children ?? []).filter((c): c is XmlNode => typeof c === "object" && c.name === name);
}

export async function loadXlsxInto(model: FakeWorkbook, bytes: Uint8Array): Promise<void> {
  const wb = await XlsxPopulate.fromDataAsync(bytes);
  // Text cells such as "2019" stay text, as in Excel (the parser would make them numbers).
  await restoreNumericText(wb);
  const sheets = wb.sheets();
  for (const sheet of sheets) {
    const fake = model.addSheet(sheet.name());
    // Internal rows/cells of xlsx-populate (as src/hosts/xlsx reads them): sheet.cell() would create cells.
    const rows = (
      sheet as unknown as { _rows: ({ _cells: (XlsxPopulate.Cell | undefined)[] } | undefined)[] }
    )._rows;
    rows.forEach((row) =>
      row?._cells.forEach((cell) => {
        if (!cell) return;
        const value = toRaw(cell.value());
        const formula = cell.formula();
        if (value === null && !formula) return;
        const fmt = cell.style("numberFormat") as string | undefined;
        const c = fake.cell(cell.rowNumber() - 1, cell.columnNumber() - 1);
        c.value = value;
        if (formula) c.formula = `=${formula}`;
        if (fmt && fmt !== "General") c.numberFormat = fmt;
      }),
    );
    const protection = children(sheet._node, "sheetProtection")[0];
    const flag = protection?.attributes.sheet;
    fake.protected = flag === 1 || flag === "1" || flag === "true";
    fake.merges = Object.keys(sheet._mergeCells ?? {}).map(parseRange);
  }
  const definedNames = children(wb._node, "definedNames")[0];
  for (const node of children(definedNames, "definedName")) {
    const name = String(node.attributes.name);
    if (name.startsWith("_xlnm.")) continue;
    const local = node.attributes.localSheetId;
    const scope = local === undefined ? null : (sheets[Number(local)]?.name() ?? null);
    model.names.push({ name, scope, formula: `=${String(node.children[0] ?? "")}` });
  }
  model.activeSheet = wb.activeSheet()?.name() ?? sheets[0]?.name() ?? null;

  const zip = await JSZip.loadAsync(bytes);
  const items = Object.keys(zip.files).filter((f) => /^customXml\/item\d+\.xml$/i.test(f));
  for (const f of items.sort()) model.addXmlPart(await zip.file(f)!.async("string"));
}

/** A fake Excel holding the workbook in the .xlsx bytes. */
export async function fakeFromXlsx(bytes: Uint8Array, options?: FakeExcelOptions): Promise<FakeExcel> {
  const fake = createFakeExcel(undefined, options);
  await loadXlsxInto(fake.model, bytes);
  return fake;
}
