import { awardYear, computePaymentStandards, PAYMENT_STANDARD_POLICY_2025 } from './payment-standards';

const start = new Date('2026-01-01T00:00:00+08:00');
const winners = [
  { productId: 'w1', varietySpecId: 's10', awardedUnitPrice: '1.2000', specFactor: '1', source: 'VBP round r1' },
  { productId: 'w2', varietySpecId: 's20', awardedUnitPrice: '2.1000', specFactor: '2', source: 'VBP round r1' },
];

describe('payment standards', () => {
  it('winners get their awarded price per spec unit; a spec with two winners the higher one', () => {
    const rows = computePaymentStandards({ policy: PAYMENT_STANDARD_POLICY_2025, awardStart: start, effectiveFrom: start, winners: [...winners, { ...winners[0], productId: 'w3', awardedUnitPrice: '1.1' }], nonWinners: [] });
    expect(rows.map((r) => [r.varietySpecId, r.productId, r.unitPrice, r.basis])).toEqual([
      ['s10', null, '1.2000', 'VBP_AWARD'],
      ['s20', null, '2.1000', 'VBP_AWARD'],
    ]);
  });

  it('a non-winner moves a third of its gap to the VBP standard each award year, never below it', () => {
    // VBP per reference unit: max(1.2/1, 2.1/2) = 1.2; the non-winner's spec factor 2 → floor 2.4
    const nonWinners = [{ productId: 'n1', varietySpecId: 's20', specFactor: '2', listingUnitPrice: '5.5000' }];
    const at = (iso: string) => computePaymentStandards({ policy: PAYMENT_STANDARD_POLICY_2025, awardStart: start, effectiveFrom: new Date(iso), winners, nonWinners }).find((r) => r.productId === 'n1')!;
    // gap 3.1: year 1 → 5.5 − 3.1/3 = 4.4666…67
    expect(at('2026-03-01T00:00:00+08:00')).toMatchObject({ unitPrice: '4.4667', basis: 'CONVERGENCE' });
    expect(at('2027-01-01T00:00:00+08:00').unitPrice).toBe('3.4333');
    expect(at('2028-06-01T00:00:00+08:00').unitPrice).toBe('2.4000');
    expect(at('2031-06-01T00:00:00+08:00').unitPrice).toBe('2.4000');
  });

  it('a non-winner listed below the VBP standard gets the VBP standard', () => {
    const rows = computePaymentStandards({ policy: PAYMENT_STANDARD_POLICY_2025, awardStart: start, effectiveFrom: start, winners, nonWinners: [{ productId: 'n2', varietySpecId: 's10', specFactor: '1', listingUnitPrice: '0.9' }] });
    expect(rows.find((r) => r.productId === 'n2')!.unitPrice).toBe('1.2000');
  });

  it('no winners, no standards; award years count Shanghai anniversaries', () => {
    expect(computePaymentStandards({ policy: PAYMENT_STANDARD_POLICY_2025, awardStart: start, effectiveFrom: start, winners: [], nonWinners: [] })).toEqual([]);
    expect(awardYear(start, new Date('2026-12-31T15:59:59Z'))).toBe(1);
    expect(awardYear(start, new Date('2026-12-31T16:00:00Z'))).toBe(2);
  });
});
