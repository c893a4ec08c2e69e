/**
 * Exact money for the platform.
 *
 * - Amounts are integer fen (分) as `bigint`; they map to PostgreSQL `bigint` columns, so every amount that
 *   enters through this module is kept inside the signed 64-bit range.
 * - Unit prices are exact decimal strings with 4 decimals (yuan per reference unit), stored as
 *   `numeric(18,4)`. Arithmetic on them goes through decimal.js or BigInt, never JS numbers.
 * - Rounding happens in one place: half-up (四舍五入, i.e. ties away from zero for negative values too).
 */
import Decimal from 'decimal.js';

/** Decimal configured for money: 40 significant digits is far beyond numeric(18,4) × any int64 quantity. */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof Dec>;
export { Decimal };

/** Signed 64-bit bounds of a PostgreSQL bigint column. */
export const MAX_FEN = 9223372036854775807n;
export const MIN_FEN = -9223372036854775808n;

/** numeric(18,4): at most 14 integer digits. */
const UNIT_PRICE_MAX_INTEGER_DIGITS = 14;

export class MoneyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyFormatError';
  }
}

const YUAN_RE = /^([+-]?)(\d+)(?:\.(\d{1,2}))?$/;
const UNIT_PRICE_RE = /^(\d+)(?:\.(\d+))?$/;
/** A plain decimal (optionally signed) with no exponent; used where we compute rather than validate input. */
const PLAIN_DECIMAL_RE = /^([+-]?)(\d+)(?:\.(\d+))?$/;

function describe(text: unknown): string {
  return typeof text === 'string' ? JSON.stringify(text) : String(text);
}

function assertFenInRange(fen: bigint, what: string): void {
  if (fen > MAX_FEN || fen < MIN_FEN) {
    throw new MoneyFormatError(`${what} is outside the 64-bit range of a bigint column`);
  }
}

/**
 * "123" | "123.4" | "123.45" | "-5.00" (yuan) → fen. No exponent, no spaces, at most 2 decimals.
 */
export function parseYuanToFen(text: string): bigint {
  if (typeof text !== 'string') {
    throw new MoneyFormatError(`amount must be a string of yuan, got ${typeof text}`);
  }
  if (text === '') throw new MoneyFormatError('amount is empty');
  const m = YUAN_RE.exec(text);
  if (!m) {
    const why = /^[+-]?\d+\.\d{3,}$/.test(text)
      ? 'at most 2 decimals are allowed'
      : 'expected a decimal number of yuan such as "123.45" (no spaces, no exponent)';
    throw new MoneyFormatError(`invalid amount ${describe(text)}: ${why}`);
  }
  const [, sign, int, frac = ''] = m;
  const abs = BigInt(int) * 100n + BigInt(frac.padEnd(2, '0'));
  const fen = sign === '-' ? -abs : abs;
  assertFenInRange(fen, `amount ${describe(text)}`);
  return fen;
}

/** fen → yuan string with exactly 2 decimals: 12345n → "123.45", -5n → "-0.05". */
export function formatFenAsYuan(fen: bigint): string {
  if (typeof fen !== 'bigint') throw new MoneyFormatError(`fen must be a bigint, got ${typeof fen}`);
  const neg = fen < 0n;
  const abs = neg ? -fen : fen;
  const int = abs / 100n;
  const frac = (abs % 100n).toString().padStart(2, '0');
  return `${neg ? '-' : ''}${int}.${frac}`;
}

/**
 * Validates a unit price as typed by a user or read from a file: a plain decimal, ≤ 4 decimals, > 0
 * (≥ 0 with allowZero), no sign or exponent, fits numeric(18,4). Returns it with exactly 4 decimals.
 */
export function parseUnitPrice(text: string, opts?: { allowZero?: boolean }): string {
  if (typeof text !== 'string') {
    throw new MoneyFormatError(`unit price must be a string, got ${typeof text}`);
  }
  if (text === '') throw new MoneyFormatError('unit price is empty');
  const m = UNIT_PRICE_RE.exec(text);
  if (!m) {
    let why = 'expected a plain decimal such as "6.2000" (no sign, spaces or exponent)';
    if (/^[+-]/.test(text)) why = 'a sign is not allowed';
    else if (/[eE]/.test(text)) why = 'exponent notation is not allowed';
    else if (/\s/.test(text)) why = 'spaces are not allowed';
    throw new MoneyFormatError(`invalid unit price ${describe(text)}: ${why}`);
  }
  const [, int, frac = ''] = m;
  if (frac.length > 4) {
    throw new MoneyFormatError(`invalid unit price ${describe(text)}: at most 4 decimals are allowed`);
  }
  const intDigits = int.replace(/^0+(?=\d)/, '');
  if (intDigits.length > UNIT_PRICE_MAX_INTEGER_DIGITS) {
    throw new MoneyFormatError(
      `invalid unit price ${describe(text)}: at most ${UNIT_PRICE_MAX_INTEGER_DIGITS} integer digits are allowed`,
    );
  }
  const normalised = `${intDigits}.${frac.padEnd(4, '0')}`;
  if (/^0\.0000$/.test(normalised) && !opts?.allowZero) {
    throw new MoneyFormatError(`invalid unit price ${describe(text)}: must be greater than 0`);
  }
  return normalised;
}

/** Any exact decimal → string with exactly 4 decimals, rounded half-up. */
export function formatUnitPrice(value: string | Decimal): string {
  let d: Decimal;
  try {
    d = new Dec(value);
  } catch {
    throw new MoneyFormatError(`invalid unit price ${describe(value)}`);
  }
  if (!d.isFinite()) throw new MoneyFormatError(`invalid unit price ${describe(value)}: not finite`);
  const s = d.toFixed(4, Decimal.ROUND_HALF_UP);
  return s === '-0.0000' ? '0.0000' : s;
}

/** Splits a plain decimal string into a scaled integer: "6.25" → { units: 625n, scale: 2 }. */
function toScaled(text: string, what: string): { units: bigint; scale: number } {
  const m = PLAIN_DECIMAL_RE.exec(text);
  if (!m) throw new MoneyFormatError(`invalid ${what} ${describe(text)}: expected a plain decimal`);
  const [, sign, int, frac = ''] = m;
  const abs = BigInt(int + frac);
  return { units: sign === '-' ? -abs : abs, scale: frac.length };
}

function decimalToPlain(value: string | Decimal, what: string): string {
  if (typeof value === 'string') return value;
  if (Decimal.isDecimal(value)) return value.toFixed();
  throw new MoneyFormatError(`invalid ${what} ${describe(value)}`);
}

/** n / d rounded half away from zero; d is a power of ten here, so d / 2 is exact whenever d > 1. */
function divRoundHalfUp(n: bigint, d: bigint): bigint {
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const q = (abs + d / 2n) / d;
  return neg ? -q : q;
}

function toBigIntQuantity(quantity: bigint | number): bigint {
  if (typeof quantity === 'bigint') return quantity;
  if (typeof quantity === 'number' && Number.isSafeInteger(quantity)) return BigInt(quantity);
  throw new MoneyFormatError(`quantity must be a bigint or a safe integer, got ${describe(quantity)}`);
}

/**
 * Line amount in fen = round-half-up(unitPrice × quantity) to 0.01 yuan, computed in BigInt only.
 * The unit price may carry any number of decimals (e.g. a spec-converted price); it is not rounded first.
 */
export function lineAmountFen(unitPrice: string | Decimal, quantity: bigint | number): bigint {
  const q = toBigIntQuantity(quantity);
  const { units, scale } = toScaled(decimalToPlain(unitPrice, 'unit price'), 'unit price');
  // yuan × 100 = fen; value in fen = units × q × 100 / 10^scale
  const fen = divRoundHalfUp(units * q * 100n, 10n ** BigInt(scale));
  assertFenInRange(fen, 'line amount');
  return fen;
}

/** round-half-up(fen × ratio) for shares such as prepayment "0.30" or retained savings "0.5". */
export function mulRatioFen(fen: bigint, ratio: string | Decimal): bigint {
  if (typeof fen !== 'bigint') throw new MoneyFormatError(`fen must be a bigint, got ${typeof fen}`);
  const { units, scale } = toScaled(decimalToPlain(ratio, 'ratio'), 'ratio');
  const out = divRoundHalfUp(fen * units, 10n ** BigInt(scale));
  assertFenInRange(out, 'amount');
  return out;
}

export function sumFen(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const v of values) {
    if (typeof v !== 'bigint') throw new MoneyFormatError(`fen must be a bigint, got ${typeof v}`);
    total += v;
  }
  return total;
}

/** Exact yuan value of an amount in fen, for display or for deriving prices. */
export function fenToDecimal(fen: bigint): Decimal {
  return new Dec(formatFenAsYuan(fen));
}

/**
 * unitPrice × factor, rounded half-up to 4 decimals — e.g. converting a price per reference unit to another
 * spec with its comparable factor (差比价).
 */
export function mulUnitPrice(unitPrice: string | Decimal, factor: string | Decimal): string {
  return formatUnitPrice(new Dec(decimalToPlain(unitPrice, 'unit price')).times(decimalToPlain(factor, 'factor')));
}

/** unitPrice ÷ divisor, rounded half-up to 4 decimals (e.g. pack price → unit price). */
export function divUnitPrice(unitPrice: string | Decimal, divisor: string | Decimal): string {
  const d = new Dec(decimalToPlain(divisor, 'divisor'));
  if (d.isZero()) throw new MoneyFormatError('division by zero');
  return formatUnitPrice(new Dec(decimalToPlain(unitPrice, 'unit price')).div(d));
}

/** -1 | 0 | 1, exact. */
export function compareUnitPrices(a: string | Decimal, b: string | Decimal): -1 | 0 | 1 {
  return new Dec(decimalToPlain(a, 'unit price')).cmp(decimalToPlain(b, 'unit price')) as -1 | 0 | 1;
}

/** TypeORM transformer for `bigint` columns holding fen (pg returns int8 as a string). */
export const fenTransformer = {
  to(value: bigint | null | undefined): string | null {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'bigint') {
      // Refuse numbers: a float or an unsafe integer must never reach a money column silently.
      throw new MoneyFormatError(`money column expects a bigint of fen, got ${typeof value} ${describe(value)}`);
    }
    assertFenInRange(value, 'amount');
    return value.toString();
  },
  from(value: string | number | bigint | null | undefined): bigint | null {
    if (value === null || value === undefined) return null;
    if (typeof value === 'bigint') return value;
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) throw new MoneyFormatError(`unsafe integer from database: ${value}`);
      return BigInt(value);
    }
    if (!/^-?\d+$/.test(value)) throw new MoneyFormatError(`not an integer of fen from database: ${describe(value)}`);
    return BigInt(value);
  },
};

/** TypeORM transformer for numeric(18,4) unit-price columns; normalises to exactly 4 decimals. */
export const unitPriceTransformer = {
  to(v: string | null): string | null {
    if (v === null || v === undefined) return null;
    if (typeof v !== 'string' || !PLAIN_DECIMAL_RE.test(v)) {
      throw new MoneyFormatError(`unit price column expects a decimal string, got ${describe(v)}`);
    }
    return formatUnitPrice(v);
  },
  from(v: string | null): string | null {
    if (v === null || v === undefined) return null;
    return formatUnitPrice(v);
  },
};
