// Installs the Debian packages a test needs on a fresh machine (the tests' independent readers and
// producers: chromium, python3-openpyxl, python3-lxml, libreoffice-calc, gnumeric). As root it runs
// apt-get itself, waiting for another apt-get's lock instead of failing; otherwise it says what to run.
"use strict";
const { execFileSync, execSync } = require("child_process");
const fs = require("fs");

/** True when /usr/bin/python3 can import `module`. */
function pythonHas(module) {
  try {
    execFileSync("/usr/bin/python3", ["-c", `import ${module}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const fileExists = (file) => () => fs.existsSync(file);

/** What each package provides, so a present package is never reinstalled. */
const PRESENT = {
  chromium: fileExists("/usr/bin/chromium"),
  "python3-openpyxl": () => pythonHas("openpyxl"),
  "python3-lxml": () => pythonHas("lxml"),
  "libreoffice-calc": fileExists("/usr/bin/soffice"),
  gnumeric: fileExists("/usr/bin/ssconvert"),
};

/** Makes sure the named Debian packages are installed; throws with the command to run when it cannot. */
function ensureDebianPackages(packages) {
  const missing = packages.filter((p) => {
    const present = PRESENT[p];
    if (!present) throw new Error(`ensureDebianPackages: no presence check for ${p}`);
    return !present();
  });
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  if (!isRoot)
    throw new Error(`Missing Debian packages ${missing.join(", ")}: run \`sudo ${command}\` and try again.`);
  execSync(command.replace(/apt-get/g, "apt-get -o DPkg::Lock::Timeout=900"), {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  const still = missing.filter((p) => !PRESENT[p]());
  if (still.length) throw new Error(`apt-get ran but ${still.join(", ")} is still missing.`);
}

module.exports = { ensureDebianPackages };
