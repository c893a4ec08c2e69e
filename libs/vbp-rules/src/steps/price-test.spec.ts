import { dec } from '../spec-helpers';
import { PriceTestRules, priceTest } from './price-test';
import { unitComparablePrice } from './unit-comparable-price';

const RATIO_ONLY: PriceTestRules = { priceRatio: dec('1.8'), lowPriceThreshold: null, ceilingReduction: null };

function tested(unitPrice: string, ceiling = '10.0000', factor = '1') {
  return {
    unitPrice: dec(unitPrice),
    ceilingUnitPrice: dec(ceiling),
    unitComparablePrice: unitComparablePrice(dec(unitPrice), dec(factor)),
  };
}

describe('priceTest (rule 6)', () => {
  const anchorUcp = dec('0.25');

  it('passes a UCP exactly at priceRatio × anchor', () => {
    expect(priceTest(tested('0.4500'), anchorUcp, RATIO_ONLY)).toBe(true);
  });
  it('fails a UCP one ten-thousandth above priceRatio × anchor', () => {
    expect(priceTest(tested('0.4501'), anchorUcp, RATIO_ONLY)).toBe(false);
  });
  it('compares the UCP, not the price: a factor-2 spec at 0.9000 sits exactly on the limit', () => {
    expect(priceTest(tested('0.9000', '10.0000', '2'), anchorUcp, RATIO_ONLY)).toBe(true);
    expect(priceTest(tested('0.9002', '10.0000', '2'), anchorUcp, RATIO_ONLY)).toBe(false);
  });
  it('allows a price ratio below 1', () => {
    const rules = { ...RATIO_ONLY, priceRatio: dec('0.5') };
    expect(priceTest(tested('0.1250'), anchorUcp, rules)).toBe(true);
    expect(priceTest(tested('0.2500'), anchorUcp, rules)).toBe(false);
  });

  it('passes a UCP exactly at the low-price threshold and fails just above it', () => {
    const rules = { ...RATIO_ONLY, lowPriceThreshold: dec('0.5') };
    const high = dec('0.01');
    expect(priceTest(tested('0.5000'), high, rules)).toBe(true);
    expect(priceTest(tested('0.5001'), high, rules)).toBe(false);
  });

  it('passes a price exactly at ceiling × (1 − reduction) and fails just above it', () => {
    const rules = { ...RATIO_ONLY, ceilingReduction: dec('0.50') };
    const high = dec('0.01');
    expect(priceTest(tested('0.6000', '1.2000'), high, rules)).toBe(true);
    expect(priceTest(tested('0.6001', '1.2000'), high, rules)).toBe(false);
    const full = { ...RATIO_ONLY, ceilingReduction: dec('1') };
    const zeroAnchor = dec('0');
    expect(priceTest(tested('0.0001', '1.2000'), zeroAnchor, full)).toBe(false);
    expect(priceTest(tested('0.0001', '1.2000'), zeroAnchor, { ...RATIO_ONLY, ceilingReduction: dec('0.9999') })).toBe(true);
  });

  it('null switches a test off', () => {
    expect(priceTest(tested('0.0001', '1.0000'), dec('0.00001'), RATIO_ONLY)).toBe(false);
  });
});
