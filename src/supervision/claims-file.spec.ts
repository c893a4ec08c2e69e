import { csvRecords } from './claims-file';

describe('csvRecords (insurance settlement list files)', () => {
  it('reads a BOM, CRLF and LF lines, quoted cells with commas, quotes and line breaks, and skips blank lines', () => {
    const text = '\uFEFFhospitalCode,month,amount\r\n"A,1",2026-03,"1,000.00"\n\n"say ""hi""","multi\nline",3\n';
    expect(csvRecords(text)).toEqual([
      { line: 1, values: ['hospitalCode', 'month', 'amount'] },
      { line: 2, values: ['A,1', '2026-03', '1,000.00'] },
      { line: 4, values: ['say "hi"', 'multi\nline', '3'] },
    ]);
  });

  it('keeps the last record without a final newline', () => {
    expect(csvRecords('a,b\n1,2')).toEqual([{ line: 1, values: ['a', 'b'] }, { line: 2, values: ['1', '2'] }]);
  });
});
