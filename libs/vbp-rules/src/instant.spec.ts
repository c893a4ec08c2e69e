import { compareInstants, parseInstant } from './instant';

function key(text: string) {
  const instant = parseInstant(text);
  if (instant === null) throw new Error(`not an instant: ${text}`);
  return instant;
}

describe('instants', () => {
  it.each([
    '2026-03-01T09:00+08:00',
    '2026-03-01T09:00:00Z',
    '2026-03-01T09:00:00.123456789-05:30',
    '2024-02-29T23:59:59+14:00',
  ])('accepts %s', (text) => expect(parseInstant(text)).not.toBeNull());

  it.each([
    '2026-03-01T09:00:00', // no offset
    '2026-03-01',
    '2026-03-01 09:00:00Z',
    '2026-03-01T09:00:00z',
    '2026-03-01T09:00:00+0800',
    '2026-03-01T09:00:00+08',
    '2026-03-01T9:00:00Z',
    '2026-13-01T09:00:00Z',
    '2025-02-29T09:00:00Z',
    '2026-03-01T24:00:00Z',
    '2026-03-01T09:60:00Z',
    '2026-03-01T09:00:60Z',
    '2026-03-01T09:00:00.Z',
    '2026-03-01T09:00:00+24:00',
  ])('rejects %s', (text) => expect(parseInstant(text)).toBeNull());

  it('compares instants, not text: offsets are applied', () => {
    expect(compareInstants(key('2026-04-01T01:30:00Z'), key('2026-04-01T09:30:00+08:00'))).toBe(0);
    expect(compareInstants(key('2026-04-01T01:30:00Z'), key('2026-04-01T10:00:00+08:00'))).toBe(-1);
    expect(compareInstants(key('2026-04-01T00:00:00-01:00'), key('2026-04-01T00:30:00Z'))).toBe(1);
  });

  it('orders fractions of any length exactly', () => {
    expect(compareInstants(key('2026-04-01T01:30:00.5Z'), key('2026-04-01T01:30:00.45Z'))).toBe(1);
    expect(compareInstants(key('2026-04-01T01:30:00.50Z'), key('2026-04-01T01:30:00.5Z'))).toBe(0);
    expect(compareInstants(key('2026-04-01T01:30Z'), key('2026-04-01T01:30:00.000Z'))).toBe(0);
    expect(compareInstants(key('2026-04-01T01:30:00.0000000001Z'), key('2026-04-01T01:30:00Z'))).toBe(1);
  });

  it('counts days across months and leap years', () => {
    expect(key('1970-01-01T00:00:00Z').epochSeconds).toBe(0);
    expect(key('2000-03-01T00:00:00Z').epochSeconds).toBe(951868800);
    expect(key('2026-03-01T09:00:00+08:00').epochSeconds).toBe(1772326800);
  });
});
