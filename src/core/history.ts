/**
 * Last year's twelve months (UtfallFgAr), read once per line into the Lines columns that the seasonal
 * forecast, the periodisation by last year's profile and the backtest all use: the sums to m, to m − k
 * and in all, and how many months are non-zero. Reading them once is what keeps the backtest cheap: it
 * would otherwise walk every line's twelve cells a second time.
 */
import type { Lines } from "./lines";
import type { PeriodSetup } from "./periodise";
import { Findings, MAX_AMOUNT, plainNumber, readMonths, readNumber } from "./read";

/** The month the trend method and its backtest start from: m − k (0 when k > m). */
export const cutMonth = (setup: PeriodSetup): number => Math.max(0, setup.month - setup.trendMonths);

/**
 * Reads line i's last year into `lines` (nothing when it is missing or not twelve months). Plain numbers
 * and blanks take one pass without a call; any other cell sends the line through readMonths, which
 * reports it (NOT_A_NUMBER, BAD_MONTHLY_LENGTH …) and counts it as 0.
 */
export function readLastYear(
  raw: unknown,
  lines: Lines,
  i: number,
  setup: PeriodSetup,
  findings: Findings,
): void {
  if (raw === null || raw === undefined) return;
  const m = setup.month;
  const cut = cutMonth(setup);
  if (Array.isArray(raw) && raw.length === 12 && sumMonths(raw, m, cut, lines, i, true)) return;
  const what = `${lines.name(i)}: fjolårets utfall`;
  // readMonths reports the unusual cells (and a range that is not twelve months: then nothing is read);
  // the sums read the same numbers again, silently.
  if (readMonths(raw, m, findings, { line: i, field: "lastYear" }, what))
    sumMonths(raw as unknown[], m, cut, lines, i, false);
}

/**
 * The sums and counts of twelve cells into line i's columns, in month order and one pass. `strict`:
 * only plain numbers and blanks, false (nothing set) at the first other cell; otherwise any other cell
 * counts as the core reads it (numeric text) or as blank.
 */
function sumMonths(
  raw: readonly unknown[],
  m: number,
  cut: number,
  lines: Lines,
  i: number,
  strict: boolean,
): boolean {
  let toDate = 0;
  let toCut = 0;
  let total = 0;
  let nonZero = 0;
  let nonZeroToDate = 0;
  let given = false;
  for (let t = 0; t < 12; t++) {
    const cell: unknown = raw[t];
    let v: number | null;
    if (typeof cell === "number" && Math.abs(cell) <= MAX_AMOUNT) v = cell;
    else if (cell === null || cell === undefined) continue;
    else if (strict) return false;
    else if ((v = unusualCell(cell)) === null) continue;
    given = true;
    total += v;
    if (t < m) toDate += v;
    if (t < cut) toCut += v;
    if (v !== 0) {
      nonZero++;
      if (t < m) nonZeroToDate++;
    }
  }
  setSums(lines, i, toDate, toCut, total, nonZero, nonZeroToDate, given);
  return true;
}

function setSums(
  lines: Lines,
  i: number,
  toDate: number,
  toCut: number,
  total: number,
  nonZero: number,
  nonZeroToDate: number,
  given: boolean,
): void {
  lines.lastYearToDate[i] = toDate;
  lines.lastYearTotal[i] = total;
  lines.lastYearToCut[i] = toCut;
  lines.lastYearNonZero[i] = nonZero;
  lines.lastYearNonZeroToDate[i] = nonZeroToDate;
  lines.lastYearGiven[i] = given ? 1 : 0;
}

/** A cell that is not a plain number: its number as the core reads it (numeric text), or null. */
function unusualCell(cell: unknown): number | null {
  const plain = plainNumber(cell);
  return plain === undefined ? readNumber(cell, new Findings(), {}, "").value : plain;
}
