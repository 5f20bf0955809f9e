// `npm run preview`: the task pane in a browser without Excel. Builds the production pane, serves it on
// http://localhost:3001 with office.js replaced by Microsoft's Excel library over the in-memory Excel loaded with the sample workbook
// (the pane labels itself "Förhandsvisning – ingen Excel"), and shows the fake workbook's sheets beside
// it. Nothing leaves the machine; changes live in the page only (reload to start over).
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { prepare, serve, OFFICE_JS_URL } = require("./pane-harness.js");

const PORT = Number(process.env.PORT || 3001);
const HOST = process.env.HOST || "127.0.0.1";

const INDEX = `<!doctype html>
<html lang="sv">
  <head>
    <meta charset="UTF-8" />
    <meta http-equiv="Content-Security-Policy" content="default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:" />
    <title>Uppföljaren – förhandsvisning</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/preview-grid.css" />
    <script defer src="/preview-grid.js"></script>
  </head>
  <body>
    <iframe id="pane" src="/taskpane.html" title="Uppföljaren (aktivitetsfönster)"></iframe>
    <section id="workbook" aria-label="Arbetsboken (förhandsvisning)">
      <nav id="tabs" aria-label="Blad"></nav>
      <div id="grid"></div>
    </section>
  </body>
</html>
`;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "uppfoljaren-preview-"));
  console.log("Bygger aktivitetsfönstret och exempelarbetsboken …");
  const built = await prepare(dir, { preview: true });
  const paneHtml = fs
    .readFileSync(path.join(built.web, "taskpane.html"), "utf8")
    .replace(OFFICE_JS_URL, "/office-preview.js");
  if (!paneHtml.includes("/office-preview.js"))
    throw new Error("taskpane.html does not load office.js from the CDN URL");
  const { url } = await serve(built.web, {
    host: HOST,
    port: PORT,
    files: {
      "/": () => INDEX,
      "/index.html": () => INDEX,
      "/taskpane.html": () => paneHtml,
      "/office-preview.js": built.stub,
      "/sample.xlsx": built.sample,
      "/preview-grid.js": path.join(__dirname, "preview-grid.js"),
      "/preview-grid.css": path.join(__dirname, "preview-grid.css"),
    },
  });
  const shown = url.replace("127.0.0.1", "localhost");
  console.log(`Förhandsvisning – ingen Excel: ${shown}/  (bara fönstret: ${shown}/taskpane.html)`);
  console.log("Avsluta med Ctrl+C.");
  const cleanup = () => {
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on("SIGINT", cleanup);
  process.on("SIGTERM", cleanup);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
