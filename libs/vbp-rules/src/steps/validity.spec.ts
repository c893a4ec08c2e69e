import { dec } from '../spec-helpers';
import { validity } from './validity';

describe('validity (rule 1)', () => {
  it('accepts a price exactly at the ceiling', () => {
    expect(validity(dec('1.2000'), dec('1.2000'))).toBeNull();
    expect(validity(dec('1.2'), dec('1.2000'))).toBeNull();
  });
  it('accepts a price below the ceiling', () => expect(validity(dec('0'), dec('1.2000'))).toBeNull());
  it('rejects a price one ten-thousandth above the ceiling', () => {
    expect(validity(dec('1.2001'), dec('1.2000'))).toBe('ABOVE_CEILING');
  });
});
