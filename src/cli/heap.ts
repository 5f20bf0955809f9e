/**
 * The runner process's heap, set before a workbook is opened. A refresh of a large ledger keeps most of
 * what it reads and plans until the file is written, and V8 lets its young generation grow to two 16 MB
 * semi-spaces meanwhile; kept at its first size, the young generation holds less at the peak, for some
 * more CPU in more, smaller scavenges (measured in docs/XLSX-LIBRARY.md, "Memory of a large refresh").
 *
 * The flag is one V8 reads whenever the young generation would grow, so setting it once the process
 * runs takes effect (flags read when the heap is set up, such as --max-semi-space-size, do not). V8
 * writes an error for a flag it does not know, so it is set only on the V8 versions it is known on.
 */
import { setFlagsFromString } from "v8";

const KNOWN_ON = /^(1[0-2])\./;

/** Keeps the young generation at its first size (for a process that refreshes one workbook). */
export function keepYoungGenerationSmall(v8Version = process.versions.v8): boolean {
  if (!KNOWN_ON.test(v8Version)) return false;
  setFlagsFromString("--semi-space-growth-factor=1");
  return true;
}
