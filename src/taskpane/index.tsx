/**
 * Task pane bootstrap: the only place in the pane that touches Office globals. Waits for Office, checks
 * the requirement set, reads the display language and theme, creates the Office.js host and renders.
 */
import { createRoot } from "react-dom/client";
import { FluentProvider, MessageBar, MessageBarBody, webLightTheme } from "@fluentui/react-components";
import { createOfficeApi } from "../hosts/office";
import { runSelfTest } from "../hosts/office/selftest";
import { App } from "./App";
import { getStrings, langFromDisplayLanguage } from "./strings";

/** Set by the preview's office.js stub (scripts/preview): the pane then labels itself as a preview. */
interface PreviewWindow {
  uppfoljarenPreview?: boolean;
}

function isDarkTheme(): boolean {
  try {
    const bg = Office.context.officeTheme?.bodyBackgroundColor;
    const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(bg ?? "");
    if (!m) return false;
    const [r, g, b] = m.slice(1).map((h) => parseInt(h, 16) / 255);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5;
  } catch {
    return false;
  }
}

function start(container: HTMLElement): void {
  const root = createRoot(container);
  const lang = langFromDisplayLanguage(Office.context.displayLanguage);
  const t = getStrings(lang);
  const supported =
    Office.context.requirements && Office.context.requirements.isSetSupported("ExcelApi", "1.9");
  if (!supported) {
    root.render(
      <FluentProvider theme={webLightTheme}>
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>{t.oldExcel}</MessageBarBody>
        </MessageBar>
      </FluentProvider>,
    );
    return;
  }
  const api = createOfficeApi((batch) => Excel.run(batch), {
    isSetSupported: (set, version) => Office.context.requirements.isSetSupported(set, version),
    isPreview: (window as PreviewWindow).uppfoljarenPreview === true,
  });
  const isSetSupported = (set: string, version: string) =>
    Office.context.requirements.isSetSupported(set, version);
  const selfTest = () => runSelfTest((batch) => Excel.run(batch), { isSetSupported });
  root.render(<App api={api} lang={lang} dark={isDarkTheme()} selfTest={selfTest} />);
}

Office.onReady(() => {
  const container = document.getElementById("container");
  if (container) start(container);
});
