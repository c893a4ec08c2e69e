/**
 * The monitoring rule catalogue (domain §8). Each entry is the DEFAULT of a versioned rule: the migration seeds
 * these as rows of `monitoring_rule`; regulators' later versions are new rows, and every alert keeps the
 * version it was raised under. The SQL in src/supervision reads thresholds from the row, never from here.
 */
export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SUBJECT_KINDS = ['HOSPITAL', 'MANUFACTURER', 'DISTRIBUTOR', 'PRODUCT', 'REGION'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export const RULE_CODES = [
  'AGREEMENT_COMPLETION_BEHIND',
  'SUBSTITUTION_NON_WINNING',
  'DELIVERY_RATE_LOW',
  'DELIVERY_SHORTAGE',
  'PRICE_ABOVE_IN_FORCE',
  'LISTING_ABOVE_REFERENCE',
  'LISTING_ABOVE_VBP_MULTIPLE',
  'PRICE_CHANGE_MOM',
  'VOLUME_VS_DEMAND',
  'PLATFORM_PURCHASE_RATE_LOW',
  'PAYABLE_OVERDUE',
  'OFF_PLATFORM_UNDER_REPORTED',
  'PURCHASE_ABOVE_PAYMENT_STANDARD',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

/** Threshold parameters are decimal strings (ratios, multiples) or integers (days, months). */
export type RuleParams = Record<string, string | number>;

export interface RuleDefinition {
  code: RuleCode;
  version: number;
  name: string;
  subjectKind: SubjectKind;
  severity: Severity;
  params: RuleParams;
  /** The policy text the rule rests on, shown with every alert. */
  policy: string;
  effectiveFrom: string;
  /** The published views the rule reads; a missing view skips the rule with a logged reason. */
  views: string[];
}

const PLAN = '河南省“十四五”医疗保障规划：对价格、采购数量、配送率等出现异常变动的，要及时调查';

export const DEFAULT_RULES: readonly RuleDefinition[] = [
  {
    code: 'AGREEMENT_COMPLETION_BEHIND', version: 1, name: '协议量完成进度滞后', subjectKind: 'HOSPITAL', severity: 'MEDIUM',
    params: { pointsBehind: '0.10' },
    policy: '带量采购协议采购量完成进度 = 已验收量 ÷ 协议量，落后于协议周期已过比例 10 个百分点以上的，予以提示',
    effectiveFrom: '2025-01-01', views: ['v_volume_agreement'],
  },
  {
    code: 'SUBSTITUTION_NON_WINNING', version: 1, name: '非中选产品替代使用', subjectKind: 'HOSPITAL', severity: 'MEDIUM',
    params: { monthOnMonthRise: '0.10' },
    policy: '医疗机构同通用名非中选产品采购占比环比上升超过 10 个百分点，或超过 1 − 协议量占比的，予以提示',
    effectiveFrom: '2025-01-01', views: ['v_order_line_fact', 'v_volume_agreement'],
  },
  {
    code: 'DELIVERY_RATE_LOW', version: 1, name: '配送率偏低', subjectKind: 'DISTRIBUTOR', severity: 'MEDIUM',
    params: { minRate: '0.90' },
    policy: `配送率 = 时限内配送量 ÷ 订单量，低于 90% 的予以提示。${PLAN}`,
    effectiveFrom: '2025-01-01', views: ['v_order_line_fact'],
  },
  {
    code: 'DELIVERY_SHORTAGE', version: 1, name: '连续三月配送率低于10%（短缺信号）', subjectKind: 'MANUFACTURER', severity: 'HIGH',
    params: { maxRate: '0.10', consecutiveMonths: 3 },
    policy: '企业产品配送率连续 3 个月低于 10% 的，视为短缺信号，挂网产品予以暂停',
    effectiveFrom: '2025-01-01', views: ['v_order_line_fact', 'v_listing_price'],
  },
  {
    code: 'PRICE_ABOVE_IN_FORCE', version: 1, name: '成交价高于执行价', subjectKind: 'HOSPITAL', severity: 'HIGH',
    params: {},
    policy: '订单成交价不得高于下单时的协议价或挂网执行价',
    effectiveFrom: '2025-01-01', views: ['v_order_line_fact', 'v_listing_price', 'v_volume_agreement'],
  },
  {
    code: 'LISTING_ABOVE_REFERENCE', version: 1, name: '挂网价高于四同最低价', subjectKind: 'PRODUCT', severity: 'MEDIUM',
    params: {},
    policy: '挂网价格不得高于同通用名、同企业、同剂型、同规格产品在其他省份的最低挂网价（价格联动）',
    effectiveFrom: '2025-01-01', views: ['v_listing_price', 'v_reference_price'],
  },
  {
    code: 'LISTING_ABOVE_VBP_MULTIPLE', version: 1, name: '挂网价高于中选价倍数', subjectKind: 'PRODUCT', severity: 'MEDIUM',
    params: { winnerOutsideSupplyMultiple: '1.5', nonWinnerMultiple: '1.0' },
    policy: '非中选产品挂网价不高于同品种中选最高价（按差比价折算）的 1.0 倍；国家中选企业在非供应地区挂网不高于其中选价 1.5 倍',
    effectiveFrom: '2025-01-01', views: ['v_listing_price', 'v_volume_agreement'],
  },
  {
    code: 'PRICE_CHANGE_MOM', version: 1, name: '价格环比变动超过20%', subjectKind: 'PRODUCT', severity: 'MEDIUM',
    params: { maxChange: '0.20' },
    policy: `产品月均成交价环比变动超过 20% 的予以提示。${PLAN}`,
    effectiveFrom: '2025-01-01', views: ['v_order_line_fact'],
  },
  {
    code: 'VOLUME_VS_DEMAND', version: 1, name: '采购量偏离申报需求', subjectKind: 'HOSPITAL', severity: 'MEDIUM',
    params: { aboveMultiple: '3', belowFraction: '0.3333' },
    policy: '医疗机构品种月采购量超过申报需求月均量 3 倍或低于 1/3 的予以提示',
    effectiveFrom: '2025-01-01', views: ['v_order_line_fact', 'v_volume_agreement'],
  },
  {
    code: 'PLATFORM_PURCHASE_RATE_LOW', version: 1, name: '网采率偏低', subjectKind: 'HOSPITAL', severity: 'MEDIUM',
    params: { minDrugRate: '0.90', minHighValueConsumableRate: '0.80' },
    policy: '公立医疗机构药品网采率不低于 90%，高值医用耗材网采率不低于 80%',
    effectiveFrom: '2025-01-01', views: ['v_order_line_fact', 'v_off_platform_purchase'],
  },
  {
    code: 'PAYABLE_OVERDUE', version: 1, name: '货款逾期超过30天', subjectKind: 'HOSPITAL', severity: 'HIGH',
    params: { overdueDays: 30 },
    policy: '医保基金与企业直接结算，货款自验收合格之日起 30 日内结清；逾期超过 30 日的予以提示',
    effectiveFrom: '2025-01-01', views: ['v_payable_line'],
  },
  {
    code: 'OFF_PLATFORM_UNDER_REPORTED', version: 1, name: '线下采购少报（医保结算清单核对）', subjectKind: 'HOSPITAL', severity: 'HIGH',
    params: { maxGap: '0.10' },
    policy: '以医保结算清单核对医疗机构线下采购：结算清单反映的线下采购占比高于医疗机构自报占比 10 个百分点以上的，予以提示',
    effectiveFrom: '2025-01-01', views: ['v_order_line_fact', 'v_off_platform_purchase', 'insurance_claim_line'],
  },
  {
    code: 'PURCHASE_ABOVE_PAYMENT_STANDARD', version: 1, name: '采购价高于医保支付标准', subjectKind: 'HOSPITAL', severity: 'MEDIUM',
    params: { tolerance: '0' },
    policy: '健全医保支付标准与集中采购价格协同机制：医疗机构采购价高于下单时该产品（或其品种规格）执行的医保支付标准的，予以提示；tolerance 为容许超出的比例',
    effectiveFrom: '2025-01-01', views: ['v_order_line_fact', 'v_payment_standard'],
  },
];

export type ParamsCheck = { ok: true } | { ok: false; field: string; reason: string };

const RATIO = /^(0(\.\d{1,4})?|1(\.0{1,4})?)$/;
const MULTIPLE = /^\d{1,3}(\.\d{1,4})?$/;

/**
 * Checks a new version's parameters against the shape of the default: same keys, ratios in [0, 1], multiples
 * positive decimals, integers positive. Regulators may tune thresholds, not invent parameters.
 */
export function checkRuleParams(code: RuleCode, params: RuleParams): ParamsCheck {
  const rule = DEFAULT_RULES.find((r) => r.code === code);
  if (!rule) return { ok: false, field: 'code', reason: `Unknown rule ${code}` };
  for (const key of Object.keys(params)) {
    if (!(key in rule.params)) return { ok: false, field: `params.${key}`, reason: `Rule ${code} has no parameter ${key}` };
  }
  for (const [key, example] of Object.entries(rule.params)) {
    const value = params[key];
    if (value === undefined) return { ok: false, field: `params.${key}`, reason: `Parameter ${key} is required` };
    if (typeof example === 'number') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 365) {
        return { ok: false, field: `params.${key}`, reason: `${key} is a whole number from 1 to 365` };
      }
    } else if (typeof value !== 'string') {
      return { ok: false, field: `params.${key}`, reason: `${key} is a decimal string` };
    } else if (/Multiple$/.test(key) || key === 'aboveMultiple') {
      if (!MULTIPLE.test(value) || !/[1-9]/.test(value)) return { ok: false, field: `params.${key}`, reason: `${key} is a positive multiple` };
    } else if (!RATIO.test(value)) {
      return { ok: false, field: `params.${key}`, reason: `${key} is a ratio between 0 and 1 (up to 4 decimals)` };
    }
  }
  return { ok: true };
}
