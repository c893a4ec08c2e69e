/**
 * Exact arithmetic for prices, factors, ratios and shares.
 *
 * Every value is a non-negative rational `num / den` held in BigInt, so no step ever touches binary
 * floating point. Decimal strings from the input are parsed straight into `digits / 10^scale`.
 */

export interface Rational {
  readonly num: bigint;
  /** Always > 0. */
  readonly den: bigint;
}

/** Plain-notation decimal: digits with an optional fractional part, no sign, exponent or bare dot. */
const PLAIN_DECIMAL = /^[0-9]+(\.[0-9]+)?$/;

const POWERS_OF_TEN: bigint[] = [1n];
export function powerOfTen(exponent: number): bigint {
  while (POWERS_OF_TEN.length <= exponent) {
    POWERS_OF_TEN.push(POWERS_OF_TEN[POWERS_OF_TEN.length - 1] * 10n);
  }
  return POWERS_OF_TEN[exponent];
}

export function isPlainDecimal(text: string): boolean {
  return PLAIN_DECIMAL.test(text);
}

/** Number of digits after the dot of a plain decimal string. */
export function fractionDigits(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** Parses a string already known to match the plain-decimal syntax. */
export function parseDecimal(text: string): Rational {
  const dot = text.indexOf('.');
  if (dot < 0) return { num: BigInt(text), den: 1n };
  const scale = text.length - dot - 1;
  return { num: BigInt(text.slice(0, dot) + text.slice(dot + 1)), den: powerOfTen(scale) };
}

export function fromInteger(value: number | bigint): Rational {
  return { num: BigInt(value), den: 1n };
}

export const ZERO: Rational = { num: 0n, den: 1n };
export const ONE: Rational = { num: 1n, den: 1n };

/** Sign of a − b: −1, 0 or 1. */
export function compare(a: Rational, b: Rational): number {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function isZero(a: Rational): boolean {
  return a.num === 0n;
}

export function add(a: Rational, b: Rational): Rational {
  if (a.den === b.den) return { num: a.num + b.num, den: a.den };
  return { num: a.num * b.den + b.num * a.den, den: a.den * b.den };
}

export function subtract(a: Rational, b: Rational): Rational {
  if (a.den === b.den) return { num: a.num - b.num, den: a.den };
  return { num: a.num * b.den - b.num * a.den, den: a.den * b.den };
}

export function multiply(a: Rational, b: Rational): Rational {
  return { num: a.num * b.num, den: a.den * b.den };
}

/** a ÷ b; b must be non-zero and non-negative. */
export function divide(a: Rational, b: Rational): Rational {
  if (b.num === 0n) throw new RangeError('division by zero');
  return { num: a.num * b.den, den: a.den * b.num };
}

export function min(a: Rational, b: Rational): Rational {
  return compare(a, b) <= 0 ? a : b;
}

export function max(a: Rational, b: Rational): Rational {
  return compare(a, b) >= 0 ? a : b;
}

/** Rounds a non-negative rational half-up to `decimals` places, as a scaled integer (value × 10^decimals). */
export function roundHalfUpScaled(a: Rational, decimals: number): bigint {
  const scaled = a.num * powerOfTen(decimals);
  // floor((scaled + den/2) / den) without fractions: floor((2·scaled + den) / (2·den)).
  return (2n * scaled + a.den) / (2n * a.den);
}

/** Rounds a non-negative rational half-up to `decimals` places and keeps it exact as a rational. */
export function roundHalfUp(a: Rational, decimals: number): Rational {
  return { num: roundHalfUpScaled(a, decimals), den: powerOfTen(decimals) };
}

/** Formats a non-negative rational half-up with exactly `decimals` places in plain notation. */
export function toFixed(a: Rational, decimals: number): string {
  const digits = roundHalfUpScaled(a, decimals).toString();
  if (decimals === 0) return digits;
  const padded = digits.padStart(decimals + 1, '0');
  return `${padded.slice(0, padded.length - decimals)}.${padded.slice(padded.length - decimals)}`;
}
