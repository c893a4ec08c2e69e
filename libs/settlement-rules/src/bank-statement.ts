/**
 * Matching a bank statement against the payment instructions the fund sent (对账). Pure: the service reads
 * the instructions and what earlier statements already matched, and writes what this decides.
 *
 * A statement entry is a DEBIT (money left the fund's account: a payment the bank executed) or a CREDIT (money
 * came back: a return, 退汇). The bank echoes the instruction's reference (业务参考号) on both.
 */

export const STATEMENT_DIRECTIONS = ['DEBIT', 'CREDIT'] as const;
export type StatementDirection = (typeof STATEMENT_DIRECTIONS)[number];

/** What an entry turned out to be. MATCHED needs no one; the others are exceptions a settlement user works. */
export const ENTRY_OUTCOMES = ['MATCHED', 'RETURNED', 'UNMATCHED', 'PARTIAL', 'DUPLICATE'] as const;
export type EntryOutcome = (typeof ENTRY_OUTCOMES)[number];

/** Exceptions: every outcome except MATCHED. */
export const EXCEPTION_KINDS = ['RETURNED', 'UNMATCHED', 'PARTIAL', 'DUPLICATE'] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];

export interface StatementEntryFacts {
  direction: StatementDirection;
  amountFen: bigint;
}

/** The instruction the entry's reference names (null: no instruction has it, or not in the caller's region). */
export interface InstructionFacts {
  state: 'HELD' | 'ISSUED' | 'PAID' | 'FAILED';
  amountFen: bigint;
  /** A debit (payment) entry is already matched to it, by this statement or an earlier one. */
  debited: boolean;
  /** A credit (return) entry is already matched to it. */
  credited: boolean;
}

export interface EntryDecision {
  outcome: EntryOutcome;
  /** What the decision does to the instruction: mark it PAID, return it (FAILED, amount back to payable), or nothing. */
  effect: 'PAY' | 'RETURN' | 'NONE';
  /** Why, in Chinese, for the exceptions queue. */
  detail: string;
}

/**
 * One entry against its instruction:
 * - no instruction with that reference → UNMATCHED;
 * - a second debit (or a second return) for the same instruction → DUPLICATE (money may have left twice);
 * - an amount other than the instruction's → PARTIAL (nothing is recorded: a person decides);
 * - a debit of an ISSUED (or already PAID) instruction → MATCHED, the instruction is PAID;
 * - a credit of an ISSUED or PAID instruction → RETURNED: the payment came back, the instruction is returned
 *   (its amount goes back to the payable and the next batch pays it again) and a person checks the payee account;
 * - anything else (an entry for a HELD or FAILED instruction) → UNMATCHED with the reason.
 */
export function decideStatementEntry(entry: StatementEntryFacts, instruction: InstructionFacts | null): EntryDecision {
  if (!instruction) return { outcome: 'UNMATCHED', effect: 'NONE', detail: '业务参考号不对应任何付款指令' };
  const isDebit = entry.direction === 'DEBIT';
  if (isDebit ? instruction.debited : instruction.credited) {
    return { outcome: 'DUPLICATE', effect: 'NONE', detail: isDebit ? '同一付款指令已有一笔付款记录，疑似重复付款' : '同一付款指令已有一笔退汇记录' };
  }
  if (entry.amountFen !== instruction.amountFen) {
    return { outcome: 'PARTIAL', effect: 'NONE', detail: '银行金额与付款指令金额不符' };
  }
  if (instruction.state === 'HELD') return { outcome: 'UNMATCHED', effect: 'NONE', detail: '该付款指令暂挂，未发送银行' };
  if (isDebit) {
    if (instruction.state === 'FAILED') return { outcome: 'UNMATCHED', effect: 'NONE', detail: '该付款指令已登记为失败或退汇，银行却有付款记录' };
    return { outcome: 'MATCHED', effect: instruction.state === 'ISSUED' ? 'PAY' : 'NONE', detail: '' };
  }
  if (instruction.state === 'FAILED') return { outcome: 'UNMATCHED', effect: 'NONE', detail: '该付款指令已登记为失败，不应有退汇' };
  return { outcome: 'RETURNED', effect: 'RETURN', detail: '付款被银行退回（退汇），款项已回到应付，请核实收款账户后由下一批次重新支付' };
}

/** 借/贷 and their English spellings as banks write them in statements. */
export function parseDirection(text: string): StatementDirection | null {
  const t = text.trim().toUpperCase();
  if (['借', 'D', 'DR', 'DEBIT', '支出', '付'].includes(t)) return 'DEBIT';
  if (['贷', 'C', 'CR', 'CREDIT', '收入', '收', '退汇'].includes(t)) return 'CREDIT';
  return null;
}
