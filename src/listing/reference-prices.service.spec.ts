import { parseCsv } from './reference-prices.service';

describe('parseCsv', () => {
  it('reads quoted fields with commas, escaped quotes and newlines, keeping each record\'s first line', () => {
    const text = '\uFEFFa,b,c\r\n1,"x, y",3\n"multi\nline","say ""hi""",6\n\n7,8,9';
    expect(parseCsv(text)).toEqual([
      { line: 1, values: ['a', 'b', 'c'] },
      { line: 2, values: ['1', 'x, y', '3'] },
      { line: 3, values: ['multi\nline', 'say "hi"', '6'] },
      { line: 6, values: ['7', '8', '9'] },
    ]);
  });
  it('keeps empty trailing fields', () => {
    expect(parseCsv('a,,\n')).toEqual([{ line: 1, values: ['a', '', ''] }]);
  });
});
