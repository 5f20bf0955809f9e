/** The .xlsx host: open a workbook file, refresh it through the shared pipeline, write the bytes. */
export { XlsxWorkbook, columnName, toStyle } from "./port";
export { XlsxFileError, CONFIG_NAMESPACE_URI, type OpenErrorCode } from "./package";
import { XlsxWorkbook } from "./port";

/** Opens .xlsx bytes; throws XlsxFileError with a Swedish "Filen X kan inte läsas: …" message. */
export function openWorkbook(bytes: Uint8Array, fileName?: string): Promise<XlsxWorkbook> {
  return XlsxWorkbook.open(bytes, fileName);
}
