/**
 * Settlement rules as pure functions: line amounts, due dates, ageing buckets, prepayment and retained
 * savings. Every threshold lives in a versioned policy object; what a rule decided stores the version.
 */
import { lineAmountFen, mulRatioFen } from '@libs/money';

export const HOSPITAL_SCORES = ['A', 'B', 'C', 'D'] as const;
export type HospitalScore = (typeof HOSPITAL_SCORES)[number];

export interface SettlementPolicy {
  version: string;
  /** A payable line is due this many days after its accepted receipt. */
  paymentDueDays: number;
  /** Upper bounds (inclusive, in days since acceptance) of the ageing buckets; the last bucket is open. */
  ageingBucketBounds: readonly number[];
  /** Share of the annual agreed amount prepaid to a hospital when agreements are confirmed. */
  prepaymentShare: string;
  /** Share of savings a hospital keeps, by its score. */
  retainedShareByScore: Readonly<Record<HospitalScore, string>>;
}

export const SETTLEMENT_POLICY_2026: SettlementPolicy = Object.freeze({
  version: 'settlement-2026.1',
  paymentDueDays: 30,
  ageingBucketBounds: Object.freeze([30, 60, 90]),
  prepaymentShare: '0.30',
  retainedShareByScore: Object.freeze({ A: '0.50', B: '0.40', C: '0.30', D: '0' }),
});

const POLICIES = new Map<string, SettlementPolicy>([[SETTLEMENT_POLICY_2026.version, SETTLEMENT_POLICY_2026]]);

export const CURRENT_SETTLEMENT_POLICY = SETTLEMENT_POLICY_2026;

export function settlementPolicy(version: string): SettlementPolicy {
  const policy = POLICIES.get(version);
  if (!policy) throw new Error(`Unknown settlement policy version ${version}`);
  return policy;
}

/** Amount of one settleable line in fen: round-half-up(unit price × quantity); negative for returns. */
export function settledLineAmountFen(unitPrice: string, quantity: bigint | number): bigint {
  return lineAmountFen(unitPrice, quantity);
}

const DAY_MS = 86_400_000;

/** Due instant: acceptance + the policy's days (exact days, so the same wall-clock time in Asia/Shanghai). */
export function dueAt(acceptedAt: Date, policy: SettlementPolicy = CURRENT_SETTLEMENT_POLICY): Date {
  return new Date(acceptedAt.getTime() + policy.paymentDueDays * DAY_MS);
}

export type AgeingBucket = 'DAYS_0_30' | 'DAYS_31_60' | 'DAYS_61_90' | 'OVER_90';
export const AGEING_BUCKETS: readonly AgeingBucket[] = ['DAYS_0_30', 'DAYS_31_60', 'DAYS_61_90', 'OVER_90'];

/** Whole days elapsed since acceptance (a line accepted today is 0 days old). */
export function ageInDays(acceptedAt: Date, asOf: Date): number {
  return Math.max(0, Math.floor((asOf.getTime() - acceptedAt.getTime()) / DAY_MS));
}

/** Bucket index for an age in days: 0–30 → 0, 31–60 → 1, 61–90 → 2, > 90 → 3 (with the default bounds). */
export function ageingBucketIndex(days: number, policy: SettlementPolicy = CURRENT_SETTLEMENT_POLICY): number {
  const bounds = policy.ageingBucketBounds;
  for (let i = 0; i < bounds.length; i++) if (days <= bounds[i]) return i;
  return bounds.length;
}

export function ageingBucket(days: number, policy: SettlementPolicy = CURRENT_SETTLEMENT_POLICY): AgeingBucket {
  return AGEING_BUCKETS[ageingBucketIndex(days, policy)];
}

/** Prepayment for a hospital: round-half-up(annual agreed amount × share). */
export function prepaymentAmountFen(annualAgreedFen: bigint, policy: SettlementPolicy = CURRENT_SETTLEMENT_POLICY): bigint {
  return mulRatioFen(annualAgreedFen, policy.prepaymentShare);
}

/**
 * How a settlement draws on a hospital's accounts: VBP purchases use the prepayment first (never below zero),
 * the rest comes from the ordinary fund entitlement. Returns (negative amounts) go back to the entitlement.
 */
export function splitDrawdown(prepaymentBalanceFen: bigint, vbpAmountFen: bigint, totalAmountFen: bigint): { fromPrepaymentFen: bigint; fromEntitlementFen: bigint } {
  let draw = vbpAmountFen < prepaymentBalanceFen ? vbpAmountFen : prepaymentBalanceFen;
  if (draw < 0n) draw = 0n;
  return { fromPrepaymentFen: draw, fromEntitlementFen: totalAmountFen - draw };
}

export interface RetainedSavings {
  budgetFen: bigint;
  spentFen: bigint;
  savingsFen: bigint;
  retainedFen: bigint;
  share: string;
  policyVersion: string;
}

/**
 * 结余留用: savings = VBP budget (agreed volume × pre-VBP price, per agreement) − actual VBP spending, never
 * below zero; the hospital keeps its score's share of it.
 */
export function retainedSavings(
  agreements: readonly { agreedQuantity: bigint | number; preVbpUnitPrice: string }[],
  spentFen: bigint,
  score: HospitalScore,
  policy: SettlementPolicy = CURRENT_SETTLEMENT_POLICY,
): RetainedSavings {
  let budgetFen = 0n;
  for (const a of agreements) budgetFen += lineAmountFen(a.preVbpUnitPrice, a.agreedQuantity);
  const raw = budgetFen - spentFen;
  const savingsFen = raw > 0n ? raw : 0n;
  const share = policy.retainedShareByScore[score];
  return { budgetFen, spentFen, savingsFen, retainedFen: mulRatioFen(savingsFen, share), share, policyVersion: policy.version };
}
export * from './payee-account';
export * from './bank-statement';
