/**
 * The report sheet Prognossäkerhet: the backtest of every line on last year with the recommended
 * method, and, once a year's outcome is in the forecast log, how close each month's forecast came to it
 * (a table and a line chart of the forecast against the outcome).
 *
 * `logHistory` reads the forecast log (the net rows of Prognoslogg and the per-line rows of the hidden
 * Prognoslogg_rader), so the accuracy is shown per line for every line the log holds.
 */
import {
  BACKTEST_METHODS,
  describeAccuracy,
  describeBacktest,
  describeRecommendation,
  forecastAccuracy,
  METHOD_LABELS_SV,
  MONTHS_SV,
  rankMethods,
  type ForecastAccuracy,
  type ForecastHistory,
} from "../core";
import type { LedgerResult } from "../core/types";
import { remembered } from "./cells";
import { REPORT_SHEETS } from "./contract";
import type { ForecastLog } from "./log";
import { amountFormats, PERCENT_FORMAT, ytdLabel } from "./reports";
import type { SheetCarry } from "./reports/carry";
import { BOLD, type BuiltSheet, NOTE, type PageInfo, Sheet } from "./reports/common";
import { withUnit } from "./units";

/** Columns: Post, Metod nu, Rekommenderad, Utfall, one per method, Bedömning. */
const WIDTHS = [44, 16, 16, 16, ...BACKTEST_METHODS.map(() => 11), 60];
const COLS = WIDTHS.length;

/** Swedish lower case, remembered: the log asks for the same few hundred labels once per logged month. */
const lower = remembered((s) => s.toLocaleLowerCase("sv-SE"), 10_000);

/**
 * A line's label with its unit, so the same label in two units stays two rows ("Kostnader (Vårnäs)"),
 * unless the label already names it ("Summa Vårnäs").
 */
const unitLabel = (l: { label: string; orgUnit?: string | null }, units = true) =>
  units && l.orgUnit && !lower(l.label).includes(lower(l.orgUnit)) ? withUnit(l.label, l.orgUnit) : l.label;

/**
 * The history of the latest year whose December (period 12) is in the log (the log after this refresh,
 * log.ts), with every line the per-line log holds; null when no year is complete. The annual budgets
 * (net and per line) are known for the current year only.
 */
export function logHistory(result: LedgerResult, log: ForecastLog): ForecastHistory | null {
  const complete = log.periods
    .filter((p) => p.period.endsWith("-12"))
    .map((p) => Number(p.period.slice(0, 4)));
  if (complete.length === 0) return null;
  const year = Math.max(...complete);
  const periods = log.periods.filter((p) => p.period.startsWith(`${year}-`));
  // A year logged partly before units were logged is matched by label alone, or its series would split.
  const units = periods.every((p) => !p.lines.length || p.lines.some((l) => l.orgUnit !== null));
  const entries = periods.map((p) => ({
    month: Number(p.period.slice(5, 7)),
    net: p.net ? { deviation: p.net.deviation, forecastDeviation: p.net.forecastDeviation } : null,
    lines: p.lines.length
      ? p.lines.map((l) => ({
          label: unitLabel(l, units),
          deviation: l.deviation,
          forecastDeviation: l.forecastDeviation,
        }))
      : null,
  }));
  if (year === result.period.year - 1)
    return { year, entries, annualBudget: { net: lastYearBudget(result) } };
  if (year !== result.period.year) return { year, entries, annualBudget: { net: null } };
  const lines = result.lines.map((l) => ({ label: unitLabel(l, units), annualBudget: l.annualBudget }));
  return { year, entries, annualBudget: { net: result.result.annualBudget, lines } };
}

/** Last year's net annual budget: the sum of BudgetFgAr over the revenue and cost lines, if all have one. */
function lastYearBudget(result: LedgerResult): number | null {
  const budgets = new Map((result.backtests ?? []).map((b) => [b.line, b.budget]));
  let net = 0;
  let any = false;
  for (const line of result.lines) {
    if (line.kind !== "revenue" && line.kind !== "cost") continue;
    const budget = budgets.get(line.index);
    if (budget === undefined || budget === null) return null;
    net += budget;
    any = true;
  }
  return any ? net : null;
}

export function accuracySheet(
  result: LedgerResult,
  history: ForecastHistory | null,
  carry: SheetCarry,
  page: PageInfo,
): BuiltSheet {
  const s = new Sheet(REPORT_SHEETS.accuracy, WIDTHS, carry);
  const { year, month } = result.period;
  s.title("Prognossäkerhet", COLS);
  const head = backtestTable(s, result);
  s.skip();
  const accuracy = history ? forecastAccuracy(history) : null;
  if (accuracy?.known) yearTable(s, result, accuracy);
  else {
    s.line([`Prognossäkerhet över året`], BOLD);
    s.text(
      `Årets utfall är inte känt ännu (${ytdLabel(year, month)}): prognossäkerheten visas när Prognoslogg har en rad för december (period 12).`,
      NOTE,
      COLS,
    );
  }
  s.notes(COLS);
  s.print(
    {
      orientation: "landscape",
      fitToWidth: true,
      ...(head === null ? {} : { repeatRows: { first: head, last: head } }),
    },
    "Prognossäkerhet",
    page,
  );
  return s.done();
}

/** The backtest table; returns its header row (null when there is no table). */
function backtestTable(s: Sheet, result: LedgerResult): number | null {
  const { year, month } = result.period;
  const backtests = result.backtests ?? [];
  s.text(
    `Backtest: varje metod provad på ${year - 1} med utfallet ${ytdLabel(year - 1, month)}, jämförd med fjolårets faktiska helårsutfall. Felet i procent av fjolårets utfall.`,
    NOTE,
    COLS,
  );
  if (backtests.length === 0) {
    s.text("Inga rader har fjolårets månadsutfall (namnet UtfallFgAr saknas eller är tomt).", NOTE, COLS);
    return null;
  }
  const head = s.header([
    "Post",
    "Metod nu",
    "Rekommenderad metod",
    `Utfall ${year - 1}`,
    ...BACKTEST_METHODS.map((m) => `Fel ${METHOD_LABELS_SV[m]}`),
    "Bedömning",
  ]);
  const first = s.row;
  for (const b of backtests) {
    const share = new Map(rankMethods(b).map((m) => [m.method, m.errorShare]));
    const judgement = [describeBacktest(b), describeRecommendation(b)].filter(Boolean).join(". ");
    const r = s.line([
      unitLabel({ label: b.label, orgUnit: result.lines[b.line]?.orgUnit }),
      METHOD_LABELS_SV[b.current],
      b.recommended ? METHOD_LABELS_SV[b.recommended] : null,
      b.outcome,
      ...BACKTEST_METHODS.map((m) => {
        const x = share.get(m);
        return x === undefined || Number.isNaN(x) ? null : x;
      }),
      judgement,
    ]);
    s.fit(r, COLS - 1, 1, judgement);
  }
  const rows = s.row - first;
  const n = BACKTEST_METHODS.length;
  s.format({ row: first, col: 3, rows, cols: 1 }, { numberFormat: amountFormats(result.unit).plain });
  s.format({ row: first, col: 4, rows, cols: n }, { numberFormat: PERCENT_FORMAT });
  // A tall row (a long judgement) reads from the top: the label and figures beside its first line.
  s.format({ row: first, col: 0, rows, cols: 4 + n }, { verticalAlignment: "top" });
  s.format({ row: first, col: 4 + n, rows, cols: 1 }, { wrap: true, verticalAlignment: "top" });
  return head;
}

function yearTable(s: Sheet, result: LedgerResult, accuracy: ForecastAccuracy): void {
  const net = accuracy.net;
  const fmt = amountFormats(result.unit);
  s.line([`Prognossäkerhet ${accuracy.year}: prognosen varje månad mot årets utfall`], BOLD);
  const sentence = describeAccuracy(accuracy, result.unit);
  if (sentence) s.text(sentence, NOTE, COLS);
  if (!net) return;
  const u = result.unit;
  s.header([
    "Period",
    `Prognos budgetavvikelse helår (${u})`,
    `Utfall, avvikelse helår (${u})`,
    `Prognosfel (${u})`,
    "Fel i % av budget",
    `Förändring av felet (${u})`,
  ]);
  const first = s.row;
  for (const p of net.points) {
    s.line([
      `${MONTHS_SV[p.month - 1]} ${accuracy.year}`,
      p.forecastDeviation,
      net.outcome,
      p.error,
      p.errorShare,
      p.change,
    ]);
  }
  const rows = s.row - first;
  s.format({ row: first, col: 1, rows, cols: 3 }, { numberFormat: fmt.deviation });
  s.format({ row: first, col: 4, rows, cols: 1 }, { numberFormat: PERCENT_FORMAT });
  s.format({ row: first, col: 5, rows, cols: 1 }, { numberFormat: fmt.deviation });
  if (rows > 0)
    s.plan.charts.push({
      type: "line",
      title: `Prognos mot utfall ${accuracy.year} (${u})`,
      categories: { row: first, col: 0, rows, cols: 1 },
      series: [
        { name: "Prognos budgetavvikelse helår", values: { row: first, col: 1, rows, cols: 1 } },
        { name: "Utfall", values: { row: first, col: 2, rows, cols: 1 } },
      ],
      anchor: { row: first - 1, col: 7, rows: 16, cols: 7 },
      valueFormat: fmt.plain,
      labelAngle: -45,
    });
  perLineTable(s, accuracy);
}

/** Per line (when the history has lines): the error of each month's forecast against the outcome. */
function perLineTable(s: Sheet, accuracy: ForecastAccuracy): void {
  if (accuracy.lines.length === 0) return;
  const months = [...new Set(accuracy.lines.flatMap((l) => l.points.map((p) => p.month)))].sort(
    (a, b) => a - b,
  );
  s.skip();
  s.line(["Prognosfel per rad (prognos − utfall)"], BOLD);
  s.header(["Post", "Utfall", ...months.map((m) => MONTHS_SV[m - 1]), "Snitt |fel|"]);
  const first = s.row;
  for (const l of accuracy.lines) {
    const byMonth = new Map(l.points.map((p) => [p.month, p.error]));
    s.line([l.label, l.outcome, ...months.map((m) => byMonth.get(m) ?? null), l.meanAbsError]);
  }
  s.format(
    { row: first, col: 1, rows: s.row - first, cols: months.length + 2 },
    { numberFormat: "+#,##0;-#,##0;0" },
  );
}
