// Debian tools the document tests use (LibreOffice Writer to convert .docx to PDF, poppler's pdftotext to
// read the PDF back), installed with apt-get on a fresh machine the way pane-harness.js installs
// chromium. Plain JavaScript so tests and scripts can require it alike.
"use strict";
const { execFileSync, execSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const TOOLS = { soffice: "libreoffice-writer", pdftotext: "poppler-utils" };

function which(binary) {
  for (const dir of (process.env.PATH || "").split(path.delimiter))
    if (dir && fs.existsSync(path.join(dir, binary))) return path.join(dir, binary);
  return null;
}

/** The path of `binary` (soffice or pdftotext), installing its Debian package when it is missing. */
function ensureTool(binary) {
  const found = which(binary);
  if (found) return found;
  const pkg = TOOLS[binary];
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot)
    throw new Error(
      `${binary} is missing. The document tests need Debian's ${pkg}: run ` +
        `\`sudo apt-get update && sudo apt-get install -y ${pkg}\` and try again.`,
    );
  execSync(`apt-get update && apt-get install -y --no-install-recommends ${pkg}`, {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  const installed = which(binary);
  if (!installed) throw new Error(`apt-get ran but ${binary} is still missing.`);
  return installed;
}

/**
 * Converts a document to PDF with LibreOffice headless, in a private profile so that parallel runs (and a
 * LibreOffice the user has open) do not collide. Returns the PDF's path; throws with LibreOffice's output
 * when it fails or writes no PDF.
 */
function convertToPdf(file, outDir) {
  const soffice = ensureTool("soffice");
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "uppfoljaren-lo-"));
  try {
    const out = execFileSync(
      soffice,
      [
        `-env:UserInstallation=file://${profile}`,
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        outDir,
        file,
      ],
      { encoding: "utf8", timeout: 180000, stdio: ["ignore", "pipe", "pipe"] },
    );
    const pdf = path.join(outDir, `${path.basename(file).replace(/\.[^.]+$/, "")}.pdf`);
    if (!fs.existsSync(pdf)) throw new Error(`LibreOffice wrote no PDF:\n${out}`);
    return pdf;
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** The PDF's text (pdftotext -layout). */
function pdfText(pdf) {
  return execFileSync(ensureTool("pdftotext"), ["-layout", pdf, "-"], { encoding: "utf8" });
}

module.exports = { ensureTool, convertToPdf, pdfText };
