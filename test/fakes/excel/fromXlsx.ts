/**
 * Loads an .xlsx file into the in-memory Excel's model, so the same fixtures drive both hosts. Cells,
 * formulas (with their cached results), number formats, merges, sheet visibility and protection come
 * from ExcelJS; defined names (as their raw formula text, #REF! included), workbook structure protection,
 * the active tab and the custom XML parts are read from the package with JSZip and @xmldom/xmldom, since
 * ExcelJS rewrites or drops them. All three run in a browser when bundled. Kept apart from index.ts so
 * pages that build their workbook in code do not pull them in.
 */
import { DOMParser, type Element } from "@xmldom/xmldom";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import type { RawCell } from "../../../src/workbook/types";
import { createFakeExcel, type FakeExcel, type FakeExcelOptions } from "./index";
import { isoToSerial, parseRange, type FakeWorkbook, type Visibility } from "./model";

const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/** A JavaScript Date from ExcelJS (a 1900-system date read as UTC) back to its serial number. */
function dateSerial(d: Date, date1904: boolean): number {
  const serial =
    isoToSerial(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()) +
    (d.getUTCHours() * 3600 + d.getUTCMinutes() * 60 + d.getUTCSeconds()) / 86400;
  return date1904 ? serial - 1462 : serial;
}

function raw(v: unknown, date1904: boolean): RawCell {
  if (v === null || v === undefined || v === "") return null;
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  if (v instanceof Date) return dateSerial(v, date1904);
  if (typeof v === "object") {
    const o = v as { error?: string; richText?: { text: string }[]; text?: unknown; result?: unknown };
    if (o.error) return { error: o.error };
    if (o.richText) return o.richText.map((t) => t.text).join("");
    if (o.text !== undefined) return raw(o.text, date1904);
  }
  return String(v);
}

function elements(parent: Element | Document, name: string): Element[] {
  return Array.from(parent.getElementsByTagNameNS(MAIN_NS, name) as unknown as ArrayLike<Element>);
}

export async function loadXlsxInto(model: FakeWorkbook, bytes: Uint8Array): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const date1904 = Boolean((wb.properties as { date1904?: boolean }).date1904);
  for (const ws of wb.worksheets) {
    const sheet = model.addSheet(ws.name);
    ws.eachRow({ includeEmpty: false }, (row, r) =>
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        // Cells covered by a merge read as the merge's first cell in ExcelJS; in the file they are empty.
        if (cell.type === ExcelJS.ValueType.Merge) return;
        const formula = cell.type === ExcelJS.ValueType.Formula ? cell.formula : undefined;
        const value = formula
          ? raw((cell.value as { result?: unknown }).result, date1904)
          : raw(cell.value, date1904);
        const fmt = cell.numFmt;
        if (value === null && !formula && !fmt) return;
        const target = sheet.cell(r - 1, c - 1);
        target.value = value;
        if (formula) target.formula = `=${formula}`;
        if (fmt && fmt !== "General") target.numberFormat = fmt;
      }),
    );
    const state = ws.state as string;
    sheet.visibility = (
      state === "hidden" ? "Hidden" : state === "veryHidden" ? "VeryHidden" : "Visible"
    ) as Visibility;
    sheet.protected = Boolean(
      (ws as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet,
    );
    const merges = (ws.model as unknown as { merges?: string[] }).merges ?? [];
    sheet.merges = merges.map((m) => parseRange(m));
  }

  const zip = await JSZip.loadAsync(bytes);
  const workbookXml = await zip.file("xl/workbook.xml")?.async("string");
  if (workbookXml) {
    const doc = new DOMParser().parseFromString(workbookXml, "application/xml") as unknown as Document;
    const sheetNames = elements(doc, "sheet").map((s) => s.getAttribute("name") ?? "");
    for (const node of elements(doc, "definedName")) {
      const name = node.getAttribute("name") ?? "";
      if (name.startsWith("_xlnm.")) continue;
      const local = node.getAttribute("localSheetId");
      const scope = local === null || local === "" ? null : (sheetNames[Number(local)] ?? null);
      model.names.push({ name, scope, formula: `=${node.textContent ?? ""}` });
    }
    const protection = elements(doc, "workbookProtection")[0];
    const lock = protection?.getAttribute("lockStructure");
    model.structureProtected = lock === "1" || lock === "true";
    const activeTab = Number(elements(doc, "workbookView")[0]?.getAttribute("activeTab") ?? 0);
    model.activeSheet = sheetNames[activeTab] ?? sheetNames[0] ?? null;
  }
  const items = Object.keys(zip.files).filter((f) => /^customXml\/item\d+\.xml$/i.test(f));
  for (const f of items.sort()) model.addXmlPart(await zip.file(f)!.async("string"));
}

/** An in-memory Excel holding the workbook in the .xlsx bytes. */
export async function fakeFromXlsx(bytes: Uint8Array, options?: FakeExcelOptions): Promise<FakeExcel> {
  const fake = createFakeExcel(undefined, options);
  await loadXlsxInto(fake.model, bytes);
  return fake;
}
