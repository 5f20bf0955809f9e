/**
 * Åtgärdsplan in S0's words: "Åtgärdsplan utifrån budgetuppföljning 2019, Social välfärd", numbered
 * areas with lettered measures (Ansvarig and Status beside them), per area "Prognos utebliven kostnad
 * för <område>" and/or "Utebliven kostnad, beslutad för 2019" followed by one Återrapport row per
 * committee meeting of the year, whose value cell is the ekonom's (a zone keyed by area and meeting
 * date), then "Summering <verksamhet>:" with "Prognos utebliven kostnad, exkl <decided areas>", the
 * amounts not yet given listed apart, and its own Återrapport rows.
 */
import { convertUnit, periodLabel, roundHalfAwayFromZero } from "../../core";
import type { ActionPlanArea, LedgerResult, Unit } from "../../core/types";
import { REPORT_SHEETS } from "../contract";
import { normaliseKey } from "../cells";
import type { PlanValue } from "../types";
import type { SheetCarry } from "./carry";
import { BOLD, type BuiltSheet, MNKR_FORMAT, NOTE, type PageInfo, Sheet } from "./common";

export const ACTION_PLAN_NAMES = { forecastTotal: "Uppf_AtgarderPrognos" } as const;

const mnkr = (x: number, unit: Unit) => roundHalfAwayFromZero(convertUnit(x, unit, "mkr"), 0.1);

function joinSv(items: string[]): string {
  return items.length <= 1
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} och ${items[items.length - 1]}`;
}

/** "Ekonomiskt bistånd" → "ekonomiskt bistånd", but "IFO-skola" and "Ludvikamodellen" as the user wrote them. */
function lowerFirst(s: string): string {
  return /^[A-ZÅÄÖ][a-zåäö]/.test(s) && !/^Ludvika/.test(s) ? s[0].toLowerCase() + s.slice(1) : s;
}

/**
 * What the amount is "för": the ledger line (Post) the area's measures name, without "varav" (S0's
 * "Prognos utebliven kostnad för ekonomiskt bistånd" under a long area title), else the area's name.
 */
export function amountSubject(area: ActionPlanArea): string {
  const posts = new Set(
    area.measures
      .map((m) => m.line?.trim())
      .filter((p): p is string => !!p)
      .map((p) => p.replace(/^varav\s+/i, "")),
  );
  return lowerFirst(posts.size === 1 ? [...posts][0] : area.name);
}

/** The zone key of an Återrapport row: the area and the meeting's date, so a follow-up keeps its meeting. */
export function followUpKey(area: string, isoDate: string): string {
  return `followup|${normaliseKey(area)}|${isoDate}`;
}

const COLS = 4;

export function actionPlan(result: LedgerResult, carry: SheetCarry, page: PageInfo): BuiltSheet {
  const s = new Sheet(REPORT_SHEETS.actionPlan, [62, 30, 18, 16], carry);
  const { year } = result.period;
  const plan = result.actionPlan;
  const unit = result.unit;
  const verksamhet = page.verksamhet;
  s.title(`Åtgärdsplan utifrån budgetuppföljning ${year}${verksamhet ? `, ${verksamhet}` : ""}`, COLS);
  s.line([`Prognos per ${periodLabel(result.period)}. Belopp i mnkr.`], NOTE);
  s.hint(COLS);
  s.skip();
  const withPeople = plan.areas.some((a) => a.measures.some((m) => m.responsible || m.status));
  const amountRow = (label: string, value: PlanValue): number => {
    const r = s.line([label, value]);
    s.format({ row: r, col: 0, rows: 1, cols: 1 }, { wrap: true, verticalAlignment: "top" });
    s.format(
      { row: r, col: 1, rows: 1, cols: 1 },
      { numberFormat: MNKR_FORMAT, horizontalAlignment: "right", verticalAlignment: "top" },
    );
    s.fit(r, 0, 1, label);
    return r;
  };
  const dates = plan.followUpDates ?? [];
  const followUps = (area: string) =>
    plan.followUps.forEach((label, i) => {
      const r = s.row;
      const value = s.zone(followUpKey(area, dates[i] ?? label), r, 1, COLS - 1, `${label}, ${area}`, 1);
      s.line([label, value]);
    });

  if (plan.areas.length === 0)
    s.line(["Inga åtgärder är angivna (namnet Atgarder saknas eller är tomt)."], NOTE);
  for (const area of plan.areas) {
    const head = s.line(
      withPeople
        ? [`${area.number}. ${area.name}`, null, "Ansvarig", "Status"]
        : [`${area.number}. ${area.name}`],
      { ...BOLD, wrap: true, verticalAlignment: "top" },
    );
    s.merge({ row: head, col: 0, rows: 1, cols: withPeople ? 2 : COLS });
    s.fit(head, 0, withPeople ? 2 : COLS, `${area.number}. ${area.name}`, undefined, true);
    for (const m of area.measures) {
      const text = `${m.letter}. ${m.text}`;
      const r = s.line(withPeople ? [text, null, m.responsible ?? null, m.status ?? null] : [text]);
      s.merge({ row: r, col: 0, rows: 1, cols: withPeople ? 2 : COLS });
      s.format({ row: r, col: 0, rows: 1, cols: COLS }, { wrap: true, verticalAlignment: "top" });
      s.fit(r, 0, withPeople ? 2 : COLS, text);
      if (withPeople) {
        s.fit(r, 2, 1, m.responsible ?? "");
        s.fit(r, 3, 1, m.status ?? "");
      }
    }
    const label = `Prognos utebliven kostnad för ${amountSubject(area)}`;
    let amounts = 0;
    const pendingText = area.pendingTexts.join("; ");
    if (area.forecastTotal !== 0 || (area.total !== null && area.decidedTotal === 0)) {
      amountRow(label, mnkr(area.forecastTotal, unit));
      amounts++;
      // A measure whose amount comes later is part of the area too: said beside the amounts given.
      if (pendingText) amountRow("Därutöver, belopp ges senare", pendingText);
    } else if (pendingText) {
      amountRow(label, pendingText);
      amounts++;
    }
    if (area.decidedTotal !== 0) {
      amountRow(`Utebliven kostnad, beslutad för ${year}`, mnkr(area.decidedTotal, unit));
      amounts++;
    }
    if (amounts) followUps(area.name);
    s.skip();
  }

  let totalRow = -1;
  if (plan.areas.length) {
    s.line([verksamhet ? `Summering ${verksamhet}:` : "Summering:"], BOLD);
    const decided = plan.areas.filter((a) => a.decidedTotal !== 0).map((a) => a.name);
    const pending = plan.areas.filter((a) => a.pendingTexts.length);
    totalRow = amountRow(
      decided.length ? `Prognos utebliven kostnad, exkl ${joinSv(decided)}` : "Prognos utebliven kostnad",
      mnkr(plan.forecastTotal, unit),
    );
    if (pending.length) {
      const texts = [...new Set(pending.flatMap((a) => a.pendingTexts))];
      amountRow(`Ej medräknat, belopp ges senare: ${joinSv(pending.map((a) => a.name))}`, texts.join("; "));
    }
    followUps("Summering");
  }
  s.name(ACTION_PLAN_NAMES.forecastTotal, totalRow >= 0 ? totalRow : s.row, 1);
  s.notes(COLS);
  s.print({ orientation: "portrait", fitToWidth: true }, "Åtgärdsplan", page);
  return s.done();
}
