import { AppError } from '../platform/errors/app-error';

/** Agreement refusals; codes are listed in platform/errors/error-codes.ts. */
export const AgreementErrors = {
  supplyFailureExists: () => new AppError('SUPPLY_FAILURE_EXISTS', 'A supply failure is already on file for this agreement', { field: 'input.agreementId' }),
  noBackupWinner: () => new AppError('NO_BACKUP_WINNER', '该地区没有备供企业可接替；请由监管部门指定替代供应（assignSubstituteSupply）'),
  notActive: () => new AppError('INVALID_STATE', 'The agreement is not in effect'),
};
