import { Field, ObjectType } from '@nestjs/graphql';
import ExcelJS from 'exceljs';
import { AppError } from '../errors/app-error';

@ObjectType('ExportFile')
export class ExportFile {
  @Field(() => String)
  filename: string;

  @Field(() => String)
  contentType: string;

  @Field(() => String, { description: 'The file, base64-encoded' })
  base64: string;
}

export type TabularColumn<R> = [keyof R & string, string];

export function assertExportFormat(format: string, field = 'format'): asserts format is 'CSV' | 'XLSX' {
  if (format !== 'CSV' && format !== 'XLSX') throw new AppError('VALIDATION_FAILED', 'format is CSV or XLSX', { field });
}

/** A plain decimal number (e.g. a negative amount "-5.00"): a spreadsheet reads it as a number, never a formula. */
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/**
 * Spreadsheet formula injection (CSV injection): a text cell beginning with = + - @ TAB or CR is run as a
 * formula by spreadsheet programs when a CSV is opened. Such a cell is neutralised by a leading apostrophe (Excel and WPS show the
 * text as typed); plain numbers are left alone.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** One CSV field: formula-safe, quoted when it holds a quote, comma or line break (RFC 4180). */
export function csvField(value: string): string {
  const safe = neutraliseFormula(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Rows as a CSV (UTF-8 with BOM, CRLF) or XLSX file. Decimals stay strings: the file shows exactly what the
 * API computed. CSV text cells are formula-safe (neutraliseFormula); XLSX cells are typed string cells, which
 * spreadsheet programs never evaluate, so they keep their text exactly.
 */
export async function tabularFile<R>(base: string, sheetName: string, columns: TabularColumn<R>[], rows: R[], format: string): Promise<ExportFile> {
  assertExportFormat(format);
  if (format === 'CSV') {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a cell is a scalar of the row (text, number, Date); String() is what the file shows
    const cell = (v: unknown) => (v === null || v === undefined ? '' : csvField(String(v)));
    const text = [columns.map(([, h]) => h).join(','), ...rows.map((r) => columns.map(([k]) => cell(r[k])).join(','))].join('\r\n');
    // a BOM so spreadsheet programs read the Chinese headers as UTF-8
    return { filename: `${base}.csv`, contentType: 'text/csv; charset=utf-8', base64: Buffer.from(`\uFEFF${text}\r\n`, 'utf8').toString('base64') };
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.columns = columns.map(([key, header]) => ({ header, key, width: 16 }));
  for (const r of rows) sheet.addRow(Object.fromEntries(columns.map(([k]) => [k, r[k] instanceof Date ? (r[k] as Date).toISOString() : (r[k] ?? '')])));
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  return { filename: `${base}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', base64: buffer.toString('base64') };
}
