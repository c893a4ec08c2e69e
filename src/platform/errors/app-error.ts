import { GraphQLError } from 'graphql';
import { ErrorCode } from './error-codes';

/**
 * A refusal the user can act on: it reaches the client as a GraphQL error with a stable
 * `extensions.code` and, for bad input, the `extensions.field` at fault.
 */
export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    details: { field?: string; [key: string]: unknown } = {},
  ) {
    super(message, { extensions: { code, ...details } });
  }
}

export const validationFailed = (field: string, message: string, details: Record<string, unknown> = {}) =>
  new AppError('VALIDATION_FAILED', message, { field, ...details });

export const notFound = (what: string, field?: string) =>
  new AppError('NOT_FOUND', `${what} was not found`, field ? { field } : {});

export const forbidden = (message = 'You are not allowed to do this') => new AppError('FORBIDDEN', message);

export const conflict = (code: ErrorCode, message: string, field?: string) =>
  new AppError(code, message, field ? { field } : {});
