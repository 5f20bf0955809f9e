/**
 * The workbook's styles part (ECMA-376 Part 1, 18.8): cell formats the plan asks for, appended to
 * styles.xml only when no equal one exists, so formats are shared between cells and a second refresh
 * appends nothing. Existing entries are never changed or reordered (cells elsewhere point at them).
 * Colours are written as 8-digit ARGB (18.8.3 ST_UnsignedIntHex), fonts always with a name and a size,
 * fills always with a pattern.
 */
import type { CellStyle } from "../../workbook/types";
import { escapeText, NS, parseTree, withAttrs, attr, child, children, type XmlNode } from "./xml";

/** Built-in number formats (18.8.30) by code, so a plan's "0%" uses id 9 instead of a custom format. */
const BUILTIN: Record<string, number> = {
  General: 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10, "0.00E+00": 11,
  "# ?/?": 12, "# ??/??": 13, "mm-dd-yy": 14, "d-mmm-yy": 15, "d-mmm": 16, "mmm-yy": 17, "h:mm AM/PM": 18,
  "h:mm:ss AM/PM": 19, "h:mm": 20, "h:mm:ss": 21, "m/d/yy h:mm": 22, "#,##0 ;(#,##0)": 37,
  "#,##0 ;[Red](#,##0)": 38, "#,##0.00;(#,##0.00)": 39, "#,##0.00;[Red](#,##0.00)": 40, "mm:ss": 45,
  "[h]:mm:ss": 46, "mmss.0": 47, "##0.0E+0": 48, "@": 49,
}; // prettier-ignore

/** The order of styleSheet's children (18.8.39 CT_Stylesheet), for inserting a missing container. */
const ORDER = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles", "colors", "extLst"]; // prettier-ignore
const FONT_ORDER = ["b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color", "name", "family", "charset", "scheme"]; // prettier-ignore
const BORDER_ORDER = ["start", "left", "end", "right", "top", "bottom", "diagonal", "vertical", "horizontal"];

/** A styles part for a package that has none: one default font, the two required fills, one border. */
export const DEFAULT_STYLES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  `<styleSheet xmlns="${NS.main}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';

/** A namespace- and prefix-independent form of an element, for comparing formats. */
function canonical(text: string, node: XmlNode): string {
  const attrs = node.tag.attrs
    .filter((a) => !a.qname.startsWith("xmlns"))
    .map((a) => `${a.ns}|${a.local}=${a.raw}`)
    .sort()
    .join(" ");
  const kids = node.children.map((c) => canonical(text, c)).join("");
  const body = node.children.length ? "" : text.slice(node.tag.end, node.endStart).trim();
  return `<${node.tag.ns}|${node.tag.local} ${attrs}>${kids}${body}</>`;
}

/**
 * Parsed snippets and their canonical forms, kept for the process: every workbook of a batch made from
 * the same template asks for the same few hundred (fonts, fills, borders and formats), and they are pure
 * functions of the snippet's text. Trees are never modified. Bounded, oldest first out.
 */
const snippets = new Map<string, { node: XmlNode; key: string }>();
const SNIPPETS_MAX = 4096;

/** A snippet (already wrapped in an element declaring the main namespace) parsed, with its canonical form. */
function snippet(wrapped: string): { node: XmlNode; key: string } {
  let s = snippets.get(wrapped);
  if (!s) {
    const node = parseTree(wrapped).children[0];
    s = { node, key: canonical(wrapped, node) };
    if (snippets.size >= SNIPPETS_MAX) snippets.delete(snippets.keys().next().value!);
    snippets.set(wrapped, s);
  }
  return s;
}

type CollectionName = "fonts" | "fills" | "borders" | "cellXfs";

/**
 * One format built (a step of Styles.next): its index and what it appended. Which formats a Styles
 * appends depends only on the styles part it started from and the formats asked for before, in order;
 * so a later Styles over the same part that asks for the same formats in the same order (every
 * workbook of a batch made from one template) appends the recorded entries instead of building them.
 */
interface Step {
  id: number;
  added: { c: CollectionName; key: string; xml: string }[];
  numFmts: { code: string; id: number; xml: string }[];
  next: Map<string, Step>;
}
/** The steps taken from one styles part's text. */
interface History {
  first: Map<string, Step>;
  steps: number;
}
/**
 * The histories of the styles parts seen last, the least recently used evicted first. A refresh of a
 * report workbook records some 40 steps of about 1 KB each (measured on the bench's unit workbooks), so
 * the bounds keep at most about 8 MB of steps, plus the eight styles parts' texts they are keyed by.
 */
const histories = new Map<string, History>();
const HISTORIES_MAX = 8;
const STEPS_PER_HISTORY = 1_000;

function historyOf(text: string): History {
  let h = histories.get(text);
  if (h) histories.delete(text);
  else {
    h = { first: new Map(), steps: 0 };
    if (histories.size >= HISTORIES_MAX) histories.delete(histories.keys().next().value!);
  }
  histories.set(text, h);
  return h;
}

interface Collection {
  local: string;
  item: string;
  node: XmlNode | null;
  /** Canonical form of every entry (existing and appended), and the XML of appended ones. */
  keys: string[];
  index: Map<string, number>;
  added: string[];
  /** The existing entries' XML (for starting a new entry from one). */
  xml: string[];
}

export class Styles {
  private readonly root: XmlNode;
  private readonly p: string;
  private readonly c: Record<CollectionName, Collection>;
  private readonly numFmts = new Map<string, number>();
  private readonly addedNumFmts: string[] = [];
  /** The code and id of each appended number format (as addedNumFmts), for the recorded steps. */
  private readonly addedCodes: { code: string; id: number }[] = [];
  /** The recorded steps from its part, and where this Styles is in them (null once it left them). */
  private readonly history: History;
  private at: Map<string, Step> | null;
  private nextNumFmt = 164;
  private existingNumFmts = 0;
  private readonly cache = new Map<string, number>();
  /** Plans share one style object among many cells: its answers are kept by base, without a key string. */
  private readonly byStyle = new WeakMap<CellStyle, Map<number, number>>();

  constructor(private readonly text: string) {
    this.history = historyOf(text);
    this.at = this.history.first;
    this.root = parseTree(text);
    this.p = this.root.tag.prefix ? `${this.root.tag.prefix}:` : "";
    const make = (local: string, item: string): Collection => {
      const node = child(this.root, local) ?? null;
      const items = node ? children(node, item) : [];
      const keys = items.map((n) => canonical(text, n));
      const index = new Map<string, number>();
      keys.forEach((k, i) => index.has(k) || index.set(k, i));
      return {
        local,
        item,
        node,
        keys,
        index,
        added: [],
        xml: items.map((n) => text.slice(n.tag.start, n.endEnd)),
      };
    };
    this.c = {
      fonts: make("fonts", "font"),
      fills: make("fills", "fill"),
      borders: make("borders", "border"),
      cellXfs: make("cellXfs", "xf"),
    };
    const nf = child(this.root, "numFmts");
    for (const n of nf ? children(nf, "numFmt") : []) {
      this.existingNumFmts++;
      const id = Number(attr(n.tag, "numFmtId"));
      const code = attr(n.tag, "formatCode") ?? "";
      if (!this.numFmts.has(code)) this.numFmts.set(code, id);
      if (id >= this.nextNumFmt) this.nextNumFmt = id + 1;
    }
  }

  /** True when formats were appended (the part must be written). */
  get changed(): boolean {
    return this.addedNumFmts.length > 0 || Object.values(this.c).some((c) => c.added.length > 0);
  }

  /** The cell format index for `style` applied on top of format `base` (an existing or new index). */
  xfFor(base: number, style: CellStyle): number {
    let byBase = this.byStyle.get(style);
    if (!byBase) this.byStyle.set(style, (byBase = new Map()));
    let id = byBase.get(base);
    if (id === undefined) {
      const key = `${base}|${JSON.stringify(style)}`;
      id = this.cache.get(key);
      if (id === undefined) {
        id = this.next(key, base, style);
        this.cache.set(key, id);
      }
      byBase.set(base, id);
    }
    return id;
  }

  /** A new format: the recorded step when one was taken from here before, else built (and recorded). */
  private next(key: string, base: number, style: CellStyle): number {
    const known = this.at?.get(key);
    if (known) {
      for (const a of known.added) this.append(this.c[a.c], a.key, a.xml);
      for (const n of known.numFmts) this.appendNumFmt(n.code, n.id, n.xml);
      this.at = known.next;
      return known.id;
    }
    const names = Object.keys(this.c) as CollectionName[];
    const before = names.map((n) => this.c[n].keys.length);
    const numFmtsBefore = this.addedNumFmts.length;
    const id = this.build(base, style);
    if (!this.at || this.history.steps >= STEPS_PER_HISTORY) {
      this.at = null;
      return id;
    }
    const step: Step = { id, added: [], numFmts: [], next: new Map() };
    names.forEach((n, k) => {
      const c = this.c[n];
      for (let i = before[k]; i < c.keys.length; i++)
        step.added.push({ c: n, key: c.keys[i], xml: c.xml[i] });
    });
    for (let i = numFmtsBefore; i < this.addedNumFmts.length; i++)
      step.numFmts.push({ ...this.addedCodes[i], xml: this.addedNumFmts[i] });
    this.history.steps++;
    this.at.set(key, step);
    this.at = step.next;
    return id;
  }

  private add(c: Collection, xml: string): number {
    const { key } = snippet(`<x xmlns="${NS.main}">${xml}</x>`);
    return c.index.get(key) ?? this.append(c, key, xml);
  }

  private append(c: Collection, key: string, xml: string): number {
    const i = c.keys.length;
    c.keys.push(key);
    c.index.set(key, i);
    c.added.push(xml);
    c.xml.push(xml);
    return i;
  }

  private appendNumFmt(code: string, id: number, xml: string): void {
    this.numFmts.set(code, id);
    this.nextNumFmt = id + 1;
    this.addedNumFmts.push(xml);
    this.addedCodes.push({ code, id });
  }

  private itemXml(c: Collection, i: number): string | null {
    return c.xml[i] ?? null;
  }

  private numFmtId(code: string): number {
    if (code in BUILTIN) return BUILTIN[code];
    let id = this.numFmts.get(code);
    if (id === undefined) {
      id = this.nextNumFmt;
      this.appendNumFmt(code, id, `<numFmt numFmtId="${id}" formatCode="${escapeText(code, true)}"/>`);
    }
    return id;
  }

  private build(base: number, s: CellStyle): number {
    const baseXf = snippet(
      wrap(
        this.itemXml(this.c.cellXfs, base) ??
          '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
      ),
    ).node;
    const a = (n: string) => attr(baseXf.tag, n);
    const set: Record<string, string> = {};
    if (s.numberFormat !== undefined) {
      set.numFmtId = String(this.numFmtId(s.numberFormat));
      set.applyNumberFormat = "1";
    }
    if (
      s.fontName !== undefined ||
      s.bold !== undefined ||
      s.italic !== undefined ||
      s.fontSize !== undefined ||
      s.fontColor !== undefined
    ) {
      set.fontId = String(this.add(this.c.fonts, this.font(Number(a("fontId") ?? 0), s)));
      set.applyFont = "1";
    }
    if (s.fill !== undefined) {
      set.fillId = String(
        this.add(
          this.c.fills,
          `<fill><patternFill patternType="solid"><fgColor rgb="${argb(s.fill)}"/><bgColor indexed="64"/></patternFill></fill>`,
        ),
      );
      set.applyFill = "1";
    }
    if (s.borderTop !== undefined || s.borderBottom !== undefined) {
      set.borderId = String(this.add(this.c.borders, this.border(Number(a("borderId") ?? 0), s)));
      set.applyBorder = "1";
    }
    const align = alignment(baseXf, s);
    if (align !== null) set.applyAlignment = "1";
    const attrs = ["numFmtId", "fontId", "fillId", "borderId", "xfId"].map(
      (n) => `${n}="${set[n] ?? a(n) ?? "0"}"`,
    );
    for (const at of baseXf.tag.attrs)
      if (
        !["numFmtId", "fontId", "fillId", "borderId", "xfId"].includes(at.qname) &&
        !(at.qname in set) &&
        !at.qname.startsWith("xmlns")
      )
        attrs.push(`${at.qname}="${at.raw}"`);
    for (const n of ["applyNumberFormat", "applyFont", "applyFill", "applyBorder", "applyAlignment"])
      if (n in set) attrs.push(`${n}="1"`);
    const baseText = wrap(this.itemXml(this.c.cellXfs, base) ?? "<xf/>");
    const protection = child(baseXf, "protection");
    const inner = (align ?? "") + (protection ? baseText.slice(protection.tag.start, protection.endEnd) : "");
    return this.add(this.c.cellXfs, `<xf ${attrs.join(" ")}${inner ? `>${inner}</xf>` : "/>"}`);
  }

  private font(base: number, s: CellStyle): string {
    const text = wrap(this.itemXml(this.c.fonts, base) ?? "<font/>");
    const { node } = snippet(text);
    const parts = new Map<string, string>();
    for (const k of node.children)
      parts.set(k.tag.local, text.slice(k.tag.start, k.endEnd).replace(/^<[^:\s>]+:/, "<"));
    const flag = (name: string, on: boolean | undefined) => {
      if (on === true) parts.set(name, `<${name}/>`);
      else if (on === false) parts.delete(name);
    };
    flag("b", s.bold);
    flag("i", s.italic);
    if (s.fontSize !== undefined) parts.set("sz", `<sz val="${s.fontSize}"/>`);
    if (s.fontColor !== undefined) parts.set("color", `<color rgb="${argb(s.fontColor)}"/>`);
    if (s.fontName !== undefined) {
      parts.set("name", `<name val="${escapeText(s.fontName, true)}"/>`);
      parts.delete("scheme"); // a scheme font would take the theme's font instead of this name
      parts.delete("family");
      parts.delete("charset");
    }
    if (!parts.has("sz")) parts.set("sz", '<sz val="11"/>');
    if (!parts.has("name")) parts.set("name", '<name val="Calibri"/>');
    return `<font>${FONT_ORDER.filter((n) => parts.has(n))
      .map((n) => parts.get(n))
      .join("")}</font>`;
  }

  private border(base: number, s: CellStyle): string {
    const text = wrap(this.itemXml(this.c.borders, base) ?? "<border/>");
    const { node } = snippet(text);
    const parts = new Map<string, string>();
    for (const k of node.children)
      parts.set(k.tag.local, text.slice(k.tag.start, k.endEnd).replace(/^<[^:\s>]+:/, "<"));
    if (s.borderTop) parts.set("top", `<top style="${s.borderTop}"><color indexed="64"/></top>`);
    if (s.borderBottom)
      parts.set("bottom", `<bottom style="${s.borderBottom}"><color indexed="64"/></bottom>`);
    for (const n of ["left", "right", "top", "bottom", "diagonal"])
      if (!parts.has(n)) parts.set(n, `<${n}/>`);
    const own = node.tag.attrs
      .filter((x) => !x.qname.startsWith("xmlns"))
      .map((x) => ` ${x.qname}="${x.raw}"`)
      .join("");
    return `<border${own}>${BORDER_ORDER.filter((n) => parts.has(n))
      .map((n) => parts.get(n))
      .join("")}</border>`;
  }

  /** styles.xml with the appended formats (and counts updated); the original when nothing was added. */
  output(): string {
    if (!this.changed) return this.text;
    const edits: { at: number; end: number; text: string }[] = [];
    const appendTo = (local: string, node: XmlNode | null, items: string[], total: number) => {
      if (!items.length) return;
      const body = items.map((x) => prefixed(x, this.p)).join("");
      if (node) {
        const open = withAttrs(this.text, node.tag, { count: String(total) });
        if (node.tag.selfClosing)
          edits.push({
            at: node.tag.start,
            end: node.tag.end,
            text: `${open.replace(/\s*\/>$/, ">")}${body}</${node.tag.qname}>`,
          });
        else
          edits.push(
            { at: node.tag.start, end: node.tag.end, text: open },
            { at: node.endStart, end: node.endStart, text: body },
          );
        return;
      }
      // A missing container goes before the first existing sibling that follows it in the schema order.
      const after = ORDER.slice(ORDER.indexOf(local) + 1);
      const next = this.root.children.find((k) => after.includes(k.tag.local));
      const at = next ? next.tag.start : this.root.endStart;
      edits.push({ at, end: at, text: `<${this.p}${local} count="${total}">${body}</${this.p}${local}>` });
    };
    appendTo(
      "numFmts",
      child(this.root, "numFmts") ?? null,
      this.addedNumFmts,
      this.existingNumFmts + this.addedNumFmts.length,
    );
    for (const c of Object.values(this.c)) appendTo(c.local, c.node, c.added, c.keys.length);
    edits.sort((x, y) => x.at - y.at);
    let out = "";
    let at = 0;
    for (const e of edits) {
      out += this.text.slice(at, e.at) + e.text;
      at = e.end;
    }
    return out + this.text.slice(at);
  }
}

function wrap(xml: string): string {
  return `<x xmlns="${NS.main}">${xml
    .replace(/^<[^:\s>/]+:/, "<")
    .replace(/<\/[^:\s>]+:/g, "</")
    .replace(/<([^/!?\s>:]+):/g, "<")}</x>`;
}

/** Gives every element of a snippet (written unprefixed) the styles part's prefix. */
function prefixed(xml: string, p: string): string {
  return p ? xml.replace(/<(\/?)([A-Za-z])/g, `<$1${p}$2`) : xml;
}

/** "#rrggbb" → "FFRRGGBB" (opaque ARGB). */
export function argb(color: string): string {
  const hex = color.replace(/^#/, "").toUpperCase();
  return hex.length === 8 ? hex : `FF${hex.padStart(6, "0").slice(-6)}`;
}

function alignment(baseXf: XmlNode, s: CellStyle): string | null {
  if (
    s.horizontalAlignment === undefined &&
    s.verticalAlignment === undefined &&
    s.indent === undefined &&
    s.wrap === undefined
  )
    return null;
  const old = child(baseXf, "alignment");
  const a: Record<string, string> = {};
  for (const x of old?.tag.attrs ?? []) if (!x.qname.startsWith("xmlns")) a[x.local] = x.raw;
  if (s.horizontalAlignment !== undefined) a.horizontal = s.horizontalAlignment;
  if (s.verticalAlignment !== undefined) a.vertical = s.verticalAlignment;
  if (s.indent !== undefined) a.indent = String(s.indent);
  if (s.wrap !== undefined) a.wrapText = s.wrap ? "1" : "0";
  return `<alignment ${Object.entries(a)
    .map(([k, v]) => `${k}="${v}"`)
    .join(" ")}/>`;
}
