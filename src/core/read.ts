/**
 * Runtime reading of untrusted input. Values arrive from spreadsheets, so every number may be NaN,
 * Infinity, text, a marker such as "i.u." or missing. Nothing here throws: bad values become a Finding and
 * a safe value.
 */
import { parseSwedishNumber } from "./format";
import { describeValue } from "./period";
import type { Finding, FindingLevel } from "./types";

export type Where = Pick<Finding, "line" | "field" | "month" | "measure" | "volume">;

/** Collects findings in the order they are found. */
export class Findings {
  readonly list: Finding[] = [];
  add(level: FindingLevel, code: string, message: string, where: Where = {}): void {
    const finding: Finding = { level, code, message };
    if (where.line !== undefined) finding.line = where.line;
    if (where.field !== undefined) finding.field = where.field;
    if (where.month !== undefined) finding.month = where.month;
    if (where.measure !== undefined) finding.measure = where.measure;
    if (where.volume !== undefined) finding.volume = where.volume;
    this.list.push(finding);
  }

  /**
   * One warning per flagged line for the first NAMED_LINES of them (`each`), then one that counts the
   * rest (`rest`): a slip made throughout a large ledger is said a few times, not once per line.
   */
  addPerLine(
    code: string,
    flagged: readonly number[],
    each: (line: number) => { message: string; where: Where },
    rest: (count: number) => string,
  ): void {
    for (const i of flagged.slice(0, NAMED_LINES)) {
      const { message, where } = each(i);
      this.add("warning", code, message, where);
    }
    if (flagged.length > NAMED_LINES) this.add("warning", code, rest(flagged.length - NAMED_LINES));
  }
}

/** How many lines Findings.addPerLine names one by one. */
const NAMED_LINES = 5;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Own property only, so that an input object can never reach the prototype chain. */
export function prop(record: Record<string, unknown> | null, key: string): unknown {
  if (record === null || !Object.prototype.hasOwnProperty.call(record, key)) return undefined;
  return record[key];
}

/**
 * Reads many records' fields with plain property loads at each call site (`const { a, b } = f.of(r)`),
 * which stay monomorphic over a list of like-shaped records, instead of prop()'s one shared load, which
 * is megamorphic. A record whose prototype is Object.prototype (or null) is read as it is: when none of
 * `keys` is on Object.prototype (checked once, here), a plain load of them sees only own properties, as
 * prop() does. Any other record is read through a copy of its own properties.
 */
export class OwnFields {
  private readonly direct: boolean;

  constructor(private readonly keys: readonly string[]) {
    this.direct = keys.every((key) => !(key in Object.prototype));
  }

  of(record: Record<string, unknown> | null): Record<string, unknown> {
    if (record === null) return EMPTY_RECORD;
    const proto: unknown = Object.getPrototypeOf(record);
    if (this.direct && (proto === Object.prototype || proto === null)) return record;
    const own: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const key of this.keys)
      if (Object.prototype.hasOwnProperty.call(record, key)) own[key] = record[key];
    return own;
  }
}

const EMPTY_RECORD: Record<string, unknown> = Object.freeze(Object.create(null) as Record<string, unknown>);

/** Text markers that mean "no value" in the seed workbooks (shared/DOMAIN.md §1.1). */
const BLANK_MARKERS = new Set(["", "-", "–", "—", "i.u.", "iu", "i.u"]);

/** Amounts beyond this (10^15) are treated as misread cells, so that sums and forecasts stay finite. */
export const MAX_AMOUNT = 1e15;

export interface NumberRead {
  /** The number, or null when blank or unusable. */
  value: number | null;
  /** True when the cell held something that is not a number (a finding was added). */
  invalid: boolean;
}

/** The result for a blank cell, shared (callers only read it). */
export const BLANK_READ: NumberRead = Object.freeze({ value: null, invalid: false });

/**
 * The usual cell, without a message or an allocation: a finite number within MAX_AMOUNT (−0 as 0), or
 * null for null/undefined. Anything else gives undefined: read it with readNumber, which reports it.
 */
export function plainNumber(raw: unknown): number | null | undefined {
  if (typeof raw === "number") {
    if (!(Math.abs(raw) <= MAX_AMOUNT)) return undefined; // NaN, ±Infinity or too large
    return raw === 0 ? 0 : raw;
  }
  return raw === null || raw === undefined ? null : undefined;
}

/**
 * Reads one number. Blank (null, undefined, "", "-", "i.u.") → null without a finding. Numeric text such
 * as "-8 276" is accepted (info NUMBER_AS_TEXT). NaN/Infinity (NOT_FINITE) and other text or values
 * (NOT_A_NUMBER) give a warning and null, which callers treat as 0.
 */
export function readNumber(raw: unknown, findings: Findings, where: Where, what: string): NumberRead {
  const plain = plainNumber(raw);
  if (plain === null) return BLANK_READ;
  if (plain !== undefined) return { value: plain, invalid: false };
  if (typeof raw === "number") {
    if (Number.isFinite(raw)) {
      findings.add(
        "warning",
        "NUMBER_TOO_LARGE",
        `${what} (${describeValue(raw)}) är orimligt stort och räknas som 0.`,
        where,
      );
      return { value: null, invalid: true };
    }
    findings.add(
      "warning",
      "NOT_FINITE",
      `${what} är inte ett ändligt tal (${describeValue(raw)}) och räknas som 0.`,
      where,
    );
    return { value: null, invalid: true };
  }
  if (typeof raw === "string") {
    const trimmed = raw.trim();
    if (BLANK_MARKERS.has(trimmed.toLowerCase())) return { value: null, invalid: false };
    const parsed = parseSwedishNumber(trimmed);
    if (parsed !== null && Math.abs(parsed) <= MAX_AMOUNT) {
      findings.add(
        "info",
        "NUMBER_AS_TEXT",
        `${what} är inskrivet som text (${describeValue(raw)}) och läses som ett tal.`,
        where,
      );
      return { value: parsed === 0 ? 0 : parsed, invalid: false };
    }
  }
  findings.add(
    "warning",
    "NOT_A_NUMBER",
    `${what} är inte ett tal (${describeValue(raw)}) och räknas som 0.`,
    where,
  );
  return { value: null, invalid: true };
}

/**
 * Twelve monthly values, kept as the two sums the core needs (blank or unusable months count as 0). A
 * class so that V8 keeps one layout for all of them, whole or fractional sums alike.
 */
export class MonthSums {
  constructor(
    /** Months 1..m of the period. */
    public toDate = 0,
    /** All twelve months. */
    public total = 0,
    /** True when no month holds a number (all twelve cells blank): nothing was typed. */
    public blank = false,
    /** Bit m − 1 set: month m holds something (a number, or a value that was reported as unusable). */
    public present = 0,
    /** Bit m − 1 set: month m holds a number other than 0. */
    public nonZero = 0,
    /** Bit m − 1 set: month m holds a number below 0. */
    public negative = 0,
  ) {}
}

/**
 * The usual twelve months without a message: an array of exactly 12 plain numbers or blanks (see
 * plainNumber) gives its sums, written into `into` (so that reading every line allocates nothing), a
 * missing value null. Anything else gives undefined: read it with readMonths, which reports it.
 */
export function plainMonths(raw: unknown, month: number, into: MonthSums): MonthSums | null | undefined {
  if (raw === null || raw === undefined) return null;
  if (!Array.isArray(raw) || raw.length !== 12) return undefined;
  let toDate = 0;
  let total = 0;
  let present = 0;
  let nonZero = 0;
  let negative = 0;
  for (let i = 0; i < 12; i++) {
    const v = plainNumber(raw[i]);
    if (v === undefined) return undefined;
    if (i === month) toDate = total;
    if (v !== null) {
      present |= 1 << i;
      if (v !== 0) nonZero |= 1 << i;
      if (v < 0) negative |= 1 << i;
      total += v;
    }
  }
  into.toDate = month === 12 ? total : toDate;
  into.total = total;
  into.blank = present === 0;
  into.present = present;
  into.nonZero = nonZero;
  into.negative = negative;
  return into;
}

/**
 * Reads twelve monthly values into their sums up to `month` and in all. Missing → null without a
 * finding; not an array of exactly 12 → warning BAD_MONTHLY_LENGTH and null (the caller falls back);
 * blank or unusable months count as 0 (unusable ones with a finding, as readNumber).
 */
export function readMonths(
  raw: unknown,
  month: number,
  findings: Findings,
  where: Where,
  what: string,
): MonthSums | null {
  if (raw === null || raw === undefined) return null;
  if (!Array.isArray(raw) || raw.length !== 12) {
    const got = Array.isArray(raw) ? `${raw.length} värden` : describeValue(raw);
    findings.add(
      "warning",
      "BAD_MONTHLY_LENGTH",
      `${what} ska ha 12 månadsvärden men har ${got}; de används inte.`,
      where,
    );
    return null;
  }
  let toDate = 0;
  let total = 0;
  let blank = true;
  let present = 0;
  let nonZero = 0;
  let negative = 0;
  for (let i = 0; i < 12; i++) {
    if (i === month) toDate = total;
    const { value: v, invalid } = readNumber(raw[i], findings, where, `${what}, månad ${i + 1},`);
    if (v !== null) blank = false;
    // An unusable value has its own finding: the month is not reported again as missing.
    if (v !== null || invalid) present |= 1 << i;
    if (v !== null && v !== 0) nonZero |= 1 << i;
    if (v !== null && v < 0) negative |= 1 << i;
    total += v ?? 0;
  }
  return new MonthSums(month === 12 ? total : toDate, total, blank, present, nonZero, negative);
}

/** Reads a label: text as is (trimmed), numbers as text, anything else "" with a finding. */
export function readText(raw: unknown, findings: Findings, where: Where, what: string): string {
  if (typeof raw === "string") return raw.trim();
  if (typeof raw === "number" && Number.isFinite(raw)) return String(raw);
  if (raw === null || raw === undefined) return "";
  findings.add("warning", "NOT_TEXT", `${what} är inte text (${describeValue(raw)}) och lämnas tom.`, where);
  return "";
}

export function sum(values: readonly number[], from = 0, to = values.length): number {
  let total = 0;
  for (let i = from; i < to; i++) total += values[i];
  return total;
}

/**
 * A hash of labelKey(label) computed without building the key (nothing allocated for Latin text): equal
 * keys give equal hashes, so a label whose hash no wanted key has cannot match one. A Smi (30 bits).
 */
export function labelKeyHash(label: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (c < 0x80) {
      if (c > 0x20) h = Math.imul(h ^ (c >= 0x41 && c <= 0x5a ? c + 0x20 : c), FNV_PRIME);
      else if (!isLatinSpace(c)) h = Math.imul(h ^ c, FNV_PRIME);
      continue;
    }
    if (c >= 0x250) return keyHash(labelKey(label)); // labelKey normalises such text first
    if (isLatinSpace(c)) continue;
    const lower = LATIN_LOWER[c];
    if (typeof lower === "number") h = Math.imul(h ^ lower, FNV_PRIME);
    else for (let j = 0; j < lower.length; j++) h = Math.imul(h ^ lower.charCodeAt(j), FNV_PRIME);
  }
  return h & 0x3fffffff;
}

/** The hash of a key as labelKeyHash gives it for every label with that key. */
export function keyHash(key: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), FNV_PRIME);
  return h & 0x3fffffff;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

/**
 * Each character below U+0250 in lower case as String.prototype.toLowerCase gives it: one code, or a
 * string where lower case is longer (U+0130 İ → "i̇"). Lower-casing text there is character by character.
 */
const LATIN_LOWER: readonly (number | string)[] = Array.from({ length: 0x250 }, (_, c) => {
  const lower = String.fromCharCode(c).toLowerCase();
  return lower.length === 1 ? lower.charCodeAt(0) : lower;
});

/** The characters below U+0250 that \s matches. */
const isLatinSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0;

/** Label key for matching: case-insensitive and without whitespace. */
export function labelKey(label: string): string {
  return isLatin(label) ? latinKey(label) : label.normalize("NFC").toLowerCase().replace(/\s+/g, "");
}

/**
 * True when every character is below U+0250 (Latin-1, Latin Extended-A and B): such text is already in
 * NFC (no combining marks, no characters that NFC replaces), so normalising can be skipped.
 */
function isLatin(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x250) return false;
  return true;
}

/** The key of Latin text: lower case, without the whitespace that \s matches below U+0250. */
function latinKey(label: string): string {
  const lower = label.toLowerCase();
  for (let i = 0; i < lower.length; i++) {
    if (isLatinSpace(lower.charCodeAt(i))) return lower.replace(/\s+/g, "");
  }
  return lower;
}
