/**
 * The self-test ("Självtest" in the pane): makes every kind of Office.js call the add-in makes against a
 * temporary sheet, compares what Excel returns with what the add-in expects (selftest-expect.ts), and
 * removes what it added (the sheet, its two names, its own custom XML part). The user's sheets, names
 * and settings part are only read; the user's selection is restored after the select check.
 *
 * Syncs, one per phase: 1 selection (alone, because a multi-area selection makes getSelectedRange
 * throw), 2 probe (structure protection, sheets, the settings part, leftovers of an earlier run),
 * 3 write, 4 select and restore, 5 verify (everything read back, and sheet protection switched on and
 * off), 6 the 1×1 number-format probe, 7 the sheet emptied in place, 8 large write, 9–10 large read,
 * 11–12 cleanup (what exists, then delete and confirm). A phase whose batch Excel refuses is run again
 * one step per sync, so the report names the call that failed. Under a protected workbook structure
 * the self-test only records the error for adding a sheet.
 */
import { CONFIG_NAMESPACE, parseConfig } from "../../workbook/config";
import { defaultIsSetSupported, toExcelValue, utf8Bytes } from "./port";
import {
  CHECK_IDS,
  Expectations,
  LARGE_COLS,
  LARGE_FIRST_ROW,
  SELFTEST_NAMESPACE,
  SELFTEST_PREFIX,
  errorText,
  largeCell,
  largeRowCount,
  officeEnvironment,
  readChunks,
  type CheckId,
  type CheckResult,
  type SelfTestEnvironment,
  type SelfTestReport,
} from "./selftest-expect";
import {
  addUnderProtection,
  clearInPlace,
  oneByOneFormat,
  removeLeftovers,
  resultOf,
  selectAndRestore,
  sheetOf,
  suspend,
  verifySteps,
  writeSteps,
  type Evaluate,
  type Leftovers,
  type Step,
  type Temp,
} from "./selftest-steps";

export * from "./selftest-expect";

export type ExcelRun = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

export interface SelfTestOptions {
  isSetSupported?: (set: string, version: string) => boolean;
  environment?: SelfTestEnvironment;
  /** Target size of the large write's request (default LARGE_REQUEST_BYTES). */
  largeBytes?: number;
  random?: () => number;
  now?: () => Date;
}

const OWN_SHEET = new RegExp(`^${SELFTEST_PREFIX}\\d{4}$`);
const OWN_NAME = new RegExp(`^${SELFTEST_PREFIX}\\d{4}_N$`);

/** Runs the self-test and returns its report. Never throws: every failure is a line in the report. */
export async function runSelfTest(run: ExcelRun, options: SelfTestOptions = {}): Promise<SelfTestReport> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const supports = options.isSetSupported ?? defaultIsSetSupported;
  const t = new SelfTest(run, supports);
  const probe = await t.probe(options.random ?? Math.random);
  if (probe.protectedStructure) {
    // Records the error Excel gives for adding a sheet under structure protection (the add-in stops
    // before it; developers want the code). Adding cannot change anything unless Excel allows it.
    await t.phase([addUnderProtection(t, probe.temp)]);
    if (t.sheetAdded) await t.cleanup(probe.temp, true);
  } else {
    const temp = probe.temp;
    try {
      if (probe.leftovers.length) await t.phase([removeLeftovers(probe.leftovers)]);
      await t.phase(writeSteps(t, temp, supports), () => t.cleanup(temp, false));
      if (t.sheetAdded) await t.phase([selectAndRestore(temp, probe.selection)]);
      if (t.sheetAdded) {
        // Steps whose write Excel refused keep that error; the rest are read back.
        await t.phase(verifySteps(temp, supports).filter((s) => t.results.get(s.id)?.status !== "fail"));
        await t.phase([oneByOneFormat(temp)]);
        await t.phase([clearInPlace(temp, supports)]);
        await t.large(temp, options.largeBytes, supports);
      }
    } finally {
      await t.cleanup(temp, true);
    }
  }
  return {
    startedAt: started.toISOString(),
    durationMs: now().getTime() - started.getTime(),
    environment: options.environment ?? officeEnvironment(),
    checks: CHECK_IDS.map(
      (id) =>
        t.results.get(id) ?? {
          id,
          status: "skipped",
          mismatches: [],
          reason: probe.protectedStructure ? "structureProtected" : "notWritten",
        },
    ),
    syncs: t.syncs,
    largestRequestBytes: t.largestRequest,
    largestResponseBytes: t.largestResponse,
  };
}

class SelfTest {
  syncs = 0;
  sheetAdded = false;
  largestRequest = 0;
  largestResponse = 0;
  readonly results = new Map<CheckId, CheckResult>();

  constructor(
    private readonly run: ExcelRun,
    private readonly supports: (set: string, version: string) => boolean,
  ) {}

  private result(id: CheckId): CheckResult {
    let r = this.results.get(id);
    if (!r) this.results.set(id, (r = { id, status: "ok", mismatches: [] }));
    return r;
  }

  private async sync(ctx: Excel.RequestContext): Promise<void> {
    this.syncs++;
    await ctx.sync();
  }

  private record(step: Step, evaluate: Evaluate | void): void {
    const r = this.result(step.id);
    try {
      const expect = new Expectations();
      evaluate?.(expect, r);
      r.mismatches.push(...expect.mismatches);
      if (expect.mismatches.length) r.status = "fail";
    } catch (e) {
      this.refuse(step, e);
    }
  }

  private refuse(step: Step, e: unknown): void {
    const r = this.result(step.id);
    const status = step.refused?.status ?? "fail";
    if (r.status !== "fail") r.status = status;
    if (step.refused?.reason) r.reason = step.refused.reason;
    r.error = r.error ? `${r.error}; ${errorText(e)}` : errorText(e);
  }

  /**
   * The steps in one sync; when Excel refuses the batch, `reset` runs and then each step in its own
   * sync, so the failing call is found. True when the single batch went through.
   */
  async phase(steps: Step[], reset?: () => Promise<void>): Promise<boolean> {
    try {
      await this.run(async (ctx) => {
        const evaluations = steps.map((s) => s.queue(ctx));
        await this.sync(ctx);
        steps.forEach((s, i) => this.record(s, evaluations[i]));
      });
      return true;
    } catch (e) {
      if (steps.length === 1) {
        this.refuse(steps[0], e);
        return false;
      }
      await reset?.();
      for (const step of steps) await this.phase([step]);
      return false;
    }
  }

  /** Selection and probe: what the workbook has, and the names of the temporary sheet and names. */
  async probe(
    random: () => number,
  ): Promise<{ temp: Temp; leftovers: Leftovers; protectedStructure: boolean; selection: string | null }> {
    let selection: string | null = null;
    await this.phase([
      {
        id: "selection",
        refused: { status: "warning", reason: "multiAreaSelection" },
        queue: (ctx) => {
          const range = ctx.workbook.getSelectedRange().load("address");
          return (_e, r) => {
            r.info = range.address;
            selection = range.address;
          };
        },
      },
    ]);
    let protectedStructure = false;
    const taken = new Set<string>();
    const leftovers: Leftovers = { sheets: [], names: [], parts: [], length: 0 };
    await this.phase([
      {
        id: "structure",
        queue: (ctx) => {
          const wb = ctx.workbook;
          const protection = wb.protection.load("protected");
          // The add-in's own metadata read (port.ts readMetaAndConfig).
          const sheets = wb.worksheets.load(
            "items/name,items/visibility,items/protection/protected,items/charts/items/name",
          );
          const names = wb.names.load("items/name,items/formula");
          const parts = wb.customXmlParts.getByNamespace(SELFTEST_NAMESPACE).load("items/id");
          return (e, r) => {
            protectedStructure = protection.protected;
            for (const s of sheets.items) taken.add(s.name.toUpperCase());
            for (const n of names.items) taken.add(n.name.toUpperCase());
            // Only the exact names the self-test gives, so no sheet or name of the user's can match.
            leftovers.sheets = sheets.items.map((s) => s.name).filter((n) => OWN_SHEET.test(n));
            leftovers.names = names.items.map((n) => n.name).filter((n) => OWN_NAME.test(n));
            leftovers.parts = parts.items.map((p) => p.id);
            leftovers.length = leftovers.sheets.length + leftovers.names.length + leftovers.parts.length;
            const locked = sheets.items.filter((s) => s.protection.protected).map((s) => s.name);
            if (locked.length) r.info = locked.join(", ");
            if (protectedStructure) {
              r.status = "warning";
              r.reason = "structureProtected";
            }
          };
        },
      },
      {
        id: "settings",
        refused: { status: "warning" },
        queue: (ctx) => {
          // The port's own lookup: one part in the namespace, its XML, in the same batch.
          const part = ctx.workbook.customXmlParts.getByNamespace(CONFIG_NAMESPACE).getOnlyItemOrNullObject();
          const xml = part.getXml();
          return (_e, r) => {
            const text = resultOf(xml) ?? null;
            if (!text) r.reason = "noSettings";
            else if (!/<(?:[\w.-]+:)?uppfoljaren\b/.test(text)) {
              r.status = "warning";
              r.reason = "unreadableSettings";
            } else r.info = JSON.stringify(parseConfig(text).mapping);
          };
        },
      },
    ]);
    let n = 0;
    const free = () => {
      for (;;) {
        n = Math.floor(random() * 9000) + 1000;
        const sheet = `${SELFTEST_PREFIX}${n}`;
        if (![sheet, `${sheet}_N`, `${sheet}_L`].some((x) => taken.has(x.toUpperCase()))) return sheet;
      }
    };
    const sheet = free();
    return {
      temp: { sheet, workbookName: `${sheet}_N`, sheetName: `${sheet}_L` },
      leftovers,
      protectedStructure,
      selection,
    };
  }

  /** The large write (one request near the limit) and its read in responses under the limit. */
  async large(
    temp: Temp,
    bytes: number | undefined,
    supports: (s: string, v: string) => boolean,
  ): Promise<void> {
    const rows = largeRowCount(bytes);
    const grid = Array.from({ length: rows }, (_, r) =>
      Array.from({ length: LARGE_COLS }, (_c, c) => largeCell(r, c)),
    );
    const written = grid.map((line) => line.map(toExcelValue));
    const requestBytes = utf8Bytes(JSON.stringify(written));
    this.largestRequest = Math.max(this.largestRequest, requestBytes);
    const ok = await this.phase([
      {
        id: "largeWrite",
        queue: (ctx) => {
          suspend(ctx, supports);
          sheetOf(ctx, temp).getRangeByIndexes(LARGE_FIRST_ROW, 0, rows, LARGE_COLS).values = written;
          return (_e, r) => {
            r.info = `${rows} × ${LARGE_COLS} = ${rows * LARGE_COLS}; ${requestBytes}`;
          };
        },
      },
    ]);
    if (!ok) return;
    const chunks = readChunks(rows);
    for (const chunk of chunks)
      await this.phase([
        {
          id: "largeRead",
          queue: (ctx) => {
            // As the port reads a large range: values, and the error cells as areas.
            const range = sheetOf(ctx, temp)
              .getRangeByIndexes(LARGE_FIRST_ROW + chunk.first, 0, chunk.rows, LARGE_COLS)
              .load("values");
            const errors = (["Constants", "Formulas"] as const).map((kind) =>
              range.getSpecialCellsOrNullObject(kind, "Errors").load("address"),
            );
            return (e, r) => {
              const bytesIn = utf8Bytes(JSON.stringify(range.values));
              e.eq(
                "error cells",
                [null, null],
                errors.map((a) => (a.isNullObject ? null : a.address)),
              );
              this.largestResponse = Math.max(this.largestResponse, bytesIn);
              let wrong = 0;
              range.values.forEach((line, i) =>
                line.forEach((v, c) => {
                  const want = grid[chunk.first + i][c];
                  if (v !== want && wrong++ === 0)
                    e.eq(`large R${LARGE_FIRST_ROW + chunk.first + i + 1}C${c + 1}`, want, v);
                }),
              );
              if (range.values.length !== chunk.rows)
                e.eq(`large rows ${chunk.first}+`, chunk.rows, range.values.length);
              if (wrong > 1) e.eq("large cells wrong", 0, wrong);
              r.info = `${chunks.length}; ${this.largestResponse}`;
            };
          },
        },
      ]);
  }

  /**
   * Removes the temporary sheet, its names and the self-test's XML part, then confirms they are gone.
   * `record` false: a reset between attempts, not reported.
   */
  async cleanup(temp: Temp, record: boolean): Promise<void> {
    const found = { sheet: false, name: false, parts: [] as string[] };
    try {
      await this.run(async (ctx) => {
        const wb = ctx.workbook;
        const sheet = wb.worksheets.getItemOrNullObject(temp.sheet).load("name");
        const name = wb.names.getItemOrNullObject(temp.workbookName).load("name");
        const parts = wb.customXmlParts.getByNamespace(SELFTEST_NAMESPACE).load("items/id");
        await this.sync(ctx);
        found.sheet = !sheet.isNullObject;
        found.name = !name.isNullObject;
        found.parts = parts.items.map((p) => p.id);
      });
    } catch (e) {
      if (record) this.refuse({ id: "cleanup", queue: () => undefined }, e);
      return;
    }
    const step: Step = {
      id: "cleanup",
      queue: (ctx) => {
        const wb = ctx.workbook;
        // The workbook-scoped name first: deleting its sheet would leave it behind as =#REF!.
        if (found.name) wb.names.getItem(temp.workbookName).delete();
        for (const id of found.parts) wb.customXmlParts.getItem(id).delete();
        if (found.sheet) wb.worksheets.getItem(temp.sheet).delete();
        const sheet = wb.worksheets.getItemOrNullObject(temp.sheet).load("name");
        const name = wb.names.getItemOrNullObject(temp.workbookName).load("name");
        const parts = wb.customXmlParts.getByNamespace(SELFTEST_NAMESPACE).getCount();
        return (e, r) => {
          e.eq(`sheet ${temp.sheet} removed`, true, sheet.isNullObject);
          e.eq(`name ${temp.workbookName} removed`, true, name.isNullObject);
          e.eq(`${SELFTEST_NAMESPACE} parts`, 0, resultOf(parts));
          if (e.mismatches.length) r.info = `${temp.sheet}, ${temp.workbookName}`;
        };
      },
    };
    if (record) await this.phase([step]);
    else
      await this.run(async (ctx) => {
        step.queue(ctx);
        await this.sync(ctx);
      }).catch(() => undefined);
  }
}
