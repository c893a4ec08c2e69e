import { AppError } from '../platform/errors/app-error';

/** Listing refusals; codes are listed in platform/errors/error-codes.ts. */
export const ListingErrors = {
  invalid: (field: string, message: string, details: Record<string, unknown> = {}) => new AppError('VALIDATION_FAILED', message, { field, ...details }),
  exists: () => new AppError('LISTING_EXISTS', 'The product is listed already or has an application under review', { field: 'input.productId' }),
  selfReview: () => new AppError('SELF_REVIEW_FORBIDDEN', 'A manufacturer may not review its own listing application'),
  sameReviewer: () => new AppError('SECOND_REVIEWER_REQUIRED', '您已审核过该申请，须由另一名审核人员完成复核', { field: 'input.applicationId' }),
  evidenceRequired: (field: string, message: string) => new AppError('PRICE_EVIDENCE_REQUIRED', message, { field }),
  invalidState: (message: string) => new AppError('INVALID_STATE', message),
  importInvalid: (errors: { line: number; field: string; message: string }[]) =>
    new AppError('IMPORT_FILE_INVALID', `Line ${errors[0].line}: ${errors[0].message}; nothing of the file was applied`, {
      field: errors[0].field,
      line: errors[0].line,
      errors: errors.slice(0, 100),
    }),
};
