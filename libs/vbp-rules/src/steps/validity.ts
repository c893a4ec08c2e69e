import { Rational, compare } from '../decimal';

/** Rule 1: a bid priced above its spec's ceiling is invalid; a price exactly at the ceiling is valid. */
export function validity(unitPrice: Rational, ceilingUnitPrice: Rational): 'ABOVE_CEILING' | null {
  return compare(unitPrice, ceilingUnitPrice) > 0 ? 'ABOVE_CEILING' : null;
}
