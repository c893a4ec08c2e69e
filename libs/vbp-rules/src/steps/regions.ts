import { DemandLineInput } from '../types';

export interface RegionDemand {
  /** Total input quantity per region, indexed like the lot's `regions`. */
  readonly totals: bigint[];
  /** For each demand line, the index of its region. */
  readonly regionIndexOfLine: Int32Array;
}

/** Sums each region's demand once per lot ("total demand" = sum of input quantities). */
export function regionDemand(regions: readonly string[], demand: readonly DemandLineInput[]): RegionDemand {
  const indexById = new Map<string, number>();
  regions.forEach((regionId, index) => indexById.set(regionId, index));
  const regionIndexOfLine = new Int32Array(demand.length);
  const sums = new Array<number>(regions.length).fill(0);
  for (let line = 0; line < demand.length; line++) {
    const regionIndex = indexById.get(demand[line].regionId) as number;
    regionIndexOfLine[line] = regionIndex;
    sums[regionIndex] += demand[line].quantity;
  }
  // Sums of non-negative integers stay exact while they are safe; redo in BigInt only if one is not.
  if (sums.every((sum) => Number.isSafeInteger(sum))) return { totals: sums.map(BigInt), regionIndexOfLine };
  const totals = regions.map(() => 0n);
  for (let line = 0; line < demand.length; line++) {
    totals[regionIndexOfLine[line]] += BigInt(demand[line].quantity);
  }
  return { totals, regionIndexOfLine };
}

export interface RegionChooser {
  /** Region indexes in preference order (already resolved from ids). */
  readonly preferredRegions: readonly number[];
}

/** Index of the eligible region with the largest total (ties: smaller region id), or −1. */
function largestEligibleRegion(
  regions: readonly string[],
  totals: readonly bigint[],
  isEligible: (region: number) => boolean,
): number {
  let best = -1;
  for (let region = 0; region < regions.length; region++) {
    if (!isEligible(region)) continue;
    if (
      best < 0 ||
      totals[region] > totals[best] ||
      (totals[region] === totals[best] && regions[region] < regions[best])
    ) {
      best = region;
    }
  }
  return best;
}

/** One region by a winner's preference, else by largest total; −1 when nothing is eligible. */
function chooseRegion(
  chooser: RegionChooser,
  regions: readonly string[],
  totals: readonly bigint[],
  isEligible: (region: number) => boolean,
): number {
  for (const region of chooser.preferredRegions) {
    if (isEligible(region)) return region;
  }
  return largestEligibleRegion(regions, totals, isEligible);
}

/**
 * Rule 10, primaries: winners (best rank first) take one free region per turn, round after round,
 * until every region is taken. Returns, per region, the index of its primary winner (−1 with no winners).
 */
export function assignPrimaryRegions(
  winnersByRank: readonly RegionChooser[],
  regions: readonly string[],
  totals: readonly bigint[],
): number[] {
  const primary = new Array<number>(regions.length).fill(-1);
  let free = regions.length;
  const isFree = (region: number): boolean => primary[region] < 0;
  while (free > 0 && winnersByRank.length > 0) {
    for (let winner = 0; winner < winnersByRank.length && free > 0; winner++) {
      const region = chooseRegion(winnersByRank[winner], regions, totals, isFree);
      primary[region] = winner;
      free--;
    }
  }
  return primary;
}

/**
 * Rule 10, backups (only with W ≥ 2): starting again from the best-ranked winner, one region per turn,
 * a winner takes a region with no backup yet whose primary it does not hold, else passes; until every
 * region has a backup. Returns, per region, the index of its backup winner (−1 when W < 2).
 */
export function assignBackupRegions(
  winnersByRank: readonly RegionChooser[],
  regions: readonly string[],
  totals: readonly bigint[],
  primary: readonly number[],
): number[] {
  const backup = new Array<number>(regions.length).fill(-1);
  if (winnersByRank.length < 2) return backup;
  let uncovered = regions.length;
  while (uncovered > 0) {
    let tookAny = false;
    for (let winner = 0; winner < winnersByRank.length && uncovered > 0; winner++) {
      const isEligible = (region: number): boolean => backup[region] < 0 && primary[region] !== winner;
      const region = chooseRegion(winnersByRank[winner], regions, totals, isEligible);
      if (region < 0) continue; // passes this turn
      backup[region] = winner;
      uncovered--;
      tookAny = true;
    }
    // Cannot happen with W ≥ 2 (another winner may always back a region); guards against looping forever.
    if (!tookAny) break;
  }
  return backup;
}

/** Rule 10: primaries then backups; indexes refer to `winnersByRank`. */
export function assignRegions(
  winnersByRank: readonly RegionChooser[],
  regions: readonly string[],
  totals: readonly bigint[],
): { primary: number[]; backup: number[] } {
  const primary = assignPrimaryRegions(winnersByRank, regions, totals);
  const backup = assignBackupRegions(winnersByRank, regions, totals, primary);
  return { primary, backup };
}
