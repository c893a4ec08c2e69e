import fc from 'fast-check';
import { CASE_STATES, CASE_TRANSITIONS, checkCaseTransition, mayAnswer, TERMINAL_CASE_STATES } from './case-workflow';

const today = '2026-04-01';

describe('case workflow', () => {
  it('walks OPEN → INQUIRY → INTERVIEW → each end', () => {
    expect(checkCaseTransition('OPEN', 'INQUIRY', { note: '函询', deadline: '2026-04-10', today })).toEqual({ ok: true });
    expect(checkCaseTransition('INQUIRY', 'INTERVIEW', { note: '约谈', deadline: '2026-04-15', today })).toEqual({ ok: true });
    for (const end of TERMINAL_CASE_STATES) expect(checkCaseTransition('INTERVIEW', end, { note: 'closed', deadline: null, today })).toEqual({ ok: true });
  });

  it('refuses skipping ahead, leaving a closed case, and steps without a note or deadline', () => {
    expect(checkCaseTransition('OPEN', 'RECTIFIED', { note: 'x', deadline: null, today })).toMatchObject({ ok: false, code: 'INVALID_STATE' });
    expect(checkCaseTransition('DISMISSED', 'INQUIRY', { note: 'x', deadline: '2026-05-01', today })).toMatchObject({ ok: false, code: 'INVALID_STATE', reason: expect.stringMatching(/closed/) });
    expect(checkCaseTransition('OPEN', 'INQUIRY', { note: ' ', deadline: '2026-05-01', today })).toMatchObject({ ok: false, field: 'input.note' });
    expect(checkCaseTransition('OPEN', 'INQUIRY', { note: 'x', deadline: null, today })).toMatchObject({ ok: false, field: 'input.deadline' });
    expect(checkCaseTransition('OPEN', 'INQUIRY', { note: 'x', deadline: '2026-03-31', today })).toMatchObject({ ok: false, field: 'input.deadline' });
  });

  it('terminal states have no way out; every non-terminal state reaches a terminal one (property)', () => {
    for (const s of TERMINAL_CASE_STATES) expect(Object.keys(CASE_TRANSITIONS[s])).toEqual([]);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CASE_STATES), { maxLength: 12 }), (steps) => {
        let state: (typeof CASE_STATES)[number] = 'OPEN';
        for (const to of steps) {
          if (checkCaseTransition(state, to, { note: 'n', deadline: '2026-05-01', today }).ok) state = to;
        }
        // whatever path was taken, a terminal state is at most two steps away
        const reach = (s: typeof state, depth: number): boolean =>
          TERMINAL_CASE_STATES.includes(s) || (depth > 0 && Object.keys(CASE_TRANSITIONS[s]).some((n) => reach(n as typeof state, depth - 1)));
        return reach(state, 2);
      }),
    );
  });

  it('the subject answers only an open inquiry or interview', () => {
    expect(CASE_STATES.filter(mayAnswer)).toEqual(['INQUIRY', 'INTERVIEW']);
  });
});
