/**
 * Validators for Chinese identity codes used in master data. Pure functions, no I/O.
 * Every validator returns `{ ok: true }` or `{ ok: false, reason }` with a reason a user can act on.
 */

export type ValidationResult = { ok: true } | { ok: false; reason: string };

const OK: ValidationResult = { ok: true };
const fail = (reason: string): ValidationResult => ({ ok: false, reason });

// ---------------------------------------------------------------------------------------------------------
// 统一社会信用代码 (GB 32100-2015)
// ---------------------------------------------------------------------------------------------------------

/** The 31 characters of GB 32100 (no I, O, Z, S, V); a character's value is its index. */
export const USC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/**
 * Registration authority codes (position 1) from GB 32100 table 1: 1 机构编制, 2 外交, 3 司法行政, 4 文化,
 * 5 民政, 6 旅游, 7 宗教, 8 工会, 9 市场监管(工商), A 中央军委改革和编制办公室, N 农业, Y 其他.
 */
export const USC_REGISTRATION_AUTHORITIES = '123456789ANY';

/** Check character (position 18) for the first 17 characters. Throws on bad input. */
export function uscCheckCharacter(first17: string): string {
  if (typeof first17 !== 'string' || first17.length !== 17) {
    throw new Error('uscCheckCharacter expects exactly 17 characters');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USC_CHARSET.indexOf(first17[i]);
    if (v < 0) throw new Error(`character ${JSON.stringify(first17[i])} at position ${i + 1} is not in the GB 32100 set`);
    sum += v * USC_WEIGHTS[i];
  }
  const c = 31 - (sum % 31);
  return USC_CHARSET[c === 31 ? 0 : c];
}

/**
 * Validates an 18-character unified social credit code: length, character set, position 1 (registration
 * authority), position 2 (organisation type, a digit 1–9), positions 3–8 (6-digit region code), check character.
 * Lower case is refused rather than silently accepted, so stored codes stay canonical.
 */
export function validateUnifiedSocialCreditCode(code: string): ValidationResult {
  if (typeof code !== 'string' || code.length === 0) return fail('unified social credit code is empty');
  if (code.length !== 18) {
    return fail(`unified social credit code must have 18 characters, got ${code.length}`);
  }
  for (let i = 0; i < 18; i++) {
    if (!USC_CHARSET.includes(code[i])) {
      const hint = /[a-z]/.test(code[i]) ? ' (use upper case)' : ' (I, O, Z, S, V are not used)';
      return fail(`invalid character ${JSON.stringify(code[i])} at position ${i + 1}${hint}`);
    }
  }
  if (!USC_REGISTRATION_AUTHORITIES.includes(code[0])) {
    return fail(`position 1 (registration authority) must be one of ${USC_REGISTRATION_AUTHORITIES}, got ${code[0]}`);
  }
  if (!/[1-9]/.test(code[1])) {
    return fail(`position 2 (organisation type) must be a digit 1-9, got ${code[1]}`);
  }
  if (!/^\d{6}$/.test(code.slice(2, 8))) {
    return fail(`positions 3-8 must be a 6-digit region code, got ${code.slice(2, 8)}`);
  }
  const expected = uscCheckCharacter(code.slice(0, 17));
  if (code[17] !== expected) {
    return fail(`check character mismatch: expected ${expected} at position 18, got ${code[17]}`);
  }
  return OK;
}

/** Trims and upper-cases user input before validation (full-width characters are not converted). */
export function normalizeUnifiedSocialCreditCode(code: string): string {
  return code.trim().toUpperCase();
}

/** Builds a valid code from its parts (demo data, tests): authority + type + region + 9-char org id. */
export function buildUnifiedSocialCreditCode(authority: string, orgType: string, regionCode: string, orgId: string): string {
  const first17 = `${authority}${orgType}${regionCode}${orgId}`;
  const code = first17 + uscCheckCharacter(first17);
  const r = validateUnifiedSocialCreditCode(code);
  if (!r.ok) throw new Error(r.reason);
  return code;
}

// ---------------------------------------------------------------------------------------------------------
// 药品批准文号
// ---------------------------------------------------------------------------------------------------------

/**
 * 国药准字 + H (化学药) / Z (中药) / S (生物制品) / J (进口分包装, old style) + 8 digits, e.g. 国药准字H20051234.
 * Also accepted: the 2020 rules' H/Z/S followed by C (港澳台) or J (境外生产) and 8 digits, e.g. 国药准字HJ20200001.
 */
const DRUG_APPROVAL_RE = /^国药准字(?:[HZS][CJ]?|J)\d{8}$/;

export function validateDrugApprovalNumber(s: string): ValidationResult {
  if (typeof s !== 'string' || s.length === 0) return fail('approval number is empty');
  if (DRUG_APPROVAL_RE.test(s)) return OK;
  if (!s.startsWith('国药准字')) return fail('approval number must start with 国药准字');
  const rest = s.slice(4);
  if (!/^(?:[HZS][CJ]?|J)/.test(rest)) {
    return fail('after 国药准字 comes the category letter H, Z, S or J');
  }
  return fail(`after 国药准字 and the category letter come exactly 8 digits, got ${JSON.stringify(rest)}`);
}

// ---------------------------------------------------------------------------------------------------------
// 医疗器械注册证编号
// ---------------------------------------------------------------------------------------------------------

/** Province-level abbreviations used by provincial medical-products administrations (class II, 境内). */
export const PROVINCE_ABBREVIATIONS = '京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔云藏陕甘青宁新';

export interface DeviceRegistrationParts {
  authority: string; // 国 or a province abbreviation
  form: '准' | '进' | '许'; // 境内 / 进口 / 港澳台
  year: number; // year of first registration
  managementClass: 2 | 3;
  category: string; // 2-digit 分类目录 code
  serial: string; // 4-digit serial
}

const DEVICE_RE = /^(.)械注(准|进|许)(\d{4})([23])(\d{2})(\d{4})$/;
/** Pre-2014 format, still printed on older certificates: 国食药监械(准)字2012第3460001号. */
const DEVICE_OLD_RE = /^(.)食?药监械[(（](准|进|许)[)）]字(\d{4})第(\d{7})号$/;

/** Parses the current format ×械注×YYYYCKKNNNN; null when it does not match. */
export function parseDeviceRegistrationNumber(s: string): DeviceRegistrationParts | null {
  const m = typeof s === 'string' ? DEVICE_RE.exec(s) : null;
  if (!m) return null;
  return {
    authority: m[1],
    form: m[2] as DeviceRegistrationParts['form'],
    year: Number(m[3]),
    managementClass: Number(m[4]) as 2 | 3,
    category: m[5],
    serial: m[6],
  };
}

/**
 * Device registration certificate numbers (医疗器械注册与备案管理办法):
 *   国械注准|进|许 + 4-digit first-registration year + class digit (2/3) + 2-digit category + 4-digit serial
 *   (e.g. 国械注准20193130123), or a province abbreviation + 械注准 + the same digits for class II devices
 *   (e.g. 豫械注准20202140001). The older 国食药监械(准)字YYYY第NNNNNNN号 form is accepted too.
 *   Class I devices are filed (备案), not registered, so 械备 numbers are refused here.
 */
export function validateDeviceRegistrationNumber(s: string): ValidationResult {
  if (typeof s !== 'string' || s.length === 0) return fail('registration number is empty');
  const old = DEVICE_OLD_RE.exec(s);
  if (old) {
    if (old[1] !== '国' && !PROVINCE_ABBREVIATIONS.includes(old[1])) {
      return fail(`unknown issuing authority ${old[1]}`);
    }
    return OK;
  }
  if (s.includes('械备')) return fail('械备 numbers are class I filings, not registration certificates');
  const p = parseDeviceRegistrationNumber(s);
  if (!p) {
    return fail('expected 国械注准/进/许 or <province>械注准 followed by 11 digits (year, class 2/3, category, serial)');
  }
  if (p.authority === '国') {
    // NMPA registers domestic class III and all imported / HK-Macao-Taiwan class II and III devices.
  } else if (PROVINCE_ABBREVIATIONS.includes(p.authority)) {
    if (p.form !== '准') return fail('provincial registrations are domestic only (械注准)');
    if (p.managementClass !== 2) return fail('provincial registrations are for class II devices');
  } else {
    return fail(`unknown issuing authority ${p.authority}`);
  }
  if (p.year < 1990 || p.year > 2099) return fail(`implausible registration year ${p.year}`);
  if (p.category === '00') return fail('category code 00 does not exist');
  return OK;
}

// ---------------------------------------------------------------------------------------------------------
// 行政区划代码 (GB/T 2260)
// ---------------------------------------------------------------------------------------------------------

/** First two digits of the 34 provincial-level divisions. */
const PROVINCE_PREFIXES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82',
]);

export type RegionLevel = 'PROVINCE' | 'CITY' | 'COUNTY';

export function validateRegionCode(code: string): ValidationResult {
  if (typeof code !== 'string' || !/^\d{6}$/.test(code)) return fail('region code must be 6 digits');
  if (code === '000000') return fail('region code must not be all zeros');
  if (!PROVINCE_PREFIXES.has(code.slice(0, 2))) {
    return fail(`region code ${code} does not start with a provincial-level code`);
  }
  if (code.slice(2, 4) === '00' && code.slice(4) !== '00') {
    return fail(`region code ${code} has a county part without a city part`);
  }
  return OK;
}

/**
 * True for 省直辖县级行政单位 (xx90yy), e.g. 济源 419001, 仙桃 429004: county-level cities governed directly by
 * the province. This platform treats them as CITY-level members of their province (济源 is managed like a
 * prefecture in Henan's health-insurance administration).
 */
export function isProvinceAdministeredCounty(code: string): boolean {
  return /^\d{2}90\d{2}$/.test(code) && code.slice(4) !== '00';
}

function assertRegionCode(code: string): void {
  const r = validateRegionCode(code);
  if (!r.ok) throw new Error(r.reason);
}

/** xx0000 → PROVINCE; xxxx00 and xx90yy (省直辖县级, e.g. 济源 419001) → CITY; otherwise COUNTY. */
export function regionLevelOf(code: string): RegionLevel {
  assertRegionCode(code);
  if (code.endsWith('0000')) return 'PROVINCE';
  if (code.endsWith('00') || isProvinceAdministeredCounty(code)) return 'CITY';
  return 'COUNTY';
}

/** Province → null; city (and xx90yy) → its province; county → its city (for municipalities the 市辖区 xx0100). */
export function parentRegionCode(code: string): string | null {
  const level = regionLevelOf(code);
  if (level === 'PROVINCE') return null;
  if (level === 'CITY') return `${code.slice(0, 2)}0000`;
  return `${code.slice(0, 4)}00`;
}

/** The province code of any region code. */
export function provinceCodeOf(code: string): string {
  assertRegionCode(code);
  return `${code.slice(0, 2)}0000`;
}

/** True when `code` is `ancestor` or lies below it in the tree. */
export function isWithinRegion(code: string, ancestor: string): boolean {
  for (let c: string | null = code; c !== null; c = parentRegionCode(c)) {
    if (c === ancestor) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// 医保药品编码 / 医保医用耗材编码 (NHSA national codes) — format checks only
// ---------------------------------------------------------------------------------------------------------

/**
 * National insurance drug code: 23 characters, first X (西药) or Z (中成药), then upper-case letters and digits.
 * Published X codes look like X + ATC level-4 (C10AA) + generic-name code (A052) + dosage-form code (A001)
 * + 9 digits (spec/pack/company), e.g. XC10AAA052A001010100000; we check only length, leading letter and
 * character set because the inner segments differ between X and Z codes and NHSA does not promise them.
 */
export function validateInsuranceDrugCode(code: string): ValidationResult {
  if (typeof code !== 'string' || code.length === 0) return fail('insurance drug code is empty');
  if (code.length !== 23) return fail(`insurance drug code must have 23 characters, got ${code.length}`);
  if (code[0] !== 'X' && code[0] !== 'Z') return fail('insurance drug code must start with X (西药) or Z (中成药)');
  if (!/^[XZ][0-9A-Z]{22}$/.test(code)) return fail('insurance drug code may contain only upper-case letters and digits');
  return OK;
}

/**
 * National insurance consumable code: 27 characters, C followed by 26 digits (classification levels, generic
 * name, material, features, company and product segments as published by NHSA), e.g. C03010101200001040130000001.
 */
export function validateInsuranceConsumableCode(code: string): ValidationResult {
  if (typeof code !== 'string' || code.length === 0) return fail('insurance consumable code is empty');
  if (code.length !== 27) return fail(`insurance consumable code must have 27 characters, got ${code.length}`);
  if (code[0] !== 'C') return fail('insurance consumable code must start with C');
  if (!/^C\d{26}$/.test(code)) return fail('after the leading C an insurance consumable code has 26 digits');
  return OK;
}

// ---------------------------------------------------------------------------------------------------------
// UDI-DI (GS1 GTIN-14) — used for consumables' UDI device identifiers
// ---------------------------------------------------------------------------------------------------------

/** GS1 mod-10 check digit for the first 13 digits of a GTIN-14. */
export function gtinCheckDigit(first13: string): string {
  if (!/^\d{13}$/.test(first13)) throw new Error('gtinCheckDigit expects 13 digits');
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(first13[i]) * (i % 2 === 0 ? 3 : 1);
  return String((10 - (sum % 10)) % 10);
}

/** A 14-digit GS1 GTIN with its check digit (the common UDI-DI issuer in China; MA/AHM codes are not covered). */
export function validateUdiDi(code: string): ValidationResult {
  if (typeof code !== 'string' || !/^\d{14}$/.test(code)) return fail('UDI-DI must be 14 digits (GS1 GTIN-14)');
  const expected = gtinCheckDigit(code.slice(0, 13));
  if (code[13] !== expected) return fail(`UDI-DI check digit mismatch: expected ${expected}, got ${code[13]}`);
  return OK;
}
