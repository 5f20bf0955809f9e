// Renders the refreshed sample's report sheets as printed pages, to look at them: `npm run demo` (the
// sample refreshed through the command-line runner), then LibreOffice headless → PDF (each sheet's own
// page setup: orientation, fit to width/height, repeated header rows, header/footer) → one PNG per
// page with pdftoppm. Output: build/pages/<file>.pdf and build/pages/page-N.png.
//
// Usage: node scripts/render-pages.js [IN.xlsx]   (default: the refreshed sample)
// Needs: soffice (libreoffice-calc) and pdftoppm (poppler-utils). For Excel's Calibri metrics install
// fonts-crosextra-carlito (Carlito is metric-compatible with Calibri); without it LibreOffice substitutes
// a wider font and wrapped text takes more lines than in Excel.
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const outDir = path.join(root, "build", "pages");

function run(cmd, args) {
  execFileSync(cmd, args, { stdio: ["ignore", "pipe", "inherit"], timeout: 180000 });
}

function main() {
  let input = process.argv[2];
  if (!input) {
    run(process.execPath, [path.join(__dirname, "demo.js")]);
    input = path.join(root, "build", "demo", "Uppfoljning-T1-2019-uppdaterad.xlsx");
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  // A private profile, so a LibreOffice the user has open is not disturbed (and does not block this).
  const profile = `file://${path.join(root, "build", ".tmp", "lo-profile")}`;
  run("soffice", [
    `-env:UserInstallation=${profile}`,
    "--headless",
    "--convert-to",
    "pdf",
    "--outdir",
    outDir,
    input,
  ]);
  const pdf = path.join(outDir, `${path.basename(input, path.extname(input))}.pdf`);
  run("pdftoppm", ["-png", "-r", "70", pdf, path.join(outDir, "page")]);
  const pages = fs
    .readdirSync(outDir)
    .filter((f) => f.endsWith(".png"))
    .sort();
  console.log(`${path.relative(process.cwd(), pdf)}: ${pages.length} sidor`);
  for (const p of pages) console.log(`  ${path.relative(process.cwd(), path.join(outDir, p))}`);
}

main();
