import { assignBackupRegions, assignPrimaryRegions, assignRegions, regionDemand } from './regions';

const chooser = (...preferredRegions: number[]) => ({ preferredRegions });

describe('regionDemand', () => {
  it('sums input quantities per region and remembers each line region', () => {
    const { totals, regionIndexOfLine } = regionDemand(['R1', 'R2', 'R3'], [
      { hospitalId: 'H1', regionId: 'R2', quantity: 5 },
      { hospitalId: 'H2', regionId: 'R1', quantity: 7 },
      { hospitalId: 'H3', regionId: 'R2', quantity: 1 },
    ]);
    expect(totals).toEqual([7n, 6n, 0n]);
    expect([...regionIndexOfLine]).toEqual([1, 0, 1]);
  });

  it('stays exact when a total passes the safe-integer range', () => {
    const { totals } = regionDemand(['R1'], [
      { hospitalId: 'H1', regionId: 'R1', quantity: Number.MAX_SAFE_INTEGER },
      { hospitalId: 'H2', regionId: 'R1', quantity: 2 },
    ]);
    expect(totals).toEqual([BigInt(Number.MAX_SAFE_INTEGER) + 2n]);
  });
});

describe('assignPrimaryRegions (rule 10)', () => {
  const regions = ['Zhoukou', 'Shangqiu', 'Xuchang', 'Luohe', 'Puyang'];
  const totals = [900n, 900n, 300n, 300n, 100n];

  it('lets a later winner fall to its next preference when the first is taken', () => {
    // A prefers Shangqiu; B prefers Shangqiu then Luohe.
    const primary = assignPrimaryRegions([chooser(1), chooser(1, 3)], regions, totals);
    expect(primary[1]).toBe(0);
    expect(primary[3]).toBe(1);
  });

  it('takes the largest free region once preferences run out, ties to the smaller id, round after round', () => {
    const primary = assignPrimaryRegions([chooser(1), chooser(1, 3), chooser()], regions, totals);
    // Round 1: A Shangqiu, B Luohe, C Zhoukou (900). Round 2: A Xuchang (300 > 100), B Puyang.
    expect(primary).toEqual([2, 0, 0, 1, 1]);
  });

  it('breaks equal totals by the smaller region id', () => {
    expect(assignPrimaryRegions([chooser()], ['b', 'a', 'c'], [5n, 5n, 5n])).toEqual([0, 0, 0]);
    const primary = assignPrimaryRegions([chooser(), chooser()], ['b', 'a', 'c'], [5n, 5n, 5n]);
    expect(primary).toEqual([1, 0, 0]); // a to the first winner, b to the second, c to the first
  });

  it('leaves later winners without a region when regions run out', () => {
    const primary = assignPrimaryRegions([chooser(), chooser(), chooser(0)], ['R1', 'R2'], [1n, 2n]);
    expect(primary).toEqual([1, 0]);
  });

  it('with one winner gives it every region and no region without a primary', () => {
    expect(assignPrimaryRegions([chooser(2)], ['R1', 'R2', 'R3'], [0n, 0n, 0n])).toEqual([0, 0, 0]);
  });

  it('has no primaries without winners', () => {
    expect(assignPrimaryRegions([], ['R1'], [1n])).toEqual([-1]);
  });
});

describe('assignBackupRegions (rule 10)', () => {
  it('starts again from the best-ranked winner and never backs an own primary', () => {
    const regions = ['Zhoukou', 'Shangqiu', 'Xuchang', 'Luohe', 'Puyang'];
    const totals = [900n, 900n, 300n, 300n, 100n];
    const winners = [chooser(1), chooser(1, 3), chooser()];
    const { primary, backup } = assignRegions(winners, regions, totals);
    expect(primary).toEqual([2, 0, 0, 1, 1]);
    // Contract example 004: Zhoukou A, Shangqiu B, Luohe C (tie with Xuchang → smaller id), Puyang A, Xuchang B.
    expect(backup).toEqual([0, 1, 1, 2, 0]);
  });

  it('has no backups with a single winner', () => {
    expect(assignBackupRegions([chooser()], ['R1', 'R2'], [1n, 1n], [0, 0])).toEqual([-1, -1]);
  });

  it('lets a winner pass when every region without a backup is its own primary', () => {
    // One region held by A: A passes, B backs it.
    const { primary, backup } = assignRegions([chooser(0), chooser(0)], ['R1'], [10n]);
    expect(primary).toEqual([0]);
    expect(backup).toEqual([1]);
  });

  it('skips preferred regions that already have a backup', () => {
    // A: R1, C: R2 (primaries; B gets R3). Backups: A prefers R2 (free) → R2; B prefers R2 (taken) then R1.
    const { primary, backup } = assignRegions([chooser(0, 1), chooser(1, 0), chooser(1)], ['R1', 'R2', 'R3'], [3n, 2n, 1n]);
    expect(primary).toEqual([0, 1, 2]);
    expect(backup).toEqual([1, 0, 0]);
  });
});
