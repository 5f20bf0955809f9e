/**
 * The runner process's heap, set before a workbook is opened. A refresh of a large ledger keeps most of
 * what it reads and plans until the file is written, so the heap's peak is set by how far V8 lets it
 * grow over what is live (measured in docs/XLSX-LIBRARY.md, "Memory of a large refresh"):
 *
 * - the young generation stays at its first size (V8 would grow it to two 16 MB semi-spaces), for some
 *   more CPU in more, smaller scavenges;
 * - after a full collection the old generation may grow by half of what was live before the next one,
 *   where V8 lets a small heap grow up to fourfold: a few more full collections (mostly concurrent
 *   marking), each freeing what the read and the plan left behind before the heap has grown over it.
 *
 * Both flags are read by V8 whenever it sizes the generations (after a scavenge, after a full
 * collection), so setting them once the process runs takes effect (flags read when the heap is set up,
 * such as --max-semi-space-size, do not). V8 writes an error for a flag it does not know, so they are
 * set only on the V8 versions they are known on.
 */
import { setFlagsFromString } from "v8";

const KNOWN_ON = /^(1[0-2])\./;

/** How much the old generation may grow over what was live at the last full collection, in percent. */
export const OLD_GENERATION_GROWTH = 50;

/** Whether the heap flags are known on this V8 version (Node 20 and 22; Node 24 has V8 13). */
export const knowsHeapFlags = (v8Version: string): boolean => KNOWN_ON.test(v8Version);

/** Sets the heap for a process that refreshes one workbook; false when V8 is not one it knows. */
export function setOneWorkbookHeap(v8Version = process.versions.v8): boolean {
  if (!knowsHeapFlags(v8Version)) return false;
  setFlagsFromString("--semi-space-growth-factor=1");
  setFlagsFromString(`--heap-growing-percent=${OLD_GENERATION_GROWTH}`);
  return true;
}
