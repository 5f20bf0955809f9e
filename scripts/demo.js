// The quick start: `npm run demo` builds the sample workbook if it is missing, refreshes it through the
// command-line runner (the same code path as `uppfoljaren refresh`), writes the Word report from the result
// (`uppfoljaren rapport`) and prints where both are.
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
  if (!fs.existsSync(samplePath)) await buildSample();
  const cliPath = path.join(root, "dist", "cli.js");
  require("./build-cli.js"); // fast (esbuild); keeps dist/cli.js in step with the source
  const { main } = require(cliPath);
  console.log("");
  const code = await main(["refresh", samplePath, "--out", path.relative(process.cwd(), outPath)]);
  if (code !== 0) return code;
  console.log("");
  // The Word report for the nämnd, from the refreshed workbook (its report sheets' texts included).
  return main([
    "rapport",
    path.relative(process.cwd(), outPath),
    "--out",
    path.relative(process.cwd(), reportPath),
  ]);
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
