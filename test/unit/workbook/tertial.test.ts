/**
 * The tertial report through the whole refresh on the in-memory workbook: the forecast log per line and
 * the change column, the drafted summary's zone (kept, redrafted only when empty or asked), the
 * Investeringsredovisning and Personalnyckeltal tables with their checks and sheets.
 */
import { formatAmount } from "../../../src/core/format";
import { buildReportModel } from "../../../src/export/report-model";
import { sheetRectA1 } from "../../../src/workbook/a1";
import { defaultConfig } from "../../../src/workbook/config";
import { refresh, type RefreshOutcome, type WorkbookPort } from "../../../src/workbook/pipeline";
import { LINE_LOG_MAX_ROWS, LINE_LOG_SHEET, trimForecastLog } from "../../../src/workbook/log";
import type { PlanValue, WritePlan } from "../../../src/workbook/types";
import { emptyInvestments, katrineholm, metaOf, name, put, readOf, type FakeBook } from "./fake";

/** A port over the fake book: owned sheets are replaced by the plan, user sheets get its cells. */
function port(b: FakeBook): WorkbookPort {
  return {
    readMeta: async () => metaOf(b),
    read: async (req) => readOf(b, req),
    write: async (plan: WritePlan) => {
      for (const s of plan.sheets) {
        if (s.owned) b.sheets[s.name] = [];
        b.sheets[s.name] = b.sheets[s.name] ?? [];
        b.formulas[s.name] = b.formulas[s.name] ?? [];
        for (const block of s.values)
          block.values.forEach((row, i) =>
            row.forEach((v, j) => {
              const g = b.sheets[s.name];
              g[block.row + i] = g[block.row + i] ?? [];
              g[block.row + i][block.col + j] = v as PlanValue;
            }),
          );
      }
      for (const n of plan.names)
        b.names.push({ name: n.name, scope: n.scope, formula: `=${sheetRectA1(n.ref)}` });
      return { written: [], notWritten: [] };
    },
  };
}

async function run(
  b: FakeBook,
  month?: number,
  newDraft = false,
): Promise<Extract<RefreshOutcome, { ok: true }>> {
  const out = await refresh(port(b), defaultConfig(), { month, newDraft });
  if (!out.ok) throw new Error(JSON.stringify(out));
  return out;
}

const rowOf = (b: FakeBook, sheet: string, label: string) => {
  const r = b.sheets[sheet].findIndex((row) => row?.[0] === label);
  if (r < 0) throw new Error(`no row ${label} on ${sheet}`);
  return r;
};

/** The katrineholm book with its output names defined, so a refresh writes the same cells every time. */
function book(): FakeBook {
  return katrineholm();
}

describe("forecast change per line", () => {
  it("logs every line per period on the hidden sheet and shows the change since the previous period", async () => {
    const b = book();
    const note = () =>
      b.sheets["Driftsredovisning"]
        .flat()
        .find((v) => String(v).startsWith("Förändring mot föregående prognos:"));
    const march = await run(b, 3);
    expect(march.tertial.change.previousPeriod).toBeNull();
    expect(note()).toBe("Förändring mot föregående prognos: Prognoslogg har ingen tidigare prognos ännu.");
    const april = await run(b);
    expect(april.tertial.change.previousPeriod).toBe("2019-03");
    expect(note()).toBe(
      "Förändring mot föregående prognos: jämfört med prognosen för mars 2019 (Prognoslogg).",
    );
    const expected = april.result.lines.map(
      (l, i) => l.forecastDeviation - march.result.lines[i].forecastDeviation,
    );
    expect(april.tertial.change.lines).toEqual(expected);
    expect(april.tertial.change.net).toBeCloseTo(
      april.result.result.forecastDeviation - march.result.result.forecastDeviation,
      6,
    );
    expect(expected.some((x) => x !== 0)).toBe(true);

    const d = b.sheets["Driftsredovisning"];
    expect(d[1][5]).toBe("Förändring mot föregående prognos");
    const r = rowOf(b, "Driftsredovisning", "varav ekonomiskt bistånd");
    expect(d[r][5]).toBe(expected[2]);
    expect(d[rowOf(b, "Driftsredovisning", "Summa")][5]).toBe(april.tertial.change.net);

    const hidden = b.sheets[LINE_LOG_SHEET];
    expect(april.plan.sheets.find((s) => s.name === LINE_LOG_SHEET)).toMatchObject({
      owned: true,
      hidden: true,
    });
    expect(hidden[0]).toEqual([
      "Period",
      "Nr",
      "Post",
      "Radtyp",
      "Utfall",
      "Avvikelse",
      "Prognos",
      "Prognosavvikelse",
      "Ansvar",
    ]);
    const periods = hidden.slice(1).map((row) => row[0]);
    expect(periods.filter((p) => p === "2019-03")).toHaveLength(7);
    expect(periods.filter((p) => p === "2019-04")).toHaveLength(7);

    // The same period again replaces its entry: still two periods, and the change is unchanged.
    const again = await run(b);
    expect(b.sheets[LINE_LOG_SHEET].length).toBe(15);
    expect(again.tertial.change.lines).toEqual(expected);
    expect(again.tertial.log.periods.map((p) => p.period)).toEqual(["2019-03", "2019-04"]);
  });

  it("matches lines by label across periods, not by position, and a renamed line counts as new", async () => {
    const b = book();
    const march = await run(b, 3);
    // In April two varav lines trade places and the revenue line is renamed.
    const u = b.sheets["Underlag"];
    [u[10], u[11]] = [
      [...u[11].slice(0, 3), ...u[10].slice(3)],
      [...u[10].slice(0, 3), ...u[11].slice(3)],
    ];
    u[5][0] = "Intäkter";
    const april = await run(b);
    const labels = april.result.lines.map((l) => l.label);
    expect(labels.slice(5, 7)).toEqual(["varav övriga kostnader", "varav utredningskonsulter"]);
    // The renamed line is new since March: its change counts from 0, and a note under the table says so.
    expect(april.tertial.change.lines[0]).toBe(april.result.lines[0].forecastDeviation);
    expect(april.tertial.change.added![0]).toBe(true);
    expect(april.tertial.change.added!.filter(Boolean)).toHaveLength(1);
    const was = (label: string) => march.result.lines.find((l) => l.label === label)!.forecastDeviation;
    expect(april.tertial.change.lines[5]).toBe(
      april.result.lines[5].forecastDeviation - was("varav övriga kostnader"),
    );
    expect(april.tertial.change.lines[6]).toBe(
      april.result.lines[6].forecastDeviation - was("varav utredningskonsulter"),
    );
  });

  it("counts a new line's change from 0, so the column foots, and names it under the table", async () => {
    const b = book();
    await run(b, 3);
    // In April a varav line is split out of övriga kostnader.
    put(b, "Underlag", "A12", [
      ["varav övriga kostnader", -19476, -6276],
      ["varav lokalkostnader", -6000, -2000],
    ]);
    // Every named column one row longer (the inputs and the output columns the first refresh named).
    for (const n of b.names) n.formula = n.formula.replace(/12$/, "13");
    const april = await run(b);
    const { lines } = april.result;
    const change = april.tertial.change;
    const added = lines.findIndex((l) => l.label === "varav lokalkostnader");
    expect(change.lines[added]).toBe(lines[added].forecastDeviation);
    expect(change.added!.map((a, i) => (a ? lines[i].label : null)).filter(Boolean)).toEqual([
      "varav lokalkostnader",
    ]);
    const sum = (pick: (i: number) => boolean) =>
      change.lines.reduce((a: number, c, i) => a + (pick(i) ? c! : 0), 0);
    expect(sum((i) => lines[i].kind === "ofWhich")).toBeCloseTo(change.lines[1]!, 9);
    expect(sum((i) => lines[i].kind !== "ofWhich")).toBeCloseTo(change.net!, 9);
    const d = b.sheets["Driftsredovisning"];
    expect(d[rowOf(b, "Driftsredovisning", "varav lokalkostnader")][5]).toBe(lines[added].forecastDeviation);
    expect(d.flat()).toContain("Ny rad sedan mars 2019, förändringen räknad från 0: varav lokalkostnader.");
  });

  it("the Word report's Summa row, added for a ledger without one, carries the net change", async () => {
    const b = book();
    await run(b, 3);
    const april = await run(b);
    const drift = buildReportModel(april).blocks.find(
      (x) => x.kind === "table" && x.caption?.startsWith("Driftsredovisning"),
    );
    if (drift?.kind !== "table") throw new Error("no table");
    const summa = drift.rows.find((r) => r.cells[0].text === "Summa")!;
    const net = april.tertial.change.net!;
    expect(net).not.toBe(0);
    expect(summa.cells[5].text.replace(/\s/g, "")).toBe(
      formatAmount(net, { sign: "deviation" }).replace(/\s/g, ""),
    );
  });

  it("folds look-alike letters when matching a line's label", async () => {
    const b = book();
    await run(b, 3);
    b.sheets["Underlag"][8][0] = "varav köpt huvudverksamhet (pla\u0441eringar)";
    const april = await run(b);
    expect(april.tertial.change.lines[3]).not.toBeNull();
    expect(april.findings.find((f) => f.code === "LABEL_LOOKALIKE")).toMatchObject({
      sheet: "Underlag",
      cell: "A9",
    });
  });
});

describe("the measures line", () => {
  it("stands above the Summa that counts it, on the sheet and in the Word report", async () => {
    const b = book();
    put(b, "Underlag", "A13", [["Summa", null, null]]);
    for (const n of b.names) n.formula = n.formula.replace(/12$/, "13");
    b.sheets["Åtgärder"] = [];
    put(b, "Åtgärder", "A1", [
      ["Område", "Åtgärd", "Belopp", "Typ", "Inräknad"],
      ["Stödboende", "Större målgrupp", 1000, "prognos", "ja"],
    ]);
    name(b, "Atgarder", "='Åtgärder'!$A$1:$E$2");
    const out = await run(b);
    const d = b.sheets["Driftsredovisning"];
    const extra = rowOf(b, "Driftsredovisning", "Åtgärder inräknade i prognosen");
    const summa = rowOf(b, "Driftsredovisning", "Summa");
    expect(extra).toBe(summa - 1);
    // The rows above Summa that are not varav lines add up to it.
    const above = d.slice(2, summa).filter((r) => !String(r[0]).startsWith("varav "));
    expect(above.reduce((a, r) => a + (r[4] as number), 0)).toBe(d[summa][4]);
    expect(d[summa][4]).toBe(out.result.result.forecastDeviation);
    const drift = buildReportModel(out).blocks.find(
      (x) => x.kind === "table" && x.caption?.startsWith("Driftsredovisning"),
    );
    if (drift?.kind !== "table") throw new Error("no table");
    const labels = drift.rows.map((r) => r.cells[0].text);
    expect(labels.indexOf("Åtgärder inräknade i prognosen")).toBe(labels.indexOf("Summa") - 1);
  });
});

describe("the line log's budget", () => {
  it("drops the oldest periods' lines when the rows would exceed the budget, keeping the latest two", () => {
    const line = (i: number) => ({
      key: `k${i}`,
      label: `Post ${i}`,
      orgUnit: null,
      kind: "cost" as const,
      actual: 1,
      deviation: 1,
      forecast: 1,
      forecastDeviation: 1,
    });
    const periods = ["2019-01", "2019-02", "2019-03"].map((period) => ({
      period,
      net: { deviation: 1, forecastDeviation: 1, vsTarget: null },
      lines: Array.from({ length: 40 }, (_, i) => line(i)),
    }));
    const { log, dropped } = trimForecastLog({ periods }, 100);
    expect(dropped).toEqual(["2019-01"]);
    expect(log.periods.map((p) => p.lines.length)).toEqual([0, 40, 40]);
    expect(log.periods[0].net).toEqual(periods[0].net);
    expect(trimForecastLog({ periods }, 120).dropped).toEqual([]);
    expect(LINE_LOG_MAX_ROWS).toBe(100_000);
  });
});

describe("the drafted summary's zone", () => {
  it("drafts into the empty zone, keeps the ekonom's edit, and redrafts only when asked or emptied", async () => {
    const b = book();
    const first = await run(b);
    expect(first.tertial.drafted.summary).toBe(true);
    const s = b.sheets["Sammanfattning"];
    const h = rowOf(b, "Sammanfattning", "Sammanfattning av ärendet");
    expect(s[h + 1][0]).toBe(first.tertial.draft.summary);
    expect(s[h + 1][0]).toMatch(
      /^Verksamheten redovisar för de första fyra månaderna en negativ budgetavvikelse på/,
    );

    s[h + 1][0] = "Vår egen sammanfattning.\nEtt andra stycke.";
    s[h + 2] = [null, null, "en rad i C"];
    const second = await run(b);
    expect(second.tertial.drafted.summary).toBe(false);
    expect(second.tertial.texts.summary).toEqual(["Vår egen sammanfattning.", "Ett andra stycke."]);
    const s2 = b.sheets["Sammanfattning"];
    expect(s2[h + 1][0]).toBe("Vår egen sammanfattning.\nEtt andra stycke.");
    // Text typed outside the zone is carried into the note area, as on every report sheet.
    const notesAt = rowOf(b, "Sammanfattning", "Egna anteckningar");
    expect(String(s2[notesAt + 1][0])).toContain("en rad i C");
    expect(second.findings.some((f) => f.code === "USER_CELL_MOVED" && f.sheet === "Sammanfattning")).toBe(
      true,
    );

    const redrafted = await run(b, undefined, true);
    expect(redrafted.tertial.drafted.summary).toBe(true);
    expect(b.sheets["Sammanfattning"][h + 1][0]).toBe(first.tertial.draft.summary);

    b.sheets["Sammanfattning"][h + 1][0] = null;
    const emptied = await run(b);
    expect(emptied.tertial.drafted.summary).toBe(true);

    // The Verksamhet setting is the draft's subject.
    const config = defaultConfig();
    config.settings.verksamhet = "Social välfärd";
    const named = await refresh(port(book()), config);
    expect(named.ok && named.tertial.draft.summary).toMatch(/^Social välfärd redovisar för de första/);

    // The new draft keeps the text it replaces in the sheet's note area.
    b.sheets["Sammanfattning"][h + 1][0] = "Egen text igen.";
    await run(b, undefined, true);
    const notes = rowOf(b, "Sammanfattning", "Egna anteckningar");
    expect(b.sheets["Sammanfattning"][notes + 1][0]).toContain("Egen text igen.");
  });
});

describe("an untouched draft follows the figures", () => {
  it("rewrites last period's draft nobody edited, and keeps the one the ekonom edited", async () => {
    const b = book();
    const march = await run(b, 3);
    const h = rowOf(b, "Sammanfattning", "Sammanfattning av ärendet");
    expect(b.sheets["Sammanfattning"][h + 1][0]).toMatch(/de första tre månaderna/);

    const april = await run(b, 4);
    expect(april.tertial.drafted.summary).toBe(true);
    expect(b.sheets["Sammanfattning"][h + 1][0]).toBe(april.tertial.draft.summary);
    expect(april.tertial.draft.summary).not.toBe(march.tertial.draft.summary);
    expect(b.sheets["Sammanfattning"][h + 1][0]).toMatch(/de första fyra månaderna/);
    expect(april.tertial.drafted.operatingComment).toBe(true);
    expect(april.tertial.texts.operatingComment).not.toEqual(march.tertial.texts.operatingComment);
    // Nothing of the ekonom's was replaced, so nothing moves into the note area.
    const notes = rowOf(b, "Sammanfattning", "Egna anteckningar");
    expect(b.sheets["Sammanfattning"][notes + 1]?.[0] ?? null).toBeNull();

    b.sheets["Sammanfattning"][h + 1][0] = `${april.tertial.draft.summary} Med en egen mening.`;
    const again = await run(b, 4);
    expect(again.tertial.drafted.summary).toBe(false);
    expect(b.sheets["Sammanfattning"][h + 1][0]).toMatch(/Med en egen mening\.$/);
  });
});

/** S1 §4.2 as a table on sheet Investeringar (annual budgets = period budget × 3). */
function withInvestments(b: FakeBook): FakeBook {
  b.sheets["Investeringar"] = [];
  put(b, "Investeringar", "A1", [
    ["Projekt", "Budget", "Utfall", "Prognos budgetavvikelse helår", "Kommentar"],
    ["Digitalisering/utveckling datorprogram", -399, 0, null, "Huvuddelen av arbetet sker under hösten."],
    ["Möbler och inventarier ny våning", -474, 0, 0, "Leverans sker under sommaren."],
    ["Arbetsmiljöinvesteringar", -1200, 0, 600, null],
  ]);
  name(b, "Investeringar", "=Investeringar!$A$1:$E$4");
  return b;
}

describe("Investeringsredovisning", () => {
  it("reproduces S1 §4.2: +133, +158, +400, Summa 0 / -691 / +691 / +600", async () => {
    const b = withInvestments(book());
    const out = await run(b);
    const inv = out.tertial.investments!.result;
    expect(inv.lines.map((l) => [l.periodBudget, l.deviation, l.forecastDeviation])).toEqual([
      [-133, 133, 0],
      [-158, 158, 0],
      [-400, 400, 600],
    ]);
    expect([
      inv.result.actual,
      inv.result.periodBudget,
      inv.result.deviation,
      inv.result.forecastDeviation,
    ]).toEqual([0, -691, 691, 600]);
    const s = b.sheets["Investeringsredovisning"];
    expect(s[0][0]).toBe("Investeringsredovisning, nettoresultat (tkr)");
    expect(s[1]).toEqual([
      "",
      "Utfall per 30/4 2019",
      "Budget per 30/4 2019",
      "Avvikelse per 30/4 2019",
      "Prognos budgetavvikelse helår 2019",
    ]);
    expect(s[rowOf(b, "Investeringsredovisning", "Summa")]).toEqual(["Summa", 0, -691, 691, 600]);
    const k = rowOf(b, "Investeringsredovisning", "Kommentarer per projekt");
    expect(s[k + 1][0]).toBe(
      "Digitalisering/utveckling datorprogram: Huvuddelen av arbetet sker under hösten.",
    );
    expect(out.tertial.draft.summary).toContain(
      "Investeringsredovisningen visar för perioden en positiv budgetavvikelse på 691 tkr",
    );
  });

  it("runs the core's checks and names the table's cell", async () => {
    const b = withInvestments(book());
    b.sheets["Investeringar"][3][2] = 250; // spending typed without its minus sign
    b.sheets["Investeringar"][4] = ["Summa", -2073, -100, null, null];
    b.names = b.names.filter((n) => n.name !== "Investeringar");
    name(b, "Investeringar", "=Investeringar!$A$1:$E$5");
    const out = await run(b);
    const f = out.findings.filter((x) => x.sheet === "Investeringar");
    expect(f.map((x) => [x.code, x.cell])).toEqual(
      expect.arrayContaining([
        ["SIGN_SUSPECT", "C4"],
        ["TOTAL_MISMATCH", "C5"],
      ]),
    );
    expect(f.every((x) => x.message.startsWith("Investeringar: "))).toBe(true);
  });

  it("a project budget without the minus sign of the others is a warning at its cell", async () => {
    const b = withInvestments(book());
    b.sheets["Investeringar"][1][1] = 399; // Digitalisering: the budget typed without its minus sign
    const out = await run(b);
    const f = out.findings.filter((x) => x.code === "SIGN_SUSPECT" && x.sheet === "Investeringar");
    expect(f.map((x) => [x.level, x.cell, x.message])).toEqual([
      [
        "warning",
        "B2",
        'Investeringar: Projektet "Digitalisering/utveckling datorprogram" har budgeten 399, men de andra projektens budgetar är negativa (utgifter); saknas ett minustecken?',
      ],
    ]);
    // The S1 table itself, all budgets negative, has no such warning.
    const clean = await run(withInvestments(book()));
    expect(clean.findings.filter((x) => x.code === "SIGN_SUSPECT")).toEqual([]);
  });

  it("an investment income (a grant, a sale) among the projects is no missing minus sign", async () => {
    const b = withInvestments(book());
    b.sheets["Investeringar"][4] = ["Investeringsbidrag arbetsmiljö", 300, 0, null, null];
    b.sheets["Investeringar"][5] = ["Försäljning av inventarier", 50, 0, null, null];
    b.names = b.names.filter((n) => n.name !== "Investeringar");
    name(b, "Investeringar", "=Investeringar!$A$1:$E$6");
    const out = await run(b);
    expect(out.findings.filter((x) => x.code === "SIGN_SUSPECT")).toEqual([]);
  });

  it("the template's empty table gives no warning and a note instead of a Summa of zeros", async () => {
    const b = book();
    emptyInvestments(b);
    const out = await run(b);
    expect(out.findings.filter((f) => f.message.startsWith("Investeringar"))).toEqual([]);
    const s = b.sheets["Investeringsredovisning"];
    expect(s[2][0]).toBe("Inga investeringar är angivna (tabellen Investeringar är tom).");
    expect(s.some((r) => r?.[0] === "Summa")).toBe(false);
    expect(out.tertial.draft.summary).not.toContain("Investeringsredovisningen");
  });

  it("stops with a message naming the cell when a table cell cannot be used", async () => {
    const b = withInvestments(book());
    b.sheets["Investeringar"][2][1] = "mycket";
    const out = await refresh(port(b), defaultConfig());
    expect(out.ok).toBe(false);
    if (out.ok || out.stage !== "validate") throw new Error("expected a validation error");
    expect(out.errors.map((e) => [e.code, e.sheet, e.cell])).toEqual([
      ["TEXT_IN_NUMBER", "Investeringar", "B3"],
    ]);
    // The message names the column as its header reads, not only the table.
    expect(out.errors[0].message).toBe(
      'Investeringar!B3 (Investeringar, Budget): cellen innehåller texten "mycket"; där ska stå ett tal (eller inget).',
    );
  });
});

describe("Personalnyckeltal", () => {
  it("renders S1 §3.1 and names the cells of its slips", async () => {
    const b = book();
    b.sheets["Personal"] = [];
    put(b, "Personal", "A1", [
      [
        "Nyckeltal",
        "Mätdatum/ mätperiod",
        "Totalt",
        "Kvinnor",
        "Män",
        "Totalt fg år",
        "Kvinnor fg år",
        "Män fg år",
      ],
      ["Attraktiv arbetsgivare"],
      ["Antal månadsanställda personer", "30/4", 137, 109, 28, 143, 108, 35],
      [
        "Genomsnittlig sysselsättningsgrad, månadsanställda med deltid\u0441\u0430\u043dställning",
        "30/4",
        0.771,
        0.813,
        0.717,
        0.683,
        0.825,
        0.613,
      ],
      ["Hälsa"],
      ["Sjukfrånvaro månadsanställda", "1/12-28/2", 0.053, null, null, 0.073],
      ["varav sjukfrånvaro <15 dagar", "1/12-28/2", 0.028, null, null, 0.033],
      ["varav sjukfrånvaro 15-90 dagar", "1/12-28/2", 0.008, null, null, 0.02],
      ["varav sjukfrånvaro >90 dagar", "1/12-28/2", 0.016, null, null, 0.02],
    ]);
    name(b, "Personal", "=Personal!$A$1:$H$9");
    const out = await run(b);
    const f = out.findings.filter((x) => x.sheet === "Personal").map((x) => [x.code, x.cell]);
    expect(f).toEqual([
      ["LABEL_LOOKALIKE", "A4"],
      ["PERSONNEL_OFWHICH_MISMATCH", "C6"],
    ]);
    const s = b.sheets["Personalnyckeltal"];
    expect(s[1]).toEqual(["", "Mätdatum/ mätperiod", "Tertial 2019", null, null, "Tertial 2018", null, null]);
    expect(s[2]).toEqual(["", "", "Totalt", "Kvinnor", "Män", "Totalt", "Kvinnor", "Män"]);
    expect(s[3][0]).toBe("Attraktiv arbetsgivare");
    expect(s[4]).toEqual(["Antal månadsanställda personer", "30/4", 137, 109, 28, 143, 108, 35]);
    // The label is written as the ekonom typed it; the finding says how to fix it.
    expect(s[5][0]).toContain("deltid\u0441\u0430\u043dställning");
  });

  it("the template's empty table says so under the headers", async () => {
    const b = book();
    b.sheets["Personal"] = [];
    put(b, "Personal", "A1", [
      ["Nyckeltal", "Totalt", "Kvinnor", "Män"],
      [null, null, null, null],
    ]);
    name(b, "Personal", "=Personal!$A$1:$D$2");
    const out = await run(b);
    expect(out.findings.filter((f) => f.sheet === "Personal")).toEqual([]);
    expect(b.sheets["Personalnyckeltal"][3][0]).toBe(
      "Inga personalnyckeltal är angivna (tabellen Personal är tom).",
    );
  });

  it("reads a percentage stored as text or typed as percent points, with a warning at its cell", async () => {
    const b = book();
    b.sheets["Personal"] = [];
    put(b, "Personal", "A1", [
      ["Nyckeltal", "Totalt", "Kvinnor", "Män", "Totalt fg år"],
      ["Antal månadsanställda personer", 137, 109, 28, 143],
      ["Andel månadsanställda som arbetar heltid", 94.9, 96.3, 89.3, "95,8\u00a0%"],
    ]);
    name(b, "Personal", "=Personal!$A$1:$E$3");
    const out = await run(b);
    const f = out.findings.filter((x) => x.sheet === "Personal");
    expect(f.map((x) => [x.code, x.cell])).toEqual([
      ["TEXT_NUMBER", "E3"],
      ["PERSONNEL_PERCENT_POINTS", "B3"],
      ["PERSONNEL_PERCENT_POINTS", "C3"],
      ["PERSONNEL_PERCENT_POINTS", "D3"],
    ]);
    expect(f[0].message).toBe(
      'Personal!E3 (Personal, Totalt fg år): talet "95,8\u00a0%" är lagrat som text; det räknas som 95,8 %. Gör om cellen till ett tal (Data > Text till kolumner).',
    );
    const row = b.sheets["Personalnyckeltal"].find(
      (r) => r?.[0] === "Andel månadsanställda som arbetar heltid",
    );
    expect(row?.slice(2)).toEqual([0.949, 0.963, 0.893, 0.958, null, null]);
  });
});
