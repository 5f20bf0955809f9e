/**
 * Every text the task pane shows, in Swedish (default) and English, plus the pane's number formatting.
 * Components never hold literal UI text; they take a `Strings` object.
 */
import { unitDecimals } from "../core/format";
import type { ForecastMethod, FindingLevel, Period, Unit } from "../core/types";
import type { CheckId, CheckReason, CheckStatus } from "../hosts/office/selftest-expect";
import { periodSpan } from "../workbook/dates";
import type { RefreshStep } from "../workbook/pipeline";
import type { Role } from "../workbook/types";
import { countSv, LEVEL_SV } from "../workbook/words";

export type Lang = "sv" | "en";

/** English when Office's display language is English (e.g. "en-US"), Swedish otherwise. */
export function langFromDisplayLanguage(displayLanguage: string | undefined | null): Lang {
  return (displayLanguage ?? "").toLowerCase().startsWith("en") ? "en" : "sv";
}

export const METHODS: ForecastMethod[] = ["linear", "days", "budget", "seasonal", "trend", "zero", "manual"];
export const PROGRESS_STEPS: RefreshStep[] = ["read", "validate", "compute", "write"];

/** The self-test's texts ("Självtest"; the report names the checks the same way). */
const selfTestSv = {
  open: "Självtest",
  title: "Självtest",
  intro:
    "Självtestet prövar varje Excel-anrop som Uppföljaren gör, på ett tillfälligt dolt blad som tas bort " +
    "efteråt. Dina blad, namn och inställningar ändras inte. Det tar några sekunder. Använd det första " +
    "gången i en ny Excel och bifoga rapporten i ett ärende till IT-supporten.",
  run: "Kör självtest",
  running: "Testar Excel …",
  again: "Kör igen",
  back: "Tillbaka",
  copy: "Kopiera rapporten",
  copied: "Rapporten kopierades. Klistra in den i ärendet.",
  copyFailed: "Kunde inte kopiera automatiskt: markera texten nedan och kopiera med Ctrl+C (Cmd+C på Mac).",
  reportLabel: "Rapport att kopiera",
  failed: (message: string) => `Självtestet kunde inte köras: ${message}`,
  summary: (ok: number, total: number, fail: number, warning: number, skipped: number) =>
    `${ok} av ${total} godkända · ${fail} fel · ${warning} ${warning === 1 ? "varning" : "varningar"} · ${skipped} överhoppade`,
  heading: "Uppföljaren – självtest",
  time: "Tid",
  seconds: (s: number) => `${s.toLocaleString("sv-SE", { maximumFractionDigits: 1 })} s`,
  excel: "Excel",
  platform: "plattform",
  host: "värd",
  language: "språk",
  unknown: "okänd",
  sets: "Kravuppsättningar",
  syncs: (n: number, request: number, response: number) =>
    `Anrop: ${n} context.sync(); största begäran ${request} byte, största svar ${response} byte (gräns 5 000 000)`,
  result: "Resultat",
  expected: "väntat",
  actual: "fick",
  excelError: "fel från Excel",
  status: { ok: "OK", warning: "VARNING", fail: "FEL", skipped: "HOPPADES ÖVER" } as Record<
    CheckStatus,
    string
  >,
  checks: {
    selection: "Markeringen (getSelectedRange)",
    select: "Markera en cell på ett blad (activate, select), sedan din markering tillbaka",
    structure: "Arbetsbokens struktur och bladskydd",
    settings: "Sparade inställningar (anpassad XML-del)",
    sheet: "Tillfälligt blad (lägga till, dölja)",
    values: "Värden, text och tal (values, valueTypes, formulas)",
    textFormat: "Text i textformaterad cell (@)",
    numberFormats: "Talformat (numberFormat)",
    styles: "Teckensnitt, fyllning, justering, kantlinjer",
    merges: "Sammanfogade celler",
    sizes: "Kolumnbredd och radhöjd",
    freeze: "Låsta rubriker (freezePanes)",
    print: "Utskrift: orientering, anpassning, utskriftsrubriker, sidhuvud och sidfot",
    chart: "Diagram",
    names: "Namn (arbetsbok och blad)",
    customXml: "Anpassad XML-del (skriva, läsa, ta bort)",
    sheetProtection: "Bladskydd upptäcks",
    usedRange: "Använt område",
    readAhead: "Läsning i förväg (namn, tomma områden)",
    clearSheet: "Rapportblad töms på plats (clear, unmerge, diagram, låsta rubriker)",
    largeWrite: "Stor skrivning nära gränsen 5 MB",
    largeRead: "Stor läsning i delar under 5 MB",
    cleanup: "Städning (bladet, namnen och XML-delen borttagna)",
  } as Record<CheckId, string>,
  reasons: {
    structureProtected:
      "Arbetsbokens struktur är skyddad: Uppföljaren kan inte lägga till rapportbladen och självtestet inga blad. Ta bort skyddet under Granska > Skydda arbetsbok.",
    multiAreaSelection:
      "Markeringen kunde inte läsas (flera områden markerade?). Markera ett område och kör igen.",
    noSettings: "Arbetsboken har inga sparade inställningar ännu.",
    unreadableSettings: "Inställningsdelen finns men kan inte läsas; standardinställningar används.",
    needsExcelApi113: "Kan bara kontrolleras med ExcelApi 1.13; sammanfogningen gjordes ändå.",
    notWritten: "Kördes inte: ett tidigare steg misslyckades.",
    leftovers: "Rester från ett tidigare självtest togs bort.",
    oneByOneRefused: "Obs för utvecklare: en 1×1-matris som talformat för flera celler avvisas.",
    addRefused: "Excel vägrade lägga till ett blad, som väntat när strukturen är skyddad (felkoden nedan).",
    selectionNotRestorable: "Prövas bara när markeringen är ett område (den ska kunna återställas).",
  } as Record<CheckReason, string>,
  info: "uppgift",
};

const selfTestEn: typeof selfTestSv = {
  open: "Self-test",
  title: "Self-test",
  intro:
    "The self-test tries every Excel call Uppföljaren makes, on a temporary hidden sheet that is removed " +
    "afterwards. Your sheets, names and settings are not changed. It takes a few seconds. Use it the first " +
    "time in a new Excel and attach the report to a ticket for IT support.",
  run: "Run self-test",
  running: "Testing Excel …",
  again: "Run again",
  back: "Back",
  copy: "Copy the report",
  copied: "The report was copied. Paste it into the ticket.",
  copyFailed: "Could not copy automatically: select the text below and copy with Ctrl+C (Cmd+C on a Mac).",
  reportLabel: "Report to copy",
  failed: (message) => `The self-test could not run: ${message}`,
  summary: (ok, total, fail, warning, skipped) =>
    `${ok} of ${total} passed · ${fail} failed · ${warning} ${warning === 1 ? "warning" : "warnings"} · ${skipped} skipped`,
  heading: "Uppföljaren – self-test",
  time: "Time",
  seconds: (s) => `${s.toLocaleString("en-US", { maximumFractionDigits: 1 })} s`,
  excel: "Excel",
  platform: "platform",
  host: "host",
  language: "language",
  unknown: "unknown",
  sets: "Requirement sets",
  syncs: (n, request, response) =>
    `Calls: ${n} context.sync(); largest request ${request} bytes, largest response ${response} bytes (limit 5,000,000)`,
  result: "Result",
  expected: "expected",
  actual: "got",
  excelError: "error from Excel",
  status: { ok: "OK", warning: "WARNING", fail: "FAILED", skipped: "SKIPPED" },
  checks: {
    selection: "The selection (getSelectedRange)",
    select: "Select a cell on a sheet (activate, select), then your selection back",
    structure: "Workbook structure and sheet protection",
    settings: "Stored settings (custom XML part)",
    sheet: "Temporary sheet (add, hide)",
    values: "Values, text and numbers (values, valueTypes, formulas)",
    textFormat: "Text in a text-formatted cell (@)",
    numberFormats: "Number formats (numberFormat)",
    styles: "Font, fill, alignment, borders",
    merges: "Merged cells",
    sizes: "Column width and row height",
    freeze: "Frozen headers (freezePanes)",
    print: "Printing: orientation, fit, print titles, header and footer",
    chart: "Chart",
    names: "Names (workbook and sheet)",
    customXml: "Custom XML part (write, read, delete)",
    sheetProtection: "Sheet protection detected",
    usedRange: "Used range",
    readAhead: "Read-ahead (names, empty areas)",
    clearSheet: "A report sheet emptied in place (clear, unmerge, charts, frozen headers)",
    largeWrite: "Large write near the 5 MB limit",
    largeRead: "Large read in parts under 5 MB",
    cleanup: "Clean-up (sheet, names and XML part removed)",
  },
  reasons: {
    structureProtected:
      "The workbook structure is protected: Uppföljaren cannot add its report sheets and the self-test cannot add a sheet. Remove the protection under Review > Protect Workbook.",
    multiAreaSelection:
      "The selection could not be read (several areas selected?). Select one range and run again.",
    noSettings: "The workbook has no stored settings yet.",
    unreadableSettings: "The settings part exists but cannot be read; the defaults are used.",
    needsExcelApi113: "Can only be checked with ExcelApi 1.13; the merge was made anyway.",
    notWritten: "Not run: an earlier step failed.",
    leftovers: "Leftovers of an earlier self-test were removed.",
    oneByOneRefused: "Note for developers: a 1×1 array as the number format of several cells is refused.",
    addRefused: "Excel refused to add a sheet, as expected under structure protection (the code below).",
    selectionNotRestorable: "Only tried when the selection is one range (so that it can be restored).",
  },
  info: "detail",
};

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
  trendMonths: "Trendmetoden: antal månader i snittet",
  trendMonthsHint: "De senaste k månadernas avvikelse räknas framåt (1–11, standard 3)",
  trendMonthsInvalid: "Ange ett helt antal månader, 1–11.",
  settingsSaved: "Inställningen sparades.",
  verksamhet: "Verksamhet",
  verksamhetHint:
    "T.ex. Social välfärd: i sammanfattningen, Åtgärdsplanens rubrik, sidhuvudet och Word-rapporten. Tomt: cellen Verksamhet i arbetsboken, om den finns",
  measuresOnManual:
    "Lägg inräknade åtgärder ovanpå en manuell prognos (annars är den manuella prognosen slutlig)",
  outputColumn: "Utdatakolumnernas plats (första kolumnen)",
  outputColumnHint:
    "T.ex. AD. Tomt = direkt till höger om Utfall, eller efter kontraktets sista kolumn om där finns annat",
  outputColumnInvalid: "Ange kolumnens bokstäver, t.ex. AD, eller lämna tomt.",
  outputsPlanned: (area: string, why: string) =>
    `Avvikelse, Prognos och Prognosavvikelse skapas i ${area} ${
      why === "right"
        ? "(direkt till höger om Utfall)"
        : why === "setting"
          ? "(vald plats)"
          : `(till höger om ${why.split("|")[0]}, eftersom kolumnerna till höger om Utfall hör till ${why.split("|")[1]})`
    }.`,
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
  forecastDeviation: "Prognos budgetavvikelse helår",
  gapToBalance: "Jämfört med ekonomi i balans",
  balanceTargetValue: (target: string) => `mål ${target}`,
  noBalanceTarget: "inget mål angivet",
  findingsTitle: "Kontroller",
  levels: LEVEL_SV as Record<FindingLevel, string>,
  /** "1 varning", "2 varningar": the heading of a group of findings. */
  levelCount: (level: FindingLevel, n: number) => countSv(level, n),
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
  lineChange: "Förändring mot föregående prognos",
  reportWord: "Rapport (Word)",
  newDraft: "Nytt utkast",
  newDraftHint:
    "Skriver ett nytt utkast till sammanfattningen (bladet Sammanfattning) och kommentaren till driftsredovisningen ur siffrorna; texten som stod där sparas under Egna anteckningar.",
  reportWordSaved: (file: string) => `Rapporten ${file} är skapad och hämtas ned.`,
  reportWordUnsupported:
    "Den här Excel-versionen kan inte lämna över en fil från tillägget. Skapa rapporten med kommandot npx uppfoljaren rapport IN.xlsx --out RAPPORT.docx.",
  lineMethod: (label: string) => `Prognosmetod för ${label}`,
  defaultMethodOption: "Standardmetod",
  methodSaved: (label: string) => `Metoden för ${label} sparades i arbetsboken. Uppdatera för att räkna om.`,
  refreshNow: "Uppdatera nu",
  explainForecast: "Så räknades prognosen",
  explainPeriodBudget: "Periodbudget",
  backtestLabel: "Provat på fjolåret",
  useRecommended: (method: string) => `Använd ${method} (skrivs i Metod)`,
  useAllRecommended: (n: number) =>
    `Använd rekommenderad metod på ${n === 1 ? "1 rad" : `alla ${n} rader`} (skrivs i Metod)`,
  recommendationsSaved: (n: number) =>
    `Metoden ändrades på ${n === 1 ? "1 rad" : `${n} rader`} i arbetsboken. Uppdatera för att räkna om.`,
  methodShort: {
    linear: "linjär",
    days: "dagar",
    budget: "budget",
    seasonal: "säsong",
    trend: "trend",
    zero: "noll",
    manual: "manuell",
  } as Record<ForecastMethod, string>,
  forecastFrom: {
    ofWhich: "summa av varav-raderna",
    manual: "manuell prognos",
    sum: "summa av raderna",
    actual: "utfallet för helåret",
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
    trend: "Trend (senaste månadernas avvikelse)",
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
    UtfallFgAr2: "Utfall för två år sedan",
    BudgetFgAr: "Budget föregående år",
    Balansmal: "Ekonomi i balans (mål)",
    Enhet: "Enhet",
    Avrundning: "Avrundning",
    Atgarder: "Åtgärder",
    Namndmoten: "Nämndmöten",
    Volymer: "Volymmått",
    Investeringar: "Investeringar",
    Personal: "Personalnyckeltal",
    Avvikelse: "Avvikelse (utdata)",
    Prognos: "Prognos (utdata)",
    Prognosavvikelse: "Prognosavvikelse (utdata)",
  } as Record<Role, string>,

  units: { kr: "kr", tkr: "tkr", mkr: "mkr" } as Record<Unit, string>,
  selfTest: selfTestSv,
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
  trendMonths: "Trend method: months in the average",
  trendMonthsHint: "The deviation of the latest k months is carried forward (1–11, default 3)",
  trendMonthsInvalid: "Enter a whole number of months, 1–11.",
  settingsSaved: "The setting was saved.",
  verksamhet: "Operation",
  verksamhetHint:
    "E.g. Social välfärd: in the summary, the action plan's title, the page header and the Word report. Empty: the workbook's cell named Verksamhet, if any",
  measuresOnManual:
    "Add included measures on top of a manual forecast (otherwise the manual forecast is final)",
  outputColumn: "Place of the output columns (first column)",
  outputColumnHint:
    "E.g. AD. Empty = right of Utfall, or after the contract's last column when something else is there",
  outputColumnInvalid: "Give the column's letters, e.g. AD, or leave it empty.",
  outputsPlanned: (area, why) =>
    `Avvikelse, Prognos and Prognosavvikelse will be created in ${area} ${
      why === "right"
        ? "(right of Utfall)"
        : why === "setting"
          ? "(chosen place)"
          : `(right of ${why.split("|")[0]}, because the columns right of Utfall belong to ${why.split("|")[1]})`
    }.`,
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
  levels: { error: "Error", warning: "Warning", info: "Note" },
  levelCount: (level, n) =>
    `${n} ${{ error: "error", warning: "warning", info: "note" }[level]}${n === 1 ? "" : "s"}`,
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
  lineChange: "Change since the previous forecast",
  reportWord: "Report (Word)",
  newDraft: "New draft",
  newDraftHint:
    "Writes a new draft of the summary (sheet Sammanfattning) and of the operating comment from the figures; the text it replaces is kept under Egna anteckningar.",
  reportWordSaved: (file: string) => `The report ${file} was created and is being downloaded.`,
  reportWordUnsupported:
    "This version of Excel cannot hand a file over from the add-in. Create the report with npx uppfoljaren rapport IN.xlsx --out REPORT.docx.",
  lineMethod: (label) => `Forecast method for ${label}`,
  defaultMethodOption: "Default method",
  methodSaved: (label) => `The method for ${label} was saved in the workbook. Refresh to recompute.`,
  refreshNow: "Refresh now",
  explainForecast: "How the forecast was computed",
  explainPeriodBudget: "Period budget",
  backtestLabel: "Tried on last year",
  useRecommended: (method) => `Use ${method} (written to Metod)`,
  useAllRecommended: (n) =>
    `Use the recommended method on ${n === 1 ? "1 line" : `all ${n} lines`} (written to Metod)`,
  recommendationsSaved: (n) =>
    `The method was changed on ${n === 1 ? "1 line" : `${n} lines`} in the workbook. Refresh to recompute.`,
  methodShort: {
    linear: "linear",
    days: "days",
    budget: "budget",
    seasonal: "seasonal",
    trend: "trend",
    zero: "zero",
    manual: "manual",
  },
  forecastFrom: {
    ofWhich: "sum of the of-which lines",
    manual: "manual forecast",
    sum: "sum of the lines",
    actual: "the year's outcome",
  },

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
    trend: "Trend (the latest months' deviation)",
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
    UtfallFgAr2: "Outcome two years back",
    BudgetFgAr: "Last year's budget",
    Balansmal: "Balance target",
    Enhet: "Unit",
    Avrundning: "Rounding",
    Atgarder: "Measures",
    Namndmoten: "Committee meetings",
    Volymer: "Volume measures",
    Investeringar: "Investments",
    Personal: "Personnel key figures",
    Avvikelse: "Deviation (output)",
    Prognos: "Forecast (output)",
    Prognosavvikelse: "Forecast deviation (output)",
  },
  units: { kr: "SEK", tkr: "kSEK", mkr: "MSEK" },
  selfTest: selfTestEn,
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
  const decimals = unitDecimals(unit);
  const factor = 10 ** decimals;
  const rounded = Math.round(Math.abs(value) * factor) / factor;
  const sign = rounded === 0 ? "" : value < 0 ? "-" : signed ? "+" : "";
  const [int, frac] = rounded.toFixed(decimals).split(".");
  const sep = t.lang === "en" ? "," : NBSP;
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  const number = frac ? `${grouped}${t.lang === "en" ? "." : ","}${frac}` : grouped;
  return `${sign}${number}${NBSP}${t.units[unit]}`;
}
