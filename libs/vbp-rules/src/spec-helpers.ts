/** Builders shared by the specs (not part of the public API). */
import { resolve } from 'path';
import { Rational, parseDecimal } from './decimal';
import { BidInput, LotInput, RoundInput, RuleSet } from './types';

/** The contract's worked examples (docs/evaluation-contract.md), kept in the repository as fixtures. */
export const EXAMPLES_DIR = resolve(__dirname, '../fixtures/vbp-evaluation');

export function dec(text: string): Rational {
  return parseDecimal(text);
}

export function ruleSet(overrides: Partial<RuleSet> = {}): RuleSet {
  return {
    priceRatio: '1.8',
    anchor: 'LOWEST',
    lowPriceThreshold: null,
    ceilingReduction: null,
    shortlist: { minus: 2, max: 10 },
    revival: true,
    tieBreak: ['UNIT_COMPARABLE_PRICE', 'DEMAND_SHARE', 'SUBMITTED_AT', 'BID_ID'],
    volumeShareByWinners: ['0.5', '0.6', '0.7', '0.8'],
    cycleYearsByWinners: [1, 1, 2, 3],
    ...overrides,
  };
}

let bidCounter = 0;
export function bid(overrides: Partial<BidInput> & { unitPrice: string }): BidInput {
  bidCounter += 1;
  const id = overrides.id ?? `B${String(bidCounter).padStart(4, '0')}`;
  return {
    id,
    manufacturerId: `M-${id}`,
    specId: 'S1',
    submittedAt: '2026-03-01T09:00:00+08:00',
    ...overrides,
  };
}

export function lot(overrides: Partial<LotInput> = {}): LotInput {
  return {
    id: 'L1',
    specs: [{ id: 'S1', comparableFactor: '1', ceilingUnitPrice: '1.0000' }],
    regions: ['R1'],
    demand: [{ hospitalId: 'H1', regionId: 'R1', quantity: 1000 }],
    bids: [],
    ...overrides,
  };
}

export function round(lots: LotInput[], rules: Partial<RuleSet> = {}): RoundInput {
  return { ruleSet: ruleSet(rules), lots };
}
