import { randomUUID } from 'crypto';
import ExcelJS from 'exceljs';
import { startTestApp, TestApp } from '@test/harness';
import { lineAmountFen } from '@libs/money';
import { SettlementBatchesService, POST_PREPAYMENTS_JOB, RUN_BATCH_JOB } from '../src/settlement/settlement-batches.service';
import { addPrepaymentDue, addReceiptLines, addReturns, addAllotments, addVerifiedPayeeAccounts, APPROVE, checkerUser, Gql, HEALTHY, ledgerInvariants, orgOf, setInvoiced } from './support/settlement-fixtures';

const START = `mutation($input: StartSettlementBatchInput!) { startSettlementBatch(input: $input) { id state linesSettled amount chunksDone policyVersion } }`;
const BATCH = `query($id: ID!) { settlementBatch(id: $id) { id state linesSettled amount chunksDone } }`;
const INSTRUCTIONS = `query($b: ID) { paymentInstructions(batchId: $b) { nodes { id manufacturerId amount state failureReason } } }`;
const IMPORT = `mutation($input: ImportBankResultsInput!) { importBankResults(input: $input) { id state failureReason } }`;
const FILE = `query($b: ID!, $f: String!) { paymentInstructionFile(batchId: $b, format: $f) { filename contentType contentBase64 rows } }`;
const ACCOUNTS = `{ ledgerAccounts { nodes { kind ownerId balance } } }`;

const MARCH = { regionCode: '410000', periodStart: '2026-03-01T00:00:00+08:00', periodEnd: '2026-04-01T00:00:00+08:00' };

describe('settlement: batches, ledger, payments, ageing, savings', () => {
  let t: TestApp;
  let hosp1: { id: string; regionCode: string };
  let hosp2: { id: string; regionCode: string };
  let hospLy: { id: string; regionCode: string };
  let alpha: string;
  let beta: string;
  const office = () => t.as('settle-henan');
  let checker: Gql;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-04-02T09:00:00+08:00' });
    hosp1 = await orgOf(t, 'hosp-zz-1');
    hosp2 = await orgOf(t, 'hosp-zz-2');
    const [ly] = await t.sql(`SELECT id, region_code FROM organisation WHERE kind = 'HOSPITAL' AND region_code LIKE '4103%' ORDER BY id LIMIT 1`);
    hospLy = { id: ly.id, regionCode: ly.region_code };
    alpha = (await orgOf(t, 'mfr-alpha')).id;
    beta = (await orgOf(t, 'mfr-beta')).id;
    await addVerifiedPayeeAccounts(t, [alpha, beta]);
    await addAllotments(t);
    checker = await checkerUser(t);
  });
  afterAll(() => t.close());

  const accountBalance = async (kind: string, ownerId: string) => {
    const [row] = await t.sql('SELECT balance_fen::text AS b FROM ledger_account WHERE kind = $1 AND owner_id = $2', [kind, ownerId]);
    return row ? BigInt(row.b) : 0n;
  };

  it('settles every accepted, invoiced line of the period once, posts hospital → manufacturer and issues one instruction per manufacturer', async () => {
    const roundId = randomUUID();
    const agreementId = randomUUID();
    await addPrepaymentDue(t, { hospital: hosp1, roundId, amountFen: 10_000n, dueAt: '2026-03-01T00:00:00+08:00' });
    await t.jobs.runNow(POST_PREPAYMENTS_JOB);
    await t.jobs.runNow(POST_PREPAYMENTS_JOB); // a second run posts nothing more
    expect(await t.sql('SELECT count(*)::int AS n FROM prepayment_posting')).toEqual([{ n: 1 }]);
    expect(await accountBalance('VBP_PREPAYMENT', hosp1.id)).toBe(10_000n);
    expect((await t.as('hosp-zz-1').ok(`{ prepayments { totalCount nodes { hospitalId amount } } }`)).prepayments).toEqual({ totalCount: 1, nodes: [{ hospitalId: hosp1.id, amount: '100.00' }] });
    expect((await t.as('hosp-zz-2').ok(`{ prepayments { nodes { hospitalId } } }`)).prepayments.nodes).toEqual([]);
    expect((await t.as('mfr-alpha').refused(`{ prepayments { nodes { hospitalId } } }`)).code).toBe('FORBIDDEN');

    const lines = await addReceiptLines(t, [
      // VBP line of 150.00 yuan: 100.00 from the prepayment, 50.00 from the entitlement
      { hospital: hosp1, manufacturerId: alpha, agreementId, unitPrice: '1.5000', quantity: 100, acceptedAt: '2026-03-05T10:00:00+08:00' },
      { hospital: hosp1, manufacturerId: beta, unitPrice: '0.3333', quantity: 3, acceptedAt: '2026-03-06T10:00:00+08:00' }, // 0.9999 → 1.00
      { hospital: hosp2, manufacturerId: alpha, unitPrice: '2.1550', quantity: 1, acceptedAt: '2026-03-31T23:59:59+08:00' }, // 2.155 → 2.16
      { hospital: hospLy, manufacturerId: beta, unitPrice: '10.0000', quantity: 2, acceptedAt: '2026-03-10T10:00:00+08:00' },
    ]);
    // not settled: not invoiced, outside the period
    const [notInvoiced] = await addReceiptLines(t, [{ hospital: hosp2, manufacturerId: alpha, unitPrice: '1.0000', quantity: 5, acceptedAt: '2026-03-07T10:00:00+08:00', invoiced: false }]);
    await addReceiptLines(t, [{ hospital: hosp2, manufacturerId: alpha, unitPrice: '1.0000', quantity: 5, acceptedAt: '2026-04-01T00:00:00+08:00' }]);

    const started = await office().ok(START, { input: { ...MARCH, idempotencyKey: 'march-2026-henan' } });
    expect(started.startSettlementBatch).toMatchObject({ state: 'RUNNING', linesSettled: 0, policyVersion: 'settlement-2026.1' });
    const batchId = started.startSettlementBatch.id;
    await t.jobs.runNow(RUN_BATCH_JOB, { batchId });

    // prepared: lines frozen and totals shown, but nothing is paid before a second user approves
    expect((await office().ok(BATCH, { id: batchId })).settlementBatch).toMatchObject({ state: 'PREPARED', linesSettled: 4, amount: '173.16' });
    expect((await office().ok(INSTRUCTIONS, { b: batchId })).paymentInstructions.nodes).toEqual([]);
    expect((await office().refused(APPROVE, { b: batchId })).code).toBe('MAKER_CHECKER_SAME_USER');
    expect((await checker.ok(APPROVE, { b: batchId })).approveSettlementBatch.state).toBe('COMPLETED');

    const batch = (await office().ok(BATCH, { id: batchId })).settlementBatch;
    expect(batch).toMatchObject({ state: 'COMPLETED', linesSettled: 4, amount: '173.16' });
    const settled = await t.sql('SELECT line_id, amount_fen::text AS a, due_at FROM settled_line ORDER BY amount_fen');
    expect(settled.map((s) => s.a)).toEqual(['100', '216', '2000', '15000']);
    expect(settled.map((s) => s.line_id).sort()).toEqual([...lines].sort());
    expect(settled.some((s) => s.line_id === notInvoiced)).toBe(false);
    expect(new Date(settled[0].due_at).toISOString()).toBe(new Date('2026-04-05T10:00:00+08:00').toISOString());

    expect(await accountBalance('VBP_PREPAYMENT', hosp1.id)).toBe(0n);
    expect(await accountBalance('FUND_ENTITLEMENT', hosp1.id)).toBe(-(5_000n + 100n));
    expect(await accountBalance('FUND_ENTITLEMENT', hosp2.id)).toBe(-216n);
    // payables were moved into payment by the instructions
    expect(await accountBalance('PAYABLE', alpha)).toBe(0n);
    const instructions = (await office().ok(INSTRUCTIONS, { b: batchId })).paymentInstructions.nodes;
    expect(instructions.map((i: any) => [i.manufacturerId, i.amount, i.state]).sort()).toEqual(
      [[alpha, '152.16', 'ISSUED'], [beta, '21.00', 'ISSUED']].sort(),
    );
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);
    const audit = await t.sql(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`, [batchId]);
    expect(audit.map((a) => a.action)).toEqual(['settlement.batch.started', 'settlement.batch.prepared', 'settlement.batch.approved']);
    const recon = await t.as('reg-henan').ok(`{ ledgerReconciliation { ok accountsChecked ledgerTotal differences { accountId } unbalancedJournalIds } }`);
    expect(recon.ledgerReconciliation).toMatchObject({ ok: true, ledgerTotal: '0.00', differences: [], unbalancedJournalIds: [] });

    // the line invoiced later goes into the next batch
    await setInvoiced(t, [notInvoiced]);
    const next = await office().ok(START, { input: { ...MARCH, idempotencyKey: 'march-2026-henan-late' } });
    await t.jobs.runNow(RUN_BATCH_JOB, { batchId: next.startSettlementBatch.id });
    await checker.ok(APPROVE, { b: next.startSettlementBatch.id });
    expect((await office().ok(BATCH, { id: next.startSettlementBatch.id })).settlementBatch).toMatchObject({ state: 'COMPLETED', linesSettled: 1, amount: '5.00' });
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);
  });

  it('the same key retried returns the same batch with no second posting; a different request with it is refused', async () => {
    const before = await t.sql('SELECT count(*)::int AS n FROM ledger_posting');
    const again = await office().ok(START, { input: { ...MARCH, idempotencyKey: 'march-2026-henan' } });
    const [first] = await t.sql(`SELECT id FROM settlement_batch WHERE idempotency_key = 'march-2026-henan'`);
    expect(again.startSettlementBatch).toMatchObject({ id: first.id, state: 'COMPLETED' });
    await t.jobs.runNow(RUN_BATCH_JOB, { batchId: first.id });
    expect(await t.sql('SELECT count(*)::int AS n FROM ledger_posting')).toEqual(before);

    const batches = await t.sql('SELECT count(*)::int AS n FROM settlement_batch');
    const reused = await office().refused(START, { input: { ...MARCH, regionCode: '410100', idempotencyKey: 'march-2026-henan' } });
    expect(reused).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotencyKey' });
    expect(await t.sql('SELECT count(*)::int AS n FROM settlement_batch')).toEqual(batches);
  });

  it('refuses bad input and other roles, writing nothing', async () => {
    const batches = await t.sql('SELECT count(*)::int AS n FROM settlement_batch');
    const cases: [Record<string, unknown>, string, string | undefined][] = [
      [{ ...MARCH, periodEnd: MARCH.periodStart, idempotencyKey: 'bad-period-1' }, 'VALIDATION_FAILED', 'input.periodEnd'],
      [{ ...MARCH, regionCode: '419999', idempotencyKey: 'bad-region-1' }, 'VALIDATION_FAILED', 'input.regionCode'],
      [{ ...MARCH, regionCode: '4100', idempotencyKey: 'bad-region-2' }, 'VALIDATION_FAILED', 'input.regionCode'],
      [{ ...MARCH, idempotencyKey: 'short' }, 'VALIDATION_FAILED', 'idempotencyKey'],
      [{ ...MARCH, periodStart: '2026-03-01', idempotencyKey: 'bad-instant-1' }, 'VALIDATION_FAILED', 'input.periodStart'],
    ];
    for (const [input, code, field] of cases) {
      const refusal = await office().refused(START, { input });
      expect({ code: refusal.code, field: refusal.field }).toEqual({ code, field });
    }
    expect((await t.as('hosp-zz-1').refused(START, { input: { ...MARCH, idempotencyKey: 'hospital-try' } })).code).toBe('FORBIDDEN');
    expect((await t.as('reg-zz').refused(START, { input: { ...MARCH, idempotencyKey: 'regulator-try' } })).code).toBe('FORBIDDEN');
    expect(await t.sql('SELECT count(*)::int AS n FROM settlement_batch')).toEqual(batches);
  });

  it('exports payment instructions as CSV and XLSX for the bank', async () => {
    const [batch] = await t.sql(`SELECT id FROM settlement_batch WHERE idempotency_key = 'march-2026-henan'`);
    const csv = (await office().ok(FILE, { b: batch.id, f: 'CSV' })).paymentInstructionFile;
    expect(csv).toMatchObject({ rows: 2, contentType: 'text/csv; charset=utf-8' });
    const text = Buffer.from(csv.contentBase64, 'base64').toString('utf8');
    expect(text.split('\r\n')[0]).toBe('\uFEFFinstruction_id,batch_id,payee_name,payee_credit_code,amount_yuan,currency,issued_at');
    expect(text).toContain('河南华康制药有限公司');
    expect(text).toContain(',152.16,CNY,');
    const xlsx = (await office().ok(FILE, { b: batch.id, f: 'XLSX' })).paymentInstructionFile;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(xlsx.contentBase64, 'base64') as any);
    const amounts = workbook.getWorksheet('instructions')!.getColumn(5).values.slice(2);
    expect([...amounts].sort()).toEqual(['152.16', '21.00']);
    expect((await office().refused(FILE, { b: batch.id, f: 'PDF' })).code).toBe('VALIDATION_FAILED');
    expect((await t.as('mfr-alpha').refused(FILE, { b: batch.id, f: 'CSV' })).code).toBe('FORBIDDEN');
  });

  it('records bank results: a failed payment returns to the payable and is paid in the next batch; returns net in the next batch', async () => {
    const [batch] = await t.sql(`SELECT id FROM settlement_batch WHERE idempotency_key = 'march-2026-henan'`);
    const instructions = (await office().ok(INSTRUCTIONS, { b: batch.id })).paymentInstructions.nodes;
    const toAlpha = instructions.find((i: any) => i.manufacturerId === alpha);
    const toBeta = instructions.find((i: any) => i.manufacturerId === beta);

    // bad input: failure without a reason, duplicates, unknown instruction; nothing recorded
    const bad = [
      [{ results: [{ instructionId: toBeta.id, outcome: 'FAILED' }] }, 'input.results[0].reason'],
      [{ results: [{ instructionId: toBeta.id, outcome: 'PAID' }, { instructionId: toBeta.id, outcome: 'PAID' }] }, 'input.results[1].instructionId'],
      [{ results: [{ instructionId: toAlpha.id, outcome: 'PAID' }, { instructionId: randomUUID(), outcome: 'PAID' }] }, 'input.results[1].instructionId'],
    ] as const;
    for (const [input, field] of bad) expect((await office().refused(IMPORT, { input })).field).toBe(field);
    expect((await office().refused(IMPORT, { input: { results: [{ instructionId: toBeta.id, outcome: 'LOST' }] } })).code).toBe('VALIDATION_FAILED');
    expect(await t.sql(`SELECT count(*)::int AS n FROM payment_instruction WHERE state <> 'ISSUED'`)).toEqual([{ n: 0 }]);

    const result = await office().ok(IMPORT, { input: { results: [
      { instructionId: toAlpha.id, outcome: 'PAID' },
      { instructionId: toBeta.id, outcome: 'FAILED', reason: '账户名称不符 (account name mismatch)' },
    ] } });
    expect(result.importBankResults.map((i: any) => i.state).sort()).toEqual(['FAILED', 'PAID']);
    expect(await accountBalance('PAYABLE', beta)).toBe(2_100n);
    // the same file again changes nothing; a contradicting result is refused
    await office().ok(IMPORT, { input: { results: [{ instructionId: toAlpha.id, outcome: 'PAID' }] } });
    expect((await office().refused(IMPORT, { input: { results: [{ instructionId: toAlpha.id, outcome: 'FAILED', reason: 'x' }] } })).code).toBe('PAYMENT_RESULT_ALREADY_RECORDED');

    // manufacturers see their own payments only
    const alphaSees = (await t.as('mfr-alpha').ok(INSTRUCTIONS, {})).paymentInstructions.nodes;
    expect(alphaSees.every((i: any) => i.manufacturerId === alpha)).toBe(true);
    expect(alphaSees.find((i: any) => i.id === toAlpha.id).state).toBe('PAID');

    // hosp-zz-1 returns 4 packs of the alpha line settled in March: a negative line in April
    const [settledVbpLine] = await t.sql(`SELECT line_id FROM settled_line WHERE manufacturer_id = $1 AND agreement_id IS NOT NULL`, [alpha]);
    const [returnLine] = await addReturns(t, [{ receiptLineId: settledVbpLine.line_id, quantity: 4, returnedAt: '2026-04-03T10:00:00+08:00' }]);
    expect(await t.sql(`SELECT kind, quantity::int AS q, invoiced FROM v_settleable_line WHERE line_id = $1`, [returnLine])).toEqual([{ kind: 'RETURN', q: -4, invoiced: true }]);
    await addReceiptLines(t, [{ hospital: hosp2, manufacturerId: alpha, unitPrice: '1.5000', quantity: 10, acceptedAt: '2026-04-04T10:00:00+08:00' }]);
    t.clock.set('2026-05-02T09:00:00+08:00');
    const april = await office().ok(START, { input: { regionCode: '410000', periodStart: '2026-04-01T00:00:00+08:00', periodEnd: '2026-05-01T00:00:00+08:00', idempotencyKey: 'april-2026-henan' } });
    await t.jobs.runNow(RUN_BATCH_JOB, { batchId: april.startSettlementBatch.id });
    await checker.ok(APPROVE, { b: april.startSettlementBatch.id });
    const next = (await office().ok(INSTRUCTIONS, { b: april.startSettlementBatch.id })).paymentInstructions.nodes;
    // alpha: 5.00 (April 1 line) − 6.00 + 15.00; beta: the failed 21.00 again
    expect(next.map((i: any) => [i.manufacturerId, i.amount]).sort()).toEqual([[alpha, '14.00'], [beta, '21.00']].sort());
    expect(await accountBalance('PAYABLE', beta)).toBe(0n);
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);
  });

  it('ages unpaid lines per hospital and manufacturer; overdue lines are visible to regulators, each party sees its own', async () => {
    await addReceiptLines(t, [{ hospital: hosp2, manufacturerId: beta, unitPrice: '3.0000', quantity: 100, acceptedAt: '2026-01-10T10:00:00+08:00', invoiced: false }]);
    t.clock.set('2026-05-02T09:00:00+08:00');
    const ageing = (await t.as('reg-henan').ok(`{ payableAgeing { hospitalId manufacturerId days0To30 days31To60 days61To90 over90 overdue policyVersion } }`)).payableAgeing;
    const row = ageing.find((r: any) => r.hospitalId === hosp2.id && r.manufacturerId === beta);
    expect(row).toMatchObject({ over90: '300.00', overdue: '300.00', policyVersion: 'settlement-2026.1' });
    const overdue = (await t.as('reg-zz').ok(`{ payableLines(filter: { overdueOnly: true }) { lineId hospitalId overdue batchId regionCode } }`)).payableLines;
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.every((l: any) => l.overdue && l.regionCode.startsWith('4101'))).toBe(true);
    expect(overdue.some((l: any) => l.batchId === null)).toBe(true); // accepted but never settled
    const hospitalSees = (await t.as('hosp-zz-1').ok(`{ payableLines(first: 100) { hospitalId } }`)).payableLines;
    expect(hospitalSees.length).toBeGreaterThan(0);
    expect(hospitalSees.every((l: any) => l.hospitalId === hosp1.id)).toBe(true);
    const mfrSees = (await t.as('mfr-beta').ok(`{ payableLines(first: 100) { manufacturerId } }`)).payableLines;
    expect(mfrSees.every((l: any) => l.manufacturerId === beta)).toBe(true);
    expect((await t.as('hosp-zz-1').refused(`{ payableLines(first: 1000) { lineId } }`)).field).toBe('first');
    expect((await t.as('hosp-zz-1').refused(`{ ledgerReconciliation { ok } }`)).code).toBe('FORBIDDEN');
    const accounts = (await t.as('hosp-zz-1').ok(ACCOUNTS)).ledgerAccounts.nodes;
    expect(accounts.map((a: any) => a.kind).sort()).toEqual(['FUND_ENTITLEMENT', 'VBP_PREPAYMENT']);
    expect((await t.as('mfr-alpha').ok(ACCOUNTS)).ledgerAccounts.nodes.map((a: any) => a.kind)).toEqual(['PAYABLE']);
    const [view] = await t.sql('SELECT count(*)::int AS n FROM v_payable_line WHERE paid_at IS NOT NULL');
    expect(view.n).toBeGreaterThan(0);
  });

  it('retained savings read agreements through the real v_volume_agreement and spending through the settleable lines', async () => {
    // Agreements as confirming a round writes them, with the round, lot, lot spec and winning bid result they
    // come from (seeded: running a whole round here would take the tendering test's dozen steps). The view
    // prices an agreement from the hospital's demand baseline of the year before the cycle, per unit of the
    // bid's spec.
    const [{ round_id: roundId, atorva, amlo }] = await t.sql(
      `WITH rs AS (
         INSERT INTO rule_set_version (code, version, rule_set, description) VALUES ('FIXTURE-' || gen_random_uuid(), 1, '{}', 'settlement fixture') RETURNING id
       ), r AS (
         INSERT INTO tender_round (name, level, state, owner_region_code, owner_region_path, covered_region_codes, covered_region_paths, rule_set_version_id,
                                   demand_deadline, bid_deadline, cycle_start, cycle_end, publicity_days, policy_version)
         SELECT '结余留用测试', 'PROVINCIAL', 'IN_EFFECT', '410000', '410000', '{410100}', '{410000/410100}', rs.id,
                '2025-11-10T17:00:00+08:00', '2025-11-20T10:00:00+08:00', '2026-01-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00', 3, 1 FROM rs
         RETURNING id
       ), v AS (
         SELECT v.id AS variety_id, v.code, vs.id AS variety_spec_id, vs.spec, x.factor, row_number() OVER (ORDER BY v.code) AS seq
           FROM (VALUES ('ATORVASTATIN', '20mg', 1.7), ('AMLODIPINE', '5mg', 1)) AS x(code, spec, factor)
           JOIN variety v ON v.code = x.code JOIN variety_spec vs ON vs.variety_id = v.id AND vs.spec = x.spec
       ), l AS (
         INSERT INTO tender_lot (round_id, seq, variety_id, name, reference_unit) SELECT r.id, v.seq, v.variety_id, v.code, 'tablet' FROM r, v RETURNING id, round_id, variety_id
       ), ls AS (
         INSERT INTO tender_lot_spec (lot_id, variety_spec_id, spec, comparable_factor, ceiling_unit_price)
         SELECT l.id, v.variety_spec_id, v.spec, v.factor, 9 FROM l JOIN v USING (variety_id) RETURNING id, lot_id
       ), br AS (
         INSERT INTO tender_bid_result (bid_id, round_id, lot_id, manufacturer_id, product_id, lot_spec_id, unit_price, status, unit_comparable_price,
                                        awarded_unit_price, commitment, salt)
         SELECT gen_random_uuid(), l.round_id, l.id, $1, gen_random_uuid(), ls.id, 1, 'WINNER', 1, 1, repeat('0', 64), 'fixture' FROM l JOIN ls ON ls.lot_id = l.id
         RETURNING bid_id, round_id, lot_id, product_id
       ), a AS (
         INSERT INTO volume_agreement (round_id, lot_id, variety_id, hospital_id, region_code, manufacturer_id, product_id, bid_id, annual_quantity,
                                       agreed_quantity, awarded_unit_price, cycle_start, cycle_end)
         SELECT br.round_id, br.lot_id, l.variety_id, $2, $3, $1, br.product_id, br.bid_id, 1000, 1000, '1.0000',
                '2026-01-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00'
           FROM br JOIN l ON l.id = br.lot_id
         RETURNING id, round_id, variety_id
       )
       SELECT min(a.round_id::text) AS round_id,
              (SELECT a2.id FROM a a2 JOIN v ON v.variety_id = a2.variety_id WHERE v.code = 'ATORVASTATIN') AS atorva,
              (SELECT a2.id FROM a a2 JOIN v ON v.variety_id = a2.variety_id WHERE v.code = 'AMLODIPINE') AS amlo
         FROM a`,
      [alpha, hosp2.id, hosp2.regionCode],
    );
    // last year's atorvastatin: 3,000 reference tablets (10mg) for 2,345.67 yuan; the year before dearer. The
    // cycle starts on 1 January 2026 in Shanghai (still 2025 in UTC), so 2025 is the year before it.
    const [variety] = await t.sql(`SELECT variety_id FROM volume_agreement WHERE id = $1`, [atorva]);
    const baseline = (year: number, amount: string) => ({ hospitalId: hosp2.id, varietyId: variety.variety_id, year, quantity: 3000, amount });
    await t.as('reg-henan').ok(`mutation($e: [DemandBaselineInput!]!) { setDemandBaselines(entries: $e) { id } }`, { e: [baseline(2025, '2345.67'), baseline(2024, '9000.00')] });
    // 234,567 fen ÷ 100 ÷ 3,000 × 1.7 (20mg) = 1.329213 → 1.3292; amlodipine has no baseline: no price
    const prices = await t.sql(`SELECT agreement_id, pre_vbp_unit_price FROM v_volume_agreement WHERE round_id = $1`, [roundId]);
    expect(Object.fromEntries(prices.map((p) => [p.agreement_id, p.pre_vbp_unit_price]))).toEqual({ [atorva]: '1.3292', [amlo]: null });
    const [receiptLine] = await addReceiptLines(t, [{ hospital: hosp2, manufacturerId: alpha, agreementId: atorva, unitPrice: '1.0000', quantity: 800, acceptedAt: '2026-04-20T10:00:00+08:00' }]);
    await addReturns(t, [{ receiptLineId: receiptLine, quantity: 50, returnedAt: '2026-04-22T10:00:00+08:00' }]);
    const query = `query($r: ID!) { retainedSavings(roundId: $r) { hospitalId score budget spent savings retained share } }`;
    // budget 1,000 × 1.3292 = 1,329.20; spent 800 − 50 returned at 1.0000 = 750.00; savings 579.20; no score yet: nothing retained
    expect((await t.as('reg-henan').ok(query, { r: roundId })).retainedSavings).toEqual([
      { hospitalId: hosp2.id, score: null, budget: '1329.20', spent: '750.00', savings: '579.20', retained: '0.00', share: '0' },
    ]);
    const set = `mutation($i: SetHospitalScoreInput!) { setHospitalScore(input: $i) { score } }`;
    expect((await t.as('reg-zz').refused(set, { i: { hospitalId: hosp2.id, roundId, score: 'E' } })).field).toBe('input.score');
    expect((await t.as('reg-ly').refused(set, { i: { hospitalId: hosp2.id, roundId, score: 'A' } })).code).toBe('NOT_FOUND');
    expect(await t.sql('SELECT count(*)::int AS n FROM hospital_score')).toEqual([{ n: 0 }]);
    await t.as('reg-zz').ok(set, { i: { hospitalId: hosp2.id, roundId, score: 'B' } });
    // score B keeps 40% of 579.20
    expect((await t.as('hosp-zz-2').ok(query, { r: roundId })).retainedSavings).toEqual([
      { hospitalId: hosp2.id, score: 'B', budget: '1329.20', spent: '750.00', savings: '579.20', retained: '231.68', share: '0.40' },
    ]);
    expect((await t.as('hosp-zz-1').ok(query, { r: roundId })).retainedSavings).toEqual([]);
  });

  it('the database refuses changed or deleted postings and unbalanced journals', async () => {
    await expect(t.sql('UPDATE ledger_posting SET amount_fen = amount_fen + 1')).rejects.toThrow(/append-only/);
    await expect(t.sql('DELETE FROM ledger_journal')).rejects.toThrow(/append-only/);
    const [account] = await t.sql('SELECT id FROM ledger_account LIMIT 1');
    await expect(
      t.dataSource.transaction(async (em) => {
        const [j] = await em.query(`INSERT INTO ledger_journal (kind, description, posted_at) VALUES ('REVERSAL', 'bad', now()) RETURNING id`);
        await em.query('INSERT INTO ledger_posting (journal_id, account_id, amount_fen) VALUES ($1, $2, 5)', [j.id, account.id]);
      }),
    ).rejects.toThrow(/does not balance/);
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);
  });

  it('two batches started at once over the same lines settle each line once', async () => {
    const hospitals = [hosp1, hosp2];
    await addReceiptLines(t, Array.from({ length: 120 }, (_, i) => ({
      hospital: hospitals[i % 2], manufacturerId: i % 3 ? alpha : beta, unitPrice: `${1 + (i % 7)}.${String(i).padStart(4, '0')}`, quantity: 1 + (i % 5), acceptedAt: `2026-06-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00+08:00`,
    })));
    const june = { regionCode: '410000', periodStart: '2026-06-01T00:00:00+08:00', periodEnd: '2026-07-01T00:00:00+08:00' };
    const [a, b] = await Promise.all([
      office().ok(START, { input: { ...june, idempotencyKey: 'june-a-2026' } }),
      office().ok(START, { input: { ...june, idempotencyKey: 'june-b-2026' } }),
    ]);
    const service = t.app.get(SettlementBatchesService);
    await Promise.all([
      service.runBatch(a.startSettlementBatch.id, { chunkSize: 7 }),
      service.runBatch(b.startSettlementBatch.id, { chunkSize: 11 }),
    ]);
    const [counts] = await t.sql(`SELECT count(*)::int AS n, count(DISTINCT line_id)::int AS d FROM settled_line WHERE accepted_at >= '2026-06-01T00:00:00+08:00'`);
    expect(counts).toEqual({ n: 120, d: 120 });
    const [sums] = await t.sql(`SELECT sum(lines_settled)::int AS lines FROM settlement_batch WHERE idempotency_key LIKE 'june-%'`);
    expect(sums.lines).toBe(120);
    const expected = (await t.sql(`SELECT unit_price::text AS p, quantity::text AS q FROM v_settleable_line WHERE accepted_at >= '2026-06-01T00:00:00+08:00'`))
      .reduce((s: bigint, r: any) => s + lineAmountFen(r.p, BigInt(r.q)), 0n);
    const [settled] = await t.sql(`SELECT sum(amount_fen)::text AS s FROM settled_line WHERE accepted_at >= '2026-06-01T00:00:00+08:00'`);
    expect(BigInt(settled.s)).toBe(expected);
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);
  });

  it('pages posted prepayments one at a time, ties on the posting instant broken by the due row', async () => {
    for (const hospital of [hosp2, hospLy]) await addPrepaymentDue(t, { hospital, roundId: randomUUID(), amountFen: 5_000n, dueAt: '2026-03-01T00:00:00+08:00' });
    await t.jobs.runNow(POST_PREPAYMENTS_JOB);
    const expected: { id: string }[] = await t.sql('SELECT prepayment_due_id AS id FROM prepayment_posting ORDER BY prepayment_due_id');
    expect(expected.length).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = (await t.as('settle-henan').ok<any>(`query($a: String) { prepayments(first: 1, after: $a) { totalCount nodes { prepaymentDueId } pageInfo { hasNextPage endCursor } } }`, { a: after })).prepayments;
      expect(page.totalCount).toBe(expected.length);
      seen.push(...page.nodes.map((n: any) => n.prepaymentDueId));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect([...seen].sort()).toEqual(expected.map((r) => r.id));
  });
});
