import { AppError } from '../platform/errors/app-error';

/** Orders refusals; codes are listed in platform/errors/error-codes.ts under "orders". */
export const OrdersErrors = {
  notOrderable: (field: string, why: string) => new AppError('PRODUCT_NOT_ORDERABLE', why, { field }),
  noDistributor: (field: string) =>
    new AppError('NO_DISTRIBUTOR_APPOINTED', "The product's manufacturer has no distributor appointed for your region", { field }),
  mixedDistributors: (field: string) =>
    new AppError('MIXED_DISTRIBUTORS', 'All lines of one order must be delivered by the same distributor; place a separate order', { field }),
  invalidState: (reason: string) => new AppError('INVALID_STATE', reason),
  cancelNotYetAllowed: (from: Date) =>
    new AppError('CANCEL_NOT_YET_ALLOWED', `A confirmed order may be cancelled once it is undelivered past ${from.toISOString()}`, { cancellableFrom: from.toISOString() }),
  exceedsOrdered: (field: string) => new AppError('SHIPMENT_EXCEEDS_ORDERED', 'This ships more than remains to be shipped on the order line', { field }),
  exceedsShipped: (field: string) => new AppError('RECEIPT_EXCEEDS_SHIPPED', 'Accepted plus rejected exceeds the quantity shipped on this line', { field }),
  alreadyReceived: () => new AppError('SHIPMENT_ALREADY_RECEIVED', 'This shipment has been received already'),
  exceedsAccepted: (field: string) => new AppError('RETURN_EXCEEDS_ACCEPTED', 'This returns more than was accepted and not yet returned', { field }),
  notReceived: () => new AppError('SHIPMENT_NOT_RECEIVED', 'Invoices are matched against a received shipment; receive it first'),
  alreadyInvoiced: () => new AppError('INVOICE_ALREADY_MATCHED', 'This shipment already has a matched invoice'),
  batchExpired: (field: string, why: string) => new AppError('BATCH_EXPIRED', why, { field }),
  appointmentOverlaps: () =>
    new AppError('APPOINTMENT_OVERLAPS', 'Another appointment of this manufacturer covers the same region in an overlapping period', { field: 'input.startsAt' }),
};
