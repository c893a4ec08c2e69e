import { dueScheduledStep, refusalOf, roundHold, RoundTimes } from './round-state-machine';

const times: RoundTimes = {
  demandDeadline: new Date('2026-03-10T09:00:00+08:00'),
  bidDeadline: new Date('2026-03-20T09:00:00+08:00'),
  cycleStart: new Date('2026-05-01T00:00:00+08:00'),
  cycleEnd: null,
  publicityEndsAt: null,
};
const at = (s: string) => new Date(s);

describe('round state machine', () => {
  it('refuses a step from the wrong state', () => {
    expect(refusalOf('open', 'DRAFT', times, at('2026-04-01T00:00:00Z'))?.code).toBe('INVALID_STATE');
    expect(refusalOf('cancel', 'CONFIRMED', times, at('2026-04-01T00:00:00Z'))?.code).toBe('INVALID_STATE');
  });

  it('refuses a time-driven step one millisecond before its time and allows it at that time', () => {
    const deadline = times.bidDeadline.getTime();
    expect(refusalOf('open', 'BIDDING', times, new Date(deadline - 1))?.code).toBe('DEADLINE_NOT_REACHED');
    expect(refusalOf('open', 'BIDDING', times, new Date(deadline))).toBeNull();
  });

  it('refuses confirmation while the publicity end is unknown or ahead', () => {
    expect(refusalOf('confirm', 'PUBLICIZED', times, at('2027-01-01T00:00:00Z'))?.code).toBe('DEADLINE_NOT_REACHED');
    const publicized = { ...times, publicityEndsAt: at('2026-03-25T09:00:00+08:00') };
    expect(refusalOf('confirm', 'PUBLICIZED', publicized, at('2026-03-25T09:00:00+08:00'))).toBeNull();
  });

  it('names the scheduled step that is due, and none for manual states', () => {
    expect(dueScheduledStep('DEMAND_REPORTING', times, times.demandDeadline)).toBe('closeDemand');
    expect(dueScheduledStep('DEMAND_REPORTING', times, new Date(times.demandDeadline.getTime() - 1))).toBeNull();
    expect(dueScheduledStep('OPENED', times, at('2030-01-01T00:00:00Z'))).toBeNull();
    expect(dueScheduledStep('IN_EFFECT', times, at('2030-01-01T00:00:00Z'))).toBeNull();
  });

  it('says what a committee round waits for past a deadline, and nothing for a demo-key round or before it', () => {
    const committee = (state: 'DEMAND_REPORTING' | 'BIDDING', openingThreshold: number | null) => ({ ...times, state, sealingMode: 'COMMITTEE', openingThreshold });
    const demandPassed = times.demandDeadline;
    expect(roundHold(committee('DEMAND_REPORTING', null), new Date(demandPassed.getTime() - 1))).toBeNull();
    expect(roundHold(committee('DEMAND_REPORTING', null), demandPassed)).toBe('OPENING_COMMITTEE_MISSING');
    expect(roundHold(committee('DEMAND_REPORTING', 2), demandPassed)).toBeNull();
    expect(roundHold(committee('BIDDING', 2), new Date(times.bidDeadline.getTime() - 1))).toBeNull();
    expect(roundHold(committee('BIDDING', 2), times.bidDeadline)).toBe('OPENING_SHARES_MISSING');
    expect(roundHold({ ...committee('BIDDING', null), sealingMode: 'DEMO_SINGLE_KEY' }, times.bidDeadline)).toBeNull();
  });
});
