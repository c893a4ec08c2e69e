import { completionShare, CURRENT_AGREEMENT_YEAR_RULES, resignBounds, yearEndFigures } from './agreement-year-rules';

describe('agreement year rules', () => {
  it('bounds the re-signed quantity around the past year’s actual use, in whole units', () => {
    expect(resignBounds(1001, CURRENT_AGREEMENT_YEAR_RULES)).toEqual({ min: 801, max: 1501 });
    expect(resignBounds(0, CURRENT_AGREEMENT_YEAR_RULES)).toEqual({ min: 0, max: 0 });
  });
  it('year end: shortfall or surplus, and completion', () => {
    expect(yearEndFigures(1000, 700)).toEqual({ shortfall: 300, surplus: 0, completion: '0.7000' });
    expect(yearEndFigures(1000, 1200)).toEqual({ shortfall: 0, surplus: 200, completion: '1.2000' });
    expect(completionShare(5, 0)).toBe('0.0000');
    expect(completionShare(1, 3)).toBe('0.3333');
  });
});
