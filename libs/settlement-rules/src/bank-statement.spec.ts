import { decideStatementEntry, InstructionFacts, parseDirection } from './bank-statement';

const issued: InstructionFacts = { state: 'ISSUED', amountFen: 15_216n, debited: false, credited: false };

describe('bank statement matching', () => {
  it('matches a debit of the instructed amount and pays the instruction', () => {
    expect(decideStatementEntry({ direction: 'DEBIT', amountFen: 15_216n }, issued)).toMatchObject({ outcome: 'MATCHED', effect: 'PAY' });
    // a result already recorded PAID (importBankResults) is confirmed, not paid twice
    expect(decideStatementEntry({ direction: 'DEBIT', amountFen: 15_216n }, { ...issued, state: 'PAID' })).toMatchObject({ outcome: 'MATCHED', effect: 'NONE' });
  });

  it('sends unknown references, other amounts and second debits to the exceptions queue without touching the instruction', () => {
    expect(decideStatementEntry({ direction: 'DEBIT', amountFen: 1n }, null)).toMatchObject({ outcome: 'UNMATCHED', effect: 'NONE' });
    expect(decideStatementEntry({ direction: 'DEBIT', amountFen: 15_215n }, issued)).toMatchObject({ outcome: 'PARTIAL', effect: 'NONE' });
    expect(decideStatementEntry({ direction: 'DEBIT', amountFen: 15_216n }, { ...issued, state: 'PAID', debited: true })).toMatchObject({ outcome: 'DUPLICATE', effect: 'NONE' });
    expect(decideStatementEntry({ direction: 'DEBIT', amountFen: 15_216n }, { ...issued, state: 'HELD' })).toMatchObject({ outcome: 'UNMATCHED', effect: 'NONE' });
    expect(decideStatementEntry({ direction: 'DEBIT', amountFen: 15_216n }, { ...issued, state: 'FAILED' })).toMatchObject({ outcome: 'UNMATCHED', effect: 'NONE' });
  });

  it('returns an issued or paid instruction on a credit of its amount, once', () => {
    expect(decideStatementEntry({ direction: 'CREDIT', amountFen: 15_216n }, { ...issued, state: 'PAID', debited: true })).toMatchObject({ outcome: 'RETURNED', effect: 'RETURN' });
    expect(decideStatementEntry({ direction: 'CREDIT', amountFen: 15_216n }, issued)).toMatchObject({ outcome: 'RETURNED', effect: 'RETURN' });
    expect(decideStatementEntry({ direction: 'CREDIT', amountFen: 15_216n }, { ...issued, state: 'FAILED', credited: true })).toMatchObject({ outcome: 'DUPLICATE', effect: 'NONE' });
    expect(decideStatementEntry({ direction: 'CREDIT', amountFen: 100n }, { ...issued, state: 'PAID', debited: true })).toMatchObject({ outcome: 'PARTIAL', effect: 'NONE' });
    expect(decideStatementEntry({ direction: 'CREDIT', amountFen: 15_216n }, { ...issued, state: 'FAILED' })).toMatchObject({ outcome: 'UNMATCHED', effect: 'NONE' });
  });

  it('reads 借/贷 and their English spellings', () => {
    expect(['借', 'D', 'debit', 'DR'].map(parseDirection)).toEqual(['DEBIT', 'DEBIT', 'DEBIT', 'DEBIT']);
    expect(['贷', 'C', 'Credit', '退汇'].map(parseDirection)).toEqual(['CREDIT', 'CREDIT', 'CREDIT', 'CREDIT']);
    expect(parseDirection('?')).toBeNull();
  });
});
