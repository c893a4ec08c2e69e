import { createHash } from 'crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import iconv from 'iconv-lite';
import { formatFenAsYuan, MoneyFormatError, parseYuanToFen } from '@libs/money';
import { isValidDateString } from '@libs/calendar';
import { decideStatementEntry, InstructionFacts, parseDirection, StatementDirection } from '@libs/settlement-rules';
import { Db } from '../platform/database/db';
import { AuditRecord, AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { notFound, validationFailed } from '../platform/errors/app-error';
import { pathWithin, requireUser, scopeOf } from '../platform/auth/scope';
import { Page, PageArgs, paginate } from '../platform/graphql/pagination';
import { byKeys } from '../platform/graphql/loaders';
import { base64DecodedBytes, FILE_IMPORT_MAX_BYTES, payloadTooLarge } from '../platform/http/body-limits';
import { parseCsv, readXlsxRecords, TabularRecord } from '../platform/import/tabular-import';
import { ExportFile, tabularFile } from '../platform/export/tabular-file';
import { BankException, BankExceptionState, BankStatement, BankStatementEntry } from './bank-statement.entity';
import { PAYMENT_LOCK, SettlementBatchesService } from './settlement-batches.service';
import { SettlementReportsService } from './settlement-reports.service';
import { SettlementErrors } from './settlement.errors';
import { BankReconciliation, BankReconciliationRow, ImportBankStatementInput, ResolveBankExceptionInput } from './dto/bank-statement.inputs';

const MAX_ENTRIES = 20_000;

/** The statement's columns: the key, then the header names accepted for it (Chinese as banks export, or English). */
const STATEMENT_COLUMNS = {
  valueDate: ['交易日期', 'valueDate'],
  bankSerial: ['流水号', 'bankSerial'],
  direction: ['借贷标志', 'direction'],
  amount: ['金额', 'amount'],
  counterpartyAccount: ['对方账号', 'counterpartyAccount'],
  counterpartyName: ['对方户名', 'counterpartyName'],
  reference: ['业务参考号', 'reference'],
  remark: ['摘要', 'remark'],
} as const;
type StatementColumn = keyof typeof STATEMENT_COLUMNS;
const OPTIONAL_COLUMNS: readonly StatementColumn[] = ['remark'];

interface ParsedEntry {
  line: number;
  valueDate: string;
  bankSerial: string;
  direction: StatementDirection;
  amountFen: bigint;
  counterpartyAccount: string;
  counterpartyName: string;
  reference: string;
  remark: string;
}

interface RowError {
  line: number;
  field: string;
  message: string;
}

interface InstructionRow {
  id: string;
  reference: string;
  state: InstructionFacts['state'];
  amount_fen: string;
  manufacturer_id: string;
  issue_journal_id: string;
  batch_id: string;
  region_path: string;
  debited: boolean;
  credited: boolean;
}

/**
 * Bank statements of the fund's account: imported (CSV or XLSX, every row validated first — one bad row refuses
 * the file with its line), matched to payment instructions by reference and amount (libs/settlement-rules
 * decideStatementEntry), the rest queued as exceptions a settlement user works; and the per-batch
 * reconciliation of ledger, instructions and bank.
 */
@Injectable()
export class BankStatementsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly batches: SettlementBatchesService,
    private readonly reports: SettlementReportsService,
  ) {}

  // ---- import ------------------------------------------------------------------------------------------------

  async import(ctx: RequestContext, input: ImportBankStatementInput): Promise<BankStatement> {
    const user = requireUser(ctx);
    if (input.format === 'XLSX' && input.encoding === 'GBK') throw validationFailed('input.encoding', 'XLSX 文件固定为 UTF-8，GBK 仅用于 CSV');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.contentBase64.replace(/\s/g, ''))) throw validationFailed('input.contentBase64', '文件内容不是有效的 base64');
    if (base64DecodedBytes(input.contentBase64) > FILE_IMPORT_MAX_BYTES) throw payloadTooLarge(FILE_IMPORT_MAX_BYTES, '导入文件', 'input.contentBase64');
    const content = Buffer.from(input.contentBase64, 'base64');
    if (!content.length) throw validationFailed('input.contentBase64', '文件为空');
    const sha256 = createHash('sha256').update(content).digest('hex');
    const records = input.format === 'CSV' ? parseCsv(this.decode(content, input.encoding ?? 'UTF8')) : await this.xlsxRecords(content);
    const entries = this.validate(records);
    const id = await this.db.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [PAYMENT_LOCK]);
      // the same file again: the statement it made, nothing more
      const [known] = await em.query<{ id: string }[]>('SELECT id FROM bank_statement WHERE organisation_id = $1 AND sha256 = $2', [user.organisationId, sha256]);
      if (known) return known.id;
      return this.record(em, ctx, input, sha256, entries);
    });
    return this.db.manager.findOneByOrFail(BankStatement, { id });
  }

  private decode(content: Buffer, encoding: 'UTF8' | 'GBK'): string {
    if (encoding === 'GBK') return iconv.decode(content, 'gbk');
    const text = content.toString('utf8');
    if (text.includes('\uFFFD')) throw validationFailed('input.encoding', '文件不是有效的 UTF-8 文本；GBK 编码的对账单请指定 encoding: GBK');
    return text;
  }

  private async xlsxRecords(content: Buffer): Promise<TabularRecord[]> {
    const records = await readXlsxRecords(content);
    if (!records) throw validationFailed('input.contentBase64', '不是可读取的 XLSX 文件（或工作簿没有工作表）');
    return records;
  }

  /** Every row checked before anything is written; the first errors (up to 100) refuse the file. */
  private validate(records: { line: number; values: string[] }[]): ParsedEntry[] {
    if (records.length < 2) throw validationFailed('input.contentBase64', '对账单没有数据行');
    if (records.length - 1 > MAX_ENTRIES) throw validationFailed('input.contentBase64', `每个文件最多 ${MAX_ENTRIES} 笔`);
    const header = records[0].values.map((h) => h.trim());
    const index = {} as Record<StatementColumn, number>;
    for (const [key, names] of Object.entries(STATEMENT_COLUMNS) as [StatementColumn, readonly string[]][]) {
      index[key] = header.findIndex((h) => names.includes(h));
      if (index[key] < 0 && !OPTIONAL_COLUMNS.includes(key)) {
        throw SettlementErrors.importInvalid([{ line: records[0].line, field: key, message: `表头缺少列 ${names[0]}（${key}）` }]);
      }
    }
    const errors: RowError[] = [];
    const entries: ParsedEntry[] = [];
    const serials = new Map<string, number>();
    for (const record of records.slice(1)) {
      const cell = (key: StatementColumn) => (index[key] < 0 ? '' : (record.values[index[key]] ?? '').trim());
      const bad = (field: string, message: string) => errors.push({ line: record.line, field, message });
      const before = errors.length;
      const valueDate = cell('valueDate');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(valueDate) || !isValidDateString(valueDate)) bad('valueDate', `交易日期 ${JSON.stringify(valueDate)} 不是有效日期（YYYY-MM-DD）`);
      const bankSerial = cell('bankSerial');
      if (!bankSerial || bankSerial.length > 64) bad('bankSerial', '流水号为空或超过 64 个字符');
      else if (serials.has(bankSerial)) bad('bankSerial', `流水号与第 ${serials.get(bankSerial)} 行重复`);
      else serials.set(bankSerial, record.line);
      const direction = parseDirection(cell('direction'));
      if (!direction) bad('direction', `借贷标志 ${JSON.stringify(cell('direction'))} 应为 借 或 贷`);
      let amountFen = 0n;
      try {
        amountFen = parseYuanToFen(cell('amount').replace(/,/g, ''));
        if (amountFen <= 0n) bad('amount', '金额须大于 0（借贷方向由借贷标志表示）');
      } catch (error) {
        bad('amount', error instanceof MoneyFormatError ? `金额无效：${error.message}` : '金额无效');
      }
      const reference = cell('reference');
      if (reference.length > 64) bad('reference', '业务参考号超过 64 个字符');
      const remark = cell('remark');
      if (remark.length > 200) bad('remark', '摘要超过 200 个字符');
      if (errors.length === before && direction) {
        entries.push({ line: record.line, valueDate, bankSerial, direction, amountFen, counterpartyAccount: cell('counterpartyAccount'), counterpartyName: cell('counterpartyName'), reference, remark });
      }
    }
    if (errors.length) throw SettlementErrors.importInvalid(errors);
    return entries;
  }

  /** Writes the statement and its entries, matching each in file order; returns the statement id. */
  private async record(em: EntityManager, ctx: RequestContext, input: ImportBankStatementInput, sha256: string, entries: ParsedEntry[]): Promise<string> {
    const user = requireUser(ctx);
    const now = this.clock.now();
    const [statement] = await em.query<{ id: string }[]>(
      `INSERT INTO bank_statement (organisation_id, file_name, format, sha256, entry_count, matched_count, exception_count, already_imported_count, imported_by_user_id, imported_at)
       VALUES ($1, $2, $3, $4, $5, 0, 0, 0, $6, $7) RETURNING id`,
      [user.organisationId, input.fileName ?? `bank-statement.${input.format.toLowerCase()}`, input.format, sha256, entries.length, user.id, now],
    );
    // entries an earlier statement already holds (overlapping statements) are skipped by their bank serial
    const seen = new Set(
      (await em.query<{ bank_serial: string }[]>('SELECT bank_serial FROM bank_statement_entry WHERE organisation_id = $1 AND bank_serial = ANY($2::text[])', [user.organisationId, entries.map((e) => e.bankSerial)]))
        .map((r) => r.bank_serial),
    );
    const fresh = entries.filter((e) => !seen.has(e.bankSerial));
    const instructions = await this.instructionsByReference(em, ctx, [...new Set(fresh.map((e) => e.reference).filter((r) => r !== ''))]);
    // every entry decided in file order first: a decision sees what earlier entries of the file did to an instruction
    const steps = fresh.map((entry) => {
      const instruction = instructions.get(entry.reference) ?? null;
      const decision = decideStatementEntry(entry, instruction && { state: instruction.state, amountFen: BigInt(instruction.amount_fen), debited: instruction.debited, credited: instruction.credited });
      if (instruction && decision.effect === 'PAY') instruction.state = 'PAID';
      if (instruction && decision.effect === 'RETURN') instruction.state = 'FAILED';
      if (instruction && decision.outcome === 'MATCHED' && entry.direction === 'DEBIT') instruction.debited = true;
      if (instruction && decision.outcome === 'RETURNED') instruction.credited = true;
      return { entry, instruction, decision };
    });
    // then written set-wise: the entries in one statement, in file order
    const entryIds = new Map<number, string>();
    if (steps.length) {
      const rows = await em.query<{ id: string; line: number }[]>(
        `INSERT INTO bank_statement_entry (statement_id, organisation_id, line, bank_serial, value_date, direction, amount_fen, reference, counterparty_account, counterparty_name, remark, instruction_id, outcome)
         SELECT $1, $2, e.line, e.bank_serial, e.value_date, e.direction, e.amount_fen, e.reference, e.counterparty_account, e.counterparty_name, e.remark, e.instruction_id, e.outcome
           FROM unnest($3::int[], $4::text[], $5::date[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::uuid[], $13::text[])
                WITH ORDINALITY AS e(line, bank_serial, value_date, direction, amount_fen, reference, counterparty_account, counterparty_name, remark, instruction_id, outcome, n)
          ORDER BY e.n
         RETURNING id, line`,
        [
          statement.id,
          user.organisationId,
          steps.map((s) => s.entry.line),
          steps.map((s) => s.entry.bankSerial),
          steps.map((s) => s.entry.valueDate),
          steps.map((s) => s.entry.direction),
          steps.map((s) => s.entry.amountFen.toString()),
          steps.map((s) => s.entry.reference),
          steps.map((s) => s.entry.counterpartyAccount),
          steps.map((s) => s.entry.counterpartyName),
          steps.map((s) => s.entry.remark),
          steps.map((s) => s.instruction?.id ?? null),
          steps.map((s) => s.decision.outcome),
        ],
      );
      for (const row of rows) entryIds.set(Number(row.line), row.id);
    }
    // payments and returns in file order: payments are marked in runs, each run before the next return
    const audits: AuditRecord[] = [];
    let paying: string[] = [];
    const markPaid = async () => {
      if (paying.length) await em.query(`UPDATE payment_instruction SET state = 'PAID', result_at = $2 WHERE id = ANY($1::uuid[])`, [paying, now]);
      paying = [];
    };
    for (const { entry, instruction, decision } of steps) {
      if (!instruction) continue;
      if (decision.effect === 'PAY') {
        paying.push(instruction.id);
        audits.push({ action: 'settlement.payment.paid', entityType: 'payment_instruction', entityId: instruction.id, data: { amountFen: instruction.amount_fen, bankSerial: entry.bankSerial, statementId: statement.id } });
      }
      if (decision.effect === 'RETURN') {
        await markPaid();
        const reason = `退汇：${entry.remark.replace(/^退汇[：:]?\s*/, '') || '银行退回'}（流水号 ${entry.bankSerial}）`;
        await this.batches.returnToPayable(em, instruction, `returned by the bank (${entry.bankSerial})`, reason, now);
        audits.push({ action: 'settlement.payment.returned', entityType: 'payment_instruction', entityId: instruction.id, data: { amountFen: instruction.amount_fen, bankSerial: entry.bankSerial, statementId: statement.id, reason } });
      }
    }
    await markPaid();
    await this.audit.recordMany(em, ctx, audits);
    const raised = steps.filter((s) => s.decision.outcome !== 'MATCHED');
    if (raised.length) {
      await em.query(
        `INSERT INTO bank_exception (entry_id, organisation_id, kind, detail, instruction_id, batch_id, raised_at)
         SELECT x.entry_id, $1, x.kind, x.detail, x.instruction_id, x.batch_id, $2
           FROM unnest($3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::uuid[]) WITH ORDINALITY AS x(entry_id, kind, detail, instruction_id, batch_id, n)
          ORDER BY x.n`,
        [
          user.organisationId,
          now,
          raised.map((s) => entryIds.get(s.entry.line)),
          raised.map((s) => s.decision.outcome),
          raised.map((s) => s.decision.detail),
          raised.map((s) => s.instruction?.id ?? null),
          raised.map((s) => s.instruction?.batch_id ?? null),
        ],
      );
    }
    const matched = steps.length - raised.length;
    const exceptions = raised.length;
    await em.query('UPDATE bank_statement SET matched_count = $2, exception_count = $3, already_imported_count = $4 WHERE id = $1', [statement.id, matched, exceptions, entries.length - fresh.length]);
    await this.audit.record(em, ctx, {
      action: 'settlement.bank-statement.imported', entityType: 'bank_statement', entityId: statement.id,
      data: { fileName: input.fileName ?? null, sha256, entries: entries.length, matched, exceptions, alreadyImported: entries.length - fresh.length },
    });
    return statement.id;
  }

  /** The instructions named by these references that lie in the caller's region, locked, with what statements already matched to them. */
  private async instructionsByReference(em: EntityManager, ctx: RequestContext, references: string[]): Promise<Map<string, InstructionRow>> {
    if (references.length === 0) return new Map();
    const scope = scopeOf(ctx);
    const rows = await em.query<InstructionRow[]>(
      `SELECT i.id, i.reference, i.state, i.amount_fen::text, i.manufacturer_id, i.issue_journal_id, i.batch_id, b.region_path,
              EXISTS (SELECT 1 FROM bank_statement_entry e WHERE e.instruction_id = i.id AND e.direction = 'DEBIT' AND e.outcome = 'MATCHED') AS debited,
              EXISTS (SELECT 1 FROM bank_statement_entry e WHERE e.instruction_id = i.id AND e.direction = 'CREDIT' AND e.outcome = 'RETURNED') AS credited
         FROM payment_instruction i JOIN settlement_batch b ON b.id = i.batch_id
        WHERE i.reference = ANY($1::text[]) ORDER BY i.id FOR UPDATE OF i`,
      [references],
    );
    return new Map(rows.filter((r) => scope.kind !== 'region' || pathWithin(r.region_path, scope.pathPrefix)).map((r) => [r.reference, r]));
  }

  // ---- exceptions --------------------------------------------------------------------------------------------

  /** The exceptions queue of the caller's office (the platform admin: every office's), oldest first. */
  exceptions(ctx: RequestContext, page: PageArgs, filter: { state?: BankExceptionState | null; batchId?: string | null } = {}): Promise<Page<BankException>> {
    const user = requireUser(ctx);
    const qb = this.db.manager.createQueryBuilder(BankException, 'x');
    if (user.role !== 'PLATFORM_ADMIN') qb.andWhere('x.organisation_id = :own', { own: user.organisationId });
    if (filter.state) qb.andWhere('x.state = :state', { state: filter.state });
    if (filter.batchId) qb.andWhere('x.batch_id = :batchId', { batchId: filter.batchId });
    return paginate(qb, page, 'raised_at');
  }

  /** The entry an exception is about: one read for every exception of a page (the request's loader). */
  async entry(ctx: RequestContext, entryId: string): Promise<BankStatementEntry> {
    const entry = await ctx.loaders
      .get<string, BankStatementEntry>('bank.statementEntry', async (ids) => byKeys(ids, await this.db.manager.find(BankStatementEntry, { where: { id: In([...ids]) } }), (e) => e.id))
      .load(entryId);
    if (!entry) throw new Error(`bank exception names a missing statement entry ${entryId}`);
    return entry;
  }

  /**
   * Works an exception: NOTED closes it with the note (the user dealt with it outside: recovered a duplicate,
   * corrected a payee account after a return, …); MATCHED matches an unmatched or partial debit to an ISSUED
   * instruction, which becomes PAID (the reconciliation shows any amount difference).
   */
  async resolve(ctx: RequestContext, input: ResolveBankExceptionInput): Promise<BankException> {
    const user = requireUser(ctx);
    if (!input.note.trim()) throw validationFailed('input.note', '请填写处理说明');
    await this.db.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [PAYMENT_LOCK]);
      const [exception] = await em.query<{ id: string; organisation_id: string; state: string; kind: string; entry_id: string }[]>(
        'SELECT id, organisation_id, state, kind, entry_id FROM bank_exception WHERE id = $1 FOR UPDATE',
        [input.exceptionId],
      );
      if (!exception || (user.role !== 'PLATFORM_ADMIN' && exception.organisation_id !== user.organisationId)) throw notFound('Bank exception', 'input.exceptionId');
      if (exception.state !== 'OPEN') throw SettlementErrors.bankExceptionNotOpen(exception.state);
      const now = this.clock.now();
      let instructionId: string | null = null;
      let batchId: string | null = null;
      if (input.resolution === 'MATCHED') {
        const [entry] = await em.query<{ id: string; direction: string; amount_fen: string; bank_serial: string }[]>('SELECT id, direction, amount_fen::text, bank_serial FROM bank_statement_entry WHERE id = $1', [exception.entry_id]);
        if (entry.direction !== 'DEBIT' || !['UNMATCHED', 'PARTIAL'].includes(exception.kind)) {
          throw validationFailed('input.resolution', '只有未匹配或金额不符的付款（借方）记录可以手工匹配；其他异常请填写处理说明后以 NOTED 关闭');
        }
        if (!input.instructionId) throw validationFailed('input.instructionId', '手工匹配需指定付款指令');
        const [instruction] = await em.query<{ id: string; state: string; batch_id: string; region_path: string; debited: boolean }[]>(
          `SELECT i.id, i.state, i.batch_id, b.region_path,
                  EXISTS (SELECT 1 FROM bank_statement_entry e WHERE e.instruction_id = i.id AND e.direction = 'DEBIT' AND e.outcome = 'MATCHED') AS debited
             FROM payment_instruction i JOIN settlement_batch b ON b.id = i.batch_id WHERE i.id = $1 FOR UPDATE OF i`,
          [input.instructionId],
        );
        if (!instruction || (user.role !== 'PLATFORM_ADMIN' && !pathWithin(instruction.region_path, user.regionPath))) throw notFound('Payment instruction', 'input.instructionId');
        if (instruction.state !== 'ISSUED' || instruction.debited) throw validationFailed('input.instructionId', `只能匹配已发送银行、尚无付款记录的付款指令（该指令状态为 ${instruction.state}）`);
        await em.query(`UPDATE payment_instruction SET state = 'PAID', result_at = $2 WHERE id = $1`, [instruction.id, now]);
        await em.query(`UPDATE bank_statement_entry SET instruction_id = $2, outcome = 'MATCHED' WHERE id = $1`, [entry.id, instruction.id]);
        await this.audit.record(em, ctx, { action: 'settlement.payment.paid', entityType: 'payment_instruction', entityId: instruction.id, data: { bankSerial: entry.bank_serial, amountFen: entry.amount_fen, matchedBy: 'bank-exception', exceptionId: exception.id } });
        instructionId = instruction.id;
        batchId = instruction.batch_id;
      }
      await em.query(
        `UPDATE bank_exception SET state = 'RESOLVED', resolution = $2, note = $3, resolved_by_user_id = $4, resolved_at = $5,
                instruction_id = coalesce($6, instruction_id), batch_id = coalesce($7, batch_id) WHERE id = $1`,
        [exception.id, input.resolution, input.note.trim(), user.id, now, instructionId, batchId],
      );
      await this.audit.record(em, ctx, { action: 'settlement.bank-exception.resolved', entityType: 'bank_exception', entityId: exception.id, data: { kind: exception.kind, resolution: input.resolution, instructionId, note: input.note.trim() } });
    });
    return this.db.manager.findOneByOrFail(BankException, { id: input.exceptionId });
  }

  // ---- reconciliation ----------------------------------------------------------------------------------------

  /**
   * Ledger vs instructions vs bank for one batch, per instruction: what the batch posted to the payable
   * (settled), the instruction's amount, what the ledger paid out for it (issue journal net of failure and return
   * journals, read from the postings on the manufacturer's payable), and what the bank's statements show
   * (debits − credits naming its reference).
   */
  async reconciliation(ctx: RequestContext, batchId: string): Promise<BankReconciliation> {
    const batch = await this.reports.batch(ctx, batchId);
    const rows = await this.db.manager.query<{
      id: string; reference: string; manufacturer_id: string; name: string; state: string; settled: string; instructed: string; ledger_paid: string; debits: string; credits: string; open_exceptions: number; bank_entries: number;
    }[]>(
      `SELECT i.id, i.reference, i.manufacturer_id, o.name, i.state, coalesce(bp.amount_fen, 0)::text AS settled, i.amount_fen::text AS instructed,
              (-coalesce((SELECT sum(p.amount_fen) FROM ledger_posting p JOIN ledger_journal j ON j.id = p.journal_id
                           JOIN ledger_account a ON a.id = p.account_id AND a.kind = 'PAYABLE' AND a.owner_id = i.manufacturer_id
                          WHERE j.id = i.issue_journal_id OR (j.kind = 'PAYMENT_FAILED' AND j.reverses_journal_id = i.issue_journal_id)), 0))::text AS ledger_paid,
              coalesce((SELECT sum(e.amount_fen) FROM bank_statement_entry e WHERE e.instruction_id = i.id AND e.direction = 'DEBIT'), 0)::text AS debits,
              coalesce((SELECT sum(e.amount_fen) FROM bank_statement_entry e WHERE e.instruction_id = i.id AND e.direction = 'CREDIT'), 0)::text AS credits,
              (SELECT count(*) FROM bank_exception x WHERE x.instruction_id = i.id AND x.state = 'OPEN')::int AS open_exceptions,
              (SELECT count(*) FROM bank_statement_entry e WHERE e.instruction_id = i.id)::int AS bank_entries
         FROM payment_instruction i JOIN organisation o ON o.id = i.manufacturer_id
         LEFT JOIN batch_payable bp ON bp.batch_id = i.batch_id AND bp.manufacturer_id = i.manufacturer_id
        WHERE i.batch_id = $1 ORDER BY i.reference`,
      [batch.id],
    );
    const result: BankReconciliationRow[] = rows.map((r) => {
      const ledgerPaidFen = BigInt(r.ledger_paid);
      const bankDebitsFen = BigInt(r.debits);
      const bankCreditsFen = BigInt(r.credits);
      const differenceFen = ledgerPaidFen - (bankDebitsFen - bankCreditsFen);
      const status = r.state === 'HELD' ? 'HELD' : differenceFen !== 0n && r.bank_entries === 0 ? 'AWAITING_BANK' : differenceFen === 0n ? 'AGREED' : 'DIFFERENT';
      return {
        instructionId: r.id, reference: r.reference, manufacturerId: r.manufacturer_id, payeeName: r.name, instructionState: r.state,
        settledFen: BigInt(r.settled), instructedFen: BigInt(r.instructed), ledgerPaidFen, bankDebitsFen, bankCreditsFen, differenceFen, status,
        openExceptions: r.open_exceptions,
      };
    });
    const sum = (pick: (r: BankReconciliationRow) => bigint) => result.reduce((total, r) => total + pick(r), 0n);
    const [{ open }] = await this.db.manager.query<{ open: number }[]>(`SELECT count(*)::int AS open FROM bank_exception WHERE batch_id = $1 AND state = 'OPEN'`, [batch.id]);
    return {
      batchId: batch.id,
      ok: result.every((r) => r.status === 'AGREED' || r.status === 'HELD') && open === 0,
      settledFen: batch.amountFen,
      instructedFen: sum((r) => r.instructedFen),
      ledgerPaidFen: sum((r) => r.ledgerPaidFen),
      bankNetFen: sum((r) => r.bankDebitsFen - r.bankCreditsFen),
      differenceFen: sum((r) => r.differenceFen),
      openExceptions: open,
      rows: result,
    };
  }

  /** The reconciliation as a CSV or XLSX file (amounts as yuan text with 2 decimals). */
  async reconciliationFile(ctx: RequestContext, batchId: string, format: string): Promise<ExportFile> {
    const report = await this.reconciliation(ctx, batchId);
    const yuan = formatFenAsYuan;
    const rows = report.rows.map((r) => ({
      reference: r.reference, payeeName: r.payeeName, instructionState: r.instructionState, settled: yuan(r.settledFen), instructed: yuan(r.instructedFen),
      ledgerPaid: yuan(r.ledgerPaidFen), bankDebits: yuan(r.bankDebitsFen), bankCredits: yuan(r.bankCreditsFen), difference: yuan(r.differenceFen), status: r.status,
      openExceptions: r.openExceptions,
    }));
    rows.push({
      reference: '合计', payeeName: '', instructionState: '', settled: yuan(report.settledFen), instructed: yuan(report.instructedFen), ledgerPaid: yuan(report.ledgerPaidFen),
      bankDebits: yuan(report.rows.reduce((t, r) => t + r.bankDebitsFen, 0n)), bankCredits: yuan(report.rows.reduce((t, r) => t + r.bankCreditsFen, 0n)),
      difference: yuan(report.differenceFen), status: report.ok ? 'AGREED' : 'DIFFERENT', openExceptions: report.openExceptions,
    });
    return tabularFile(`bank-reconciliation-${batchId}`, '对账', [
      ['reference', '业务参考号'], ['payeeName', '收款户名'], ['instructionState', '指令状态'], ['settled', '本批结算'], ['instructed', '指令金额'],
      ['ledgerPaid', '账务已付'], ['bankDebits', '银行付出'], ['bankCredits', '银行退回'], ['difference', '差额'], ['status', '核对结果'], ['openExceptions', '未处理异常'],
    ], rows, format);
  }
}

