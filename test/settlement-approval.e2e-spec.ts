import { startTestApp, TestApp } from '@test/harness';
import { RUN_BATCH_JOB } from '../src/settlement/settlement-batches.service';
import { CONFIRM_LINES_JOB } from '../src/settlement/line-confirmations.service';
import { addReceiptLines, addAllotments, addVerifiedPayeeAccounts, APPROVE, checkerUser, Gql, HEALTHY, ledgerInvariants, orgOf } from './support/settlement-fixtures';

const START = `mutation($input: StartSettlementBatchInput!) { startSettlementBatch(input: $input) { id state } }`;
const BATCH = `query($id: ID!) { settlementBatch(id: $id) { id state linesSettled amount preparedByUserId decidedByUserId rejectionReason } }`;
const REJECT = `mutation($b: ID!, $r: String!) { rejectSettlementBatch(batchId: $b, reason: $r) { id state rejectionReason } }`;
const INSTRUCTIONS = `query($b: ID) { paymentInstructions(batchId: $b) { nodes { id manufacturerId amount state holdReason payeeAccountId } } }`;
const PROPOSE = `mutation($input: ProposePayeeAccountInput!) { proposePayeeAccount(input: $input) { id state accountName cnapsCode effectiveFrom } }`;
const VERIFY = `mutation($id: ID!) { verifyPayeeAccount(accountId: $id) { account { id state verifiedByUserId } releasedInstructions } }`;
const RELEASE = `mutation($o: ID!) { releaseHeldPayments(organisationId: $o) }`;
const FILE = `query($b: ID!) { paymentInstructionFile(batchId: $b, format: "CSV") { rows contentBase64 } }`;
const LINES = `{ payableLines(first: 100) { lineId batchId confirmation disputeDeadline amount } }`;
const DISPUTE = `mutation($input: DisputeSettlementLineInput!) { disputeSettlementLine(input: $input) { id state lineId } }`;
const RESOLVE = `mutation($input: ResolveLineDisputeInput!) { resolveLineDispute(input: $input) { id state resolutionNote } }`;

const MARCH = { regionCode: '410000', periodStart: '2026-03-01T00:00:00+08:00', periodEnd: '2026-04-01T00:00:00+08:00' };
const JUNE = { regionCode: '410000', periodStart: '2026-06-01T00:00:00+08:00', periodEnd: '2026-07-01T00:00:00+08:00' };

describe('settlement: maker-checker batches, payee accounts and hospital confirmation', () => {
  let t: TestApp;
  let checker: Gql;
  let hosp1: { id: string; regionCode: string };
  let hosp2: { id: string; regionCode: string };
  let alpha: string;
  let gamma: string;
  const office = () => t.as('settle-henan');
  const balance = async (kind: string, ownerId: string) => {
    const [row] = await t.sql('SELECT balance_fen::text AS b FROM ledger_account WHERE kind = $1 AND owner_id = $2', [kind, ownerId]);
    return row ? BigInt(row.b) : 0n;
  };
  const prepare = async (key: string, period = MARCH) => {
    const id = (await office().ok(START, { input: { ...period, idempotencyKey: key } })).startSettlementBatch.id;
    await t.jobs.runNow(RUN_BATCH_JOB, { batchId: id });
    return id as string;
  };

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-04-02T09:00:00+08:00' });
    hosp1 = await orgOf(t, 'hosp-zz-1');
    hosp2 = await orgOf(t, 'hosp-zz-2');
    alpha = (await orgOf(t, 'mfr-alpha')).id;
    gamma = (await orgOf(t, 'mfr-gamma')).id;
    await addVerifiedPayeeAccounts(t, [alpha]);
    await addAllotments(t, [hosp1.id, hosp2.id]);
    checker = await checkerUser(t);
  });
  afterAll(() => t.close());

  it('a batch is prepared, rejected by a second user (lines back to the pool), prepared again and approved by a second user — never by its preparer', async () => {
    await addReceiptLines(t, [
      { hospital: hosp1, manufacturerId: alpha, unitPrice: '10.0000', quantity: 3, acceptedAt: '2026-03-10T10:00:00+08:00' },
      { hospital: hosp2, manufacturerId: alpha, unitPrice: '2.5000', quantity: 4, acceptedAt: '2026-03-11T10:00:00+08:00' },
    ]);
    const first = await prepare('approval-march-1');
    const prepared = (await office().ok(BATCH, { id: first })).settlementBatch;
    expect(prepared).toMatchObject({ state: 'PREPARED', linesSettled: 2, amount: '40.00', decidedByUserId: null });
    expect(await balance('PAYABLE', alpha)).toBe(4_000n);
    expect((await office().ok(INSTRUCTIONS, { b: first })).paymentInstructions.nodes).toEqual([]);

    // the preparer cannot decide; a rejection needs a reason
    expect(await office().refused(REJECT, { b: first, r: '单价有误' })).toMatchObject({ code: 'MAKER_CHECKER_SAME_USER', field: 'batchId' });
    expect((await checker.refused(REJECT, { b: first, r: '  ' })).field).toBe('reason');
    expect((await t.as('hosp-zz-1').refused(REJECT, { b: first, r: 'x' })).code).toBe('FORBIDDEN');

    const rejected = (await checker.ok(REJECT, { b: first, r: '单价有误' })).rejectSettlementBatch;
    expect(rejected).toEqual({ id: first, state: 'REJECTED', rejectionReason: '单价有误' });
    // the postings are reversed and the lines are unclaimed again
    expect(await balance('PAYABLE', alpha)).toBe(0n);
    expect(await balance('FUND_ENTITLEMENT', hosp1.id)).toBe(0n);
    expect(await t.sql('SELECT count(*)::int AS n FROM settled_line')).toEqual([{ n: 0 }]);
    const hospitalLines = (await t.as('hosp-zz-1').ok(LINES)).payableLines;
    expect(hospitalLines.map((l: any) => [l.amount, l.batchId, l.confirmation])).toEqual([['30.00', null, 'CONFIRMED']]);
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);
    expect((await checker.refused(APPROVE, { b: first })).code).toBe('SETTLEMENT_BATCH_NOT_PREPARED');
    // running the rejected batch's job again claims nothing
    await t.jobs.runNow(RUN_BATCH_JOB, { batchId: first });
    expect(await t.sql('SELECT count(*)::int AS n FROM settled_line')).toEqual([{ n: 0 }]);

    const second = await prepare('approval-march-2');
    expect((await office().ok(BATCH, { id: second })).settlementBatch).toMatchObject({ state: 'PREPARED', linesSettled: 2, amount: '40.00' });
    expect(await office().refused(APPROVE, { b: second })).toMatchObject({ code: 'MAKER_CHECKER_SAME_USER', field: 'batchId' });
    expect((await checker.ok(APPROVE, { b: second })).approveSettlementBatch.state).toBe('COMPLETED');
    const [checkerRow] = await t.sql(`SELECT id FROM app_user WHERE username = 'settle-henan-2'`);
    expect((await office().ok(BATCH, { id: second })).settlementBatch).toMatchObject({ state: 'COMPLETED', decidedByUserId: checkerRow.id });
    const instructions = (await office().ok(INSTRUCTIONS, { b: second })).paymentInstructions.nodes;
    expect(instructions).toEqual([expect.objectContaining({ manufacturerId: alpha, amount: '40.00', state: 'ISSUED', holdReason: null })]);
    expect(instructions[0].payeeAccountId).toEqual(expect.any(String));
    expect((await checker.refused(APPROVE, { b: second })).code).toBe('SETTLEMENT_BATCH_NOT_PREPARED');
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);
    const audit = await t.sql(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`, [first]);
    expect(audit.map((a) => a.action)).toEqual(['settlement.batch.started', 'settlement.batch.prepared', 'settlement.batch.rejected']);
  });

  it('a payee without a verified account is held with the reason; its account is proposed and verified by two users, which releases the payment', async () => {
    await addReceiptLines(t, [{ hospital: hosp1, manufacturerId: gamma, unitPrice: '5.0000', quantity: 2, acceptedAt: '2026-03-12T10:00:00+08:00' }]);
    const batch = await prepare('approval-march-3');
    await checker.ok(APPROVE, { b: batch });
    const [held] = (await office().ok(INSTRUCTIONS, { b: batch })).paymentInstructions.nodes;
    expect(held).toMatchObject({ manufacturerId: gamma, amount: '10.00', state: 'HELD', holdReason: 'PAYEE_ACCOUNT_MISSING', payeeAccountId: null });
    // not sent to the bank: the money stays in the payable and the file has no row for it
    expect(await balance('PAYABLE', gamma)).toBe(1_000n);
    expect((await office().ok(FILE, { b: batch })).paymentInstructionFile.rows).toBe(0);
    expect(await office().refused(RELEASE, { o: gamma })).toMatchObject({ code: 'PAYEE_ACCOUNT_MISSING', field: 'organisationId' });
    const IMPORT = `mutation($input: ImportBankResultsInput!) { importBankResults(input: $input) { id } }`;
    expect(await office().refused(IMPORT, { input: { results: [{ instructionId: held.id, outcome: 'PAID' }] } }))
      .toMatchObject({ code: 'PAYMENT_INSTRUCTION_HELD', field: 'input.results[0].instructionId' });

    const [org] = await t.sql('SELECT name FROM organisation WHERE id = $1', [gamma]);
    const good = { organisationId: gamma, accountName: org.name, accountNumber: '410201234567890123', bankName: '中国工商银行', branchName: '郑州花园路支行', cnapsCode: '102491000012', effectiveFrom: '2026-04-01T00:00:00+08:00' };
    const bad: [Record<string, string>, string][] = [
      [{ cnapsCode: '999491000012' }, 'input.cnapsCode'],
      [{ cnapsCode: '10249100001' }, 'input.cnapsCode'],
      [{ accountName: '某某公司' }, 'input.accountName'],
      [{ accountNumber: '1234567' }, 'input.accountNumber'],
      [{ accountNumber: '4102-0123-4567' }, 'input.accountNumber'],
    ];
    for (const [change, field] of bad) {
      expect(await office().refused(PROPOSE, { input: { ...good, ...change } })).toMatchObject({ code: 'VALIDATION_FAILED', field });
    }
    expect((await t.as('hosp-zz-1').refused(PROPOSE, { input: good })).code).toBe('FORBIDDEN');
    expect(await t.sql('SELECT count(*)::int AS n FROM payee_account WHERE organisation_id = $1', [gamma])).toEqual([{ n: 0 }]);

    const proposed = (await office().ok(PROPOSE, { input: good })).proposePayeeAccount;
    expect(proposed).toMatchObject({ state: 'PROPOSED', accountName: org.name, cnapsCode: '102491000012' });
    // a proposed account pays nothing yet
    expect(await office().refused(RELEASE, { o: gamma })).toMatchObject({ code: 'PAYEE_ACCOUNT_MISSING' });
    expect((await t.as('mfr-gamma').ok(`query($o: ID!) { payeeAccounts(organisationId: $o) { id state } }`, { o: gamma })).payeeAccounts).toEqual([{ id: proposed.id, state: 'PROPOSED' }]);
    expect((await t.as('mfr-alpha').ok(`query($o: ID!) { payeeAccounts(organisationId: $o) { id } }`, { o: gamma })).payeeAccounts).toEqual([]);

    expect(await office().refused(VERIFY, { id: proposed.id })).toMatchObject({ code: 'MAKER_CHECKER_SAME_USER', field: 'accountId' });
    const verified = (await checker.ok(VERIFY, { id: proposed.id })).verifyPayeeAccount;
    expect(verified).toMatchObject({ account: { id: proposed.id, state: 'VERIFIED' }, releasedInstructions: 1 });
    expect((await checker.refused(VERIFY, { id: proposed.id })).code).toBe('PAYEE_ACCOUNT_NOT_PROPOSED');

    const [released] = (await office().ok(INSTRUCTIONS, { b: batch })).paymentInstructions.nodes;
    expect(released).toMatchObject({ id: held.id, state: 'ISSUED', holdReason: null, payeeAccountId: proposed.id });
    expect(await balance('PAYABLE', gamma)).toBe(0n);
    expect((await office().ok(FILE, { b: batch })).paymentInstructionFile.rows).toBe(1);
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);
    const audit = await t.sql(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`, [proposed.id]);
    expect(audit.map((a) => a.action)).toEqual(['settlement.payee-account.proposed', 'settlement.payee-account.verified']);
  });

  it('hospitals dispute lines within 5 working days; disputed lines are held from batches, the rest confirmed by the job at the window’s end', async () => {
    // Monday 8 June 2026: the window is 9–12 and 15 June, so it ends at 00:00 on Tuesday 16 June
    t.clock.set('2026-06-10T09:00:00+08:00');
    const [disputed, undisputed] = await addReceiptLines(t, [
      { hospital: hosp1, manufacturerId: alpha, unitPrice: '1.0000', quantity: 70, acceptedAt: '2026-06-08T10:00:00+08:00', confirmed: false },
      { hospital: hosp1, manufacturerId: alpha, unitPrice: '1.0000', quantity: 30, acceptedAt: '2026-06-08T11:00:00+08:00', confirmed: false },
    ]);
    const pending = (await t.as('hosp-zz-1').ok(LINES)).payableLines.filter((l: any) => l.confirmation === 'PENDING');
    expect(pending.map((l: any) => [l.lineId, l.disputeDeadline]).sort()).toEqual(
      [[disputed, '2026-06-16T00:00:00.000+08:00'], [undisputed, '2026-06-16T00:00:00.000+08:00']].sort(),
    );

    expect(await t.as('hosp-zz-2').refused(DISPUTE, { input: { lineId: disputed, reason: '不是本院' } })).toMatchObject({ code: 'NOT_FOUND', field: 'input.lineId' });
    const dispute = (await t.as('hosp-zz-1').ok(DISPUTE, { input: { lineId: disputed, reason: '实收数量与结算数量不符' } })).disputeSettlementLine;
    expect(dispute).toMatchObject({ state: 'OPEN', lineId: disputed });
    expect(await t.as('hosp-zz-1').refused(DISPUTE, { input: { lineId: disputed, reason: '再次' } })).toMatchObject({ code: 'LINE_NOT_DISPUTABLE', field: 'input.lineId' });

    // the last minute of the window: nothing confirmed yet
    t.clock.set('2026-06-15T23:59:00+08:00');
    expect((await office().ok(`mutation { confirmDueSettlementLines { confirmed } }`)).confirmDueSettlementLines.confirmed).toBe(0);
    t.clock.set('2026-06-16T00:00:00+08:00');
    await t.jobs.runNow(CONFIRM_LINES_JOB);
    const after = (await t.as('hosp-zz-1').ok(LINES)).payableLines;
    expect(after.find((l: any) => l.lineId === disputed)).toMatchObject({ confirmation: 'DISPUTED', disputeDeadline: null });
    expect(after.find((l: any) => l.lineId === undisputed)).toMatchObject({ confirmation: 'CONFIRMED' });
    expect((await t.as('hosp-zz-1').refused(DISPUTE, { input: { lineId: undisputed, reason: '晚了' } })).code).toBe('LINE_NOT_DISPUTABLE');
    // a line whose window ended before the job ran can no longer be disputed either
    const [late] = await addReceiptLines(t, [{ hospital: hosp1, manufacturerId: alpha, unitPrice: '1.0000', quantity: 5, acceptedAt: '2026-06-01T10:00:00+08:00', confirmed: false }]);
    expect(await t.as('hosp-zz-1').refused(DISPUTE, { input: { lineId: late, reason: '晚了' } })).toMatchObject({ code: 'DISPUTE_WINDOW_CLOSED', field: 'input.lineId' });
    await t.jobs.runNow(CONFIRM_LINES_JOB);

    // the batch takes the confirmed lines and holds the disputed one
    const june = await prepare('approval-june-1', JUNE);
    await checker.ok(APPROVE, { b: june });
    expect((await office().ok(BATCH, { id: june })).settlementBatch).toMatchObject({ state: 'COMPLETED', linesSettled: 2, amount: '35.00' });
    expect(await t.sql('SELECT count(*)::int AS n FROM settled_line WHERE line_id = $1', [disputed])).toEqual([{ n: 0 }]);

    expect((await t.as('hosp-zz-1').ok(`{ lineDisputes { totalCount nodes { id state } } }`)).lineDisputes).toEqual({ totalCount: 1, nodes: [{ id: dispute.id, state: 'OPEN' }] });
    expect((await t.as('hosp-zz-2').ok(`{ lineDisputes { totalCount } }`)).lineDisputes.totalCount).toBe(0);
    expect((await t.as('hosp-zz-1').refused(RESOLVE, { input: { disputeId: dispute.id, outcome: 'RELEASE', note: 'x' } })).code).toBe('FORBIDDEN');
    expect((await office().refused(RESOLVE, { input: { disputeId: dispute.id, outcome: 'MAYBE', note: 'x' } })).field).toBe('input.outcome');
    const resolved = (await office().ok(RESOLVE, { input: { disputeId: dispute.id, outcome: 'RELEASE', note: '经核实配送单与验收记录一致' } })).resolveLineDispute;
    expect(resolved).toMatchObject({ state: 'RELEASED' });
    expect((await office().refused(RESOLVE, { input: { disputeId: dispute.id, outcome: 'UPHOLD', note: 'x' } })).code).toBe('DISPUTE_NOT_OPEN');

    // released: the next batch pays it
    const next = await prepare('approval-june-2', JUNE);
    await checker.ok(APPROVE, { b: next });
    expect((await office().ok(BATCH, { id: next })).settlementBatch).toMatchObject({ state: 'COMPLETED', linesSettled: 1, amount: '70.00' });
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);
  });

  it('a hospital settles up to its fund allotment exactly; one fen over is held and raises an alert, as is a hospital without one', async () => {
    t.clock.set('2026-05-02T09:00:00+08:00');
    const ay1 = await orgOf(t, 'hosp-ay-1');
    const ay2 = await orgOf(t, 'hosp-ay-2');
    const SET = `mutation($input: SetFundAllotmentInput!) { setFundAllotment(input: $input) { id hospitalId amount periodStart periodEnd } }`;
    const april = { hospitalId: ay1.id, periodStart: '2026-04-01T00:00:00+08:00', periodEnd: '2026-05-01T00:00:00+08:00', amount: '100.00' };
    expect((await office().refused(SET, { input: { ...april, periodEnd: april.periodStart } })).field).toBe('input.periodEnd');
    expect((await t.as('hosp-ay-1').refused(SET, { input: april })).code).toBe('FORBIDDEN');
    const allotment = (await office().ok(SET, { input: april })).setFundAllotment;
    expect(allotment).toMatchObject({ hospitalId: ay1.id, amount: '100.00' });
    expect(await office().refused(SET, { input: { ...april, periodStart: '2026-04-15T00:00:00+08:00', periodEnd: '2026-05-15T00:00:00+08:00' } }))
      .toMatchObject({ code: 'ALLOTMENT_PERIOD_OVERLAPS', field: 'input.periodStart' });

    const [, , oneFenOver] = await addReceiptLines(t, [
      { hospital: ay1, manufacturerId: alpha, unitPrice: '60.0000', quantity: 1, acceptedAt: '2026-04-03T10:00:00+08:00' },
      { hospital: ay1, manufacturerId: alpha, unitPrice: '40.0000', quantity: 1, acceptedAt: '2026-04-07T10:00:00+08:00' },
      { hospital: ay1, manufacturerId: alpha, unitPrice: '0.0100', quantity: 1, acceptedAt: '2026-04-08T10:00:00+08:00' },
      { hospital: ay2, manufacturerId: alpha, unitPrice: '5.0000', quantity: 1, acceptedAt: '2026-04-08T10:00:00+08:00' },
    ]);
    const APRIL = { regionCode: '410000', periodStart: '2026-04-01T00:00:00+08:00', periodEnd: '2026-05-01T00:00:00+08:00' };
    const first = await prepare('allotment-april-1', APRIL);
    // exactly at the allotment: 60.00 + 40.00 settle; the next fen is held
    expect((await office().ok(BATCH, { id: first })).settlementBatch).toMatchObject({ state: 'PREPARED', linesSettled: 2, amount: '100.00' });
    const HOLDS = `query($b: ID) { allotmentHolds(batchId: $b) { totalCount nodes { lineId hospitalId amount reason } } }`;
    const holds = (await office().ok(HOLDS, { b: first })).allotmentHolds;
    expect(holds.nodes.map((h: any) => [h.hospitalId, h.amount, h.reason]).sort()).toEqual(
      [[ay1.id, '0.01', 'ALLOTMENT_EXCEEDED'], [ay2.id, '5.00', 'ALLOTMENT_MISSING']].sort(),
    );
    expect((await t.as('hosp-ay-1').ok(HOLDS, {})).allotmentHolds.nodes).toEqual([{ lineId: oneFenOver, hospitalId: ay1.id, amount: '0.01', reason: 'ALLOTMENT_EXCEEDED' }]);
    await checker.ok(APPROVE, { b: first });
    expect(await balance('FUND_ENTITLEMENT', ay1.id)).toBe(-10_000n);
    const audit = await t.sql(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`, [first]);
    expect(audit.map((a) => a.action)).toContain('settlement.batch.allotment-held');

    // a second batch at the allotment holds the fen again; raised by one fen, it settles
    const again = await prepare('allotment-april-2', APRIL);
    expect((await office().ok(BATCH, { id: again })).settlementBatch).toMatchObject({ linesSettled: 0 });
    await checker.ok(REJECT, { b: again, r: '额度未调整' });
    expect((await office().ok(SET, { input: { ...april, amount: '100.01' } })).setFundAllotment).toMatchObject({ id: allotment.id, amount: '100.01' });
    const third = await prepare('allotment-april-3', APRIL);
    expect((await office().ok(BATCH, { id: third })).settlementBatch).toMatchObject({ linesSettled: 1, amount: '0.01' });
    expect((await t.as('hosp-ay-1').ok(`{ fundAllotments { amount } }`)).fundAllotments).toEqual([{ amount: '100.01' }]);
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);
  });
});
