/**
 * The per-line view's explanation and backtest: the formula behind the forecast, how each method would
 * have hit last year, and a button to write the recommended method into the line's Metod cell. Nothing
 * is written without that click (or the "all lines" button).
 */
import { Button, Text, makeStyles, mergeClasses } from "@fluentui/react-components";
import { describeBacktest, describeRecommendation, explainLine } from "../core";
import type { ForecastMethod, LedgerResult, LineBacktest, LineResult } from "../core/types";
import type { Strings } from "./strings";
import { useStyles } from "./ui";

const useInsightStyles = makeStyles({
  insight: { gridColumn: "1 / -1", display: "flex", flexDirection: "column", rowGap: "2px", minWidth: "0" },
  wrap: { overflowWrap: "anywhere" },
});

/** The lines whose recommended method differs from the method they use (and from what was chosen since). */
export function pendingRecommendations(
  result: LedgerResult,
  chosen: Record<number, ForecastMethod | null>,
): LineBacktest[] {
  return (result.backtests ?? []).filter((b) => {
    if (!b.recommended || b.current === "manual") return false;
    const now = b.line in chosen ? chosen[b.line] : b.current;
    return now !== b.recommended;
  });
}

export function LineInsight({
  t,
  line,
  result,
  backtest,
  method,
  onUse,
}: {
  t: Strings;
  line: LineResult;
  result: LedgerResult;
  backtest: LineBacktest | undefined;
  /** The method the line has now (as chosen in the pane since the refresh). */
  method: ForecastMethod | null;
  onUse(method: ForecastMethod): void;
}) {
  const s = useStyles();
  const r = useInsightStyles();
  const explanation = explainLine(line, result);
  const sentence = backtest ? describeBacktest(backtest) : "";
  const recommended = backtest?.recommended ?? null;
  return (
    <div className={r.insight} data-testid={`insight-${line.index}`}>
      <Text size={200} className={mergeClasses(s.muted, r.wrap)}>
        {t.explainForecast}: {explanation.forecast}
      </Text>
      {line.kind !== "total" && (
        <Text size={200} className={mergeClasses(s.muted, r.wrap)}>
          {t.explainPeriodBudget}: {explanation.periodBudget}
        </Text>
      )}
      {backtest && (
        <Text size={200} className={r.wrap}>
          {t.backtestLabel}: {[sentence, describeRecommendation(backtest)].filter(Boolean).join(". ")}
        </Text>
      )}
      {recommended && recommended !== method && backtest?.current !== "manual" && (
        <div>
          <Button size="small" onClick={() => onUse(recommended)}>
            {t.useRecommended(t.methodShort[recommended])}
          </Button>
        </div>
      )}
    </div>
  );
}

export function UseAllRecommendations({
  t,
  count,
  busy,
  onUseAll,
}: {
  t: Strings;
  count: number;
  busy: boolean;
  onUseAll(): void;
}) {
  if (count === 0) return null;
  return (
    <div>
      <Button size="small" appearance="primary" disabled={busy} onClick={onUseAll}>
        {t.useAllRecommended(count)}
      </Button>
    </div>
  );
}
