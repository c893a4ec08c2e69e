import { defineStateMachine, StateMachineDefinitionError } from './index';

const STATES = ['DRAFT', 'OPEN', 'DONE', 'CANCELLED'] as const;
type S = (typeof STATES)[number];

describe('defineStateMachine', () => {
  const machine = defineStateMachine<S, 'open' | 'finish' | 'cancel'>({
    name: 'case',
    states: STATES,
    initial: 'DRAFT',
    transitions: [
      { action: 'open', from: ['DRAFT'], to: 'OPEN' },
      { action: 'finish', from: ['OPEN'], to: 'DONE' },
      { action: 'cancel', from: ['DRAFT', 'OPEN'], to: 'CANCELLED' },
    ],
  });

  it('guards each step with the reason and the states it is allowed from', () => {
    expect(machine.guard('finish', 'OPEN')).toEqual({ ok: true, to: ['DONE'] });
    expect(machine.guard('finish', 'DRAFT')).toEqual({ ok: false, reason: 'A case in state DRAFT cannot take the step finish (allowed from OPEN)', allowedFrom: ['OPEN'] });
    expect(machine.allows('cancel', 'OPEN', 'CANCELLED')).toBe(true);
    expect(machine.allows('cancel', 'DONE', 'CANCELLED')).toBe(false);
    expect(machine.terminal).toEqual(['DONE', 'CANCELLED']);
    expect(machine.actionsFrom('DRAFT')).toEqual(['open', 'cancel']);
  });

  it('refuses, at definition, a state nothing leads to, an unknown state, and an action defined twice', () => {
    expect(() => defineStateMachine({ name: 'x', states: STATES, initial: 'DRAFT', transitions: [{ action: 'open', from: ['DRAFT'], to: 'OPEN' }] })).toThrow(
      new StateMachineDefinitionError('x: unreachable state(s) DONE, CANCELLED'),
    );
    expect(() => defineStateMachine({ name: 'x', states: ['A'], initial: 'A', transitions: [{ action: 'go', from: ['A'], to: 'B' as 'A' }] })).toThrow(/unknown state B/);
    expect(() =>
      defineStateMachine({ name: 'x', states: ['A', 'B'], initial: 'A', transitions: [{ action: 'go', from: ['A'], to: 'B' }, { action: 'go', from: ['B'], to: 'A' }] }),
    ).toThrow(/defined twice/);
  });
});
