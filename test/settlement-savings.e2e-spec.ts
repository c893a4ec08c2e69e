import { startTestApp, TestApp } from '@test/harness';
import { RUN_BATCH_JOB } from '../src/settlement/settlement-batches.service';
import { addAllotments, addReceiptLines, addReturns, addSavingsRound, addVerifiedPayeeAccounts, APPROVE, checkerUser, Gql, HEALTHY, ledgerInvariants, orgOf } from './support/settlement-fixtures';

const START = `mutation($input: StartSettlementBatchInput!) { startSettlementBatch(input: $input) { id state } }`;
const BATCH = `query($id: ID!) { settlementBatch(id: $id) { id state linesSettled amount savingsAmount } }`;
const REJECT = `mutation($b: ID!, $r: String!) { rejectSettlementBatch(batchId: $b, reason: $r) { id state } }`;
const INSTRUCTIONS = `query($b: ID) { paymentInstructions(batchId: $b) { nodes { id payeeId manufacturerId amount state holdReason } } }`;
const ACCRUE = `mutation($input: AccrueRetainedSavingsInput!) { accrueRetainedSavings(input: $input) {
  accrued { id hospitalId agreementYear yearStart yearEnd budget spent savings score share amount journalId batchId policyVersion } alreadyAccrued unscoredHospitalIds } }`;
const ACCRUALS = `query($r: ID!) { retainedSavingsAccruals(roundId: $r) { hospitalId agreementYear amount batchId } }`;
const REPORT = `query($r: ID!) { retainedSavings(roundId: $r) { hospitalId score budget spent savings retained accrued paid } }`;
const IMPORT = `mutation($input: ImportBankResultsInput!) { importBankResults(input: $input) { id state } }`;

describe('settlement: retained savings (结余留用) accrued through the ledger and paid by a batch', () => {
  let t: TestApp;
  let checker: Gql;
  let hosp1: { id: string; regionCode: string };
  let hosp2: { id: string; regionCode: string };
  let alpha: string;
  const office = () => t.as('settle-henan');
  const balance = async (kind: string, ownerId: string) => {
    const [row] = await t.sql('SELECT balance_fen::text AS b FROM ledger_account WHERE kind = $1 AND owner_id = $2', [kind, ownerId]);
    return row ? BigInt(row.b) : 0n;
  };
  const prepare = async (key: string, period: { periodStart: string; periodEnd: string }) => {
    const id = (await office().ok(START, { input: { regionCode: '410000', ...period, idempotencyKey: key } })).startSettlementBatch.id;
    await t.jobs.runNow(RUN_BATCH_JOB, { batchId: id });
    return id as string;
  };

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-04-02T09:00:00+08:00' });
    hosp1 = await orgOf(t, 'hosp-zz-1');
    hosp2 = await orgOf(t, 'hosp-zz-2');
    alpha = (await orgOf(t, 'mfr-alpha')).id;
    await addVerifiedPayeeAccounts(t, [alpha]);
    await addAllotments(t, [hosp1.id, hosp2.id]);
    checker = await checkerUser(t);
  });
  afterAll(() => t.close());

  it('a year’s retained savings are accrued once as balanced journals, paid by the next batch (held until the hospital has an account) and read back from the ledger', async () => {
    const { roundId, agreementIds: [agreement2] } = await addSavingsRound(t, alpha, [hosp2, hosp1]);
    // hosp-zz-2 buys 800 and returns 50 at 1.0000 in 2026; hosp-zz-1 is never scored
    const [line] = await addReceiptLines(t, [{ hospital: hosp2, manufacturerId: alpha, agreementId: agreement2, unitPrice: '1.0000', quantity: 800, acceptedAt: '2026-04-20T10:00:00+08:00' }]);
    await addReturns(t, [{ receiptLineId: line, quantity: 50, returnedAt: '2026-04-22T10:00:00+08:00' }]);
    await t.as('reg-zz').ok(`mutation($i: SetHospitalScoreInput!) { setHospitalScore(input: $i) { score } }`, { i: { hospitalId: hosp2.id, roundId, score: 'B' } });

    // the year has not ended; there is no second year in a one-year cycle; only the office accrues
    expect(await office().refused(ACCRUE, { input: { roundId, agreementYear: 1 } })).toMatchObject({ code: 'AGREEMENT_YEAR_NOT_ENDED', field: 'input.agreementYear' });
    t.clock.set('2027-01-04T09:00:00+08:00');
    expect(await office().refused(ACCRUE, { input: { roundId, agreementYear: 2 } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.agreementYear' });
    expect((await t.as('reg-henan').refused(ACCRUE, { input: { roundId, agreementYear: 1 } })).code).toBe('FORBIDDEN');
    expect(await t.sql('SELECT count(*)::int AS n FROM retained_savings_accrual')).toEqual([{ n: 0 }]);

    // budget 1,000 × 1.3292 = 1,329.20; spent 750.00; savings 579.20; score B keeps 40 % = 231.68
    const first = (await office().ok(ACCRUE, { input: { roundId, agreementYear: 1 } })).accrueRetainedSavings;
    expect(first).toEqual({
      accrued: [expect.objectContaining({
        hospitalId: hosp2.id, agreementYear: 1, yearStart: '2026-01-01T00:00:00.000+08:00', yearEnd: '2027-01-01T00:00:00.000+08:00',
        budget: '1329.20', spent: '750.00', savings: '579.20', score: 'B', share: '0.4000', amount: '231.68', batchId: null, policyVersion: 'settlement-2026.1',
      })],
      alreadyAccrued: 0,
      unscoredHospitalIds: [hosp1.id],
    });
    const journalId = first.accrued[0].journalId;
    const postings = await t.sql(
      `SELECT a.kind, a.owner_id, p.amount_fen::text AS fen FROM ledger_posting p JOIN ledger_account a ON a.id = p.account_id WHERE p.journal_id = $1 ORDER BY p.amount_fen`,
      [journalId],
    );
    expect(postings).toEqual([
      { kind: 'RETAINED_SAVINGS', owner_id: hosp2.id, fen: '-23168' },
      { kind: 'PAYABLE', owner_id: hosp2.id, fen: '23168' },
    ]);
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);

    // accruing the year again changes nothing
    const journals = await t.sql(`SELECT count(*)::int AS n FROM ledger_journal WHERE kind = 'RETAINED_SAVINGS'`);
    expect((await office().ok(ACCRUE, { input: { roundId, agreementYear: 1 } })).accrueRetainedSavings).toEqual({ accrued: [], alreadyAccrued: 1, unscoredHospitalIds: [hosp1.id] });
    expect(await t.sql(`SELECT count(*)::int AS n FROM ledger_journal WHERE kind = 'RETAINED_SAVINGS'`)).toEqual(journals);
    expect(await balance('PAYABLE', hosp2.id)).toBe(23_168n);
    // the database refuses a second accrual of the same hospital and year
    await expect(t.sql(
      `INSERT INTO retained_savings_accrual (hospital_id, region_code, round_id, agreement_year, year_start, year_end, budget_fen, spent_fen, savings_fen, score, share, policy_version, amount_fen, accrued_at, accrued_by_user_id)
       SELECT hospital_id, region_code, round_id, agreement_year, year_start, year_end, 0, 0, 0, 'D', 0, policy_version, 0, now(), accrued_by_user_id FROM retained_savings_accrual`,
    )).rejects.toThrow(/UQ_retained_savings_accrual_hospital_year/);

    // the report reads the accrual from the ledger; hospitals see their own
    const report = (await t.as('hosp-zz-2').ok(REPORT, { r: roundId })).retainedSavings;
    expect(report).toEqual([{ hospitalId: hosp2.id, score: 'B', budget: '1329.20', spent: '750.00', savings: '579.20', retained: '231.68', accrued: '231.68', paid: '0.00' }]);
    expect((await t.as('hosp-zz-1').ok(ACCRUALS, { r: roundId })).retainedSavingsAccruals).toEqual([]);

    // the next batch of the region takes the accrual; rejected, it leaves it accrued for the one after
    const JANUARY = { periodStart: '2027-01-01T00:00:00+08:00', periodEnd: '2027-02-01T00:00:00+08:00' };
    const rejected = await prepare('savings-2027-01-a', JANUARY);
    expect((await office().ok(BATCH, { id: rejected })).settlementBatch).toMatchObject({ state: 'PREPARED', linesSettled: 0, amount: '0.00', savingsAmount: '231.68' });
    await checker.ok(REJECT, { b: rejected, r: '结余留用金额待复核' });
    expect((await office().ok(ACCRUALS, { r: roundId })).retainedSavingsAccruals).toEqual([{ hospitalId: hosp2.id, agreementYear: 1, amount: '231.68', batchId: null }]);
    expect(await balance('PAYABLE', hosp2.id)).toBe(23_168n);

    const batch = await prepare('savings-2027-01-b', JANUARY);
    expect((await office().ok(BATCH, { id: batch })).settlementBatch).toMatchObject({ state: 'PREPARED', savingsAmount: '231.68' });
    await checker.ok(APPROVE, { b: batch });
    // the hospital has no verified account yet: held, the money stays in its payable
    const [held] = (await office().ok(INSTRUCTIONS, { b: batch })).paymentInstructions.nodes;
    expect(held).toMatchObject({ payeeId: hosp2.id, manufacturerId: hosp2.id, amount: '231.68', state: 'HELD', holdReason: 'PAYEE_ACCOUNT_MISSING' });
    expect(await balance('PAYABLE', hosp2.id)).toBe(23_168n);
    // a later batch does not pay it twice
    const later = await prepare('savings-2027-01-c', JANUARY);
    expect((await office().ok(BATCH, { id: later })).settlementBatch).toMatchObject({ savingsAmount: '0.00' });

    const [org] = await t.sql('SELECT name FROM organisation WHERE id = $1', [hosp2.id]);
    const proposed = (await office().ok(`mutation($input: ProposePayeeAccountInput!) { proposePayeeAccount(input: $input) { id } }`, {
      input: { organisationId: hosp2.id, accountName: org.name, accountNumber: '410209876543210', bankName: '中国建设银行', branchName: '郑州金水支行', cnapsCode: '105491000015', effectiveFrom: '2027-01-01T00:00:00+08:00' },
    })).proposePayeeAccount;
    expect((await checker.ok(`mutation($id: ID!) { verifyPayeeAccount(accountId: $id) { releasedInstructions } }`, { id: proposed.id })).verifyPayeeAccount.releasedInstructions).toBe(1);
    expect(await balance('PAYABLE', hosp2.id)).toBe(0n);
    await office().ok(IMPORT, { input: { results: [{ instructionId: held.id, outcome: 'PAID' }] } });
    expect((await t.as('reg-henan').ok(REPORT, { r: roundId })).retainedSavings.find((r: any) => r.hospitalId === hosp2.id))
      .toMatchObject({ accrued: '231.68', paid: '231.68' });
    expect(await balance('RETAINED_SAVINGS', hosp2.id)).toBe(-23_168n);
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);
  });
});
