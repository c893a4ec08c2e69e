import { compare } from '../decimal';
import { dec } from '../spec-helpers';
import { anchor } from './anchor';

const ucps = (...texts: string[]) => texts.map(dec);

describe('anchor (rule 5)', () => {
  it('is null without valid bids', () => {
    expect(anchor('LOWEST', [], [])).toBeNull();
    expect(anchor('HALF_MEAN_OR_LOWEST', [], [])).toBeNull();
  });

  it('LOWEST takes the lowest UCP among all valid bids, shortlisted or not', () => {
    expect(compare(anchor('LOWEST', ucps('0.5', '0.3', '0.9'), ucps('0.5'))!, dec('0.3'))).toBe(0);
  });

  it('HALF_MEAN_OR_LOWEST takes half the shortlisted mean when it is larger', () => {
    const result = anchor('HALF_MEAN_OR_LOWEST', ucps('0.1', '0.1', '0.2', '0.24', '0.5', '0.6'), ucps('0.1', '0.1', '0.2', '0.24', '0.5'));
    expect(compare(result!, dec('0.114'))).toBe(0);
  });

  it('HALF_MEAN_OR_LOWEST falls back to the lowest when half the mean is smaller', () => {
    expect(compare(anchor('HALF_MEAN_OR_LOWEST', ucps('0.4', '0.5'), ucps('0.4', '0.5'))!, dec('0.4'))).toBe(0);
  });

  it('HALF_MEAN_OR_LOWEST keeps the mean exact, even when it repeats', () => {
    const result = anchor('HALF_MEAN_OR_LOWEST', ucps('0.1', '1', '1.9'), ucps('0.1', '1', '1.9'))!;
    expect(compare(result, { num: 1n, den: 2n })).toBe(0); // (0.1 + 1 + 1.9) / 3 / 2 = 0.5
    const third = anchor('HALF_MEAN_OR_LOWEST', ucps('0.1', '0.1', '1.8'), ucps('0.1', '0.1', '1.8'))!;
    expect(compare(third, { num: 1n, den: 3n })).toBe(0); // 2 / 3 / 2
  });
});
