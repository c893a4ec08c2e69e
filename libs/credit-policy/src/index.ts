/**
 * Price and procurement credit rating (医药价格和招采信用评价) as data and pure functions: a policy version says
 * which level each behaviour earns (by single amount where the behaviour has amount bands), how far back
 * events count, and what each level's sanctions are. No Nest, no TypeORM.
 */

export const CREDIT_BEHAVIOURS = [
  'KICKBACK',
  'TAX_VIOLATION',
  'MONOPOLY',
  'UNFAIR_PRICE',
  'DISTURBING_PROCUREMENT_ORDER',
  'BREACH_OF_CONTRACT',
  'BREACH_OF_SUPPLY',
] as const;
export type CreditBehaviour = (typeof CREDIT_BEHAVIOURS)[number];

export type CreditLevel = 'GENERAL' | 'MEDIUM' | 'SERIOUS' | 'PARTICULARLY_SERIOUS';
/** Every level any policy may use, from mildest to worst; 'NONE' is a clean rating. */
export const CREDIT_LEVELS: readonly CreditLevel[] = ['GENERAL', 'MEDIUM', 'SERIOUS', 'PARTICULARLY_SERIOUS'];
export type CreditRatingLevel = CreditLevel | 'NONE';

export interface Sanctions {
  writtenReminder: boolean;
  /** A risk notice hospitals see on the organisation's products. */
  riskNotice: boolean;
  /** Bidding, listing and delivery of the products involved in the rated events are suspended. */
  suspendProductsInvolved: boolean;
  /** All the organisation's products are suspended in the province. */
  suspendAllProducts: boolean;
  publicDisclosure: boolean;
}

export interface BehaviourRule {
  /** Bands by single amount in fen, checked from the highest; an amount below every band earns no level. */
  amountBands?: { minFen: bigint; level: CreditLevel }[];
  /** Level when the behaviour has no amount bands, or no amount was recorded. */
  level?: CreditLevel;
}

export interface CreditPolicy {
  version: string;
  /** Levels of this model, mildest first. */
  levels: readonly CreditLevel[];
  lookbackYears: number;
  behaviours: Record<CreditBehaviour, BehaviourRule>;
  sanctions: Record<CreditLevel, Sanctions>;
}

const yuan = (n: number): bigint => BigInt(n) * 100n;
const NO_SANCTION: Sanctions = { writtenReminder: false, riskNotice: false, suspendProductsInvolved: false, suspendAllProducts: false, publicDisclosure: false };

const SANCTIONS_FOUR_LEVEL: Record<CreditLevel, Sanctions> = {
  GENERAL: { ...NO_SANCTION, writtenReminder: true },
  MEDIUM: { ...NO_SANCTION, writtenReminder: true, riskNotice: true },
  SERIOUS: { ...NO_SANCTION, writtenReminder: true, riskNotice: true, suspendProductsInvolved: true, publicDisclosure: true },
  PARTICULARLY_SERIOUS: { writtenReminder: true, riskNotice: true, suspendProductsInvolved: true, suspendAllProducts: true, publicDisclosure: true },
};

/**
 * The 2020 four-level model (国家医保局 医药价格和招采信用评价, 2020): kickbacks by single amount; the other
 * behaviours per the platform's default table below, which a new version can change.
 */
export const CREDIT_POLICY_2020: CreditPolicy = {
  version: 'CREDIT-2020-4L',
  levels: ['GENERAL', 'MEDIUM', 'SERIOUS', 'PARTICULARLY_SERIOUS'],
  lookbackYears: 3,
  behaviours: {
    KICKBACK: {
      amountBands: [
        { minFen: yuan(2_000_000), level: 'PARTICULARLY_SERIOUS' },
        { minFen: yuan(300_000), level: 'SERIOUS' },
        { minFen: yuan(100_000), level: 'MEDIUM' },
        { minFen: yuan(10_000), level: 'GENERAL' },
      ],
      level: 'GENERAL',
    },
    TAX_VIOLATION: {
      amountBands: [
        { minFen: yuan(5_000_000), level: 'PARTICULARLY_SERIOUS' },
        { minFen: yuan(1_000_000), level: 'SERIOUS' },
        { minFen: yuan(100_000), level: 'MEDIUM' },
        { minFen: yuan(10_000), level: 'GENERAL' },
      ],
      level: 'GENERAL',
    },
    MONOPOLY: { level: 'SERIOUS' },
    UNFAIR_PRICE: { level: 'MEDIUM' },
    DISTURBING_PROCUREMENT_ORDER: { level: 'SERIOUS' },
    BREACH_OF_CONTRACT: { level: 'GENERAL' },
    BREACH_OF_SUPPLY: { level: 'MEDIUM' },
  },
  sanctions: SANCTIONS_FOUR_LEVEL,
};

/** The 2025 three-level model: 一般 / 严重 / 特别严重; medium is not used. */
export const CREDIT_POLICY_2025: CreditPolicy = {
  version: 'CREDIT-2025-3L',
  levels: ['GENERAL', 'SERIOUS', 'PARTICULARLY_SERIOUS'],
  lookbackYears: 3,
  behaviours: {
    KICKBACK: {
      amountBands: [
        { minFen: yuan(2_000_000), level: 'PARTICULARLY_SERIOUS' },
        { minFen: yuan(300_000), level: 'SERIOUS' },
        { minFen: yuan(10_000), level: 'GENERAL' },
      ],
      level: 'GENERAL',
    },
    TAX_VIOLATION: {
      amountBands: [
        { minFen: yuan(5_000_000), level: 'PARTICULARLY_SERIOUS' },
        { minFen: yuan(1_000_000), level: 'SERIOUS' },
        { minFen: yuan(10_000), level: 'GENERAL' },
      ],
      level: 'GENERAL',
    },
    MONOPOLY: { level: 'SERIOUS' },
    UNFAIR_PRICE: { level: 'GENERAL' },
    DISTURBING_PROCUREMENT_ORDER: { level: 'SERIOUS' },
    BREACH_OF_CONTRACT: { level: 'GENERAL' },
    BREACH_OF_SUPPLY: { level: 'SERIOUS' },
  },
  sanctions: {
    GENERAL: { ...NO_SANCTION, writtenReminder: true, riskNotice: true },
    MEDIUM: { ...NO_SANCTION, writtenReminder: true, riskNotice: true },
    SERIOUS: SANCTIONS_FOUR_LEVEL.SERIOUS,
    PARTICULARLY_SERIOUS: SANCTIONS_FOUR_LEVEL.PARTICULARLY_SERIOUS,
  },
};

export const CREDIT_POLICIES: Record<string, CreditPolicy> = {
  [CREDIT_POLICY_2020.version]: CREDIT_POLICY_2020,
  [CREDIT_POLICY_2025.version]: CREDIT_POLICY_2025,
};
export const DEFAULT_CREDIT_POLICY = CREDIT_POLICY_2020;

export function creditPolicy(version: string): CreditPolicy {
  const policy = CREDIT_POLICIES[version];
  if (!policy) throw new Error(`unknown credit policy version ${version}`);
  return policy;
}

export function levelRank(level: CreditRatingLevel): number {
  return level === 'NONE' ? 0 : CREDIT_LEVELS.indexOf(level) + 1;
}

export function worse(a: CreditRatingLevel, b: CreditRatingLevel): CreditRatingLevel {
  return levelRank(b) > levelRank(a) ? b : a;
}

/** The level one event earns under a policy, or NONE (e.g. a kickback below the lowest band). */
export function levelOfEvent(policy: CreditPolicy, event: { behaviour: CreditBehaviour; amountFen: bigint | null }): CreditRatingLevel {
  const rule = policy.behaviours[event.behaviour];
  if (!rule) throw new Error(`behaviour ${event.behaviour} is not in policy ${policy.version}`);
  if (rule.amountBands && event.amountFen !== null) {
    const band = rule.amountBands.find((b) => event.amountFen! >= b.minFen);
    return band ? band.level : 'NONE';
  }
  return rule.level ?? 'NONE';
}

export interface RatedEvent {
  id: string;
  behaviour: CreditBehaviour;
  amountFen: bigint | null;
  /** YYYY-MM-DD */
  occurredOn: string;
  productIds: string[];
  /** Cleared by an approved credit repair: kept in history, no longer counted. */
  cleared: boolean;
  /** A regulator's REDUCE decision: the event counts at most at this level. */
  levelCap?: CreditLevel | null;
}

export interface Rating {
  policyVersion: string;
  level: CreditRatingLevel;
  sanctions: Sanctions;
  /** Products whose bidding, listing and delivery are suspended (when only the products involved are). */
  suspendedProductIds: string[];
  decidingEventIds: string[];
}

/** The first day that still counts for a rating on `asOf` (YYYY-MM-DD): exactly lookbackYears earlier. */
export function lookbackStart(asOf: string, years: number): string {
  const [y, m, d] = asOf.split('-').map((p) => parseInt(p, 10));
  const start = new Date(Date.UTC(y - years, m - 1, d));
  // 29 Feb minus whole years falls on 1 Mar in a common year; that is the later, fairer bound.
  return start.toISOString().slice(0, 10);
}

/**
 * The rating on date `asOf` from an organisation's events: the worst level earned by an uncleared event
 * that occurred within the lookback window (and not after asOf). Suspended products are those involved in
 * events earning a level whose sanctions suspend the products involved.
 */
/** The level an event takes effect at: the policy's level for it, never worse than a decision's cap. */
export function cappedLevel(policyLevel: CreditRatingLevel, cap: CreditLevel | null | undefined): CreditRatingLevel {
  return cap && levelRank(cap) < levelRank(policyLevel) ? cap : policyLevel;
}

export function rate(policy: CreditPolicy, events: RatedEvent[], asOf: string): Rating {
  const from = lookbackStart(asOf, policy.lookbackYears);
  let level: CreditRatingLevel = 'NONE';
  const counted: { id: string; level: CreditRatingLevel; productIds: string[] }[] = [];
  for (const event of events) {
    if (event.cleared || event.occurredOn < from || event.occurredOn > asOf) continue;
    const eventLevel = cappedLevel(levelOfEvent(policy, event), event.levelCap);
    if (eventLevel === 'NONE') continue;
    counted.push({ id: event.id, level: eventLevel, productIds: event.productIds });
    level = worse(level, eventLevel);
  }
  const sanctions = level === 'NONE' ? NO_SANCTION : policy.sanctions[level];
  const suspended = new Set<string>();
  for (const c of counted) {
    if (c.level !== 'NONE' && policy.sanctions[c.level].suspendProductsInvolved) c.productIds.forEach((p) => suspended.add(p));
  }
  return {
    policyVersion: policy.version,
    level,
    sanctions: { ...sanctions },
    suspendedProductIds: [...suspended].sort(),
    decidingEventIds: counted.filter((c) => c.level === level).map((c) => c.id).sort(),
  };
}

/** True when a product of the rated organisation may not be bid, listed or delivered. */
export function productSuspended(rating: Pick<Rating, 'sanctions' | 'suspendedProductIds'>, productId: string): boolean {
  return rating.sanctions.suspendAllProducts || (rating.sanctions.suspendProductsInvolved && rating.suspendedProductIds.includes(productId));
}

export * from './due-process';
