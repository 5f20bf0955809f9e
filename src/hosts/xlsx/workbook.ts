/**
 * The workbook part (ECMA-376 Part 1, 18.2): its sheets and defined names, read namespace-aware and
 * edited in place (only <sheets> and <definedNames> change), and docProps/app.xml's sheet titles kept in
 * step when the package has that part.
 */
import type { EditedXml } from "./edited";
import type { Package, Rel } from "./package";
import {
  attr,
  child,
  children,
  escapeText,
  NS,
  parseTree,
  textOf,
  unescapeOoxml,
  unescapeXml,
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

/** What <sheets> says of a sheet (SheetEntry without what the relationships and parts say). */
type SheetRecord = Omit<SheetEntry, "part" | "kind">;

export interface DefinedName {
  name: string;
  /** Index into the sheets (localSheetId), or null for a workbook-scoped name. */
  local: number | null;
  formula: string;
}

export class WorkbookPart {
  /**
   * What <sheets> and <definedNames> say, for the edit state (model and version) they were read in; the
   * workbook's own edits below carry them over (an edit of the defined names leaves the sheets as they
   * are, a new sheet is appended).
   */
  private sheetsKept: { model: EditedXml; version: number; list: SheetRecord[] } | null = null;
  /** The entries, for the relationships list and package state (partsVersion) they were made with. */
  private entriesKept: {
    read: SheetRecord[];
    rels: readonly Rel[];
    byId: Map<string, Rel>;
    version: number;
    list: SheetEntry[];
    /** Index of each lower-cased name's first sheet, made when a sheet is first looked up by name. */
    byName: Map<string, number> | null;
  } | null = null;
  private namesKept: { model: EditedXml; version: number; list: DefinedName[] } | null = null;
  /** A <definedNames> this refresh inserted, for the parse it was inserted into. */
  private inserted: { root: XmlNode; el: ReturnType<EditedXml["insert"]> } | null = null;

  constructor(
    private readonly pkg: Package,
    readonly part: string,
  ) {}

  private model(): EditedXml {
    return this.pkg.model(this.part)!;
  }

  /**
   * Makes one edit: `edit` changes the model, `sheets` and `names` give what <sheets> and <definedNames>
   * say after it (from what was kept; an edit of one leaves the other as it was).
   */
  private edited(
    model: EditedXml,
    edit: () => void,
    change: {
      sheets?: (list: SheetRecord[]) => SheetRecord[];
      names?: (list: DefinedName[]) => DefinedName[];
    },
  ): void {
    const current = (k: { model: EditedXml; version: number } | null) =>
      k?.model === model && k.version === model.version;
    const sheets = current(this.sheetsKept) ? this.sheetsKept : null;
    const names = current(this.namesKept) ? this.namesKept : null;
    edit();
    this.pkg.commit(this.part, model);
    const version = model.version;
    this.sheetsKept = sheets && {
      model,
      version,
      list: change.sheets ? change.sheets(sheets.list) : sheets.list,
    };
    this.namesKept = names && { model, version, list: change.names ? change.names(names.list) : names.list };
  }

  /** The model with no edits pending (rebased when it has some), for reading its parse. */
  private settled(): EditedXml {
    const model = this.model();
    model.rebase();
    return model;
  }

  private records(): SheetRecord[] {
    const model = this.model();
    const kept = this.sheetsKept;
    if (kept?.model === model && kept.version === model.version) return kept.list;
    const container = child(this.settled().root, "sheets", NS.main);
    const list = (container ? children(container, "sheet", NS.main) : []).map((n) => ({
      name: attr(n.tag, "name") ?? "",
      sheetId: Number(attr(n.tag, "sheetId") ?? 0),
      rid: attr(n.tag, "id", REL) ?? "",
      hidden: (attr(n.tag, "state") ?? "visible") !== "visible",
    }));
    this.sheetsKept = { model, version: model.version, list };
    return list;
  }

  /**
   * The sheets in workbook order. Every lookup of a sheet by name asks for them (a few hundred times per
   * refresh), so they are kept while <sheets>, the workbook's relationships and the set of parts are
   * the same (a new sheet's part is written after its entry).
   */
  sheets(): SheetEntry[] {
    return [...this.entries()];
  }

  /** The sheet of a name (case-insensitive, the first of that name) and its index, without a copy. */
  find(name: string): { entry: SheetEntry; index: number } | undefined {
    const list = this.entries();
    const kept = this.entriesKept!;
    if (!kept.byName) {
      const byName = new Map<string, number>();
      list.forEach((s, i) => {
        const k = s.name.toLowerCase();
        if (!byName.has(k)) byName.set(k, i);
      });
      kept.byName = byName;
    }
    const index = kept.byName.get(name.toLowerCase());
    return index === undefined ? undefined : { entry: list[index], index };
  }

  /**
   * The kept entries (read-only). A part coming to exist anywhere in the package (some thirty times in
   * a first refresh, every report sheet adds several) changes partsVersion; the list is then made
   * again only when a sheet's part is not what it was.
   */
  private entries(): readonly SheetEntry[] {
    const read = this.records();
    const rels = this.pkg.rels(this.part);
    const version = this.pkg.partsVersion;
    const kept = this.entriesKept;
    if (kept?.read === read && kept.rels === rels) {
      if (kept.version === version) return kept.list;
      if (kept.list.every((s) => this.partOf(s, kept.byId) === s.part)) {
        kept.version = version;
        return kept.list;
      }
    }
    const byId = new Map<string, Rel>();
    for (const r of rels) if (!byId.has(r.id)) byId.set(r.id, r);
    // A record carried over from the last list (a sheet appended or hidden leaves the others' records as
    // they were) keeps its entry when its part is the same.
    const before = new Map<SheetRecord, SheetEntry>();
    kept?.read.forEach((s, i) => before.set(s, kept.list[i]));
    const list = read.map((s): SheetEntry => {
      const part = this.partOf(s, byId);
      const old = before.get(s);
      return old?.part === part ? old : { ...s, part, kind: part === null ? "other" : "worksheet" };
    });
    this.entriesKept = { read, rels, byId, version, list, byName: null };
    return list;
  }

  /** A sheet's worksheet part: its relationship's target when that is a worksheet part that exists. */
  private partOf(s: SheetRecord, byId: Map<string, Rel>): string | null {
    const rel = byId.get(s.rid);
    return rel?.type === WORKSHEET_REL && !!rel.part && this.pkg.has(rel.part) ? rel.part : null;
  }

  /** The defined names (kept while only the edits below change the part). */
  names(): DefinedName[] {
    const model = this.model();
    const kept = this.namesKept;
    if (kept?.model !== model || kept.version !== model.version) {
      const root = this.settled().root;
      const container = child(root, "definedNames", NS.main);
      const list = (container ? children(container, "definedName", NS.main) : []).map((n) => {
        const local = attr(n.tag, "localSheetId");
        return {
          name: attr(n.tag, "name") ?? "",
          local: local === undefined ? null : Number(local),
          formula: unescapeOoxml(textOf(model.base, n.tag.end, n.endStart)),
        };
      });
      this.namesKept = { model, version: model.version, list };
    }
    return this.namesKept!.list.map((n) => ({ ...n }));
  }

  /**
   * Appends a worksheet to <sheets>, declaring the relationships prefix on it when none is in scope; a
   * hidden one with its state already on it (as setHidden would put it), so the part is not parsed again
   * to find the element.
   */
  addSheet(name: string, rid: string, hidden = false): number {
    const model = this.model();
    const root = model.root;
    const container = child(root, "sheets", NS.main)!;
    const sheetId = Math.max(0, ...this.entries().map((s) => s.sheetId)) + 1;
    const p = container.tag.prefix ? `${container.tag.prefix}:` : "";
    const declared = [root.tag, container.tag]
      .flatMap((t) => t.attrs)
      .filter((a) => a.qname.startsWith("xmlns:") && a.raw === REL)
      .map((a) => a.qname.slice(6))
      .find((prefix) => !container.tag.attrs.some((a) => a.qname === `xmlns:${prefix}` && a.raw !== REL));
    const r = declared ?? "r";
    const decl = declared ? "" : ` xmlns:r="${REL}"`;
    const escaped = escapeText(name, true);
    const state = hidden ? ' state="hidden"' : "";
    const el = `<${p}sheet${decl} name="${escaped}" sheetId="${sheetId}" ${r}:id="${rid}"${state}/>`;
    // As reading the new element gives it back: its attribute unescaped.
    const entry = { name: unescapeXml(escaped), sheetId, rid, hidden };
    this.edited(model, () => model.append(container, el), { sheets: (list) => [...list, entry] });
    return sheetId;
  }

  setHidden(index: number, hidden: boolean): void {
    const now = this.records()[index].hidden;
    if (now === hidden) return;
    // The index-th <sheet> of the parse, untouched (else the part is parsed as it is now).
    const find = (model: EditedXml) => {
      const nodes = children(child(model.root, "sheets", NS.main)!, "sheet", NS.main);
      const node = nodes[index];
      return node && model.untouched(node) ? node : null;
    };
    let model = this.model();
    let node = find(model);
    if (!node) {
      model = this.settled();
      node = find(model)!;
    }
    const tag = withAttrs(model.base, node.tag, { state: hidden ? "hidden" : null });
    this.edited(model, () => model.replaceTag(node, tag), {
      sheets: (list) => list.map((s, i) => (i === index ? { ...s, hidden } : s)),
    });
  }

  /** Removes defined names matching the predicate. */
  removeNames(match: (n: DefinedName) => boolean): void {
    const list = this.names();
    if (!list.some(match)) return;
    // The names' elements as the parse has them: parsed again when any was edited or added since.
    const model = this.model();
    const first = child(model.root, "definedNames", NS.main);
    const pending =
      !first ||
      !model.untouched(first) ||
      model.appendedTo(first).length > 0 ||
      this.inserted?.root === model.root ||
      first.children.some((n) => !model.untouched(n));
    if (pending) this.settled();
    const container = child(model.root, "definedNames", NS.main);
    if (!container) return;
    const nodes = children(container, "definedName", NS.main);
    const gone = nodes.filter((_n, i) => match(list[i]));
    if (!gone.length) return;
    const kept = list.filter((n) => !match(n));
    this.edited(
      model,
      () => {
        if (gone.length === nodes.length) model.remove(container);
        else for (const n of gone) model.remove(n);
      },
      { names: () => kept },
    );
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
    const model = this.model();
    const root = model.root;
    const sheets = child(root, "sheets", NS.main)!;
    const p = sheets.tag.prefix ? `${sheets.tag.prefix}:` : "";
    const scope = local === null ? "" : ` localSheetId="${local}"`;
    const escName = escapeText(name, true);
    const escFormula = escapeText(formula);
    const el = `<${p}definedName name="${escName}"${scope}>${escFormula}</${p}definedName>`;
    // As names() reads the new element back.
    const entry = { name: unescapeXml(escName), local, formula: unescapeOoxml(unescapeXml(escFormula)) };
    const names = { names: (list: DefinedName[]) => [...list, entry] };
    // The first <definedNames> still there, else the one inserted since, else a new one.
    const container = children(root, "definedNames", NS.main).find((n) => model.untouched(n));
    if (container) return this.edited(model, () => model.append(container, el), names);
    const inserted = this.inserted?.root === root ? this.inserted.el : null;
    if (inserted) return this.edited(model, () => model.appendInto(inserted, el), names);
    // CT_Workbook order: … sheets, functionGroups, externalReferences, definedNames, calcPr …
    const before =
      ["functionGroups", "externalReferences"]
        .map((n) => child(root, n, NS.main))
        .filter(Boolean)
        .pop() ?? sheets;
    this.edited(
      model,
      () => {
        const made = model.insert(before.endEnd, `<${p}definedNames>`, `</${p}definedNames>`);
        model.appendInto(made, el);
        this.inserted = { root, el: made };
      },
      names,
    );
  }
}

/**
 * Adds sheet titles, in order, to docProps/app.xml (ECMA-376 Part 1, 22.2.2.27 TitlesOfParts) when the
 * part exists and its first heading group counts the worksheets; leaves it alone when its shape is
 * anything else. All of a refresh's new sheets at once: the part is read and written once.
 */
export function addAppTitles(pkg: Package, names: readonly string[]): void {
  if (!names.length) return;
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
  const added = names.map((name) => `<${p}lpstr>${escapeText(name)}</${p}lpstr>`).join("");
  const edits = [
    { at: count.tag.end, end: count.endStart, text: String(sheets + names.length) },
    { at, end: at, text: added },
    {
      at: titles.tag.start,
      end: titles.tag.end,
      text: withAttrs(text, titles.tag, { size: String(entries.length + names.length) }),
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
