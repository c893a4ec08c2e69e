import fc from 'fast-check';
import { compareUnitPrices } from '@libs/money';
import {
  checkFourSameLowest,
  checkNonEvaluatedGeneric,
  checkVbpWinnerPrice,
  creditCheckResult,
  LISTING_POLICY_2025 as P,
  listingOutcome,
  needsLinkageCut,
  PRICE_CHANGE_POLICY_2026 as policy,
  priceChangeRoute,
  VbpWinner,
} from './index';

const winner = (over: Partial<VbpWinner> = {}): VbpWinner => ({
  productId: 'w1',
  awardedUnitPrice: '0.5000',
  specFactor: '1',
  national: true,
  supplyRegionCodes: ['320000'],
  source: 'round R1',
  ...over,
});

describe('(a) four-same lowest price', () => {
  const refs = [
    { unitPrice: '3.7600', provinceCode: '320000', source: 'JS' },
    { unitPrice: '3.0500', provinceCode: '370000', source: 'SD' },
  ];
  it('passes at the lowest price and fails one fen-ten-thousandth above, showing the reference', () => {
    expect(checkFourSameLowest('3.0500', refs)).toMatchObject({ passed: true, referencePrice: '3.0500', source: '370000 SD' });
    expect(checkFourSameLowest('3.0501', refs)).toMatchObject({ passed: false, applicable: true, referencePrice: '3.0500' });
  });
  it('does not apply without references', () => {
    expect(checkFourSameLowest('99', [])).toMatchObject({ applicable: false, passed: true });
  });
  it('property: passes exactly when the price is ≤ every reference', () => {
    const price = fc.integer({ min: 1, max: 10_000_000 }).map((n) => (n / 10_000).toFixed(4));
    fc.assert(
      fc.property(price, fc.array(price, { minLength: 1, maxLength: 6 }), (p, rs) => {
        const result = checkFourSameLowest(p, rs.map((r, i) => ({ unitPrice: r, provinceCode: String(i), source: 's' })));
        expect(result.passed).toBe(rs.every((r) => compareUnitPrices(p, r) <= 0));
      }),
    );
  });
});

describe('(b) VBP winner prices', () => {
  it('does not apply to a generic without winners', () => {
    expect(checkVbpWinnerPrice(P, '9', { productId: 'x', specFactor: '1', regionCode: '410000' }, [])).toMatchObject({ applicable: false, passed: true });
  });
  it('caps a non-winner at the highest winning price converted to its spec', () => {
    const winners = [winner({ awardedUnitPrice: '0.5000', specFactor: '1' }), winner({ productId: 'w2', awardedUnitPrice: '1.0200', specFactor: '1.7', source: 'round R2' })];
    // per reference unit: 0.5 and 0.6; converted to a 2.89 spec: 1.734
    const applying = { productId: 'x', specFactor: '2.89', regionCode: '410000' };
    expect(checkVbpWinnerPrice(P, '1.7340', applying, winners)).toMatchObject({ passed: true, referencePrice: '1.7340', source: 'round R2' });
    expect(checkVbpWinnerPrice(P, '1.7341', applying, winners)).toMatchObject({ passed: false, referencePrice: '1.7340' });
  });
  it('holds a non-winner without a spec factor for review', () => {
    expect(checkVbpWinnerPrice(P, '0.1', { productId: 'x', specFactor: null, regionCode: '410000' }, [winner()])).toMatchObject({ passed: false });
  });
  it('lets a national winner list outside its supply regions up to 1.5 × its winning price', () => {
    const applying = { productId: 'w1', specFactor: '1', regionCode: '410000' };
    expect(checkVbpWinnerPrice(P, '0.7500', applying, [winner()])).toMatchObject({ passed: true, referencePrice: '0.7500' });
    expect(checkVbpWinnerPrice(P, '0.7501', applying, [winner()])).toMatchObject({ passed: false });
    // inside its supply regions: its winning price
    expect(checkVbpWinnerPrice(P, '0.5001', applying, [winner({ supplyRegionCodes: ['410100'] })])).toMatchObject({ passed: false, referencePrice: '0.5000' });
  });
  it('property: a lower price never fails where a higher one passes', () => {
    const price = fc.integer({ min: 1, max: 1_000_000 }).map((n) => (n / 10_000).toFixed(4));
    fc.assert(
      fc.property(price, price, price, (a, b, w) => {
        const [lo, hi] = compareUnitPrices(a, b) <= 0 ? [a, b] : [b, a];
        const applying = { productId: 'x', specFactor: '1.7', regionCode: '410000' };
        const ws = [winner({ awardedUnitPrice: w })];
        if (checkVbpWinnerPrice(P, hi, applying, ws).passed) expect(checkVbpWinnerPrice(P, lo, applying, ws).passed).toBe(true);
      }),
    );
  });
});

describe('(c) non-evaluated generics', () => {
  const drug = { kind: 'DRUG', consistencyStatus: 'NOT_EVALUATED' };
  it('refuses once more than 3 evaluated versions are listed', () => {
    expect(checkNonEvaluatedGeneric(P, drug, 3)).toMatchObject({ passed: true, applicable: true });
    expect(checkNonEvaluatedGeneric(P, drug, 4)).toMatchObject({ passed: false, source: '4 evaluated versions listed' });
  });
  it('does not apply to evaluated drugs or consumables', () => {
    expect(checkNonEvaluatedGeneric(P, { kind: 'DRUG', consistencyStatus: 'PASSED' }, 10)).toMatchObject({ applicable: false, passed: true });
    expect(checkNonEvaluatedGeneric(P, { kind: 'CONSUMABLE', consistencyStatus: null }, 10)).toMatchObject({ applicable: false, passed: true });
  });
});

describe('(d) credit and the outcome', () => {
  it('lists at once when all pass, holds for review when any fails', () => {
    const ok = creditCheckResult(true, 'clean');
    expect(listingOutcome([ok, checkFourSameLowest('1', [])])).toBe('LISTED');
    expect(listingOutcome([ok, creditCheckResult(false, 'sanctioned')])).toBe('PENDING_REVIEW');
  });
  it('asks for a linkage cut only when the listing is above the new price', () => {
    expect(needsLinkageCut('3.0500', '3.0400')).toBe(true);
    expect(needsLinkageCut('3.0500', '3.0500')).toBe(false);
  });
});

describe('price change routing (PRICE-CHANGE-2026-1)', () => {
  const pass = [creditCheckResult(true, 'ok')];
  const fail = [checkFourSameLowest('2.0000', [{ unitPrice: '1.5000', provinceCode: '320000', source: 'JS' }])];
  it('approves a decrease passing every check and sends one failing a check to one regulator', () => {
    expect(priceChangeRoute(policy, '1.2500', '1.2000', pass)).toEqual({ direction: 'DECREASE', changeShare: '-0.0400', reviewsRequired: 0, detail: expect.any(String) });
    expect(priceChangeRoute(policy, '2.5000', '2.0000', fail)).toMatchObject({ direction: 'DECREASE', reviewsRequired: 1 });
  });
  it('a top-rated manufacturer\'s decrease gets simplified review (credit reward); its increases never do', () => {
    const reward = { simplifiedDecreaseReview: true, grade: 'A' };
    expect(priceChangeRoute(policy, '2.5000', '2.0000', fail, reward)).toMatchObject({ direction: 'DECREASE', reviewsRequired: 0, detail: expect.stringContaining('credit grade A') });
    expect(priceChangeRoute(policy, '1.0000', '1.0500', pass, reward)).toMatchObject({ direction: 'INCREASE', reviewsRequired: 1 });
    expect(priceChangeRoute(policy, '1.0000', '2.0000', pass, reward)).toMatchObject({ reviewsRequired: 2 });
  });
  it('never lets an increase through without review; above +10% two regulators', () => {
    expect(priceChangeRoute(policy, '1.2500', '999.2500', pass)).toMatchObject({ direction: 'INCREASE', changeShare: '798.4000', reviewsRequired: 2 });
    expect(priceChangeRoute(policy, '1.0000', '1.1000', pass)).toMatchObject({ reviewsRequired: 1, changeShare: '0.1000' });
    expect(priceChangeRoute(policy, '1.0000', '1.1001', pass)).toMatchObject({ reviewsRequired: 2 });
  });
  it('any increase, however small and whatever the checks, needs at least one reviewer', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 10_000_000 }), (a, d) => {
        const current = (a / 10000).toFixed(4);
        const proposed = ((a + d) / 10000).toFixed(4);
        return priceChangeRoute(policy, current, proposed, pass).reviewsRequired >= 1;
      }),
    );
  });
});
