import { AppError } from '../platform/errors/app-error';

/** Settlement refusals; codes are listed in platform/errors/error-codes.ts. */
export const SettlementErrors = {
  resultAlreadyRecorded: (field: string, state: string) =>
    new AppError('PAYMENT_RESULT_ALREADY_RECORDED', `This payment instruction is already ${state}`, { field, state }),
  batchRunning: () => new AppError('SETTLEMENT_BATCH_RUNNING', 'The settlement batch has not finished yet', { field: 'batchId' }),
};
