import type { LedgerResult } from "../../../src/core/types";
import { defaultConfig } from "../../../src/workbook/config";
import { buildWritePlan } from "../../../src/workbook/plan";
import { findingsSheet, mergeLog, parseLog, SheetCarry } from "../../../src/workbook/reports";
import type {
  LocatedFinding,
  PlanValue,
  SheetPlan,
  StoredConfig,
  WritePlan,
} from "../../../src/workbook/types";
import { computeBook, katrineholm, name, put, type FakeBook } from "./fake";
import { planGrid } from "../../../src/export/report-model";

function refreshPlan(b: FakeBook, config: StoredConfig = defaultConfig(), month?: number) {
  const { read, layout, result } = computeBook(b, config, month);
  return { plan: buildWritePlan(result, layout, read, config), result, layout };
}

/** The sheet's values as a dense grid (what a host would write). */
/** The values a sheet plan writes, as a grid from A1 (the Word report reads plans the same way). */
const grid = planGrid;

const sheet = (plan: WritePlan, n: string) => {
  const s = plan.sheets.find((x) => x.name === n);
  if (!s) throw new Error(`no sheet ${n}`);
  return s;
};

/** The style properties applying to a cell (later formats win). */
function styleAt(s: SheetPlan, row: number, col: number) {
  return s.formats
    .filter(
      (f) =>
        row >= f.rect.row &&
        row < f.rect.row + f.rect.rows &&
        col >= f.rect.col &&
        col < f.rect.col + f.rect.cols,
    )
    .reduce((acc, f) => ({ ...acc, ...f.style }), {} as Record<string, unknown>);
}

function rowOf(g: PlanValue[][], label: string): number {
  const r = g.findIndex((row) => row[0] === label);
  if (r < 0) throw new Error(`no row ${label}`);
  return r;
}

function ludvika(): FakeBook {
  const b = katrineholm();
  b.sheets["Åtgärder"] = [];
  put(b, "Åtgärder", "A1", [
    ["Område", "Åtgärd", "Belopp", "Typ", "Inräknad"],
    [
      "Organisationsförändringar m.m",
      "Renodlade enheter för myndighetsutövning och öppenvård",
      null,
      "prognos",
      "nej",
    ],
    [null, "Inre omstrukturering av stöd- och försörjningsenheten", null, null, "nej"],
    [null, "1:e socialsekreterare på familjerätts- och familjehemsenheten", null, null, "nej"],
    [null, "Systematisk uppföljning även inom barn- och ungdomsvården", null, null, "nej"],
    [
      "Ekonomiskt bistånd",
      "Rättssäker handläggning och ökat ansvar för den enskilde",
      1200,
      "prognos",
      "nej",
    ],
    ["Stödboendeverksamheten", "Stödboendet utvecklas för en större målgrupp", 1000, "prognos", "nej"],
    [
      "Vuxenplaceringar",
      "Fördjupad analys av vuxenplaceringarna",
      "Summa ges efter analysen",
      "prognos",
      "nej",
    ],
    ["Barn- och ungdomsplaceringarna", "Egen familjehemsbank, ungdomsteam, IFO-skola", 300, "prognos", "nej"],
    ["Ludvikamodellen", "Fler individer i egen försörjning", 5500, "beslutad", "nej"],
  ]);
  name(b, "Atgarder", "='Åtgärder'!$A$1:$E$11");
  put(b, "Åtgärder", "H1", [[43628], [43712], [43747], [43775], [43810]]);
  name(b, "Namndmoten", "='Åtgärder'!$H$1:$H$5");
  return b;
}

describe("write plan: output columns", () => {
  it("writes only the three output columns on the user's sheet, with formats and names", () => {
    const { plan, result } = refreshPlan(katrineholm());
    expect(plan.sheets.map((s) => [s.name, s.owned])).toEqual([
      ["Underlag", false],
      ["_Uppföljaren", true],
      ["Sammanfattning", true],
      ["Driftsredovisning", true],
      ["Åtgärdsplan", true],
      ["Volymmått", true],
      ["Kontroller", true],
      ["Prognoslogg", true],
      ["Prognoslogg_rader", true],
      ["Prognossäkerhet", true],
    ]);
    // The hidden state sheet comes first, so a write that stops part-way has recorded its cells.
    expect(plan.sheets[1].hidden).toBe(true);
    const u = sheet(plan, "Underlag");
    expect(u.merges).toEqual([]);
    expect(u.columnWidths).toEqual([]);
    // Each created column, and its heading in the empty cell above it (row 5 holds the table's headings).
    expect(u.values.map((v) => [v.row, v.col, v.values.length, v.values[0].length])).toEqual([
      [5, 3, 7, 1],
      [4, 3, 1, 1],
      [5, 4, 7, 1],
      [4, 4, 1, 1],
      [5, 5, 7, 1],
      [4, 5, 1, 1],
    ]);
    expect(grid(u)[4].slice(3)).toEqual([
      "Avvikelse per 30/4 2019",
      "Prognos helår 2019",
      "Prognos budgetavvikelse helår 2019",
    ]);
    for (const f of u.formats)
      expect(f.rect.col >= 3 && f.rect.col <= 5 && f.rect.row >= 4 && f.rect.row + f.rect.rows <= 12).toBe(
        true,
      );
    const g = grid(u);
    expect(g[5][3]).toBe(11890 - 9558);
    expect(g.slice(5, 12).map((r) => [r[3], r[4], r[5]])).toEqual(
      result.lines.map((l) => [l.deviation, l.forecast, l.forecastDeviation]),
    );
    expect(styleAt(u, 5, 3).numberFormat).toBe("+#,##0;[Red]-#,##0;0");
    expect(styleAt(u, 5, 4).numberFormat).toBe("#,##0;-#,##0;0");
    expect(styleAt(u, 11, 5).numberFormat).toBe("+#,##0;[Red]-#,##0;0");
    expect(plan.names.filter((n) => n.ref.sheet === "Underlag")).toEqual([
      { name: "Avvikelse", scope: null, ref: { sheet: "Underlag", row: 5, col: 3, rows: 7, cols: 1 } },
      { name: "Prognos", scope: null, ref: { sheet: "Underlag", row: 5, col: 4, rows: 7, cols: 1 } },
      { name: "Prognosavvikelse", scope: null, ref: { sheet: "Underlag", row: 5, col: 5, rows: 7, cols: 1 } },
    ]);
  });

  it("updates the headings it wrote for an earlier period, and leaves a heading the user typed", () => {
    const b = katrineholm();
    name(b, "Avvikelse", "=Underlag!$D$6:$D$12");
    name(b, "Prognos", "=Underlag!$E$6:$E$12");
    name(b, "Prognosavvikelse", "=Underlag!$F$6:$F$12");
    put(b, "Underlag", "D5", [["Avvikelse per 31/3 2019", "Prognos helår 2018", "Vår prognos"]]);
    const g = grid(sheet(refreshPlan(b).plan, "Underlag"));
    expect(g[4].slice(3, 5)).toEqual(["Avvikelse per 30/4 2019", "Prognos helår 2019"]);
    expect(g[4][5] ?? null).toBeNull(); // "Vår prognos" is not written over
  });

  it("defines no names that exist, and leaves skipped blank rows empty", () => {
    const b = katrineholm();
    b.names = b.names.map((n) => ({ ...n, formula: n.formula.replace("$12", "$13") }));
    name(b, "Avvikelse", "=Underlag!$H$6:$H$13");
    const { plan } = refreshPlan(b);
    expect(plan.names.filter((n) => !n.name.startsWith("Uppf_")).map((n) => n.name)).toEqual([
      "Prognos",
      "Prognosavvikelse",
    ]);
    const g = grid(sheet(plan, "Underlag"));
    expect(g[12][7]).toBeNull();
    expect(typeof g[11][7]).toBe("number");
    expect(plan.names[0].ref).toMatchObject({ col: 4, rows: 8 });
  });

  it("uses one decimal when the unit is mkr", () => {
    const b = katrineholm();
    put(b, "Underlag", "B4", [["mkr"]]);
    const { plan } = refreshPlan(b);
    const u = sheet(plan, "Underlag");
    expect(styleAt(u, 5, 4).numberFormat).toBe("#,##0.0;-#,##0.0;0");
    expect(styleAt(u, 5, 5).numberFormat).toBe("+#,##0.0;[Red]-#,##0.0;0");
  });
});

describe("write plan: Driftsredovisning", () => {
  it("lays out S1 §4.1 with headers per 30/4 2019, indented varav rows, Summa and the target rows", () => {
    const b = katrineholm();
    put(b, "Underlag", "H6", [["Bidrag från Socialstyrelsen"], [null], [null], ["Fler placeringar"]]);
    name(b, "Kommentar", "=Underlag!$H$6:$H$12");
    const { plan, result } = refreshPlan(b);
    const d = sheet(plan, "Driftsredovisning");
    const g = grid(d);
    expect(g[0][0]).toBe("Driftsredovisning, nettoresultat (tkr)");
    expect(d.merges).toContainEqual({ row: 0, col: 0, rows: 1, cols: 6 });
    expect(g[1]).toEqual([
      "",
      "Utfall per 30/4 2019",
      "Budget per 30/4 2019",
      "Avvikelse per 30/4 2019",
      "Prognos budgetavvikelse helår 2019",
      "Förändring mot föregående prognos",
    ]);
    // The wrapped header row is as tall as "Prognos budgetavvikelse helår 2019" needs in its column
    // (three lines, measured with room to spare, so no line of it is ever cut).
    expect(d.rowHeights).toContainEqual({ row: 1, height: 47 });
    // No earlier forecast in the log: the change column is empty.
    expect(g[2]).toEqual([
      "Verksamhetens intäkter",
      11890,
      9558,
      2332,
      result.lines[0].forecastDeviation,
      null,
    ]);
    expect(g[3].slice(0, 3)).toEqual(["Verksamhetens kostnader", -86983, -209283 / 3]);
    expect(styleAt(d, 4, 0)).toMatchObject({ indent: 1, horizontalAlignment: "left" });
    expect(styleAt(d, 3, 0).indent).toBeUndefined();
    const summa = rowOf(g, "Summa");
    expect(summa).toBe(9);
    expect(g[summa]).toEqual([
      "Summa",
      result.result.actual,
      result.result.periodBudget,
      result.result.deviation,
      result.result.forecastDeviation,
      null,
    ]);
    expect(g[summa][1]).toBe(11890 - 86983);
    expect(styleAt(d, summa, 2)).toMatchObject({ bold: true, borderTop: "thin" });
    expect(styleAt(d, 2, 3).numberFormat).toBe("+#,##0;[Red]-#,##0;0");
    expect(styleAt(d, 2, 1).numberFormat).toBe("#,##0;-#,##0;0");
    expect(g[summa + 1]).toEqual(["Ekonomi i balans", null, null, null, -30000, null]);
    expect(g[summa + 2]).toEqual([
      "Avvikelse jämfört ekonomi i balans",
      null,
      null,
      null,
      result.result.forecastDeviation + 30000,
      null,
    ]);
    const k = rowOf(g, "Kommentarer per post");
    expect(g[k + 1][0]).toBe("Verksamhetens intäkter: Bidrag från Socialstyrelsen");
    expect(g[k + 2][0]).toBe("varav köpt huvudverksamhet (placeringar): Fler placeringar");
    expect(d.freeze).toEqual({ rows: 2, cols: 1 });
    expect(d.print).toMatchObject({ orientation: "landscape", fitToWidth: true });
    expect(d.columnWidths.length).toBe(6);
  });

  it("omits the target rows without a Balansmal", () => {
    const b = katrineholm();
    put(b, "Underlag", "B3", [[null]]);
    const g = grid(sheet(refreshPlan(b).plan, "Driftsredovisning"));
    expect(g.some((r) => r[0] === "Ekonomi i balans")).toBe(false);
  });

  it("keeps user text as strings, never formulas", () => {
    const b = katrineholm();
    put(b, "Underlag", "A6", [["=SUM(A1)"], ["+46 70 123 45 67"], ["-x"], ["@x"]]);
    put(b, "Underlag", "H6", [['=HYPERLINK("x")']]);
    name(b, "Kommentar", "=Underlag!$H$6:$H$12");
    const { plan } = refreshPlan(b);
    const g = grid(sheet(plan, "Driftsredovisning"));
    expect(g.slice(2, 6).map((r) => r[0])).toEqual(["=SUM(A1)", "+46 70 123 45 67", "-x", "@x"]);
    expect(g.some((r) => r[0] === '=SUM(A1): =HYPERLINK("x")')).toBe(true);
    const again = JSON.parse(JSON.stringify(plan)) as WritePlan;
    expect(typeof grid(sheet(again, "Driftsredovisning"))[2][0]).toBe("string");
  });
});

describe("write plan: Åtgärdsplan", () => {
  it("numbers areas, letters measures and sums 2,5 mnkr excluding Ludvikamodellen and vuxenplaceringar", () => {
    const { plan, result } = refreshPlan(ludvika());
    const a = sheet(plan, "Åtgärdsplan");
    const g = grid(a);
    expect(g[0][0]).toBe("Åtgärdsplan utifrån budgetuppföljning 2019");
    expect(g[rowOf(g, "1. Organisationsförändringar m.m") + 1][0]).toBe(
      "a. Renodlade enheter för myndighetsutövning och öppenvård",
    );
    expect(g[rowOf(g, "1. Organisationsförändringar m.m") + 4][0]).toMatch(/^d\. Systematisk/);
    const eb = rowOf(g, "Prognos utebliven kostnad för ekonomiskt bistånd");
    expect(g[eb][1]).toBe(1.2);
    expect(styleAt(a, eb, 1).numberFormat).toBe('General" mnkr"');
    expect(g[eb + 1][0]).toBe("Återrapport 1 Nämnd 190612");
    expect(g[eb + 5][0]).toBe("Återrapport 5 Nämnd 191211");
    expect(g[eb + 1][1] ?? null).toBeNull();
    expect(g[rowOf(g, "Prognos utebliven kostnad för stödboendeverksamheten")][1]).toBe(1);
    expect(g[rowOf(g, "Prognos utebliven kostnad för vuxenplaceringar")][1]).toBe("Summa ges efter analysen");
    expect(g[rowOf(g, "Prognos utebliven kostnad för barn- och ungdomsplaceringarna")][1]).toBe(0.3);
    expect(g.some((r) => r[0] === "Därutöver, belopp ges senare")).toBe(false);
    // Only in its own area: no stray decided row after the summary.
    expect(g.filter((r) => r[0] === "Utebliven kostnad, beslutad för 2019").map((r) => r[1])).toEqual([5.5]);
    // Area 1 has no amounts, so no amount block and no Återrapport rows of its own.
    const org = rowOf(g, "1. Organisationsförändringar m.m");
    expect(g[org + 5][0] ?? null).toBeNull();
    expect(g[org + 6][0]).toBe("2. Ekonomiskt bistånd");
    expect(g.filter((r) => r[0] === "Återrapport 1 Nämnd 190612")).toHaveLength(6);

    const sum = rowOf(g, "Prognos utebliven kostnad, exkl Ludvikamodellen");
    expect(g[sum][1]).toBe(2.5);
    expect(result.actionPlan.forecastTotal).toBe(2500);
    expect(g[sum + 1]).toEqual([
      "Ej medräknat, belopp ges senare: Vuxenplaceringar",
      "Summa ges efter analysen",
    ]);
    expect(g[sum + 2][0]).toBe("Återrapport 1 Nämnd 190612");
    expect(g[sum + 6][0]).toBe("Återrapport 5 Nämnd 191211");
    expect(g[sum + 7]?.[0] ?? null).toBeNull();
    expect(g[rowOf(g, "Summering:")][0]).toBe("Summering:");
  });

  it("keeps a measure whose amount comes later beside its area's amounts, and in the summary", () => {
    const b = ludvika();
    const rows = b.sheets["Åtgärder"];
    const at = rows.findIndex((r) => r?.[0] === "Vuxenplaceringar");
    rows.splice(at + 1, 0, [null, "Hemmaplanslösningar", 800, "prognos", "nej"]);
    name(b, "Atgarder", "='Åtgärder'!$A$1:$E$12");
    const g = grid(sheet(refreshPlan(b).plan, "Åtgärdsplan"));
    const vuxen = rowOf(g, "Prognos utebliven kostnad för vuxenplaceringar");
    expect(g[vuxen][1]).toBe(0.8);
    expect(g[vuxen + 1]).toEqual(["Därutöver, belopp ges senare", "Summa ges efter analysen"]);
    expect(g[rowOf(g, "Ej medräknat, belopp ges senare: Vuxenplaceringar")][1]).toBe(
      "Summa ges efter analysen",
    );
  });

  it("ties a stock to its flows: S1's pågående utredningar 449 + 620 − 691 = 378, printed 1 040", () => {
    const b = katrineholm();
    put(b, "Underlag", "A30", [
      ["Volymmått", "Typ", "Utfall", "Prognos", "UtfallFgAr", "Inflöde", "Utflöde"],
      ["Antal startade utredningar", "flöde", 620, 2200, 2005],
      ["Antal avslutade utredningar", "flöde", 691, 2000, 1940],
      [
        "Antal pågående utredningar",
        "stock",
        1040,
        450,
        449,
        "Antal startade utredningar",
        "Antal avslutade utredningar",
      ],
      ["Antal sociala kontrakt", "stock", 96, 90, 94, "Antal nya kontrakt"],
    ]);
    name(b, "Volymer", "=Underlag!$A$30:$G$34");
    const { plan, result } = refreshPlan(b);
    const f = (code: string) => result.findings.filter((x) => x.code === code);
    expect(f("VOLUME_STOCK_FLOW")).toEqual([
      expect.objectContaining({
        level: "error",
        volume: 2,
        message:
          'Volymmåttet "Antal pågående utredningar": 449 (utfall fg år) + 620 (Antal startade utredningar) − 691 (Antal avslutade utredningar) = 378, men utfallet är 1 040.',
      }),
    ]);
    expect(f("VOLUME_STOCK_FLOW_FORECAST")[0].message).toContain("= 649, men prognosen är 450.");
    expect(f("VOLUME_LINK_UNKNOWN")).toHaveLength(1);
    expect(result.volumes[2].stockFlow).toEqual({ expected: 378, forecastExpected: 649 });
    const k = grid(sheet(plan, "Kontroller"));
    const row = k.find((r) => r[4] === "VOLUME_STOCK_FLOW");
    expect(row?.slice(0, 2)).toEqual(["Fel", "Stocken stämmer inte med flödena"]);
    expect(row?.[3]).toBe("Underlag!A33:G33");
  });

  it("says so when there are no measures", () => {
    const g = grid(sheet(refreshPlan(katrineholm()).plan, "Åtgärdsplan"));
    expect(g.some((r) => typeof r[0] === "string" && r[0].startsWith("Inga åtgärder"))).toBe(true);
  });
});

describe("write plan: Volymmått, Kontroller", () => {
  it("lays out S1 §1.2 with the run-rate suggestion beside the manual forecast", () => {
    const b = katrineholm();
    put(b, "Underlag", "A30", [
      ["Volymmått", "Typ", "Utfall", "Prognos", "UtfallFgAr"],
      ["Antal utnyttjade vårddygn i familjehem, ensamkommande barn och unga", "flöde", 4518, 12000, 14944],
      ["Antal ärenden spelmissbruk", "flöde", 4, null, "Nytt mått"],
      ["Antal sociala kontrakt", "stock", 96, 90, 94],
    ]);
    name(b, "Volymer", "=Underlag!$A$30:$E$33");
    const { plan } = refreshPlan(b);
    const v = sheet(plan, "Volymmått");
    const g = grid(v);
    // The seed's table in its own column order, then the suggestion (whole units: 4 518 × 365/120 = 13 742,25).
    expect(g[0]).toEqual([
      "Volymmått",
      "Utfall jan-april 2019",
      "Prognos 2019",
      "Utfall 2018",
      "Förslag (takt) 2019",
    ]);
    expect(g[1]).toEqual([
      "Antal utnyttjade vårddygn i familjehem, ensamkommande barn och unga",
      4518,
      12000,
      14944,
      13742,
    ]);
    expect(g[2]).toEqual(["Antal ärenden spelmissbruk", 4, null, "Nytt mått", 12]);
    expect(g[3]).toEqual(["Antal sociala kontrakt", 96, 90, 94, 96]);
    expect(styleAt(v, 1, 4).numberFormat).toBe("#,##0");
    const k = rowOf(g, "Kommentar till volymutveckling");
    expect(g[k + 1][0]).toMatch(/^Skriv i de gula cellerna/);
    expect(g[k + 2][0]).toBeNull();
    expect(styleAt(v, k + 2, 0)).toMatchObject({ fill: "#FFF2CC", wrap: true });
  });

  it("lists reading and core findings with level, code, message and cell", () => {
    const b = katrineholm();
    put(b, "Underlag", "C6", [["11 890"]]);
    put(b, "Underlag", "C12", [[8276]]); // the seed's missing minus sign on a cost line
    const { plan } = refreshPlan(b);
    const g = grid(sheet(plan, "Kontroller"));
    expect(g[1]).toEqual(["Nivå", "Kontroll", "Meddelande", "Cell", "Kod"]);
    const text = g.find((r) => r[4] === "TEXT_NUMBER")!;
    expect(text.slice(0, 2)).toEqual(["Varning", "Tal lagrat som text"]);
    expect(text[3]).toBe("Underlag!C6");
    const end = rowOf(g, "Egna anteckningar");
    const levels = new Set(g.slice(2, end - 2).map((r) => r[0]));
    expect([...levels].every((l) => ["Fel", "Varning", "Upplysning"].includes(l as string))).toBe(true);
    expect(g.slice(2).some((r) => r[3] === "Underlag!C12")).toBe(true);
  });

  it("lists errors first, then warnings, then notes, each level in the order found", () => {
    const found: LocatedFinding[] = [
      { level: "info", code: "TOTAL_MISMATCH", message: "a", sheet: "Underlag", cell: "O17" },
      { level: "warning", code: "TEXT_NUMBER", message: "b", sheet: "Underlag", cell: "C6" },
      { level: "error", code: "VOLUME_STOCK_FLOW", message: "c", sheet: "Volymer", cell: "A20" },
      { level: "warning", code: "LABEL_LOOKALIKE", message: "d", sheet: "Personal", cell: "A7" },
    ];
    const built = findingsSheet(found, new SheetCarry("Kontroller"), { verksamhet: null, period: "" });
    const g = grid(built.plan);
    expect(g.slice(2, 6).map((r) => [r[0], r[2]])).toEqual([
      ["Fel", "c"],
      ["Varning", "b"],
      ["Varning", "d"],
      ["Upplysning", "a"],
    ]);
  });
});

describe("write plan: Prognoslogg", () => {
  it("keeps one row per period: refreshing the same period twice gives one row", () => {
    const b = katrineholm();
    const first = refreshPlan(b).plan;
    const log1 = grid(sheet(first, "Prognoslogg"));
    expect(parseLog(log1).map((r) => r.period)).toEqual(["2019-04"]);
    expect(log1[1][0]).toBe("2019-04");
    // The host writes the sheet; the next refresh reads it back.
    b.sheets["Prognoslogg"] = log1 as never;
    const second = refreshPlan(b).plan;
    expect(grid(sheet(second, "Prognoslogg"))).toEqual(log1);
    b.sheets["Prognoslogg"] = grid(sheet(second, "Prognoslogg")) as never;
    const may = refreshPlan(b, defaultConfig(), 5).plan;
    const log3 = grid(sheet(may, "Prognoslogg"));
    expect(log3.slice(0, 3).map((r) => r[0])).toEqual([log1[0][0], "2019-04", "2019-05"]);
    const chart = sheet(may, "Prognoslogg").charts[0];
    expect(chart).toMatchObject({
      type: "line",
      categories: { row: 1, col: 0, rows: 2, cols: 1 },
      series: [
        { name: "Prognos budgetavvikelse helår", values: { row: 1, col: 2, rows: 2, cols: 1 } },
        { name: "Avvikelse hittills", values: { row: 1, col: 1, rows: 2, cols: 1 } },
      ],
    });
  });

  it("merges and sorts periods, replacing the current one", () => {
    const rows = parseLog([
      ["Period", "x"],
      ["2019-05", 1, 2, null],
      [43496, 3, 4, 5], // a date serial typed over the period text
      ["anteckning", 9],
    ]);
    expect(rows.map((r) => r.period)).toEqual(["2019-05", "2019-01"]);
    const merged = mergeLog(rows, { period: "2019-05", deviation: 7, forecastDeviation: 8, vsTarget: null });
    expect(merged).toEqual([
      { period: "2019-01", deviation: 3, forecastDeviation: 4, vsTarget: 5 },
      { period: "2019-05", deviation: 7, forecastDeviation: 8, vsTarget: null },
    ]);
  });
});

describe("write plan: settings and serialisation", () => {
  it("respects the report flags", () => {
    const config = defaultConfig();
    config.settings.reports.volumes = false;
    config.settings.reports.log = false;
    config.settings.reports.accuracy = false;
    const { plan } = refreshPlan(katrineholm(), config);
    expect(plan.sheets.map((s) => s.name)).toEqual([
      "Underlag",
      "_Uppföljaren",
      "Sammanfattning",
      "Driftsredovisning",
      "Åtgärdsplan",
      "Kontroller",
    ]);
  });

  it("is plain JSON", () => {
    const { plan } = refreshPlan(ludvika());
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it("builds from a hand-made result without reading a workbook", () => {
    const { layout } = refreshPlan(katrineholm());
    const result: LedgerResult = {
      period: { year: 2020, month: 2 },
      unit: "kr",
      lines: [
        {
          index: 0,
          label: "Intäkter",
          kind: "revenue",
          parent: null,
          annualBudget: 1200,
          periodBudget: 200,
          actual: 250,
          deviation: 50,
          method: "linear",
          forecast: 1500,
          forecastDeviation: 300,
          measuresIncluded: 0,
        },
      ],
      result: {
        actual: 250,
        periodBudget: 200,
        deviation: 50,
        annualBudget: 1200,
        forecast: 1500,
        forecastDeviation: 300,
        balanceTarget: null,
        deviationVsBalanceTarget: null,
      },
      actionPlan: {
        areas: [],
        forecastTotal: 0,
        decidedTotal: 0,
        excluded: [],
        followUps: [],
        unassignedIncluded: 0,
      },
      volumes: [],
      findings: [],
    };
    const plan = buildWritePlan(result, layout, { ranges: [], sheets: [] }, defaultConfig());
    const d = grid(sheet(plan, "Driftsredovisning"));
    expect(d[0][0]).toBe("Driftsredovisning, nettoresultat (kr)");
    expect(d[1][1]).toBe("Utfall per 29/2 2020");
    expect(d[3]).toEqual(["Summa", 250, 200, 50, 300, null]);
    expect(grid(sheet(plan, "Volymmått"))[0][1]).toBe("Utfall jan-februari 2020");
    const u = grid(sheet(plan, "Underlag"));
    expect([u[5][3], u[5][4], u[5][5], u[6][3]]).toEqual([50, 1500, 300, null]);
    expect(grid(sheet(plan, "Kontroller"))[2][2]).toBe("Inga anmärkningar.");
  });
});
