import { CONFIG_NAMESPACE, DEFAULT_CONFIG, parseConfig, serializeConfig } from "../../../src/workbook/config";
import type { StoredConfig } from "../../../src/workbook/types";

describe("stored configuration", () => {
  it("has the documented defaults", () => {
    expect(DEFAULT_CONFIG).toEqual({
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
    });
  });

  it("round-trips through the custom XML part", () => {
    const config: StoredConfig = {
      version: 1,
      mapping: { Budget: "Budget2025", Poster: "Rader<&>\"'" },
      settings: {
        defaultMethod: "days",
        periodisation: "days",
        signConvention: "costPositive",
        roundingStep: 100,
        verksamhet: "Social välfärd & IFO",
        measuresOnManualForecast: true,
        outputColumn: "AD",
        trendMonths: 2,
        reports: {
          summary: false,
          operatingStatement: true,
          investments: true,
          personnel: false,
          actionPlan: false,
          volumes: true,
          findings: false,
          log: true,
          accuracy: false,
        },
      },
    };
    const xml = serializeConfig(config);
    expect(xml.startsWith(`<uppfoljaren xmlns="${CONFIG_NAMESPACE}">`)).toBe(true);
    expect(xml).not.toMatch(/<&>/);
    expect(parseConfig(xml)).toEqual(config);
  });

  it("gives the defaults for a missing or broken part", () => {
    expect(parseConfig(null)).toEqual(DEFAULT_CONFIG);
    expect(parseConfig("")).toEqual(DEFAULT_CONFIG);
    expect(parseConfig("<other/>")).toEqual(DEFAULT_CONFIG);
    expect(parseConfig(`<uppfoljaren xmlns="${CONFIG_NAMESPACE}">{not json</uppfoljaren>`)).toEqual(
      DEFAULT_CONFIG,
    );
  });

  it("ignores unknown fields and replaces invalid values with defaults", () => {
    const body = JSON.stringify({
      version: 7,
      extra: 1,
      mapping: { Budget: "B2025", Nonsense: "x", Utfall: 5, Poster: "  " },
      settings: {
        defaultMethod: "magic",
        periodisation: "days",
        signConvention: 3,
        roundingStep: -100,
        verksamhet: "   ",
        measuresOnManualForecast: "ja",
        outputColumn: "A1",
        trendMonths: 12,
        reports: { log: false, volumes: "no" },
      },
    });
    const parsed = parseConfig(
      `<?xml version="1.0"?><uppfoljaren xmlns="${CONFIG_NAMESPACE}">${body}</uppfoljaren>`,
    );
    expect(parsed.version).toBe(1);
    expect(parsed.mapping).toEqual({ Budget: "B2025" });
    expect(parsed.settings.defaultMethod).toBe("linear");
    expect(parsed.settings.periodisation).toBe("days");
    expect(parsed.settings.signConvention).toBe("net");
    expect(parsed.settings.roundingStep).toBeNull();
    expect(parsed.settings.verksamhet).toBeNull();
    expect(parsed.settings.measuresOnManualForecast).toBe(false);
    expect(parsed.settings.outputColumn).toBeNull();
    expect(parsed.settings.trendMonths).toBe(3);
    expect(parsed.settings.reports).toEqual({
      summary: true,
      investments: true,
      personnel: true,
      operatingStatement: true,
      actionPlan: true,
      volumes: true,
      findings: true,
      log: false,
      accuracy: true,
    });
  });

  it("accepts a CDATA body and a namespace prefix", () => {
    const xml = `<u:uppfoljaren xmlns:u="${CONFIG_NAMESPACE}"><![CDATA[{"mapping":{"Period":"Slut"}}]]></u:uppfoljaren>`;
    expect(parseConfig(xml).mapping).toEqual({ Period: "Slut" });
  });
});
