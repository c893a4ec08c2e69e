import { readFileSync } from 'fs';
import { join } from 'path';
import { buildSchema, getNamedType, GraphQLField, GraphQLObjectType, isLeafType, isListType, isNonNullType, isObjectType, GraphQLType } from 'graphql';
import request from 'supertest';
import { GqlResponse, startTestApp, TestApp } from '@test/harness';
import { DemoHistoryService } from '../src/catalog/demo/demo-history.service';
import { StatementCounter } from './support/statement-counter';
import { seedFullPages } from './support/full-pages';
import { addTestAgreement, addTestListing, demoIds } from './support/test-supply';

/**
 * Nested reads cost the same number of SQL statements for a page of 100 as for a page of 1, level by level:
 * every field below a list is read through a per-request DataLoader (src/platform/graphql/loaders.ts).
 *
 * The queries are generated from schema.gql: for every top-level query taking `first`, one query per nesting
 * level that selects every field without required arguments down to that level (every nested list and
 * object included). The demo with its year of history, topped up so the main pages are full, supplies rows.
 * Every list of objects nested in an object type must be covered by one of these queries or be named in
 * NOT_BELOW_A_PAGE with the reason; a new nested list therefore gets counted as soon as it is in the schema.
 */
jest.setTimeout(900_000);

const schema = buildSchema(readFileSync(join(__dirname, '..', 'schema.gql'), 'utf8'));
const queryType = schema.getQueryType()!;

/** Nested lists no paged query reaches: each is below a single object or a fixed-size result. */
const NOT_BELOW_A_PAGE: Record<string, string> = {
  'LotOutcome.allocations': 'below roundResult (one round), computed from its stored result',
  'LotOutcome.bids': 'below roundResult (one round), computed from its stored result',
  'LotOutcome.regions': 'below roundResult (one round), computed from its stored result',
  'RoundOutcome.lots': 'roundResult is one round',
  'LotWhatIf.changes': 'below whatIf (one round), computed in memory',
  'WhatIfResult.lots': 'whatIf is one round, computed in memory',
  'MonitoringRule.parameters': 'monitoringRules is not paged; parameters are a column of the row',
  'MonitoringRun.skipped': 'below monitoringRun(s), a column of the row',
  'OpeningCommittee.members': 'openingCommittee is one round',
  'PublicLot.winners': 'publicRoundResults is not paged; built by one read per call',
  'PublicRound.lots': 'publicRoundResults is not paged; built by one read per call',
  'Reconciliation.differences': 'ledgerReconciliation is one report',
  'Variety.specs': 'varieties is not paged; read through the varietySpecs DataLoader',
  'AccrueRetainedSavingsResult.accrued': 'the result of the accrueRetainedSavings mutation, built by it',
  'InsuranceClaimsImportResult.imports': 'the result of the importInsuranceClaims mutation, built by it',
  'BankReconciliation.rows': 'bankReconciliation is one batch, its rows computed by one read per call',
  'BusinessEventPage.nodes': 'the page of events and publicPriceChanges itself (a cursor page without pageInfo), counted with those queries',
  'CostInvestigation.documentRequests': 'costInvestigations is not paged (at most 500); read through the listing.costDocumentRequests DataLoader',
  'CostDocumentRequest.documents': 'below costInvestigations (not paged) or costInvestigation (one); a column of the request row',
  'CreditNotice.statements': 'creditNotices and creditEvents are not paged; read through the credit.noticeStatements DataLoader',
  'CreditNoticeStatement.documents': 'below credit notices (not paged); a column of the statement row',
  'CreditStanding.periods': 'creditStanding is one organisation, computed by the query',
  'ExternalAwardBatch.versions': 'externalAwardBatches is not paged; read through the rounds.externalAwardVersions DataLoader',
  'ExternalAwardVersion.diff': 'below externalAwardBatches (not paged) or externalAwardBatch (one); a column of the version row',
  'KpiReport.children': 'kpis is one report, computed by the query',
  'KpiReport.figures': 'kpis is one report, computed by the query',
  'KpiReport.priceDrops': 'kpis is one report, computed by the query',
  'KpiReport.vbpByLevel': 'kpis is one report, computed by the query',
  'KpiChild.figures': 'below kpis (one report), computed by the query',
  'KpiFigure.trend': 'below kpis (one report), computed by the query',
  'Renewal.offers': 'renewals takes a required roundId and is not paged; read through the rounds.renewalOffers DataLoader',
  'Renewal.demand': 'renewals takes a required roundId and is not paged; read through the rounds.renewalDemand DataLoader',
};

/** Lists with nested reads whose pages the seed fills: these must come back with 100 rows. */
const FULL_PAGES = ['orders', 'listings', 'listingApplications', 'volumeAgreements', 'alerts'];

const ROLE_USERS = ['admin', 'reg-henan', 'settle-henan', 'hosp-zz-1', 'mfr-alpha', 'dist-zy'];

function hasRequiredArgs(field: GraphQLField<unknown, unknown>): boolean {
  return field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined);
}

function isListOfObjects(type: GraphQLType): boolean {
  const inner = isNonNullType(type) ? type.ofType : type;
  return isListType(inner) && isObjectType(getNamedType(inner));
}

/** Every field of `type` down to `depth` object levels (0: leaves only), not re-entering a type on the path. */
function selection(type: GraphQLObjectType, depth: number, path: string[], reached: Set<string>): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (hasRequiredArgs(field)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) {
      parts.push(field.name);
    } else if (isObjectType(named) && depth > 0 && !path.includes(named.name)) {
      reached.add(`${type.name}.${field.name}`);
      parts.push(`${field.name} { ${selection(named, depth - 1, [...path, named.name], reached)} }`);
    }
  }
  return parts.join(' ');
}

function deepest(type: GraphQLObjectType, path: string[]): number {
  let max = 0;
  for (const field of Object.values(type.getFields())) {
    const named = getNamedType(field.type);
    if (hasRequiredArgs(field) || !isObjectType(named) || path.includes(named.name)) continue;
    max = Math.max(max, 1 + deepest(named, [...path, named.name]));
  }
  return max;
}

interface TopList {
  name: string;
  /** the object type of one row */
  row: GraphQLObjectType;
  /** a connection (rows under `nodes`) or a plain list */
  connection: boolean;
}

/** Top-level queries with a page size: connections and lists taking `first`. */
function pagedQueries(): TopList[] {
  const out: TopList[] = [];
  for (const field of Object.values(queryType.getFields())) {
    if (!field.args.some((a) => a.name === 'first') || hasRequiredArgs(field)) continue;
    const named = getNamedType(field.type);
    if (!isObjectType(named)) continue;
    const nodes = named.getFields().nodes;
    if (nodes && isObjectType(getNamedType(nodes.type))) out.push({ name: field.name, row: getNamedType(nodes.type) as GraphQLObjectType, connection: true });
    else if (isListOfObjects(field.type)) out.push({ name: field.name, row: named, connection: false });
  }
  return out;
}

function documentFor(top: TopList, level: number, reached: Set<string>): string {
  const rows = selection(top.row, level, [top.row.name], reached);
  return top.connection
    ? `query($first: Int) { ${top.name}(first: $first) { nodes { ${rows} } } }`
    : `query($first: Int) { ${top.name}(first: $first) { ${rows} } }`;
}

/**
 * The nested fields a response resolved at least once: `shipments.lines` is resolved when some shipment was
 * returned (its lines may be empty). A page of 1 whose row has no shipments never resolves `shipments.lines`,
 * so it is one batch (one statement) short of the page of 100 without anything growing with the page size.
 */
function resolvedPaths(value: unknown, type: GraphQLObjectType, path: string, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) resolvedPaths(item, type, path, into);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const named = getNamedType(type.getFields()[key]?.type);
      if (!isObjectType(named)) continue;
      into.add(`${path}.${key}`);
      resolvedPaths(inner, named, `${path}.${key}`, into);
    }
  }
  return into;
}

function rowsOf(top: TopList, data: Record<string, any>): unknown[] {
  return top.connection ? data[top.name].nodes : data[top.name];
}

describe('statements per nested read do not grow with the page size', () => {
  let t: TestApp;
  let counter: StatementCounter;
  const report: string[] = [];

  beforeAll(async () => {
    // the cost and depth limits are not under test here: the deepest generated queries exceed them on purpose
    t = await startTestApp({ config: { graphqlMaxCost: 1_000_000, graphqlMaxDepth: 20 } });
    await t.app.get(DemoHistoryService).ensure();
    const rows = await seedFullPages(t);
    report.push(`  rows: ${JSON.stringify(rows)}`);
    counter = new StatementCounter(t.dataSource);
    for (const username of ROLE_USERS) await (username === 'admin' ? t.admin : t.as(username)).accessToken();
  });
  afterAll(async () => {
    process.stdout.write(`statements per request, page of 1 / page of 100, by level:\n${report.join('\n')}\n`);
    await t?.close();
  });

  const client = (username: string) => (username === 'admin' ? t.admin : t.as(username));

  let sent = 0;
  async function count(username: string, query: string, first: number) {
    const token = await client(username).accessToken();
    const requestId = `statement-count-${++sent}`;
    const { result, statements, texts } = await counter.measure(requestId, async (): Promise<GqlResponse> => {
      const res = await request(t.http).post('/graphql').set('Authorization', `Bearer ${token}`).set('x-request-id', requestId).send({ query, variables: { first } });
      return { status: res.status, data: res.body?.data ?? null, errors: res.body?.errors, body: res.body };
    });
    return { res: result, statements, texts };
  }

  it('every nested list of an object type is below a paged query or named with a reason', () => {
    const reached = new Set<string>();
    for (const top of pagedQueries()) documentFor(top, deepest(top.row, [top.row.name]), reached);
    const nested: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || type === queryType || type === schema.getMutationType()) continue;
      if (type.getFields().nodes && type.getFields().pageInfo) continue; // a connection's own nodes are the page
      for (const field of Object.values(type.getFields())) if (isListOfObjects(field.type)) nested.push(`${type.name}.${field.name}`);
    }
    const uncovered = nested.filter((f) => !reached.has(f) && !NOT_BELOW_A_PAGE[f]);
    expect(uncovered).toEqual([]);
    // an exemption that a paged query now reaches should be counted instead
    expect(Object.keys(NOT_BELOW_A_PAGE).filter((f) => reached.has(f))).toEqual([]);
    expect(reached.size).toBeGreaterThan(15);
  });

  it('the orders page with lines, shipments, their lines, receipts and invoices: a fixed number of statements', async () => {
    const query = `query($first: Int) { orders(first: $first) { nodes { id lines { id quantity } shipments { id lines { id quantity } receipt { id lines { id acceptedQuantity } } invoices { id total } } } } }`;
    const one = await count('admin', query, 1);
    const hundred = await count('admin', query, 100);
    expect(hundred.res.errors).toBeUndefined();
    expect(hundred.res.data!.orders.nodes).toHaveLength(100);
    report.push(`  orders { lines shipments { lines receipt { lines } invoices } }: ${one.statements} statements for a page of 1, ${hundred.statements} for 100`);
    // the page (no totalCount asked, so no count), then one batch each: lines, shipments, shipment lines,
    // receipts, receipt lines, invoices
    expect(hundred.statements).toBe(7);
    expect(one.statements).toBe(7);
  });

  it('counts the rows of a list only when totalCount is selected', async () => {
    const without = await count('admin', `query($first: Int) { orders(first: $first) { nodes { id } pageInfo { hasNextPage } } }`, 10);
    const withCount = await count('admin', `query($first: Int) { orders(first: $first) { totalCount nodes { id } } }`, 10);
    const twice = await count('admin', `query($first: Int) { orders(first: $first) { a: totalCount b: totalCount nodes { id } } }`, 10);
    expect([without.statements, withCount.statements, twice.statements]).toEqual([1, 2, 2]);
    expect(withCount.res.data!.orders.totalCount).toBeGreaterThan(100);
    expect(twice.res.data!.orders.a).toBe(withCount.res.data!.orders.totalCount);
    // the raw-SQL pages (paginateSql) too
    const sqlPage = await count('admin', `query($first: Int) { publicPricesInForce(first: $first) { nodes { productId } } }`, 10);
    const sqlPageCounted = await count('admin', `query($first: Int) { publicPricesInForce(first: $first) { totalCount nodes { productId } } }`, 10);
    expect(sqlPageCounted.statements - sqlPage.statements).toBe(1);
    expect(sqlPageCounted.res.data!.publicPricesInForce.totalCount).toBeGreaterThan(10);
  });

  it.each(pagedQueries().map((top) => [top.name, top] as const))('%s: the same statements for a page of 1 and of 100, per level', async (_name, top) => {
    // the role that sees the most rows of this list
    let best: { username: string; rows: number } | null = null;
    for (const username of ROLE_USERS) {
      const { res } = await count(username, documentFor(top, 0, new Set()), 100);
      if (res.errors?.length || !res.data) continue;
      const rows = rowsOf(top, res.data).length;
      if (!best || rows > best.rows) best = { username, rows };
    }
    expect(best).not.toBeNull();
    if (FULL_PAGES.includes(top.name)) expect(best!.rows).toBe(100);
    const levels = deepest(top.row, [top.row.name]);
    const figures: string[] = [];
    for (let level = 0; level <= levels; level++) {
      const query = documentFor(top, level, new Set());
      // a role may read the rows but not every nested type (read policies): take the first role that can
      let measured: { one: number; hundred: number; unreached: string[]; rows: number; texts: string[] } | null = null;
      const errors: unknown[] = [];
      for (const username of [best!.username, ...ROLE_USERS.filter((u) => u !== best!.username)]) {
        const one = await count(username, query, 1);
        const hundred = await count(username, query, 100);
        if (one.res.errors?.length || hundred.res.errors?.length) {
          errors.push({ username, errors: (one.res.errors ?? hundred.res.errors)?.slice(0, 2) });
          continue;
        }
        const reachedByOne = resolvedPaths(rowsOf(top, one.res.data!), top.row, '', new Set());
        const unreached = [...resolvedPaths(rowsOf(top, hundred.res.data!), top.row, '', new Set())].filter((p) => !reachedByOne.has(p));
        measured = { one: one.statements, hundred: hundred.statements, unreached, rows: rowsOf(top, hundred.res.data!).length, texts: hundred.texts };
        break;
      }
      if (!measured) throw new Error(`${top.name} level ${level}: no role could read it: ${JSON.stringify(errors)}`);
      figures.push(`${measured.one}/${measured.hundred}${measured.unreached.length ? ` (page of 1 without ${measured.unreached.join(', ')})` : ''}`);
      // equal, but for one batch per nested field the row of the page of 1 had nothing under (see resolvedPaths)
      if (measured.hundred < measured.one || measured.hundred > measured.one + measured.unreached.length) {
        throw new Error(
          `${top.name} level ${level} (${measured.rows} rows): ${measured.one} statements for a page of 1, ${measured.hundred} for 100` +
            ` (fields the page of 1 did not reach: ${measured.unreached.join(', ') || 'none'}):\n${measured.texts.join('\n')}`,
        );
      }
    }
    report.push(`  ${top.name} (${best!.rows} rows as ${best!.username}): ${figures.join(', ')}`);
  });
});

describe('statements of placing an order', () => {
  let t: TestApp;
  let counter: StatementCounter;
  beforeAll(async () => {
    t = await startTestApp();
    counter = new StatementCounter(t.dataSource);
  });
  afterAll(() => t?.close());

  it('places a 5-line order (2 agreement lines, 3 listing lines, one manufacturer) in 2 statements, no transaction around them', async () => {
    const ids = await demoIds(t);
    const hospitalId = ids.org('hosp-zz-1');
    for (const key of ['atorva-20-alpha', 'atorva-10-alpha']) {
      await addTestAgreement(t, { hospitalId, productId: ids.product(key), manufacturerId: ids.manufacturerOf(key), unitPrice: '0.8100', agreedQuantity: 100_000, from: '2026-01-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' });
    }
    for (const key of ['famo-20-alpha', 'omep-20-alpha', 'amox-025-alpha']) {
      await addTestListing(t, { productId: ids.product(key), manufacturerId: ids.manufacturerOf(key), unitPrice: '0.3300', from: '2026-01-01T00:00:00+08:00' });
    }
    await t.as('mfr-alpha').ok(`mutation($input: AppointDistributorInput!) { appointDistributor(input: $input) { id } }`, {
      input: { distributorId: ids.org('dist-zy'), regionCode: '410000', startsAt: '2026-01-01T00:00:00+08:00' },
    });
    const token = await t.as('hosp-zz-1').accessToken();
    const productIds = ['atorva-20-alpha', 'atorva-10-alpha', 'famo-20-alpha', 'omep-20-alpha', 'amox-025-alpha'].map((k) => ids.product(k));
    const place = async (n: number) => {
      const requestId = `place-order-${n}`;
      return counter.measure(requestId, async () => {
        const res = await request(t.http)
          .post('/graphql')
          .set('Authorization', `Bearer ${token}`)
          .set('x-request-id', requestId)
          .send({ query: `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id state total lines { id unitPrice } } }`, variables: { input: { idempotencyKey: `statements-${n}-key`, lines: productIds.map((productId, i) => ({ productId, quantity: 10 + i })) } } });
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data.placeOrder.lines).toHaveLength(5);
      });
    };
    await place(0);
    const { texts } = await place(1);
    // the order's own statements; the audit chainer's pass (a transaction) that the write kicks off may follow in the same scope
    const chainer = texts.indexOf('START TRANSACTION');
    const own = chainer >= 0 ? texts.slice(0, chainer) : texts;
    process.stdout.write(`placeOrder: ${own.length} statements:\n${own.map((s) => `  ${s.replace(/\s+/g, ' ').slice(0, 120)}`).join('\n')}\n`);
    // one read of everything the order depends on (idempotency key, varieties, agreements, listing prices, credit
    // ratings, distributors), then one write of the key's claim, the order, its lines and the audit entry
    expect(own).toHaveLength(2);
    expect(own[0]).toMatch(/^WITH part_prior AS/);
    expect(own[1]).toMatch(/^WITH claim AS \(INSERT INTO idempotency_record/);
  });
});
