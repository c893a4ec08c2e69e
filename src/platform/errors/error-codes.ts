/**
 * The error catalogue: every business refusal the API can give, by stable code. Clients switch on these;
 * never rename one, only add. Each context adds its codes here so the whole catalogue stays in one place.
 */
export const ERROR_CODES = {
  // platform
  UNAUTHENTICATED: 'No valid access token was given, or it has expired',
  FORBIDDEN: 'The caller may not perform this operation or see this record',
  NOT_FOUND: 'The record does not exist or is outside the caller\'s scope',
  VALIDATION_FAILED: 'An input value is malformed or out of range; extensions.field names it',
  QUERY_TOO_DEEP: 'The query nests deeper than the configured limit',
  QUERY_TOO_COSTLY: 'The query would cost more than the configured limit',
  ONE_OPERATION_PER_REQUEST: 'A request may carry exactly one operation',
  INTROSPECTION_DISABLED: 'Introspection needs a login in production',
  RATE_LIMITED: 'Too many attempts',
  ACCOUNT_LOCKED: 'Too many failed logins; the account is locked for a while',
  INVALID_CREDENTIALS: 'Username or password is wrong',
  INVALID_REFRESH_TOKEN: 'The refresh token is unknown, used or expired',
  IDEMPOTENCY_KEY_REUSED: 'The idempotency key was already used with a different request',
  CONCURRENT_UPDATE: 'The record changed concurrently; retry',
  INTERNAL: 'An unexpected fault; the request id identifies it in the logs',
  // catalog
  DUPLICATE_CREDIT_CODE: 'An organisation with this unified social credit code exists',
  DUPLICATE_USERNAME: 'A user with this username exists',
  DUPLICATE_CODE: 'A record with this code exists',
  INVALID_STATE: 'The record is not in a state that allows this step',
  // settlement
  PAYMENT_RESULT_ALREADY_RECORDED: 'The bank result of this payment instruction was already recorded differently',
  SETTLEMENT_BATCH_RUNNING: 'The settlement batch has not finished; its payment instructions are not ready',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES | (string & { readonly __contextCode?: never });
