import { ONE, compare, fractionDigits, isPlainDecimal, parseDecimal } from './decimal';
import { parseInstant } from './instant';
import { ANCHOR_KINDS, RoundInput, TIE_BREAK_KEYS } from './types';

/**
 * Input validation per the contract: walks the input in document order — `ruleSet` before `lots`, each
 * object's fields in the order of the contract's input example, arrays from index 0 — and reports the
 * first fault with the path of the offending value. Unknown extra fields are ignored.
 */

export type ValidationResult = { ok: true; input: RoundInput } | { ok: false; error: string; path: string };

/** Carries the first fault out of the walk; never escapes validateInput. */
class InputFault extends Error {
  constructor(
    readonly error: string,
    readonly path: string,
  ) {
    super(error);
  }
}

function fail(path: string, error: string): never {
  throw new InputFault(error, path);
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** JSON has no `undefined`, so an undefined property is an absent field. */
function requirePresent(value: unknown, path: string): void {
  if (value === undefined) fail(path, 'missing field');
}

function requireObject(value: unknown, path: string): JsonObject {
  requirePresent(value, path);
  if (!isObject(value)) fail(path, `expected an object, got ${describe(value)}`);
  return value;
}

function requireArray(value: unknown, path: string): unknown[] {
  requirePresent(value, path);
  if (!Array.isArray(value)) fail(path, `expected an array, got ${describe(value)}`);
  return value;
}

function requireString(value: unknown, path: string): string {
  requirePresent(value, path);
  if (typeof value !== 'string') fail(path, `expected a string, got ${describe(value)}`);
  return value;
}

function requireBoolean(value: unknown, path: string): boolean {
  requirePresent(value, path);
  if (typeof value !== 'boolean') fail(path, `expected a boolean, got ${describe(value)}`);
  return value;
}

function requireInteger(value: unknown, path: string, minimum: number): number {
  requirePresent(value, path);
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(path, `expected an integer, got ${describe(value)}`);
  if (value < minimum) fail(path, `must be an integer >= ${minimum}`);
  return value;
}

/** A decimal in plain notation given as a JSON string (a JSON number is mistyped). */
function requireDecimal(value: unknown, path: string, maxFractionDigits?: number): string {
  requirePresent(value, path);
  if (typeof value !== 'string') fail(path, `expected a decimal string, got ${describe(value)}`);
  if (!isPlainDecimal(value)) fail(path, 'expected a decimal in plain notation (digits with an optional fraction)');
  if (maxFractionDigits !== undefined && fractionDigits(value) > maxFractionDigits) {
    fail(path, `more than ${maxFractionDigits} decimals`);
  }
  return value;
}

function isZeroDecimal(text: string): boolean {
  return parseDecimal(text).num === 0n;
}

function exceedsOne(text: string): boolean {
  return compare(parseDecimal(text), ONE) > 0;
}

function requireEnum<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  const text = requireString(value, path);
  if (!(allowed as readonly string[]).includes(text)) fail(path, `unknown value "${text}"; expected one of ${allowed.join(', ')}`);
  return text as T;
}

function validateRuleSet(value: unknown): void {
  const path = 'ruleSet';
  const ruleSet = requireObject(value, path);

  const priceRatio = requireDecimal(ruleSet.priceRatio, `${path}.priceRatio`);
  if (isZeroDecimal(priceRatio)) fail(`${path}.priceRatio`, 'must be > 0');

  requireEnum(ruleSet.anchor, `${path}.anchor`, ANCHOR_KINDS);

  requirePresent(ruleSet.lowPriceThreshold, `${path}.lowPriceThreshold`);
  if (ruleSet.lowPriceThreshold !== null) {
    const threshold = requireDecimal(ruleSet.lowPriceThreshold, `${path}.lowPriceThreshold`);
    if (isZeroDecimal(threshold)) fail(`${path}.lowPriceThreshold`, 'must be > 0 or null');
  }

  requirePresent(ruleSet.ceilingReduction, `${path}.ceilingReduction`);
  if (ruleSet.ceilingReduction !== null) {
    const reduction = requireDecimal(ruleSet.ceilingReduction, `${path}.ceilingReduction`);
    if (isZeroDecimal(reduction) || exceedsOne(reduction)) fail(`${path}.ceilingReduction`, 'must be in (0, 1] or null');
  }

  const shortlist = requireObject(ruleSet.shortlist, `${path}.shortlist`);
  requireInteger(shortlist.minus, `${path}.shortlist.minus`, 0);
  requireInteger(shortlist.max, `${path}.shortlist.max`, 1);

  requireBoolean(ruleSet.revival, `${path}.revival`);

  const tieBreak = requireArray(ruleSet.tieBreak, `${path}.tieBreak`);
  tieBreak.forEach((key, index) => requireEnum(key, `${path}.tieBreak[${index}]`, TIE_BREAK_KEYS));

  const shares = requireArray(ruleSet.volumeShareByWinners, `${path}.volumeShareByWinners`);
  if (shares.length === 0) fail(`${path}.volumeShareByWinners`, 'must not be empty');
  shares.forEach((share, index) => {
    const sharePath = `${path}.volumeShareByWinners[${index}]`;
    const text = requireDecimal(share, sharePath);
    if (isZeroDecimal(text) || exceedsOne(text)) fail(sharePath, 'must be in (0, 1]');
  });

  const cycles = requireArray(ruleSet.cycleYearsByWinners, `${path}.cycleYearsByWinners`);
  if (cycles.length === 0) fail(`${path}.cycleYearsByWinners`, 'must not be empty');
  cycles.forEach((years, index) => requireInteger(years, `${path}.cycleYearsByWinners[${index}]`, 1));
}

/** Ids seen so far whose uniqueness spans the whole input. */
interface RoundScope {
  readonly lotIds: Set<string>;
  readonly bidIds: Set<string>;
}

function validateSpecs(value: unknown, lotPath: string): Set<string> {
  const specs = requireArray(value, `${lotPath}.specs`);
  const specIds = new Set<string>();
  specs.forEach((entry, index) => {
    const path = `${lotPath}.specs[${index}]`;
    const spec = requireObject(entry, path);
    const id = requireString(spec.id, `${path}.id`);
    if (specIds.has(id)) fail(`${path}.id`, `duplicate spec id "${id}" in this lot`);
    specIds.add(id);
    const factor = requireDecimal(spec.comparableFactor, `${path}.comparableFactor`);
    // A factor of 0 would make the unit comparable price undefined.
    if (isZeroDecimal(factor)) fail(`${path}.comparableFactor`, 'must be > 0');
    const ceiling = requireDecimal(spec.ceilingUnitPrice, `${path}.ceilingUnitPrice`, 4);
    if (isZeroDecimal(ceiling)) fail(`${path}.ceilingUnitPrice`, 'must be > 0');
  });
  return specIds;
}

function validateRegions(value: unknown, lotPath: string): Set<string> {
  const regions = requireArray(value, `${lotPath}.regions`);
  const regionIds = new Set<string>();
  regions.forEach((entry, index) => {
    const path = `${lotPath}.regions[${index}]`;
    const id = requireString(entry, path);
    if (regionIds.has(id)) fail(path, `duplicate region id "${id}" in this lot`);
    regionIds.add(id);
  });
  return regionIds;
}

/** The hot part of validation at national scale (millions of lines): paths are built only on a fault. */
function validateDemand(value: unknown, lotPath: string, regionIds: ReadonlySet<string>): void {
  const demand = requireArray(value, `${lotPath}.demand`);
  const hospitalIds = new Set<string>();
  for (let index = 0; index < demand.length; index++) {
    const entry = demand[index];
    const line = isObject(entry) ? entry : requireObject(entry, `${lotPath}.demand[${index}]`);
    const hospitalId = line.hospitalId;
    if (typeof hospitalId !== 'string') requireString(hospitalId, `${lotPath}.demand[${index}].hospitalId`);
    // One hash lookup per line: a Set that does not grow on add already held the id.
    const knownHospitals = hospitalIds.size;
    hospitalIds.add(hospitalId as string);
    if (hospitalIds.size === knownHospitals) {
      fail(`${lotPath}.demand[${index}].hospitalId`, `duplicate hospital id "${hospitalId as string}" in this lot`);
    }
    const regionId = line.regionId;
    if (typeof regionId !== 'string') requireString(regionId, `${lotPath}.demand[${index}].regionId`);
    if (!regionIds.has(regionId as string)) {
      fail(`${lotPath}.demand[${index}].regionId`, `unknown regionId "${regionId as string}" for this lot`);
    }
    const quantity = line.quantity;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0) {
      requireInteger(quantity, `${lotPath}.demand[${index}].quantity`, 0);
    }
    const preferred = line.preferredManufacturerId;
    if (preferred !== undefined && preferred !== null && typeof preferred !== 'string') {
      fail(`${lotPath}.demand[${index}].preferredManufacturerId`, `expected a string or null, got ${describe(preferred)}`);
    }
  }
}

function validateBids(
  value: unknown,
  lotPath: string,
  specIds: ReadonlySet<string>,
  regionIds: ReadonlySet<string>,
  scope: RoundScope,
): void {
  const bids = requireArray(value, `${lotPath}.bids`);
  const manufacturerIds = new Set<string>();
  bids.forEach((entry, index) => {
    const path = `${lotPath}.bids[${index}]`;
    const bid = requireObject(entry, path);

    const id = requireString(bid.id, `${path}.id`);
    if (scope.bidIds.has(id)) fail(`${path}.id`, `duplicate bid id "${id}"`);
    scope.bidIds.add(id);

    const manufacturerId = requireString(bid.manufacturerId, `${path}.manufacturerId`);
    if (manufacturerIds.has(manufacturerId)) {
      fail(`${path}.manufacturerId`, `manufacturer "${manufacturerId}" already has a bid in this lot`);
    }
    manufacturerIds.add(manufacturerId);

    const specId = requireString(bid.specId, `${path}.specId`);
    if (!specIds.has(specId)) fail(`${path}.specId`, `unknown specId "${specId}" for this lot`);

    const unitPrice = requireDecimal(bid.unitPrice, `${path}.unitPrice`, 4);
    if (isZeroDecimal(unitPrice)) fail(`${path}.unitPrice`, 'must be > 0');

    const submittedAt = requireString(bid.submittedAt, `${path}.submittedAt`);
    if (parseInstant(submittedAt) === null) {
      fail(`${path}.submittedAt`, 'expected an ISO 8601 instant with an offset (Z or ±HH:MM)');
    }

    if (bid.demandShare !== undefined) {
      const share = requireDecimal(bid.demandShare, `${path}.demandShare`);
      if (exceedsOne(share)) fail(`${path}.demandShare`, 'must be in [0, 1]');
    }

    if (bid.acceptsRevival !== undefined) requireBoolean(bid.acceptsRevival, `${path}.acceptsRevival`);
    if (bid.excluded !== undefined) requireBoolean(bid.excluded, `${path}.excluded`);

    if (bid.regionPreferences !== undefined) {
      const preferences = requireArray(bid.regionPreferences, `${path}.regionPreferences`);
      preferences.forEach((regionEntry, preferenceIndex) => {
        const preferencePath = `${path}.regionPreferences[${preferenceIndex}]`;
        const regionId = requireString(regionEntry, preferencePath);
        if (!regionIds.has(regionId)) fail(preferencePath, `unknown regionId "${regionId}" for this lot`);
      });
    }
  });
}

function validateLot(value: unknown, lotPath: string, scope: RoundScope): void {
  const lot = requireObject(value, lotPath);
  const id = requireString(lot.id, `${lotPath}.id`);
  if (scope.lotIds.has(id)) fail(`${lotPath}.id`, `duplicate lot id "${id}"`);
  scope.lotIds.add(id);
  const specIds = validateSpecs(lot.specs, lotPath);
  const regionIds = validateRegions(lot.regions, lotPath);
  validateDemand(lot.demand, lotPath, regionIds);
  validateBids(lot.bids, lotPath, specIds, regionIds, scope);
}

/** Checks a parsed JSON value against the contract; on success the same value, typed. */
export function validateInput(raw: unknown): ValidationResult {
  try {
    const root = isObject(raw) ? raw : fail('', `expected a JSON object, got ${describe(raw)}`);
    validateRuleSet(root.ruleSet);
    const lots = requireArray(root.lots, 'lots');
    const scope: RoundScope = { lotIds: new Set(), bidIds: new Set() };
    lots.forEach((lot, index) => validateLot(lot, `lots[${index}]`, scope));
    return { ok: true, input: root as unknown as RoundInput };
  } catch (thrown) {
    if (thrown instanceof InputFault) return { ok: false, error: thrown.error, path: thrown.path };
    throw thrown;
  }
}

/** Parses JSON text and validates it; text that is not JSON at all is reported at path "". */
export function parseAndValidate(text: string): ValidationResult {
  let raw: unknown;
  try {
    // A leading byte-order mark is not part of the JSON value (RFC 8259 §8.1 lets parsers ignore it).
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return { ok: false, error: 'input is not valid JSON', path: '' };
  }
  return validateInput(raw);
}
