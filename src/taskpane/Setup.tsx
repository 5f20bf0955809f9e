/**
 * First run: which of the contract's names the workbook has, and a way to map a missing role to another
 * name or to the current selection, or to insert the empty template.
 */
import { useState } from "react";
import {
  Badge,
  Button,
  Dropdown,
  Field,
  MessageBar,
  MessageBarBody,
  Option,
  Text,
} from "@fluentui/react-components";
import type { AddinApi, Detection, RoleStatus } from "../hosts/office/api";
import type { Role, StoredConfig } from "../workbook/types";
import { OutputPlacement } from "./Settings";
import { ErrorBar, errorText, useStyles } from "./ui";
import type { Strings } from "./strings";

interface SetupProps {
  api: AddinApi;
  t: Strings;
  detection: Detection;
  config: StoredConfig;
  onDetection(detection: Detection): void;
  onConfig(config: StoredConfig): void;
  onDone(): void;
}

export function Setup({ api, t, detection, config, onDetection, onConfig, onDone }: SetupProps) {
  const s = useStyles();
  const [draft, setDraft] = useState<Partial<Record<Role, string>>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (work: () => Promise<string | null>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const message = await work();
      onDetection(await api.detect());
      setNotice(message);
    } catch (e) {
      setError(t.unexpectedError(errorText(e)));
    } finally {
      setBusy(false);
    }
  };

  const mapToSelection = (role: Role) =>
    act(async () => {
      const address = await api.mapRoleToSelection(role);
      // The role's own name now exists; drop any mapping to another name so the two cannot disagree.
      const mapping = { ...config.mapping };
      delete mapping[role];
      if (config.mapping[role] !== undefined) {
        const next = { ...config, mapping };
        await api.saveConfig(next);
        onConfig(next);
      }
      setDraft(({ [role]: _dropped, ...rest }) => rest);
      return t.mappedToSelection(role, address);
    });

  const save = () =>
    act(async () => {
      const next: StoredConfig = { ...config, mapping: { ...config.mapping, ...draft } };
      await api.saveConfig(next);
      onConfig(next);
      setDraft({});
      return t.mappingSaved;
    });

  const saveSettings = (settings: Partial<StoredConfig["settings"]>) =>
    act(async () => {
      const next: StoredConfig = { ...config, settings: { ...config.settings, ...settings } };
      await api.saveConfig(next);
      onConfig(next);
      return t.settingsSaved;
    });

  const insertTemplate = () =>
    act(async () => {
      await api.insertTemplate();
      return t.templateInserted;
    });

  const required = detection.roles.filter((r) => r.required);
  const optional = detection.roles.filter((r) => !r.required);
  const missing = required.filter((r) => !r.found).map((r) => r.role);
  const nothingFound = detection.roles.every((r) => !r.found);
  const rowProps = { t, busy, otherNames: detection.otherNames, draft, setDraft, mapToSelection };

  return (
    <section className={s.section} aria-labelledby="setup-title">
      <Text as="h2" id="setup-title" size={400} weight="semibold">
        {t.setupTitle}
      </Text>
      <Text>{t.templateExplained}</Text>

      <Text as="h3" weight="semibold">
        {t.requiredRoles}
      </Text>
      <ul className={`${s.section} ${s.list}`}>
        {required.map((r) => (
          <RoleRow key={r.role} status={r} expanded {...rowProps} />
        ))}
      </ul>
      <Text as="h3" weight="semibold">
        {t.optionalRoles}
      </Text>
      <ul className={`${s.section} ${s.list}`}>
        {optional.map((r) => (
          <RoleRow key={r.role} status={r} expanded={false} {...rowProps} />
        ))}
      </ul>

      <OutputPlacement t={t} detection={detection} config={config} save={saveSettings} />

      {error && <ErrorBar text={error} />}
      {notice && (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      {missing.length > 0 && <Text role="status">{t.missingRequired(missing)}</Text>}

      <div className={s.row}>
        <Button
          appearance="primary"
          onClick={() => void save()}
          disabled={busy || Object.keys(draft).length === 0}
        >
          {t.saveMapping}
        </Button>
        <Button onClick={onDone} disabled={busy || missing.length > 0}>
          {t.continue}
        </Button>
      </div>
      {nothingFound && (
        <div className={s.section}>
          <Button onClick={() => void insertTemplate()} disabled={busy}>
            {t.insertTemplate}
          </Button>
          <Text size={200} className={s.muted}>
            {t.insertTemplateHelp}
          </Text>
        </div>
      )}
    </section>
  );
}

const OUTPUT_ROLES: Role[] = ["Avvikelse", "Prognos", "Prognosavvikelse"];

interface RoleRowProps {
  status: RoleStatus;
  expanded: boolean;
  t: Strings;
  busy: boolean;
  otherNames: string[];
  draft: Partial<Record<Role, string>>;
  setDraft: React.Dispatch<React.SetStateAction<Partial<Record<Role, string>>>>;
  mapToSelection(role: Role): Promise<void>;
}

function RoleRow({ status, expanded, t, busy, otherNames, draft, setDraft, mapToSelection }: RoleRowProps) {
  const s = useStyles();
  const [open, setOpen] = useState(expanded);
  const { role } = status;
  const label = t.roles[role];
  // Missing output columns are not a problem: the first refresh creates them next to Utfall.
  const created = !status.found && OUTPUT_ROLES.includes(role);
  const chosen = draft[role];
  return (
    <li className={s.section} data-role={role}>
      <div className={s.row}>
        <Badge
          appearance="tint"
          color={status.found ? "success" : status.required ? "danger" : "informative"}
        >
          {status.found ? t.roleFound : created ? t.roleCreated : t.roleMissing}
        </Badge>
        <Text weight="semibold">{label}</Text>
        {status.found && status.name && (
          <Text size={200} className={s.muted}>
            {t.roleFoundAs(status.name, status.address)}
          </Text>
        )}
        {!status.found && !open && (
          <Button
            size="small"
            appearance="subtle"
            onClick={() => setOpen(true)}
            aria-label={`${t.connectOptional} ${label}`}
          >
            {t.connectOptional}
          </Button>
        )}
      </div>
      {!status.found && open && (
        <div className={s.row}>
          <Field
            label={t.mapToName}
            className={s.fullWidth}
            hint={otherNames.length === 0 ? t.noOtherNames : undefined}
          >
            <Dropdown
              className={s.fullWidth}
              placeholder={t.chooseName}
              aria-label={`${t.mapToName}: ${label}`}
              disabled={busy || otherNames.length === 0}
              value={chosen ?? ""}
              selectedOptions={chosen ? [chosen] : []}
              onOptionSelect={(_, d) =>
                d.optionValue && setDraft((prev) => ({ ...prev, [role]: d.optionValue }))
              }
            >
              {otherNames.map((n) => (
                <Option key={n} value={n}>
                  {n}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <Button
            onClick={() => void mapToSelection(role)}
            disabled={busy}
            aria-label={t.mapToSelectionLabel(label)}
          >
            {t.mapToSelection}
          </Button>
        </div>
      )}
    </li>
  );
}
