// Types for scripts/pane-harness.js (used by test/browser and scripts/preview.js).
import type { Server } from "http";

export const CHROMIUM: string;
export const CHROMIUM_ARGS: string[];
export const OFFICE_JS_URL: string;
export const root: string;
export function ensureChromium(): string;
export function buildPane(
  outDir: string,
  mode?: "production" | "development",
): Promise<{ html: string; js: string[] }>;
export function buildOfficeStub(outfile: string, options?: { preview?: boolean }): string;
export function buildSampleWorkbook(dir: string): Promise<string>;
export function serve(
  dir: string,
  options?: { host?: string; port?: number; files?: Record<string, string | (() => string | Buffer)> },
): Promise<{ server: Server; url: string }>;
export function prepare(
  dir: string,
  options?: { preview?: boolean; mode?: "production" | "development" },
): Promise<{ web: string; js: string[]; stub: string; previewStub: string; sample: string }>;
