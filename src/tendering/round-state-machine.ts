import { defineStateMachine } from '@libs/state-machine';
import { ROUND_STATES, RoundState } from './round.entity';

/**
 * The round's transitions as data. A time-driven step names the deadline that must have passed: the
 * scheduler takes it at that moment, and a regulator may ask for it once the time has passed, never before.
 */
export type RoundAction = 'publish' | 'closeDemand' | 'open' | 'publicize' | 'confirm' | 'startCycle' | 'expire' | 'cancel';

export interface RoundTimes {
  demandDeadline: Date;
  bidDeadline: Date;
  cycleStart: Date;
  cycleEnd: Date | null;
  publicityEndsAt: Date | null;
}

export interface Transition {
  action: RoundAction;
  from: readonly RoundState[];
  to: RoundState;
  /** The instant before which the step is refused (and at which the scheduler takes it, when `scheduled`). */
  notBefore?: (round: RoundTimes) => Date | null;
  scheduled?: boolean;
}

export const ROUND_TRANSITIONS: readonly Transition[] = [
  { action: 'publish', from: ['DRAFT'], to: 'DEMAND_REPORTING' },
  { action: 'closeDemand', from: ['DEMAND_REPORTING'], to: 'BIDDING', notBefore: (r) => r.demandDeadline, scheduled: true },
  { action: 'open', from: ['BIDDING'], to: 'OPENED', notBefore: (r) => r.bidDeadline, scheduled: true },
  { action: 'publicize', from: ['OPENED'], to: 'PUBLICIZED' },
  { action: 'confirm', from: ['PUBLICIZED'], to: 'CONFIRMED', notBefore: (r) => r.publicityEndsAt },
  { action: 'startCycle', from: ['CONFIRMED'], to: 'IN_EFFECT', notBefore: (r) => r.cycleStart, scheduled: true },
  { action: 'expire', from: ['IN_EFFECT'], to: 'EXPIRED', notBefore: (r) => r.cycleEnd, scheduled: true },
  { action: 'cancel', from: ['DRAFT', 'DEMAND_REPORTING', 'BIDDING', 'OPENED', 'PUBLICIZED'], to: 'CANCELLED' },
];

/** The same transitions as a checked machine: every state reachable from DRAFT, guarded with the reason. */
export const ROUND_MACHINE = defineStateMachine<RoundState, RoundAction>({
  name: 'round',
  states: ROUND_STATES,
  initial: 'DRAFT',
  transitions: ROUND_TRANSITIONS.map(({ action, from, to }) => ({ action, from, to })),
});

export type Refusal = { code: 'INVALID_STATE' | 'DEADLINE_NOT_REACHED'; message: string };

/** null when the step may be taken now, else why not. */
export function refusalOf(action: RoundAction, state: RoundState, times: RoundTimes, now: Date): Refusal | null {
  const transition = transitionOf(action);
  const verdict = ROUND_MACHINE.guard(action, state);
  if (!verdict.ok) return { code: 'INVALID_STATE', message: verdict.reason };
  const notBefore = transition.notBefore?.(times);
  if (transition.notBefore && (!notBefore || now.getTime() < notBefore.getTime())) {
    return { code: 'DEADLINE_NOT_REACHED', message: `The round may ${action} only from ${notBefore ? notBefore.toISOString() : 'a time not yet set'}` };
  }
  return null;
}

export function transitionOf(action: RoundAction): Transition {
  return ROUND_TRANSITIONS.find((t) => t.action === action)!;
}

/** The scheduled step that is due for a round in this state, if any. */
export function dueScheduledStep(state: RoundState, times: RoundTimes, now: Date): RoundAction | null {
  const step = ROUND_TRANSITIONS.find((t) => t.scheduled && t.from.includes(state));
  if (!step) return null;
  return refusalOf(step.action, state, times, now) ? null : step.action;
}

/** What holds a committee-sealed round past a due step: people, not the scheduler, must act. */
export const ROUND_HOLDS = ['OPENING_COMMITTEE_MISSING', 'OPENING_SHARES_MISSING'] as const;
export type RoundHold = (typeof ROUND_HOLDS)[number];

/**
 * Why a round's due step waits: a COMMITTEE round past its demand deadline with no committee named (a regulator
 * names one: the next tick opens bidding), or past its bid deadline until k members submit their shares (the
 * k-th opens it). null when nothing waits on people.
 */
export function roundHold(round: RoundTimes & { state: RoundState; sealingMode: string; openingThreshold: number | null }, now: Date): RoundHold | null {
  if (round.sealingMode !== 'COMMITTEE') return null;
  const due = dueScheduledStep(round.state, round, now);
  if (due === 'closeDemand' && !round.openingThreshold) return 'OPENING_COMMITTEE_MISSING';
  if (due === 'open') return 'OPENING_SHARES_MISSING';
  return null;
}
