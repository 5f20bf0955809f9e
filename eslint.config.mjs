// Flat ESLint config: TypeScript rules everywhere, Office.js rules for the Office host and the pane,
// and a purity fence around src/core (no Office, no DOM, no Node).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import officeAddins from "eslint-plugin-office-addins";
import reactHooks from "eslint-plugin-react-hooks";

const officeRules = Object.fromEntries(
  [
    "call-sync-before-read",
    "load-object-before-read",
    "call-sync-after-load",
    "no-context-sync-in-loop",
    "no-empty-load",
    "no-navigational-load",
    "test-for-null-using-isNullObject",
  ].map((rule) => [`office-addins/${rule}`, "error"]),
);

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "build/", "coverage/", "test-artifacts/", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["src/hosts/office/**/*.ts", "src/taskpane/**/*.{ts,tsx}", "src/commands/**/*.ts"],
    plugins: { "office-addins": officeAddins },
    rules: officeRules,
  },
  {
    files: ["src/taskpane/**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "warn" },
  },
  {
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            "fs",
            "path",
            "node:*",
            "react",
            "*/hosts/*",
            "*/workbook/*",
            "xlsx-populate",
            "exceljs",
          ],
        },
      ],
      "no-restricted-globals": ["error", "Office", "Excel", "window", "document", "process", "require"],
    },
  },
  {
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    languageOptions: {
      globals: {
        require: "readonly",
        module: "writable",
        __dirname: "readonly",
        process: "readonly",
        console: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
