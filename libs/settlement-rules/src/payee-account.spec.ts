import fc from 'fast-check';
import { CN_CALENDAR_2025_2027, WorkingDayCalendar } from '@libs/calendar';
import { confirmationCutoff, disputeDeadline, payeeAccountProblems } from './payee-account';

const calendar = new WorkingDayCalendar(CN_CALENDAR_2025_2027);
const ok = { accountName: '河南华康制药有限公司', accountNumber: '4102123456789012', cnapsCode: '102491000012', currency: 'CNY' };

describe('payee accounts', () => {
  it('accepts a well-formed account and names each field at fault', () => {
    expect(payeeAccountProblems(ok, '河南华康制药有限公司')).toEqual([]);
    expect(payeeAccountProblems({ ...ok, accountName: '华康制药' }, '河南华康制药有限公司').map((p) => p.field)).toEqual(['accountName']);
    expect(payeeAccountProblems({ ...ok, accountNumber: '1234567' }, ok.accountName).map((p) => p.field)).toEqual(['accountNumber']);
    expect(payeeAccountProblems({ ...ok, accountNumber: '12345678' }, ok.accountName)).toEqual([]);
    expect(payeeAccountProblems({ ...ok, accountNumber: '1'.repeat(32) }, ok.accountName)).toEqual([]);
    expect(payeeAccountProblems({ ...ok, accountNumber: '1'.repeat(33) }, ok.accountName).map((p) => p.field)).toEqual(['accountNumber']);
    expect(payeeAccountProblems({ ...ok, accountNumber: '6222 0210 0112' }, ok.accountName).map((p) => p.field)).toEqual(['accountNumber']);
    expect(payeeAccountProblems({ ...ok, cnapsCode: '10249100001' }, ok.accountName).map((p) => p.field)).toEqual(['cnapsCode']);
    expect(payeeAccountProblems({ ...ok, cnapsCode: '999491000012' }, ok.accountName).map((p) => p.field)).toEqual(['cnapsCode']);
    expect(payeeAccountProblems({ ...ok, currency: 'USD' }, ok.accountName).map((p) => p.field)).toEqual(['currency']);
  });
});

describe('confirmation window', () => {
  it('is 5 working days after the acceptance date; holidays do not count', () => {
    // Fri 2026-03-06 → Mon 9 … Fri 13: the window ends at 00:00 on Sat 14th
    expect(disputeDeadline(new Date('2026-03-06T10:00:00+08:00'), calendar).toISOString()).toBe(new Date('2026-03-14T00:00:00+08:00').toISOString());
  });

  it('the cutoff separates exactly the lines whose window has ended', () => {
    const start = new Date('2026-01-01T00:00:00+08:00').getTime();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 * 86_400_000 }), fc.integer({ min: 0, max: 30 * 86_400_000 }), (a, gap) => {
        const acceptedAt = new Date(start + a);
        const now = new Date(start + a + gap);
        const cutoff = confirmationCutoff(now, calendar);
        expect(acceptedAt < cutoff).toBe(disputeDeadline(acceptedAt, calendar) <= now);
      }),
    );
  });
});
