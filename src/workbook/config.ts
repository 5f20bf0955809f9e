/**
 * The stored configuration (role mapping + settings) and its serialised form: a custom XML part
 * `<uppfoljaren xmlns="urn:uppfoljaren:config:1">{JSON}</uppfoljaren>`, the same in both hosts.
 * Parsing is tolerant: a missing or broken part gives the defaults, unknown fields are ignored and
 * every value is validated field by field.
 */
import { FORECAST_METHODS } from "../core/methods";
import type { ForecastMethod, Periodisation, SignConvention } from "../core/types";
import type { Role, RoleMapping, Settings, StoredConfig } from "./types";

export const CONFIG_NAMESPACE = "urn:uppfoljaren:config:1";
export const CONFIG_ROOT = "uppfoljaren";

/** Every contract role, in the order of docs/TEMPLATE.md. */
export const ROLES: readonly Role[] = [
  "Poster",
  "Budget",
  "Utfall",
  "Period",
  "Ar",
  "Verksamhet",
  "Radtyp",
  "Metod",
  "ManuellPrognos",
  "Kommentar",
  "Ansvar",
  "UtfallFgAr",
  "UtfallFgAr2",
  "BudgetFgAr",
  "Balansmal",
  "Enhet",
  "Avrundning",
  "Atgarder",
  "Namndmoten",
  "Volymer",
  "Investeringar",
  "Personal",
  "Avvikelse",
  "Prognos",
  "Prognosavvikelse",
];

const PERIODISATIONS: readonly Periodisation[] = ["linear", "days"];
const SIGNS: readonly SignConvention[] = ["net", "costPositive"];
const REPORT_KEYS = [
  "summary",
  "operatingStatement",
  "investments",
  "personnel",
  "actionPlan",
  "volumes",
  "findings",
  "log",
  "accuracy",
] as const;

export const DEFAULT_CONFIG: StoredConfig = {
  version: 1,
  mapping: {},
  settings: {
    defaultMethod: "linear",
    periodisation: "linear",
    signConvention: "net",
    roundingStep: null,
    verksamhet: null,
    measuresOnManualForecast: false,
    outputColumn: null,
    trendMonths: 3,
    reports: {
      summary: true,
      operatingStatement: true,
      investments: true,
      personnel: true,
      actionPlan: true,
      volumes: true,
      findings: true,
      log: true,
      accuracy: true,
    },
  },
};

/** A deep copy of the defaults (callers may mutate it). */
export function defaultConfig(): StoredConfig {
  return JSON.parse(JSON.stringify(DEFAULT_CONFIG)) as StoredConfig;
}

/** Who reports: the pane's Verksamhet setting, else the workbook's cell named Verksamhet, else none. */
export function verksamhetOf(config: StoredConfig, layout: { verksamhet?: string | null }): string | null {
  return config.settings.verksamhet ?? layout.verksamhet ?? null;
}

export function serializeConfig(config: StoredConfig): string {
  const clean = normaliseConfig(config);
  return `<${CONFIG_ROOT} xmlns="${CONFIG_NAMESPACE}">${escapeXml(JSON.stringify(clean))}</${CONFIG_ROOT}>`;
}

export function parseConfig(xml: string | null | undefined): StoredConfig {
  if (!xml) return defaultConfig();
  const m = /<(?:[\w.-]+:)?uppfoljaren\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?uppfoljaren\s*>/.exec(xml);
  if (!m) return defaultConfig();
  let body = m[1].trim();
  const cdata = /^<!\[CDATA\[([\s\S]*)\]\]>$/.exec(body);
  body = cdata ? cdata[1] : unescapeXml(body);
  try {
    return normaliseConfig(JSON.parse(body));
  } catch {
    return defaultConfig();
  }
}

/** Validates any value into a StoredConfig: bad fields fall back to their defaults. */
export function normaliseConfig(raw: unknown): StoredConfig {
  const out = defaultConfig();
  if (!isObject(raw)) return out;
  if (isObject(raw.mapping)) {
    const mapping: RoleMapping = {};
    for (const role of ROLES) {
      const v = raw.mapping[role];
      if (typeof v === "string" && v.trim() !== "") mapping[role] = v.trim();
    }
    out.mapping = mapping;
  }
  const s = raw.settings;
  if (isObject(s)) {
    const settings: Settings = out.settings;
    if (FORECAST_METHODS.includes(s.defaultMethod as ForecastMethod))
      settings.defaultMethod = s.defaultMethod as ForecastMethod;
    if (PERIODISATIONS.includes(s.periodisation as Periodisation))
      settings.periodisation = s.periodisation as Periodisation;
    if (SIGNS.includes(s.signConvention as SignConvention))
      settings.signConvention = s.signConvention as SignConvention;
    if (typeof s.roundingStep === "number" && Number.isFinite(s.roundingStep) && s.roundingStep >= 0)
      settings.roundingStep = s.roundingStep === 0 ? null : s.roundingStep;
    if (typeof s.verksamhet === "string" && s.verksamhet.trim() !== "")
      settings.verksamhet = s.verksamhet.trim().slice(0, 200);
    if (typeof s.measuresOnManualForecast === "boolean")
      settings.measuresOnManualForecast = s.measuresOnManualForecast;
    if (typeof s.outputColumn === "string" && /^[A-Za-z]{1,3}$/.test(s.outputColumn.trim()))
      settings.outputColumn = s.outputColumn.trim().toUpperCase();
    if (
      typeof s.trendMonths === "number" &&
      Number.isInteger(s.trendMonths) &&
      s.trendMonths >= 1 &&
      s.trendMonths <= 11
    )
      settings.trendMonths = s.trendMonths;
    if (s.unitReports === "sections" || s.unitReports === "sheets") settings.unitReports = s.unitReports;
    if (isObject(s.reports)) {
      for (const key of REPORT_KEYS) {
        const v = s.reports[key];
        if (typeof v === "boolean") settings.reports[key] = v;
      }
    }
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return String.fromCodePoint(code);
    }
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[e] as string;
  });
}
