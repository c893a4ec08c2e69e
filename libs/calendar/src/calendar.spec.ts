import fc from 'fast-check';
import {
  CN_CALENDAR_2025_2027,
  CalendarFormatError,
  WorkingDayCalendar,
  addCalendarDays,
  formatShanghai,
  isValidDateString,
  isoWeekday,
  parseShanghaiLocal,
  parseStrictInstant,
  businessDateProblem,
  isOnOrAfterEpoch,
  PLATFORM_EPOCH,
  shanghaiDateOf,
  shanghaiMidnight,
} from './index';

const cal = new WorkingDayCalendar(CN_CALENDAR_2025_2027);
const at = (s: string) => parseShanghaiLocal(s);

describe('Shanghai dates and times', () => {
  it('maps instants to Shanghai dates around midnight', () => {
    expect(shanghaiDateOf(new Date('2026-02-28T15:59:59.999Z'))).toBe('2026-02-28');
    expect(shanghaiDateOf(new Date('2026-02-28T16:00:00.000Z'))).toBe('2026-03-01');
    expect(shanghaiDateOf(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
  });

  it('computes Shanghai midnight', () => {
    expect(shanghaiMidnight('2026-03-01').toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(() => shanghaiMidnight('2026-02-29')).toThrow(CalendarFormatError);
    expect(() => shanghaiMidnight('2026-3-1')).toThrow(CalendarFormatError);
    expect(shanghaiMidnight('2028-02-29').toISOString()).toBe('2028-02-28T16:00:00.000Z');
  });

  it('parses local and offset date-times', () => {
    expect(at('2026-03-01T09:00').toISOString()).toBe('2026-03-01T01:00:00.000Z');
    expect(at('2026-03-01T09:00:30').toISOString()).toBe('2026-03-01T01:00:30.000Z');
    expect(at('2026-03-01T00:00:00.5').toISOString()).toBe('2026-02-28T16:00:00.500Z');
    expect(at('2026-03-01T09:00:00Z').toISOString()).toBe('2026-03-01T09:00:00.000Z');
    expect(at('2026-03-01T09:00:00.123+08:00').toISOString()).toBe('2026-03-01T01:00:00.123Z');
    expect(at('2026-03-01T09:00:00-05:30').toISOString()).toBe('2026-03-01T14:30:00.000Z');
  });

  it.each(['', '2026-03-01', '2026-03-01 09:00', '2026-02-30T09:00', '2026-03-01T24:00', '2026-03-01T09:60', 'x', '2026-03-01T09:00+0800'])(
    'refuses %j',
    (text) => expect(() => parseShanghaiLocal(text)).toThrow(CalendarFormatError),
  );

  it('formats with +08:00 and milliseconds', () => {
    expect(formatShanghai(new Date('2026-03-01T01:00:00Z'))).toBe('2026-03-01T09:00:00.000+08:00');
    expect(formatShanghai(new Date('2026-02-28T16:00:00.007Z'))).toBe('2026-03-01T00:00:00.007+08:00');
    expect(() => formatShanghai(new Date('nope'))).toThrow(CalendarFormatError);
  });

  it('round-trips format → parse and date → midnight (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) }), (ms) => {
        const d = new Date(ms);
        expect(parseShanghaiLocal(formatShanghai(d)).getTime()).toBe(ms);
        const local = shanghaiDateOf(d);
        const midnight = shanghaiMidnight(local);
        expect(midnight.getTime()).toBeLessThanOrEqual(ms);
        expect(ms - midnight.getTime()).toBeLessThan(86_400_000);
        expect(formatShanghai(midnight)).toBe(`${local}T00:00:00.000+08:00`);
      }),
    );
  });

  it('date helpers', () => {
    expect(addCalendarDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addCalendarDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(isoWeekday('2026-03-01')).toBe(7);
    expect(isoWeekday('2026-03-02')).toBe(1);
    expect(isValidDateString('2026-02-29')).toBe(false);
    expect(isValidDateString('2024-02-29')).toBe(true);
  });
});

describe('WorkingDayCalendar with the CN schedule', () => {
  it.each([
    ['2025-01-01', false], // 元旦
    ['2025-01-26', true], // Sunday, 调休
    ['2025-01-29', false], // 春节
    ['2025-02-08', true], // Saturday, 调休
    ['2025-04-27', true],
    ['2025-05-05', false],
    ['2025-09-28', true],
    ['2025-10-08', false],
    ['2025-10-11', true],
    ['2025-10-12', false], // ordinary Sunday
    ['2025-10-13', true], // ordinary Monday
    ['2026-01-02', false],
    ['2026-01-04', true],
    ['2026-02-14', true],
    ['2026-02-16', false], // 除夕
    ['2026-02-23', false],
    ['2026-02-24', true],
    ['2026-02-28', true],
    ['2026-05-09', true],
    ['2026-06-19', false],
    ['2026-09-25', false],
    ['2026-09-20', true],
    ['2026-10-07', false],
    ['2026-10-10', true],
    ['2027-02-08', false], // statutory (provisional year)
  ])('%s working = %s', (date, working) => expect(cal.isWorkingDay(date)).toBe(working));

  it('has adjusted working days only on weekends and holidays mostly on weekdays', () => {
    for (const d of CN_CALENDAR_2025_2027.adjustedWorkingDays) expect([d, isoWeekday(d) >= 6]).toEqual([d, true]);
    const set = new Set(CN_CALENDAR_2025_2027.holidays);
    expect(set.size).toBe(CN_CALENDAR_2025_2027.holidays.length);
    expect(CN_CALENDAR_2025_2027.version).toBe('CN-2025-2026');
  });

  it('balances each published year: weekdays minus the 13 statutory days (2024 revision) = 248 working days', () => {
    // Bridging days are paid back by 调休 and statutory days on a weekend are given back on a weekday, so a
    // complete year always has 261 − 13 = 248 working days (2025 and 2026 both have 261 weekdays).
    const count = (y: number) => cal.workingDaysBetween(`${y - 1}-12-31`, `${y}-12-31`);
    expect(count(2025)).toBe(248);
    expect(count(2026)).toBe(248);
  });

  it('adds working days as documented (end of the Nth working day)', () => {
    // Notice Thu 2025-09-25 10:00 → 10 working days end on Wed 2025-10-15 → deadline 2025-10-16 00:00.
    const deadline = cal.addWorkingDays(at('2025-09-25T10:00'), 10);
    expect(formatShanghai(deadline)).toBe('2025-10-16T00:00:00.000+08:00');
    // Friday → 1 working day → Monday ends at Tuesday 00:00.
    expect(formatShanghai(cal.addWorkingDays(at('2026-03-06T23:59:59'), 1))).toBe('2026-03-10T00:00:00.000+08:00');
    // An instant just after Shanghai midnight belongs to the new day.
    expect(formatShanghai(cal.addWorkingDays(at('2026-03-07T00:00'), 1))).toBe('2026-03-10T00:00:00.000+08:00');
    // Across 春节 2026: Fri Feb 13 + 1 → Sat Feb 14 (调休 working).
    expect(formatShanghai(cal.addWorkingDays(at('2026-02-13T09:00'), 1))).toBe('2026-02-15T00:00:00.000+08:00');
    expect(formatShanghai(cal.addWorkingDays(at('2026-02-13T09:00'), 2))).toBe('2026-02-25T00:00:00.000+08:00');
    expect(formatShanghai(cal.addWorkingDays(at('2026-03-06T12:00'), 0))).toBe('2026-03-07T00:00:00.000+08:00');
    expect(() => cal.addWorkingDays(at('2026-03-06T12:00'), -1)).toThrow(CalendarFormatError);
    expect(() => cal.addWorkingDays(at('2026-03-06T12:00'), 1.5)).toThrow(CalendarFormatError);
  });

  it('counts working days between dates', () => {
    expect(cal.workingDaysBetween('2026-03-06', '2026-03-09')).toBe(1);
    expect(cal.workingDaysBetween('2026-03-09', '2026-03-06')).toBe(-1);
    expect(cal.workingDaysBetween('2026-03-06', '2026-03-06')).toBe(0);
    expect(cal.workingDaysBetween(at('2025-09-30T08:00'), at('2025-10-09T08:00'))).toBe(1);
  });

  it('addWorkingDays and workingDaysBetween agree (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 10, 30) }),
        fc.integer({ min: 0, max: 30 }),
        (ms, n) => {
          const from = new Date(ms);
          const deadline = cal.addWorkingDays(from, n);
          expect(cal.workingDaysBetween(from, new Date(deadline.getTime() - 1))).toBe(n);
          expect(formatShanghai(deadline).endsWith('T00:00:00.000+08:00')).toBe(true);
          if (n > 0) expect(cal.isWorkingDay(shanghaiDateOf(new Date(deadline.getTime() - 1)))).toBe(true);
        },
      ),
    );
  });

  it('rejects inconsistent calendar data', () => {
    expect(() => new WorkingDayCalendar({ version: 'x', holidays: ['2026-02-30'], adjustedWorkingDays: [] })).toThrow(CalendarFormatError);
    expect(() => new WorkingDayCalendar({ version: 'x', holidays: ['2026-01-04'], adjustedWorkingDays: ['2026-01-04'] })).toThrow(/both/);
  });

  it('a plain calendar is Mon–Fri', () => {
    const plain = new WorkingDayCalendar({ version: 'plain', holidays: [], adjustedWorkingDays: [] });
    expect(plain.isWorkingDay('2025-01-01')).toBe(true);
    expect(plain.isWorkingDay('2025-01-04')).toBe(false);
    expect(plain.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(261);
  });
});

describe('strict instants and business dates', () => {
  it('accepts ISO 8601 with an offset on real days and keeps the instant', () => {
    expect(parseStrictInstant('2026-03-01T09:00:00+08:00').toISOString()).toBe('2026-03-01T01:00:00.000Z');
    expect(parseStrictInstant('2026-03-01T01:00Z').toISOString()).toBe('2026-03-01T01:00:00.000Z');
    expect(parseStrictInstant('2024-02-29T23:59:59.123456789-05:30').toISOString()).toBe('2024-03-01T05:29:59.123Z');
    expect(parseStrictInstant('2000-01-01T00:00:00Z').toISOString()).toBe('2000-01-01T00:00:00.000Z');
  });

  it('refuses impossible days, missing offsets, out-of-range years and odd times', () => {
    for (const bad of [
      '2026-02-30T00:00:00+08:00', // rolls over to 03-02 in new Date()
      '2026-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '0000-01-01T00:00:00Z',
      '1999-12-31T23:59:59Z',
      '2100-01-01T00:00:00Z',
      '2000-01-01T07:59:59+08:00', // 1999-12-31T23:59:59Z
      '2026-03-01T09:00:00', // no offset
      '2026-03-01',
      '2026-03-01T24:00:00Z',
      '2026-03-01T23:60:00Z',
      '2026-03-01T23:59:60Z',
      '2026-03-01T09:00:00+15:00',
      '2026-03-01T09:00:00+08:60',
      '2026-03-01 09:00:00+08:00',
      '+02026-03-01T09:00:00Z',
    ]) {
      expect(() => parseStrictInstant(bad)).toThrow(CalendarFormatError);
    }
  });

  it('never accepts what it cannot print back as the same instant (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1990, max: 2110 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, mo, d) => {
        const text = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T12:00:00Z`;
        let parsed: Date | null = null;
        try {
          parsed = parseStrictInstant(text);
        } catch {
          parsed = null;
        }
        if (parsed) expect(parsed.toISOString()).toBe(text.replace('Z', '.000Z'));
        else expect(y < 2000 || y >= 2100 || !isValidDateString(text.slice(0, 10))).toBe(true);
      }),
    );
  });

  it('checks business dates against the calendar, the platform epoch and the plausible range', () => {
    expect(businessDateProblem('2026-03-01')).toBeNull();
    expect(businessDateProblem(PLATFORM_EPOCH)).toBeNull();
    expect(businessDateProblem('2017-12-31')).toMatch(/2018-01-01/);
    expect(businessDateProblem('1900-01-01')).toMatch(/不得早于/);
    expect(businessDateProblem('2026-02-30')).toMatch(/没有/);
    expect(businessDateProblem('2100-01-01')).toMatch(/不得晚于/);
    expect(businessDateProblem('2026-3-1')).toMatch(/YYYY-MM-DD/);
    expect(businessDateProblem(20260301)).toMatch(/YYYY-MM-DD/);
    expect(isOnOrAfterEpoch(new Date('2017-12-31T16:00:00Z'))).toBe(true);
    expect(isOnOrAfterEpoch(new Date('2017-12-31T15:59:59Z'))).toBe(false);
  });
});
