/**
 * Checks on which months of a line hold a figure (step 10, with checks.ts): a blank outcome month inside
 * the period (ACTUAL_MONTH_MISSING), outcomes typed after the period (ACTUAL_AFTER_PERIOD) and a blank
 * budget month among budgeted ones (BUDGET_MONTH_MISSING), a whole budget in one month while the
 * outcomes run through the period (BUDGET_IN_ONE_MONTH). A blank month counts as 0, so each of them
 * moves the deviation and the forecast without anything looking wrong. A line with no outcome at all in
 * the period (a new line, a line with nothing booked) is left alone: ACTUAL_MISSING tells of it.
 */
import type { CheckContext } from "./checks";
import { MONTHS_READ, type Lines } from "./lines";
import { MONTHS_SV } from "./period";
import { type Findings, isRecord, prop } from "./read";

/** What the months' checks need of the checks' context. */
type MonthsContext = Pick<CheckContext, "rawLines" | "month" | "fmt">;

/** "april", "januari och februari", "januari, februari och mars". */
function monthList(months: readonly number[]): string {
  const names = months.map((m) => MONTHS_SV[m]);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} och ${names[names.length - 1]}`;
}

/** The months (0-based) whose bit is set in `bits`, from `from` up to but not including `to`. */
function monthsOf(bits: number, from: number, to: number): number[] {
  const out: number[] = [];
  for (let m = from; m < to; m++) if (bits & (1 << m)) out.push(m);
  return out;
}

const lowestBit = (bits: number): number => 31 - Math.clz32(bits & -bits);
const highestBit = (bits: number): number => 31 - Math.clz32(bits);

/** The months' checks for every line but total lines. */
export function checkMonths(lines: Lines, findings: Findings, ctx: MonthsContext): void {
  const inPeriod = (1 << ctx.month) - 1;
  const late: number[] = [];
  let withActual = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines.kind[i] === "total") continue;
    checkBudgetMonths(lines, i, findings);
    checkBudgetInOneMonth(lines, i, findings, ctx);
    const present = lines.actualPresent[i];
    // A typed outcome to date wins over the months (see setBudgetAndActual): they are not what is counted.
    if (!(present & MONTHS_READ) || !Number.isNaN(lines.typedActual[i])) continue;
    const isLate = (lines.actualNonZero[i] & ~inPeriod & 0xfff) !== 0;
    // Every line with outcomes, in the period or only after it: "every line" is said only of them all.
    if (present & inPeriod || isLate) withActual++;
    checkMissingActuals(lines, i, present & inPeriod, ctx.month, findings);
    if (isLate) late.push(i);
  }
  reportLate(lines, late, withActual, findings, ctx);
}

/**
 * A blank outcome month of the period on a line with outcomes in other months of it. Before the line's
 * first outcome a blank month is only suspect where the month has a budget (otherwise the line may
 * simply have started later in the year).
 */
function checkMissingActuals(
  lines: Lines,
  i: number,
  present: number,
  month: number,
  findings: Findings,
): void {
  if (present === 0 || present === (1 << month) - 1) return;
  const first = lowestBit(present);
  const budgeted = budgetedMonths(lines, i);
  const missing: number[] = [];
  for (let m = 0; m < month; m++) {
    if (!(present & (1 << m)) && (m > first || budgeted & (1 << m))) missing.push(m);
  }
  if (missing.length === 0) return;
  findings.add(
    "warning",
    "ACTUAL_MONTH_MISSING",
    `${lines.name(i)}: utfall saknas för ${monthList(missing)} men finns för andra månader i perioden; ${
      missing.length === 1 ? "månaden" : "månaderna"
    } räknas som 0. Fyll i utfallet (0 om inget har bokförts).`,
    { line: i, field: "actual", month: missing[0] + 1 },
  );
}

/** The months with a budget other than 0: the monthly budget's, else every month of a typed annual one. */
function budgetedMonths(lines: Lines, i: number): number {
  if (lines.budgetPresent[i] & MONTHS_READ) return lines.budgetNonZero[i];
  const annual = lines.typedAnnual[i];
  return Number.isNaN(annual) || annual === 0 ? 0 : 0xfff;
}

/**
 * BUDGET_MONTH_MISSING: blank months between the line's first and last budgeted month, when they are
 * few (at most a quarter of those months): one deleted cell among twelve, not a budget that is only
 * given every quarter.
 */
function checkBudgetMonths(lines: Lines, i: number, findings: Findings): void {
  const bits = lines.budgetPresent[i];
  if (!(bits & MONTHS_READ)) return;
  const present = bits & 0xfff;
  if (present === 0 || present === 0xfff) return;
  const first = lowestBit(present);
  const last = highestBit(present);
  const holes: number[] = [];
  for (let m = first + 1; m < last; m++) if (!(present & (1 << m))) holes.push(m);
  const span = last - first + 1;
  if (holes.length === 0 || 4 * holes.length > span) return;
  findings.add(
    "warning",
    "BUDGET_MONTH_MISSING",
    `${lines.name(i)}: budget saknas för ${monthList(holes)} men finns för månaderna runt ${
      holes.length === 1 ? "den" : "dem"
    }; ${holes.length === 1 ? "månaden" : "månaderna"} räknas som 0. Fyll i budgeten (0 om den ska vara 0).`,
    { line: i, field: "budget", month: holes[0] + 1 },
  );
}

const bitCount = (bits: number): number => {
  let n = 0;
  for (let b = bits; b; b &= b - 1) n++;
  return n;
};

/**
 * BUDGET_IN_ONE_MONTH: the line's whole budget in one month (the other eleven blank or 0) while its
 * outcomes run through at least three months of the period, two of them others: most often the annual
 * budget typed into the first month's column. The period budget is then the whole year's from that
 * month on, and the deviation and the forecast rest on it. A cost budgeted once for a reason (a yearly
 * fee) is booked once too, and is not flagged.
 */
function checkBudgetInOneMonth(lines: Lines, i: number, findings: Findings, ctx: MonthsContext): void {
  if (!(lines.budgetPresent[i] & MONTHS_READ) || !(lines.actualPresent[i] & MONTHS_READ)) return;
  const budgeted = lines.budgetNonZero[i] & 0xfff;
  if (budgeted === 0 || (budgeted & (budgeted - 1)) !== 0) return;
  const booked = lines.actualNonZero[i] & ((1 << ctx.month) - 1);
  if (bitCount(booked) < 3 || bitCount(booked & ~budgeted) < 2) return;
  const month = MONTHS_SV[lowestBit(budgeted)];
  findings.add(
    "warning",
    "BUDGET_IN_ONE_MONTH",
    `${lines.name(i)}: hela budgeten, ${ctx.fmt(lines.shown(i, lines.annual[i]))}, ligger i ${month} och de andra månaderna har ingen budget, men utfall finns för ${monthList(monthsOf(booked, 0, 12))}. Är årsbudgeten inskriven i kolumnen för ${month}? Periodbudgeten blir då hela årets budget; fördela den på månaderna.`,
    { line: i, field: "budget", month: lowestBit(budgeted) + 1 },
  );
}

/**
 * ACTUAL_AFTER_PERIOD: outcomes other than 0 typed for months after the period are not counted. On some
 * lines that is a slip in the line's row; on every line with outcomes, the period is most likely too
 * early, said once.
 */
function reportLate(
  lines: Lines,
  late: readonly number[],
  withActual: number,
  findings: Findings,
  ctx: MonthsContext,
): void {
  if (late.length === 0) return;
  const periodEnd = MONTHS_SV[ctx.month - 1];
  if (late.length > 1 && late.length >= withActual) {
    const last = Math.max(...late.map((i) => highestBit(lines.actualNonZero[i] & 0xfff)));
    findings.add(
      "warning",
      "ACTUAL_AFTER_PERIOD",
      `Alla rader med utfall har utfall även efter periodens slut (${periodEnd}), till och med ${MONTHS_SV[last]}; det räknas inte med. Är perioden rätt? Ändra Period om rapporten ska gälla en senare månad.`,
    );
    return;
  }
  for (const i of late) {
    const months = monthsOf(lines.actualNonZero[i], ctx.month, 12);
    const raw = isRecord(ctx.rawLines[i])
      ? prop(ctx.rawLines[i] as Record<string, unknown>, "actualMonthly")
      : null;
    const values = Array.isArray(raw) ? raw : [];
    const named = months
      .map((m) =>
        typeof values[m] === "number" ? `${MONTHS_SV[m]} ${ctx.fmt(values[m] as number)}` : MONTHS_SV[m],
      )
      .join(", ");
    findings.add(
      "warning",
      "ACTUAL_AFTER_PERIOD",
      `${lines.name(i)}: utfall för ${named} är ifyllt efter periodens slut (${periodEnd}) och räknas inte med. Är det inskrivet på fel ställe, eller är perioden fel?`,
      { line: i, field: "actual", month: months[0] + 1 },
    );
  }
}
