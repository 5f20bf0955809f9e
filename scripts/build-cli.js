// Bundles the command-line runner into dist/cli.js so that `npx uppfoljaren` works right after `npm ci`
// (this script runs as the package's `prepare` step).
const path = require("path");
require("esbuild").buildSync({
  entryPoints: [path.join(__dirname, "..", "src", "cli", "main.ts")],
  outfile: path.join(__dirname, "..", "dist", "cli.js"),
  bundle: true,
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});
