/** Rule 4: cap = min(max, max(1, N − minus)), and 0 when there is no valid bid. */
export function shortlistCap(validBidCount: number, rule: { readonly minus: number; readonly max: number }): number {
  if (validBidCount === 0) return 0;
  return Math.min(rule.max, Math.max(1, validBidCount - rule.minus));
}

/** Rule 4: splits ranked bids (best first) into the shortlist and the rest. */
export function shortlist<T>(
  rankedBids: readonly T[],
  rule: { readonly minus: number; readonly max: number },
): { cap: number; shortlisted: T[]; notShortlisted: T[] } {
  const cap = shortlistCap(rankedBids.length, rule);
  return { cap, shortlisted: rankedBids.slice(0, cap), notShortlisted: rankedBids.slice(cap) };
}
