import { AppError } from '../platform/errors/app-error';

/** Catalogue refusals; codes are listed in platform/errors/error-codes.ts. */
export const CatalogErrors = {
  invalidCode: (field: string, reason: string) => new AppError('VALIDATION_FAILED', reason, { field }),
  duplicateCreditCode: () => new AppError('DUPLICATE_CREDIT_CODE', 'An organisation with this unified social credit code exists', { field: 'input.creditCode' }),
  duplicateUsername: () => new AppError('DUPLICATE_USERNAME', 'A user with this username exists', { field: 'input.username' }),
  duplicateCode: (field: string, what: string) => new AppError('DUPLICATE_CODE', `${what} exists already`, { field }),
};
