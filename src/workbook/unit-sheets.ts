/**
 * The names of the per-unit report sheets ("Drift <unit>"), and the guard that keeps them off the
 * workbook's data. Apart from units.ts so that input.ts can use it without the report builders.
 */
import { REPORT_SHEETS, UNIT_SHEET_PREFIX } from "./contract";
import type { StoredConfig } from "./types";

/**
 * A sheet name for a unit: "Drift <unit>", without the characters Excel forbids in sheet names
 * (: \ / ? * [ ]), at most 31 characters, and unique ignoring case (" (2)", " (3)" … when taken).
 */
export function unitSheetName(unit: string, taken: Set<string>): string {
  const base = `${UNIT_SHEET_PREFIX}${unit.replace(/[:\\/?*[\]]/g, "-")}`.replace(/^'+|'+$/g, "").trim();
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? "" : ` (${n})`;
    const name = `${base.slice(0, 31 - suffix.length).trimEnd()}${suffix}`;
    if (!taken.has(name.toLowerCase())) {
      taken.add(name.toLowerCase());
      return name;
    }
  }
}

/**
 * With a sheet per unit, a unit sheet ("Drift <unit>") replaces any sheet of that name, like the other
 * report sheets. The contract's own data must not be on one: an error (nothing is written) when a name
 * of the contract lies on a sheet that a unit's sheet would replace.
 */
export function unitSheetClashes(
  units: readonly string[],
  dataSheets: readonly string[],
  config: StoredConfig,
): { unit: string; sheet: string }[] {
  if (config.settings.unitReports !== "sheets") return [];
  const data = new Map(dataSheets.map((s) => [s.toLowerCase(), s]));
  const taken = new Set(Object.values(REPORT_SHEETS).map((n) => n.toLowerCase()));
  const clashes: { unit: string; sheet: string }[] = [];
  const seen = new Set<string>();
  for (const unit of units) {
    const key = unit.toLowerCase().replace(/\s+/g, "");
    if (seen.has(key)) continue;
    seen.add(key);
    const sheet = data.get(unitSheetName(unit, taken).toLowerCase());
    if (sheet) clashes.push({ unit, sheet });
  }
  return clashes;
}

/** The units (Ansvar) the lines name, in order of first appearance (as typed; duplicates kept). */
export function unitNames(lines: readonly { orgUnit?: string | null }[]): string[] {
  const out: string[] = [];
  for (const l of lines) if (l.orgUnit) out.push(l.orgUnit);
  return out;
}
