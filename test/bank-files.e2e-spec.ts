import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { startTestApp, TestApp } from '@test/harness';
import { parseYuanToFen } from '@libs/money';
import { parseCsv } from '../src/platform/import/tabular-import';
import { RUN_BATCH_JOB } from '../src/settlement/settlement-batches.service';
import { addAllotments, addReceiptLines, addVerifiedPayeeAccounts, APPROVE, checkerUser, Gql, HEALTHY, ledgerInvariants, orgOf } from './support/settlement-fixtures';

const START = `mutation($input: StartSettlementBatchInput!) { startSettlementBatch(input: $input) { id state } }`;
const BANK_FILE = `query($b: ID!, $f: String!, $e: FileEncoding) {
  paymentInstructionFile(batchId: $b, format: $f, layout: BANK_BATCH, encoding: $e) { filename contentType contentBase64 rows total } }`;
const INSTRUCTIONS = `query($b: ID) { paymentInstructions(batchId: $b) { nodes { id manufacturerId amount state reference payeeAccountId failureReason } } }`;
const PROPOSE = `mutation($input: ProposePayeeAccountInput!) { proposePayeeAccount(input: $input) { id } }`;
const VERIFY = `mutation($id: ID!) { verifyPayeeAccount(accountId: $id) { account { id state } } }`;
const IMPORT = `mutation($input: ImportBankStatementInput!) {
  importBankStatement(input: $input) { id fileName format entryCount matchedCount exceptionCount alreadyImportedCount } }`;
const EXCEPTIONS = `query($state: BankExceptionState, $b: ID) { bankExceptions(state: $state, batchId: $b, first: 50) {
  totalCount nodes { id kind detail state instructionId batchId resolution note entry { bankSerial direction amount reference counterpartyName remark outcome } } } }`;
const RESOLVE = `mutation($input: ResolveBankExceptionInput!) { resolveBankException(input: $input) { id state resolution note instructionId resolvedByUserId } }`;
const RECONCILIATION = `query($b: ID!) { bankReconciliation(batchId: $b) {
  batchId ok settled instructed ledgerPaid bankNet difference openExceptions
  rows { instructionId reference manufacturerId payeeName instructionState settled instructed ledgerPaid bankDebits bankCredits difference status openExceptions } } }`;
const RECONCILIATION_FILE = `query($b: ID!, $f: String!) { bankReconciliationFile(batchId: $b, format: $f) { filename contentType base64 } }`;
const LINES = `query($m: ID) { payableLines(filter: { manufacturerId: $m }, first: 50) { lineId batchId amount paidAt } }`;

const STATEMENT_HEADER = ['交易日期', '流水号', '借贷标志', '金额', '对方账号', '对方户名', '业务参考号', '摘要'];
/** A statement as the bank's CSV export: header and rows, formula-safe quoting not needed for these values. */
const statementCsv = (rows: string[][]) => [STATEMENT_HEADER, ...rows].map((r) => r.map((v) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join('\r\n') + '\r\n';

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

  /** The payee rows of the march bank file, by manufacturer. */
  const payees = async () => {
    const accounts = await t.sql(`SELECT organisation_id, account_number, account_name FROM payee_account WHERE organisation_id = ANY($1::uuid[])`, [[alpha, beta, gamma]]);
    const issued = await instructions(march);
    const of = (m: string) => ({ ...accounts.find((a) => a.organisation_id === m), ...issued.find((i) => i.manufacturerId === m) });
    return { a: of(alpha), b: of(beta), g: of(gamma) };
  };

  it('imports a bank statement: payments matched by reference and amount; the returned and the duplicate entry (and one without reference) land in exceptions', async () => {
    const { a, b, g } = await payees();
    // a bad row refuses the whole file with its line and field; nothing is written
    const bad = statementCsv([
      ['2026-04-03', 'S001', '借', '150.07', a.account_number, a.account_name, a.reference, '批量代付'],
      ['2026-04-03', 'S002', '借', '37.025', b.account_number, b.account_name, b.reference, '批量代付'],
    ]);
    const refusal = await settle().gql(IMPORT, { input: { format: 'CSV', contentBase64: Buffer.from(bad).toString('base64') } });
    expect(refusal.errors![0].extensions).toMatchObject({ code: 'IMPORT_FILE_INVALID', field: 'amount', line: 3 });
    expect(refusal.errors![0].message).toMatch(/^第 3 行：金额无效/);
    const noSerial = statementCsv([['2026-04-03', '', '借', '150.07', a.account_number, a.account_name, a.reference, '']]);
    expect(await settle().refused(IMPORT, { input: { format: 'CSV', contentBase64: Buffer.from(noSerial).toString('base64') } })).toMatchObject({ code: 'IMPORT_FILE_INVALID', field: 'bankSerial' });
    expect(await t.sql('SELECT count(*)::int AS n FROM bank_statement')).toEqual([{ n: 0 }]);

    const statement = statementCsv([
      ['2026-04-03', 'S001', '借', '150.07', a.account_number, a.account_name, a.reference, '批量代付'],
      ['2026-04-03', 'S002', '借', '37.02', b.account_number, b.account_name, b.reference, '批量代付'],
      ['2026-04-03', 'S003', '借', '21.00', g.account_number, FORMULA_NAME, '', '批量代付'],
      ['2026-04-04', 'S004', '贷', '37.02', b.account_number, b.account_name, b.reference, '退汇：收款账户已销户'],
      ['2026-04-04', 'S005', '借', '150.07', a.account_number, a.account_name, a.reference, '批量代付'],
    ]);
    const gbk = iconv.encode(statement, 'gbk').toString('base64');
    const imported = (await settle().ok(IMPORT, { input: { format: 'CSV', encoding: 'GBK', fileName: '对账单-2026-04-04.csv', contentBase64: gbk } })).importBankStatement;
    expect(imported).toMatchObject({ fileName: '对账单-2026-04-04.csv', format: 'CSV', entryCount: 5, matchedCount: 2, exceptionCount: 3, alreadyImportedCount: 0 });

    const after = await instructions(march);
    const state = (m: string) => after.find((i) => i.manufacturerId === m);
    expect(state(alpha)).toMatchObject({ state: 'PAID' });
    expect(state(beta)).toMatchObject({ state: 'FAILED', failureReason: '退汇：收款账户已销户（流水号 S004）' });
    expect(state(gamma)).toMatchObject({ state: 'ISSUED' });

    const queue = (await settle().ok(EXCEPTIONS, { state: 'OPEN' })).bankExceptions;
    expect(queue.totalCount).toBe(3);
    const byKind = Object.fromEntries(queue.nodes.map((x: any) => [x.kind, x]));
    expect(Object.keys(byKind).sort()).toEqual(['DUPLICATE', 'RETURNED', 'UNMATCHED']);
    expect(byKind.RETURNED).toMatchObject({ instructionId: b.id, batchId: march, entry: { bankSerial: 'S004', direction: 'CREDIT', amount: '37.02', reference: b.reference, outcome: 'RETURNED' } });
    expect(byKind.DUPLICATE).toMatchObject({ instructionId: a.id, batchId: march, entry: { bankSerial: 'S005', direction: 'DEBIT', amount: '150.07', outcome: 'DUPLICATE' } });
    expect(byKind.UNMATCHED).toMatchObject({ instructionId: null, batchId: null, entry: { bankSerial: 'S003', reference: '', amount: '21.00', counterpartyName: FORMULA_NAME } });
    expect((await settle().ok(EXCEPTIONS, { state: 'OPEN', b: march })).bankExceptions.totalCount).toBe(2);

    // the return went back through the ledger: clearing → payable, a journal naming the issue journal
    expect(await balance('PAYABLE', beta)).toBe(3_702n);
    const [journal] = await t.sql(
      `SELECT j.kind, j.reverses_journal_id = i.issue_journal_id AS reverses FROM ledger_journal j JOIN payment_instruction i ON i.id = $1
        WHERE j.kind = 'PAYMENT_FAILED' AND j.description LIKE '%' || i.id || '%'`,
      [b.id],
    );
    expect(journal).toEqual({ kind: 'PAYMENT_FAILED', reverses: true });
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);

    // the same statement again: the same statement, nothing new
    const again = (await settle().ok(IMPORT, { input: { format: 'CSV', encoding: 'GBK', contentBase64: gbk } })).importBankStatement;
    expect(again).toEqual(imported);
    expect(await t.sql('SELECT count(*)::int AS n FROM bank_statement_entry')).toEqual([{ n: 5 }]);
    expect((await settle().ok(EXCEPTIONS, {})).bankExceptions.totalCount).toBe(3);
    expect(await balance('PAYABLE', beta)).toBe(3_702n);
  });

  it('reopens the returned payment’s line: unpaid again, and the next batch pays it with a new reference', async () => {
    const lines = (await settle().ok(LINES, { m: beta })).payableLines;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ batchId: march, amount: '37.02', paidAt: null });
    expect((await settle().ok(LINES, { m: alpha })).payableLines.every((l: any) => l.paidAt !== null)).toBe(true);
    expect(await t.sql(`SELECT instruction_id FROM batch_payable WHERE batch_id = $1 AND manufacturer_id = $2`, [march, beta])).toEqual([{ instruction_id: null }]);

    const april = await prepare('bank-files-april', APRIL);
    await checker.ok(APPROVE, { b: april });
    const [again] = await instructions(april);
    const { b } = await payees();
    expect(again).toMatchObject({ manufacturerId: beta, amount: '37.02', state: 'ISSUED' });
    expect(again.reference).not.toBe(b.reference);
    const file = (await settle().ok(BANK_FILE, { b: april, f: 'CSV' })).paymentInstructionFile;
    expect(file).toMatchObject({ rows: 1, total: '37.02' });
    expect(parseCsv(Buffer.from(file.contentBase64, 'base64').toString('utf8'))[3].values[8]).toBe(again.reference);
    expect(await t.sql(`SELECT instruction_id FROM batch_payable WHERE batch_id = $1 AND manufacturer_id = $2`, [march, beta])).toEqual([{ instruction_id: again.id }]);

    // its payment on an XLSX statement that overlaps the last one (S004 again: skipped by its serial)
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('对账单');
    sheet.addRow(STATEMENT_HEADER);
    sheet.addRow(['2026-04-04', 'S004', '贷', '37.02', b.account_number, b.account_name, b.reference, '退汇：收款账户已销户']);
    sheet.addRow(['2026-04-08', 'S006', '借', '37.02', b.account_number, b.account_name, again.reference, '批量代付']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
    expect((await settle().ok(IMPORT, { input: { format: 'XLSX', contentBase64: xlsx } })).importBankStatement)
      .toMatchObject({ entryCount: 2, matchedCount: 1, exceptionCount: 0, alreadyImportedCount: 1 });
    expect((await instructions(april))[0]).toMatchObject({ state: 'PAID' });
    expect((await settle().ok(LINES, { m: beta })).payableLines[0].paidAt).not.toBeNull();
    expect(await balance('PAYABLE', beta)).toBe(0n);
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);
  });

  it('reconciles ledger, instructions and bank per batch and shows the differences (GraphQL and a file)', async () => {
    const { a, b, g } = await payees();
    const report = (await settle().ok(RECONCILIATION, { b: march })).bankReconciliation;
    expect(report).toMatchObject({ batchId: march, ok: false, settled: '208.09', instructed: '208.09', ledgerPaid: '171.07', bankNet: '300.14', difference: '-129.07', openExceptions: 2 });
    const row = (id: string) => report.rows.find((r: any) => r.instructionId === id);
    // alpha: paid once in the ledger, twice by the bank (the duplicate)
    expect(row(a.id)).toMatchObject({ instructionState: 'PAID', settled: '150.07', instructed: '150.07', ledgerPaid: '150.07', bankDebits: '300.14', bankCredits: '0.00', difference: '-150.07', status: 'DIFFERENT', openExceptions: 1 });
    // beta: paid and returned, in the ledger as at the bank
    expect(row(b.id)).toMatchObject({ instructionState: 'FAILED', settled: '37.02', instructed: '37.02', ledgerPaid: '0.00', bankDebits: '37.02', bankCredits: '37.02', difference: '0.00', status: 'AGREED', openExceptions: 1 });
    // gamma: the bank's debit carried no reference, so nothing names this instruction yet
    expect(row(g.id)).toMatchObject({ instructionState: 'ISSUED', ledgerPaid: '21.00', bankDebits: '0.00', difference: '21.00', status: 'AWAITING_BANK', openExceptions: 0 });

    const file = (await settle().ok(RECONCILIATION_FILE, { b: march, f: 'CSV' })).bankReconciliationFile;
    const table = parseCsv(Buffer.from(file.base64, 'base64').toString('utf8')).map((r) => r.values);
    expect(table[0]).toEqual(['业务参考号', '收款户名', '指令状态', '本批结算', '指令金额', '账务已付', '银行付出', '银行退回', '差额', '核对结果', '未处理异常']);
    expect(table.slice(1).map((r) => [r[0], r[8], r[9]])).toEqual(
      [...report.rows.map((r: any) => [r.reference, r.difference, r.status]), ['合计', '-129.07', 'DIFFERENT']],
    );
    // the payee name that looks like a formula stays text in the reconciliation file too
    expect(table.find((r) => r[0] === g.reference)![1]).toBe(`'${FORMULA_NAME}`);
    expect((await t.as('reg-henan').ok(RECONCILIATION, { b: march })).bankReconciliation.difference).toBe('-129.07');
    expect((await settle().ok(RECONCILIATION_FILE, { b: march, f: 'XLSX' })).bankReconciliationFile.filename).toBe(`bank-reconciliation-${march}.xlsx`);
  });

  it('works the exceptions queue: a debit matched by hand, the others closed with a note', async () => {
    const { g } = await payees();
    const open = Object.fromEntries((await settle().ok(EXCEPTIONS, { state: 'OPEN' })).bankExceptions.nodes.map((x: any) => [x.kind, x]));
    // only a debit that did not match can be matched by hand, and only to an issued instruction
    expect(await settle().refused(RESOLVE, { input: { exceptionId: open.DUPLICATE.id, resolution: 'MATCHED', instructionId: g.id, note: '误操作' } }))
      .toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.resolution' });
    expect(await settle().refused(RESOLVE, { input: { exceptionId: open.UNMATCHED.id, resolution: 'MATCHED', note: '缺指令' } }))
      .toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.instructionId' });
    expect((await settle().refused(RESOLVE, { input: { exceptionId: open.UNMATCHED.id, resolution: 'NOTED', note: '' } })).code).toBe('VALIDATION_FAILED');
    expect((await t.as('mfr-alpha').refused(RESOLVE, { input: { exceptionId: open.UNMATCHED.id, resolution: 'NOTED', note: '试' } })).code).toBe('FORBIDDEN');

    const matched = (await settle().ok(RESOLVE, { input: { exceptionId: open.UNMATCHED.id, resolution: 'MATCHED', instructionId: g.id, note: '银行未回传业务参考号，按收款账号和金额核对为该笔付款' } })).resolveBankException;
    expect(matched).toMatchObject({ state: 'RESOLVED', resolution: 'MATCHED', instructionId: g.id });
    expect((await instructions(march)).find((i) => i.id === g.id)).toMatchObject({ state: 'PAID' });
    expect(await settle().refused(RESOLVE, { input: { exceptionId: open.UNMATCHED.id, resolution: 'NOTED', note: '再次处理' } })).toMatchObject({ code: 'BANK_EXCEPTION_NOT_OPEN' });
    await settle().ok(RESOLVE, { input: { exceptionId: open.RETURNED.id, resolution: 'NOTED', note: '收款方已提供新账户，已由四月批次重新支付' } });
    await checker.ok(RESOLVE, { input: { exceptionId: open.DUPLICATE.id, resolution: 'NOTED', note: '重复付款已联系收款方退回，待银行退款入账' } });
    expect((await settle().ok(EXCEPTIONS, { state: 'OPEN' })).bankExceptions.totalCount).toBe(0);

    const report = (await settle().ok(RECONCILIATION, { b: march })).bankReconciliation;
    expect(report.rows.find((r: any) => r.instructionId === g.id)).toMatchObject({ bankDebits: '21.00', difference: '0.00', status: 'AGREED' });
    // the duplicate's money is still out: the reconciliation keeps showing it until the bank credits it back
    expect(report).toMatchObject({ ok: false, difference: '-150.07', openExceptions: 0 });
    const audit = await t.sql(`SELECT action FROM audit_log WHERE entity_type = 'bank_exception' ORDER BY seq`);
    expect(audit.map((x) => x.action)).toEqual(Array(3).fill('settlement.bank-exception.resolved'));
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);
  });

  it('serves bank files, statements and the queue to the settlement office only', async () => {
    expect((await t.as('mfr-alpha').refused(BANK_FILE, { b: march, f: 'CSV' })).code).toBe('FORBIDDEN');
    expect((await t.as('hosp-zz-1').refused(BANK_FILE, { b: march, f: 'CSV' })).code).toBe('FORBIDDEN');
    expect((await t.as('hosp-zz-1').refused(EXCEPTIONS, {})).code).toBe('FORBIDDEN');
    expect((await t.as('reg-henan').refused(IMPORT, { input: { format: 'CSV', contentBase64: '' } })).code).toBe('FORBIDDEN');
    expect((await t.as('mfr-alpha').refused(RECONCILIATION, { b: march })).code).toBe('FORBIDDEN');
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);
  });
});
