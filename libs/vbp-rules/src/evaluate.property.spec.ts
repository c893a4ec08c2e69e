import fc from 'fast-check';
import { evaluateRound } from './evaluate';
import { serializeResult } from './serialize';
import { BidInput, DemandLineInput, LotInput, RoundInput, RuleSet, TIE_BREAK_KEYS } from './types';
import { validateInput } from './validate';

/** Prices from a small grid so that equal UCPs, and hence every tie-break level, occur often. */
function priceOnGrid(minSteps: number, maxSteps: number): fc.Arbitrary<string> {
  return fc.integer({ min: minSteps, max: maxSteps }).map((steps) => {
    const tenThousandths = steps * 250;
    return `${Math.floor(tenThousandths / 10_000)}.${String(tenThousandths % 10_000).padStart(4, '0')}`;
  });
}
// from 0.0250: a zero price is invalid input (the contract requires unitPrice > 0)
const priceText = priceOnGrid(1, 40);
/** Ceilings mostly above the price grid, so most bids are valid but some are not. */
const ceilingText = priceOnGrid(12, 60);

const ruleSetArbitrary: fc.Arbitrary<RuleSet> = fc.record({
  priceRatio: fc.constantFrom('0.5', '1', '1.5', '1.8', '2.25'),
  anchor: fc.constantFrom('LOWEST' as const, 'HALF_MEAN_OR_LOWEST' as const),
  lowPriceThreshold: fc.constantFrom(null, '0.1', '0.25'),
  ceilingReduction: fc.constantFrom(null, '0.5', '0.6', '1'),
  shortlist: fc.record({ minus: fc.integer({ min: 0, max: 4 }), max: fc.integer({ min: 1, max: 10 }) }),
  revival: fc.boolean(),
  tieBreak: fc.shuffledSubarray([...TIE_BREAK_KEYS]),
  volumeShareByWinners: fc.array(fc.constantFrom('0.3', '0.5', '0.75', '0.333', '1'), { minLength: 1, maxLength: 4 }),
  cycleYearsByWinners: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 }),
});

const MANUFACTURERS = ['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'M8', 'M9', 'M10', 'M11'];
const INSTANTS = ['2026-03-01T09:00:00+08:00', '2026-03-01T01:00:00Z', '2026-03-01T09:00:00.5+08:00', '2026-02-28T20:00:00-05:00'];

function lotArbitrary(lotIndex: number): fc.Arbitrary<LotInput> {
  return fc
    .record({
      specs: fc.uniqueArray(fc.constantFrom('1', '2', '1.7', '2.5', '3'), { minLength: 1, maxLength: 3 }),
      ceilings: fc.array(ceilingText, { minLength: 3, maxLength: 3 }),
      regionCount: fc.integer({ min: 0, max: 6 }),
      manufacturers: fc.shuffledSubarray(MANUFACTURERS, { maxLength: 10 }),
    })
    .chain(({ specs, ceilings, regionCount, manufacturers }) => {
      const specInputs = specs.map((factor, index) => ({ id: `S${index}`, comparableFactor: factor, ceilingUnitPrice: ceilings[index] }));
      const regions = Array.from({ length: regionCount }, (_, index) => `R${index}`);
      const demandLine = (index: number): fc.Arbitrary<DemandLineInput> =>
        fc.record(
          {
            hospitalId: fc.constant(`H${index}`),
            regionId: fc.constantFrom(...regions),
            quantity: fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(0, 1, 3, 5)),
            preferredManufacturerId: fc.constantFrom(null, 'M0', 'M1', 'M2', 'M-unknown'),
          },
          { requiredKeys: ['hospitalId', 'regionId', 'quantity'] },
        );
      const bid = (manufacturerId: string, index: number): fc.Arbitrary<BidInput> =>
        fc.record(
          {
            id: fc.constant(`L${lotIndex}-B${(index * 7) % 11}`),
            manufacturerId: fc.constant(manufacturerId),
            specId: fc.constantFrom(...specInputs.map((spec) => spec.id)),
            unitPrice: priceText,
            submittedAt: fc.constantFrom(...INSTANTS),
            demandShare: fc.constantFrom('0', '0.1', '0.15', '0.5'),
            acceptsRevival: fc.boolean(),
            regionPreferences: regions.length === 0 ? fc.constant([]) : fc.shuffledSubarray(regions),
          },
          { requiredKeys: ['id', 'manufacturerId', 'specId', 'unitPrice', 'submittedAt'] },
        );
      return fc.record({
        id: fc.constant(`L${lotIndex}`),
        specs: fc.constant(specInputs),
        regions: fc.constant(regions),
        demand: regions.length === 0 ? fc.constant([]) : fc.integer({ min: 0, max: 12 }).chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => demandLine(i)))),
        bids: fc.tuple(...manufacturers.map((manufacturerId, index) => bid(manufacturerId, index))),
      });
    });
}

const roundArbitrary: fc.Arbitrary<RoundInput> = fc.record({
  ruleSet: ruleSetArbitrary,
  lots: fc.integer({ min: 1, max: 2 }).chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => lotArbitrary(index)))),
});

function evaluate(input: RoundInput) {
  const validation = validateInput(JSON.parse(JSON.stringify(input)));
  if (!validation.ok) throw new Error(`generator produced invalid input at ${validation.path}: ${validation.error}`);
  return evaluateRound(validation.input);
}

const RUNS = { numRuns: 300 };

describe('evaluateRound properties', () => {
  it('ranks are exactly 1..N over the valid bids, and only invalid bids lack one', () => {
    fc.assert(
      fc.property(roundArbitrary, (input) => {
        for (const lot of evaluate(input).lots) {
          const ranks = lot.bids.filter((bid) => bid.status !== 'INVALID').map((bid) => bid.rank);
          expect(ranks.length).toBe(lot.validBidCount);
          expect([...ranks].sort((a, b) => a! - b!)).toEqual(Array.from({ length: lot.validBidCount }, (_, i) => i + 1));
          expect(lot.bids.filter((bid) => bid.status === 'INVALID').every((bid) => bid.rank === null)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('winners come from the shortlist, so W never exceeds the cap', () => {
    fc.assert(
      fc.property(roundArbitrary, (input) => {
        for (const lot of evaluate(input).lots) {
          const winners = lot.bids.filter((bid) => bid.status === 'WINNER' || bid.status === 'REVIVED');
          expect(lot.winnerCount).toBe(winners.length);
          expect(lot.winnerCount).toBeLessThanOrEqual(lot.shortlistCap);
          expect(winners.every((bid) => bid.rank! <= lot.shortlistCap && bid.reason === null && bid.awardedUnitPrice !== null)).toBe(true);
          expect(lot.status).toBe(winners.length > 0 ? 'AWARDED' : 'FAILED');
        }
      }),
      RUNS,
    );
  });

  it('allocations go to winners, one per demand line, and sum to the agreed quantity', () => {
    fc.assert(
      fc.property(roundArbitrary, (input) => {
        evaluate(input).lots.forEach((lot, index) => {
          const winnerIds = new Set(lot.bids.filter((bid) => bid.status === 'WINNER' || bid.status === 'REVIVED').map((bid) => bid.id));
          const expectedLines = lot.winnerCount > 0 ? input.lots[index].demand.length : 0;
          expect(lot.allocations).toHaveLength(expectedLines);
          expect(lot.allocations.every((allocation) => winnerIds.has(allocation.bidId))).toBe(true);
          expect(lot.allocations.reduce((sum, allocation) => sum + allocation.agreedQuantity, 0)).toBe(lot.agreedQuantity);
        });
      }),
      RUNS,
    );
  });

  it('rounds each agreed quantity half-up exactly (checked against a BigInt oracle)', () => {
    fc.assert(
      fc.property(roundArbitrary, (input) => {
        evaluate(input).lots.forEach((lot, index) => {
          if (lot.volumeShare === null) return;
          const [whole, fraction = ''] = lot.volumeShare.split('.');
          const shareNumerator = BigInt(whole + fraction);
          const shareDenominator = 10n ** BigInt(fraction.length);
          lot.allocations.forEach((allocation, line) => {
            const quantity = BigInt(input.lots[index].demand[line].quantity);
            const scaled = quantity * shareNumerator;
            const floor = scaled / shareDenominator;
            const expected = 2n * (scaled - floor * shareDenominator) >= shareDenominator ? floor + 1n : floor;
            expect(BigInt(allocation.agreedQuantity)).toBe(expected);
          });
        });
      }),
      RUNS,
    );
  });

  it('with W ≥ 1 every region has exactly one primary, a winner; nobody backs its own primary region', () => {
    fc.assert(
      fc.property(roundArbitrary, (input) => {
        evaluate(input).lots.forEach((lot, index) => {
          if (lot.winnerCount === 0) {
            expect(lot.regions).toEqual([]);
            return;
          }
          const winnerIds = new Set(lot.bids.filter((bid) => bid.status === 'WINNER' || bid.status === 'REVIVED').map((bid) => bid.id));
          expect(lot.regions.map((region) => region.regionId)).toEqual(input.lots[index].regions);
          for (const region of lot.regions) {
            expect(winnerIds.has(region.primaryBidId!)).toBe(true);
            expect(region.backupBidId).not.toBe(region.primaryBidId);
            if (lot.winnerCount >= 2) expect(winnerIds.has(region.backupBidId!)).toBe(true);
            else expect(region.backupBidId).toBeNull();
          }
        });
      }),
      RUNS,
    );
  });

  it('shuffling the bids changes nothing but the order of the output bids', () => {
    const withShuffle = roundArbitrary.chain((input) =>
      fc.tuple(fc.constant(input), fc.tuple(...input.lots.map((lot) => fc.shuffledSubarray(lot.bids, { minLength: lot.bids.length })))),
    );
    fc.assert(
      fc.property(withShuffle, ([input, shuffledBids]) => {
        const shuffled: RoundInput = { ...input, lots: input.lots.map((lot, index) => ({ ...lot, bids: shuffledBids[index] })) };
        const original = evaluate(input);
        const reordered = evaluate(shuffled);
        original.lots.forEach((lot, index) => {
          const other = reordered.lots[index];
          expect({ ...other, bids: null }).toEqual({ ...lot, bids: null });
          const byId = new Map(lot.bids.map((bid) => [bid.id, bid]));
          expect(other.bids.map((bid) => bid.id)).toEqual(shuffledBids[index].map((bid) => bid.id));
          expect(other.bids).toEqual(other.bids.map((bid) => byId.get(bid.id)));
        });
      }),
      RUNS,
    );
  });

  it('the same input always prints byte-identical output', () => {
    fc.assert(
      fc.property(roundArbitrary, (input) => {
        expect(serializeResult(evaluate(input))).toBe(serializeResult(evaluate(JSON.parse(JSON.stringify(input)))));
      }),
      { numRuns: 100 },
    );
  });
});
