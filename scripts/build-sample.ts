/**
 * Builds the embedded sample and the empty template (issue 3 §4):
 * - build/sample/Uppfoljning-T1-2019.xlsx: Katrineholm Tertial 1 2019 (shared/DOMAIN.md §1.2) with monthly
 *   budgets and outcomes spread from the seed's totals (the Jan–Apr sums equal the seed exactly), the
 *   Ludvika action-plan measures (§1.7), the volume measures (§1.4) and the committee dates;
 * - build/sample/Mall.xlsx: the same names and headers with a few blank rows, for ekonomer to fill.
 *
 * The output columns Avvikelse/Prognos/Prognosavvikelse are deliberately left undefined: the three
 * columns right of Utfall are empty, so the first refresh creates them and defines the names (the
 * contract's documented path), and every later refresh finds them defined. This exercises both paths.
 *
 * Measure texts carry no letters: the action plan numbers areas and letters measures itself.
 *
 * Run: `npm run build:sample` (scripts/demo.js bundles this file with esbuild). Tests import
 * buildSample(dir) and build into a temp directory.
 */
import ExcelJS from "exceljs";
import { promises as fs } from "fs";
import JSZip from "jszip";
import * as path from "path";
import { defaultConfig, serializeConfig } from "../src/workbook/config";

export const SAMPLE_FILE = "Uppfoljning-T1-2019.xlsx";
export const SAMPLE_UNITS_FILE = "Uppfoljning-T1-2019-enheter.xlsx";
export const TEMPLATE_FILE = "Mall.xlsx";

type Kind = "intäkt" | "kostnad" | "varav" | "summa";

interface SeedLine {
  label: string;
  kind: Kind;
  /** Budget per 30/4 (Jan–Apr); the annual budget is three times it. */
  periodBudget: number;
  /** Utfall per 30/4 (Jan–Apr). */
  actual: number;
  method?: string;
  /** Forecast deviation for the year, given as a manual full-year forecast = annual budget + this. */
  manualDeviation?: number;
  comment?: string;
  /** Ansvar (the unit), in the variant with units. */
  orgUnit?: string;
}

/**
 * S1 §4.1 (tkr). "varav övriga kostnader" uses the corrected outcome −8 276: the printed 8 276 lacks its
 * sign (a typo in the Word report; the varav rows only foot to the parent with −8 276). The Summa row is
 * typed with the seed's printed figures, so the check reports the ±1 rounding (−75 094 printed,
 * −75 093 computed).
 */
export const SEED_LINES: SeedLine[] = [
  { label: "Verksamhetens intäkter", kind: "intäkt", periodBudget: 9558, actual: 11890, method: "budget", comment: "Högre intäkter från Migrationsverket än budgeterat." },
  { label: "Verksamhetens kostnader", kind: "kostnad", periodBudget: -69761, actual: -86983 },
  { label: "varav ekonomiskt bistånd", kind: "varav", periodBudget: -16653, actual: -20903, manualDeviation: -8000, comment: "Fler hushåll med långvarigt bistånd." },
  { label: "varav köpt huvudverksamhet (placeringar)", kind: "varav", periodBudget: -12805, actual: -24054, manualDeviation: -23000, comment: "Fler externa placeringar av barn och unga." },
  { label: "varav personalkostnader inkl ers familjehem", kind: "varav", periodBudget: -31811, actual: -29743, manualDeviation: 6700, comment: "Vakanser; överskottet är ca 500 tkr per månad." },
  { label: "varav utredningskonsulter", kind: "varav", periodBudget: 0, actual: -4007, manualDeviation: -8000, comment: "Konsulterna är inte budgeterade." },
  { label: "varav övriga kostnader", kind: "varav", periodBudget: -8492, actual: -8276, method: "noll" },
  { label: "Summa", kind: "summa", periodBudget: -60203, actual: -75094 },
]; // prettier-ignore

/**
 * The variant with units: the four units S3 reports one by one, with illustrative shares of every figure
 * (the seed gives only the whole). Each line is split by `spread`, so the units' lines add up exactly to
 * the seed's, and the consolidated Driftsredovisning equals the one of the flat sample (but for the
 * forecast rounding, which is per line and so per unit). Every line is split on its own, so within a unit
 * the varav lines may be one tkr off their parent, as in real ledgers; Kontroller shows that as rounding.
 */
export const SAMPLE_UNITS: [string, number][] = [
  ["Myndighetsavdelningen", 55],
  ["Vårnäs", 20],
  ["Mercur", 15],
  ["Klivet", 10],
];

/** Each unit's share of the seed lines, then "Summa <unit>"; the whole's Summa line last, as typed in the seed. */
export function unitSeedLines(): SeedLine[] {
  const weights = SAMPLE_UNITS.map(([, w]) => w);
  const parts = SEED_LINES.filter((l) => l.kind !== "summa").map((l) => ({
    line: l,
    budget: spread(l.periodBudget, weights),
    actual: spread(l.actual, weights),
    manual: l.manualDeviation === undefined ? null : spread(l.manualDeviation, weights),
  }));
  const out: SeedLine[] = [];
  SAMPLE_UNITS.forEach(([unit], u) => {
    const own = parts.map(({ line, budget, actual, manual }): SeedLine => {
      const part: SeedLine = { ...line, periodBudget: budget[u], actual: actual[u], orgUnit: unit };
      if (manual) part.manualDeviation = manual[u];
      return part;
    });
    const base = own.filter((l) => l.kind !== "varav");
    const sum = (pick: (l: SeedLine) => number) => base.reduce((a, l) => a + pick(l), 0);
    out.push(...own, {
      label: `Summa ${unit}`,
      kind: "summa",
      periodBudget: sum((l) => l.periodBudget),
      actual: sum((l) => l.actual),
      orgUnit: unit,
    });
  });
  out.push(SEED_LINES[SEED_LINES.length - 1]);
  return out;
}

/** Splits a total into n integers by weights; the last takes the remainder so the sum is exact. */
export function spread(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.round((total * w) / sum));
  parts[parts.length - 1] += total - parts.reduce((a, b) => a + b, 0);
  return parts;
}

/** Twelve monthly budgets: Jan–Apr sum to the period budget, and the pattern repeats so the year is 3×. */
export function monthlyBudget(periodBudget: number): number[] {
  const four = spread(periodBudget, [1, 1, 1, 1]);
  return [...four, ...four, ...four];
}

/** Twelve monthly outcomes: Jan–Apr sum exactly to the seed's outcome, later months empty. */
export function monthlyActual(actual: number): (number | null)[] {
  return [...spread(actual, [23, 24, 26, 27]), ...Array<null>(8).fill(null)];
}

/** Last year's (2018) and the year before's (2017) monthly outcomes and 2018's annual budget, in tkr. */
interface History {
  lastYear: number[];
  older: number[];
  budget: number;
}

const DAYS_2018 = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Made-up history for the backtest (the seeds have no monthly 2018 figures), shaped the way the seeds
 * describe the lines: grants paid per quarter, bistånd that varies with the days in the month and is
 * high in winter, placements paid per day with the number placed growing, salaries with the summer's
 * vacations, consultants hired only in the autumn, other costs flat. Totals and parents are sums.
 */
export const SAMPLE_HISTORY: Record<string, History> = {
  "Verksamhetens intäkter": {
    lastYear: [3000, 3000, 9500, 3000, 3000, 9800, 2800, 2800, 9600, 3000, 3000, 11800],
    older: [3300, 3200, 10400, 3300, 3300, 10600, 3100, 3100, 10500, 3300, 3300, 12800],
    budget: 50000,
  },
  "varav ekonomiskt bistånd": {
    lastYear: [-5200, -4700, -5300, -4600, -4700, -4900, -5200, -5000, -4500, -4600, -4700, -5600],
    older: [-4900, -4500, -5000, -4400, -4500, -4600, -5000, -4700, -4300, -4400, -4500, -5300],
    budget: -52000,
  },
  "varav köpt huvudverksamhet (placeringar)": {
    lastYear: DAYS_2018.map((d, t) => -Math.round((6 + 0.25 * t) * 18 * d)),
    older: DAYS_2018.map((d, t) => -Math.round((5 + 0.1 * t) * 18 * d)),
    budget: -30000,
  },
  "varav personalkostnader inkl ers familjehem": {
    lastYear: [-7900, -7900, -7950, -7900, -7950, -8500, -5500, -8500, -7950, -7950, -8000, -8200],
    older: [-7600, -7600, -7650, -7600, -7650, -8200, -5300, -8200, -7650, -7650, -7700, -7900],
    budget: -95000,
  },
  "varav utredningskonsulter": {
    lastYear: [0, 0, 0, 0, 0, 0, 0, 0, -1200, -1500, -1600, -1700],
    older: Array<number>(12).fill(0),
    budget: 0,
  },
  "varav övriga kostnader": {
    lastYear: [-2080, -2120, -2100, -2090, -2110, -2100, -2050, -2150, -2100, -2100, -2080, -2122],
    older: [-2000, -2050, -2020, -2010, -2030, -2020, -1980, -2060, -2020, -2020, -2000, -2040],
    budget: -20500,
  },
};

const addMonths = (a: number[], b: number[]) => a.map((x, t) => x + b[t]);

/**
 * Each line's history: its own (`own`), or for a parent and a Summa line the sum of the lines it adds up
 * (a Summa line with a unit: that unit's lines; without: all lines).
 */
export function historyOf(
  lines: SeedLine[],
  own: (line: SeedLine) => History | null = (l) => SAMPLE_HISTORY[l.label] ?? null,
): (History | null)[] {
  const zero = (): History => ({ lastYear: Array(12).fill(0), older: Array(12).fill(0), budget: 0 });
  const add = (a: History, b: History): History => ({
    lastYear: addMonths(a.lastYear, b.lastYear),
    older: addMonths(a.older, b.older),
    budget: a.budget + b.budget,
  });
  const out: (History | null)[] = lines.map(own);
  const totals = new Map<string, History>();
  const total = (key: string) => totals.get(key) ?? zero();
  lines.forEach((line, i) => {
    if (line.kind === "kostnad" && out[i] === null) {
      let sum = zero();
      for (let k = i + 1; k < lines.length && lines[k].kind === "varav"; k++) sum = add(sum, out[k]!);
      out[i] = sum;
    }
    if (line.kind === "summa") out[i] = total(line.orgUnit ?? "");
    else if (line.kind !== "varav" && out[i])
      for (const key of new Set(["", line.orgUnit ?? ""])) totals.set(key, add(total(key), out[i]!));
  });
  return out;
}

/**
 * The variant with units: each unit's share of every line's history, month by month by the units'
 * weights (as unitSeedLines splits the figures), so the units' histories add up to the seed's.
 */
export function unitHistoryOf(lines: SeedLine[]): (History | null)[] {
  const weights = SAMPLE_UNITS.map(([, w]) => w);
  const unitOf = new Map(SAMPLE_UNITS.map(([unit], u) => [unit, u]));
  const share = (x: number, u: number) => spread(x, weights)[u];
  return historyOf(lines, (l) => {
    const h = SAMPLE_HISTORY[l.label];
    const u = l.orgUnit === undefined ? undefined : unitOf.get(l.orgUnit);
    if (!h || u === undefined) return null;
    return {
      lastYear: h.lastYear.map((x) => share(x, u)),
      older: h.older.map((x) => share(x, u)),
      budget: share(h.budget, u),
    };
  });
}

/**
 * Prognoslogg as it stood after 2018's twelve monthly refreshes (tkr): the year ended 21,1 mkr under
 * budget (S3: "underskottet 2018 på 21,1 mkr"); the forecast came closer month by month. The deviation
 * to date is SAMPLE_HISTORY's 2018 months against its budgets by twelfths (rounded to 100), so the
 * log, the backtest's "Utfall 2018" and the year's outcome tell one story: -168 600 against -147 500.
 */
export const SAMPLE_LOG_2018: [string, number, number][] = [
  ["2018-01", -3200, -5000],
  ["2018-02", -5800, -8000],
  ["2018-03", -3000, -12000],
  ["2018-04", -5900, -14500],
  ["2018-05", -9300, -16000],
  ["2018-06", -6600, -17500],
  ["2018-07", -8500, -18000],
  ["2018-08", -13400, -19500],
  ["2018-09", -11500, -20000],
  ["2018-10", -17000, -20800],
  ["2018-11", -22700, -21000],
  ["2018-12", -21100, -21100],
];

const MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];

// Column layout of Underlag (1-based): A Post, B Radtyp, C–N Budget, O–Z Utfall, AA–AC output, AD–AF,
// AG Ansvar (in the template and the variant with units), then last year's budget (AH), last year's months
// (AI–AT) and the year before's (AU–BF).
const COL = { post: 1, kind: 2, budget: 3, actual: 15, output: 27, method: 30, manual: 31, comment: 32, orgUnit: 33, lastYearBudget: 34, lastYear: 35, older: 47 }; // prettier-ignore
const HEADER_ROW = 9;
const FIRST_LINE_ROW = 10;

export interface SampleMeasure {
  area: string;
  text: string;
  amount: number | string | null;
  type: "prognos" | "beslutad";
  /** The ledger line the measure concerns (the action plan says "Prognos utebliven kostnad för <post>"). */
  post?: string;
}

/** S0 (Ludvika), amounts in tkr on each area's first measure; none is counted into the forecast yet. */
export const SAMPLE_MEASURES: SampleMeasure[] = [
  { area: "Organisationsförändringar m.m", text: "Renodla enheterna som har myndighetsutövning och öppenvård.", amount: null, type: "prognos" },
  { area: "", text: "Inre omstrukturering i stöd- och försörjningsenheten: arbetslinjen och vägledningsteamet.", amount: null, type: "prognos" },
  { area: "", text: "En socialsekreterartjänst på familjerätts- och familjehemsenheten omvandlas till 1:e socialsekreterare.", amount: null, type: "prognos" },
  { area: "", text: "Utveckla den systematiska uppföljningen till barn- och ungdomsvården, missbruksvården och öppenvården.", amount: null, type: "prognos" },
  { area: "Lagtolkning av rätten till ekonomiskt bistånd och övriga insatser för att minska ekonomiskt bistånd, exkl. Ludvikamodellen", text: "Utbildningssatsning och fokus på rättssäker handläggning gällande rätten till bistånd.", amount: 1200, type: "prognos", post: "varav ekonomiskt bistånd" },
  { area: "", text: "Ökat ansvar för den enskilde med krav på daglig sysselsättning där det är möjligt.", amount: null, type: "prognos" },
  { area: "", text: "Deltagande i SKL:s treåriga projekt för att minska långvarigt ekonomiskt bistånd.", amount: null, type: "prognos" },
  { area: "", text: "Söka projektmedel hos Finsam för att arbeta med utlandsfödda kvinnor.", amount: null, type: "prognos" },
  { area: "", text: "Undersöka en utbildningssatsning med AME, Borlänge kommun och Fornby folkhögskola.", amount: null, type: "prognos" },
  { area: "", text: "Automatiserad handläggning av ekonomiskt bistånd.", amount: null, type: "prognos" },
  { area: "Stödboendeverksamheten", text: "Stödboendet utvecklas för en större målgrupp, som alternativ till placering och som utsluss.", amount: 1000, type: "prognos" },
  { area: "Vuxenplaceringar", text: "Fördjupad analys av beslutade vuxenplaceringar för att kunna arbeta på hemmaplan till lägre kostnad.", amount: "Summa ges efter analysen", type: "prognos" },
  { area: "Barn och ungdomsplaceringar", text: "Fördjupad analys av barn- och ungdomsplaceringar; utveckla den egna familjehemsbanken.", amount: 300, type: "prognos" },
  { area: "", text: "Öppenvården: ett ungdomsteam för att tidigare upptäcka problem och erbjuda tidigare insatser.", amount: null, type: "prognos" },
  { area: "", text: "IFO-skola: intensifierad samverkan på alla nivåer för att minska framtida kostsamma åtgärder.", amount: null, type: "prognos" },
  { area: "Ludvikamodellen", text: "Intensifiera och vidareutveckla arbetet med Ludvikamodellen för fler i egen försörjning.", amount: 5500, type: "beslutad" },
]; // prettier-ignore

/** S0's follow-up meetings: Återrapport 1–5, numbered the same in every period of the year. */
export const COMMITTEE_DATES = ["2019-06-12", "2019-09-04", "2019-10-09", "2019-11-06", "2019-12-11"];

type VolumeType = "flöde" | "stock" | "snitt";

/** S1 §1.2 (the OCR typo "vårdryggn" corrected to "vårddygn"). */
export const SAMPLE_VOLUMES: [
  string,
  VolumeType,
  number,
  number | null,
  number | string,
  string?,
  string?,
][] = [
  ["Antal hushåll som beviljats ekonomiskt bistånd, genomsnitt per månad", "snitt", 602, 550, 599],
  ["Antal ensamkommande barn och unga", "stock", 45, 35, 49],
  ["Antal utnyttjade vårddygn i familjehem, ensamkommande barn och unga", "flöde", 4518, 12000, 14944],
  ["Antal utnyttjade vårddygn i stödboende/HVB, ensamkommande barn och unga", "flöde", 1065, 4000, 4571],
  ["Antal utnyttjade vårddygn i familjehem, barn och unga exkl ensamkommande", "flöde", 8684, 22000, 24078],
  ["Antal utnyttjade vårddygn på institution, barn och unga exkl ensamkommande", "flöde", 1878, 7000, 6649],
  ["Antal utnyttjade vårddygn på institution, vuxna", "flöde", 2567, 7000, 7690],
  ["Antal utnyttjade vårddygn på Vårnäs, öppet intag", "flöde", 643, 1300, 1238],
  ["Antal pågående insatser, kontaktfamiljer/kontaktpersoner", "stock", 56, 100, 81],
  ["Antal ärenden spelmissbruk", "flöde", 4, null, "Nytt mått"],
  ["Antal kvinnofridsärenden", "flöde", 22, 140, 125],
  ["Antal sociala kontrakt", "stock", 96, 90, 94],
  ["Antal stadigvarande serveringstillstånd", "stock", 30, 35, 30],
  ["Antal inkomna aktualiseringar", "flöde", 1575, 5000, 4314],
  ["Antal startade utredningar", "flöde", 620, 2200, 2005],
  ["Antal avslutade utredningar", "flöde", 691, 2000, 1940],
  // Tied to its flows (Inflöde/Utflöde): the stock-flow check reports the seed's 1 040 (449 + 620 − 691 = 378).
  [
    "Antal pågående utredningar",
    "stock",
    1040,
    450,
    449,
    "Antal startade utredningar",
    "Antal avslutade utredningar",
  ],
];

/**
 * S1 §4.2 (tkr): annual budgets 399, 474 and 1 200 give the printed period budgets 133, 158 and 400 at
 * 30/4; forecasts as S1's deviations (0 for the delayed projects, +600 for a partial spend).
 */
export const SAMPLE_INVESTMENTS: [string, number, number, number | null, string | null][] = [
  [
    "Digitalisering/utveckling datorprogram",
    -399,
    0,
    null,
    "Projektet är inlett men huvuddelen av arbetet kommer att ske under hösten.",
  ],
  ["Möbler och inventarier ny våning", -474, 0, 0, "Leverans sker under sommaren."],
  ["Arbetsmiljöinvesteringar", -1200, 0, 600, "Hälften av arbetsmiljöinvesteringarna genomförs i år."],
];

type P = number | null;
/**
 * S1 §3.1 as printed, the seed's two slips included so the checks show them: the Cyrillic "сан" in
 * "deltidсанställning" (U+0441 U+0430 U+043D) and the varav sick-leave rows 2,8 + 0,8 + 1,6 = 5,2 %
 * under 5,3 %. Percentages as fractions (Excel's percent cells).
 */
export const SAMPLE_PERSONNEL: [string, string | null, P, P, P, P, P, P][] = [
  ["Attraktiv arbetsgivare", null, null, null, null, null, null, null],
  ["Antal månadsanställda personer", "30/4", 137, 109, 28, 143, 108, 35],
  ["Andel månadsanställda som arbetar heltid", "30/4", 0.949, 0.963, 0.893, 0.958, 0.982, 0.886],
  [
    "Genomsnittlig sysselsättningsgrad, månadsanställda med deltid\u0441\u0430\u043dställning",
    "30/4",
    0.771,
    0.813,
    0.717,
    0.683,
    0.825,
    0.613,
  ],
  ["Hälsa", null, null, null, null, null, null, null],
  ["Total sjukfrånvaro", "1/12-28/2", 0.052, 0.05, 0.058, 0.07, 0.069, 0.075],
  ["Sjukfrånvaro månadsanställda", "1/12-28/2", 0.053, null, null, 0.073, null, null],
  ["varav sjukfrånvaro <15 dagar", "1/12-28/2", 0.028, null, null, 0.033, null, null],
  ["varav sjukfrånvaro 15-90 dagar", "1/12-28/2", 0.008, null, null, 0.02, null, null],
  ["varav sjukfrånvaro >90 dagar", "1/12-28/2", 0.016, null, null, 0.02, null, null],
  ["Personalkostnader", null, null, null, null, null, null, null],
  ["Sjuklönekostnad som andel av total lönekostnad", "1/1-30/4", 0.02, null, null, 0.018, null, null],
  [
    "Kostnad övertid inkl mertid som andel av total lönekostnad",
    "1/1-30/4",
    0.004,
    null,
    null,
    0.003,
    null,
    null,
  ],
];

/**
 * The log of earlier periods, as a refresh would have left it. February from S3 (the same
 * förvaltning): its deviations to date per line in mkr ("intäkter -1 mkr, konsultkostnader -2 mkr,
 * försörjningsstöd -1,8 mkr, köp av huvudverksamhet -5,8 mkr, personalkostnader +1 mkr, diverse
 * kostnader +1,2 mkr", total -8,4) and its full-year forecast "i storleksordningen -30 mkr". S3 gives no
 * forecast per line: the February line forecasts below are illustrative, chosen to sum to -30 000.
 * March has only S1's deviation to date ("januari till mars ett underskott om 12 048 tkr").
 */
export const SAMPLE_LOG = {
  net: [
    ["2019-02", -8400, -30000, 0],
    ["2019-03", -12048, null, null],
  ] as [string, number, number | null, number | null][],
  february: [
    ["Verksamhetens intäkter", "revenue", -1000, 0],
    ["Verksamhetens kostnader", "cost", -7400, -30000],
    ["varav ekonomiskt bistånd", "ofWhich", -1800, -6000],
    ["varav köpt huvudverksamhet (placeringar)", "ofWhich", -5800, -20000],
    ["varav personalkostnader inkl ers familjehem", "ofWhich", 1000, 4000],
    ["varav utredningskonsulter", "ofWhich", -2000, -8000],
    ["varav övriga kostnader", "ofWhich", 1200, 0],
    ["Summa", "total", -8400, -30000],
  ] as [string, string, number, number][],
};

const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };
const INPUT_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFF2CC" } };

function header(cell: ExcelJS.Cell, text: string): void {
  cell.value = text;
  cell.font = { bold: true };
  cell.fill = HEADER_FILL;
  cell.alignment = { wrapText: true, vertical: "top" };
}

function isoToDate(iso: string): Date {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function abs(sheet: string, col: number, row: number, col2 = col, row2 = row): string {
  const letters = (c: number) => {
    let s = "";
    for (let n = c; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    return s;
  };
  const a = `$${letters(col)}$${row}`;
  const b = `$${letters(col2)}$${row2}`;
  const q = /^[A-Za-z_][A-Za-z0-9_]*$/.test(sheet) ? sheet : `'${sheet}'`;
  return `${q}!${a === b ? a : `${a}:${b}`}`;
}

interface Content {
  lines: SeedLine[] | null;
  blankLines: number;
  measures: SampleMeasure[] | null;
  volumes: typeof SAMPLE_VOLUMES | null;
  investments: typeof SAMPLE_INVESTMENTS | null;
  personnel: typeof SAMPLE_PERSONNEL | null;
  dates: string[] | null;
  period: Date | null;
  unit: string;
  rounding: number | null;
  target: number | null;
  /**
   * The cell named Verksamhet, and in the samples also the pane's stored setting (Åtgärdsplan title and
   * summary, page headers, the Word report's heading).
   */
  verksamhet?: string;
  /** The Ansvar columns (Underlag and Åtgärder) and names; the lines' and measures' units fill them. */
  units: boolean;
  /** The unit of each measure (same order as `measures`), in the variant with units. */
  measureUnits?: (string | null)[];
}

function instructions(wb: ExcelJS.Workbook, template: boolean): void {
  const s = wb.addWorksheet("Instruktion");
  s.getColumn(1).width = 110;
  const text = [
    template ? "Uppföljningsmall – budgetuppföljning och helårsprognos" : "Exempel: uppföljning Tertial 1 2019 (Katrineholm, åtgärder från Ludvika)",
    "",
    "Så här används arbetsboken:",
    "1. Fyll i Period (sista dagen i rapportmånaden), Enhet (kr, tkr eller mkr), Avrundning, Balansmål och Verksamhet",
    "   (t.ex. Social välfärd: rapportens rubrik och sidhuvud) på bladet Underlag.",
    "2. Fyll i en rad per post: Post, Radtyp (intäkt, kostnad, varav, summa), budget och utfall per månad (jan–dec).",
    "   Intäkter anges positiva och kostnader negativa. Månader efter perioden lämnas tomma.",
    "3. Välj prognosmetod per rad i kolumnen Metod (linjär, dagar, budget, säsong, trend, noll, manuell) eller skriv en egen",
    "   helårsprognos i ManuellPrognos. Kommentaren följer med till driftsredovisningen.",
    "   Följer ni upp flera enheter i samma arbetsbok: skriv enhetens namn i kolumnen Ansvar (varav-rader kan lämnas",
    "   tomma). Driftsredovisningen får då en sammanställning och ett avsnitt per enhet. Lämnas Ansvar tom gäller allt helheten.",
    "4. Fyll i åtgärder, nämndmöten och volymmått på bladen Åtgärder och Volymer, investeringarna på bladet",
    "   Investeringar och personalnyckeltalen på bladet Personal. En stock i Volymer kan knytas till sina flöden",
    "   (kolumnerna Inflöde och Utflöde, flödenas namn); då kontrolleras att fjolårets värde + inflöden − utflöden = utfallet.",
    "   Kolumnen Ansvar på bladet Åtgärder knyter en åtgärd till en enhet.",
    "5. Kör Uppdatera i tillägget (eller: npx uppfoljaren refresh IN.xlsx --out UT.xlsx).",
    "",
    "Uppföljaren fyller kolumnerna Avvikelse, Prognos och Prognosavvikelse till höger om utfallet och skriver",
    "bladen Sammanfattning, Driftsredovisning, Investeringsredovisning, Personalnyckeltal, Åtgärdsplan, Volymmått,",
    "Kontroller och Prognoslogg (och det dolda bladet Prognoslogg_rader). De bladen skrivs om vid varje uppdatering;",
    "texterna i de gula rutorna (sammanfattningen och kommentarerna) behålls. Allt annat i arbetsboken lämnas orört.",
    "Rapporten som Word-dokument: npx uppfoljaren rapport IN.xlsx --out RAPPORT.docx.",
    "",
    "Namngivna områden (Formler > Namnhanteraren): Poster, Radtyp, Budget, Utfall, Metod, ManuellPrognos, Kommentar,",
    "Period, Enhet, Avrundning, Balansmal, Verksamhet, Atgarder, Namndmoten, Volymer, Investeringar, Personal,",
    "UtfallFgAr, UtfallFgAr2, BudgetFgAr (och Ansvar, när kolumnen finns).",
    "",
    "Fjolårets och förrfjolårets månadsutfall (UtfallFgAr, UtfallFgAr2) och fjolårets budget (BudgetFgAr) används för",
    "bladet Prognossäkerhet: varje metod provas på fjolåret, och tillägget föreslår den som hade träffat bäst.",
  ]; // prettier-ignore
  text.forEach((t, i) => (s.getCell(i + 1, 1).value = t));
  s.getCell(1, 1).font = { bold: true, size: 14 };
  s.getCell(3, 1).font = { bold: true };
}

function underlag(wb: ExcelJS.Workbook, c: Content): void {
  const s = wb.addWorksheet("Underlag", { views: [{ state: "frozen", xSplit: 1, ySplit: HEADER_ROW }] });
  s.getCell("A1").value = c.lines ? "Uppföljning Tertial 1 2019 – Socialförvaltningen (tkr)" : "Uppföljning";
  s.getCell("A1").font = { bold: true, size: 14 };
  const params: [string, string, ExcelJS.CellValue, string?][] = [
    ["Period", "Period (sista dag i rapportmånaden)", c.period, "yyyy-mm-dd"],
    ["Enhet", "Enhet (kr, tkr, mkr)", c.unit],
    ["Avrundning", "Avrundning av prognosavvikelser", c.rounding, "#,##0"],
    ["Balansmal", "Balansmål (ekonomi i balans)", c.target, "#,##0;-#,##0;0"],
    ["Verksamhet", "Verksamhet (rapportens rubrik)", c.verksamhet ?? null],
  ];
  params.forEach(([name, label, value, fmt], i) => {
    const row = 3 + i;
    s.getCell(row, 1).value = label;
    const cell = s.getCell(row, 2);
    cell.value = value;
    cell.fill = INPUT_FILL;
    if (fmt) cell.numFmt = fmt;
    wb.definedNames.add(abs("Underlag", 2, row), name);
  });
  s.getCell(HEADER_ROW - 1, COL.budget).value = "Budget per månad";
  s.getCell(HEADER_ROW - 1, COL.actual).value = "Utfall per månad";
  s.getCell(HEADER_ROW - 1, COL.output).value = "Fylls av Uppföljaren";
  for (const col of [COL.budget, COL.actual, COL.output])
    s.getCell(HEADER_ROW - 1, col).font = { italic: true };
  header(s.getCell(HEADER_ROW, COL.post), "Post");
  header(s.getCell(HEADER_ROW, COL.kind), "Radtyp");
  MONTHS.forEach((m, i) => {
    header(s.getCell(HEADER_ROW, COL.budget + i), `Budget ${m}`);
    header(s.getCell(HEADER_ROW, COL.actual + i), `Utfall ${m}`);
  });
  header(s.getCell(HEADER_ROW, COL.method), "Metod");
  header(s.getCell(HEADER_ROW, COL.manual), "ManuellPrognos");
  header(s.getCell(HEADER_ROW, COL.comment), "Kommentar");
  if (c.units) {
    header(s.getCell(HEADER_ROW, COL.orgUnit), "Ansvar");
    s.getColumn(COL.orgUnit).width = 24;
  }
  header(s.getCell(HEADER_ROW, COL.lastYearBudget), "Budget fg år");
  s.getCell(HEADER_ROW - 1, COL.lastYear).value = "Utfall föregående år per månad";
  s.getCell(HEADER_ROW - 1, COL.older).value = "Utfall för två år sedan per månad";
  MONTHS.forEach((m, i) => {
    header(s.getCell(HEADER_ROW, COL.lastYear + i), `Fg år ${m}`);
    header(s.getCell(HEADER_ROW, COL.older + i), `Två år sedan ${m}`);
  });
  s.getColumn(COL.post).width = 44;
  s.getColumn(COL.kind).width = 10;
  for (let i = 0; i < 24; i++) s.getColumn(COL.budget + i).width = 11;
  for (let i = 0; i < 3; i++) s.getColumn(COL.output + i).width = 14;
  s.getColumn(COL.method).width = 10;
  s.getColumn(COL.manual).width = 15;
  s.getColumn(COL.comment).width = 50;
  for (let i = 0; i < 25; i++) s.getColumn(COL.lastYearBudget + i).width = 11;

  const rows = c.lines?.length ?? c.blankLines;
  // Last year's figures are the seed's per label, split over the units in the variant with units.
  const histories = c.lines ? (c.units ? unitHistoryOf(c.lines) : historyOf(c.lines)) : [];
  // Running sums of the lines a typed Summa line totals: per unit (reset at the unit's Summa), and all.
  const sumsByUnit = new Map<string, { budget: number[]; actual: number[] }>();
  const sumsOf = (key: string) => {
    let x = sumsByUnit.get(key);
    if (!x)
      sumsByUnit.set(key, (x = { budget: Array<number>(12).fill(0), actual: Array<number>(12).fill(0) }));
    return x;
  };
  for (let i = 0; i < rows; i++) {
    const row = FIRST_LINE_ROW + i;
    const line = c.lines?.[i];
    for (let k = 0; k < 24; k++) s.getCell(row, COL.budget + k).numFmt = "#,##0;-#,##0;0";
    s.getCell(row, COL.manual).numFmt = "#,##0;-#,##0;0";
    s.getCell(row, COL.method).dataValidation = {
      type: "list",
      allowBlank: true,
      formulae: ['"linjär,dagar,budget,säsong,trend,noll,manuell"'],
    };
    if (!line) continue;
    s.getCell(row, COL.post).value = line.label;
    s.getCell(row, COL.kind).value = line.kind;
    if (line.kind === "varav") s.getCell(row, COL.post).alignment = { indent: 1 };
    if (line.kind === "summa") s.getRow(row).font = { bold: true };
    let budget = monthlyBudget(line.periodBudget);
    let actual = monthlyActual(line.actual);
    if (line.orgUnit) s.getCell(row, COL.orgUnit).value = line.orgUnit;
    if (line.kind === "summa") {
      // The typed total: monthly budgets are the components' sums (so it foots), the outcome takes the
      // seed's printed total, which is one off the components because of rounding.
      const sums = sumsOf(line.orgUnit ?? "");
      if (line.orgUnit) sumsByUnit.delete(line.orgUnit);
      budget = sums.budget;
      actual = [...sums.actual.slice(0, 3), line.actual - sums.actual.slice(0, 3).reduce((a, b) => a + b, 0)];
      actual.push(...Array<null>(8).fill(null));
    } else if (line.kind !== "varav") {
      for (const sums of line.orgUnit ? [sumsOf(""), sumsOf(line.orgUnit)] : [sumsOf("")]) {
        budget.forEach((v, k) => (sums.budget[k] += v));
        actual.forEach((v, k) => (sums.actual[k] += v ?? 0));
      }
    }
    budget.forEach((v, k) => (s.getCell(row, COL.budget + k).value = v));
    actual.forEach((v, k) => (s.getCell(row, COL.actual + k).value = v));
    if (line.method) s.getCell(row, COL.method).value = line.method;
    if (line.manualDeviation !== undefined)
      s.getCell(row, COL.manual).value = line.periodBudget * 3 + line.manualDeviation;
    if (line.comment) s.getCell(row, COL.comment).value = line.comment;
    const history = histories[i];
    if (history) {
      s.getCell(row, COL.lastYearBudget).value = history.budget;
      history.lastYear.forEach((v, k) => (s.getCell(row, COL.lastYear + k).value = v));
      history.older.forEach((v, k) => (s.getCell(row, COL.older + k).value = v));
    }
  }
  const last = FIRST_LINE_ROW + rows - 1;
  const names: [string, number, number][] = [
    ["Poster", COL.post, COL.post],
    ["Radtyp", COL.kind, COL.kind],
    ["Budget", COL.budget, COL.budget + 11],
    ["Utfall", COL.actual, COL.actual + 11],
    ["Metod", COL.method, COL.method],
    ["ManuellPrognos", COL.manual, COL.manual],
    ["Kommentar", COL.comment, COL.comment],
    ["BudgetFgAr", COL.lastYearBudget, COL.lastYearBudget],
    ["UtfallFgAr", COL.lastYear, COL.lastYear + 11],
    ["UtfallFgAr2", COL.older, COL.older + 11],
  ];
  if (c.units) names.push(["Ansvar", COL.orgUnit, COL.orgUnit]);
  for (const [name, c1, c2] of names)
    wb.definedNames.add(abs("Underlag", c1, FIRST_LINE_ROW, c2, last), name);
}

function atgarder(wb: ExcelJS.Workbook, c: Content): void {
  const s = wb.addWorksheet("Åtgärder");
  s.getCell("A1").value = "Åtgärder (tkr) och nämndmöten";
  s.getCell("A1").font = { bold: true, size: 14 };
  const heads = ["Område", "Åtgärd", "Belopp", "Typ", "Inräknad", "Post", ...(c.units ? ["Ansvar"] : [])];
  heads.forEach((h, i) => header(s.getCell(3, i + 1), h));
  const measures = c.measures ?? [];
  const rows = Math.max(measures.length, c.blankLines);
  for (let i = 0; i < rows; i++) {
    const m = measures[i];
    const row = 4 + i;
    s.getCell(row, 3).numFmt = "#,##0";
    if (!m) continue;
    s.getCell(row, 1).value = m.area || null;
    s.getCell(row, 2).value = m.text;
    s.getCell(row, 3).value = m.amount;
    s.getCell(row, 4).value = m.type;
    s.getCell(row, 5).value = "nej";
    if (m.post) s.getCell(row, 6).value = m.post;
    if (c.measureUnits?.[i]) s.getCell(row, 7).value = c.measureUnits[i];
  }
  wb.definedNames.add(abs("Åtgärder", 1, 3, heads.length, 3 + rows), "Atgarder");
  s.getColumn(1).width = 40;
  s.getColumn(2).width = 80;
  s.getColumn(3).width = 24;
  s.getColumn(4).width = 10;
  s.getColumn(5).width = 10;
  s.getColumn(6).width = 28;
  if (c.units) s.getColumn(7).width = 24;

  const datesCol = heads.length + 1; // right of the measures' columns (F Post, G Ansvar when present)
  header(s.getCell(3, datesCol), "Nämndmöten");
  const dates = c.dates ?? [];
  const n = Math.max(dates.length, 6);
  for (let i = 0; i < n; i++) {
    const cell = s.getCell(4 + i, datesCol);
    cell.numFmt = "yyyy-mm-dd";
    if (dates[i]) cell.value = isoToDate(dates[i]);
  }
  s.getColumn(datesCol).width = 14;
  wb.definedNames.add(abs("Åtgärder", datesCol, 4, datesCol, 3 + n), "Namndmoten");
}

function volymer(wb: ExcelJS.Workbook, c: Content): void {
  const s = wb.addWorksheet("Volymer");
  s.getCell("A1").value = "Volymmått";
  s.getCell("A1").font = { bold: true, size: 14 };
  ["Volymmått", "Typ", "Utfall", "Prognos", "Utfall fg år", "Inflöde", "Utflöde"].forEach((h, i) =>
    header(s.getCell(3, i + 1), h),
  );
  const volumes = c.volumes ?? [];
  const rows = Math.max(volumes.length, c.blankLines);
  for (let i = 0; i < rows; i++) {
    const v = volumes[i];
    if (!v) continue;
    v.forEach((x, k) => (s.getCell(4 + i, k + 1).value = x));
  }
  s.getColumn(1).width = 70;
  for (let k = 2; k <= 5; k++) s.getColumn(k).width = 12;
  for (let k = 6; k <= 7; k++) s.getColumn(k).width = 30;
  wb.definedNames.add(abs("Volymer", 1, 3, 7, 3 + rows), "Volymer");
}

function investeringar(wb: ExcelJS.Workbook, c: Content): void {
  const s = wb.addWorksheet("Investeringar");
  s.getCell("A1").value = "Investeringar (tkr): årsbudget, utfall hittills och prognos";
  s.getCell("A1").font = { bold: true, size: 14 };
  ["Projekt", "Budget", "Utfall", "Prognos budgetavvikelse helår", "Kommentar"].forEach((h, i) =>
    header(s.getCell(3, i + 1), h),
  );
  const rows = Math.max(c.investments?.length ?? 0, c.blankLines);
  for (let i = 0; i < rows; i++) {
    for (let k = 2; k <= 4; k++) s.getCell(4 + i, k).numFmt = k === 4 ? "+#,##0;-#,##0;0" : "#,##0;-#,##0;0";
    const v = c.investments?.[i];
    if (v) v.forEach((x, k) => (s.getCell(4 + i, k + 1).value = x));
  }
  s.getColumn(1).width = 44;
  for (let k = 2; k <= 4; k++) s.getColumn(k).width = 14;
  s.getColumn(5).width = 70;
  wb.definedNames.add(abs("Investeringar", 1, 3, 5, 3 + rows), "Investeringar");
}

function personal(wb: ExcelJS.Workbook, c: Content): void {
  const s = wb.addWorksheet("Personal");
  s.getCell("A1").value = "Personalnyckeltal";
  s.getCell("A1").font = { bold: true, size: 14 };
  const heads = ["Nyckeltal", "Mätdatum/ mätperiod", "Totalt", "Kvinnor", "Män", "Totalt fg år", "Kvinnor fg år", "Män fg år"]; // prettier-ignore
  heads.forEach((h, i) => header(s.getCell(3, i + 1), h));
  const rows = Math.max(c.personnel?.length ?? 0, c.blankLines);
  for (let i = 0; i < rows; i++) {
    const v = c.personnel?.[i];
    if (!v) continue;
    v.forEach((x, k) => (s.getCell(4 + i, k + 1).value = x));
    const percent = v.slice(2).some((x) => x !== null && !Number.isInteger(x));
    for (let k = 3; k <= 8; k++) s.getCell(4 + i, k).numFmt = percent ? "0.0 %" : "#,##0";
    if (v.slice(2).every((x) => x === null)) s.getCell(4 + i, 1).font = { bold: true };
  }
  s.getColumn(1).width = 70;
  s.getColumn(2).width = 14;
  for (let k = 3; k <= 8; k++) s.getColumn(k).width = 11;
  wb.definedNames.add(abs("Personal", 1, 3, 8, 3 + rows), "Personal");
}

async function build(c: Content, template: boolean): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Uppföljaren";
  instructions(wb, template);
  underlag(wb, c);
  atgarder(wb, c);
  volymer(wb, c);
  investeringar(wb, c);
  personal(wb, c);
  if (!template) prognoslogg(wb);
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  return c.verksamhet ? withSettings(bytes, c.verksamhet) : bytes;
}

/**
 * Stores the settings (the Verksamhet) as the add-in does: a custom XML part in the config namespace,
 * with its item properties, related from the workbook (ECMA-376 Part 1, 15.2.4 and 22.5).
 */
async function withSettings(bytes: Buffer, verksamhet: string): Promise<Buffer> {
  const config = defaultConfig();
  config.settings.verksamhet = verksamhet;
  const zip = await JSZip.loadAsync(bytes);
  const decl = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
  zip.file("customXml/item1.xml", serializeConfig(config));
  zip.file(
    "customXml/itemProps1.xml",
    `${decl}<ds:datastoreItem ds:itemID="{6B7C1D2E-3F40-4A51-8B62-7C83D94EA5F6}" xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs/></ds:datastoreItem>`,
  );
  zip.file(
    "customXml/_rels/item1.xml.rels",
    `${decl}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps" Target="itemProps1.xml"/></Relationships>`,
  );
  const ct = await zip.file("[Content_Types].xml")!.async("string");
  zip.file(
    "[Content_Types].xml",
    ct.replace(
      "</Types>",
      '<Override PartName="/customXml/itemProps1.xml" ContentType="application/vnd.openxmlformats-officedocument.customXmlProperties+xml"/></Types>',
    ),
  );
  const relsPath = "xl/_rels/workbook.xml.rels";
  const rels = await zip.file(relsPath)!.async("string");
  zip.file(
    relsPath,
    rels.replace(
      "</Relationships>",
      '<Relationship Id="rIdUppfConfig" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml" Target="../customXml/item1.xml"/></Relationships>',
    ),
  );
  return Buffer.from(await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" }));
}

/**
 * The log as earlier refreshes wrote it (the add-in's own sheets, which it keeps and extends): 2018's
 * twelve net rows for Prognossäkerhet, and February and March 2019 (SAMPLE_LOG) with February's lines on
 * the hidden per-line sheet, for the change since the previous forecast.
 */
function prognoslogg(wb: ExcelJS.Workbook): void {
  const s = wb.addWorksheet("Prognoslogg");
  const heads = ["Period", "Avvikelse hittills (tkr)", "Prognos budgetavvikelse helår (tkr)", "Avvikelse jämfört ekonomi i balans (tkr)"]; // prettier-ignore
  heads.forEach((h, i) => header(s.getCell(1, i + 1), h));
  SAMPLE_LOG_2018.forEach((row, i) => row.forEach((v, k) => (s.getCell(i + 2, k + 1).value = v)));
  const first = SAMPLE_LOG_2018.length + 2;
  SAMPLE_LOG.net.forEach((r, i) => r.forEach((x, k) => (s.getCell(first + i, k + 1).value = x)));
  const lines = wb.addWorksheet("Prognoslogg_rader", { state: "hidden" });
  ["Period", "Nr", "Post", "Radtyp", "Utfall", "Avvikelse", "Prognos", "Prognosavvikelse"].forEach(
    (h, i) => (lines.getCell(1, i + 1).value = h),
  );
  SAMPLE_LOG.february.forEach(([label, kind, deviation, forecastDeviation], i) => {
    const row = [SAMPLE_LOG.net[0][0], i, label, kind, null, deviation, null, forecastDeviation];
    row.forEach((x, k) => (lines.getCell(2 + i, k + 1).value = x));
  });
}

/** The sample workbook's bytes. */
export function sampleWorkbook(): Promise<Buffer> {
  return build(
    {
      lines: SEED_LINES,
      blankLines: 0,
      measures: SAMPLE_MEASURES,
      volumes: SAMPLE_VOLUMES,
      investments: SAMPLE_INVESTMENTS,
      personnel: SAMPLE_PERSONNEL,
      dates: COMMITTEE_DATES,
      period: new Date(Date.UTC(2019, 3, 30)),
      unit: "tkr",
      rounding: 100,
      target: -30000,
      verksamhet: "Social välfärd",
      units: false,
    },
    false,
  );
}

/**
 * The sample with units: the same tertial split over Myndighetsavdelningen, Vårnäs, Mercur and Klivet
 * (unitSeedLines), and the measures tied to the unit that would carry them.
 */
export function unitSampleWorkbook(): Promise<Buffer> {
  const area = (m: SampleMeasure, i: number) =>
    m.area ||
    SAMPLE_MEASURES.slice(0, i)
      .reverse()
      .find((x) => x.area)!.area;
  const MEASURE_UNIT: Record<string, string> = {
    Stödboendeverksamheten: "Klivet",
    Vuxenplaceringar: "Mercur",
  };
  return build(
    {
      lines: unitSeedLines(),
      blankLines: 0,
      measures: SAMPLE_MEASURES,
      measureUnits: SAMPLE_MEASURES.map((m, i) =>
        area(m, i).startsWith("Organisation") ? null : (MEASURE_UNIT[area(m, i)] ?? "Myndighetsavdelningen"),
      ),
      volumes: SAMPLE_VOLUMES,
      investments: SAMPLE_INVESTMENTS,
      personnel: SAMPLE_PERSONNEL,
      dates: COMMITTEE_DATES,
      period: new Date(Date.UTC(2019, 3, 30)),
      unit: "tkr",
      rounding: 100,
      target: -30000,
      verksamhet: "Social välfärd",
      units: true,
    },
    false,
  );
}

/** The empty template's bytes: same names and headers, blank rows. */
export function templateWorkbook(): Promise<Buffer> {
  return build(
    {
      lines: null,
      blankLines: 8,
      measures: null,
      volumes: null,
      investments: null,
      personnel: null,
      dates: null,
      period: null,
      unit: "tkr",
      rounding: 100,
      target: null,
      units: true,
    },
    true,
  );
}

/** Writes both workbooks into `dir`; returns their paths. */
export async function buildSample(
  dir: string,
): Promise<{ sample: string; template: string; unitSample: string }> {
  await fs.mkdir(dir, { recursive: true });
  const sample = path.join(dir, SAMPLE_FILE);
  const template = path.join(dir, TEMPLATE_FILE);
  const unitSample = path.join(dir, SAMPLE_UNITS_FILE);
  await fs.writeFile(sample, await sampleWorkbook());
  await fs.writeFile(template, await templateWorkbook());
  await fs.writeFile(unitSample, await unitSampleWorkbook());
  return { sample, template, unitSample };
}
