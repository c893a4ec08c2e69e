import { CREDIT_POLICY_2020, checkDecision, cappedLevel, creditStanding, CREDIT_PROCESS_POLICY_2026, monthsBetween, pointsFor, rate, RatedEvent } from './index';

const policy = CREDIT_PROCESS_POLICY_2026;

describe('credit due process: decisions', () => {
  it('UPHOLD keeps the level, REDUCE needs a milder level, WITHDRAW takes the event out; reasons always', () => {
    expect(checkDecision('SERIOUS', 'UPHOLD', null, '证据充分')).toEqual({ ok: true, levelCap: null, withdrawn: false });
    expect(checkDecision('SERIOUS', 'REDUCE', 'MEDIUM', '主动退还回扣')).toEqual({ ok: true, levelCap: 'MEDIUM', withdrawn: false });
    expect(checkDecision('SERIOUS', 'WITHDRAW', null, '事实不清')).toEqual({ ok: true, levelCap: null, withdrawn: true });
    expect(checkDecision('SERIOUS', 'REDUCE', 'SERIOUS', 'x')).toMatchObject({ ok: false, field: 'level' });
    expect(checkDecision('SERIOUS', 'REDUCE', 'PARTICULARLY_SERIOUS', 'x')).toMatchObject({ ok: false, field: 'level' });
    expect(checkDecision('SERIOUS', 'REDUCE', null, 'x')).toMatchObject({ ok: false, field: 'level' });
    expect(checkDecision('SERIOUS', 'UPHOLD', 'GENERAL', 'x')).toMatchObject({ ok: false, field: 'level' });
    expect(checkDecision('SERIOUS', 'UPHOLD', null, '  ')).toMatchObject({ ok: false, field: 'reasons' });
    expect(checkDecision('SERIOUS', 'IGNORE', null, 'x')).toMatchObject({ ok: false, field: 'decision' });
  });

  it('a reduced event counts at most at its cap, whatever a later policy says', () => {
    expect(cappedLevel('SERIOUS', 'GENERAL')).toBe('GENERAL');
    expect(cappedLevel('GENERAL', 'MEDIUM')).toBe('GENERAL');
    expect(cappedLevel('MEDIUM', null)).toBe('MEDIUM');
    const ev: RatedEvent = { id: 'e1', behaviour: 'KICKBACK', amountFen: 30_000_000n, occurredOn: '2026-01-10', productIds: ['p1'], cleared: false, levelCap: 'MEDIUM' };
    const rating = rate(CREDIT_POLICY_2020, [ev], '2026-03-01');
    expect(rating).toMatchObject({ level: 'MEDIUM', suspendedProductIds: [] });
    expect(rating.sanctions.suspendProductsInvolved).toBe(false);
  });
});

describe('credit points and grades', () => {
  it('sums points per calendar year and grades over the current and previous year', () => {
    const events = [
      { occurredOn: '2024-05-01', points: pointsFor(policy, 'PARTICULARLY_SERIOUS') },
      { occurredOn: '2025-03-01', points: pointsFor(policy, 'GENERAL') },
      { occurredOn: '2026-02-01', points: pointsFor(policy, 'MEDIUM') },
      { occurredOn: '2026-02-09', points: pointsFor(policy, 'GENERAL') },
    ];
    const standing = creditStanding(policy, events, '2026-06-01', { letterFiledOn: '2024-01-01', adverseRating: true });
    expect(standing.periods).toEqual([
      { period: '2026', points: 4, events: 2 },
      { period: '2025', points: 1, events: 1 },
      { period: '2024', points: 12, events: 1 },
    ]);
    expect(standing).toMatchObject({ points: 5, grade: 'C', rewards: { simplifiedPriceDecreaseReview: false } });
  });

  it('grade A (rewarded) needs no points, a year of commitment on file and no adverse rating', () => {
    const clean = (letterFiledOn: string | null, adverseRating = false) => creditStanding(policy, [], '2026-06-01', { letterFiledOn, adverseRating });
    expect(clean('2025-06-01')).toMatchObject({ grade: 'A', rewards: { simplifiedPriceDecreaseReview: true, publicCommendation: true } });
    expect(clean('2025-06-02').grade).toBe('B');
    expect(clean(null).grade).toBe('B');
    expect(clean('2020-01-01', true).grade).toBe('B');
    // points of two years ago no longer count
    expect(creditStanding(policy, [{ occurredOn: '2024-12-31', points: 12 }], '2026-06-01', { letterFiledOn: '2020-01-01', adverseRating: false }).grade).toBe('A');
    expect(monthsBetween('2025-01-31', '2025-02-28')).toBe(0);
    expect(monthsBetween('2025-01-31', '2025-03-01')).toBe(1);
  });
});
