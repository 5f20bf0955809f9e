// The quick start: `npm run demo` builds the sample workbook if it is missing or stale, refreshes it through the
// command-line runner (the same code path as `uppfoljaren refresh`), writes the Word report from the result
// (`uppfoljaren rapport`), refreshes the variant with units (Ansvar: four enheter in one workbook) and
// prints where they are.
// `npm run build:sample` (this script with --build-sample) only (re)builds the sample and the template.
// Plain JavaScript on purpose: it bundles the TypeScript it needs with esbuild (installed by `npm ci`)
// instead of depending on a TypeScript runner.
"use strict";
const fs = require("fs");
const path = require("path");
const esbuild = require("esbuild");

const root = path.join(__dirname, "..");
const sampleDir = path.join(root, "build", "sample");
const samplePath = path.join(sampleDir, "Uppfoljning-T1-2019.xlsx");
const outPath = path.join(root, "build", "demo", "Uppfoljning-T1-2019-uppdaterad.xlsx");
const reportPath = path.join(root, "build", "demo", "Tertialrapport-1-2019.docx");
const unitSamplePath = path.join(sampleDir, "Uppfoljning-T1-2019-enheter.xlsx");
const unitOutPath = path.join(root, "build", "demo", "Uppfoljning-T1-2019-enheter-uppdaterad.xlsx");

function bundle(entry, outfile) {
  esbuild.buildSync({
    entryPoints: [path.join(root, entry)],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  return require(outfile);
}

async function buildSample() {
  const builder = bundle("scripts/build-sample.ts", path.join(root, "build", ".tmp", "build-sample.js"));
  const { sample, template, unitSample } = await builder.buildSample(sampleDir);
  console.log(`Exempelarbetsbok: ${path.relative(process.cwd(), sample)}`);
  console.log(`Med enheter:      ${path.relative(process.cwd(), unitSample)}`);
  console.log(`Tom mall:         ${path.relative(process.cwd(), template)}`);
}

async function demo() {
  // Rebuilt when missing or older than scripts/build-sample.ts (where the sample data lives).
  const builtAt = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);
  const builder = builtAt(path.join(root, "scripts", "build-sample.ts"));
  if (builtAt(samplePath) < builder || builtAt(unitSamplePath) < builder) await buildSample();
  const cliPath = path.join(root, "dist", "cli.js");
  require("./build-cli.js"); // fast (esbuild); keeps dist/cli.js in step with the source
  const { main } = require(cliPath);
  console.log("");
  const code = await main(["refresh", samplePath, "--out", path.relative(process.cwd(), outPath)]);
  if (code !== 0) return code;
  console.log("");
  // The Word report for the nämnd, from the refreshed workbook (its report sheets' texts included).
  const report = await main([
    "rapport",
    path.relative(process.cwd(), outPath),
    "--out",
    path.relative(process.cwd(), reportPath),
  ]);
  if (report !== 0) return report;
  console.log("");
  // The same follow-up split over four units: Driftsredovisning consolidated, then a section per unit.
  console.log("Med enheter (Ansvar):");
  return main(["refresh", unitSamplePath, "--out", path.relative(process.cwd(), unitOutPath)]);
}

(process.argv.includes("--build-sample") ? buildSample().then(() => 0) : demo()).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(e);
    process.exitCode = 1;
  },
);
