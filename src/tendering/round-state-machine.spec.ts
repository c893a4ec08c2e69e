import { dueScheduledStep, refusalOf, RoundTimes } from './round-state-machine';

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
});
