import { AppError } from '../platform/errors/app-error';

/** Settlement refusals; codes are listed in platform/errors/error-codes.ts. */
export const SettlementErrors = {
  resultAlreadyRecorded: (field: string, state: string) =>
    new AppError('PAYMENT_RESULT_ALREADY_RECORDED', `This payment instruction is already ${state}`, { field, state }),
  batchNotPrepared: (state: string) =>
    new AppError('SETTLEMENT_BATCH_NOT_PREPARED', `结算批次当前状态为 ${state}，只有已准备（PREPARED）的批次可以审批或退回`, { field: 'batchId', state }),
  sameUser: (field: string) => new AppError('MAKER_CHECKER_SAME_USER', '经办人与复核人不能是同一人，请由另一位结算经办用户复核', { field }),
  payeeAccountMissing: (field: string) =>
    new AppError('PAYEE_ACCOUNT_MISSING', '该单位没有已复核且已生效的收款账户，付款暂挂（PAYEE_ACCOUNT_MISSING）', { field }),
  payeeAccountNotProposed: (state: string) => new AppError('PAYEE_ACCOUNT_NOT_PROPOSED', `收款账户状态为 ${state}，无需复核`, { field: 'accountId', state }),
  disputeWindowClosed: (deadline: Date) =>
    new AppError('DISPUTE_WINDOW_CLOSED', '该明细的确认期已结束，不能再提出异议', { field: 'input.lineId', deadline: deadline.toISOString() }),
  lineNotDisputable: (why: string) => new AppError('LINE_NOT_DISPUTABLE', `该明细不能提出异议：${why}`, { field: 'input.lineId' }),
  disputeNotOpen: (state: string) => new AppError('DISPUTE_NOT_OPEN', `该异议已处理（${state}）`, { field: 'input.disputeId', state }),
  payerAccountMissing: () =>
    new AppError('PAYER_ACCOUNT_MISSING', '结算机构（付款方）没有已复核且已生效的基金支出账户，请先登记付款账户并由另一位经办人复核', { field: 'batchId' }),
  notEncodable: (what: string) => new AppError('TEXT_NOT_ENCODABLE', `${what}含有 GBK 编码无法表示的字符，请改用 UTF-8 编码导出`, { field: 'encoding', what }),
  bankExceptionNotOpen: (state: string) => new AppError('BANK_EXCEPTION_NOT_OPEN', `该对账异常已处理（${state}）`, { field: 'input.exceptionId', state }),
  importInvalid: (errors: { line: number; field: string; message: string }[]) =>
    new AppError('IMPORT_FILE_INVALID', `第 ${errors[0].line} 行：${errors[0].message}；文件未导入任何内容`, { field: errors[0].field, line: errors[0].line, errors: errors.slice(0, 100) }),
  agreementYearNotEnded: (end: Date) =>
    new AppError('AGREEMENT_YEAR_NOT_ENDED', '该协议年度尚未结束，年度结束后方可计提结余留用', { field: 'input.agreementYear', yearEnd: end.toISOString() }),
  batchRunning: () => new AppError('SETTLEMENT_BATCH_RUNNING', 'The settlement batch has not finished yet', { field: 'batchId' }),
};
