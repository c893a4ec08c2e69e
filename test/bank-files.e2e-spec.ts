import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { startTestApp, TestApp } from '@test/harness';
import { parseYuanToFen } from '@libs/money';
import { parseCsv } from '../src/platform/export/tabular-read';
import { RUN_BATCH_JOB } from '../src/settlement/settlement-batches.service';
import { addAllotments, addReceiptLines, addVerifiedPayeeAccounts, APPROVE, checkerUser, Gql, HEALTHY, ledgerInvariants, orgOf } from './support/settlement-fixtures';

const START = `mutation($input: StartSettlementBatchInput!) { startSettlementBatch(input: $input) { id state } }`;
const BANK_FILE = `query($b: ID!, $f: String!, $e: FileEncoding) {
  paymentInstructionFile(batchId: $b, format: $f, layout: BANK_BATCH, encoding: $e) { filename contentType contentBase64 rows total } }`;
const INSTRUCTIONS = `query($b: ID) { paymentInstructions(batchId: $b) { nodes { id manufacturerId amount state reference payeeAccountId failureReason } } }`;
const PROPOSE = `mutation($input: ProposePayeeAccountInput!) { proposePayeeAccount(input: $input) { id } }`;
const VERIFY = `mutation($id: ID!) { verifyPayeeAccount(accountId: $id) { account { id state } } }`;

const MARCH = { regionCode: '410000', periodStart: '2026-03-01T00:00:00+08:00', periodEnd: '2026-04-01T00:00:00+08:00' };
const APRIL = { regionCode: '410000', periodStart: '2026-04-01T00:00:00+08:00', periodEnd: '2026-05-01T00:00:00+08:00' };
/** A payee whose registered name a spreadsheet would run as a formula (as a hostile or careless entry might read). */
const FORMULA_NAME = '=HYPERLINK("http://evil.example","河南某药业")';

const fen = (yuan: string) => parseYuanToFen(yuan);

describe('bank-ready payment files, bank statements, exceptions and reconciliation', () => {
  let t: TestApp;
  let checker: Gql;
  let office: { id: string };
  let alpha: string;
  let beta: string;
  let gamma: string;
  let march: string;
  const settle = () => t.as('settle-henan');

  const prepare = async (key: string, period = MARCH) => {
    const id = (await settle().ok(START, { input: { ...period, idempotencyKey: key } })).startSettlementBatch.id as string;
    await t.jobs.runNow(RUN_BATCH_JOB, { batchId: id });
    return id;
  };
  const instructions = async (batchId: string) => (await settle().ok(INSTRUCTIONS, { b: batchId })).paymentInstructions.nodes as any[];
  const balance = async (kind: string, ownerId: string) => {
    const [row] = await t.sql('SELECT balance_fen::text AS b FROM ledger_account WHERE kind = $1 AND owner_id = $2', [kind, ownerId]);
    return row ? BigInt(row.b) : 0n;
  };

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-04-02T09:00:00+08:00' });
    checker = await checkerUser(t);
    office = await orgOf(t, 'settle-henan');
    const hosp1 = await orgOf(t, 'hosp-zz-1');
    const hosp2 = await orgOf(t, 'hosp-zz-2');
    alpha = (await orgOf(t, 'mfr-alpha')).id;
    beta = (await orgOf(t, 'mfr-beta')).id;
    gamma = (await orgOf(t, 'mfr-gamma')).id;
    await t.sql('UPDATE organisation SET name = $2 WHERE id = $1', [gamma, FORMULA_NAME]);
    await addVerifiedPayeeAccounts(t, [alpha, beta, gamma]);
    await addAllotments(t);
    await addReceiptLines(t, [
      { hospital: hosp1, manufacturerId: alpha, unitPrice: '1.5000', quantity: 100, acceptedAt: '2026-03-05T10:00:00+08:00' },
      { hospital: hosp2, manufacturerId: alpha, unitPrice: '0.0100', quantity: 7, acceptedAt: '2026-03-06T10:00:00+08:00' },
      { hospital: hosp1, manufacturerId: beta, unitPrice: '12.3400', quantity: 3, acceptedAt: '2026-03-07T10:00:00+08:00' },
      { hospital: hosp2, manufacturerId: gamma, unitPrice: '2.1000', quantity: 10, acceptedAt: '2026-03-08T10:00:00+08:00' },
    ]);
    march = await prepare('bank-files-march');
    await checker.ok(APPROVE, { b: march });
  });
  afterAll(() => t.close());

  it('refuses the bank file until the settlement office has a verified payer account (maker-checker, as payee accounts)', async () => {
    expect(await settle().refused(BANK_FILE, { b: march, f: 'CSV' })).toMatchObject({ code: 'PAYER_ACCOUNT_MISSING', field: 'batchId' });
    const [org] = await t.sql('SELECT name FROM organisation WHERE id = $1', [office.id]);
    const proposed = (await settle().ok(PROPOSE, {
      input: { organisationId: office.id, accountName: org.name, accountNumber: '41050100000000000001', bankName: '中国建设银行', branchName: '郑州金水支行', cnapsCode: '105491000015', effectiveFrom: '2026-01-01T00:00:00+08:00' },
    })).proposePayeeAccount;
    // proposed only: still no payer account
    expect(await settle().refused(BANK_FILE, { b: march, f: 'CSV' })).toMatchObject({ code: 'PAYER_ACCOUNT_MISSING' });
    await checker.ok(VERIFY, { id: proposed.id });
  });

  it('writes a CSV a bank executes: control count and total, valid payee accounts, unique references, formula-safe names', async () => {
    const file = (await settle().ok(BANK_FILE, { b: march, f: 'CSV' })).paymentInstructionFile;
    expect(file).toMatchObject({ filename: `bank-payment-${march}.csv`, contentType: 'text/csv; charset=utf-8', rows: 3, total: '208.09' });
    const bytes = Buffer.from(file.contentBase64, 'base64');
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const table = parseCsv(bytes.toString('utf8')).map((r) => r.values);
    expect(table[0]).toEqual(['总笔数', '总金额', '付款账号', '付款户名', '付款行名称']);
    const [officeOrg] = await t.sql('SELECT name FROM organisation WHERE id = $1', [office.id]);
    expect(table[1]).toEqual(['3', '208.09', '41050100000000000001', officeOrg.name, '中国建设银行郑州金水支行']);
    expect(table[2]).toEqual(['序号', '付款账号', '收款账号', '收款户名', '收款行行号', '收款行名称', '金额', '用途', '业务参考号']);
    const details = table.slice(3);
    expect(details).toHaveLength(3);

    // the control total is the sum of the rows, each amount exactly 2 decimals (150.07 = 150.00 + 0.07)
    expect(details.map((d) => d[6]).sort()).toEqual(['150.07', '21.00', '37.02']);
    expect(details.every((d) => /^\d+\.\d{2}$/.test(d[6]))).toBe(true);
    expect(details.reduce((sum, d) => sum + fen(d[6]), 0n)).toBe(fen(table[1][1]));
    expect(details.map((d) => d[0])).toEqual(['1', '2', '3']);
    expect(details.every((d) => d[1] === '41050100000000000001')).toBe(true);

    // each row carries the verified payee account the instruction was issued to, and the instruction's reference
    const issued = await instructions(march);
    const accounts = await t.sql(`SELECT organisation_id, account_number, account_name, cnaps_code FROM payee_account WHERE organisation_id = ANY($1::uuid[])`, [[alpha, beta, gamma]]);
    for (const instruction of issued) {
      const account = accounts.find((a) => a.organisation_id === instruction.manufacturerId);
      const row = details.find((d) => d[8] === instruction.reference)!;
      expect(row).toBeDefined();
      expect(row[2]).toBe(account.account_number);
      expect(row[2]).toMatch(/^\d{8,32}$/);
      expect(row[4]).toBe(account.cnaps_code);
      expect(row[4]).toMatch(/^\d{12}$/);
      expect(row[6]).toBe(instruction.amount);
      expect(row[7]).toBe('集采药品耗材货款');
      // the formula-looking name is neutralised with a leading apostrophe; the others are as registered
      expect(row[3]).toBe(instruction.manufacturerId === gamma ? `'${FORMULA_NAME}` : account.account_name);
    }
    expect(new Set(details.map((d) => d[8])).size).toBe(3);
    expect(details.every((d) => /^VBP\d{12}$/.test(d[8]))).toBe(true);
  });

  it('writes the same file in GBK on request, decoding to the same Chinese names', async () => {
    const utf8 = (await settle().ok(BANK_FILE, { b: march, f: 'CSV', e: 'UTF8' })).paymentInstructionFile;
    const gbk = (await settle().ok(BANK_FILE, { b: march, f: 'CSV', e: 'GBK' })).paymentInstructionFile;
    expect(gbk).toMatchObject({ contentType: 'text/csv; charset=GBK', rows: 3, total: '208.09' });
    const gbkBytes = Buffer.from(gbk.contentBase64, 'base64');
    const [alphaOrg] = await t.sql('SELECT name FROM organisation WHERE id = $1', [alpha]);
    // really GBK: the UTF-8 bytes of a Chinese name are not in it, its GBK bytes are
    expect(gbkBytes.includes(Buffer.from(alphaOrg.name, 'utf8'))).toBe(false);
    expect(gbkBytes.includes(iconv.encode(alphaOrg.name, 'gbk'))).toBe(true);
    const fromGbk = parseCsv(iconv.decode(gbkBytes, 'gbk')).map((r) => r.values);
    const fromUtf8 = parseCsv(Buffer.from(utf8.contentBase64, 'base64').toString('utf8')).map((r) => r.values);
    expect(fromGbk).toEqual(fromUtf8);
    expect(fromGbk.flat()).toContain(alphaOrg.name);
    expect(await settle().refused(BANK_FILE, { b: march, f: 'XLSX', e: 'GBK' })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'encoding' });
    expect((await settle().refused(BANK_FILE, { b: march, f: 'CSV', e: 'BIG5' })).code).toBe('VALIDATION_FAILED');
  });

  it('writes the XLSX with the same cells, every one a string cell (no formula, no rounding)', async () => {
    const csv = (await settle().ok(BANK_FILE, { b: march, f: 'CSV' })).paymentInstructionFile;
    const xlsx = (await settle().ok(BANK_FILE, { b: march, f: 'XLSX' })).paymentInstructionFile;
    expect(xlsx).toMatchObject({ filename: `bank-payment-${march}.xlsx`, rows: 3, total: '208.09' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(xlsx.contentBase64, 'base64') as any);
    const sheet = workbook.getWorksheet('批量付款')!;
    const cells: ExcelJS.Cell[][] = [];
    sheet.eachRow((row) => {
      const line: ExcelJS.Cell[] = [];
      row.eachCell({ includeEmpty: true }, (cell) => line.push(cell));
      cells.push(line);
    });
    expect(cells.flat().every((cell) => cell.type === ExcelJS.ValueType.String)).toBe(true);
    const values = cells.map((line) => line.map((cell) => cell.value as string));
    const fromCsv = parseCsv(Buffer.from(csv.contentBase64, 'base64').toString('utf8')).map((r) => r.values);
    // the same table, except that an XLSX string cell needs no apostrophe to stay text
    expect(values).toEqual(fromCsv.map((line) => line.map((v) => (v === `'${FORMULA_NAME}` ? FORMULA_NAME : v))));
    expect(values[1].slice(0, 2)).toEqual(['3', '208.09']);
  });

  it('serves bank files to the settlement office only', async () => {
    expect((await t.as('mfr-alpha').refused(BANK_FILE, { b: march, f: 'CSV' })).code).toBe('FORBIDDEN');
    expect((await t.as('hosp-zz-1').refused(BANK_FILE, { b: march, f: 'CSV' })).code).toBe('FORBIDDEN');
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);
  });
});
