import { Rational, divide } from '../decimal';

/** Rule 2: price per reference unit, kept exact (rounded only when printed). */
export function unitComparablePrice(unitPrice: Rational, comparableFactor: Rational): Rational {
  return divide(unitPrice, comparableFactor);
}
