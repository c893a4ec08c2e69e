import { startTestApp, TestApp } from '@test/harness';
import { CREATE_ROUND, OPEN_ROUND, PUBLISH_ROUND, REPLACE_BID, REPORT_DEMAND, SUBMIT_BID, TIMES, productId, threeLotRoundInput, fileCommitmentLetters } from './tendering-fixtures';

jest.setTimeout(60_000);

/**
 * Bids racing the deadline and openings racing each other. The server's clock decides: nothing received at
 * or after the deadline is accepted, and whatever was accepted before it is exactly what opening evaluates.
 */
describe('tendering races: bids across the deadline, concurrent openings', () => {
  let t: TestApp;
  let roundId: string;
  let lots: { id: string }[];
  const deadline = new Date(TIMES.bidDeadline).getTime();
  const bidOf: Record<string, string> = {};
  const products: Record<string, string> = {};
  const MANUFACTURERS = ['mfr-alpha', 'mfr-epsilon', 'mfr-eta', 'mfr-orig-a', 'mfr-beta', 'mfr-zeta', 'mfr-orig-b', 'mfr-lambda'];
  const PRODUCT_OF: Record<string, string> = {
    'mfr-alpha:0': 'atorva-10-alpha', 'mfr-epsilon:0': 'atorva-20-epsilon', 'mfr-eta:0': 'atorva-20-eta', 'mfr-orig-a:0': 'atorva-10-origa',
    'mfr-beta:1': 'amlo-5-beta', 'mfr-zeta:1': 'amlo-5-zeta', 'mfr-orig-b:1': 'amlo-5-origb',
    'mfr-eta:2': 'rosu-10-eta', 'mfr-lambda:2': 'rosu-10-lambda', 'mfr-orig-a:2': 'rosu-10-origa',
  };
  type Outcome = { key: string; price: string; ok: boolean; code?: string; commitment?: string };
  const accepted: Outcome[] = [];

  const submit = async (key: string, price: string): Promise<Outcome> => {
    const [mfr, lot] = key.split(':');
    const res = await t.as(mfr).gql(SUBMIT_BID, { input: { lotId: lots[Number(lot)].id, productId: products[key], unitPrice: price, supplyCapacity: 1_000_000 } });
    if (res.data?.submitBid) bidOf[key] = res.data.submitBid.bidId;
    return { key, price, ok: !!res.data?.submitBid, code: res.errors?.[0]?.extensions?.code, commitment: res.data?.submitBid?.commitment };
  };
  const replace = async (key: string, price: string): Promise<Outcome> => {
    const res = await t.as(key.split(':')[0]).gql(REPLACE_BID, { bidId: bidOf[key], input: { productId: products[key], unitPrice: price, supplyCapacity: 1_000_000 } });
    return { key, price, ok: !!res.data?.replaceBid, code: res.errors?.[0]?.extensions?.code, commitment: res.data?.replaceBid?.commitment };
  };
  const withdraw = async (key: string): Promise<Outcome> => {
    const res = await t.as(key.split(':')[0]).gql(`mutation($b: ID!) { withdrawBid(bidId: $b) { id state } }`, { b: bidOf[key] });
    return { key, price: '', ok: !!res.data?.withdrawBid, code: res.errors?.[0]?.extensions?.code };
  };
  const price = (i: number) => `0.${String(3000 + i).padStart(4, '0')}`;

  beforeAll(async () => {
    t = await startTestApp();
    await fileCommitmentLetters(t);
    for (const [key, product] of Object.entries(PRODUCT_OF)) products[key] = await productId(t, product);
    const created = (await t.as('reg-henan').ok(CREATE_ROUND, { input: await threeLotRoundInput(t, { presetCode: 'BATCH_10' }) })).createRound;
    roundId = created.id;
    lots = created.lots;
    await t.as('reg-henan').ok(PUBLISH_ROUND, { id: roundId });
    for (const hospital of ['hosp-zz-1', 'hosp-ly-1', 'hosp-ny-1']) {
      for (const lot of lots) await t.as(hospital).ok(REPORT_DEMAND, { input: { lotId: lot.id, quantity: 50_000 } });
    }
    t.clock.set(TIMES.demandDeadline);
    await t.jobs.runNow('tendering.tick');
    for (const mfr of MANUFACTURERS) await t.as(mfr).accessToken();
    for (const key of ['mfr-alpha:0', 'mfr-epsilon:0', 'mfr-beta:1', 'mfr-zeta:1', 'mfr-eta:2', 'mfr-lambda:2']) {
      const outcome = await submit(key, '0.5000');
      expect(outcome.ok).toBe(true);
      accepted.push(outcome);
    }
  });
  afterAll(() => t.close());

  it('two simultaneous first bids of one manufacturer on one lot: exactly one is accepted', async () => {
    const both = await Promise.all([submit('mfr-eta:0', '0.6000'), submit('mfr-eta:0', '0.6100')]);
    expect(both.filter((o) => o.ok)).toHaveLength(1);
    expect(both.find((o) => !o.ok)?.code).toBe('BID_EXISTS');
    accepted.push(both.find((o) => o.ok)!);
  });

  it('at deadline −1 ms: 17 concurrent submissions and replacements are all accepted', async () => {
    t.clock.set(new Date(deadline - 1));
    const ops: Promise<Outcome>[] = [];
    ['mfr-alpha:0', 'mfr-epsilon:0', 'mfr-beta:1', 'mfr-zeta:1', 'mfr-eta:2', 'mfr-lambda:2'].forEach((key, i) => {
      ops.push(replace(key, price(10 + i)), replace(key, price(20 + i)));
    });
    ops.push(replace('mfr-eta:0', price(30)));
    ops.push(submit('mfr-orig-a:0', price(40)), submit('mfr-orig-b:1', price(41)), submit('mfr-orig-a:2', price(42)), replace('mfr-eta:0', price(31)));
    const outcomes = await Promise.all(ops);
    expect(outcomes).toHaveLength(17);
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    accepted.push(...outcomes);
  });

  it('at the deadline: 15 bid operations and two openings at once — every bid refused, one stored result', async () => {
    t.clock.set(new Date(deadline));
    const keys = Object.keys(PRODUCT_OF);
    const bidOps = [...keys.map((key, i) => replace(key, price(50 + i))), ...keys.slice(0, 5).map((key) => withdraw(key))];
    const openings = [t.as('reg-henan').gql(OPEN_ROUND, { id: roundId }), t.as('reg-henan').gql(OPEN_ROUND, { id: roundId }), t.jobs.runNow('tendering.open-due')];
    const [outcomes, opened] = await Promise.all([Promise.all(bidOps), Promise.all(openings)]);
    expect(outcomes).toHaveLength(15);
    expect(outcomes.map((o) => o.code)).toEqual(Array(15).fill('BID_DEADLINE_PASSED'));
    const [a, b] = opened as { data: any; errors?: unknown }[];
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    expect(a.data.openRound).toEqual(b.data.openRound);
    expect(Number((await t.sql(`SELECT count(*) AS n FROM tender_round_result WHERE round_id = $1`, [roundId]))[0].n)).toBe(1);
    expect((await t.sql(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'round.open' AND entity_id = $1`, [roundId]))[0].n).toBe(1);
  });

  it('at deadline +1 ms: 16 more are refused', async () => {
    t.clock.set(new Date(deadline + 1));
    const keys = Object.keys(PRODUCT_OF);
    const outcomes = await Promise.all([...keys.map((key, i) => replace(key, price(70 + i))), ...keys.slice(0, 6).map((key) => withdraw(key))]);
    expect(outcomes).toHaveLength(16);
    expect(outcomes.map((o) => o.code)).toEqual(Array(16).fill('BID_DEADLINE_PASSED'));
  });

  it('the result evaluates exactly the last accepted terms of each bid, received before the deadline', async () => {
    const rows = await t.sql(`SELECT br.bid_id, br.unit_price, br.commitment, b.submitted_at FROM tender_bid_result br JOIN tender_bid b ON b.id = br.bid_id WHERE br.round_id = $1`, [roundId]);
    expect(rows).toHaveLength(10);
    for (const row of rows) {
      expect(new Date(row.submitted_at).getTime()).toBeLessThan(deadline);
      const key = Object.keys(bidOf).find((k) => bidOf[k] === row.bid_id)!;
      // the stored commitment is one of the accepted receipts for that bid, and its price is the one evaluated
      const receipt = accepted.find((o) => o.key === key && o.commitment === row.commitment);
      expect(receipt).toBeTruthy();
      expect(row.unit_price).toBe(receipt!.price);
    }
    const states = await t.sql(`SELECT state, count(*)::int AS n FROM tender_bid WHERE round_id = $1 GROUP BY state`, [roundId]);
    expect(states).toEqual([{ state: 'ACTIVE', n: 10 }]);
  });
});
