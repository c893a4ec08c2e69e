/**
 * Whether a 5-field cron expression (minute hour day-of-month month day-of-week; numbers, `*`, `*\/n`,
 * `a-b` and lists) fires in the window (from, to], reading the fields in a fixed-offset time zone
 * (Asia/Shanghai: UTC+8, no daylight saving). The training clock uses it to run, after a jump, each
 * scheduled job whose time the jump passed over.
 */
export function cronFiresBetween(expression: string, from: Date, to: Date, utcOffsetMinutes = 480): boolean {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`cron expression needs 5 fields: ${expression}`);
  const [minute, hour, dom, month, dow] = [
    parseField(fields[0], 0, 59),
    parseField(fields[1], 0, 23),
    parseField(fields[2], 1, 31),
    parseField(fields[3], 1, 12),
    parseField(fields[4], 0, 7),
  ];
  if (dow.has(7)) dow.add(0);
  const domAny = fields[2] === '*';
  const dowAny = fields[4] === '*';
  const shift = utcOffsetMinutes * 60_000;
  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;
  const DAY = 24 * HOUR;
  // the first whole minute after `from`, up to and including `to`, in local (shifted) time
  let t = (Math.floor((from.getTime() + shift) / MINUTE) + 1) * MINUTE;
  const end = to.getTime() + shift;
  while (t <= end) {
    const d = new Date(t);
    const dayMatches =
      month.has(d.getUTCMonth() + 1) &&
      (domAny && dowAny ? true : domAny ? dow.has(d.getUTCDay()) : dowAny ? dom.has(d.getUTCDate()) : dom.has(d.getUTCDate()) || dow.has(d.getUTCDay()));
    if (!dayMatches) {
      t = Math.floor(t / DAY) * DAY + DAY;
      continue;
    }
    if (!hour.has(d.getUTCHours())) {
      t = Math.floor(t / HOUR) * HOUR + HOUR;
      continue;
    }
    if (minute.has(d.getUTCMinutes())) return true;
    t += MINUTE;
  }
  return false;
}

function parseField(field: string, min: number, max: number): Set<number> {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [min, max];
    else if (range.includes('-')) [lo, hi] = range.split('-').map(Number) as [number, number];
    else [lo, hi] = [Number(range), stepText === undefined ? Number(range) : max];
    if (![lo, hi, step].every(Number.isInteger) || lo < min || hi > max || lo > hi || step < 1) throw new Error(`bad cron field: ${field}`);
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return values;
}
