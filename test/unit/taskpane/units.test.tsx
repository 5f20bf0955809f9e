/** @jest-environment jsdom */
/**
 * The pane's unit selector: with units (Ansvar) the ekonom picks the whole or one unit, and the summary
 * and the lines show the chosen one. The result is computed by the real core from a two-unit ledger.
 */
import { act, configure, fireEvent, render, screen } from "@testing-library/react";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { compute } from "../../../src/core";
import { Results } from "../../../src/taskpane/Results";
import { getStrings } from "../../../src/taskpane/strings";
import type { RefreshOutcome } from "../../../src/workbook/pipeline";
import { computeTertial } from "../../../src/workbook/tertial";
import { TestApi } from "./testApi";

configure({ asyncUtilTimeout: 15_000 });

// jsdom has no ResizeObserver; Fluent's MessageBar only uses it to reflow its layout on resize.
if (!("ResizeObserver" in window)) {
  Object.assign(window, {
    ResizeObserver: class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  });
}
jest.setTimeout(60_000);

function outcome(): RefreshOutcome {
  // Vårnäs: Kostnader −6 000 / −2 200 (avvikelse −200); Mercur: Kostnader −3 000 / −900 (avvikelse +100).
  const result = compute({
    period: { year: 2019, month: 4 },
    lines: [
      { label: "Kostnader Vårnäs", kind: "cost", annualBudget: -6000, actual: -2200, orgUnit: "Vårnäs" },
      { label: "Kostnader Mercur", kind: "cost", annualBudget: -3000, actual: -900, orgUnit: "Mercur" },
    ],
  });
  return {
    ok: true,
    period: result.period,
    result,
    tertial: {
      ...computeTertial(result, { locate: () => ({}) }, null, { ranges: [], sheets: [] }),
      texts: { summary: [], operatingComment: [], volumes: [], investments: [], personnel: [] },
      drafted: { summary: false, operatingComment: false },
    },
    findings: [],
    plan: { version: 1, sheets: [], names: [] },
    written: null,
  };
}

test("picking a unit shows its summary and only its lines; the whole shows the consolidated figures", async () => {
  const api = new TestApi({});
  render(
    <FluentProvider theme={webLightTheme}>
      <Results api={api} t={getStrings("sv")} outcome={outcome()} onRefresh={() => undefined} />
    </FluentProvider>,
  );
  const deviation = () => screen.getByTestId("net-deviation").textContent;
  const lines = () =>
    Array.from(document.querySelectorAll("[data-line]"), (el) => el.getAttribute("data-line"));
  expect(deviation()).toBe("-100\u00a0tkr");
  expect(lines()).toEqual(["0", "1"]);

  fireEvent.click(screen.getByRole("combobox", { name: "Visa enhet" }));
  await act(async () => {
    fireEvent.click(await screen.findByRole("option", { name: "Mercur" }));
  });
  expect(deviation()).toBe("+100\u00a0tkr");
  expect(lines()).toEqual(["1"]);

  fireEvent.click(screen.getByRole("combobox", { name: "Visa enhet" }));
  await act(async () => {
    fireEvent.click(await screen.findByRole("option", { name: "Hela förvaltningen (sammanställt)" }));
  });
  expect(deviation()).toBe("-100\u00a0tkr");
});

test("without units there is no selector", () => {
  const o = outcome();
  if (!o.ok) throw new Error("unexpected");
  const flat = { ...o, result: { ...o.result, units: undefined } };
  render(
    <FluentProvider theme={webLightTheme}>
      <Results api={new TestApi({})} t={getStrings("sv")} outcome={flat} onRefresh={() => undefined} />
    </FluentProvider>,
  );
  expect(screen.queryByRole("combobox", { name: "Visa enhet" })).toBeNull();
});
