// PLACEHOLDER (replaced by the core implementation): the core's public entry point.
import type { LedgerInput, LedgerResult } from "./types";
export * from "./types";
export function compute(_input: LedgerInput): LedgerResult {
  throw new Error("core not implemented yet");
}
