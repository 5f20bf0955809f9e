/**
 * Personalnyckeltal (S1 §3.1): rows of key figures with Totalt, Kvinnor and Män for this period and the
 * same period last year, section rows without values ("Hälsa"), and varav rows that split their parent
 * ("varav sjukfrånvaro <15 dagar"). Pure: rows in, classified rows and findings out.
 *
 * Percentages are fractions (94,9 % = 0.949), as Excel stores a cell formatted as percent.
 *
 * Checks (shared/DOMAIN.md §1.5, §2.3):
 * - PERSONNEL_TOTAL_MISMATCH (warning): a count whose Totalt is not Kvinnor + Män (109 + 28 = 137).
 * - PERSONNEL_PERCENT_RANGE (warning): a percentage whose Totalt lies outside Kvinnor's and Män's values
 *   (any weighted mean lies between them), allowing 0,05 percentage points for each rounded figure.
 * - PERSONNEL_PERCENT_WEIGHTED (warning): for a share of the staff (label "Andel …"), Totalt differs from
 *   the Kvinnor/Män values weighted by the table's headcount (its first count row) by more than the
 *   rounding allows (0,1 percentage point). Rates over another base (part-timers' employment rate, sick
 *   leave in hours) are only range-checked.
 * - PERSONNEL_OFWHICH_MISMATCH (warning): varav rows that do not add up to their parent as printed
 *   (2,8 + 0,8 + 1,6 = 5,2 % against 5,3 %).
 * - LABEL_LOOKALIKE (warning): a label with Cyrillic or Greek letters inside a Latin word.
 * - PERSONNEL_PERCENT_POINTS (warning): a percentage typed as percent points (94,9), read as 94,9 %.
 */
import { formatAmount, formatNumber, formatPercent } from "./format";
import { findLookAlikes, foldLookAlikes } from "./text";
import type { FindingLevel } from "./types";

export interface PersonnelFigures {
  total: number | null;
  women: number | null;
  men: number | null;
}

export interface PersonnelRow {
  label: string;
  /** Mätdatum/mätperiod as printed ("30/4", "1/12-28/2"). */
  date: string | null;
  /** Null: inferred (whole numbers above 1 → count, else percent; no values → section). */
  unit: "count" | "percent" | null;
  current: PersonnelFigures;
  lastYear: PersonnelFigures;
}

export type PersonnelField = "label" | "total" | "women" | "men" | "totalLy" | "womenLy" | "menLy";

export interface PersonnelFinding {
  level: FindingLevel;
  code: string;
  message: string;
  /** Index into the rows. */
  row: number;
  field: PersonnelField;
}

export interface PersonnelResultRow extends PersonnelRow {
  kind: "section" | "figure" | "ofWhich";
  unit: "count" | "percent" | null;
  /** For varav rows: the index of the row they split. */
  parent: number | null;
}

export interface PersonnelResult {
  rows: PersonnelResultRow[];
  findings: PersonnelFinding[];
}

const FIELDS = ["total", "women", "men"] as const;
const EPS = 1e-9;
/** Half of the printed precision of a percentage (0,1 percentage point). */
const HALF_PP = 0.0005;

function values(r: PersonnelRow): number[] {
  return [r.current, r.lastYear]
    .flatMap((f) => FIELDS.map((k) => f[k]))
    .filter((v): v is number => v !== null);
}

function inferUnit(r: PersonnelRow): "count" | "percent" | null {
  if (r.unit) return r.unit;
  const v = values(r);
  if (v.length === 0) return null;
  return v.every((x) => Number.isInteger(x)) && v.some((x) => x > 1) ? "count" : "percent";
}

const isOfWhich = (label: string) => foldLookAlikes(label).trim().toLowerCase().startsWith("varav");

/**
 * A percentage typed as percent points (94,9 for 94,9 %) in a row of percentages: read as the percentage
 * (0,949), with a warning naming the cell, as a number stored as text is read. No share of the staff or
 * of their hours exceeds 100 %, so a value above 1 and at most 100 can only be that slip. In a table
 * typed in points throughout (most of its percentages above 1), a small one is points too (0,8 beside
 * 2,0 is 0,8 %, not 80 %), unless read as a fraction it is nearer its row's points (0,958 beside 96,3: a
 * cell that was a percentage already, such as a text "95,8 %").
 */
function scalePercentPoints(
  r: PersonnelRow,
  i: number,
  inPoints: boolean,
  findings: PersonnelFinding[],
): PersonnelRow {
  const scaled = { ...r, current: { ...r.current }, lastYear: { ...r.lastYear } };
  // The row's largest value in points: a value a tenth of it or less is nearer it as a fraction.
  const largest = Math.max(0, ...values(r).filter((v) => v > 1 && v <= 100));
  for (const year of ["current", "lastYear"] as const)
    for (const key of FIELDS) {
      const v = r[year][key];
      if (v === null || v <= 0 || v > 100) continue;
      if (v <= 1 && !(inPoints && 10 * v > largest)) continue;
      // 94,9 / 100 is 0,9490000000000001 in binary; the typed precision is what the cell means.
      const ratio = Number((v / 100).toPrecision(12));
      scaled[year][key] = ratio;
      findings.push({
        level: "warning",
        code: "PERSONNEL_PERCENT_POINTS",
        message: `"${r.label}" ${periodWord(year)} (${KEY_SV[key]}): ${formatNumber(v)} är skrivet som ett tal, inte som procent; det räknas som ${formatPercent(ratio)}. Skriv ${formatPercent(ratio)} i cellen (cellen innehåller då ${formatNumber(ratio)}).`,
        row: i,
        field: `${key}${suffix(year)}` as PersonnelField,
      });
    }
  return scaled;
}

/** Whether most of the table's percentages (not zero) are above 1: the table is typed in percent points. */
function typedInPoints(input: readonly PersonnelRow[]): boolean {
  let points = 0;
  let fractions = 0;
  for (const r of input) {
    if (inferUnit(r) !== "percent") continue;
    for (const v of values(r))
      if (v > 1 && v <= 100) points++;
      else if (v > 0 && v <= 1) fractions++;
  }
  return points > fractions;
}

/** Classifies the rows and runs the checks. */
export function computePersonnel(input: readonly PersonnelRow[]): PersonnelResult {
  const findings: PersonnelFinding[] = [];
  let parent: number | null = null;
  const inPoints = typedInPoints(input);
  const rows: PersonnelResultRow[] = input.map((typed, i) => {
    const unit = inferUnit(typed);
    const r = unit === "percent" ? scalePercentPoints(typed, i, inPoints, findings) : typed;
    if (unit === null) {
      parent = null;
      return { ...r, kind: "section", unit, parent: null };
    }
    if (isOfWhich(r.label) && parent !== null) return { ...r, kind: "ofWhich", unit, parent };
    parent = i;
    return { ...r, kind: "figure", unit, parent: null };
  });
  rows.forEach((r, i) => checkLabel(r, i, findings));
  for (const year of ["current", "lastYear"] as const) {
    const headcount = rows.find((r) => r.unit === "count" && r[year].women !== null && r[year].men !== null);
    rows.forEach((r, i) => {
      if (r.kind === "section") return;
      if (r.unit === "count") checkCount(r, i, year, findings);
      else checkPercent(r, i, year, headcount ? headcount[year] : null, findings);
    });
    rows.forEach((r, i) => {
      if (r.kind === "section" || r.kind === "ofWhich") return;
      const children = rows.map((c, k) => ({ c, k })).filter(({ c }) => c.parent === i);
      if (children.length)
        checkOfWhich(
          rows,
          i,
          children.map((x) => x.k),
          year,
          findings,
        );
    });
  }
  return { rows, findings };
}

const suffix = (year: "current" | "lastYear") => (year === "current" ? "" : "Ly");
const periodWord = (year: "current" | "lastYear") => (year === "current" ? "i år" : "föregående år");
const KEY_SV = { total: "Totalt", women: "Kvinnor", men: "Män" } as const;

function show(v: number, unit: "count" | "percent" | null): string {
  return unit === "percent" ? formatPercent(v) : formatAmount(v);
}

function checkLabel(r: PersonnelRow, i: number, findings: PersonnelFinding[]): void {
  for (const x of findLookAlikes(r.label))
    findings.push({
      level: "warning",
      code: "LABEL_LOOKALIKE",
      message: `Benämningen "${r.label}" har ${x.letters.length === 1 ? "en kyrillisk eller grekisk bokstav" : "kyrilliska eller grekiska bokstäver"} (${x.letters.join(", ")}) i ordet "${x.word}", som ser ut som latinska men inte är det. Skriv om ordet: "${x.folded}".`,
      row: i,
      field: "label",
    });
}

function checkCount(
  r: PersonnelResultRow,
  i: number,
  year: "current" | "lastYear",
  out: PersonnelFinding[],
): void {
  const { total, women, men } = r[year];
  if (total === null || women === null || men === null) return;
  if (Math.abs(total - (women + men)) < EPS) return;
  out.push({
    level: "warning",
    code: "PERSONNEL_TOTAL_MISMATCH",
    message: `"${r.label}" ${periodWord(year)}: Totalt ${show(total, "count")} är inte Kvinnor + Män = ${show(women, "count")} + ${show(men, "count")} = ${show(women + men, "count")}.`,
    row: i,
    field: `total${suffix(year)}` as PersonnelField,
  });
}

function checkPercent(
  r: PersonnelResultRow,
  i: number,
  year: "current" | "lastYear",
  headcount: PersonnelFigures | null,
  out: PersonnelFinding[],
): void {
  const { total, women, men } = r[year];
  if (total === null || women === null || men === null) return;
  const field = `total${suffix(year)}` as PersonnelField;
  const lo = Math.min(women, men) - 2 * HALF_PP;
  const hi = Math.max(women, men) + 2 * HALF_PP;
  if (total < lo - EPS || total > hi + EPS) {
    out.push({
      level: "warning",
      code: "PERSONNEL_PERCENT_RANGE",
      message: `"${r.label}" ${periodWord(year)}: Totalt ${show(total, "percent")} ligger utanför Kvinnor ${show(women, "percent")} och Män ${show(men, "percent")}; ett sammanvägt värde måste ligga mellan dem.`,
      row: i,
      field,
    });
    return;
  }
  const nW = headcount?.women ?? null;
  const nM = headcount?.men ?? null;
  if (!/^andel\b/i.test(foldLookAlikes(r.label).trim()) || nW === null || nM === null || nW + nM <= 0) return;
  const expected = (women * nW + men * nM) / (nW + nM);
  if (Math.abs(total - expected) <= 2 * HALF_PP + EPS) return;
  out.push({
    level: "warning",
    code: "PERSONNEL_PERCENT_WEIGHTED",
    message: `"${r.label}" ${periodWord(year)}: Totalt ${show(total, "percent")} stämmer inte med Kvinnor ${show(women, "percent")} och Män ${show(men, "percent")} vägda med antalet anställda (${show(nW, "count")} kvinnor, ${show(nM, "count")} män), som ger ${show(expected, "percent")}.`,
    row: i,
    field,
  });
}

function checkOfWhich(
  rows: PersonnelResultRow[],
  parent: number,
  children: number[],
  year: "current" | "lastYear",
  out: PersonnelFinding[],
): void {
  const p = rows[parent];
  for (const key of FIELDS) {
    const whole = p[year][key];
    const parts = children.map((k) => rows[k][year][key]);
    if (whole === null || parts.some((v) => v === null)) continue;
    const sum = (parts as number[]).reduce((a, b) => a + b, 0);
    const unit = p.unit === "percent" ? 2 * HALF_PP : 1;
    // Compare as printed: a difference of one printed unit (0,1 percentage point) is a slip to look at.
    if (Math.abs(sum - whole) < unit / 2 - EPS) continue;
    const shown = (parts as number[]).map((v) => show(v, p.unit)).join(" + ");
    const diff =
      p.unit === "percent"
        ? `${formatAmount(Math.abs(sum - whole) * 100, { decimals: 1 })} procentenheter`
        : formatAmount(Math.abs(sum - whole));
    out.push({
      level: "warning",
      code: "PERSONNEL_OFWHICH_MISMATCH",
      message: `"${p.label}" ${periodWord(year)} (${KEY_SV[key]}): varav-raderna ${shown} = ${show(sum, p.unit)}, men raden själv är ${show(whole, p.unit)} (differens ${diff}).`,
      row: parent,
      field: `${key}${suffix(year)}` as PersonnelField,
    });
  }
}
