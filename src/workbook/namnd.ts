/**
 * The nämnd's workbook from a batch run over unit workbooks: the write plan of a new workbook with
 * - Sammanställning: every unit's figures side by side per line, and their sum (deviation to date and
 *   full-year forecast deviation), then the net result and the balance target;
 * - Driftsredovisning: the consolidated table and a section per unit (as a workbook with units);
 * - Åtgärdsplan: the units' measures, each area named by its unit;
 * - Körning: which workbooks went in, and which could not be used and why.
 * Pure: the combined result comes from combineLedgers(), the hosts render the plan.
 */
import { capitalised, consolidate, countNoun, periodLabel } from "../core";
import type { LedgerResult, Unit } from "../core/types";
import { defaultConfig } from "./config";
import { periodSpan } from "./dates";
import {
  actionPlan,
  amountFormats,
  type PageInfo,
  pageHeaderFooter,
  REPORT_SHEETS,
  SheetCarry,
} from "./reports";
import type { CellStyle, PlanValue, SheetPlan, WritePlan } from "./types";
import { measuresWithUnits, operatingStatementsByUnit } from "./units";

export const NAMND_SHEETS = { overview: "Sammanställning", runs: "Körning" } as const;

/** One workbook of the batch, as the Körning sheet lists it. */
export interface BatchRow {
  file: string;
  /** The unit the workbook stands for (null when it could not be read). */
  unit: string | null;
  status: "ok" | "unusable" | "failed";
  /** Why it could not be used (Swedish), or null. */
  message: string | null;
  errors: number;
  warnings: number;
  deviation: number | null;
  forecastDeviation: number | null;
}

const FONT: CellStyle = { fontName: "Calibri", fontSize: 11 };
const TITLE: CellStyle = { ...FONT, bold: true, fontSize: 14 };
const HEADER: CellStyle = {
  ...FONT,
  bold: true,
  wrap: true,
  verticalAlignment: "bottom",
  borderBottom: "thin",
};
const NOTE: CellStyle = { ...FONT, italic: true, fontColor: "#595959" };

function emptySheet(name: string): SheetPlan {
  return { name, owned: true, values: [], formats: [], merges: [], columnWidths: [], charts: [] };
}

/**
 * The nämnd workbook's plan. Its first sheet, Sammanställning, is the one sheet of the new (blank)
 * workbook it is rendered into; as a report sheet of the product it is rebuilt in that sheet's place,
 * with its column widths and print setup (a sheet planned as the user's would get its cells only).
 */
export function namndPlan(combined: LedgerResult, runs: BatchRow[]): WritePlan {
  const config = defaultConfig();
  config.settings.unitReports = "sections";
  // A new workbook: nothing typed to carry yet; its comment zones and note areas start empty.
  const carry = (sheet: string) => new SheetCarry(sheet);
  const page: PageInfo = { verksamhet: null, period: periodSpan(combined.period) };
  const built = [
    ...operatingStatementsByUnit(combined, [], config, carry, page),
    actionPlan(measuresWithUnits(combined), carry(REPORT_SHEETS.actionPlan), page),
  ];
  return {
    version: 1,
    sheets: [
      overviewSheet(combined, runs, page),
      ...built.map((b) => b.plan),
      runsSheet(runs, combined.unit, page),
    ],
    names: built.flatMap((b) => b.names),
  };
}

/** The units' figures side by side: one block for the deviation to date, one for the full year. */
export function overviewSheet(combined: LedgerResult, runs: BatchRow[], page: PageInfo): SheetPlan {
  const s = emptySheet(NAMND_SHEETS.overview);
  const units = combined.units?.units ?? [];
  const { lines, groupOf } = consolidate(combined);
  const unitOf = new Int32Array(combined.lines.length).fill(-1);
  units.forEach((u, k) => u.lines.forEach((i) => (unitOf[i] = k)));
  const end = periodLabel(combined.period);
  const fmt = amountFormats(combined.unit);
  const cols = units.length + 2;
  let row = 0;
  const put = (values: PlanValue[], style?: CellStyle) => {
    s.values.push({ row, col: 0, values: [values] });
    if (style) s.formats.push({ rect: { row, col: 0, rows: 1, cols: values.length }, style });
    return row++;
  };
  put([`Sammanställning per enhet, nettoresultat (${combined.unit})`], TITLE);
  const failed = runs.filter((r) => r.status !== "ok").length;
  put(
    [
      `${capitalised(countNoun(units.length, "enhet", "enheter"))} per ${end}, var och en uppdaterad i sin egen arbetsbok.` +
        (failed
          ? ` ${capitalised(countNoun(failed, "arbetsbok", "arbetsböcker"))} kunde inte användas och ingår inte (se bladet Körning).`
          : ""),
    ],
    NOTE,
  );
  const blocks = [
    { title: `Avvikelse per ${end}`, key: "deviation" as const },
    { title: `Prognos budgetavvikelse helår ${combined.period.year}`, key: "forecastDeviation" as const },
  ];
  for (const block of blocks) {
    row++;
    s.rowHeights = [...(s.rowHeights ?? []), { row, height: 30 }];
    put([block.title, ...units.map((u) => u.name), "Summa"], HEADER);
    const grid: (number | null)[][] = lines.map(() => Array<number | null>(units.length).fill(null));
    combined.lines.forEach((l, i) => {
      const g = groupOf[i];
      const u = unitOf[i];
      if (g >= 0 && u >= 0) grid[g][u] = (grid[g][u] ?? 0) + l[block.key];
    });
    const first = row;
    lines.forEach((l, g) => {
      const r = put([l.label, ...grid[g], l[block.key]]);
      if (l.kind === "ofWhich")
        s.formats.push({ rect: { row: r, col: 0, rows: 1, cols: 1 }, style: { indent: 1 } });
    });
    const net = combined.result;
    put(["Summa", ...units.map((u) => u.result[block.key]), net[block.key]], {
      ...FONT,
      bold: true,
      borderTop: "thin",
    });
    if (block.key === "forecastDeviation" && net.balanceTarget !== null) {
      put(["Ekonomi i balans", ...units.map(() => null), net.balanceTarget]);
      put(["Avvikelse jämfört ekonomi i balans", ...units.map(() => null), net.deviationVsBalanceTarget], {
        ...FONT,
        bold: true,
      });
    }
    s.formats.push({
      rect: { row: first, col: 1, rows: row - first, cols: cols - 1 },
      style: { numberFormat: fmt.deviation },
    });
  }
  s.columnWidths = [
    { col: 0, width: 44 },
    ...units.map((_, k) => ({ col: k + 1, width: 14 })),
    { col: cols - 1, width: 16 },
  ];
  s.freeze = { rows: 0, cols: 1 };
  s.print = {
    orientation: "landscape",
    fitToWidth: true,
    ...pageHeaderFooter(NAMND_SHEETS.overview, page),
  };
  return s;
}

const STATUS_SV = { ok: "Uppdaterad", unusable: "Kan inte användas", failed: "Oväntat fel" } as const;

/** Which workbooks the run used, and why the others could not be used. */
export function runsSheet(runs: BatchRow[], unit: Unit, page: PageInfo): SheetPlan {
  const s = emptySheet(NAMND_SHEETS.runs);
  s.values.push({ row: 0, col: 0, values: [["Körning"]] });
  s.formats.push({ rect: { row: 0, col: 0, rows: 1, cols: 1 }, style: TITLE });
  const header = [
    "Arbetsbok",
    "Enhet",
    "Status",
    "Avvikelse",
    "Prognosavvikelse helår",
    "Fel",
    "Varningar",
    "Meddelande",
  ];
  s.values.push({
    row: 1,
    col: 0,
    values: [
      header,
      ...runs.map((r) => [
        r.file,
        r.unit,
        STATUS_SV[r.status],
        r.deviation,
        r.forecastDeviation,
        // Counts only for a workbook that was checked; one that could not be used has none.
        r.status === "ok" ? r.errors : null,
        r.status === "ok" ? r.warnings : null,
        r.message,
      ]),
    ],
  });
  s.formats.push({ rect: { row: 1, col: 0, rows: 1, cols: header.length }, style: HEADER });
  s.formats.push({
    rect: { row: 2, col: 3, rows: Math.max(1, runs.length), cols: 2 },
    style: { numberFormat: amountFormats(unit).deviation },
  });
  s.formats.push({
    rect: { row: 2, col: 7, rows: Math.max(1, runs.length), cols: 1 },
    style: { ...FONT, wrap: true },
  });
  s.columnWidths = [28, 24, 18, 14, 16, 8, 10, 80].map((width, col) => ({ col, width }));
  s.freeze = { rows: 2, cols: 0 };
  s.print = {
    orientation: "landscape",
    fitToWidth: true,
    repeatRows: { first: 1, last: 1 },
    ...pageHeaderFooter(NAMND_SHEETS.runs, page),
  };
  return s;
}
