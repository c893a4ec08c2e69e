/**
 * Demo master data for a Henan (河南) installation. Pure data: no Nest, no TypeORM, no I/O.
 *
 * What is real and what is not:
 * - Region codes and names are GB/T 2260 codes as published (偃师 is 偃师区 410307 since 2021).
 * - Hospital names are real public hospitals; their levels and district codes are best knowledge and only
 *   drive the demo (a county hospital marked SECONDARY may since have been upgraded).
 * - Manufacturers and distributors are fictional; their credit codes, approval numbers, registration
 *   numbers, insurance codes and UDI-DIs are fictional but valid in format (credit codes and UDI-DIs carry
 *   correct check characters, computed at module load).
 * - Varieties are real VBP varieties with realistic specs; prices are plausible pre-VBP levels, not quotes.
 */
import { gtinCheckDigit, uscCheckCharacter } from '@libs/identity-codes';

// ---------------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------------

export type DemoOrganisationKind =
  | 'PLATFORM'
  | 'REGULATOR'
  | 'HOSPITAL'
  | 'MANUFACTURER'
  | 'DISTRIBUTOR'
  | 'SETTLEMENT_OFFICE';
export type DemoHospitalLevel = 'TERTIARY' | 'SECONDARY' | 'PRIMARY' | 'COMMUNITY';
export type DemoRole =
  | 'PLATFORM_ADMIN'
  | 'REGULATOR'
  | 'HOSPITAL'
  | 'MANUFACTURER'
  | 'DISTRIBUTOR'
  | 'SETTLEMENT_OFFICE';
export type DemoConsistencyStatus = 'PASSED' | 'REFERENCE' | 'ORIGINATOR' | 'NOT_EVALUATED';

export interface DemoRegion {
  code: string;
  name: string;
  parentCode: string | null;
}

export interface DemoOrganisation {
  key: string;
  name: string;
  kind: DemoOrganisationKind;
  regionCode: string;
  creditCode: string;
  hospitalLevel?: DemoHospitalLevel;
}

export interface DemoUser {
  username: string;
  orgKey: string;
  role: DemoRole;
  displayName: string;
}

export interface DemoVarietySpec {
  spec: string;
  /** 差比价 factor to the variety's reference unit, as a decimal string. */
  comparableFactor: string;
}

export interface DemoVariety {
  key: string;
  kind: 'DRUG' | 'CONSUMABLE';
  genericName: string;
  /** Drugs only. */
  dosageForm?: string;
  /** Consumables only. */
  category?: string;
  referenceUnit: string;
  specs: DemoVarietySpec[];
  /** Consumables: high-value (高值医用耗材, the default for consumables) or not. */
  highValue?: boolean;
  /** Drugs: TCM decoction pieces (中药饮片), left out of the 90 % drug purchase target. */
  decoctionPiece?: boolean;
}

export interface DemoDrugProduct {
  key: string;
  kind: 'DRUG';
  varietyKey: string;
  manufacturerKey: string;
  genericName: string;
  dosageForm: string;
  spec: string;
  unitsPerPack: number;
  approvalNumber: string;
  insuranceCode: string;
  consistencyStatus: DemoConsistencyStatus;
  /** The comparable factor of `spec` within the variety. */
  specFactor: string;
  /** Pre-VBP price per smallest unit of THIS spec (片/粒/支/袋), yuan, 4 decimals. */
  referenceUnitPrice: string;
  productClass: 'DRUG' | 'TCM_DECOCTION_PIECE';
}

export interface DemoConsumableProduct {
  key: string;
  kind: 'CONSUMABLE';
  varietyKey: string;
  manufacturerKey: string;
  productName: string;
  category: string;
  /** The variety spec this product is grouped under. */
  varietySpec: string;
  modelSpec: string;
  registrationNumber: string;
  udiDi: string | null;
  insuranceCode: string;
  specFactor: string;
  /** Pre-VBP price per unit (个/套), yuan, 4 decimals. */
  referenceUnitPrice: string;
  productClass: 'HIGH_VALUE_CONSUMABLE' | 'LOW_VALUE_CONSUMABLE';
  /** 医保医用耗材分类 code: the classification segment of the insurance code. */
  nationalCategoryCode: string;
}

export type DemoProduct = DemoDrugProduct | DemoConsumableProduct;

export interface DemoReferencePrice {
  /** Province whose platform lists the price (GB/T 2260 province code). */
  provinceCode: string;
  productKey: string;
  unitPrice: string;
  /** Date the listing took effect (Asia/Shanghai). */
  effectiveDate: string;
  source: string;
}

export const DEMO_PASSWORD = 'Demo#2026';

// ---------------------------------------------------------------------------------------------------------
// Regions (GB/T 2260)
// ---------------------------------------------------------------------------------------------------------

const HENAN = '410000';

export const DEMO_REGIONS: DemoRegion[] = [
  { code: HENAN, name: '河南省', parentCode: null },
  { code: '410100', name: '郑州市', parentCode: HENAN },
  { code: '410200', name: '开封市', parentCode: HENAN },
  { code: '410300', name: '洛阳市', parentCode: HENAN },
  { code: '410400', name: '平顶山市', parentCode: HENAN },
  { code: '410500', name: '安阳市', parentCode: HENAN },
  { code: '410600', name: '鹤壁市', parentCode: HENAN },
  { code: '410700', name: '新乡市', parentCode: HENAN },
  { code: '410800', name: '焦作市', parentCode: HENAN },
  { code: '410900', name: '濮阳市', parentCode: HENAN },
  { code: '411000', name: '许昌市', parentCode: HENAN },
  { code: '411100', name: '漯河市', parentCode: HENAN },
  { code: '411200', name: '三门峡市', parentCode: HENAN },
  { code: '411300', name: '南阳市', parentCode: HENAN },
  { code: '411400', name: '商丘市', parentCode: HENAN },
  { code: '411500', name: '信阳市', parentCode: HENAN },
  { code: '411600', name: '周口市', parentCode: HENAN },
  { code: '411700', name: '驻马店市', parentCode: HENAN },
  // 济源 is a county-level city administered directly by the province (省直辖县级); treated as a city of Henan.
  { code: '419001', name: '济源市', parentCode: HENAN },

  { code: '410102', name: '中原区', parentCode: '410100' },
  { code: '410103', name: '二七区', parentCode: '410100' },
  { code: '410104', name: '管城回族区', parentCode: '410100' },
  { code: '410105', name: '金水区', parentCode: '410100' },
  { code: '410108', name: '惠济区', parentCode: '410100' },
  { code: '410122', name: '中牟县', parentCode: '410100' },
  { code: '410181', name: '巩义市', parentCode: '410100' },
  { code: '410184', name: '新郑市', parentCode: '410100' },

  { code: '410302', name: '老城区', parentCode: '410300' },
  { code: '410303', name: '西工区', parentCode: '410300' },
  { code: '410305', name: '涧西区', parentCode: '410300' },
  { code: '410307', name: '偃师区', parentCode: '410300' },
  { code: '410311', name: '洛龙区', parentCode: '410300' },
  { code: '410323', name: '新安县', parentCode: '410300' },

  { code: '411302', name: '宛城区', parentCode: '411300' },
  { code: '411303', name: '卧龙区', parentCode: '411300' },

  // Other provinces, for price linkage (价格联动) and for manufacturers outside Henan.
  { code: '110000', name: '北京市', parentCode: null },
  { code: '310000', name: '上海市', parentCode: null },
  { code: '320000', name: '江苏省', parentCode: null },
  { code: '320100', name: '南京市', parentCode: '320000' },
  { code: '320400', name: '常州市', parentCode: '320000' },
  { code: '320500', name: '苏州市', parentCode: '320000' },
  { code: '321200', name: '泰州市', parentCode: '320000' },
  { code: '330000', name: '浙江省', parentCode: null },
  { code: '330100', name: '杭州市', parentCode: '330000' },
  { code: '331000', name: '台州市', parentCode: '330000' },
  { code: '370000', name: '山东省', parentCode: null },
  { code: '370100', name: '济南市', parentCode: '370000' },
  { code: '420000', name: '湖北省', parentCode: null },
  { code: '420100', name: '武汉市', parentCode: '420000' },
  { code: '440000', name: '广东省', parentCode: null },
  { code: '440100', name: '广州市', parentCode: '440000' },
  { code: '440300', name: '深圳市', parentCode: '440000' },
];

// ---------------------------------------------------------------------------------------------------------
// Organisations
// ---------------------------------------------------------------------------------------------------------

const USC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** FNV-1a, so that every organisation gets a stable pseudo organisation id derived from its key. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A valid unified social credit code for a demo organisation. Institutions get an old-style 9-character
 * organisation code (8 digits + digit/X); companies the newer "MA…" style used since 2015.
 */
function demoCreditCode(prefix: '11' | '12' | '91', regionCode: string, key: string): string {
  let h = hash32(key);
  let orgId: string;
  if (prefix === '91') {
    orgId = 'MA';
    for (let i = 0; i < 7; i++) {
      orgId += USC_CHARS[h % 31];
      h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
    }
  } else {
    orgId = String(h % 100_000_000).padStart(8, '0') + '0123456789X'[hash32(key + '#') % 11];
  }
  const first17 = prefix + regionCode + orgId;
  return first17 + uscCheckCharacter(first17);
}

type OrgRow = [key: string, name: string, regionCode: string, level?: DemoHospitalLevel];

const gov = (key: string, name: string, regionCode: string): DemoOrganisation => ({
  key,
  name,
  kind: 'REGULATOR',
  regionCode,
  creditCode: demoCreditCode('11', regionCode, key),
});

const HOSPITAL_ROWS: OrgRow[] = [
  // 郑州
  ['hosp-zz-1', '郑州大学第一附属医院', '410103', 'TERTIARY'],
  ['hosp-zz-2', '河南省人民医院', '410105', 'TERTIARY'],
  ['hosp-zz-3', '郑州大学第二附属医院', '410105', 'TERTIARY'],
  ['hosp-zz-4', '河南省肿瘤医院', '410105', 'TERTIARY'],
  ['hosp-zz-5', '河南中医药大学第一附属医院', '410105', 'TERTIARY'],
  ['hosp-zz-6', '郑州市中心医院', '410102', 'TERTIARY'],
  ['hosp-zz-7', '郑州人民医院', '410105', 'TERTIARY'],
  ['hosp-zz-8', '河南省胸科医院', '410105', 'TERTIARY'],
  ['hosp-zz-9', '郑州市第一人民医院', '410104', 'TERTIARY'],
  ['hosp-zz-10', '新郑市人民医院', '410184', 'SECONDARY'],
  ['hosp-zz-11', '中牟县人民医院', '410122', 'SECONDARY'],
  ['hosp-zz-12', '巩义市人民医院', '410181', 'SECONDARY'],
  ['hosp-zz-13', '郑州市金水区丰产路街道社区卫生服务中心', '410105', 'COMMUNITY'],
  ['hosp-zz-14', '中牟县官渡镇中心卫生院', '410122', 'PRIMARY'],
  // 洛阳
  ['hosp-ly-1', '河南科技大学第一附属医院', '410305', 'TERTIARY'],
  ['hosp-ly-2', '洛阳市中心医院', '410303', 'TERTIARY'],
  ['hosp-ly-3', '洛阳市第三人民医院', '410300', 'SECONDARY'],
  ['hosp-ly-4', '洛阳市偃师区人民医院', '410307', 'SECONDARY'],
  ['hosp-ly-5', '新安县人民医院', '410323', 'SECONDARY'],
  ['hosp-ly-6', '洛阳市涧西区长安路街道社区卫生服务中心', '410305', 'COMMUNITY'],
  // 南阳
  ['hosp-ny-1', '南阳市中心医院', '411302', 'TERTIARY'],
  ['hosp-ny-2', '南阳市第二人民医院', '411300', 'TERTIARY'],
  ['hosp-ny-3', '南阳市卧龙区人民医院', '411303', 'SECONDARY'],
  ['hosp-ny-4', '南阳市宛城区红泥湾镇中心卫生院', '411302', 'PRIMARY'],
  // other cities
  ['hosp-kf-1', '河南大学第一附属医院', '410200', 'TERTIARY'],
  ['hosp-kf-2', '开封市中心医院', '410200', 'TERTIARY'],
  ['hosp-pds-1', '平顶山市第一人民医院', '410400', 'TERTIARY'],
  ['hosp-ay-1', '安阳市人民医院', '410500', 'TERTIARY'],
  ['hosp-ay-2', '安阳地区医院', '410500', 'TERTIARY'],
  ['hosp-hb-1', '鹤壁市人民医院', '410600', 'TERTIARY'],
  ['hosp-xx-1', '新乡医学院第一附属医院', '410700', 'TERTIARY'],
  ['hosp-xx-2', '新乡市中心医院', '410700', 'TERTIARY'],
  ['hosp-jz-1', '焦作市人民医院', '410800', 'TERTIARY'],
  ['hosp-py-1', '濮阳市人民医院', '410900', 'TERTIARY'],
  ['hosp-xc-1', '许昌市中心医院', '411000', 'TERTIARY'],
  ['hosp-lh-1', '漯河市中心医院', '411100', 'TERTIARY'],
  ['hosp-smx-1', '三门峡市中心医院', '411200', 'TERTIARY'],
  ['hosp-sq-1', '商丘市第一人民医院', '411400', 'TERTIARY'],
  ['hosp-xy-1', '信阳市中心医院', '411500', 'TERTIARY'],
  ['hosp-zk-1', '周口市中心医院', '411600', 'TERTIARY'],
  ['hosp-zmd-1', '驻马店市中心医院', '411700', 'TERTIARY'],
  ['hosp-jy-1', '济源市人民医院', '419001', 'SECONDARY'],
];

/** Fictional manufacturers (drug makers and device makers), inside and outside Henan. */
const MANUFACTURER_ROWS: OrgRow[] = [
  ['mfr-alpha', '河南华康制药有限公司', '410184'],
  ['mfr-beta', '洛阳普瑞药业股份有限公司', '410311'],
  ['mfr-gamma', '南阳卧龙生物药业有限公司', '411303'],
  ['mfr-delta', '新乡华信制药有限公司', '410700'],
  ['mfr-epsilon', '江苏泰康药业有限公司', '321200'],
  ['mfr-zeta', '浙江台海制药股份有限公司', '331000'],
  ['mfr-eta', '山东鲁信药业有限公司', '370100'],
  ['mfr-theta', '湖北楚天制药有限公司', '420100'],
  ['mfr-kappa', '上海申联制药有限公司', '310000'],
  ['mfr-lambda', '北京京研药业有限公司', '110000'],
  // Originator companies (fictional stand-ins for multinational originators' Chinese entities).
  ['mfr-orig-a', '亚瑞斯制药（中国）有限公司', '310000'],
  ['mfr-orig-b', '诺康医药（苏州）有限公司', '320500'],
  // Medical devices.
  ['mfr-stent-a', '北京安泰心科医疗器械有限公司', '110000'],
  ['mfr-stent-b', '深圳瑞心医疗科技有限公司', '440300'],
  ['mfr-ortho', '江苏骨康医疗器械有限公司', '320400'],
  ['mfr-import', '美敦瑞医疗器械（上海）有限公司', '310000'],
];

const DISTRIBUTOR_ROWS: OrgRow[] = [
  ['dist-zy', '河南中原医药物流有限公司', '410100'],
  ['dist-yj', '河南豫健医药股份有限公司', '410105'],
  ['dist-ly', '洛阳洛康医药有限公司', '410300'],
  ['dist-ny', '南阳宛康医药物流有限公司', '411300'],
];

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  {
    key: 'platform-henan',
    name: '河南省医药集中采购平台（省医保局医药价格和招采中心）',
    kind: 'PLATFORM',
    regionCode: HENAN,
    creditCode: demoCreditCode('12', HENAN, 'platform-henan'),
  },
  gov('reg-henan', '河南省医疗保障局', HENAN),
  gov('reg-zz', '郑州市医疗保障局', '410100'),
  gov('reg-ly', '洛阳市医疗保障局', '410300'),
  gov('reg-ny', '南阳市医疗保障局', '411300'),
  {
    key: 'settle-henan',
    name: '河南省医疗保障中心',
    kind: 'SETTLEMENT_OFFICE',
    regionCode: HENAN,
    creditCode: demoCreditCode('12', HENAN, 'settle-henan'),
  },
  ...HOSPITAL_ROWS.map(([key, name, regionCode, hospitalLevel]): DemoOrganisation => ({
    key,
    name,
    kind: 'HOSPITAL',
    regionCode,
    creditCode: demoCreditCode('12', regionCode, key),
    hospitalLevel,
  })),
  ...MANUFACTURER_ROWS.map(([key, name, regionCode]): DemoOrganisation => ({
    key,
    name,
    kind: 'MANUFACTURER',
    regionCode,
    creditCode: demoCreditCode('91', regionCode, key),
  })),
  ...DISTRIBUTOR_ROWS.map(([key, name, regionCode]): DemoOrganisation => ({
    key,
    name,
    kind: 'DISTRIBUTOR',
    regionCode,
    creditCode: demoCreditCode('91', regionCode, key),
  })),
];

// ---------------------------------------------------------------------------------------------------------
// Users: one per organisation, username = organisation key (the platform's is 'platform-admin')
// ---------------------------------------------------------------------------------------------------------

const ROLE_OF_KIND: Record<DemoOrganisationKind, DemoRole> = {
  PLATFORM: 'PLATFORM_ADMIN',
  REGULATOR: 'REGULATOR',
  HOSPITAL: 'HOSPITAL',
  MANUFACTURER: 'MANUFACTURER',
  DISTRIBUTOR: 'DISTRIBUTOR',
  SETTLEMENT_OFFICE: 'SETTLEMENT_OFFICE',
};

const TITLE_OF_ROLE: Record<DemoRole, string> = {
  PLATFORM_ADMIN: '平台管理员',
  REGULATOR: '招采监管经办人',
  HOSPITAL: '药学部采购员',
  MANUFACTURER: '投标及挂网专员',
  DISTRIBUTOR: '配送专员',
  SETTLEMENT_OFFICE: '结算经办人',
};

export const DEMO_USERS: DemoUser[] = DEMO_ORGANISATIONS.map((o) => {
  const role = ROLE_OF_KIND[o.kind];
  return {
    username: o.kind === 'PLATFORM' ? 'platform-admin' : o.key,
    orgKey: o.key,
    role,
    displayName: `${o.name} ${TITLE_OF_ROLE[role]}`,
  };
});

// ---------------------------------------------------------------------------------------------------------
// Varieties (品种) with comparable factors (差比价: 1.7 per doubling of strength, i.e. 1.7^log2(ratio);
// halving → 1/1.7 = 0.5882, one third → 1.7^log2(1/3) = 0.4313)
// ---------------------------------------------------------------------------------------------------------

interface DrugVarietyCodes {
  /** ATC level 4 as used in segment 2–6 of NHSA drug codes. */
  atc: string;
  /** Generic-name and dosage-form segments (letter + 3 digits each); fictional except A052/A211 patterns. */
  genericCode: string;
  formCode: string;
}

const DRUG_VARIETY_CODES: Record<string, DrugVarietyCodes> = {
  atorvastatin: { atc: 'C10AA', genericCode: 'A052', formCode: 'A001' },
  amlodipine: { atc: 'C08CA', genericCode: 'A028', formCode: 'A001' },
  famotidine: { atc: 'A02BA', genericCode: 'F006', formCode: 'B005' },
  rosuvastatin: { atc: 'C10AA', genericCode: 'R017', formCode: 'A001' },
  metformin: { atc: 'A10BA', genericCode: 'E011', formCode: 'A001' },
  clopidogrel: { atc: 'B01AC', genericCode: 'L022', formCode: 'A001' },
  entecavir: { atc: 'J05AF', genericCode: 'E019', formCode: 'A001' },
  smectite: { atc: 'A07BC', genericCode: 'M004', formCode: 'D010' },
  omeprazole: { atc: 'A02BC', genericCode: 'A211', formCode: 'E002' },
  levofloxacin: { atc: 'J01MA', genericCode: 'Z012', formCode: 'A001' },
  cefuroxime: { atc: 'J01DC', genericCode: 'T025', formCode: 'A001' },
  amoxicillin: { atc: 'J01CA', genericCode: 'A040', formCode: 'C001' },
  ceftriaxone: { atc: 'J01DD', genericCode: 'T034', formCode: 'B005' },
  huangqi: { atc: 'T0001', genericCode: 'H001', formCode: 'Y001' },
};

export const DEMO_VARIETIES: DemoVariety[] = [
  {
    key: 'atorvastatin',
    kind: 'DRUG',
    genericName: '阿托伐他汀钙片',
    dosageForm: '片剂',
    referenceUnit: '片(10mg)',
    specs: [
      { spec: '10mg', comparableFactor: '1' },
      { spec: '20mg', comparableFactor: '1.7' },
      { spec: '40mg', comparableFactor: '2.89' },
    ],
  },
  {
    key: 'amlodipine',
    kind: 'DRUG',
    genericName: '苯磺酸氨氯地平片',
    dosageForm: '片剂',
    referenceUnit: '片(5mg)',
    specs: [
      { spec: '5mg', comparableFactor: '1' },
      { spec: '10mg', comparableFactor: '1.7' },
    ],
  },
  {
    key: 'famotidine',
    kind: 'DRUG',
    genericName: '注射用法莫替丁',
    dosageForm: '注射剂',
    referenceUnit: '支(20mg)',
    specs: [{ spec: '20mg', comparableFactor: '1' }],
  },
  {
    key: 'rosuvastatin',
    kind: 'DRUG',
    genericName: '瑞舒伐他汀钙片',
    dosageForm: '片剂',
    referenceUnit: '片(10mg)',
    specs: [
      { spec: '5mg', comparableFactor: '0.5882' },
      { spec: '10mg', comparableFactor: '1' },
      { spec: '20mg', comparableFactor: '1.7' },
    ],
  },
  {
    key: 'metformin',
    kind: 'DRUG',
    genericName: '盐酸二甲双胍片',
    dosageForm: '片剂',
    referenceUnit: '片(0.5g)',
    specs: [
      { spec: '0.25g', comparableFactor: '0.5882' },
      { spec: '0.5g', comparableFactor: '1' },
    ],
  },
  {
    key: 'clopidogrel',
    kind: 'DRUG',
    genericName: '硫酸氢氯吡格雷片',
    dosageForm: '片剂',
    referenceUnit: '片(75mg)',
    specs: [
      { spec: '25mg', comparableFactor: '0.4313' },
      { spec: '75mg', comparableFactor: '1' },
    ],
  },
  {
    key: 'entecavir',
    kind: 'DRUG',
    genericName: '恩替卡韦片',
    dosageForm: '片剂',
    referenceUnit: '片(0.5mg)',
    specs: [
      { spec: '0.5mg', comparableFactor: '1' },
      { spec: '1mg', comparableFactor: '1.7' },
    ],
  },
  {
    key: 'smectite',
    kind: 'DRUG',
    genericName: '蒙脱石散',
    dosageForm: '散剂',
    referenceUnit: '袋(3g)',
    specs: [{ spec: '3g', comparableFactor: '1' }],
  },
  {
    key: 'omeprazole',
    kind: 'DRUG',
    genericName: '奥美拉唑肠溶胶囊',
    dosageForm: '肠溶胶囊',
    referenceUnit: '粒(20mg)',
    specs: [
      { spec: '10mg', comparableFactor: '0.5882' },
      { spec: '20mg', comparableFactor: '1' },
    ],
  },
  {
    key: 'levofloxacin',
    kind: 'DRUG',
    genericName: '左氧氟沙星片',
    dosageForm: '片剂',
    referenceUnit: '片(0.5g)',
    specs: [
      { spec: '0.25g', comparableFactor: '0.5882' },
      { spec: '0.5g', comparableFactor: '1' },
    ],
  },
  {
    key: 'cefuroxime',
    kind: 'DRUG',
    genericName: '头孢呋辛酯片',
    dosageForm: '片剂',
    referenceUnit: '片(0.25g)',
    specs: [
      { spec: '0.125g', comparableFactor: '0.5882' },
      { spec: '0.25g', comparableFactor: '1' },
    ],
  },
  {
    key: 'amoxicillin',
    kind: 'DRUG',
    genericName: '阿莫西林胶囊',
    dosageForm: '胶囊剂',
    referenceUnit: '粒(0.25g)',
    specs: [
      { spec: '0.25g', comparableFactor: '1' },
      { spec: '0.5g', comparableFactor: '1.7' },
    ],
  },
  {
    key: 'ceftriaxone',
    kind: 'DRUG',
    genericName: '注射用头孢曲松钠',
    dosageForm: '注射剂',
    referenceUnit: '支(1.0g)',
    specs: [
      { spec: '0.5g', comparableFactor: '0.5882' },
      { spec: '1.0g', comparableFactor: '1' },
      { spec: '2.0g', comparableFactor: '1.7' },
    ],
  },
  {
    key: 'coronary-des',
    kind: 'CONSUMABLE',
    genericName: '冠脉药物洗脱支架',
    category: '冠脉支架',
    referenceUnit: '个',
    specs: [{ spec: '支架系统（含输送系统）', comparableFactor: '1' }],
  },
  {
    key: 'ptca-balloon',
    kind: 'CONSUMABLE',
    genericName: '冠脉扩张球囊',
    category: '冠脉球囊',
    referenceUnit: '个',
    specs: [{ spec: '球囊扩张导管', comparableFactor: '1' }],
  },
  {
    key: 'hip-joint',
    kind: 'CONSUMABLE',
    genericName: '人工髋关节',
    category: '人工关节',
    referenceUnit: '套',
    specs: [{ spec: '初次置换全髋关节（髋臼杯+内衬+股骨柄+股骨头）', comparableFactor: '1' }],
  },
  {
    key: 'huangqi',
    kind: 'DRUG',
    genericName: '黄芪',
    dosageForm: '饮片',
    referenceUnit: 'g',
    specs: [{ spec: '切片', comparableFactor: '1' }],
    decoctionPiece: true,
  },
  {
    key: 'syringe',
    kind: 'CONSUMABLE',
    genericName: '一次性使用无菌注射器',
    category: '注射穿刺器械',
    referenceUnit: '支',
    specs: [{ spec: '5ml（带针）', comparableFactor: '1' }],
    highValue: false,
  },
];

// ---------------------------------------------------------------------------------------------------------
// Products
// ---------------------------------------------------------------------------------------------------------

const varietyByKey = new Map(DEMO_VARIETIES.map((v) => [v.key, v]));
const manufacturerNo = new Map(MANUFACTURER_ROWS.map(([key], i) => [key, 10001 + i]));

function specOf(varietyKey: string, spec: string): { index: number; factor: string; variety: DemoVariety } {
  const variety = varietyByKey.get(varietyKey);
  if (!variety) throw new Error(`demo data: unknown variety ${varietyKey}`);
  const index = variety.specs.findIndex((s) => s.spec === spec);
  if (index < 0) throw new Error(`demo data: variety ${varietyKey} has no spec ${spec}`);
  return { index, factor: variety.specs[index].comparableFactor, variety };
}

type DrugRow = [
  key: string,
  varietyKey: string,
  manufacturerKey: string,
  spec: string,
  unitsPerPack: number,
  approvalNumber: string,
  consistencyStatus: DemoConsistencyStatus,
  referenceUnitPrice: string,
];

function drug([key, varietyKey, manufacturerKey, spec, unitsPerPack, approvalNumber, consistencyStatus, price]: DrugRow): DemoDrugProduct {
  const { index, factor, variety } = specOf(varietyKey, spec);
  const codes = DRUG_VARIETY_CODES[varietyKey];
  const mfrNo = manufacturerNo.get(manufacturerKey);
  if (!codes || mfrNo === undefined) throw new Error(`demo data: bad drug row ${key}`);
  // X (西药) or Z (中药) + ATC(5) + generic(4) + form(4) + spec(2) + pack(2) + company(5) = 23 characters.
  const insuranceCode =
    (variety.decoctionPiece ? 'Z' : 'X') +
    codes.atc +
    codes.genericCode +
    codes.formCode +
    String(index + 1).padStart(2, '0') +
    String(unitsPerPack % 100).padStart(2, '0') +
    String(mfrNo).padStart(5, '0');
  return {
    key,
    kind: 'DRUG',
    varietyKey,
    manufacturerKey,
    genericName: variety.genericName,
    dosageForm: variety.dosageForm!,
    spec,
    unitsPerPack,
    approvalNumber,
    insuranceCode,
    consistencyStatus,
    specFactor: factor,
    referenceUnitPrice: price,
    productClass: variety.decoctionPiece ? 'TCM_DECOCTION_PIECE' : 'DRUG',
  };
}

// Approval numbers: H + 8 digits; H41xxxxxx are old Henan provincial series, H2xxxxxxx national series.
const DRUG_ROWS: DrugRow[] = [
  ['atorva-10-origa', 'atorvastatin', 'mfr-orig-a', '10mg', 7, '国药准字H20051408', 'REFERENCE', '3.6200'],
  ['atorva-20-origa', 'atorvastatin', 'mfr-orig-a', '20mg', 7, '国药准字H20051407', 'REFERENCE', '6.2000'],
  ['atorva-10-alpha', 'atorvastatin', 'mfr-alpha', '10mg', 14, '国药准字H20193215', 'PASSED', '2.1500'],
  ['atorva-20-alpha', 'atorvastatin', 'mfr-alpha', '20mg', 14, '国药准字H20193216', 'PASSED', '3.6500'],
  ['atorva-20-epsilon', 'atorvastatin', 'mfr-epsilon', '20mg', 7, '国药准字H20183044', 'PASSED', '3.9800'],
  ['atorva-40-epsilon', 'atorvastatin', 'mfr-epsilon', '40mg', 7, '国药准字H20183045', 'PASSED', '6.1200'],
  ['atorva-20-eta', 'atorvastatin', 'mfr-eta', '20mg', 28, '国药准字H20203371', 'PASSED', '3.2000'],
  ['atorva-10-delta', 'atorvastatin', 'mfr-delta', '10mg', 14, '国药准字H41025633', 'NOT_EVALUATED', '1.6800'],

  ['amlo-5-origb', 'amlodipine', 'mfr-orig-b', '5mg', 7, '国药准字H10950224', 'ORIGINATOR', '4.6800'],
  ['amlo-5-beta', 'amlodipine', 'mfr-beta', '5mg', 28, '国药准字H20183112', 'PASSED', '1.2500'],
  ['amlo-5-zeta', 'amlodipine', 'mfr-zeta', '5mg', 14, '国药准字H20173087', 'PASSED', '1.4200'],
  ['amlo-10-zeta', 'amlodipine', 'mfr-zeta', '10mg', 14, '国药准字H20173088', 'PASSED', '2.3000'],
  ['amlo-5-gamma', 'amlodipine', 'mfr-gamma', '5mg', 14, '国药准字H41022780', 'NOT_EVALUATED', '0.9800'],

  ['famo-20-theta', 'famotidine', 'mfr-theta', '20mg', 10, '国药准字H20213460', 'PASSED', '4.8000'],
  ['famo-20-alpha', 'famotidine', 'mfr-alpha', '20mg', 10, '国药准字H20223581', 'PASSED', '3.9500'],
  ['famo-20-kappa', 'famotidine', 'mfr-kappa', '20mg', 5, '国药准字H20213299', 'PASSED', '5.2000'],

  ['rosu-10-origa', 'rosuvastatin', 'mfr-orig-a', '10mg', 7, '国药准字J20170026', 'ORIGINATOR', '5.5000'],
  ['rosu-5-eta', 'rosuvastatin', 'mfr-eta', '5mg', 28, '国药准字H20193120', 'PASSED', '1.7200'],
  ['rosu-10-eta', 'rosuvastatin', 'mfr-eta', '10mg', 28, '国药准字H20193121', 'PASSED', '2.8600'],
  ['rosu-10-lambda', 'rosuvastatin', 'mfr-lambda', '10mg', 14, '国药准字H20183353', 'PASSED', '3.1000'],
  ['rosu-20-lambda', 'rosuvastatin', 'mfr-lambda', '20mg', 7, '国药准字H20183354', 'PASSED', '5.2800'],

  ['metf-05-origb', 'metformin', 'mfr-orig-b', '0.5g', 20, '国药准字H20023370', 'ORIGINATOR', '0.3900'],
  ['metf-05-beta', 'metformin', 'mfr-beta', '0.5g', 60, '国药准字H41020851', 'PASSED', '0.1650'],
  ['metf-05-delta', 'metformin', 'mfr-delta', '0.5g', 48, '国药准字H41021966', 'PASSED', '0.1480'],
  ['metf-025-gamma', 'metformin', 'mfr-gamma', '0.25g', 100, '国药准字H41024412', 'NOT_EVALUATED', '0.0600'],

  ['clop-75-origa', 'clopidogrel', 'mfr-orig-a', '75mg', 7, '国药准字J20180029', 'REFERENCE', '15.8300'],
  ['clop-75-epsilon', 'clopidogrel', 'mfr-epsilon', '75mg', 7, '国药准字H20123116', 'PASSED', '7.0400'],
  ['clop-75-kappa', 'clopidogrel', 'mfr-kappa', '75mg', 14, '国药准字H20203510', 'PASSED', '3.2600'],
  ['clop-25-kappa', 'clopidogrel', 'mfr-kappa', '25mg', 20, '国药准字H20203511', 'PASSED', '1.4800'],

  ['ente-05-origb', 'entecavir', 'mfr-orig-b', '0.5mg', 7, '国药准字H20052237', 'ORIGINATOR', '12.9000'],
  ['ente-05-epsilon', 'entecavir', 'mfr-epsilon', '0.5mg', 28, '国药准字H20100019', 'PASSED', '8.8600'],
  ['ente-05-zeta', 'entecavir', 'mfr-zeta', '0.5mg', 14, '国药准字H20163402', 'PASSED', '6.4500'],
  ['ente-1-zeta', 'entecavir', 'mfr-zeta', '1mg', 7, '国药准字H20163403', 'PASSED', '10.9800'],

  ['smec-3-origb', 'smectite', 'mfr-orig-b', '3g', 10, '国药准字H20000690', 'ORIGINATOR', '1.7200'],
  ['smec-3-gamma', 'smectite', 'mfr-gamma', '3g', 10, '国药准字H20203198', 'PASSED', '0.8800'],
  ['smec-3-delta', 'smectite', 'mfr-delta', '3g', 12, '国药准字H20213045', 'PASSED', '0.9500'],
  ['smec-3-theta', 'smectite', 'mfr-theta', '3g', 10, '国药准字H42022617', 'NOT_EVALUATED', '0.7200'],

  ['omep-20-origa', 'omeprazole', 'mfr-orig-a', '20mg', 7, '国药准字H20030448', 'REFERENCE', '2.8600'],
  ['omep-20-alpha', 'omeprazole', 'mfr-alpha', '20mg', 14, '国药准字H20203650', 'PASSED', '0.9800'],
  ['omep-20-theta', 'omeprazole', 'mfr-theta', '20mg', 28, '国药准字H20193388', 'PASSED', '0.7600'],
  ['omep-10-theta', 'omeprazole', 'mfr-theta', '10mg', 14, '国药准字H20193389', 'PASSED', '0.5200'],

  ['levo-05-origb', 'levofloxacin', 'mfr-orig-b', '0.5g', 4, '国药准字H20070091', 'ORIGINATOR', '8.5000'],
  ['levo-05-beta', 'levofloxacin', 'mfr-beta', '0.5g', 6, '国药准字H20193260', 'PASSED', '3.2000'],
  ['levo-025-beta', 'levofloxacin', 'mfr-beta', '0.25g', 10, '国药准字H20193261', 'PASSED', '1.8800'],
  ['levo-05-eta', 'levofloxacin', 'mfr-eta', '0.5g', 4, '国药准字H20183173', 'PASSED', '3.6500'],

  ['cefu-025-origa', 'cefuroxime', 'mfr-orig-a', '0.25g', 12, '国药准字H20020286', 'ORIGINATOR', '3.9000'],
  ['cefu-025-zeta', 'cefuroxime', 'mfr-zeta', '0.25g', 12, '国药准字H20203247', 'PASSED', '1.9500'],
  ['cefu-0125-delta', 'cefuroxime', 'mfr-delta', '0.125g', 12, '国药准字H20213088', 'PASSED', '1.0200'],

  ['amox-025-alpha', 'amoxicillin', 'mfr-alpha', '0.25g', 24, '国药准字H41021337', 'PASSED', '0.2200'],
  ['amox-025-gamma', 'amoxicillin', 'mfr-gamma', '0.25g', 50, '国药准字H41023508', 'PASSED', '0.1800'],
  ['amox-05-kappa', 'amoxicillin', 'mfr-kappa', '0.5g', 24, '国药准字H31020532', 'PASSED', '0.4100'],
  ['amox-025-delta', 'amoxicillin', 'mfr-delta', '0.25g', 36, '国药准字H41024876', 'NOT_EVALUATED', '0.1500'],

  ['ceft-1-origb', 'ceftriaxone', 'mfr-orig-b', '1.0g', 1, '国药准字H20010134', 'ORIGINATOR', '48.6000'],
  ['ceft-1-theta', 'ceftriaxone', 'mfr-theta', '1.0g', 10, '国药准字H20203422', 'PASSED', '8.9000'],
  ['ceft-2-theta', 'ceftriaxone', 'mfr-theta', '2.0g', 10, '国药准字H20203423', 'PASSED', '15.2000'],
  ['ceft-1-lambda', 'ceftriaxone', 'mfr-lambda', '1.0g', 10, '国药准字H20213517', 'PASSED', '7.6000'],
  ['ceft-05-beta', 'ceftriaxone', 'mfr-beta', '0.5g', 10, '国药准字H20213630', 'PASSED', '4.3000'],

  // a TCM decoction piece (中药饮片): bought on the platform, but outside the 90 % drug target; price per gram
  ['huangqi-gamma', 'huangqi', 'mfr-gamma', '切片', 1000, '国药准字Z41020961', 'NOT_EVALUATED', '0.1200'],
];

type ConsumableRow = [
  key: string,
  varietyKey: string,
  manufacturerKey: string,
  productName: string,
  modelSpec: string,
  registrationNumber: string,
  /** First 13 digits of the GTIN-14 UDI-DI, or null when the demo pretends it is unknown. */
  udiDi13: string | null,
  referenceUnitPrice: string,
];

/** NHSA consumable code classification segment per variety (fictional digits, real structure length). */
const CONSUMABLE_CLASS: Record<string, string> = {
  'coronary-des': '02030110001',
  'ptca-balloon': '02030210002',
  'hip-joint': '03010110003',
  syringe: '01020110004',
};

function consumable(
  [key, varietyKey, manufacturerKey, productName, modelSpec, registrationNumber, udiDi13, price]: ConsumableRow,
  serial: number,
): DemoConsumableProduct {
  const variety = varietyByKey.get(varietyKey);
  const mfrNo = manufacturerNo.get(manufacturerKey);
  if (!variety || mfrNo === undefined) throw new Error(`demo data: bad consumable row ${key}`);
  const spec = variety.specs[0];
  // C + class(11) + company(5) + product(10) = 27 characters.
  const insuranceCode = 'C' + CONSUMABLE_CLASS[varietyKey] + String(mfrNo).padStart(5, '0') + String(serial).padStart(10, '0');
  return {
    key,
    kind: 'CONSUMABLE',
    varietyKey,
    manufacturerKey,
    productName,
    category: variety.category!,
    varietySpec: spec.spec,
    modelSpec,
    registrationNumber,
    udiDi: udiDi13 === null ? null : udiDi13 + gtinCheckDigit(udiDi13),
    insuranceCode,
    specFactor: spec.comparableFactor,
    referenceUnitPrice: price,
    productClass: variety.highValue === false ? 'LOW_VALUE_CONSUMABLE' : 'HIGH_VALUE_CONSUMABLE',
    nationalCategoryCode: CONSUMABLE_CLASS[varietyKey],
  };
}

const CONSUMABLE_ROWS: ConsumableRow[] = [
  ['des-stent-a', 'coronary-des', 'mfr-stent-a', '钴铬合金雷帕霉素洗脱冠脉支架系统', '直径2.25–4.00mm，长度13–38mm', '国械注准20193130123', '0697123400011', '11800.0000'],
  ['des-stent-b', 'coronary-des', 'mfr-stent-b', '铂铬合金依维莫司洗脱冠脉支架系统', '直径2.50–4.00mm，长度12–32mm', '国械注准20203130457', '0697456700025', '12600.0000'],
  ['des-import', 'coronary-des', 'mfr-import', '佐他莫司洗脱冠脉支架系统', '直径2.25–4.00mm，长度8–38mm', '国械注进20183130212', '0061399400103', '15800.0000'],
  ['ptca-stent-a', 'ptca-balloon', 'mfr-stent-a', '冠脉球囊扩张导管（半顺应性）', '直径1.25–4.00mm，长度10–30mm', '国械注准20183030561', '0697123400028', '3200.0000'],
  ['ptca-stent-b', 'ptca-balloon', 'mfr-stent-b', '冠脉球囊扩张导管（非顺应性）', '直径2.00–5.00mm，长度8–20mm', '国械注准20213030877', null, '3600.0000'],
  ['ptca-import', 'ptca-balloon', 'mfr-import', '快速交换冠脉球囊扩张导管', '直径1.50–4.00mm，长度6–30mm', '国械注进20173030166', '0061399400219', '4500.0000'],
  ['hip-ortho-cc', 'hip-joint', 'mfr-ortho', '人工髋关节假体（陶瓷-陶瓷界面）', '髋臼杯44–64mm，股骨头28/32/36mm', '国械注准20163130342', '0697789000015', '38000.0000'],
  ['hip-ortho-cp', 'hip-joint', 'mfr-ortho', '人工髋关节假体（陶瓷-高交联聚乙烯界面）', '髋臼杯44–64mm，股骨头28/32mm', '国械注准20173130589', null, '29800.0000'],
  ['hip-import', 'hip-joint', 'mfr-import', '全髋关节假体系统', '髋臼杯46–66mm，股骨头28/32/36mm', '国械注进20163130078', '0061399400325', '45000.0000'],
  // a low-value consumable (低值医用耗材)
  ['syringe-ortho', 'syringe', 'mfr-ortho', '一次性使用无菌注射器（带针）', '5ml，0.7×32TWLB', '国械注准20153140786', '0697789000022', '0.4500'],
];

export const DEMO_DRUG_PRODUCTS: DemoDrugProduct[] = DRUG_ROWS.map(drug);
export const DEMO_CONSUMABLE_PRODUCTS: DemoConsumableProduct[] = CONSUMABLE_ROWS.map((row, i) => consumable(row, i + 1));
export const DEMO_PRODUCTS: DemoProduct[] = [...DEMO_DRUG_PRODUCTS, ...DEMO_CONSUMABLE_PRODUCTS];

// ---------------------------------------------------------------------------------------------------------
// Other provinces' listing prices (four-same products), for price linkage (价格联动)
// ---------------------------------------------------------------------------------------------------------

export const DEMO_REFERENCE_PRICES: DemoReferencePrice[] = [
  { provinceCode: '320000', productKey: 'atorva-20-epsilon', unitPrice: '3.7600', effectiveDate: '2025-09-01', source: '江苏省医药阳光采购平台挂网价（演示数据）' },
  { provinceCode: '370000', productKey: 'atorva-20-eta', unitPrice: '3.0500', effectiveDate: '2025-07-15', source: '山东省药品和医用耗材招采管理子系统挂网价（演示数据）' },
  { provinceCode: '420000', productKey: 'amlo-5-zeta', unitPrice: '1.3500', effectiveDate: '2025-06-01', source: '湖北省医药价格和招采平台挂网价（演示数据）' },
  { provinceCode: '440000', productKey: 'clop-75-epsilon', unitPrice: '6.8800', effectiveDate: '2025-08-20', source: '广东省药品交易中心挂网价（演示数据）' },
  { provinceCode: '110000', productKey: 'rosu-10-lambda', unitPrice: '2.9900', effectiveDate: '2025-05-10', source: '北京市医药阳光采购平台挂网价（演示数据）' },
  { provinceCode: '310000', productKey: 'ente-05-zeta', unitPrice: '6.2000', effectiveDate: '2025-10-01', source: '上海市医药集中招标采购平台挂网价（演示数据）' },
  { provinceCode: '320000', productKey: 'ceft-1-theta', unitPrice: '8.4500', effectiveDate: '2025-09-01', source: '江苏省医药阳光采购平台挂网价（演示数据）' },
  { provinceCode: '420000', productKey: 'famo-20-theta', unitPrice: '4.5000', effectiveDate: '2025-04-01', source: '湖北省医药价格和招采平台挂网价（演示数据）' },
  { provinceCode: '370000', productKey: 'levo-05-eta', unitPrice: '3.3800', effectiveDate: '2025-07-15', source: '山东省药品和医用耗材招采管理子系统挂网价（演示数据）' },
  { provinceCode: '310000', productKey: 'amlo-5-origb', unitPrice: '4.4100', effectiveDate: '2025-03-01', source: '上海市医药集中招标采购平台挂网价（演示数据）' },
  { provinceCode: '440000', productKey: 'des-stent-b', unitPrice: '12200.0000', effectiveDate: '2025-06-30', source: '广东省药品交易中心挂网价（演示数据）' },
  { provinceCode: '310000', productKey: 'hip-import', unitPrice: '43800.0000', effectiveDate: '2025-02-01', source: '上海市医药集中招标采购平台挂网价（演示数据）' },
];
