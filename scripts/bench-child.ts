/**
 * The child process of the .xlsx bench's memory columns: `node build/bench-child.js refresh|copy FILE`
 * reads the file, refreshes it (or copies the package), writes FILE.out and prints its peak resident
 * set size. Its bundle holds only the runner, the same for both sides, so neither column carries the
 * bench's own fixtures. Both sides run with the heap the command-line runner sets for one workbook.
 */
import { promises as fs, readFileSync } from "fs";
import { setOneWorkbookHeap } from "../src/cli/heap";
import { copyPackage, refreshXlsx } from "./bench-xlsx";

async function main([kind, file]: string[]): Promise<void> {
  if ((kind !== "refresh" && kind !== "copy") || !file)
    throw new Error("usage: bench-child refresh|copy FILE");
  setOneWorkbookHeap();
  const bytes = await fs.readFile(file);
  const out = kind === "copy" ? await copyPackage(bytes) : await refreshXlsx(bytes);
  await fs.writeFile(`${file}.out`, out);
  process.stdout.write(`peakKb=${peakKb()}\n`);
}

/**
 * This process's own peak resident set size. On Linux that is VmHWM (/proc/self/status): it belongs to
 * the address space execve(2) creates, whereas getrusage's ru_maxrss is kept across execve(2) and so
 * starts at the bench parent's size at the fork (getrusage(2): "Resource usage metrics are preserved
 * across an execve(2)"). Elsewhere ru_maxrss.
 */
function peakKb(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (hwm) return Number(hwm[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
