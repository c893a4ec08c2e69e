import { parseCsv, readXlsxRecords, TabularRecord } from '../platform/import/tabular-import';

/** A record of a CSV or XLSX file: its line (row) number and its cells. */
export type FileRecord = TabularRecord;

/** CSV text (RFC 4180 quoting, CRLF or LF, optional BOM) as records; rows whose every cell is blank are skipped. */
export function csvRecords(text: string): FileRecord[] {
  return parseCsv(text).filter((record) => record.values.some((value) => value !== ''));
}

/** The first sheet of an XLSX workbook as records (cells as the text a user typed); null if unreadable. */
export async function xlsxRecords(content: Buffer): Promise<FileRecord[] | null> {
  return readXlsxRecords(content);
}
