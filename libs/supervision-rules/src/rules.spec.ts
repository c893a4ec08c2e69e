import fc from 'fast-check';
import { checkRuleParams, DEFAULT_RULES, RULE_CODES } from './rules';

describe('monitoring rule catalogue', () => {
  it('has one version-1 default per rule code with the domain thresholds', () => {
    expect(DEFAULT_RULES.map((r) => r.code).sort()).toEqual([...RULE_CODES].sort());
    const params = Object.fromEntries(DEFAULT_RULES.map((r) => [r.code, r.params]));
    expect(params.AGREEMENT_COMPLETION_BEHIND).toEqual({ pointsBehind: '0.10' });
    expect(params.DELIVERY_RATE_LOW).toEqual({ minRate: '0.90' });
    expect(params.DELIVERY_SHORTAGE).toEqual({ maxRate: '0.10', consecutiveMonths: 3 });
    expect(params.LISTING_ABOVE_VBP_MULTIPLE).toEqual({ winnerOutsideSupplyMultiple: '1.5', nonWinnerMultiple: '1.0' });
    expect(params.PLATFORM_PURCHASE_RATE_LOW).toEqual({ minDrugRate: '0.90', minHighValueConsumableRate: '0.80' });
    expect(params.PAYABLE_OVERDUE).toEqual({ overdueDays: 30 });
    expect(params.PURCHASE_ABOVE_PAYMENT_STANDARD).toEqual({ tolerance: '0' });
    for (const r of DEFAULT_RULES) expect(checkRuleParams(r.code, r.params)).toEqual({ ok: true });
  });

  it('refuses unknown, missing and out-of-range parameters with the field at fault', () => {
    expect(checkRuleParams('DELIVERY_RATE_LOW', { minRate: '1.2' })).toMatchObject({ ok: false, field: 'params.minRate' });
    expect(checkRuleParams('DELIVERY_RATE_LOW', { minRate: '0.9', extra: '1' })).toMatchObject({ ok: false, field: 'params.extra' });
    expect(checkRuleParams('PAYABLE_OVERDUE', {})).toMatchObject({ ok: false, field: 'params.overdueDays' });
    expect(checkRuleParams('PAYABLE_OVERDUE', { overdueDays: 0 })).toMatchObject({ ok: false });
    expect(checkRuleParams('LISTING_ABOVE_VBP_MULTIPLE', { winnerOutsideSupplyMultiple: '0', nonWinnerMultiple: '1' })).toMatchObject({ ok: false });
  });

  it('accepts every ratio in [0, 1] with up to 4 decimals (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10000 }), (n) => checkRuleParams('DELIVERY_RATE_LOW', { minRate: (n / 10000).toFixed(4) }).ok),
    );
  });
});
