import fc from 'fast-check';
import {
  Dec,
  MAX_FEN,
  MoneyFormatError,
  compareUnitPrices,
  divUnitPrice,
  fenTransformer,
  formatFenAsYuan,
  formatUnitPrice,
  lineAmountFen,
  mulRatioFen,
  mulUnitPrice,
  parseUnitPrice,
  parseYuanToFen,
  sumFen,
  unitPriceTransformer,
} from './index';

/** Reference rounding written independently: BigInt with an explicit remainder comparison. */
function refRoundHalfUp(num: bigint, den: bigint): bigint {
  const sign = num < 0n ? -1n : 1n;
  const a = num * sign;
  let q = a / den;
  const r = a % den;
  if (r * 2n >= den) q += 1n;
  return q * sign;
}

describe('parseYuanToFen', () => {
  it.each([
    ['123', 12300n],
    ['123.4', 12340n],
    ['123.45', 12345n],
    ['-5.00', -500n],
    ['0', 0n],
    ['0.01', 1n],
    ['+7.1', 710n],
    ['-0.05', -5n],
  ])('%s → %s', (text, fen) => expect(parseYuanToFen(text)).toBe(fen));

  it.each(['', ' 1', '1 ', '1.234', '1e3', '1.', '.5', 'abc', '1,000', '--1', '１２', '92233720368547758.08'])(
    'rejects %j',
    (text) => expect(() => parseYuanToFen(text)).toThrow(MoneyFormatError),
  );

  it('explains too many decimals', () => {
    expect(() => parseYuanToFen('1.234')).toThrow(/at most 2 decimals/);
  });

  it('accepts the bigint column maximum', () => {
    expect(parseYuanToFen('92233720368547758.07')).toBe(MAX_FEN);
  });
});

describe('formatFenAsYuan', () => {
  it.each([
    [12345n, '123.45'],
    [-5n, '-0.05'],
    [0n, '0.00'],
    [100n, '1.00'],
    [-12345n, '-123.45'],
    [MAX_FEN, '92233720368547758.07'],
  ])('%s → %s', (fen, text) => expect(formatFenAsYuan(fen)).toBe(text));

  it('round-trips any fen (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }), (fen) => {
        expect(parseYuanToFen(formatFenAsYuan(fen))).toBe(fen);
      }),
    );
  });

  it('round-trips canonical yuan strings (property)', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 99 }), (neg, y, f) => {
        if (y === 0n && f === 0) neg = false;
        const text = `${neg ? '-' : ''}${y}.${String(f).padStart(2, '0')}`;
        expect(formatFenAsYuan(parseYuanToFen(text))).toBe(text);
      }),
    );
  });
});

describe('parseUnitPrice', () => {
  it.each([
    ['0.5', '0.5000'],
    ['6.2', '6.2000'],
    ['6.2000', '6.2000'],
    ['12', '12.0000'],
    ['0.0001', '0.0001'],
    ['007.5', '7.5000'],
  ])('%s → %s', (text, out) => expect(parseUnitPrice(text)).toBe(out));

  it.each([
    ['0', /greater than 0/],
    ['0.0000', /greater than 0/],
    ['-1', /sign/],
    ['+1', /sign/],
    ['1e2', /exponent/],
    [' 1', /spaces/],
    ['1.23456', /at most 4 decimals/],
    ['', /empty/],
    ['1.', /plain decimal/],
    ['123456789012345', /integer digits/],
  ])('rejects %j (%s)', (text, why) => {
    expect(() => parseUnitPrice(text)).toThrow(MoneyFormatError);
    expect(() => parseUnitPrice(text)).toThrow(why);
  });

  it('allows zero when asked', () => {
    expect(parseUnitPrice('0', { allowZero: true })).toBe('0.0000');
  });

  it('round-trips through formatUnitPrice (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 18n - 1n }), (units) => {
        const s = units.toString().padStart(5, '0');
        const text = `${s.slice(0, -4).replace(/^0+(?=\d)/, '')}.${s.slice(-4)}`;
        expect(parseUnitPrice(text)).toBe(text);
        expect(formatUnitPrice(text)).toBe(text);
        expect(formatUnitPrice(new Dec(text))).toBe(text);
      }),
    );
  });
});

describe('formatUnitPrice', () => {
  it('rounds half-up to 4 decimals', () => {
    expect(formatUnitPrice('1.23445')).toBe('1.2345');
    expect(formatUnitPrice('1.23444')).toBe('1.2344');
    expect(formatUnitPrice('-1.23445')).toBe('-1.2345');
    expect(formatUnitPrice(new Dec('2').div(3))).toBe('0.6667');
    expect(formatUnitPrice('-0.00001')).toBe('0.0000');
  });
  it('rejects garbage', () => {
    expect(() => formatUnitPrice('abc')).toThrow(MoneyFormatError);
  });
});

describe('lineAmountFen', () => {
  it('computes and rounds half-up', () => {
    expect(lineAmountFen('6.2000', 100n)).toBe(62000n);
    expect(lineAmountFen('0.0050', 1)).toBe(1n); // 0.005 yuan = 0.5 fen → 1 fen
    expect(lineAmountFen('0.0049', 1)).toBe(0n);
    expect(lineAmountFen('0.1234', 3)).toBe(37n); // 0.3702
    expect(lineAmountFen('0.0050', -1n)).toBe(-1n);
    expect(lineAmountFen(new Dec('1.5'), 3)).toBe(450n);
  });

  it('does not use floats: a price × quantity beyond 2^53 stays exact', () => {
    expect(lineAmountFen('9999999999.9999', 100000n)).toBe(99999999999999000n);
  });

  it('refuses unsafe or fractional number quantities', () => {
    expect(() => lineAmountFen('1.0000', 2 ** 53)).toThrow(MoneyFormatError);
    expect(() => lineAmountFen('1.0000', 1.5)).toThrow(MoneyFormatError);
    expect(() => lineAmountFen('1e3', 1)).toThrow(MoneyFormatError);
  });

  it('equals a BigInt-only reference (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: -(10n ** 6n), max: 10n ** 7n }),
        (priceUnits, qty) => {
          // price in 1/10000 yuan; fen = price × qty / 100
          const s = priceUnits.toString().padStart(5, '0');
          const price = `${s.slice(0, -4)}.${s.slice(-4)}`;
          expect(lineAmountFen(price, qty)).toBe(refRoundHalfUp(priceUnits * qty, 100n));
          if (qty >= BigInt(Number.MIN_SAFE_INTEGER) && qty <= BigInt(Number.MAX_SAFE_INTEGER)) {
            expect(lineAmountFen(price, Number(qty))).toBe(lineAmountFen(price, qty));
          }
        },
      ),
    );
  });

  it('agrees with decimal.js (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 10n }), fc.integer({ min: 0, max: 1_000_000 }), (units, qty) => {
        const price = new Dec(units.toString()).div(10000);
        const expected = BigInt(price.times(qty).times(100).toDecimalPlaces(0, Dec.ROUND_HALF_UP).toFixed());
        expect(lineAmountFen(price.toFixed(4), qty)).toBe(expected);
      }),
    );
  });
});

describe('mulRatioFen', () => {
  it('rounds half-up', () => {
    expect(mulRatioFen(1000n, '0.30')).toBe(300n);
    expect(mulRatioFen(5n, '0.5')).toBe(3n);
    expect(mulRatioFen(-5n, '0.5')).toBe(-3n);
    expect(mulRatioFen(333n, '0.3333')).toBe(111n);
    expect(mulRatioFen(100n, '1')).toBe(100n);
  });
  it('rejects non-decimal ratios', () => {
    expect(() => mulRatioFen(100n, '30%')).toThrow(MoneyFormatError);
  });
  it('equals a reference (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 10000 }), (fen, r) => {
        const ratio = (r / 10000).toFixed(4); // r ≤ 10000 so this string is exact
        expect(mulRatioFen(fen, ratio)).toBe(refRoundHalfUp(fen * BigInt(r), 10000n));
      }),
    );
  });
});

describe('sumFen and helpers', () => {
  it('sums', () => {
    expect(sumFen([1n, 2n, -3n, 10n])).toBe(10n);
    expect(sumFen([])).toBe(0n);
    expect(sumFen(new Set([5n]))).toBe(5n);
  });
  it('converts and compares unit prices', () => {
    expect(mulUnitPrice('2.0000', '1.7')).toBe('3.4000');
    expect(mulUnitPrice('1.2345', '2.89')).toBe('3.5677'); // 3.567705
    expect(divUnitPrice('12.0000', '7')).toBe('1.7143');
    expect(() => divUnitPrice('1', '0')).toThrow(MoneyFormatError);
    expect(compareUnitPrices('1.5', '1.5000')).toBe(0);
    expect(compareUnitPrices('1.4999', '1.5')).toBe(-1);
  });
});

describe('fenTransformer', () => {
  it('maps bigint ↔ string', () => {
    expect(fenTransformer.to(12345n)).toBe('12345');
    expect(fenTransformer.to(null)).toBeNull();
    expect(fenTransformer.to(undefined)).toBeNull();
    expect(fenTransformer.from('-12345')).toBe(-12345n);
    expect(fenTransformer.from(null)).toBeNull();
  });
  it('refuses non-bigint and out-of-range values', () => {
    expect(() => fenTransformer.to(1.5 as unknown as bigint)).toThrow(MoneyFormatError);
    expect(() => fenTransformer.to(12 as unknown as bigint)).toThrow(MoneyFormatError);
    expect(() => fenTransformer.to('12' as unknown as bigint)).toThrow(MoneyFormatError);
    expect(() => fenTransformer.to(MAX_FEN + 1n)).toThrow(MoneyFormatError);
    expect(() => fenTransformer.from('1.5')).toThrow(MoneyFormatError);
  });
});

describe('unitPriceTransformer', () => {
  it('normalises to 4 decimals', () => {
    expect(unitPriceTransformer.to('6.2')).toBe('6.2000');
    expect(unitPriceTransformer.from('6.20000')).toBe('6.2000');
    expect(unitPriceTransformer.from('0')).toBe('0.0000');
    expect(unitPriceTransformer.to(null)).toBeNull();
    expect(unitPriceTransformer.from(null)).toBeNull();
  });
  it('refuses non-decimal input', () => {
    expect(() => unitPriceTransformer.to('1e3')).toThrow(MoneyFormatError);
    expect(() => unitPriceTransformer.to(6.2 as unknown as string)).toThrow(MoneyFormatError);
  });
});
