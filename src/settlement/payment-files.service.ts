import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { formatFenAsYuan } from '@libs/money';
import { formatShanghai } from '@libs/calendar';
import { Db } from '../platform/database/db';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { csvField } from '../platform/export/tabular-file';
import { stateEnum } from '../platform/graphql/state-enum';
import { SettlementErrors } from './settlement.errors';
import { SettlementReportsService } from './settlement-reports.service';
import { accountsInEffect } from './payee-accounts.sql';
import { PaymentFile } from './dto/settlement.inputs';

const COLUMNS = ['instruction_id', 'batch_id', 'payee_name', 'payee_credit_code', 'amount_yuan', 'currency', 'issued_at'];

export const PAYMENT_FILE_LAYOUTS = ['REGISTER', 'BANK_BATCH'] as const;
export type PaymentFileLayout = (typeof PAYMENT_FILE_LAYOUTS)[number];
export const PaymentFileLayoutEnum = stateEnum(
  PAYMENT_FILE_LAYOUTS,
  'PaymentFileLayout',
  'REGISTER: the instruction register (ids, payees, amounts); BANK_BATCH: the batch-payment file a bank executes (accounts, CNAPS codes, control total)',
);
export const FILE_ENCODINGS = ['UTF8', 'GBK'] as const;
export type FileEncoding = (typeof FILE_ENCODINGS)[number];
export const FileEncodingEnum = stateEnum(FILE_ENCODINGS, 'FileEncoding', 'Character encoding of a CSV: UTF8 (with BOM) or GBK (what many bank systems still read)');

/** The control block's header, the values below it, then the detail header: what Chinese bank batch-payment (批量代付) templates ask for. */
export const BANK_CONTROL_HEADER = ['总笔数', '总金额', '付款账号', '付款户名', '付款行名称'];
export const BANK_DETAIL_HEADER = ['序号', '付款账号', '收款账号', '收款户名', '收款行行号', '收款行名称', '金额', '用途', '业务参考号'];
/** 用途 of every payment: what the fund pays for. */
export const BANK_PURPOSE = '集采药品耗材货款';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function branchFullName(bankName: string, branchName: string): string {
  return branchName.startsWith(bankName) ? branchName : `${bankName}${branchName}`;
}

/**
 * Payment files for the bank. REGISTER: one row per instruction (payee, credit code, amount in yuan with 2
 * decimals as text, so no spreadsheet rounds it). BANK_BATCH: the batch-payment file the fund's bank executes —
 * a control block (count and sum), then one row per ISSUED instruction with the payer account (the settlement
 * office's verified account in effect), the payee account recorded on the instruction, its CNAPS code and bank,
 * the amount from integer fen, the purpose and the instruction's unique reference the bank echoes on its
 * statement. CSV in UTF-8 (BOM) or GBK; text cells formula-safe. Returned base64-encoded over GraphQL.
 */
@Injectable()
export class PaymentFilesService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly reports: SettlementReportsService,
  ) {}

  async export(ctx: RequestContext, batchId: string, format: 'CSV' | 'XLSX', layout: PaymentFileLayout = 'REGISTER', encoding: FileEncoding = 'UTF8'): Promise<PaymentFile> {
    const batch = await this.reports.batch(ctx, batchId);
    if (batch.state !== 'COMPLETED') throw SettlementErrors.batchRunning();
    if (layout === 'BANK_BATCH') return this.bankBatch(batch.id, batch.organisationId, format, encoding);
    const rows: { id: string; name: string; credit_code: string; amount_fen: string; issued_at: Date }[] = await this.db.manager.query(
      `SELECT i.id, o.name, o.credit_code, i.amount_fen::text, i.issued_at FROM payment_instruction i JOIN organisation o ON o.id = i.manufacturer_id
        WHERE i.batch_id = $1 AND i.state <> 'HELD' ORDER BY o.credit_code, i.id`,
      [batchId],
    );
    let total = 0n;
    const records = rows.map((r) => {
      total += BigInt(r.amount_fen);
      return [r.id, batchId, r.name, r.credit_code, formatFenAsYuan(BigInt(r.amount_fen)), 'CNY', formatShanghai(r.issued_at)];
    });
    const base = `payment-instructions-${batchId}`;
    if (format === 'CSV') return this.csv(base, [COLUMNS, ...records], encoding, records.length, total);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('instructions');
    sheet.addRow(COLUMNS);
    for (const record of records) sheet.addRow(record);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    return { filename: `${base}.xlsx`, contentType: XLSX_TYPE, contentBase64: buffer.toString('base64'), rows: records.length, totalFen: total };
  }

  private async bankBatch(batchId: string, officeId: string, format: 'CSV' | 'XLSX', encoding: FileEncoding): Promise<PaymentFile> {
    const payerAccountId = (await accountsInEffect(this.db.manager, [officeId], this.clock.now())).get(officeId);
    if (!payerAccountId) throw SettlementErrors.payerAccountMissing();
    const [payer] = await this.db.manager.query<{ account_number: string; account_name: string; bank_name: string; branch_name: string }[]>(
      'SELECT account_number, account_name, bank_name, branch_name FROM payee_account WHERE id = $1',
      [payerAccountId],
    );
    // only ISSUED instructions: HELD ones are not sent, PAID/FAILED ones have their bank result already
    const rows = await this.db.manager.query<{ reference: string; amount_fen: string; account_number: string; account_name: string; cnaps_code: string; bank_name: string; branch_name: string }[]>(
      `SELECT i.reference, i.amount_fen::text, a.account_number, a.account_name, a.cnaps_code, a.bank_name, a.branch_name
         FROM payment_instruction i JOIN payee_account a ON a.id = i.payee_account_id
        WHERE i.batch_id = $1 AND i.state = 'ISSUED' ORDER BY i.reference`,
      [batchId],
    );
    let total = 0n;
    const details = rows.map((r, i) => {
      total += BigInt(r.amount_fen);
      return [String(i + 1), payer.account_number, r.account_number, r.account_name, r.cnaps_code, branchFullName(r.bank_name, r.branch_name), formatFenAsYuan(BigInt(r.amount_fen)), BANK_PURPOSE, r.reference];
    });
    const table = [
      BANK_CONTROL_HEADER,
      [String(details.length), formatFenAsYuan(total), payer.account_number, payer.account_name, branchFullName(payer.bank_name, payer.branch_name)],
      BANK_DETAIL_HEADER,
      ...details,
    ];
    const base = `bank-payment-${batchId}`;
    if (format === 'CSV') return this.csv(base, table, encoding, details.length, total);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('批量付款');
    // every cell a string cell: account numbers keep their digits, amounts their 2 decimals, and a string cell
    // is never evaluated as a formula
    for (const row of table) sheet.addRow(row);
    [8, 22, 22, 30, 14, 30, 14, 18, 18].forEach((width, i) => (sheet.getColumn(i + 1).width = width));
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    return { filename: `${base}.xlsx`, contentType: XLSX_TYPE, contentBase64: buffer.toString('base64'), rows: details.length, totalFen: total };
  }

  /** CRLF lines of formula-safe fields; UTF-8 with a BOM, or GBK (refused when a text has a character GBK lacks). */
  private csv(base: string, table: string[][], encoding: FileEncoding, rows: number, totalFen: bigint): PaymentFile {
    const text = table.map((line) => line.map(csvField).join(',')).join('\r\n') + '\r\n';
    if (encoding === 'GBK') {
      const bytes = iconv.encode(text, 'gbk');
      if (iconv.decode(bytes, 'gbk') !== text) {
        const bad = table.flat().find((cell) => iconv.decode(iconv.encode(cell, 'gbk'), 'gbk') !== cell) ?? '';
        throw SettlementErrors.notEncodable(bad);
      }
      return { filename: `${base}.csv`, contentType: 'text/csv; charset=GBK', contentBase64: bytes.toString('base64'), rows, totalFen };
    }
    // BOM so spreadsheet programs read the Chinese names as UTF-8
    return { filename: `${base}.csv`, contentType: 'text/csv; charset=utf-8', contentBase64: Buffer.from('\uFEFF' + text, 'utf8').toString('base64'), rows, totalFen };
  }
}
