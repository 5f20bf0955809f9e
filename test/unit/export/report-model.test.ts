/**
 * The report model (src/export/report-model.ts) from a refresh of the in-memory workbook: the section
 * order, the measures counted into the forecast, mkr amounts and the titles by period.
 */
import { buildReportModel, reportTitle } from "../../../src/export/report-model";
import JSZip from "jszip";
import { keepTogether, reportDocxBuffer } from "../../../src/export/docx";
import { defaultConfig } from "../../../src/workbook/config";
import { refresh } from "../../../src/workbook/pipeline";
import { emptyInvestments, katrineholm, metaOf, name, put, readOf } from "../workbook/fake";

async function outcomeOf(b: ReturnType<typeof katrineholm>) {
  const out = await refresh(
    {
      readMeta: async () => metaOf(b),
      read: async (r) => readOf(b, r),
      write: async () => ({ written: [], notWritten: [] }),
    },
    defaultConfig(),
    { dryRun: true },
  );
  if (!out.ok) throw new Error(JSON.stringify(out));
  return out;
}

test("sections in the seed's order; measures counted in are listed with their line and total", async () => {
  const b = katrineholm();
  b.sheets["Åtgärder"] = [];
  put(b, "Åtgärder", "A1", [
    ["Område", "Åtgärd", "Belopp", "Typ", "Inräknad", "Post"],
    ["Ekonomiskt bistånd", "Rättssäker handläggning", 1200, "prognos", "ja", "varav ekonomiskt bistånd"],
    ["Stödboende", "Större målgrupp", 1000, "prognos", "ja", null],
    ["Ludvikamodellen", "Fler i egen försörjning", 5500, "beslutad", "nej", null],
  ]);
  name(b, "Atgarder", "='Åtgärder'!$A$1:$F$4");
  const model = buildReportModel(await outcomeOf(b));
  const h1 = model.blocks
    .filter((x) => x.kind === "heading" && x.level === 1)
    .map((x) => (x as { text: string }).text);
  // The in-memory template has no Volymer: no volume section (and none of the other tables).
  expect(h1).toEqual([
    "Sammanfattning",
    "Driftsredovisning",
    "Åtgärder som är inräknade i helårsprognosen",
    "Åtgärdsplan utifrån budgetuppföljning 2019",
  ]);
  const i = model.blocks.findIndex(
    (x) => x.kind === "heading" && x.text === "Åtgärder som är inräknade i helårsprognosen",
  );
  const table = model.blocks[i + 1];
  if (table.kind !== "table") throw new Error("no table");
  expect(table.rows.map((r) => r.cells.map((c) => c.text))).toEqual([
    ["Åtgärd", "Post", "Belopp (tkr)"],
    ["Ekonomiskt bistånd: Rättssäker handläggning", "varav ekonomiskt bistånd", "1 200"],
    ["Stödboende: Större målgrupp", "Åtgärder inräknade i prognosen", "1 000"],
    ["Summa", "", "2 200"],
  ]);
  const summary = model.blocks[1];
  expect(summary.kind === "paragraph" && summary.text).toContain(
    "Med två åtgärder om sammanlagt 2 200 tkr inräknade bedöms",
  );
});

test("mkr amounts print with one decimal in the tables", async () => {
  const b = katrineholm();
  put(b, "Underlag", "B4", [["mkr"]]);
  put(b, "Underlag", "B6", [[28.7], [-209.3], [-50], [-38.4], [-95.4], [0], [-25.5]]);
  put(b, "Underlag", "C6", [[11.9], [-87], [-20.9], [-24.1], [-29.7], [-4], [-8.3]]);
  put(b, "Underlag", "B3", [[-30]]);
  const model = buildReportModel(await outcomeOf(b));
  const drift = model.blocks.find((x) => x.kind === "table" && x.caption?.startsWith("Driftsredovisning"));
  if (!drift || drift.kind !== "table") throw new Error("no table");
  expect(drift.caption).toBe("Driftsredovisning, nettoresultat (mkr)");
  expect(drift.rows[1].cells.map((c) => c.text).slice(0, 4)).toEqual([
    "Verksamhetens intäkter",
    "11,9",
    "9,6",
    "+2,3",
  ]);
});

test("titles by period and digit groups kept on one line", () => {
  expect([4, 8, 12, 2].map((m) => reportTitle(2019, m))).toEqual([
    "Tertialrapport 1 2019",
    "Tertialrapport 2 2019",
    "Helårsuppföljning 2019",
    "Månadsrapport februari 2019",
  ]);
  expect(keepTogether("underskott om 12 048 tkr och 2,5 mnkr, 94,9 %; år 2019 och 30")).toBe(
    "underskott om 12\u00a0048\u00a0tkr och 2,5\u00a0mnkr, 94,9\u00a0%; år 2019 och 30",
  );
});

test("who reports heads the document only when the workbook names it", async () => {
  const firstTexts = async (b: ReturnType<typeof katrineholm>) => {
    const model = buildReportModel(await outcomeOf(b));
    const zip = await JSZip.loadAsync(await reportDocxBuffer(model));
    const xml = await zip.file("word/document.xml")!.async("string");
    const paragraphs = [...xml.matchAll(/<w:p>(.*?)<\/w:p>/g)].slice(0, 2);
    return { subject: model.subject, first: paragraphs.map((p) => /<w:t[^>]*>([^<]*)/.exec(p[1])?.[1]) };
  };
  const none = await firstTexts(katrineholm());
  expect(none).toEqual({ subject: null, first: ["Tertialrapport 1 2019", "Per 30/4 2019"] });
  const b = katrineholm();
  put(b, "Underlag", "A1", [["Verksamhet", "Socialnämnden"]]);
  name(b, "Verksamhet", "=Underlag!$B$1");
  expect(await firstTexts(b)).toEqual({
    subject: "Socialnämnden",
    first: ["Socialnämnden", "Tertialrapport 1 2019"],
  });
});

test("a unit's own workbook gets its Driftsredovisning table once, captioned with the unit", async () => {
  const b = katrineholm();
  put(b, "Underlag", "D6", [["Vårnäs"], ["Vårnäs"]]);
  name(b, "Ansvar", "=Underlag!$D$6:$D$12");
  const tables = buildReportModel(await outcomeOf(b)).blocks.filter(
    (x): x is Extract<typeof x, { kind: "table" }> =>
      x.kind === "table" && /nettoresultat/.test(x.caption ?? ""),
  );
  expect(tables.map((x) => x.caption)).toEqual(["Driftsredovisning, nettoresultat (tkr), Vårnäs"]);
  // The same rows as the workbook without units.
  const plain = buildReportModel(await outcomeOf(katrineholm())).blocks.find(
    (x): x is Extract<typeof x, { kind: "table" }> =>
      x.kind === "table" && /nettoresultat/.test(x.caption ?? ""),
  )!;
  expect(tables[0].rows).toEqual(plain.rows);
  expect(tables[0].rows.some((r) => r.cells[0].text === "Ekonomi i balans")).toBe(true);
});

test("a blank template's investment table (the name over empty rows) gives no section and no summary sentence", async () => {
  const b = katrineholm();
  emptyInvestments(b);
  const outcome = await outcomeOf(b);
  const model = buildReportModel(outcome);
  const headings = model.blocks.filter((x) => x.kind === "heading").map((x) => (x as { text: string }).text);
  expect(headings).not.toContain("Investeringsredovisning");
  expect(String(outcome.tertial.draft.summary)).not.toContain("Investeringsredovisningen");
});

test("a ledger whose last total line is not the net result gets the net Summa row, as on the sheet", async () => {
  const b = katrineholm();
  put(b, "Underlag", "A6", [
    ["Verksamhetens intäkter", 28674, 11890],
    ["Summa intäkter", null, null],
    ["Verksamhetens kostnader", -209283, -86983],
    ...Array.from({ length: 4 }, () => [null, null, null]),
  ]);
  const outcome = await outcomeOf(b);
  const drift = buildReportModel(outcome).blocks.find(
    (x): x is Extract<typeof x, { kind: "table" }> =>
      x.kind === "table" && /^Driftsredovisning/.test(x.caption ?? ""),
  )!;
  const sheet = outcome.plan.sheets.find((x) => x.name === "Driftsredovisning")!;
  expect(sheet.values.flatMap((v) => v.values.map((row) => row[0]))).toContain("Summa");
  const labels = drift.rows.map((r) => r.cells[0].text);
  expect(labels).toEqual([
    "",
    "Verksamhetens intäkter",
    "Summa intäkter",
    "Verksamhetens kostnader",
    "Summa",
    "Ekonomi i balans",
    "Avvikelse jämfört ekonomi i balans",
  ]);
  expect(drift.rows[4].cells[1].text).toBe("-75 093");
});
