import fc from 'fast-check';
import { ocidFor, OcdsRoundInput, releasePackage } from './ocds-mapping';
import { createOcdsValidator } from './ocds-validator';

const at = (s: string) => new Date(s);
const henan = { id: 'org-reg', name: '河南省医疗保障局', creditCode: '11410000MB1234567X' };
const alpha = { id: 'org-alpha', name: '阿尔法制药有限公司' };
const beta = { id: 'org-beta', name: '贝塔制药有限公司' };
const hospital = { id: 'org-h1', name: '郑州市第一人民医院' };

function round(overrides: Partial<OcdsRoundInput> = {}): OcdsRoundInput {
  return {
    roundId: 'r-2026-01',
    code: 'HN-VBP-2026-01',
    title: '河南省2026年第一批药品带量采购',
    state: 'IN_EFFECT',
    buyer: henan,
    bidDeadline: at('2026-01-20T02:00:00Z'),
    publishedAt: at('2026-02-01T00:00:00Z'),
    lots: [{ lotId: 'lot-1', varietyName: '阿托伐他汀钙片', referenceUnit: '片', quantity: 1_000_000n, maxUnitPrice: '0.5000' }],
    tenderers: [alpha, beta],
    awards: [{ awardId: 'aw-1', lotId: 'lot-1', supplier: alpha, unitPrice: '0.1234', quantity: 1_000_000n, date: at('2026-01-22T00:00:00Z') }],
    contracts: [
      { contractId: 'ag-1', awardId: 'aw-1', hospital, unitPrice: '0.1234', quantity: 120_000n, cycleStart: at('2026-02-01T00:00:00Z'), cycleEnd: at('2027-01-31T16:00:00Z'), state: 'ACTIVE' },
    ],
    transactions: [{ transactionId: 'tx-1', contractId: 'ag-1', payer: henan, payee: alpha, amountFen: 123_456n, date: at('2026-03-05T00:00:00Z') }],
    ...overrides,
  };
}

const options = { ocidPrefix: 'ocds-hnvbp0', publisherName: '河南省医药集中采购平台', packageUri: 'https://ybj.henan.gov.cn/ocds/r-2026-01.json', publishedDate: at('2026-03-10T00:00:00Z') };

describe('OCDS release package', () => {
  const validate = createOcdsValidator();

  it('maps a round with tender, award, contract and transactions into a package the 1.1.5 schema accepts', () => {
    const pkg = releasePackage([round()], options);
    expect(validate(pkg)).toEqual({ valid: true, errors: [] });
    const [release] = pkg.releases;
    expect(release.ocid).toBe('ocds-hnvbp0-r-2026-01');
    expect(release.tag).toEqual(['tender', 'award', 'contract', 'implementation']);
    expect(release.awards[0].value).toEqual({ amount: 123400, currency: 'CNY' });
    expect(release.contracts[0].implementation?.transactions[0].value).toEqual({ amount: 1234.56, currency: 'CNY' });
    expect(release.parties.find((p) => p.id === 'org-alpha')!.roles).toEqual(['payee', 'supplier', 'tenderer']);
  });

  it('maps a round still open for bids (no awards yet) and uses the configured OCID prefix', () => {
    const pkg = releasePackage([round({ state: 'BIDDING', awards: [], contracts: [], transactions: [] })], { ...options, ocidPrefix: 'ocds-abc123' });
    expect(validate(pkg).errors).toEqual([]);
    expect(pkg.releases[0].tag).toEqual(['tender']);
    expect(pkg.releases[0].tender.status).toBe('active');
    expect(ocidFor('ocds-abc123', 'x')).toBe('ocds-abc123-x');
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

  it('any state, price and quantity map to a valid package (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('DRAFT', 'BIDDING', 'OPENED', 'PUBLICIZED', 'CONFIRMED', 'IN_EFFECT', 'EXPIRED', 'CANCELLED'),
        fc.integer({ min: 1, max: 99_999_999 }),
        fc.bigInt({ min: 1n, max: 10_000_000n }),
        fc.bigInt({ min: 0n, max: 10_000_000_000n }),
        (state, priceTenThousandths, quantity, fen) => {
          const unitPrice = (priceTenThousandths / 10000).toFixed(4);
          const r = round({ state });
          r.awards[0] = { ...r.awards[0], unitPrice, quantity };
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
