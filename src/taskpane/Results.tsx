/**
 * What a refresh gave: blocking errors, or the result (summary, findings, per-line forecast, action plan).
 */
import { useState } from "react";
import {
  Button,
  Dropdown,
  Field,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Option,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type {
  FindingLevel,
  ForecastMethod,
  LedgerResult,
  LineBacktest,
  LineResult,
  Unit,
} from "../core/types";
import type { AddinApi } from "../hosts/office/api";
import type { LocatedFinding, RefreshOutcome } from "../workbook/pipeline";
import type { ContractError } from "../workbook/types";
import { LineInsight, pendingRecommendations, UseAllRecommendations } from "./Accuracy";
import { formatAmount, METHODS, type Strings } from "./strings";
import { ErrorBar, errorText, useStyles } from "./ui";

const useResultStyles = makeStyles({
  metrics: {
    display: "grid",
    gridTemplateColumns: "minmax(0, 1fr) auto",
    columnGap: "8px",
    rowGap: "4px",
    margin: "0",
    alignItems: "baseline",
  },
  term: { margin: "0", minWidth: "0" },
  value: { margin: "0", textAlign: "right", fontWeight: tokens.fontWeightSemibold, whiteSpace: "nowrap" },
  negative: { color: tokens.colorPaletteRedForeground1 },
  line: {
    display: "grid",
    gridTemplateColumns: "minmax(0, 1fr) auto",
    columnGap: "8px",
    rowGap: "4px",
    paddingTop: "6px",
    paddingBottom: "6px",
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  ofWhich: { paddingLeft: "16px" },
  total: { fontWeight: tokens.fontWeightSemibold },
  lineMeta: {
    gridColumn: "1 / -1",
    display: "flex",
    flexWrap: "wrap",
    columnGap: "8px",
    rowGap: "4px",
    alignItems: "center",
  },
  methodDropdown: { minWidth: "0", maxWidth: "100%" },
  finding: { textAlign: "left" },
});

interface ResultsProps {
  api: AddinApi;
  t: Strings;
  outcome: RefreshOutcome;
  onRefresh(): void;
  /** Refresh once with a new draft of the summary texts (replacing what the ekonom wrote there). */
  onNewDraft?(): void;
}

export function Results({ api, t, outcome, onRefresh, onNewDraft }: ResultsProps) {
  const [error, setError] = useState<string | null>(null);
  const select = (sheet: string, cell: string) => {
    setError(null);
    api.selectCell(sheet, cell).catch((e: unknown) => setError(t.unexpectedError(errorText(e))));
  };

  if (!outcome.ok && outcome.stage === "validate")
    return (
      <>
        <BlockingErrors t={t} errors={outcome.errors} select={select} />
        {error && <ErrorBar text={error} />}
      </>
    );
  if (!outcome.ok)
    return (
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{t.writeFailedTitle}</MessageBarTitle>
          <div>{outcome.message}</div>
          {outcome.report.written.length > 0 && (
            <div>
              {t.written}: {outcome.report.written.join(", ")}
            </div>
          )}
          {outcome.report.notWritten.length > 0 && (
            <div>
              {t.notWritten}: {outcome.report.notWritten.join(", ")}
            </div>
          )}
          <div>{t.repairHint}</div>
        </MessageBarBody>
      </MessageBar>
    );

  return (
    <>
      <MessageBar intent="success">
        <MessageBarBody>{outcome.written ? t.refreshed : t.refreshedDryRun}</MessageBarBody>
      </MessageBar>
      {error && <ErrorBar text={error} />}
      <div>
        <WordReport t={t} outcome={outcome} />
        {onNewDraft && (
          <Button onClick={onNewDraft} title={t.newDraftHint}>
            {t.newDraft}
          </Button>
        )}
      </div>
      <UnitView t={t} result={outcome.result}>
        {(view) => (
          <>
            <Summary t={t} result={view} />
            <Findings t={t} findings={outcome.findings} select={select} />
            <Lines
              api={api}
              t={t}
              result={view}
              changes={outcome.tertial?.change.lines ?? []}
              onRefresh={onRefresh}
            />
          </>
        )}
      </UnitView>
      <ActionPlan t={t} result={outcome.result} />
    </>
  );
}

/**
 * "Rapport (Word)": the document is built in the pane (the docx library runs in browsers, loaded on first
 * use) from what the refresh computed and wrote, and handed over as a download. Excel on the web passes
 * the download to the browser; Excel for Mac (WKWebView) and some Windows builds ignore downloads from an
 * add-in (OfficeDev/office-js#3385, #1511), so the message names the command-line alternative too.
 */
function WordReport({ t, outcome }: { t: Strings; outcome: Extract<RefreshOutcome, { ok: true }> }) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const make = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const [{ buildReportModel }, { reportDocxBlob }] = await Promise.all([
        import("../export/report-model"),
        import("../export/docx"),
      ]);
      const model = buildReportModel(outcome);
      const blob = await reportDocxBlob(model);
      const file = `${model.title}.docx`;
      if (typeof URL.createObjectURL !== "function") throw new Error(t.reportWordUnsupported);
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = file;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setDone(t.reportWordSaved(file));
    } catch (e) {
      setError(t.unexpectedError(errorText(e)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <Button onClick={() => void make()} disabled={busy || !outcome.tertial}>
        {t.reportWord}
      </Button>
      {done && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            {done} {t.reportWordUnsupported}
          </MessageBarBody>
        </MessageBar>
      )}
      {error && <ErrorBar text={error} />}
    </div>
  );
}

/**
 * With units (Ansvar), a selector of the whole or one unit: the summary and the lines show the chosen
 * one. A unit's lines keep their indices, so that a method chosen in the list is saved on the right row.
 */
function UnitView({
  t,
  result,
  children,
}: {
  t: Strings;
  result: LedgerResult;
  children(view: LedgerResult): React.ReactNode;
}) {
  const [chosen, setChosen] = useState<number | null>(null);
  const units = result.units?.units;
  if (!units) return <>{children(result)}</>;
  const unit = chosen === null ? undefined : units[chosen];
  let view = result;
  if (unit) {
    const mine = new Set(unit.lines);
    view = { ...result, lines: result.lines.filter((l) => mine.has(l.index)), result: unit.result };
  }
  return (
    <>
      <Field label={t.unitSelect}>
        <Dropdown
          data-testid="unit-select"
          value={unit ? unit.name : t.wholeLedger}
          selectedOptions={[chosen === null ? "" : String(chosen)]}
          onOptionSelect={(_, d) => setChosen(d.optionValue ? Number(d.optionValue) : null)}
        >
          <Option value="">{t.wholeLedger}</Option>
          {units.map((u, i) => (
            <Option key={i} value={String(i)}>
              {u.name}
            </Option>
          ))}
        </Dropdown>
      </Field>
      {children(view)}
    </>
  );
}

function BlockingErrors({
  t,
  errors,
  select,
}: {
  t: Strings;
  errors: ContractError[];
  select(sheet: string, cell: string): void;
}) {
  const s = useStyles();
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{t.blockedTitle}</MessageBarTitle>
        <ul className={s.list}>
          {errors.map((e, i) => (
            <li key={i}>
              {e.message}{" "}
              {e.sheet && e.cell && (
                <Link as="button" onClick={() => select(e.sheet!, e.cell!)}>
                  {t.selectCell(`${e.sheet}!${e.cell}`)}
                </Link>
              )}
            </li>
          ))}
        </ul>
      </MessageBarBody>
    </MessageBar>
  );
}

function Amount({ value, unit, t }: { value: number; unit: Unit; t: Strings }) {
  const r = useResultStyles();
  const text = formatAmount(value, unit, t);
  return <span className={text.startsWith("-") ? r.negative : undefined}>{text}</span>;
}

function Summary({ t, result }: { t: Strings; result: LedgerResult }) {
  const s = useStyles();
  const r = useResultStyles();
  const net = result.result;
  const unit = result.unit;
  return (
    <section className={s.section} aria-labelledby="result-title">
      <Text as="h2" id="result-title" size={400} weight="semibold">
        {t.resultTitle} · {t.periodValue(result.period)}
      </Text>
      <dl className={r.metrics}>
        <dt className={r.term}>{t.deviationToDate}</dt>
        <dd className={r.value} data-testid="net-deviation">
          <Amount value={net.deviation} unit={unit} t={t} />
        </dd>
        <dt className={r.term}>{t.forecastDeviation}</dt>
        <dd className={r.value} data-testid="net-forecast-deviation">
          <Amount value={net.forecastDeviation} unit={unit} t={t} />
        </dd>
        <dt className={r.term}>
          {t.gapToBalance}
          <br />
          <Text size={200} className={s.muted}>
            {net.balanceTarget === null
              ? t.noBalanceTarget
              : t.balanceTargetValue(formatAmount(net.balanceTarget, unit, t))}
          </Text>
        </dt>
        <dd className={r.value} data-testid="balance-gap">
          {net.deviationVsBalanceTarget === null ? (
            t.none
          ) : (
            <Amount value={net.deviationVsBalanceTarget} unit={unit} t={t} />
          )}
        </dd>
      </dl>
    </section>
  );
}

const LEVELS: FindingLevel[] = ["error", "warning", "info"];

function Findings({
  t,
  findings,
  select,
}: {
  t: Strings;
  findings: LocatedFinding[];
  select(sheet: string, cell: string): void;
}) {
  const s = useStyles();
  const r = useResultStyles();
  return (
    <section className={s.section} aria-labelledby="findings-title">
      <Text as="h2" id="findings-title" size={400} weight="semibold">
        {t.findingsTitle}
      </Text>
      {findings.length === 0 && <Text>{t.noFindings}</Text>}
      {LEVELS.map((level) => {
        const group = findings.filter((f) => f.level === level);
        if (group.length === 0) return null;
        const headingId = `findings-${level}`;
        return (
          <div key={level} className={s.section} data-level={level}>
            <Text as="h3" id={headingId} weight="semibold">
              {t.levelCount(level, group.length)}
            </Text>
            <ul className={`${s.section} ${s.list}`} aria-labelledby={headingId}>
              {group.map((f, i) => (
                <li key={i}>
                  {f.sheet && f.cell ? (
                    <Link
                      as="button"
                      className={r.finding}
                      onClick={() => select(f.sheet!, f.cell!)}
                      title={t.selectCell(`${f.sheet}!${f.cell}`)}
                    >
                      {f.message} ({f.sheet}!{f.cell})
                    </Link>
                  ) : (
                    <Text>{f.message}</Text>
                  )}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}

function Lines({
  api,
  t,
  result,
  changes,
  onRefresh,
}: {
  api: AddinApi;
  t: Strings;
  result: LedgerResult;
  /** Per line: the change of forecast deviation since the previous forecast (null: none logged). */
  changes: (number | null)[];
  onRefresh(): void;
}) {
  const s = useStyles();
  const [chosen, setChosen] = useState<Record<number, ForecastMethod | null>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const backtests = new Map((result.backtests ?? []).map((b) => [b.line, b]));
  const pending = pendingRecommendations(result, chosen);

  // One line at a time through setLineMethod (the API has no batch call); nothing is written unasked.
  const applyAll = async () => {
    setError(null);
    setSaved(null);
    setBusy(true);
    let done = 0;
    try {
      for (const b of pending) {
        await api.setLineMethod(b.line, b.recommended);
        done++;
        setChosen((prev) => ({ ...prev, [b.line]: b.recommended }));
      }
      setSaved(t.recommendationsSaved(done));
    } catch (e) {
      setError(t.unexpectedError(errorText(e)));
      if (done) setSaved(t.recommendationsSaved(done));
    } finally {
      setBusy(false);
    }
  };

  const change = async (line: LineResult, method: ForecastMethod | null) => {
    setError(null);
    setSaved(null);
    try {
      await api.setLineMethod(line.index, method);
      setChosen((prev) => ({ ...prev, [line.index]: method }));
      setSaved(t.methodSaved(line.label));
    } catch (e) {
      setError(t.unexpectedError(errorText(e)));
    }
  };

  return (
    <section className={s.section} aria-labelledby="lines-title">
      <Text as="h2" id="lines-title" size={400} weight="semibold">
        {t.linesTitle}
      </Text>
      {saved && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{saved}</MessageBarBody>
          <Button size="small" onClick={onRefresh}>
            {t.refreshNow}
          </Button>
        </MessageBar>
      )}
      {error && <ErrorBar text={error} />}
      <UseAllRecommendations t={t} count={pending.length} busy={busy} onUseAll={() => void applyAll()} />
      <ul className={s.list} aria-labelledby="lines-title">
        {result.lines.map((line) => (
          <LineRow
            key={line.index}
            t={t}
            line={line}
            result={result}
            backtest={backtests.get(line.index)}
            forecastChange={changes[line.index] ?? null}
            method={line.index in chosen ? chosen[line.index] : line.method}
            onChange={(m) => void change(line, m)}
          />
        ))}
      </ul>
    </section>
  );
}

function LineRow({
  t,
  line,
  result,
  backtest,
  forecastChange,
  method,
  onChange,
}: {
  t: Strings;
  line: LineResult;
  result: LedgerResult;
  backtest: LineBacktest | undefined;
  forecastChange: number | null;
  method: ForecastMethod | null;
  onChange(method: ForecastMethod | null): void;
}) {
  const s = useStyles();
  const unit = result.unit;
  const r = useResultStyles();
  const classes = [r.line, line.kind === "ofWhich" ? r.ofWhich : "", line.kind === "total" ? r.total : ""];
  const value = method ?? "";
  return (
    <li className={classes.join(" ")} data-line={line.index}>
      <Text weight={line.kind === "total" ? "semibold" : "regular"}>{line.label}</Text>
      <Text
        weight="semibold"
        aria-label={`${t.lineDeviation}: ${formatAmount(line.forecastDeviation, unit, t)}`}
      >
        <Amount value={line.forecastDeviation} unit={unit} t={t} />
      </Text>
      <div className={r.lineMeta}>
        {line.kind !== "total" && (
          <Dropdown
            size="small"
            className={r.methodDropdown}
            aria-label={t.lineMethod(line.label)}
            value={method ? t.methods[method] : t.defaultMethodOption}
            selectedOptions={[value]}
            onOptionSelect={(_, d) => {
              const next = d.optionValue ? (d.optionValue as ForecastMethod) : null;
              if (next !== method) onChange(next);
            }}
          >
            <Option value="">{t.defaultMethodOption}</Option>
            {METHODS.map((m) => (
              <Option key={m} value={m}>
                {t.methods[m]}
              </Option>
            ))}
          </Dropdown>
        )}
        <Text size={200} className={s.muted}>
          {t.lineForecast} {formatAmount(line.forecast, unit, t, false)}
          {line.forecastFrom && t.forecastFrom[line.forecastFrom]
            ? ` (${t.forecastFrom[line.forecastFrom]})`
            : ""}
        </Text>
        {forecastChange !== null && (
          <Text size={200} className={s.muted} data-testid="line-change">
            {t.lineChange} {formatAmount(forecastChange, unit, t)}
          </Text>
        )}
      </div>
      <LineInsight
        t={t}
        line={line}
        result={result}
        backtest={backtest}
        method={method}
        onUse={(m) => onChange(m)}
      />
    </li>
  );
}

function ActionPlan({ t, result }: { t: Strings; result: LedgerResult }) {
  const s = useStyles();
  const r = useResultStyles();
  const plan = result.actionPlan;
  if (plan.areas.length === 0) return null;
  const unit = result.unit;
  const amount = (v: number) => formatAmount(v, unit, t, false);
  const notGiven = (area: string, pending: string[]) => {
    const measures = plan.excluded
      .filter((e) => e.area === area && e.reason === "notGiven")
      .map((e) => e.text);
    return [...new Set([...measures, ...pending])].join("; ");
  };
  return (
    <section className={s.section} aria-labelledby="plan-title">
      <Text as="h2" id="plan-title" size={400} weight="semibold">
        {t.actionPlanTitle}
      </Text>
      {plan.areas.map((area) => (
        <div key={area.number} className={s.section} data-area={area.number}>
          <Text as="h3" weight="semibold">
            {area.number}. {area.name}
          </Text>
          <dl className={r.metrics}>
            <dt className={r.term}>{t.areaForecast}</dt>
            <dd className={r.value}>{amount(area.forecastTotal)}</dd>
            <dt className={r.term}>{t.areaDecided}</dt>
            <dd className={r.value}>{amount(area.decidedTotal)}</dd>
          </dl>
          {notGiven(area.name, area.pendingTexts) && (
            <Text size={200}>
              {t.areaNotGiven}: {notGiven(area.name, area.pendingTexts)}
            </Text>
          )}
        </div>
      ))}
      <dl className={r.metrics}>
        <dt className={r.term}>
          <strong>{t.actionPlanTotal}</strong>
        </dt>
        <dd className={r.value}>{amount(plan.forecastTotal)}</dd>
        <dt className={r.term}>{t.areaDecided}</dt>
        <dd className={r.value}>{amount(plan.decidedTotal)}</dd>
      </dl>
    </section>
  );
}
