/**
 * Calendar helpers for the reporting period: days per month (leap years), D_m (days in months 1..m),
 * D (days in the year), header labels ("30/4 2019") and the committee follow-up labels of the action plan.
 */
import { formatNumber } from "./format";
import { CoreInputError, type Period } from "./types";

/** Years the core accepts; anything else is almost certainly a misread cell. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2200;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in month 1–12 of `year` (February 29 in leap years). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2 && isLeapYear(year)) return 29;
  return DAYS[month - 1] ?? NaN;
}

/** D: days in the year (365 or 366). */
export function daysInYear(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

/** D_m: days in months 1..month (Jan–Apr 2019 = 120). */
export function periodDays(year: number, month: number): number {
  let days = 0;
  for (let m = 1; m <= month; m++) days += daysInMonth(year, m);
  return days;
}

/**
 * Checks that a period can be computed at all: year an integer in 1900–2200, month an integer 1–12.
 * Throws CoreInputError (code PERIOD_INVALID) with a Swedish message otherwise.
 */
export function validatePeriod(period: unknown): Period {
  if (typeof period !== "object" || period === null) {
    throw new CoreInputError("PERIOD_INVALID", "Perioden saknas: ange år och månad (1–12).");
  }
  const { year, month } = period as { year?: unknown; month?: unknown };
  if (typeof year !== "number" || !Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new CoreInputError(
      "PERIOD_INVALID",
      `Året ${describeValue(year)} går inte att använda: ange ett helt årtal mellan ${MIN_YEAR} och ${MAX_YEAR}.`,
    );
  }
  if (typeof month !== "number" || !Number.isInteger(month) || month < 1 || month > 12) {
    throw new CoreInputError(
      "PERIOD_INVALID",
      `Månaden ${describeValue(month)} går inte att använda: perioden måste vara en hel månad mellan 1 och 12.`,
    );
  }
  return { year, month };
}

/** A short, safe description of an untrusted value for messages (never calls toString on objects). */
export function describeValue(value: unknown): string {
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "string") return `"${value.length > 40 ? value.slice(0, 40) + "…" : value}"`;
  if (value === null || value === undefined) return "(tom)";
  if (typeof value === "boolean") return value ? "SANT" : "FALSKT";
  return `(${typeof value})`;
}

/** The Swedish month names, januari–december (lower case, as in running text). */
export const MONTHS_SV: readonly string[] = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"]; // prettier-ignore

/** A period key ("2019-02", as the forecast log keeps it) for people: "februari 2019". */
export function monthName(key: string): string {
  const [y, m] = key.split("-").map(Number);
  return `${MONTHS_SV[m - 1] ?? key} ${y}`;
}

/** The last day of the period as "d/M yyyy", the report headers' form: `periodLabel({year: 2019, month: 4})` → "30/4 2019". */
export function periodLabel(period: Period): string {
  return `${daysInMonth(period.year, period.month)}/${period.month} ${period.year}`;
}

/** A month as the forecast log keys it ("2019-04"). */
export function monthKey(period: { year: number; month: number }): string {
  return `${period.year}-${String(period.month).padStart(2, "0")}`;
}

/** The last day of the period as an ISO date ("2019-04-30"). */
export function periodEndIso(period: Period): string {
  const day = daysInMonth(period.year, period.month);
  return `${monthKey(period)}-${String(day).padStart(2, "0")}`;
}

/** Parses a strict ISO date YYYY-MM-DD (a real calendar day); null otherwise. */
export function parseIsoDate(text: unknown): { year: number; month: number; day: number } | null {
  if (typeof text !== "string") return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** "Återrapport n Nämnd YYMMDD" for follow-up number `n` (from 1) at an ISO committee date. */
export function followUpLabel(n: number, isoDate: string): string {
  const compact = isoDate.replace(/-/g, "").slice(2);
  return `Återrapport ${n} Nämnd ${compact}`;
}
