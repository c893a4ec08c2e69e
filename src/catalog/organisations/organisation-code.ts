import { validateRegionCode, validateUnifiedSocialCreditCode, ValidationResult } from '@libs/identity-codes';

/**
 * An organisation's public code, the stable key others look it up by (`organisation(code:)`):
 * - a regulator (医保局): the GB/T 2260 code of the region it administers — one regulator per region;
 * - every other organisation (hospitals, manufacturers, distributors, the settlement office, the platform
 *   operator): its 统一社会信用代码, 18 characters with a valid check character.
 * The settlement office shares its region with the regulator, so it is known by its credit code, not the
 * region code (a unique code cannot name both). The database CHECKs the same rule.
 */
export function organisationCodeOf(o: { kind: string; regionCode: string; creditCode: string }): string {
  return o.kind === 'REGULATOR' ? o.regionCode : o.creditCode;
}

/** Whether `code` is an acceptable public code for an organisation of this kind in this region. */
export function validateOrganisationCode(kind: string, regionCode: string, code: string): ValidationResult {
  if (kind === 'REGULATOR') {
    const region = validateRegionCode(code);
    if (!region.ok) return { ok: false, reason: `a regulator's code is the region code it administers: ${region.reason}` };
    if (code !== regionCode) return { ok: false, reason: `a regulator's code is its region code ${regionCode}` };
    return { ok: true };
  }
  return validateUnifiedSocialCreditCode(code);
}

/** The CHECK the organisation table carries: the code follows from kind, region and credit code. */
export const ORGANISATION_CODE_CHECK = `(kind = 'REGULATOR' AND code = region_code) OR (kind <> 'REGULATOR' AND code = credit_code)`;
