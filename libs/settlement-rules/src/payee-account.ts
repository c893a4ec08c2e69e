/**
 * Payee bank accounts and the hospital confirmation window, as pure rules and versioned data.
 */
import { addCalendarDays, shanghaiDateOf, shanghaiMidnight, WorkingDayCalendar } from '@libs/calendar';

/**
 * CNAPS bank category codes (大额支付系统行号 digits 1–3, 行别代码) the platform accepts. DATA: extend it when
 * the fund pays into a bank of another category. Digits 4–7 are the city code, 8–11 the branch, 12 a check digit
 * (the People's Bank publishes no check algorithm, so only length, digits and the category are checked).
 */
export const CNAPS_BANK_CATEGORIES: Readonly<Record<string, string>> = Object.freeze({
  '001': '中国人民银行',
  '102': '中国工商银行',
  '103': '中国农业银行',
  '104': '中国银行',
  '105': '中国建设银行',
  '201': '国家开发银行',
  '202': '中国进出口银行',
  '203': '中国农业发展银行',
  '301': '交通银行',
  '302': '中信银行',
  '303': '中国光大银行',
  '304': '华夏银行',
  '305': '中国民生银行',
  '306': '广发银行',
  '307': '平安银行',
  '308': '招商银行',
  '309': '兴业银行',
  '310': '上海浦东发展银行',
  '313': '城市商业银行',
  '314': '农村商业银行',
  '315': '恒丰银行',
  '316': '浙商银行',
  '317': '农村合作银行',
  '318': '渤海银行',
  '402': '农村信用合作社',
  '403': '中国邮政储蓄银行',
});

export const ACCOUNT_NUMBER_MIN_DIGITS = 8;
export const ACCOUNT_NUMBER_MAX_DIGITS = 32;

export interface PayeeAccountFields {
  accountName: string;
  accountNumber: string;
  cnapsCode: string;
  currency: string;
}

export interface FieldProblem {
  field: keyof PayeeAccountFields;
  message: string;
}

/**
 * What is checked before an account may be proposed: the account name equals the organisation's registered
 * name exactly (after trimming); the number is 8–32 ASCII digits (domestic RMB settlement accounts, 个人/单位
 * 结算账户, fall in this range; no spaces or dashes); the CNAPS code is 12 digits starting with a known
 * bank category code; the currency is CNY. Returns every problem, first one first.
 */
export function payeeAccountProblems(fields: PayeeAccountFields, registeredName: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (fields.accountName.trim() !== registeredName.trim()) {
    problems.push({ field: 'accountName', message: `户名必须与单位登记名称“${registeredName}”一致` });
  }
  const digits = new RegExp(`^\\d{${ACCOUNT_NUMBER_MIN_DIGITS},${ACCOUNT_NUMBER_MAX_DIGITS}}$`);
  if (!digits.test(fields.accountNumber)) {
    problems.push({ field: 'accountNumber', message: `账号必须为 ${ACCOUNT_NUMBER_MIN_DIGITS}–${ACCOUNT_NUMBER_MAX_DIGITS} 位数字` });
  }
  if (!/^\d{12}$/.test(fields.cnapsCode)) {
    problems.push({ field: 'cnapsCode', message: '联行号（CNAPS 行号）必须为 12 位数字' });
  } else if (!CNAPS_BANK_CATEGORIES[fields.cnapsCode.slice(0, 3)]) {
    problems.push({ field: 'cnapsCode', message: `联行号前三位 ${fields.cnapsCode.slice(0, 3)} 不是已知的银行行别代码` });
  }
  if (fields.currency !== 'CNY') problems.push({ field: 'currency', message: '币种只能为人民币（CNY）' });
  return problems;
}

/** The hospital confirmation window: how long a hospital may dispute a line charged to it. Versioned data. */
export interface ConfirmationPolicy {
  version: string;
  /** Working days after the Shanghai date of acceptance (that day not counted) during which a line may be disputed. */
  disputeWindowWorkingDays: number;
}

export const CONFIRMATION_POLICY_2026: ConfirmationPolicy = Object.freeze({ version: 'confirmation-2026.1', disputeWindowWorkingDays: 5 });
export const CURRENT_CONFIRMATION_POLICY = CONFIRMATION_POLICY_2026;

/** End of the dispute window of a line accepted at `acceptedAt`: the end of the Nth working day after that date. */
export function disputeDeadline(acceptedAt: Date, calendar: WorkingDayCalendar, policy: ConfirmationPolicy = CURRENT_CONFIRMATION_POLICY): Date {
  return calendar.addWorkingDays(acceptedAt, policy.disputeWindowWorkingDays);
}

/**
 * The instant before which every acceptance's window has ended at `now`: lines with accepted_at < cutoff are
 * past their window. The deadline only grows with the acceptance date, so the cutoff is 00:00 Shanghai of
 * the day after the latest date whose deadline is ≤ now — one parameter for a set-based statement.
 */
export function confirmationCutoff(now: Date, calendar: WorkingDayCalendar, policy: ConfirmationPolicy = CURRENT_CONFIRMATION_POLICY): Date {
  let date = shanghaiDateOf(now);
  while (disputeDeadline(shanghaiMidnight(date), calendar, policy).getTime() > now.getTime()) date = addCalendarDays(date, -1);
  return shanghaiMidnight(addCalendarDays(date, 1));
}
