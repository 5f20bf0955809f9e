/**
 * Package-level (zip) work for the .xlsx host, done with JSZip before and after xlsx-populate:
 * - recognise files that are not .xlsx workbooks (empty, CSV, old .xls, encrypted, corrupt) with a
 *   Swedish message;
 * - refuse workbooks holding parts xlsx-populate cannot keep (chart sheets, dialog sheets);
 * - normalise worksheet part names to xl/worksheets/sheetN.xml, which xlsx-populate assumes;
 * - after output, repair the bookkeeping xlsx-populate leaves behind (relationships and content types of
 *   deleted and added sheets, the removed calcChain);
 * - find the stored configuration (custom XML part) by its namespace.
 */
import JSZip from "jszip";

export type OpenErrorCode =
  | "EMPTY"
  | "TEXT_FILE"
  | "ENCRYPTED"
  | "LEGACY_XLS"
  | "NOT_ZIP"
  | "CORRUPT"
  | "NOT_XLSX"
  | "UNSUPPORTED_PART";

/** A workbook file that cannot be used at all. */
export class XlsxFileError extends Error {
  constructor(
    public readonly code: OpenErrorCode,
    /** Swedish, for people: "Filen X kan inte läsas: …". */
    message: string,
    public readonly messageEn: string,
  ) {
    super(message);
    this.name = "XlsxFileError";
  }
}

const WORKSHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
const WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
export const CONFIG_NAMESPACE_URI = "urn:uppfoljaren:config:1";

function fail(code: OpenErrorCode, file: string, sv: string, en: string): never {
  throw new XlsxFileError(
    code,
    `Filen ${file} kan inte läsas: ${sv}`,
    `The file ${file} cannot be read: ${en}`,
  );
}

function startsWith(bytes: Uint8Array, sig: number[]): boolean {
  return sig.every((b, i) => bytes[i] === b);
}

function containsUtf16(bytes: Uint8Array, text: string): boolean {
  const needle = Buffer.from(text, "utf16le");
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(needle);
}

/** Looks at the bytes and opens the zip; throws XlsxFileError with a Swedish message. */
export async function openPackage(bytes: Uint8Array, file: string): Promise<JSZip> {
  if (bytes.length === 0) fail("EMPTY", file, "filen är tom (0 byte).", "the file is empty (0 bytes).");
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    if (containsUtf16(bytes, "EncryptionInfo") || containsUtf16(bytes, "EncryptedPackage"))
      fail(
        "ENCRYPTED",
        file,
        "arbetsboken är lösenordsskyddad (krypterad). Spara en kopia utan lösenord och försök igen.",
        "the workbook is password-protected (encrypted). Save a copy without a password and try again.",
      );
    fail(
      "LEGACY_XLS",
      file,
      "filen är i det äldre .xls-formatet. Spara den som Excel-arbetsbok (.xlsx) och försök igen.",
      "the file is in the old .xls format. Save it as an Excel workbook (.xlsx) and try again.",
    );
  }
  if (!startsWith(bytes, [0x50, 0x4b])) {
    const head = Buffer.from(bytes.subarray(0, 512)).toString("utf8");
    // eslint-disable-next-line no-control-regex
    const printable = !/[\x00-\x08\x0e-\x1f]/.test(head);
    if (printable && /[;,\t]/.test(head))
      fail(
        "TEXT_FILE",
        file,
        "filen är en textfil (CSV), inte en Excel-arbetsbok. Öppna den i Excel och spara som .xlsx.",
        "the file is a text (CSV) file, not an Excel workbook. Open it in Excel and save it as .xlsx.",
      );
    fail(
      "NOT_ZIP",
      file,
      "filen är ingen Excel-arbetsbok (.xlsx).",
      "the file is not an Excel workbook (.xlsx).",
    );
  }
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    fail(
      "CORRUPT",
      file,
      "filen är skadad (zip-arkivet går inte att öppna).",
      "the file is corrupt (the zip archive cannot be opened).",
    );
  }
  if (!zip.file("xl/workbook.xml") || !zip.file("[Content_Types].xml"))
    fail(
      "NOT_XLSX",
      file,
      "filen är ett zip-arkiv men ingen Excel-arbetsbok (xl/workbook.xml saknas).",
      "the file is a zip archive but not an Excel workbook (xl/workbook.xml is missing).",
    );
  return zip;
}

function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? m[1] : null;
}

interface Rel {
  tag: string;
  id: string;
  type: string;
  target: string;
  external: boolean;
}

function parseRels(xml: string): Rel[] {
  return (xml.match(/<Relationship\b[^>]*\/?>/g) ?? []).map((tag) => ({
    tag,
    id: attr(tag, "Id") ?? "",
    type: attr(tag, "Type") ?? "",
    target: attr(tag, "Target") ?? "",
    external: attr(tag, "TargetMode") === "External",
  }));
}

/** Resolves a relationship target of xl/workbook.xml to a zip path. */
function workbookTarget(target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts = ["xl", ...target.split("/")];
  const out: string[] = [];
  for (const p of parts) {
    if (p === "..") out.pop();
    else if (p !== ".") out.push(p);
  }
  return out.join("/");
}

interface SheetRef {
  name: string;
  rid: string;
}

function sheetRefs(workbookXml: string): SheetRef[] {
  const sheets = /<(?:\w+:)?sheets>([\s\S]*?)<\/(?:\w+:)?sheets>/.exec(workbookXml)?.[1] ?? "";
  return (sheets.match(/<(?:\w+:)?sheet\b[^>]*>/g) ?? []).map((tag) => ({
    name: attr(tag, "name") ?? "",
    rid: /\sr:id="([^"]*)"/.exec(tag)?.[1] ?? "",
  }));
}

/**
 * Checks that xlsx-populate can load and keep the package, and renames worksheet parts to
 * xl/worksheets/sheet{i+1}.xml (in sheet order) when they are named otherwise. Returns the (possibly
 * rewritten) zip bytes.
 */
export async function preparePackage(zip: JSZip, bytes: Uint8Array, file: string): Promise<Uint8Array> {
  const workbookXml = await zip.file("xl/workbook.xml")!.async("string");
  const relsXml = (await zip.file("xl/_rels/workbook.xml.rels")?.async("string")) ?? "";
  const rels = parseRels(relsXml);
  const renames: { from: string; to: string }[] = [];
  sheetRefs(workbookXml).forEach((ref, i) => {
    const rel = rels.find((r) => r.id === ref.rid);
    if (!rel) fail("CORRUPT", file, `bladet ${ref.name} saknas i filen.`, `sheet ${ref.name} is missing.`);
    if (rel.type !== WORKSHEET_TYPE) {
      const kind = /chartsheet/.test(rel.type) ? "ett diagramblad" : "ett blad av en typ";
      const kindEn = /chartsheet/.test(rel.type) ? "a chart sheet" : "a sheet of a type";
      fail(
        "UNSUPPORTED_PART",
        file,
        `arbetsboken innehåller ${kind} (${ref.name}) som .xlsx-körningen inte kan bevara. ` +
          "Uppdatera arbetsboken med tillägget i Excel i stället, eller flytta diagrammet till ett vanligt blad.",
        `the workbook holds ${kindEn} (${ref.name}) that the .xlsx runner cannot keep. ` +
          "Refresh it with the add-in in Excel instead, or move the chart onto a worksheet.",
      );
    }
    const from = workbookTarget(rel.target);
    const to = `xl/worksheets/sheet${i + 1}.xml`;
    if (!zip.file(from))
      fail("CORRUPT", file, `bladet ${ref.name} saknas i filen.`, `sheet ${ref.name} is missing.`);
    if (from !== to) renames.push({ from, to });
  });
  if (renames.length === 0) return bytes;

  // Move every renamed part (and its relationships) out of the way first, so that swaps work.
  const relsOf = (p: string) => p.replace(/([^/]+)$/, "_rels/$1.rels");
  const moved = await Promise.all(
    renames.map(async ({ from, to }) => ({
      to,
      from,
      xml: await zip.file(from)!.async("uint8array"),
      rels: await zip.file(relsOf(from))?.async("uint8array"),
    })),
  );
  for (const m of moved) {
    zip.remove(m.from);
    zip.remove(relsOf(m.from));
  }
  for (const m of moved) {
    zip.file(m.to, m.xml);
    if (m.rels) zip.file(relsOf(m.to), m.rels);
  }
  let newRels = relsXml;
  let ct = await zip.file("[Content_Types].xml")!.async("string");
  for (const m of moved) {
    const rel = rels.find((r) => workbookTarget(r.target) === m.from)!;
    newRels = newRels.replace(
      rel.tag,
      rel.tag.replace(`Target="${rel.target}"`, `Target="${m.to.slice(3)}"`),
    );
    ct = ct.replace(new RegExp(`<Override[^>]*PartName="/${escapeRe(m.from)}"[^>]*/>`, "g"), "");
  }
  zip.file("xl/_rels/workbook.xml.rels", newRels);
  zip.file(
    "[Content_Types].xml",
    ensureWorksheetOverrides(
      ct,
      moved.map((m) => m.to),
    ),
  );
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function ensureWorksheetOverrides(ct: string, parts: string[]): string {
  let out = ct;
  for (const p of parts) {
    if (new RegExp(`PartName="/${escapeRe(p)}"`).test(out)) continue;
    out = out.replace(/<\/Types>\s*$/, `<Override PartName="/${p}" ContentType="${WORKSHEET_CT}"/></Types>`);
  }
  return out;
}

/**
 * Repairs what xlsx-populate leaves inconsistent: relationships of deleted sheets and of the calcChain it
 * drops, content types of sheets it adds, and stale worksheet parts beyond the current sheet count.
 */
export async function finishPackage(bytes: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(bytes);
  const workbookXml = await zip.file("xl/workbook.xml")!.async("string");
  const relsXml = (await zip.file("xl/_rels/workbook.xml.rels")?.async("string")) ?? "";
  const used = new Set(sheetRefs(workbookXml).map((s) => s.rid));
  const keptSheets: string[] = [];
  let newRels = relsXml;
  for (const rel of parseRels(relsXml)) {
    const path = workbookTarget(rel.target);
    const orphanSheet = rel.type === WORKSHEET_TYPE && !used.has(rel.id);
    const missing = !rel.external && !zip.file(path);
    if (orphanSheet || missing) newRels = newRels.replace(rel.tag, "");
    else if (rel.type === WORKSHEET_TYPE) keptSheets.push(path);
  }
  // Stale worksheet parts (left over by deleted sheets) and their relationships.
  zip.forEach((p) => {
    if (/^xl\/worksheets\/[^/]+\.xml$/.test(p) && !keptSheets.includes(p)) {
      zip.remove(p);
      zip.remove(p.replace(/([^/]+)$/, "_rels/$1.rels"));
    }
  });
  let ct = await zip.file("[Content_Types].xml")!.async("string");
  ct = ct.replace(/<Override\b[^>]*\/>/g, (tag) => {
    const part = (attr(tag, "PartName") ?? "").slice(1);
    return zip.file(part) ? tag : "";
  });
  ct = ensureWorksheetOverrides(ct, keptSheets);
  zip.file("xl/_rels/workbook.xml.rels", newRels);
  zip.file("[Content_Types].xml", ct);
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}

/** The stored configuration's XML (a custom XML part in CONFIG_NAMESPACE_URI), or null. */
export async function findConfigXml(zip: JSZip): Promise<string | null> {
  const items = zip.file(/^customXml\/item\d+\.xml$/);
  for (const item of items) {
    const xml = await item.async("string");
    if (xml.includes(CONFIG_NAMESPACE_URI)) return xml;
  }
  return null;
}
