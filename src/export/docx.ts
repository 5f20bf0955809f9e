/**
 * Lays out the report model (report-model.ts) as a Word document with the `docx` library, which runs in
 * Node (the CLI) and in browsers (the pane). Headings use Word's built-in Heading 1/2 styles (and Title),
 * so Word's table of contents picks them up; the document language is Swedish.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  NoBreakHyphen,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import type { Block, ReportModel, TableRow as ModelRow } from "./report-model";

const FONT = "Calibri";
const HEADER_FILL = "DDEBF7";
/** A4 less Word's default margins (1 440 twips each side): the text width in twips. */
const TEXT_WIDTH = 11906 - 2 * 1440;

/**
 * Digits grouped by a space and an amount's unit stay on one line: the model's ASCII spaces (the seed's
 * U+0020) become no-break spaces (U+00A0) in the document, so "12 048 tkr" never breaks after "12".
 */
export function keepTogether(text: string): string {
  return text
    .replace(/(\d) (?=\d{3}\b)/g, "$1\u00a0")
    .replace(/(\d) (?=(?:tkr|mnkr|mkr|kr|%)(?![\p{L}]))/gu, "$1\u00a0");
}

/**
 * A run of model text as Word should break it: digit groups and units kept together (keepTogether), and
 * a minus sign before a number as Word's no-break hyphen (w:noBreakHyphen), since Word and LibreOffice
 * otherwise end a line after the "-" of "-3 000".
 */
function run(
  text: string,
  format: { bold?: boolean; italics?: boolean; size?: number; font?: string },
): TextRun {
  const parts = keepTogether(text).split(/(?<=^|[\s(])-(?=\d)/);
  if (parts.length === 1) return new TextRun({ text: parts[0], ...format });
  const children = parts.flatMap((part, i) => (i === 0 ? [part] : [new NoBreakHyphen(), part]));
  return new TextRun({ children: children.filter((c) => c !== ""), ...format });
}

const twips = (widths: number[]) => {
  const total = widths.reduce((a, b) => a + b, 0);
  return widths.map((w) => Math.round((TEXT_WIDTH * w) / total));
};

function cell(row: ModelRow, i: number, widths: number[], size: number): TableCell {
  const c = row.cells[i];
  const span = c.span ?? 1;
  const start = row.cells.slice(0, i).reduce((a, x) => a + (x.span ?? 1), 0);
  const width = widths.slice(start, start + span).reduce((a, b) => a + b, 0);
  return new TableCell({
    columnSpan: span > 1 ? span : undefined,
    width: { size: width, type: WidthType.DXA },
    shading: row.header ? { type: ShadingType.CLEAR, color: "auto", fill: HEADER_FILL } : undefined,
    children: [
      new Paragraph({
        alignment: c.numeric
          ? AlignmentType.RIGHT
          : span > 1 && row.header
            ? AlignmentType.CENTER
            : AlignmentType.LEFT,
        indent: row.indent && i === 0 ? { left: 240 } : undefined,
        children: [run(c.text, { bold: row.header || row.bold, size, font: FONT })],
      }),
    ],
  });
}

function table(block: Extract<Block, { kind: "table" }>): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  if (block.caption)
    out.push(
      new Paragraph({
        keepNext: true,
        children: [new TextRun({ text: block.caption, bold: true, font: FONT })],
      }),
    );
  const line = { style: BorderStyle.SINGLE, size: 4, color: "A6A6A6" };
  const widths = twips(block.widths);
  out.push(
    new Table({
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: widths,
      borders: {
        top: line,
        bottom: line,
        left: line,
        right: line,
        insideHorizontal: line,
        insideVertical: line,
      },
      rows: block.rows.map(
        (row) =>
          new TableRow({
            tableHeader: row.header,
            children: row.cells.map((_, i) => cell(row, i, widths, block.small ? 15 : 18)),
          }),
      ),
    }),
  );
  out.push(new Paragraph({ children: [] }));
  return out;
}

function render(block: Block): (Paragraph | Table)[] {
  if (block.kind === "heading")
    return [
      new Paragraph({
        heading: block.level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2,
        keepNext: true,
        children: [new TextRun({ text: block.text })],
      }),
    ];
  if (block.kind === "paragraph")
    return [
      new Paragraph({
        spacing: { after: 120 },
        children: [run(block.text, { bold: block.bold, italics: block.italic })],
      }),
    ];
  return table(block);
}

export function reportDocument(model: ReportModel): Document {
  return new Document({
    creator: "Uppföljaren",
    title: model.title,
    styles: { default: { document: { run: { font: FONT, size: 22, language: { value: "sv-SE" } } } } },
    sections: [
      {
        children: [
          ...(model.subject
            ? [new Paragraph({ children: [run(model.subject, { bold: true, size: 28 })] })]
            : []),
          new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun({ text: model.title })] }),
          new Paragraph({ children: [new TextRun({ text: model.subtitle, italics: true })] }),
          ...model.blocks.flatMap(render),
        ],
      },
    ],
  });
}

/** The .docx bytes (Node). */
export function reportDocxBuffer(model: ReportModel): Promise<Buffer> {
  return Packer.toBuffer(reportDocument(model));
}

/** The .docx as a Blob (browsers: the pane). */
export function reportDocxBlob(model: ReportModel): Promise<Blob> {
  return Packer.toBlob(reportDocument(model));
}
