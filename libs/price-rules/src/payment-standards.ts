/**
 * Payment standards (医保支付标准) as a pure function over versioned policy data. For a variety with VBP
 * winners: each winning spec's standard is its awarded price per unit of the spec; a non-winning product of
 * the same variety converges in yearly steps from its listing price towards the VBP standard converted to its
 * spec, never below it. Exact decimals (4 places, half-up); no JS floats.
 */
import { Dec, formatUnitPrice } from '@libs/money';

/** Why a standard is what it is: the database CHECK and the GraphQL field are written from this one list. */
export const PAYMENT_STANDARD_BASES = ['VBP_AWARD', 'CONVERGENCE'] as const;
export type PaymentStandardBasis = (typeof PAYMENT_STANDARD_BASES)[number];

export interface PaymentStandardPolicy {
  version: string;
  /**
   * A non-winner's standard closes the gap between its listing price and the VBP standard in this many yearly
   * steps (3: a third of the gap per year; at VBP level from the third year of the award on).
   */
  convergenceYears: number;
}

export const PAYMENT_STANDARD_POLICY_2025: PaymentStandardPolicy = { version: 'PAYSTD-2025-1', convergenceYears: 3 };
export const PAYMENT_STANDARD_POLICIES: Record<string, PaymentStandardPolicy> = { [PAYMENT_STANDARD_POLICY_2025.version]: PAYMENT_STANDARD_POLICY_2025 };
export const DEFAULT_PAYMENT_STANDARD_POLICY = PAYMENT_STANDARD_POLICY_2025;

export interface AwardedSpec {
  productId: string;
  varietySpecId: string;
  /** The awarded price per unit of the spec. */
  awardedUnitPrice: string;
  /** Reference units per unit of the spec (variety_spec.comparable_factor). */
  specFactor: string;
  source: string;
}

export interface NonWinnerProduct {
  productId: string;
  varietySpecId: string;
  specFactor: string;
  /** The listing price in force per unit of its spec. */
  listingUnitPrice: string;
}

export interface ComputedPaymentStandard {
  varietySpecId: string;
  /** Null for a spec-wide standard (VBP_AWARD); the product for a non-winner's converged standard. */
  productId: string | null;
  unitPrice: string;
  basis: PaymentStandardBasis;
  source: string;
}

/** Asia/Shanghai calendar date parts of an instant (UTC+8, no daylight saving). */
function shanghaiParts(at: Date): [number, number, number] {
  const d = new Date(at.getTime() + 8 * 3600_000);
  return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
}

/** The award year an instant falls in, 1 from the award's start (Asia/Shanghai anniversaries); 0 before it. */
export function awardYear(awardStart: Date, at: Date): number {
  if (at.getTime() < awardStart.getTime()) return 0;
  const [y0, m0, d0] = shanghaiParts(awardStart);
  const [y1, m1, d1] = shanghaiParts(at);
  let years = y1 - y0;
  if (m1 < m0 || (m1 === m0 && d1 < d0)) years -= 1;
  return years + 1;
}

/**
 * The standards of one variety at `effectiveFrom`, ordered by spec then product. Winners of the same spec
 * share its standard: the highest awarded price of that spec. The VBP standard per reference unit is the
 * highest awarded price ÷ spec factor among the winners; a non-winner's VBP floor is that × its own factor.
 */
export function computePaymentStandards(input: {
  policy: PaymentStandardPolicy;
  awardStart: Date;
  effectiveFrom: Date;
  winners: AwardedSpec[];
  nonWinners: NonWinnerProduct[];
}): ComputedPaymentStandard[] {
  const { policy, winners } = input;
  if (!winners.length) return [];
  if (!Number.isInteger(policy.convergenceYears) || policy.convergenceYears < 1) throw new Error(`policy ${policy.version}: convergenceYears must be a positive integer`);
  const bySpec = new Map<string, AwardedSpec[]>();
  for (const w of winners) bySpec.set(w.varietySpecId, [...(bySpec.get(w.varietySpecId) ?? []), w]);
  const out: ComputedPaymentStandard[] = [];
  for (const [varietySpecId, list] of bySpec) {
    const top = list.reduce((a, b) => (new Dec(b.awardedUnitPrice).gt(a.awardedUnitPrice) ? b : a));
    const sources = [...new Set(list.map((w) => w.source))].sort();
    out.push({ varietySpecId, productId: null, unitPrice: formatUnitPrice(top.awardedUnitPrice), basis: 'VBP_AWARD', source: sources.join('; ') });
  }
  const perReference = winners.map((w) => new Dec(w.awardedUnitPrice).div(w.specFactor)).reduce((a, b) => (b.gt(a) ? b : a));
  const year = Math.min(awardYear(input.awardStart, input.effectiveFrom), policy.convergenceYears);
  const share = new Dec(year).div(policy.convergenceYears);
  const winnerIds = new Set(winners.map((w) => w.productId));
  for (const p of input.nonWinners) {
    if (winnerIds.has(p.productId)) continue;
    const floor = new Dec(formatUnitPrice(perReference.mul(p.specFactor)));
    const listing = new Dec(p.listingUnitPrice);
    let standard: Dec = floor;
    if (listing.gt(floor)) {
      const converged = listing.minus(listing.minus(floor).mul(share));
      standard = converged.lt(floor) ? floor : converged;
    }
    out.push({
      varietySpecId: p.varietySpecId,
      productId: p.productId,
      unitPrice: formatUnitPrice(standard),
      basis: 'CONVERGENCE',
      source: `listing ${formatUnitPrice(listing)} → VBP ${formatUnitPrice(floor)}, year ${year}/${policy.convergenceYears} (${policy.version})`,
    });
  }
  return out.sort((a, b) => a.varietySpecId.localeCompare(b.varietySpecId) || (a.productId ?? '').localeCompare(b.productId ?? ''));
}
