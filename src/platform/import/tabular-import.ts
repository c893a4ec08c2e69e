import ExcelJS from 'exceljs';

/** Reading uploaded CSV and XLSX files into records of text cells, each with its line (row) number. */

export interface TabularRecord {
  line: number;
  values: string[];
}

/** RFC 4180 CSV: quoted fields with "" escapes and embedded commas or newlines; a record keeps its first line number. */
export function parseCsv(text: string): TabularRecord[] {
  const records: TabularRecord[] = [];
  let values: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    values.push(field);
    if (!(values.length === 1 && values[0] === '')) records.push({ line: recordLine, values });
    values = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      values.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += ch;
  }
  if (field !== '' || values.length) endRecord();
  return records;
}

/** The first sheet of an XLSX workbook as records (null when the file is not a readable workbook with a sheet). */
export async function readXlsxRecords(content: Buffer, minColumns = 0): Promise<TabularRecord[] | null> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as never);
  } catch {
    return null;
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return null;
  const records: TabularRecord[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values: string[] = [];
    for (let col = 1; col <= Math.max(row.cellCount, minColumns); col++) values.push(cellText(row.getCell(col).value));
    records.push({ line: rowNumber, values });
  });
  return records;
}

/** A spreadsheet column's letter(s) from its 0-based index: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** A cell as the text a user typed: dates as YYYY-MM-DD, numbers in their shortest exact decimal form. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((r) => r.text).join('');
  if (typeof value === 'object' && 'text' in value) return String(value.text);
  if (typeof value === 'object' && 'error' in value) return value.error;
  // a formula: its cached result (none stored: empty)
  if (typeof value === 'object') return 'result' in value ? cellText(value.result) : '';
  return String(value);
}
