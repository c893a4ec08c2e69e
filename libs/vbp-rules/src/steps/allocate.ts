import { AllocationResult, DemandLineInput } from '../types';
import { ShareFactor, agreedQuantity } from './volume';

/**
 * Rule 11 (with rule 9's per-line quantity): each demand line goes to the winning bid of its preferred
 * manufacturer when that manufacturer won, otherwise to its region's primary winner.
 */
export function allocate(
  demand: readonly DemandLineInput[],
  regionIndexOfLine: Int32Array,
  primaryBidIdByRegion: readonly string[],
  winningBidIdByManufacturer: ReadonlyMap<string, string>,
  share: ShareFactor,
): { allocations: AllocationResult[]; agreedQuantity: number } {
  const allocations = new Array<AllocationResult>(demand.length);
  let total = 0;
  for (let line = 0; line < demand.length; line++) {
    const demandLine = demand[line];
    const regionIndex = regionIndexOfLine[line];
    const preferred = demandLine.preferredManufacturerId;
    const preferredBidId =
      preferred === undefined || preferred === null ? undefined : winningBidIdByManufacturer.get(preferred);
    const quantity = agreedQuantity(demandLine.quantity, share);
    total += quantity;
    allocations[line] = {
      hospitalId: demandLine.hospitalId,
      regionId: demandLine.regionId,
      bidId: preferredBidId === undefined ? primaryBidIdByRegion[regionIndex] : preferredBidId,
      agreedQuantity: quantity,
    };
  }
  // Partial sums only grow, so a safe final total proves every addition was exact.
  if (!Number.isSafeInteger(total)) {
    // Beyond exact double range: add in BigInt, then report the nearest representable number.
    let exact = 0n;
    for (const allocation of allocations) exact += BigInt(allocation.agreedQuantity);
    total = Number(exact);
  }
  return { allocations, agreedQuantity: total };
}
