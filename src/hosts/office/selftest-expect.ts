/**
 * The self-test's pure half: the report's types, the environment (version, platform, requirement sets),
 * the comparison of what Excel returned with what the add-in expects, and the data and sizes the
 * self-test writes. selftest.ts makes the Office.js calls.
 */
import { CONFIG_NAMESPACE, parseConfig, serializeConfig } from "../../workbook/config";
import type { StoredConfig } from "../../workbook/types";
import { toExcelValue, utf8Bytes } from "./port";

export const SELFTEST_PREFIX = "UppfSelftest_";
export const SELFTEST_NAMESPACE = "urn:uppfoljaren:selftest:1";

export const CHECK_IDS = [
  "selection",
  "select",
  "structure",
  "settings",
  "sheet",
  "values",
  "textFormat",
  "numberFormats",
  "styles",
  "merges",
  "sizes",
  "freeze",
  "print",
  "chart",
  "names",
  "customXml",
  "sheetProtection",
  "usedRange",
  "readAhead",
  "clearSheet",
  "largeWrite",
  "largeRead",
  "cleanup",
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export type CheckStatus = "ok" | "warning" | "fail" | "skipped";

/** Why a check was skipped or warns (the view words it). */
export type CheckReason =
  | "structureProtected"
  | "multiAreaSelection"
  | "noSettings"
  | "unreadableSettings"
  | "needsExcelApi113"
  | "notWritten"
  | "leftovers"
  | "oneByOneRefused"
  | "addRefused"
  | "selectionNotRestorable";

export interface Mismatch {
  /** What was compared, e.g. "B2:C5 numberFormat" (a technical path, the same in every language). */
  what: string;
  expected: string;
  actual: string;
}

export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  mismatches: Mismatch[];
  /** Excel's error (code, location and message) when a call was refused. */
  error?: string;
  reason?: CheckReason;
  /** Data worth quoting in a support ticket: an address, sheet names, sizes. */
  info?: string;
}

export interface RequirementSet {
  name: string;
  version: string;
  supported: boolean;
}

export interface SelfTestEnvironment {
  host: string | null;
  platform: string | null;
  version: string | null;
  displayLanguage: string | null;
  sets: RequirementSet[];
}

export interface SelfTestReport {
  startedAt: string;
  durationMs: number;
  environment: SelfTestEnvironment;
  checks: CheckResult[];
  /** context.sync() calls the self-test made. */
  syncs: number;
  /** The largest request and response the large write/read sent, as estimated from its JSON. */
  largestRequestBytes: number;
  largestResponseBytes: number;
}

// ---------------------------------------------------------------------------------------------------
// Environment

/** Requirement sets worth knowing in a support ticket: the Excel API and the ones the add-in touches. */
export const PROBED_SETS: { name: string; versions: string[] }[] = [
  { name: "ExcelApi", versions: Array.from({ length: 20 }, (_, i) => `1.${i + 1}`) },
  { name: "ExcelApiOnline", versions: ["1.1"] },
  { name: "DialogApi", versions: ["1.1", "1.2"] },
  { name: "AddinCommands", versions: ["1.1", "1.2", "1.3"] },
  { name: "SharedRuntime", versions: ["1.1", "1.2"] },
  { name: "RibbonApi", versions: ["1.1"] },
];

interface OfficeLike {
  context?: {
    diagnostics?: { host?: unknown; platform?: unknown; version?: string };
    displayLanguage?: string;
    requirements?: { isSetSupported(name: string, version?: string): boolean };
  };
}

/** Excel's version and platform (Office.context.diagnostics) and the requirement sets it supports. */
export function officeEnvironment(
  office: OfficeLike | undefined = (globalThis as { Office?: OfficeLike }).Office,
): SelfTestEnvironment {
  const ctx = office?.context;
  const diag = ctx?.diagnostics;
  const supported = (name: string, version: string) => {
    try {
      return ctx?.requirements?.isSetSupported(name, version) ?? false;
    } catch {
      return false;
    }
  };
  return {
    host: diag?.host === undefined ? null : String(diag.host),
    platform: diag?.platform === undefined ? null : String(diag.platform),
    version: diag?.version ?? null,
    displayLanguage: ctx?.displayLanguage ?? null,
    sets: PROBED_SETS.flatMap(({ name, versions }) =>
      versions.map((version) => ({ name, version, supported: supported(name, version) })),
    ),
  };
}

/** "ExcelApi 1.1–1.17": each set's supported versions as runs, or "–" when none. */
export function summariseSets(sets: RequirementSet[]): { name: string; supported: string }[] {
  const names = [...new Set(sets.map((s) => s.name))];
  return names.map((name) => {
    const runs: string[][] = [];
    let run: string[] = [];
    for (const s of sets.filter((x) => x.name === name)) {
      if (s.supported) run.push(s.version);
      else if (run.length) {
        runs.push(run);
        run = [];
      }
    }
    if (run.length) runs.push(run);
    const text = runs.map((r) => (r.length === 1 ? r[0] : `${r[0]}–${r[r.length - 1]}`)).join(", ");
    return { name, supported: text || "–" };
  });
}

// ---------------------------------------------------------------------------------------------------
// Comparison

/** Collects mismatches between what the add-in expects and what Excel returned. */
export class Expectations {
  readonly mismatches: Mismatch[] = [];

  eq(what: string, expected: unknown, actual: unknown): this {
    if (!sameValue(expected, actual)) this.push(what, expected, actual);
    return this;
  }

  /** Numbers within `tolerance` (Excel snaps sizes to whole screen pixels). */
  near(what: string, expected: number, actual: unknown, tolerance: number): this {
    if (typeof actual !== "number" || Math.abs(actual - expected) > tolerance)
      this.push(what, expected, actual);
    return this;
  }

  /** Colours as #RRGGBB, whatever the case Excel answers in. */
  color(what: string, expected: string, actual: unknown): this {
    if (typeof actual !== "string" || actual.toUpperCase() !== expected.toUpperCase())
      this.push(what, expected, actual);
    return this;
  }

  /** An address without its sheet ("Blad!$A$1:$B$2" → "$A$1:$B$2"), for every area of a list. */
  address(what: string, expected: string, actual: unknown): this {
    const strip = (a: string) =>
      a
        .split(",")
        .map((part) => part.slice(part.lastIndexOf("!") + 1))
        .join(",");
    if (typeof actual !== "string" || strip(actual) !== expected) this.push(what, expected, actual);
    return this;
  }

  private push(what: string, expected: unknown, actual: unknown): void {
    this.mismatches.push({ what, expected: show(expected), actual: show(actual) });
  }
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a as object).sort();
    const kb = Object.keys(b as object).sort();
    return (
      sameValue(ka, kb) &&
      ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}

/** A value as it appears in the report: JSON, cut to 120 characters. */
export function show(v: unknown): string {
  const text = v === undefined ? "undefined" : JSON.stringify(v);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** Excel's error as the report quotes it: code, where Excel says it happened, message. */
export function errorText(e: unknown): string {
  const err = e as { code?: string; message?: string; debugInfo?: { errorLocation?: string } };
  const parts = [err?.code, err?.debugInfo?.errorLocation, err?.message ?? String(e)].filter(
    (p, i, all) => p && all.indexOf(p) === i,
  );
  return parts.join(": ");
}

// ---------------------------------------------------------------------------------------------------
// The large write and read: sizes

/**
 * Excel on the web refuses requests and responses over 5 MB ("Resource limits and performance
 * optimization for Office Add-ins", learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-
 * and-performance-optimization: "Excel on the web has a payload size limit for requests and responses
 * of 5MB"). The large write sends one request of about 4 MB of values, "near the limit" with room for
 * the request's own envelope; the read takes it back in responses of at most 2.5 MB each, estimated
 * with a type per cell on top of the values (the port reads large ranges' values with their error
 * cells as areas, which answers less, so the estimate has room to spare).
 */
export const LARGE_REQUEST_BYTES = 4_000_000;
export const LARGE_RESPONSE_BYTES = 2_500_000;
export const LARGE_COLS = 10;
export const LARGE_FIRST_ROW = 20;

/** The cell text of the large block: ledger-like labels with Swedish letters, all distinct. */
export function largeCell(row: number, col: number): string {
  return `Kostnadsställe ${row + 1}:${col + 1} – Årsbudget åäö`;
}

/** As many rows of LARGE_COLS cells as fit in `bytes` of JSON values (as written, with the apostrophe). */
export function largeRowCount(bytes: number = LARGE_REQUEST_BYTES): number {
  let total = 2; // the outer brackets
  let rows = 0;
  for (;;) {
    const line = Array.from({ length: LARGE_COLS }, (_, c) => toExcelValue(largeCell(rows, c)));
    const b = utf8Bytes(JSON.stringify(line)) + 1;
    if (total + b > bytes) return rows;
    total += b;
    rows++;
  }
}

/** Row chunks [first, count) whose estimated response (values + valueTypes) stays under `limit`. */
export function readChunks(
  rows: number,
  limit: number = LARGE_RESPONSE_BYTES,
): { first: number; rows: number }[] {
  const chunks: { first: number; rows: number }[] = [];
  let first = 0;
  let bytes = 0;
  for (let r = 0; r < rows; r++) {
    const line = Array.from({ length: LARGE_COLS }, (_, c) => largeCell(r, c));
    const b = utf8Bytes(JSON.stringify(line)) + utf8Bytes(JSON.stringify(line.map(() => "String"))) + 2;
    if (bytes + b > limit && r > first) {
      chunks.push({ first, rows: r - first });
      first = r;
      bytes = 0;
    }
    bytes += b;
  }
  if (rows > first) chunks.push({ first, rows: rows - first });
  return chunks;
}

// ---------------------------------------------------------------------------------------------------
// The small sheet: what is written and what must come back

/** The values written to A1:E5 through toExcelValue, as the add-in writes every plan value. */
export const VALUES: (string | number | boolean | null)[][] = [
  ["Post", "Budget", "Utfall", "Metod", "Kommentar"],
  ["Personal", 5000, 1700.5, "linjär", "=SUMMA(B2)"],
  ["Lokaler", -1000, 0, null, "+46 70"],
  ['Åtgärd & "citat"', 1234567, 43585, "2019", "1e5"],
  ["TRUE", 0.1, -0.5, true, "-x @y"],
];

/** What Excel must return for VALUES: strings stay text (never a formula or a number), null clears. */
export function expectedValues(): { values: unknown[][]; valueTypes: string[][] } {
  const values = VALUES.map((line) => line.map((v) => (v === null ? "" : v)));
  const valueTypes = VALUES.map((line) =>
    line.map((v) =>
      v === null ? "Empty" : typeof v === "number" ? "Double" : typeof v === "boolean" ? "Boolean" : "String",
    ),
  );
  return { values, valueTypes };
}

export const NUMBER_FORMAT = "#,##0;-#,##0";
export const DATE_FORMAT = "yyyy-mm-dd";
export const TEXT_FORMAT = "@";
export const COLUMN_WIDTH_CHARS = 32;
/** Two areas formatted in one Worksheet.getRanges call (G2, between them, stays as it was). */
export const AREAS = "F2:F3,H2:H3";
export const ROW_HEIGHT_POINTS = 30;
/** Excel snaps widths and heights to whole pixels; the points it answers vary with the screen's DPI. */
export const SIZE_TOLERANCE_POINTS = 1.5;
export const HEADER = "Uppföljaren självtest &D";
export const FOOTER = "Sida &P av &N";

/** The configuration written to the self-test's own XML part: every kind of field, with XML specials. */
export function selfTestConfig(): StoredConfig {
  const config = parseConfig(null);
  config.mapping = { Budget: "Budget_2025", Poster: "'Mitt <blad> & co'!Poster" };
  config.settings.defaultMethod = "days";
  config.settings.roundingStep = 100;
  config.settings.reports.log = false;
  return config;
}

export function selfTestConfigXml(): string {
  return serializeConfig(selfTestConfig()).replace(CONFIG_NAMESPACE, SELFTEST_NAMESPACE);
}
