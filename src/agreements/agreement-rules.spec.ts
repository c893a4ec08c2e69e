import fc from 'fast-check';
import { Dec } from '@libs/money';
import { convertUnits, prepaymentFen, specUnits } from './agreement-rules';

const price = fc.integer({ min: 1, max: 99_999_999 }).map((n) => new Dec(n).div(10_000).toFixed(4));
const quantity = fc.integer({ min: 0, max: 50_000_000 });
const line = fc.record({ annualQuantity: quantity, unitPrice: price });

describe('agreement arithmetic', () => {
  it('prepayment: 30% of 1000 units at 0.3333 is 99.99 yuan', () => {
    expect(prepaymentFen([{ annualQuantity: 1000, unitPrice: '0.3333' }], '0.3')).toBe(9999n);
    // rounded once over the sum, not per line: 3 × (1 × 0.0050 × 0.3 = 0.0015 yuan) = 0.0045 yuan → 0 fen
    expect(prepaymentFen(Array(3).fill({ annualQuantity: 1, unitPrice: '0.0050' }), '0.3')).toBe(0n);
  });

  it('prepayment is within half a fen of the exact amount and never decreases when a line is added', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), line, (lines, extra) => {
        const fen = prepaymentFen(lines, '0.3');
        const exact = lines.reduce((s, l) => s.plus(new Dec(l.annualQuantity).times(l.unitPrice)), new Dec(0)).times('0.3').times(100);
        expect(new Dec(fen.toString()).minus(exact).abs().lte('0.5')).toBe(true);
        expect(prepaymentFen([...lines, extra], '0.3') >= fen).toBe(true);
      }),
    );
  });

  it('spec units: factor 1 keeps the quantity; a doubled strength (1.7) needs fewer units', () => {
    expect(specUnits(10_000, '1')).toBe(10_000);
    expect(specUnits(17_000, '1.7')).toBe(10_000);
    fc.assert(
      fc.property(quantity, fc.integer({ min: 1, max: 100_000 }), (q, f) => {
        const factor = new Dec(f).div(10_000).toFixed();
        const units = specUnits(q, factor);
        // the units cover the reference quantity to within half a unit of the spec
        expect(new Dec(units).times(factor).minus(q).abs().lte(new Dec(factor).div(2))).toBe(true);
      }),
    );
  });

  it('converting to another spec and back stays within one unit', () => {
    fc.assert(
      fc.property(quantity, fc.constantFrom('1', '1.7', '2.89', '0.5882'), fc.constantFrom('1', '1.7', '2.89', '0.5882'), (q, a, b) => {
        const there = convertUnits(q, new Dec(a).div(b).toFixed());
        const back = convertUnits(there, new Dec(b).div(a).toFixed());
        expect(Math.abs(back - q)).toBeLessThanOrEqual(Math.ceil(Number(new Dec(b).div(a).toFixed(3))) + 1);
      }),
    );
  });
});
