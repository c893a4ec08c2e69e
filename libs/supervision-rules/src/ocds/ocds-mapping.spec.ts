import fc from 'fast-check';
import { ocidFor, OcdsRoundInput, perReferenceUnit, releasePackage, specUnitName } from './ocds-mapping';
import { createOcdsValidator } from './ocds-validator';

const at = (s: string) => new Date(s);
const henan = { id: 'org-reg', name: '河南省医疗保障局', creditCode: '11410000MB1234567X' };
const alpha = { id: 'org-alpha', name: '阿尔法制药有限公司' };
const beta = { id: 'org-beta', name: '贝塔制药有限公司' };
const hospital = { id: 'org-h1', name: '郑州市第一人民医院' };
const hospital2 = { id: 'org-h2', name: '洛阳市中心医院' };

/** A round whose 20mg winner (factor 1.7) won 100,000 reference tablets (10mg) a year for 2 years. */
function round(overrides: Partial<OcdsRoundInput> = {}): OcdsRoundInput {
  return {
    roundId: 'r-2026-01',
    title: '河南省2026年第一批药品带量采购',
    state: 'IN_EFFECT',
    buyer: henan,
    publishedAt: at('2025-12-01T01:00:00Z'),
    demandDeadline: at('2025-12-10T09:00:00Z'),
    bidDeadline: at('2026-01-20T02:00:00Z'),
    cycleStart: at('2026-01-31T16:00:00Z'),
    openedAt: at('2026-01-20T02:05:00Z'),
    publicityStartedAt: at('2026-01-21T01:00:00Z'),
    publicityEndsAt: at('2026-01-24T01:00:00Z'),
    confirmedAt: at('2026-01-25T01:00:00Z'),
    lots: [{
      lotId: 'lot-1', varietyName: '阿托伐他汀钙片', referenceUnit: '片(10mg)', annualQuantity: 100_000n, cycleYears: 2,
      specs: [
        { specId: 'spec-10', spec: '10mg', comparableFactor: '1', ceilingUnitPrice: '0.5000' },
        { specId: 'spec-20', spec: '20mg', comparableFactor: '1.7', ceilingUnitPrice: '0.8500' },
      ],
    }],
    bids: [
      { bidId: 'bid-a', lotId: 'lot-1', specId: 'spec-20', tenderer: alpha, unitPrice: '0.3400', status: 'WINNER', awardedUnitPrice: '0.3400', annualQuantity: 100_000n },
      { bidId: 'bid-b', lotId: 'lot-1', specId: 'spec-10', tenderer: beta, unitPrice: '0.6000', status: 'INVALID', awardedUnitPrice: null, annualQuantity: 0n },
    ],
    contracts: [
      // 100,000 reference tablets a year = 58,824 tablets of 20mg a year; 2 years, split between two hospitals
      { contractId: 'ag-1', awardId: 'bid-a', hospital, supplier: alpha, spec: '20mg', unitPrice: '0.3400', quantity: 70_588n, cycleStart: at('2026-01-31T16:00:00Z'), cycleEnd: at('2028-01-31T16:00:00Z'), signedAt: at('2026-01-25T01:00:00Z'), terminatedAt: null, takesOverContractId: null },
      { contractId: 'ag-2', awardId: 'bid-a', hospital: hospital2, supplier: alpha, spec: '20mg', unitPrice: '0.3400', quantity: 47_060n, cycleStart: at('2026-01-31T16:00:00Z'), cycleEnd: at('2028-01-31T16:00:00Z'), signedAt: at('2026-01-25T01:00:00Z'), terminatedAt: null, takesOverContractId: null },
    ],
    transactions: [
      { transactionId: 'tx-1', contractId: 'ag-1', payer: hospital, payee: alpha, amountFen: 123_456n, date: at('2026-03-05T00:00:00Z') },
      { transactionId: 'tx-2', contractId: 'ag-2', payer: hospital2, payee: alpha, amountFen: 1_000n, date: at('2026-03-05T00:00:00Z') },
      { transactionId: 'tx-3', contractId: 'ag-1', payer: hospital, payee: alpha, amountFen: 500n, date: at('2026-04-05T00:00:00Z') },
    ],
    ...overrides,
  };
}

const options = { ocidPrefix: 'ocds-hnvbp0', publisherName: '河南省医药集中采购平台', packageUri: 'https://ybj.henan.gov.cn/ocds/r-2026-01.json', publishedDate: at('2026-04-10T00:00:00Z') };
const byId = (pkg: ReturnType<typeof releasePackage>, suffix: string) => pkg.releases.find((r) => r.id === `ocds-hnvbp0-r-2026-01-${suffix}`) as any;

describe('OCDS release package', () => {
  const validate = createOcdsValidator();

  it('publishes one release per event, each with a stable id and the event\'s own date', () => {
    const pkg = releasePackage([round()], options);
    expect(validate(pkg)).toEqual({ valid: true, errors: [] });
    expect(pkg.releases.map((r) => [r.id.replace('ocds-hnvbp0-r-2026-01-', ''), r.date, r.tag])).toEqual([
      ['tender', '2025-12-01T01:00:00Z', ['tender']],
      ['award', '2026-01-21T01:00:00Z', ['award', 'tenderUpdate']],
      ['confirmation', '2026-01-25T01:00:00Z', ['awardUpdate', 'tenderUpdate']],
      ['contract-20260125T010000Z', '2026-01-25T01:00:00Z', ['contract']],
      ['implementation-20260305T000000Z', '2026-03-05T00:00:00Z', ['implementation']],
      ['implementation-20260405T000000Z', '2026-04-05T00:00:00Z', ['implementation']],
    ]);
    // exporting again later yields the very same releases: only the package's own date moves
    const later = releasePackage([round()], { ...options, publishedDate: at('2026-06-01T00:00:00Z') });
    expect(later.releases).toEqual(pkg.releases);
    expect(pkg.releases.every((r) => r.ocid === 'ocds-hnvbp0-r-2026-01')).toBe(true);
  });

  it('states the tender value and every spec\'s ceiling, and counts lots in their reference unit per year', () => {
    const tender = byId(releasePackage([round()], options), 'tender').tender;
    // ceiling per reference unit: max(0.5000, 0.8500 / 1.7 = 0.5000) → 100,000 × 0.50 = 50,000.00 a year
    expect(tender.value).toEqual({ amount: 50000, currency: 'CNY' });
    expect(tender.items).toEqual([
      expect.objectContaining({ id: 'lot-1', quantity: 100000, unit: { name: '片(10mg)', value: { amount: 0.5, currency: 'CNY' } } }),
      expect.objectContaining({ id: 'spec-10', unit: { name: '片(10mg)', value: { amount: 0.5, currency: 'CNY' } } }),
      expect.objectContaining({ id: 'spec-20', unit: { name: '片(20mg)', value: { amount: 0.85, currency: 'CNY' } } }),
    ]);
    expect(tender.tenderPeriod).toEqual({ startDate: '2025-12-10T09:00:00Z', endDate: '2026-01-20T02:00:00Z' });
    expect(tender.documents[0]).toMatchObject({ documentType: 'tenderNotice', datePublished: '2025-12-01T01:00:00Z' });
  });

  it('publishes bids after opening, and awards with the price and strength won over the stated cycle', () => {
    const pkg = releasePackage([round()], options);
    const award = byId(pkg, 'award');
    expect(award.bids.statistics).toEqual(expect.arrayContaining([
      expect.objectContaining({ measure: 'bids', value: 2 }), expect.objectContaining({ measure: 'validBids', value: 1 }), expect.objectContaining({ measure: 'disqualifiedBids', value: 1 }),
    ]));
    expect(award.bids.details.map((b: any) => [b.id, b.status])).toEqual([['bid-a', 'valid'], ['bid-b', 'disqualified']]);
    // during publicity: 2 years × 100,000 reference tablets at 0.3400 / 1.7 = 0.2000 each
    expect(award.awards[0]).toMatchObject({
      status: 'pending', value: { amount: 40000, currency: 'CNY' },
      items: [{ quantity: 200000, unit: { name: '片(10mg)', value: { amount: 0.2, currency: 'CNY' } } }],
      contractPeriod: { startDate: '2026-01-31T16:00:00Z', endDate: '2028-01-31T16:00:00Z' },
    });
    // confirmed: the same award counted in 20mg tablets, exactly the sum of its contracts
    const confirmed = byId(pkg, 'confirmation').awards[0];
    expect(confirmed).toMatchObject({ status: 'active', items: [{ id: 'bid-a-1', quantity: 117648, unit: { name: '片(20mg)', value: { amount: 0.34, currency: 'CNY' } } }] });
    const contracts = byId(pkg, 'contract-20260125T010000Z').contracts;
    const sum = contracts.reduce((s: number, c: any) => s + Math.round(c.value.amount * 100), 0);
    expect(Math.round(confirmed.value.amount * 100)).toBe(sum);
    expect(contracts[0]).toMatchObject({
      dateSigned: '2026-01-25T01:00:00Z', period: { startDate: '2026-01-31T16:00:00Z', endDate: '2028-01-31T16:00:00Z' },
      items: [{ quantity: 70588, unit: { name: '片(20mg)', value: { amount: 0.34, currency: 'CNY' } } }],
    });
    expect(contracts[0].description).toContain('郑州市第一人民医院');
  });

  it('names every hospital that signed an agreement as a party, buyer and payer', () => {
    const contract = byId(releasePackage([round()], options), 'contract-20260125T010000Z');
    expect(contract.parties.filter((p: any) => p.roles.includes('buyer')).map((p: any) => p.id).sort()).toEqual(['org-h1', 'org-h2', 'org-reg']);
    expect(contract.parties.find((p: any) => p.id === 'org-h2').roles).toEqual(['buyer', 'payer']);
  });

  it('a takeover after a supply failure is a termination and a new contract, each at the verification', () => {
    const r = round();
    r.contracts[0] = { ...r.contracts[0], terminatedAt: at('2026-06-01T02:00:00Z') };
    r.contracts.push({ ...r.contracts[0], contractId: 'ag-3', supplier: beta, terminatedAt: null, signedAt: at('2026-06-01T02:00:00Z'), takesOverContractId: 'ag-1' });
    const pkg = releasePackage([r], options);
    expect(validate(pkg).errors).toEqual([]);
    expect(byId(pkg, 'termination-20260601T020000Z').contracts).toEqual([expect.objectContaining({ id: 'ag-1', status: 'terminated' })]);
    expect(byId(pkg, 'contract-20260601T020000Z').contracts.map((c: any) => c.id)).toEqual(['ag-3']);
  });

  it('a round still open for bids has only its announcement, under the configured OCID prefix', () => {
    const pkg = releasePackage([round({ state: 'BIDDING', openedAt: null, publicityStartedAt: null, confirmedAt: null, bids: [], contracts: [], transactions: [] })], { ...options, ocidPrefix: 'ocds-abc123' });
    expect(validate(pkg).errors).toEqual([]);
    expect(pkg.releases.map((r) => r.tag)).toEqual([['tender']]);
    expect(ocidFor('ocds-abc123', 'x')).toBe('ocds-abc123-x');
  });

  it('units and prices per reference unit', () => {
    expect(specUnitName('片(10mg)', '20mg')).toBe('片(20mg)');
    expect(specUnitName('支（20mg）', '40mg')).toBe('支(40mg)');
    expect(specUnitName('贴', '5cm²')).toBe('贴(5cm²)');
    expect(perReferenceUnit('0.8500', '1.7')).toBe('0.5000');
    expect(perReferenceUnit('1.0000', '3')).toBe('0.3333');
  });

  it('the validator catches a broken package (missing required field, value outside a codelist)', () => {
    const pkg: any = releasePackage([round()], options);
    delete pkg.publisher;
    pkg.releases[0].tender.status = 'open-ish';
    pkg.releases[0].tag = ['tender', 'bogus'];
    const result = validate(pkg);
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toMatch(/publisher/);
    expect(result.errors.join('\n')).toMatch(/bogus is not in releaseTag/);
    expect(result.errors.join('\n')).toMatch(/tender\/status/);
  });

  it('any price and quantity map to a valid package (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99_999_999 }),
        fc.bigInt({ min: 1n, max: 10_000_000n }),
        fc.bigInt({ min: 0n, max: 10_000_000_000n }),
        (priceTenThousandths, quantity, fen) => {
          const unitPrice = (priceTenThousandths / 10000).toFixed(4);
          const r = round();
          r.bids[0] = { ...r.bids[0], unitPrice, awardedUnitPrice: unitPrice, annualQuantity: quantity };
          r.contracts[0] = { ...r.contracts[0], unitPrice, quantity };
          r.transactions[0] = { ...r.transactions[0], amountFen: fen };
          const result = validate(releasePackage([r], options));
          return result.valid || (console.error(result.errors), false);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('publishes amounts exactly as JSON numbers, and refuses one a JSON number cannot carry exactly', () => {
    const r = round();
    r.transactions[0] = { ...r.transactions[0], amountFen: 9_007_199_254_740_99n };
    const text = JSON.stringify(releasePackage([r], options));
    expect(text).toContain('"amount":9007199254740.99');
    r.transactions[0] = { ...r.transactions[0], amountFen: 123_456_789_012_345_678_91n };
    expect(() => releasePackage([r], options)).toThrow(/cannot be published exactly/);
  });
});
