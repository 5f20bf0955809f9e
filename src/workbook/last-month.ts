/**
 * The period's last month must have outcomes somewhere. When the ledger has outcomes for earlier months
 * but none at all for the period's last one, that month is not booked yet (or the period is a month
 * too late): refreshing would count the whole month as 0, and write and log a deviation and a forecast
 * that are wrong everywhere. So the refresh stops, naming the month column and the latest month with
 * outcomes. A single line with a blank month is the core's warning (ACTUAL_MONTH_MISSING), not this.
 */
import type { LedgerLine, Period } from "../core/types";
import { MONTHS_SV } from "../core/period";
import { rectA1, sheetRectA1 } from "./a1";
import { err, type ResolvedName } from "./contract";
import type { ContractError } from "./types";

export function lastMonthError(
  utfall: ResolvedName | undefined,
  lines: readonly LedgerLine[],
  period: Period,
  /** The period was chosen for this refresh (the runner's --period), not read from the Period cell. */
  chosen = false,
): ContractError | null {
  if (!utfall || utfall.rect.cols !== 12) return null;
  const m = period.month - 1;
  let latest = -1;
  for (const line of lines) {
    const months = line.actualMonthly;
    if (!months) continue;
    if (typeof months[m] === "number") return null;
    for (let j = m - 1; j > latest; j--) {
      if (typeof months[j] === "number") {
        latest = j;
        break;
      }
    }
  }
  if (latest < 0) return null; // no outcomes at all yet: a new template, nothing to mistake
  const column = { ...utfall.rect, col: utfall.rect.col + m, cols: 1 };
  const lastDay = new Date(Date.UTC(period.year, latest + 1, 0)).getUTCDate();
  const suggested = `${period.year}-${String(latest + 1).padStart(2, "0")}-${lastDay}`;
  const month = MONTHS_SV[m];
  const before = MONTHS_SV[latest];
  return err(
    "PERIOD_NOT_BOOKED",
    `${sheetRectA1(column)} (${utfall.name}): ingen rad har utfall för ${month} ${period.year}, men perioden slutar i ${month}; senaste månaden med utfall är ${before}. Perioden är troligen fel: ${chosen ? `välj perioden ${before} i stället` : `ändra Period till ${before} (${suggested})`}, eller fyll i utfallet för ${month}. Inget har skrivits.`,
    `${sheetRectA1(column)} (${utfall.name}): no line has an outcome for ${period.year}-${String(m + 1).padStart(2, "0")}, the period's last month; the latest month with outcomes is ${latest + 1}. The period is probably wrong: ${chosen ? `choose period ${latest + 1} instead` : `set Period to ${suggested}`}, or fill in the month's outcomes. Nothing was written.`,
    column.sheet,
    rectA1(column),
  );
}
