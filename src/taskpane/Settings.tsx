/**
 * The settings that shape the report sheets and the output columns: the verksamhet (Åtgärdsplan title
 * and summary, page headers), whether measures come on top of a manual forecast, and where created
 * output columns go (shown with the place the refresh would choose).
 */
import { useState } from "react";
import { Checkbox, Text } from "@fluentui/react-components";
import type { Detection } from "../hosts/office/api";
import { parseNameFormula, sheetRectA1 } from "../workbook/a1";
import { OUTPUT_ROLES, placeOutputColumns } from "../workbook/contract";
import type { Role, SheetRect, StoredConfig } from "../workbook/types";
import type { Strings } from "./strings";
import { CommitField, useStyles } from "./ui";

type Save = (settings: Partial<StoredConfig["settings"]>) => Promise<void>;

export function ReportSettings({ t, config, save }: { t: Strings; config: StoredConfig; save: Save }) {
  const s = useStyles();
  const [verksamhet, setVerksamhet] = useState(config.settings.verksamhet ?? "");
  const commit = () => {
    const v = verksamhet.trim() || null;
    if (v !== config.settings.verksamhet) void save({ verksamhet: v });
  };
  return (
    <div className={s.section}>
      <CommitField
        label={t.verksamhet}
        hint={t.verksamhetHint}
        value={verksamhet}
        onChange={setVerksamhet}
        onCommit={commit}
      />
      <Checkbox
        label={t.measuresOnManual}
        checked={config.settings.measuresOnManualForecast}
        onChange={(_, d) => void save({ measuresOnManualForecast: d.checked === true })}
      />
    </div>
  );
}

/** Where the refresh will create the output columns, or null when all three names exist. */
export function plannedOutputs(
  detection: Detection,
  config: StoredConfig,
): { area: string; why: string } | null {
  const rects: Partial<Record<Role, SheetRect>> = {};
  for (const r of detection.roles) {
    if (!r.found || !r.address) continue;
    const p = parseNameFormula(`=${r.address}`);
    if (p.kind === "range") rects[r.role] = p.rect;
  }
  const missing = OUTPUT_ROLES.filter((role) => !rects[role]);
  if (!rects.Utfall || missing.length === 0) return null;
  const place = placeOutputColumns(rects, config.settings.outputColumn);
  const u = rects.Utfall;
  const area = sheetRectA1({ sheet: u.sheet, row: u.row, col: place.col, rows: u.rows, cols: 3 });
  return { area, why: place.how === "after" ? `${place.after}|${place.blockedBy}` : place.how };
}

/** The mapping view's line about the output columns, and the choice of their place. */
export function OutputPlacement(props: {
  t: Strings;
  detection: Detection;
  config: StoredConfig;
  save: Save;
}) {
  const { t, detection, config, save } = props;
  const s = useStyles();
  const [column, setColumn] = useState(config.settings.outputColumn ?? "");
  const [invalid, setInvalid] = useState(false);
  const planned = plannedOutputs(detection, config);
  const commit = () => {
    const v = column.trim().toUpperCase();
    if (v !== "" && !/^[A-Z]{1,3}$/.test(v)) return setInvalid(true);
    setInvalid(false);
    const next = v || null;
    if (next !== config.settings.outputColumn) void save({ outputColumn: next });
  };
  return (
    <div className={s.section} data-testid="output-placement">
      {planned && <Text>{t.outputsPlanned(planned.area, planned.why)}</Text>}
      <CommitField
        label={t.outputColumn}
        hint={t.outputColumnHint}
        error={invalid ? t.outputColumnInvalid : undefined}
        value={column}
        onChange={setColumn}
        onCommit={commit}
      />
    </div>
  );
}
