import fc from 'fast-check';
import {
  CREDIT_BEHAVIOURS,
  CREDIT_POLICY_2020,
  CREDIT_POLICY_2025,
  levelOfEvent,
  levelRank,
  lookbackStart,
  productSuspended,
  rate,
  RatedEvent,
} from './index';

const ev = (over: Partial<RatedEvent>): RatedEvent => ({
  id: 'e1',
  behaviour: 'KICKBACK',
  amountFen: 0n,
  occurredOn: '2026-01-10',
  productIds: ['p1'],
  cleared: false,
  ...over,
});

describe('credit policy 2020 (four levels)', () => {
  it.each([
    [999_999n, 'NONE'],
    [1_000_000n, 'GENERAL'],
    [9_999_999n, 'GENERAL'],
    [10_000_000n, 'MEDIUM'],
    [30_000_000n, 'SERIOUS'],
    [199_999_999n, 'SERIOUS'],
    [200_000_000n, 'PARTICULARLY_SERIOUS'],
  ])('rates a kickback of %s fen as %s', (amountFen, level) => {
    expect(levelOfEvent(CREDIT_POLICY_2020, { behaviour: 'KICKBACK', amountFen })).toBe(level);
  });

  it('has a level for every behaviour in both models', () => {
    for (const policy of [CREDIT_POLICY_2020, CREDIT_POLICY_2025]) {
      for (const behaviour of CREDIT_BEHAVIOURS) {
        expect(levelOfEvent(policy, { behaviour, amountFen: null })).not.toBe('NONE');
        const level = levelOfEvent(policy, { behaviour, amountFen: 10n ** 12n });
        expect(policy.levels).toContain(level);
      }
    }
  });

  it('the 2025 model never rates MEDIUM', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CREDIT_BEHAVIOURS), fc.option(fc.bigInt({ min: 0n, max: 10n ** 12n })), (behaviour, amountFen) => {
        expect(levelOfEvent(CREDIT_POLICY_2025, { behaviour, amountFen: amountFen ?? null })).not.toBe('MEDIUM');
      }),
    );
  });

  it('counts only uncleared events of the last 3 years', () => {
    const events = [
      ev({ id: 'old', amountFen: 300_000_000n, occurredOn: '2023-01-09' }),
      ev({ id: 'edge', amountFen: 10_000_000n, occurredOn: '2023-01-10' }),
      ev({ id: 'cleared', amountFen: 300_000_000n, cleared: true }),
      ev({ id: 'future', amountFen: 300_000_000n, occurredOn: '2026-02-01' }),
    ];
    const rating = rate(CREDIT_POLICY_2020, events, '2026-01-10');
    expect(rating.level).toBe('MEDIUM');
    expect(rating.decidingEventIds).toEqual(['edge']);
    expect(rating.sanctions).toMatchObject({ writtenReminder: true, riskNotice: true, suspendProductsInvolved: false });
  });

  it('suspends only the products involved at SERIOUS and everything at PARTICULARLY_SERIOUS', () => {
    const serious = rate(CREDIT_POLICY_2020, [ev({ amountFen: 30_000_000n, productIds: ['p1'] }), ev({ id: 'e2', amountFen: 1_000_000n, productIds: ['p2'] })], '2026-02-01');
    expect(serious.level).toBe('SERIOUS');
    expect(serious.suspendedProductIds).toEqual(['p1']);
    expect(productSuspended(serious, 'p1')).toBe(true);
    expect(productSuspended(serious, 'p2')).toBe(false);
    const worst = rate(CREDIT_POLICY_2020, [ev({ amountFen: 200_000_000n })], '2026-02-01');
    expect(productSuspended(worst, 'any-product')).toBe(true);
    expect(worst.sanctions.publicDisclosure).toBe(true);
  });

  it('handles 29 February in the lookback', () => {
    expect(lookbackStart('2028-02-29', 3)).toBe('2025-03-01');
    expect(lookbackStart('2026-03-02', 3)).toBe('2023-03-02');
  });

  it('property: the rating is the worst level of the counted events, whatever their order', () => {
    const arbEvent = fc.record({
      id: fc.uuid(),
      behaviour: fc.constantFrom(...CREDIT_BEHAVIOURS),
      amountFen: fc.option(fc.bigInt({ min: 0n, max: 500_000_000n }), { nil: null }),
      occurredOn: fc.date({ min: new Date('2022-01-01'), max: new Date('2026-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      productIds: fc.array(fc.constantFrom('p1', 'p2', 'p3'), { maxLength: 3 }),
      cleared: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(arbEvent, { maxLength: 12 }), (events) => {
        const a = rate(CREDIT_POLICY_2020, events, '2026-06-30');
        const b = rate(CREDIT_POLICY_2020, [...events].reverse(), '2026-06-30');
        expect(b).toEqual(a);
        const from = lookbackStart('2026-06-30', 3);
        for (const e of events) {
          if (!e.cleared && e.occurredOn >= from && e.occurredOn <= '2026-06-30') {
            expect(levelRank(a.level)).toBeGreaterThanOrEqual(levelRank(levelOfEvent(CREDIT_POLICY_2020, e)));
          }
        }
        // clearing every event always gives a clean rating
        expect(rate(CREDIT_POLICY_2020, events.map((e) => ({ ...e, cleared: true })), '2026-06-30').level).toBe('NONE');
      }),
    );
  });
});
