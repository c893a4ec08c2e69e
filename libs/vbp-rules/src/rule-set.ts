import { Rational, parseDecimal } from './decimal';
import { AnchorKind, RuleSet, TieBreakKey } from './types';

/** A rule set with every decimal parsed to an exact rational, computed once per round. */
export interface ExactRuleSet {
  readonly priceRatio: Rational;
  readonly anchor: AnchorKind;
  readonly lowPriceThreshold: Rational | null;
  readonly ceilingReduction: Rational | null;
  readonly shortlist: { readonly minus: number; readonly max: number };
  readonly revival: boolean;
  /** The configured chain with `BID_ID` appended when missing, so every ranking is total. */
  readonly tieBreak: readonly TieBreakKey[];
  /** Shares as given (for echoing) and as exact values. */
  readonly volumeShareByWinners: readonly { readonly text: string; readonly value: Rational }[];
  readonly cycleYearsByWinners: readonly number[];
}

export function completeTieBreakChain(tieBreak: readonly TieBreakKey[]): TieBreakKey[] {
  return tieBreak.includes('BID_ID') ? [...tieBreak] : [...tieBreak, 'BID_ID'];
}

export function toExactRuleSet(ruleSet: RuleSet): ExactRuleSet {
  return {
    priceRatio: parseDecimal(ruleSet.priceRatio),
    anchor: ruleSet.anchor,
    lowPriceThreshold: ruleSet.lowPriceThreshold === null ? null : parseDecimal(ruleSet.lowPriceThreshold),
    ceilingReduction: ruleSet.ceilingReduction === null ? null : parseDecimal(ruleSet.ceilingReduction),
    shortlist: { minus: ruleSet.shortlist.minus, max: ruleSet.shortlist.max },
    revival: ruleSet.revival,
    tieBreak: completeTieBreakChain(ruleSet.tieBreak),
    volumeShareByWinners: ruleSet.volumeShareByWinners.map((text) => ({ text, value: parseDecimal(text) })),
    cycleYearsByWinners: [...ruleSet.cycleYearsByWinners],
  };
}

/** Entry `count` of a 1-based table whose last entry holds past its end. */
export function entryForWinnerCount<T>(table: readonly T[], winnerCount: number): T {
  return table[Math.min(winnerCount, table.length) - 1];
}
