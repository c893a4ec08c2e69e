import ExcelJS from 'exceljs';

/**
 * Reading tabular files people upload (CSV, XLSX): shared by the imports of every context (reference prices,
 * bank statements). Each import validates its rows itself and refuses the whole file with the line at fault.
 */

/** RFC 4180 CSV: quoted fields with "" escapes and embedded commas or newlines; a record keeps its first line number. */
export function parseCsv(text: string): { line: number; values: string[] }[] {
  const records: { line: number; values: string[] }[] = [];
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
