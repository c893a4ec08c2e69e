import { dec } from '../spec-helpers';
import { agreedQuantity, shareFactor, volume } from './volume';

const shares = ['0.5', '0.6', '0.7', '0.80'].map((text) => ({ text, value: dec(text) }));

describe('volume (rule 9)', () => {
  it.each([
    [1002, '0.75', 752], // 751.5
    [6, '0.75', 5], // 4.5
    [1, '0.5', 1], // 0.5
    [3, '0.5', 2], // 1.5
    [2501, '0.75', 1876], // 1875.75
    [5001, '0.6', 3001], // 3000.6
    [5, '0.3', 2], // 1.5
    [7, '0.3', 2], // 2.1
    [0, '0.8', 0],
    [400, '1', 400],
    [1, '0.4999', 0],
    [1, '0.50', 1],
  ])('rounds %i × %s half-up to %i', (quantity, share, expected) => {
    expect(agreedQuantity(quantity, shareFactor(dec(share)))).toBe(expected);
  });

  it('stays exact beyond the safe-integer range of doubles', () => {
    const big = Number.MAX_SAFE_INTEGER; // 9007199254740991 × 0.5 = 4503599627370495.5 → …496
    expect(agreedQuantity(big, shareFactor(dec('0.5')))).toBe(4503599627370496);
    // A share with more digits than a double can carry goes through BigInt for every line.
    const longShare = shareFactor(dec('0.50000000000000000000000000001'));
    expect(longShare.safeQuantityLimit).toBe(-1);
    expect(agreedQuantity(1, longShare)).toBe(1);
    expect(agreedQuantity(3, longShare)).toBe(2);
  });

  it('picks the 1-based table entry and holds the last one past the end', () => {
    expect(volume(1, shares, [1, 1, 2, 3])).toMatchObject({ volumeShare: '0.5', cycleYears: 1 });
    expect(volume(3, shares, [1, 1, 2, 3])).toMatchObject({ volumeShare: '0.7', cycleYears: 2 });
    expect(volume(4, shares, [1, 1, 2, 3])).toMatchObject({ volumeShare: '0.80', cycleYears: 3 });
    expect(volume(9, shares, [2])).toMatchObject({ volumeShare: '0.80', cycleYears: 2 });
  });
});
