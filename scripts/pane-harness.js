// Shared by the browser tests (test/browser) and `npm run preview`: builds the production task pane,
// bundles the office.js stub (Microsoft's Excel library over the in-memory Excel), builds the sample
// workbook, serves a directory on loopback, and makes sure Debian's chromium is there.
// Plain JavaScript so it runs without a TypeScript runner (like scripts/demo.js).
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");
const { ensureDebianPackages } = require("./debian");

const root = path.join(__dirname, "..");
const CHROMIUM = "/usr/bin/chromium";
/** Headless flags for this machine: without the background-networking ones chromium dials out at start. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const OFFICE_JS_URL = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";

/** Installs chromium with apt-get when missing and running as root; otherwise fails with a clear message. */
function ensureChromium() {
  ensureDebianPackages(["chromium"]);
  return CHROMIUM;
}

/** The production build of the task pane only (the project's webpack config, other entries dropped). */
async function buildPane(outDir, mode = "production") {
  const webpack = require("webpack");
  const makeConfig = require(path.join(root, "webpack.config.js"));
  const config = await makeConfig({}, { mode });
  config.mode = mode;
  config.context = root;
  config.entry = { taskpane: config.entry.taskpane };
  config.output = { ...config.output, path: outDir };
  config.plugins = config.plugins.filter(
    (p) => p.constructor.name === "HtmlWebpackPlugin" && p.userOptions.filename === "taskpane.html",
  );
  config.cache = {
    type: "filesystem",
    cacheDirectory: path.join(root, "node_modules", ".cache", "pane-webpack"),
  };
  config.infrastructureLogging = { level: "error" };
  const stats = await new Promise((resolve, reject) =>
    webpack(config, (err, s) => {
      if (err) return reject(err);
      if (s.hasErrors()) return reject(new Error(s.toString({ all: false, errors: true })));
      resolve(s);
    }),
  );
  // The page's initial JavaScript: the entry's files, not the chunks loaded on first use (the Word
  // report's docx library is fetched only when the ekonom asks for the report).
  const entry = stats.toJson({ all: false, entrypoints: true }).entrypoints.taskpane;
  const assets = entry.assets.map((a) => (typeof a === "string" ? a : a.name));
  return { html: path.join(outDir, "taskpane.html"), js: assets.filter((a) => a.endsWith(".js")) };
}

/** Microsoft's Office.js client library for Excel on the web (the @microsoft/office-js devDependency). */
const OFFICE_LIBRARY = require.resolve("@microsoft/office-js/dist/excel-web-16.00.js");

/**
 * Builds the page's office.js: Microsoft's Excel library followed by test/browser/office-stub.ts, which
 * points the library's requests at the in-memory Excel (test/fakes/excel) and installs a small Office.
 * One classic script, so the library's globals are in place before the stub runs.
 */
function buildOfficeStub(outfile, { preview = false } = {}) {
  const stub = require("esbuild").buildSync({
    entryPoints: [path.join(root, "test", "browser", "office-stub.ts")],
    write: false,
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2019",
    minify: !preview,
    define: { __PREVIEW__: String(preview), "process.env.NODE_ENV": '"production"' },
    // Node-only code of the in-memory Excel (loading the library into jsdom) is never reached in a page.
    external: ["fs", "jsdom"],
    logLevel: "warning",
  });
  fs.writeFileSync(outfile, `${fs.readFileSync(OFFICE_LIBRARY, "utf8")}\n;\n${stub.outputFiles[0].text}`);
  return outfile;
}

/** Builds the sample workbook (scripts/build-sample.ts) into dir and returns its path. */
async function buildSampleWorkbook(dir) {
  // Inside the repository so that its external packages (exceljs) resolve from node_modules.
  const out = path.join(root, "node_modules", ".cache", "pane-harness", `build-sample-${process.pid}.js`);
  require("esbuild").buildSync({
    entryPoints: [path.join(root, "scripts", "build-sample.ts")],
    outfile: out,
    bundle: true,
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  try {
    const { sample } = await require(out).buildSample(dir);
    return sample;
  } finally {
    fs.rmSync(out, { force: true });
  }
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".json": "application/json",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/**
 * A tiny static server on loopback. `files` maps URL paths to absolute file paths or to functions
 * returning the body; everything else is looked up under dir.
 */
function serve(dir, { host = "127.0.0.1", port = 0, files = {} } = {}) {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent((req.url || "/").split("?")[0]);
    const mapped = files[url];
    let body;
    let file = url;
    if (typeof mapped === "function") body = mapped();
    else if (typeof mapped === "string") file = mapped;
    else file = path.join(dir, path.normalize(url === "/" ? "/taskpane.html" : url));
    if (body === undefined) {
      if (typeof mapped !== "string" && !file.startsWith(dir)) {
        res.writeHead(403);
        return res.end();
      }
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
        res.writeHead(404, { "content-type": "text/plain" });
        return res.end("Not found");
      }
      body = fs.readFileSync(file);
    }
    res.writeHead(200, {
      "content-type":
        TYPES[typeof mapped === "function" ? path.extname(url) || ".html" : path.extname(file)] ||
        "application/octet-stream",
      "cache-control": "no-store",
    });
    res.end(body);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve({ server, url: `http://${host}:${server.address().port}` }));
  });
}

/**
 * Everything a page needs, built into dir: web/ (the production pane), office-stub.js (and the preview's
 * variant) and the sample workbook. Returns their paths. Run in its own process by the tests (webpack does not run inside Jest).
 */
async function prepare(dir, { preview = false, mode = "production" } = {}) {
  const web = path.join(dir, "web");
  const [pane, sample] = await Promise.all([
    buildPane(web, mode),
    buildSampleWorkbook(path.join(dir, "sample")),
  ]);
  const stub = buildOfficeStub(path.join(dir, "office-stub.js"), { preview });
  const previewStub = preview
    ? stub
    : buildOfficeStub(path.join(dir, "office-stub-preview.js"), { preview: true });
  return { web, js: pane.js.map((f) => path.join(web, f)), stub, previewStub, sample };
}

if (require.main === module) {
  // node scripts/pane-harness.js prepare <dir> [--preview]  → prints the paths as JSON
  const [command, dir] = process.argv.slice(2);
  if (command !== "prepare" || !dir) {
    console.error("usage: node scripts/pane-harness.js prepare <dir> [--preview]");
    process.exit(2);
  }
  prepare(path.resolve(dir), { preview: process.argv.includes("--preview") }).then(
    (out) => console.log(JSON.stringify(out)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

module.exports = {
  prepare,
  CHROMIUM,
  CHROMIUM_ARGS,
  OFFICE_JS_URL,
  ensureChromium,
  buildPane,
  buildOfficeStub,
  buildSampleWorkbook,
  serve,
  root,
};
