/**
 * The report sheets across refreshes in both hosts: the .xlsx runner (the CLI on files, edited between
 * refreshes with ExcelJS as another producer would) and the Office.js host over the strict fake
 * (edited in its model as a user typing in Excel). Text typed in every zone and elsewhere survives two
 * refreshes, also when a line is added and every report row moves; the named results hold the right
 * figures; a measure on a line with a manual forecast is kept out with a finding; rows with wrapped
 * text are tall enough; and a 12-month UtfallFgAr block right of Utfall moves the output columns.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import ExcelJS from "exceljs";
import { createOfficeApi } from "../../src/hosts/office";
import { parseNameFormula } from "../../src/workbook/a1";
import type { RawCell } from "../../src/workbook/types";
import type { FakeWorkbook } from "../fakes/excel/model";
import { fakeFromXlsx } from "../fakes/excel/fromXlsx";
import { buildBook, DEFAULT_LINES, layout, ref, SHEET, type Line } from "../fixtures/bad-workbooks";
import { runCli } from "./hosts";

jest.setTimeout(120_000);

/** A blank first line (skipped until filled), the default lines, measures and meetings. */
const LINES: Line[] = [{ label: null, budget: null, actual: null }, ...DEFAULT_LINES];
const L = layout({ lines: LINES });

async function book(): Promise<Buffer> {
  return buildBook({
    lines: LINES,
    edit: (wb) => {
      const s = wb.addWorksheet("Åtgärder");
      const rows = [
        ["Område", "Åtgärd", "Belopp", "Typ", "Inräknad", "Post"],
        ["Placeringar", "Hemmaplanslösningar", 1000, "prognos", "ja", "Köpt huvudverksamhet"],
        ["Vuxenplaceringar", "Fördjupad analys", "Summa ges efter analysen", "prognos", "nej", null],
        ["Ludvikamodellen", "Fler i egen försörjning", 5500, "beslutad", "nej", null],
      ];
      rows.forEach((r, i) => r.forEach((v, j) => (s.getCell(i + 1, j + 1).value = v)));
      ["2019-06-12", "2019-09-04", "2019-10-09"].forEach(
        (d, i) => (s.getCell(i + 1, 8).value = new Date(`${d}T00:00:00Z`)),
      );
    },
    names: (n) => [
      ...n,
      { name: "Atgarder", ref: ref("Åtgärder", 1, 1, 4, 6) },
      { name: "Namndmoten", ref: ref("Åtgärder", 1, 8, 3, 8) },
      { name: "Balansmal", ref: ref(SHEET, 2, 2) },
    ],
  }).then(async (bytes) => {
    const wb = await load(bytes);
    wb.getWorksheet(SHEET)!.getCell("B2").value = -50000;
    return Buffer.from(await wb.xlsx.writeBuffer());
  });
}

async function load(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

interface Host {
  refresh(): Promise<{ findings: { code: string; level: string; sheet?: string; message: string }[] }>;
  rows(sheet: string): RawCell[][];
  type(sheet: string, row: number, col: number, v: string | number): Promise<void>;
  names(): { name: string; formula: string }[];
  rowHeight(sheet: string, row: number): Promise<number | undefined>;
  /** The sheet's orientation and whether it is fit to one page wide, as the host rendered them. */
  pageSetup(sheet: string): Promise<{ orientation: string; fitWidth: boolean }>;
}

function rowsOf(model: FakeWorkbook, sheet: string): RawCell[][] {
  const s = model.sheets.find((x) => x.name === sheet)!;
  const out: RawCell[][] = [];
  for (const [r, line] of s.cells)
    for (const [c, cell] of line) {
      out[r] = out[r] ?? [];
      out[r][c] = cell.value;
    }
  return Array.from(out, (r) => Array.from(r ?? [], (v) => v ?? null));
}

async function officeHost(bytes: Buffer): Promise<Host> {
  const fake = await fakeFromXlsx(bytes);
  const api = createOfficeApi((batch) => fake.run(batch), { isSetSupported: fake.isSetSupported });
  const sheet = (name: string) => fake.model.sheets.find((s) => s.name === name)!;
  return {
    async refresh() {
      const o = await api.refresh();
      if (!o.ok) throw new Error(JSON.stringify(o));
      return { findings: o.findings };
    },
    rows: (s) => rowsOf(fake.model, s),
    async type(s, r, c, v) {
      sheet(s).cell(r, c).value = v;
    },
    names: () => fake.model.names,
    async rowHeight(s, r) {
      return sheet(s).rowHeights.get(r);
    },
    async pageSetup(s) {
      const layout = sheet(s).pageLayout;
      return {
        orientation: String(layout.orientation).toLowerCase(),
        fitWidth: layout.zoom?.horizontalFitToPages === 1,
      };
    },
  };
}

async function xlsxHost(bytes: Buffer, dir: string): Promise<Host> {
  let current = bytes;
  let model: FakeWorkbook = (await fakeFromXlsx(current)).model;
  let n = 0;
  return {
    async refresh() {
      const run = await runCli(dir, `r${n++}`, current);
      if (run.code !== 0 || !run.output) throw new Error(run.out + run.err);
      current = run.output;
      model = (await fakeFromXlsx(current)).model;
      return { findings: (run.json.findings ?? []) as never };
    },
    rows: (s) => rowsOf(model, s),
    async type(s, r, c, v) {
      const wb = await load(current);
      wb.getWorksheet(s)!.getCell(r + 1, c + 1).value = v;
      current = Buffer.from(await wb.xlsx.writeBuffer());
      model = (await fakeFromXlsx(current)).model;
    },
    names: () => model.names,
    async pageSetup(s) {
      const setup = (await load(current)).getWorksheet(s)!.pageSetup;
      return { orientation: String(setup.orientation), fitWidth: setup.fitToWidth === 1 };
    },
    async rowHeight(s, r) {
      return (await load(current)).getWorksheet(s)!.getRow(r + 1).height;
    },
  };
}

const rowOf = (rows: RawCell[][], label: string, col = 0) => {
  const r = rows.findIndex((x) => x?.[col] === label);
  if (r < 0) throw new Error(`no row ${label}`);
  return r;
};

function named(host: Host, name: string): RawCell {
  const entry = host.names().find((n) => n.name === name);
  if (!entry) throw new Error(`no name ${name}`);
  const p = parseNameFormula(entry.formula);
  if (p.kind !== "range") throw new Error(entry.formula);
  return host.rows(p.rect.sheet)[p.rect.row]?.[p.rect.col] ?? null;
}

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "uppf-zones-"));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe.each([
  ["the .xlsx runner", (b: Buffer) => xlsxHost(b, dir)],
  ["the Office.js host", (b: Buffer) => officeHost(b)],
])("%s", (_label, open) => {
  it("keeps text typed in every zone and elsewhere through two refreshes, also when a line is added", async () => {
    const host = await open(await book());
    await host.refresh();
    const D = "Driftsredovisning";
    const A = "Åtgärdsplan";
    const V = "Volymmått";
    let d = host.rows(D);
    const comment = "Underskottet beror på placeringar. ".repeat(8).trim();
    await host.type(D, rowOf(d, "Kommentar till driftsredovisning") + 2, 0, comment);
    await host.type(D, rowOf(d, "Egna anteckningar") + 1, 0, "Ring Anna.");
    await host.type(D, 2, 7, "Kolla med Per"); // H3, outside the report
    let v = host.rows(V);
    await host.type(V, rowOf(v, "Kommentar till volymutveckling") + 2, 0, "Fler hushåll.");
    let a = host.rows(A);
    const vux = rowOf(a, "Prognos utebliven kostnad för vuxenplaceringar");
    expect(a[vux + 2][0]).toBe("Återrapport 2 Nämnd 190904");
    await host.type(A, vux + 2, 1, "Analysen klar i september.");

    const first = await host.refresh();
    const moved = first.findings.filter((f) => f.code === "USER_CELL_MOVED");
    expect(moved.map((f) => [f.level, f.message.slice(0, 21)])).toEqual([["info", "Driftsredovisning!H3:"]]);
    // The blank ledger line is filled: every report row below the first line moves one down.
    const row = L.firstRow - 1;
    await host.type(SHEET, row, L.col.post - 1, "Statsbidrag");
    await host.type(SHEET, row, L.col.kind - 1, "intäkt");
    await host.type(SHEET, row, L.col.budget - 1, 1200);
    await host.type(SHEET, row, L.col.actual - 1, 500);
    const second = await host.refresh();
    expect(second.findings.filter((f) => /_MOVED$/.test(f.code))).toEqual([]);

    d = host.rows(D);
    expect(d[2][0]).toBe("Statsbidrag");
    const c = rowOf(d, "Kommentar till driftsredovisning");
    expect(d[c + 2][0]).toBe(comment);
    expect(d[rowOf(d, "Egna anteckningar") + 1][0]).toBe("Ring Anna.\nFrån H3: Kolla med Per");
    expect(d[2][7] ?? null).toBeNull();
    v = host.rows(V);
    expect(v[rowOf(v, "Kommentar till volymutveckling") + 2][0]).toBe("Fler hushåll.");
    a = host.rows(A);
    const vux2 = rowOf(a, "Prognos utebliven kostnad för vuxenplaceringar");
    expect(a[vux2 + 2].slice(0, 2)).toEqual(["Återrapport 2 Nämnd 190904", "Analysen klar i september."]);
    // Page setup as planned: orientation and one page wide on every report sheet.
    for (const [sheet, orientation] of [
      [D, "landscape"],
      [A, "portrait"],
      [V, "landscape"],
      ["Kontroller", "landscape"],
      ["Prognoslogg", "landscape"],
    ])
      expect({ sheet, ...(await host.pageSetup(sheet)) }).toEqual({ sheet, orientation, fitWidth: true });
    // The comment's row is as tall as its wrapped text (about 280 characters over A:E: 3 lines).
    expect(await host.rowHeight(D, c + 2)).toBeGreaterThanOrEqual(45);
    expect(await host.rowHeight(D, 1)).toBeGreaterThanOrEqual(30);
  });

  it("defines the named results on the right figures, keeps a measure off a manual forecast, and says so", async () => {
    const host = await open(await book());
    const out = await host.refresh();
    const d = host.rows("Driftsredovisning");
    const summa = d[rowOf(d, "Summa")];
    expect(named(host, "Uppf_AvvikelseHittills")).toBe(summa[3]);
    expect(named(host, "Uppf_PrognosavvikelseHelar")).toBe(summa[4]);
    expect(named(host, "Uppf_Balansmal")).toBe(-50000);
    expect(named(host, "Uppf_AvvikelseBalansmal")).toBe((summa[4] as number) + 50000);
    expect(named(host, "Uppf_AtgarderPrognos")).toBe(1);
    // Köpt huvudverksamhet has the manual forecast -60 000: the included measure is not added.
    const placeringar = d[rowOf(d, "Köpt huvudverksamhet")];
    expect(placeringar[4]).toBe(-60000 - -38415);
    const final = out.findings.filter((f) => f.code === "MEASURE_MANUAL_FINAL");
    expect(final.map((f) => f.level)).toEqual(["warning"]);
    expect(d.some((r) => typeof r?.[0] === "string" && r[0].startsWith("Inte inräknad: Åtgärd 1"))).toBe(
      true,
    );
    const k = host.rows("Kontroller");
    expect(k.some((r) => r?.[1] === "Åtgärd ej inräknad (manuell prognos)" && r[4] === "MEASURE_MANUAL_FINAL")).toBe(true); // prettier-ignore
    const a = host.rows("Åtgärdsplan");
    expect(a.some((r) => r?.[0] === "Prognos utebliven kostnad, exkl Ludvikamodellen")).toBe(true);
    expect(a.some((r) => r?.[0] === "Ej medräknat, belopp ges senare: Vuxenplaceringar")).toBe(true);
  });

  it("places the output columns right of a 12-month UtfallFgAr block and says where", async () => {
    const twelve = (x: number) => Array.from({ length: 12 }, (_, i) => (i < 4 ? Math.round(x / 4) : null));
    const lines: Line[] = DEFAULT_LINES.map((l) => ({
      label: l.label,
      kind: l.kind,
      budget: Array.from({ length: 12 }, () => Math.round((l.budget as number) / 12)),
      actual: twelve(l.actual as number),
    }));
    const M = layout({ monthly: true, lines });
    const bytes = await buildBook({
      monthly: true,
      lines,
      edit: (_wb, ws) => {
        for (let i = 0; i < lines.length; i++)
          for (let m = 0; m < 12; m++) ws.getCell(M.firstRow + i, M.col.output + m).value = 100 * (m + 1);
      },
      names: (n) => [
        ...n.filter((x) => !["Metod", "ManuellPrognos", "Kommentar"].includes(x.name)),
        { name: "UtfallFgAr", ref: ref(SHEET, M.firstRow, M.col.output, M.lastRow, M.col.output + 11) },
      ],
    });
    const host = await open(bytes);
    const out = await host.refresh();
    const placed = out.findings.find((f) => f.code === "OUTPUT_PLACED");
    // Utfall O:Z, UtfallFgAr AA:AL: the output columns go to AM:AO.
    expect(placed?.message).toContain(`${SHEET}!AM${M.firstRow}:AO${M.lastRow}`);
    expect(placed?.message).toContain("hör till UtfallFgAr");
    const u = host.rows(SHEET);
    const fg = M.col.output - 1; // 0-based first column of UtfallFgAr
    expect(u[M.firstRow - 1][fg + 11]).toBe(1200); // UtfallFgAr untouched
    expect(typeof u[M.firstRow - 1][fg + 12]).toBe("number");
    expect(u[M.firstRow - 2][fg + 14]).toBe("Prognos budgetavvikelse helår 2019");
    expect(host.names().find((n) => n.name === "Prognosavvikelse")?.formula).toContain("$AO$");
    // The second refresh finds the names and writes in the same place.
    await host.refresh();
    expect(host.rows(SHEET)[M.firstRow - 1][fg + 14]).toBe(u[M.firstRow - 1][fg + 14]);
  });
});
