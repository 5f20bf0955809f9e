/**
 * The workbook layer's data model: what a host reads (a snapshot of names and cell values) and what it
 * writes (a declarative, serialisable write plan). Both the Office.js host and the .xlsx host speak only
 * these types; all decisions live in the pure workbook layer.
 *
 * Coordinates are 0-based (row 0 = Excel row 1, col 0 = column A). Addresses shown to people use A1
 * notation with the sheet name, e.g. `Underlag!C7` (see a1() in contract helpers).
 */
import type { Finding, ForecastMethod, Periodisation, SignConvention } from "../core/types";

// ---------------------------------------------------------------------------------------------------
// Reading

/** An Excel error value as read (e.g. "#N/A", "#REF!", "#DIV/0!"). */
export interface CellError {
  error: string;
  /**
   * A formula saved without its calculated value (by a program that does not calculate, such as a
   * library that wrote the file): `error` is then the formula ("=SUM(O10:Q10)/3"). Only the .xlsx host
   * reads such cells; Excel always has the value.
   */
  uncalculated?: true;
}

/** A cell as read. Dates are Excel serial numbers (both hosts convert), text is a string. */
export type RawCell = number | string | boolean | null | CellError;

export interface Rect {
  row: number;
  col: number;
  rows: number;
  cols: number;
}

export interface SheetRect extends Rect {
  sheet: string;
}

/** A defined name as listed by the host. */
export interface NameEntry {
  name: string;
  /** The sheet a worksheet-scoped name belongs to; null for a workbook-scoped name. */
  scope: string | null;
  /** The name's formula as Excel shows it, e.g. "=Underlag!$A$5:$A$20" or "=#REF!" or "=100". */
  formula: string;
}

export interface SheetMeta {
  name: string;
  protected: boolean;
}

/** First read: what the workbook has. */
export interface WorkbookMeta {
  sheets: SheetMeta[];
  names: NameEntry[];
}

/** The contract roles (named ranges) of docs/TEMPLATE.md. */
export type Role =
  | "Poster"
  | "Budget"
  | "Utfall"
  | "Period"
  | "Ar"
  | "Verksamhet"
  | "Radtyp"
  | "Metod"
  | "ManuellPrognos"
  | "Kommentar"
  | "Ansvar"
  | "UtfallFgAr"
  | "UtfallFgAr2"
  | "BudgetFgAr"
  | "Balansmal"
  | "Enhet"
  | "Avrundning"
  | "Atgarder"
  | "Namndmoten"
  | "Volymer"
  | "Investeringar"
  | "Personal"
  | "Avvikelse"
  | "Prognos"
  | "Prognosavvikelse";

/** Role → the workbook's own name for it (e.g. Budget → "Budget2025"). Missing roles use the role's name. */
export type RoleMapping = Partial<Record<Role, string>>;

/** User settings stored in the workbook (document settings / custom XML part) together with the mapping. */
export interface Settings {
  defaultMethod: ForecastMethod;
  periodisation: Periodisation;
  signConvention: SignConvention;
  /** Overrides the `Avrundning` cell when set. */
  roundingStep: number | null;
  /** The verksamhet (e.g. "Social välfärd"): the action plan's title and summary, the page headers. Null: none. */
  verksamhet: string | null;
  /** true: included measures are added on top of a manual forecast; false (default): a manual forecast is final. */
  measuresOnManualForecast: boolean;
  /**
   * Where to create the output columns when their names are not defined: the first column's letters
   * (e.g. "AD") on Utfall's rows, or null to find the place (right of Utfall, else right of the rightmost
   * contract range on the same rows).
   */
  outputColumn: string | null;
  /** k of the trend method: the months whose average deviation is carried forward (1–11, default 3). */
  trendMonths: number;
  /**
   * With units (Ansvar): the operating statement as one sheet with the consolidated table and a section
   * per unit ("sections", the default), or the consolidated sheet plus one sheet per unit ("sheets").
   */
  unitReports?: "sections" | "sheets";
  /** Which report sheets to write; all by default. */
  reports: {
    summary: boolean;
    operatingStatement: boolean;
    investments: boolean;
    personnel: boolean;
    actionPlan: boolean;
    volumes: boolean;
    findings: boolean;
    log: boolean;
    accuracy: boolean;
  };
}

export interface StoredConfig {
  version: 1;
  mapping: RoleMapping;
  settings: Settings;
}

/** Second read: the ranges the workbook layer asks the host to read (values, plus formulas where asked). */
export interface ReadRequest {
  ranges: { key: string; rect: SheetRect; formulas: boolean }[];
  /** Sheets whose used range the host should read in full (e.g. the existing Prognoslogg). */
  sheets: string[];
  /**
   * For some of `sheets`: the only cells the caller needs, as rectangles from A1 that may reach past the
   * used range. A host may read just these and answer null for the rest, or read the whole sheet.
   */
  needed?: { sheet: string; rects: Rect[] }[];
}

export interface RangeRead {
  key: string;
  values: RawCell[][];
  /** Formulas (or constants as text) where the request asked for them; "" for an empty cell. */
  formulas?: string[][];
  /** True when any merged area intersects the range (asked for the ranges read with formulas). */
  merged?: boolean;
}

export interface SheetRead {
  sheet: string;
  /** Used range from A1 (values only); empty when the sheet does not exist. */
  values: RawCell[][];
}

export interface ReadResult {
  ranges: RangeRead[];
  sheets: SheetRead[];
}

/** A blocking problem with the workbook: nothing is written. */
export interface ContractError {
  code: string;
  /** Swedish message for the ekonom, naming the sheet and cell. */
  message: string;
  /** English message (for --json and logs). */
  messageEn: string;
  sheet?: string;
  /** A1 address without the sheet, e.g. "C7". */
  cell?: string;
}

/** A finding placed in the workbook (sheet + A1 cell or range), so the pane can select the cell. */
export interface LocatedFinding extends Finding {
  sheet?: string;
  cell?: string;
}

// ---------------------------------------------------------------------------------------------------
// Writing

/** A value to write. Strings are ALWAYS text: hosts must never let them become formulas or numbers. */
export type PlanValue = number | string | boolean | null;

export type BorderWeight = "thin" | "medium" | "thick";

export interface CellStyle {
  /** Excel number format code in invariant notation, e.g. '+#,##0;-#,##0;0' (hosts pass it through unchanged). */
  numberFormat?: string;
  /** Font name, e.g. "Calibri"; report builders set it (with fontSize) on every style so print looks the same everywhere. */
  fontName?: string;
  bold?: boolean;
  italic?: boolean;
  fontSize?: number;
  /** #RRGGBB */
  fontColor?: string;
  /** #RRGGBB */
  fill?: string;
  horizontalAlignment?: "left" | "center" | "right";
  verticalAlignment?: "top" | "center" | "bottom";
  indent?: number;
  wrap?: boolean;
  borderTop?: BorderWeight;
  borderBottom?: BorderWeight;
}

export interface ValueBlock {
  row: number;
  col: number;
  values: PlanValue[][];
}

export interface FormatBlock {
  rect: Rect;
  style: CellStyle;
}

export interface ChartPlan {
  type: "line" | "column";
  title: string;
  /** Category labels (x axis) and one or more series, each as a rectangle on the same sheet. */
  categories: Rect;
  series: { name: string; values: Rect }[];
  /** Where the chart is placed (top-left cell) and its size in cells. */
  anchor: Rect;
  /** The value axis' number format (the amounts' format, "#,##0;-#,##0;0"), not Excel's General. */
  valueFormat: string;
  /** The category labels turned by this many degrees (−90…90), so "2018-01" is not broken over two lines. */
  labelAngle: number;
}

/**
 * Header or footer text in Excel's header/footer codes (ECMA-376 Part 1, 18.3.1.39 oddHeader): "&P" the
 * page number, "&N" the number of pages, "&D" the date, "&&" a literal ampersand. Builders escape user
 * text ("&" → "&&"); hosts pass the strings through unchanged.
 */
export interface HeaderFooterText {
  left?: string;
  center?: string;
  right?: string;
}

export interface PrintSetup {
  orientation: "portrait" | "landscape";
  fitToWidth: boolean;
  /** Also fit the whole sheet on one page tall (e.g. the log with its chart). */
  fitToHeight?: boolean;
  /** Rows repeated at the top of every printed page (print titles). */
  repeatRows?: { first: number; last: number };
  header?: HeaderFooterText;
  footer?: HeaderFooterText;
}

export interface SheetPlan {
  name: string;
  /**
   * A report sheet owned by the product. It keeps its identity from one refresh to the next (the same
   * sheet, so formulas on the user's sheets that refer to it keep working, and in .xlsx the same part
   * name, sheetId and relationship id): the host clears its cells, formats, merges, charts, row heights
   * and print setup and renders the plan into it, creating the sheet only when it is missing. What the
   * user typed on it must be carried in the plan (the workbook layer reads it first); hosts keep nothing.
   */
  owned: boolean;
  /**
   * true: hidden (a table the refresh keeps for itself); false: visible. Absent: a new sheet is visible
   * and an existing one keeps the visibility the user gave it (a report sheet the ekonom hid stays hidden).
   */
  hidden?: boolean;
  values: ValueBlock[];
  formats: FormatBlock[];
  merges: Rect[];
  /** Column widths in characters (hosts convert to their own units). */
  columnWidths: { col: number; width: number }[];
  freeze?: { rows: number; cols: number };
  print?: PrintSetup;
  charts: ChartPlan[];
  /** Explicit row heights in points (e.g. wrapped two-line headers); other rows keep Excel's default. */
  rowHeights?: { row: number; height: number }[];
}

export interface NameDefinition {
  name: string;
  /** Sheet scope, or null for workbook scope. */
  scope: string | null;
  ref: SheetRect;
}

export interface WritePlan {
  version: 1;
  /** Sheets in the order they should appear (owned report sheets are placed after the user's sheets). */
  sheets: SheetPlan[];
  names: NameDefinition[];
}
