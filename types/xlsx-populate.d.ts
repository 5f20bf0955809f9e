// Hand-written declarations for the parts of xlsx-populate (1.21) the .xlsx host uses. The library ships
// no types; anything not listed here is deliberately not used (or reached through `XmlNode` internals in
// src/hosts/xlsx, where noted).
declare module "xlsx-populate" {
  namespace XlsxPopulate {
    interface XmlNode {
      name: string;
      attributes: Record<string, string | number>;
      children: (XmlNode | string | number)[];
    }

    class FormulaError {
      error(): string;
    }

    class RichText {
      text(): string;
    }

    type CellValue = string | number | boolean | Date | RichText | FormulaError | undefined | null;

    interface Cell {
      value(): CellValue;
      value(value: string | number | boolean | Date | null | undefined): Cell;
      formula(): string | undefined;
      formula(formula: string): Cell;
      style(name: string): unknown;
      style(styles: Record<string, unknown>): Cell;
      rowNumber(): number;
      columnNumber(): number;
      address(opts?: { includeSheetName?: boolean; anchored?: boolean }): string;
    }

    interface Range {
      value(): CellValue[][];
      value(values: (string | number | boolean | Date | null | undefined)[][]): Range;
      style(styles: Record<string, unknown>): Range;
      merged(): boolean;
      merged(merged: boolean): Range;
      cell(ri: number, ci: number): Cell;
      address(opts?: { includeSheetName?: boolean; anchored?: boolean }): string;
    }

    interface Column {
      width(): number | undefined;
      width(width: number): Column;
    }

    interface Row {
      height(): number | undefined;
      height(height: number): Row;
    }

    interface Sheet {
      name(): string;
      row(rowNumber: number): Row;
      cell(row: number, column: number): Cell;
      cell(address: string): Cell;
      range(startRow: number, startCol: number, endRow: number, endCol: number): Range;
      range(address: string): Range;
      column(columnNumber: number): Column;
      usedRange(): Range | undefined;
      freezePanes(xSplit: number, ySplit: number): Sheet;
      merged(address: string): boolean;
      hidden(): boolean | "very";
      /** Internal: the worksheet's parsed XML (used for <sheetProtection>, <pageSetup>, merges). */
      _node: XmlNode;
      /** Internal: merged cell references, keyed by "A1:B2". */
      _mergeCells: Record<string, XmlNode>;
      /** Internal: the sheet's <sheet> node in workbook.xml. */
      _idNode: XmlNode;
      /** Internal: <sheetPr>. */
      _sheetPrNode: XmlNode;
    }

    interface Workbook {
      sheets(): Sheet[];
      sheet(nameOrIndex: string | number): Sheet | undefined;
      addSheet(name: string, indexOrBeforeSheet?: number | string | Sheet): Sheet;
      deleteSheet(sheet: Sheet | string | number): Workbook;
      moveSheet(sheet: Sheet | string | number, indexOrBeforeSheet?: number | string | Sheet): Workbook;
      activeSheet(): Sheet;
      activeSheet(sheet: Sheet | string | number): Workbook;
      definedName(name: string): unknown;
      definedName(name: string, refersTo: string | null): Workbook;
      scopedDefinedName(sheetScope: Sheet | undefined, name: string, refersTo?: string | null): unknown;
      outputAsync(opts?: { type?: "nodebuffer" }): Promise<Buffer>;
      /** Internal: workbook.xml. */
      _node: XmlNode;
    }

    function fromDataAsync(
      data: Buffer | Uint8Array | ArrayBuffer,
      opts?: { password?: string },
    ): Promise<Workbook>;
    function fromBlankAsync(): Promise<Workbook>;
    function numberToDate(n: number): Date;
    function dateToNumber(d: Date): number;
  }

  export = XlsxPopulate;
}
