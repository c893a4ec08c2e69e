import { randomUUID } from 'crypto';
import fc from 'fast-check';
import { startTestApp, TestApp } from '@test/harness';
import { lineAmountFen } from '@libs/money';
import { POST_PREPAYMENTS_JOB, SettlementBatchesService } from '../src/settlement/settlement-batches.service';
import { addPrepaymentDue, addReceiptLines, addReturns, addAllotments, addVerifiedPayeeAccounts, APPROVE, checkerUser, HEALTHY, ledgerInvariants, orgOf, setInvoiced } from './support/settlement-fixtures';

const START = `mutation($input: StartSettlementBatchInput!) { startSettlementBatch(input: $input) { id } }`;
const IMPORT = `mutation($input: ImportBankResultsInput!) { importBankResults(input: $input) { id } }`;

type Step =
  | { kind: 'receipts'; count: number; day: number; price: string; quantity: number; vbp: boolean; invoiced: boolean; who: number }
  | { kind: 'return'; pick: number; quantity: number; day: number }
  | { kind: 'invoice' }
  | { kind: 'prepayment'; amountFen: number; who: number }
  | { kind: 'batch'; reuseKey: boolean; chunkSize: number; reject: boolean }
  | { kind: 'bank'; pick: number; fail: boolean };

const price = fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 9999 })).map(([i, f]) => `${i}.${String(f).padStart(4, '0')}`);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('receipts' as const), count: fc.integer({ min: 1, max: 6 }), day: fc.integer({ min: 1, max: 28 }), price, quantity: fc.integer({ min: 1, max: 500 }), vbp: fc.boolean(), invoiced: fc.integer({ min: 0, max: 3 }).map((n) => n > 0), who: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('return' as const), pick: fc.nat(), quantity: fc.integer({ min: 1, max: 50 }), day: fc.integer({ min: 1, max: 28 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'invoice' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('prepayment' as const), amountFen: fc.integer({ min: 1, max: 5_000_000 }), who: fc.nat(1) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('batch' as const), reuseKey: fc.boolean(), chunkSize: fc.integer({ min: 1, max: 8 }), reject: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('bank' as const), pick: fc.nat(), fail: fc.boolean() }) },
);

describe('settlement properties: random flows keep the ledger whole', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-09-02T09:00:00+08:00' });
  });
  afterAll(() => t.close());

  it('after every step: ledger sums to zero, balances equal postings, no line settled twice, nobody paid more than accepted × price', async () => {
    const hospitals = [await orgOf(t, 'hosp-zz-1'), await orgOf(t, 'hosp-zz-2')];
    const manufacturers = [(await orgOf(t, 'mfr-alpha')).id, (await orgOf(t, 'mfr-beta')).id];
    const service = t.app.get(SettlementBatchesService);
    await addVerifiedPayeeAccounts(t, manufacturers);
    await addAllotments(t);
    const checker = await checkerUser(t);
    let run = 0;

    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 12 }), async (steps) => {
        run += 1;
        const month = String(1 + (run % 8)).padStart(2, '0');
        const input = { regionCode: '410100', periodStart: `2026-${month}-01T00:00:00+08:00`, periodEnd: `2026-${month}-28T23:59:59+08:00` };
        const receipts: { id: string; remaining: number }[] = [];
        let lastKey: string | null = null;
        for (const s of steps) {
          const at = (day: number) => `2026-${month}-${String(day).padStart(2, '0')}T10:00:00+08:00`;
          if (s.kind === 'receipts') {
            const hospital = hospitals[s.who % 2];
            const manufacturerId = manufacturers[s.who >> 1];
            const agreementId = s.vbp ? randomUUID() : null;
            const ids = await addReceiptLines(t, Array.from({ length: s.count }, () => ({ hospital, manufacturerId, agreementId, unitPrice: s.price, quantity: s.quantity, acceptedAt: at(s.day), invoiced: s.invoiced })));
            for (const id of ids) receipts.push({ id, remaining: s.quantity });
          } else if (s.kind === 'return' && receipts.some((r) => r.remaining > 0)) {
            // a return of what is still accepted on one receipt line (orders refuses more)
            const open = receipts.filter((r) => r.remaining > 0);
            const r = open[s.pick % open.length];
            const quantity = Math.min(s.quantity, r.remaining);
            r.remaining -= quantity;
            await addReturns(t, [{ receiptLineId: r.id, quantity, returnedAt: at(s.day) }]);
          } else if (s.kind === 'invoice') {
            await setInvoiced(t, receipts.map((r) => r.id));
          } else if (s.kind === 'prepayment') {
            await addPrepaymentDue(t, { hospital: hospitals[s.who], roundId: randomUUID(), amountFen: BigInt(s.amountFen), dueAt: '2026-01-01T00:00:00+08:00' });
            await t.jobs.runNow(POST_PREPAYMENTS_JOB);
          } else if (s.kind === 'batch') {
            const key: string = s.reuseKey && lastKey ? lastKey : `prop-${run}-${randomUUID()}`;
            lastKey = key;
            const { startSettlementBatch } = await t.as('settle-henan').ok(START, { input: { ...input, idempotencyKey: key } });
            await service.runBatch(startSettlementBatch.id, { chunkSize: s.chunkSize });
            // the checker approves, or rejects (postings reversed, lines back to the pool for a later batch)
            const [{ state }] = await t.sql('SELECT state FROM settlement_batch WHERE id = $1', [startSettlementBatch.id]);
            if (state === 'PREPARED' && s.reject) {
              await checker.ok(`mutation($b: ID!) { rejectSettlementBatch(batchId: $b, reason: "金额有误") { id } }`, { b: startSettlementBatch.id });
            } else if (state === 'PREPARED') {
              await checker.ok(APPROVE, { b: startSettlementBatch.id });
            }
          } else if (s.kind === 'bank') {
            const issued = await t.sql(`SELECT id FROM payment_instruction WHERE state = 'ISSUED' ORDER BY id`);
            if (issued.length > 0) {
              const id = issued[s.pick % issued.length].id;
              await t.as('settle-henan').ok(IMPORT, { input: { results: [s.fail ? { instructionId: id, outcome: 'FAILED', reason: 'account closed' } : { instructionId: id, outcome: 'PAID' }] } });
            }
          }
          expect(await ledgerInvariants(t)).toEqual(HEALTHY);
          // every settled amount is exactly round-half-up(price × quantity) of its line
          const settled = await t.sql('SELECT unit_price::text AS p, quantity::text AS q, amount_fen::text AS a FROM settled_line');
          for (const line of settled) expect(BigInt(line.a)).toBe(lineAmountFen(line.p, BigInt(line.q)));
          // money in payment (issued or paid) per manufacturer equals exactly the lines it covers
          const mismatched = await t.sql(
            `SELECT i.manufacturer_id FROM payment_instruction i LEFT JOIN batch_payable s ON s.instruction_id = i.id
              WHERE i.state <> 'FAILED' GROUP BY i.id, i.manufacturer_id, i.amount_fen HAVING i.amount_fen <> coalesce(sum(s.amount_fen), 0)`,
          );
          expect(mismatched).toEqual([]);
          // in payment to a manufacturer never exceeds what its accepted receipt lines are worth (a return
          // after payment is netted in a later batch, so it is not counted here)
          const overpaid = await t.sql(
            `SELECT p.manufacturer_id FROM (SELECT manufacturer_id, sum(amount_fen) AS paid FROM payment_instruction WHERE state <> 'FAILED' GROUP BY manufacturer_id) p
              JOIN (SELECT manufacturer_id, sum(round(unit_price * quantity * 100)) AS worth FROM v_settleable_line WHERE quantity > 0 GROUP BY manufacturer_id) w ON w.manufacturer_id = p.manufacturer_id
             WHERE p.paid > w.worth`,
          );
          expect(overpaid).toEqual([]);
          // conservation per manufacturer: payable balance + money in payment = everything settled for it
          const leaking = await t.sql(
            `SELECT s.manufacturer_id FROM (SELECT manufacturer_id, sum(amount_fen) AS settled FROM settled_line GROUP BY manufacturer_id) s
               LEFT JOIN ledger_account a ON a.kind = 'PAYABLE' AND a.owner_id = s.manufacturer_id
               LEFT JOIN (SELECT manufacturer_id, sum(amount_fen) AS out FROM payment_instruction WHERE state <> 'FAILED' GROUP BY manufacturer_id) i ON i.manufacturer_id = s.manufacturer_id
              WHERE coalesce(a.balance_fen, 0) + coalesce(i.out, 0) <> s.settled`,
          );
          expect(leaking).toEqual([]);
        }
      }),
      { numRuns: 20, seed: 20260402, endOnFailure: true },
    );
    // the flows did exercise what the invariants guard: settled lines, returns, prepayments, failed payments
    const [seen] = await t.sql(`SELECT (SELECT count(*) FROM settled_line)::int AS settled, (SELECT count(*) FROM settled_line WHERE quantity < 0)::int AS returns,
                                       (SELECT count(*) FROM prepayment_posting)::int AS prepayments, (SELECT count(*) FROM payment_instruction WHERE state = 'FAILED')::int AS failed,
                                       (SELECT count(*) FROM settlement_batch WHERE state = 'REJECTED' AND lines_settled > 0)::int AS rejected`);
    expect(seen.settled).toBeGreaterThan(20);
    expect(seen.returns).toBeGreaterThan(0);
    expect(seen.prepayments).toBeGreaterThan(0);
    expect(seen.failed).toBeGreaterThan(0);
    expect(seen.rejected).toBeGreaterThan(0);
  }, 120_000);
});
