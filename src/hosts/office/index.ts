/**
 * The AddinApi over Office.js (the task pane and the ribbon command use it): every method is one
 * Excel.run batch built on OfficeWorkbookPort. The stored configuration (role mapping + settings) is a
 * custom XML part in the namespace urn:uppfoljaren:config:1, the same part the .xlsx host reads.
 *
 * A refresh is at most 3 syncs up to 5 000 lines: metadata + configuration + the ledger's first rows,
 * the rest of the values (and the report sheets), and the write; more only when the reads or the write
 * are chunked, or one more when the workbook's names are worksheet-scoped (see port.ts and read.ts).
 */
import { METHOD_LABELS_SV } from "../../core/methods";
import type { ForecastMethod, Period } from "../../core/types";
import { sheetRectA1 } from "../../workbook/a1";
import { CONFIG_NAMESPACE, parseConfig, serializeConfig } from "../../workbook/config";
import {
  LINE_LOG_SHEET,
  lookupRoles,
  planRead,
  REPORT_SHEETS,
  ROLE_SHAPES,
  STATE_SHEET,
} from "../../workbook/contract";
import { serialToDate } from "../../workbook/dates";
import { buildInput } from "../../workbook/input";
import { refresh, type RefreshOutcome, type RefreshStep } from "../../workbook/pipeline";
import type { RawCell, Role, SheetRect, StoredConfig, WritePlan } from "../../workbook/types";
import type { AddinApi, Detection, RoleStatus } from "./api";
import { OfficeWorkbookPort, type OfficePortOptions } from "./port";

export { OfficeWorkbookPort, toExcelValue, charsToPoints, mergeRuns } from "./port";
export type { AddinApi } from "./api";

export type ExcelRun = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

export interface OfficeApiOptions extends OfficePortOptions {
  isPreview?: boolean;
}

/** The add-in's minimum requirement set (declared in manifest.xml too). */
export const REQUIRED_SET = { name: "ExcelApi", version: "1.9" } as const;

export const UNSUPPORTED_EXCEL_MESSAGE =
  "Uppföljaren kräver Excel 2021, Microsoft 365, Excel på webben eller Excel för Mac (ExcelApi 1.9). " +
  "Den här Excel-versionen är för gammal: uppdatera Office eller öppna arbetsboken i Excel på webben.";

/** Null when this Excel is new enough, else the Swedish message to show. */
export function checkExcelRequirements(
  isSetSupported: (set: string, version: string) => boolean = (s, v) =>
    (globalThis as { Office?: typeof Office }).Office?.context?.requirements?.isSetSupported(s, v) ?? false,
): string | null {
  return isSetSupported(REQUIRED_SET.name, REQUIRED_SET.version) ? null : UNSUPPORTED_EXCEL_MESSAGE;
}

/** A Swedish error the pane and the ribbon show as is. */
export class AddinError extends Error {
  override name = "AddinError";
}

/**
 * The sheets a refresh may read (the report sheets it owns), read ahead with the metadata: their first
 * rows, and all of the state sheet, which says what the rest of the read can leave out.
 */
const OWNED_SHEETS = {
  sheets: [...Object.values(REPORT_SHEETS), STATE_SHEET, LINE_LOG_SHEET],
  whole: [STATE_SHEET],
};

export function createOfficeApi(
  run: ExcelRun = (batch) => Excel.run(batch),
  options: OfficeApiOptions = {},
): AddinApi {
  const port = (ctx: Excel.RequestContext) => new OfficeWorkbookPort(ctx, options);

  async function loadConfigIn(ctx: Excel.RequestContext): Promise<StoredConfig> {
    const { configXml } = await port(ctx).readMetaAndConfig(parseConfig);
    return parseConfig(configXml);
  }

  return {
    isPreview: options.isPreview ?? false,

    detect: () =>
      run(async (ctx) => {
        const p = port(ctx);
        const { meta, configXml } = await p.readMetaAndConfig(parseConfig);
        const config = parseConfig(configXml);
        const lookups = lookupRoles(meta, config);
        const used = new Set<string>();
        const roles: RoleStatus[] = lookups.map((l) => {
          const status: RoleStatus = {
            role: l.role,
            required: ROLE_SHAPES[l.role].required,
            name: l.status === "found" ? l.resolved.name : l.status === "error" ? l.wanted : null,
            found: l.status === "found",
          };
          if (l.status === "found") {
            status.address = sheetRectA1(l.resolved.rect);
            used.add(`${l.resolved.scope ?? ""}!${l.resolved.name}`.toUpperCase());
          }
          return status;
        });
        const otherNames = meta.names
          .filter((n) => !n.name.startsWith("_") && !used.has(`${n.scope ?? ""}!${n.name}`.toUpperCase()))
          .map((n) => (n.scope ? `${quote(n.scope)}!${n.name}` : n.name));
        const rect = (role: Role): SheetRect | null => {
          const l = lookups.find((x) => x.role === role);
          return l?.status === "found" && l.resolved.rect.rows === 1 && l.resolved.rect.cols === 1
            ? l.resolved.rect
            : null;
        };
        const periodRect = rect("Period");
        const yearRect = rect("Ar");
        let period: Period | null = null;
        if (periodRect) {
          const read = await p.read({
            ranges: [
              { key: "Period", rect: periodRect, formulas: false },
              ...(yearRect ? [{ key: "Ar", rect: yearRect, formulas: false }] : []),
            ],
            sheets: [],
          });
          const cell = (key: string) => read.ranges.find((r) => r.key === key)?.values[0]?.[0] ?? null;
          period = readPeriod(cell("Period"), cell("Ar"));
        }
        return { roles, otherNames, period } satisfies Detection;
      }),

    loadConfig: () => run(loadConfigIn),

    saveConfig: (config) =>
      run(async (ctx) => {
        const parts = ctx.workbook.customXmlParts.getByNamespace(CONFIG_NAMESPACE).load("items/id");
        await ctx.sync();
        for (const part of parts.items) part.delete();
        ctx.workbook.customXmlParts.add(serializeConfig(config));
        await ctx.sync();
      }),

    mapRoleToSelection: (role) =>
      run(async (ctx) => {
        const config = await loadConfigIn(ctx);
        const wanted = config.mapping[role] ?? role;
        const bang = wanted.lastIndexOf("!");
        const scope =
          bang > 0
            ? wanted
                .slice(0, bang)
                .replace(/^'(.*)'$/, "$1")
                .replace(/''/g, "'")
            : null;
        const name = bang > 0 ? wanted.slice(bang + 1) : wanted;
        const wb = ctx.workbook;
        const names = scope === null ? wb.names : wb.worksheets.getItem(scope).names;
        const selection = wb.getSelectedRange().load("address");
        const existing = names.getItemOrNullObject(name).load("name");
        await ctx.sync();
        if (!existing.isNullObject) existing.delete();
        names.add(name, selection);
        await ctx.sync();
        return selection.address;
      }),

    refresh: (onProgress?: (step: RefreshStep) => void, options: { newDraft?: boolean } = {}) =>
      run(async (ctx): Promise<RefreshOutcome> => {
        const p = port(ctx);
        const { configXml } = await p.readMetaAndConfig(parseConfig, OWNED_SHEETS);
        return refresh(p, parseConfig(configXml), { onProgress, newDraft: options.newDraft });
      }),

    selectCell: (sheet, cell) =>
      run(async (ctx) => {
        const ws = ctx.workbook.worksheets.getItem(sheet);
        ws.activate();
        ws.getRange(cell).select();
        await ctx.sync();
      }),

    setLineMethod: (lineIndex: number, method: ForecastMethod | null) =>
      run(async (ctx) => {
        const p = port(ctx);
        const { meta, configXml } = await p.readMetaAndConfig(parseConfig, OWNED_SHEETS);
        const config = parseConfig(configXml);
        const planned = planRead(meta, config);
        if ("errors" in planned) throw new AddinError(planned.errors[0].message);
        const metod = planned.resolution.roles.Metod;
        if (!metod)
          throw new AddinError(
            "Arbetsboken har inget namn Metod. Lägg till en kolumn för prognosmetod bredvid Poster och ge den namnet Metod (Formler > Definiera namn).",
          );
        const built = buildInput(planned.resolution, await p.read(planned.request), config, {});
        if ("errors" in built) throw new AddinError(built.errors[0].message);
        const row = built.layout.lineRows[lineIndex];
        if (row === undefined) throw new AddinError(`Rad ${lineIndex + 1} finns inte i Poster.`);
        // The method names are plain lower-case words, which Excel keeps as text as they are, so they
        // are written without the apostrophe toExcelValue adds: in a cell formatted as text ("@") Excel
        // stores what is written as it is ("Format numbers as text",
        // https://support.microsoft.com/office/format-numbers-as-text-583160db-666e-4f04-bb3d-1ba2ae2fba0c),
        // so an apostrophe would stay part of the text and the method would not be recognised.
        const value = method === null ? "" : METHOD_LABELS_SV[method];
        ctx.workbook.worksheets
          .getItem(metod.rect.sheet)
          .getRangeByIndexes(metod.rect.row + row, metod.rect.col, 1, 1).values = [[value]];
        await ctx.sync();
      }),

    insertTemplate: () =>
      run(async (ctx) => {
        const p = port(ctx);
        const { meta, configXml } = await p.readMetaAndConfig(parseConfig);
        const found = lookupRoles(meta, parseConfig(configXml)).filter((l) => l.status !== "missing");
        if (found.length)
          throw new AddinError(
            `Arbetsboken har redan namn ur mallen (${found.map((l) => l.role).join(", ")}). Mallen läggs bara till i en arbetsbok utan dem.`,
          );
        const taken = new Set(meta.sheets.map((s) => s.name.toUpperCase()));
        let sheet = "Mall";
        for (let i = 2; taken.has(sheet.toUpperCase()); i++) sheet = `Mall (${i})`;
        await p.write(templatePlan(sheet));
      }),
  };
}

function quote(sheet: string): string {
  return /^[A-Za-z_\u00C0-\u024F][\w.\u00C0-\u024F]*$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
}

/** The period a workbook states: a date serial, an ISO date text, or a month number with `Ar`. */
export function readPeriod(period: RawCell, year: RawCell): Period | null {
  if (typeof period === "number") {
    if (Number.isInteger(period) && period >= 1 && period <= 12)
      return typeof year === "number" && year > 1900 ? { year, month: period } : null;
    if (period > 366) {
      const d = serialToDate(period);
      return { year: d.year, month: d.month };
    }
  }
  if (typeof period === "string") {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(period.trim());
    if (m) return { year: Number(m[1]), month: Number(m[2]) };
  }
  return null;
}

const TEMPLATE_LINES = 20;

/** The empty template sheet (Mall) with the contract's names, as a write plan the port renders. */
export function templatePlan(sheet: string): WritePlan {
  const first = 8;
  const n = TEMPLATE_LINES;
  const headers = [
    "Post",
    "Radtyp",
    "Budget helår",
    "Utfall",
    "Avvikelse",
    "Prognos helår",
    "Prognosavvikelse",
    "Metod",
    "Manuell prognos",
    "Kommentar",
  ];
  const roles: [Role, number][] = [
    ["Poster", 0],
    ["Radtyp", 1],
    ["Budget", 2],
    ["Utfall", 3],
    ["Avvikelse", 4],
    ["Prognos", 5],
    ["Prognosavvikelse", 6],
    ["Metod", 7],
    ["ManuellPrognos", 8],
    ["Kommentar", 9],
  ];
  const cells: [Role, number, string, string | null][] = [
    ["Period", 2, "Period (datum)", null],
    ["Enhet", 3, "Enhet", "tkr"],
    ["Balansmal", 4, "Balansmål", null],
    ["Avrundning", 5, "Avrundning", null],
  ];
  return {
    version: 1,
    sheets: [
      {
        name: sheet,
        owned: true,
        values: [
          { row: 0, col: 0, values: [["Budgetuppföljning – mall"]] },
          ...cells.map(([, row, label, value]) => ({ row, col: 0, values: [[label, value]] })),
          { row: first - 1, col: 0, values: [headers] },
        ],
        formats: [
          { rect: { row: 0, col: 0, rows: 1, cols: 1 }, style: { bold: true, fontSize: 14 } },
          {
            rect: { row: first - 1, col: 0, rows: 1, cols: headers.length },
            style: { bold: true, borderBottom: "thin", wrap: true },
          },
          { rect: { row: 2, col: 1, rows: 1, cols: 1 }, style: { numberFormat: "yyyy-mm-dd" } },
          { rect: { row: first, col: 2, rows: n, cols: 5 }, style: { numberFormat: "#,##0;-#,##0" } },
          { rect: { row: first, col: 8, rows: n, cols: 1 }, style: { numberFormat: "#,##0;-#,##0" } },
        ],
        merges: [],
        columnWidths: [
          { col: 0, width: 32 },
          ...headers.slice(1).map((_, i) => ({ col: i + 1, width: i === 8 ? 40 : 14 })),
        ],
        freeze: { rows: first, cols: 1 },
        charts: [],
      },
    ],
    names: [
      ...roles.map(([role, col]) => ({
        name: role,
        scope: null,
        ref: { sheet, row: first, col, rows: n, cols: 1 },
      })),
      ...cells.map(([role, row]) => ({
        name: role,
        scope: null,
        ref: { sheet, row, col: 1, rows: 1, cols: 1 },
      })),
    ],
  };
}
