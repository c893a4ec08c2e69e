import { readFileSync } from 'fs';
import { join } from 'path';
import { EXAMPLES_DIR } from './spec-helpers';
import { parseAndValidate, validateInput } from './validate';

// Any valid input would do; the contract's first example has every optional field both present and absent.
const BASE_TEXT = readFileSync(join(EXAMPLES_DIR, '001-lowest-anchor-one-winner-revival.input.json'), 'utf8');

// Mutations poke arbitrary, deliberately wrong values into the input.
type Json = any;

function withSecondLot(input: Json): Json {
  const second = JSON.parse(JSON.stringify(input.lots[0]));
  second.id = 'LOT-2';
  second.bids.forEach((bid: Json, index: number) => (bid.id = `LOT-2-BID-${index + 1}`));
  input.lots.push(second);
  return input;
}

/** The path reported for the base input after `mutate`, or "OK". */
function pathAfter(mutate: (input: Json) => void): string {
  const input = JSON.parse(BASE_TEXT);
  mutate(input);
  const result = validateInput(input);
  return result.ok ? 'OK' : result.path;
}

describe('validateInput', () => {
  it('accepts every worked example', () => {
    expect(pathAfter(() => undefined)).toBe('OK');
  });

  describe('input that is not a JSON object', () => {
    it.each(['', '{', '{"ruleSet": }', 'undefined', "{'a': 1}", '{"a": 1,}'])('reports non-JSON %j at path ""', (text) => {
      expect(parseAndValidate(text)).toMatchObject({ ok: false, path: '' });
    });
    it.each(['[]', '42', 'null', '"text"'])('reports JSON %s that is not an object at path ""', (text) => {
      expect(parseAndValidate(text)).toMatchObject({ ok: false, path: '' });
    });
    it('tolerates a leading byte-order mark', () => {
      expect(parseAndValidate(`\uFEFF${BASE_TEXT}`).ok).toBe(true);
    });
  });

  const cases: [string, (input: Json) => void, string][] = [
    // ruleSet
    ['missing ruleSet', (i) => delete i.ruleSet, 'ruleSet'],
    ['null ruleSet', (i) => (i.ruleSet = null), 'ruleSet'],
    ['ruleSet as array', (i) => (i.ruleSet = []), 'ruleSet'],
    ['missing priceRatio', (i) => delete i.ruleSet.priceRatio, 'ruleSet.priceRatio'],
    ['priceRatio as JSON number', (i) => (i.ruleSet.priceRatio = 1.8), 'ruleSet.priceRatio'],
    ['priceRatio zero', (i) => (i.ruleSet.priceRatio = '0.000'), 'ruleSet.priceRatio'],
    ['priceRatio with exponent', (i) => (i.ruleSet.priceRatio = '1e1'), 'ruleSet.priceRatio'],
    ['priceRatio with sign', (i) => (i.ruleSet.priceRatio = '+1.8'), 'ruleSet.priceRatio'],
    ['priceRatio with leading dot', (i) => (i.ruleSet.priceRatio = '.8'), 'ruleSet.priceRatio'],
    ['priceRatio with trailing dot', (i) => (i.ruleSet.priceRatio = '1.'), 'ruleSet.priceRatio'],
    ['priceRatio below 1 is allowed', (i) => (i.ruleSet.priceRatio = '0.5'), 'OK'],
    ['priceRatio with many decimals is allowed', (i) => (i.ruleSet.priceRatio = '1.800000001'), 'OK'],
    ['unknown anchor', (i) => (i.ruleSet.anchor = 'HIGHEST'), 'ruleSet.anchor'],
    ['lower-case anchor', (i) => (i.ruleSet.anchor = 'lowest'), 'ruleSet.anchor'],
    ['missing anchor', (i) => delete i.ruleSet.anchor, 'ruleSet.anchor'],
    ['missing lowPriceThreshold (null is not absent)', (i) => delete i.ruleSet.lowPriceThreshold, 'ruleSet.lowPriceThreshold'],
    ['lowPriceThreshold zero', (i) => (i.ruleSet.lowPriceThreshold = '0'), 'ruleSet.lowPriceThreshold'],
    ['lowPriceThreshold as number', (i) => (i.ruleSet.lowPriceThreshold = 0.1), 'ruleSet.lowPriceThreshold'],
    ['lowPriceThreshold given', (i) => (i.ruleSet.lowPriceThreshold = '0.10'), 'OK'],
    ['missing ceilingReduction', (i) => delete i.ruleSet.ceilingReduction, 'ruleSet.ceilingReduction'],
    ['ceilingReduction zero', (i) => (i.ruleSet.ceilingReduction = '0'), 'ruleSet.ceilingReduction'],
    ['ceilingReduction above one', (i) => (i.ruleSet.ceilingReduction = '1.0001'), 'ruleSet.ceilingReduction'],
    ['ceilingReduction exactly one', (i) => (i.ruleSet.ceilingReduction = '1.000'), 'OK'],
    ['ceilingReduction boolean', (i) => (i.ruleSet.ceilingReduction = false), 'ruleSet.ceilingReduction'],
    ['missing shortlist', (i) => delete i.ruleSet.shortlist, 'ruleSet.shortlist'],
    ['shortlist as number', (i) => (i.ruleSet.shortlist = 2), 'ruleSet.shortlist'],
    ['missing shortlist.minus', (i) => delete i.ruleSet.shortlist.minus, 'ruleSet.shortlist.minus'],
    ['negative shortlist.minus', (i) => (i.ruleSet.shortlist.minus = -1), 'ruleSet.shortlist.minus'],
    ['fractional shortlist.minus', (i) => (i.ruleSet.shortlist.minus = 1.5), 'ruleSet.shortlist.minus'],
    ['shortlist.minus as string', (i) => (i.ruleSet.shortlist.minus = '2'), 'ruleSet.shortlist.minus'],
    ['shortlist.minus zero', (i) => (i.ruleSet.shortlist.minus = 0), 'OK'],
    ['shortlist.max zero', (i) => (i.ruleSet.shortlist.max = 0), 'ruleSet.shortlist.max'],
    ['revival as string', (i) => (i.ruleSet.revival = 'true'), 'ruleSet.revival'],
    ['missing revival', (i) => delete i.ruleSet.revival, 'ruleSet.revival'],
    ['unknown tie-break key', (i) => (i.ruleSet.tieBreak = ['UNIT_COMPARABLE_PRICE', 'PRICE']), 'ruleSet.tieBreak[1]'],
    ['tie-break as string', (i) => (i.ruleSet.tieBreak = 'BID_ID'), 'ruleSet.tieBreak'],
    ['repeated and empty tie-break chains', (i) => (i.ruleSet.tieBreak = ['UNIT_PRICE', 'UNIT_PRICE']), 'OK'],
    ['empty tie-break chain', (i) => (i.ruleSet.tieBreak = []), 'OK'],
    ['empty volume share table', (i) => (i.ruleSet.volumeShareByWinners = []), 'ruleSet.volumeShareByWinners'],
    ['zero volume share', (i) => (i.ruleSet.volumeShareByWinners = ['0.5', '0']), 'ruleSet.volumeShareByWinners[1]'],
    ['volume share above one', (i) => (i.ruleSet.volumeShareByWinners = ['1.01']), 'ruleSet.volumeShareByWinners[0]'],
    ['volume share as number', (i) => (i.ruleSet.volumeShareByWinners = [0.5]), 'ruleSet.volumeShareByWinners[0]'],
    ['volume share of one', (i) => (i.ruleSet.volumeShareByWinners = ['1']), 'OK'],
    ['empty cycle table', (i) => (i.ruleSet.cycleYearsByWinners = []), 'ruleSet.cycleYearsByWinners'],
    ['zero cycle years', (i) => (i.ruleSet.cycleYearsByWinners = [1, 0]), 'ruleSet.cycleYearsByWinners[1]'],
    ['fractional cycle years', (i) => (i.ruleSet.cycleYearsByWinners = [1.5]), 'ruleSet.cycleYearsByWinners[0]'],
    ['cycle years as string', (i) => (i.ruleSet.cycleYearsByWinners = ['1']), 'ruleSet.cycleYearsByWinners[0]'],

    // lots and their ids
    ['missing lots', (i) => delete i.lots, 'lots'],
    ['lots as object', (i) => (i.lots = {}), 'lots'],
    ['no lots at all', (i) => (i.lots = []), 'OK'],
    ['null lot', (i) => (i.lots = [null]), 'lots[0]'],
    ['missing lot id', (i) => delete i.lots[0].id, 'lots[0].id'],
    ['numeric lot id', (i) => (i.lots[0].id = 7), 'lots[0].id'],
    ['duplicate lot id, at the later lot', (i) => (withSecondLot(i).lots[1].id = i.lots[0].id), 'lots[1].id'],
    ['bid id repeated in another lot', (i) => (withSecondLot(i).lots[1].bids[2].id = 'BID-3'), 'lots[1].bids[2].id'],
    ['region, hospital, spec and manufacturer ids may recur in another lot', (i) => withSecondLot(i), 'OK'],

    // specs
    ['missing specs', (i) => delete i.lots[0].specs, 'lots[0].specs'],
    ['spec as string', (i) => (i.lots[0].specs[1] = 'TAB-20'), 'lots[0].specs[1]'],
    ['duplicate spec id', (i) => (i.lots[0].specs[1].id = 'TAB-10'), 'lots[0].specs[1].id'],
    ['missing comparableFactor', (i) => delete i.lots[0].specs[0].comparableFactor, 'lots[0].specs[0].comparableFactor'],
    ['comparableFactor as number', (i) => (i.lots[0].specs[1].comparableFactor = 2), 'lots[0].specs[1].comparableFactor'],
    ['comparableFactor zero', (i) => (i.lots[0].specs[1].comparableFactor = '0.0'), 'lots[0].specs[1].comparableFactor'],
    ['comparableFactor with many decimals', (i) => (i.lots[0].specs[1].comparableFactor = '1.123456789'), 'OK'],
    ['ceiling with 5 decimals', (i) => (i.lots[0].specs[0].ceilingUnitPrice = '0.80000'), 'lots[0].specs[0].ceilingUnitPrice'],
    ['ceiling as number', (i) => (i.lots[0].specs[0].ceilingUnitPrice = 0.8), 'lots[0].specs[0].ceilingUnitPrice'],
    ['ceiling zero', (i) => (i.lots[0].specs[0].ceilingUnitPrice = '0.0000'), 'lots[0].specs[0].ceilingUnitPrice'],
    ['ceiling zero without decimals', (i) => (i.lots[0].specs[1].ceilingUnitPrice = '0'), 'lots[0].specs[1].ceilingUnitPrice'],
    ['comparableFactor zero without decimals', (i) => (i.lots[0].specs[0].comparableFactor = '0'), 'lots[0].specs[0].comparableFactor'],
    ['smallest positive ceiling', (i) => (i.lots[0].specs[0].ceilingUnitPrice = '0.0001'), 'OK'],
    ['ceiling with fewer decimals', (i) => (i.lots[0].specs[0].ceilingUnitPrice = '1'), 'OK'],

    // regions
    ['regions as string', (i) => (i.lots[0].regions = 'Zhengzhou'), 'lots[0].regions'],
    ['duplicate region', (i) => i.lots[0].regions.push('Zhengzhou'), 'lots[0].regions[2]'],
    ['numeric region', (i) => (i.lots[0].regions[1] = 1), 'lots[0].regions[1]'],

    // demand
    ['missing demand', (i) => delete i.lots[0].demand, 'lots[0].demand'],
    ['demand line as array', (i) => (i.lots[0].demand[1] = []), 'lots[0].demand[1]'],
    ['missing hospitalId', (i) => delete i.lots[0].demand[1].hospitalId, 'lots[0].demand[1].hospitalId'],
    ['duplicate hospital in a lot', (i) => (i.lots[0].demand[2].hospitalId = 'HOSP-A'), 'lots[0].demand[2].hospitalId'],
    ['missing regionId', (i) => delete i.lots[0].demand[0].regionId, 'lots[0].demand[0].regionId'],
    ['unknown regionId', (i) => (i.lots[0].demand[1].regionId = 'Kaifeng'), 'lots[0].demand[1].regionId'],
    ['missing quantity', (i) => delete i.lots[0].demand[0].quantity, 'lots[0].demand[0].quantity'],
    ['negative quantity', (i) => (i.lots[0].demand[0].quantity = -1), 'lots[0].demand[0].quantity'],
    ['fractional quantity', (i) => (i.lots[0].demand[0].quantity = 10.5), 'lots[0].demand[0].quantity'],
    ['quantity as string', (i) => (i.lots[0].demand[0].quantity = '10'), 'lots[0].demand[0].quantity'],
    ['quantity null', (i) => (i.lots[0].demand[0].quantity = null), 'lots[0].demand[0].quantity'],
    ['quantity zero', (i) => (i.lots[0].demand[0].quantity = 0), 'OK'],
    ['numeric preferredManufacturerId', (i) => (i.lots[0].demand[2].preferredManufacturerId = 1), 'lots[0].demand[2].preferredManufacturerId'],
    ['preferred manufacturer without a bid', (i) => (i.lots[0].demand[2].preferredManufacturerId = 'M-None'), 'OK'],

    // bids
    ['missing bids', (i) => delete i.lots[0].bids, 'lots[0].bids'],
    ['no bids', (i) => (i.lots[0].bids = []), 'OK'],
    ['missing bid id', (i) => delete i.lots[0].bids[1].id, 'lots[0].bids[1].id'],
    ['duplicate bid id, at the later bid', (i) => (i.lots[0].bids[3].id = 'BID-2'), 'lots[0].bids[3].id'],
    ['second bid of a manufacturer', (i) => (i.lots[0].bids[4].manufacturerId = 'M-Beta'), 'lots[0].bids[4].manufacturerId'],
    ['missing manufacturerId', (i) => delete i.lots[0].bids[0].manufacturerId, 'lots[0].bids[0].manufacturerId'],
    ['unknown specId', (i) => (i.lots[0].bids[2].specId = 'TAB-30'), 'lots[0].bids[2].specId'],
    ['missing specId', (i) => delete i.lots[0].bids[2].specId, 'lots[0].bids[2].specId'],
    ['unitPrice with 5 decimals', (i) => (i.lots[0].bids[2].unitPrice = '0.50000'), 'lots[0].bids[2].unitPrice'],
    ['unitPrice as number', (i) => (i.lots[0].bids[2].unitPrice = 0.5), 'lots[0].bids[2].unitPrice'],
    ['negative unitPrice', (i) => (i.lots[0].bids[2].unitPrice = '-0.5000'), 'lots[0].bids[2].unitPrice'],
    ['zero unitPrice', (i) => (i.lots[0].bids[2].unitPrice = '0.0000'), 'lots[0].bids[2].unitPrice'],
    ['zero unitPrice without decimals', (i) => (i.lots[0].bids[0].unitPrice = '0'), 'lots[0].bids[0].unitPrice'],
    ['smallest positive unitPrice', (i) => (i.lots[0].bids[2].unitPrice = '0.0001'), 'OK'],
    ['missing unitPrice', (i) => delete i.lots[0].bids[2].unitPrice, 'lots[0].bids[2].unitPrice'],
    ['missing submittedAt', (i) => delete i.lots[0].bids[1].submittedAt, 'lots[0].bids[1].submittedAt'],
    ['instant without offset', (i) => (i.lots[0].bids[1].submittedAt = '2026-03-01T09:05:00'), 'lots[0].bids[1].submittedAt'],
    ['date only', (i) => (i.lots[0].bids[1].submittedAt = '2026-03-01'), 'lots[0].bids[1].submittedAt'],
    ['impossible date', (i) => (i.lots[0].bids[1].submittedAt = '2026-02-30T09:05:00Z'), 'lots[0].bids[1].submittedAt'],
    ['instant as epoch number', (i) => (i.lots[0].bids[1].submittedAt = 1772326800), 'lots[0].bids[1].submittedAt'],
    ['null demandShare (null is not absent)', (i) => (i.lots[0].bids[0].demandShare = null), 'lots[0].bids[0].demandShare'],
    ['demandShare above one', (i) => (i.lots[0].bids[0].demandShare = '1.01'), 'lots[0].bids[0].demandShare'],
    ['demandShare as number', (i) => (i.lots[0].bids[0].demandShare = 0.2), 'lots[0].bids[0].demandShare'],
    ['demandShare of 0 and 1', (i) => ((i.lots[0].bids[0].demandShare = '1'), (i.lots[0].bids[1].demandShare = '0')), 'OK'],
    ['null acceptsRevival', (i) => (i.lots[0].bids[1].acceptsRevival = null), 'lots[0].bids[1].acceptsRevival'],
    ['acceptsRevival as string', (i) => (i.lots[0].bids[1].acceptsRevival = 'yes'), 'lots[0].bids[1].acceptsRevival'],
    ['null regionPreferences', (i) => (i.lots[0].bids[0].regionPreferences = null), 'lots[0].bids[0].regionPreferences'],
    ['regionPreferences as string', (i) => (i.lots[0].bids[0].regionPreferences = 'Luoyang'), 'lots[0].bids[0].regionPreferences'],
    ['unknown preferred region', (i) => (i.lots[0].bids[1].regionPreferences = ['Luoyang', 'Kaifeng']), 'lots[0].bids[1].regionPreferences[1]'],
    ['numeric preferred region', (i) => (i.lots[0].bids[1].regionPreferences = [1]), 'lots[0].bids[1].regionPreferences[0]'],

    // extra fields are ignored
    ['unknown extra fields', (i) => ((i.note = 1), (i.ruleSet.x = null), (i.lots[0].bids[0].comment = 'x'), (i.lots[0].demand[0].y = [])), 'OK'],
  ];

  it.each(cases)('%s → %s', (_name, mutate, expectedPath) => {
    expect(pathAfter(mutate)).toBe(expectedPath);
  });

  describe('reports the first fault in document order', () => {
    it('ruleSet before lots', () => {
      expect(pathAfter((i) => ((i.lots[0].id = 1), (i.ruleSet.cycleYearsByWinners = [])))).toBe('ruleSet.cycleYearsByWinners');
    });
    it('fields in the order the contract lists them, not the order of the file', () => {
      expect(pathAfter((i) => ((i.ruleSet.anchor = 'X'), (i.ruleSet.priceRatio = 2)))).toBe('ruleSet.priceRatio');
      expect(pathAfter((i) => ((i.ruleSet.tieBreak = ['X']), (i.ruleSet.revival = 1)))).toBe('ruleSet.revival');
      expect(pathAfter((i) => ((i.lots[0].bids[0].unitPrice = 1), (i.lots[0].bids[0].id = 1)))).toBe('lots[0].bids[0].id');
      expect(pathAfter((i) => ((i.lots[0].bids[0].regionPreferences = 1), (i.lots[0].bids[0].submittedAt = 'x')))).toBe(
        'lots[0].bids[0].submittedAt',
      );
      expect(pathAfter((i) => ((i.lots[0].bids[0].id = 7), (i.lots[0].demand[2].quantity = -1)))).toBe('lots[0].demand[2].quantity');
    });
    it('arrays from index 0, finishing one element before the next', () => {
      expect(pathAfter((i) => ((i.lots[0].bids[1].id = 2), (i.lots[0].bids[0].unitPrice = 'x')))).toBe('lots[0].bids[0].unitPrice');
    });
    it('a duplicate at its later occurrence, even when the earlier one is listed later in a lot', () => {
      expect(pathAfter((i) => (i.lots[0].bids[5].id = 'BID-1'))).toBe('lots[0].bids[5].id');
    });
  });

  it('returns the same value, typed, on success', () => {
    const input = JSON.parse(BASE_TEXT);
    const result = validateInput(input);
    expect(result.ok && result.input).toBe(input);
  });

  it('gives a human-readable message', () => {
    expect(parseAndValidate('{"ruleSet": {"priceRatio": 1.8}}')).toEqual({
      ok: false,
      error: 'expected a decimal string, got a number',
      path: 'ruleSet.priceRatio',
    });
  });
});
