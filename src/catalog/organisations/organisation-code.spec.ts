import { DEMO_ORGANISATIONS } from '../demo/demo-data';
import { organisationCodeOf, validateOrganisationCode } from './organisation-code';

describe('organisation codes', () => {
  it('gives every demo organisation a valid, unique code: the region for regulators, the credit code otherwise', () => {
    const codes = DEMO_ORGANISATIONS.map((o) => organisationCodeOf(o));
    expect(new Set(codes).size).toBe(codes.length);
    for (const o of DEMO_ORGANISATIONS) {
      const code = organisationCodeOf(o);
      expect([o.key, validateOrganisationCode(o.kind, o.regionCode, code)]).toEqual([o.key, { ok: true }]);
      expect(code).toBe(o.kind === 'REGULATOR' ? o.regionCode : o.creditCode);
    }
  });

  it('refuses a region code for a company, a credit code for a regulator, and a regulator coded for another region', () => {
    const credit = DEMO_ORGANISATIONS.find((o) => o.kind === 'MANUFACTURER')!.creditCode;
    expect(validateOrganisationCode('MANUFACTURER', '410100', '410100').ok).toBe(false);
    expect(validateOrganisationCode('REGULATOR', '410100', credit).ok).toBe(false);
    expect(validateOrganisationCode('REGULATOR', '410100', '410300').ok).toBe(false);
    expect(validateOrganisationCode('REGULATOR', '410100', '410100').ok).toBe(true);
    expect(validateOrganisationCode('MANUFACTURER', '410100', credit.slice(0, 17) + (credit.endsWith('0') ? '1' : '0')).ok).toBe(false);
  });
});
