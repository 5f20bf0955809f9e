/**
 * End-to-end: the production build of the task pane in Debian's chromium (playwright-core), office.js
 * routed to Microsoft's Excel library (excel-web-16.00.js) over the in-memory Excel loaded with the sample workbook. Screenshots go to
 * test-artifacts/ (git-ignored).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gzipSync } from "zlib";
import type { FakeExcel } from "../fakes/excel";
import type { Browser, BrowserContext, Page } from "playwright-core";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require("../../scripts/pane-harness.js") as typeof import("../../scripts/pane-harness");

jest.setTimeout(120_000);

const ARTIFACTS = path.join(harness.root, "test-artifacts");

let tmp: string;
let server: { server: import("http").Server; url: string };
let browser: Browser;
let stubSource: string;
let previewStubSource: string;
let paneJs: string[];

beforeAll(async () => {
  const executablePath = harness.ensureChromium();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "uppfoljaren-e2e-"));
  // webpack and esbuild run in their own process: webpack does not work inside Jest's module registry.
  const out = execFileSync(
    process.execPath,
    [path.join(harness.root, "scripts", "pane-harness.js"), "prepare", tmp],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const built = JSON.parse(out.trim().split("\n").pop()!) as {
    web: string;
    js: string[];
    stub: string;
    previewStub: string;
    sample: string;
  };
  paneJs = built.js;
  stubSource = fs.readFileSync(built.stub, "utf8");
  previewStubSource = fs.readFileSync(built.previewStub, "utf8");
  server = await harness.serve(built.web, {
    files: { "/sample.xlsx": built.sample, "/axe.min.js": require.resolve("axe-core/axe.min.js") },
  });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const { chromium } = await import("playwright-core");
  // playwright-core's launch() starts chromium with a fresh, temporary user-data-dir of its own.
  browser = await chromium.launch({ executablePath, args: harness.CHROMIUM_ARGS });
}, 600_000); // generous: on a fresh machine this hook installs chromium with apt-get first

afterAll(async () => {
  await browser?.close();
  server?.server.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

interface Session {
  context: BrowserContext;
  page: Page;
  /** Every request that would have left 127.0.0.1 (aborted), except the routed office.js. */
  external: string[];
  consoleErrors: string[];
}

async function openPane(
  query = "",
  viewport = { width: 320, height: 900 },
  stub = () => stubSource,
): Promise<Session> {
  const context = await browser.newContext({ viewport, locale: "sv-SE" });
  const page = await context.newPage();
  const external: string[] = [];
  const consoleErrors: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url === harness.OFFICE_JS_URL)
      return route.fulfill({ status: 200, contentType: "text/javascript", body: stub() });
    if (new URL(url).hostname === "127.0.0.1" || url.startsWith("data:")) return route.continue();
    external.push(url);
    return route.abort();
  });
  page.on("request", (req) => {
    const url = req.url();
    if (url !== harness.OFFICE_JS_URL && !url.startsWith(server.url) && !url.startsWith("data:"))
      external.push(url);
  });
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(e.message));
  // Collects Content Security Policy violations (the init script is injected by the browser, not by the page).
  await page.addInitScript(() => {
    const list: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = list;
    document.addEventListener("securitypolicyviolation", (e) =>
      list.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.goto(`${server.url}/taskpane.html${query}`);
  return { context, page, external, consoleErrors };
}

/** A cell of the fake workbook, read back through the page's hook. */
function cell(page: Page, sheet: string, address: string) {
  return page.evaluate(
    ([s, a]) => {
      const fake = (window as never as { __uppfoljarenFake: FakeExcel }).__uppfoljarenFake;
      const m = /^([A-Z]+)(\d+)$/.exec(a)!;
      const col = [...m[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
      return fake.model.mustSheet(s).get(Number(m[2]) - 1, col)?.value ?? null;
    },
    [sheet, address] as const,
  );
}

async function axeSeriousViolations(page: Page): Promise<string[]> {
  // Served from the page's own origin: the pane's CSP (rightly) refuses inline scripts.
  await page.addScriptTag({ url: "/axe.min.js" });
  const result = await page.evaluate(async () => {
    const axe = (
      window as never as {
        axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
      }
    ).axe;
    return (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  return result
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.nodes})`);
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });

test("first run: a workbook with its own name for Budget is mapped in the pane, then refreshes", async () => {
  const { context, page, external } = await openPane("?rename=Budget:BudgetT1");
  await page.getByRole("heading", { name: "Koppla arbetsboken" }).waitFor();
  const budget = page.locator('[data-role="Budget"]');
  expect(await budget.getByText("Saknas").count()).toBe(1);
  expect(await page.getByRole("button", { name: "Fortsätt" }).isDisabled()).toBe(true);
  await shot(page, "pane-1-first-run.png");
  expect(await axeSeriousViolations(page)).toEqual([]);

  await page.getByRole("combobox", { name: "Använd ett annat namn: Budget" }).click();
  await page.getByRole("option", { name: "BudgetT1" }).click();
  await page.getByRole("button", { name: "Spara kopplingen" }).click();
  await page.getByText("Kopplingen sparades i arbetsboken.").waitFor();
  expect(await budget.getByText("Hittat").count()).toBe(1);
  // The mapping is stored in the workbook itself (custom XML part), so the next refresh is one click.
  const parts = await page.evaluate(() =>
    (window as never as { __uppfoljarenFake: FakeExcel }).__uppfoljarenFake.model.customXmlParts.map(
      (p) => p.xml,
    ),
  );
  expect(parts.join("")).toContain("BudgetT1");

  await page.getByRole("button", { name: "Fortsätt" }).click();
  await page.getByRole("button", { name: "Uppdatera prognos" }).click();
  await page.getByText("Prognosen är uppdaterad.").waitFor();
  expect(await cell(page, "Underlag", "AA10")).toBe(2332);
  expect(external).toEqual([]);
  await context.close();
});

test("the production pane refreshes the sample workbook through the fake, offline and accessible", async () => {
  const { context, page, external, consoleErrors } = await openPane();
  const refresh = page.getByRole("button", { name: "Uppdatera prognos" });
  await refresh.waitFor();
  await page.getByText("januari–april 2019").waitFor();
  expect(await page.getByText("Förhandsvisning – ingen Excel").count()).toBe(0);
  await shot(page, "pane-2-ready.png");
  expect(await axeSeriousViolations(page)).toEqual([]);

  // Output columns are empty before the refresh (the sample leaves AA–AC for the first refresh).
  expect(await cell(page, "Underlag", "AA10")).toBeNull();

  await refresh.click();
  await page.getByText("Prognosen är uppdaterad.").waitFor();

  // The refresh went through Microsoft's library: its request context, its serialised requests.
  const library = await page.evaluate(() => {
    const w = window as never as {
      OfficeExtension?: { ClientRequestContext?: unknown };
      __uppfoljarenFake: FakeExcel;
    };
    return {
      client: typeof w.OfficeExtension?.ClientRequestContext,
      requests: w.__uppfoljarenFake.requests.filter((r) => r.writes > 0 && r.bytes > 0).length,
    };
  });
  expect(library.client).toBe("function");
  expect(library.requests).toBeGreaterThan(0);

  // Written cells, read back from the fake: Verksamhetens intäkter 11 890 − 9 558 = +2 332 to date.
  expect(await cell(page, "Underlag", "AA10")).toBe(2332);
  // varav utredningskonsulter: unbudgeted, 4 007 spent to date.
  expect(await cell(page, "Underlag", "AA15")).toBe(-4007);
  for (const address of ["AB10", "AC10", "AB17", "AC17"])
    expect(typeof (await cell(page, "Underlag", address))).toBe("number");
  // The pane shows the same figures the workbook got.
  const netForecastDeviation = (await cell(page, "Underlag", "AC17")) as number;
  const shown = (await page.getByTestId("net-forecast-deviation").textContent())!.replace(/\s/g, " ");
  expect(shown).toBe(
    `${netForecastDeviation > 0 ? "+" : netForecastDeviation < 0 ? "-" : ""}${Math.abs(netForecastDeviation).toLocaleString("sv-SE").replace(/\s/g, " ")} tkr`,
  );
  expect(await page.getByTestId("net-deviation").textContent()).toMatch(/^-14\s890\stkr$/);
  await shot(page, "pane-3-after-refresh.png");

  // Findings: the sample's Summa row is typed with the seed's printed total (±1 rounding) → a finding.
  const findings = page
    .getByRole("region", { name: "Kontroller" })
    .or(page.locator('section[aria-labelledby="findings-title"]'));
  await findings.first().scrollIntoViewIfNeeded();
  await shot(page, "pane-4-findings.png");
  const clickable = page.locator('section[aria-labelledby="findings-title"] button');
  expect(await clickable.count()).toBeGreaterThan(0);
  await clickable.first().click();
  const selection = await page.evaluate(
    () => (window as never as { __uppfoljarenFake: FakeExcel }).__uppfoljarenFake.model.selection,
  );
  expect(selection).not.toBeNull();

  expect(await axeSeriousViolations(page)).toEqual([]);
  expect(
    await page.evaluate(() => (window as never as { __cspViolations: string[] }).__cspViolations),
  ).toEqual([]);
  expect(external).toEqual([]);
  expect(consoleErrors).toEqual([]);
  await context.close();
});

test("Rapport (Word) builds the document in the browser and hands it over as a download", async () => {
  const { context, page, external, consoleErrors } = await openPane();
  await page.getByRole("button", { name: "Uppdatera prognos" }).click();
  await page.getByText("Prognosen är uppdaterad.").waitFor();
  // The forecast change since February (the sample's log) is shown per line.
  expect(await page.getByTestId("line-change").first().textContent()).toMatch(
    /^Förändring mot föregående prognos \+2\s300\stkr$/,
  );
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Rapport (Word)" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("Tertialrapport 1 2019.docx");
  const file = path.join(tmp, "pane-rapport.docx");
  await download.saveAs(file);
  const JSZip = (await import("jszip")).default;
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  const xml = await zip.file("word/document.xml")!.async("string");
  for (const heading of [
    "Sammanfattning",
    "Driftsredovisning",
    "Investeringsredovisning",
    "Personalnyckeltal",
  ])
    expect(xml).toContain(`<w:t xml:space="preserve">${heading}</w:t>`);
  expect(xml).toContain('<w:pStyle w:val="Heading1"/>');
  await page.getByText(/Rapporten Tertialrapport 1 2019\.docx är skapad/).waitFor();
  expect(
    await page.evaluate(() => (window as never as { __cspViolations: string[] }).__cspViolations),
  ).toEqual([]);
  expect(external).toEqual([]);
  expect(consoleErrors).toEqual([]);
  await context.close();
});

test("English and the dark theme follow Office's settings", async () => {
  const { context, page, external } = await openPane("?lang=en-US&theme=dark");
  const refresh = page.getByRole("button", { name: "Refresh forecast" });
  await refresh.waitFor();
  // Keyboard only: Tab reaches the refresh button, Enter runs it.
  let focused = "";
  for (let i = 0; i < 10 && focused !== "Refresh forecast"; i++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => document.activeElement?.textContent ?? "");
  }
  expect(focused).toBe("Refresh forecast");
  const bg = await page.locator("main").evaluate((el) => getComputedStyle(el).backgroundColor);
  const [r, g, b] = bg.match(/\d+/g)!.map(Number);
  expect(r + g + b).toBeLessThan(3 * 80);
  await page.keyboard.press("Enter");
  await page.getByText("The forecast is up to date.").waitFor();
  await shot(page, "pane-5-dark-en.png");
  expect(await axeSeriousViolations(page)).toEqual([]);
  expect(external).toEqual([]);
  await context.close();
});

test("the initial JavaScript of the pane stays under 250 KB gzip", () => {
  const total = paneJs.reduce((n, f) => n + gzipSync(fs.readFileSync(f)).length, 0);
  expect(total).toBeLessThan(250 * 1024);
});

test("the preview's office.js labels the pane as a preview", async () => {
  const { context, page, external } = await openPane("", undefined, () => previewStubSource);
  await page.getByText("Förhandsvisning – ingen Excel").waitFor();
  await page.getByRole("button", { name: "Uppdatera prognos" }).click();
  await page.getByText("Prognosen är uppdaterad.").waitFor();
  expect(external).toEqual([]);
  await context.close();
});

test("an Excel older than ExcelApi 1.9 gets a clear Swedish message and nothing else", async () => {
  const { context, page } = await openPane("?excelApi=1.8");
  await page.getByText(/Uppföljaren kräver Excel 2021/).waitFor();
  expect(await page.getByRole("button", { name: "Uppdatera prognos" }).count()).toBe(0);
  await context.close();
});
