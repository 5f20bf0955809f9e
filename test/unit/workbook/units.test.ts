/**
 * The Ansvar column through the contract: read per line and per measure, findings placed in the Ansvar
 * cell, and the operating statement as the consolidated table plus a section (or a sheet) per unit.
 * Columns: A Post, B Ansvar, C Budget, D Utfall. Figures: the April ledger of test/unit/core/units.test.ts, one row per line on sheet Underlag.
 */
import { defaultConfig } from "../../../src/workbook/config";
import { planRead } from "../../../src/workbook/contract";
import { buildInput } from "../../../src/workbook/input";
import { computeTertial } from "../../../src/workbook/tertial";
import { a1, colIndex } from "../../../src/workbook/a1";
import { allFindings, buildWritePlan } from "../../../src/workbook/plan";
import { FINDING_TITLES } from "../../../src/workbook/words";
import { unitSheetName } from "../../../src/workbook/unit-sheets";
import { withUnit } from "../../../src/workbook/units";
import { currentEntry, forecastChanges, lineLogSheet, readForecastLog } from "../../../src/workbook/log";
import type { RawCell, StoredConfig } from "../../../src/workbook/types";
import { APR_30_2019, book, computeBook, metaOf, name, put, readOf, type FakeBook } from "./fake";
import { planGrid } from "../../../src/export/report-model";

function unitBook(
  ansvar: (string | null)[] = ["Vårnäs", "Vårnäs", "Vårnäs", "Mercur", null, "Mercur", "Mercur"],
) {
  const b = book("Underlag", "Åtgärder");
  put(b, "Underlag", "A2", [["Period", APR_30_2019]]);
  put(b, "Underlag", "A5", [["Post", "Ansvar", "Budget", "Utfall"]]);
  const rows: [string, number | null, number | null][] = [
    ["Intäkter", 1200, 500],
    ["Kostnader", -6000, -2200],
    ["Summa Vårnäs", null, null],
    ["Kostnader", -3000, -900],
    ["varav personal", -2400, -600],
    ["varav övrigt", -600, -300],
    ["Summa Mercur", null, null],
  ];
  put(
    b,
    "Underlag",
    "A6",
    rows.map(([label, budget, actual], i) => [label, ansvar[i], budget, actual]),
  );
  name(b, "Poster", "=Underlag!$A$6:$A$12");
  name(b, "Ansvar", "=Underlag!$B$6:$B$12");
  name(b, "Budget", "=Underlag!$C$6:$C$12");
  name(b, "Utfall", "=Underlag!$D$6:$D$12");
  name(b, "Period", "=Underlag!$B$2");
  put(b, "Åtgärder", "A1", [
    ["Område", "Åtgärd", "Belopp", "Typ", "Inräknad", "Post", "Ansvarig", "Ansvar"],
    ["Placeringar", "Hemmaplanslösning", 250, "prognos", "ja", "Kostnader", "Eva", "Mercur"],
  ]);
  name(b, "Atgarder", "='Åtgärder'!$A$1:$H$2");
  return b;
}

function run(b: FakeBook, config: StoredConfig = defaultConfig()) {
  const { read, input, layout, result } = computeBook(b, config);
  const plan = buildWritePlan(result, layout, read, config);
  return { input, result, plan, findings: allFindings(result, layout) };
}

/** The values a sheet plan writes, as a grid from A1 (the Word report reads plans the same way). */
const grid = planGrid;

test("Ansvar is read per line and per measure (Ansvarig stays the responsible person)", () => {
  const { input, result } = run(unitBook());
  expect(input.lines.map((l) => l.orgUnit ?? null)).toEqual([
    "Vårnäs",
    "Vårnäs",
    "Vårnäs",
    "Mercur",
    null,
    "Mercur",
    "Mercur",
  ]);
  expect(input.measures![0]).toMatchObject({ responsible: "Eva", orgUnit: "Mercur", line: "Kostnader" });
  // The measure raises Mercur's Kostnader (−2 700 + 250), not Vårnäs' (row 7).
  expect(result.lines[3].forecast).toBe(-2450);
  expect(result.lines[1].forecast).toBe(-6600);
});

test("a varav line in another unit is an error placed in its Ansvar cell", () => {
  const { findings } = run(unitBook(["Vårnäs", "Vårnäs", "Vårnäs", "Mercur", "Klivet", "Mercur", "Mercur"]));
  const f = findings.find((x) => x.code === "ORG_UNIT_OFWHICH");
  expect(f).toMatchObject({ level: "error", sheet: "Underlag", cell: "B10" });
});

test("Driftsredovisning: the consolidated table, then one section per unit on the same sheet", () => {
  const { plan } = run(unitBook());
  expect(plan.sheets.filter((s) => s.name.startsWith("Drift")).map((s) => s.name)).toEqual([
    "Driftsredovisning",
  ]);
  const drift = plan.sheets.find((s) => s.name === "Driftsredovisning")!;
  const g = grid(drift);
  const col0 = g.map((r) => r[0]);
  expect(col0[0]).toBe("Driftsredovisning, nettoresultat (tkr), 2 enheter sammanställda");
  // Consolidated: Intäkter 500; Kostnader −2 200 − 900 = −3 100; Summa −2 600, helår −300 + 550 = +250.
  const row = (label: string, from = 0) => g.findIndex((r, i) => i >= from && r[0] === label);
  // The sixth column, the change since the previous forecast, is empty: the log has no earlier period.
  expect(g[row("Kostnader")].slice(1)).toEqual([-3100, -3000, -100, -600 + 550, null]);
  expect(g[row("Summa")].slice(1)).toEqual([-2600, -2600, 0, 250, null]);
  const varnas = row("Vårnäs, nettoresultat (tkr)");
  const mercur = row("Mercur, nettoresultat (tkr)");
  expect(varnas).toBeGreaterThan(row("Summa"));
  expect(mercur).toBeGreaterThan(varnas);
  expect(g[row("Summa Vårnäs", varnas)].slice(1)).toEqual([-1700, -1600, -100, -300, null]);
  expect(g[row("Summa Mercur", mercur)].slice(1)).toEqual([-900, -1000, 100, 550, null]);
  expect(g[row("varav personal", mercur)].slice(1)).toEqual([-600, -800, 200, 600, null]);
  // Each section has its own header row, formatted like the first table's.
  expect(g[varnas + 1][1]).toBe("Utfall per 30/4 2019");
  expect(drift.rowHeights!.map((h) => h.row)).toContain(varnas + 1);
});

test("a unit's own workbook shows its table once, as without units: its Summa lines, comments, the unit in the title", () => {
  const b = unitBook(["Mercur", "Mercur", "Mercur", "Mercur", null, "Mercur", "Mercur"]);
  put(b, "Underlag", "E6", [["Fler externa intäkter"]]);
  name(b, "Kommentar", "=Underlag!$E$6:$E$12");
  const g = grid(run(b).plan.sheets.find((s) => s.name === "Driftsredovisning")!);
  const col0 = g.map((r) => r[0]);
  expect(col0[0]).toBe("Driftsredovisning, nettoresultat (tkr), Mercur");
  expect(col0).not.toContain("Mercur, nettoresultat (tkr)");
  // The ekonom's own subtotals stay, in the ledger's order (two Kostnader lines are not merged).
  expect(col0.slice(2, 9)).toEqual([
    "Intäkter",
    "Kostnader",
    "Summa Vårnäs",
    "Kostnader",
    "varav personal",
    "varav övrigt",
    "Summa Mercur",
  ]);
  expect(g[col0.indexOf("Summa Mercur")].slice(1, 4)).toEqual([-900, -1000, 100]);
  expect(col0.filter((v) => v === "Kommentarer per post")).toHaveLength(1);
  expect(col0).toContain("Intäkter: Fler externa intäkter");
});

test("a unit's own workbook gets no sheet of its own either when the settings ask for a sheet per unit", () => {
  const config = defaultConfig();
  config.settings.unitReports = "sheets";
  const b = unitBook(["Mercur", "Mercur", "Mercur", "Mercur", null, "Mercur", "Mercur"]);
  const { plan } = run(b, config);
  expect(plan.sheets.filter((s) => s.name.startsWith("Drift")).map((s) => s.name)).toEqual([
    "Driftsredovisning",
  ]);
  const g = grid(plan.sheets.find((s) => s.name === "Driftsredovisning")!);
  expect(g[0][0]).toBe("Driftsredovisning, nettoresultat (tkr), Mercur");
  expect(g.some((r) => r[0] === "Summa Mercur")).toBe(true);
});

test("a sheet per unit when the settings ask for it", () => {
  const config = defaultConfig();
  config.settings.unitReports = "sheets";
  const { plan } = run(unitBook(), config);
  const names = plan.sheets.map((s) => s.name);
  expect(names).toEqual(expect.arrayContaining(["Driftsredovisning", "Drift Vårnäs", "Drift Mercur"]));
  const mercur = grid(plan.sheets.find((s) => s.name === "Drift Mercur")!);
  expect(mercur[0][0]).toBe("Mercur, nettoresultat (tkr)");
  expect(mercur.find((r) => r[0] === "Summa Mercur")!.slice(1)).toEqual([-900, -1000, 100, 550, null]);
  expect(
    grid(plan.sheets.find((s) => s.name === "Driftsredovisning")!).some((r) => r[0] === "Summa Mercur"),
  ).toBe(false);
});

test("the change since the previous forecast: summed into the consolidated lines, per line in the sections", () => {
  const b = unitBook();
  const config = defaultConfig();
  const { read, layout, result } = computeBook(b, config);
  const tertial = computeTertial(result, layout, null, read);
  // As if March had been logged: "varav övrigt" (line 5) is new since then (its change counts from 0),
  // the rest moved.
  const fresh = result.lines[5].forecastDeviation;
  const added = [false, false, false, false, false, true, false];
  const change = { previousPeriod: "2019-03", lines: [10, 20, 30, 40, 5, fresh, 45], net: 99, added };
  const plan = buildWritePlan(result, layout, read, config, { tertial: { ...tertial, change } });
  const g = grid(plan.sheets.find((s) => s.name === "Driftsredovisning")!);
  const row = (label: string, from = 0) => g.findIndex((r, i) => i >= from && r[0] === label);
  expect(g[1][5]).toBe("Förändring mot föregående prognos");
  expect(g[row("Intäkter")][5]).toBe(10);
  // Both units' Kostnader: 20 + 40.
  expect(g[row("Kostnader")][5]).toBe(60);
  expect(g[row("varav personal")][5]).toBe(5);
  // A consolidated line whose every part is new is new too, and named under the table.
  expect(g[row("varav övrigt")][5]).toBe(fresh);
  const note = "Ny rad sedan mars 2019, förändringen räknad från 0: varav övrigt.";
  expect(g.filter((r) => r[0] === note)).toHaveLength(2); // under the consolidated table and Mercur's
  expect(g[row("Summa")][5]).toBe(99);
  const mercur = row("Mercur, nettoresultat (tkr)");
  expect(g[mercur + 1][5]).toBe("Förändring mot föregående prognos");
  expect(g[row("Kostnader", mercur)][5]).toBe(40);
  expect(g[row("varav övrigt", mercur)][5]).toBe(fresh);
  expect(row(note, mercur)).toBeGreaterThan(mercur);
  expect(g[row("Summa Mercur", mercur)][5]).toBe(45);
  const varnas = row("Vårnäs, nettoresultat (tkr)");
  expect(g[row("Kostnader", varnas)][5]).toBe(20);
});

test("a sheet per unit never replaces the sheet holding the data: an error, nothing written", () => {
  const config = defaultConfig();
  config.settings.unitReports = "sheets";
  const b = unitBook();
  // Rename the data sheet to the name Mercur's report sheet would get.
  b.sheets["Drift Mercur"] = b.sheets.Underlag;
  b.formulas["Drift Mercur"] = b.formulas.Underlag;
  delete b.sheets.Underlag;
  b.names = b.names.map((n) => ({ ...n, formula: n.formula.replace("Underlag!", "'Drift Mercur'!") }));
  const p = planRead(metaOf(b), config);
  if ("errors" in p) throw new Error(p.errors[0].message);
  const built = buildInput(p.resolution, readOf(b, p.request), config);
  expect("errors" in built && built.errors.map((e) => [e.code, e.sheet])).toEqual([
    ["OWNED_SHEET", "Drift Mercur"],
  ]);
  // With sections (the default) the same workbook is fine.
  expect("errors" in buildInput(p.resolution, readOf(b, p.request), defaultConfig())).toBe(false);
});

test("the action plan names the unit of a measure", () => {
  const { plan } = run(unitBook());
  const g = grid(plan.sheets.find((s) => s.name === "Åtgärdsplan")!);
  expect(g.some((r) => r[0] === "a. Hemmaplanslösning (Mercur)")).toBe(true);
});

test("unit sheet names: Excel's forbidden characters replaced, 31 characters at most, unique", () => {
  const taken = new Set(["driftsredovisning"]);
  expect(unitSheetName("IFO/Vuxen [öppenvård]", taken)).toBe("Drift IFO-Vuxen -öppenvård-");
  const long = "Myndighetsavdelningen barn och unga";
  const first = unitSheetName(long, taken);
  const second = unitSheetName(long.toUpperCase(), taken);
  expect(first).toHaveLength(31);
  expect(second).toHaveLength(31);
  expect(second.endsWith(" (2)")).toBe(true);
});

/** What a host does with a plan: owned sheets take the plan's cells, nothing else (as reports.test.ts). */
function render(b: FakeBook, plan: ReturnType<typeof buildWritePlan>): void {
  for (const s of plan.sheets)
    if (s.owned) {
      b.sheets[s.name] = grid(s);
      b.formulas[s.name] = [];
    }
}

function cellOf(b: FakeBook, sheet: string, label: string, down: number): string {
  const r = b.sheets[sheet].findIndex((row) => row?.[0] === label);
  if (r < 0) throw new Error(`${sheet}: no row ${label}`);
  return a1(r + down, 0);
}
const at = (b: FakeBook, sheet: string, ref: string) => {
  const m = /^([A-Z]+)(\d+)$/.exec(ref)!;
  return b.sheets[sheet]?.[Number(m[2]) - 1]?.[colIndex(m[1])] ?? null;
};

describe.each(["sections", "sheets"] as const)("text typed on the unit reports (%s) is carried", (mode) => {
  test("the comment zone, and a cell typed elsewhere, survive two refreshes", () => {
    const config = defaultConfig();
    config.settings.unitReports = mode;
    const b = unitBook();
    render(b, run(b, config).plan);
    const sheet = mode === "sheets" ? "Drift Mercur" : "Driftsredovisning";
    const heading = "Kommentar till driftsredovisning";
    // Heading, the line explaining the yellow cells, then the zone.
    put(b, sheet, cellOf(b, sheet, heading, 2), [["Mercur: fler placeringar än budgeterat."]]);
    put(b, sheet, "H2", [["ring Per"]]);
    render(b, run(b, config).plan);
    const second = run(b, config);
    render(b, second.plan);
    expect(at(b, sheet, cellOf(b, sheet, heading, 2))).toBe("Mercur: fler placeringar än budgeterat.");
    const notes = String(at(b, sheet, cellOf(b, sheet, "Egna anteckningar", 1)));
    expect(notes).toContain("Från H2: ring Per");
    // The sheet's zones are recorded on the state sheet, so the next refresh finds them by key.
    const state = second.plan.sheets.find((s) => s.name === "_Uppföljaren")!;
    expect(grid(state).some((r) => r.includes(sheet))).toBe(true);
  });
});

test("the codes of a trend fallback and of formula cells have Swedish titles for Kontroller", () => {
  for (const code of ["TREND_FALLBACK", "FORMULA_UNCALCULATED", "CELL_ERROR"])
    expect(FINDING_TITLES[code]).toMatch(/^[A-ZÅÄÖ]/);
});

test("the unit finding codes have Swedish titles for Kontroller", () => {
  for (const code of ["ORG_UNIT_OFWHICH", "ORG_UNIT_MISSING", "ORG_UNIT_TOTAL_EMPTY", "MEASURE_UNIT_UNKNOWN"])
    expect(FINDING_TITLES[code]).toMatch(/^[A-ZÅÄÖ]/);
});

test("the forecast log keeps each unit's lines apart, also when the units' blocks change places", () => {
  const march = computeBook(unitBook(), defaultConfig(), 3).result;
  const logged = readForecastLog(
    [],
    planGrid(lineLogSheet({ periods: [currentEntry(march)] })) as RawCell[][],
  );
  expect(logged.periods[0].lines.map((l) => l.orgUnit)).toEqual(march.lines.map((l) => l.orgUnit ?? null));
  // April: Mercur's block first, and Vårnäs's Kostnader now with a larger outcome.
  const b = unitBook(["Mercur", "Mercur", "Mercur", "Mercur", "Vårnäs", "Vårnäs", "Vårnäs"]);
  put(b, "Underlag", "A6", [
    ["Kostnader", "Mercur", -3000, -900],
    ["varav personal", null, -2400, -600],
    ["varav övrigt", "Mercur", -600, -300],
    ["Summa Mercur", "Mercur", null, null],
    ["Intäkter", "Vårnäs", 1200, 500],
    ["Kostnader", "Vårnäs", -6000, -3000],
    ["Summa Vårnäs", "Vårnäs", null, null],
  ]);
  const april = computeBook(b).result;
  const change = forecastChanges(april, logged);
  const before = (label: string, unit: string) =>
    march.lines.find((l) => l.label === label && l.orgUnit === unit)!.forecastDeviation!;
  april.lines.forEach((l, i) => {
    if (!l.orgUnit) return;
    expect([l.label, l.orgUnit, change.lines[i]]).toEqual([
      l.label,
      l.orgUnit,
      l.forecastDeviation! - before(l.label, l.orgUnit),
    ]);
  });
  // A renamed unit has no lines of its own in the log, and a line of a unit never matches another
  // unit's: its lines are new (counted from 0, named in `added`), a new total line has no change.
  const renamed = computeBook(
    unitBook([
      "Vårnäs äldreboende",
      "Vårnäs äldreboende",
      "Vårnäs äldreboende",
      "Mercur",
      null,
      "Mercur",
      "Mercur",
    ]),
  ).result;
  const afterRename = forecastChanges(renamed, logged);
  expect(afterRename.lines.slice(0, 3)).toEqual([
    renamed.lines[0].forecastDeviation,
    renamed.lines[1].forecastDeviation,
    null,
  ]);
  expect(afterRename.added).toEqual([true, true, false, false, false, false, false]);
  expect(afterRename.lines.slice(3)).toEqual(
    renamed.lines.slice(3).map((l) => l.forecastDeviation - before(l.label, "Mercur")),
  );
  expect(afterRename.uncompared).toEqual({ units: [], withoutUnit: false, logged: true });
  // A log without Ansvar (the administration's lines, or one from before units were logged): a line
  // matches only where its label occurs once then and once now; "Kostnader" of each unit stays blank.
  const old = planGrid(lineLogSheet({ periods: [currentEntry(march)] })).map((r) =>
    r.slice(0, 8),
  ) as RawCell[][];
  const now = computeBook(unitBook()).result;
  const unitless = forecastChanges(now, readForecastLog([], old));
  expect(unitless.lines.map((c, i) => (c === null ? now.lines[i].label : "matched"))).toEqual([
    "matched",
    "Kostnader",
    "matched",
    "Kostnader",
    "matched",
    "matched",
    "matched",
  ]);
  expect(unitless.added!.some(Boolean)).toBe(false);
  expect(unitless.uncompared).toEqual({ units: ["Vårnäs", "Mercur"], withoutUnit: false, logged: true });
});

test("Prognossäkerhet names each backtested line's unit, unless its label already does", () => {
  const b = unitBook();
  const months = (total: number) => Array.from({ length: 12 }, () => total / 12);
  put(b, "Underlag", "F6", [
    months(1200),
    months(-6000),
    months(-4800),
    months(-3000),
    months(-2400),
    months(-600),
    months(-3000),
  ]);
  name(b, "UtfallFgAr", "=Underlag!$F$6:$Q$12");
  put(b, "Underlag", "A6", [["Vårnäs intäkter"]]);
  const { plan } = run(b);
  const labels = planGrid(plan.sheets.find((s) => s.name === "Prognossäkerhet")!).map((r) => r[0]);
  expect(labels).toContain("Kostnader (Vårnäs)");
  expect(labels).toContain("Kostnader (Mercur)");
  expect(labels).not.toContain("Kostnader");
  expect(labels).toContain("Vårnäs intäkter");
});

test("a line named with its unit: in brackets, or after a comma when the label ends in its own", () => {
  expect(withUnit("Personal", "Vårnäs")).toBe("Personal (Vårnäs)");
  expect(withUnit("köpt huvudverksamhet (placeringar)", "Klivet")).toBe(
    "köpt huvudverksamhet (placeringar), Klivet",
  );
  expect(withUnit("Personal", null)).toBe("Personal");
});
