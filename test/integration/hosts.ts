/**
 * Shared helpers for the catalogue and fuzz tests: run one workbook's bytes through the .xlsx runner (the
 * CLI's main()) and through the Office.js host over the strict fake, and compare what each did.
 */
import { createHash } from "crypto";
import { promises as fs } from "fs";
import * as path from "path";
import { main, toJson, type CliIo } from "../../src/cli/main";
import { createOfficeApi } from "../../src/hosts/office";
import type { RefreshOutcome } from "../../src/workbook/pipeline";
import type { RawCell } from "../../src/workbook/types";
import type { FakeExcel, FakeWorkbook } from "../fakes/excel";
import { fakeFromXlsx } from "../fakes/excel/fromXlsx";

export const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

export interface CliRun {
  code: number;
  out: string;
  err: string;
  /** The --json document (null when stdout held none). */
  json: { ok: boolean; errors?: { code: string; message: string; messageEn: string; sheet?: string; cell?: string }[]; findings?: { code: string }[] } & Record<string, unknown>; // prettier-ignore
  inputUnchanged: boolean;
  /** The output file's bytes, or null when none was written. */
  output: Buffer | null;
  /** Files left in the directory besides IN and OUT (e.g. a temp file): must be none. */
  stray: string[];
}

/** `uppfoljaren refresh IN --out OUT --json` (or `check IN --json`) in-process, in its own directory under `dir`. */
export async function runCli(
  dir: string,
  id: string,
  bytes: Buffer,
  command: "refresh" | "check" = "refresh",
): Promise<CliRun> {
  const caseDir = path.join(dir, id);
  await fs.mkdir(caseDir, { recursive: true });
  const input = path.join(caseDir, "in.xlsx");
  const out = path.join(caseDir, "out.xlsx");
  await fs.writeFile(input, bytes);
  const before = sha(bytes);
  let stdout = "";
  let stderr = "";
  const io: CliIo = { out: (t) => void (stdout += t), err: (t) => void (stderr += t) };
  const argv =
    command === "refresh" ? ["refresh", input, "--out", out, "--json"] : ["check", input, "--json"];
  const code = await main(argv, io);
  const after = sha(await fs.readFile(input));
  const output = await fs.readFile(out).catch(() => null);
  const stray = (await fs.readdir(caseDir)).filter((f) => f !== "in.xlsx" && f !== "out.xlsx");
  let json = {} as CliRun["json"];
  try {
    json = JSON.parse(stdout);
  } catch {
    /* no JSON on stdout (exit 1) */
  }
  return { code, out: stdout, err: stderr, json, inputUnchanged: before === after, output, stray };
}

export interface CellSnapshot {
  v: RawCell;
  f?: string;
}

/** Every non-empty cell of every sheet: sheet → A1 → value (and formula). */
export function cellsOf(model: FakeWorkbook): Record<string, Record<string, CellSnapshot>> {
  const out: Record<string, Record<string, CellSnapshot>> = {};
  for (const s of model.sheets) {
    const cells: Record<string, CellSnapshot> = {};
    for (const [r, line] of s.cells)
      for (const [c, cell] of line) {
        if (cell.value === null && cell.formula === undefined) continue;
        cells[`${c},${r}`] = cell.formula ? { v: cell.value, f: cell.formula } : { v: cell.value };
      }
    out[s.name] = cells;
  }
  return out;
}

/** A deep copy of everything the add-in could change: cells, formats, names, merges, protection, parts. */
export function snapshotModel(model: FakeWorkbook): string {
  return JSON.stringify({
    sheets: model.sheets.map((s) => ({
      name: s.name,
      cells: [...s.cells].map(([r, line]) => [r, [...line]]),
      protected: s.protected,
      merges: s.merges,
      widths: [...s.columnWidths],
      freeze: s.freeze,
      charts: s.charts,
    })),
    names: model.names,
    parts: model.customXmlParts,
  });
}

export interface OfficeRun {
  fake: FakeExcel;
  outcome: RefreshOutcome;
  before: string;
}

/** Loads the bytes into the fake and refreshes through the Office.js host's AddinApi. */
export async function runOffice(
  bytes: Buffer,
  options: { chunkBytes?: number; excelApi?: string } = {},
): Promise<OfficeRun> {
  const { excelApi, ...portOptions } = options;
  const fake = await fakeFromXlsx(bytes, { excelApi });
  const before = snapshotModel(fake.model);
  const api = createOfficeApi((batch) => fake.run(batch), {
    isSetSupported: fake.isSetSupported,
    ...portOptions,
  });
  const outcome = await api.refresh();
  return { fake, outcome, before };
}

/** The outcome as the CLI's --json document (without the output path), for comparing hosts. */
export function outcomeJson(outcome: RefreshOutcome): unknown {
  if (!outcome.ok) return outcome.stage === "validate" ? { ok: false, errors: outcome.errors } : outcome;
  const { written: _w, ...rest } = toJson(outcome, null);
  return JSON.parse(JSON.stringify(rest));
}

/** The cells of an .xlsx output, loaded the same way as the fake loads input. */
export async function cellsOfXlsx(bytes: Buffer): Promise<Record<string, Record<string, CellSnapshot>>> {
  return cellsOf((await fakeFromXlsx(bytes)).model);
}

export const REPORT_SHEETS = ["Driftsredovisning", "Åtgärdsplan", "Volymmått", "Kontroller", "Prognoslogg"];

/** True when a report sheet has a text cell (no formula) containing `text`. */
export function reportHasText(cells: Record<string, Record<string, CellSnapshot>>, text: string): boolean {
  return Object.entries(cells).some(
    ([sheet, c]) =>
      REPORT_SHEETS.includes(sheet) &&
      Object.values(c).some((x) => typeof x.v === "string" && x.v.includes(text) && x.f === undefined),
  );
}

/** Cells holding a formula, as "Sheet!col,row". */
export function formulaCells(cells: Record<string, Record<string, CellSnapshot>>): string[] {
  return Object.entries(cells).flatMap(([s, c]) =>
    Object.entries(c)
      .filter(([, x]) => x.f !== undefined)
      .map(([k]) => `${s}!${k}`),
  );
}
