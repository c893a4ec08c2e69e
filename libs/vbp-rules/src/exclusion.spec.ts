import { evaluateRound } from './evaluate';
import { validateInput } from './validate';
import { bid, lot, round } from './spec-helpers';

const SPECS = [{ id: 'S1', comparableFactor: '1', ceilingUnitPrice: '10.0000' }];

describe('a bid excluded by an upheld objection', () => {
  const bids = () => [bid({ id: 'A', unitPrice: '1.0000' }), bid({ id: 'B', unitPrice: '1.2000' }), bid({ id: 'C', unitPrice: '1.5000' }), bid({ id: 'D', unitPrice: '9.0000' })];

  it('is INVALID with reason EXCLUDED and the lot is judged as if it had not been submitted', () => {
    const excluded = evaluateRound(round([lot({ specs: SPECS, bids: bids().map((b) => (b.id === 'A' ? { ...b, excluded: true } : b)) })]));
    const without = evaluateRound(round([lot({ specs: SPECS, bids: bids().filter((b) => b.id !== 'A') })]));
    const [a, ...rest] = excluded.lots[0].bids;
    expect(a).toEqual({ id: 'A', status: 'INVALID', reason: 'EXCLUDED', rank: null, unitComparablePrice: expect.any(String), awardedUnitPrice: null });
    expect(rest).toEqual(without.lots[0].bids);
    expect(without.lots[0].bids.filter((b) => b.status === 'WINNER').length).toBeGreaterThan(0);
    expect({ ...excluded.lots[0], bids: [] }).toEqual({ ...without.lots[0], bids: [] });
  });

  it('validates the flag as a boolean', () => {
    const input = JSON.parse(JSON.stringify(round([lot({ bids: bids() })])));
    input.lots[0].bids[0].excluded = 'yes';
    expect(validateInput(input)).toMatchObject({ ok: false, path: 'lots[0].bids[0].excluded' });
  });
});
