/**
 * The self-test's steps (selftest.ts runs them): each queues the calls of one check on a batch and
 * returns what compares Excel's answers after the sync. The write phase makes the calls of port.ts's
 * write and index.ts's saveConfig on the temporary sheet; the verify phase reads everything back.
 */
import { METHOD_LABELS_SV } from "../../core/methods";
import { parseConfig } from "../../workbook/config";
import { charsToPoints, toExcelValue } from "./port";
import {
  AREAS,
  COLUMN_WIDTH_CHARS,
  DATE_FORMAT,
  Expectations,
  FOOTER,
  HEADER,
  NUMBER_FORMAT,
  ROW_HEIGHT_POINTS,
  SELFTEST_NAMESPACE,
  SIZE_TOLERANCE_POINTS,
  TEXT_FORMAT,
  VALUES,
  expectedValues,
  selfTestConfig,
  selfTestConfigXml,
  show,
  type CheckId,
  type CheckReason,
  type CheckResult,
  type CheckStatus,
} from "./selftest-expect";

export type Evaluate = (expect: Expectations, result: CheckResult) => void;

export interface Step {
  id: CheckId;
  /** Queues the step's calls; what it returns runs after the sync and compares the results. */
  queue(ctx: Excel.RequestContext): Evaluate | void;
  /** Status when Excel refuses the step (default "fail"), e.g. a selection of several areas. */
  refused?: { status: CheckStatus; reason?: CheckReason };
}

export interface Temp {
  sheet: string;
  workbookName: string;
  sheetName: string;
}

/** What an interrupted earlier run left: its sheets, workbook names and XML parts (by id). */
export interface Leftovers {
  sheets: string[];
  names: string[];
  parts: string[];
  length: number;
}

/**
 * A ClientResult's value. Every Evaluate runs after its phase's sync (SelfTest.phase), which the
 * office-addins lint rules cannot follow through the closures.
 */
export function resultOf<T>(result: OfficeExtension.ClientResult<T>): T {
  return result.value;
}

export function sheetOf(ctx: Excel.RequestContext, temp: Temp): Excel.Worksheet {
  return ctx.workbook.worksheets.getItem(temp.sheet);
}

/** As the port's write: calculation and screen updating suspended until the sync. */
export function suspend(ctx: Excel.RequestContext, supports: (s: string, v: string) => boolean): void {
  if (supports("ExcelApi", "1.6")) ctx.application.suspendApiCalculationUntilNextSync();
  if (supports("ExcelApi", "1.9")) ctx.application.suspendScreenUpdatingUntilNextSync();
}

const rect = (ws: Excel.Worksheet, row: number, col: number, rows = 1, cols = 1) =>
  ws.getRangeByIndexes(row, col, rows, cols);

/** The write phase: the calls of port.ts's write and index.ts's saveConfig, on the temporary sheet. */
export function writeSteps(
  t: { sheetAdded: boolean },
  temp: Temp,
  supports: (s: string, v: string) => boolean,
): Step[] {
  const ws = (ctx: Excel.RequestContext) => sheetOf(ctx, temp);
  return [
    {
      id: "sheet",
      queue: (ctx) => {
        suspend(ctx, supports);
        ctx.workbook.worksheets.add(temp.sheet);
        return () => {
          t.sheetAdded = true;
        };
      },
    },
    {
      id: "values",
      queue: (ctx) => {
        rect(ws(ctx), 0, 0, VALUES.length, VALUES[0].length).values = VALUES.map((l) => l.map(toExcelValue));
      },
    },
    {
      id: "textFormat",
      queue: (ctx) => {
        // As setLineMethod (index.ts) writes a method into a Metod cell: the plain word, no apostrophe.
        const cell = rect(ws(ctx), 1, 5);
        cell.numberFormat = [[TEXT_FORMAT]];
        cell.values = [[METHOD_LABELS_SV.linear]];
        // And what Excel does with the apostrophe form (toExcelValue) in such a cell, for the record.
        const probe = rect(ws(ctx), 2, 5);
        probe.numberFormat = [[TEXT_FORMAT]];
        probe.values = [[toExcelValue(METHOD_LABELS_SV.linear)]];
      },
    },
    {
      id: "numberFormats",
      queue: (ctx) => {
        // One format for a block: a single value applies to every cell ("When setting numberFormat to a
        // range, the value argument can be either a single value (string) or a two-dimensional array",
        // Excel.Range.numberFormat reference).
        (rect(ws(ctx), 1, 1, 4, 2) as { numberFormat: unknown }).numberFormat = NUMBER_FORMAT;
        const date = rect(ws(ctx), 1, 6);
        date.values = [[43585]];
        date.numberFormat = [[DATE_FORMAT]];
      },
    },
    {
      id: "styles",
      queue: (ctx) => {
        const head = rect(ws(ctx), 0, 0, 1, 5).format;
        head.font.bold = true;
        head.font.name = "Calibri";
        head.font.size = 11;
        head.font.color = "#1F3864";
        head.fill.color = "#DDEBF7";
        head.horizontalAlignment = "Center";
        head.verticalAlignment = "Top";
        head.wrapText = true;
        const edge = head.borders.getItem("EdgeBottom");
        edge.style = "Continuous";
        edge.weight = "Thin";
        const labels = rect(ws(ctx), 1, 0, 4, 1).format;
        labels.horizontalAlignment = "Left";
        labels.indentLevel = 1;
        rect(ws(ctx), 1, 1).format.font.italic = true;
        // As render.ts writes one format value over all its areas (Worksheet.getRanges, ExcelApi 1.9).
        ws(ctx).getRanges(AREAS).format.font.bold = true;
      },
    },
    {
      id: "merges",
      queue: (ctx) => {
        rect(ws(ctx), 6, 0, 1, 3).merge(false);
        rect(ws(ctx), 7, 0, 3, 3).merge(true);
      },
    },
    {
      id: "sizes",
      queue: (ctx) => {
        rect(ws(ctx), 0, 0).format.columnWidth = charsToPoints(COLUMN_WIDTH_CHARS);
        rect(ws(ctx), 0, 0).format.rowHeight = ROW_HEIGHT_POINTS;
      },
    },
    { id: "freeze", queue: (ctx) => ws(ctx).freezePanes.freezeAt(rect(ws(ctx), 0, 0)) },
    {
      id: "print",
      queue: (ctx) => {
        const layout = ws(ctx).pageLayout;
        layout.orientation = "Landscape";
        layout.zoom = { horizontalFitToPages: 1, verticalFitToPages: 0 };
        layout.setPrintTitleRows("$1:$1");
        layout.headersFooters.defaultForAllPages.centerHeader = HEADER;
        layout.headersFooters.defaultForAllPages.centerFooter = FOOTER;
      },
    },
    {
      id: "chart",
      queue: (ctx) => {
        // As port.ts's chart(): the first series from add(), the next one added and given its values.
        const sheet = ws(ctx);
        const chart = sheet.charts.add("ColumnClustered", rect(sheet, 1, 1, 4, 1), "Columns");
        chart.title.text = "Självtest";
        chart.axes.valueAxis.numberFormat = "#,##0;-#,##0;0";
        chart.axes.categoryAxis.textOrientation = -45;
        const first = chart.series.getItemAt(0);
        first.name = "Budget";
        first.setXAxisValues(rect(sheet, 1, 0, 4, 1));
        const second = chart.series.add("Utfall");
        second.setValues(rect(sheet, 1, 2, 4, 1));
        second.setXAxisValues(rect(sheet, 1, 0, 4, 1));
        chart.setPosition(rect(sheet, 0, 8), rect(sheet, 14, 14));
      },
    },
    {
      id: "names",
      queue: (ctx) => {
        ctx.workbook.names.add(temp.workbookName, rect(ws(ctx), 1, 0, 4, 1));
        ws(ctx).names.add(temp.sheetName, rect(ws(ctx), 1, 1, 4, 1));
      },
    },
    { id: "customXml", queue: (ctx) => void ctx.workbook.customXmlParts.add(selfTestConfigXml()) },
  ];
}

/** The verify phase: every property read back, then sheet protection on and off. */
export function verifySteps(temp: Temp, supports: (s: string, v: string) => boolean): Step[] {
  const ws = (ctx: Excel.RequestContext) => sheetOf(ctx, temp);
  const sheetRef = `=${temp.sheet}!`;
  return [
    {
      id: "sheet",
      queue: (ctx) => {
        // Hidden as the add-in hides a sheet it keeps for itself (SheetPlan.hidden).
        ws(ctx).visibility = "Hidden";
        const sheet = ws(ctx).load("name,visibility");
        return (e) => e.eq("visibility", "Hidden", sheet.visibility).eq("name", temp.sheet, sheet.name);
      },
    },
    {
      id: "values",
      queue: (ctx) => {
        const range = rect(ws(ctx), 0, 0, VALUES.length, VALUES[0].length).load("values,valueTypes,formulas");
        return (e) => {
          const want = expectedValues();
          e.eq("A1:E5 values", want.values, range.values);
          e.eq("A1:E5 valueTypes", want.valueTypes, range.valueTypes);
          VALUES.forEach((line, r) =>
            line.forEach((v, c) => {
              if (typeof v === "number") e.eq(`R${r + 1}C${c + 1} formulas`, v, range.formulas[r][c]);
            }),
          );
        };
      },
    },
    {
      id: "textFormat",
      queue: (ctx) => {
        const cell = rect(ws(ctx), 1, 5).load("values,valueTypes,numberFormat");
        const probe = rect(ws(ctx), 2, 5).load("values");
        return (e, r) => {
          e.eq("F2 values", [[METHOD_LABELS_SV.linear]], cell.values)
            .eq("F2 valueTypes", [["String"]], cell.valueTypes)
            .eq("F2 numberFormat", [[TEXT_FORMAT]], cell.numberFormat);
          r.info = `${show(toExcelValue(METHOD_LABELS_SV.linear))} → ${show(probe.values[0][0])}`;
        };
      },
    },
    {
      id: "numberFormats",
      queue: (ctx) => {
        const block = rect(ws(ctx), 1, 1, 4, 2).load("numberFormat");
        const date = rect(ws(ctx), 1, 6).load("values,numberFormat");
        return (e) =>
          e
            .eq(
              "B2:C5 numberFormat",
              Array.from({ length: 4 }, () => [NUMBER_FORMAT, NUMBER_FORMAT]),
              block.numberFormat,
            )
            .eq("G2 numberFormat", [[DATE_FORMAT]], date.numberFormat)
            .eq("G2 values", [[43585]], date.values);
      },
    },
    {
      id: "styles",
      queue: (ctx) => {
        const head = rect(ws(ctx), 0, 0, 1, 5).load(
          "format/font/bold,format/font/name,format/font/size,format/font/color,format/fill/color," +
            "format/horizontalAlignment,format/verticalAlignment,format/wrapText",
        );
        const edge = rect(ws(ctx), 0, 0, 1, 5).format.borders.getItem("EdgeBottom").load("style,weight");
        const labels = rect(ws(ctx), 1, 0, 4, 1).load("format/indentLevel,format/horizontalAlignment");
        const italic = rect(ws(ctx), 1, 1).load("format/font/italic");
        const areas = [rect(ws(ctx), 1, 5, 2, 1), rect(ws(ctx), 1, 6), rect(ws(ctx), 1, 7, 2, 1)].map((r) =>
          r.load("format/font/bold"),
        );
        return (e) => {
          const f = head.format;
          e.eq("A1:E1 font.bold", true, f.font.bold)
            .eq("A1:E1 font.name", "Calibri", f.font.name)
            .eq("A1:E1 font.size", 11, f.font.size)
            .color("A1:E1 font.color", "#1F3864", f.font.color)
            .color("A1:E1 fill.color", "#DDEBF7", f.fill.color)
            .eq("A1:E1 horizontalAlignment", "Center", f.horizontalAlignment)
            .eq("A1:E1 verticalAlignment", "Top", f.verticalAlignment)
            .eq("A1:E1 wrapText", true, f.wrapText)
            .eq("A1:E1 EdgeBottom", ["Continuous", "Thin"], [edge.style, edge.weight])
            .eq("A2:A5 indentLevel", 1, labels.format.indentLevel)
            .eq("A2:A5 horizontalAlignment", "Left", labels.format.horizontalAlignment)
            .eq("B2 font.italic", true, italic.format.font.italic)
            .eq(
              `${AREAS} (getRanges), G2 font.bold`,
              [true, false, true],
              areas.map((a) => a.format.font.bold),
            );
        };
      },
    },
    {
      id: "merges",
      queue: (ctx) => {
        if (!supports("ExcelApi", "1.13"))
          return (_e, r) => {
            r.status = "skipped";
            r.reason = "needsExcelApi113";
          };
        const areas = rect(ws(ctx), 6, 0, 4, 3).getMergedAreasOrNullObject().load("areaCount,address");
        return (e, r) => {
          e.eq("A7:C10 merged areas", 4, areas.isNullObject ? 0 : areas.areaCount);
          if (!areas.isNullObject) r.info = areas.address;
        };
      },
    },
    {
      id: "sizes",
      queue: (ctx) => {
        const a1 = rect(ws(ctx), 0, 0).load("format/columnWidth,format/rowHeight");
        return (e) =>
          e
            .near(
              "A columnWidth (pt)",
              charsToPoints(COLUMN_WIDTH_CHARS),
              a1.format.columnWidth,
              SIZE_TOLERANCE_POINTS,
            )
            .near("1 rowHeight (pt)", ROW_HEIGHT_POINTS, a1.format.rowHeight, SIZE_TOLERANCE_POINTS);
      },
    },
    {
      id: "freeze",
      queue: (ctx) => {
        const at = ws(ctx).freezePanes.getLocationOrNullObject().load("address");
        return (e) => e.address("freezePanes location", "A1", at.isNullObject ? null : at.address);
      },
    },
    {
      id: "print",
      queue: (ctx) => {
        const layout = ws(ctx).pageLayout.load("orientation,zoom");
        const page = ws(ctx).pageLayout.headersFooters.defaultForAllPages.load("centerHeader,centerFooter");
        const titles = ws(ctx).pageLayout.getPrintTitleRowsOrNullObject().load("address");
        return (e) =>
          e
            .eq("orientation", "Landscape", layout.orientation)
            .eq("zoom", [1, 0], [layout.zoom.horizontalFitToPages, layout.zoom.verticalFitToPages])
            .address("print title rows", "1:1", titles.isNullObject ? null : titles.address)
            .eq("centerHeader", HEADER, page.centerHeader)
            .eq("centerFooter", FOOTER, page.centerFooter);
      },
    },
    {
      id: "chart",
      queue: (ctx) => {
        const count = ws(ctx).charts.getCount();
        const chart = ws(ctx).charts.getItemAt(0);
        const title = chart.title.load("text");
        const series = chart.series.getCount();
        const values = chart.axes.valueAxis.load("numberFormat");
        const labels = chart.axes.categoryAxis.load("textOrientation");
        return (e) =>
          e
            .eq("charts", 1, resultOf(count))
            .eq("title", "Självtest", title.text)
            .eq("series", 2, resultOf(series))
            .eq("valueAxis.numberFormat", "#,##0;-#,##0;0", values.numberFormat)
            .eq("categoryAxis.textOrientation", -45, labels.textOrientation);
      },
    },
    {
      id: "names",
      queue: (ctx) => {
        const global = ctx.workbook.names.getItemOrNullObject(temp.workbookName).load("formula");
        const local = ws(ctx).names.getItemOrNullObject(temp.sheetName).load("formula");
        return (e) =>
          e
            .eq(temp.workbookName, `${sheetRef}$A$2:$A$5`, global.isNullObject ? null : global.formula)
            .eq(
              `${temp.sheet}!${temp.sheetName}`,
              `${sheetRef}$B$2:$B$5`,
              local.isNullObject ? null : local.formula,
            );
      },
    },
    {
      id: "customXml",
      queue: (ctx) => {
        const xml = ctx.workbook.customXmlParts
          .getByNamespace(SELFTEST_NAMESPACE)
          .getOnlyItemOrNullObject()
          .getXml();
        return (e) => e.eq("settings round trip", selfTestConfig(), parseConfig(resultOf(xml)));
      },
    },
    {
      id: "usedRange",
      queue: (ctx) => {
        const used = ws(ctx).getUsedRangeOrNullObject(true).load("address");
        return (e) => e.address("used range (values)", "A1:G5", used.isNullObject ? null : used.address);
      },
    },
    {
      id: "readAhead",
      queue: (ctx) => {
        // The port's read-ahead (read.ts): a name's first rows without knowing its size, null objects
        // through a chain of calls below a missing name or sheet, and an empty area's special cells.
        const wb = ctx.workbook;
        const base = wb.names.getItemOrNullObject(temp.workbookName).getRangeOrNullObject();
        const head = base
          .getIntersectionOrNullObject(base.getRow(0).getResizedRange(1, 0))
          .load("address,values");
        const missing = wb.names.getItemOrNullObject(`${temp.sheet}_X`).getRangeOrNullObject();
        const none = missing
          .getIntersectionOrNullObject(missing.getRow(0).getResizedRange(1, 0))
          .load("address");
        const noSheet = wb.worksheets
          .getItemOrNullObject(`${temp.sheet}_X`)
          .getUsedRangeOrNullObject(true)
          .load("address");
        const filled = rect(ws(ctx), 0, 0, VALUES.length, VALUES[0].length);
        const constants = filled.getSpecialCellsOrNullObject("Constants").load("address");
        const empty = rect(ws(ctx), 40, 0, 10, 3);
        const emptyAreas = (["Constants", "Formulas"] as const).map((k) =>
          empty.getSpecialCellsOrNullObject(k).load("address"),
        );
        return (e) => {
          const want = expectedValues().values;
          e.address("first rows of the name", "A2:A3", head.isNullObject ? null : head.address)
            .eq("their values", [[want[1][0]], [want[2][0]]], head.isNullObject ? null : head.values)
            .eq("missing name's rows", true, none.isNullObject)
            .eq("missing sheet's used range", true, noSheet.isNullObject)
            .eq("constants found", false, constants.isNullObject)
            .eq(
              "empty area's constants and formulas",
              [true, true],
              emptyAreas.map((a) => a.isNullObject),
            );
        };
      },
    },
    {
      id: "sheetProtection",
      queue: (ctx) => {
        // Last in the batch: every read above ran on the unprotected sheet.
        const wb = ctx.workbook;
        wb.worksheets.getItem(temp.sheet).protection.protect();
        const on = wb.worksheets.getItem(temp.sheet).protection.load("protected");
        const meta = wb.worksheets.load("items/name,items/protection/protected");
        wb.worksheets.getItem(temp.sheet).protection.unprotect();
        const off = wb.worksheets.getItem(temp.sheet).protection.load("protected");
        return (e) => {
          const listed = meta.items.find((s) => s.name === temp.sheet);
          e.eq("protected after protect()", true, on.protected)
            .eq("worksheets items/protection/protected", true, listed?.protection.protected ?? null)
            .eq("protected after unprotect()", false, off.protected);
        };
      },
    },
  ];
}

/**
 * Whether this Excel also takes a 1×1 array for a multi-cell range's numberFormat (undocumented; the
 * reference documents a single value or an array of the range's size). Either answer is fine for the
 * add-in, which writes the single value; the report records it for developers.
 */
export function oneByOneFormat(temp: Temp): Step {
  return {
    id: "numberFormats",
    refused: { status: "ok", reason: "oneByOneRefused" },
    queue: (ctx) => {
      rect(sheetOf(ctx, temp), 1, 1, 4, 2).numberFormat = [[NUMBER_FORMAT]];
    },
  };
}

/** Under structure protection Excel must refuse a new sheet; its error is the check's detail. */
export function addUnderProtection(t: { sheetAdded: boolean }, temp: Temp): Step {
  return {
    id: "sheet",
    refused: { status: "ok", reason: "addRefused" },
    queue: (ctx) => {
      ctx.workbook.worksheets.add(temp.sheet);
      return (e) => {
        t.sheetAdded = true;
        e.eq("worksheets.add under structure protection", "refused", "added");
      };
    },
  };
}

/**
 * As the renderer empties an owned report sheet before rendering it again (the sheet keeps its
 * identity): unmerge, clear everything, standard row heights, unfreeze, delete the chart; then read
 * back that nothing is left.
 */
export function clearInPlace(temp: Temp, supports: (s: string, v: string) => boolean): Step {
  return {
    id: "clearSheet",
    queue: (ctx) => {
      const ws = sheetOf(ctx, temp);
      const all = ws.getRange();
      all.unmerge();
      all.clear("All");
      all.format.useStandardHeight = true;
      ws.freezePanes.unfreeze();
      ws.charts.getItemAt(0).delete();
      const used = ws.getUsedRangeOrNullObject(true).load("address");
      const charts = ws.charts.getCount();
      const a1 = rect(ws, 0, 0).load("numberFormat,values");
      const merged = supports("ExcelApi", "1.13")
        ? rect(ws, 6, 0, 4, 3).getMergedAreasOrNullObject().load("areaCount")
        : null;
      const frozen = ws.freezePanes.getLocationOrNullObject().load("address");
      return (e) => {
        e.eq("used range (values)", null, used.isNullObject ? null : used.address)
          .eq("charts", 0, resultOf(charts))
          .eq("A1 numberFormat, values", [[["General"]], [[""]]], [a1.numberFormat, a1.values])
          .eq("freezePanes location", null, frozen.isNullObject ? null : frozen.address);
        if (merged) e.eq("A7:C10 merged areas", 0, merged.isNullObject ? 0 : merged.areaCount);
      };
    },
  };
}

/** Removes what an interrupted earlier run left (names first: a deleted sheet would leave them =#REF!). */
export function removeLeftovers(leftovers: Leftovers): Step {
  return {
    id: "sheet",
    queue: (ctx) => {
      const wb = ctx.workbook;
      for (const n of leftovers.names) wb.names.getItem(n).delete();
      for (const id of leftovers.parts) wb.customXmlParts.getItem(id).delete();
      for (const s of leftovers.sheets) wb.worksheets.getItem(s).delete();
      return (_e, r) => {
        r.reason = "leftovers";
        r.info = [...leftovers.sheets, ...leftovers.names, ...leftovers.parts].join(", ");
      };
    },
  };
}

/**
 * As the pane's "Markera C7" links (index.ts selectCell): activate a sheet and select a cell, then give
 * the user their sheet and selection back in the same batch, and read the selection to confirm. Only
 * with a one-area selection, which can be restored exactly. Runs while the temporary sheet is still
 * visible (a hidden sheet cannot be activated); the verify phase hides it afterwards.
 */
export function selectAndRestore(temp: Temp, selection: string | null): Step {
  return {
    id: "select",
    queue: (ctx) => {
      if (!selection || selection.includes(","))
        return (_e, r) => {
          r.status = "skipped";
          r.reason = "selectionNotRestorable";
        };
      const bang = selection.lastIndexOf("!");
      const sheetName = selection
        .slice(0, bang)
        .replace(/^'(.*)'$/, "$1")
        .replace(/''/g, "'");
      const wb = ctx.workbook;
      const ws = sheetOf(ctx, temp);
      ws.activate();
      ws.getRange("B2").select();
      const during = wb.getSelectedRange().load("address");
      const user = wb.worksheets.getItem(sheetName);
      user.activate();
      user.getRange(selection.slice(bang + 1)).select();
      const after = wb.getSelectedRange().load("address");
      return (e) =>
        e
          .address("selection on the temporary sheet", "B2", during.address)
          .eq("selection restored", selection, after.address);
    },
  };
}
