import { evaluateRound } from './evaluate';
import { BATCH_10, BATCH_11, BATCH_7, RULE_SET_PRESETS, SPECIAL_ANTIBIOTICS, findRuleSetPreset, ruleSetOf } from './presets';
import { bid, lot } from './spec-helpers';
import { validateInput } from './validate';

describe('rule-set presets', () => {
  it.each(RULE_SET_PRESETS.map((preset) => [preset.code, preset] as const))('%s is a valid, frozen, versioned rule set', (code, preset) => {
    const validation = validateInput({ ruleSet: ruleSetOf(preset), lots: [] });
    expect(validation.ok).toBe(true);
    expect(preset.version).toBeGreaterThanOrEqual(1);
    expect(preset.source.length).toBeGreaterThan(0);
    expect(Object.isFrozen(preset.ruleSet)).toBe(true);
    expect(Object.isFrozen(preset.ruleSet.volumeShareByWinners)).toBe(true);
    expect(findRuleSetPreset(code)).toBe(preset);
  });

  it('BATCH_7: 1.8 × lowest, 0.10 threshold, 50% below ceiling, N−2 max 10, no revival, 50/60/70/80%, 1/1/2/3 years', () => {
    expect(BATCH_7.ruleSet).toMatchObject({
      priceRatio: '1.8',
      anchor: 'LOWEST',
      lowPriceThreshold: '0.10',
      ceilingReduction: '0.50',
      shortlist: { minus: 2, max: 10 },
      revival: false,
      volumeShareByWinners: ['0.5', '0.6', '0.7', '0.8'],
      cycleYearsByWinners: [1, 1, 2, 3],
    });
  });

  it('BATCH_10: no 50% rule, revival on, N−3 max 10', () => {
    expect(BATCH_10.ruleSet).toMatchObject({ ceilingReduction: null, revival: true, shortlist: { minus: 3, max: 10 }, anchor: 'LOWEST' });
  });

  it('BATCH_11: anchor = max(half the shortlisted mean, lowest), revival on', () => {
    expect(BATCH_11.ruleSet).toMatchObject({ anchor: 'HALF_MEAN_OR_LOWEST', revival: true });
  });

  it('SPECIAL_ANTIBIOTICS: shares 30/40/50%', () => {
    expect(SPECIAL_ANTIBIOTICS.ruleSet.volumeShareByWinners).toEqual(['0.3', '0.4', '0.5']);
  });

  it('gives mutable copies that do not touch the preset', () => {
    const copy = ruleSetOf(BATCH_7);
    copy.shortlist.max = 3;
    expect(BATCH_7.ruleSet.shortlist.max).toBe(10);
  });

  it('drives an evaluation end to end', () => {
    const input = {
      ruleSet: ruleSetOf(SPECIAL_ANTIBIOTICS),
      lots: [lot({ demand: [{ hospitalId: 'H1', regionId: 'R1', quantity: 7_286_887 }], bids: [bid({ id: 'X', unitPrice: '0.5000' })] })],
    };
    const validation = validateInput(input);
    if (!validation.ok) throw new Error(validation.path);
    // Meropenem's national demand (research §1.7) as one line: 7,286,887 × 0.3 = 2,186,066.1 → 2,186,066.
    // (The published 2,186,064 sums per-hospital roundings, which a single line cannot reproduce.)
    expect(evaluateRound(validation.input).lots[0]).toMatchObject({ winnerCount: 1, volumeShare: '0.3', agreedQuantity: 2_186_066 });
  });
});
