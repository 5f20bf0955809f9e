// PLACEHOLDER (replaced by the workbook-layer implementation).
import type { LedgerResult } from "../core/types";
import type { Layout } from "./contract";
import type { ReadResult, StoredConfig, WritePlan } from "./types";

export function buildWritePlan(
  _result: LedgerResult,
  _layout: Layout,
  _read: ReadResult,
  _config: StoredConfig,
): WritePlan {
  throw new Error("not implemented yet");
}
