import { readFileSync } from 'fs';
import { join } from 'path';
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { DocumentWeigher, MAX_DOCUMENT_TOKENS, queryLimitsRule } from './query-limits';
import { fragmentBomb } from './query-limits.fixtures';

const schema = buildSchema(`
  type Region { code: String! parent: Region children(first: Int): [Region!]! }
  type Query { regions(first: Int): [Region!]! region(code: String!): Region me: String }
`);
const LIMITS = { maxDepth: 10, maxCost: 5000, maxAliases: 50 };

/**
 * Selection sets the analysis walks: the work it does, counted rather than timed (a timed assertion fails on a
 * busy machine). An analysis that enumerated spreads would walk 2^levels sets; it is stopped at 100,000.
 */
const WALK_LIMIT = 100_000;

function check(document: string) {
  const walk = Object.getOwnPropertyDescriptor(DocumentWeigher.prototype, 'selectionSet')!.value as DocumentWeigher['selectionSet'];
  let walked = 0;
  const counted = jest.spyOn(DocumentWeigher.prototype, 'selectionSet').mockImplementation(function (this: DocumentWeigher, ...args) {
    if (++walked > WALK_LIMIT) throw new Error(`the analysis walked more than ${WALK_LIMIT} selection sets`);
    return walk.apply(this, args);
  });
  try {
    const errors = validate(schema, parse(document, { maxTokens: MAX_DOCUMENT_TOKENS }), [...specifiedRules, queryLimitsRule(LIMITS)]);
    return { codes: errors.map((e) => e.extensions?.code ?? 'GRAPHQL'), messages: errors.map((e) => e.message), walked };
  } finally {
    counted.mockRestore();
  }
}

describe('query limits', () => {
  it('refuses the 30-level fragment bomb walking each fragment once, whatever its leaf', () => {
    // the operation's set, then F30 … F0 once each (and the set below `regions`): 32 or 33 walks for 2^30 spreads
    for (const [leaf, sets] of [['__typename', 32], ['me', 32], ['regions { code }', 33]] as const) {
      const { codes, messages, walked } = check(fragmentBomb(30, leaf));
      expect(codes).toContain('QUERY_TOO_COSTLY');
      expect(walked).toBe(sets);
      if (leaf === '__typename') expect(messages.join()).toMatch(/1073741824/);
    }
  });

  it('does work linear in the document: a 300-level bomb (2^300 selections) is measured too', () => {
    const { codes, messages, walked } = check(fragmentBomb(300));
    expect(codes).toContain('QUERY_TOO_COSTLY');
    expect(messages.join()).toMatch(/e\+90/); // 2^300 ≈ 2.04e+90, computed, never enumerated
    expect(walked).toBe(302);
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
    expect(cyclic.walked).toBeLessThan(10);
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

describe('query cost against the API schema: a list multiplies what is below it', () => {
  const api = buildSchema(readFileSync(join(__dirname, '..', '..', '..', 'schema.gql'), 'utf8'));
  const cost = (document: string, maxCost = LIMITS.maxCost) => {
    const errors = validate(api, parse(document), [...specifiedRules, queryLimitsRule({ ...LIMITS, maxCost })]);
    return { codes: errors.map((e) => e.extensions?.code ?? 'GRAPHQL'), messages: errors.map((e) => e.message) };
  };
  const NESTED = (first: number) => `{ orders(first: ${first}) { nodes { lines { id } shipments { lines { id } receipt { lines { id } } invoices { id } } } } }`;

  it('costs the nested orders query by its page size: 10,301 for 100 orders (refused), 4,121 for 40', () => {
    // lines 1 + 5×1 = 6; a shipment's lines 6, receipt 1 + 6, invoices 6 → shipments 1 + 5 × 19 = 96;
    // nodes (the page, counted once) 1 + 6 + 96 = 103; orders 1 + first × 103
    expect(cost(NESTED(100)).messages).toEqual(['The query would cost 10301; the limit is 5000']);
    expect(cost(NESTED(40)).codes).toEqual([]);
    expect(cost(NESTED(48)).codes).toEqual([]);
    expect(cost(NESTED(49)).codes).toEqual(['QUERY_TOO_COSTLY']);
    // docs/api.md's second example
    expect(cost(`{ orders(first: 100) { totalCount nodes { id state lines { productId quantity } } } }`, 1500).messages).toEqual(['The query would cost 1501; the limit is 1500']);
  });

  it('tells a list from a single object, and a left-out page size is the default page size', () => {
    // single objects below a page multiply nothing: nodes 1 + manufacturer (1 + region (1 + code 1)) = 4, × 100 + 1
    expect(cost(`{ products(first: 100) { nodes { manufacturer { region { code } } } } }`, 400).messages).toEqual(['The query would cost 401; the limit is 400']);
    // the default page of 20: nodes 1 + id 1 + lines (1 + 5 × 1) = 8, × 20 + 1
    expect(cost(`{ orders { nodes { id lines { id } } } }`, 160).messages).toEqual(['The query would cost 161; the limit is 160']);
    // a variable page size counts as the largest page: (nodes 2 + totalCount 1) × 100 + 1
    expect(cost(`query($n: Int) { orders(first: $n) { nodes { id } totalCount } }`, 300).messages).toEqual(['The query would cost 301; the limit is 300']);
  });
});
