/**
 * Asia/Shanghai dates and a working-day calendar. Pure, no Intl: Shanghai is UTC+8 all year (no DST since
 * 1991), so local time is UTC + 8 h. Instants are JS Dates (UTC); local dates are "YYYY-MM-DD" strings.
 */

export class CalendarFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarFormatError';
  }
}

const OFFSET_MS = 8 * 60 * 60 * 1000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function assertInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new CalendarFormatError('expected a valid Date');
  }
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseDateParts(date: string): [number, number, number] {
  const m = typeof date === 'string' ? DATE_RE.exec(date) : null;
  if (!m) throw new CalendarFormatError(`invalid date ${JSON.stringify(date)}: expected YYYY-MM-DD`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) {
    throw new CalendarFormatError(`invalid date ${JSON.stringify(date)}: no such day`);
  }
  return [y, mo, d];
}

/** True for a real calendar date written as YYYY-MM-DD. */
export function isValidDateString(date: string): boolean {
  try {
    parseDateParts(date);
    return true;
  } catch {
    return false;
  }
}

/** The local date in Shanghai of an instant: 2026-02-28T16:00:00Z → "2026-03-01". */
export function shanghaiDateOf(instant: Date): string {
  assertInstant(instant);
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The same Shanghai wall-clock time `years` later (an agreement cycle's end); 29 Feb falls to 1 Mar. */
export function addYearsShanghai(start: Date, years: number): Date {
  assertInstant(start);
  const local = new Date(start.getTime() + OFFSET_MS);
  local.setUTCFullYear(local.getUTCFullYear() + years);
  return new Date(local.getTime() - OFFSET_MS);
}

/** The instant of 00:00 Shanghai on a date: "2026-03-01" → 2026-02-28T16:00:00.000Z. */
export function shanghaiMidnight(date: string): Date {
  const [y, mo, d] = parseDateParts(date);
  return new Date(Date.UTC(y, mo - 1, d) - OFFSET_MS);
}

/** date + n calendar days ("2026-02-28", 1 → "2026-03-01"). */
export function addCalendarDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new CalendarFormatError('days must be an integer');
  const [y, mo, d] = parseDateParts(date);
  return new Date(Date.UTC(y, mo - 1, d + days)).toISOString().slice(0, 10);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const [y, mo, d] = parseDateParts(date);
  const wd = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * "YYYY-MM-DDTHH:mm[:ss[.SSS]]" as Shanghai local time; with a trailing "Z" or "±HH:MM" the given offset is
 * used instead. Anything else (date only, spaces, 24:00, 2026-02-30) is refused.
 */
export function parseShanghaiLocal(text: string): Date {
  const m = typeof text === 'string' ? LOCAL_RE.exec(text) : null;
  if (!m) {
    throw new CalendarFormatError(`invalid date-time ${JSON.stringify(text)}: expected YYYY-MM-DDTHH:mm[:ss] (Asia/Shanghai) or ISO 8601 with offset`);
  }
  const [, ys, mos, ds, hs, mis, ss = '0', mss = '0', offset] = m;
  const [y, mo, d] = parseDateParts(`${ys}-${mos}-${ds}`);
  const h = Number(hs);
  const mi = Number(mis);
  const s = Number(ss);
  if (h > 23 || mi > 59 || s > 59) throw new CalendarFormatError(`invalid time in ${JSON.stringify(text)}`);
  let offsetMs = OFFSET_MS;
  if (offset === 'Z') offsetMs = 0;
  else if (offset) {
    const oh = Number(offset.slice(1, 3));
    const om = Number(offset.slice(4, 6));
    if (oh > 23 || om > 59) throw new CalendarFormatError(`invalid offset in ${JSON.stringify(text)}`);
    offsetMs = (offset[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const ms = Number(mss.padEnd(3, '0'));
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMs);
}

// ---------------------------------------------------------------------------------------------------------
// Strict instants and the plausible range of dates
// ---------------------------------------------------------------------------------------------------------

/**
 * The instants any input may name: from 2000-01-01T00:00:00Z (inclusive) to 2100-01-01T00:00:00Z (exclusive).
 * Wider than any business date of the platform, narrow enough that a typo (year 0000, 20266) is refused.
 */
export const PLAUSIBLE_INSTANTS = Object.freeze({ from: new Date('2000-01-01T00:00:00Z'), until: new Date('2100-01-01T00:00:00Z') });

/**
 * The platform's epoch (Asia/Shanghai date): no business date — a batch expiry, an appointment, a settlement
 * period, a credit event, a reference price, a rule version — lies before it. National volume-based
 * procurement began with the "4+7" pilot of 2018, so nothing the platform handles predates 2018.
 */
export const PLATFORM_EPOCH = '2018-01-01';

/** The last date a date-only input may name (the day before PLAUSIBLE_INSTANTS.until). */
export const LAST_PLAUSIBLE_DATE = '2099-12-31';

const STRICT_INSTANT_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO 8601 date-time with an explicit offset ("Z" or "±hh:mm", at most ±14:00), on a real calendar day,
 * inside PLAUSIBLE_INSTANTS. Refuses what `new Date()` would silently roll over (2026-02-30 → 2026-03-02),
 * a missing offset, 24:00, leap seconds and year 0000. Fractions beyond milliseconds are truncated.
 */
export function parseStrictInstant(text: string): Date {
  const m = typeof text === 'string' ? STRICT_INSTANT_RE.exec(text) : null;
  if (!m) throw new CalendarFormatError(`invalid date-time ${JSON.stringify(text)}: expected ISO 8601 with an offset, e.g. 2026-03-01T09:00:00+08:00`);
  const [, ys, mos, ds, hs, mis, ss = '0', fraction = '0', offset] = m;
  const [y, mo, d] = parseDateParts(`${ys}-${mos}-${ds}`);
  const h = Number(hs);
  const mi = Number(mis);
  const s = Number(ss);
  if (h > 23 || mi > 59 || s > 59) throw new CalendarFormatError(`invalid time of day in ${JSON.stringify(text)}`);
  let offsetMinutes = 0;
  if (offset !== 'Z') {
    const oh = Number(offset.slice(1, 3));
    const om = Number(offset.slice(4, 6));
    if (om > 59 || oh * 60 + om > 14 * 60) throw new CalendarFormatError(`invalid offset in ${JSON.stringify(text)}: at most ±14:00`);
    offsetMinutes = (offset[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear keeps the year as written
  const utc = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms));
  utc.setUTCFullYear(y, mo - 1, d);
  const instant = new Date(utc.getTime() - offsetMinutes * 60_000);
  if (instant < PLAUSIBLE_INSTANTS.from || instant >= PLAUSIBLE_INSTANTS.until) {
    throw new CalendarFormatError(`${JSON.stringify(text)} lies outside the plausible range 2000-01-01T00:00:00Z – 2100-01-01T00:00:00Z`);
  }
  return instant;
}

/**
 * Why a date-only input ("YYYY-MM-DD") is not acceptable as a business date, or null: it must be a real
 * calendar day from `notBefore` (the platform's epoch unless given) to LAST_PLAUSIBLE_DATE.
 */
export function businessDateProblem(date: unknown, notBefore: string = PLATFORM_EPOCH): string | null {
  if (typeof date !== 'string' || !DATE_RE.test(date)) return '日期格式应为 YYYY-MM-DD';
  if (!isValidDateString(date)) return `日历上没有 ${date} 这一天`;
  if (date < notBefore) return `日期不得早于 ${notBefore}`;
  if (date > LAST_PLAUSIBLE_DATE) return `日期不得晚于 ${LAST_PLAUSIBLE_DATE}`;
  return null;
}

/** Whether an instant lies on or after the platform's epoch (00:00 Asia/Shanghai of PLATFORM_EPOCH). */
export function isOnOrAfterEpoch(instant: Date): boolean {
  return instant.getTime() >= shanghaiMidnight(PLATFORM_EPOCH).getTime();
}

/** ISO 8601 in Shanghai time with milliseconds: "2026-03-01T09:00:00.000+08:00". */
export function formatShanghai(instant: Date): string {
  assertInstant(instant);
  return new Date(instant.getTime() + OFFSET_MS).toISOString().replace('Z', '+08:00');
}

// ---------------------------------------------------------------------------------------------------------
// Working days
// ---------------------------------------------------------------------------------------------------------

/**
 * A working-day calendar as data, so that a regulator can load the State Council's schedule for a new year
 * without a code change. `holidays` are days off (weekends inside a holiday block may be listed too);
 * `adjustedWorkingDays` are weekend days that are working days (调休上班).
 */
export interface WorkingDayCalendarData {
  version: string;
  holidays: string[];
  adjustedWorkingDays: string[];
}

export class WorkingDayCalendar {
  readonly version: string;
  private readonly holidays: ReadonlySet<string>;
  private readonly adjusted: ReadonlySet<string>;

  constructor(data: WorkingDayCalendarData) {
    for (const d of [...data.holidays, ...data.adjustedWorkingDays]) parseDateParts(d);
    const clash = data.holidays.find((d) => data.adjustedWorkingDays.includes(d));
    if (clash) throw new CalendarFormatError(`${clash} is both a holiday and an adjusted working day`);
    this.version = data.version;
    this.holidays = new Set(data.holidays);
    this.adjusted = new Set(data.adjustedWorkingDays);
  }

  /** Mon–Fri unless a holiday; Sat/Sun only when listed as an adjusted working day (调休). */
  isWorkingDay(date: string): boolean {
    if (this.holidays.has(date)) return false;
    if (this.adjusted.has(date)) return true;
    return isoWeekday(date) <= 5;
  }

  /** The Nth working day strictly after `date` (n ≥ 1), as a date. */
  nthWorkingDayAfter(date: string, n: number): string {
    if (!Number.isInteger(n) || n < 1) throw new CalendarFormatError('n must be an integer ≥ 1');
    let d = date;
    for (let found = 0; found < n; ) {
      d = addCalendarDays(d, 1);
      if (this.isWorkingDay(d)) found++;
    }
    return d;
  }

  /**
   * Deadline "N working days after `from`": the instant at the END of the Nth working day after the Shanghai
   * date of `from`, i.e. 00:00 Shanghai of the day following it. The day of `from` itself never counts.
   * Example: a notice at Thu 2025-09-25 10:00+08:00 with 10 working days → the 10 working days are Sep 26,
   * Sep 28 (Sunday, 调休 working), Sep 29, Sep 30, Oct 9, 10, 11 (Saturday, 调休 working), 13, 14, 15, so the
   * deadline is 2025-10-16T00:00:00.000+08:00. With days = 0 the result is the end of `from`'s own date.
   */
  addWorkingDays(from: Date, days: number): Date {
    if (!Number.isInteger(days) || days < 0) throw new CalendarFormatError('days must be an integer ≥ 0');
    const start = shanghaiDateOf(from);
    const last = days === 0 ? start : this.nthWorkingDayAfter(start, days);
    return shanghaiMidnight(addCalendarDays(last, 1));
  }

  /**
   * Number of working days whose Shanghai date d satisfies date(a) < d ≤ date(b); negative when b is before a.
   * Accepts instants or "YYYY-MM-DD" dates. For any instant `from`,
   * workingDaysBetween(from, addWorkingDays(from, n) − 1 ms) === n.
   */
  workingDaysBetween(a: Date | string, b: Date | string): number {
    const da = typeof a === 'string' ? (parseDateParts(a), a) : shanghaiDateOf(a);
    const db = typeof b === 'string' ? (parseDateParts(b), b) : shanghaiDateOf(b);
    if (da === db) return 0;
    const [lo, hi, sign] = da < db ? [da, db, 1] : [db, da, -1];
    let count = 0;
    for (let d = addCalendarDays(lo, 1); d <= hi; d = addCalendarDays(d, 1)) {
      if (this.isWorkingDay(d)) count++;
    }
    return sign * count;
  }
}

// ---------------------------------------------------------------------------------------------------------
// China's schedule (国务院办公厅关于部分节假日安排的通知). This is DATA: a regulator can replace it with the
// published notice of a new year. Statutory days follow the 2024 revision of 全国年节及纪念日放假办法
// (春节 4 days incl. 除夕, 劳动节 2 days).
// ---------------------------------------------------------------------------------------------------------

function range(first: string, last: string): string[] {
  const out: string[] = [];
  for (let d = first; d <= last; d = addCalendarDays(d, 1)) out.push(d);
  return out;
}

export const CN_CALENDAR_2025_2027: WorkingDayCalendarData = {
  version: 'CN-2025-2026',
  holidays: [
    // 2025 (国办发明电〔2024〕12号)
    '2025-01-01', // 元旦
    ...range('2025-01-28', '2025-02-04'), // 春节
    ...range('2025-04-04', '2025-04-06'), // 清明节
    ...range('2025-05-01', '2025-05-05'), // 劳动节
    ...range('2025-05-31', '2025-06-02'), // 端午节
    ...range('2025-10-01', '2025-10-08'), // 国庆节、中秋节
    // 2026 (notice of November 2025) — best knowledge of the published schedule; verify against the notice.
    ...range('2026-01-01', '2026-01-03'), // 元旦
    ...range('2026-02-15', '2026-02-23'), // 春节
    ...range('2026-04-04', '2026-04-06'), // 清明节
    ...range('2026-05-01', '2026-05-05'), // 劳动节
    ...range('2026-06-19', '2026-06-21'), // 端午节
    ...range('2026-09-25', '2026-09-27'), // 中秋节
    ...range('2026-10-01', '2026-10-07'), // 国庆节
    // 2027 — NOT YET PUBLISHED. Only the statutory days themselves (certain by law and the lunar calendar);
    // bridging days and 调休 will come with the State Council notice, expected late 2026.
    '2027-01-01', // 元旦
    ...range('2027-02-05', '2027-02-08'), // 春节: 除夕 Feb 5, 初一–初三 Feb 6–8
    '2027-04-05', // 清明节
    '2027-05-01', // 劳动节 (Saturday)
    '2027-05-02', // 劳动节 (Sunday)
    '2027-06-09', // 端午节
    '2027-09-15', // 中秋节
    ...range('2027-10-01', '2027-10-03'), // 国庆节
  ],
  adjustedWorkingDays: [
    // 2025
    '2025-01-26', // Sun, 春节
    '2025-02-08', // Sat, 春节
    '2025-04-27', // Sun, 劳动节
    '2025-09-28', // Sun, 国庆节
    '2025-10-11', // Sat, 国庆节
    // 2026 — best knowledge, verify against the notice
    '2026-01-04', // Sun, 元旦
    '2026-02-14', // Sat, 春节
    '2026-02-28', // Sat, 春节
    '2026-05-09', // Sat, 劳动节
    '2026-09-20', // Sun, 国庆节
    '2026-10-10', // Sat, 国庆节
  ],
};
