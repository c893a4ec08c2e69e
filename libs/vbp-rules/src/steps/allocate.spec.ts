import { dec } from '../spec-helpers';
import { allocate } from './allocate';
import { shareFactor } from './volume';

describe('allocate (rule 11)', () => {
  const demand = [
    { hospitalId: 'H1', regionId: 'R1', quantity: 1000, preferredManufacturerId: 'M-B' },
    { hospitalId: 'H2', regionId: 'R1', quantity: 1001, preferredManufacturerId: 'M-LOST' },
    { hospitalId: 'H3', regionId: 'R2', quantity: 3, preferredManufacturerId: null },
    { hospitalId: 'H4', regionId: 'R2', quantity: 5 },
  ];
  const regionIndexOfLine = Int32Array.from([0, 0, 1, 1]);
  const winners = new Map([
    ['M-A', 'BID-A'],
    ['M-B', 'BID-B'],
  ]);

  it('sends a line to its preferred manufacturer when that manufacturer won, else to the region primary', () => {
    const { allocations, agreedQuantity } = allocate(demand, regionIndexOfLine, ['BID-A', 'BID-A'], winners, shareFactor(dec('0.5')));
    expect(allocations).toEqual([
      { hospitalId: 'H1', regionId: 'R1', bidId: 'BID-B', agreedQuantity: 500 },
      { hospitalId: 'H2', regionId: 'R1', bidId: 'BID-A', agreedQuantity: 501 },
      { hospitalId: 'H3', regionId: 'R2', bidId: 'BID-A', agreedQuantity: 2 },
      { hospitalId: 'H4', regionId: 'R2', bidId: 'BID-A', agreedQuantity: 3 },
    ]);
    expect(agreedQuantity).toBe(1006); // sum of the per-hospital roundings, not round(2009 × 0.5)
  });
});
