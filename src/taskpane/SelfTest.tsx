/**
 * The self-test view: runs the self-test (through the function the pane was given), lists each check
 * with its verdict, and shows the plain-text report with a copy button for a support ticket.
 */
import { useCallback, useRef, useState } from "react";
import {
  Badge,
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  Textarea,
  type BadgeProps,
} from "@fluentui/react-components";
import {
  summariseSets,
  type CheckResult,
  type CheckStatus,
  type SelfTestReport,
} from "../hosts/office/selftest-expect";
import type { Strings } from "./strings";
import { ErrorBar, errorText, useStyles } from "./ui";

export type SelfTestRunner = () => Promise<SelfTestReport>;

export function counts(report: SelfTestReport): Record<CheckStatus, number> {
  const out: Record<CheckStatus, number> = { ok: 0, warning: 0, fail: 0, skipped: 0 };
  for (const c of report.checks) out[c.status]++;
  return out;
}

export function summaryText(report: SelfTestReport, t: Strings): string {
  const n = counts(report);
  return t.selfTest.summary(n.ok, report.checks.length, n.fail, n.warning, n.skipped);
}

/** One check's lines in the report: verdict and name, then reason, detail, error and mismatches. */
function checkLines(c: CheckResult, t: Strings): string[] {
  const s = t.selfTest;
  const lines = [`[${s.status[c.status]}] ${s.checks[c.id]}`];
  if (c.reason) lines.push(`    ${s.reasons[c.reason]}`);
  if (c.info) lines.push(`    ${s.info}: ${c.info}`);
  if (c.error) lines.push(`    ${s.excelError}: ${c.error}`);
  for (const m of c.mismatches)
    lines.push(`    ${m.what}: ${s.expected} ${m.expected}, ${s.actual} ${m.actual}`);
  return lines;
}

/** The plain-text report for a support ticket. */
export function selfTestReportText(report: SelfTestReport, t: Strings): string {
  const s = t.selfTest;
  const env = report.environment;
  const or = (v: string | null) => v ?? s.unknown;
  const sets = summariseSets(env.sets)
    .map((x) => `${x.name} ${x.supported}`)
    .join("; ");
  return [
    s.heading,
    `${s.time}: ${report.startedAt} (${s.seconds(report.durationMs / 1000)})`,
    `${s.excel}: ${or(env.version)}, ${s.platform} ${or(env.platform)}, ${s.host} ${or(env.host)}, ${s.language} ${or(env.displayLanguage)}`,
    `${s.sets}: ${sets}`,
    s.syncs(report.syncs, report.largestRequestBytes, report.largestResponseBytes),
    `${s.result}: ${summaryText(report, t)}`,
    "",
    ...report.checks.flatMap((c) => checkLines(c, t)),
    "",
  ].join("\n");
}

const BADGE: Record<CheckStatus, BadgeProps["color"]> = {
  ok: "success",
  warning: "warning",
  fail: "danger",
  skipped: "informative",
};

export interface SelfTestProps {
  run: SelfTestRunner;
  t: Strings;
  onClose(): void;
}

export function SelfTest({ run, t, onClose }: SelfTestProps) {
  const s = useStyles();
  const st = t.selfTest;
  const [running, setRunning] = useState(false);
  const [report, setReport] = useState<SelfTestReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copy, setCopy] = useState<"copied" | "failed" | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const text = report ? selfTestReportText(report, t) : "";

  const start = useCallback(async () => {
    setRunning(true);
    setError(null);
    setCopy(null);
    try {
      setReport(await run());
    } catch (e) {
      setError(st.failed(errorText(e)));
    } finally {
      setRunning(false);
    }
  }, [run, st]);

  const copyReport = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopy("copied");
    } catch {
      // Clipboard API refused (an iframe without clipboard-write): the selected textarea and execCommand.
      area.current?.select();
      setCopy(
        typeof document.execCommand === "function" && document.execCommand("copy") ? "copied" : "failed",
      );
    }
  };

  return (
    <section className={s.section} aria-label={st.title}>
      <Text as="h2" size={400} weight="semibold">
        {st.title}
      </Text>
      {!report && <Text>{st.intro}</Text>}
      <div className={s.row}>
        <Button appearance="primary" onClick={() => void start()} disabled={running}>
          {report ? st.again : st.run}
        </Button>
        <Button onClick={onClose} disabled={running}>
          {st.back}
        </Button>
      </div>
      {running && <Spinner size="small" label={st.running} />}
      {error && <ErrorBar text={error} />}
      {report && !running && (
        <>
          <Text weight="semibold" role="status">
            {summaryText(report, t)}
          </Text>
          <ul className={s.list} aria-label={st.result}>
            {report.checks.map((c) => (
              <li key={c.id} className={s.row}>
                <Badge appearance="filled" color={BADGE[c.status]}>
                  {st.status[c.status]}
                </Badge>
                <Text>{st.checks[c.id]}</Text>
              </li>
            ))}
          </ul>
          <Button onClick={() => void copyReport()}>{st.copy}</Button>
          {copy && (
            <MessageBar intent={copy === "copied" ? "success" : "warning"} layout="multiline">
              <MessageBarBody>{copy === "copied" ? st.copied : st.copyFailed}</MessageBarBody>
            </MessageBar>
          )}
          <Field label={st.reportLabel}>
            <Textarea
              ref={area}
              readOnly
              value={text}
              resize="vertical"
              rows={12}
              textarea={{ spellCheck: false }}
            />
          </Field>
        </>
      )}
    </section>
  );
}
