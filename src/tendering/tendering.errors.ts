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
  sealingModeNotAllowed: () => new AppError('SEALING_MODE_NOT_ALLOWED', '生产环境不允许使用演示用单一密钥封存（DEMO_SINGLE_KEY），请使用开标委员会模式（COMMITTEE）', { field: 'input.sealingMode' }),
  committeeMissing: () => new AppError('OPENING_COMMITTEE_MISSING', '本轮为开标委员会模式，投标开始前须先指定开标委员会'),
  notCommitteeMember: () => new AppError('OPENING_COMMITTEE_NOT_MEMBER', '您不是本轮开标委员会成员', { field: 'roundId' }),
  keyNotReady: () => new AppError('OPENING_KEY_NOT_READY', '本轮密钥在投标开始时生成，目前尚无密钥分片'),
  shareAlreadyDelivered: () => new AppError('OPENING_SHARE_ALREADY_DELIVERED', '您的密钥分片已交付过一次，服务器不再保存该分片'),
  shareDuplicate: () => new AppError('OPENING_SHARE_DUPLICATE', '您已提交过本轮的密钥分片', { field: 'share' }),
  shareInvalid: () => new AppError('OPENING_SHARE_INVALID', '提交的密钥分片与为您生成的分片不符', { field: 'share' }),
  sharesMissing: (submitted: number, threshold: number) =>
    new AppError('OPENING_SHARES_MISSING', `开标需要 ${threshold} 名委员会成员提交密钥分片，目前已提交 ${submitted} 份`, { submitted, threshold }),
};
