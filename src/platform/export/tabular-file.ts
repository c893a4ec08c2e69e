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

/**
 * Rows as a CSV (UTF-8 with BOM, CRLF) or XLSX file. Decimals stay strings: the file shows exactly what the
 * API computed.
 */
export async function tabularFile<R>(base: string, sheetName: string, columns: TabularColumn<R>[], rows: R[], format: string): Promise<ExportFile> {
  assertExportFormat(format);
  if (format === 'CSV') {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a cell is a scalar of the row (text, number, Date); String() is what the file shows
    const cell = (v: unknown) => (v === null || v === undefined ? '' : /[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
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
