import { Rational, compare, min, multiply, roundHalfUp } from '../decimal';

/**
 * Rule 7: the revival UCP — priceRatio × anchor when exactly one bid won the price test, otherwise the
 * largest UCP among those winners; null when none won (then nobody is revived).
 */
export function revivalUnitComparablePrice(
  priceTestWinnerUnitComparablePrices: readonly Rational[],
  anchorUnitComparablePrice: Rational,
  priceRatio: Rational,
): Rational | null {
  const winners = priceTestWinnerUnitComparablePrices;
  if (winners.length === 0) return null;
  if (winners.length === 1) return multiply(priceRatio, anchorUnitComparablePrice);
  let largest = winners[0];
  for (const price of winners) {
    if (compare(price, largest) > 0) largest = price;
  }
  return largest;
}

/** Rule 7: a revived bid's price — the lower of its own price and revival UCP × factor, rounded half-up to 4 dp. */
export function revivedUnitPrice(
  revivalUcp: Rational,
  bid: { readonly unitPrice: Rational; readonly comparableFactor: Rational },
): Rational {
  return min(bid.unitPrice, roundHalfUp(multiply(revivalUcp, bid.comparableFactor), 4));
}

export interface RevivalCandidate {
  readonly unitPrice: Rational;
  readonly comparableFactor: Rational;
  readonly acceptsRevival: boolean;
}

/**
 * Rule 7 as a whole: given the price-test failures (in any order), returns the revival UCP and the
 * awarded price of every failure that accepts revival. With revival off or no price-test winner there is
 * no revival step at all (revivalUnitComparablePrice null, nobody revived).
 */
export function revival<T extends RevivalCandidate>(
  enabled: boolean,
  priceTestWinnerUnitComparablePrices: readonly Rational[],
  priceTestFailures: readonly T[],
  anchorUnitComparablePrice: Rational,
  priceRatio: Rational,
): { revivalUnitComparablePrice: Rational | null; revived: { bid: T; awardedUnitPrice: Rational }[] } {
  if (!enabled) return { revivalUnitComparablePrice: null, revived: [] };
  const revivalUcp = revivalUnitComparablePrice(
    priceTestWinnerUnitComparablePrices,
    anchorUnitComparablePrice,
    priceRatio,
  );
  if (revivalUcp === null) return { revivalUnitComparablePrice: null, revived: [] };
  const revived = priceTestFailures
    .filter((bid) => bid.acceptsRevival)
    .map((bid) => ({ bid, awardedUnitPrice: revivedUnitPrice(revivalUcp, bid) }));
  return { revivalUnitComparablePrice: revivalUcp, revived };
}
