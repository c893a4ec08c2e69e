import { agreementPriceOf, checkCoverage, checkRows, diffContents, ExternalAwardContent, rowsFromJson, rowsFromRecords } from './external-awards-file';

const HEADER = ['batchCode', 'level', 'allianceName', 'cycleStart', 'cycleYears', 'volumeShare', 'varietyCode', 'spec', 'comparableFactor', 'manufacturerCode', 'approvalNumber', 'unitPrice', 'primaryRegions', 'backupRegions'];
const BATCH = ['B1', 'NATIONAL', '', '2026-05-01', '2', '0.7'];
const records = (rows: string[][]) => [{ line: 1, values: HEADER }, ...rows.map((values, i) => ({ line: i + 2, values }))];

describe('external awards file', () => {
  it('checks a file whole: every structural fault with its row and column letter', () => {
    const { rows } = rowsFromRecords(
      records([
        [...BATCH, 'V1', 's1', '1', 'M1', 'A1', '1.23456', '410100', ''],
        [...BATCH, 'V1', 's1', '1', 'M2', 'A2', '1.2000', '410100', ''],
        [...BATCH, 'V1', 's2', '2', '', '', '', '', ''],
        ['B1', 'NATIONAL', '', '2026-05-01', '3', '0.7', 'V2', 's1', '1', 'M1', 'A3', '2.0000', '410100', ''],
      ]),
    );
    const { faults } = checkRows(rows);
    expect(faults.map((f) => [f.row, f.column, f.columnLetter])).toEqual(
      expect.arrayContaining([
        [2, 'unitPrice', 'L'],
        [3, 'primaryRegions', 'M'], // a second primary for 410100
        [4, 'manufacturerCode', 'J'], // spec s2 has no winner
        [5, 'cycleYears', 'E'], // differs from the first row
      ]),
    );
  });

  it('names a missing header column', () => {
    const { faults } = rowsFromRecords([{ line: 1, values: HEADER.filter((h) => h !== 'unitPrice') }]);
    expect(faults).toEqual([expect.objectContaining({ row: 1, column: 'unitPrice' })]);
  });

  it('wants a primary winner for every supplied region in every variety', () => {
    const { rows } = rowsFromRecords(
      records([
        [...BATCH, 'V1', 's1', '1', 'M1', 'A1', '1.0000', '410100;410300', ''],
        [...BATCH, 'V2', 's1', '1', 'M1', 'A2', '1.0000', '410100', ''],
      ]),
    );
    const { checked, faults } = checkRows(rows);
    expect(faults).toEqual([]);
    expect(checkCoverage(checked!, new Set(['410100', '410300']))).toEqual([expect.objectContaining({ row: 3, column: 'primaryRegions', message: expect.stringContaining('410300') })]);
    // a region refused elsewhere (outside the province) is not faulted twice
    expect(checkCoverage(checked!, new Set(['410100']))).toEqual([]);
  });

  it('locates JSON faults by input path', () => {
    const rows = rowsFromJson({
      batchCode: 'B1', level: 'NATIONAL', cycleStart: '2026-05-01', cycleYears: 1, volumeShare: '0.5',
      varieties: [{ code: 'V1', specs: [{ spec: 's1' }, { spec: 's2' }], winners: [{ manufacturerCode: 'M1', primaryRegions: ['410100'], prices: [{ spec: 's1', approvalNumber: 'A1', unitPrice: '0.12345' }] }] }],
    });
    const { faults } = checkRows(rows);
    expect(faults.map((f) => f.field).sort()).toEqual(['input.varieties[0].specs[1].spec', 'input.varieties[0].winners[0].prices[0].unitPrice']);
  });

  const content = (price: string, primary: string[]): ExternalAwardContent => ({
    batchCode: 'B1', level: 'NATIONAL', allianceName: null, cycleStart: '2026-05-01', cycleYears: 2, volumeShare: '0.7', regions: ['410100', '410300'],
    varieties: [{ code: 'V1', varietyId: 'v', specs: [{ spec: 's1', varietySpecId: 'a', comparableFactor: '0.5' }, { spec: 's2', varietySpecId: 'b', comparableFactor: '1' }],
      winners: [{ manufacturerCode: 'M1', manufacturerId: 'm', primaryRegions: primary, backupRegions: [], prices: [{ spec: 's1', approvalNumber: 'A1', unitPrice: '0.5000', productId: 'p1' }, { spec: 's2', approvalNumber: 'A2', unitPrice: price, productId: 'p2' }] }] }],
  });

  it('diffs two versions: prices and regions', () => {
    expect(diffContents(content('1.0000', ['410100', '410300']), content('0.9000', ['410100']))).toEqual([
      expect.objectContaining({ kind: 'REGIONS_CHANGED', manufacturerCode: 'M1' }),
      expect.objectContaining({ kind: 'PRICE_CHANGED', spec: 's2', before: '1.0000 (A2)', after: '0.9000 (A2)' }),
    ]);
    expect(diffContents(content('1.0000', ['410100']), content('1.0000', ['410100']))).toEqual([]);
  });

  it('signs a winner’s agreements in its reference spec', () => {
    const c = content('1.0000', ['410100']);
    expect(agreementPriceOf(c.varieties[0], c.varieties[0].winners[0]).spec).toBe('s2');
  });
});
