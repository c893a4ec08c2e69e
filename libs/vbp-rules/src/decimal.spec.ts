import { compare, divide, isPlainDecimal, parseDecimal, roundHalfUp, toFixed } from './decimal';

describe('decimal', () => {
  it.each(['0', '2', '0.1234', '1.8', '00.5', '12345678901234567890.12345678901234567890'])('accepts plain %s', (text) => {
    expect(isPlainDecimal(text)).toBe(true);
  });

  it.each(['', '-1', '+1', '1e3', '.5', '5.', '1.2.3', ' 1', '1 ', '1,5', 'NaN', '０'])('rejects %j', (text) => {
    expect(isPlainDecimal(text)).toBe(false);
  });

  it('parses without losing digits and compares by value, not by text', () => {
    expect(compare(parseDecimal('1.2'), parseDecimal('1.2000'))).toBe(0);
    expect(compare(parseDecimal('0.30000000000000000001'), parseDecimal('0.3'))).toBe(1);
    expect(compare(parseDecimal('0.1'), parseDecimal('0.10001'))).toBe(-1);
  });

  it('divides exactly: 1/3 is not 0.333…3 at any finite length', () => {
    const third = divide(parseDecimal('1'), parseDecimal('3'));
    expect(compare(third, parseDecimal('0.3333333333333333333333333333333'))).toBe(1);
  });

  it('rounds half-up to the requested decimals', () => {
    expect(toFixed(parseDecimal('0.0000005'), 6)).toBe('0.000001');
    expect(toFixed(parseDecimal('0.00000049999'), 6)).toBe('0.000000');
    expect(toFixed(divide(parseDecimal('2'), parseDecimal('3')), 6)).toBe('0.666667');
    expect(toFixed(parseDecimal('0.25'), 4)).toBe('0.2500');
    expect(toFixed(parseDecimal('12'), 6)).toBe('12.000000');
    expect(toFixed(parseDecimal('0.00005'), 4)).toBe('0.0001');
    expect(toFixed(parseDecimal('2.5'), 0)).toBe('3');
    expect(compare(roundHalfUp(parseDecimal('0.12345'), 4), parseDecimal('0.1235'))).toBe(0);
  });
});
