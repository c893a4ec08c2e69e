/** A listing price's states (挂网): the database CHECK, the workflow and the GraphQL enums are written from this one list. */
export const LISTING_STATES = ['PENDING_REVIEW', 'LISTED', 'SUSPENDED', 'WITHDRAWN'] as const;
export type ListingState = (typeof LISTING_STATES)[number];

/**
 * Listing (挂网) price checks as pure functions over a versioned listing policy. Each check reports whether
 * it applied, whether it passed, and the reference price and source it compared against, so a reviewer sees
 * exactly why an application was held. No Nest, no TypeORM; prices are exact decimal strings.
 */
import { compareUnitPrices, Dec, formatUnitPrice } from '@libs/money';

export interface ListingPolicy {
  version: string;
  /** A non-winning product of a generic with VBP winners: ≤ highest spec-converted winning price × this. */
  nonWinnerMultiplier: string;
  /** A national winner listing outside its supply regions: ≤ its winning price × this. */
  nationalWinnerOutsideSupplyMultiplier: string;
  /** A winner inside its supply regions: ≤ its winning price × this. */
  winnerInsideSupplyMultiplier: string;
  /** A non-evaluated generic is refused once MORE than this many evaluated versions are listed. */
  maxEvaluatedVersionsForNonEvaluated: number;
  /** Consistency statuses that count as an evaluated version. */
  evaluatedStatuses: readonly string[];
  /** Working days a listing has to cut its price after a lower linkage price appears. */
  linkageCutWorkingDays: number;
}

export const LISTING_POLICY_2025: ListingPolicy = {
  version: 'LISTING-2025-1',
  nonWinnerMultiplier: '1.0',
  nationalWinnerOutsideSupplyMultiplier: '1.5',
  winnerInsideSupplyMultiplier: '1.0',
  maxEvaluatedVersionsForNonEvaluated: 3,
  evaluatedStatuses: ['PASSED', 'REFERENCE', 'ORIGINATOR'],
  linkageCutWorkingDays: 10,
};

export const LISTING_POLICIES: Record<string, ListingPolicy> = { [LISTING_POLICY_2025.version]: LISTING_POLICY_2025 };
export const DEFAULT_LISTING_POLICY = LISTING_POLICY_2025;

export type ListingCheckCode = 'FOUR_SAME_LOWEST' | 'VBP_WINNER_PRICE' | 'NON_EVALUATED_GENERIC' | 'CREDIT';

export interface ListingCheckResult {
  code: ListingCheckCode;
  /** False when the check had nothing to compare against (it then passes). */
  applicable: boolean;
  passed: boolean;
  /** The price the applied price was compared with (a cap), exact with 4 decimals. */
  referencePrice: string | null;
  source: string | null;
  detail: string;
}

export interface ReferencePriceRef {
  unitPrice: string;
  provinceCode: string;
  source: string;
}

/** (a) ≤ the lowest four-same price among other provinces' listings. */
export function checkFourSameLowest(price: string, references: ReferencePriceRef[]): ListingCheckResult {
  if (!references.length) {
    return { code: 'FOUR_SAME_LOWEST', applicable: false, passed: true, referencePrice: null, source: null, detail: 'No four-same price in other provinces' };
  }
  const lowest = references.reduce((a, b) => (compareUnitPrices(b.unitPrice, a.unitPrice) < 0 ? b : a));
  const passed = compareUnitPrices(price, lowest.unitPrice) <= 0;
  return {
    code: 'FOUR_SAME_LOWEST',
    applicable: true,
    passed,
    referencePrice: formatUnitPrice(lowest.unitPrice),
    source: `${lowest.provinceCode} ${lowest.source}`,
    detail: passed ? 'At or below the lowest four-same price' : `Above the lowest four-same price ${formatUnitPrice(lowest.unitPrice)} (${lowest.provinceCode})`,
  };
}

export interface VbpWinner {
  productId: string;
  /** Awarded price per unit of the winner's own spec. */
  awardedUnitPrice: string;
  /** Comparable factor (差比价) of the winner's spec to the variety's reference unit. */
  specFactor: string;
  national: boolean;
  /** Region codes (provinces or below) the winner supplies. */
  supplyRegionCodes: string[];
  source: string;
}

export interface ApplyingProduct {
  productId: string;
  specFactor: string | null;
  /** The listing's region, e.g. the province '410000'. */
  regionCode: string;
}

function provinceOf(code: string): string {
  return `${code.slice(0, 2)}0000`;
}

function supplies(winner: VbpWinner, regionCode: string): boolean {
  return winner.supplyRegionCodes.some((c) => c === regionCode || c === provinceOf(regionCode) || provinceOf(c) === regionCode);
}

/** (b) A generic with VBP winners: non-winners match the winners; a national winner outside its supply regions ≤ 1.5×. */
export function checkVbpWinnerPrice(policy: ListingPolicy, price: string, applying: ApplyingProduct, winners: VbpWinner[]): ListingCheckResult {
  const code = 'VBP_WINNER_PRICE' as const;
  if (!winners.length) return { code, applicable: false, passed: true, referencePrice: null, source: null, detail: 'The generic has no VBP winners' };
  const own = winners.filter((w) => w.productId === applying.productId);
  if (own.length) {
    const winner = own.reduce((a, b) => (compareUnitPrices(b.awardedUnitPrice, a.awardedUnitPrice) < 0 ? b : a));
    const outside = winner.national && !supplies(winner, applying.regionCode);
    const multiplier = outside ? policy.nationalWinnerOutsideSupplyMultiplier : policy.winnerInsideSupplyMultiplier;
    const cap = formatUnitPrice(new Dec(winner.awardedUnitPrice).times(multiplier));
    const passed = compareUnitPrices(price, cap) <= 0;
    return {
      code,
      applicable: true,
      passed,
      referencePrice: cap,
      source: winner.source,
      detail: `${outside ? 'National winner outside its supply regions' : 'Winner in its supply regions'}: cap ${multiplier} × winning price ${formatUnitPrice(winner.awardedUnitPrice)}`,
    };
  }
  if (!applying.specFactor) {
    return { code, applicable: true, passed: false, referencePrice: null, source: null, detail: 'The product has no spec factor to compare with the winners; a reviewer decides' };
  }
  // Highest winning price per reference unit, converted to the applicant's spec.
  let best: { perReference: InstanceType<typeof Dec>; winner: VbpWinner } | null = null;
  for (const w of winners) {
    const perReference = new Dec(w.awardedUnitPrice).div(w.specFactor);
    if (!best || perReference.gt(best.perReference)) best = { perReference, winner: w };
  }
  const cap = formatUnitPrice(best!.perReference.times(applying.specFactor).times(policy.nonWinnerMultiplier));
  const passed = compareUnitPrices(price, cap) <= 0;
  return {
    code,
    applicable: true,
    passed,
    referencePrice: cap,
    source: best!.winner.source,
    detail: `Non-winner: cap ${policy.nonWinnerMultiplier} × highest winning price converted to this spec`,
  };
}

/** (c) A non-evaluated generic is refused once more than N evaluated versions are listed. */
export function checkNonEvaluatedGeneric(
  policy: ListingPolicy,
  product: { kind: string; consistencyStatus: string | null },
  evaluatedVersionsListed: number,
): ListingCheckResult {
  const code = 'NON_EVALUATED_GENERIC' as const;
  if (product.kind !== 'DRUG' || product.consistencyStatus !== 'NOT_EVALUATED') {
    return { code, applicable: false, passed: true, referencePrice: null, source: null, detail: 'Not a non-evaluated generic' };
  }
  const passed = evaluatedVersionsListed <= policy.maxEvaluatedVersionsForNonEvaluated;
  return {
    code,
    applicable: true,
    passed,
    referencePrice: null,
    source: `${evaluatedVersionsListed} evaluated versions listed`,
    detail: passed
      ? `At most ${policy.maxEvaluatedVersionsForNonEvaluated} evaluated versions are listed`
      : `${evaluatedVersionsListed} evaluated versions are listed (more than ${policy.maxEvaluatedVersionsForNonEvaluated})`,
  };
}

/** (d) The credit check's outcome as a check row (a failing credit check refuses the application outright). */
export function creditCheckResult(passed: boolean, detail: string): ListingCheckResult {
  return { code: 'CREDIT', applicable: true, passed, referencePrice: null, source: null, detail };
}

/** All checks pass → LISTED at once; any fails → PENDING_REVIEW. */
export function listingOutcome(checks: ListingCheckResult[]): 'LISTED' | 'PENDING_REVIEW' {
  return checks.every((c) => c.passed) ? 'LISTED' : 'PENDING_REVIEW';
}

/** Linkage (价格联动): a listing priced above a newly known four-same price must cut. */
export function needsLinkageCut(listingPrice: string, newReferencePrice: string): boolean {
  return compareUnitPrices(listingPrice, newReferencePrice) > 0;
}

// ---- price changes of a listed product (调价) ---------------------------------------------------------------

/**
 * How a change of a listed price is governed, as versioned data. A decrease that passes every listing check
 * may take effect at once; any increase waits for a regulator with evidence; a large increase needs a second,
 * different regulator (maker-checker).
 */
export interface PriceChangePolicy {
  version: string;
  /** A decrease whose listing checks all pass is approved by the system (else one regulator decides). */
  autoApproveDecreasesPassingChecks: boolean;
  /** Regulators who must approve any increase (at least 1). */
  increaseReviewers: number;
  /** An increase strictly above this share of the current price (e.g. '0.10' = +10%) needs this many reviewers. */
  largeIncreaseShare: string;
  largeIncreaseReviewers: number;
  /** Evidence documents (cost documents, raw-material notices) an increase must carry. */
  minIncreaseEvidence: number;
  /** Kinds of evidence accepted. */
  evidenceKinds: readonly string[];
}

export const PRICE_CHANGE_POLICY_2026: PriceChangePolicy = {
  version: 'PRICE-CHANGE-2026-1',
  autoApproveDecreasesPassingChecks: true,
  increaseReviewers: 1,
  largeIncreaseShare: '0.10',
  largeIncreaseReviewers: 2,
  minIncreaseEvidence: 1,
  evidenceKinds: ['COST_DOCUMENT', 'RAW_MATERIAL_NOTICE', 'OTHER'],
};

export const PRICE_CHANGE_POLICIES: Record<string, PriceChangePolicy> = { [PRICE_CHANGE_POLICY_2026.version]: PRICE_CHANGE_POLICY_2026 };
export const DEFAULT_PRICE_CHANGE_POLICY = PRICE_CHANGE_POLICY_2026;

export type PriceDirection = 'DECREASE' | 'INCREASE';

export interface PriceChangeRoute {
  direction: PriceDirection;
  /** (proposed − current) / current, exact, 4 decimals (e.g. '-0.0400', '798.4000'). */
  changeShare: string;
  /** 0: the system approves now; otherwise the number of different regulators who must approve. */
  reviewsRequired: number;
  /** Why this route, for the applicant and the reviewer. */
  detail: string;
}

/**
 * Routes a change of a listed price under the policy. Equal prices are not a change (the caller refuses them).
 * Increases never take effect without review, whatever the checks say.
 */
export function priceChangeRoute(
  policy: PriceChangePolicy,
  current: string,
  proposed: string,
  checks: ListingCheckResult[],
  /** A credit reward (守信激励, credit policy data): the applicant's decreases get simplified review. */
  credit: { simplifiedDecreaseReview: boolean; grade?: string } = { simplifiedDecreaseReview: false },
): PriceChangeRoute {
  const share = new Dec(proposed).minus(current).div(current);
  const changeShare = share.toFixed(4, Dec.ROUND_HALF_UP);
  if (compareUnitPrices(proposed, current) < 0) {
    const passed = checks.every((c) => c.passed);
    if (passed && policy.autoApproveDecreasesPassingChecks) {
      return { direction: 'DECREASE', changeShare, reviewsRequired: 0, detail: 'Decrease passing every listing check: approved by policy' };
    }
    if (credit.simplifiedDecreaseReview) {
      return { direction: 'DECREASE', changeShare, reviewsRequired: 0, detail: `Decrease by a manufacturer of credit grade ${credit.grade ?? 'A'}: simplified review (credit reward), approved by policy` };
    }
    return { direction: 'DECREASE', changeShare, reviewsRequired: 1, detail: passed ? 'Decrease: a regulator decides' : 'Decrease failing a listing check: a regulator decides' };
  }
  const large = share.gt(policy.largeIncreaseShare);
  const reviewsRequired = Math.max(1, large ? policy.largeIncreaseReviewers : policy.increaseReviewers);
  return {
    direction: 'INCREASE',
    changeShare,
    reviewsRequired,
    detail: large
      ? `Increase above ${new Dec(policy.largeIncreaseShare).times(100).toString()}%: ${reviewsRequired} different regulators must approve`
      : `Increase: ${reviewsRequired} regulator(s) must approve`,
  };
}
export * from './payment-standards';
