import { Rational, ZERO, add, compare, divide, fromInteger, max } from '../decimal';
import { AnchorKind } from '../types';

/**
 * Rule 5: the anchor unit comparable price, or null when there is no valid bid.
 * LOWEST: the lowest UCP among valid bids. HALF_MEAN_OR_LOWEST: the larger of half the shortlisted
 * bids' mean UCP and that lowest UCP.
 */
export function anchor(
  kind: AnchorKind,
  validUnitComparablePrices: readonly Rational[],
  shortlistedUnitComparablePrices: readonly Rational[],
): Rational | null {
  if (validUnitComparablePrices.length === 0) return null;
  let lowest = validUnitComparablePrices[0];
  for (const price of validUnitComparablePrices) {
    if (compare(price, lowest) < 0) lowest = price;
  }
  if (kind === 'LOWEST') return lowest;
  let sum = ZERO;
  for (const price of shortlistedUnitComparablePrices) sum = add(sum, price);
  const halfMean = divide(sum, fromInteger(2 * shortlistedUnitComparablePrices.length));
  return max(halfMean, lowest);
}
