/** Åtgärdsplan (S0): areas, lettered measures, amount blocks with their follow-up rows, the summary. */
import { convertUnit, formatMnkr, periodLabel, roundHalfAwayFromZero } from "../../core";
import type { LedgerResult, Unit } from "../../core/types";
import { REPORT_SHEETS } from "../contract";
import type { PlanValue, SheetPlan } from "../types";
import { MNKR_FORMAT, NOTE, Sheet, TITLE } from "./common";

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

export function actionPlan(result: LedgerResult): SheetPlan {
  const s = new Sheet(REPORT_SHEETS.actionPlan);
  const { year } = result.period;
  const plan = result.actionPlan;
  const unit = result.unit;
  s.line([`Åtgärdsplan utifrån budgetuppföljning ${year}`], TITLE);
  s.merge({ row: 0, col: 0, rows: 1, cols: 2 });
  s.line([`Prognos per ${periodLabel(result.period)}. Belopp i mnkr.`], NOTE);
  s.skip();
  const amountRow = (label: string, value: PlanValue) => {
    const r = s.line([label, value]);
    s.format(
      { row: r, col: 1, rows: 1, cols: 1 },
      { numberFormat: MNKR_FORMAT, horizontalAlignment: "right" },
    );
  };
  const followUps = () => {
    for (const f of plan.followUps) s.line([f]);
  };
  const decidedLabel = `Utebliven kostnad, beslutad för ${year}`;

  if (plan.areas.length === 0) {
    s.line(["Inga åtgärder är angivna (namnet Atgarder saknas eller är tomt)."], NOTE);
  }
  for (const area of plan.areas) {
    s.line([`${area.number}. ${area.name}`], { bold: true });
    for (const m of area.measures) {
      const r = s.line([`${m.letter}) ${m.text}`], { wrap: true, verticalAlignment: "top" });
      s.merge({ row: r, col: 0, rows: 1, cols: 2 });
    }
    const forecastLabel = `Prognos utebliven kostnad för ${lowerFirst(area.name)}`;
    const onlyDecided = area.decidedTotal !== 0 && area.forecastTotal === 0;
    let amounts = 0;
    if (area.total !== null && !onlyDecided) {
      amountRow(forecastLabel, mnkr(area.forecastTotal, unit));
      amounts++;
    } else if (area.pendingTexts.length) {
      amountRow(forecastLabel, area.pendingTexts.join("; "));
      amounts++;
    }
    if (area.decidedTotal !== 0) {
      amountRow(decidedLabel, mnkr(area.decidedTotal, unit));
      amounts++;
    }
    if (amounts) followUps();
    s.skip();
  }

  if (plan.areas.length) {
    s.line(["Summering:"], { bold: true });
    const pendingAreas = new Set(plan.areas.filter((a) => a.pendingTexts.length).map((a) => a.name));
    const excluded: { name: string; why: string }[] = [];
    // Decided items first (as the seed's "exkl Ludvikamodellen"), then the amounts not yet given.
    const order = { decided: 0, notGiven: 1 } as const;
    for (const e of [...plan.excluded].sort((a, b) => order[a.reason] - order[b.reason])) {
      if (excluded.some((x) => x.name === e.area)) continue;
      const area = plan.areas.find((a) => a.name === e.area);
      if (e.reason === "decided" && area)
        excluded.push({ name: e.area, why: `beslutad, ${formatMnkr(mnkr(area.decidedTotal, unit))}` });
      else if (e.reason === "notGiven" && pendingAreas.has(e.area) && area)
        excluded.push({ name: e.area, why: lowerFirst(area.pendingTexts[0]) });
    }
    const names = excluded.map((x) => x.name);
    amountRow(
      names.length ? `Prognos utebliven kostnad, exkl ${joinSv(names)}` : "Prognos utebliven kostnad",
      mnkr(plan.forecastTotal, unit),
    );
    if (excluded.length) {
      const r = s.line([`Ej medräknat: ${excluded.map((x) => `${x.name} (${x.why})`).join(", ")}.`], NOTE);
      s.merge({ row: r, col: 0, rows: 1, cols: 2 });
    }
    followUps();
    if (plan.decidedTotal !== 0) amountRow(decidedLabel, mnkr(plan.decidedTotal, unit));
  }
  s.widths(70, 26);
  s.plan.print = { orientation: "portrait", fitToWidth: true };
  return s.plan;
}
