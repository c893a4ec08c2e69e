import { createHash } from 'crypto';
import { startTestApp, TestApp } from '@test/harness';
import { combine, decodeShare, openWith, publicKeyOf, Share } from '@libs/sealing';
import { unsealPrice } from '../src/tendering/bid-sealing';
import { logger } from '../src/platform/logging/logger';
import { CREATE_ROUND, OPEN_ROUND, PUBLISH_ROUND, REPORT_DEMAND, SUBMIT_BID, TIMES, fileCommitmentLetters, productId, threeLotRoundInput } from './tendering-fixtures';

/**
 * Sealed bids that the operator cannot open early: a round in COMMITTEE mode next to an identical round in
 * DEMO_SINGLE_KEY mode, with the same demand and bids. The committee round's key is split 3 of 5 among named
 * regulator users; with the database, the configuration and 2 shares no price comes out; the 3rd share opens
 * it, with the same outcome as the demo round.
 */
jest.setTimeout(120_000);

const DESIGNATE = `mutation($r: ID!, $i: OpeningCommitteeInput!) { designateOpeningCommittee(roundId: $r, input: $i) { roundId threshold memberCount submittedCount publicKey members { username shareIndex deliveredAt submittedAt } } }`;
const MY_SHARE = `mutation($r: ID!) { myOpeningKeyShare(roundId: $r) { roundId shareIndex share threshold memberCount publicKey } }`;
const SUBMIT_SHARE = `mutation($r: ID!, $s: String!) { submitOpeningKeyShare(roundId: $r, share: $s) { roundId submittedCount threshold opened roundState } }`;
const COMMITTEE = `query($r: ID!) { openingCommittee(roundId: $r) { threshold memberCount submittedCount publicKey keyCreatedAt members { username shareIndex deliveredAt submittedAt } } }`;
const AWAITING = `query($id: ID!) { round(id: $id) { state awaiting } }`;
const RESULT = `query($r: ID!) { roundResult(roundId: $r) { roundId lots { status winnerCount cycleYears agreedQuantity bids { bidId manufacturerId status reason rank unitPrice awardedUnitPrice commitment salt } allocations { hospitalId regionCode bidId agreedQuantity } } } }`;

const MEMBERS = ['kbw-1', 'kbw-2', 'kbw-3', 'kbw-4', 'kbw-5'];
const MEMBER_PASSWORD = 'Kaibiao#2026';
const HOSPITALS = ['hosp-zz-1', 'hosp-zz-2', 'hosp-ly-1', 'hosp-ly-2', 'hosp-ny-1'];
// [manufacturer, lot, product, price, region preferences, accepts revival]; 7.7777 is the sentinel
const BIDS: [string, number, string, string, string[], boolean][] = [
  ['mfr-alpha', 0, 'atorva-10-alpha', '0.3000', ['410100', '410300'], false],
  ['mfr-epsilon', 0, 'atorva-20-epsilon', '0.5100', ['410300'], false],
  ['mfr-eta', 0, 'atorva-20-eta', '0.6800', ['411300'], false],
  ['mfr-orig-a', 0, 'atorva-10-origa', '1.5000', [], false],
  ['mfr-beta', 1, 'amlo-5-beta', '0.1500', ['410100'], false],
  ['mfr-zeta', 1, 'amlo-10-zeta', '0.2720', ['410300'], false],
  ['mfr-orig-b', 1, 'amlo-5-origb', '0.9000', [], true],
  ['mfr-eta', 2, 'rosu-10-eta', '0.4000', ['411300', '410100'], false],
  ['mfr-lambda', 2, 'rosu-20-lambda', '0.7480', ['410100'], false],
  ['mfr-orig-a', 2, 'rosu-10-origa', '7.7777', [], false],
];

describe('tendering: sealed bids opened only by k of n committee members', () => {
  let t: TestApp;
  let committeeRound: string;
  let demoRound: string;
  const lotsOf: Record<string, { id: string }[]> = {};
  const memberIds: string[] = [];
  const shares: Record<string, string> = {};
  const receipts: Record<string, { bidId: string; commitment: string; salt: string; committedDocument: string }> = {};
  const count = async (sql: string, params: unknown[] = []) => Number((await t.sql(sql, params))[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    await fileCommitmentLetters(t);
    // five regulator users of the provincial bureau form the committee, each with their own login
    const [henan] = await t.sql(`SELECT id FROM organisation WHERE external_key = 'reg-henan'`);
    for (const username of MEMBERS) {
      const created = await t.admin.ok(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
        input: { username, displayName: `开标委员 ${username}`, password: MEMBER_PASSWORD, role: 'REGULATOR', organisationId: henan.id },
      });
      memberIds.push(created.createUser.id);
    }
  });
  afterAll(async () => {
    await t.close();
  });
  const member = (i: number) => t.as(MEMBERS[i], MEMBER_PASSWORD);

  it('creates a COMMITTEE round and its DEMO_SINGLE_KEY twin; only a COMMITTEE round takes a committee', async () => {
    const input = await threeLotRoundInput(t);
    const a = (await t.as('reg-henan').ok(CREATE_ROUND, { input: { ...input, name: '开标委员会模式', sealingMode: 'COMMITTEE' } })).createRound;
    const b = (await t.as('reg-henan').ok(CREATE_ROUND, { input: { ...input, name: '演示密钥模式' } })).createRound;
    committeeRound = a.id;
    demoRound = b.id;
    lotsOf[a.id] = a.lots;
    lotsOf[b.id] = b.lots;
    const modes = await t.as('reg-henan').ok(`{ rounds { nodes { id sealingMode openingThreshold sealingPublicKey } } }`);
    expect(modes.rounds.nodes.find((r: any) => r.id === a.id)).toMatchObject({ sealingMode: 'COMMITTEE', openingThreshold: null, sealingPublicKey: null });
    expect(modes.rounds.nodes.find((r: any) => r.id === b.id)).toMatchObject({ sealingMode: 'DEMO_SINGLE_KEY' });
    expect((await t.as('reg-henan').refused(CREATE_ROUND, { input: { ...input, sealingMode: 'PLAIN' } })).field).toBe('input.sealingMode');
    expect((await t.as('reg-henan').refused(DESIGNATE, { r: demoRound, i: { threshold: 3, memberUserIds: memberIds } })).code).toBe('INVALID_STATE');
  });

  it('production refuses the demo mode and defaults to COMMITTEE', async () => {
    const input = await threeLotRoundInput(t);
    const before = await count(`SELECT count(*)::int AS n FROM tender_round`);
    const env = t.config.nodeEnv;
    (t.config as { nodeEnv: string }).nodeEnv = 'production';
    try {
      expect(await t.as('reg-henan').refused(CREATE_ROUND, { input: { ...input, sealingMode: 'DEMO_SINGLE_KEY' } })).toMatchObject({ code: 'SEALING_MODE_NOT_ALLOWED', field: 'input.sealingMode' });
      expect(await count(`SELECT count(*)::int AS n FROM tender_round`)).toBe(before);
      const created = (await t.as('reg-henan').ok(CREATE_ROUND, { input: { ...input, name: '生产默认' } })).createRound;
      const [row] = await t.sql(`SELECT sealing_mode FROM tender_round WHERE id = $1`, [created.id]);
      expect(row.sealing_mode).toBe('COMMITTEE');
      await t.as('reg-henan').ok(`mutation($id: ID!) { cancelRound(id: $id, reason: "测试生产默认模式") { state } }`, { id: created.id });
    } finally {
      (t.config as { nodeEnv: string }).nodeEnv = env;
    }
  });

  it('the regulator designates 5 named members, 3 needed; bad designations are refused with the field at fault', async () => {
    const [hospitalUser] = await t.sql(`SELECT id FROM app_user WHERE username = 'hosp-zz-1'`);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ threshold: 3, memberUserIds: [memberIds[0], memberIds[1], memberIds[0]] }, 'VALIDATION_FAILED', 'input.memberUserIds[2]'],
      [{ threshold: 4, memberUserIds: memberIds.slice(0, 3) }, 'VALIDATION_FAILED', 'input.threshold'],
      [{ threshold: 1, memberUserIds: memberIds }, 'VALIDATION_FAILED', 'input.threshold'],
      [{ threshold: 2, memberUserIds: [memberIds[0], hospitalUser.id] }, 'VALIDATION_FAILED', 'input.memberUserIds[1]'],
    ];
    for (const [i, code, field] of cases) expect(await t.as('reg-henan').refused(DESIGNATE, { r: committeeRound, i })).toMatchObject({ code, field });
    expect((await t.as('hosp-zz-1').refused(DESIGNATE, { r: committeeRound, i: { threshold: 3, memberUserIds: memberIds } })).code).toBe('FORBIDDEN');
    expect((await t.as('reg-zz').refused(DESIGNATE, { r: committeeRound, i: { threshold: 3, memberUserIds: memberIds } })).code).toMatch(/FORBIDDEN|NOT_FOUND/);

    const committee = (await t.as('reg-henan').ok(DESIGNATE, { r: committeeRound, i: { threshold: 3, memberUserIds: memberIds } })).designateOpeningCommittee;
    expect(committee).toMatchObject({ threshold: 3, memberCount: 5, submittedCount: 0, publicKey: null });
    expect(committee.members.map((m: any) => [m.username, m.shareIndex])).toEqual(MEMBERS.map((u, i) => [u, i + 1]));
    const [audit] = await t.sql(`SELECT data FROM audit_log WHERE action = 'round.opening-committee-designated' AND entity_id = $1`, [committeeRound]);
    expect(audit.data.threshold).toBe(3);
    // before bidding opens there is no key, and so no share
    expect((await member(0).refused(MY_SHARE, { r: committeeRound })).code).toBe('OPENING_KEY_NOT_READY');
  });

  it('hospitals report the same demand in both rounds; bidding opens and the committee round gets its key', async () => {
    for (const id of [committeeRound, demoRound]) await t.as('reg-henan').ok(PUBLISH_ROUND, { id });
    // a third COMMITTEE round, published with nobody named to hold its key
    const unnamed = (await t.as('reg-henan').ok(CREATE_ROUND, { input: { ...(await threeLotRoundInput(t)), name: '未指定委员会', sealingMode: 'COMMITTEE' } })).createRound.id;
    await t.as('reg-henan').ok(PUBLISH_ROUND, { id: unnamed });
    for (const [h, hospital] of HOSPITALS.entries()) {
      for (const id of [committeeRound, demoRound]) {
        for (const [l, lot] of lotsOf[id].entries()) await t.as(hospital).ok(REPORT_DEMAND, { input: { lotId: lot.id, quantity: 20000 + 1000 * h + 500 * l } });
      }
    }
    t.clock.set(TIMES.demandDeadline);
    const errors = jest.spyOn(logger, 'error');
    const warnings = jest.spyOn(logger, 'warn');
    await t.jobs.runNow('tendering.tick');
    const rows = await t.sql(`SELECT id, state, sealing_public_key, opening_threshold FROM tender_round WHERE id = ANY($1)`, [[committeeRound, demoRound]]);
    const a = rows.find((r: any) => r.id === committeeRound);
    expect(a).toMatchObject({ state: 'BIDDING', opening_threshold: 3 });
    expect(a.sealing_public_key).toHaveLength(32);
    expect(rows.find((r: any) => r.id === demoRound)).toMatchObject({ state: 'BIDDING', sealing_public_key: null });
    // the round without a committee waits in demand reporting, tick after tick, until one is named: one
    // warning for it, not an error at every tick
    try {
      await t.jobs.runNow('tendering.tick');
      expect((await t.sql(`SELECT state FROM tender_round WHERE id = $1`, [unnamed]))[0].state).toBe('DEMAND_REPORTING');
      expect(errors).not.toHaveBeenCalled();
      expect(warnings.mock.calls.filter(([data]) => (data as { roundId?: string })?.roundId === unnamed)).toHaveLength(1);
      // and says what it waits for; the rounds that moved on wait for nobody
      expect((await t.as('reg-henan').ok(AWAITING, { id: unnamed })).round).toEqual({ state: 'DEMAND_REPORTING', awaiting: 'OPENING_COMMITTEE_MISSING' });
      expect((await t.as('reg-henan').ok(AWAITING, { id: committeeRound })).round).toEqual({ state: 'BIDDING', awaiting: null });
    } finally {
      errors.mockRestore();
      warnings.mockRestore();
    }
    await t.as('reg-henan').ok(DESIGNATE, { r: unnamed, i: { threshold: 2, memberUserIds: memberIds.slice(0, 3) } });
    await t.jobs.runNow('tendering.tick');
    expect((await t.sql(`SELECT state, opening_threshold FROM tender_round WHERE id = $1`, [unnamed]))[0]).toMatchObject({ state: 'BIDDING', opening_threshold: 2 });
    await t.as('reg-henan').ok(`mutation($id: ID!) { cancelRound(id: $id, reason: "测试未指定委员会的轮次") { state } }`, { id: unnamed });
    // the designation is frozen once bidding is open
    expect((await t.as('reg-henan').refused(DESIGNATE, { r: committeeRound, i: { threshold: 2, memberUserIds: memberIds } })).code).toBe('INVALID_STATE');
    const [keyAudit] = await t.sql(`SELECT data FROM audit_log WHERE action = 'round.sealing-key-created' AND entity_id = $1`, [committeeRound]);
    expect(keyAudit.data).toMatchObject({ threshold: 3 });
    expect(keyAudit.data.members).toHaveLength(5);
  });

  it('each member fetches their share exactly once; afterwards the server holds no share at all', async () => {
    expect((await t.as('reg-zz').refused(MY_SHARE, { r: committeeRound })).code).toBe('OPENING_COMMITTEE_NOT_MEMBER');
    expect((await t.as('mfr-alpha').refused(MY_SHARE, { r: committeeRound })).code).toBe('FORBIDDEN');
    const [round] = await t.sql(`SELECT sealing_public_key FROM tender_round WHERE id = $1`, [committeeRound]);
    for (const [i, username] of MEMBERS.entries()) {
      const got = (await member(i).ok(MY_SHARE, { r: committeeRound })).myOpeningKeyShare;
      expect(got).toMatchObject({ shareIndex: i + 1, threshold: 3, memberCount: 5, publicKey: round.sealing_public_key.toString('hex') });
      expect(got.share).toMatch(/^VBPS1-\d+-[0-9a-f]{64}$/);
      shares[username] = got.share;
      expect((await member(i).refused(MY_SHARE, { r: committeeRound })).code).toBe('OPENING_SHARE_ALREADY_DELIVERED');
    }
    expect(await count(`SELECT count(*)::int AS n FROM opening_committee_member WHERE undelivered_share IS NOT NULL OR submitted_share IS NOT NULL`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'opening-share.delivered' AND entity_id = $1`, [committeeRound])).toBe(5);
    // the audit log never carries a share
    const log = JSON.stringify(await t.sql(`SELECT data FROM audit_log`));
    for (const share of Object.values(shares)) expect(log).not.toContain(share.split('-')[2]);
    const view = (await t.as('reg-henan').ok(COMMITTEE, { r: committeeRound })).openingCommittee;
    expect(view.members.every((m: any) => m.deliveredAt && !m.submittedAt)).toBe(true);
    expect((await t.as('reg-zz').refused(COMMITTEE, { r: committeeRound })).code).toBe('FORBIDDEN');
    expect((await member(4).ok(COMMITTEE, { r: committeeRound })).openingCommittee.memberCount).toBe(5);
  });

  it('manufacturers bid in both rounds; the committee round’s receipts verify, and the server cannot read those prices back', async () => {
    // one second apart, the same order in both rounds: ties break on receipt time the same way in each
    for (const [i, [mfr, lot, product, unitPrice, regionPreferences, acceptsRevival]] of BIDS.entries()) {
      t.clock.set(new Date(new Date(TIMES.demandDeadline).getTime() + (i + 1) * 1000));
      for (const id of [committeeRound, demoRound]) {
        const receipt = (await t.as(mfr).ok(SUBMIT_BID, { input: { lotId: lotsOf[id][lot].id, productId: await productId(t, product), unitPrice, supplyCapacity: 5_000_000, regionPreferences, acceptsRevival } })).submitBid;
        expect(receipt.commitment).toBe(createHash('sha256').update(receipt.committedDocument).update(receipt.salt).digest('hex'));
        expect(JSON.parse(receipt.committedDocument).unitPrice).toBe(unitPrice);
        receipts[`${id}:${mfr}:${lot}`] = receipt;
      }
    }
    const sealed = await t.sql(`SELECT seal_ephemeral_key FROM tender_bid WHERE round_id = $1`, [committeeRound]);
    expect(sealed.every((b: any) => b.seal_ephemeral_key?.length === 32)).toBe(true);
    // the demo round's bidder sees its price (the server holds the demo key); the committee round's cannot be read back
    const own = async (id: string) => (await t.as('mfr-orig-a').ok(`query($r: ID!) { myBids(roundId: $r) { unitPrice } }`, { r: id })).myBids.map((b: any) => b.unitPrice);
    expect((await own(demoRound)).sort()).toEqual(['1.5000', '7.7777']);
    expect(await own(committeeRound)).toEqual([null, null]);
  });

  it('before the deadline no share is taken; after it, 2 shares do not open the round, a wrong or repeated share is refused', async () => {
    expect((await member(0).refused(SUBMIT_SHARE, { r: committeeRound, s: shares['kbw-1'] })).code).toBe('DEADLINE_NOT_REACHED');
    t.clock.set(TIMES.bidDeadline);

    // the scheduler opens the demo twin at its deadline, as before, but not the committee round; nor can its regulator
    await t.jobs.runNow('tendering.open-due');
    await t.jobs.runNow('tendering.tick');
    expect((await t.sql(`SELECT state FROM tender_round WHERE id = $1`, [demoRound]))[0].state).toBe('OPENED');
    expect((await t.sql(`SELECT state FROM tender_round WHERE id = $1`, [committeeRound]))[0].state).toBe('BIDDING');
    expect(await t.as('reg-henan').refused(OPEN_ROUND, { id: committeeRound })).toMatchObject({ code: 'OPENING_SHARES_MISSING' });

    // a member bringing someone else's share, a malformed one, a tampered one; a non-member
    expect(await member(0).refused(SUBMIT_SHARE, { r: committeeRound, s: shares['kbw-2'] })).toMatchObject({ code: 'OPENING_SHARE_INVALID', field: 'share' });
    expect(await member(0).refused(SUBMIT_SHARE, { r: committeeRound, s: 'not a share' })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'share' });
    const tampered = shares['kbw-1'].replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    expect((await member(0).refused(SUBMIT_SHARE, { r: committeeRound, s: tampered })).code).toBe('OPENING_SHARE_INVALID');
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'opening-share.refused' AND entity_id = $1`, [committeeRound])).toBe(2);
    expect((await t.as('reg-ly').refused(SUBMIT_SHARE, { r: committeeRound, s: shares['kbw-1'] })).code).toBe('OPENING_COMMITTEE_NOT_MEMBER');

    const first = (await member(0).ok(SUBMIT_SHARE, { r: committeeRound, s: shares['kbw-1'] })).submitOpeningKeyShare;
    expect(first).toMatchObject({ submittedCount: 1, threshold: 3, opened: false, roundState: 'BIDDING' });
    expect((await member(0).refused(SUBMIT_SHARE, { r: committeeRound, s: shares['kbw-1'] })).code).toBe('OPENING_SHARE_DUPLICATE');
    const second = (await member(3).ok(SUBMIT_SHARE, { r: committeeRound, s: shares['kbw-4'] })).submitOpeningKeyShare;
    expect(second).toMatchObject({ submittedCount: 2, opened: false, roundState: 'BIDDING' });
    expect(await t.as('reg-henan').refused(OPEN_ROUND, { id: committeeRound })).toMatchObject({ code: 'OPENING_SHARES_MISSING' });
    expect((await t.as('reg-henan').ok(AWAITING, { id: committeeRound })).round.awaiting).toBe('OPENING_SHARES_MISSING');
    expect((await t.as('reg-henan').refused(RESULT, { r: committeeRound })).code).toBe('NO_RESULT');
    expect(await count(`SELECT count(*)::int AS n FROM tender_bid_result WHERE round_id = $1`, [committeeRound])).toBe(0);
  });

  it('with the whole database, the configuration and k−1 shares, no price can be recovered', async () => {
    // 1. no table holds the sentinel price as text, in any schema, outside the opened demo twin's rows
    const tables = await t.sql(`SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`);
    expect(tables.length).toBeGreaterThan(15);
    for (const { table_schema, table_name } of tables) {
      const [hit] = await t.sql(`SELECT count(*)::int AS n FROM "${table_schema}"."${table_name}" x WHERE x::text LIKE '%7.7777%' AND x::text NOT LIKE '%' || $1 || '%'`, [demoRound]);
      expect({ table: `${table_schema}.${table_name}`, hits: hit.n }).toEqual({ table: `${table_schema}.${table_name}`, hits: 0 });
    }
    // 2. everything key-like the database holds: the round's public key, the submitted shares (k−1 = 2), digests
    const [round] = await t.sql(`SELECT sealing_public_key FROM tender_round WHERE id = $1`, [committeeRound]);
    const rows = await t.sql(`SELECT share_index, submitted_share, undelivered_share, share_digest FROM opening_committee_member WHERE round_id = $1 ORDER BY share_index`, [committeeRound]);
    expect(rows.filter((r: any) => r.undelivered_share)).toHaveLength(0);
    const fromDb: Share[] = rows.filter((r: any) => r.submitted_share).map((r: any) => ({ x: r.share_index, y: new Uint8Array(r.submitted_share) }));
    expect(fromDb).toHaveLength(2);
    // 3. every key an attacker can make of them: the combination of the k−1 shares, each share alone, the
    // configured demo key — none is the round's private key, none opens a bid
    const candidates: Uint8Array[] = [combine(fromDb), ...fromDb.map((s) => s.y)];
    const configured = t.config.bidSealingKey!;
    expect(configured).toHaveLength(32);
    candidates.push(new Uint8Array(configured));
    const bids = await t.sql(`SELECT id, sealed_price, seal_iv, seal_tag, seal_ephemeral_key FROM tender_bid WHERE round_id = $1`, [committeeRound]);
    expect(bids).toHaveLength(BIDS.length);
    for (const key of candidates) {
      expect(publicKeyOf(key).equals(round.sealing_public_key)).toBe(false);
      for (const bid of bids) {
        expect(() => openWith(key, bid.id, { ephemeralPublicKey: bid.seal_ephemeral_key, iv: bid.seal_iv, ciphertext: bid.sealed_price, tag: bid.seal_tag })).toThrow();
      }
    }
    for (const bid of bids) expect(() => unsealPrice(configured, bid.id, { ciphertext: bid.sealed_price, iv: bid.seal_iv, tag: bid.seal_tag })).toThrow();
    // 4. the third share, which only its member holds, is what makes the key (the attacker lacks exactly this)
    const third = decodeShare(shares['kbw-3'])!;
    expect(publicKeyOf(combine([...fromDb, third])).equals(round.sealing_public_key)).toBe(true);
  });

  it('the 3rd share opens the round: evaluated exactly as the demo twin, receipts verify, shares wiped', async () => {
    const third = (await member(2).ok(SUBMIT_SHARE, { r: committeeRound, s: shares['kbw-3'] })).submitOpeningKeyShare;
    expect(third).toMatchObject({ submittedCount: 3, threshold: 3, opened: true, roundState: 'OPENED' });
    expect((await t.as('reg-henan').ok(AWAITING, { id: committeeRound })).round).toEqual({ state: 'OPENED', awaiting: null });
    expect(await count(`SELECT count(*)::int AS n FROM opening_committee_member WHERE round_id = $1 AND (submitted_share IS NOT NULL OR undelivered_share IS NOT NULL)`, [committeeRound])).toBe(0);
    // a 4th member is too late: the round is open
    expect((await member(4).refused(SUBMIT_SHARE, { r: committeeRound, s: shares['kbw-5'] })).code).toBe('INVALID_STATE');

    // the demo twin (opened by the scheduler); its regulator gets the stored result again
    await t.as('reg-henan').ok(OPEN_ROUND, { id: demoRound });
    const a = (await t.as('reg-henan').ok(RESULT, { r: committeeRound })).roundResult;
    const b = (await t.as('reg-henan').ok(RESULT, { r: demoRound })).roundResult;
    // same outcome, bid for bid (bids and lots differ only by id): compare by manufacturer and lot position
    const shape = async (result: any, roundId: string) => {
      const who = new Map<string, string>();
      for (const [key, receipt] of Object.entries(receipts)) if (key.startsWith(`${roundId}:`)) who.set(receipt.bidId, key.split(':').slice(1).join(':'));
      return result.lots.map((lot: any) => ({
        status: lot.status,
        winnerCount: lot.winnerCount,
        cycleYears: lot.cycleYears,
        agreedQuantity: lot.agreedQuantity,
        bids: lot.bids.map((x: any) => [who.get(x.bidId), x.status, x.reason, x.rank, x.unitPrice, x.awardedUnitPrice]).sort(),
        allocations: lot.allocations.map((x: any) => [x.hospitalId, x.regionCode, who.get(x.bidId), x.agreedQuantity]).sort(),
      }));
    };
    expect(await shape(a, committeeRound)).toEqual(await shape(b, demoRound));
    const rosu = a.lots[2].bids.find((x: any) => x.unitPrice === '7.7777');
    expect(rosu).toMatchObject({ status: 'INVALID', reason: 'ABOVE_CEILING' });
    // every bidder's receipt checks out against the published commitment and salt
    for (const x of a.lots.flatMap((l: any) => l.bids)) {
      const receipt = Object.values(receipts).find((r) => r.bidId === x.bidId)!;
      expect(x.commitment).toBe(receipt.commitment);
      expect(x.salt).toBe(receipt.salt);
      expect(JSON.parse(receipt.committedDocument).unitPrice).toBe(x.unitPrice);
    }
    // opened by the committee: audited with the shares' indices, by the 3rd member's login
    const [opened] = await t.sql(`SELECT data, actor_user_id FROM audit_log WHERE action = 'round.open' AND entity_id = $1`, [committeeRound]);
    expect(opened.data).toMatchObject({ from: 'BIDDING', to: 'OPENED', bids: BIDS.length, openedByCommittee: [1, 3, 4] });
    expect(opened.actor_user_id).toBe(memberIds[2]);
    const submittedBy = await t.sql(`SELECT actor_user_id FROM audit_log WHERE action = 'opening-share.submitted' AND entity_id = $1 ORDER BY seq`, [committeeRound]);
    expect(submittedBy.map((r: any) => r.actor_user_id)).toEqual([memberIds[0], memberIds[3], memberIds[2]]);
    // and the bidder now sees its price from the result
    const own = (await t.as('mfr-orig-a').ok(`query($r: ID!) { myBids(roundId: $r) { unitPrice } }`, { r: committeeRound })).myBids.map((x: any) => x.unitPrice);
    expect(own.sort()).toEqual(['1.5000', '7.7777']);
  });
});
