/**
 * The catalogue of bad workbooks (test/fixtures/bad-workbooks.ts, docs/BAD-WORKBOOKS.md), table-driven:
 * every case through the .xlsx runner (the CLI's main(), exactly what `uppfoljaren refresh --json` does)
 * and, where Excel could open the file, through the Office.js host over the strict fake loaded from the
 * same bytes. Each case either
 *  (a) is refused before anything is written: exit 2 / stage "validate", the expected code, a Swedish
 *      message naming the sheet and cell (or the missing name / the file), the input byte-identical, no
 *      output file and no temp file; in the fake no write applied and the model unchanged; or
 *  (b) is deliberately accepted with the expected findings, with identical results in both hosts
 *      (the JSON outcome and every cell value), and no formula written anywhere it was not before.
 * Then: a write that fails part-way in the Office host is reported precisely and the next refresh
 * repairs the workbook.
 */
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { createOfficeApi } from "../../src/hosts/office";
import { CASES, HOSTILE_LABELS, buildBook, type BadCase } from "../fixtures/bad-workbooks";
import { fakeFromXlsx } from "../fakes/excel/fromXlsx";
import {
  cellsOf,
  cellsOfXlsx,
  formulaCells,
  outcomeJson,
  reportHasText,
  runCli,
  runOffice,
  snapshotModel,
  type CliRun,
} from "./hosts";

jest.setTimeout(120_000);

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "uppfoljaren-bad-"));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const SWEDISH = /[åäöÅÄÖ]|\b(och|inte|saknas|ska|kan|eller|är)\b/;

test("the catalogue holds at least 40 distinct cases", () => {
  expect(CASES.length).toBeGreaterThanOrEqual(40);
  expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
});

function expectRejectedByCli(c: BadCase, run: CliRun): void {
  const e = c.expect as Extract<BadCase["expect"], { reject: string }>;
  expect({ code: run.code, err: run.err.slice(0, 400) }).toEqual({ code: 2, err: expect.stringContaining("ingenting skrevs") }); // prettier-ignore
  expect(run.inputUnchanged).toBe(true);
  expect(run.output).toBeNull();
  expect(run.stray).toEqual([]);
  const errors = run.json.errors ?? [];
  const hit = errors.find((x) => x.code === e.reject);
  expect({ codes: errors.map((x) => x.code) }).toEqual({ codes: expect.arrayContaining([e.reject]) });
  if (!hit) return;
  expect(hit.message).toMatch(SWEDISH);
  expect(hit.message).not.toBe(hit.messageEn);
  if (e.sheet) {
    expect(hit.sheet).toBe(e.sheet);
    expect(hit.message).toContain(e.sheet.includes(" ") ? `'${e.sheet.replace(/'/g, "''")}'` : e.sheet);
  }
  if (e.cell) {
    expect(hit.cell).toBe(e.cell);
    // The message names an A1 address inside the reported cell/range (for a range, its first cell).
    expect(hit.message).toContain(e.cell.split(":")[0]);
  }
  for (const m of e.mentions ?? []) expect(hit.message).toContain(m);
  // The file name is named for file-level problems.
  if (e.reject.startsWith("FILE_")) expect(hit.message).toContain("in.xlsx");
}

describe.each(CASES.map((c) => [c.id, c] as const))("%s", (_id, c) => {
  let bytes: Buffer;
  let cli: CliRun;
  beforeAll(async () => {
    bytes = await c.build();
    // The large case runs `check` (read, validate and compute every line, write nothing) in npm test;
    // its full refresh runs in `npm run fuzz -- --large` (docs/BAD-WORKBOOKS.md).
    cli = await runCli(dir, c.id, bytes, c.large ? "check" : "refresh");
  });

  test(`.xlsx runner: ${"reject" in c.expect ? `exit 2 (${c.expect.reject})` : "accepted"} — ${c.title}`, async () => {
    if ("reject" in c.expect) {
      expectRejectedByCli(c, cli);
      return;
    }
    expect({ code: cli.code, err: cli.err.slice(0, 2000) }).toEqual({ code: 0, err: "" });
    expect(cli.inputUnchanged).toBe(true);
    expect(cli.stray).toEqual([]);
    const codes = (cli.json.findings ?? []).map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(c.expect.accept));
    if (c.large) {
      expect(cli.output).toBeNull();
      expect((cli.json.lines as unknown[]).length).toBe(200000);
      return;
    }
    expect(cli.output).not.toBeNull();
    // Nothing the product writes is a formula: the formulas after are exactly those before.
    const before = formulaCells(await cellsOfXlsx(bytes));
    const after = await cellsOfXlsx(cli.output!);
    expect(formulaCells(after)).toEqual(before);
    for (const text of c.expect.textWritten ?? [])
      expect({ text, writtenAsText: reportHasText(after, text) }).toEqual({ text, writtenAsText: true });
    // No written text exceeds Excel's cell limit.
    for (const cells of Object.values(after))
      for (const x of Object.values(cells))
        if (typeof x.v === "string") expect(x.v.length).toBeLessThanOrEqual(32767);
  });

  if (c.hosts === "both")
    test(`Office.js host over the fake: same outcome as the .xlsx runner — ${c.title}`, async () => {
      const { fake, outcome, before } = await runOffice(bytes, { excelApi: c.officeApi });
      if ("reject" in c.expect) {
        expect(outcome.ok).toBe(false);
        expect(outcome.ok === false && outcome.stage).toBe("validate");
        expect(fake.writesApplied).toBe(0);
        expect(snapshotModel(fake.model)).toBe(before);
        // Identical errors (code, messages, sheet, cell) in both hosts.
        expect(outcomeJson(outcome)).toEqual({ ok: false, errors: cli.json.errors });
        return;
      }
      expect(outcome.ok).toBe(true);
      const json = outcomeJson(outcome);
      const { written: _w, ...cliJson } = cli.json;
      expect(json).toEqual(cliJson);
      // Every cell value equal in both hosts' results.
      expect(cellsOf(fake.model)).toEqual(await cellsOfXlsx(cli.output!));
      const cells = cellsOf(fake.model);
      for (const text of c.expect.textWritten ?? [])
        expect({ text, writtenAsText: reportHasText(cells, text) }).toEqual({ text, writtenAsText: true });
    });
});

test("check on a protected ledger sheet: the findings with a warning that a refresh would stop, nothing written", async () => {
  const protectedCase = CASES.find((c) => c.id === "output-protected-sheet")!;
  const bytes = await protectedCase.build();
  const run = await runCli(dir, "check-protected", bytes, "check");
  expect({ code: run.code, err: run.err }).toEqual({ code: 0, err: "" });
  expect(run.inputUnchanged).toBe(true);
  expect(run.output).toBeNull();
  const warning = (run.json.findings ?? []).find((f) => f.code === "SHEET_PROTECTED");
  expect(warning).toMatchObject({ level: "warning", cell: "Underlag!E4:E7" });
  expect((run.json.lines as unknown[]).length).toBeGreaterThan(0);
});

describe("a write that fails part-way in the Office host", () => {
  test("at every request it can fail at: reported precisely, and the next refresh repairs the workbook", async () => {
    const bytes = await buildBook({
      lines: [
        { label: HOSTILE_LABELS[0], kind: "intäkt", budget: 28674, actual: 11890 },
        { label: "Personalkostnader", kind: "kostnad", budget: -95433, actual: -29743, comment: "Vakanser" },
      ],
    });
    const chunkBytes = 3000; // small requests, so the write takes several syncs
    const start = async () => {
      const fake = await fakeFromXlsx(bytes);
      const api = createOfficeApi((batch) => fake.run(batch), {
        isSetSupported: fake.isSetSupported,
        chunkBytes,
      });
      return { fake, api };
    };
    // A clean refresh for reference, counting its write requests.
    const clean = await start();
    let beforeWrite = 0;
    const cleanOutcome = await clean.api.refresh((step) => {
      if (step === "write") beforeWrite = clean.fake.syncCount;
    });
    expect(cleanOutcome.ok).toBe(true);
    const writeSyncs = clean.fake.syncCount - beforeWrite;
    expect(writeSyncs).toBeGreaterThanOrEqual(3);

    let sawOutputWritten = false;
    for (let nth = 1; nth <= writeSyncs; nth++) {
      const { fake, api } = await start();
      // The nth write request fails after applying its first operation (a realistic half-applied batch).
      const first = await api.refresh((step) => {
        if (step === "write") fake.failSync(nth, 1, "GeneralException");
      });
      if (first.ok || first.stage !== "write") throw new Error(`expected a write failure at ${nth}`);
      const { written, notWritten } = first.report;
      expect(notWritten.length).toBeGreaterThan(0);
      expect(new Set([...written, ...notWritten]).size).toBe(written.length + notWritten.length);
      expect(first.message).toContain(`Skrivet: ${written.length ? written.join(", ") : "inget"}.`);
      expect(first.message).toContain(`Inte skrivet, eller bara delvis: ${notWritten.join(", ")}.`);
      expect(first.message).toMatch(/Uppdatera prognos igen/);
      if (written.includes("utdatakolumnerna på Underlag")) sawOutputWritten = true;
      // The workbook is part-written now; the next refresh repairs it to exactly the clean result.
      const second = await api.refresh();
      expect({ nth, ok: second.ok }).toEqual({ nth, ok: true });
      expect(cellsOf(fake.model)).toEqual(cellsOf(clean.fake.model));
      expect(outcomeJson(second)).toEqual(outcomeJson(cleanOutcome));
      expect(fake.model.names.map((n) => n.name).sort()).toEqual(
        clean.fake.model.names.map((n) => n.name).sort(),
      );
    }
    expect(sawOutputWritten).toBe(true);
  });

  test("a write rejected on the first write request names everything as not written", async () => {
    const bytes = await buildBook();
    const fake = await fakeFromXlsx(bytes);
    const before = snapshotModel(fake.model);
    const api = createOfficeApi((batch) => fake.run(batch), { isSetSupported: fake.isSetSupported });
    const outcome = await api.refresh((step) => {
      if (step === "write") fake.failSync(1, 0, "AccessDenied");
    });
    if (outcome.ok || outcome.stage !== "write") throw new Error("expected a write failure");
    expect(outcome.report.written).toEqual([]);
    expect(outcome.message).toContain("Skrivet: inget");
    expect(outcome.message).toContain("skyddat");
    expect(snapshotModel(fake.model)).toBe(before);
    const again = await api.refresh();
    expect(again.ok).toBe(true);
  });
});
