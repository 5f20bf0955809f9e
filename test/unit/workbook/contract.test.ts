import { parseNameFormula, rectA1 } from "../../../src/workbook/a1";
import { defaultConfig } from "../../../src/workbook/config";
import { placeOutputColumns, planRead, type Resolution } from "../../../src/workbook/contract";
import { parseSwedishNumber } from "../../../src/workbook/cells";
import { buildInput } from "../../../src/workbook/input";
import type { ContractError, ReadRequest, StoredConfig } from "../../../src/workbook/types";
import { APR_30_2019, book, katrineholm, metaOf, name, put, putFormula, readOf, type FakeBook } from "./fake";

function plan(b: FakeBook, config: StoredConfig = defaultConfig()) {
  return planRead(metaOf(b), config);
}

function errorsOf(b: FakeBook, config: StoredConfig = defaultConfig(), month?: number): ContractError[] {
  const p = plan(b, config);
  if ("errors" in p) return p.errors;
  const built = buildInput(p.resolution, readOf(b, p.request), config, { month });
  return "errors" in built ? built.errors : [];
}

function build(b: FakeBook, config: StoredConfig = defaultConfig(), month?: number) {
  const p = plan(b, config);
  if ("errors" in p) throw new Error(p.errors.map((e) => e.message).join("\n"));
  const built = buildInput(p.resolution, readOf(b, p.request), config, { month });
  if ("errors" in built) throw new Error(built.errors.map((e) => e.message).join("\n"));
  return { ...built, resolution: p.resolution as Resolution, request: p.request };
}

describe("name formulas", () => {
  it("parses ranges, quoted sheets and single cells", () => {
    expect(parseNameFormula("=Underlag!$A$5:$A$20")).toEqual({
      kind: "range",
      rect: { sheet: "Underlag", row: 4, col: 0, rows: 16, cols: 1 },
    });
    expect(parseNameFormula("='Blad 1'!$B$2")).toEqual({
      kind: "range",
      rect: { sheet: "Blad 1", row: 1, col: 1, rows: 1, cols: 1 },
    });
    expect(parseNameFormula("'Ann''s'!C3:N4")).toEqual({
      kind: "range",
      rect: { sheet: "Ann's", row: 2, col: 2, rows: 2, cols: 12 },
    });
  });
  it("recognises #REF!, several areas and constants", () => {
    expect(parseNameFormula("=#REF!").kind).toBe("ref-error");
    expect(parseNameFormula("=Underlag!#REF!").kind).toBe("ref-error");
    expect(parseNameFormula("=A!$A$1:$A$3,A!$C$1:$C$3").kind).toBe("multi");
    expect(parseNameFormula("=100").kind).toBe("constant");
    expect(parseNameFormula('="tkr"').kind).toBe("constant");
    expect(parseNameFormula("=OFFSET(A!$A$1,0,0,3,1)").kind).toBe("other");
  });
});

describe("planRead: name resolution", () => {
  it("resolves the Katrineholm names and asks for the output columns' formulas", () => {
    const p = plan(katrineholm());
    if ("errors" in p) throw new Error(p.errors[0].message);
    const keys = p.request.ranges.map((r) => r.key);
    expect(keys).toEqual(
      expect.arrayContaining(["Poster", "Budget", "Utfall", "Period", "Balansmal", "Enhet", "out:Avvikelse"]),
    );
    const out = p.request.ranges.filter((r) => r.key.startsWith("out:"));
    expect(out.map((r) => [r.key, r.rect.col, r.rect.row, r.rect.rows, r.formulas])).toEqual([
      ["out:Avvikelse", 3, 5, 7, true],
      ["out:Prognos", 4, 5, 7, true],
      ["out:Prognosavvikelse", 5, 5, 7, true],
    ]);
    expect(p.request.sheets).toEqual([]);
  });

  it("matches names case-insensitively", () => {
    const b = katrineholm();
    b.names.find((n) => n.name === "Budget")!.name = "BUDGET";
    b.names.find((n) => n.name === "Poster")!.name = "poster";
    const p = plan(b);
    expect("errors" in p).toBe(false);
  });

  it("prefers a workbook-scoped name over sheet-scoped ones", () => {
    const b = katrineholm();
    b.sheets["Annat"] = [];
    name(b, "Budget", "=Annat!$A$1:$A$7", "Annat");
    name(b, "Budget", "=Annat!$B$1:$B$7", "Underlag");
    const p = plan(b);
    if ("errors" in p) throw new Error(p.errors[0].message);
    expect(p.request.ranges.find((r) => r.key === "Budget")!.rect).toMatchObject({
      sheet: "Underlag",
      col: 1,
    });
  });

  it("uses a single sheet-scoped name, and names the sheets when there are several", () => {
    const b = katrineholm();
    b.names = b.names.filter((n) => n.name !== "Budget");
    b.sheets["Annat"] = [];
    name(b, "budget", "=Underlag!$B$6:$B$12", "Underlag");
    expect("errors" in plan(b)).toBe(false);
    name(b, "Budget", "=Annat!$B$6:$B$12", "Annat");
    const errors = (plan(b) as { errors: ContractError[] }).errors;
    expect(errors).toHaveLength(1);
    expect(errors[0].code).toBe("NAME_AMBIGUOUS");
    expect(errors[0].message).toContain("Underlag, Annat");
  });

  it("follows the mapping, including Blad!Namn for a sheet-scoped name", () => {
    const b = katrineholm();
    b.names.find((n) => n.name === "Budget")!.name = "Budget2025";
    const config = defaultConfig();
    expect((plan(b, config) as { errors: ContractError[] }).errors.map((e) => e.code)).toEqual([
      "NAME_MISSING",
    ]);
    config.mapping.Budget = "budget2025";
    expect("errors" in plan(b, config)).toBe(false);
    name(b, "Bud", "=Underlag!$B$6:$B$12", "Underlag");
    config.mapping.Budget = "Underlag!Bud";
    expect("errors" in plan(b, config)).toBe(false);
    config.mapping.Budget = "Saknas";
    const e = (plan(b, config) as { errors: ContractError[] }).errors[0];
    expect(e.message).toBe("Namnet Saknas, som rollen Budget är kopplad till, saknas i arbetsboken.");
  });

  it("reports every missing required name, not just the first", () => {
    const b = book("Underlag");
    const errors = (plan(b) as { errors: ContractError[] }).errors;
    expect(errors.map((e) => e.code)).toEqual([
      "NAME_MISSING",
      "NAME_MISSING",
      "NAME_MISSING",
      "NAME_MISSING",
    ]);
    expect(errors.map((e) => e.message.split(" ")[1])).toEqual(["Poster", "Budget", "Utfall", "Period"]);
    expect(errors[0].messageEn).toMatch(/Poster is not defined/);
  });

  it("stops on #REF!, several areas, constants and missing sheets", () => {
    const b = katrineholm();
    b.names.find((n) => n.name === "Budget")!.formula = "=#REF!";
    b.names.find((n) => n.name === "Utfall")!.formula = "=Underlag!#REF!";
    b.names.find((n) => n.name === "Poster")!.formula = "=Underlag!$A$6:$A$9,Underlag!$A$11:$A$12";
    b.names.find((n) => n.name === "Period")!.formula = "=2019";
    b.names.find((n) => n.name === "Enhet")!.formula = "=Gammal!$B$4";
    const errors = (plan(b) as { errors: ContractError[] }).errors;
    expect(errors.map((e) => e.code)).toEqual([
      "NAME_MULTI_AREA",
      "NAME_REF",
      "NAME_REF",
      "NAME_CONSTANT",
      "NAME_SHEET_MISSING",
    ]);
    expect(errors[1].message).toMatch(/^Namnet Budget pekar på #REF!/);
    expect(errors[4].message).toContain("bladet Gammal");
  });
});

describe("planRead: shapes", () => {
  const shapeError = (b: FakeBook) => {
    const errors = (plan(b) as { errors: ContractError[] }).errors;
    expect(errors).toBeDefined();
    return errors;
  };
  const setName = (b: FakeBook, n: string, formula: string) => {
    const e = b.names.find((x) => x.name === n);
    if (e) e.formula = formula;
    else name(b, n, formula);
  };

  it("Poster must be one column", () => {
    const b = katrineholm();
    setName(b, "Poster", "=Underlag!$A$6:$B$12");
    const e = shapeError(b);
    expect(e[0]).toMatchObject({ code: "SHAPE", sheet: "Underlag", cell: "A6:B12" });
    expect(e[0].message).toContain("Poster (Underlag!A6:B12) har 2 kolumner");
  });
  it("Budget and Utfall must have n rows and 1 or 12 columns", () => {
    const b = katrineholm();
    setName(b, "Budget", "=Underlag!$B$6:$B$11");
    setName(b, "Utfall", "=Underlag!$C$6:$D$12");
    const e = shapeError(b);
    expect(e.map((x) => x.cell)).toEqual(["B6:B11", "C6:D12"]);
    expect(e[0].message).toContain("ska ha 7 rader som Poster");
    expect(e[1].message).toContain("men är 7×2");
  });
  it("accepts 12 monthly columns", () => {
    const b = katrineholm();
    setName(b, "Utfall", "=Underlag!$C$6:$N$12");
    const p = plan(b);
    if ("errors" in p) throw new Error(p.errors[0].message);
    expect(p.request.ranges.find((r) => r.key === "out:Avvikelse")!.rect.col).toBe(14);
  });
  it("Period, Ar and the other settings must be single cells", () => {
    const b = katrineholm();
    setName(b, "Period", "=Underlag!$B$2:$C$2");
    setName(b, "Ar", "=Underlag!$B$1:$B$2");
    const e = shapeError(b);
    expect(e.map((x) => [x.cell, x.message.endsWith("ska vara en enda cell.")])).toEqual([
      ["B2:C2", true],
      ["B1:B2", true],
    ]);
  });
  it("optional columns must match n, UtfallFgAr must be n×12", () => {
    const b = katrineholm();
    setName(b, "Kommentar", "=Underlag!$H$6:$H$10");
    setName(b, "UtfallFgAr", "=Underlag!$J$6:$K$12");
    setName(b, "Metod", "=Underlag!$G$6:$G$12");
    const e = shapeError(b);
    expect(e.map((x) => x.cell)).toEqual(["H6:H10", "J6:K12"]);
  });
  it("output names must be n×1 on Utfall's rows", () => {
    const b = katrineholm();
    setName(b, "Avvikelse", "=Underlag!$E$6:$E$13");
    setName(b, "Prognos", "=Underlag!$H$7:$H$13");
    const e = shapeError(b);
    expect(e.map((x) => x.code)).toEqual(["SHAPE"]);
    b.names.find((x) => x.name === "Avvikelse")!.formula = "=Underlag!$E$6:$E$12";
    const e2 = shapeError(b);
    expect(e2.map((x) => [x.code, x.cell])).toEqual([["OUTPUT_ROWS", "H7:H13"]]);
  });
  it("whole columns are refused", () => {
    const b = katrineholm();
    setName(b, "Kommentar", "=Underlag!$H:$H");
    expect(shapeError(b)[0].message).toContain("hela kolumner");
  });
  it("a created output column may not overlap another name (column chosen in the settings)", () => {
    const b = katrineholm();
    setName(b, "Kommentar", "=Underlag!$E$6:$E$12");
    const config = defaultConfig();
    config.settings.outputColumn = "D";
    const e = (planRead(metaOf(b), config) as { errors: ContractError[] }).errors;
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ code: "OUTPUT_OVERLAP", sheet: "Underlag", cell: "E6:E12" });
    expect(e[0].message).toContain("Prognos");
  });
  it("when another range lies right of Utfall, the outputs go right of the rightmost range on those rows", () => {
    const b = katrineholm();
    // A 12-month UtfallFgAr block D:O right of Utfall (C), and a comment column further right in Q.
    setName(b, "UtfallFgAr", "=Underlag!$D$6:$O$12");
    setName(b, "Kommentar", "=Underlag!$Q$6:$Q$12");
    name(b, "Annat", "=Underlag!$Z$1:$Z$3"); // not a contract name: ignored
    const p = plan(b) as { request: ReadRequest; resolution: Resolution };
    expect(p.resolution.outputs.map((o) => [o.role, rectA1(o.rect), o.defined])).toEqual([
      ["Avvikelse", "R6:R12", false],
      ["Prognos", "S6:S12", false],
      ["Prognosavvikelse", "T6:T12", false],
    ]);
    expect(p.resolution.findings).toEqual([
      expect.objectContaining({ level: "info", code: "OUTPUT_PLACED", sheet: "Underlag", cell: "R6:T12" }),
    ]);
    expect(p.resolution.findings?.[0].message).toContain("till höger om Kommentar");
    expect(p.resolution.findings?.[0].message).toContain("hör till UtfallFgAr");
    // The cells are read first (they must be empty) and so are the heading cells above them.
    expect(p.request.ranges.map((r) => r.key)).toEqual(
      expect.arrayContaining(["out:Avvikelse", "head:Avvikelse", "head:Prognosavvikelse"]),
    );
    expect(placeOutputColumns({ Utfall: { sheet: "U", row: 5, col: 2, rows: 7, cols: 1 } }, "AD")).toEqual({
      col: 29,
      how: "setting",
    });
  });
  it("a protected sheet that would be written to is an error", () => {
    const b = katrineholm();
    b.protectedSheets.push("Underlag");
    const e = shapeError(b);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ code: "SHEET_PROTECTED", sheet: "Underlag" });
    expect(e[0].message).toMatch(/^Bladet Underlag är skyddat/);
  });
  it("a protected sheet is a warning where nothing will be written (check, the Word report)", () => {
    const b = katrineholm();
    b.protectedSheets.push("Underlag");
    const p = planRead(metaOf(b), defaultConfig(), { writes: false });
    if ("errors" in p) throw new Error(p.errors.map((x) => x.message).join("\n"));
    const warning = p.resolution.findings?.find((f) => f.code === "SHEET_PROTECTED");
    expect(warning).toMatchObject({ level: "warning", sheet: "Underlag" });
    expect(warning?.message).toMatch(
      /^Bladet Underlag är skyddat, så en uppdatering kan inte skriva kolumnerna/,
    );
    // The ekonom is addressed as everywhere else in the product: "du".
    expect(warning?.message).toMatch(/innan du uppdaterar\.$/);
  });
  it("requests the existing Prognoslogg sheet", () => {
    const b = katrineholm();
    b.sheets["prognoslogg"] = [];
    const p = plan(b);
    if ("errors" in p) throw new Error();
    expect(p.request.sheets).toEqual(["prognoslogg"]);
  });
});

describe("buildInput: the ledger", () => {
  it("builds the Katrineholm input", () => {
    const { input, layout } = build(katrineholm());
    expect(input.period).toEqual({ year: 2019, month: 4 });
    expect(input.unit).toBe("tkr");
    expect(input.balanceTarget).toBe(-30000);
    expect(input.lines).toHaveLength(7);
    expect(input.lines[0]).toEqual({ label: "Verksamhetens intäkter", annualBudget: 28674, actual: 11890 });
    expect(input.lines[6].actual).toBe(-8276);
    expect(input.defaultMethod).toBe("linear");
    expect(layout.lineRows).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(layout.readFindings).toEqual([]);
    expect(layout.locate({ level: "warning", code: "X", message: "", line: 6, field: "actual" })).toEqual({
      sheet: "Underlag",
      cell: "C12",
    });
    expect(layout.locate({ level: "warning", code: "X", message: "", line: 2 })).toEqual({
      sheet: "Underlag",
      cell: "A8",
    });
  });

  it("accepts numbers stored as Swedish text, with a warning naming the cell", () => {
    const b = katrineholm();
    put(b, "Underlag", "C6", [["11 890"]]);
    put(b, "Underlag", "C7", [["\u221286\u00A0983"]]);
    put(b, "Underlag", "B8", [["-49 959,5"]]);
    const { input, layout } = build(b);
    expect(input.lines[0].actual).toBe(11890);
    expect(input.lines[1].actual).toBe(-86983);
    expect(input.lines[2].annualBudget).toBe(-49959.5);
    expect(layout.readFindings.map((f) => [f.level, f.code, f.sheet, f.cell])).toEqual([
      ["warning", "TEXT_NUMBER", "Underlag", "C6"],
      ["warning", "TEXT_NUMBER", "Underlag", "C7"],
      ["warning", "TEXT_NUMBER", "Underlag", "B8"],
    ]);
    expect(layout.readFindings[0].message).toMatch(
      /^Underlag!C6 \(Utfall\): talet "11 890" är lagrat som text/,
    );
  });

  it("reads a label without figures as a heading, but keeps blank parents, varav and Summa rows", () => {
    const b = book("Underlag");
    put(b, "Underlag", "A1", [["Period", APR_30_2019]]);
    put(b, "Underlag", "A3", [
      ["Individ- och familjeomsorg", null, null, null, null], // heading: not a post
      ["Försörjningsstöd", -1200, -400, null, null],
      ["Placeringar", null, null, null, null], // blank parent of the varav rows below
      [null, null, null, null, null],
      ["varav barn och unga", -600, -250, null, null],
      ["varav vuxna", null, null, null, null], // a blank varav line stays (a residual)
      ["Stödboende", null, null, "kostnad", null], // the ekonom typed a Radtyp: a post
      ["Statsbidrag", null, null, null, "Väntas i maj"], // a comment makes it a post
      ["Hemtjänst", null, null, null, null], // parent of a row whose Radtyp says varav
      ["Personal", -300, -100, " Varav ", null],
      ["Äldreomsorg", null, null, null, null], // heading
      ["Summa", null, null, null, null],
    ]);
    name(b, "Period", "=Underlag!$B$1");
    for (const [n, col] of [
      ["Poster", "A"],
      ["Budget", "B"],
      ["Utfall", "C"],
      ["Radtyp", "D"],
      ["Kommentar", "E"],
    ])
      name(b, n, `=Underlag!$${col}$3:$${col}$14`);
    const { input, layout } = build(b);
    expect(input.lines.map((l) => l.label)).toEqual([
      "Försörjningsstöd",
      "Placeringar",
      "varav barn och unga",
      "varav vuxna",
      "Stödboende",
      "Statsbidrag",
      "Hemtjänst",
      "Personal",
      "Summa",
    ]);
    expect(layout.lineRows).toEqual([1, 2, 4, 5, 6, 7, 8, 9, 11]);
    // One finding for all the headings, placed at the first.
    const headings = layout.readFindings.filter((f) => f.code === "HEADING_ROW");
    expect(headings.map((f) => [f.level, f.cell])).toEqual([["info", "A3"]]);
    expect(headings[0].message).toBe(
      'Underlag!A3 (Poster): raderna "Individ- och familjeomsorg", "Äldreomsorg" har bara en benämning (inga belopp, ingen radtyp, metod eller kommentar) och tas inte med i rapporten: de räknas som rubriker. Ange en radtyp för en rad som ska vara en post.',
    );
  });

  it("parses Swedish number text", () => {
    expect(parseSwedishNumber("14 891")).toBe(14891);
    expect(parseSwedishNumber("1 234,5")).toBe(1234.5);
    expect(parseSwedishNumber("\u22128 276")).toBe(-8276);
    expect(parseSwedishNumber("+2 332")).toBe(2332);
    expect(parseSwedishNumber("1\u00A0234\u00A0567")).toBe(1234567);
    expect(parseSwedishNumber("8,61*")).toBe(8.61);
    expect(parseSwedishNumber("12 34")).toBeNull();
    expect(parseSwedishNumber("april")).toBeNull();
    expect(parseSwedishNumber("1,2 mnkr")).toBeNull();
  });

  it("blocks error values, booleans and other text in number cells, naming each cell", () => {
    const b = katrineholm();
    put(b, "Underlag", "C6", [[{ error: "#N/A" }]]);
    put(b, "Underlag", "B7", [[true]]);
    put(b, "Underlag", "C9", [["ungefär 20"]]);
    const e = errorsOf(b);
    expect(e.map((x) => [x.code, x.sheet, x.cell])).toEqual([
      ["CELL_ERROR", "Underlag", "C6"],
      ["CELL_BOOLEAN", "Underlag", "B7"],
      ["TEXT_IN_NUMBER", "Underlag", "C9"],
    ]);
    expect(e[0].message).toBe(
      "Underlag!C6 (Utfall): cellen innehåller felvärdet #N/A. Rätta formeln eller töm cellen.",
    );
    expect(e[2].message).toContain('texten "ungefär 20"');
  });

  it('treats "-" and "i.u." as no value, and skips blank rows', () => {
    const b = katrineholm();
    put(b, "Underlag", "B11", [["-"]]);
    put(b, "Underlag", "C11", [["i.u."]]);
    b.names.find((n) => n.name === "Poster")!.formula = "=Underlag!$A$6:$A$14";
    b.names.find((n) => n.name === "Budget")!.formula = "=Underlag!$B$6:$B$14";
    b.names.find((n) => n.name === "Utfall")!.formula = "=Underlag!$C$6:$C$14";
    put(b, "Underlag", "A14", [["Tillägg", 5, 1]]);
    const { input, layout } = build(b);
    expect(input.lines[5]).toMatchObject({ annualBudget: null, actual: null });
    expect(input.lines.map((l) => l.label).slice(-1)).toEqual(["Tillägg"]);
    expect(layout.lineRows).toEqual([0, 1, 2, 3, 4, 5, 6, 8]);
    expect(layout.rows).toBe(9);
  });

  it("reads Radtyp, Metod, ManuellPrognos, Kommentar, UtfallFgAr and monthly columns", () => {
    const b = katrineholm();
    put(b, "Underlag", "G6", [
      ["Intäkt", "Linjär", null, "Bidrag från Socialstyrelsen"],
      ["KOSTNAD", "dagar", null, null],
      ["varav", " säsong ", null, null],
      ["varav", "manuell", -23000, "Placeringar ökar"],
    ]);
    name(b, "Radtyp", "=Underlag!$G$6:$G$12");
    name(b, "Metod", "=Underlag!$H$6:$H$12");
    name(b, "ManuellPrognos", "=Underlag!$I$6:$I$12");
    name(b, "Kommentar", "=Underlag!$J$6:$J$12");
    const { input, layout } = build(b);
    expect(input.lines.slice(0, 4).map((l) => [l.kind, l.method, l.manualForecast, l.comment])).toEqual([
      ["revenue", "linear", null, "Bidrag från Socialstyrelsen"],
      ["cost", "days", null, undefined],
      ["ofWhich", "seasonal", null, undefined],
      ["ofWhich", "manual", -23000, "Placeringar ökar"],
    ]);
    expect(layout.lineComments[3]).toBe("Placeringar ökar");
    expect(layout.locate({ level: "info", code: "X", message: "", line: 3, field: "method" })).toEqual({
      sheet: "Underlag",
      cell: "H9",
    });
  });

  it("blocks unknown Radtyp and Metod keys", () => {
    const b = katrineholm();
    put(b, "Underlag", "G6", [["inkomst", "gissning"]]);
    name(b, "Radtyp", "=Underlag!$G$6:$G$12");
    name(b, "Metod", "=Underlag!$H$6:$H$12");
    expect(errorsOf(b).map((e) => [e.code, e.cell])).toEqual([
      ["KIND", "G6"],
      ["METHOD", "H6"],
    ]);
  });

  it("reads 12 monthly budgets and outcomes, and last year's months", () => {
    const b = book("Mån");
    put(b, "Mån", "A1", [[APR_30_2019]]);
    put(b, "Mån", "A3", [
      ["Kostnader", ...Array(12).fill(-100), ...[-90, -95, -100, -110, ...Array(8).fill(null)]],
    ]);
    put(b, "Mån", "AD3", [Array(12).fill(-80)]);
    name(b, "Period", "=Mån!$A$1");
    name(b, "Poster", "=Mån!$A$3");
    name(b, "Budget", "=Mån!$B$3:$M$3");
    name(b, "Utfall", "=Mån!$N$3:$Y$3");
    name(b, "UtfallFgAr", "=Mån!$AD$3:$AO$3");
    const { input, layout } = build(b);
    expect(input.lines[0].monthlyBudget).toHaveLength(12);
    expect(input.lines[0].actualMonthly!.slice(0, 5)).toEqual([-90, -95, -100, -110, null]);
    expect(input.lines[0].lastYearMonthly).toEqual(Array(12).fill(-80));
    expect(layout.outputs.map((o) => o.rect.col)).toEqual([25, 26, 27]);
    expect(layout.locate({ level: "info", code: "X", message: "", line: 0, field: "budget" }).cell).toBe(
      "B3:M3",
    );
    // A finding about one month names that month's cell (April of Utfall N3:Y3 is Q3).
    const april = { level: "warning", code: "X", message: "", line: 0, field: "actual", month: 4 } as const;
    expect(layout.locate(april).cell).toBe("Q3");
  });

  it("refuses an empty ledger", () => {
    const b = katrineholm();
    for (let r = 5; r < 12; r++) b.sheets.Underlag[r] = [];
    const e = errorsOf(b);
    expect(e.map((x) => [x.code, x.cell])).toEqual([["LEDGER_EMPTY", "A6:A12"]]);
  });

  it("reads Enhet and Avrundning, with the stored setting taking precedence", () => {
    const b = katrineholm();
    put(b, "Underlag", "B4", [["Mkr"]]);
    put(b, "Underlag", "B1", [[100]]);
    name(b, "Avrundning", "=Underlag!$B$1");
    expect(build(b).input).toMatchObject({ unit: "mkr", roundingStep: 100 });
    const config = defaultConfig();
    config.settings.roundingStep = 50;
    expect(build(b, config).input.roundingStep).toBe(50);
    put(b, "Underlag", "B4", [["dollar"]]);
    expect(errorsOf(b).map((e) => [e.code, e.cell])).toEqual([["UNIT", "B4"]]);
  });
});

describe("buildInput: the period", () => {
  const withPeriod = (v: unknown, ar?: unknown) => {
    const b = katrineholm();
    put(b, "Underlag", "B2", [[v as number]]);
    if (ar !== undefined) {
      put(b, "Underlag", "B1", [[ar as number]]);
      name(b, "Ar", "=Underlag!$B$1");
    }
    return b;
  };
  it("reads a date serial", () => {
    expect(build(withPeriod(APR_30_2019)).input.period).toEqual({ year: 2019, month: 4 });
    expect(build(withPeriod(43496)).input.period).toEqual({ year: 2019, month: 1 }); // 2019-01-31
    expect(build(withPeriod(43830)).input.period).toEqual({ year: 2019, month: 12 }); // 2019-12-31
  });
  it("reads a month number with Ar", () => {
    expect(build(withPeriod(4, 2019)).input.period).toEqual({ year: 2019, month: 4 });
    expect(build(withPeriod("4", 2019)).input.period).toEqual({ year: 2019, month: 4 });
  });
  it("requires Ar for a month number", () => {
    const e = errorsOf(withPeriod(4));
    expect(e.map((x) => [x.code, x.sheet, x.cell])).toEqual([["YEAR_MISSING", "Underlag", "B2"]]);
  });
  it.each([[13], [0], ["april"], [4.5], [true]])("refuses %p, naming the cell", (v) => {
    const e = errorsOf(withPeriod(v, 2019));
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ sheet: "Underlag", cell: "B2" });
    expect(e[0].message).toMatch(/^Underlag!B2 \(Period\): perioden/);
  });
  it("lets --period replace the month", () => {
    expect(build(katrineholm(), defaultConfig(), 8).input.period).toEqual({ year: 2019, month: 8 });
    expect(build(withPeriod(4, 2020), defaultConfig(), 6).input.period).toEqual({ year: 2020, month: 6 });
    expect(errorsOf(katrineholm(), defaultConfig(), 13).map((e) => e.code)).toEqual(["PERIOD_OVERRIDE"]);
  });
  it("notes a period that is not a month end", () => {
    const { input, layout } = build(withPeriod(APR_30_2019 - 5));
    expect(input.period).toEqual({ year: 2019, month: 4 });
    expect(layout.readFindings.map((f) => [f.level, f.code, f.cell])).toEqual([
      ["info", "PERIOD_NOT_MONTH_END", "B2"],
    ]);
  });
});

describe("buildInput: output columns", () => {
  it("stops when a created output cell holds the user's value or formula, naming the cell", () => {
    const b = katrineholm();
    put(b, "Underlag", "E9", [["min anteckning"]]);
    putFormula(b, "Underlag", "D11", "=B11-C11", 0);
    const e = errorsOf(b);
    expect(e.map((x) => [x.code, x.sheet, x.cell])).toEqual([
      ["OUTPUT_OCCUPIED", "Underlag", "D11"],
      ["OUTPUT_OCCUPIED", "Underlag", "E9"],
    ]);
    expect(e[0].message).toContain('Cellen Underlag!D11 innehåller "=B11-C11"');
    expect(e[1].message).toContain("Inget har skrivits");
  });
  it("does not check cells of defined output names", () => {
    const b = katrineholm();
    put(b, "Underlag", "D6", [[123]]);
    name(b, "Avvikelse", "=Underlag!$D$6:$D$12");
    expect(errorsOf(b)).toEqual([]);
  });
});

describe("buildInput: tables", () => {
  it("reads Atgarder with messy headers, inherited areas and blank rows", () => {
    const b = katrineholm();
    b.sheets["Åtgärder"] = [];
    put(b, "Åtgärder", "A1", [
      ["  OMRÅDE ", "Åtgärd", "Belopp (tkr)", "typ", "Inräknad i prognos", "Ansvarig"],
      ["Ekonomiskt bistånd", "Utbildningssatsning", "1 200", "Prognos", "ja", "Anna"],
      [null, "Krav på daglig sysselsättning", null, null, "nej", null],
      [null, null, null, null, null, null],
      ["Vuxenplaceringar", "Fördjupad analys", "Summa ges efter analysen", "prognos", false, null],
      ["Ludvikamodellen", "Egen försörjning", 5500, "Beslutad", true, null],
    ]);
    name(b, "Atgarder", "='Åtgärder'!$A$1:$F$7");
    const { input, layout } = build(b);
    expect(input.measures).toEqual([
      {
        area: "Ekonomiskt bistånd",
        text: "Utbildningssatsning",
        amount: 1200,
        type: "forecast",
        includedInForecast: true,
        responsible: "Anna",
      },
      {
        area: "Ekonomiskt bistånd",
        text: "Krav på daglig sysselsättning",
        amount: null,
        type: "forecast",
        includedInForecast: false,
        responsible: null,
      },
      {
        area: "Vuxenplaceringar",
        text: "Fördjupad analys",
        amount: "Summa ges efter analysen",
        type: "forecast",
        includedInForecast: false,
        responsible: null,
      },
      {
        area: "Ludvikamodellen",
        text: "Egen försörjning",
        amount: 5500,
        type: "decided",
        includedInForecast: true,
        responsible: null,
      },
    ]);
    expect(layout.readFindings.map((f) => [f.code, f.sheet, f.cell])).toEqual([
      ["TEXT_NUMBER", "Åtgärder", "C2"],
    ]);
    expect(layout.locate({ level: "info", code: "X", message: "", measure: 3 })).toEqual({
      sheet: "Åtgärder",
      cell: "A6:F6",
    });
  });

  it("names the header row when a required column is missing", () => {
    const b = katrineholm();
    put(b, "Underlag", "A20", [
      ["Område", "Åtgärd", "Typ", "Inräknad"],
      ["A", "a", "prognos", "ja"],
    ]);
    name(b, "Atgarder", "=Underlag!$A$20:$D$21");
    const e = errorsOf(b);
    expect(e.map((x) => [x.code, x.cell])).toEqual([["TABLE_HEADER", "A20:D20"]]);
    expect(e[0].message).toContain("saknar kolumnen Belopp");
  });

  it("reads Volymer and Namndmoten", () => {
    const b = katrineholm();
    put(b, "Underlag", "A30", [
      ["Volymmått", "Typ", "Utfall jan-april 2019", "Prognos 2019", "Utfall fg år"],
      ["Antal kvinnofridsärenden", "Flöde", 22, 140, 125],
      ["Antal ärenden spelmissbruk", "flöde", 4, null, "Nytt mått"],
      ["Antal sociala kontrakt", "Stock", 96, 90, 94],
      ["Antal hushåll, genomsnitt per månad", "snitt", 602, "-", 599],
    ]);
    name(b, "Volymer", "=Underlag!$A$30:$E$34");
    put(b, "Underlag", "H30", [[43628], [43712], ["2019-10-09"], [null]]);
    name(b, "Namndmoten", "=Underlag!$H$30:$H$33");
    const { input } = build(b);
    expect(input.volumes).toEqual([
      { label: "Antal kvinnofridsärenden", type: "flow", actual: 22, forecast: 140, lastYear: 125 },
      { label: "Antal ärenden spelmissbruk", type: "flow", actual: 4, forecast: null, lastYear: "Nytt mått" },
      { label: "Antal sociala kontrakt", type: "stock", actual: 96, forecast: 90, lastYear: 94 },
      {
        label: "Antal hushåll, genomsnitt per månad",
        type: "average",
        actual: 602,
        forecast: null,
        lastYear: 599,
      },
    ]);
    expect(input.committeeDates).toEqual(["2019-06-12", "2019-09-04", "2019-10-09"]);
  });

  it("blocks a volume without a known type and a committee date that is not a date", () => {
    const b = katrineholm();
    put(b, "Underlag", "A30", [
      ["Volymmått", "Typ", "Utfall"],
      ["Antal", "ibland", 3],
    ]);
    name(b, "Volymer", "=Underlag!$A$30:$C$31");
    put(b, "Underlag", "H30", [["juni"]]);
    name(b, "Namndmoten", "=Underlag!$H$30");
    expect(errorsOf(b).map((e) => [e.code, e.cell])).toEqual([
      ["VOLUME_TYPE", "B31"],
      ["DATE", "H30"],
    ]);
  });
});
