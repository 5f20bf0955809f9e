/**
 * The task pane: first-run mapping, then the main view (settings, one refresh button, progress, result).
 * It talks to the workbook only through AddinApi and never touches Office globals (see index.tsx).
 */
import { useCallback, useEffect, useRef, useState } from "react";
import {
  Badge,
  Button,
  Dropdown,
  Field,
  FluentProvider,
  Link,
  Option,
  ProgressBar,
  Spinner,
  Text,
  webDarkTheme,
  webLightTheme,
} from "@fluentui/react-components";
import type { ForecastMethod } from "../core/types";
import type { AddinApi, Detection } from "../hosts/office/api";
import type { RefreshOutcome, RefreshStep } from "../workbook/pipeline";
import type { StoredConfig } from "../workbook/types";
import { Results } from "./Results";
import { SelfTest, type SelfTestRunner } from "./SelfTest";
import { Setup } from "./Setup";
import { ReportSettings } from "./Settings";
import { CommitField, ErrorBar, errorText, useStaticStyles, useStyles } from "./ui";
import { getStrings, METHODS, PROGRESS_STEPS, type Lang, type Strings } from "./strings";

export interface AppProps {
  api: AddinApi;
  lang?: Lang;
  dark?: boolean;
  /** The self-test over Excel (index.tsx); without it the pane offers none (preview, tests). */
  selfTest?: SelfTestRunner;
}

export function App({ api, lang = "sv", dark = false, selfTest }: AppProps) {
  const t = getStrings(lang);
  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme} lang={lang === "en" ? "en" : "sv"}>
      <Pane api={api} t={t} selfTest={selfTest} />
    </FluentProvider>
  );
}

type View = "loading" | "setup" | "main";

function Pane({ api, t, selfTest }: { api: AddinApi; t: Strings; selfTest?: SelfTestRunner }) {
  useStaticStyles();
  const s = useStyles();
  const [view, setView] = useState<View>("loading");
  const [detection, setDetection] = useState<Detection | null>(null);
  const [config, setConfig] = useState<StoredConfig | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [testing, setTesting] = useState(false);

  useEffect(() => {
    let live = true;
    Promise.all([api.detect(), api.loadConfig()])
      .then(([d, c]) => {
        if (!live) return;
        setDetection(d);
        setConfig(c);
        setView(d.roles.every((r) => !r.required || r.found) ? "main" : "setup");
      })
      .catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [api]);

  return (
    <main className={s.root} aria-label={t.appTitle}>
      <header className={s.header}>
        <Text as="h1" size={500} weight="semibold">
          {t.appTitle}
        </Text>
        {api.isPreview && (
          <Badge appearance="filled" color="warning" role="note">
            {t.previewLabel}
          </Badge>
        )}
      </header>
      {testing && selfTest && <SelfTest run={selfTest} t={t} onClose={() => setTesting(false)} />}
      {error && <ErrorBar text={t.unexpectedError(error)} />}
      {view === "loading" && !error && <Spinner size="small" label={t.loading} />}
      {!testing && view === "setup" && detection && config && (
        <Setup
          api={api}
          t={t}
          detection={detection}
          config={config}
          onDetection={setDetection}
          onConfig={setConfig}
          onDone={() => setView("main")}
        />
      )}
      {!testing && view === "main" && detection && config && (
        <Main
          api={api}
          t={t}
          detection={detection}
          config={config}
          onConfig={setConfig}
          onEditMapping={() => setView("setup")}
        />
      )}
      {selfTest && !testing && (
        <Link as="button" onClick={() => setTesting(true)}>
          {t.selfTest.open}
        </Link>
      )}
    </main>
  );
}

interface MainProps {
  api: AddinApi;
  t: Strings;
  detection: Detection;
  config: StoredConfig;
  onConfig(config: StoredConfig): void;
  onEditMapping(): void;
}

function Main({ api, t, detection, config, onConfig, onEditMapping }: MainProps) {
  const s = useStyles();
  const [step, setStep] = useState<RefreshStep | null>(null);
  const [outcome, setOutcome] = useState<RefreshOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rounding, setRounding] = useState(config.settings.roundingStep?.toString() ?? "");
  const [roundingError, setRoundingError] = useState(false);
  const [trendMonths, setTrendMonths] = useState(String(config.settings.trendMonths));
  const [trendError, setTrendError] = useState(false);
  const running = step !== null && step !== "done";
  const runningRef = useRef(false);

  const saveSettings = useCallback(
    async (settings: Partial<StoredConfig["settings"]>) => {
      const next: StoredConfig = { ...config, settings: { ...config.settings, ...settings } };
      setError(null);
      try {
        await api.saveConfig(next);
        onConfig(next);
      } catch (e) {
        setError(t.unexpectedError(errorText(e)));
      }
    },
    [api, config, onConfig, t],
  );

  const run = useCallback(
    async (newDraft = false) => {
      if (runningRef.current) return;
      runningRef.current = true;
      setError(null);
      setStep("read");
      try {
        const result = await api.refresh((st) => setStep(st), newDraft ? { newDraft } : undefined);
        setOutcome(result);
      } catch (e) {
        setOutcome(null);
        setError(t.unexpectedError(errorText(e)));
      } finally {
        runningRef.current = false;
        setStep("done");
      }
    },
    [api, t],
  );

  const commitRounding = () => {
    const text = rounding.trim().replace(/\s/g, "").replace(",", ".");
    if (text === "") {
      setRoundingError(false);
      if (config.settings.roundingStep !== null) void saveSettings({ roundingStep: null });
      return;
    }
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0) {
      setRoundingError(true);
      return;
    }
    setRoundingError(false);
    if (n !== config.settings.roundingStep) void saveSettings({ roundingStep: n });
  };

  const commitTrendMonths = () => {
    const n = Number(trendMonths.trim());
    const ok = Number.isInteger(n) && n >= 1 && n <= 11;
    setTrendError(!ok);
    if (ok && n !== config.settings.trendMonths) void saveSettings({ trendMonths: n });
  };

  const stepIndex = step && step !== "done" ? PROGRESS_STEPS.indexOf(step) : -1;
  const method = config.settings.defaultMethod;

  return (
    <>
      <section className={s.section} aria-label={t.period}>
        <div className={s.row}>
          <Text weight="semibold">{t.period}:</Text>
          <Text data-testid="period">{detection.period ? t.periodValue(detection.period) : t.noPeriod}</Text>
        </div>
        <Field label={t.defaultMethod}>
          <Dropdown
            className={s.fullWidth}
            value={t.methods[method]}
            selectedOptions={[method]}
            onOptionSelect={(_, d) => {
              if (d.optionValue && d.optionValue !== method)
                void saveSettings({ defaultMethod: d.optionValue as ForecastMethod });
            }}
          >
            {METHODS.map((m) => (
              <Option key={m} value={m}>
                {t.methods[m]}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <CommitField
          label={t.roundingStep}
          hint={t.roundingHint}
          error={roundingError ? t.roundingInvalid : undefined}
          inputMode="decimal"
          value={rounding}
          onChange={setRounding}
          onCommit={commitRounding}
        />
        <ReportSettings t={t} config={config} save={saveSettings} />
        <CommitField
          label={t.trendMonths}
          hint={t.trendMonthsHint}
          error={trendError ? t.trendMonthsInvalid : undefined}
          inputMode="numeric"
          value={trendMonths}
          onChange={setTrendMonths}
          onCommit={commitTrendMonths}
        />
      </section>

      <section className={s.section}>
        <Button appearance="primary" size="large" onClick={() => void run()} disabled={running}>
          {running ? t.refreshing : t.refresh}
        </Button>
        {running && (
          <Field label={t.progressLabel} validationMessage={t.steps[step]} validationState="none">
            <ProgressBar
              value={(stepIndex + 1) / (PROGRESS_STEPS.length + 1)}
              max={1}
              aria-valuetext={t.steps[step]}
            />
          </Field>
        )}
        <div role="status" aria-live="polite" className={s.muted}>
          {running ? t.steps[step] : ""}
        </div>
        <Link as="button" onClick={onEditMapping}>
          {t.editMapping}
        </Link>
      </section>

      {error && <ErrorBar text={error} />}
      {outcome && !running && (
        <Results
          api={api}
          t={t}
          outcome={outcome}
          onRefresh={() => void run()}
          onNewDraft={() => void run(true)}
        />
      )}
    </>
  );
}
