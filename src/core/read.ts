/**
 * Runtime reading of untrusted input. Values arrive from spreadsheets, so every number may be NaN,
 * Infinity, text, a marker such as "i.u." or missing. Nothing here throws: bad values become a Finding and
 * a safe value.
 */
import { parseSwedishNumber } from "./format";
import { describeValue } from "./period";
import type { Finding, FindingLevel } from "./types";

export type Where = Pick<Finding, "line" | "field" | "measure" | "volume">;

/** Collects findings in the order they are found. */
export class Findings {
  readonly list: Finding[] = [];
  add(level: FindingLevel, code: string, message: string, where: Where = {}): void {
    const finding: Finding = { level, code, message };
    if (where.line !== undefined) finding.line = where.line;
    if (where.field !== undefined) finding.field = where.field;
    if (where.measure !== undefined) finding.measure = where.measure;
    if (where.volume !== undefined) finding.volume = where.volume;
    this.list.push(finding);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Own property only, so that an input object can never reach the prototype chain. */
export function prop(record: Record<string, unknown> | null, key: string): unknown {
  if (record === null || !Object.prototype.hasOwnProperty.call(record, key)) return undefined;
  return record[key];
}

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

/**
 * Reads one number. Blank (null, undefined, "", "-", "i.u.") → null without a finding. Numeric text such
 * as "-8 276" is accepted (info NUMBER_AS_TEXT). NaN/Infinity (NOT_FINITE) and other text or values
 * (NOT_A_NUMBER) give a warning and null, which callers treat as 0.
 */
/** The result for a blank cell, shared (callers only read it). */
const BLANK_READ: NumberRead = Object.freeze({ value: null, invalid: false });

export function readNumber(raw: unknown, findings: Findings, where: Where, what: string): NumberRead {
  if (raw === null || raw === undefined) return BLANK_READ;
  if (typeof raw === "number") {
    if (Number.isFinite(raw) && Math.abs(raw) <= MAX_AMOUNT)
      return { value: raw === 0 ? 0 : raw, invalid: false };
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
 * Reads twelve monthly values. Missing → null without a finding; not an array of exactly 12 → warning
 * BAD_MONTHLY_LENGTH and null (the caller falls back); blank months count as 0.
 */
export function readMonthly(raw: unknown, findings: Findings, where: Where, what: string): number[] | null {
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
  const values: number[] = new Array<number>(12);
  for (let i = 0; i < 12; i++) {
    const v: unknown = raw[i];
    // Fast path for the usual cells (a finite number in range, or blank): no message, no allocation.
    if (typeof v === "number" && Math.abs(v) <= MAX_AMOUNT) values[i] = v === 0 ? 0 : v;
    else if (v === null || v === undefined) values[i] = 0;
    else values[i] = readNumber(v, findings, where, `${what}, månad ${i + 1},`).value ?? 0;
  }
  return values;
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

/** Label key for matching: case-insensitive and without whitespace. */
export function labelKey(label: string): string {
  return label.normalize("NFC").toLowerCase().replace(/\s+/g, "");
}
