// PLACEHOLDER (replaced by the workbook-layer implementation): signatures the pipeline composes.
import type { Finding, LedgerInput } from "../core/types";
import type { ContractError, ReadRequest, ReadResult, StoredConfig, WorkbookMeta } from "./types";

/** Opaque to hosts: which names resolved to which ranges. */
export interface Resolution {
  readonly _brand?: "Resolution";
}

/** Where each line, measure and volume lives in the workbook, for findings and output columns. */
export interface Layout {
  locate(finding: Finding): { sheet?: string; cell?: string };
}

export function planRead(
  _meta: WorkbookMeta,
  _config: StoredConfig,
): { request: ReadRequest; resolution: Resolution } | { errors: ContractError[] } {
  throw new Error("not implemented yet");
}

export function buildInput(
  _resolution: Resolution,
  _read: ReadResult,
  _config: StoredConfig,
  _overrides: { month?: number },
): { input: LedgerInput; layout: Layout } | { errors: ContractError[] } {
  throw new Error("not implemented yet");
}
