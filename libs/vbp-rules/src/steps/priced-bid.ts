import { Rational } from '../decimal';
import { InstantKey } from '../instant';

/** A bid with its spec resolved and every value it is judged on in exact form. */
export interface PricedBid {
  /** Position in the lot's input `bids` array. */
  readonly index: number;
  readonly id: string;
  readonly manufacturerId: string;
  readonly unitPrice: Rational;
  readonly ceilingUnitPrice: Rational;
  readonly comparableFactor: Rational;
  readonly unitComparablePrice: Rational;
  /** Absent in the input counts as 0. */
  readonly demandShare: Rational;
  readonly submittedAt: InstantKey;
  readonly acceptsRevival: boolean;
  readonly regionPreferences: readonly string[];
}
