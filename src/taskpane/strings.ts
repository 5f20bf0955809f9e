/**
 * Every text the task pane shows, in Swedish (default) and English, plus the pane's number formatting.
 * Components never hold literal UI text; they take a `Strings` object.
 */
import type { ForecastMethod, FindingLevel, Period, Unit } from "../core/types";
import { periodSpan } from "../workbook/input";
import type { RefreshStep } from "../workbook/pipeline";
import type { Role } from "../workbook/types";

export type Lang = "sv" | "en";

/** English when Office's display language is English (e.g. "en-US"), Swedish otherwise. */
export function langFromDisplayLanguage(displayLanguage: string | undefined | null): Lang {
  return (displayLanguage ?? "").toLowerCase().startsWith("en") ? "en" : "sv";
}

export const METHODS: ForecastMethod[] = ["linear", "days", "budget", "seasonal", "zero", "manual"];
export const PROGRESS_STEPS: RefreshStep[] = ["read", "validate", "compute", "write"];

const sv = {
  lang: "sv" as Lang,
  appTitle: "Uppföljaren",
  previewLabel: "Förhandsvisning – ingen Excel",
  loading: "Läser arbetsboken …",
  oldExcel:
    "Uppföljaren kräver Excel 2021, Microsoft 365, Excel på webben eller Excel för Mac (ExcelApi 1.9). " +
    "Den här versionen av Excel stöds inte. Uppdatera Excel eller öppna arbetsboken i Excel på webben.",
  notExcel: "Uppföljaren fungerar bara i Excel.",
  unexpectedError: (message: string) => `Något gick fel: ${message}`,

  // First run: the template contract
  setupTitle: "Koppla arbetsboken",
  templateExplained:
    "Uppföljaren hittar budget och utfall via namngivna områden i arbetsboken (Poster, Budget, Utfall, " +
    "Period med flera) och skriver avvikelse och prognos i kolumnerna bredvid.",
  requiredRoles: "Namn som krävs",
  optionalRoles: "Valfria namn",
  roleFound: "Hittat",
  roleMissing: "Saknas",
  roleCreated: "Skapas vid uppdatering",
  roleFoundAs: (name: string, address?: string) => (address ? `${name} → ${address}` : name),
  mapToName: "Använd ett annat namn",
  chooseName: "Välj namn",
  noOtherNames: "Arbetsboken har inga andra namn.",
  mapToSelection: "Använd markeringen",
  mapToSelectionLabel: (role: string) => `Använd markeringen för ${role}`,
  mappedToSelection: (role: string, address: string) => `${role} kopplades till ${address}.`,
  connectOptional: "Koppla",
  saveMapping: "Spara kopplingen",
  mappingSaved: "Kopplingen sparades i arbetsboken.",
  missingRequired: (roles: string[]) => `Saknas fortfarande: ${roles.join(", ")}.`,
  insertTemplate: "Infoga tom mall",
  insertTemplateHelp: "Lägger till bladet Mall med alla namn, klart att fylla i.",
  templateInserted: "Bladet Mall lades till.",
  continue: "Fortsätt",
  editMapping: "Ändra kopplingen",

  // Main view
  period: "Period",
  periodValue: (p: Period) => periodSpan(p),
  noPeriod: "Perioden kunde inte läsas",
  defaultMethod: "Prognosmetod (standard)",
  roundingStep: "Avrundning av prognosavvikelse",
  roundingHint: "Tomt = arbetsbokens Avrundning",
  roundingInvalid: "Ange ett tal större än eller lika med 0.",
  settingsSaved: "Inställningen sparades.",
  refresh: "Uppdatera prognos",
  refreshing: "Uppdaterar …",
  progressLabel: "Förlopp",
  steps: {
    read: "Läser arbetsboken",
    validate: "Kontrollerar indata",
    compute: "Räknar prognos",
    write: "Skriver till arbetsboken",
    done: "Klart",
  } as Record<RefreshStep, string>,
  refreshed: "Prognosen är uppdaterad.",
  refreshedDryRun: "Prognosen är beräknad (inget skrevs).",

  // Results
  resultTitle: "Resultat",
  unitSelect: "Visa enhet",
  wholeLedger: "Hela förvaltningen (sammanställt)",
  deviationToDate: "Avvikelse hittills",
  forecastDeviation: "Prognos avvikelse helår",
  gapToBalance: "Jämfört med ekonomi i balans",
  balanceTargetValue: (target: string) => `mål ${target}`,
  noBalanceTarget: "inget mål angivet",
  findingsTitle: "Kontroller",
  levels: { error: "Fel", warning: "Varningar", info: "Information" } as Record<FindingLevel, string>,
  noFindings: "Inga anmärkningar.",
  selectCell: (ref: string) => `Markera ${ref}`,
  blockedTitle: "Uppdateringen stoppades – inget skrevs till arbetsboken",
  writeFailedTitle: "Skrivningen avbröts",
  written: "Skrivet",
  notWritten: "Inte skrivet",
  repairHint: "Uppdatera igen när felet är åtgärdat, så repareras arbetsboken.",

  // Per-line view
  linesTitle: "Prognos per rad",
  lineForecast: "Prognos",
  lineDeviation: "Avvikelse helår",
  lineMethod: (label: string) => `Prognosmetod för ${label}`,
  defaultMethodOption: "Standardmetod",
  methodSaved: (label: string) => `Metoden för ${label} sparades i arbetsboken. Uppdatera för att räkna om.`,
  refreshNow: "Uppdatera nu",
  forecastFrom: {
    ofWhich: "summa av varav-raderna",
    manual: "manuell prognos",
    sum: "summa av raderna",
  } as Record<string, string>,

  // Action plan
  actionPlanTitle: "Åtgärdsplan",
  areaForecast: "Prognos utebliven kostnad",
  areaDecided: "Beslutat",
  areaNotGiven: "Ej angivet",
  actionPlanTotal: "Summa prognos (exkl. beslutat och ej angivet)",
  none: "–",

  methods: {
    linear: "Linjär (utfall × 12/m)",
    days: "Dagar (utfall × dagar)",
    budget: "Budget resten av året",
    seasonal: "Säsong (som förra året)",
    zero: "Noll (prognos = budget)",
    manual: "Manuell prognos",
  } as Record<ForecastMethod, string>,

  roles: {
    Poster: "Poster (radernas namn)",
    Budget: "Budget",
    Utfall: "Utfall",
    Period: "Period",
    Ar: "År",
    Radtyp: "Radtyp",
    Metod: "Metod",
    ManuellPrognos: "Manuell prognos",
    Kommentar: "Kommentar",
    Ansvar: "Ansvar (enhet, avdelning)",
    UtfallFgAr: "Utfall föregående år",
    Balansmal: "Ekonomi i balans (mål)",
    Enhet: "Enhet",
    Avrundning: "Avrundning",
    Atgarder: "Åtgärder",
    Namndmoten: "Nämndmöten",
    Volymer: "Volymmått",
    Avvikelse: "Avvikelse (utdata)",
    Prognos: "Prognos (utdata)",
    Prognosavvikelse: "Prognosavvikelse (utdata)",
  } as Record<Role, string>,

  units: { kr: "kr", tkr: "tkr", mkr: "mkr" } as Record<Unit, string>,
};

export type Strings = typeof sv;

const EN_MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

const en: Strings = {
  lang: "en",
  appTitle: "Uppföljaren",
  previewLabel: "Preview – no Excel",
  loading: "Reading the workbook …",
  oldExcel:
    "Uppföljaren needs Excel 2021, Microsoft 365, Excel on the web or Excel for Mac (ExcelApi 1.9). " +
    "This version of Excel is not supported. Update Excel or open the workbook in Excel on the web.",
  notExcel: "Uppföljaren only works in Excel.",
  unexpectedError: (message) => `Something went wrong: ${message}`,

  setupTitle: "Connect the workbook",
  templateExplained:
    "Uppföljaren finds budget and outcome through named ranges in the workbook (Poster, Budget, Utfall, " +
    "Period and more) and writes the deviation and forecast in the columns next to them.",
  requiredRoles: "Required names",
  optionalRoles: "Optional names",
  roleFound: "Found",
  roleMissing: "Missing",
  roleCreated: "Created on refresh",
  roleFoundAs: sv.roleFoundAs,
  mapToName: "Use another name",
  chooseName: "Choose a name",
  noOtherNames: "The workbook has no other names.",
  mapToSelection: "Use the selection",
  mapToSelectionLabel: (role) => `Use the selection for ${role}`,
  mappedToSelection: (role, address) => `${role} was connected to ${address}.`,
  connectOptional: "Connect",
  saveMapping: "Save the mapping",
  mappingSaved: "The mapping was saved in the workbook.",
  missingRequired: (roles) => `Still missing: ${roles.join(", ")}.`,
  insertTemplate: "Insert empty template",
  insertTemplateHelp: "Adds the sheet Mall with all the names, ready to fill in.",
  templateInserted: "The sheet Mall was added.",
  continue: "Continue",
  editMapping: "Change the mapping",

  period: "Period",
  periodValue: (p) => (p.month === 1 ? `January ${p.year}` : `January–${EN_MONTHS[p.month - 1]} ${p.year}`),
  noPeriod: "The period could not be read",
  defaultMethod: "Forecast method (default)",
  roundingStep: "Rounding of forecast deviations",
  roundingHint: "Empty = the workbook's Avrundning",
  roundingInvalid: "Enter a number of at least 0.",
  settingsSaved: "The setting was saved.",
  refresh: "Refresh forecast",
  refreshing: "Refreshing …",
  progressLabel: "Progress",
  steps: {
    read: "Reading the workbook",
    validate: "Checking the input",
    compute: "Computing the forecast",
    write: "Writing to the workbook",
    done: "Done",
  },
  refreshed: "The forecast is up to date.",
  refreshedDryRun: "The forecast was computed (nothing written).",

  resultTitle: "Result",
  unitSelect: "Show unit",
  wholeLedger: "The whole administration (consolidated)",
  deviationToDate: "Deviation to date",
  forecastDeviation: "Full-year forecast deviation",
  gapToBalance: "Against the balance target",
  balanceTargetValue: (target) => `target ${target}`,
  noBalanceTarget: "no target given",
  findingsTitle: "Checks",
  levels: { error: "Errors", warning: "Warnings", info: "Information" },
  noFindings: "Nothing to report.",
  selectCell: (ref) => `Select ${ref}`,
  blockedTitle: "The refresh stopped – nothing was written to the workbook",
  writeFailedTitle: "Writing was interrupted",
  written: "Written",
  notWritten: "Not written",
  repairHint: "Refresh again once the problem is fixed, and the workbook is repaired.",

  linesTitle: "Forecast per line",
  lineForecast: "Forecast",
  lineDeviation: "Full-year deviation",
  lineMethod: (label) => `Forecast method for ${label}`,
  defaultMethodOption: "Default method",
  methodSaved: (label) => `The method for ${label} was saved in the workbook. Refresh to recompute.`,
  refreshNow: "Refresh now",
  forecastFrom: { ofWhich: "sum of the of-which lines", manual: "manual forecast", sum: "sum of the lines" },

  actionPlanTitle: "Action plan",
  areaForecast: "Forecast avoided cost",
  areaDecided: "Decided",
  areaNotGiven: "Not yet given",
  actionPlanTotal: "Total forecast (excl. decided and not given)",
  none: "–",

  methods: {
    linear: "Linear (outcome × 12/m)",
    days: "Days (outcome × days)",
    budget: "Budget for the rest of the year",
    seasonal: "Seasonal (as last year)",
    zero: "Zero (forecast = budget)",
    manual: "Manual forecast",
  },
  roles: {
    ...sv.roles,
    Poster: "Poster (line labels)",
    Ar: "Year",
    Radtyp: "Line type",
    Metod: "Method",
    ManuellPrognos: "Manual forecast",
    Kommentar: "Comment",
    Ansvar: "Responsibility (unit)",
    UtfallFgAr: "Last year's outcome",
    Balansmal: "Balance target",
    Enhet: "Unit",
    Avrundning: "Rounding",
    Atgarder: "Measures",
    Namndmoten: "Committee meetings",
    Volymer: "Volume measures",
    Avvikelse: "Deviation (output)",
    Prognos: "Forecast (output)",
    Prognosavvikelse: "Forecast deviation (output)",
  },
  units: { kr: "SEK", tkr: "kSEK", mkr: "MSEK" },
};

export function getStrings(lang: Lang): Strings {
  return lang === "en" ? en : sv;
}

const NBSP = "\u00a0";

/**
 * An amount for people: "+2 332 tkr", "-30 000 tkr", "0 tkr"; mkr with one decimal ("29,9 mkr").
 * Positive values get an explicit + when `signed`. Non-breaking spaces keep a figure on one line in the
 * narrow pane.
 */
export function formatAmount(value: number, unit: Unit, t: Strings, signed = true): string {
  const decimals = unit === "mkr" ? 1 : 0;
  const factor = 10 ** decimals;
  const rounded = Math.round(Math.abs(value) * factor) / factor;
  const sign = rounded === 0 ? "" : value < 0 ? "-" : signed ? "+" : "";
  const [int, frac] = rounded.toFixed(decimals).split(".");
  const sep = t.lang === "en" ? "," : NBSP;
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  const number = frac ? `${grouped}${t.lang === "en" ? "." : ","}${frac}` : grouped;
  return `${sign}${number}${NBSP}${t.units[unit]}`;
}
