import { Rational, ZERO, parseDecimal, toFixed } from './decimal';
import { parseInstant } from './instant';
import { ExactRuleSet, toExactRuleSet } from './rule-set';
import { allocate } from './steps/allocate';
import { anchor } from './steps/anchor';
import { PricedBid } from './steps/priced-bid';
import { priceTest } from './steps/price-test';
import { rankBids } from './steps/rank';
import { assignRegions, regionDemand } from './steps/regions';
import { revival } from './steps/revival';
import { shortlist } from './steps/shortlist';
import { unitComparablePrice } from './steps/unit-comparable-price';
import { validity } from './steps/validity';
import { volume } from './steps/volume';
import { BidReason, BidResult, BidStatus, LotInput, LotResult, RoundInput, RoundResult, SpecInput } from './types';

const UCP_DECIMALS = 6;
const PRICE_DECIMALS = 4;

interface BidOutcome {
  status: BidStatus;
  reason: BidReason;
  rank: number | null;
  awardedUnitPrice: Rational | null;
}

/** Resolves a bid's spec and turns every value it is judged on into exact form. */
export function priceBid(bid: LotInput['bids'][number], index: number, spec: SpecInput): PricedBid {
  const unitPrice = parseDecimal(bid.unitPrice);
  const comparableFactor = parseDecimal(spec.comparableFactor);
  const submittedAt = parseInstant(bid.submittedAt);
  if (submittedAt === null) throw new TypeError(`bid ${bid.id}: submittedAt is not an instant with an offset`);
  const share = bid.demandShare;
  return {
    index,
    id: bid.id,
    manufacturerId: bid.manufacturerId,
    unitPrice,
    ceilingUnitPrice: parseDecimal(spec.ceilingUnitPrice),
    comparableFactor,
    unitComparablePrice: unitComparablePrice(unitPrice, comparableFactor),
    demandShare: share === undefined ? ZERO : parseDecimal(share),
    submittedAt,
    acceptsRevival: bid.acceptsRevival === true,
    regionPreferences: bid.regionPreferences ?? [],
  };
}

/** Applies rules 1–11 to one lot. The lot must have passed validateInput. */
export function evaluateLot(lot: LotInput, rules: ExactRuleSet): LotResult {
  const specById = new Map(lot.specs.map((spec) => [spec.id, spec] as const));
  const bids = lot.bids.map((bid, index) => priceBid(bid, index, specById.get(bid.specId) as SpecInput));
  const outcomes: BidOutcome[] = bids.map(() => ({
    status: 'INVALID',
    reason: 'ABOVE_CEILING',
    rank: null,
    awardedUnitPrice: null,
  }));

  // 1. Validity; 3. rank the valid bids.
  // an excluded bid (upheld objection) is INVALID whatever its price, and takes no part in any later step
  lot.bids.forEach((bid, index) => {
    if (bid.excluded === true) outcomes[index] = { status: 'INVALID', reason: 'EXCLUDED', rank: null, awardedUnitPrice: null };
  });
  const validBids = bids.filter((bid) => lot.bids[bid.index].excluded !== true && validity(bid.unitPrice, bid.ceilingUnitPrice) === null);
  const ranked = rankBids(validBids, rules.tieBreak);
  ranked.forEach((bid, position) => {
    outcomes[bid.index] = { status: 'ELIMINATED', reason: 'NOT_SHORTLISTED', rank: position + 1, awardedUnitPrice: null };
  });

  // 4. Shortlist; 5. anchor.
  const { cap, shortlisted } = shortlist(ranked, rules.shortlist);
  const anchorUcp = anchor(
    rules.anchor,
    validBids.map((bid) => bid.unitComparablePrice),
    shortlisted.map((bid) => bid.unitComparablePrice),
  );

  // 6. Price test; 7. revival.
  let revivalUcp: Rational | null = null;
  if (anchorUcp !== null) {
    const passed: PricedBid[] = [];
    const failed: PricedBid[] = [];
    for (const bid of shortlisted) {
      const outcome = outcomes[bid.index];
      if (priceTest(bid, anchorUcp, rules)) {
        passed.push(bid);
        outcome.status = 'WINNER';
        outcome.reason = null;
        outcome.awardedUnitPrice = bid.unitPrice;
      } else {
        failed.push(bid);
        outcome.reason = 'PRICE_TEST';
      }
    }
    const revivalStep = revival(
      rules.revival,
      passed.map((bid) => bid.unitComparablePrice),
      failed,
      anchorUcp,
      rules.priceRatio,
    );
    revivalUcp = revivalStep.revivalUnitComparablePrice;
    for (const { bid, awardedUnitPrice } of revivalStep.revived) {
      const outcome = outcomes[bid.index];
      outcome.status = 'REVIVED';
      outcome.reason = null;
      outcome.awardedUnitPrice = awardedUnitPrice;
    }
  }

  // 8. Winners, best (original) rank first.
  const winnersByRank = ranked.filter((bid) => {
    const status = outcomes[bid.index].status;
    return status === 'WINNER' || status === 'REVIVED';
  });
  const winnerCount = winnersByRank.length;

  const bidResults: BidResult[] = bids.map((bid) => {
    const outcome = outcomes[bid.index];
    return {
      id: bid.id,
      status: outcome.status,
      reason: outcome.reason,
      rank: outcome.rank,
      unitComparablePrice: toFixed(bid.unitComparablePrice, UCP_DECIMALS),
      awardedUnitPrice: outcome.awardedUnitPrice === null ? null : toFixed(outcome.awardedUnitPrice, PRICE_DECIMALS),
    };
  });

  const result: LotResult = {
    id: lot.id,
    status: winnerCount === 0 ? 'FAILED' : 'AWARDED',
    validBidCount: validBids.length,
    shortlistCap: cap,
    anchorUnitComparablePrice: anchorUcp === null ? null : toFixed(anchorUcp, UCP_DECIMALS),
    revivalUnitComparablePrice: revivalUcp === null ? null : toFixed(revivalUcp, UCP_DECIMALS),
    winnerCount,
    volumeShare: null,
    cycleYears: null,
    agreedQuantity: 0,
    bids: bidResults,
    regions: [],
    allocations: [],
  };
  if (winnerCount === 0) return result;

  // 9. Volume terms; 10. regions; 11. allocation.
  const terms = volume(winnerCount, rules.volumeShareByWinners, rules.cycleYearsByWinners);
  const regionIndexById = new Map(lot.regions.map((regionId, index) => [regionId, index] as const));
  const { totals, regionIndexOfLine } = regionDemand(lot.regions, lot.demand);
  const choosers = winnersByRank.map((bid) => ({
    preferredRegions: bid.regionPreferences.map((regionId) => regionIndexById.get(regionId) as number),
  }));
  const { primary, backup } = assignRegions(choosers, lot.regions, totals);
  const primaryBidIdByRegion = primary.map((winner) => winnersByRank[winner].id);
  const winningBidIdByManufacturer = new Map(winnersByRank.map((bid) => [bid.manufacturerId, bid.id] as const));
  const { allocations, agreedQuantity } = allocate(
    lot.demand,
    regionIndexOfLine,
    primaryBidIdByRegion,
    winningBidIdByManufacturer,
    terms.factor,
  );

  result.volumeShare = terms.volumeShare;
  result.cycleYears = terms.cycleYears;
  result.agreedQuantity = agreedQuantity;
  result.regions = lot.regions.map((regionId, index) => ({
    regionId,
    primaryBidId: winnersByRank[primary[index]].id,
    backupBidId: backup[index] < 0 ? null : winnersByRank[backup[index]].id,
  }));
  result.allocations = allocations;
  return result;
}

/** Evaluates a validated round (see validateInput): every lot in input order. */
export function evaluateRound(input: RoundInput): RoundResult {
  const rules = toExactRuleSet(input.ruleSet);
  return { lots: input.lots.map((lot) => evaluateLot(lot, rules)) };
}
