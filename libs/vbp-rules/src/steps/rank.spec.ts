import { ZERO } from '../decimal';
import { parseInstant } from '../instant';
import { dec } from '../spec-helpers';
import { TieBreakKey } from '../types';
import { RankableBid, rankBids } from './rank';

function rankable(id: string, fields: { ucp?: string; price?: string; share?: string; at?: string } = {}): RankableBid {
  return {
    id,
    unitComparablePrice: dec(fields.ucp ?? '1'),
    unitPrice: dec(fields.price ?? '1'),
    demandShare: fields.share === undefined ? ZERO : dec(fields.share),
    submittedAt: parseInstant(fields.at ?? '2026-01-01T00:00:00Z')!,
  };
}

const ids = (bids: RankableBid[]): string[] => bids.map((bid) => bid.id);
const FULL: TieBreakKey[] = ['UNIT_COMPARABLE_PRICE', 'UNIT_PRICE', 'DEMAND_SHARE', 'SUBMITTED_AT', 'BID_ID'];

describe('rankBids (rule 3)', () => {
  it('ranks by lower unit comparable price first', () => {
    const bids = [rankable('A', { ucp: '0.5' }), rankable('B', { ucp: '0.25' }), rankable('C', { ucp: '0.4999' })];
    expect(ids(rankBids(bids, FULL))).toEqual(['B', 'C', 'A']);
  });

  it('breaks a UCP tie by lower unit price', () => {
    const bids = [rankable('A', { ucp: '0.1', price: '0.4' }), rankable('B', { ucp: '0.1', price: '0.1' })];
    expect(ids(rankBids(bids, FULL))).toEqual(['B', 'A']);
  });

  it('breaks a further tie by larger demand share, an absent share counting as 0', () => {
    const bids = [rankable('A'), rankable('B', { share: '0.15' }), rankable('C', { share: '0.2' }), rankable('D', { share: '0' })];
    expect(ids(rankBids(bids, FULL))).toEqual(['C', 'B', 'A', 'D']);
  });

  it('breaks a further tie by the earlier instant, comparing across offsets', () => {
    const bids = [
      rankable('A', { at: '2026-04-01T10:00:00+08:00' }),
      rankable('B', { at: '2026-04-01T01:30:00Z' }),
      rankable('C', { at: '2026-04-01T01:30:00.001Z' }),
    ];
    expect(ids(rankBids(bids, FULL))).toEqual(['B', 'C', 'A']);
  });

  it('breaks a full tie by the lexicographically smaller bid id', () => {
    const bids = [rankable('b'), rankable('B'), rankable('A10'), rankable('A9')];
    expect(ids(rankBids(bids, FULL))).toEqual(['A10', 'A9', 'B', 'b']);
  });

  it('follows the configured order of keys, not a fixed one', () => {
    const bids = [rankable('A', { ucp: '0.1', share: '0.1' }), rankable('B', { ucp: '0.2', share: '0.9' })];
    expect(ids(rankBids(bids, ['DEMAND_SHARE', 'UNIT_COMPARABLE_PRICE']))).toEqual(['B', 'A']);
    expect(ids(rankBids(bids, ['UNIT_COMPARABLE_PRICE', 'DEMAND_SHARE']))).toEqual(['A', 'B']);
  });

  it('appends BID_ID when missing, so an empty or repeated chain still gives a total order', () => {
    const bids = [rankable('Z', { share: '1' }), rankable('A', { share: '0' })];
    expect(ids(rankBids(bids, []))).toEqual(['A', 'Z']);
    expect(ids(rankBids(bids, ['UNIT_PRICE', 'UNIT_PRICE']))).toEqual(['A', 'Z']);
    // Keys after BID_ID can never matter.
    expect(ids(rankBids(bids, ['BID_ID', 'DEMAND_SHARE']))).toEqual(['A', 'Z']);
  });

  it('does not reorder its argument', () => {
    const bids = [rankable('B'), rankable('A')];
    rankBids(bids, FULL);
    expect(ids(bids)).toEqual(['B', 'A']);
  });
});
