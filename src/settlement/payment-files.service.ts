import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { formatFenAsYuan } from '@libs/money';
import { formatShanghai } from '@libs/calendar';
import { Db } from '../platform/database/db';
import { RequestContext } from '../platform/context/request-context';
import { SettlementErrors } from './settlement.errors';
import { SettlementReportsService } from './settlement-reports.service';
import { PaymentFile } from './dto/settlement.inputs';

const COLUMNS = ['instruction_id', 'batch_id', 'payee_name', 'payee_credit_code', 'amount_yuan', 'currency', 'issued_at'];

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Payment files for the bank: one row per instruction (payee, credit code, amount in yuan with 2 decimals as
 * text, so no spreadsheet rounds it). Returned base64-encoded over GraphQL; see docs/api-settlement.md.
 */
@Injectable()
export class PaymentFilesService {
  constructor(
    private readonly db: Db,
    private readonly reports: SettlementReportsService,
  ) {}

  async export(ctx: RequestContext, batchId: string, format: 'CSV' | 'XLSX'): Promise<PaymentFile> {
    const batch = await this.reports.batch(ctx, batchId);
    if (batch.state !== 'COMPLETED') throw SettlementErrors.batchRunning();
    const rows: { id: string; name: string; credit_code: string; amount_fen: string; issued_at: Date }[] = await this.db.manager.query(
      `SELECT i.id, o.name, o.credit_code, i.amount_fen::text, i.issued_at FROM payment_instruction i JOIN organisation o ON o.id = i.manufacturer_id
        WHERE i.batch_id = $1 AND i.state <> 'HELD' ORDER BY o.credit_code, i.id`,
      [batchId],
    );
    const records = rows.map((r) => [r.id, batchId, r.name, r.credit_code, formatFenAsYuan(BigInt(r.amount_fen)), 'CNY', formatShanghai(r.issued_at)]);
    const base = `payment-instructions-${batchId}`;
    if (format === 'CSV') {
      // BOM so spreadsheet programs read the Chinese names as UTF-8
      const text = '\uFEFF' + [COLUMNS, ...records].map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n';
      return { filename: `${base}.csv`, contentType: 'text/csv; charset=utf-8', contentBase64: Buffer.from(text, 'utf8').toString('base64'), rows: records.length };
    }
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('instructions');
    sheet.addRow(COLUMNS);
    for (const record of records) sheet.addRow(record);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    return { filename: `${base}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', contentBase64: buffer.toString('base64'), rows: records.length };
  }
}
