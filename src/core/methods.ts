/**
 * Forecast method keys: the Swedish words the workbook's `Metod` column uses and their code names.
 */
import type { ForecastMethod } from "./types";

/** Swedish method key → code name (linjär → linear, dagar → days, …). */
export const METHOD_KEYS_SV: Readonly<Record<string, ForecastMethod>> = Object.freeze({
  linjär: "linear",
  dagar: "days",
  budget: "budget",
  säsong: "seasonal",
  noll: "zero",
  manuell: "manual",
  trend: "trend",
});

/** Code name → Swedish method key (linear → linjär, …), for writing the `Metod` column and messages. */
export const METHOD_LABELS_SV: Readonly<Record<ForecastMethod, string>> = Object.freeze({
  linear: "linjär",
  days: "dagar",
  budget: "budget",
  seasonal: "säsong",
  zero: "noll",
  manual: "manuell",
  trend: "trend",
});

export const FORECAST_METHODS: readonly ForecastMethod[] = Object.freeze([
  "linear",
  "days",
  "budget",
  "seasonal",
  "zero",
  "manual",
  "trend",
]);

/** Lower case, no accents (å → a, ä → a), no whitespace. */
function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\s+/g, "");
}

const LOOKUP: ReadonlyMap<string, ForecastMethod> = new Map<string, ForecastMethod>([
  ...Object.entries(METHOD_KEYS_SV).map(([sv, code]) => [fold(sv), code] as [string, ForecastMethod]),
  ...FORECAST_METHODS.map((code) => [fold(code), code] as [string, ForecastMethod]),
]);

/** The exact keys (what nearly every cell holds), looked up before folding. */
const EXACT: ReadonlyMap<string, ForecastMethod> = new Map<string, ForecastMethod>([
  ...Object.entries(METHOD_KEYS_SV),
  ...FORECAST_METHODS.map((code) => [code, code] as [string, ForecastMethod]),
]);

/**
 * Reads a method from a cell, tolerant of case, accents and spaces: "Linjär", "LINJAR", " säsong ",
 * "Sasong", "manuell" and the English code names all work. Returns null for anything else (including
 * non-strings and the empty string).
 */
export function parseMethod(text: unknown): ForecastMethod | null {
  if (typeof text !== "string") return null;
  return EXACT.get(text) ?? LOOKUP.get(fold(text)) ?? null;
}
