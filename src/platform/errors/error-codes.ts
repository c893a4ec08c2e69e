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
  // credit
  CREDIT_SANCTIONED: 'A credit sanction bars bidding, listing or delivery of this product',
  COMMITMENT_LETTER_MISSING: 'No commitment letter (承诺书) is on file for the manufacturer',
  COMMITMENT_LETTER_EXISTS: 'A commitment letter is on file already',
  NOTHING_TO_REPAIR: 'The organisation has no adverse credit rating to repair',
  REPAIR_ALREADY_FILED: 'A credit repair is already waiting for a decision',
  // listing
  LISTING_EXISTS: 'The product is already listed or has an application under review',
  SELF_REVIEW_FORBIDDEN: 'An organisation may not review its own listing application',
  IMPORT_FILE_INVALID: 'A row of the imported file is invalid; nothing of the file was applied (extensions.line)',
  // tendering
  DEADLINE_NOT_REACHED: 'A time-driven step was asked for before its time (e.g. opening before the bid deadline)',
  PUBLICITY_NOT_ENDED: 'The round is confirmed only after its publicity period ends',
  OBJECTIONS_OPEN: 'Every objection must be answered before the round is confirmed',
  OBJECTION_PERIOD_CLOSED: 'Objections are filed only while the round is publicized',
  DEMAND_WINDOW_CLOSED: 'Demand is reported and changed only while the round takes demand, before its demand deadline',
  DEMAND_REASON_REQUIRED: 'Demand below the policy share of last year’s purchases needs a reason',
  HOSPITAL_NOT_COVERED: 'The hospital lies outside the round’s covered regions',
  BIDDING_NOT_OPEN: 'The round does not take bids yet',
  BID_DEADLINE_PASSED: 'The bid arrived at or after the bid deadline (server receipt time)',
  BID_EXISTS: 'The manufacturer already has a bid on this lot; replace or withdraw it',
  PRODUCT_NOT_OWNED: 'The product is registered to another manufacturer',
  PRODUCT_NOT_ELIGIBLE: 'The product is not of the lot’s variety and specs, or has not passed consistency evaluation',
  BID_COMMITMENT_MISMATCH: 'A sealed bid no longer matches its commitment; opening stopped',
  RULE_SET_INVALID: 'The rule set is not one the evaluation engine accepts',
  NO_RESULT: 'The round has not been opened',
  // agreements
  SUPPLY_FAILURE_EXISTS: 'A supply failure is already on file for this agreement',
  NO_BACKUP_WINNER: 'The region has no backup winner to take over',
  // settlement
  PAYMENT_RESULT_ALREADY_RECORDED: 'The bank result of this payment instruction was already recorded differently',
  SETTLEMENT_BATCH_RUNNING: 'The settlement batch has not finished; its payment instructions are not ready',
  SETTLEMENT_BATCH_NOT_PREPARED: 'Only a prepared batch (lines frozen, not yet approved or rejected) can be approved or rejected',
  MAKER_CHECKER_SAME_USER: 'The user who proposed or prepared it cannot also verify or approve it; a second user must',
  PAYEE_ACCOUNT_MISSING: 'The organisation has no verified bank account in effect; its payments are held',
  PAYEE_ACCOUNT_NOT_PROPOSED: 'The payee account is not awaiting verification',
  DISPUTE_WINDOW_CLOSED: 'The line’s confirmation window has ended; it can no longer be disputed',
  LINE_NOT_DISPUTABLE: 'The line is already confirmed, disputed or settled',
  DISPUTE_NOT_OPEN: 'The dispute has been resolved already',
  PAYMENT_INSTRUCTION_HELD: 'The payment instruction is held (not sent to the bank); no bank result can be recorded for it',
  ALLOTMENT_PERIOD_OVERLAPS: 'The hospital already has a fund allotment for part of this period',
  // orders
  PRODUCT_NOT_ORDERABLE: 'The product is neither under an agreement for this hospital nor listed at this instant (or credit bars it)',
  NO_DISTRIBUTOR_APPOINTED: "The product's manufacturer has no distributor appointed for the hospital's region",
  MIXED_DISTRIBUTORS: 'The lines of one order would go to different distributors',
  CANCEL_NOT_YET_ALLOWED: 'A confirmed order may be cancelled only once it is undelivered past the SLA policy period',
  SHIPMENT_EXCEEDS_ORDERED: 'A shipment line ships more than remains on the order line',
  RECEIPT_EXCEEDS_SHIPPED: 'Accepted plus rejected quantities exceed what was shipped',
  SHIPMENT_ALREADY_RECEIVED: 'The shipment has been received already',
  RETURN_EXCEEDS_ACCEPTED: 'A return exceeds the accepted, not yet returned quantity',
  SHIPMENT_NOT_RECEIVED: 'An invoice is matched only against a received shipment',
  INVOICE_ALREADY_MATCHED: 'The shipment already has a matched invoice',
  APPOINTMENT_OVERLAPS: 'A distributor appointment overlaps another for the same manufacturer and region',
  // supervision
  CASE_NOT_AWAITING_ANSWER: 'The alert case is not waiting for an answer from its subject',
  CREDIT_UNAVAILABLE: 'The credit context is not available to record a credit event',
  NOT_AVAILABLE: 'The data this operation publishes is not available on this platform yet',
  ALERT_NOT_ESCALATABLE: 'The alert names no manufacturer or distributor to escalate to a credit event',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES | (string & { readonly __contextCode?: never });
