/**
 * Sammanfattning (S1's "Sammanfattning av ärendet"): a draft from the figures (core/summary.ts) in an
 * input zone the ekonom rewrites freely. The draft goes in only when the zone is empty or a new draft
 * is asked for (the pane's "Nytt utkast", `uppfoljaren refresh --nytt-utkast`); what it replaces is kept
 * in the note area.
 */
import { periodLabel } from "../../core";
import type { LedgerResult } from "../../core/types";
import { REPORT_SHEETS } from "../contract";
import type { SheetCarry } from "./carry";
import { BOLD, type BuiltSheet, NOTE, type PageInfo, Sheet } from "./common";

const COLS = 5;
export const SUMMARY_HEADING = "Sammanfattning av ärendet";
const DRAFT_NOTE =
  "Texten i den gula rutan är ett utkast från Uppföljaren, räknat ur siffrorna. Skriv om den fritt: det du skriver behålls vid nästa uppdatering. Ett nytt utkast skrivs bara i en tom ruta (töm rutan och uppdatera) eller när du ber om det (Nytt utkast i panelen, eller uppfoljaren refresh --nytt-utkast); texten det ersätter sparas under Egna anteckningar.";

export function summarySheet(
  result: LedgerResult,
  draft: string,
  redraft: boolean,
  carry: SheetCarry,
  page: PageInfo,
): BuiltSheet {
  const s = new Sheet(REPORT_SHEETS.summary, [20, 20, 20, 20, 20], carry);
  s.title(`Sammanfattning per ${periodLabel(result.period)}`, COLS);
  s.hint(COLS);
  s.text(DRAFT_NOTE, NOTE, COLS);
  s.skip();
  s.line([SUMMARY_HEADING], BOLD);
  s.draftZoneRow("summary", COLS, SUMMARY_HEADING, draft, redraft);
  s.notes(COLS);
  s.print({ orientation: "portrait", fitToWidth: true }, "Sammanfattning", page);
  return s.done();
}
