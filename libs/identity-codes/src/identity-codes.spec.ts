import fc from 'fast-check';
import {
  USC_CHARSET,
  buildUnifiedSocialCreditCode,
  gtinCheckDigit,
  isProvinceAdministeredCounty,
  isWithinRegion,
  parentRegionCode,
  parseDeviceRegistrationNumber,
  provinceCodeOf,
  regionLevelOf,
  uscCheckCharacter,
  validateDeviceRegistrationNumber,
  validateDrugApprovalNumber,
  validateInsuranceConsumableCode,
  validateInsuranceDrugCode,
  validateRegionCode,
  validateUdiDi,
  validateUnifiedSocialCreditCode,
} from './index';

const reasonOf = (r: { ok: boolean; reason?: string }) => (r.ok ? 'ok' : r.reason);

describe('unified social credit code', () => {
  it('accepts a published example', () => {
    expect(validateUnifiedSocialCreditCode('91350100M000100Y43')).toEqual({ ok: true });
    expect(uscCheckCharacter('91350100M000100Y4')).toBe('3');
  });

  it('maps a remainder of 0 to check character 0', () => {
    // Find a first-17 whose weighted sum is divisible by 31 and check it ends in '0'.
    const base = '12410000MB0000000';
    for (const c of USC_CHARSET) {
      const first17 = base.slice(0, 16) + c;
      const code = first17 + uscCheckCharacter(first17);
      expect(validateUnifiedSocialCreditCode(code).ok).toBe(true);
    }
    expect(uscCheckCharacter('00000000000000000')).toBe('0');
  });

  it('reports a wrong check character with the expected one', () => {
    const r = validateUnifiedSocialCreditCode('91350100M000100Y44');
    expect(r.ok).toBe(false);
    expect(reasonOf(r)).toMatch(/check character mismatch: expected 3/);
  });

  it.each([
    ['', /empty/],
    ['91350100M000100Y4', /18 characters, got 17/],
    ['91350100M000100Y433', /18 characters, got 19/],
    ['91350100M000100I43', /invalid character "I" at position 16/],
    ['91350100m000100Y43', /upper case/],
    ['Z1350100M000100Y43', /invalid character "Z"/],
    ['B1350100M000100Y43', /position 1/],
    ['9035010000000100Y4', /position 2/],
    ['913501A0M000100Y43', /positions 3-8/],
  ])('rejects %j', (code, why) => {
    const r = validateUnifiedSocialCreditCode(code);
    expect(r.ok).toBe(false);
    expect(reasonOf(r)).toMatch(why);
  });

  it('detects every single-character substitution (property)', () => {
    const charArb = fc.constantFrom(...USC_CHARSET.split(''));
    fc.assert(
      fc.property(
        fc.constantFrom('1', '5', '9', 'Y'),
        fc.constantFrom('1', '2', '3'),
        fc.stringMatching(/^\d{6}$/),
        fc.array(charArb, { minLength: 9, maxLength: 9 }),
        fc.integer({ min: 8, max: 17 }),
        charArb,
        (a, t, region, id, pos, replacement) => {
          const code = buildUnifiedSocialCreditCode(a, t, region, id.join(''));
          expect(validateUnifiedSocialCreditCode(code).ok).toBe(true);
          if (code[pos] === replacement) return;
          const bad = code.slice(0, pos) + replacement + code.slice(pos + 1);
          expect(validateUnifiedSocialCreditCode(bad).ok).toBe(false);
        },
      ),
    );
  });

  it('buildUnifiedSocialCreditCode refuses invalid parts', () => {
    expect(() => buildUnifiedSocialCreditCode('9', '1', '41010', '0MA000001')).toThrow();
  });
});

describe('drug approval number', () => {
  it.each(['国药准字H20051234', '国药准字Z41020001', '国药准字S10980001', '国药准字J20150011', '国药准字HJ20200001', '国药准字ZC20210002'])(
    'accepts %s',
    (s) => expect(validateDrugApprovalNumber(s)).toEqual({ ok: true }),
  );
  it.each([
    ['', /empty/],
    ['H20051234', /国药准字/],
    ['国药准字X20051234', /category letter/],
    ['国药准字H2005123', /8 digits/],
    ['国药准字H200512345', /8 digits/],
    ['国药准字 H20051234', /category letter/],
    ['国药准字h20051234', /category letter/],
  ])('rejects %j', (s, why) => {
    const r = validateDrugApprovalNumber(s);
    expect(r.ok).toBe(false);
    expect(reasonOf(r)).toMatch(why);
  });
});

describe('device registration number', () => {
  it.each(['国械注准20193130123', '豫械注准20202140001', '国械注进20173460125', '国械注许20182020001', '国食药监械(准)字2012第3460001号'])(
    'accepts %s',
    (s) => expect(validateDeviceRegistrationNumber(s)).toEqual({ ok: true }),
  );
  it.each([
    ['', /empty/],
    ['国械注准2019313012', /11 digits/],
    ['豫械注进20202140001', /domestic only/],
    ['豫械注准20203140001', /class II/],
    ['X械注准20202140001', /unknown issuing authority/],
    ['国械注准18993130123', /implausible/],
    ['国械注准20193000123', /category/],
    ['豫郑械备20200001号', /class I filings/],
    ['国械注准20191130123', /11 digits/],
  ])('rejects %j', (s, why) => {
    const r = validateDeviceRegistrationNumber(s);
    expect(r.ok).toBe(false);
    expect(reasonOf(r)).toMatch(why);
  });
  it('parses the parts', () => {
    expect(parseDeviceRegistrationNumber('国械注准20193130123')).toEqual({
      authority: '国',
      form: '准',
      year: 2019,
      managementClass: 3,
      category: '13',
      serial: '0123',
    });
    expect(parseDeviceRegistrationNumber('nonsense')).toBeNull();
  });
});

describe('region codes', () => {
  it('validates', () => {
    expect(validateRegionCode('410000').ok).toBe(true);
    expect(validateRegionCode('410105').ok).toBe(true);
    expect(validateRegionCode('419001').ok).toBe(true);
    expect(reasonOf(validateRegionCode('000000'))).toMatch(/all zeros/);
    expect(reasonOf(validateRegionCode('41000'))).toMatch(/6 digits/);
    expect(reasonOf(validateRegionCode('41010a'))).toMatch(/6 digits/);
    expect(reasonOf(validateRegionCode('990000'))).toMatch(/provincial-level/);
    expect(reasonOf(validateRegionCode('410001'))).toMatch(/without a city/);
  });
  it('knows levels and parents', () => {
    expect(regionLevelOf('410000')).toBe('PROVINCE');
    expect(regionLevelOf('410100')).toBe('CITY');
    expect(regionLevelOf('410105')).toBe('COUNTY');
    expect(regionLevelOf('419001')).toBe('CITY'); // 济源: 省直辖, treated as a city of Henan
    expect(isProvinceAdministeredCounty('419001')).toBe(true);
    expect(isProvinceAdministeredCounty('410105')).toBe(false);
    expect(parentRegionCode('410000')).toBeNull();
    expect(parentRegionCode('410100')).toBe('410000');
    expect(parentRegionCode('419001')).toBe('410000');
    expect(parentRegionCode('410305')).toBe('410300');
    expect(parentRegionCode('110101')).toBe('110100');
    expect(provinceCodeOf('410305')).toBe('410000');
    expect(isWithinRegion('410305', '410000')).toBe(true);
    expect(isWithinRegion('410305', '410300')).toBe(true);
    expect(isWithinRegion('410305', '410100')).toBe(false);
    expect(isWithinRegion('419001', '410000')).toBe(true);
    expect(() => regionLevelOf('abc')).toThrow();
  });
});

describe('insurance codes', () => {
  it('drug codes', () => {
    expect(validateInsuranceDrugCode('XC10AAA052A001010100000')).toEqual({ ok: true });
    expect(validateInsuranceDrugCode('ZA01AAL0174010104463123')).toEqual({ ok: true });
    expect(reasonOf(validateInsuranceDrugCode('XC10AAA052A00101010000'))).toMatch(/23 characters/);
    expect(reasonOf(validateInsuranceDrugCode('CC10AAA052A001010100000'))).toMatch(/start with X/);
    expect(reasonOf(validateInsuranceDrugCode('Xc10AAA052A001010100000'))).toMatch(/upper-case/);
    expect(reasonOf(validateInsuranceDrugCode(''))).toMatch(/empty/);
  });
  it('consumable codes', () => {
    expect(validateInsuranceConsumableCode('C03010101200001040130000001')).toEqual({ ok: true });
    expect(reasonOf(validateInsuranceConsumableCode('C0301010120000104013000000'))).toMatch(/27 characters/);
    expect(reasonOf(validateInsuranceConsumableCode('X03010101200001040130000001'))).toMatch(/start with C/);
    expect(reasonOf(validateInsuranceConsumableCode('C0301010120000104013000000A'))).toMatch(/26 digits/);
  });
});

describe('UDI-DI', () => {
  it('checks GTIN-14', () => {
    expect(gtinCheckDigit('0690123456789')).toBe('2');
    expect(validateUdiDi('06901234567892')).toEqual({ ok: true });
    expect(reasonOf(validateUdiDi('06901234567893'))).toMatch(/expected 2/);
    expect(reasonOf(validateUdiDi('6901234567892'))).toMatch(/14 digits/);
  });
});
