/**
 * Due process of credit evaluation (信用评价告知、陈述申辩、复核) and credit points, as versioned data and pure
 * functions. A credit event first becomes a notice to the rated organisation; it may reply (statements and
 * documents) within `replyWorkingDays`; a regulator then decides — UPHOLD, REDUCE (to a milder level) or
 * WITHDRAW — with reasons; only the decision puts the event into the rating. The organisation may appeal the
 * decision within `appealWorkingDays` to the provincial regulator, who decides the same three ways.
 * Decided events earn points by their level; points are summed per period (calendar year, Asia/Shanghai, of
 * the event's occurrence); the points of the grade window give a grade, and grades carry rewards.
 */
import { CREDIT_LEVELS, CreditLevel, CreditRatingLevel, levelRank } from './index';

export const CREDIT_DECISIONS = ['UPHOLD', 'REDUCE', 'WITHDRAW'] as const;
export type CreditDecision = (typeof CREDIT_DECISIONS)[number];

export const CREDIT_GRADES = ['A', 'B', 'C', 'D'] as const;
export type CreditGrade = (typeof CREDIT_GRADES)[number];

export interface CreditRewards {
  /** 守信激励: price decreases of the organisation's listed products are approved at once (simplified review). */
  simplifiedPriceDecreaseReview: boolean;
  /** Shown on the public list of good-credit organisations (红名单). */
  publicCommendation: boolean;
}

export interface CreditProcessPolicy {
  version: string;
  /** Working days (Asia/Shanghai calendar) after the notice for statements and documents (陈述申辩). */
  replyWorkingDays: number;
  /** Working days after the decision to appeal to the provincial regulator. */
  appealWorkingDays: number;
  /** Points an event earns by the level it takes effect at. */
  pointsByLevel: Record<CreditLevel, number>;
  /** How many periods (calendar years, the current one included) the grade counts points over. */
  gradePeriods: number;
  /** Grades from best: the first whose maxPoints (inclusive; null = no bound) is not exceeded. */
  grades: { grade: CreditGrade; maxPoints: number | null }[];
  /** Grade A also needs a commitment letter on file this many months and no adverse rating in effect. */
  topGradeMinMonthsOnFile: number;
  rewards: Record<CreditGrade, CreditRewards>;
}

const NO_REWARD: CreditRewards = { simplifiedPriceDecreaseReview: false, publicCommendation: false };

export const CREDIT_PROCESS_POLICY_2026: CreditProcessPolicy = {
  version: 'CREDIT-PROCESS-2026-1',
  replyWorkingDays: 5,
  appealWorkingDays: 15,
  pointsByLevel: { GENERAL: 1, MEDIUM: 3, SERIOUS: 6, PARTICULARLY_SERIOUS: 12 },
  gradePeriods: 2,
  grades: [
    { grade: 'A', maxPoints: 0 },
    { grade: 'B', maxPoints: 2 },
    { grade: 'C', maxPoints: 5 },
    { grade: 'D', maxPoints: null },
  ],
  topGradeMinMonthsOnFile: 12,
  rewards: {
    A: { simplifiedPriceDecreaseReview: true, publicCommendation: true },
    B: NO_REWARD,
    C: NO_REWARD,
    D: NO_REWARD,
  },
};

export const CREDIT_PROCESS_POLICIES: Record<string, CreditProcessPolicy> = { [CREDIT_PROCESS_POLICY_2026.version]: CREDIT_PROCESS_POLICY_2026 };
export const DEFAULT_CREDIT_PROCESS_POLICY = CREDIT_PROCESS_POLICY_2026;

export function creditProcessPolicy(version: string): CreditProcessPolicy {
  const policy = CREDIT_PROCESS_POLICIES[version];
  if (!policy) throw new Error(`unknown credit process policy version ${version}`);
  return policy;
}

export type DecisionCheck = { ok: true; levelCap: CreditLevel | null; withdrawn: boolean } | { ok: false; field: string; reason: string };

/**
 * Checks a decision on a notice (or an appeal) against the level it would take effect at now (`current`):
 * UPHOLD keeps it; REDUCE needs a strictly milder level of the credit model; WITHDRAW takes the event out of
 * the rating. Reasons are required for every decision.
 */
export function checkDecision(current: CreditRatingLevel, decision: string, level: string | null | undefined, reasons: string): DecisionCheck {
  if (!(CREDIT_DECISIONS as readonly string[]).includes(decision)) return { ok: false, field: 'decision', reason: `decision is one of ${CREDIT_DECISIONS.join(', ')}` };
  if (!reasons?.trim()) return { ok: false, field: 'reasons', reason: '决定须说明理由' };
  if (decision === 'REDUCE') {
    if (!level || !(CREDIT_LEVELS as readonly string[]).includes(level)) return { ok: false, field: 'level', reason: `REDUCE names the level to reduce to (${CREDIT_LEVELS.join(', ')})` };
    if (levelRank(level as CreditLevel) >= levelRank(current)) return { ok: false, field: 'level', reason: `降级后的等级须轻于 ${current}` };
    return { ok: true, levelCap: level as CreditLevel, withdrawn: false };
  }
  if (level) return { ok: false, field: 'level', reason: 'Only REDUCE names a level' };
  return { ok: true, levelCap: null, withdrawn: decision === 'WITHDRAW' };
}


export function pointsFor(policy: CreditProcessPolicy, level: CreditRatingLevel): number {
  return level === 'NONE' ? 0 : policy.pointsByLevel[level];
}

export interface PointedEvent {
  /** YYYY-MM-DD of the occurrence; its year is the period. */
  occurredOn: string;
  points: number;
}

export interface CreditStanding {
  policyVersion: string;
  grade: CreditGrade;
  /** Points within the grade window. */
  points: number;
  /** Points per period (calendar year), newest first, only periods with events. */
  periods: { period: string; points: number; events: number }[];
  rewards: CreditRewards;
}

/**
 * The organisation's standing on `asOf` (YYYY-MM-DD): its decided, uncleared events' points summed per
 * calendar year; the grade from the points of the last `gradePeriods` years. Grade A (the best) also needs
 * a commitment letter on file for `topGradeMinMonthsOnFile` months and no adverse rating in effect; without
 * them an organisation with no points is B.
 */
export function creditStanding(
  policy: CreditProcessPolicy,
  events: PointedEvent[],
  asOf: string,
  context: { letterFiledOn: string | null; adverseRating: boolean },
): CreditStanding {
  const byPeriod = new Map<string, { points: number; events: number }>();
  for (const e of events) {
    if (e.occurredOn > asOf) continue;
    const period = e.occurredOn.slice(0, 4);
    const p = byPeriod.get(period) ?? { points: 0, events: 0 };
    p.points += e.points;
    p.events += 1;
    byPeriod.set(period, p);
  }
  const year = parseInt(asOf.slice(0, 4), 10);
  let points = 0;
  for (let y = year - policy.gradePeriods + 1; y <= year; y++) points += byPeriod.get(String(y))?.points ?? 0;
  let grade: CreditGrade = policy.grades.find((g) => g.maxPoints === null || points <= g.maxPoints)!.grade;
  if (grade === 'A') {
    const onFileSince = context.letterFiledOn;
    const monthsOnFile = onFileSince ? monthsBetween(onFileSince, asOf) : 0;
    if (!onFileSince || monthsOnFile < policy.topGradeMinMonthsOnFile || context.adverseRating) grade = policy.grades[1]?.grade ?? grade;
  }
  return {
    policyVersion: policy.version,
    grade,
    points,
    periods: [...byPeriod.entries()].sort(([a], [b]) => b.localeCompare(a)).map(([period, p]) => ({ period, ...p })),
    rewards: { ...policy.rewards[grade] },
  };
}

/** Whole months from date a to date b (YYYY-MM-DD), counting a month only when its day is reached. */
export function monthsBetween(a: string, b: string): number {
  const [ya, ma, da] = a.split('-').map((x) => parseInt(x, 10));
  const [yb, mb, db] = b.split('-').map((x) => parseInt(x, 10));
  return (yb - ya) * 12 + (mb - ma) - (db < da ? 1 : 0);
}
