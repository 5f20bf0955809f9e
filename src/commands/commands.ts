/**
 * The ribbon's function file (FunctionFile commands.html): "Uppdatera prognos" refreshes with the
 * configuration stored in the workbook, without opening the task pane.
 *
 * How it reports (Excel has no Office.NotificationMessages; that API is Outlook-only): the outcome is
 * shown in a small dialog (Office.context.ui.displayDialogAsync, DialogApi 1.1) that loads this same page
 * with ?dialog=1&kind=…&msg=…; a success closes itself after a few seconds, an error stays until the user
 * presses OK (or two minutes pass). An error tells the user to open the pane with the "Öppna panel"
 * button in the same group.
 *
 * Why the command never opens the task pane itself: Office.addin.showAsTaskpane() is one of the features
 * a shared runtime enables ("Configure your Office Add-in to use a shared runtime", learn.microsoft.com/
 * office/dev/add-ins/develop/configure-your-add-in-to-use-a-shared-runtime, section "About the shared
 * runtime"; "Show or hide the task pane of your Office Add-in", .../develop/show-hide-add-in). This
 * manifest declares no <Runtimes>, so the function file runs in its own runtime and the call has no
 * task pane to show: a client that reports SharedRuntime 1.1 may still leave the promise unsettled.
 * Declaring the shared runtime is not worth it here: it needs <Set Name="SharedRuntime"> in the
 * manifest's <Requirements>, which keeps the add-in off every Excel with ExcelApi 1.9 but without
 * SharedRuntime 1.1 (Microsoft 365 on Windows before Version 2002, Excel for Mac before 16.35: "Shared
 * runtime requirement sets", learn.microsoft.com/javascript/api/requirement-sets/common/shared-runtime-
 * requirement-sets), and FunctionFile must then be the pane's own page (taskpane.html with the command
 * code bundled in), so every ribbon click loads the whole pane, and pane and command share one global
 * state. The "Öppna panel" button (ShowTaskpane action) opens the pane on every supported client.
 *
 * event.completed() is called exactly once on every path; every promise on the way (the refresh, the
 * dialog) is raced against a timeout, so a call that never settles cannot keep the button busy.
 * The handler takes its AddinApi and UI as arguments, so tests run it against the in-memory Excel.
 */
import { formatAmount } from "../core/format";
import { MONTHS_SV } from "../core/period";
import type { AddinApi } from "../hosts/office/api";
import { checkExcelRequirements, createOfficeApi } from "../hosts/office";

export const REFRESH_ACTION = "uppdateraPrognos";

export interface CommandEvent {
  completed(options?: { allowEvent?: boolean }): void;
}

export interface CommandMessage {
  kind: "success" | "error";
  text: string;
}

export interface CommandUi {
  /** Shows the message; resolves when it has been shown (and, for errors, dismissed or timed out). */
  show(message: CommandMessage): Promise<void>;
}

export interface CommandTiming {
  /** Longest wait for a refresh before the command gives up and reports it (default 5 minutes). */
  refreshMs: number;
  /** How long a success dialog stays open (default 6 s). */
  successCloseMs: number;
  /** How long an error dialog stays open unless dismissed (default 2 minutes). */
  errorCloseMs: number;
  /** Extra wait for the dialog beyond its own close timer before the event is completed anyway. */
  dialogGraceMs: number;
}

export const DEFAULT_TIMING: CommandTiming = {
  refreshMs: 5 * 60_000,
  successCloseMs: 6000,
  errorCloseMs: 120_000,
  dialogGraceMs: 5000,
};

export const OPEN_PANE_HINT =
  "Öppna panelen med knappen Öppna panel i gruppen Budgetuppföljning för detaljer.";

class Timeout extends Error {}

/** The promise's outcome, or a Timeout rejection after `ms`; the timer never outlives the race. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs one refresh and reports it. Calls event.completed() exactly once, whatever happens. */
export async function refreshCommand(
  api: AddinApi,
  event: CommandEvent,
  ui: CommandUi,
  requirements: () => string | null = () => checkExcelRequirements(),
  timing: CommandTiming = DEFAULT_TIMING,
): Promise<CommandMessage> {
  let message: CommandMessage;
  try {
    message = await withTimeout(runRefresh(api, requirements), timing.refreshMs);
  } catch (e) {
    message = { kind: "error", text: failureText(e, timing) };
  }
  if (message.kind === "error") message = { ...message, text: `${message.text} ${OPEN_PANE_HINT}` };
  try {
    const longest = message.kind === "success" ? timing.successCloseMs : timing.errorCloseMs;
    await withTimeout(
      Promise.resolve().then(() => ui.show(message)),
      longest + timing.dialogGraceMs,
    ).catch(() => undefined);
  } finally {
    try {
      event.completed();
    } catch {
      // Nothing more to do: Excel ends the command either way.
    }
  }
  return message;
}

function failureText(e: unknown, timing: CommandTiming): string {
  if (e instanceof Timeout)
    return `Uppdateringen svarade inte inom ${Math.round(timing.refreshMs / 60_000)} minuter och avbröts. Kontrollera arbetsboken innan du uppdaterar igen: en del kan vara skrivet.`;
  return `Uppdateringen misslyckades: ${e instanceof Error ? e.message : String(e)}. Ingenting skrevs om felet uppstod före skrivningen.`;
}

async function runRefresh(api: AddinApi, requirements: () => string | null): Promise<CommandMessage> {
  const unsupported = requirements();
  if (unsupported) return { kind: "error", text: unsupported };
  const outcome = await api.refresh();
  if (!outcome.ok) {
    if (outcome.stage === "validate") {
      const first = outcome.errors[0];
      const more = outcome.errors.length > 1 ? ` (och ${outcome.errors.length - 1} fel till)` : "";
      return {
        kind: "error",
        text: `Ingenting skrevs. ${first?.message ?? "Arbetsboken kan inte användas."}${more}`,
      };
    }
    return { kind: "error", text: outcome.message };
  }
  const r = outcome.result;
  const unit = r.unit;
  const month = MONTHS_SV[outcome.period.month - 1] ?? String(outcome.period.month);
  const warnings = outcome.findings.filter((f) => f.level !== "info").length;
  const parts = [
    `Prognosen är uppdaterad för ${month} ${outcome.period.year}.`,
    `Prognos budgetavvikelse helår: ${formatAmount(r.result.forecastDeviation, { sign: "deviation", unit })}.`,
  ];
  if (r.result.deviationVsBalanceTarget !== null)
    parts.push(
      `Mot ekonomi i balans: ${formatAmount(r.result.deviationVsBalanceTarget, { sign: "deviation", unit })}.`,
    );
  parts.push(
    warnings === 0
      ? "Inga kontroller att åtgärda."
      : `${warnings} ${warnings === 1 ? "kontroll" : "kontroller"} att se över på bladet Kontroller.`,
  );
  return { kind: "success", text: parts.join(" ") };
}

// ---------------------------------------------------------------------------------------------------
// Office UI

/** The dialog over Office.context.ui.displayDialogAsync; resolves when it is closed or has timed out. */
export function officeUi(timing: CommandTiming = DEFAULT_TIMING): CommandUi {
  return {
    show: (message) =>
      new Promise<void>((resolve) => {
        const base = location.href.split("?")[0];
        const url = `${base}?dialog=1&kind=${message.kind}&msg=${encodeURIComponent(message.text)}`;
        Office.context.ui.displayDialogAsync(url, { height: 30, width: 35, displayInIframe: true }, (res) => {
          if (res.status !== Office.AsyncResultStatus.Succeeded) return resolve();
          const dialog = res.value;
          const done = () => {
            clearTimeout(timer);
            resolve();
          };
          const close = () => {
            try {
              dialog.close();
            } catch {
              // already closed
            }
            done();
          };
          const timer = setTimeout(
            close,
            message.kind === "success" ? timing.successCloseMs : timing.errorCloseMs,
          );
          dialog.addEventHandler(Office.EventType.DialogMessageReceived, close);
          // The user closed the dialog (or it failed to load): nothing left to close.
          dialog.addEventHandler(Office.EventType.DialogEventReceived, done);
        });
      }),
  };
}

/** This page shown as the dialog: render the message and let OK close it. */
function renderDialog(params: URLSearchParams): void {
  const kind = params.get("kind") === "error" ? "error" : "success";
  const box = document.getElementById("message");
  const title = document.getElementById("title");
  const ok = document.getElementById("ok");
  if (title) title.textContent = kind === "error" ? "Uppdateringen stoppades" : "Klart";
  if (box) box.textContent = params.get("msg") ?? "";
  document.body.className = kind;
  ok?.addEventListener("click", () => Office.context.ui.messageParent("close"));
}

function start(): void {
  if (typeof Office === "undefined") return;
  const params = new URLSearchParams(typeof location === "undefined" ? "" : location.search);
  Office.onReady(() => {
    if (params.get("dialog") === "1") {
      renderDialog(params);
      return;
    }
    const handler = (event: CommandEvent) => {
      try {
        return refreshCommand(createOfficeApi(), event, officeUi());
      } catch {
        // Building the host failed before the command could start: still end the command.
        event.completed();
        return undefined;
      }
    };
    Office.actions.associate(REFRESH_ACTION, handler);
    // Older clients look the function up on the global object.
    (globalThis as Record<string, unknown>)[REFRESH_ACTION] = handler;
  });
}

start();
