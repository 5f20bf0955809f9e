/**
 * The workbook part (ECMA-376 Part 1, 18.2): its sheets and defined names, read namespace-aware and
 * edited in place (only <sheets> and <definedNames> change), and docProps/app.xml's sheet titles kept in
 * step when the package has that part.
 */
import { insertBeforeEnd, type Package } from "./package";
import {
  attr,
  child,
  children,
  escapeText,
  NS,
  parseTree,
  textOf,
  unescapeOoxml,
  withAttrs,
  type XmlNode,
} from "./xml";

const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
export const WORKSHEET_REL = `${REL}/worksheet`;
export const WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";

/** A sheet of the workbook (shared between calls of sheets(), so read-only). */
export interface SheetEntry {
  readonly name: string;
  readonly sheetId: number;
  readonly rid: string;
  readonly hidden: boolean;
  /** The worksheet part, or null for chart, dialog and macro sheets (and missing parts). */
  readonly part: string | null;
  readonly kind: "worksheet" | "other";
}

export interface DefinedName {
  name: string;
  /** Index into the sheets (localSheetId), or null for a workbook-scoped name. */
  local: number | null;
  formula: string;
}

export class WorkbookPart {
  /** What sheets() read, with the texts it read it from. */
  private sheetsKept: {
    text: string;
    rels: readonly unknown[];
    list: (Omit<SheetEntry, "kind" | "part"> & { part: string | null })[];
    /** The entries, while no part came or went (whether a worksheet part exists is asked then). */
    entries?: { version: number; list: SheetEntry[] };
  } | null = null;
  /** What names() read, with the text it read it from. */
  private namesKept: { text: string; list: DefinedName[] } | null = null;

  constructor(
    private readonly pkg: Package,
    readonly part: string,
  ) {}

  private root(): XmlNode {
    return this.pkg.tree(this.part)!;
  }

  private text(): string {
    return this.pkg.textOrNull(this.part)!;
  }

  /**
   * The sheets in workbook order. Every lookup of a sheet by name asks for them (a few hundred times per
   * refresh), so what the part and its relationships say is kept while both have the same text, and
   * the entries while no part came or went (a new sheet's part is written after its entry).
   */
  sheets(): SheetEntry[] {
    const text = this.text();
    const rels = this.pkg.rels(this.part);
    let read = this.sheetsKept;
    if (read?.text !== text || read.rels !== rels) {
      const container = child(this.root(), "sheets", NS.main);
      const list = (container ? children(container, "sheet", NS.main) : []).map((n) => {
        const rid = attr(n.tag, "id", REL) ?? "";
        const rel = rels.find((r) => r.id === rid);
        return {
          name: attr(n.tag, "name") ?? "",
          sheetId: Number(attr(n.tag, "sheetId") ?? 0),
          rid,
          hidden: (attr(n.tag, "state") ?? "visible") !== "visible",
          part: rel?.type === WORKSHEET_REL && rel.part ? rel.part : null,
        };
      });
      this.sheetsKept = read = { text, rels, list };
    }
    const version = this.pkg.partsVersion;
    if (read.entries?.version !== version)
      read.entries = {
        version,
        list: read.list.map((s) => {
          const worksheet = s.part !== null && this.pkg.has(s.part);
          return { ...s, part: worksheet ? s.part : null, kind: worksheet ? "worksheet" : "other" };
        }),
      };
    return [...read.entries.list];
  }

  /** The defined names (kept while the part has the same text, as sheets() is). */
  names(): DefinedName[] {
    const text = this.text();
    if (this.namesKept?.text !== text) {
      const container = child(this.root(), "definedNames", NS.main);
      const list = (container ? children(container, "definedName", NS.main) : []).map((n) => {
        const local = attr(n.tag, "localSheetId");
        return {
          name: attr(n.tag, "name") ?? "",
          local: local === undefined ? null : Number(local),
          formula: unescapeOoxml(textOf(text, n.tag.end, n.endStart)),
        };
      });
      this.namesKept = { text, list };
    }
    return this.namesKept.list.map((n) => ({ ...n }));
  }

  /** Appends a worksheet to <sheets>, declaring the relationships prefix on it when none is in scope. */
  addSheet(name: string, rid: string): number {
    const root = this.root();
    const container = child(root, "sheets", NS.main)!;
    const sheetId = Math.max(0, ...this.sheets().map((s) => s.sheetId)) + 1;
    const p = container.tag.prefix ? `${container.tag.prefix}:` : "";
    const declared = [root.tag, container.tag]
      .flatMap((t) => t.attrs)
      .filter((a) => a.qname.startsWith("xmlns:") && a.raw === REL)
      .map((a) => a.qname.slice(6))
      .find((prefix) => !container.tag.attrs.some((a) => a.qname === `xmlns:${prefix}` && a.raw !== REL));
    const r = declared ?? "r";
    const decl = declared ? "" : ` xmlns:r="${REL}"`;
    const el = `<${p}sheet${decl} name="${escapeText(name, true)}" sheetId="${sheetId}" ${r}:id="${rid}"/>`;
    this.pkg.set(this.part, insertBeforeEnd(this.text(), container, el));
    return sheetId;
  }

  setHidden(index: number, hidden: boolean): void {
    const container = child(this.root(), "sheets", NS.main)!;
    const node = children(container, "sheet", NS.main)[index];
    const now = (attr(node.tag, "state") ?? "visible") !== "visible";
    if (now === hidden) return;
    const text = this.text();
    const tag = withAttrs(text, node.tag, { state: hidden ? "hidden" : null });
    this.pkg.set(this.part, text.slice(0, node.tag.start) + tag + text.slice(node.tag.end));
  }

  /** Removes defined names matching the predicate. */
  removeNames(match: (n: DefinedName) => boolean): void {
    const container = child(this.root(), "definedNames", NS.main);
    if (!container) return;
    const list = this.names();
    const nodes = children(container, "definedName", NS.main);
    const gone = nodes.filter((_n, i) => match(list[i]));
    if (!gone.length) return;
    let text = this.text();
    if (gone.length === nodes.length)
      text = text.slice(0, container.tag.start) + text.slice(container.endEnd);
    else for (const n of [...gone].reverse()) text = text.slice(0, n.tag.start) + text.slice(n.endEnd);
    this.pkg.set(this.part, text);
  }

  /**
   * Defines a name (case-insensitive, per scope): an equal definition stays as it is, a different one is
   * replaced where it stands, a new one is appended, so refreshing again leaves the part unchanged.
   */
  setName(name: string, local: number | null, formula: string): void {
    const lower = name.toLowerCase();
    const list = this.names();
    const i = list.findIndex((n) => n.name.toLowerCase() === lower && n.local === local);
    if (i < 0) return this.addName(name, local, formula);
    if (
      list[i].formula === formula &&
      list.findIndex((n, k) => k > i && n.name.toLowerCase() === lower && n.local === local) < 0
    )
      return;
    this.removeNames((n) => n.name.toLowerCase() === lower && n.local === local);
    this.addName(name, local, formula);
  }

  addName(name: string, local: number | null, formula: string): void {
    const root = this.root();
    const text = this.text();
    const sheets = child(root, "sheets", NS.main)!;
    const p = sheets.tag.prefix ? `${sheets.tag.prefix}:` : "";
    const scope = local === null ? "" : ` localSheetId="${local}"`;
    const el = `<${p}definedName name="${escapeText(name, true)}"${scope}>${escapeText(formula)}</${p}definedName>`;
    const container = child(root, "definedNames", NS.main);
    if (container) return this.pkg.set(this.part, insertBeforeEnd(text, container, el));
    // CT_Workbook order: … sheets, functionGroups, externalReferences, definedNames, calcPr …
    const before =
      ["functionGroups", "externalReferences"]
        .map((n) => child(root, n, NS.main))
        .filter(Boolean)
        .pop() ?? sheets;
    const at = before.endEnd;
    this.pkg.set(
      this.part,
      `${text.slice(0, at)}<${p}definedNames>${el}</${p}definedNames>${text.slice(at)}`,
    );
  }
}

/**
 * Adds a sheet title to docProps/app.xml (ECMA-376 Part 1, 22.2.2.27 TitlesOfParts) when the part exists
 * and its first heading group counts the worksheets; leaves it alone when its shape is anything else.
 */
export function addAppTitle(pkg: Package, name: string): void {
  const path = "docProps/app.xml";
  const text = pkg.textOrNull(path);
  if (text === null) return;
  let root: XmlNode;
  try {
    root = parseTree(text);
  } catch {
    return;
  }
  const vector = (local: string) => {
    const holder = child(root, local, NS.extended);
    return holder ? child(holder, "vector", NS.vt) : undefined;
  };
  const pairs = vector("HeadingPairs");
  const titles = vector("TitlesOfParts");
  if (!pairs || !titles) return;
  const variants = children(pairs, "variant", NS.vt);
  const count = variants[1] && child(variants[1], "i4", NS.vt);
  const entries = children(titles, "lpstr", NS.vt);
  const total = variants
    .filter((_v, i) => i % 2 === 1)
    .reduce(
      (s, v) =>
        s +
        Number(textOf(text, child(v, "i4", NS.vt)?.tag.end ?? 0, child(v, "i4", NS.vt)?.endStart ?? 0) || 0),
      0,
    );
  if (!count || total !== entries.length) return;
  const sheets = Number(textOf(text, count.tag.end, count.endStart));
  const p = titles.tag.prefix ? `${titles.tag.prefix}:` : "";
  const at = sheets > 0 ? entries[sheets - 1].endEnd : titles.tag.end;
  const edits = [
    { at: count.tag.end, end: count.endStart, text: String(sheets + 1) },
    { at, end: at, text: `<${p}lpstr>${escapeText(name)}</${p}lpstr>` },
    {
      at: titles.tag.start,
      end: titles.tag.end,
      text: withAttrs(text, titles.tag, { size: String(entries.length + 1) }),
    },
  ].sort((a, b) => a.at - b.at);
  let out = "";
  let k = 0;
  for (const e of edits) {
    out += text.slice(k, e.at) + e.text;
    k = e.end;
  }
  pkg.set(path, out + text.slice(k));
}
