import { AppError } from '../platform/errors/app-error';

/** Credit refusals; codes are listed in platform/errors/error-codes.ts. */
export const CreditErrors = {
  sanctioned: (message: string, details: Record<string, unknown> = {}) => new AppError('CREDIT_SANCTIONED', message, details),
  letterMissing: () => new AppError('COMMITMENT_LETTER_MISSING', 'File a commitment letter (承诺书) first'),
  letterExists: () => new AppError('COMMITMENT_LETTER_EXISTS', 'A commitment letter is on file already'),
  nothingToRepair: () => new AppError('NOTHING_TO_REPAIR', 'The organisation has no adverse rating to repair'),
  repairPending: () => new AppError('REPAIR_ALREADY_FILED', 'A credit repair is already waiting for a decision'),
  invalid: (field: string, message: string) => new AppError('VALIDATION_FAILED', message, { field }),
  replyPeriodOpen: (deadline: Date) => new AppError('CREDIT_REPLY_PERIOD_OPEN', '企业陈述申辩期未满且尚未陈述申辩，暂不能作出决定', { deadline: deadline.toISOString() }),
  replyPeriodEnded: (deadline: Date) => new AppError('CREDIT_REPLY_PERIOD_ENDED', '陈述申辩期限已过', { deadline: deadline.toISOString() }),
  appealPeriodEnded: (deadline: Date | null) => new AppError('CREDIT_APPEAL_PERIOD_ENDED', '申诉期限已过', { deadline: deadline?.toISOString() ?? null }),
  appealSameReviewer: () => new AppError('CREDIT_APPEAL_SAME_REVIEWER', '作出原决定的人员不能复核申诉'),
};
