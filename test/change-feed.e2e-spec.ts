import { createServer, IncomingMessage, Server } from 'http';
import { AddressInfo } from 'net';
import { Client } from 'pg';
import request from 'supertest';
import { verifySignature } from '@libs/change-feed';
import { startTestApp, TestApp } from '@test/harness';
import { ChangeFeedService } from '../src/platform/events/change-feed.service';
import { DISPATCH_WEBHOOKS_JOB } from '../src/platform/events/webhooks.service';
import { addTestAgreement, demoIds } from './support/test-supply';

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id lines { id } } }`;
const CONFIRM = `mutation($id: ID!) { confirmOrder(orderId: $id) { id state } }`;
const SHIP = `mutation($input: ShipOrderInput!) { shipOrder(input: $input) { id lines { id } } }`;
const RECEIVE = `mutation($input: ReceiveShipmentInput!) { receiveShipment(input: $input) { id } }`;
const EVENTS = `query($after: String, $first: Int, $types: [String!]) { events(after: $after, first: $first, types: $types) { endCursor hasNextPage nodes { cursor type occurredAt subjectType subjectId isPublic data } } }`;
const PRICES = `query($after: String, $first: Int) { publicPriceChanges(after: $after, first: $first) { endCursor hasNextPage nodes { cursor type subjectId data } } }`;
const SUBSCRIBE = `mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { secret subscription { id url eventTypes active } } }`;
const DELIVERIES = `query($id: ID!, $state: WebhookDeliveryState) { webhookDeliveries(subscriptionId: $id, state: $state) { totalCount nodes { id eventPosition state attempts lastStatus } } }`;

jest.setTimeout(120_000);

interface Received {
  eventId: string;
  attempt: string;
  signedOk: boolean;
  answered: number;
  body: { id: string; type: string; data: Record<string, unknown> };
}

/** A receiver that answers with the next status of its script (then 200) and records what it got. */
function receiver(): { server: Server; url: () => string; got: Received[]; script: number[]; secret: { value: string } } {
  const got: Received[] = [];
  const script: number[] = [];
  const secret = { value: '' };
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const answered = script.length ? script.shift()! : 200;
      got.push({
        eventId: String(req.headers['x-vbp-event-id']),
        attempt: String(req.headers['x-vbp-delivery-attempt']),
        signedOk: verifySignature(secret.value, raw, req.headers['x-vbp-signature'] as string),
        answered,
        body: JSON.parse(raw.toString('utf8')),
      });
      res.writeHead(answered).end();
    });
  });
  return { server, url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/vbp-hook`, got, script, secret };
}

describe('change feed: business events in commit order, scoped, with signed webhooks', () => {
  let t: TestApp;
  let feed: ChangeFeedService;
  let ids: Awaited<ReturnType<typeof demoIds>>;
  let atorva: string;
  let key = 0;
  let hospitalSubscription = '';
  const hook = receiver();

  const positioned = () => feed.positionPending({ wait: true });
  const dispatch = () => t.jobs.runNow(DISPATCH_WEBHOOKS_JOB);
  const placeOrder = async (quantity = 10) =>
    (await t.as('hosp-zz-1').ok<any>(PLACE, { input: { idempotencyKey: `feed-order-${++key}`, lines: [{ productId: atorva, quantity }] } })).placeOrder;

  beforeAll(async () => {
    t = await startTestApp({ config: { webhookAllowPrivateTargets: true } });
    feed = t.app.get(ChangeFeedService);
    ids = await demoIds(t);
    atorva = ids.product('atorva-20-alpha');
    await addTestAgreement(t, {
      hospitalId: ids.org('hosp-zz-1'),
      productId: atorva,
      manufacturerId: ids.manufacturerOf('atorva-20-alpha'),
      unitPrice: '0.8100',
      agreedQuantity: 100_000,
      from: '2026-01-01T00:00:00+08:00',
      to: '2027-01-01T00:00:00+08:00',
    });
    await t.as('mfr-alpha').ok(`mutation($input: AppointDistributorInput!) { appointDistributor(input: $input) { id } }`, {
      input: { distributorId: ids.org('dist-zy'), regionCode: '410100', startsAt: '2026-01-01T00:00:00+08:00' },
    });
    await new Promise<void>((resolve) => hook.server.listen(0, '127.0.0.1', resolve));
    await positioned();
  });
  afterAll(async () => {
    await new Promise((resolve) => hook.server.close(resolve));
    await t.close();
  });

  it('an order\'s life reaches its hospital, distributor, manufacturer and regulator in order, and no other hospital', async () => {
    const start = (await t.as('hosp-zz-1').ok<any>(EVENTS, { first: 100 })).events.endCursor;
    const order = await placeOrder(60);
    await t.as('dist-zy').ok(CONFIRM, { id: order.id });
    const shipment = (await t.as('dist-zy').ok<any>(SHIP, { input: { orderId: order.id, lines: [{ orderLineId: order.lines[0].id, quantity: 60, batchNumber: 'B1', expiresOn: '2028-01-31' }] } })).shipOrder;
    await t.as('hosp-zz-1').ok(RECEIVE, { input: { shipmentId: shipment.id, lines: [{ shipmentLineId: shipment.lines[0].id, acceptedQuantity: 60, rejectedQuantity: 0 }] } });
    await positioned();

    const expected = ['order.placed', 'order.confirmed', 'order.shipped', 'order.received'];
    for (const who of ['hosp-zz-1', 'dist-zy', 'mfr-alpha', 'reg-henan']) {
      const page = (await t.as(who).ok<any>(EVENTS, { after: start, first: 100, types: expected })).events;
      const mine = page.nodes.filter((n: any) => JSON.parse(n.data).orderId === order.id);
      expect({ who, types: mine.map((n: any) => n.type) }).toEqual({ who, types: expected });
      // strictly increasing cursors
      const cursors = mine.map((n: any) => Number(n.cursor));
      expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    }
    const placed = (await t.as('hosp-zz-1').ok<any>(EVENTS, { after: start, first: 1, types: ['order.placed'] })).events;
    expect(placed.nodes[0]).toMatchObject({ subjectType: 'PurchaseOrder', subjectId: order.id, isPublic: false });
    expect(JSON.parse(placed.nodes[0].data)).toMatchObject({ orderId: order.id, total: '4860', state: 'SUBMITTED' });
    expect(new Date(placed.nodes[0].occurredAt).toISOString()).toBe(new Date('2026-03-02T09:00:00+08:00').toISOString());

    // another hospital and another manufacturer see none of it
    for (const who of ['hosp-ly-1', 'mfr-beta']) {
      const page = (await t.as(who).ok<any>(EVENTS, { after: start, first: 100 })).events;
      expect(page.nodes.filter((n: any) => JSON.parse(n.data).orderId === order.id)).toEqual([]);
    }
    expect((await t.anonymous.refused(EVENTS, {})).code).toBe('UNAUTHENTICATED');
  });

  it('pages resume exactly at endCursor; an empty page keeps the cursor', async () => {
    const all = (await t.as('hosp-zz-1').ok<any>(EVENTS, { first: 100 })).events;
    expect(all.nodes.length).toBeGreaterThanOrEqual(4);
    const first2 = (await t.as('hosp-zz-1').ok<any>(EVENTS, { first: 2 })).events;
    const rest = (await t.as('hosp-zz-1').ok<any>(EVENTS, { first: 100, after: first2.endCursor })).events;
    expect([...first2.nodes, ...rest.nodes].map((n: any) => n.cursor)).toEqual(all.nodes.map((n: any) => n.cursor));
    const empty = (await t.as('hosp-zz-1').ok<any>(EVENTS, { after: all.endCursor })).events;
    expect(empty).toMatchObject({ nodes: [], hasNextPage: false, endCursor: all.endCursor });
    const bad = await t.as('hosp-zz-1').refused(EVENTS, { after: 'abc' });
    expect(bad).toMatchObject({ code: 'VALIDATION_FAILED', field: 'after' });
  });

  it('a writer that commits late is read after the one that committed first, and nobody skips it', async () => {
    const start = (await t.anonymous.ok<any>(PRICES, { first: 100 })).publicPriceChanges.endCursor;
    const [early, late] = [new Client({ connectionString: t.databaseUrl }), new Client({ connectionString: t.databaseUrl })];
    await early.connect();
    await late.connect();
    const listPrice = (c: Client, productKey: string, price: string) =>
      c.query<{ seq: string }>(
        `WITH l AS (INSERT INTO listing (product_id, manufacturer_id, region_code, state, unit_price, policy_version)
                    VALUES ($1, $2, '410000', 'LISTED', $3, 'test') RETURNING id)
         INSERT INTO listing_price_history (listing_id, product_id, manufacturer_id, unit_price, state, valid_from, reason)
         SELECT l.id, $1, $2, $3, 'LISTED', '2026-03-02T09:00:00+08:00', 'feed test' FROM l`,
        [ids.product(productKey), ids.manufacturerOf(productKey), price],
      );
    try {
      // the first writer takes its sequence number first but commits last
      await early.query('BEGIN');
      // its event is written now (not at commit), as in a transaction that still has work to do after it
      await early.query('SET CONSTRAINTS listing_price_history_business_event IMMEDIATE');
      await listPrice(early, 'omep-20-alpha', '0.5100');
      await late.query('BEGIN');
      await listPrice(late, 'amlo-5-beta', '0.3100');
      await late.query('COMMIT');
      await positioned();
      const page1 = (await t.anonymous.ok<any>(PRICES, { after: start })).publicPriceChanges;
      expect(page1.nodes.map((n: any) => JSON.parse(n.data).unitPrice)).toEqual(['0.3100']);

      await early.query('COMMIT');
      await positioned();
      const page2 = (await t.anonymous.ok<any>(PRICES, { after: page1.endCursor })).publicPriceChanges;
      expect(page2.nodes.map((n: any) => JSON.parse(n.data).unitPrice)).toEqual(['0.5100']);
      expect(Number(page2.nodes[0].cursor)).toBe(Number(page1.endCursor) + 1); // no gap
      // …while the sequence would have put it first, behind a reader that had moved on
      const seqs = await t.sql<{ seq: string; price: string }>(`SELECT seq, data->>'unitPrice' AS price FROM business_event WHERE position > $1 AND type = 'price.changed' ORDER BY seq`, [start ?? 0]);
      expect(seqs.map((s) => s.price)).toEqual(['0.5100', '0.3100']);
    } finally {
      await early.end();
      await late.end();
    }
  });

  it('the daily price-sharing file carries the prices in force at the day\'s end, in the columns the reference-price import reads', async () => {
    const res = await request(t.http).get('/public/price-sharing/2026-03-02.csv').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const text = res.text.replace(/^\uFEFF/, '');
    const [header, ...rows] = text.trim().split('\r\n');
    expect(header).toBe('provinceCode,approvalNumber,unitPrice,effectiveOn,source');
    const [approval] = await t.sql<{ a: string }>(`SELECT approval_number AS a FROM product WHERE id = $1`, [ids.product('omep-20-alpha')]);
    expect(rows).toContainEqual(expect.stringMatching(new RegExp(`^410000,${approval.a},0\\.5100,2026-03-02,`)));
    // the previous day's file does not have it yet; a future day is refused
    expect((await request(t.http).get('/public/price-sharing/2026-03-01.csv').expect(200)).text).not.toContain('0.5100');
    expect((await request(t.http).get('/public/price-sharing/2026-03-03.csv').expect(400)).body).toMatchObject({ field: 'date' });
    // a neighbouring province publishing the same file: imported as it stands by the existing import
    const neighbours = text.replace(/^410000,/gm, '420000,');
    const imported = await t.as('reg-henan').ok<any>(`mutation($input: ImportReferencePricesInput!) { importReferencePrices(input: $input) { rowCount } }`, {
      input: { format: 'CSV', fileName: 'hubei-2026-03-02.csv', contentBase64: Buffer.from(neighbours, 'utf8').toString('base64') },
    });
    expect(imported.importReferencePrices.rowCount).toBe(rows.length);
    const xlsx = (await t.anonymous.ok<any>(`{ publicPriceSharingFile(date: "2026-03-02", format: "XLSX") { filename contentType } }`)).publicPriceSharingFile;
    expect(xlsx).toMatchObject({ filename: 'price-sharing-410000-2026-03-02.xlsx' });
  });

  it('concurrent orders: every one has its event, and positions run without gaps', async () => {
    const before = await feed.head();
    const orders = await Promise.all(Array.from({ length: 12 }, () => placeOrder(1)));
    await positioned();
    const rows = await t.sql<{ position: string; subject_id: string }>(`SELECT position, subject_id FROM business_event WHERE position > $1 ORDER BY position`, [before]);
    expect(rows.map((r) => Number(r.position))).toEqual(rows.map((_, i) => before + i + 1));
    expect(new Set(rows.map((r) => r.subject_id))).toEqual(new Set(orders.map((o) => o.id)));
    expect((await t.sql(`SELECT count(*)::int AS n FROM business_event WHERE position IS NULL`))[0].n).toBe(0);
  });

  it('a webhook that fails twice gets the event on the third try, once, signed', async () => {
    const created = (await t.as('hosp-zz-1').ok<any>(SUBSCRIBE, { input: { url: hook.url(), eventTypes: ['order.placed'] } })).createWebhookSubscription;
    expect(created.subscription).toMatchObject({ url: hook.url(), eventTypes: ['order.placed'], active: true });
    hospitalSubscription = created.subscription.id;
    hook.secret.value = created.secret;
    hook.got.length = 0;
    hook.script.push(500, 503);

    const order = await placeOrder(5);
    await positioned();
    await dispatch();
    expect(hook.got.map((g) => g.answered)).toEqual([500]);
    await dispatch(); // not due yet: 10 s back-off
    expect(hook.got).toHaveLength(1);
    t.clock.advance(11_000);
    await dispatch();
    t.clock.advance(31_000);
    await dispatch();
    t.clock.advance(3600_000);
    await dispatch();

    expect(hook.got.map((g) => [g.answered, g.attempt])).toEqual([[500, '1'], [503, '2'], [200, '3']]);
    expect(new Set(hook.got.map((g) => g.eventId)).size).toBe(1);
    expect(hook.got.every((g) => g.signedOk)).toBe(true);
    expect(hook.got[2].body).toMatchObject({ type: 'order.placed', data: expect.objectContaining({ orderId: order.id }) });
    const deliveries = (await t.as('hosp-zz-1').ok<any>(DELIVERIES, { id: created.subscription.id })).webhookDeliveries;
    expect(deliveries.nodes).toEqual([expect.objectContaining({ state: 'DELIVERED', attempts: 3, lastStatus: 200, eventPosition: hook.got[0].eventId })]);
    // other organisations cannot look into it
    expect((await t.as('hosp-ly-1').refused(DELIVERIES, { id: created.subscription.id })).code).toBe('NOT_FOUND');
  });

  it('a receiver that keeps failing lands in the dead-letter list, and a replay delivers it', async () => {
    const stopped = await t.as('hosp-zz-1').ok<any>(`mutation($id: ID!) { deactivateWebhookSubscription(id: $id) { active deactivatedAt } }`, { id: hospitalSubscription });
    expect(stopped.deactivateWebhookSubscription.active).toBe(false);
    const created = (await t.as('mfr-alpha').ok<any>(SUBSCRIBE, { input: { url: hook.url(), eventTypes: ['order.placed'] } })).createWebhookSubscription;
    hook.secret.value = created.secret;
    hook.got.length = 0;
    hook.script.push(...Array(8).fill(500));
    await placeOrder(2);
    await positioned();
    for (let i = 0; i < 9; i++) {
      await dispatch();
      t.clock.advance(6 * 3600_000 + 1000);
    }
    expect(hook.got.map((g) => [g.answered, g.signedOk])).toEqual(Array(8).fill([500, true]));
    const dead = (await t.as('mfr-alpha').ok<any>(DELIVERIES, { id: created.subscription.id, state: 'DEAD' })).webhookDeliveries;
    expect(dead.nodes).toEqual([expect.objectContaining({ state: 'DEAD', attempts: 8, lastStatus: 500 })]);

    const replayed = await t.as('mfr-alpha').ok<any>(`mutation($id: ID!) { replayWebhookDeliveries(subscriptionId: $id) }`, { id: created.subscription.id });
    expect(replayed.replayWebhookDeliveries).toBe(1);
    await dispatch();
    expect(hook.got.map((g) => g.answered)).toEqual([...Array(8).fill(500), 200]);
    const after = (await t.as('mfr-alpha').ok<any>(DELIVERIES, { id: created.subscription.id })).webhookDeliveries;
    expect(after.nodes).toEqual([expect.objectContaining({ state: 'DELIVERED' })]);
  });

  it('a subscriber moves past the events it may not see or did not ask for, so later passes do not scan them again', async () => {
    // another hospital subscribes: the orders of hosp-zz-1 are not for it
    const other = (await t.as('hosp-ly-1').ok<any>(SUBSCRIBE, { input: { url: hook.url(), eventTypes: ['order.placed'] } })).createWebhookSubscription;
    const before = Number((await t.sql<{ cursor_position: string }>(`SELECT cursor_position FROM webhook_subscription WHERE id = $1`, [other.subscription.id]))[0].cursor_position);
    hook.got.length = 0;
    await placeOrder(3);
    await placeOrder(4);
    await positioned();
    await dispatch();
    const [{ head }] = await t.sql<{ head: string }>(`SELECT max(position)::text AS head FROM business_event`);
    const [{ cursor_position }] = await t.sql<{ cursor_position: string }>(`SELECT cursor_position FROM webhook_subscription WHERE id = $1`, [other.subscription.id]);
    expect(Number(head)).toBeGreaterThan(before);
    expect(Number(cursor_position)).toBe(Number(head));
    expect((await t.sql(`SELECT count(*)::int AS n FROM webhook_delivery WHERE subscription_id = $1`, [other.subscription.id]))[0].n).toBe(0);
    await t.as('hosp-ly-1').ok(`mutation($id: ID!) { deactivateWebhookSubscription(id: $id) { active } }`, { id: other.subscription.id });
  });

  it('refuses unknown event types and webhooks into the platform\'s own network by default', async () => {
    const unknown = await t.as('hosp-zz-1').refused(SUBSCRIBE, { input: { url: hook.url(), eventTypes: ['order.teleported'] } });
    expect(unknown).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.eventTypes' });
    expect((await t.sql(`SELECT count(*)::int AS n FROM webhook_subscription WHERE event_types @> ARRAY['order.teleported']`))[0].n).toBe(0);

    const config = t.config as { webhookAllowPrivateTargets: boolean };
    config.webhookAllowPrivateTargets = false; // the production default
    try {
      for (const url of ['http://169.254.169.254/latest/meta-data', hook.url(), 'http://localhost:5432/', 'file:///etc/passwd']) {
        const refused = await t.as('hosp-zz-1').refused(SUBSCRIBE, { input: { url } });
        expect({ url, code: refused.code, field: refused.field }).toEqual({ url, code: 'VALIDATION_FAILED', field: 'input.url' });
      }
    } finally {
      config.webhookAllowPrivateTargets = true;
    }
  });
});
