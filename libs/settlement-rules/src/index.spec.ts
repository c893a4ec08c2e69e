import fc from 'fast-check';
import { lineAmountFen } from '@libs/money';
import {
  ageInDays,
  ageingBucket,
  ageingBucketIndex,
  dueAt,
  prepaymentAmountFen,
  retainedSavings,
  retainedSavingsByHospital,
  agreementYearWindow,
  policyInForce,
  invoiceChainSides,
  allotmentDecision,
  settledLineAmountFen,
  settlementPolicy,
  SETTLEMENT_POLICY_2026,
  splitDrawdown,
} from './index';

const price = fc.tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 9999 })).map(([i, f]) => `${i}.${String(f).padStart(4, '0')}`);

describe('settlement rules', () => {
  it('line amounts are half-up to the fen, exact, and a return is the mirror of its receipt', () => {
    expect(settledLineAmountFen('0.0050', 1)).toBe(1n);
    expect(settledLineAmountFen('0.0049', 1)).toBe(0n);
    expect(settledLineAmountFen('0.0050', -1)).toBe(-1n);
    expect(settledLineAmountFen('12.3456', 1000)).toBe(1234560n);
    fc.assert(
      fc.property(price, fc.integer({ min: 1, max: 1_000_000 }), (p, q) => {
        const amount = settledLineAmountFen(p, q);
        expect(settledLineAmountFen(p, -q)).toBe(-amount);
        expect(amount).toBe(lineAmountFen(p, q));
        // within half a fen of the exact value: |amount×10^6 − price×10^4×q×100| ≤ 0.5×10^6... in integer units
        const exactTimes1e4 = BigInt(p.replace('.', '')) * BigInt(q) * 100n;
        const diff = amount * 10_000n - exactTimes1e4;
        expect(diff <= 5_000n && diff > -5_000n).toBe(true);
      }),
    );
  });

  it('a line is due 30 days after acceptance under the 2026 policy', () => {
    expect(dueAt(new Date('2026-03-01T10:00:00+08:00')).toISOString()).toBe(new Date('2026-03-31T10:00:00+08:00').toISOString());
    expect(settlementPolicy('settlement-2026.1')).toBe(SETTLEMENT_POLICY_2026);
    expect(() => settlementPolicy('nope')).toThrow(/Unknown/);
  });

  it('ageing buckets are 0–30, 31–60, 61–90 and over 90 days, monotonic in age', () => {
    expect([0, 30, 31, 60, 61, 90, 91, 400].map((d) => ageingBucket(d))).toEqual([
      'DAYS_0_30', 'DAYS_0_30', 'DAYS_31_60', 'DAYS_31_60', 'DAYS_61_90', 'DAYS_61_90', 'OVER_90', 'OVER_90',
    ]);
    fc.assert(fc.property(fc.nat(5000), fc.nat(5000), (a, b) => (a <= b ? ageingBucketIndex(a) <= ageingBucketIndex(b) : true)));
    expect(ageInDays(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-31T23:59:59Z'))).toBe(30);
  });

  it('prepayment is 30% of the annual agreed amount, half-up', () => {
    expect(prepaymentAmountFen(1001n)).toBe(300n);
    expect(prepaymentAmountFen(1005n)).toBe(302n);
  });

  it('drawdown uses the prepayment first, never more than it holds, and always adds up to the total', () => {
    expect(splitDrawdown(500n, 300n, 400n)).toEqual({ fromPrepaymentFen: 300n, fromEntitlementFen: 100n });
    expect(splitDrawdown(100n, 300n, 300n)).toEqual({ fromPrepaymentFen: 100n, fromEntitlementFen: 200n });
    expect(splitDrawdown(100n, -50n, -50n)).toEqual({ fromPrepaymentFen: 0n, fromEntitlementFen: -50n });
    fc.assert(
      fc.property(fc.bigInt(0n, 10n ** 12n), fc.bigInt(-(10n ** 9n), 10n ** 12n), fc.bigInt(0n, 10n ** 12n), (balance, vbp, other) => {
        const { fromPrepaymentFen, fromEntitlementFen } = splitDrawdown(balance, vbp, vbp + other);
        expect(fromPrepaymentFen + fromEntitlementFen).toBe(vbp + other);
        expect(fromPrepaymentFen >= 0n && fromPrepaymentFen <= balance).toBe(true);
      }),
    );
  });

  it('retained savings: 50/40/30/0% of budget − spending for A/B/C/D, nothing when overspent', () => {
    const agreements = [{ agreedQuantity: 1000, preVbpUnitPrice: '10.0000' }];
    expect(retainedSavings(agreements, 400_000n, 'A')).toMatchObject({ budgetFen: 1_000_000n, savingsFen: 600_000n, retainedFen: 300_000n, share: '0.50' });
    expect(retainedSavings(agreements, 400_000n, 'B').retainedFen).toBe(240_000n);
    expect(retainedSavings(agreements, 400_000n, 'C').retainedFen).toBe(180_000n);
    expect(retainedSavings(agreements, 400_000n, 'D').retainedFen).toBe(0n);
    expect(retainedSavings(agreements, 2_000_000n, 'A').retainedFen).toBe(0n);
    fc.assert(
      fc.property(fc.nat(1_000_000), price, fc.bigInt(0n, 10n ** 10n), fc.constantFrom('A', 'B', 'C', 'D' as const), (q, p, spent, score) => {
        const r = retainedSavings([{ agreedQuantity: q, preVbpUnitPrice: p }], spent, score);
        expect(r.retainedFen >= 0n && r.retainedFen <= r.savingsFen).toBe(true);
        const better = retainedSavings([{ agreedQuantity: q, preVbpUnitPrice: p }], spent, 'A');
        expect(better.retainedFen >= r.retainedFen).toBe(true);
      }),
    );
  });
});

describe('retained savings by hospital and agreement years', () => {
  it('groups agreements per hospital, prices only those with a pre-VBP price and retains nothing without a score', () => {
    const rows = retainedSavingsByHospital(
      [
        { hospitalId: 'h1', quantity: 1000n, preVbpUnitPrice: '1.3292' },
        { hospitalId: 'h1', quantity: 500n, preVbpUnitPrice: null },
        { hospitalId: 'h2', quantity: 10n, preVbpUnitPrice: '2.0000' },
      ],
      new Map([['h1', 75_000n], ['h2', 5_000n]]),
      new Map([['h1', 'B' as const]]),
    );
    expect(rows).toEqual([
      { hospitalId: 'h1', score: 'B', budgetFen: 132_920n, spentFen: 75_000n, savingsFen: 57_920n, retainedFen: 23_168n, share: '0.40', policyVersion: 'settlement-2026.1' },
      // overspent: no savings; unscored: nothing retained
      { hospitalId: 'h2', score: null, budgetFen: 2_000n, spentFen: 5_000n, savingsFen: 0n, retainedFen: 0n, share: '0', policyVersion: 'settlement-2026.1' },
    ]);
  });

  it('agreement years follow the Shanghai calendar', () => {
    const start = new Date('2026-01-01T00:00:00+08:00');
    expect(agreementYearWindow(start, 1)).toEqual({ start, end: new Date('2027-01-01T00:00:00+08:00') });
    expect(agreementYearWindow(start, 2)).toEqual({ start: new Date('2027-01-01T00:00:00+08:00'), end: new Date('2028-01-01T00:00:00+08:00') });
    expect(() => agreementYearWindow(start, 0)).toThrow(RangeError);
  });
});

describe('payee by the invoice chain', () => {
  const at = new Date('2026-06-01T00:00:00+08:00');
  const v = (regionPath: string, effectiveFrom: string, version: number, payee: 'MANUFACTURER' | 'DISTRIBUTOR') => ({ regionPath, effectiveFrom: new Date(effectiveFrom), version, payee });
  it('the nearest region’s latest policy in effect wins; none means no policy', () => {
    const province = v('410000', '2026-01-01T00:00:00+08:00', 1, 'DISTRIBUTOR');
    const city = v('410000/410100', '2026-03-01T00:00:00+08:00', 1, 'MANUFACTURER');
    const future = v('410000/410100', '2026-07-01T00:00:00+08:00', 2, 'DISTRIBUTOR');
    expect(policyInForce([province, city, future], '410000/410100/410102', at)).toBe(city);
    expect(policyInForce([province, city, future], '410000/410300', at)).toBe(province);
    expect(policyInForce([province, city, future], '420000', at)).toBeNull();
    expect(policyInForce([province, city, future], '410000/410100', new Date('2026-07-01T00:00:00+08:00'))).toBe(future);
  });
  it('each party’s side: the payee and who owes whom the rest', () => {
    const line = { manufacturerId: 'm', distributorId: 'd', amountFen: 1_000n, supplyAmountFen: 920n };
    expect(invoiceChainSides('MANUFACTURER', line)).toEqual({ payeeId: 'm', chain: { debtorId: 'm', creditorId: 'd', chainFen: 80n } });
    expect(invoiceChainSides('DISTRIBUTOR', line)).toEqual({ payeeId: 'd', chain: { debtorId: 'd', creditorId: 'm', chainFen: 920n } });
    expect(invoiceChainSides('DISTRIBUTOR', { ...line, supplyAmountFen: null })).toEqual({ payeeId: 'd', chain: null });
    expect(invoiceChainSides('MANUFACTURER', { ...line, distributorId: null })).toEqual({ payeeId: 'm', chain: null });
  });
});

describe('allotments and advances (垫付)', () => {
  it('on the boundary: exactly at the allotment paid; one fen over held, or advanced when the policy allows', () => {
    expect(allotmentDecision(4_000n, 10_000n, 10_000n)).toEqual({ hold: null, advanceFen: 0n });
    expect(allotmentDecision(1n, 10_001n, 10_000n)).toEqual({ hold: 'ALLOTMENT_EXCEEDED', advanceFen: 0n });
    expect(allotmentDecision(1n, 10_001n, 10_000n, 1n)).toEqual({ hold: null, advanceFen: 1n });
    expect(allotmentDecision(1n, 10_002n, 10_000n, 1n)).toEqual({ hold: 'ALLOTMENT_EXCEEDED', advanceFen: 0n });
    // a line straddling the allotment: only the part beyond it is advanced
    expect(allotmentDecision(3_000n, 11_000n, 10_000n, 5_000n)).toEqual({ hold: null, advanceFen: 1_000n });
    expect(allotmentDecision(5n, 5n, null, 5_000n)).toEqual({ hold: 'ALLOTMENT_MISSING', advanceFen: 0n });
    expect(allotmentDecision(-5n, 99_999n, 10_000n)).toEqual({ hold: null, advanceFen: 0n });
  });
});
