/**
 * The package layer of the .xlsx host (ECMA-376 Part 2, Open Packaging Conventions): recognises what a
 * file is (with a Swedish message for every file it cannot use), and gives the host the parts it asks
 * for, their relationships and content types. Parts are inflated only when asked for; a part the refresh
 * does not change is written back as its original compressed bytes (zip.ts).
 */
import {
  decodePart,
  encodePart,
  NS,
  parseTree,
  XmlError,
  type PartEncoding,
  type XmlNode,
  attr,
  escapeText,
  unescapeXml,
} from "./xml";
import { ByteWriter, StringOut, UnlessSame, type XmlOut } from "./bytes";
import { StringDecoder } from "string_decoder";
import { EditedXml } from "./edited";
import {
  DEFAULT_LIMITS,
  readZip,
  SegmentedDeflater,
  writeZip,
  type Deflated,
  ZipError,
  type OutEntry,
  type ZipArchive,
  type ZipEntry,
  type ZipLimits,
} from "./zip";

export type OpenErrorCode =
  | "EMPTY"
  | "TEXT_FILE"
  | "ENCRYPTED"
  | "LEGACY_XLS"
  | "NOT_ZIP"
  | "CORRUPT"
  | "NOT_XLSX"
  | "UNSUPPORTED_PART"
  | "STRICT_OOXML"
  | "XLSB"
  | "ODS"
  | "TOO_LARGE";

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

/** The kind of workbook, from the content type of its main part; written back as the same kind. */
export type WorkbookFormat = "xlsx" | "xlsm" | "xltx" | "xltm";

const MAIN_TYPES: Record<string, WorkbookFormat> = {
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
  "application/vnd.ms-excel.sheet.macroenabled.main+xml": "xlsm",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "xltx",
  "application/vnd.ms-excel.template.macroenabled.main+xml": "xltm",
};
const OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
const STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument";
export const CONFIG_NAMESPACE_URI = "urn:uppfoljaren:config:1";
/** Characters of a large part's rows taken at a time by rowStretches (below V8's large-object size). */
const STRETCH_CHARS = 1 << 16;
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

function fail(code: OpenErrorCode, file: string, sv: string, en: string): never {
  throw new XlsxFileError(
    code,
    `Filen ${file} kan inte läsas: ${sv}`,
    `The file ${file} cannot be read: ${en}`,
  );
}

const SAVE_AS = "Spara den som Excel-arbetsbok (.xlsx) och försök igen.";
const SAVE_AS_EN = "Save it as an Excel workbook (.xlsx) and try again.";
const mb = (n: number) => `${Math.ceil(n / (1024 * 1024))} MB`;

/** A part the package could not give (damaged, too large, not well-formed), as an XlsxFileError. */
export function partError(file: string, part: string, e: unknown): XlsxFileError {
  if (e instanceof XlsxFileError) return e;
  const why = e instanceof Error ? ` (${e.message})` : "";
  return new XlsxFileError(
    "CORRUPT",
    `Filen ${file} kan inte läsas: arbetsbokens innehåll är skadat (delen ${part} ${e instanceof XmlError ? "är inte korrekt XML" : "går inte att packa upp"}).`,
    `The file ${file} cannot be read: the part ${part} of the workbook is damaged${why}.`,
  );
}

function zipFailure(e: ZipError, file: string, limits: ZipLimits): never {
  if (e.reason === "encrypted")
    fail("ENCRYPTED", file, "delar av zip-arkivet är krypterade.", "parts of the zip archive are encrypted.");
  if (e.reason === "entry-too-large")
    fail(
      "TOO_LARGE",
      file,
      `delen ${e.entry} packas upp till ${mb(e.bytes!)}, mer än gränsen ${mb(limits.entryBytes)} per del. Filen kan vara en så kallad zip-bomb.`,
      `the part ${e.entry} inflates to ${mb(e.bytes!)}, over the limit of ${mb(limits.entryBytes)} per part (a zip bomb?).`,
    );
  if (e.reason === "total-too-large")
    fail(
      "TOO_LARGE",
      file,
      `innehållet packas upp till mer än gränsen ${mb(limits.totalBytes)}. Filen kan vara en så kallad zip-bomb.`,
      `the content inflates to more than the limit of ${mb(limits.totalBytes)} (a zip bomb?).`,
    );
  if (e.reason === "too-many-entries")
    fail(
      "TOO_LARGE",
      file,
      `zip-arkivet har ${e.bytes} delar, fler än gränsen ${limits.entries}.`,
      `the zip archive has ${e.bytes} entries, more than the limit of ${limits.entries}.`,
    );
  fail(
    "CORRUPT",
    file,
    "filen är skadad (zip-arkivet går inte att öppna).",
    "the file is corrupt (the zip archive cannot be opened).",
  );
}

function startsWith(bytes: Uint8Array, sig: number[]): boolean {
  return sig.every((b, i) => bytes[i] === b);
}

function containsUtf16(bytes: Uint8Array, text: string): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(Buffer.from(text, "utf16le"));
}

/** Refuses what is not a zip package at all: empty, compound files (.xls, encrypted), text. */
function recognise(bytes: Uint8Array, file: string): void {
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
      `filen är i det äldre .xls-formatet. ${SAVE_AS}`,
      `the file is in the old .xls format. ${SAVE_AS_EN}`,
    );
  }
  if (!startsWith(bytes, [0x50, 0x4b])) {
    const head = Buffer.from(bytes.subarray(0, 512)).toString("utf8");
    // eslint-disable-next-line no-control-regex
    const printable = !/[\x00-\x08\x0e-\x1f]/.test(head);
    if (printable && /[;,\t]/.test(head) && !/^\s*</.test(head))
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
}

export interface Rel {
  id: string;
  type: string;
  /** The target as written, and resolved to a part name without the leading "/" (null when external). */
  target: string;
  part: string | null;
}

/** The folder of a part, "xl/worksheets/sheet1.xml" → "xl/worksheets". */
const folderOf = (part: string) => part.slice(0, Math.max(0, part.lastIndexOf("/")));

/** The relationships part of a part (ECMA-376 Part 2, 9.3.3): "xl/workbook.xml" → "xl/_rels/workbook.xml.rels". */
export function relsPathOf(part: string): string {
  const folder = folderOf(part);
  const name = part.slice(part.lastIndexOf("/") + 1);
  return `${folder ? `${folder}/` : ""}_rels/${name}.rels`;
}

/** Resolves a relationship target against the part holding the relationship (absolute or relative). */
export function resolveTarget(fromPart: string, target: string): string {
  let t = target.split("#")[0];
  try {
    t = decodeURIComponent(t);
  } catch {
    // keep it as written
  }
  const out = t.startsWith("/") ? [] : folderOf(fromPart).split("/").filter(Boolean);
  for (const p of t.split("/")) {
    if (p === "..") out.pop();
    else if (p !== "." && p !== "") out.push(p);
  }
  return out.join("/");
}

/** A relative target from one part to another (as Excel writes them). */
export function relativeTarget(fromPart: string, toPart: string): string {
  const from = folderOf(fromPart).split("/").filter(Boolean);
  const to = toPart.split("/");
  let k = 0;
  while (k < from.length && k < to.length - 1 && from[k] === to[k]) k++;
  return [...from.slice(k).map(() => ".."), ...to.slice(k)].join("/");
}

export class Package {
  private readonly texts = new Map<string, string>();
  private readonly encodings = new Map<string, PartEncoding>();
  /** Parts changed or added (by lower-cased name), and parts removed. */
  private readonly changed = new Map<string, Changed>();
  private readonly removed = new Set<string>();
  /** Parsed relationships by relationships part (lower-cased), for the edit state they were read in. */
  private readonly relsKept = new Map<string, { model: EditedXml; version: number; list: readonly Rel[] }>();
  /** Short parts parsed for editing (model()) and not edited yet, with the text they were parsed from. */
  private readonly models = new Map<string, EditedXml>();
  /** The content types' Overrides by part name (lower-cased) in document order, and Defaults by extension. */
  private typesKept: {
    model: EditedXml;
    version: number;
    overrides: Map<string, { type: string | null; node: XmlNode | null }[]>;
    defaults: Map<string, string | null>;
  } | null = null;
  private existence = 0;
  readonly format: WorkbookFormat;
  readonly workbookPart: string;

  private constructor(
    readonly zip: ZipArchive,
    readonly file: string,
  ) {
    const main = this.mainPart(file);
    const missing = !this.zip.entry(main)
      ? main
      : !this.zip.entry("[Content_Types].xml")
        ? "[Content_Types].xml"
        : null;
    if (missing)
      fail(
        "NOT_XLSX",
        file,
        `filen är ett zip-arkiv men ingen Excel-arbetsbok (${missing} saknas).`,
        `the file is a zip archive but not an Excel workbook (${missing} is missing).`,
      );
    const type = (this.contentType(main) ?? "").toLowerCase();
    if (type.startsWith("application/vnd.ms-excel.sheet.binary"))
      fail(
        "XLSB",
        file,
        `filen är en binär Excel-arbetsbok (.xlsb). ${SAVE_AS}`,
        `the file is a binary Excel workbook (.xlsb). ${SAVE_AS_EN}`,
      );
    const format = MAIN_TYPES[type];
    if (!format)
      fail(
        "NOT_XLSX",
        file,
        `filen är ingen Excel-arbetsbok (huvuddelens typ är ${type || "okänd"}).`,
        `the file is not an Excel workbook (main part type ${type || "unknown"}).`,
      );
    this.format = format;
    this.workbookPart = main;
  }

  /** Recognises and opens a package; throws XlsxFileError (Swedish) for every file it cannot use. */
  static open(bytes: Uint8Array, file: string, limits: ZipLimits = DEFAULT_LIMITS): Package {
    recognise(bytes, file);
    let zip: ZipArchive;
    try {
      zip = readZip(bytes, limits);
    } catch (e) {
      // Anything else (a field pointing outside the file) is a damaged archive too.
      zipFailure(e instanceof ZipError ? e : new ZipError("corrupt"), file, limits);
    }
    const mime = zip.entry("mimetype");
    let mimeType = "";
    try {
      if (mime && mime.size < 200) mimeType = zip.inflate(mime).toString("latin1");
    } catch {
      // a damaged mimetype entry is only the ODS hint missing
    }
    if (mimeType.startsWith("application/vnd.oasis.opendocument"))
      fail(
        "ODS",
        file,
        `filen är ett OpenDocument-kalkylblad (.ods). ${SAVE_AS}`,
        `the file is an OpenDocument spreadsheet (.ods). ${SAVE_AS_EN}`,
      );
    try {
      return new Package(zip, file);
    } catch (e) {
      throw partError(file, "[Content_Types].xml", e);
    }
  }

  /** The workbook part, from the package relationship (ECMA-376 Part 1, 12.2); Strict OOXML is refused. */
  private mainPart(file: string): string {
    const rels = this.textOrNull("_rels/.rels");
    if (rels === null) return "xl/workbook.xml";
    const list = this.parseRels("", cachedTree(rels));
    if (list.some((r) => r.type === STRICT_OFFICE_DOCUMENT))
      fail(
        "STRICT_OOXML",
        file,
        `arbetsboken är sparad som Strict Open XML-kalkylblad, som körningen inte kan läsa. ${SAVE_AS}`,
        `the workbook is saved as Strict Open XML, which the runner cannot read. ${SAVE_AS_EN}`,
      );
    return list.find((r) => r.type === OFFICE_DOCUMENT)?.part ?? "xl/workbook.xml";
  }

  /** Counts every time a part comes to exist or stops existing (for what is kept from has()). */
  get partsVersion(): number {
    return this.existence;
  }

  has(part: string): boolean {
    const k = part.toLowerCase();
    return this.changed.has(k) || (!this.removed.has(k) && !!this.zip.entry(part));
  }

  /** A part's text (decoded from UTF-8 or UTF-16), or null when the package has no such part. */
  textOrNull(part: string): string | null {
    const k = part.toLowerCase();
    const c = this.changed.get(k);
    if (c) {
      if (c.model) return c.model.text();
      if (c.text === undefined) throw new Error(`${part} was written as a stream and is not read back`);
      return c.text;
    }
    if (this.removed.has(k)) return null;
    const cached = this.texts.get(k);
    if (cached !== undefined) return cached;
    const e = this.zip.entry(part);
    if (!e) return null;
    let decoded: { text: string; encoding: PartEncoding };
    try {
      decoded = decodePart(this.zip.inflate(e));
    } catch (err) {
      throw partError(this.file, part, err);
    }
    this.texts.set(k, decoded.text);
    this.encodings.set(k, decoded.encoding);
    return decoded.text;
  }

  /** Drops a cached part text (large sheet parts are read once). */
  forget(part: string): void {
    this.texts.delete(part.toLowerCase());
  }

  /** Parses a short part into a tree; a part that is not well-formed is reported as damaged. */
  tree(part: string): XmlNode | null {
    const text = this.textOrNull(part);
    if (text === null) return null;
    try {
      return cachedTree(text);
    } catch (e) {
      throw partError(this.file, part, e);
    }
  }

  set(part: string, text: string): void {
    this.changeTo(part, { name: this.zip.entry(part)?.name ?? part, text });
  }

  private changeTo(part: string, c: Changed): void {
    const k = part.toLowerCase();
    if (!this.has(part)) this.existence++;
    this.removed.delete(k);
    this.texts.delete(k);
    this.models.delete(k);
    this.changed.set(k, c);
  }

  /**
   * A short part parsed for editing (edited.ts), or null when the package has no such part; one that is
   * not well-formed is reported as damaged. Edits made on it count once commit() is called.
   */
  model(part: string): EditedXml | null {
    const k = part.toLowerCase();
    const c = this.changed.get(k);
    if (c?.model) return c.model;
    const text = this.textOrNull(part);
    if (text === null) return null;
    const kept = this.models.get(k);
    if (kept?.base === text) return kept;
    try {
      const model = new EditedXml(text, cachedTree(text));
      this.models.set(k, model);
      return model;
    } catch (e) {
      throw partError(this.file, part, e);
    }
  }

  /** Makes an edited model the part's content (its text is built when it is read or written). */
  commit(part: string, model: EditedXml): void {
    if (this.changed.get(part.toLowerCase())?.model === model) return;
    this.changeTo(part, { name: this.zip.entry(part)?.name ?? part, model });
  }

  /**
   * Writes a (large) part rendered as UTF-8 bytes (bytes.ts), each full buffer deflated as one segment,
   * so the whole text is never built. When the output spells exactly the part's current text the part
   * stays as it is (copied as its compressed bytes). A part read as UTF-16 or with a byte-order mark is
   * collected and written as set() would. `produce` yields now and then (after a row): the writer
   * waits there while the deflater's thread pool is behind, so memory holds a few raw segments, not
   * the whole part. With `same`, the producer knows whether it wrote the part as it was (it edits a
   * part it takes from rowStretches(), whose text is not kept): the part's text is then not looked at.
   */
  async writeXml(
    part: string,
    produce: (out: XmlOut) => Iterable<unknown> | AsyncIterable<unknown>,
    same?: () => boolean,
  ): Promise<void> {
    const k = part.toLowerCase();
    const old = same || !this.has(part) ? null : this.textOrNull(part);
    if (old !== null && (this.encodings.get(k) ?? "utf8") !== "utf8") {
      const out = new StringOut();
      for (const _ of produce(out) as Iterable<unknown>);
      if (out.value !== old) this.set(part, out.value);
      return;
    }
    const deflater = new SegmentedDeflater();
    const bytes = new ByteWriter((chunk, release) => deflater.segment(chunk, release));
    const out = old === null ? bytes : new UnlessSame(old, bytes);
    const steps = produce(out);
    if (Symbol.asyncIterator in steps) {
      for await (const _ of steps) if (deflater.behind) await deflater.drained();
    } else for (const _ of steps) if (deflater.behind) await deflater.drained();
    if (out instanceof UnlessSame && out.finish()) return;
    bytes.end();
    const deflated = deflater.end();
    if (same?.()) {
      await deflated;
      return;
    }
    this.changeTo(part, { name: this.zip.entry(part)?.name ?? part, deflated });
  }

  /**
   * A large part's rows a stretch at a time (each stretch ending after `close`, the characters `from`
   * to `to` of its text), inflated again from the archive as they are taken, and its frame: the text
   * without those characters, which stood at `at`. The part's kept text is dropped, so that it need not
   * stay in memory while the rows are edited (the stretches are checked against it: the frame must come
   * out of the archive again as it was, and the rows end where they did). Null for a part that is
   * changed, or not plain UTF-8 (its text is then used whole).
   */
  rowStretches(
    part: string,
    range: { from: number; to: number },
    close: string,
  ): { frame: string; at: number; stretches: AsyncIterable<string> } | null {
    const k = part.toLowerCase();
    const e = this.zip.entry(part);
    const text = this.textOrNull(part);
    if (!e || this.changed.has(k) || text === null || this.encodings.get(k) !== "utf8") return null;
    const { from, to } = range;
    // A copy, not slices of the text (which would keep it alive).
    const frame = Buffer.from(text.slice(0, from) + text.slice(to), "utf8").toString("utf8");
    const length = text.length;
    this.forget(part);
    const stretches = stretchesOf(this.zip.inflateChunks(e), range, close, frame, length);
    return { frame, at: from, stretches: guarded(stretches, (err) => partError(this.file, part, err)) };
  }

  remove(part: string): void {
    const k = part.toLowerCase();
    if (this.has(part)) this.existence++;
    this.changed.delete(k);
    this.texts.delete(k);
    this.models.delete(k);
    this.removed.add(k);
  }

  /** Names of the parts that will be written differently from the input (changed, added or removed). */
  touched(): string[] {
    return [...[...this.changed.values()].map((c) => c.name), ...this.removed];
  }

  /** Every part name in the package, as it will be written. */
  partNames(): string[] {
    const names = this.zip.entries.map((e) => e.name).filter((n) => !this.removed.has(n.toLowerCase()));
    for (const c of this.changed.values()) if (!this.zip.entry(c.name)) names.push(c.name);
    return names;
  }

  // --- Relationships ---------------------------------------------------------------------------------

  private parseRels(source: string, root: XmlNode): Rel[] {
    return root.children
      .filter((n) => n.tag.local === "Relationship")
      .map((n) => {
        const target = attr(n.tag, "Target") ?? "";
        const external = attr(n.tag, "TargetMode") === "External";
        return {
          id: attr(n.tag, "Id") ?? "",
          type: attr(n.tag, "Type") ?? "",
          target,
          part: external ? null : resolveTarget(source, target),
        };
      });
  }

  /** A model with no edits pending against its parse (rebased when it has some). */
  private static settled(model: EditedXml): EditedXml {
    model.rebase();
    return model;
  }

  /**
   * The relationships of a part (empty when it has none); callers must not change the list. A refresh
   * asks for the workbook's some hundred times (every sheet looked up) and they change a few times, so
   * the list is kept while the relationships part is not edited otherwise than here.
   */
  rels(part: string): readonly Rel[] {
    const path = relsPathOf(part);
    const model = this.model(path);
    if (model === null) return [];
    const k = path.toLowerCase();
    const kept = this.relsKept.get(k);
    if (kept?.model === model && kept.version === model.version) return kept.list;
    try {
      const list = this.parseRels(part, Package.settled(model).root);
      this.relsKept.set(k, { model, version: model.version, list });
      return list;
    } catch (e) {
      throw partError(this.file, path, e);
    }
  }

  /** Adds a relationship from `part` and returns its new id (rId1, rId2, … not used by the part yet). */
  addRel(part: string, type: string, targetPart: string): string {
    const path = relsPathOf(part);
    const list = this.rels(part);
    const used = new Set(list.map((r) => r.id));
    let n = used.size + 1;
    while (used.has(`rId${n}`)) n++;
    const id = `rId${n}`;
    const model =
      this.model(path) ?? new EditedXml(`${XML_HEAD}<Relationships xmlns="${NS.pkgRel}"></Relationships>`);
    const kept = this.relsKept.get(path.toLowerCase());
    const known = kept?.model === model && kept.version === model.version;
    const root = model.root;
    const p = root.tag.prefix ? `${root.tag.prefix}:` : "";
    const escType = escapeText(type, true);
    const escTarget = escapeText(relativeTarget(part, targetPart), true);
    model.append(root, `<${p}Relationship Id="${id}" Type="${escType}" Target="${escTarget}"/>`);
    this.commit(path, model);
    // The list parsing the new text would give: the same relationships and the new one last.
    if (known) {
      const target = unescapeXml(escTarget);
      const rel = { id, type: unescapeXml(escType), target, part: resolveTarget(part, target) };
      this.relsKept.set(path.toLowerCase(), { model, version: model.version, list: [...list, rel] });
    }
    return id;
  }

  /** Removes relationships of `part` by id (the relationships part goes when none is left). */
  removeRels(part: string, ids: Set<string>): void {
    const path = relsPathOf(part);
    const found = this.model(path);
    if (found === null) return;
    const model = Package.settled(found);
    const root = model.root;
    const gone = root.children.filter(
      (n) => n.tag.local === "Relationship" && ids.has(attr(n.tag, "Id") ?? ""),
    );
    if (!gone.length) return;
    if (gone.length === root.children.length) return this.remove(path);
    for (const n of gone) model.remove(n);
    this.commit(path, model);
  }

  // --- Content types ---------------------------------------------------------------------------------

  /** The content types' Overrides and Defaults as the part has them now (kept while only setContentType edits it). */
  private types(): NonNullable<Package["typesKept"]> {
    const model = this.model("[Content_Types].xml")!;
    const kept = this.typesKept;
    if (kept?.model === model && kept.version === model.version) return kept;
    const overrides = new Map<string, { type: string | null; node: XmlNode | null }[]>();
    const defaults = new Map<string, string | null>();
    for (const n of Package.settled(model).root.children)
      if (n.tag.local === "Override") {
        const name = (attr(n.tag, "PartName") ?? "").toLowerCase();
        const entry = { type: attr(n.tag, "ContentType") ?? null, node: n };
        const list = overrides.get(name);
        if (list) list.push(entry);
        else overrides.set(name, [entry]);
      } else if (n.tag.local === "Default")
        defaults.set((attr(n.tag, "Extension") ?? "").toLowerCase(), attr(n.tag, "ContentType") ?? null);
    this.typesKept = { model, version: model.version, overrides, defaults };
    return this.typesKept;
  }

  /** A part's content type (ECMA-376 Part 2, 10.1.2.4: its Override, else the Default for its extension). */
  contentType(part: string): string | null {
    const types = this.types();
    const override = types.overrides.get(`/${part}`.toLowerCase());
    if (override?.length) return override[0].type;
    return types.defaults.get(part.slice(part.lastIndexOf(".") + 1).toLowerCase()) ?? null;
  }

  /** Sets an Override for a part (or removes it with null). */
  setContentType(part: string, type: string | null): void {
    const path = "[Content_Types].xml";
    let types = this.types();
    const name = `/${part}`.toLowerCase();
    let old = types.overrides.get(name)?.[0];
    if (old && type !== null && old.type === type) return;
    if (!old && type === null) return;
    let model = types.model;
    if (old && !old.node) {
      // An Override added since the part was parsed: parsed again, so that it can be removed.
      model.rebase();
      this.typesKept = null;
      types = this.types();
      old = types.overrides.get(name)![0];
    }
    model = types.model;
    if (old) {
      model.remove(old.node!);
      types.overrides.get(name)!.shift();
    }
    if (type !== null) {
      const p = model.root.tag.prefix ? `${model.root.tag.prefix}:` : "";
      model.append(
        model.root,
        `<${p}Override PartName="/${escapeText(part, true)}" ContentType="${escapeText(type, true)}"/>`,
      );
      const entry = { type: unescapeXml(escapeText(type, true)), node: null };
      const list = types.overrides.get(name);
      if (list) list.push(entry);
      else types.overrides.set(name, [entry]);
    }
    this.commit(path, model);
    types.version = model.version;
  }

  // --- Writing ---------------------------------------------------------------------------------------

  /** The package as zip bytes: unchanged entries copied as they are, changed ones deflated again. */
  async output(options: { forceZip64?: boolean } = {}): Promise<Buffer> {
    const out: OutEntry[] = [];
    for (const e of this.zip.entries) {
      const k = e.name.toLowerCase();
      if (this.removed.has(k)) continue;
      const c = this.changed.get(k);
      out.push(c ? await outEntry(c, this.encodings.get(k), e) : { name: e.name, copy: e, from: this.zip });
    }
    for (const [k, c] of this.changed) if (!this.zip.entry(k)) out.push(await outEntry(c));
    return writeZip(out, options);
  }
}

/**
 * The characters `from` to `to` of a part's text decoded from its inflated bytes, in stretches of about
 * STRETCH_CHARS each ending after `close` (the last one at `to`); the characters around them must spell `frame`, and the text
 * must be `length` long, as when the part was read.
 */
export async function* stretchesOf(
  chunks: AsyncIterable<Buffer>,
  { from, to }: { from: number; to: number },
  close: string,
  frame: string,
  length: number,
): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  let pos = 0; // characters of the text before `pending`
  let pending = "";
  let around = "";
  const cut = (n: number) => {
    const s = pending.slice(0, n);
    pending = pending.slice(n);
    pos += n;
    return s;
  };
  const take = function* (last: boolean): Generator<string> {
    if (pos < from) around += cut(Math.min(from - pos, pending.length));
    if (pos < from) return;
    while (pos < to) {
      const left = to - pos;
      const at = left > STRETCH_CHARS ? pending.indexOf(close, STRETCH_CHARS - close.length) : -1;
      if (at >= 0 && at + close.length < left) yield cut(at + close.length);
      else if (pending.length >= left) {
        if (left) yield cut(left);
        break;
      } else if (last) throw new Error("the rows end early");
      else return;
    }
    around += pending;
    pos += pending.length;
    pending = "";
  };
  for await (const chunk of chunks) {
    pending += decoder.write(chunk);
    yield* take(false);
  }
  pending += decoder.end();
  yield* take(true);
  if (pos !== length || around !== frame) throw new Error("the part is not as it was read");
}

/** The stretches, a failure reported as `error` gives it. */
async function* guarded<T>(items: AsyncIterable<T>, error: (e: unknown) => Error): AsyncGenerator<T> {
  try {
    yield* items;
  } catch (e) {
    throw error(e);
  }
}

/** A changed part: its whole text, or its bytes compressed while they were written (Package.write). */
interface Changed {
  name: string;
  text?: string;
  /** A short part edited as a parse (its text built when written). */
  model?: EditedXml;
  deflated?: Promise<Deflated>;
}

async function outEntry(c: Changed, encoding?: PartEncoding, template?: ZipEntry): Promise<OutEntry> {
  if (c.model) return { name: c.name, data: encodePart(c.model.text(), encoding), template };
  if (c.text !== undefined) return { name: c.name, data: encodePart(c.text, encoding), template };
  return { name: c.name, deflated: await c.deflated!, template };
}

/**
 * The short parts (workbook, relationships, content types) are asked for many times per refresh and
 * change a few times: a parsed tree is kept for the last few texts seen (trees are never modified).
 */
const trees = new Map<string, XmlNode>();
export function cachedTree(text: string): XmlNode {
  let node = trees.get(text);
  if (!node) {
    node = parseTree(text);
    if (text.length < 1 << 20) {
      if (trees.size >= 32) trees.delete(trees.keys().next().value!);
      trees.set(text, node);
    }
  }
  return node;
}

/** The stored configuration's XML (a custom XML part in CONFIG_NAMESPACE_URI), or null. */
export function findConfigXml(pkg: Package): string | null {
  for (const name of pkg.partNames())
    if (/^customXml\/item\d+\.xml$/i.test(name)) {
      const xml = pkg.textOrNull(name);
      if (xml?.includes(CONFIG_NAMESPACE_URI)) return xml;
    }
  return null;
}
