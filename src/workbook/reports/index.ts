/**
 * The report sheets the product owns: Sammanfattning, Driftsredovisning (S1 §4.1),
 * Investeringsredovisning (S1 §4.2), Personalnyckeltal (S1 §3.1), Åtgärdsplan (S0), Volymmått (S1 §1.2),
 * Kontroller and Prognoslogg, one module each. Each builder returns a SheetPlan; user text
 * (labels, measures, comments) is placed as plain strings, which hosts write as text.
 */
export { REPORT_SHEETS } from "../contract";
export {
  amountFormats,
  MNKR_FORMAT,
  ytdLabel,
  wrappedLines,
  heightFor,
  type BuiltSheet,
  type PageInfo,
  pageHeaderFooter,
  NOTES_HEADING,
  ZONE_HINT,
} from "./common";
export { carryOver, SheetCarry, stateSheet, stateSheetIsOurs, parseState, STATE_SHEET } from "./carry";
export { operatingStatement, OPERATING_NAMES } from "./operating";
export { actionPlan, ACTION_PLAN_NAMES, followUpKey, amountSubject } from "./actionplan";
export { volumes } from "./volumes";
export { findingRef, findingsSheet } from "./findings";
export { logSheet, mergeLog, parseLog, type LogRow } from "./log";
export { summarySheet, SUMMARY_HEADING } from "./summary";
export { investmentSheet, INVESTMENT_NAMES, INVESTMENT_COMMENT } from "./investments";
export { personnelSheet, personnelPeriodLabel, PERSONNEL_COMMENT, PERCENT_FORMAT } from "./personnel";
export { type OperatingExtras } from "./operating";
