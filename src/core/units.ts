/**
 * Units (Ansvar: avdelning, enhet or a responsibility code and name) inside one ledger.
 *
 * A ledger with units is still one list of lines, computed as before; each line also names its unit.
 * Structure follows the sheet: a varav line belongs to the nearest line above it that is not a varav line
 * (as without units) and is computed with it; a varav line of another unit than its parent is an error
 * naming its Ansvar cell. A total line with a unit totals that unit's lines since the unit's previous
 * total line; a total line without a unit totals the whole ledger as before. Units are told apart by their
 * name ignoring case and spaces ("Vårnäs" = "vårnäs "); the first spelling is the one shown.
 */
import type { Lines } from "./lines";
import { labelKey, readText, type Findings } from "./read";

/** The unit of lines that have no Ansvar while others do. */
export const NO_UNIT_NAME = "Utan ansvar";

export class OrgUnits {
  /** The unit of each line (index into names); −1: none (a total line of the whole ledger). */
  readonly of: Int32Array;
  readonly names: string[] = [];
  /** Matching keys of the names (labelKey). */
  readonly keys: string[] = [];
  private readonly byKey = new Map<string, number>();

  private constructor(
    n: number,
    /** The Ansvar text of each line as typed (trimmed), "" when blank. */
    private readonly texts: string[],
  ) {
    this.of = new Int32Array(n).fill(-1);
  }

  /**
   * The units of the n lines from their Ansvar cells (`cells[i]`, as the line's `orgUnit` holds it; null
   * when no line has one), or null when no line names one (the ledger is one flat list).
   */
  static read(cells: readonly unknown[] | null, n: number, findings: Findings): OrgUnits | null {
    if (cells === null) return null;
    const texts = new Array<string>(n);
    let any = false;
    for (let i = 0; i < n; i++) {
      const raw = cells[i];
      const text =
        raw === null || raw === undefined
          ? ""
          : readText(raw, findings, { line: i, field: "orgUnit" }, `Rad ${i + 1}: ansvaret`);
      texts[i] = text;
      if (text !== "") any = true;
    }
    return any ? new OrgUnits(n, texts) : null;
  }

  /** The index of the unit named `name`, or −1 when no line has it. */
  find(name: string): number {
    return this.byKey.get(labelKey(name)) ?? -1;
  }

  private unit(name: string): number {
    const key = labelKey(name);
    let u = this.byKey.get(key);
    if (u === undefined) {
      u = this.names.length;
      this.names.push(name);
      this.keys.push(key);
      this.byKey.set(key, u);
    }
    return u;
  }

  /**
   * Assigns every line its unit once the varav structure is known (lines.parent): ORG_UNIT_OFWHICH for a
   * varav line in another unit than its parent (it is still computed with its parent), ORG_UNIT_MISSING
   * for a revenue or cost line without one (it goes to "Utan ansvar").
   */
  link(lines: Lines, findings: Findings): void {
    for (let i = 0; i < lines.length; i++) {
      const text = this.texts[i];
      const kind = lines.kind[i];
      const parent = lines.parent[i];
      if (kind === "ofWhich" && parent >= 0 && this.of[parent] >= 0) {
        const parentUnit = this.of[parent];
        this.of[i] = parentUnit;
        if (text !== "" && this.find(text) !== parentUnit) {
          findings.add(
            "error",
            "ORG_UNIT_OFWHICH",
            `${lines.name(i)} har ansvaret "${text}" men raden den delar upp, "${lines.label[parent]}", har "${
              this.names[parentUnit]
            }"; varav-raden räknas med sin huvudrad under "${this.names[parentUnit]}". Rätta ansvaret eller flytta raden.`,
            { line: i, field: "orgUnit" },
          );
        }
      } else if (text !== "") this.of[i] = this.unit(text);
      else if (kind !== "total" && kind !== "ofWhich") {
        this.of[i] = this.unit(NO_UNIT_NAME);
        findings.add(
          "warning",
          "ORG_UNIT_MISSING",
          `${lines.name(i)} saknar ansvar fast andra rader har ett; den redovisas under "${NO_UNIT_NAME}".`,
          { line: i, field: "orgUnit" },
        );
      }
    }
  }

  /** The key a measure of unit u looks its Post up by: unit and label together. */
  lineKey(u: number, label: string): string {
    return `${this.keys[u]}\u0000${labelKey(label)}`;
  }
}
