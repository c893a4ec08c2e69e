import { Rational, compare } from '../decimal';
import { InstantKey, compareInstants } from '../instant';
import { TieBreakKey } from '../types';

export interface RankableBid {
  readonly id: string;
  readonly unitComparablePrice: Rational;
  readonly unitPrice: Rational;
  readonly demandShare: Rational;
  readonly submittedAt: InstantKey;
}

/** Sign of "a ranks before b" under one tie-break key: negative when a comes first. */
export function compareByKey(key: TieBreakKey, a: RankableBid, b: RankableBid): number {
  switch (key) {
    case 'UNIT_COMPARABLE_PRICE':
      return compare(a.unitComparablePrice, b.unitComparablePrice);
    case 'UNIT_PRICE':
      return compare(a.unitPrice, b.unitPrice);
    case 'DEMAND_SHARE':
      return compare(b.demandShare, a.demandShare); // larger share first
    case 'SUBMITTED_AT':
      return compareInstants(a.submittedAt, b.submittedAt);
    case 'BID_ID':
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  }
}

/**
 * Rule 3: orders the valid bids best first by the tie-break chain; a bid's rank is its position + 1.
 * `BID_ID` is appended when the chain lacks it, so equal bids cannot remain.
 */
export function rankBids<T extends RankableBid>(validBids: readonly T[], tieBreak: readonly TieBreakKey[]): T[] {
  const chain: readonly TieBreakKey[] = tieBreak.includes('BID_ID') ? tieBreak : [...tieBreak, 'BID_ID'];
  return [...validBids].sort((a, b) => {
    for (const key of chain) {
      const order = compareByKey(key, a, b);
      if (order !== 0) return order;
    }
    return 0;
  });
}
