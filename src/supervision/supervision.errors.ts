import { AppError } from '../platform/errors/app-error';

/** Supervision refusals; codes are listed in platform/errors/error-codes.ts. */
export const SupervisionErrors = {
  invalidPeriod: (field: string) => new AppError('VALIDATION_FAILED', 'A period is a month written YYYY-MM', { field }),
  futurePeriod: (field: string) => new AppError('VALIDATION_FAILED', 'A month that has not begun cannot be monitored', { field }),
  invalidTransition: (reason: string) => new AppError('INVALID_STATE', reason, { field: 'input.to' }),
  notAnswerable: (state: string) => new AppError('CASE_NOT_AWAITING_ANSWER', `The case is ${state}; only an open inquiry or interview takes an answer`),
  creditUnavailable: () => new AppError('CREDIT_UNAVAILABLE', 'Credit events cannot be recorded: the credit context is not installed'),
  notEscalatable: () =>
    new AppError('ALERT_NOT_ESCALATABLE', 'This alert names no manufacturer or distributor to record a credit event against', { field: 'input.to' }),
  ruleUnknown: () => new AppError('NOT_FOUND', 'No monitoring rule has this code', { field: 'input.code' }),
};
