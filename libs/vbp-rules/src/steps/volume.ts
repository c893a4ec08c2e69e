import { Rational } from '../decimal';
import { entryForWinnerCount } from '../rule-set';

/**
 * A share prepared for the per-hospital hot loop. Quantities and the share's scaled digits are integers,
 * so while every intermediate stays within Number.MAX_SAFE_INTEGER the arithmetic is exact integer
 * arithmetic on doubles (no fractions, no rounding); beyond that bound it falls back to BigInt.
 */
export interface ShareFactor {
  readonly share: Rational;
  /** Largest quantity whose 2·quantity·num + den stays a safe integer; −1 when the share itself is too long. */
  readonly safeQuantityLimit: number;
  readonly num: number;
  readonly den: number;
}

export function shareFactor(share: Rational): ShareFactor {
  const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);
  const fitsNumbers = share.num > 0n && 2n * share.den <= maxSafe && share.num <= maxSafe;
  const limit = fitsNumbers ? (maxSafe - share.den) / (2n * share.num) : -1n;
  return { share, safeQuantityLimit: Number(limit), num: Number(share.num), den: Number(share.den) };
}

/** Rule 9, per demand line: round-half-up(quantity × share), exactly. */
export function agreedQuantity(quantity: number, factor: ShareFactor): number {
  if (quantity <= factor.safeQuantityLimit) {
    // floor((2·q·num + den) / (2·den)), with the remainder subtracted first so the division is exact.
    const doubled = 2 * quantity * factor.num + factor.den;
    const twiceDen = 2 * factor.den;
    return (doubled - (doubled % twiceDen)) / twiceDen;
  }
  const { num, den } = factor.share;
  return Number((2n * BigInt(quantity) * num + den) / (2n * den));
}

export interface VolumeTerms {
  /** The share exactly as written in the rule set, for echoing. */
  readonly volumeShare: string;
  readonly cycleYears: number;
  readonly factor: ShareFactor;
}

/** Rule 9, per lot: the share and cycle for W winners (1-based tables whose last entry holds). */
export function volume(
  winnerCount: number,
  volumeShareByWinners: readonly { readonly text: string; readonly value: Rational }[],
  cycleYearsByWinners: readonly number[],
): VolumeTerms {
  const share = entryForWinnerCount(volumeShareByWinners, winnerCount);
  return {
    volumeShare: share.text,
    cycleYears: entryForWinnerCount(cycleYearsByWinners, winnerCount),
    factor: shareFactor(share.value),
  };
}
