import { shanghaiDateOf } from '@libs/calendar';
import { SupervisionErrors } from './supervision.errors';

/** 'YYYY-MM' → first day of the month; refuses malformed months and months that have not begun. */
export function parsePeriod(month: string, now: Date, field = 'period'): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw SupervisionErrors.invalidPeriod(field);
  const first = `${month}-01`;
  if (first > shanghaiDateOf(now)) throw SupervisionErrors.futurePeriod(field);
  return first;
}

export function currentPeriod(now: Date): string {
  return `${shanghaiDateOf(now).slice(0, 7)}-01`;
}

export function previousPeriod(period: string): string {
  const [y, m] = period.split('-').map((n) => parseInt(n, 10));
  return m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, '0')}-01`;
}
