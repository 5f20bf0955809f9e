/**
 * The small API the task pane and the ribbon command use to talk to the workbook. The Office.js host
 * implements it over Excel; the preview and the browser tests implement it over the strict fake.
 */
import type { ForecastMethod, Period } from "../../core/types";
import type { RefreshOutcome, RefreshStep } from "../../workbook/pipeline";
import type { Role, StoredConfig } from "../../workbook/types";

export interface RoleStatus {
  role: Role;
  required: boolean;
  /** The workbook name used for the role (the mapping's or the role's own), or null when none is found. */
  name: string | null;
  found: boolean;
  /** Where it points, e.g. "Underlag!A5:A20". */
  address?: string;
}

export interface Detection {
  roles: RoleStatus[];
  /** Other defined names in the workbook the user may map a role to. */
  otherNames: string[];
  /** The period the workbook states, when it can be read. */
  period: Period | null;
}

export interface AddinApi {
  /** True in the browser preview (no Excel); the pane labels itself accordingly. */
  readonly isPreview: boolean;
  detect(): Promise<Detection>;
  loadConfig(): Promise<StoredConfig>;
  saveConfig(config: StoredConfig): Promise<void>;
  /** Defines the role's name (workbook scope) over the current selection and returns its address. */
  mapRoleToSelection(role: Role): Promise<string>;
  /** One refresh; `newDraft` redrafts the drafted texts even where the ekonom has written (the "Nytt utkast" button). */
  refresh(
    onProgress?: (step: RefreshStep) => void,
    options?: { newDraft?: boolean },
  ): Promise<RefreshOutcome>;
  selectCell(sheet: string, cell: string): Promise<void>;
  /** Writes a line's method (Swedish key) into its `Metod` cell; null clears it. */
  setLineMethod(lineIndex: number, method: ForecastMethod | null): Promise<void>;
  /** Adds the empty template sheet (Mall) with the contract's names, if the workbook has none of them. */
  insertTemplate(): Promise<void>;
}
