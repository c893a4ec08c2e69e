import { judgeRenewalPrice, renewalPreset, RENEWAL_RULE_PRESETS } from './renewal';

describe('renewal rules', () => {
  const rules = renewalPreset('RENEWAL_STANDARD')!.rules;
  it('confirms or lowers, never raises', () => {
    expect(judgeRenewalPrice(rules, { currentUnitPrice: '0.3000', offeredUnitPrice: '0.3000', otherProvincesLowest: null })).toBeNull();
    expect(judgeRenewalPrice(rules, { currentUnitPrice: '0.3000', offeredUnitPrice: '0.2999', otherProvincesLowest: null })).toBeNull();
    expect(judgeRenewalPrice(rules, { currentUnitPrice: '0.3000', offeredUnitPrice: '0.3001', otherProvincesLowest: null })).toBe('RAISED');
  });
  it('bounds by the lowest price in other provinces when the rules say so', () => {
    expect(judgeRenewalPrice(rules, { currentUnitPrice: '0.3000', offeredUnitPrice: '0.2900', otherProvincesLowest: '0.2800' })).toBe('ABOVE_REFERENCE');
    expect(judgeRenewalPrice(rules, { currentUnitPrice: '0.3000', offeredUnitPrice: '0.2800', otherProvincesLowest: '0.2800' })).toBeNull();
    expect(judgeRenewalPrice(renewalPreset('RENEWAL_PRICE_ONLY')!.rules, { currentUnitPrice: '0.3000', offeredUnitPrice: '0.2900', otherProvincesLowest: '0.2800' })).toBeNull();
  });
  it('has one entry per code and version', () => {
    expect(new Set(RENEWAL_RULE_PRESETS.map((p) => `${p.code}@${p.version}`)).size).toBe(RENEWAL_RULE_PRESETS.length);
    expect(renewalPreset('NONE')).toBeNull();
  });
});
