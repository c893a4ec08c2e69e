/** Input and output shapes of the evaluation contract (docs/evaluation-contract.md). */

export type AnchorKind = 'LOWEST' | 'HALF_MEAN_OR_LOWEST';
export const ANCHOR_KINDS: readonly AnchorKind[] = ['LOWEST', 'HALF_MEAN_OR_LOWEST'];

export type TieBreakKey = 'UNIT_COMPARABLE_PRICE' | 'UNIT_PRICE' | 'DEMAND_SHARE' | 'SUBMITTED_AT' | 'BID_ID';
export const TIE_BREAK_KEYS: readonly TieBreakKey[] = [
  'UNIT_COMPARABLE_PRICE',
  'UNIT_PRICE',
  'DEMAND_SHARE',
  'SUBMITTED_AT',
  'BID_ID',
];

export interface RuleSet {
  priceRatio: string;
  anchor: AnchorKind;
  lowPriceThreshold: string | null;
  ceilingReduction: string | null;
  shortlist: { minus: number; max: number };
  revival: boolean;
  tieBreak: TieBreakKey[];
  volumeShareByWinners: string[];
  cycleYearsByWinners: number[];
}

export interface SpecInput {
  id: string;
  comparableFactor: string;
  ceilingUnitPrice: string;
}

export interface DemandLineInput {
  hospitalId: string;
  regionId: string;
  quantity: number;
  preferredManufacturerId?: string | null;
}

export interface BidInput {
  id: string;
  manufacturerId: string;
  specId: string;
  unitPrice: string;
  submittedAt: string;
  demandShare?: string;
  acceptsRevival?: boolean;
  regionPreferences?: string[];
  /** Excluded by an upheld objection (异议成立): INVALID with reason EXCLUDED, judged as if it had not been submitted. */
  excluded?: boolean;
}

export interface LotInput {
  id: string;
  specs: SpecInput[];
  regions: string[];
  demand: DemandLineInput[];
  bids: BidInput[];
}

export interface RoundInput {
  ruleSet: RuleSet;
  lots: LotInput[];
}

export type BidStatus = 'WINNER' | 'REVIVED' | 'ELIMINATED' | 'INVALID';
export type BidReason = 'ABOVE_CEILING' | 'NOT_SHORTLISTED' | 'PRICE_TEST' | 'EXCLUDED' | null;

export interface BidResult {
  id: string;
  status: BidStatus;
  reason: BidReason;
  rank: number | null;
  unitComparablePrice: string;
  awardedUnitPrice: string | null;
}

export interface RegionResult {
  regionId: string;
  primaryBidId: string | null;
  backupBidId: string | null;
}

export interface AllocationResult {
  hospitalId: string;
  regionId: string;
  bidId: string;
  agreedQuantity: number;
}

export interface LotResult {
  id: string;
  status: 'AWARDED' | 'FAILED';
  validBidCount: number;
  shortlistCap: number;
  anchorUnitComparablePrice: string | null;
  revivalUnitComparablePrice: string | null;
  winnerCount: number;
  volumeShare: string | null;
  cycleYears: number | null;
  agreedQuantity: number;
  bids: BidResult[];
  regions: RegionResult[];
  allocations: AllocationResult[];
}

export interface RoundResult {
  lots: LotResult[];
}
