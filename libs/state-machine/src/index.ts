/**
 * One way to write a workflow: states and transitions as data, a guard that answers why a step is refused,
 * and a check, when the machine is defined (at module load, so at start-up), that every state is reachable
 * from an initial state and every transition names known states. Rounds, bids, listings, orders, shipments,
 * settlement batches and alert cases are defined with it; their CHECK constraints and GraphQL enums come from
 * the same state constants (platform/database/state-check.ts, platform/graphql/state-enum.ts).
 */
export interface TransitionDef<S extends string, A extends string> {
  action: A;
  from: readonly S[];
  /** The state the step leads to; several when the service picks one by the facts (e.g. partly or fully shipped). */
  to: S | readonly S[];
}

export type GuardResult<S extends string> = { ok: true; to: readonly S[] } | { ok: false; reason: string; allowedFrom: readonly S[] };

export interface StateMachine<S extends string, A extends string> {
  readonly name: string;
  readonly states: readonly S[];
  readonly initial: readonly S[];
  readonly transitions: readonly TransitionDef<S, A>[];
  /** May `action` be taken from `from`? If not, why (names the states it is allowed from). */
  guard(action: A, from: S): GuardResult<S>;
  /** Whether `to` is one of the states `action` may lead to from `from`. */
  allows(action: A, from: S, to: S): boolean;
  /** States with no step out of them. */
  readonly terminal: readonly S[];
  /** Actions that may be taken from a state. */
  actionsFrom(state: S): A[];
}

export class StateMachineDefinitionError extends Error {}

export function defineStateMachine<S extends string, A extends string>(definition: {
  name: string;
  /** How refusals name the record: 'An order' (default 'A <name>'). */
  noun?: string;
  states: readonly S[];
  initial: S | readonly S[];
  transitions: readonly TransitionDef<S, A>[];
}): StateMachine<S, A> {
  const { name, states, transitions } = definition;
  const noun = definition.noun ?? `A ${name}`;
  const initial: readonly S[] = typeof definition.initial === 'string' ? [definition.initial] : definition.initial;
  const known = new Set<string>(states);
  const targets = (t: TransitionDef<S, A>): readonly S[] => (typeof t.to === 'string' ? [t.to] : t.to);
  const byAction = new Map<A, TransitionDef<S, A>>();
  for (const t of transitions) {
    if (byAction.has(t.action)) throw new StateMachineDefinitionError(`${name}: action ${t.action} is defined twice`);
    byAction.set(t.action, t);
    for (const s of [...t.from, ...targets(t)]) if (!known.has(s)) throw new StateMachineDefinitionError(`${name}: ${t.action} names unknown state ${s}`);
  }
  for (const s of initial) if (!known.has(s)) throw new StateMachineDefinitionError(`${name}: unknown initial state ${s}`);
  // every state must be reachable from an initial one: a state nothing leads to is a typo or dead code
  const reached = new Set<string>(initial);
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of transitions) {
      if (!t.from.some((s) => reached.has(s))) continue;
      for (const s of targets(t)) {
        if (reached.has(s)) continue;
        reached.add(s);
        grew = true;
      }
    }
  }
  const unreachable = states.filter((s) => !reached.has(s));
  if (unreachable.length) throw new StateMachineDefinitionError(`${name}: unreachable state(s) ${unreachable.join(', ')}`);
  const terminal = states.filter((s) => !transitions.some((t) => t.from.includes(s)));

  return {
    name,
    states,
    initial,
    transitions,
    terminal,
    guard(action, from) {
      const t = byAction.get(action);
      if (!t) return { ok: false, reason: `${name}: unknown step ${action}`, allowedFrom: [] };
      if (!t.from.includes(from)) {
        return { ok: false, reason: `${noun} in state ${from} cannot take the step ${action} (allowed from ${t.from.join(', ')})`, allowedFrom: t.from };
      }
      return { ok: true, to: targets(t) };
    },
    allows(action, from, to) {
      const t = byAction.get(action);
      return !!t && t.from.includes(from) && targets(t).includes(to);
    },
    actionsFrom(state) {
      return transitions.filter((t) => t.from.includes(state)).map((t) => t.action);
    },
  };
}
