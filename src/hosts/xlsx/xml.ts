/**
 * A small namespace-aware XML scanner that keeps byte offsets, so a part can be edited in place: the
 * refresh replaces or inserts a few elements and every other character of the part stays as it was.
 * It reports start tags (with attributes and namespace URIs resolved against the declarations in
 * scope, whatever prefix the producer chose), end tags and the text between them. Well-formedness is
 * checked as it goes (matching end tags, declared prefixes, one root). DOCTYPE declarations are refused:
 * OOXML parts have none (ECMA-376 Part 2, 8.1.4 forbids DTDs), and they are how entity bombs work.
 *
 * Why not a library: docs/XLSX-LIBRARY.md (saxes, the namespace-aware streaming parser, was measured;
 * it reports no start offsets of tags, which in-place editing needs, and it was slower on sheet parts).
 */

export const NS = {
  main: "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
  rel: "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
  pkgRel: "http://schemas.openxmlformats.org/package/2006/relationships",
  ct: "http://schemas.openxmlformats.org/package/2006/content-types",
  xmlns: "http://www.w3.org/2000/xmlns/",
  xml: "http://www.w3.org/XML/1998/namespace",
  strictMain: "http://purl.oclc.org/ooxml/spreadsheetml/main",
  extended: "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
  vt: "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
} as const;

export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "XmlError";
  }
}

export interface XmlAttr {
  /** The qualified name as written, e.g. "r:id". */
  qname: string;
  local: string;
  /** Namespace URI ("" for unprefixed attributes, which are in no namespace). */
  ns: string;
  /** The raw (still escaped) value. */
  raw: string;
}

/** A start tag. Attributes are parsed when first asked for (most tags of a sheet part are never asked). */
export class XmlTag {
  private parsed: XmlAttr[] | null;
  constructor(
    private readonly src: string,
    /** Offsets of "<" and one past ">" in the text. */
    readonly start: number,
    readonly end: number,
    readonly qname: string,
    readonly prefix: string,
    readonly local: string,
    readonly ns: string,
    readonly selfClosing: boolean,
    readonly depth: number,
    private readonly attrStart: number,
    private readonly attrEnd: number,
    /** The namespace declarations in scope at this tag (prefix → URI). */
    readonly scope: Map<string, string>,
    eager: XmlAttr[] | null,
  ) {
    this.parsed = eager;
  }

  get attrs(): XmlAttr[] {
    return (this.parsed ??= parseAttrs(this.src, this.attrStart, this.attrEnd, this.scope, this.qname));
  }
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Resolves character and predefined entity references. */
export function unescapeXml(raw: string): string {
  if (raw.indexOf("&") < 0) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);|&/g, (m, ref: string | undefined) => {
    if (!ref) throw new XmlError("an unescaped & in text");
    if (ref[0] !== "#") {
      const v = ENTITIES[ref];
      if (v === undefined) throw new XmlError(`an unknown entity &${ref};`);
      return v;
    }
    const code = ref[1] === "x" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    if (!(code >= 0 && code <= 0x10ffff)) throw new XmlError(`a bad character reference ${m}`);
    return String.fromCodePoint(code);
  });
}

/**
 * Text for an element's content or an attribute value. Characters XML 1.0 cannot carry (C0 controls
 * other than tab and line feed, and CR, which parsers turn into LF) are written in OOXML's _xHHHH_
 * escape (ECMA-376 Part 1, 22.9.2.19 ST_Xstring), and a literal "_x" that would read as one is
 * escaped itself; lone surrogates become U+FFFD.
 */
export function escapeText(text: string, attribute = false): string {
  // Most text (figures' labels, names) needs none of the replacements below.
  // eslint-disable-next-line no-control-regex
  if (!/[&<>"\t\n_\x00-\x1f\x7f\ufffe\uffff\ud800-\udfff]/.test(text)) return text;
  let s = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  if (attribute) s = s.replace(/"/g, "&quot;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;");
  s = s.replace(/_(x[0-9A-Fa-f]{4}_)/g, "_x005F_$1");
  s = s.replace(
    // eslint-disable-next-line no-control-regex
    /[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]/g,
    (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`,
  );
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

/** Reads OOXML's _xHHHH_ escapes back (the inverse of escapeText after unescapeXml). */
export function unescapeOoxml(text: string): string {
  if (text.indexOf("_x") < 0) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** How a part's bytes were encoded, so an edited part is written back the same way where it can be. */
export type PartEncoding = "utf8" | "utf8-bom" | "utf16";

/** Decodes a part's bytes: UTF-8 (with or without BOM) or UTF-16 (LE/BE, by BOM or by its first "<"). */
export function decodePart(bytes: Uint8Array): { text: string; encoding: PartEncoding } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf)
    return { text: b.toString("utf8", 3), encoding: "utf8-bom" };
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0x3c && b[1] === 0x00))
    return { text: b.toString("utf16le", b[0] === 0xff ? 2 : 0), encoding: "utf16" };
  if ((b[0] === 0xfe && b[1] === 0xff) || (b[0] === 0x00 && b[1] === 0x3c)) {
    const swapped = Buffer.from(b.subarray(b[0] === 0xfe ? 2 : 0));
    swapped.swap16();
    return { text: swapped.toString("utf16le"), encoding: "utf16" };
  }
  return { text: b.toString("utf8"), encoding: "utf8" };
}

/**
 * A part's text as bytes. UTF-8 parts keep their declaration and byte-order mark as they were; a UTF-16
 * part is written as UTF-8 with its declaration saying so.
 */
export function encodePart(text: string, encoding: PartEncoding = "utf8"): Buffer {
  if (encoding === "utf16")
    return Buffer.from(text.replace(/^(<\?xml[^?]*?encoding=)(["'])[^"']*\2/, '$1"UTF-8"'), "utf8");
  const body = Buffer.from(text, "utf8");
  return encoding === "utf8-bom" ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

const ATTR = /\s*([^\s/>=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;

function parseAttrs(
  text: string,
  from: number,
  to: number,
  scope: Map<string, string>,
  qname: string,
  resolve = true,
): XmlAttr[] {
  const attrs: XmlAttr[] = [];
  let p = from;
  for (;;) {
    ATTR.lastIndex = p;
    const a = ATTR.exec(text);
    if (!a || ATTR.lastIndex > to) break;
    p = ATTR.lastIndex;
    const an = a[1];
    const attr: XmlAttr = { qname: an, local: an, ns: "", raw: a[2] ?? a[3] };
    const k = an.indexOf(":");
    if (resolve && k > 0 && an !== "xmlns" && !an.startsWith("xmlns:")) {
      const ns = scope.get(an.slice(0, k));
      if (ns === undefined) throw new XmlError(`an undeclared prefix in attribute ${an} of <${qname}>`);
      attr.ns = ns;
      attr.local = an.slice(k + 1);
    }
    attrs.push(attr);
  }
  if (text.slice(p, to).trim()) throw new XmlError(`a malformed attribute in <${qname}>`);
  return attrs;
}

/** One past the ">" of the start tag whose attributes begin at `p` (skipping quoted values), or -1. */
function tagEnd(text: string, p: number): number {
  for (let k = p; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x3e /* > */) return k + 1;
    if (c === 0x22 || c === 0x27 /* " ' */) {
      k = text.indexOf(c === 0x22 ? '"' : "'", k + 1);
      if (k < 0) return -1;
    }
  }
  return -1;
}

function isNameEnd(c: number): boolean {
  return c === 0x20 || c === 0x3e || c === 0x2f || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Scans `text` from the start, calling `onStart` for each start tag (including self-closing ones) and
 * `onEnd` for each end tag (also called right after onStart for a self-closing tag, with the same tag).
 * A callback returning `false` stops the scan. Text and CDATA are not reported: callers read content
 * between the offsets they are given (textOf).
 */
export function scan(
  text: string,
  /** May return an offset to skip to: the element's content up to there is not scanned (its end tag must follow). */
  onStart: (tag: XmlTag) => boolean | number | void,
  onEnd?: (tag: XmlTag, endStart: number, endEnd: number) => boolean | void,
): void {
  const open: XmlTag[] = [];
  const scopes: Map<string, string>[] = [new Map([["xml", NS.xml]])];
  let roots = 0;
  let i = 0;
  for (;;) {
    const lt = text.indexOf("<", i);
    if (lt < 0) break;
    const c = text.charCodeAt(lt + 1);
    if (c === 0x3f /* ? */) {
      const e = text.indexOf("?>", lt + 2);
      if (e < 0) throw new XmlError("an unterminated processing instruction");
      i = e + 2;
      continue;
    }
    if (c === 0x21 /* ! */) {
      if (text.startsWith("<!--", lt)) {
        const e = text.indexOf("-->", lt + 4);
        if (e < 0) throw new XmlError("an unterminated comment");
        i = e + 3;
      } else if (text.startsWith("<![CDATA[", lt)) {
        const e = text.indexOf("]]>", lt + 9);
        if (e < 0 || !open.length) throw new XmlError("a misplaced CDATA section");
        i = e + 3;
      } else throw new XmlError("a DOCTYPE declaration (not allowed in OOXML)");
      continue;
    }
    if (c === 0x2f /* / */) {
      const gt = text.indexOf(">", lt);
      const tag = open.pop();
      if (gt < 0 || !tag) throw new XmlError("an unexpected end tag");
      const n = tag.qname.length;
      if (!text.startsWith(tag.qname, lt + 2) || text.slice(lt + 2 + n, gt).trim())
        throw new XmlError(`a mismatched end tag </${text.slice(lt + 2, gt)}> for <${tag.qname}>`);
      scopes.pop();
      i = gt + 1;
      if (onEnd && onEnd(tag, lt, i) === false) return;
      continue;
    }
    let p = lt + 1;
    while (p < text.length && !isNameEnd(text.charCodeAt(p))) p++;
    if (p === lt + 1) throw new XmlError("a malformed tag");
    const qname = text.slice(lt + 1, p);
    const end = tagEnd(text, p);
    if (end < 0) throw new XmlError(`an unterminated tag <${qname}>`);
    const selfClosing = text.charCodeAt(end - 2) === 0x2f;
    const attrEnd = selfClosing ? end - 2 : end - 1;
    let scope = scopes[scopes.length - 1];
    let eager: XmlAttr[] | null = null;
    if (attrEnd - p > 6 && text.slice(p, attrEnd).includes("xmlns")) {
      for (const a of parseAttrs(text, p, attrEnd, scope, qname, false))
        if (a.qname === "xmlns" || a.qname.startsWith("xmlns:")) {
          if (scope === scopes[scopes.length - 1]) scope = new Map(scope);
          scope.set(a.qname === "xmlns" ? "" : a.qname.slice(6), unescapeXml(a.raw));
        }
      eager = parseAttrs(text, p, attrEnd, scope, qname);
    }
    const colon = qname.indexOf(":");
    const prefix = colon < 0 ? "" : qname.slice(0, colon);
    const ns = scope.get(prefix);
    if (ns === undefined && prefix) throw new XmlError(`an undeclared prefix ${prefix}: in <${qname}>`);
    if (!open.length && ++roots > 1) throw new XmlError("more than one root element");
    const local = colon < 0 ? qname : qname.slice(colon + 1);
    const tag = new XmlTag(
      text,
      lt,
      end,
      qname,
      prefix,
      local,
      ns ?? "",
      selfClosing,
      open.length,
      p,
      attrEnd,
      scope,
      eager,
    );
    i = end;
    const next = onStart(tag);
    if (next === false) return;
    if (typeof next === "number" && !selfClosing) i = next;
    if (selfClosing) {
      if (onEnd && onEnd(tag, end, end) === false) return;
    } else {
      open.push(tag);
      scopes.push(scope);
    }
  }
  if (open.length) throw new XmlError(`an unclosed element <${open[open.length - 1].qname}>`);
  if (!roots) throw new XmlError("no root element");
}

/** An attribute's unescaped value by local name (no namespace), or undefined. */
export function attr(tag: XmlTag, local: string, ns = ""): string | undefined {
  for (const a of tag.attrs) if (a.local === local && a.ns === ns) return unescapeXml(a.raw);
  return undefined;
}

/** The character data between two offsets (text and CDATA sections), unescaped. */
export function textOf(text: string, from: number, to: number): string {
  const s = text.slice(from, to);
  if (s.indexOf("<") < 0) return unescapeXml(s);
  let out = "";
  for (const part of s.split(/(<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>)/))
    if (part.startsWith("<![CDATA[")) out += part.slice(9, -3);
    else if (!part.startsWith("<")) out += unescapeXml(part);
  return out;
}

/** The prefix to use for new elements in `ns` inside `tag` ("" when it is the default namespace). */
export function prefixFor(tag: XmlTag): string {
  return tag.prefix ? `${tag.prefix}:` : "";
}

/** A small element tree for the short parts (relationships, content types, styles, workbook). */
export interface XmlNode {
  tag: XmlTag;
  children: XmlNode[];
  /** Offsets of the end tag (equal to tag.end for a self-closing element). */
  endStart: number;
  endEnd: number;
  parent: XmlNode | null;
}

export function parseTree(text: string): XmlNode {
  let root: XmlNode | null = null;
  const stack: XmlNode[] = [];
  scan(
    text,
    (tag) => {
      const parent = stack[stack.length - 1] ?? null;
      const node: XmlNode = { tag, children: [], endStart: tag.end, endEnd: tag.end, parent };
      if (parent) parent.children.push(node);
      else root = node;
      stack.push(node);
    },
    (_tag, endStart, endEnd) => {
      const node = stack.pop()!;
      node.endStart = endStart;
      node.endEnd = endEnd;
    },
  );
  return root!;
}

export function child(node: XmlNode, local: string, ns?: string): XmlNode | undefined {
  return node.children.find((c) => c.tag.local === local && (ns === undefined || c.tag.ns === ns));
}

export function children(node: XmlNode, local: string, ns?: string): XmlNode[] {
  return node.children.filter((c) => c.tag.local === local && (ns === undefined || c.tag.ns === ns));
}

/** A text edit: replace text[start, end) with `text`. */
export interface Splice {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping edits (in any order; inserts at the same offset keep their given order). */
export function applySplices(text: string, edits: Splice[]): string {
  if (!edits.length) return text;
  const out: string[] = [];
  writeSplices(text, edits, (t) => void out.push(t));
  return out.join("");
}

/** applySplices, the result handed to `write` in pieces instead of built whole. */
export function writeSplices(text: string, edits: Splice[], write: (text: string) => void): void {
  for (const piece of splicePieces(text, edits)) write(piece);
}

/** The pieces of applySplices' result, in order (of the text from `from` to `to`, holding every edit). */
export function* splicePieces(text: string, edits: Splice[], from = 0, to = text.length): Generator<string> {
  let sorted = edits;
  for (let i = 1; i < edits.length; i++)
    if (edits[i].start < edits[i - 1].start) {
      // Stable: inserts at the same offset keep their given order.
      sorted = edits
        .map((e, k) => ({ e, k }))
        .sort((a, b) => a.e.start - b.e.start || a.k - b.k)
        .map((x) => x.e);
      break;
    }
  let at = from;
  for (const e of sorted) {
    if (e.start < at || e.end > to) throw new Error("overlapping XML edits");
    yield text.slice(at, e.start);
    yield e.text;
    at = e.end;
  }
  yield text.slice(at, to);
}

/** Sets (or adds) an unprefixed attribute on a start tag, returning the new tag text. */
export function withAttrs(text: string, tag: XmlTag, set: Record<string, string | null>): string {
  let src = text.slice(tag.start, tag.end);
  for (const [name, value] of Object.entries(set)) {
    const a = tag.attrs.find((x) => x.qname === name);
    const re = new RegExp(`(\\s)${name}\\s*=\\s*("[^"]*"|'[^']*')`);
    const written = value === null ? "" : `${name}="${escapeText(value, true)}"`;
    if (a) src = src.replace(re, (_m, space: string) => (value === null ? "" : `${space}${written}`));
    else if (value !== null) src = src.replace(/\s*(\/?>)$/, (end) => ` ${written}${end.trim()}`);
  }
  return src;
}
