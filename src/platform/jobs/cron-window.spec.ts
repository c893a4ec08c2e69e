import { cronFiresBetween } from './cron-window';

const at = (s: string) => new Date(s);

describe('cronFiresBetween (Asia/Shanghai)', () => {
  it('every minute fires in any window of a minute or more, never in an empty one', () => {
    expect(cronFiresBetween('* * * * *', at('2026-03-02T09:00:00+08:00'), at('2026-03-02T09:01:00+08:00'))).toBe(true);
    expect(cronFiresBetween('* * * * *', at('2026-03-02T09:00:10+08:00'), at('2026-03-02T09:00:50+08:00'))).toBe(false);
  });

  it('a daily 02:30 job fires only when the window passes 02:30 Shanghai', () => {
    expect(cronFiresBetween('30 2 * * *', at('2026-03-02T09:00:00+08:00'), at('2026-03-03T02:29:00+08:00'))).toBe(false);
    expect(cronFiresBetween('30 2 * * *', at('2026-03-02T09:00:00+08:00'), at('2026-03-03T02:30:00+08:00'))).toBe(true);
    // the window is open at its start: standing exactly at 02:30 does not fire it again
    expect(cronFiresBetween('30 2 * * *', at('2026-03-03T02:30:00+08:00'), at('2026-03-03T09:00:00+08:00'))).toBe(false);
  });

  it('quarterly on the first day of Jan/Apr/Jul/Oct at 02:00', () => {
    expect(cronFiresBetween('0 2 1 1,4,7,10 *', at('2026-03-02T09:00:00+08:00'), at('2026-03-31T23:00:00+08:00'))).toBe(false);
    expect(cronFiresBetween('0 2 1 1,4,7,10 *', at('2026-03-02T09:00:00+08:00'), at('2026-04-01T02:00:00+08:00'))).toBe(true);
    expect(cronFiresBetween('0 2 1 1,4,7,10 *', at('2026-03-02T09:00:00+08:00'), at('2027-03-01T00:00:00+08:00'))).toBe(true);
  });

  it('steps and minutes past the hour', () => {
    expect(cronFiresBetween('*/10 * * * *', at('2026-03-02T09:01:00+08:00'), at('2026-03-02T09:09:59+08:00'))).toBe(false);
    expect(cronFiresBetween('*/10 * * * *', at('2026-03-02T09:01:00+08:00'), at('2026-03-02T09:10:00+08:00'))).toBe(true);
    expect(cronFiresBetween('5 * * * *', at('2026-03-02T09:06:00+08:00'), at('2026-03-02T10:04:00+08:00'))).toBe(false);
    expect(cronFiresBetween('5 * * * *', at('2026-03-02T09:06:00+08:00'), at('2026-03-02T10:05:00+08:00'))).toBe(true);
  });

  it('refuses malformed expressions', () => {
    expect(() => cronFiresBetween('* * * *', at('2026-03-02T09:00:00Z'), at('2026-03-03T09:00:00Z'))).toThrow();
    expect(() => cronFiresBetween('61 * * * *', at('2026-03-02T09:00:00Z'), at('2026-03-03T09:00:00Z'))).toThrow();
  });
});
