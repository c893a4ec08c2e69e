import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { MAX_DOCUMENT_TOKENS, queryLimitsRule } from './query-limits';
import { fragmentBomb } from './query-limits.fixtures';

const schema = buildSchema(`
  type Region { code: String! parent: Region children(first: Int): [Region!]! }
  type Query { regions(first: Int): [Region!]! region(code: String!): Region me: String }
`);
const LIMITS = { maxDepth: 10, maxCost: 5000, maxAliases: 50 };

function check(document: string) {
  const started = process.hrtime.bigint();
  const errors = validate(schema, parse(document, { maxTokens: MAX_DOCUMENT_TOKENS }), [...specifiedRules, queryLimitsRule(LIMITS)]);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { codes: errors.map((e) => e.extensions?.code ?? 'GRAPHQL'), messages: errors.map((e) => e.message), ms };
}

describe('query limits', () => {
  // the first validation of a run loads and compiles graphql-js; the figures below are the analysis itself
  beforeAll(() => {
    for (let i = 0; i < 3; i++) check(fragmentBomb(30));
  });

  it('refuses the 30-level fragment bomb in well under 50 ms, whatever its leaf', () => {
    for (const leaf of ['__typename', 'me', 'regions { code }']) {
      const { codes, messages, ms } = check(fragmentBomb(30, leaf));
      expect(codes).toContain('QUERY_TOO_COSTLY');
      expect(ms).toBeLessThan(50);
      if (leaf === '__typename') expect(messages.join()).toMatch(/1073741824/);
    }
  });

  it('takes time linear in the document: a 300-level bomb (2^300 selections) is measured too', () => {
    const { codes, messages, ms } = check(fragmentBomb(300));
    expect(codes).toContain('QUERY_TOO_COSTLY');
    expect(messages.join()).toMatch(/e\+90/); // 2^300 ≈ 2.04e+90, computed, never enumerated
    expect(ms).toBeLessThan(1000);
  });

  it('measures a fragment spread twice as twice its cost, as before', () => {
    const ok = check(`query { ...A ...B } fragment A on Query { regions(first: 10) { code parent { code } } } fragment B on Query { ...A }`);
    expect(ok.codes).toEqual([]);
    // 2 × (1 + 10 × 3) = 62 under a cost limit of 61
    const tight = validate(schema, parse(`query { ...A ...B } fragment A on Query { regions(first: 10) { code parent { code } } } fragment B on Query { ...A }`), [
      queryLimitsRule({ ...LIMITS, maxCost: 61 }),
    ]);
    expect(tight.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COSTLY']);
    expect(tight[0].message).toMatch(/cost 62/);
  });

  it('follows fragments for depth and counts levels as before', () => {
    let inner = 'code';
    for (let i = 0; i < 8; i++) inner = `parent { ${inner} }`;
    // regions(1) + 8 parents + code = 10 levels: allowed; one more is refused
    expect(check(`query { ...R } fragment R on Query { regions { ${inner} } }`).codes).toEqual([]);
    expect(check(`query { ...R } fragment R on Query { regions { parent { ${inner} } } }`).codes).toEqual(['QUERY_TOO_DEEP']);
  });

  it('ends on cyclic and unknown fragments, leaving their refusal to graphql-js', () => {
    const cyclic = check(`query { ...A } fragment A on Query { regions { ...B } } fragment B on Region { parent { ...C } } fragment C on Region { ...B }`);
    expect(cyclic.codes.length).toBeGreaterThan(0);
    expect(cyclic.messages.join()).toMatch(/Cannot spread fragment "B" within itself/);
    expect(cyclic.ms).toBeLessThan(50);
    const self = check(`query { ...A } fragment A on Query { ...A }`);
    expect(self.messages.join()).toMatch(/within itself/);
    const unknown = check(`query { ...Nowhere }`);
    expect(unknown.messages.join()).toMatch(/Unknown fragment/);
  });

  it('stops the parser at the token limit', () => {
    const huge = `{ ${Array.from({ length: MAX_DOCUMENT_TOKENS }, (_, i) => `a${i}: me`).join(' ')} }`;
    expect(() => parse(huge, { maxTokens: MAX_DOCUMENT_TOKENS })).toThrow(/contains more th\w+ 10000 tokens/);
  });
});
