import { ONE, Rational, compare, multiply, subtract } from '../decimal';

export interface PriceTestRules {
  readonly priceRatio: Rational;
  /** null switches the low-price test off. */
  readonly lowPriceThreshold: Rational | null;
  /** null switches the below-ceiling test off. */
  readonly ceilingReduction: Rational | null;
}

export interface PriceTestedBid {
  readonly unitComparablePrice: Rational;
  readonly unitPrice: Rational;
  readonly ceilingUnitPrice: Rational;
}

/**
 * Rule 6: a shortlisted bid passes when any one holds (each bound inclusive):
 * UCP ≤ priceRatio × anchor; UCP ≤ lowPriceThreshold; unitPrice ≤ ceiling × (1 − ceilingReduction).
 */
export function priceTest(bid: PriceTestedBid, anchorUnitComparablePrice: Rational, rules: PriceTestRules): boolean {
  if (compare(bid.unitComparablePrice, multiply(rules.priceRatio, anchorUnitComparablePrice)) <= 0) return true;
  if (rules.lowPriceThreshold !== null && compare(bid.unitComparablePrice, rules.lowPriceThreshold) <= 0) {
    return true;
  }
  if (rules.ceilingReduction !== null) {
    const reducedCeiling = multiply(bid.ceilingUnitPrice, subtract(ONE, rules.ceilingReduction));
    if (compare(bid.unitPrice, reducedCeiling) <= 0) return true;
  }
  return false;
}
