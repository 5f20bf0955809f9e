/**
 * A test double of AddinApi built from plain data (not Excel): it records every call and answers from
 * the data it was given, so the pane's components can be tested without a workbook.
 */
import type { ForecastMethod, LedgerResult } from "../../../src/core/types";
import type { AddinApi, Detection, RoleStatus } from "../../../src/hosts/office/api";
import { defaultConfig } from "../../../src/workbook/config";
import type { LocatedFinding, RefreshOutcome, RefreshStep } from "../../../src/workbook/pipeline";
import { computeTertial } from "../../../src/workbook/tertial";
import type { Role, StoredConfig } from "../../../src/workbook/types";

export const REQUIRED: Role[] = ["Poster", "Budget", "Utfall", "Period"];
const OPTIONAL: Role[] = ["Metod", "Balansmal", "Avrundning", "Atgarder"];

export function roles(found: Partial<Record<Role, string>>): RoleStatus[] {
  return [...REQUIRED, ...OPTIONAL].map((role) => ({
    role,
    required: REQUIRED.includes(role),
    name: found[role] !== undefined ? role : null,
    found: found[role] !== undefined,
    address: found[role],
  }));
}

export function config(): StoredConfig {
  return defaultConfig();
}

/** A small tertial result in tkr (figures in the style of the seed's Tertialrapport 1 2019). */
export function sampleResult(): LedgerResult {
  const line = (
    index: number,
    label: string,
    kind: "revenue" | "cost" | "ofWhich" | "total",
    f: number[],
  ) => ({
    index,
    label,
    kind,
    parent: kind === "ofWhich" ? 1 : null,
    annualBudget: f[0],
    periodBudget: f[1],
    actual: f[2],
    deviation: f[2] - f[1],
    method: "linear" as ForecastMethod,
    forecast: f[3],
    forecastDeviation: f[3] - f[0],
    measuresIncluded: 0,
  });
  return {
    period: { year: 2019, month: 4 },
    unit: "tkr",
    lines: [
      line(0, "Statsbidrag", "revenue", [1000, 333, 2665, 3300]),
      line(1, "Personalkostnader", "cost", [-60000, -20000, -21000, -63000]),
      line(2, "varav konsulter", "ofWhich", [0, 0, -4007, -8000]),
      { ...line(3, "Summa", "total", [-59000, -19667, -18335, -59700]), method: "linear" },
    ],
    result: {
      actual: -18335,
      periodBudget: -19667,
      deviation: 2332,
      annualBudget: -59000,
      forecast: -89000,
      forecastDeviation: -30000,
      balanceTarget: -25000,
      deviationVsBalanceTarget: -5000,
    },
    actionPlan: {
      areas: [
        {
          number: 1,
          name: "Placeringar",
          measures: [{ letter: "a", index: 0, text: "Hemmaplanslösningar" }],
          total: 1500,
          pendingTexts: [],
          forecastTotal: 1500,
          decidedTotal: 0,
        },
        {
          number: 2,
          name: "Bemanning",
          measures: [{ letter: "a", index: 1, text: "Färre konsulter" }],
          total: null,
          pendingTexts: ["Summa ges efter analysen"],
          forecastTotal: 0,
          decidedTotal: 0,
        },
      ],
      forecastTotal: 1500,
      decidedTotal: 0,
      excluded: [{ area: "Bemanning", text: "Färre konsulter", reason: "notGiven" }],
      followUps: [],
      unassignedIncluded: 0,
    },
    volumes: [],
    findings: [],
  };
}

export const sampleFindings: LocatedFinding[] = [
  {
    level: "error",
    code: "SIGN_SUSPECT",
    message: "Utfallet för Personalkostnader har fel tecken mot budgeten.",
    line: 1,
    sheet: "Underlag",
    cell: "C6",
  },
  {
    level: "warning",
    code: "OFWHICH_MISMATCH",
    message: "Varav-raderna summerar inte till Personalkostnader.",
    line: 1,
    sheet: "Underlag",
    cell: "A6",
  },
  { level: "info", code: "SEASONAL_FALLBACK", message: "Linjär metod användes i stället för säsong." },
];

export interface Call {
  method: string;
  args: unknown[];
}

export class TestApi implements AddinApi {
  readonly calls: Call[] = [];
  isPreview = false;
  detection: Detection;
  stored: StoredConfig = config();
  outcome: RefreshOutcome;
  /** Lets a test hold the refresh at a step: resolve the gate to continue. */
  gate: Promise<void> | null = null;
  selectionAddress = "Blad1!B2:B9";

  constructor(found: Partial<Record<Role, string>>, otherNames: string[] = []) {
    this.detection = { roles: roles(found), otherNames, period: { year: 2019, month: 4 } };
    const result = sampleResult();
    this.outcome = {
      ok: true,
      period: result.period,
      result,
      tertial: {
        ...computeTertial(result, { locate: () => ({}) }, null, { ranges: [], sheets: [] }),
        texts: { summary: [], operatingComment: [], volumes: [], investments: [], personnel: [] },
        drafted: { summary: false, operatingComment: false },
      },
      findings: sampleFindings,
      plan: { version: 1, sheets: [], names: [] },
      written: { written: ["utdatakolumnerna på Underlag"], notWritten: [] },
    };
  }

  private record(method: string, ...args: unknown[]) {
    this.calls.push({ method, args });
  }
  callsOf(method: string): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  async detect(): Promise<Detection> {
    this.record("detect");
    return JSON.parse(JSON.stringify(this.detection));
  }
  async loadConfig(): Promise<StoredConfig> {
    this.record("loadConfig");
    return JSON.parse(JSON.stringify(this.stored));
  }
  async saveConfig(c: StoredConfig): Promise<void> {
    this.record("saveConfig", c);
    this.stored = JSON.parse(JSON.stringify(c));
    // Like the host: a mapped role resolves through its mapped name from now on.
    for (const [role, name] of Object.entries(c.mapping)) {
      const status = this.detection.roles.find((r) => r.role === role);
      if (status && name && this.detection.otherNames.includes(name)) {
        Object.assign(status, { found: true, name, address: `Data!${name}` });
      }
    }
  }
  async mapRoleToSelection(role: Role): Promise<string> {
    this.record("mapRoleToSelection", role);
    const status = this.detection.roles.find((r) => r.role === role)!;
    Object.assign(status, { found: true, name: role, address: this.selectionAddress });
    return this.selectionAddress;
  }
  async refresh(
    onProgress?: (step: RefreshStep) => void,
    options?: { newDraft?: boolean },
  ): Promise<RefreshOutcome> {
    this.record("refresh", options);
    for (const step of ["read", "validate", "compute", "write"] as RefreshStep[]) {
      onProgress?.(step);
      if (step === "compute" && this.gate) await this.gate;
    }
    onProgress?.("done");
    return this.outcome;
  }
  async selectCell(sheet: string, cell: string): Promise<void> {
    this.record("selectCell", sheet, cell);
  }
  async setLineMethod(lineIndex: number, method: ForecastMethod | null): Promise<void> {
    this.record("setLineMethod", lineIndex, method);
  }
  async insertTemplate(): Promise<void> {
    this.record("insertTemplate");
    for (const r of this.detection.roles)
      Object.assign(r, { found: true, name: r.role, address: `Mall!${r.role}` });
  }
}
