/**
 * The sample workbook through the CLI's code path: its history (UtfallFgAr, UtfallFgAr2, BudgetFgAr
 * and 2018's twelve Prognoslogg periods) gives backtests with a recommendation, explanations in --json,
 * and a Prognossäkerhet sheet with 2018's accuracy and its chart. (test/integration/office.test.ts
 * checks that the Office host writes the same cells.)
 */
import { promises as fs } from "fs";
import JSZip from "jszip";
import * as os from "os";
import * as path from "path";
import { buildSample, SAMPLE_HISTORY, SAMPLE_LOG_2018 } from "../../scripts/build-sample";
import { main } from "../../src/cli/main";
import { openWorkbook } from "../../src/hosts/xlsx";

let dir: string;
let out: string;
let json: {
  lines: {
    label: string;
    explanation: { forecast: string; periodBudget: string };
    backtest: {
      recommended: string | null;
      reason: string;
      text: string;
      methods: { method: string }[];
    } | null;
  }[];
};

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "uppfoljaren-accuracy-"));
  const { sample } = await buildSample(dir);
  out = path.join(dir, "ut.xlsx");
  let text = "";
  const code = await main(["refresh", sample, "--out", out, "--json"], {
    out: (t) => void (text += t),
    err: (t) => void process.stderr.write(t),
  });
  expect(code).toBe(0);
  json = JSON.parse(text);
}, 60_000);
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const line = (label: string) => json.lines.find((l) => l.label === label)!;

test("--json: explanations and backtests; the grants line (paid per quarter) is recommended säsong", () => {
  const intakter = line("Verksamhetens intäkter");
  expect(intakter.explanation.forecast).toBe(
    "utfall 11 890 + budget för resten av året 19 116 = 31 006; prognosavvikelsen avrundad till +2 300",
  );
  expect(intakter.backtest).toMatchObject({ recommended: "seasonal", reason: "recommended" });
  expect(intakter.backtest!.text).toMatch(/^säsong hade träffat fjolårets utfall inom 0,0 %, trend 1,5 %/);
  expect(line("varav utredningskonsulter").backtest!.reason).toBe("fewMonths");
  expect(line("Verksamhetens kostnader").backtest!.reason).toBe("fromOfWhich");
  expect(line("Summa").backtest).toBeNull();
});

test("the Prognossäkerhet sheet: the backtest per line and 2018's forecasts against its outcome, with a chart", async () => {
  const host = await openWorkbook(await fs.readFile(out), "ut.xlsx");
  const read = await host.read({ ranges: [], sheets: ["Prognossäkerhet", "Prognoslogg"] });
  const [sheet, log] = read.sheets.map((s) => s.values);
  // read() leaves holes for rows without cells.
  const rowOf = (first: string) => sheet.find((r) => r?.[0] === first)!;
  expect(rowOf("Verksamhetens intäkter").slice(0, 4)).toEqual([
    "Verksamhetens intäkter",
    "budget",
    "säsong",
    64300,
  ]);
  expect(rowOf("april 2018").slice(0, 4)).toEqual(["april 2018", -14500, -21100, 6600]);
  expect(rowOf("november 2018")[3]).toBe(100);
  const summary = sheet
    .map((r) => r?.[0])
    .find((v) => typeof v === "string" && v.startsWith("Prognosen för 2018"));
  expect(summary).toMatch(
    /missade i april med 6 600 tkr \(\d,\d % av budgeten\) och i augusti med 1 600 tkr/,
  );
  // The log keeps 2018's twelve periods and adds the current one: the table under the header row, up
  // to the first empty row (the sheet's notes area follows further down).
  const firsts = log.slice(1).map((r) => r?.[0]);
  const end = firsts.findIndex((v) => v === undefined || v === null || v === "");
  expect(firsts.slice(0, end < 0 ? firsts.length : end)).toEqual([
    ...Array.from({ length: 12 }, (_, i) => `2018-${String(i + 1).padStart(2, "0")}`),
    // The sample's log also holds February (S3) and March (S1) 2019.
    "2019-02",
    "2019-03",
    "2019-04",
  ]);
  const zip = await JSZip.loadAsync(await fs.readFile(out));
  const charts = Object.keys(zip.files).filter((p) => /^xl\/charts\/chart\d+\.xml$/.test(p));
  const texts = await Promise.all(charts.map((p) => zip.file(p)!.async("string")));
  expect(texts.some((t) => t.includes("<a:t>Prognos mot utfall 2018 (tkr)</a:t>"))).toBe(true);
});

test("the sample's 2018 tells one story: Prognoslogg's deviations are its UtfallFgAr against BudgetFgAr", () => {
  const lines = Object.values(SAMPLE_HISTORY);
  const budget = lines.reduce((a, h) => a + h.budget, 0);
  let cumulative = 0;
  const toDate = lines[0].lastYear.map((_, t) => {
    cumulative += lines.reduce((a, h) => a + h.lastYear[t], 0) - budget / 12;
    return Math.round(cumulative / 100) * 100;
  });
  expect(SAMPLE_LOG_2018.map((r) => r[1])).toEqual(toDate);
  // December: the year's outcome, S3's "underskottet 2018 på 21,1 mkr".
  expect(SAMPLE_LOG_2018[11]).toEqual(["2018-12", -21100, -21100]);
});
