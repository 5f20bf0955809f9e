/**
 * The report sheets across refreshes: input zones, text typed elsewhere, the named results, the
 * measures section, print setup, fonts and row heights. A tiny "host" renders each plan into the fake
 * book (owned sheets replaced by their values, names redefined) the way both real hosts do.
 */
import { a1, colIndex, parseNameFormula } from "../../../src/workbook/a1";
import { defaultConfig } from "../../../src/workbook/config";
import { planRefresh } from "../../../src/workbook/plan";
import {
  SheetCarry,
  carryRequest,
  decodeFootprint,
  encodeFootprint,
  neededRects,
  parseState,
  skippedBlock,
  skippedBlockIntact,
  stateSheet,
} from "../../../src/workbook/reports/carry";
import { heightFor, Sheet, wrappedLines } from "../../../src/workbook/reports/common";
import { MAX_CELL_CHARS } from "../../../src/workbook/limits";
import type { PlanValue, RawCell, StoredConfig, WritePlan } from "../../../src/workbook/types";
import { computeBook, katrineholm, name, put, type FakeBook } from "./fake";
import { planGrid } from "../../../src/export/report-model";

function refresh(b: FakeBook, config: StoredConfig = defaultConfig()) {
  const { read, layout, result } = computeBook(b, config);
  const out = planRefresh(result, layout, read, config);
  render(b, out.plan);
  return { ...out, result };
}

/** The values a sheet plan writes, as a grid from A1 (the Word report reads plans the same way). */
const grid = planGrid;

/** What a host does: owned sheets take the plan's cells (nothing else), user sheets get the values. */
function render(b: FakeBook, plan: WritePlan): void {
  for (const s of plan.sheets) {
    if (s.owned) {
      b.sheets[s.name] = grid(s);
      b.formulas[s.name] = [];
    } else
      for (const block of s.values)
        block.values.forEach((row, i) =>
          row.forEach((v, j) => put(b, s.name, a1(block.row + i, block.col + j), [[v]])),
        );
  }
  for (const n of plan.names) {
    b.names = b.names.filter((x) => x.name !== n.name);
    const r = n.ref;
    const abs = (row: number, col: number) => `$${a1(row, col).replace(/(\d+)/, "$$$1")}`;
    name(b, n.name, `='${r.sheet}'!${abs(r.row, r.col)}:${abs(r.row + r.rows - 1, r.col + r.cols - 1)}`);
  }
}

const cell = (b: FakeBook, sheet: string, at: string): RawCell => {
  const m = /^([A-Z]+)(\d+)$/.exec(at)!;
  return b.sheets[sheet]?.[Number(m[2]) - 1]?.[colIndex(m[1])] ?? null;
};
const type = (b: FakeBook, sheet: string, at: string, v: PlanValue) => put(b, sheet, at, [[v]]);

/** The A1 cell of the first row whose column A is `label` (plus `down` rows), in column `col`. */
function find(b: FakeBook, sheet: string, label: string, col = "A", down = 0): string {
  const r = b.sheets[sheet].findIndex((row) => row?.[0] === label);
  if (r < 0) throw new Error(`${sheet}: no row ${label}`);
  return `${col}${r + 1 + down}`;
}

/** The value a workbook name points at, after rendering. */
function named(b: FakeBook, n: string): RawCell {
  const entry = b.names.find((x) => x.name === n)!;
  const parsed = parseNameFormula(entry.formula);
  if (parsed.kind !== "range") throw new Error(entry.formula);
  return b.sheets[parsed.rect.sheet]?.[parsed.rect.row]?.[parsed.rect.col] ?? null;
}

function ludvika(): FakeBook {
  const b = katrineholm();
  b.sheets["Åtgärder"] = [];
  put(b, "Åtgärder", "A1", [
    ["Område", "Åtgärd", "Belopp", "Typ", "Inräknad", "Post", "Ansvarig", "Status"],
    ["Ekonomiskt bistånd", "Rättssäker handläggning", 1200, "prognos", "nej", "varav ekonomiskt bistånd", "Enhetschef Stöd", "Pågår"], // prettier-ignore
    ["Stödboendeverksamheten", "Större målgrupp", 1000, "prognos", "nej", null, null, null],
    ["Vuxenplaceringar", "Fördjupad analys", "Summa ges efter analysen", "prognos", "nej", null, null, null],
    ["Ludvikamodellen", "Fler i egen försörjning", 5500, "beslutad", "nej", null, null, null],
    [null, null, null, null, null, null, null, null],
    [null, null, null, null, null, null, null, null],
  ]);
  name(b, "Atgarder", "='Åtgärder'!$A$1:$H$7");
  put(b, "Åtgärder", "J1", [[43628], [43712], [43747], [43775], [43810]]);
  name(b, "Namndmoten", "='Åtgärder'!$J$1:$J$5");
  return b;
}

/** Adds a ledger line at the top (rows 6–13 instead of 6–12): every report row below it moves down. */
function addLine(b: FakeBook): void {
  const rows = b.sheets.Underlag.slice(5, 12).map((r) => r.slice(0, 3));
  put(b, "Underlag", "A6", [["Statsbidrag", 1200, 500], ...rows]);
  b.names = b.names.map((n) =>
    ["Poster", "Budget", "Utfall"].includes(n.name) ? { ...n, formula: n.formula.replace("$12", "$13") } : n,
  );
  b.names = b.names.filter((n) => !["Avvikelse", "Prognos", "Prognosavvikelse"].includes(n.name));
  for (let r = 4; r < 13; r++)
    for (const c of [3, 4, 5]) if (b.sheets.Underlag[r]) b.sheets.Underlag[r][c] = null;
}

describe("input zones survive refreshes", () => {
  it("keeps every zone's text through two refreshes, also when a line is added and rows move", () => {
    const b = ludvika();
    refresh(b);
    const drift = "Driftsredovisning";
    const commentAt = find(b, drift, "Kommentar till driftsredovisning", "A", 2);
    type(b, drift, commentAt, "Underskottet beror på placeringar.\nÅtgärdsplanen följs.");
    type(b, "Volymmått", find(b, "Volymmått", "Kommentar till volymutveckling", "A", 2), "Fler hushåll.");
    type(b, drift, find(b, drift, "Egna anteckningar", "A", 1), "Ring Anna om konsulterna.");
    const ap = "Åtgärdsplan";
    const vux = b.sheets[ap].findIndex((r) => r?.[0] === "3. Vuxenplaceringar");
    // Återrapport 2 of Vuxenplaceringar: heading, measure a, the amount row, Återrapport 1, 2.
    type(b, ap, `B${vux + 5}`, "Analysen klar i september.");
    expect(cell(b, ap, `A${vux + 5}`)).toBe("Återrapport 2 Nämnd 190904");
    const sum = find(b, ap, "Summering:", "B", 3);
    type(b, ap, sum, "2,5 mnkr bekräftat.");

    const second = refresh(b);
    addLine(b);
    put(b, "Åtgärder", "A6", [["Barn och ungdomsplaceringar", "Egen familjehemsbank", 300, "prognos", "nej", null, null, null]]); // prettier-ignore
    const third = refresh(b);
    for (const out of [second, third])
      expect(out.findings.filter((f) => /MOVED/.test(f.code)).map((f) => f.code)).toEqual([]);

    expect(cell(b, drift, find(b, drift, "Kommentar till driftsredovisning", "A", 2))).toBe(
      "Underskottet beror på placeringar.\nÅtgärdsplanen följs.",
    );
    expect(find(b, drift, "Kommentar till driftsredovisning", "A", 2)).not.toBe(commentAt);
    expect(cell(b, "Volymmått", find(b, "Volymmått", "Kommentar till volymutveckling", "A", 2))).toBe(
      "Fler hushåll.",
    );
    expect(cell(b, drift, find(b, drift, "Egna anteckningar", "A", 1))).toBe("Ring Anna om konsulterna.");
    const vux2 = b.sheets[ap].findIndex((r) => r?.[0] === "3. Vuxenplaceringar");
    expect(cell(b, ap, `A${vux2 + 5}`)).toBe("Återrapport 2 Nämnd 190904");
    expect(cell(b, ap, `B${vux2 + 5}`)).toBe("Analysen klar i september.");
    expect(b.sheets[ap].flat().filter((v) => v === "Analysen klar i september.")).toHaveLength(1);
    expect(cell(b, ap, find(b, ap, "Summering:", "B", 3))).toBe("2,5 mnkr bekräftat.");
    // The added area moved the summary down; the follow-up stayed with its area, not its old row.
    expect(find(b, ap, "Summering:", "B", 3)).not.toBe(sum);
  });

  it("keeps a follow-up with its meeting: a new meeting renumbers, the text stays with its date", () => {
    const b = ludvika();
    refresh(b);
    const ap = "Åtgärdsplan";
    const at = find(b, ap, "Prognos utebliven kostnad för stödboendeverksamheten", "B", 1);
    expect(cell(b, ap, at.replace("B", "A"))).toBe("Återrapport 1 Nämnd 190612");
    type(b, ap, at, "Två platser fyllda.");
    // A meeting in May is added before June: June becomes Återrapport 2, and the text follows June.
    put(b, "Åtgärder", "J1", [[43600], [43628], [43712], [43747], [43775], [43810]]);
    b.names = b.names.map((n) => (n.name === "Namndmoten" ? { ...n, formula: "='Åtgärder'!$J$1:$J$6" } : n));
    refresh(b);
    const row = b.sheets[ap].findIndex((r) => r?.[1] === "Två platser fyllda.");
    expect(b.sheets[ap][row][0]).toBe("Återrapport 2 Nämnd 190612");
    // The meeting removed: its text goes to the note area, with a finding saying so.
    put(b, "Åtgärder", "J1", [[43600], [null], [43712], [43747], [43775], [43810]]);
    const out = refresh(b);
    expect(b.sheets[ap].some((r) => r?.[1] === "Två platser fyllda.")).toBe(false);
    const notes = cell(b, ap, find(b, ap, "Egna anteckningar", "A", 1));
    expect(notes).toBe("Återrapport 2 Nämnd 190612, Stödboendeverksamheten: Två platser fyllda.");
    expect(out.findings).toContainEqual(
      expect.objectContaining({ level: "info", code: "ZONE_MOVED", sheet: ap }),
    );
    const k = out.plan.sheets.find((s) => s.name === "Kontroller")!;
    expect(grid(k).some((r) => r[4] === "ZONE_MOVED")).toBe(true);
  });
});

describe("text typed outside the zones", () => {
  it("goes to the sheet's note area with an info finding naming the cell, once, and stays there", () => {
    const b = ludvika();
    refresh(b);
    type(b, "Driftsredovisning", "G3", "Kolla med Per");
    type(b, "Driftsredovisning", "C11", 42); // a blank cell of the Ekonomi i balans row
    type(b, "Prognoslogg", "E2", "Ny prognos efter mötet");
    const out = refresh(b);
    const moved = out.findings.filter((f) => f.code === "USER_CELL_MOVED");
    expect(moved.map((f) => [f.level, f.sheet])).toEqual([
      ["info", "Driftsredovisning"],
      ["info", "Driftsredovisning"],
      ["info", "Prognoslogg"],
    ]);
    expect(moved[0].message).toContain('Driftsredovisning!G3: "Kolla med Per"');
    expect(moved[1].message).toContain("Driftsredovisning!C11");
    expect(cell(b, "Driftsredovisning", "A11")).toBe("Ekonomi i balans");
    const notesAt = find(b, "Driftsredovisning", "Egna anteckningar", "A", 1);
    expect(cell(b, "Driftsredovisning", notesAt)).toBe("Från G3: Kolla med Per\nFrån C11: 42");
    expect(cell(b, "Driftsredovisning", "G3")).toBeNull();
    expect(cell(b, "Prognoslogg", find(b, "Prognoslogg", "Egna anteckningar", "A", 1))).toBe(
      "Från E2: Ny prognos efter mötet",
    );
    const again = refresh(b);
    expect(again.findings.filter((f) => f.code === "USER_CELL_MOVED")).toEqual([]);
    expect(cell(b, "Driftsredovisning", find(b, "Driftsredovisning", "Egna anteckningar", "A", 1))).toBe(
      "Från G3: Kolla med Per\nFrån C11: 42",
    );
  });

  it("names the first ten moved cells and counts the rest in words, in the singular for one", () => {
    const b = ludvika();
    refresh(b);
    for (let r = 1; r <= 11; r++) type(b, "Driftsredovisning", `H${r}`, `Notis ${r}`);
    const moved = refresh(b).findings.filter((f) => f.code === "USER_CELL_MOVED");
    expect(moved).toHaveLength(11);
    expect(moved[10].message).toBe(
      "Driftsredovisning: ytterligare en cell stod utanför Uppföljarens celler och har flyttats till Egna anteckningar längst ner på bladet.",
    );
  });

  it("carries the comment of report sheets written before zones were recorded (no state sheet)", () => {
    const b = katrineholm();
    b.sheets["Volymmått"] = [["Volymmått"], [], ["Kommentar till volymutveckling"], ["Egen text från förr"]];
    b.sheets["Driftsredovisning"] = [["Kommentar till driftsredovisning"], ["(Skriv kommentaren här.)"]];
    refresh(b);
    expect(cell(b, "Volymmått", find(b, "Volymmått", "Kommentar till volymutveckling", "A", 2))).toBe(
      "Egen text från förr",
    );
    // The old placeholder is not the ekonom's text: the empty zone gets the draft.
    expect(cell(b, "Driftsredovisning", find(b, "Driftsredovisning", "Kommentar till driftsredovisning", "A", 2))).toMatch(/^Verksamheten visar för perioden januari till april/); // prettier-ignore
  });

  it("leaves a sheet of the user's own under the state sheet's name alone, and says so", () => {
    const b = katrineholm();
    b.sheets["_Uppföljaren"] = [["Mina egna siffror"], [1, 2, 3]];
    const { plan, findings } = refresh(b);
    expect(plan.sheets.some((s) => s.name === "_Uppföljaren")).toBe(false);
    expect(b.sheets["_Uppföljaren"]).toEqual([["Mina egna siffror"], [1, 2, 3]]);
    expect(findings).toContainEqual(expect.objectContaining({ level: "warning", code: "STATE_SHEET_TAKEN" }));
    const k = grid(plan.sheets.find((s) => s.name === "Kontroller")!);
    expect(k.some((r) => r[4] === "STATE_SHEET_TAKEN")).toBe(true);
  });

  it("needs only the cells outside the last footprint: a read of just those carries the same text", () => {
    const b = ludvika();
    refresh(b);
    const zone = find(b, "Driftsredovisning", "Kommentar till driftsredovisning", "A", 2);
    type(b, "Driftsredovisning", zone, "Placeringarna ökar.");
    type(b, "Driftsredovisning", "G3", "Kolla med Per"); // right of the report
    type(b, "Driftsredovisning", "C11", 42); // a blank cell of the Ekonomi i balans row
    type(b, "Driftsredovisning", "A2", "Under rubriken"); // the report's blank second row
    type(b, "Driftsredovisning", "A3", "Skrivet över"); // the report's own cell: rebuilt
    type(b, "Åtgärdsplan", "D40", "Långt ner");
    const config = defaultConfig();
    const { read, layout, result } = computeBook(b, config);
    const request = carryRequest({ ranges: [], sheets: read.sheets.map((s) => s.sheet) }, read, [
      "Prognoslogg",
      "Prognoslogg_rader",
    ]);
    const needed = new Map((request.needed ?? []).map((x) => [x.sheet, x.rects]));
    // The logs are data, read whole; every report sheet with a recorded state only in part.
    for (const sheet of ["Driftsredovisning", "Åtgärdsplan", "Kontroller", "Prognossäkerhet"])
      expect(needed.has(sheet)).toBe(true);
    for (const sheet of ["Prognoslogg", "Prognoslogg_rader", "_Uppföljaren"])
      expect(needed.has(sheet)).toBe(false);
    // A host that reads only the needed cells answers null for the rest.
    const sparse = {
      ...read,
      sheets: read.sheets.map((s) => {
        const rects = needed.get(s.sheet);
        if (!rects) return s;
        const inside = (r: number, c: number) =>
          rects.some((x) => r >= x.row && r < x.row + x.rows && c >= x.col && c < x.col + x.cols);
        return { ...s, values: s.values.map((row, r) => row.map((v, c) => (inside(r, c) ? v : null))) };
      }),
    };
    const a = planRefresh(result, layout, read, config);
    const z = planRefresh(result, layout, sparse, config);
    expect(z.plan).toEqual(a.plan);
    expect(z.findings).toEqual(a.findings);
    const notes = grid(z.plan.sheets.find((x) => x.name === "Driftsredovisning")!).flat();
    expect(notes).toContain("Placeringarna ökar.");
    expect(notes).toContain("Från A2: Under rubriken\nFrån G3: Kolla med Per\nFrån C11: 42");
  });

  it("leaves out the per-line log's rows of the period it logs again, and plans the same", () => {
    const b = ludvika();
    const config = defaultConfig();
    const step = (month: number) => {
      const { read, layout, result } = computeBook(b, config, month);
      render(b, planRefresh(result, layout, read, config).plan);
    };
    step(3);
    step(4);
    const { read, layout, result } = computeBook(b, config, 4);
    const lines = read.sheets.find((s) => s.sheet === "Prognoslogg_rader")!.values;
    expect(new Set(lines.slice(1).map((r) => r[0]))).toEqual(new Set(["2019-03", "2019-04"]));
    const request = carryRequest(
      { ranges: [], sheets: read.sheets.map((s) => s.sheet) },
      read,
      ["Prognoslogg", "Prognoslogg_rader"],
      { sheet: "Prognoslogg_rader", period: "2019-04" },
    );
    const rects = request.needed!.find((x) => x.sheet === "Prognoslogg_rader")!.rects;
    const inside = (r: number, c: number) =>
      rects.some((x) => r >= x.row && r < x.row + x.rows && c >= x.col && c < x.col + x.cols);
    const sparse = lines.map((row, r) => row.map((v, c) => (inside(r, c) ? v : null)));
    // Every row of March is read; of April only the first and the last, to see the block has not moved.
    const april = lines.flatMap((row, r) => (row[0] === "2019-04" ? [r] : []));
    lines.forEach((row, r) =>
      expect(inside(r, 0)).toBe(row[0] !== "2019-04" || r === april[0] || r === april[april.length - 1]),
    );
    const block = skippedBlock(read, { sheet: "Prognoslogg_rader", period: "2019-04" })!;
    expect(block).toEqual({ row: april[0], rows: april.length });
    expect(skippedBlockIntact(sparse, block, "2019-04")).toBe(true);
    // Rows moved (a row inserted above, say): the block is not where it was; the refresh reads it all.
    expect(skippedBlockIntact([lines[0], ...sparse], block, "2019-04")).toBe(false);
    const partial = {
      ...read,
      sheets: read.sheets.map((x) => (x.sheet === "Prognoslogg_rader" ? { ...x, values: sparse } : x)),
    };
    const a = planRefresh(result, layout, read, config);
    const z = planRefresh(result, layout, partial, config);
    expect(z.plan).toEqual(a.plan);
    expect(z.findings).toEqual(a.findings);
  });

  it("describes the needed cells in few rectangles: runs per column, short footprint gaps bridged", () => {
    // Column A written on every row; B on every third; C never; D on the first 100 rows only.
    const footprint = Array.from({ length: 300 }, (_, r) => 1 | (r % 3 === 0 ? 2 : 0) | (r < 100 ? 8 : 0));
    const rects = neededRects({ zones: [], footprint });
    const covers = (r: number, c: number) =>
      rects.some((x) => r >= x.row && r < x.row + x.rows && c >= x.col && c < x.col + x.cols);
    for (let r = 0; r < 400; r++)
      for (let c = 0; c < 40; c++)
        if (r >= 300 || !((footprint[r] >> c) & 1)) expect(covers(r, c)).toBe(true);
    expect(covers(5, 0)).toBe(false); // the footprint's own cells are not read
    // Below the footprint, right of the masks, B bridged into one run, C, D below row 100, E.. 30.
    expect(rects.length).toBeLessThanOrEqual(6);
  });

  it("records the footprint compactly and reads it back", () => {
    const masks = [1, 31, 31, 31, 0, 1, 1];
    expect(encodeFootprint(masks)).toBe("1*1,3*31,1*0,2*1");
    expect(decodeFootprint(encodeFootprint(masks))).toEqual(masks);
  });

  it("splits a footprint longer than a cell holds over several rows and reads it back whole", () => {
    // A 100 000-line operating statement: rows alternate between two masks, a run per row.
    const rows = Array.from({ length: 100_000 }, (_, i) => [i % 2 ? "Post" : null, i % 3 ? 12 : null]);
    const plan = {
      name: "Driftsredovisning",
      owned: true,
      values: [{ row: 0, col: 0, values: rows }],
      formats: [],
      merges: [],
      columnWidths: [],
      charts: [],
    };
    const state = stateSheet([{ plan, zones: [] }]);
    const cells = state.values[0].values.flat();
    expect(cells.filter((v) => v === "yta").length).toBeGreaterThan(1);
    for (const v of cells) if (typeof v === "string") expect(v.length).toBeLessThanOrEqual(MAX_CELL_CHARS);
    const read = parseState(state.values[0].values as RawCell[][]);
    const footprint = read.get("DRIFTSREDOVISNING")!.footprint;
    expect(footprint).toHaveLength(100_000);
    expect(footprint.slice(0, 6)).toEqual([0, 3, 2, 1, 2, 3]);
  });
});

describe("named results", () => {
  it("point at the right figures whatever moves", () => {
    const b = ludvika();
    const first = refresh(b);
    const r = first.result.result;
    expect(named(b, "Uppf_AvvikelseHittills")).toBe(r.deviation);
    expect(named(b, "Uppf_PrognosavvikelseHelar")).toBe(r.forecastDeviation);
    expect(named(b, "Uppf_UtfallHittills")).toBe(r.actual);
    expect(named(b, "Uppf_BudgetHittills")).toBe(r.periodBudget);
    expect(named(b, "Uppf_Balansmal")).toBe(-30000);
    expect(named(b, "Uppf_AvvikelseBalansmal")).toBe(r.deviationVsBalanceTarget);
    expect(named(b, "Uppf_AtgarderPrognos")).toBe(2.2);
    expect(named(b, "Uppf_AtgarderInraknade")).toBeNull();
    expect(first.plan.names.every((n) => n.scope === null)).toBe(true);
    addLine(b);
    const second = refresh(b);
    expect(named(b, "Uppf_AvvikelseHittills")).toBe(second.result.result.deviation);
    expect(second.result.result.deviation).toBe(r.deviation + 500 - 400);
  });
});

describe("measures counted into the forecast", () => {
  it("shows the forecast before, each measure, after; a manual forecast keeps its measure out with a finding", () => {
    const b = katrineholm();
    put(b, "Underlag", "H6", [[null], [null], [-57959], [null], [null], [null], [null]]);
    name(b, "ManuellPrognos", "=Underlag!$H$6:$H$12");
    b.sheets["Åtgärder"] = [];
    put(b, "Åtgärder", "A1", [
      ["Område", "Åtgärd", "Belopp", "Typ", "Inräknad", "Post"],
      ["Ekonomiskt bistånd", "Krav på sysselsättning", 1200, "prognos", "ja", "varav ekonomiskt bistånd"],
      ["Konsulter", "Fasa ut konsulter", 500, "prognos", "ja", "varav utredningskonsulter"],
    ]);
    name(b, "Atgarder", "='Åtgärder'!$A$1:$F$3");
    const { result, plan, findings } = refresh(b);
    expect(result.lines[2].forecast).toBe(-57959);
    expect(findings.filter((f) => f.code === "MEASURE_MANUAL_FINAL").map((f) => f.cell)).toEqual(["A2:F2"]);
    const d = grid(plan.sheets.find((s) => s.name === "Driftsredovisning")!);
    const head = d.findIndex((r) => r[0] === "Åtgärder som är inräknade i helårsprognosen");
    const fd = result.result.forecastDeviation;
    expect(d[head + 1]).toEqual(["Prognos budgetavvikelse helår före åtgärder", null, null, null, fd - 500]);
    expect(d[head + 2]).toEqual([
      "Konsulter: Fasa ut konsulter (posten varav utredningskonsulter)",
      null,
      null,
      null,
      500,
    ]);
    expect(d[head + 3]).toEqual(["Summa inräknade åtgärder", null, null, null, 500]);
    expect(d[head + 4]).toEqual(["Prognos budgetavvikelse helår efter åtgärder", null, null, null, fd]);
    expect(String(d[head + 5][0])).toMatch(/^Inte inräknad: Åtgärd 1 \(Ekonomiskt bistånd\)/);
    expect(named(b, "Uppf_AtgarderInraknade")).toBe(500);
    expect(named(b, "Uppf_PrognosavvikelseForeAtgarder")).toBe(fd - 500);
    // With the setting, the measure comes on top of the manual forecast.
    const config = defaultConfig();
    config.settings.measuresOnManualForecast = true;
    const onTop = refresh(b, config);
    expect(onTop.result.lines[2].forecast).toBe(-57959 + 1200);
    expect(onTop.findings.some((f) => f.code === "MEASURE_MANUAL_FINAL")).toBe(false);
  });
});

describe("print-ready sheets", () => {
  it("gives every report sheet page setup, header and footer, and every style an explicit font", () => {
    const config = defaultConfig();
    config.settings.verksamhet = "Social välfärd & IFO";
    const { plan } = refresh(ludvika(), config);
    const reports = plan.sheets.filter((s) => s.owned && !s.hidden);
    expect(reports.map((s) => s.name)).toEqual([
      "Sammanfattning",
      "Driftsredovisning",
      "Åtgärdsplan",
      "Volymmått",
      "Kontroller",
      "Prognoslogg",
      "Prognossäkerhet",
    ]);
    for (const s of reports) {
      expect(s.print).toMatchObject({ fitToWidth: true });
      expect(s.print?.header).toEqual({
        left: "Social välfärd && IFO",
        center: `&B${s.name}`,
        right: "januari–april 2019",
      });
      expect(s.print?.footer).toEqual({ left: "Uppföljaren", center: "Sida &P av &N", right: "&D" });
      for (const f of s.formats)
        expect(f.style).toMatchObject({ fontName: "Calibri", fontSize: expect.any(Number) });
    }
    const log = plan.sheets.find((s) => s.name === "Prognoslogg")!;
    expect(log.print).toMatchObject({ orientation: "landscape", fitToWidth: true, fitToHeight: true });
    expect(plan.sheets.find((s) => s.name === "Åtgärdsplan")!.print?.orientation).toBe("portrait");
    const a = grid(plan.sheets.find((s) => s.name === "Åtgärdsplan")!);
    expect(a[0][0]).toBe("Åtgärdsplan utifrån budgetuppföljning 2019, Social välfärd & IFO");
    expect(a.some((r) => r[0] === "Summering Social välfärd & IFO:")).toBe(true);
    // Ansvarig and Status beside the measures.
    expect(a.find((r) => r[0] === "a. Rättssäker handläggning")?.slice(2)).toEqual([
      "Enhetschef Stöd",
      "Pågår",
    ]);
    expect(a.find((r) => r[0] === "1. Ekonomiskt bistånd")?.slice(2)).toEqual(["Ansvarig", "Status"]);
  });

  it("takes the verksamhet from the cell named Verksamhet when the pane has no setting", () => {
    const b = ludvika();
    put(b, "Underlag", "A1", [["Verksamhet", "  Individ- och familjeomsorgen "]]);
    name(b, "Verksamhet", "=Underlag!$B$1");
    const { plan, texts } = refresh(b);
    const sheet = (n: string) => plan.sheets.find((s) => s.name === n)!;
    expect(grid(sheet("Åtgärdsplan"))[0][0]).toBe(
      "Åtgärdsplan utifrån budgetuppföljning 2019, Individ- och familjeomsorgen",
    );
    expect(sheet("Driftsredovisning").print?.header?.left).toBe("Individ- och familjeomsorgen");
    expect(texts.summary[0]).toMatch(/^Individ- och familjeomsorgen redovisar för de första fyra månaderna/);
    // The pane's setting goes first.
    const config = defaultConfig();
    config.settings.verksamhet = "Social välfärd";
    expect(refresh(b, config).texts.summary[0]).toMatch(/^Social välfärd redovisar/);
    // A name over a merged title (B1:E1) reads its top-left cell; a number reads as its digits.
    b.names = b.names.filter((x) => x.name !== "Verksamhet");
    name(b, "Verksamhet", "=Underlag!$B$1:$E$1");
    put(b, "Underlag", "B1", [[631]]);
    expect(refresh(b).texts.summary[0]).toMatch(/^631 redovisar/);
    // An error value only words the headings: a warning naming the cell, and no verksamhet, never a stop.
    put(b, "Underlag", "B1", [[{ error: "#N/A" }]]);
    const broken = refresh(b);
    expect(broken.texts.summary[0]).toMatch(/^Verksamheten redovisar/);
    expect(broken.findings.filter((f) => f.cell === "B1").map((f) => [f.level, f.code])).toEqual([
      ["warning", "CELL_ERROR"],
    ]);
    // With the pane's setting the cell is not read at all.
    expect(refresh(b, config).findings.some((f) => f.cell === "B1")).toBe(false);
    // An empty cell is no verksamhet.
    put(b, "Underlag", "B1", [[null]]);
    const blank = refresh(b, defaultConfig());
    expect(grid(blank.plan.sheets.find((s) => s.name === "Åtgärdsplan")!)[0][0]).toBe(
      "Åtgärdsplan utifrån budgetuppföljning 2019",
    );
  });

  it("shrinks a sheet a little longer than a page onto one, and leaves short and long ones be", () => {
    // A4 portrait less Excel's Normal margins holds 734 pt: 48 rows of 15 pt.
    const fitsTall = (rows: number, widths = [60, 20], chartRows = 0) => {
      const s = new Sheet("Kontroller", widths, new SheetCarry("Kontroller"));
      for (let i = 0; i < rows; i++) s.line([`rad ${i}`, i]);
      if (chartRows)
        s.plan.charts.push({
          type: "line",
          title: "",
          categories: { row: 0, col: 0, rows: 1, cols: 1 },
          series: [],
          anchor: { row: 0, col: 3, rows: chartRows, cols: 4 },
          valueFormat: "#,##0",
          labelAngle: 0,
        });
      s.print({ orientation: "portrait", fitToWidth: true }, "Kontroller", { verksamhet: null, period: "" });
      return s.done().plan.print?.fitToHeight ?? false;
    };
    expect(fitsTall(40)).toBe(false); // one page already
    expect(fitsTall(55)).toBe(true); // 1,1 pages: onto one
    expect(fitsTall(70)).toBe(false); // 1,4 pages: two pages, as Excel breaks them
    // A chart reaching below the last row counts: 40 rows beside a chart 55 rows tall.
    expect(fitsTall(40, [60, 20], 55)).toBe(true);
    // Columns wider than the page (617 pt) are shrunk to its width first (80 %); the zoom after fitting
    // the height too stays at 77 % or more: 62 rows (79 %) are shrunk, 70 rows (70 %) are not.
    expect(fitsTall(62, [80, 36])).toBe(true);
    expect(fitsTall(70, [80, 36])).toBe(false);
  });

  it("makes rows as tall as their wrapped text", () => {
    expect(wrappedLines("kort", 20)).toBe(1);
    expect(wrappedLines("a\nb\nc", 80)).toBe(3);
    expect(wrappedLines("ord ".repeat(40).trim(), 20)).toBe(8);
    expect(heightFor(1)).toBe(17);
    expect(heightFor(100)).toBe(409);
    const b = ludvika();
    refresh(b);
    const long = "Socialnämnden visar för perioden januari till april ett underskott jämfört med budget om 14 891 tkr. ".repeat(6); // prettier-ignore
    type(
      b,
      "Driftsredovisning",
      find(b, "Driftsredovisning", "Kommentar till driftsredovisning", "A", 2),
      long,
    );
    const { plan } = refresh(b);
    const d = plan.sheets.find((s) => s.name === "Driftsredovisning")!;
    const r = grid(d).findIndex((row) => row[0] === long);
    const h = d.rowHeights?.find((x) => x.row === r)?.height ?? 0;
    // 600 characters over A:E (116 characters wide): 5–6 lines of 15 pt.
    expect(h).toBeGreaterThanOrEqual(5 * 15);
    expect(h).toBeLessThan(8 * 15);
    const k = plan.sheets.find((s) => s.name === "Kontroller")!;
    expect((k.rowHeights ?? []).every((x) => x.height >= 15)).toBe(true);
  });
});
