import { randomBytes } from 'crypto';
import type { TestApp } from '@test/harness';
import { spawnApp, waitReady } from '../../scripts/cluster/cluster-lib';
import { addAllotments, addReceiptLines, HEALTHY, ledgerInvariants, orgOf } from '../support/settlement-fixtures';
import { CREATE_ROUND, OPEN_ROUND, PUBLISH_ROUND, REPORT_DEMAND, SUBMIT_BID, fileCommitmentLetters, productId, threeLotRoundInput } from '../tendering-fixtures';
import { ClusterApp } from './cluster-app';

/**
 * Correctness across replicas, against the running cluster (`npm run cluster:up`): three app processes on
 * one primary through PgBouncer in transaction mode, a streaming standby for routed reads. Each describe
 * works on records of its own (a new round, new lines, new keys), so the suite may run on a cluster that has
 * run it before.
 */
jest.setTimeout(240_000);

const run = randomBytes(4).toString('hex');
let c: ClusterApp;

beforeAll(() => {
  c = new ClusterApp();
});
afterAll(() => c.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('reads on the standby, read-your-writes, and the standby stopping', () => {
  const READ = `query { publicPricesInForce(first: 5) { totalCount } }`;

  it('a public read is served from the standby; one carrying a write position the standby has not replayed goes to the primary', async () => {
    if (!c.state.standby) return expect(c.state.appEnv.DATABASE_READ_URL).toBeUndefined(); // no standby (an external primary): reads stay on it
    const replica = c.replicas[0];
    const before = { replica: await c.metric(replica, 'vbp_routed_reads_total', { target: 'replica' }), primary: await c.metric(replica, 'vbp_routed_reads_total', { target: 'primary' }) };
    const plain = await c.post(replica, READ, {});
    expect(plain.errors).toBeUndefined();
    // a position far ahead of anything the standby has replayed: the caller's own write is not there yet
    const ahead = await c.post(replica, READ, {}, { 'x-vbp-min-lsn': 'FFFFFFF/0' });
    expect(ahead.data).toEqual(plain.data);
    expect(await c.metric(replica, 'vbp_routed_reads_total', { target: 'replica' })).toBe(before.replica + 1);
    expect(await c.metric(replica, 'vbp_routed_reads_total', { target: 'primary' })).toBe(before.primary + 1);
  });

  it('a write answers its position (x-vbp-lsn, which the entry point carries to the caller\'s next requests); reads rotate over the three replicas', async () => {
    const regulator = c.as('reg-henan');
    // a write (the login itself records a refresh token) answers x-vbp-lsn
    const wrote = await c.post(c.entry, `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }`, { u: 'reg-henan', p: 'Demo#2026' });
    if (c.state.standby) expect(wrote.headers.get('x-vbp-lsn')).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    else expect(wrote.headers.get('x-vbp-lsn')).toBeNull(); // no standby: nothing to wait for
    // three reads in a row through the entry point land on three different replicas, each answering
    const backends = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const res = await regulator.gql(READ);
      expect(res.errors).toBeUndefined();
      backends.add(res.headers.get('x-vbp-backend')!);
    }
    expect(backends.size).toBe(3);
  });

  it('the standby stops: routed reads fall back to the primary and keep answering; it comes back and serves again', async () => {
    if (!c.state.standby) return expect(c.state.standby).toBeNull();
    const { toolchain, runTool } = await import('../../scripts/cluster/postgres-tools');
    const tools = toolchain();
    runTool(tools, 'pg_ctl', ['-D', c.state.standby.dir, '-m', 'immediate', '-w', 'stop']);
    try {
      for (let i = 0; i < 6; i++) {
        const res = await c.post(c.entry, READ, {});
        expect(res.errors).toBeUndefined();
        expect(res.data.publicPricesInForce.totalCount).toEqual(expect.any(Number));
      }
    } finally {
      runTool(tools, 'pg_ctl', ['-D', c.state.standby.dir, '-l', `${c.state.dir}/pg-logs/standby.log`, '-w', '-o', `-p ${c.state.standby.port} -c listen_addresses=127.0.0.1`, 'start']);
    }
    const replica = c.replicas[1];
    const until = Date.now() + 20_000;
    let served = false;
    while (!served && Date.now() < until) {
      const before = await c.metric(replica, 'vbp_routed_reads_total', { target: 'replica' });
      await c.post(replica, READ, {});
      served = (await c.metric(replica, 'vbp_routed_reads_total', { target: 'replica' })) > before;
      if (!served) await sleep(500);
    }
    expect(served).toBe(true);
  });
});

describe('bids racing the deadline through three replicas, and one opening', () => {
  const PRODUCT_OF: Record<string, string> = {
    'mfr-alpha:0': 'atorva-10-alpha', 'mfr-epsilon:0': 'atorva-20-epsilon', 'mfr-beta:1': 'amlo-5-beta',
    'mfr-zeta:1': 'amlo-5-zeta', 'mfr-eta:2': 'rosu-10-eta', 'mfr-lambda:2': 'rosu-10-lambda',
  };
  const REPLACE = `mutation($bidId: ID!, $input: BidTermsInput!) { replaceBid(bidId: $bidId, input: $input) { bidId commitment receivedAt } }`;
  let roundId: string;
  let deadline: Date;
  const bidOf: Record<string, string> = {};
  const products: Record<string, string> = {};
  let lots: { id: string }[];

  /** Moves the platform clock so that it reads `to` (whole seconds, forward only); returns the wall time it did. */
  const advanceTo = async (to: Date, via = c.entry): Promise<{ platform: Date; wall: number }> => {
    const now = await c.platformTime();
    const seconds = Math.max(1, Math.floor((to.getTime() - now.getTime()) / 1000));
    const answer = await c.admin.via(via).ok<{ advancePlatformClock: string }>(`mutation($s: Int!) { advancePlatformClock(seconds: $s) }`, { s: seconds });
    return { platform: new Date(answer.advancePlatformClock), wall: Date.now() };
  };

  beforeAll(async () => {
    const t = c as unknown as TestApp;
    await fileCommitmentLetters(t).catch(() => undefined); // filed by an earlier run already
    for (const [key, product] of Object.entries(PRODUCT_OF)) products[key] = await productId(t, product);
    const now = await c.platformTime();
    const at = (hours: number) => new Date(Math.ceil(now.getTime() / 1000) * 1000 + hours * 3_600_000);
    deadline = at(24);
    const input = { ...(await threeLotRoundInput(t, { presetCode: 'BATCH_10' })), name: `集群测试轮次 ${run}`, demandDeadline: at(2).toISOString(), bidDeadline: deadline.toISOString(), cycleStart: at(24 * 60).toISOString() };
    const created = (await c.as('reg-henan').ok(CREATE_ROUND, { input })).createRound;
    roundId = created.id;
    lots = created.lots;
    await c.as('reg-henan').ok(PUBLISH_ROUND, { id: roundId });
    for (const hospital of ['hosp-zz-1', 'hosp-ly-1', 'hosp-ny-1']) {
      for (const lot of lots) await c.as(hospital).ok(REPORT_DEMAND, { input: { lotId: lot.id, quantity: 50_000 } });
    }
    await advanceTo(new Date(at(2).getTime() + 1000)); // demand closes, bidding opens (the jump runs the tick)
    const [round] = await c.sql(`SELECT state FROM tender_round WHERE id = $1`, [roundId]);
    expect(round.state).toBe('BIDDING');
    for (const [key, i] of Object.keys(PRODUCT_OF).map((k, n) => [k, n] as const)) {
      const [mfr, lot] = key.split(':');
      const receipt = await c.as(mfr, undefined, c.replicas[i % 3]).ok(SUBMIT_BID, { input: { lotId: lots[Number(lot)].id, productId: products[key], unitPrice: '0.5000', supplyCapacity: 1_000_000 } });
      bidOf[key] = receipt.submitBid.bidId;
    }
  });

  it('replacements sent through all three replicas across the deadline: none accepted at or after it', async () => {
    const { platform, wall } = await advanceTo(new Date(deadline.getTime() - 8_000));
    const deadlineWall = wall + (deadline.getTime() - platform.getTime());
    await sleep(2_500); // every replica re-reads the clock offset within 2 s
    const outcomes: { ok: boolean; code?: string; receivedAt?: string; sentAt: number }[] = [];
    let n = 0;
    const worker = async (key: string, w: number) => {
      const [mfr] = key.split(':');
      while (Date.now() < deadlineWall + 2_500) {
        const replica = c.replicas[(w + n++) % 3];
        const sentAt = Date.now();
        const res = await c.as(mfr, undefined, replica).gql(REPLACE, { bidId: bidOf[key], input: { productId: products[key], unitPrice: `0.${String(4000 + (n % 900)).padStart(4, '0')}`, supplyCapacity: 1_000_000 } });
        outcomes.push({ ok: !!res.data?.replaceBid, code: res.errors?.[0]?.extensions?.code, receivedAt: res.data?.replaceBid?.receivedAt, sentAt });
      }
    };
    await Promise.all(Object.keys(PRODUCT_OF).map((key, w) => worker(key, w)));
    const accepted = outcomes.filter((o) => o.ok);
    const refused = outcomes.filter((o) => !o.ok);
    expect(accepted.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const o of accepted) expect(new Date(o.receivedAt!).getTime()).toBeLessThan(deadline.getTime());
    expect([...new Set(refused.map((o) => o.code))]).toEqual(['BID_DEADLINE_PASSED']);
    // everything sent a full second after the deadline was refused, whichever replica took it
    expect(outcomes.filter((o) => o.sentAt > deadlineWall + 1_000 && o.ok)).toEqual([]);
    const [latest] = await c.sql(`SELECT max(submitted_at) AS at FROM tender_bid WHERE round_id = $1`, [roundId]);
    expect(new Date(latest.at).getTime()).toBeLessThan(deadline.getTime());
  });

  it('the opening, asked for through every replica at once (clock jumps and openRound) and by the scheduler, runs once', async () => {
    const jumps = c.replicas.map((replica) => c.admin.via(replica).gql(`mutation { advancePlatformClock(seconds: 5) }`));
    const opens = c.replicas.map((replica) => c.as('reg-henan', undefined, replica).gql(OPEN_ROUND, { id: roundId }));
    const answers = await Promise.all([...jumps, ...opens]);
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    const results = answers.slice(3).map((a) => a.data.openRound);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    await sleep(1_500);
    expect((await c.sql(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'round.open' AND entity_id = $1`, [roundId]))[0].n).toBe(1);
    expect((await c.sql(`SELECT count(*)::int AS n FROM tender_round_result WHERE round_id = $1`, [roundId]))[0].n).toBe(1);
  });
});

describe('settlement through the replicas: idempotency keys, 20 batches, a replica killed mid-run', () => {
  const START = `mutation($input: StartSettlementBatchInput!) { startSettlementBatch(input: $input) { id state } }`;
  const month = (m: number) => `2026-${String(m).padStart(2, '0')}-01T00:00:00+08:00`;
  const inputOf = (i: number) => ({ regionCode: '410000', periodStart: month((i % 10) + 1), periodEnd: month((i % 10) + 2), idempotencyKey: `cluster-${run}-${i}` });
  let lineIds: string[];

  beforeAll(async () => {
    const hospitals = [await orgOf(c, 'hosp-zz-1'), await orgOf(c, 'hosp-zz-2'), await orgOf(c, 'hosp-ly-1')];
    const manufacturers = [(await orgOf(c, 'mfr-alpha')).id, (await orgOf(c, 'mfr-beta')).id];
    lineIds = await addReceiptLines(
      c,
      Array.from({ length: 6000 }, (_, i) => ({
        hospital: hospitals[i % 3],
        manufacturerId: manufacturers[i % 2],
        unitPrice: `0.${String(1000 + (i % 8000)).padStart(4, '0')}`,
        quantity: 1 + (i % 9),
        acceptedAt: `2026-${String((i % 10) + 1).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00+08:00`,
      })),
    );
    await addAllotments(c);
  });

  it('one idempotency key sent to three replicas at once: one batch, the same answer everywhere', async () => {
    const input = { regionCode: '410100', periodStart: month(11), periodEnd: '2026-11-15T00:00:00+08:00', idempotencyKey: `cluster-${run}-same` };
    const answers = await Promise.all(c.replicas.map((replica) => c.as('settle-henan', undefined, replica).ok(START, { input })));
    expect(new Set(answers.map((a) => a.startSettlementBatch.id)).size).toBe(1);
    expect((await c.sql(`SELECT count(*)::int AS n FROM idempotency_record WHERE key = $1`, [input.idempotencyKey]))[0].n).toBe(1);
    expect((await c.sql(`SELECT count(*)::int AS n FROM settlement_batch WHERE id = $1`, [answers[0].startSettlementBatch.id]))[0].n).toBe(1);
  });

  it('20 batches (two per month, overlapping) started through different replicas, one replica killed mid-run: every line settled once, the ledger balanced', async () => {
    const starts = Array.from({ length: 20 }, (_, i) => c.as('settle-henan', undefined, c.replicas[i % 3]).ok(START, { input: inputOf(i) }));
    const started = await Promise.all(starts);
    const batchIds = started.map((s) => s.startSettlementBatch.id as string);
    expect(new Set(batchIds).size).toBe(20);

    // kill replica 2 while the batches run (pg-boss jobs on it die with it)
    const victim = c.state.apps[1];
    process.kill(victim.pid, 'SIGKILL');
    try {
      // a client that did not hear back starts again with the same key (through the entry point, which now
      // skips the dead replica): the same batch resumes on a live one
      const until = Date.now() + 180_000;
      let states: { state: string }[] = [];
      while (Date.now() < until) {
        states = await c.sql(`SELECT state FROM settlement_batch WHERE id = ANY($1::uuid[])`, [batchIds]);
        if (states.every((s) => s.state !== 'RUNNING')) break;
        await sleep(3_000);
        for (let i = 0; i < 20; i++) {
          const again = await c.as('settle-henan').gql(START, { input: inputOf(i) });
          if (again.data) expect(again.data.startSettlementBatch.id).toBe(batchIds[i]);
        }
      }
      expect(states.map((s) => s.state)).toEqual(Array(20).fill('PREPARED'));
    } finally {
      spawnApp(c.state, 1); // the replica comes back for the rest of the suite
    }
    const [settled] = await c.sql(`SELECT count(*)::int AS n, count(DISTINCT line_id)::int AS d FROM settled_line WHERE line_id = ANY($1::uuid[])`, [lineIds]);
    expect(settled).toEqual({ n: lineIds.length, d: lineIds.length });
    // the two batches of a month never both took a line
    const [perBatch] = await c.sql(`SELECT coalesce(sum(lines_settled), 0)::int AS n FROM settlement_batch WHERE id = ANY($1::uuid[])`, [batchIds]);
    expect(perBatch.n).toBeGreaterThanOrEqual(lineIds.length);
    expect(await ledgerInvariants(c)).toEqual(HEALTHY);
    await waitReady(c.state.apps[1].url, 120_000, c.state.apps[1].pid, c.state.apps[1].log);
  });
});

describe('the audit chain after all of that', () => {
  it('is one chain: contiguous positions, every entry linked, and verifyAuditChain holds through every replica', async () => {
    await sleep(2_000); // the chainer links what the last transactions wrote
    const [chain] = await c.sql(`SELECT count(chain_pos)::int AS linked, count(DISTINCT chain_pos)::int AS distinct_pos, min(chain_pos)::int AS first, max(chain_pos)::int AS last FROM audit_log`);
    expect(chain.distinct_pos).toBe(chain.linked);
    expect(chain.last - chain.first + 1).toBe(chain.linked);
    for (const replica of c.replicas) {
      const verdict = await c.admin.via(replica).ok(`query { verifyAuditChain { ok reasonCode } }`);
      expect(verdict.verifyAuditChain).toEqual({ ok: true, reasonCode: null });
    }
  });
});
