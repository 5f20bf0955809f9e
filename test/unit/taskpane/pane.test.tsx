/** @jest-environment jsdom */
import { act, configure, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { App } from "../../../src/taskpane/App";
import { formatAmount, getStrings, langFromDisplayLanguage } from "../../../src/taskpane/strings";
import { TextEncoder } from "util";
import { TestApi } from "./testApi";

// Fluent renders a lot in jsdom: generous waits keep the tests stable when the whole suite runs in parallel.
configure({ asyncUtilTimeout: 15_000 });
jest.setTimeout(60_000);

const ALL_FOUND = {
  Poster: "Underlag!A5:A8",
  Budget: "Underlag!B5:B8",
  Utfall: "Underlag!C5:C8",
  Period: "Underlag!B2",
  Metod: "Underlag!F5:F8",
};

async function chooseOption(combobox: HTMLElement, optionName: string | RegExp) {
  fireEvent.click(combobox);
  const option = await screen.findByRole("option", { name: optionName });
  await act(async () => {
    fireEvent.click(option);
  });
}

describe("task pane", () => {
  test("first run: shows found and missing roles and maps a missing role to another name", async () => {
    const api = new TestApi({ Poster: "Underlag!A5:A8", Utfall: "Underlag!C5:C8", Period: "Underlag!B2" }, [
      "Budget2025",
      "Skatt",
    ]);
    render(<App api={api} />);
    expect(await screen.findByRole("heading", { name: "Koppla arbetsboken" })).toBeTruthy();
    expect(screen.getByText(/namngivna områden/)).toBeTruthy();
    const budgetRow = document.querySelector('[data-role="Budget"]') as HTMLElement;
    expect(within(budgetRow).getByText("Saknas")).toBeTruthy();
    const posterRow = document.querySelector('[data-role="Poster"]') as HTMLElement;
    expect(within(posterRow).getByText("Hittat")).toBeTruthy();
    expect(within(posterRow).getByText("Poster → Underlag!A5:A8")).toBeTruthy();
    expect(screen.getByText("Saknas fortfarande: Budget.")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Fortsätt" }) as HTMLButtonElement).disabled).toBe(true);

    await chooseOption(within(budgetRow).getByRole("combobox"), "Budget2025");
    fireEvent.click(screen.getByRole("button", { name: "Spara kopplingen" }));
    await screen.findByText("Kopplingen sparades i arbetsboken.");
    expect(api.callsOf("saveConfig")).toHaveLength(1);
    expect((api.callsOf("saveConfig")[0][0] as { mapping: object }).mapping).toEqual({
      Budget: "Budget2025",
    });
    expect(within(budgetRow).getByText("Hittat")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Fortsätt" }));
    expect(await screen.findByRole("button", { name: "Uppdatera prognos" })).toBeTruthy();
  });

  test("mapping view: says where the output columns will be created, and the place can be chosen", async () => {
    // UtfallFgAr right of Utfall (D:O): the columns go right of it, to P:R.
    const { Metod: _m, ...found } = ALL_FOUND;
    const api = new TestApi({ ...found, Balansmal: "Underlag!D5:O8" });
    render(<App api={api} />);
    fireEvent.click(await screen.findByRole("button", { name: "Ändra kopplingen" }));
    const place = await screen.findByTestId("output-placement");
    expect(
      within(place).getByText(
        "Avvikelse, Prognos och Prognosavvikelse skapas i Underlag!P5:R8 (till höger om Balansmal, eftersom kolumnerna till höger om Utfall hör till Balansmal).",
      ),
    ).toBeTruthy();
    const input = within(place).getByRole("textbox", { name: /Utdatakolumnernas plats/ });
    fireEvent.change(input, { target: { value: "ad" } });
    fireEvent.blur(input);
    await waitFor(() => expect(api.callsOf("saveConfig")).toHaveLength(1));
    const saved = api.callsOf("saveConfig")[0][0] as { settings: { outputColumn: string } };
    expect(saved.settings.outputColumn).toBe("AD");
    expect(await within(place).findByText(/skapas i Underlag!AD5:AF8 \(vald plats\)/)).toBeTruthy();
  });

  test("settings: the verksamhet and the measures-on-manual rule are saved in the workbook", async () => {
    const api = new TestApi(ALL_FOUND);
    render(<App api={api} />);
    const input = await screen.findByRole("textbox", { name: /Verksamhet/ });
    fireEvent.change(input, { target: { value: " Social välfärd " } });
    fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => expect(api.callsOf("saveConfig")).toHaveLength(1));
    expect(
      (api.callsOf("saveConfig")[0][0] as { settings: { verksamhet: string } }).settings.verksamhet,
    ).toBe("Social välfärd");
    fireEvent.click(screen.getByRole("checkbox", { name: /ovanpå en manuell prognos/ }));
    await waitFor(() => expect(api.callsOf("saveConfig")).toHaveLength(2));
    const second = api.callsOf("saveConfig")[1][0] as { settings: { measuresOnManualForecast: boolean } };
    expect(second.settings.measuresOnManualForecast).toBe(true);
  });

  test("first run: maps a role to the current selection", async () => {
    const api = new TestApi({ Poster: "Underlag!A5:A8", Budget: "Underlag!B5:B8", Period: "Underlag!B2" });
    render(<App api={api} />);
    fireEvent.click(await screen.findByRole("button", { name: "Använd markeringen för Utfall" }));
    await screen.findByText("Utfall kopplades till Blad1!B2:B9.");
    expect(api.callsOf("mapRoleToSelection")).toEqual([["Utfall"]]);
    expect(screen.queryByText(/Saknas fortfarande/)).toBeNull();
  });

  test("an empty workbook is offered the template", async () => {
    const api = new TestApi({});
    render(<App api={api} />);
    fireEvent.click(await screen.findByRole("button", { name: "Infoga tom mall" }));
    await screen.findByText("Bladet Mall lades till.");
    expect(api.callsOf("insertTemplate")).toHaveLength(1);
    expect((screen.getByRole("button", { name: "Fortsätt" }) as HTMLButtonElement).disabled).toBe(false);
  });

  test("refresh shows the step while running, then the result in Swedish format", async () => {
    const api = new TestApi(ALL_FOUND);
    let release!: () => void;
    api.gate = new Promise<void>((r) => (release = r));
    render(<App api={api} />);
    expect(await screen.findByText("januari–april 2019")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Uppdatera prognos" }));
    expect(await screen.findByRole("progressbar")).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe("Räknar prognos");
    expect((screen.getByRole("button", { name: "Uppdaterar …" }) as HTMLButtonElement).disabled).toBe(true);
    await act(async () => release());
    await screen.findByText("Prognosen är uppdaterad.");
    expect(screen.queryByRole("progressbar")).toBeNull();
    expect(screen.getByTestId("net-deviation").textContent).toBe("+2\u00a0332\u00a0tkr");
    expect(screen.getByTestId("net-forecast-deviation").textContent).toBe("-30\u00a0000\u00a0tkr");
    expect(screen.getByTestId("balance-gap").textContent).toBe("-5\u00a0000\u00a0tkr");
    expect(screen.getByText("mål -25 000 tkr")).toBeTruthy();
    expect(api.callsOf("refresh")).toHaveLength(1);
  });

  test("findings are grouped by level and clicking one selects its cell", async () => {
    const api = new TestApi(ALL_FOUND);
    render(<App api={api} />);
    fireEvent.click(await screen.findByRole("button", { name: "Uppdatera prognos" }));
    await screen.findByText("Prognosen är uppdaterad.");
    expect(screen.getByRole("heading", { name: "1 fel" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "1 varning" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "1 upplysning" })).toBeTruthy();
    const errors = screen.getByRole("list", { name: "1 fel" });
    fireEvent.click(within(errors).getByRole("button", { name: /fel tecken/ }));
    await waitFor(() => expect(api.callsOf("selectCell")).toEqual([["Underlag", "C6"]]));
    // A finding without a cell is plain text, not a button.
    const info = screen.getByRole("list", { name: "1 upplysning" });
    expect(within(info).queryByRole("button")).toBeNull();
  });

  test("blocking validation errors are listed with a link to each cell, and no result is shown", async () => {
    const api = new TestApi(ALL_FOUND);
    api.outcome = {
      ok: false,
      stage: "validate",
      errors: [
        {
          code: "TEXT_IN_NUMBER",
          message: 'Underlag!C7 innehåller text ("14 891 kr") där ett tal behövs.',
          messageEn: "Underlag!C7 holds text where a number is needed.",
          sheet: "Underlag",
          cell: "C7",
        },
        { code: "NAME_MISSING", message: "Namnet Poster saknas.", messageEn: "Name Poster is missing." },
      ],
    };
    render(<App api={api} />);
    fireEvent.click(await screen.findByRole("button", { name: "Uppdatera prognos" }));
    expect(await screen.findByText("Uppdateringen stoppades – inget skrevs till arbetsboken")).toBeTruthy();
    expect(screen.getByText(/innehåller text/)).toBeTruthy();
    expect(screen.getByText(/Namnet Poster saknas/)).toBeTruthy();
    expect(screen.queryByTestId("net-deviation")).toBeNull();
    expect(screen.getAllByRole("button", { name: /^Markera/ })).toHaveLength(1);
    fireEvent.click(screen.getByRole("button", { name: "Markera Underlag!C7" }));
    await waitFor(() => expect(api.callsOf("selectCell")).toEqual([["Underlag", "C7"]]));
  });

  test("a write that failed part-way says what was and was not written", async () => {
    const api = new TestApi(ALL_FOUND);
    api.outcome = {
      ok: false,
      stage: "write",
      message: "Arbetsboken stängdes under skrivningen.",
      report: { written: ["utdatakolumnerna på Underlag"], notWritten: ["bladet Driftsredovisning"] },
    };
    render(<App api={api} />);
    fireEvent.click(await screen.findByRole("button", { name: "Uppdatera prognos" }));
    expect(await screen.findByText("Skrivningen avbröts")).toBeTruthy();
    expect(screen.getByText("Skrivet: utdatakolumnerna på Underlag")).toBeTruthy();
    expect(screen.getByText("Inte skrivet: bladet Driftsredovisning")).toBeTruthy();
  });

  test("per-line method change writes through setLineMethod and offers to refresh", async () => {
    const api = new TestApi(ALL_FOUND);
    render(<App api={api} />);
    fireEvent.click(await screen.findByRole("button", { name: "Uppdatera prognos" }));
    await screen.findByText("Prognosen är uppdaterad.");
    const lines = screen.getByRole("list", { name: "Prognos per rad" });
    expect(within(lines).getByText("Personalkostnader")).toBeTruthy();
    // Total lines have no method of their own.
    expect(within(lines).queryByRole("combobox", { name: "Prognosmetod för Summa" })).toBeNull();
    await chooseOption(
      within(lines).getByRole("combobox", { name: "Prognosmetod för Personalkostnader" }),
      "Säsong (som förra året)",
    );
    await screen.findByText(/Metoden för Personalkostnader sparades/);
    expect(api.callsOf("setLineMethod")).toEqual([[1, "seasonal"]]);
    fireEvent.click(screen.getByRole("button", { name: "Uppdatera nu" }));
    await waitFor(() => expect(api.callsOf("refresh")).toHaveLength(2));
  });

  test("action plan: per area the forecast, what is decided and what is not yet given", async () => {
    const api = new TestApi(ALL_FOUND);
    render(<App api={api} />);
    fireEvent.click(await screen.findByRole("button", { name: "Uppdatera prognos" }));
    await screen.findByText("Prognosen är uppdaterad.");
    const area2 = document.querySelector('[data-area="2"]') as HTMLElement;
    expect(within(area2).getByText("2. Bemanning")).toBeTruthy();
    expect(within(area2).getByText("Ej angivet: Färre konsulter; Summa ges efter analysen")).toBeTruthy();
    const area1 = document.querySelector('[data-area="1"]') as HTMLElement;
    expect(within(area1).getByText("1 500 tkr")).toBeTruthy();
  });

  test("each line shows its change since the previous forecast when the log has one", async () => {
    const api = new TestApi(ALL_FOUND);
    const ok = api.outcome as Extract<typeof api.outcome, { ok: true }>;
    ok.tertial = {
      ...ok.tertial,
      change: {
        previousPeriod: "2019-03",
        lines: ok.result.lines.map((_, i) => (i === 0 ? 1200 : null)),
        net: 1200,
      },
    };
    render(<App api={api} />);
    fireEvent.click(await screen.findByRole("button", { name: "Uppdatera prognos" }));
    await screen.findByText("Prognosen är uppdaterad.");
    const changes = screen.getAllByTestId("line-change");
    expect(changes).toHaveLength(1);
    expect(changes[0].textContent).toBe("Förändring mot föregående prognos +1\u00a0200\u00a0tkr");
    expect(changes[0].closest("[data-line]")?.getAttribute("data-line")).toBe("0");
  });

  test("Rapport (Word) builds the document in the pane and hands it over as a download", async () => {
    const api = new TestApi(ALL_FOUND);
    // jsdom lacks TextEncoder, which every browser the pane runs in has (the docx library needs it).
    const g = globalThis as { TextEncoder?: unknown };
    g.TextEncoder ??= TextEncoder;
    const created: Blob[] = [];
    const clicked: string[] = [];
    const original = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
    URL.createObjectURL = (b: Blob) => (created.push(b), "blob:rapport");
    URL.revokeObjectURL = () => undefined;
    const click = jest.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this.download);
    });
    try {
      render(<App api={api} />);
      fireEvent.click(await screen.findByRole("button", { name: "Uppdatera prognos" }));
      await screen.findByText("Prognosen är uppdaterad.");
      fireEvent.click(screen.getByRole("button", { name: "Rapport (Word)" }));
      await screen.findByText(/Rapporten Tertialrapport 1 2019\.docx är skapad/);
      expect(clicked).toEqual(["Tertialrapport 1 2019.docx"]);
      expect(created).toHaveLength(1);
      // A .docx is a zip package: the blob starts with the local file header "PK".
      const head = await new Promise<Uint8Array>((resolve) => {
        const reader = new FileReader();
        reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
        reader.readAsArrayBuffer(created[0].slice(0, 2));
      });
      expect([...head]).toEqual([0x50, 0x4b]);
    } finally {
      click.mockRestore();
      URL.createObjectURL = original.create;
      URL.revokeObjectURL = original.revoke;
    }
  });

  test("Nytt utkast refreshes once asking for a new draft, and saves no setting", async () => {
    const api = new TestApi(ALL_FOUND);
    render(<App api={api} />);
    fireEvent.click(await screen.findByRole("button", { name: "Uppdatera prognos" }));
    await screen.findByText("Prognosen är uppdaterad.");
    fireEvent.click(screen.getByRole("button", { name: "Nytt utkast" }));
    await waitFor(() => expect(api.callsOf("refresh")).toHaveLength(2));
    expect(api.callsOf("refresh").map((args) => args[0])).toEqual([undefined, { newDraft: true }]);
    expect(api.callsOf("saveConfig")).toHaveLength(0);
  });

  test("default method and rounding step are saved to the workbook's settings", async () => {
    const api = new TestApi(ALL_FOUND);
    render(<App api={api} />);
    await chooseOption(await screen.findByRole("combobox", { name: "Prognosmetod (standard)" }), /^Dagar/);
    await waitFor(() => expect(api.callsOf("saveConfig")).toHaveLength(1));
    expect(api.stored.settings.defaultMethod).toBe("days");
    const rounding = screen.getByRole("textbox", { name: /Avrundning/ });
    fireEvent.change(rounding, { target: { value: "abc" } });
    fireEvent.blur(rounding);
    expect(await screen.findByText("Ange ett tal större än eller lika med 0.")).toBeTruthy();
    fireEvent.change(rounding, { target: { value: "100" } });
    fireEvent.blur(rounding);
    await waitFor(() => expect(api.stored.settings.roundingStep).toBe(100));
    expect(api.stored.settings.defaultMethod).toBe("days");
  });

  test("English strings when Office's display language is en-US", async () => {
    expect(langFromDisplayLanguage("en-US")).toBe("en");
    expect(langFromDisplayLanguage("sv-SE")).toBe("sv");
    expect(langFromDisplayLanguage(undefined)).toBe("sv");
    const api = new TestApi(ALL_FOUND);
    render(<App api={api} lang={langFromDisplayLanguage("en-US")} />);
    fireEvent.click(await screen.findByRole("button", { name: "Refresh forecast" }));
    await screen.findByText("The forecast is up to date.");
    expect(screen.getByRole("heading", { name: "1 error" })).toBeTruthy();
    expect(screen.getByTestId("net-deviation").textContent).toBe("+2,332\u00a0kSEK");
    expect(screen.queryByText("Uppdatera prognos")).toBeNull();
  });

  test("the preview labels itself, the Office host does not", async () => {
    const api = new TestApi(ALL_FOUND);
    api.isPreview = true;
    const { unmount } = render(<App api={api} />);
    expect(await screen.findByText("Förhandsvisning – ingen Excel")).toBeTruthy();
    unmount();
    render(<App api={new TestApi(ALL_FOUND)} />);
    await screen.findByRole("button", { name: "Uppdatera prognos" });
    expect(screen.queryByText("Förhandsvisning – ingen Excel")).toBeNull();
  });

  test("an unexpected failure is shown, not swallowed", async () => {
    const api = new TestApi(ALL_FOUND);
    api.refresh = async () => {
      throw new Error("RichApi.Error: The request payload size has exceeded the limit");
    };
    render(<App api={api} />);
    fireEvent.click(await screen.findByRole("button", { name: "Uppdatera prognos" }));
    expect(await screen.findByText(/Något gick fel: RichApi.Error/)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Uppdatera prognos" }) as HTMLButtonElement).disabled).toBe(
      false,
    );
  });
});

describe("formatAmount", () => {
  const sv = getStrings("sv");
  test.each([
    [2332, "tkr", "+2\u00a0332\u00a0tkr"],
    [-30000, "tkr", "-30\u00a0000\u00a0tkr"],
    [0, "tkr", "0\u00a0tkr"],
    [-0.4, "tkr", "0\u00a0tkr"],
    [29.94, "mkr", "+29,9\u00a0mkr"],
    [1234567, "kr", "+1\u00a0234\u00a0567\u00a0kr"],
  ] as const)("%s %s → %s", (value, unit, text) => {
    expect(formatAmount(value, unit, sv)).toBe(text);
  });
});
