import { evaluateRound } from './evaluate';
import { bid, lot, round } from './spec-helpers';
import { validateInput } from './validate';
import { RoundInput } from './types';

function evaluate(input: RoundInput) {
  const validation = validateInput(JSON.parse(JSON.stringify(input)));
  if (!validation.ok) throw new Error(`${validation.path}: ${validation.error}`);
  return evaluateRound(validation.input).lots[0];
}

describe('evaluateRound', () => {
  it('fails a lot with valid bids but no price-test winner, keeping the anchor and no revival', () => {
    // priceRatio below 1: nobody is within 0.5 × lowest.
    const result = evaluate(
      round([lot({ bids: [bid({ id: 'A', unitPrice: '0.4000', acceptsRevival: true }), bid({ id: 'B', unitPrice: '0.5000' })] })], {
        priceRatio: '0.5',
        shortlist: { minus: 0, max: 10 },
      }),
    );
    expect(result).toMatchObject({
      status: 'FAILED',
      validBidCount: 2,
      shortlistCap: 2,
      anchorUnitComparablePrice: '0.400000',
      revivalUnitComparablePrice: null,
      winnerCount: 0,
      volumeShare: null,
      cycleYears: null,
      agreedQuantity: 0,
      regions: [],
      allocations: [],
    });
    expect(result.bids.map((b) => [b.status, b.reason, b.rank])).toEqual([
      ['ELIMINATED', 'PRICE_TEST', 1],
      ['ELIMINATED', 'PRICE_TEST', 2],
    ]);
  });

  it('prints the revival UCP even when no failed bid accepts revival', () => {
    const result = evaluate(
      round([lot({ bids: [bid({ id: 'A', unitPrice: '0.3000' }), bid({ id: 'B', unitPrice: '0.9000' }), bid({ id: 'C', unitPrice: '0.9500' })] })], {
        shortlist: { minus: 0, max: 10 },
      }),
    );
    expect(result.revivalUnitComparablePrice).toBe('0.540000');
    expect(result.winnerCount).toBe(1);
  });

  it('prints no revival UCP when revival is switched off', () => {
    const result = evaluate(
      round([lot({ bids: [bid({ id: 'A', unitPrice: '0.3000' }), bid({ id: 'B', unitPrice: '0.9000', acceptsRevival: true })] })], {
        revival: false,
        shortlist: { minus: 0, max: 10 },
      }),
    );
    expect(result.revivalUnitComparablePrice).toBeNull();
    expect(result.bids[1]).toMatchObject({ status: 'ELIMINATED', reason: 'PRICE_TEST', awardedUnitPrice: null });
  });

  it('anchors on the lowest valid UCP even when that bid is not shortlisted', () => {
    // Ranked by bid id only: "A" (0.9000) is shortlisted, "Z" (0.1000) is not, yet the anchor is 0.1.
    const result = evaluate(
      round([lot({ bids: [bid({ id: 'Z', unitPrice: '0.1000' }), bid({ id: 'A', unitPrice: '0.9000' })] })], {
        tieBreak: ['BID_ID'],
        shortlist: { minus: 1, max: 10 },
      }),
    );
    expect(result.anchorUnitComparablePrice).toBe('0.100000');
    expect(result.bids.map((b) => [b.id, b.status, b.reason, b.rank])).toEqual([
      ['Z', 'ELIMINATED', 'NOT_SHORTLISTED', 2],
      ['A', 'ELIMINATED', 'PRICE_TEST', 1],
    ]);
    expect(result.status).toBe('FAILED');
  });

  it('lets a revived bid choose regions by its original rank, before worse-ranked winners', () => {
    const result = evaluate(
      round(
        [
          lot({
            regions: ['R1', 'R2', 'R3'],
            demand: [
              { hospitalId: 'H1', regionId: 'R1', quantity: 10 },
              { hospitalId: 'H2', regionId: 'R2', quantity: 20 },
              { hospitalId: 'H3', regionId: 'R3', quantity: 30 },
            ],
            specs: [
              { id: 'S1', comparableFactor: '1', ceilingUnitPrice: '1.0000' },
              { id: 'S2', comparableFactor: '10', ceilingUnitPrice: '10.0000' },
            ],
            bids: [
              bid({ id: 'A', unitPrice: '0.1000', demandShare: '0.5', regionPreferences: ['R1'] }),
              bid({ id: 'B', unitPrice: '0.5000', demandShare: '0.9', acceptsRevival: true }),
              bid({ id: 'C', specId: 'S2', unitPrice: '1.5000', regionPreferences: ['R3'] }),
            ],
          }),
        ],
        { shortlist: { minus: 0, max: 10 }, tieBreak: ['DEMAND_SHARE', 'BID_ID'] },
      ),
    );
    // Ranks by demand share: B 1, A 2, C 3. Limit 1.8 × 0.1 = 0.18: A (0.1) and C (0.15) win, B (0.5) is revived.
    expect(result.bids.map((b) => [b.id, b.status, b.rank, b.awardedUnitPrice])).toEqual([
      ['A', 'WINNER', 2, '0.1000'],
      ['B', 'REVIVED', 1, '0.1500'],
      ['C', 'WINNER', 3, '1.5000'],
    ]);
    // B chooses first (largest region R3), A its preferred R1, C finds R3 taken and takes R2.
    expect(result.regions.map((r) => r.primaryBidId)).toEqual(['A', 'C', 'B']);
    // Backups from B again: B the largest other region R2, A (own R1) R3, C (R3 backed) R1.
    expect(result.regions.map((r) => r.backupBidId)).toEqual(['C', 'B', 'A']);
  });

  it('revives at revival UCP × factor rounded half-up to 4 decimals, printed with 4 decimals', () => {
    const result = evaluate(
      round(
        [
          lot({
            specs: [
              { id: 'S1', comparableFactor: '1', ceilingUnitPrice: '9.0000' },
              { id: 'S3', comparableFactor: '3', ceilingUnitPrice: '9.0000' },
            ],
            bids: [
              bid({ id: 'A', unitPrice: '0.1111' }),
              bid({ id: 'B', specId: 'S3', unitPrice: '2.0000', acceptsRevival: true }),
            ],
          }),
        ],
        { priceRatio: '1.5', shortlist: { minus: 0, max: 10 } },
      ),
    );
    // Revival UCP 1.5 × 0.1111 = 0.16665 (printed 0.166650); × 3 = 0.49995 → 0.5000 (half-up).
    expect(result.revivalUnitComparablePrice).toBe('0.166650');
    expect(result.bids[1]).toMatchObject({ status: 'REVIVED', reason: null, rank: 2, awardedUnitPrice: '0.5000', unitComparablePrice: '0.666667' });
  });

  it('handles an empty round and a lot without regions or demand', () => {
    expect(evaluateRound({ ruleSet: round([]).ruleSet, lots: [] })).toEqual({ lots: [] });
    const result = evaluate(round([lot({ regions: [], demand: [], bids: [bid({ id: 'A', unitPrice: '0.5' })] })]));
    expect(result).toMatchObject({ status: 'AWARDED', winnerCount: 1, regions: [], allocations: [], agreedQuantity: 0 });
    expect(result.bids[0].awardedUnitPrice).toBe('0.5000');
  });
});
