/**
 * Builds the catalogue of bad workbooks (test/fixtures/bad-workbooks.ts) into build/bad-workbooks/ and
 * refreshes each with the .xlsx runner (`uppfoljaren refresh --json`, into build/bad-workbooks/out/;
 * `check` for the large case, as the test does), printing a Markdown table of what the user sees: the
 * Swedish message on exit 2, or the findings on a deliberate acceptance. Refresh, not check: check
 * writes nothing and so accepts what only a write is refused for (a protected sheet). The table in
 * docs/BAD-WORKBOOKS.md is this output. Run: `npm run build:bad-workbooks`.
 */
import { promises as fs } from "fs";
import * as path from "path";
import { main, type CliIo } from "../src/cli/main";
import { CASES } from "../test/fixtures/bad-workbooks";

const root = path.join(__dirname, "..", "..");
const outDir = path.join(root, "build", "bad-workbooks");

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const short = (s: string, n = 260) => (s.length > n ? `${s.slice(0, n)}…` : s);

async function run(): Promise<number> {
  await fs.mkdir(path.join(outDir, "out"), { recursive: true });
  const rows: string[] = ["| # | Case | Hosts | Outcome | What the user sees |", "|---|---|---|---|---|"];
  let unexpected = 0;
  for (const [i, c] of CASES.entries()) {
    const file = path.join(outDir, `${c.id}.xlsx`);
    await fs.writeFile(file, await c.build());
    let stdout = "";
    const io: CliIo = { out: (t) => void (stdout += t), err: () => undefined };
    const out = path.join(outDir, "out", `${c.id}.xlsx`);
    await fs.rm(out, { force: true });
    const argv = c.large ? ["check", file, "--json"] : ["refresh", file, "--out", out, "--json"];
    const code = await main(argv, io);
    const json = stdout ? JSON.parse(stdout) : {};
    const hosts = c.hosts === "both" ? "both" : "xlsx only";
    let outcome: string;
    let sees: string;
    if (code === 2) {
      const e = json.errors[0];
      outcome = `exit 2 · ${e.code}`;
      sees = short(e.message);
    } else if (code === 0) {
      const findings = (json.findings as { code: string; level: string; message: string }[]).filter(
        (f) => f.level !== "info" || !("accept" in c.expect) || c.expect.accept.includes(f.code),
      );
      const wanted = "accept" in c.expect ? c.expect.accept : [];
      const shown = findings.filter((f) => wanted.includes(f.code));
      outcome = `accepted${wanted.length ? ` · ${wanted.join(", ")}` : ""}`;
      sees = shown.length ? short(shown[0].message) : "Refreshed; no finding for this case.";
    } else {
      outcome = `exit ${code}`;
      sees = "UNEXPECTED";
      unexpected++;
    }
    rows.push(`| ${i + 1} | \`${c.id}\`: ${cell(c.title)} | ${hosts} | ${outcome} | ${cell(sees)} |`);
  }
  const table = `${rows.join("\n")}\n`;
  await fs.writeFile(path.join(outDir, "TABLE.md"), table);
  process.stdout.write(table);
  console.error(`${CASES.length} workbooks in ${path.relative(process.cwd(), outDir)}`);
  return unexpected ? 1 : 0;
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(e);
    process.exitCode = 1;
  },
);
