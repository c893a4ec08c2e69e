import { GraphQLSchemaHost } from '@nestjs/graphql';
import { getNamedType, GraphQLField, GraphQLObjectType, GraphQLSchema, isObjectType } from 'graphql';
import { startTestApp, TestApp, TEST_ADMIN } from '@test/harness';
import { policyAdmits, readPolicies } from '../src/platform/auth/read-policy';
import { Allowed, AUTHORIZATION_MATRIX, Role, ROLE_USERS } from './security/authorization-matrix';
import { loadPublishedSchema, operationsOf } from './security/operation-calls';
import { addTestListing, demoIds } from './support/test-supply';

type Subject = Role | 'ANONYMOUS';
const SUBJECTS: Subject[] = ['ANONYMOUS', ...(Object.keys(ROLE_USERS) as Role[])];

function allows(allowed: Allowed, subject: Subject): boolean {
  if (allowed === 'PUBLIC') return true;
  if (subject === 'ANONYMOUS') return false;
  return allowed === 'ANY' || allowed.includes(subject);
}

/**
 * Object types with no read policy of their own: parts of the type (or operation result) that returns them,
 * read under its rule. A new object type must get a @ReadPolicy or a line here, or this suite fails.
 */
const VALUE_TYPES: Record<string, string> = {
  PageInfo: 'paging cursor',
  OpeningCommitteeMemberView: 'part of OpeningCommittee',
  ListingApplicationReview: 'part of ListingApplication (its reviewers\' decisions)',
  PriceChangeComparison: 'part of ListingApplication (what reviewers compare)',
  PricePoint: 'part of PriceChangeComparison',
  OtherProvincePrice: 'part of PriceChangeComparison',
  VbpAwardComparison: 'part of PriceChangeComparison',
  PaymentStandardComparison: 'part of PriceChangeComparison',
  PriceEvidence: 'part of ListingApplication',
  AuthPayload: 'the result of proving a password',
  AuditChainVerification: 'verifyAuditChain result',
  AgreementCompletion: 'part of VolumeAgreement',
  AgeingRow: 'payableAgeing result (service-scoped rows)',
  AccountDifference: 'part of Reconciliation',
  Reconciliation: 'ledgerReconciliation result',
  NamedValue: 'part of Alert / MonitoringRule',
  SkippedRule: 'part of MonitoringRun',
  ListingCheck: 'part of ListingApplication',
  ListingPriceInForce: 'listingPriceInForce result',
  InvoiceMismatch: 'part of Invoice',
  CreditSanctions: 'part of CreditRating',
  CreditDisclosure: 'public disclosure',
  DashboardRow: 'supervisionDashboard result',
  ExportFile: 'exportSupervisionDashboard result',
  PaymentFile: 'paymentInstructionFile result',
  BankReconciliation: 'bankReconciliation result (the service checks the batch is in the caller’s region)',
  BankReconciliationRow: 'part of BankReconciliation',
  PayableLine: 'payableLines result (service-scoped rows)',
  PrepaymentRunResult: 'postDuePrepayments result',
  ConfirmationRunResult: 'confirmDueSettlementLines result (counts only)',
  VerifyPayeeAccountResult: 'verifyPayeeAccount result (the account, under its own policy, and a count)',
  AccrueRetainedSavingsResult: 'accrueRetainedSavings result (accruals, under their own policy, a count and hospital ids)',
  RetainedSavingsRow: 'retainedSavings result (service-scoped rows)',
  BidReceipt: 'submitBid / replaceBid result: the bidder’s own receipt',
  RoundOutcome: 'roundResult / openRound result (the service gates by round state)',
  LotOutcome: 'part of RoundOutcome',
  BidOutcome: 'part of LotOutcome',
  RegionOutcome: 'part of LotOutcome',
  AllocationOutcome: 'part of LotOutcome',
  WhatIfResult: 'whatIf result',
  LotWhatIf: 'part of WhatIfResult',
  BidChange: 'part of LotWhatIf',
  PublicRound: 'public results',
  PublicLot: 'part of PublicRound',
  PublicWinner: 'part of PublicLot',
  PublicPrice: 'public prices (publicPricesInForce / publicPriceHistory)',
  PublicVbpResult: 'public VBP results',
};

/** Plain (resolver-less) fields that return a type its policy would not admit for some caller, and why that is right. */
const EXEMPT_EDGES: Record<string, string> = {
  'AuthPayload.user': 'the user who has just proved its password (or refresh token): its own record',
};

const isConnection = (type: GraphQLObjectType) => type.name.endsWith('Connection') && !!type.getFields().nodes;

/**
 * For each caller, walks every type reachable from the operations that caller may call and reports each
 * place where a type with a read policy is reachable although its policy does not admit the caller —
 * unless the field is resolved by a resolver (ReadPolicyInterceptor then refuses it) or exempted above.
 */
function reachabilityProblems(published: GraphQLSchema, live: GraphQLSchema): string[] {
  const problems = new Set<string>();
  const policies = readPolicies();
  const guarded = (parent: string, field: string) => {
    const type = live.getType(parent);
    return isObjectType(type) && typeof type.getFields()[field]?.resolve === 'function';
  };
  for (const subject of SUBJECTS) {
    const role = subject === 'ANONYMOUS' ? null : subject;
    const visited = new Set<string>();
    const walk = (type: GraphQLObjectType, path: string) => {
      if (visited.has(type.name)) return;
      visited.add(type.name);
      for (const field of Object.values(type.getFields())) edge(type.name, field, `${path}.${field.name}`, false);
    };
    const edge = (parent: string, field: GraphQLField<unknown, unknown>, path: string, root: boolean) => {
      let target = getNamedType(field.type);
      if (!isObjectType(target)) return;
      if (isConnection(target)) {
        // a connection is the page of its nodes: check the node type at the same step
        const nodes = getNamedType(target.getFields().nodes.type);
        if (!isObjectType(nodes)) return;
        target = nodes;
      }
      const policy = policies.get(target.name);
      if (!policy) {
        if (!VALUE_TYPES[target.name]) problems.add(`${target.name} (reached by ${path}) has no @ReadPolicy and is not listed as a value type`);
        walk(target, path);
        return;
      }
      if (policyAdmits(policy, role)) {
        walk(target, path);
        return;
      }
      if (root) problems.add(`${subject} may call ${path} but may not read its result type ${target.name}`);
      else if (!guarded(parent, field.name) && !EXEMPT_EDGES[`${parent}.${field.name}`]) {
        problems.add(`${subject} reaches ${target.name} through the unguarded field ${path} (${parent}.${field.name})`);
      }
    };
    for (const op of operationsOf(published)) {
      if (allows(AUTHORIZATION_MATRIX[op.name] ?? [], subject)) edge(op.kind === 'query' ? 'Query' : 'Mutation', op.field, `${subject}: ${op.name}`, true);
    }
  }
  return [...problems].sort();
}

describe('field-level authorisation: one read policy per type, on every path', () => {
  let t: TestApp;
  let alphaListing: string;
  let betaListing: string;
  let alphaProduct: string;
  const published = loadPublishedSchema();

  beforeAll(async () => {
    t = await startTestApp();
    const products = Object.fromEntries((await t.sql(`SELECT external_key, id FROM product`)).map((r) => [r.external_key, r.id]));
    const letter = `mutation { fileCommitmentLetter(input: { documentRef: "CL-2026", signedOn: "2026-03-01" }) { id } }`;
    const apply = `mutation($input: ApplyForListingInput!) { applyForListing(input: $input) { listingId } }`;
    await t.as('mfr-alpha').ok(letter);
    await t.as('mfr-beta').ok(letter);
    alphaProduct = products['atorva-10-alpha'];
    alphaListing = (await t.as('mfr-alpha').ok<any>(apply, { input: { productId: alphaProduct, unitPrice: '9.9000' } })).applyForListing.listingId;
    betaListing = (await t.as('mfr-beta').ok<any>(apply, { input: { productId: products['amlo-5-beta'], unitPrice: '9.9000' } })).applyForListing.listingId;
  });
  afterAll(() => t.close());

  it('declares policies only for types the schema has, and every policy-bearing result type is the one the live schema serves', () => {
    const names = new Set(Object.keys(published.getTypeMap()));
    expect([...readPolicies().keys()].filter((name) => !names.has(name))).toEqual([]);
    expect(Object.keys(VALUE_TYPES).filter((name) => !names.has(name))).toEqual([]);
    expect(Object.keys(VALUE_TYPES).filter((name) => readPolicies().has(name))).toEqual([]);
  });

  it('no role reaches a type its read policy does not admit, except through a guarded resolver', () => {
    const live = t.app.get(GraphQLSchemaHost).schema;
    expect(reachabilityProblems(published, live)).toEqual([]);
  });

  it('the walk would catch a private type exposed through a plain field', () => {
    // the same walk over a schema where Listing.applications is a plain property (no resolver to guard it)
    const live = t.app.get(GraphQLSchemaHost).schema;
    const listing = live.getType('Listing') as GraphQLObjectType;
    const field = listing.getFields().applications;
    const resolve = field.resolve;
    field.resolve = undefined;
    try {
      const problems = reachabilityProblems(published, live);
      for (const role of ['HOSPITAL', 'DISTRIBUTOR', 'SETTLEMENT_OFFICE']) {
        expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^${role} reaches ListingApplication through the unguarded field .*\\(Listing\\.applications\\)$`)));
      }
      expect(problems.filter((p) => !p.includes('(Listing.applications)'))).toEqual([]);
    } finally {
      field.resolve = resolve;
    }
  });

  it("probe 1: a hospital cannot read another manufacturer's listing applications through listing(id)", async () => {
    const probe = `query($id: ID!) { listing(id: $id) { applications { unitPrice state decisionNote checks { code passed detail } } } }`;
    const res = await t.as('hosp-zz-1').gql(probe, { id: betaListing });
    expect(res.data).toBeNull();
    expect(res.errors?.map((e) => [e.extensions?.code, e.path?.join('.')])).toEqual([['FORBIDDEN', 'listing.applications']]);
    expect(JSON.stringify(res.body)).not.toContain('9.9000');
    // the listing itself stays readable: hospitals buy at listed prices
    const listing = await t.as('hosp-zz-1').ok<any>(`query($id: ID!) { listing(id: $id) { id unitPrice } }`, { id: betaListing });
    expect(listing.listing.id).toBe(betaListing);
  });

  it('probe 2: a distributor cannot read listing applications through listings { nodes { applications } }', async () => {
    const res = await t.as('dist-zy').gql(`{ listings(first: 100) { nodes { applications { unitPrice } } } }`);
    expect(res.data).toBeNull();
    expect(new Set(res.errors?.map((e) => e.extensions?.code))).toEqual(new Set(['FORBIDDEN']));
    expect(JSON.stringify(res.body)).not.toContain('unitPrice":');
    const listings = await t.as('dist-zy').ok<any>(`{ listings(first: 100) { nodes { id } } }`);
    expect(listings.listings.nodes.map((n: any) => n.id)).toEqual(expect.arrayContaining([alphaListing, betaListing]));
  });

  it('the same nested field still serves roles the policy admits, within their scope', async () => {
    const probe = `query($id: ID!) { listing(id: $id) { applications { manufacturerId unitPrice } } }`;
    const own = await t.as('mfr-alpha').ok<any>(probe, { id: alphaListing });
    expect(own.listing.applications).toEqual([{ manufacturerId: expect.any(String), unitPrice: '9.9000' }]);
    const regulator = await t.as('reg-henan').ok<any>(probe, { id: betaListing });
    expect(regulator.listing.applications).toHaveLength(1);
    // another manufacturer's listing is not found for a manufacturer at all
    expect((await t.as('mfr-alpha').refused(probe, { id: betaListing })).code).toBe('NOT_FOUND');
    // the admin reads everything
    expect((await t.as(TEST_ADMIN.username, TEST_ADMIN.password).ok<any>(probe, { id: betaListing })).listing.applications).toHaveLength(1);
  });

  it('linkage notices under a listing follow the linkageNotices rule too', async () => {
    const res = await t.as('hosp-zz-1').gql(`query($id: ID!) { listing(id: $id) { id linkageNotices { id } } }`, { id: alphaListing });
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it("a manufacturer reading a mixed order sees only its own lines; the hospital sees them all", async () => {
    const ids = await demoIds(t);
    const omep = ids.product('omep-20-alpha');
    const metf = ids.product('metf-05-beta');
    await addTestListing(t, { productId: omep, manufacturerId: ids.manufacturerOf('omep-20-alpha'), unitPrice: '0.5000', from: '2026-01-01T00:00:00+08:00' });
    await addTestListing(t, { productId: metf, manufacturerId: ids.manufacturerOf('metf-05-beta'), unitPrice: '0.1500', from: '2026-01-01T00:00:00+08:00' });
    const appoint = `mutation($input: AppointDistributorInput!) { appointDistributor(input: $input) { id } }`;
    for (const m of ['mfr-alpha', 'mfr-beta']) await t.as(m).ok(appoint, { input: { distributorId: ids.org('dist-zy'), regionCode: '410100', startsAt: '2026-01-01T00:00:00+08:00' } });
    const placed = await t.as('hosp-zz-1').ok<any>(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
      input: { idempotencyKey: 'field-auth-mixed-order', lines: [{ productId: omep, quantity: 10 }, { productId: metf, quantity: 20 }] },
    });
    const read = `query($id: ID!) { order(id: $id) { id lines { productId manufacturerId unitPrice } } }`;
    const lines = async (user: string) => (await t.as(user).ok<any>(read, { id: placed.placeOrder.id })).order.lines.map((l: any) => l.productId).sort();
    expect(await lines('hosp-zz-1')).toEqual([omep, metf].sort());
    expect(await lines('dist-zy')).toEqual([omep, metf].sort());
    expect(await lines('mfr-alpha')).toEqual([omep]);
    expect(await lines('mfr-beta')).toEqual([metf]);
  });
});
