import { compare, toFixed } from '../decimal';
import { dec } from '../spec-helpers';
import { unitComparablePrice } from './unit-comparable-price';

describe('unitComparablePrice (rule 2)', () => {
  it('divides the price by the spec factor', () => {
    expect(compare(unitComparablePrice(dec('0.9600'), dec('2')), dec('0.48'))).toBe(0);
    expect(toFixed(unitComparablePrice(dec('2.0400'), dec('1.7')), 6)).toBe('1.200000');
  });
  it('stays exact for repeating quotients and only rounds on output', () => {
    const ucp = unitComparablePrice(dec('1.0000'), dec('3'));
    expect(toFixed(ucp, 6)).toBe('0.333333');
    expect(compare(ucp, dec('0.333333'))).toBe(1);
    expect(toFixed(unitComparablePrice(dec('0.0001'), dec('200')), 6)).toBe('0.000001'); // 0.0000005 half-up
  });
});
