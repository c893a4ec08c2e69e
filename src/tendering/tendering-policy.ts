/**
 * The tendering policy's thresholds as versioned data. A round stores the version it runs under
 * (`tender_round.policy_version`), demand rows the version that judged them; a new reading is a new
 * version appended here, never an edit of an old one.
 */
export interface TenderingPolicy {
  readonly version: number;
  /** Demand below this share of last year's platform purchases of the variety needs a written reason. */
  readonly demandFloorShare: string;
  readonly defaultPublicityDays: number;
  /** Share of the annual agreed amount the fund prepays each hospital. */
  readonly prepaymentShare: string;
}

export const TENDERING_POLICIES: readonly TenderingPolicy[] = Object.freeze([
  Object.freeze({ version: 1, demandFloorShare: '0.8', defaultPublicityDays: 3, prepaymentShare: '0.3' }),
]);

export const CURRENT_TENDERING_POLICY = TENDERING_POLICIES[TENDERING_POLICIES.length - 1];

export function tenderingPolicy(version: number): TenderingPolicy {
  const policy = TENDERING_POLICIES.find((p) => p.version === version);
  if (!policy) throw new Error(`Unknown tendering policy version ${version}`);
  return policy;
}
