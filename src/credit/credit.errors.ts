import { AppError } from '../platform/errors/app-error';

/** Credit refusals; codes are listed in platform/errors/error-codes.ts. */
export const CreditErrors = {
  sanctioned: (message: string, details: Record<string, unknown> = {}) => new AppError('CREDIT_SANCTIONED', message, details),
  letterMissing: () => new AppError('COMMITMENT_LETTER_MISSING', 'File a commitment letter (承诺书) first'),
  letterExists: () => new AppError('COMMITMENT_LETTER_EXISTS', 'A commitment letter is on file already'),
  nothingToRepair: () => new AppError('NOTHING_TO_REPAIR', 'The organisation has no adverse rating to repair'),
  repairPending: () => new AppError('REPAIR_ALREADY_FILED', 'A credit repair is already waiting for a decision'),
  invalid: (field: string, message: string) => new AppError('VALIDATION_FAILED', message, { field }),
};
