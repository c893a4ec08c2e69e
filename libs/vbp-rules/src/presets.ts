import { RuleSet } from './types';

/**
 * Named, versioned rule sets a round can pick. Each follows a published national VBP batch; where the
 * published rules leave a parameter open, the value chosen is explained in docs/rule-sets.md.
 * A new reading of a batch's rules must become a new version, never an edit, so past rounds stay reproducible.
 */
export interface RuleSetPreset {
  readonly code: 'BATCH_7' | 'BATCH_10' | 'BATCH_11' | 'SPECIAL_ANTIBIOTICS';
  readonly version: number;
  readonly description: string;
  /** The published rules the preset follows (see docs/rule-sets.md and its sources, §1.5–1.7). */
  readonly source: string;
  readonly ruleSet: Readonly<RuleSet>;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

const STANDARD_TIE_BREAK: RuleSet['tieBreak'] = ['UNIT_COMPARABLE_PRICE', 'DEMAND_SHARE', 'SUBMITTED_AT', 'BID_ID'];

export const BATCH_7: RuleSetPreset = deepFreeze({
  code: 'BATCH_7',
  version: 1,
  description:
    'National batch 7 (2022): win with UCP <= 1.8 x lowest, or UCP <= 0.10, or price >= 50% below the ceiling; ' +
    'shortlist N-2 (max 10); no revival; shares 50/60/70/80%, cycles 1/1/2/3 years.',
  source: 'Batch 7 procurement rules (research §1.5 [S14], volumes and cycles §1.7 [S22][S23])',
  ruleSet: {
    priceRatio: '1.8',
    anchor: 'LOWEST',
    lowPriceThreshold: '0.10',
    ceilingReduction: '0.50',
    shortlist: { minus: 2, max: 10 },
    revival: false,
    tieBreak: [...STANDARD_TIE_BREAK],
    volumeShareByWinners: ['0.5', '0.6', '0.7', '0.8'],
    cycleYearsByWinners: [1, 1, 2, 3],
  },
});

export const BATCH_10: RuleSetPreset = deepFreeze({
  code: 'BATCH_10',
  version: 1,
  description:
    'National batch 10 (2024): win with UCP <= 1.8 x lowest or UCP <= 0.10 (the 50%-below-ceiling harbour removed); ' +
    'shortlist N-3 (max 10); revival at the highest winning UCP (1.8 x lowest with a single winner); batch-7 volume table.',
  source: 'Batch 10 rules and draft (research §1.5 [S18][S44]); volume/cycle table carried over from batch 7 (§1.7)',
  ruleSet: {
    priceRatio: '1.8',
    anchor: 'LOWEST',
    lowPriceThreshold: '0.10',
    ceilingReduction: null,
    shortlist: { minus: 3, max: 10 },
    revival: true,
    tieBreak: [...STANDARD_TIE_BREAK],
    volumeShareByWinners: ['0.5', '0.6', '0.7', '0.8'],
    cycleYearsByWinners: [1, 1, 2, 3],
  },
});

export const BATCH_11: RuleSetPreset = deepFreeze({
  code: 'BATCH_11',
  version: 1,
  description:
    'National batch 11 (2025): anchor = max(half the shortlisted mean UCP, lowest UCP); cut above 1.8 x anchor ' +
    'unless UCP <= 0.10; shortlist N-3 (max 10); shortlisted revival; batch-7 volume table.',
  source: 'Batch 11 rules (research §1.5 [S16][S48]); shortlist per batch 10; volume/cycle table from batch 7 (§1.7)',
  ruleSet: {
    priceRatio: '1.8',
    anchor: 'HALF_MEAN_OR_LOWEST',
    lowPriceThreshold: '0.10',
    ceilingReduction: null,
    shortlist: { minus: 3, max: 10 },
    revival: true,
    tieBreak: [...STANDARD_TIE_BREAK],
    volumeShareByWinners: ['0.5', '0.6', '0.7', '0.8'],
    cycleYearsByWinners: [1, 1, 2, 3],
  },
});

export const SPECIAL_ANTIBIOTICS: RuleSetPreset = deepFreeze({
  code: 'SPECIAL_ANTIBIOTICS',
  version: 1,
  description:
    'Batch 7 special antibiotics and antifungals (meropenem, micafungin, tigecycline, cefepime): batch-7 price ' +
    'rules with agreed shares 30/40/50% for 1/2/>=3 winners.',
  source: 'Batch 7 special-variety volume table (research §1.7 [S22][S23]); price rules as BATCH_7 (§1.5 [S14])',
  ruleSet: {
    priceRatio: '1.8',
    anchor: 'LOWEST',
    lowPriceThreshold: '0.10',
    ceilingReduction: '0.50',
    shortlist: { minus: 2, max: 10 },
    revival: false,
    tieBreak: [...STANDARD_TIE_BREAK],
    volumeShareByWinners: ['0.3', '0.4', '0.5'],
    cycleYearsByWinners: [1, 1, 2, 3],
  },
});

export const RULE_SET_PRESETS: readonly RuleSetPreset[] = Object.freeze([BATCH_7, BATCH_10, BATCH_11, SPECIAL_ANTIBIOTICS]);

/** The preset with this code, or undefined. */
export function findRuleSetPreset(code: string): RuleSetPreset | undefined {
  return RULE_SET_PRESETS.find((preset) => preset.code === code);
}

/** A mutable copy of a preset's rule set, ready to put into an evaluation input. */
export function ruleSetOf(preset: RuleSetPreset): RuleSet {
  return JSON.parse(JSON.stringify(preset.ruleSet)) as RuleSet;
}
