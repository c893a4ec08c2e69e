import { defineStateMachine } from '@libs/state-machine';
/**
 * The alert case workflow (domain §8) as data: OPEN → INQUIRY (函询) → INTERVIEW (约谈) →
 * RECTIFIED | DISMISSED | ESCALATED_TO_CREDIT. A guard answers why a step is refused.
 */
export const CASE_STATES = ['OPEN', 'INQUIRY', 'INTERVIEW', 'RECTIFIED', 'DISMISSED', 'ESCALATED_TO_CREDIT'] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const TERMINAL_CASE_STATES: readonly CaseState[] = ['RECTIFIED', 'DISMISSED', 'ESCALATED_TO_CREDIT'];

interface TransitionSpec {
  /** The step needs a response deadline (inquiry answer, interview date, rectification). */
  needsDeadline: boolean;
}

export const CASE_TRANSITIONS: Readonly<Record<CaseState, Partial<Record<CaseState, TransitionSpec>>>> = {
  OPEN: { INQUIRY: { needsDeadline: true }, INTERVIEW: { needsDeadline: true }, DISMISSED: { needsDeadline: false } },
  INQUIRY: {
    INTERVIEW: { needsDeadline: true },
    RECTIFIED: { needsDeadline: false },
    DISMISSED: { needsDeadline: false },
    ESCALATED_TO_CREDIT: { needsDeadline: false },
  },
  INTERVIEW: { RECTIFIED: { needsDeadline: false }, DISMISSED: { needsDeadline: false }, ESCALATED_TO_CREDIT: { needsDeadline: false } },
  RECTIFIED: {},
  DISMISSED: {},
  ESCALATED_TO_CREDIT: {},
};

/** The same workflow as a checked machine: a step is named by the state it moves to; every state reachable from OPEN. */
export const CASE_MACHINE = defineStateMachine<CaseState, CaseState>({
  name: 'alert case',
  noun: 'A case',
  states: CASE_STATES,
  initial: 'OPEN',
  transitions: CASE_STATES.map((to) => ({ action: to, from: CASE_STATES.filter((from) => CASE_TRANSITIONS[from][to]), to })).filter((t) => t.from.length > 0),
});

export type TransitionCheck = { ok: true } | { ok: false; code: 'INVALID_STATE' | 'VALIDATION_FAILED'; field?: string; reason: string };

export function checkCaseTransition(
  from: CaseState,
  to: CaseState,
  input: { note: string; deadline: string | null; today: string },
): TransitionCheck {
  const spec = CASE_TRANSITIONS[from]?.[to];
  if (!spec || !CASE_MACHINE.allows(to, from, to)) {
    const allowed = Object.keys(CASE_TRANSITIONS[from] ?? {});
    return {
      ok: false,
      code: 'INVALID_STATE',
      reason: allowed.length ? `A case in ${from} may move to ${allowed.join(', ')}, not ${to}` : `A case in ${from} is closed`,
    };
  }
  if (!input.note.trim()) return { ok: false, code: 'VALIDATION_FAILED', field: 'input.note', reason: 'Every step of a case records a note' };
  if (spec.needsDeadline && !input.deadline) {
    return { ok: false, code: 'VALIDATION_FAILED', field: 'input.deadline', reason: `Moving to ${to} sets a deadline` };
  }
  if (input.deadline && input.deadline < input.today) {
    return { ok: false, code: 'VALIDATION_FAILED', field: 'input.deadline', reason: 'A deadline cannot lie in the past' };
  }
  return { ok: true };
}

/** The subject may answer only while an inquiry or interview waits on it. */
export function mayAnswer(state: CaseState): boolean {
  return state === 'INQUIRY' || state === 'INTERVIEW';
}
