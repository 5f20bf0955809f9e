/**
 * Stands in for https://appsforoffice.microsoft.com/lib/1/hosted/office.js in the browser tests and in
 * `npm run preview`. scripts/pane-harness.js puts Microsoft's Excel library (excel-web-16.00.js of
 * @microsoft/office-js) in front of this bundle; this part loads the sample workbook (served by the
 * page's own origin at /sample.xlsx) into the in-memory Excel, points the library's requests at it and
 * installs a small Office global; window.Excel is the library's. Office.onReady waits for the load.
 *
 * Query parameters of the page: `lang=en-US` sets Office's display language, `theme=dark` a dark Office
 * theme, `rename=Budget:BudgetT1` renames a defined name first (a workbook with its own names, as on a
 * first run), `excelApi=1.8` an Excel older than the add-in's minimum. The fake is exposed as `window.__uppfoljarenFake` so tests can read the written cells back.
 */
import { installFakeOffice, type FakeExcel } from "../fakes/excel";
import { fakeFromXlsx } from "../fakes/excel/fromXlsx";

declare const __PREVIEW__: boolean;

interface StubWindow {
  Office?: unknown;
  uppfoljarenPreview?: boolean;
  __uppfoljarenFake?: FakeExcel;
  __uppfoljarenReady?: Promise<void>;
}

const w = window as unknown as StubWindow & Record<string, unknown>;
const params = new URLSearchParams(location.search);
const DARK = {
  bodyBackgroundColor: "#1F1F1F",
  bodyForegroundColor: "#FFFFFF",
  controlBackgroundColor: "#292929",
};
const LIGHT = {
  bodyBackgroundColor: "#FFFFFF",
  bodyForegroundColor: "#000000",
  controlBackgroundColor: "#FFFFFF",
};

if (__PREVIEW__) w.uppfoljarenPreview = true;

const ready = (async () => {
  const response = await fetch("/sample.xlsx");
  if (!response.ok) throw new Error(`sample.xlsx: HTTP ${response.status}`);
  const fake = await fakeFromXlsx(new Uint8Array(await response.arrayBuffer()), {
    excelApi: params.get("excelApi") ?? undefined,
  });
  for (const pair of params.getAll("rename")) {
    const [from, to] = pair.split(":");
    const entry = fake.model.names.find((n) => n.name.toLowerCase() === from.toLowerCase());
    if (entry && to) entry.name = to;
  }
  installFakeOffice(fake, w);
  const office = w.Office as { context: Record<string, unknown> };
  office.context.displayLanguage = params.get("lang") ?? "sv-SE";
  office.context.officeTheme = params.get("theme") === "dark" ? DARK : LIGHT;
  w.__uppfoljarenFake = fake;
  return office as unknown as typeof Office;
})();

w.__uppfoljarenReady = ready.then(() => undefined);
w.Office = {
  onReady(callback?: (info: unknown) => void) {
    return ready.then((office) => office.onReady(callback));
  },
};
