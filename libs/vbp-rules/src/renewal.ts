import { compare, parseDecimal } from './decimal';

/**
 * 续约规则: how incumbents renew at the end of a cycle instead of a new tender. Versioned like the evaluation
 * presets: a renewal stores the code, version and rules it ran under; a new reading is a new version.
 */
export interface RenewalRules {
  /** The offered price may not exceed the lowest current price of the same product in another province. */
  boundByOtherProvincesLowest: boolean;
  /** Years of the renewed cycle. */
  cycleYears: number;
}

export interface RenewalRulePreset {
  code: string;
  version: number;
  description: string;
  rules: RenewalRules;
}

export const RENEWAL_RULE_PRESETS: readonly RenewalRulePreset[] = Object.freeze([
  Object.freeze({
    code: 'RENEWAL_STANDARD',
    version: 1,
    description: '续约：原中选企业确认或降低中选价（不得提高），且不高于其他省份现行最低价；放弃者退出；医疗机构重新报量；续约周期2年',
    rules: Object.freeze({ boundByOtherProvincesLowest: true, cycleYears: 2 }),
  }),
  Object.freeze({
    code: 'RENEWAL_PRICE_ONLY',
    version: 1,
    description: '续约：原中选企业确认或降低中选价（不得提高），不比较外省价格；续约周期1年',
    rules: Object.freeze({ boundByOtherProvincesLowest: false, cycleYears: 1 }),
  }),
]);

/** The latest version of a preset, or null. */
export function renewalPreset(code: string): RenewalRulePreset | null {
  const versions = RENEWAL_RULE_PRESETS.filter((p) => p.code === code);
  return versions.length ? versions.reduce((a, b) => (b.version > a.version ? b : a)) : null;
}

export type RenewalPriceRefusal = 'RAISED' | 'ABOVE_REFERENCE';

/**
 * Judges an incumbent's renewal price (all plain decimals, per unit of the same product's spec): never above
 * the current awarded price; when the rules say so, never above the lowest price in other provinces.
 */
export function judgeRenewalPrice(
  rules: RenewalRules,
  offer: { currentUnitPrice: string; offeredUnitPrice: string; otherProvincesLowest: string | null },
): RenewalPriceRefusal | null {
  const offered = parseDecimal(offer.offeredUnitPrice);
  if (compare(offered, parseDecimal(offer.currentUnitPrice)) > 0) return 'RAISED';
  if (rules.boundByOtherProvincesLowest && offer.otherProvincesLowest !== null && compare(offered, parseDecimal(offer.otherProvincesLowest)) > 0) return 'ABOVE_REFERENCE';
  return null;
}
