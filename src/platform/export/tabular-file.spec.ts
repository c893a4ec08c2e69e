import { csvField, neutraliseFormula } from './tabular-file';

describe('spreadsheet formula injection', () => {
  it('neutralises a text cell a spreadsheet would run as a formula', () => {
    for (const text of ['=1+1', '+86 371', '-cmd|calc', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://x","y")']) {
      expect(neutraliseFormula(text)).toBe(`'${text}`);
    }
  });

  it('leaves plain numbers (negative amounts too) and ordinary text alone', () => {
    for (const text of ['-5.00', '+12', '150.07', '0', '河南华康制药有限公司', 'VBP000000000001', '', 'a=b']) expect(neutraliseFormula(text)).toBe(text);
  });

  it('quotes CSV fields after neutralising them', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('plain')).toBe('plain');
  });
});
