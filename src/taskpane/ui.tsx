/** Styles and small pieces shared by the pane's views. */
import {
  Field,
  Input,
  type InputProps,
  MessageBar,
  MessageBarBody,
  makeStaticStyles,
  makeStyles,
  tokens,
} from "@fluentui/react-components";

export const useStaticStyles = makeStaticStyles({ body: { margin: "0" } });

export const useStyles = makeStyles({
  root: {
    minHeight: "100vh",
    boxSizing: "border-box",
    padding: "12px",
    display: "flex",
    flexDirection: "column",
    rowGap: "12px",
    minWidth: "0",
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    "& h1, & h2, & h3": { margin: "0" },
  },
  header: {
    display: "flex",
    alignItems: "center",
    justifyContent: "space-between",
    columnGap: "8px",
    flexWrap: "wrap",
  },
  section: { display: "flex", flexDirection: "column", rowGap: "8px", minWidth: "0" },
  row: { display: "flex", flexWrap: "wrap", columnGap: "8px", rowGap: "8px", alignItems: "center" },
  muted: { color: tokens.colorNeutralForeground3 },
  list: { listStyleType: "none", padding: "0", margin: "0" },
  fullWidth: { width: "100%", minWidth: "0" },
});

export function ErrorBar({ text }: { text: string }) {
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>{text}</MessageBarBody>
    </MessageBar>
  );
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * A typed setting that is saved when the ekonom leaves the field or presses Enter (not on every key),
 * with its error message under it while the text is invalid.
 */
export function CommitField(props: {
  label: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
  onCommit: () => void;
  error?: string;
  inputMode?: InputProps["inputMode"];
}) {
  const { label, hint, value, onChange, onCommit, error, inputMode } = props;
  return (
    <Field label={label} hint={hint} validationState={error ? "error" : "none"} validationMessage={error}>
      <Input
        inputMode={inputMode}
        value={value}
        onChange={(_, d) => onChange(d.value)}
        onBlur={onCommit}
        onKeyDown={(e) => e.key === "Enter" && onCommit()}
      />
    </Field>
  );
}
