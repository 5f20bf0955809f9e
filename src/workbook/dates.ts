/**
 * Dates in the workbook: Excel's serial dates and dates written as text, the report's period (the
 * name Period, with Ar when the period is a month number), the months it covers in words, and the
 * committee meeting dates (Namndmoten).
 */
import type { Period } from "../core/types";
import { daysInMonth, MAX_YEAR, MIN_YEAR, MONTHS_SV } from "../core/period";
import { display, isBlank, parseSwedishNumber, type At, type Reader } from "./cells";
import { err, type ResolvedName } from "./contract";
import type { RawCell } from "./types";

/** The months a report covers, for people: "januari–april 2019" (January alone: "januari 2019"). */
export function periodSpan(period: Period): string {
  const { year, month } = period;
  return month === 1 ? `januari ${year}` : `januari–${MONTHS_SV[month - 1]} ${year}`;
}

/** Excel serial (1900 system) → {year, month, day}. Serials after 1900-02-28 (the usual case). */
export function serialToDate(serial: number): { year: number; month: number; day: number } {
  const ms = Math.round((Math.floor(serial) - 25569) * 86400000);
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function dateToSerial(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / 86400000 + 25569;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** "april", "Apr", "apr.", "sept" → 4 / 9; null for anything else. */
function monthOfName(word: string): number | null {
  const w = word.toLowerCase().replace(/\.$/, "");
  if (w.length < 3) return null;
  const i = MONTHS_SV.findIndex((name) => name === w || (w.length <= 4 && name.startsWith(w)));
  return i < 0 ? null : i + 1;
}

/**
 * Text written as a date, the ways a Swedish ekonom writes one: ISO ("2019-04-30", "2019-4-30"), day
 * first ("30/4 2019", "30/4-2019", "30.4.2019", the product's own "per 30/4 2019" included) or with the
 * month's name ("30 april 2019", "april 2019": day null, a month without a day). Gives "impossible" for a
 * day the calendar does not have ("2019-02-30", "31/4 2019": refused, never rolled over into the next
 * month), or null when the text is no date at all. Month-first forms are not Swedish and are read day
 * first like any other: 4/30/2019 then has a 30th month and is refused as impossible.
 */
function dateText(text: string): { year: number; month: number; day: number | null } | "impossible" | null {
  const t = text.trim().replace(/^per\s+/i, "");
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  let parts: [number, number, number | null] | null = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
  if (!parts && (m = /^(\d{1,2})[/.](\d{1,2})(?:\s+|[-./])(\d{4})$/.exec(t)))
    parts = [Number(m[3]), Number(m[2]), Number(m[1])];
  if (!parts && (m = /^(?:(\d{1,2})\.?\s+)?(\p{L}+\.?)\s+(\d{4})$/u.exec(t))) {
    const month = monthOfName(m[2]);
    if (month === null) return null;
    parts = [Number(m[3]), month, m[1] === undefined ? null : Number(m[1])];
  }
  if (!parts) return null;
  const [year, month, day] = parts;
  if (month < 1 || month > 12 || (day !== null && (day < 1 || day > daysInMonth(year, month))))
    return "impossible";
  return { year, month, day };
}

/** The years the core computes (serial dates before 1901 are unreliable in the 1900 date system). */
const FIRST_YEAR = Math.max(1901, MIN_YEAR);

export function readPeriod(
  rd: Reader,
  p: { v: RawCell; at: At } | null,
  ar: { v: RawCell; at: At } | null,
  month: number | undefined,
): Period | null {
  if (!p) return null;
  if (month !== undefined && !(Number.isInteger(month) && month >= 1 && month <= 12)) {
    rd.errors.push(
      err(
        "PERIOD_OVERRIDE",
        `Perioden ${month} är ogiltig; ange en månad 1–12.`,
        `The period ${month} is invalid; give a month 1–12.`,
      ),
    );
    return null;
  }
  let v: RawCell = p.v;
  if (typeof v === "string") {
    const date = dateText(v);
    if (date === "impossible") {
      rd.error(
        "PERIOD",
        p.at,
        `datumet "${v.trim()}" finns inte i kalendern; ange periodens slutdatum, t.ex. 2019-04-30.`,
        `the date "${v.trim()}" does not exist; give the period end date, e.g. 2019-04-30.`,
      );
      return null;
    }
    if (date) {
      const day = date.day ?? daysInMonth(date.year, date.month);
      rd.finding(
        "warning",
        "TEXT_DATE",
        p.at,
        `datumet "${v.trim()}" är lagrat som text; det tolkas som ${date.year}-${pad2(date.month)}-${pad2(day)}.`,
      );
      v = dateToSerial(date.year, date.month, day);
    } else {
      const parsed = parseSwedishNumber(v);
      if (parsed === null) {
        rd.error(
          "PERIOD",
          p.at,
          `perioden "${v.trim()}" kan inte tolkas; ange periodens slutdatum (t.ex. 2019-04-30) eller ett månadsnummer 1–12.`,
          `the period "${v.trim()}" cannot be read; give the period end date (e.g. 2019-04-30) or a month number 1–12.`,
        );
        return null;
      }
      v = parsed;
    }
  }
  if (typeof v !== "number") {
    rd.error(
      "PERIOD",
      p.at,
      v === null
        ? "perioden saknas; ange periodens slutdatum (t.ex. 2019-04-30) eller ett månadsnummer 1–12."
        : `perioden ${display(v)} kan inte tolkas; ange periodens slutdatum eller ett månadsnummer 1–12.`,
      "the period is missing or not a date/month number.",
    );
    return null;
  }
  if (v > 31) {
    const d = serialToDate(v);
    if (!(d.year >= FIRST_YEAR && d.year <= MAX_YEAR)) {
      rd.error(
        "PERIOD",
        p.at,
        `datumet ${d.year}-${pad2(d.month)}-${pad2(d.day)} ligger utanför åren ${FIRST_YEAR}–${MAX_YEAR}; ange periodens slutdatum, t.ex. 2019-04-30.`,
        `the date ${d.year}-${pad2(d.month)}-${pad2(d.day)} is outside the years ${FIRST_YEAR}–${MAX_YEAR}.`,
      );
      return null;
    }
    const lastDay = new Date(Date.UTC(d.year, d.month, 0)).getUTCDate();
    if (d.day !== lastDay && month === undefined)
      rd.finding(
        "info",
        "PERIOD_NOT_MONTH_END",
        p.at,
        `perioden ${d.year}-${pad2(d.month)}-${pad2(d.day)} är inte ett månadsslut; utfallet räknas till och med ${MONTHS_SV[d.month - 1]}.`,
      );
    return { year: d.year, month: month ?? d.month };
  }
  if (!Number.isInteger(v) || v < 1 || v > 12) {
    rd.error(
      "PERIOD",
      p.at,
      `perioden ${v} är varken en månad 1–12 eller ett datum.`,
      `the period ${v} is neither a month 1–12 nor a date.`,
    );
    return null;
  }
  if (!ar) {
    rd.error(
      "YEAR_MISSING",
      p.at,
      "perioden är ett månadsnummer men namnet Ar (året) saknas. Definiera Ar eller skriv periodens slutdatum.",
      "the period is a month number but the name Ar (the year) is missing.",
    );
    return null;
  }
  const y = rd.number(ar.v, ar.at);
  if (typeof y !== "number" || !Number.isInteger(y) || y < FIRST_YEAR || y > MAX_YEAR) {
    if (rd.errors.length === 0 || typeof y === "number" || y === null)
      rd.error(
        "YEAR",
        ar.at,
        `året ska vara ett årtal ${FIRST_YEAR}–${MAX_YEAR}, t.ex. 2019.`,
        `the year must be a year ${FIRST_YEAR}–${MAX_YEAR} such as 2019.`,
      );
    return null;
  }
  return { year: y, month: month ?? v };
}

export function readDates(rd: Reader, res: ResolvedName, g: RawCell[][]): string[] {
  const out: string[] = [];
  g.forEach((row, i) =>
    row.forEach((v, j) => {
      const at: At = { sheet: res.rect.sheet, row: res.rect.row + i, col: res.rect.col + j, what: res.name };
      if (isBlank(v)) return;
      if (typeof v === "number" && v > 31) {
        const d = serialToDate(v);
        out.push(`${d.year}-${pad2(d.month)}-${pad2(d.day)}`);
        return;
      }
      const iso = typeof v === "string" ? dateText(v) : null;
      if (iso && iso !== "impossible" && iso.day !== null) {
        const date = `${iso.year}-${pad2(iso.month)}-${pad2(iso.day)}`;
        // Said as for Period: "4/9 2019" is the 4th of September, which the ekonom should see.
        rd.finding(
          "warning",
          "TEXT_DATE",
          at,
          `datumet "${(v as string).trim()}" är lagrat som text; det tolkas som ${date}.`,
        );
        out.push(date);
        return;
      }
      rd.error(
        "DATE",
        at,
        iso === "impossible"
          ? `datumet "${display(v).trim()}" finns inte i kalendern; ange nämndmötets datum, t.ex. 2019-06-12.`
          : `"${display(v)}" är inget datum; ange nämndmötets datum, t.ex. 2019-06-12.`,
        iso === "impossible"
          ? `the date "${display(v).trim()}" does not exist.`
          : `"${display(v)}" is not a date.`,
      );
    }),
  );
  return out.sort();
}
