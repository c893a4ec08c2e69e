import { shortlist, shortlistCap } from './shortlist';

describe('shortlist (rule 4)', () => {
  it.each([
    [0, 2, 10, 0],
    [1, 2, 10, 1],
    [2, 2, 10, 1],
    [3, 2, 10, 1],
    [5, 2, 10, 3],
    [12, 2, 10, 10],
    [13, 2, 10, 10],
    [40, 3, 10, 10],
    [5, 0, 10, 5],
    [5, 4, 10, 1],
    [5, 0, 1, 1],
  ])('N=%i minus=%i max=%i gives cap %i', (validCount, minus, max, cap) => {
    expect(shortlistCap(validCount, { minus, max })).toBe(cap);
  });

  it('splits ranked bids at the cap', () => {
    expect(shortlist(['a', 'b', 'c', 'd', 'e'], { minus: 2, max: 10 })).toEqual({
      cap: 3,
      shortlisted: ['a', 'b', 'c'],
      notShortlisted: ['d', 'e'],
    });
    expect(shortlist([], { minus: 2, max: 10 })).toEqual({ cap: 0, shortlisted: [], notShortlisted: [] });
  });
});
