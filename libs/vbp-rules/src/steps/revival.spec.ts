import { compare, toFixed } from '../decimal';
import { dec } from '../spec-helpers';
import { revival, revivalUnitComparablePrice, revivedUnitPrice } from './revival';

describe('revival (rule 7)', () => {
  const ratio = dec('1.8');

  it('with exactly one price-test winner uses priceRatio × anchor', () => {
    expect(compare(revivalUnitComparablePrice([dec('0.25')], dec('0.25'), ratio)!, dec('0.45'))).toBe(0);
  });
  it('with several winners uses the largest winning UCP', () => {
    expect(compare(revivalUnitComparablePrice(['0.1', '0.24', '0.2'].map(dec), dec('0.114'), ratio)!, dec('0.24'))).toBe(0);
  });
  it('with no winner there is no revival', () => {
    expect(revivalUnitComparablePrice([], dec('0.25'), ratio)).toBeNull();
    expect(revival(true, [], [{ unitPrice: dec('1'), comparableFactor: dec('1'), acceptsRevival: true }], dec('0.25'), ratio)).toEqual({
      revivalUnitComparablePrice: null,
      revived: [],
    });
  });

  it('awards the lower of the own price and revival UCP × factor', () => {
    expect(toFixed(revivedUnitPrice(dec('0.45'), { unitPrice: dec('0.9600'), comparableFactor: dec('2') }), 4)).toBe('0.9000');
    expect(toFixed(revivedUnitPrice(dec('0.45'), { unitPrice: dec('0.8000'), comparableFactor: dec('2') }), 4)).toBe('0.8000');
  });

  it('rounds revival UCP × factor half-up to 4 decimals', () => {
    // 0.00045 × 1.5 = 0.000675 → 0.0007; (1/3) × 1 = 0.33333… → 0.3333; 0.12345 × 1 → 0.1235
    expect(toFixed(revivedUnitPrice(dec('0.00045'), { unitPrice: dec('9'), comparableFactor: dec('1.5') }), 4)).toBe('0.0007');
    expect(toFixed(revivedUnitPrice({ num: 1n, den: 3n }, { unitPrice: dec('9'), comparableFactor: dec('1') }), 4)).toBe('0.3333');
    expect(toFixed(revivedUnitPrice(dec('0.12345'), { unitPrice: dec('9'), comparableFactor: dec('1') }), 4)).toBe('0.1235');
  });

  it('revives only failures that accept it, and nothing when switched off', () => {
    const failures = [
      { name: 'yes', unitPrice: dec('0.5'), comparableFactor: dec('1'), acceptsRevival: true },
      { name: 'no', unitPrice: dec('0.5'), comparableFactor: dec('1'), acceptsRevival: false },
    ];
    const on = revival(true, [dec('0.25')], failures, dec('0.25'), ratio);
    expect(on.revived.map((entry) => entry.bid.name)).toEqual(['yes']);
    expect(toFixed(on.revivalUnitComparablePrice!, 6)).toBe('0.450000');
    expect(revival(false, [dec('0.25')], failures, dec('0.25'), ratio)).toEqual({ revivalUnitComparablePrice: null, revived: [] });
  });
});
