import ExcelJS from 'exceljs';

/** A record of a CSV or XLSX file: its line (row) number and its cells. */
export interface FileRecord {
  line: number;
  values: string[];
}

/** CSV text (RFC 4180 quoting, CRLF or LF, optional BOM) as records; blank lines are skipped. */
export function csvRecords(text: string): FileRecord[] {
  const out: FileRecord[] = [];
  let row: string[] = [];
  let cell = '';
  let inQuotes = false;
  let line = 1;
  let startLine = 1;
  const flush = () => {
    row.push(cell);
    if (row.some((c) => c !== '')) out.push({ line: startLine, values: row });
    row = [];
    cell = '';
  };
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inQuotes) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        inQuotes = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell === '') inQuotes = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      flush();
      line++;
      startLine = line;
    } else cell += c;
  }
  if (cell !== '' || row.length) flush();
  return out;
}

/** The first sheet of an XLSX workbook as records (cells as the text a user typed); null if unreadable. */
export async function xlsxRecords(content: Buffer): Promise<FileRecord[] | null> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as never);
  } catch {
    return null;
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const out: FileRecord[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values: string[] = [];
    for (let col = 1; col <= row.cellCount; col++) values.push(cellText(row.getCell(col).value));
    out.push({ line: rowNumber, values });
  });
  return out;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((r) => r.text).join('');
  if (typeof value === 'object' && 'text' in value) return String(value.text);
  if (typeof value === 'object' && 'result' in value) return cellText(value.result);
  if (typeof value === 'object') return '';
  return String(value);
}
