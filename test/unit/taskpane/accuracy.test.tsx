/** @jest-environment jsdom */
/**
 * The per-line view's explanation, backtest and recommended method: shown beside the line's method,
 * written into Metod only on a click (one line or all).
 */
import { act, configure, fireEvent, render, screen, within } from "@testing-library/react";
import type { LineBacktest } from "../../../src/core/types";
import { App } from "../../../src/taskpane/App";
import { TestApi } from "./testApi";

configure({ asyncUtilTimeout: 15_000 });

// jsdom has no ResizeObserver, which Fluent's MessageBar (layout "auto") constructs when it mounts; this
// stand-in never reports a size, so the bar keeps its single-line layout.
beforeAll(() => {
  window.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
});
jest.setTimeout(60_000);

const FOUND = {
  Poster: "Underlag!A5:A8",
  Budget: "Underlag!B5:B8",
  Utfall: "Underlag!C5:C8",
  Period: "Underlag!B2",
  Metod: "Underlag!F5:F8",
};

const backtest = (line: number, label: string, first: number, second: number): LineBacktest => ({
  line,
  label,
  outcome: -60000,
  budget: null,
  // säsong within `first` of last year's outcome, linjär within `second`.
  // In BACKTEST_METHODS order: linjär, dagar, säsong, trend, budget, noll.
  forecasts: [-60000 * (1 + second), NaN, -60000 * (1 + first), NaN, NaN, NaN],
  recommended: "seasonal",
  reason: "recommended",
  current: "linear",
});

async function refreshed(api: TestApi) {
  render(<App api={api} />);
  fireEvent.click(await screen.findByRole("button", { name: "Uppdatera prognos" }));
  await screen.findByText("Prognosen är uppdaterad.");
  return screen.getByRole("list", { name: "Prognos per rad" });
}

test("explanation, backtest and a one-click recommendation beside the line's method", async () => {
  const api = new TestApi(FOUND);
  if (api.outcome.ok) api.outcome.result.backtests = [backtest(1, "Personalkostnader", 0.012, 0.068)];
  const lines = await refreshed(api);
  const personal = within(lines).getByTestId("insight-1");
  expect(personal.textContent).toContain("Så räknades prognosen: -21 000 × 12/4 = -63 000");
  expect(personal.textContent).toContain("Periodbudget: -60 000 × 4/12 = -20 000 (linjärt)");
  expect(personal.textContent).toContain(
    "Provat på fjolåret: säsong hade träffat fjolårets utfall inom 1,2 %, linjär 6,8 %. Rekommenderad metod: säsong.",
  );
  expect(within(lines).getByTestId("insight-2").textContent).not.toContain("Provat");
  expect(api.callsOf("setLineMethod")).toEqual([]);
  await act(async () => {
    fireEvent.click(within(personal).getByRole("button", { name: "Använd säsong (skrivs i Metod)" }));
  });
  await screen.findByText(/Metoden för Personalkostnader sparades/);
  expect(api.callsOf("setLineMethod")).toEqual([[1, "seasonal"]]);
  expect(within(personal).queryByRole("button", { name: /Använd säsong/ })).toBeNull();
});

test("all recommendations at once, each line through setLineMethod", async () => {
  const api = new TestApi(FOUND);
  if (api.outcome.ok)
    api.outcome.result.backtests = [
      backtest(0, "Statsbidrag", 0.01, 0.05),
      backtest(2, "varav konsulter", 0.02, 0.09),
    ];
  await refreshed(api);
  await act(async () => {
    fireEvent.click(
      screen.getByRole("button", { name: "Använd rekommenderad metod på alla 2 rader (skrivs i Metod)" }),
    );
  });
  await screen.findByText("Metoden ändrades på 2 rader i arbetsboken. Uppdatera för att räkna om.");
  expect(api.callsOf("setLineMethod")).toEqual([
    [0, "seasonal"],
    [2, "seasonal"],
  ]);
  expect(screen.queryByRole("button", { name: /Använd rekommenderad metod/ })).toBeNull();
});

test("the trend method's k is a setting saved to the workbook", async () => {
  const api = new TestApi(FOUND);
  render(<App api={api} />);
  const field = await screen.findByRole("textbox", { name: /Trendmetoden: antal månader i snittet/ });
  fireEvent.change(field, { target: { value: "12" } });
  fireEvent.blur(field);
  await screen.findByText("Ange ett helt antal månader, 1–11.");
  expect(api.callsOf("saveConfig")).toEqual([]);
  fireEvent.change(field, { target: { value: "1" } });
  await act(async () => {
    fireEvent.blur(field);
  });
  expect(api.stored.settings.trendMonths).toBe(1);
});
