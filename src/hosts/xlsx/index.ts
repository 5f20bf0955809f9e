/** The .xlsx host: open a workbook file, refresh it through the shared pipeline, write the bytes. */
export { XlsxWorkbook, columnName, type OpenOptions } from "./port";
export { XlsxFileError, CONFIG_NAMESPACE_URI, type OpenErrorCode, type WorkbookFormat } from "./package";
import { XlsxWorkbook, type OpenOptions } from "./port";

/** Opens .xlsx/.xlsm bytes; throws XlsxFileError with a Swedish "Filen X kan inte läsas: …" message. */
export function openWorkbook(
  bytes: Uint8Array,
  fileName?: string,
  options?: OpenOptions,
): Promise<XlsxWorkbook> {
  return XlsxWorkbook.open(bytes, fileName, options);
}
