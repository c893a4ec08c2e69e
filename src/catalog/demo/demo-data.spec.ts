import {
  parentRegionCode,
  regionLevelOf,
  validateDeviceRegistrationNumber,
  validateDrugApprovalNumber,
  validateInsuranceConsumableCode,
  validateInsuranceDrugCode,
  validateRegionCode,
  validateUdiDi,
  validateUnifiedSocialCreditCode,
} from '@libs/identity-codes';
import { parseUnitPrice } from '@libs/money';
import {
  DEMO_CONSUMABLE_PRODUCTS,
  DEMO_DRUG_PRODUCTS,
  DEMO_ORGANISATIONS,
  DEMO_PASSWORD,
  DEMO_PRODUCTS,
  DEMO_REFERENCE_PRICES,
  DEMO_REGIONS,
  DEMO_USERS,
  DEMO_VARIETIES,
} from './demo-data';

const duplicates = (xs: string[]) => xs.filter((x, i) => xs.indexOf(x) !== i);
const regionCodes = new Set(DEMO_REGIONS.map((r) => r.code));
const orgByKey = new Map(DEMO_ORGANISATIONS.map((o) => [o.key, o]));
const countKind = (kind: string) => DEMO_ORGANISATIONS.filter((o) => o.kind === kind).length;

describe('demo regions', () => {
  it('are valid, unique, and each parent exists and matches the code structure', () => {
    expect(duplicates(DEMO_REGIONS.map((r) => r.code))).toEqual([]);
    for (const r of DEMO_REGIONS) {
      expect([r.code, validateRegionCode(r.code)]).toEqual([r.code, { ok: true }]);
      expect([r.code, r.parentCode]).toEqual([r.code, parentRegionCode(r.code)]);
      if (r.parentCode !== null) expect(regionCodes.has(r.parentCode)).toBe(true);
    }
  });
  it('cover Henan: 17 prefecture cities plus 济源', () => {
    const henanCities = DEMO_REGIONS.filter((r) => r.parentCode === '410000');
    expect(henanCities).toHaveLength(18);
    expect(henanCities.map((r) => r.code)).toContain('419001');
    expect(regionLevelOf('419001')).toBe('CITY');
    for (const p of ['110000', '310000', '320000', '420000', '440000', '370000']) expect(regionCodes.has(p)).toBe(true);
  });
});

describe('demo organisations', () => {
  it('have unique keys, names and valid credit codes matching their region', () => {
    expect(duplicates(DEMO_ORGANISATIONS.map((o) => o.key))).toEqual([]);
    expect(duplicates(DEMO_ORGANISATIONS.map((o) => o.name))).toEqual([]);
    expect(duplicates(DEMO_ORGANISATIONS.map((o) => o.creditCode))).toEqual([]);
    for (const o of DEMO_ORGANISATIONS) {
      expect([o.key, validateUnifiedSocialCreditCode(o.creditCode)]).toEqual([o.key, { ok: true }]);
      expect(regionCodes.has(o.regionCode)).toBe(true);
      expect(o.creditCode.slice(2, 8)).toBe(o.regionCode);
      const expectedPrefix = o.kind === 'MANUFACTURER' || o.kind === 'DISTRIBUTOR' ? '91' : o.kind === 'REGULATOR' ? '11' : '12';
      expect([o.key, o.creditCode.slice(0, 2)]).toEqual([o.key, expectedPrefix]);
      expect(o.kind === 'HOSPITAL').toBe(o.hospitalLevel !== undefined);
    }
  });
  it('have the expected counts', () => {
    expect(countKind('PLATFORM')).toBe(1);
    expect(countKind('REGULATOR')).toBe(4);
    expect(countKind('SETTLEMENT_OFFICE')).toBe(1);
    expect(countKind('HOSPITAL')).toBeGreaterThanOrEqual(38);
    expect(countKind('HOSPITAL')).toBeLessThanOrEqual(45);
    expect(countKind('MANUFACTURER')).toBeGreaterThanOrEqual(14);
    expect(countKind('MANUFACTURER')).toBeLessThanOrEqual(17);
    expect(countKind('DISTRIBUTOR')).toBe(4);
  });
  it('spread hospitals over levels and at least 6 cities, all in Henan', () => {
    const hospitals = DEMO_ORGANISATIONS.filter((o) => o.kind === 'HOSPITAL');
    const cities = new Set(hospitals.map((h) => (regionLevelOf(h.regionCode) === 'COUNTY' ? parentRegionCode(h.regionCode) : h.regionCode)));
    expect(cities.size).toBeGreaterThanOrEqual(6);
    expect(new Set(hospitals.map((h) => h.hospitalLevel))).toEqual(new Set(['TERTIARY', 'SECONDARY', 'PRIMARY', 'COMMUNITY']));
    for (const h of hospitals) expect(h.regionCode.startsWith('41')).toBe(true);
    for (const d of DEMO_ORGANISATIONS.filter((o) => o.kind === 'DISTRIBUTOR')) expect(d.regionCode.startsWith('41')).toBe(true);
    const mfrs = DEMO_ORGANISATIONS.filter((o) => o.kind === 'MANUFACTURER');
    expect(mfrs.some((m) => m.regionCode.startsWith('41'))).toBe(true);
    expect(mfrs.some((m) => !m.regionCode.startsWith('41'))).toBe(true);
  });
});

describe('demo users', () => {
  it('one per organisation, unique usernames, role matching the organisation kind', () => {
    expect(DEMO_USERS).toHaveLength(DEMO_ORGANISATIONS.length);
    expect(duplicates(DEMO_USERS.map((u) => u.username))).toEqual([]);
    expect(duplicates(DEMO_USERS.map((u) => u.orgKey))).toEqual([]);
    for (const u of DEMO_USERS) {
      const org = orgByKey.get(u.orgKey)!;
      expect(org).toBeDefined();
      expect(u.role === 'PLATFORM_ADMIN' ? 'PLATFORM' : u.role).toBe(org.kind);
    }
    expect(DEMO_USERS.map((u) => u.username)).toEqual(expect.arrayContaining(['reg-henan', 'hosp-zz-1', 'mfr-alpha']));
    expect(DEMO_PASSWORD).toBe('Demo#2026');
  });
});

describe('demo varieties and products', () => {
  const varietyByKey = new Map(DEMO_VARIETIES.map((v) => [v.key, v]));

  it('varieties are unique and well formed', () => {
    expect(duplicates(DEMO_VARIETIES.map((v) => v.key))).toEqual([]);
    expect(DEMO_VARIETIES.length).toBeGreaterThanOrEqual(14);
    expect(DEMO_VARIETIES.filter((v) => v.kind === 'CONSUMABLE').length).toBeGreaterThanOrEqual(2);
    for (const v of DEMO_VARIETIES) {
      expect(v.specs.length).toBeGreaterThan(0);
      expect(v.specs.filter((s) => s.comparableFactor === '1')).toHaveLength(1);
      if (v.kind === 'DRUG') expect(v.dosageForm).toBeTruthy();
      else expect(v.category).toBeTruthy();
      for (const s of v.specs) expect(/^\d+(\.\d+)?$/.test(s.comparableFactor)).toBe(true);
    }
  });

  it('products are unique, reference existing manufacturers and varieties, and carry valid codes', () => {
    expect(DEMO_PRODUCTS.length).toBeGreaterThanOrEqual(55);
    expect(DEMO_PRODUCTS.length).toBeLessThanOrEqual(70);
    expect(duplicates(DEMO_PRODUCTS.map((p) => p.key))).toEqual([]);
    expect(duplicates(DEMO_PRODUCTS.map((p) => p.insuranceCode))).toEqual([]);
    for (const p of DEMO_PRODUCTS) {
      expect(orgByKey.get(p.manufacturerKey)?.kind).toBe('MANUFACTURER');
      const v = varietyByKey.get(p.varietyKey)!;
      expect(v.kind).toBe(p.kind);
      expect(parseUnitPrice(p.referenceUnitPrice)).toBe(p.referenceUnitPrice);
    }
    expect(duplicates(DEMO_DRUG_PRODUCTS.map((p) => p.approvalNumber))).toEqual([]);
    for (const d of DEMO_DRUG_PRODUCTS) {
      expect([d.key, validateDrugApprovalNumber(d.approvalNumber)]).toEqual([d.key, { ok: true }]);
      expect([d.key, validateInsuranceDrugCode(d.insuranceCode)]).toEqual([d.key, { ok: true }]);
      const v = varietyByKey.get(d.varietyKey)!;
      expect(d.genericName).toBe(v.genericName);
      expect(d.dosageForm).toBe(v.dosageForm);
      expect(v.specs.find((s) => s.spec === d.spec)?.comparableFactor).toBe(d.specFactor);
      expect(Number.isInteger(d.unitsPerPack) && d.unitsPerPack > 0).toBe(true);
    }
    expect(duplicates(DEMO_CONSUMABLE_PRODUCTS.map((p) => p.registrationNumber))).toEqual([]);
    for (const c of DEMO_CONSUMABLE_PRODUCTS) {
      expect([c.key, validateDeviceRegistrationNumber(c.registrationNumber)]).toEqual([c.key, { ok: true }]);
      expect([c.key, validateInsuranceConsumableCode(c.insuranceCode)]).toEqual([c.key, { ok: true }]);
      if (c.udiDi !== null) expect([c.key, validateUdiDi(c.udiDi)]).toEqual([c.key, { ok: true }]);
      const v = varietyByKey.get(c.varietyKey)!;
      expect(c.category).toBe(v.category);
      expect(v.specs.find((s) => s.spec === c.varietySpec)?.comparableFactor).toBe(c.specFactor);
    }
  });

  it('include evaluated, originator and non-evaluated drugs, and makers outside Henan', () => {
    const statuses = DEMO_DRUG_PRODUCTS.map((d) => d.consistencyStatus);
    for (const s of ['PASSED', 'REFERENCE', 'ORIGINATOR', 'NOT_EVALUATED'] as const) expect(statuses).toContain(s);
    expect(statuses.filter((s) => s === 'NOT_EVALUATED').length).toBeGreaterThanOrEqual(3);
    expect(DEMO_PRODUCTS.some((p) => !orgByKey.get(p.manufacturerKey)!.regionCode.startsWith('41'))).toBe(true);
    for (const v of DEMO_VARIETIES) expect(DEMO_PRODUCTS.some((p) => p.varietyKey === v.key)).toBe(true);
  });

  it('reference prices point at existing products and provinces outside Henan', () => {
    const productKeys = new Set(DEMO_PRODUCTS.map((p) => p.key));
    for (const rp of DEMO_REFERENCE_PRICES) {
      expect(productKeys.has(rp.productKey)).toBe(true);
      expect(regionLevelOf(rp.provinceCode)).toBe('PROVINCE');
      expect(regionCodes.has(rp.provinceCode)).toBe(true);
      expect(rp.provinceCode).not.toBe('410000');
      expect(parseUnitPrice(rp.unitPrice)).toBe(rp.unitPrice);
      expect(/^\d{4}-\d{2}-\d{2}$/.test(rp.effectiveDate)).toBe(true);
    }
    expect(duplicates(DEMO_REFERENCE_PRICES.map((r) => `${r.provinceCode}/${r.productKey}`))).toEqual([]);
  });
});
