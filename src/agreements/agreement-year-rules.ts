import { Dec } from '@libs/money';

/**
 * The rules of agreement years (协议年度) as versioned data: how far a hospital may move the next year's
 * quantity (续签) away from the past year's actual use, and how long it has to re-sign before the default is
 * signed for it. A new reading is a new version appended here, never an edit; each year stores its version.
 */
export interface AgreementYearRules {
  readonly version: number;
  /** Lowest re-signed quantity as a share of the past year's actual use (rounded up to a whole unit). */
  readonly minShareOfLastYearUse: string;
  /** Highest re-signed quantity as a share of the past year's actual use (rounded down to a whole unit). */
  readonly maxShareOfLastYearUse: string;
  /** Days from the year's start within which the hospital re-signs; after that the default is signed for it. */
  readonly resignWithinDays: number;
}

export const AGREEMENT_YEAR_RULES: readonly AgreementYearRules[] = Object.freeze([
  Object.freeze({ version: 1, minShareOfLastYearUse: '0.8', maxShareOfLastYearUse: '1.5', resignWithinDays: 30 }),
]);

export const CURRENT_AGREEMENT_YEAR_RULES = AGREEMENT_YEAR_RULES[AGREEMENT_YEAR_RULES.length - 1];

export function agreementYearRules(version: number): AgreementYearRules {
  const rules = AGREEMENT_YEAR_RULES.find((r) => r.version === version);
  if (!rules) throw new Error(`Unknown agreement year rules version ${version}`);
  return rules;
}

/** The quantities a hospital may re-sign for the next year, given the past year's actual use. */
export function resignBounds(lastYearUse: number, rules: AgreementYearRules): { min: number; max: number } {
  return {
    min: new Dec(lastYearUse).times(rules.minShareOfLastYearUse).toDecimalPlaces(0, Dec.ROUND_UP).toNumber(),
    max: new Dec(lastYearUse).times(rules.maxShareOfLastYearUse).toDecimalPlaces(0, Dec.ROUND_DOWN).toNumber(),
  };
}

/** Year-end figures: shortfall (agreed not bought) and surplus (bought beyond agreed, at the awarded price). */
export function yearEndFigures(agreed: number, purchased: number): { shortfall: number; surplus: number; completion: string } {
  return { shortfall: Math.max(agreed - purchased, 0), surplus: Math.max(purchased - agreed, 0), completion: completionShare(purchased, agreed) };
}

/** purchased ÷ agreed, 4 decimals half-up; 0.0000 when nothing was agreed. */
export function completionShare(purchased: number, agreed: number | null): string {
  if (!agreed || agreed <= 0) return '0.0000';
  return new Dec(purchased).div(agreed).toDecimalPlaces(4, Dec.ROUND_HALF_UP).toFixed(4);
}
