/**
 * One voice for findings in every place people read them (Kontroller, the pane, the CLI, docs): one
 * Swedish term per level, Swedish count grammar, and a Swedish title for every finding code.
 */
import type { FindingLevel } from "../core/types";

/** The level as a heading or table cell: Fel, Varning, Upplysning. */
export const LEVEL_SV: Record<FindingLevel, string> = {
  error: "Fel",
  warning: "Varning",
  info: "Upplysning",
};

const LEVEL_ORDER: Record<FindingLevel, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then notes, each level in the order found: the order to work through. */
export function bySeverity<T extends { level: FindingLevel }>(findings: readonly T[]): T[] {
  return [...findings].sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);
}

const COUNT_WORDS: Record<FindingLevel, [string, string]> = {
  error: ["fel", "fel"],
  warning: ["varning", "varningar"],
  info: ["upplysning", "upplysningar"],
};

/** "1 varning", "2 varningar", "0 fel", "1 upplysning". */
export function countSv(level: FindingLevel, n: number): string {
  const [one, many] = COUNT_WORDS[level];
  return `${n} ${n === 1 ? one : many}`;
}

/** "2 fel, 1 varning, 3 upplysningar" for the levels' counts. */
export function countsSv(counts: Record<FindingLevel, number>): string {
  return (["error", "warning", "info"] as const).map((l) => countSv(l, counts[l])).join(", ");
}

/** Swedish titles for the finding codes, for the Kontroller sheet (the code keeps its own column). */
export const FINDING_TITLES: Record<string, string> = {
  SIGN_SUSPECT: "Misstänkt tecken",
  FORECAST_BELOW_ACTUAL: "Prognos under utfallet hittills",
  OFWHICH_MISMATCH: "Varav-rader stämmer inte",
  OFWHICH_RESIDUAL: "Varav-rad räknad som rest",
  OFWHICH_UNITEMISED: "Ej specificerat under huvudraden",
  OFWHICH_SUM: "Huvudrad räknad som summa av varav-raderna",
  OFWHICH_FROM_LABEL: "Varav-rad tolkad från benämningen",
  TOTAL_FROM_SUMS: "Summarad utan radtyp",
  OFWHICH_FORECAST_MISMATCH: "Varav-radernas prognoser stämmer inte med huvudraden",
  YEAR_END_MANUAL: "Manuell prognos i december (utfallet gäller)",
  YEAR_END_METHOD: "Metod i december (utfallet gäller)",
  MEASURE_YEAR_END: "Åtgärd ej inräknad (december)",
  OFWHICH_ORPHAN: "Varav-rad utan huvudrad",
  TOTAL_MISMATCH: "Summa stämmer inte",
  DEVIATION_MISMATCH: "Avvikelse stämmer inte",
  BUDGET_MISMATCH: "Årsbudget stämmer inte",
  ACTUAL_MISMATCH: "Utfall stämmer inte",
  ACTUAL_MISSING: "Utfall saknas",
  BUDGET_MISSING: "Budget saknas",
  ACTUAL_MONTH_MISSING: "Utfall saknas för en månad",
  ACTUAL_AFTER_PERIOD: "Utfall efter periodens slut",
  ACTUAL_CUMULATIVE: "Ackumulerat utfall i månaderna",
  MONTH_SCALE: "Månad i fel enhet",
  KIND_SIGN: "Kostnad med positiv budget",
  NO_COST_LINES: "Inga kostnadsrader",
  BUDGET_MONTH_MISSING: "Budget saknas för en månad",
  BUDGET_IN_ONE_MONTH: "Hela budgeten i en månad",
  SEASONAL_FALLBACK: "Säsongsmetod ej möjlig",
  TREND_FALLBACK: "Trendmetod ej möjlig",
  MANUAL_MISSING: "Manuell prognos saknas",
  UNKNOWN_METHOD: "Okänd metod",
  UNKNOWN_KIND: "Okänd radtyp",
  NOT_A_NUMBER: "Inget tal",
  NOT_FINITE: "Ogiltigt tal",
  NUMBER_TOO_LARGE: "För stort tal",
  NUMBER_AS_TEXT: "Tal som text",
  BAD_MONTHLY_LENGTH: "Fel antal månader",
  NOT_TEXT: "Ingen text",
  BAD_LINE: "Ogiltig rad",
  LINES_INVALID: "Ogiltiga rader",
  EMPTY_LEDGER: "Inga rader",
  OPTION_INVALID: "Okänd inställning",
  MEASURE_LINE_UNKNOWN: "Åtgärdens post saknas",
  MEASURE_TYPE_UNKNOWN: "Okänd åtgärdstyp",
  MEASURE_INCLUDED_INVALID: "Inräknad är inte ja/nej",
  MEASURE_NOT_COUNTED: "Inräknad åtgärd utan belopp",
  MEASURE_MANUAL_FINAL: "Åtgärd ej inräknad (manuell prognos)",
  MEASURE_ON_PARENT: "Åtgärd på en huvudrad",
  BAD_MEASURE: "Ogiltig åtgärd",
  MEASURES_INVALID: "Ogiltiga åtgärder",
  BAD_DATE: "Ogiltigt mötesdatum",
  DATES_INVALID: "Ogiltiga mötesdatum",
  VOLUME_TYPE_UNKNOWN: "Okänd volymtyp",
  VOLUME_FORECAST_DEVIATES: "Volymprognos avviker från takten",
  BAD_VOLUME: "Ogiltigt volymmått",
  VOLUMES_INVALID: "Ogiltiga volymmått",
  VOLUME_STOCK_FLOW: "Stocken stämmer inte med flödena",
  VOLUME_STOCK_FLOW_FORECAST: "Stockens prognos stämmer inte med flödenas",
  VOLUME_LINK_UNKNOWN: "Volymmåttets flöde saknas",
  PERSONNEL_TOTAL_MISMATCH: "Totalt är inte kvinnor + män",
  PERSONNEL_PERCENT_RANGE: "Totalt utanför kvinnors och mäns andel",
  PERSONNEL_PERCENT_WEIGHTED: "Totalt stämmer inte med antalen",
  PERSONNEL_OFWHICH_MISMATCH: "Varav-rader stämmer inte (personal)",
  PERSONNEL_PERCENT_POINTS: "Procent skrivet som tal",
  LABEL_LOOKALIKE: "Främmande bokstäver i benämning",
  LINE_LOG_TRIMMED: "Äldre perioder borttagna ur radloggen",
  FORECAST_CHANGE_UNCOMPARED: "Förändring mot föregående prognos saknas",
  TEXT_NUMBER: "Tal lagrat som text",
  FORMULA_UNCALCULATED: "Formel utan beräknat värde",
  CELL_ERROR: "Felvärde i cell",
  CELL_TEXT_TOO_LONG: "Text för lång för en cell",
  TEXT_DATE: "Datum lagrat som text",
  LABEL_MISSING: "Benämning saknas",
  HEADING_ROW: "Rubrikrad utan belopp",
  PERIOD_NOT_MONTH_END: "Perioden är inte ett månadsslut",
  USER_CELL_MOVED: "Egen text flyttad till anteckningarna",
  ZONE_MOVED: "Text utan plats flyttad till anteckningarna",
  OUTPUT_PLACED: "Utdatakolumnernas plats",
  STATE_SHEET_TAKEN: "Bladnamnet för de gula cellerna är upptaget",
  ORG_UNIT_OFWHICH: "Varav-rad med annat ansvar än huvudraden",
  ORG_UNIT_MISSING: "Rad utan ansvar",
  ORG_UNIT_TOTAL_EMPTY: "Summarad för ansvar utan rader",
  MEASURE_UNIT_UNKNOWN: "Åtgärdens ansvar saknas",
};

/** The code's Swedish title, or the code itself for a code without one. */
export function findingTitle(code: string): string {
  return FINDING_TITLES[code] ?? code;
}
