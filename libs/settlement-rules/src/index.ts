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

/** One agreement as the retained-savings rules read it: its hospital, the quantity budgeted, the pre-VBP price. */
export interface SavingsAgreement {
  hospitalId: string;
  /** Agreed quantity for the whole cycle, or the annual quantity for one agreement year. */
  quantity: bigint;
  /** Null when the hospital has no pre-VBP purchases to price it: it adds nothing to the budget. */
  preVbpUnitPrice: string | null;
}

export interface HospitalRetainedSavings extends RetainedSavings {
  hospitalId: string;
  /** Null until a regulator scores the hospital; an unscored hospital retains nothing (share 0). */
  score: HospitalScore | null;
}

/**
 * 结余留用 for every hospital of a set of agreements (a round's cycle, or one agreement year): the budget of its
 * agreements, its spending on them, and its score's share of the savings. One row per hospital, in order of
 * first appearance. The report and the year-end accrual both use this, so what is paid is what is reported.
 */
export function retainedSavingsByHospital(
  agreements: readonly SavingsAgreement[],
  spentByHospital: ReadonlyMap<string, bigint>,
  scoreByHospital: ReadonlyMap<string, HospitalScore>,
  policy: SettlementPolicy = CURRENT_SETTLEMENT_POLICY,
): HospitalRetainedSavings[] {
  const byHospital = new Map<string, { agreedQuantity: bigint; preVbpUnitPrice: string }[]>();
  for (const a of agreements) {
    const list = byHospital.get(a.hospitalId) ?? [];
    if (a.preVbpUnitPrice !== null) list.push({ agreedQuantity: a.quantity, preVbpUnitPrice: a.preVbpUnitPrice });
    byHospital.set(a.hospitalId, list);
  }
  return [...byHospital.entries()].map(([hospitalId, list]) => {
    const score = scoreByHospital.get(hospitalId) ?? null;
    const r = retainedSavings(list, spentByHospital.get(hospitalId) ?? 0n, score ?? 'D', policy);
    return { hospitalId, score, ...r, retainedFen: score ? r.retainedFen : 0n, share: score ? r.share : '0' };
  });
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/**
 * Agreement year `year` (1-based) of a cycle starting at `cycleStart`: [start + (year − 1) years, start + year
 * years), counted on the Asia/Shanghai calendar (UTC+8 all year, no daylight saving), so a cycle starting at
 * midnight on 1 January in Shanghai has calendar years as agreement years.
 */
export function agreementYearWindow(cycleStart: Date, year: number): { start: Date; end: Date } {
  if (!Number.isInteger(year) || year < 1) throw new RangeError('agreement year is a whole number from 1');
  const shift = (years: number) => {
    const local = new Date(cycleStart.getTime() + SHANGHAI_OFFSET_MS);
    local.setUTCFullYear(local.getUTCFullYear() + years);
    return new Date(local.getTime() - SHANGHAI_OFFSET_MS);
  };
  return { start: shift(year - 1), end: shift(year) };
}

/** Who the fund pays for a line under a region's payee policy (两票制). */
export const PAYEE_RULES = ['MANUFACTURER', 'DISTRIBUTOR'] as const;
export type PayeeRule = (typeof PAYEE_RULES)[number];

export interface RegionPolicyVersion {
  /** Region path of the region that set it ('410000', '410000/410100'). */
  regionPath: string;
  effectiveFrom: Date;
  version: number;
  payee: PayeeRule;
}

/**
 * The policy in force for a region at an instant: among the policies of the region and its ancestors already in
 * effect, the nearest region's latest (then highest version). Null: none, which settles as MANUFACTURER.
 * Settlement evaluates the same rule set-based in SQL (TAKE_CANDIDATES_SQL).
 */
export function policyInForce<P extends RegionPolicyVersion>(policies: readonly P[], regionPath: string, at: Date): P | null {
  let best: P | null = null;
  for (const p of policies) {
    if (p.effectiveFrom.getTime() > at.getTime()) continue;
    if (!(regionPath === p.regionPath || regionPath.startsWith(`${p.regionPath}/`))) continue;
    if (
      !best ||
      p.regionPath.length > best.regionPath.length ||
      (p.regionPath.length === best.regionPath.length && (p.effectiveFrom.getTime() > best.effectiveFrom.getTime() || (p.effectiveFrom.getTime() === best.effectiveFrom.getTime() && p.version > best.version)))
    ) best = p;
  }
  return best;
}

export interface ChainLine {
  manufacturerId: string;
  /** The order's distributor; null when unknown. */
  distributorId: string | null;
  /** What the hospital is charged (the line amount). */
  amountFen: bigint;
  /** The manufacturer → distributor invoice's amount for the line; null when none is recorded. */
  supplyAmountFen: bigint | null;
}

/**
 * Each party's side of a settled line under the payee rule: the fund pays `payeeId` the line amount; between the
 * other two parties, `debtorId` owes `creditorId` `chainFen` outside the fund's payment — under MANUFACTURER the
 * distribution fee (sale − supply) the manufacturer owes the distributor, under DISTRIBUTOR the supply amount the
 * distributor owes the manufacturer. No chain side without a recorded supply invoice or a separate distributor.
 */
export function invoiceChainSides(rule: PayeeRule, line: ChainLine): { payeeId: string; chain: { debtorId: string; creditorId: string; chainFen: bigint } | null } {
  const byDistributor = rule === 'DISTRIBUTOR' && line.distributorId !== null;
  const payeeId = byDistributor ? line.distributorId! : line.manufacturerId;
  if (line.supplyAmountFen === null || line.distributorId === null || line.distributorId === line.manufacturerId) return { payeeId, chain: null };
  const chain = byDistributor
    ? { debtorId: line.distributorId, creditorId: line.manufacturerId, chainFen: line.supplyAmountFen }
    : { debtorId: line.manufacturerId, creditorId: line.distributorId, chainFen: line.amountFen - line.supplyAmountFen };
  return { payeeId, chain: chain.chainFen === 0n ? null : chain };
}

/**
 * What a batch does with a hospital's receipt line against its allotment (额度), given the hospital's drawing up
 * to and including the line (`cumulativeFen`): paid within the allotment; beyond it, while the drawing stays
 * within allotment + the policy's advance limit, paid with the part beyond the allotment recorded as an advance
 * (垫付); beyond that, or without an allotment, held. Returns (amount ≤ 0) always pass. TAKE_CANDIDATES_SQL
 * decides the same set-based.
 */
export function allotmentDecision(
  amountFen: bigint,
  cumulativeFen: bigint,
  allotmentFen: bigint | null,
  advanceLimitFen: bigint = 0n,
): { hold: 'ALLOTMENT_MISSING' | 'ALLOTMENT_EXCEEDED' | null; advanceFen: bigint } {
  if (amountFen <= 0n) return { hold: null, advanceFen: 0n };
  if (allotmentFen === null) return { hold: 'ALLOTMENT_MISSING', advanceFen: 0n };
  if (cumulativeFen > allotmentFen + advanceLimitFen) return { hold: 'ALLOTMENT_EXCEEDED', advanceFen: 0n };
  const beyond = cumulativeFen - allotmentFen;
  return { hold: null, advanceFen: beyond <= 0n ? 0n : beyond < amountFen ? beyond : amountFen };
}
