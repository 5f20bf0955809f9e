/**
 * The child process of the .xlsx bench's memory columns: `node build/bench-child.js refresh|copy FILE`
 * reads the file, refreshes it (or copies the package), writes FILE.out and prints its peak resident
 * set size. Its bundle holds only the runner, the same for both sides, so neither column carries the
 * bench's own fixtures.
 */
import { promises as fs } from "fs";
import { copyPackage, refreshXlsx } from "./bench-xlsx";

async function main([kind, file]: string[]): Promise<void> {
  if ((kind !== "refresh" && kind !== "copy") || !file)
    throw new Error("usage: bench-child refresh|copy FILE");
  const bytes = await fs.readFile(file);
  const out = kind === "copy" ? await copyPackage(bytes) : await refreshXlsx(bytes);
  await fs.writeFile(`${file}.out`, out);
  process.stdout.write(`peakKb=${process.resourceUsage().maxRSS}\n`);
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
