/**
 * A short part that a refresh edits many times (the workbook, its relationships, the content types):
 * parsed once, its edits kept against that parse, and its text built only when it is asked for. A
 * refresh that adds ten report sheets edits these parts some fifty times; re-parsing after each edit
 * was a fixed cost of every workbook in a batch.
 *
 * The edits are the ones the editors make, and the text is exactly what making them one after the
 * other on the text would give: an element of the parse replaced or removed, elements appended before
 * a container's end tag (a self-closing container opened into a pair), an element inserted
 * at an offset, with more elements appended to it later. An edit of something the parse does not hold
 * as it stands (an element already edited, or one added since) is made after `rebase()`, which parses
 * the current text and starts again from it.
 */
import { parseTree, type XmlNode } from "./xml";

/** An element inserted at an offset of the base text, with the elements appended to it since. */
interface Inserted {
  at: number;
  open: string;
  close: string;
  items: string[];
}

export class EditedXml {
  private root_: XmlNode;
  private base_: string;
  /** Original elements whose start tag (tagOnly) or whole text was replaced ("" removes them). */
  private readonly replaced = new Map<XmlNode, { text: string; tagOnly: boolean }>();
  private readonly appended = new Map<XmlNode, string[]>();
  private readonly inserted: Inserted[] = [];
  private built: string | null = null;
  /** Counts every edit (what is derived from the part is kept for a version). */
  version = 0;

  constructor(text: string, root: XmlNode = parseTree(text)) {
    this.base_ = text;
    this.root_ = root;
    this.built = text;
  }

  /** The tree of the text edits are made against (its nodes' offsets are into `base`). */
  get root(): XmlNode {
    return this.root_;
  }

  get base(): string {
    return this.base_;
  }

  /** Whether an element of the parse is as it was (neither replaced nor removed). */
  untouched(node: XmlNode): boolean {
    return !this.replaced.has(node);
  }

  /** Elements appended to a container of the parse since (empty when none). */
  appendedTo(node: XmlNode): readonly string[] {
    return this.appended.get(node) ?? [];
  }

  /** The current text: the base with every edit made. */
  text(): string {
    if (this.built === null) this.built = this.build();
    return this.built;
  }

  /** Parses the current text and makes it the base (for an edit the parse cannot place). */
  rebase(): void {
    const text = this.text();
    if (text !== this.base_) {
      this.root_ = parseTree(text);
      this.base_ = text;
    }
    this.replaced.clear();
    this.appended.clear();
    this.inserted.length = 0;
  }

  /** Replaces an untouched element's start tag. */
  replaceTag(node: XmlNode, tag: string): void {
    this.edit(node, { text: tag, tagOnly: true });
  }

  /** Removes an untouched element (with everything inside it). */
  remove(node: XmlNode): void {
    this.edit(node, { text: "", tagOnly: false });
  }

  /** Appends an element just before the end tag of a container of the parse. */
  append(container: XmlNode, xml: string): void {
    const list = this.appended.get(container);
    if (list) list.push(xml);
    else this.appended.set(container, [xml]);
    this.changed();
  }

  /** Inserts `open` + `close` at an offset of the base; returns a handle to append elements into. */
  insert(at: number, open: string, close: string): Inserted {
    const el = { at, open, close, items: [] };
    this.inserted.push(el);
    this.changed();
    return el;
  }

  /** Appends an element inside one inserted before. */
  appendInto(el: Inserted, xml: string): void {
    el.items.push(xml);
    this.changed();
  }

  private edit(node: XmlNode, edit: { text: string; tagOnly: boolean }): void {
    if (this.replaced.has(node)) throw new Error("an element edited twice without a rebase");
    this.replaced.set(node, edit);
    this.changed();
  }

  private changed(): void {
    this.built = null;
    this.version++;
  }

  private build(): string {
    const text = this.base_;
    // Inserts (zero-length) go before a replacement starting at the same offset, as they would land
    // when made one after the other; among themselves they keep the order they were made in.
    const splices: { start: number; end: number; text: string; insert: boolean }[] = [];
    for (const [node, e] of this.replaced)
      splices.push({
        start: node.tag.start,
        end: e.tagOnly ? node.tag.end : node.endEnd,
        text: e.text,
        insert: false,
      });
    for (const [node, items] of this.appended) {
      if (!items.length || this.replaced.get(node)?.tagOnly === false) continue;
      if (node.tag.selfClosing) {
        const open = text.slice(node.tag.start, node.tag.end).replace(/\s*\/>$/, ">");
        splices.push({
          start: node.tag.start,
          end: node.tag.end,
          text: `${open}${items.join("")}</${node.tag.qname}>`,
          insert: false,
        });
      } else splices.push({ start: node.endStart, end: node.endStart, text: items.join(""), insert: true });
    }
    for (const el of this.inserted)
      splices.push({ start: el.at, end: el.at, text: el.open + el.items.join("") + el.close, insert: true });
    const order = splices
      .map((s, k) => ({ s, k }))
      .sort((a, b) => a.s.start - b.s.start || Number(b.s.insert) - Number(a.s.insert) || a.k - b.k);
    let out = "";
    let at = 0;
    for (const { s } of order) {
      if (s.start < at) throw new Error("overlapping XML edits");
      out += text.slice(at, s.start) + s.text;
      at = s.end;
    }
    return out + text.slice(at);
  }
}
