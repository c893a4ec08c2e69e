import { AppError } from '../platform/errors/app-error';
import { Refusal } from './round-state-machine';

/** Tendering refusals; codes are listed in platform/errors/error-codes.ts. */
export const TenderingErrors = {
  refused: (refusal: Refusal) => new AppError(refusal.code, refusal.message),
  publicityNotEnded: (endsAt: Date | null) =>
    new AppError('PUBLICITY_NOT_ENDED', `Publicity ends at ${endsAt ? endsAt.toISOString() : 'a time not yet set'}`),
  objectionsOpen: (count: number) => new AppError('OBJECTIONS_OPEN', `${count} objection(s) still unanswered`),
  objectionPeriodClosed: () => new AppError('OBJECTION_PERIOD_CLOSED', 'Objections are filed only during publicity'),
  demandWindowClosed: () => new AppError('DEMAND_WINDOW_CLOSED', 'The round does not take demand now'),
  demandReasonRequired: (floor: number) =>
    new AppError('DEMAND_REASON_REQUIRED', `Below ${floor} units (the policy share of last year’s purchases): give a reason`, { field: 'input.reason' }),
  hospitalNotCovered: () => new AppError('HOSPITAL_NOT_COVERED', 'Your hospital lies outside the round’s covered regions'),
  biddingNotOpen: () => new AppError('BIDDING_NOT_OPEN', 'The round does not take bids yet'),
  bidDeadlinePassed: () => new AppError('BID_DEADLINE_PASSED', 'The bid deadline has passed'),
  bidExists: () => new AppError('BID_EXISTS', 'You already have a bid on this lot; replace or withdraw it', { field: 'input.lotId' }),
  productNotOwned: () => new AppError('PRODUCT_NOT_OWNED', 'The product is registered to another manufacturer', { field: 'input.productId' }),
  productNotEligible: (why: string) => new AppError('PRODUCT_NOT_ELIGIBLE', why, { field: 'input.productId' }),
  commitmentMismatch: (bidId: string) => new AppError('BID_COMMITMENT_MISMATCH', `Bid ${bidId} does not match its commitment`),
  ruleSetInvalid: (path: string, error: string) => new AppError('RULE_SET_INVALID', `Rule set: ${error} at ${path}`, { field: 'input.ruleSet' }),
  noResult: () => new AppError('NO_RESULT', 'The round has not been opened'),
  invalid: (field: string, message: string) => new AppError('VALIDATION_FAILED', message, { field }),
};
