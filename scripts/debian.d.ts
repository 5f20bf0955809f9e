// Types for scripts/debian.js (used by test/browser via pane-harness.js and by the producer matrix).
export function ensureDebianPackages(
  packages: ("chromium" | "python3-openpyxl" | "python3-lxml" | "libreoffice-calc" | "gnumeric")[],
): void;
