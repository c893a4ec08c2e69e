import { Dec } from '@libs/money';

/**
 * The arithmetic of agreements, pure: quantity conversion between a lot's reference unit and a product's
 * spec, and the prepayment due. Decimal throughout; each result is rounded once, half-up.
 */

/** Engine quantity (reference units) → units of a spec with this comparable factor. */
export function specUnits(referenceQuantity: number, comparableFactor: string): number {
  return new Dec(referenceQuantity).div(comparableFactor).toDecimalPlaces(0, Dec.ROUND_HALF_UP).toNumber();
}

/** Units of one spec → units of another, by factor = the first's comparable factor ÷ the second's. */
export function convertUnits(quantity: number, factor: string): number {
  return new Dec(quantity).times(factor).toDecimalPlaces(0, Dec.ROUND_HALF_UP).toNumber();
}

/** round-half-up(Σ annual quantity × unit price × share) in fen. */
export function prepaymentFen(lines: { annualQuantity: number; unitPrice: string }[], share: string): bigint {
  const yuan = lines.reduce((sum, l) => sum.plus(new Dec(l.annualQuantity).times(l.unitPrice)), new Dec(0));
  return BigInt(yuan.times(share).times(100).toDecimalPlaces(0, Dec.ROUND_HALF_UP).toFixed(0));
}
