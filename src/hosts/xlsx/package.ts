/**
 * Package-level (zip) work for the .xlsx host, done with JSZip before and after xlsx-populate:
 * - recognise files that are not .xlsx workbooks (empty, CSV, old .xls, encrypted, corrupt) with a
 *   Swedish message;
 * - refuse workbooks holding parts xlsx-populate cannot keep (chart sheets, dialog sheets);
 * - normalise worksheet part names to xl/worksheets/sheetN.xml, which xlsx-populate assumes;
 * - on output, repair the bookkeeping xlsx-populate leaves behind (relationships and content types of
 *   deleted and added sheets, the removed calcChain) in its zip, and write the zip once with native zlib;
 * - find the stored configuration (custom XML part) by its namespace.
 */
import JSZip from "jszip";
import { promisify } from "util";
import * as zlib from "zlib";

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

// JSZip internals: a loaded part keeps its compressed bytes; a part set from a string keeps the string.
interface PartInternal {
  _data?: unknown;
  _dataBinary?: boolean;
  async(type: "string"): Promise<string>;
}

/**
 * A part's text, or null when the package has no such part. Reads what JSZip holds directly (native
 * zlib for deflated parts): JSZip's own async() inflates with pako and takes several event-loop turns.
 */
export async function partText(zip: JSZip, path: string): Promise<string | null> {
  const entry = zip.file(path) as unknown as PartInternal | null;
  if (!entry) return null;
  const d = entry._data;
  if (typeof d === "string" && !entry._dataBinary) return d;
  if (isCompressed(d))
    return (
      d.compression.magic === "\x08\x00"
        ? zlib.inflateRawSync(d.compressedContent)
        : Buffer.from(d.compressedContent)
    ).toString("utf8");
  return entry.async("string");
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
  const workbookXml = (await partText(zip, "xl/workbook.xml"))!;
  const relsXml = (await partText(zip, "xl/_rels/workbook.xml.rels")) ?? "";
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
  let ct = (await partText(zip, "[Content_Types].xml"))!;
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
 * Repairs what xlsx-populate leaves inconsistent, in its zip before the zip is written: relationships of
 * deleted sheets and of the calcChain it drops, content types of sheets it adds, and stale worksheet parts
 * beyond the current sheet count.
 */
export async function repairPackage(zip: JSZip): Promise<void> {
  const workbookXml = (await partText(zip, "xl/workbook.xml"))!;
  const relsXml = (await partText(zip, "xl/_rels/workbook.xml.rels")) ?? "";
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
  let ct = (await partText(zip, "[Content_Types].xml"))!;
  ct = ct.replace(/<Override\b[^>]*\/>/g, (tag) => {
    const part = (attr(tag, "PartName") ?? "").slice(1);
    return zip.file(part) ? tag : "";
  });
  ct = ensureWorksheetOverrides(ct, keptSheets);
  zip.file("xl/_rels/workbook.xml.rels", newRels, { date: new Date(0), createFolders: false });
  zip.file("[Content_Types].xml", ct, { date: new Date(0), createFolders: false });
}

// ---------------------------------------------------------------------------------------------------
// Writing the zip with Node's native zlib. JSZip deflates with pako (pure JavaScript), which was the
// largest single cost of a refresh after XML building. Parts that were loaded and not changed keep their
// compressed bytes as they are (as JSZip does); changed parts are deflated with zlib (in its thread pool).

// JSZip internals: a loaded, unchanged part holds its compressed bytes.
interface CompressedInternal {
  compressedSize: number;
  uncompressedSize: number;
  crc32: number;
  compression: { magic: string };
  compressedContent: Uint8Array;
}
interface ZipObjectInternal {
  name: string;
  dir: boolean;
  date: Date | null;
  _data: unknown;
  _dataBinary?: boolean;
  async(type: "nodebuffer"): Promise<Buffer>;
}

const crcTable = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

function crc32(data: Uint8Array): number {
  const native = (zlib as { crc32?: (d: Uint8Array) => number }).crc32;
  if (native) return native(data) >>> 0;
  let c = -1;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** zlib's asynchronous deflate runs in libuv's thread pool, so the changed parts compress in parallel. */
const deflateRaw = promisify(zlib.deflateRaw) as (data: Uint8Array) => Promise<Buffer>;

function isCompressed(data: unknown): data is CompressedInternal {
  const d = data as CompressedInternal | null;
  return (
    !!d &&
    typeof d === "object" &&
    d.compressedContent instanceof Uint8Array &&
    (d.compression?.magic === "\x08\x00" || d.compression?.magic === "\x00\x00")
  );
}

function dosDateTime(date: Date | null): { time: number; date: number } {
  const d = date && date.getUTCFullYear() >= 1980 ? date : new Date(Date.UTC(1980, 0, 1));
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

interface Entry {
  name: Buffer;
  utf8: boolean;
  method: number;
  crc: number;
  size: number;
  data: Uint8Array;
  time: number;
  date: number;
}

async function entryOf(file: ZipObjectInternal): Promise<Entry> {
  const name = Buffer.from(file.name, "utf8");
  const { time, date } = dosDateTime(file.date);
  const base = { name, utf8: name.length !== file.name.length, time, date };
  const d = file._data;
  if (isCompressed(d))
    return {
      ...base,
      method: d.compression.magic === "\x08\x00" ? 8 : 0,
      crc: d.crc32 >>> 0,
      size: d.uncompressedSize,
      data: d.compressedContent,
    };
  const raw =
    typeof d === "string"
      ? Buffer.from(d, file._dataBinary ? "latin1" : "utf8")
      : d instanceof Uint8Array
        ? d
        : await file.async("nodebuffer");
  return { ...base, method: 8, crc: crc32(raw), size: raw.length, data: await deflateRaw(raw) };
}

/** The zip's bytes, as JSZip's generateAsync({ compression: "DEFLATE" }) would write them. */
export async function writeZip(zip: JSZip): Promise<Buffer> {
  // Folder entries are not parts of the package (Excel writes none); JSZip adds them on load.
  const files = (Object.values(zip.files) as unknown as ZipObjectInternal[]).filter((f) => !f.dir);
  const entries = await Promise.all(files.map(entryOf));
  const chunks: Uint8Array[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const header = Buffer.alloc(26);
    header.writeUInt16LE(10, 0); // version needed to extract
    header.writeUInt16LE(e.utf8 ? 0x0800 : 0, 2);
    header.writeUInt16LE(e.method, 4);
    header.writeUInt16LE(e.time, 6);
    header.writeUInt16LE(e.date, 8);
    header.writeUInt32LE(e.crc, 10);
    header.writeUInt32LE(e.data.length, 14);
    header.writeUInt32LE(e.size, 18);
    header.writeUInt16LE(e.name.length, 22);
    header.writeUInt16LE(0, 24); // extra field length
    const local = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), header, e.name]);
    const dir = Buffer.alloc(46 + e.name.length);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(0x0014, 4); // made by: DOS, 2.0
    header.copy(dir, 6);
    // comment length, disk number, internal and external attributes stay 0
    dir.writeUInt32LE(offset, 42);
    e.name.copy(dir, 46);
    central.push(dir);
    chunks.push(local, e.data);
    offset += local.length + e.data.length;
  }
  const centralBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, centralBytes, end]);
}

/** The stored configuration's XML (a custom XML part in CONFIG_NAMESPACE_URI), or null. */
export async function findConfigXml(zip: JSZip): Promise<string | null> {
  const items = zip.file(/^customXml\/item\d+\.xml$/);
  for (const item of items) {
    const xml = (await partText(zip, item.name))!;
    if (xml.includes(CONFIG_NAMESPACE_URI)) return xml;
  }
  return null;
}
