/**
 * The ribbon's function file (FunctionFile commands.html): "Uppdatera prognos" refreshes with the
 * configuration stored in the workbook, without opening the task pane.
 *
 * How it reports (Excel has no Office.NotificationMessages; that API is Outlook-only):
 * - the outcome is shown in a small dialog (Office.context.ui.displayDialogAsync, DialogApi 1.1) that
 *   loads this same page with ?dialog=1&kind=…&msg=…; a success closes itself after a few seconds, an
 *   error stays until the user presses OK;
 * - on an error the task pane is opened too where Excel allows it from a function file
 *   (Office.addin.showAsTaskpane, SharedRuntime 1.1); elsewhere the dialog says to open the pane with
 *   the "Öppna panel" button in the same group.
 * The handler takes its AddinApi and UI as arguments, so tests run it against the strict fake.
 */
import { formatAmount } from "../core/format";
import type { AddinApi } from "../hosts/office/api";
import { checkExcelRequirements, createOfficeApi } from "../hosts/office";
import { MONTHS_SV } from "../workbook/input";

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
  /** Opens the task pane; false when this Excel cannot do it from the ribbon function. */
  openTaskpane(): Promise<boolean>;
}

/** Runs one refresh and reports it. Always calls event.completed(). */
export async function refreshCommand(
  api: AddinApi,
  event: CommandEvent,
  ui: CommandUi,
  requirements: () => string | null = () => checkExcelRequirements(),
): Promise<CommandMessage> {
  let message: CommandMessage;
  try {
    message = await runRefresh(api, requirements);
  } catch (e) {
    message = {
      kind: "error",
      text: `Uppdateringen misslyckades: ${e instanceof Error ? e.message : String(e)}. Ingenting skrevs om felet uppstod före skrivningen.`,
    };
  }
  try {
    if (message.kind === "error") {
      const opened = await ui.openTaskpane().catch(() => false);
      if (!opened)
        message = {
          ...message,
          text: `${message.text} Öppna panelen med knappen Öppna panel i gruppen Budgetuppföljning för detaljer.`,
        };
    }
    await ui.show(message).catch(() => undefined);
  } finally {
    event.completed();
  }
  return message;
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
// Office UI (not used in tests)

const SUCCESS_CLOSE_MS = 6000;
const ERROR_CLOSE_MS = 120000;

function officeUi(): CommandUi {
  return {
    show: (message) =>
      new Promise<void>((resolve) => {
        const base = location.href.split("?")[0];
        const url = `${base}?dialog=1&kind=${message.kind}&msg=${encodeURIComponent(message.text)}`;
        Office.context.ui.displayDialogAsync(url, { height: 30, width: 35, displayInIframe: true }, (res) => {
          if (res.status !== Office.AsyncResultStatus.Succeeded) return resolve();
          const dialog = res.value;
          const close = () => {
            try {
              dialog.close();
            } catch {
              // already closed
            }
            resolve();
          };
          dialog.addEventHandler(Office.EventType.DialogMessageReceived, close);
          dialog.addEventHandler(Office.EventType.DialogEventReceived, () => resolve());
          setTimeout(close, message.kind === "success" ? SUCCESS_CLOSE_MS : ERROR_CLOSE_MS);
        });
      }),
    openTaskpane: async () => {
      const addin = (Office as unknown as { addin?: { showAsTaskpane?: () => Promise<void> } }).addin;
      if (!addin?.showAsTaskpane || !Office.context.requirements.isSetSupported("SharedRuntime", "1.1"))
        return false;
      await addin.showAsTaskpane();
      return true;
    },
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
    const handler = (event: CommandEvent) => refreshCommand(createOfficeApi(), event, officeUi());
    Office.actions.associate(REFRESH_ACTION, handler);
    // Older clients look the function up on the global object.
    (globalThis as Record<string, unknown>)[REFRESH_ACTION] = handler;
  });
}

start();
