import { startTestApp, TestApp } from '@test/harness';
import { RUN_BATCH_JOB } from '../src/settlement/settlement-batches.service';
import { addReceiptLines, addVerifiedPayeeAccounts, APPROVE, checkerUser, Gql, HEALTHY, ledgerInvariants, orgOf } from './support/settlement-fixtures';

const START = `mutation($input: StartSettlementBatchInput!) { startSettlementBatch(input: $input) { id state } }`;
const BATCH = `query($id: ID!) { settlementBatch(id: $id) { id state linesSettled amount } }`;
const REJECT = `mutation($b: ID!, $r: String!) { rejectSettlementBatch(batchId: $b, reason: $r) { id state } }`;
const ALLOT = `mutation($input: SetFundAllotmentInput!) { setFundAllotment(input: $input) { id amount } }`;
const POLICY = `mutation($input: SetRegionSettlementPolicyInput!) { setRegionSettlementPolicy(input: $input) { id version payee advanceLimit } }`;
const HOLDS = `query($b: ID) { allotmentHolds(batchId: $b) { totalCount nodes { lineId hospitalId amount reason } } }`;
const ADVANCES = `query($b: ID) { allotmentAdvances(batchId: $b) { totalCount nodes { lineId hospitalId lineAmount amount } } }`;
const APRIL = { regionCode: '410000', periodStart: '2026-04-01T00:00:00+08:00', periodEnd: '2026-05-01T00:00:00+08:00' };

describe('settlement: lines beyond the fund allotment paid as recorded advances (垫付) where policy allows', () => {
  let t: TestApp;
  let checker: Gql;
  let alpha: string;
  const office = () => t.as('settle-henan');
  const balance = async (kind: string, ownerId: string) => {
    const [row] = await t.sql('SELECT balance_fen::text AS b FROM ledger_account WHERE kind = $1 AND owner_id = $2', [kind, ownerId]);
    return row ? BigInt(row.b) : 0n;
  };
  const prepare = async (key: string) => {
    const id = (await office().ok(START, { input: { ...APRIL, idempotencyKey: key } })).startSettlementBatch.id;
    await t.jobs.runNow(RUN_BATCH_JOB, { batchId: id });
    return id as string;
  };

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-05-02T09:00:00+08:00' });
    alpha = (await orgOf(t, 'mfr-alpha')).id;
    await addVerifiedPayeeAccounts(t, [alpha]);
    checker = await checkerUser(t);
  });
  afterAll(() => t.close());

  it('Anyang advances up to 50.00 beyond the allotment (exactly at it nothing is advanced, one fen over is, one fen past the limit is held); Zhengzhou without the policy holds the fen', async () => {
    const ay1 = await orgOf(t, 'hosp-ay-1');
    const zz1 = await orgOf(t, 'hosp-zz-1');
    for (const hospital of [ay1, zz1]) {
      await office().ok(ALLOT, { input: { hospitalId: hospital.id, periodStart: APRIL.periodStart, periodEnd: APRIL.periodEnd, amount: '100.00' } });
    }
    const now = t.clock.now().toISOString();
    expect(await office().refused(POLICY, { input: { regionCode: '410500', effectiveFrom: now, payee: 'MANUFACTURER', advanceLimit: '-0.01' } }))
      .toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.advanceLimit' });
    expect((await office().ok(POLICY, { input: { regionCode: '410500', effectiveFrom: now, payee: 'MANUFACTURER', advanceLimit: '50.00' } })).setRegionSettlementPolicy)
      .toMatchObject({ version: 1, payee: 'MANUFACTURER', advanceLimit: '50.00' });

    const line = (hospital: { id: string; regionCode: string }, unitPrice: string, day: number) =>
      ({ hospital, manufacturerId: alpha, unitPrice, quantity: 1, acceptedAt: `2026-04-${String(day).padStart(2, '0')}T10:00:00+08:00` });
    const [, , oneFenOver, upToLimit, pastLimit, zzAt, zzOver] = await addReceiptLines(t, [
      line(ay1, '60.0000', 3), line(ay1, '40.0000', 7), // exactly at the allotment: 100.00
      line(ay1, '0.0100', 8), // one fen over: advanced
      line(ay1, '49.9900', 9), // drawing 150.00 = allotment + limit: advanced in full
      line(ay1, '0.0100', 10), // one fen past the limit: held
      line(zz1, '100.0000', 3), line(zz1, '0.0100', 8), // no policy in Zhengzhou: held as before
    ]);

    const batchId = await prepare('advance-april-1');
    expect((await office().ok(BATCH, { id: batchId })).settlementBatch).toMatchObject({ state: 'PREPARED', linesSettled: 5, amount: '250.00' });
    const advances = (await office().ok(ADVANCES, { b: batchId })).allotmentAdvances;
    expect(advances.nodes.map((a: any) => [a.lineId, a.lineAmount, a.amount]).sort()).toEqual([[oneFenOver, '0.01', '0.01'], [upToLimit, '49.99', '49.99']].sort());
    expect((await office().ok(HOLDS, { b: batchId })).allotmentHolds.nodes.map((h: any) => [h.lineId, h.reason]).sort())
      .toEqual([[pastLimit, 'ALLOTMENT_EXCEEDED'], [zzOver, 'ALLOTMENT_EXCEEDED']].sort());
    expect(await t.sql('SELECT count(*)::int AS n FROM settled_line WHERE line_id = $1', [zzAt])).toEqual([{ n: 1 }]);
    // the advance is drawn from the hospital's advances account, not its entitlement: never a silent negative
    expect(await balance('FUND_ENTITLEMENT', ay1.id)).toBe(-10_000n);
    expect(await balance('FUND_ADVANCE', ay1.id)).toBe(-5_000n);
    expect(await balance('FUND_ADVANCE', zz1.id)).toBe(0n);
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);
    // the hospital sees its own advances and account; another hospital sees none
    expect((await t.as('hosp-ay-1').ok(ADVANCES, {})).allotmentAdvances.totalCount).toBe(2);
    expect((await t.as('hosp-zz-1').ok(ADVANCES, {})).allotmentAdvances.totalCount).toBe(0);
    const accounts = (await t.as('hosp-ay-1').ok(`{ ledgerAccounts(first: 20) { nodes { kind balance } } }`)).ledgerAccounts.nodes;
    expect(accounts).toEqual(expect.arrayContaining([{ kind: 'FUND_ADVANCE', balance: '-50.00' }]));
    const audit = await t.sql(`SELECT action, data FROM audit_log WHERE entity_id = $1 ORDER BY seq`, [batchId]);
    expect(audit.find((a) => a.action === 'settlement.batch.allotment-advanced')?.data).toMatchObject({ linesAdvanced: 2, amountFen: '5000' });

    // rejected, the advances go with the batch's postings; prepared again, the same lines are advanced
    await checker.ok(REJECT, { b: batchId, r: '垫付待审' });
    expect(await balance('FUND_ADVANCE', ay1.id)).toBe(0n);
    expect((await office().ok(ADVANCES, { b: batchId })).allotmentAdvances.totalCount).toBe(0);
    const again = await prepare('advance-april-2');
    expect((await office().ok(ADVANCES, { b: again })).allotmentAdvances.nodes.map((a: any) => a.amount).sort()).toEqual(['0.01', '49.99']);
    await checker.ok(APPROVE, { b: again });
    expect((await office().ok(BATCH, { id: again })).settlementBatch).toMatchObject({ state: 'COMPLETED', linesSettled: 5, amount: '250.00' });
    expect(await balance('FUND_ADVANCE', ay1.id)).toBe(-5_000n);
    expect(await balance('PAYABLE', alpha)).toBe(0n);

    // at allotment + limit, the next batch advances nothing more and holds the fen again
    const third = await prepare('advance-april-3');
    expect((await office().ok(BATCH, { id: third })).settlementBatch).toMatchObject({ linesSettled: 0 });
    expect((await office().ok(ADVANCES, { b: third })).allotmentAdvances.totalCount).toBe(0);
    expect((await office().ok(HOLDS, { b: third })).allotmentHolds.totalCount).toBe(2);
    expect(await ledgerInvariants(t)).toEqual(HEALTHY);
  });
});
