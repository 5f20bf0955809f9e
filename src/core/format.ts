/**
 * Swedish number presentation for text the product writes (summaries, messages, report sheets), and the
 * rounding rule every figure follows. Output uses ASCII space (U+0020) as thousands separator, a decimal
 * comma and ASCII "-" (U+002D) for minus, as the seed reports do (shared/DOMAIN.md §1.1). Strings are built
 * by hand rather than with Intl so that the output is identical on every host; `normaliseSwedishText`
 * turns Intl/Excel output (U+00A0, U+202F, U+2212) into the same form.
 */
import type { Unit } from "./types";

/** The decimals implied by a rounding step (100 → 0, 0.1 → 1, 0.05 → 2). */
function decimalsOfStep(step: number): number {
  if (step >= 1) return 0;
  const text = step.toExponential();
  const [mantissa, exponent] = text.split("e");
  const mantissaDecimals = (mantissa.split(".")[1] ?? "").length;
  return Math.max(0, mantissaDecimals - Number(exponent));
}

/**
 * Math.floor(q + 0.5) after cutting q (≥ 0) to 15 significant digits. Cutting moves q by at most about
 * 5e-15 of itself, which can change the result only when q is that close to a half (k + 0.5); every
 * other quotient is rounded directly, without the string round trip of toPrecision (the core rounds
 * every forecast, so this is hot).
 */
function roundedUnits(q: number): number {
  const fromHalf = Math.abs(q - Math.floor(q) - 0.5);
  if (q < 1e15 && fromHalf > 1e-9 * Math.max(1, q)) return Math.floor(q + 0.5);
  return Math.floor(Number(q.toPrecision(15)) + 0.5);
}

/**
 * Rounds `x` to the nearest multiple of `step`, halves away from zero (Excel `ROUND`; `ROUND(x, -2)` is
 * `step = 100`). The quotient is first cut to 15 significant digits, as Excel does, so that 1.005 rounds
 * to 1.01 with step 0.01. A step that is not a positive finite number leaves `x` unchanged. Never returns -0.
 */
export function roundHalfAwayFromZero(x: number, step = 1): number {
  if (!Number.isFinite(x)) return x;
  if (!(typeof step === "number" && Number.isFinite(step) && step > 0)) return x;
  const units = roundedUnits(Math.abs(x) / step);
  if (units === 0) return 0;
  const magnitude = units * step;
  const decimals = decimalsOfStep(step);
  const clean = decimals > 0 ? Number(magnitude.toFixed(Math.min(decimals, 20))) : magnitude;
  return x < 0 ? -clean : clean;
}

/** Replaces non-breaking/narrow spaces with ASCII space and the Unicode minus (U+2212) with ASCII "-". */
export function normaliseSwedishText(text: string): string {
  return text.replace(/[\u00a0\u202f\u2009]/g, " ").replace(/\u2212/g, "-");
}

/**
 * Parses a number typed the Swedish way ("-8 276", "1,2", "+2 332", "89 775,68", "−17 223"). Returns null
 * for anything else, including markers such as "-", "i.u." and "Nytt mått".
 */
export function parseSwedishNumber(text: string): number | null {
  const compact = normaliseSwedishText(text).trim().replace(/ /g, "");
  if (!/^[+-]?\d+(?:[.,]\d+)?$/.test(compact)) return null;
  const value = Number(compact.replace(",", "."));
  return Number.isFinite(value) ? value : null;
}

/** Groups the integer digits by three with ASCII spaces. */
function groupDigits(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, " ");
}

export interface AmountFormat {
  /** Appended after a space: "tkr" gives "2 332 tkr". Omitted: the bare number. */
  unit?: Unit | "mnkr" | "%" | "";
  /** "deviation": explicit + on positive values (`+2 332`); "plain": no + (`11 890`). Both print 0 without sign. */
  sign?: "deviation" | "plain";
  /** Decimals shown (default 0). */
  decimals?: number;
  /** Drop the decimals when the rounded value is integral ("1 mnkr" rather than "1,0 mnkr"). */
  trimIntegral?: boolean;
}

/**
 * Formats an amount for people: `formatAmount(2332, { sign: "deviation" })` → "+2 332",
 * `formatAmount(-17223)` → "-17 223", `formatAmount(0, { sign: "deviation" })` → "0",
 * `formatAmount(29.9, { unit: "mkr", decimals: 1 })` → "29,9 mkr". Rounds half away from zero.
 * Non-finite values give "" (nothing to show).
 */
export function formatAmount(value: number, format: AmountFormat = {}): string {
  if (typeof value !== "number" || !Number.isFinite(value)) return "";
  const decimals = Math.max(0, Math.min(10, Math.trunc(format.decimals ?? 0)));
  const rounded = roundHalfAwayFromZero(value, Math.pow(10, -decimals));
  const fixed = Math.abs(rounded).toFixed(decimals);
  let [integerPart, fraction = ""] = fixed.split(".");
  if (format.trimIntegral && /^0*$/.test(fraction)) fraction = "";
  integerPart = groupDigits(integerPart);
  const body = fraction ? `${integerPart},${fraction}` : integerPart;
  const sign = rounded < 0 ? "-" : rounded > 0 && format.sign === "deviation" ? "+" : "";
  const unit = format.unit ? ` ${format.unit}` : "";
  return `${sign}${body}${unit}`;
}

/**
 * A number as typed or read, in the product's notation with as many decimals as it has (at most 10):
 * "-4,808", "-4 808,5", "1 000", never "-4.808" or "1000". Beyond 10^15 (or not finite) as JavaScript
 * writes it: such values are only ever quoted as what was wrongly typed.
 */
export function formatNumber(n: number): string {
  if (!(Math.abs(n) < 1e15)) return String(n);
  let decimals = 0;
  while (decimals < 10 && Number(n.toFixed(decimals)) !== n) decimals++;
  // Not exact in ten decimals (float noise, 0,1 + 0,2): the ten decimals' own digits, not their zeros.
  if (decimals === 10) while (decimals > 0 && n.toFixed(decimals).endsWith("0")) decimals--;
  return formatAmount(n, { decimals });
}

const UNIT_FACTOR: Record<Unit, number> = { kr: 1, tkr: 1000, mkr: 1_000_000 };

/** Converts an amount between kr, tkr and mkr (28 674 tkr → 28.674 mkr). */
export function convertUnit(value: number, from: Unit, to: Unit): number {
  return (value * UNIT_FACTOR[from]) / UNIT_FACTOR[to];
}

/**
 * Millions with one decimal, as the reports write them: `formatMkr(29.9)` → "29,9 mkr",
 * `formatMkr(39)` → "39,0 mkr", `formatMkr(28674, { from: "tkr" })` → "28,7 mkr".
 * With `label: "mnkr"` (the action plan's style) integral values drop the decimal: "1 mnkr", "0,3 mnkr".
 */
export function formatMkr(
  value: number,
  options: { from?: Unit; label?: "mkr" | "mnkr"; sign?: "deviation" | "plain"; trimIntegral?: boolean } = {},
): string {
  const label = options.label ?? "mkr";
  const inMkr = convertUnit(value, options.from ?? "mkr", "mkr");
  return formatAmount(inMkr, {
    unit: label,
    decimals: 1,
    sign: options.sign ?? "plain",
    trimIntegral: options.trimIntegral ?? label === "mnkr",
  });
}

/** The action plan's style: `formatMnkr(1)` → "1 mnkr", `formatMnkr(2.5)` → "2,5 mnkr". */
export function formatMnkr(value: number): string {
  return formatMkr(value, { label: "mnkr" });
}

/**
 * A percentage from a ratio with one decimal: `formatPercent(130 / 137)` → "94,9 %",
 * `formatPercent(598 / 419 - 1, { sign: "deviation" })` → "+42,7 %".
 */
export function formatPercent(
  ratio: number,
  options: { decimals?: number; sign?: "deviation" | "plain" } = {},
): string {
  return formatAmount(ratio * 100, {
    unit: "%",
    decimals: options.decimals ?? 1,
    sign: options.sign ?? "plain",
  });
}

/** The decimals an amount in this unit is shown with: kr and tkr whole, mkr one (DOMAIN §1.1). */
export function unitDecimals(unit: Unit): number {
  return unit === "mkr" ? 1 : 0;
}

/**
 * Prose for a deviation, magnitude without sign and with a word (shared/DOMAIN.md §1.1):
 * `describeDeviation(-14891, "tkr")` → "ett underskott jämfört med budget om 14 891 tkr",
 * `describeDeviation(2332, "tkr")` → "ett överskott jämfört med budget om 2 332 tkr",
 * a deviation that rounds to 0 → "ingen avvikelse jämfört med budget".
 */
export function describeDeviation(value: number, unit: Unit = "tkr"): string {
  const decimals = unitDecimals(unit);
  const rounded = roundHalfAwayFromZero(value, Math.pow(10, -decimals));
  if (!Number.isFinite(rounded) || rounded === 0) return "ingen avvikelse jämfört med budget";
  const magnitude = formatAmount(Math.abs(rounded), { unit, decimals });
  return rounded < 0
    ? `ett underskott jämfört med budget om ${magnitude}`
    : `ett överskott jämfört med budget om ${magnitude}`;
}
