// Types for scripts/office-tools.js (used by test/integration/docx-report.test.ts).
export function ensureTool(binary: "soffice" | "pdftotext"): string;
export function convertToPdf(file: string, outDir: string): string;
export function pdfText(pdf: string): string;
