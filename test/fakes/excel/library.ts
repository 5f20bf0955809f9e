/**
 * Microsoft's Office.js client library (the @microsoft/office-js package's Excel on the web build), with
 * its request executor pointed at an in-memory Excel. In a browser page the library is already loaded as
 * a classic script before the office.js stub (scripts/pane-harness.js concatenates them); in Node it is
 * loaded once per module registry into a jsdom window.
 *
 * The hook is the library's own: a ClientRequestContext accepts a "request URL and header info
 * resolver" whose _createRequestExecutorOrNull() supplies the executor that context.sync() hands the
 * serialised request to ({ Url, Headers, Body }, see ClientRequestContext.syncPrivate). Everything
 * between the add-in's calls and that request (proxies, load/sync rules, NullObject handling, request
 * serialisation, response and error processing) is the library's code.
 */

export interface OfficeLibrary {
  Excel: typeof Excel;
  OfficeExtension: typeof OfficeExtension & { SessionBase: { _overrideSession: unknown } };
  /** The window the library runs in (jsdom's in Node, the page's in a browser). */
  window: Record<string, unknown>;
}

export interface RequestMessage {
  Url: string;
  Headers: Record<string, string>;
  Body: unknown;
}

/** What the library calls on sync: returns the response message it then processes. */
export type Executor = (body: string) => unknown;

/** The resolver the library accepts wherever it accepts request info (new RequestContext(x), Excel.run(x, batch)). */
export interface Session {
  _resolveRequestUrlAndHeaderInfo(): Promise<{ url: string; headers: Record<string, string> }>;
  _createRequestExecutorOrNull(): {
    executeAsync(customData: unknown, flags: number, message: RequestMessage): Promise<unknown>;
  };
}

export function createSession(execute: Executor): Session {
  return {
    _resolveRequestUrlAndHeaderInfo: () =>
      Promise.resolve({ url: "http://document.localhost/", headers: {} }),
    _createRequestExecutorOrNull: () => ({
      // The library sends JSON.stringify(message.Body) to Excel (RichApiMessageUtility), so that text is
      // what the in-memory Excel measures and executes. Answered asynchronously, as a real host does.
      executeAsync: (_customData, _flags, message) =>
        Promise.resolve().then(() => execute(JSON.stringify(message.Body))),
    }),
  };
}

let cached: OfficeLibrary | null = null;

export function officeLibrary(): OfficeLibrary {
  if (cached) return cached;
  const g = globalThis as unknown as Record<string, unknown> & { Excel?: { RequestContext?: unknown } };
  if (g.OfficeExtension && g.Excel?.RequestContext) {
    cached = { Excel: g.Excel as never, OfficeExtension: g.OfficeExtension as never, window: g };
    return cached;
  }
  cached = loadInJsdom();
  return cached;
}

/** Node only (never reached in a browser, where the page loaded the library). */
function loadInJsdom(): OfficeLibrary {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const fs = require("fs") as typeof import("fs");
  const { JSDOM } = require("jsdom") as typeof import("jsdom");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const file = require.resolve("@microsoft/office-js/dist/excel-web-16.00.debug.js");
  const dom = new JSDOM("<!doctype html><html><head></head><body></body></html>", {
    url: "https://localhost/taskpane.html",
    runScripts: "outside-only",
  });
  const w = dom.window as unknown as Record<string, unknown> & { eval(code: string): unknown };
  w.eval(fs.readFileSync(file, "utf8"));
  return { Excel: w.Excel as never, OfficeExtension: w.OfficeExtension as never, window: w };
}
