/**
 * Native Excel charts for the .xlsx host: a plan's ChartPlan becomes DrawingML parts in the package
 * (xl/charts/chartN.xml, xl/drawings/drawingN.xml with their relationships and content types), as Excel
 * writes them, linked from the report sheet's part. The report sheet's old drawing and charts are
 * removed by the host before (its parts reached from nowhere else) and their part names handed back
 * here to be reused, so a refresh of the same period writes the same parts under the same names.
 */
import type { ChartPlan, Rect, SheetPlan } from "../../workbook/types";
import { relsPathOf, type Package } from "./package";
import { columnName } from "./text";

const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const DRAWING_REL = `${REL}/drawing`;
const CHART_REL = `${REL}/chart`;
const CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";
const DRAWING_CT = "application/vnd.openxmlformats-officedocument.drawing+xml";
const NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart";
const NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main";
const NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing";
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The next free part number for xl/{folder}/{stem}N.xml in the package. */
function nextPartNumber(pkg: Package, folder: string, stem: string): number {
  let max = 0;
  const re = new RegExp(`^xl/${folder}/${stem}(\\d+)\\.xml$`, "i");
  for (const path of pkg.partNames()) {
    const m = re.exec(path);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max + 1;
}

/** The drawing and chart parts a sheet part links to, in the drawing's order (to reuse their names). */
export interface ChartParts {
  drawing: string | null;
  charts: string[];
}

export function chartPartsOf(pkg: Package, sheetPart: string): ChartParts {
  const drawing = pkg.rels(sheetPart).find((r) => r.type === DRAWING_REL && r.part)?.part ?? null;
  const charts = drawing
    ? pkg
        .rels(drawing)
        .filter((r) => r.type === CHART_REL && r.part)
        .map((r) => r.part!)
    : [];
  return { drawing, charts };
}

/**
 * Writes the plan's charts for a sheet as one drawing with one chart part each, and links the drawing
 * from the sheet part. `reuse` names free parts to write them under first (the sheet's previous ones).
 * Returns the sheet's relationship id for its <drawing r:id> element, or null when the sheet has no
 * chart to draw. Charts whose ranges are empty are returned in `skipped` (not drawn).
 */
export function addCharts(
  pkg: Package,
  sheetPart: string,
  sheetName: string,
  sp: SheetPlan,
  reuse: ChartParts = { drawing: null, charts: [] },
): { drawingRelId: string | null; skipped: ChartPlan[] } {
  const skipped: ChartPlan[] = [];
  const charts = sp.charts.filter((c) => {
    const ok = c.series.length > 0 && [c.categories, ...c.series.map((s) => s.values)].every(nonEmpty);
    if (!ok) skipped.push(c);
    return ok;
  });
  if (!charts.length) return { drawingRelId: null, skipped };
  const free = (name: string | null | undefined) => (name && !pkg.has(name) ? name : null);
  const drawingPart =
    free(reuse.drawing) ?? `xl/drawings/drawing${nextPartNumber(pkg, "drawings", "drawing")}.xml`;
  const value = planValues(sp);
  const anchors: string[] = [];
  const rels: string[] = [];
  charts.forEach((chart, i) => {
    const chartPart = free(reuse.charts[i]) ?? `xl/charts/chart${nextPartNumber(pkg, "charts", "chart")}.xml`;
    pkg.set(chartPart, chartXml(chart, sheetName, value));
    pkg.setContentType(chartPart, CHART_CT);
    const target = chartPart.slice(chartPart.lastIndexOf("/") + 1);
    rels.push(`<Relationship Id="rId${i + 1}" Type="${CHART_REL}" Target="../charts/${target}"/>`);
    anchors.push(anchorXml(chart, i, `rId${i + 1}`));
  });
  pkg.set(
    drawingPart,
    `${HEAD}<xdr:wsDr xmlns:xdr="${NS_XDR}" xmlns:a="${NS_A}">${anchors.join("")}</xdr:wsDr>`,
  );
  pkg.set(
    relsPathOf(drawingPart),
    `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join("")}</Relationships>`,
  );
  pkg.setContentType(drawingPart, DRAWING_CT);
  return { drawingRelId: pkg.addRel(sheetPart, DRAWING_REL, drawingPart), skipped };
}

function nonEmpty(r: Rect): boolean {
  return r.rows > 0 && r.cols > 0;
}

type Lookup = (row: number, col: number) => string | number | boolean | null;

/** The values the plan writes on the sheet, by cell (the charts' caches hold them). */
function planValues(sp: SheetPlan): Lookup {
  const cells = new Map<string, string | number | boolean | null>();
  for (const block of sp.values)
    block.values.forEach((line, r) =>
      line.forEach((v, c) => cells.set(`${block.row + r},${block.col + c}`, v)),
    );
  return (row, col) => cells.get(`${row},${col}`) ?? null;
}

function cellsOf(rect: Rect): { row: number; col: number }[] {
  const out: { row: number; col: number }[] = [];
  for (let r = rect.row; r < rect.row + rect.rows; r++)
    for (let c = rect.col; c < rect.col + rect.cols; c++) out.push({ row: r, col: c });
  return out;
}

function ref(sheetName: string, rect: Rect): string {
  const a = `$${columnName(rect.col)}$${rect.row + 1}`;
  const b = `$${columnName(rect.col + rect.cols - 1)}$${rect.row + rect.rows}`;
  return `'${sheetName.replace(/'/g, "''")}'!${a === b ? a : `${a}:${b}`}`;
}

function numRef(sheetName: string, rect: Rect, value: Lookup): string {
  const pts = cellsOf(rect)
    .map(({ row, col }, i) => {
      const v = value(row, col);
      return typeof v === "number" && Number.isFinite(v) ? `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>` : "";
    })
    .join("");
  return (
    `<c:numRef><c:f>${esc(ref(sheetName, rect))}</c:f><c:numCache><c:formatCode>General</c:formatCode>` +
    `<c:ptCount val="${rect.rows * rect.cols}"/>${pts}</c:numCache></c:numRef>`
  );
}

function strRef(sheetName: string, rect: Rect, value: Lookup): string {
  const pts = cellsOf(rect)
    .map(({ row, col }, i) => {
      const v = value(row, col);
      return v === null ? "" : `<c:pt idx="${i}"><c:v>${esc(String(v))}</c:v></c:pt>`;
    })
    .join("");
  return (
    `<c:strRef><c:f>${esc(ref(sheetName, rect))}</c:f><c:strCache>` +
    `<c:ptCount val="${rect.rows * rect.cols}"/>${pts}</c:strCache></c:strRef>`
  );
}

/** Axis labels turned by `degrees` (DrawingML's a:bodyPr rot is in 60 000ths of a degree, ECMA-376 Part 1, 21.1.2.1.1). */
function labelText(degrees: number): string {
  if (!degrees) return "";
  const rot = Math.round(degrees * 60000);
  return `<c:txPr><a:bodyPr rot="${rot}" vert="horz"/><a:lstStyle/><a:p><a:pPr><a:defRPr/></a:pPr><a:endParaRPr lang="sv-SE"/></a:p></c:txPr>`;
}

const CAT_AX = 500000001;
const VAL_AX = 500000002;

/** A c:chartSpace for one chart: a line or clustered column chart with category and value axes. */
export function chartXml(chart: ChartPlan, sheetName: string, value: Lookup): string {
  const numericCats = cellsOf(chart.categories).every(({ row, col }) => typeof value(row, col) === "number");
  const cat = numericCats
    ? numRef(sheetName, chart.categories, value)
    : strRef(sheetName, chart.categories, value);
  const line = chart.type === "line";
  const series = chart.series
    .map(
      (s, i) =>
        `<c:ser><c:idx val="${i}"/><c:order val="${i}"/><c:tx><c:v>${esc(s.name)}</c:v></c:tx>` +
        (line
          ? '<c:marker><c:symbol val="circle"/><c:size val="5"/></c:marker>'
          : '<c:invertIfNegative val="0"/>') +
        `<c:cat>${cat}</c:cat><c:val>${numRef(sheetName, s.values, value)}</c:val>` +
        (line ? '<c:smooth val="0"/>' : "") +
        "</c:ser>",
    )
    .join("");
  const axIds = `<c:axId val="${CAT_AX}"/><c:axId val="${VAL_AX}"/>`;
  const plot = line
    ? `<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>${series}<c:marker val="1"/>${axIds}</c:lineChart>`
    : `<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>${series}<c:gapWidth val="150"/>${axIds}</c:barChart>`;
  const title =
    `<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1200" b="1"/></a:pPr>` +
    `<a:r><a:rPr lang="sv-SE" sz="1200" b="1"/><a:t>${esc(chart.title)}</a:t></a:r></a:p></c:rich></c:tx>` +
    `<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>`;
  const axes =
    `<c:catAx><c:axId val="${CAT_AX}"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>` +
    `<c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="1"/><c:majorTickMark val="out"/>` +
    `<c:minorTickMark val="none"/><c:tickLblPos val="low"/>${labelText(chart.labelAngle)}` +
    `<c:crossAx val="${VAL_AX}"/><c:crosses val="autoZero"/>` +
    `<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>` +
    `<c:valAx><c:axId val="${VAL_AX}"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>` +
    `<c:axPos val="l"/><c:majorGridlines/><c:numFmt formatCode="${esc(chart.valueFormat)}" sourceLinked="0"/>` +
    `<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>` +
    `<c:crossAx val="${CAT_AX}"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>`;
  const legend =
    chart.series.length > 1 ? '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>' : "";
  return (
    `${HEAD}<c:chartSpace xmlns:c="${NS_C}" xmlns:a="${NS_A}" xmlns:r="${REL}">` +
    `<c:roundedCorners val="0"/><c:chart>${title}<c:plotArea><c:layout/>${plot}${axes}</c:plotArea>` +
    `${legend}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>`
  );
}

/** One chart's xdr:twoCellAnchor: from the anchor's top-left cell to the cell after its bottom-right. */
function anchorXml(chart: ChartPlan, index: number, relId: string): string {
  const { row, col, rows, cols } = chart.anchor;
  const at = (c: number, r: number) =>
    `<xdr:col>${c}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${r}</xdr:row><xdr:rowOff>0</xdr:rowOff>`;
  return (
    `<xdr:twoCellAnchor editAs="oneCell"><xdr:from>${at(col, row)}</xdr:from><xdr:to>${at(col + Math.max(cols, 1), row + Math.max(rows, 1))}</xdr:to>` +
    `<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="${index + 2}" name="Diagram ${index + 1}" descr="${esc(chart.title)}"/>` +
    `<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>` +
    `<a:graphic><a:graphicData uri="${NS_C}"><c:chart xmlns:c="${NS_C}" xmlns:r="${REL}" r:id="${relId}"/>` +
    `</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>`
  );
}
