// first: route the app's logs to a file this test can scan
import { CAPTURED_LOG_FILE } from './log-capture';
import { existsSync, readFileSync, rmSync } from 'fs';
import { createHash } from 'crypto';
import { startTestApp, TestApp } from '@test/harness';
import { Dec } from '@libs/money';
import { AgreementsService } from '../src/agreements/agreements.service';
import { AGREEMENT_SUPPLY, AgreementSupply } from '../src/platform/ports/context-ports';
import { CREATE_ROUND, OPEN_ROUND, PUBLISH_ROUND, REPLACE_BID, REPORT_DEMAND, SUBMIT_BID, TIMES, orgId, productId, threeLotRoundInput, fileCommitmentLetters } from './tendering-fixtures';

/**
 * The walkthrough: one round of 3 lots, 8 manufacturers and 10 hospitals in three cities, from creation to
 * volume agreements, with the refusals of each step on the way (each: its code, and nothing written).
 */
jest.setTimeout(60_000);

describe('tendering: a round from creation to volume agreements', () => {
  let t: TestApp;
  let roundId: string;
  let lots: { id: string; name: string }[];
  const bidIds: Record<string, string> = {};
  const receipts: Record<string, { commitment: string; salt: string; committedDocument: string }> = {};

  const HOSPITALS = ['hosp-zz-1', 'hosp-zz-2', 'hosp-zz-3', 'hosp-zz-6', 'hosp-zz-10', 'hosp-ly-1', 'hosp-ly-2', 'hosp-ly-4', 'hosp-ny-1', 'hosp-ny-3'];
  const count = async (table: string) => Number((await t.sql(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
  const SET_BASELINES = `mutation($e: [DemandBaselineInput!]!) { setDemandBaselines(entries: $e) { id hospitalId year quantity amount } }`;
  // last year's purchases per [hospital, lot]: quantity in the lot's reference unit, amount in yuan (none: unknown)
  const BASELINES: [string, number, number, number, string | null][] = [
    ['hosp-zz-1', 0, 2025, 200000, '90000.00'], // 0.4500 per 10mg tablet
    ['hosp-zz-2', 1, 2025, 25000, '11111.11'], // 0.444444… per 5mg tablet
    ['hosp-ly-1', 0, 2025, 20000, '8000.00'], // 0.4000
    ['hosp-ly-1', 1, 2025, 20000, '6000.00'], // every lot of hosp-ly-1, whose supply failure the backup takes over
    ['hosp-ly-1', 2, 2025, 20000, '10000.00'],
    ['hosp-ly-2', 0, 2024, 20000, '9999.00'], // not the year before the cycle: no price
    ['hosp-ny-1', 2, 2025, 0, '100.00'], // nothing bought: no price
    ['hosp-zz-3', 0, 2025, 20000, null], // no amount: no price
  ];
  /** pre_vbp_unit_price expected by hand: the baseline's average per reference unit × the agreement's spec factor. */
  const expectedPreVbp = async (agreement: { hospital_id: string; lot_id: string; bid_id: string }): Promise<string | null> => {
    const entry = await (async () => {
      for (const e of BASELINES) if ((await orgId(t, e[0])) === agreement.hospital_id && lots[e[1]].id === agreement.lot_id) return e;
      return null;
    })();
    if (!entry || entry[2] !== 2025 || entry[3] === 0 || entry[4] === null) return null;
    const [{ factor }] = await t.sql(`SELECT ls.comparable_factor::text AS factor FROM tender_bid_result br JOIN tender_lot_spec ls ON ls.id = br.lot_spec_id WHERE br.bid_id = $1`, [agreement.bid_id]);
    return new Dec(entry[4]).div(entry[3]).times(factor).toDecimalPlaces(4, Dec.ROUND_HALF_UP).toFixed(4);
  };

  beforeAll(async () => {
    t = await startTestApp();
    await fileCommitmentLetters(t);
  });
  afterAll(async () => {
    await t.close();
    rmSync(CAPTURED_LOG_FILE, { force: true });
  });

  it('a regulator creates a DRAFT round with a custom rule set stored as a version', async () => {
    const input = await threeLotRoundInput(t);
    const created = (await t.as('reg-henan').ok(CREATE_ROUND, { input })).createRound;
    expect(created.state).toBe('DRAFT');
    expect(created.ruleSet).toMatchObject({ code: 'CUSTOM', version: 1 });
    expect(JSON.parse(created.ruleSet.ruleSet).shortlist).toEqual({ minus: 0, max: 10 });
    expect(created.lots.map((l: any) => l.specs.length)).toEqual([2, 2, 2]);
    roundId = created.id;
    lots = created.lots;
    // hospitals and manufacturers do not see a draft
    expect((await t.as('hosp-zz-1').refused(`query($id: ID!) { round(id: $id) { id } }`, { id: roundId })).code).toBe('NOT_FOUND');
    expect((await t.as('mfr-alpha').ok(`{ rounds { nodes { id } totalCount } }`)).rounds).toEqual({ nodes: [], totalCount: 0 });
    expect((await t.as('reg-zz').ok(`{ rounds { totalCount } }`)).rounds.totalCount).toBe(0);
    expect((await t.as('reg-henan').ok(`{ rounds { nodes { id state } } }`)).rounds.nodes).toEqual([{ id: roundId, state: 'DRAFT' }]);
  });

  it('refuses bad round definitions with the field at fault', async () => {
    const before = await count('tender_round');
    const input = await threeLotRoundInput(t);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...input, demandDeadline: '2026-03-01T09:00:00+08:00' }, 'VALIDATION_FAILED', 'input.demandDeadline'],
      [{ ...input, bidDeadline: TIMES.demandDeadline }, 'VALIDATION_FAILED', 'input.bidDeadline'],
      [{ ...input, coveredRegionCodes: ['320100'] }, 'VALIDATION_FAILED', 'input.coveredRegionCodes[0]'],
      [{ ...input, coveredRegionCodes: ['410100', '410102'] }, 'VALIDATION_FAILED', 'input.coveredRegionCodes[1]'],
      [{ ...input, ruleSet: { presetCode: 'BATCH_99' } }, 'VALIDATION_FAILED', 'input.ruleSet.presetCode'],
      [{ ...input, ruleSet: { customJson: '{"priceRatio": 1.8}' } }, 'RULE_SET_INVALID', 'input.ruleSet'],
      [{ ...input, lots: [{ ...input.lots[0], specs: [{ ...input.lots[0].specs[0], ceilingUnitPrice: '1.00001' }] }] }, 'VALIDATION_FAILED', 'input.lots[0].specs[0].ceilingUnitPrice'],
      [{ ...input, lots: [input.lots[0], input.lots[0]] }, 'VALIDATION_FAILED', 'input.lots[1].varietyId'],
      [{ ...input, lots: [{ ...input.lots[0], specs: [input.lots[1].specs[0]] }] }, 'VALIDATION_FAILED', 'input.lots[0].specs[0].varietySpecId'],
    ];
    for (const [bad, code, field] of cases) {
      expect(await t.as('reg-henan').refused(CREATE_ROUND, { input: bad })).toMatchObject({ code, field });
    }
    // a city regulator cannot cover another city
    expect(await t.as('reg-zz').refused(CREATE_ROUND, { input })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.coveredRegionCodes[1]' });
    expect(await count('tender_round')).toBe(before);
    expect(await count('rule_set_version')).toBe(1);
  });

  it('edits while DRAFT, then publishes into demand reporting', async () => {
    const input = await threeLotRoundInput(t);
    const updated = await t.as('reg-henan').ok(`mutation($id: ID!, $input: RoundInput!) { updateRound(id: $id, input: $input) { id lots { id name } publicityDays } }`, { id: roundId, input: { ...input, publicityDays: 3 } });
    lots = updated.updateRound.lots;
    expect((await t.as('reg-zz').refused(PUBLISH_ROUND, { id: roundId })).code).toBe('NOT_FOUND'); // another region's draft is invisible
    expect((await t.as('reg-henan').ok(PUBLISH_ROUND, { id: roundId })).publishRound.state).toBe('DEMAND_REPORTING');
    // published: the covered hospitals, the covered cities' regulators and manufacturers see it; other cities' hospitals do not
    for (const user of ['hosp-zz-1', 'hosp-ny-3', 'reg-zz', 'mfr-alpha']) expect((await t.as(user).ok(`{ rounds { totalCount } }`)).rounds.totalCount).toBe(1);
    expect((await t.as('hosp-kf-1').ok(`{ rounds { totalCount } }`)).rounds.totalCount).toBe(0);
    expect((await t.as('reg-henan').refused(PUBLISH_ROUND, { id: roundId })).code).toBe('INVALID_STATE');
    expect((await t.as('reg-henan').refused(`mutation($id: ID!, $input: RoundInput!) { updateRound(id: $id, input: $input) { id } }`, { id: roundId, input })).code).toBe('INVALID_STATE');
    const audit = await t.sql(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`, [roundId]);
    expect(audit.map((a: any) => a.action)).toEqual(['round.created', 'round.updated', 'round.publish']);
  });

  it('hospitals report demand; below 80% of last year’s purchases needs a reason', async () => {
    const varietyOf = async (lotId: string) => (await t.sql(`SELECT variety_id FROM tender_lot WHERE id = $1`, [lotId]))[0].variety_id;
    const entries = [];
    for (const [hospital, lot, year, quantity, amount] of BASELINES) {
      entries.push({ hospitalId: await orgId(t, hospital), varietyId: await varietyOf(lots[lot].id), year, quantity, ...(amount ? { amount } : {}) });
    }
    const set = (await t.as('reg-henan').ok(SET_BASELINES, { e: entries })).setDemandBaselines;
    expect(set.map((b: any) => b.amount)).toEqual(BASELINES.map((b) => b[4]));
    expect((await t.sql(`SELECT amount_fen FROM demand_baseline WHERE hospital_id = $1`, [entries[1].hospitalId]))[0].amount_fen).toBe('1111111');
    const [audit] = await t.sql(`SELECT data FROM audit_log WHERE action = 'demand-baseline.set'`);
    expect(audit.data.entries.map((e: any) => e.amountFen)).toEqual(['9000000', '1111111', '800000', '600000', '1000000', '999900', '10000', null]);
    // a negative amount is refused with the entry at fault, and the whole import with it
    const auditBefore = await count('audit_log');
    const hospKf = await orgId(t, 'hosp-kf-1');
    const refused = await t.as('reg-henan').refused(SET_BASELINES, { e: [{ ...entries[0], hospitalId: hospKf }, { ...entries[3], hospitalId: hospKf, amount: '-0.01' }] });
    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', field: 'entries[1].amount' });
    const negative = await t.as('reg-henan').refused(SET_BASELINES, { e: [{ ...entries[0], hospitalId: hospKf }, { ...entries[3], hospitalId: hospKf, quantity: -5 }] });
    expect(negative).toMatchObject({ code: 'VALIDATION_FAILED', field: 'entries[1].quantity' });
    expect(await count('demand_baseline')).toBe(BASELINES.length);
    expect(await count('audit_log')).toBe(auditBefore);
    // an entry replaces the year's figures whole: setting a quantity without an amount clears the old amount
    const zz3 = entries[BASELINES.findIndex((b) => b[0] === 'hosp-zz-3')];
    const again = (await t.as('reg-henan').ok(SET_BASELINES, { e: [{ ...zz3, amount: '7000.00' }] })).setDemandBaselines;
    expect(again[0]).toMatchObject({ quantity: 20000, amount: '7000.00' });
    expect((await t.as('reg-henan').ok(SET_BASELINES, { e: [zz3] })).setDemandBaselines[0].amount).toBeNull();
    const before = await count('tender_demand');
    const low = await t.as('hosp-zz-1').refused(REPORT_DEMAND, { input: { lotId: lots[0].id, quantity: 150000 } });
    expect(low).toMatchObject({ code: 'DEMAND_REASON_REQUIRED', field: 'input.reason' });
    expect(await count('tender_demand')).toBe(before);
    const withReason = await t.as('hosp-zz-1').ok(REPORT_DEMAND, { input: { lotId: lots[0].id, quantity: 150000, reason: '部分患者转诊至分院' } });
    expect(withReason.reportDemand).toMatchObject({ quantity: 150000, supplyRegionCode: '410100' });

    // everyone else, every lot; hosp-zz-2 names a brand for amlodipine
    const origB = await orgId(t, 'mfr-orig-b');
    for (const [h, hospital] of HOSPITALS.entries()) {
      for (const [l, lot] of lots.entries()) {
        if (hospital === 'hosp-zz-1' && l === 0) continue;
        const preferredManufacturerId = hospital === 'hosp-zz-2' && l === 1 ? origB : null;
        await t.as(hospital).ok(REPORT_DEMAND, { input: { lotId: lot.id, quantity: 20000 + 1000 * h + 500 * l, preferredManufacturerId } });
      }
    }
    // changing is allowed until the deadline: the line is replaced, not duplicated
    await t.as('hosp-ly-1').ok(REPORT_DEMAND, { input: { lotId: lots[2].id, quantity: 33333 } });
    expect(await count('tender_demand')).toBe(30);
    // a hospital outside the covered cities is refused
    expect((await t.as('hosp-kf-1').refused(REPORT_DEMAND, { input: { lotId: lots[0].id, quantity: 10 } })).code).toBe('HOSPITAL_NOT_COVERED');
    // a hospital sees only its own lines
    expect((await t.as('hosp-zz-2').ok(`query($r: ID!) { roundDemand(roundId: $r) { id } }`, { r: roundId })).roundDemand).toHaveLength(3);
  });

  it('refuses bids before bidding opens, then the scheduler closes demand at its deadline', async () => {
    const bid = { lotId: lots[0].id, productId: await productId(t, 'atorva-10-alpha'), unitPrice: '0.3000', supplyCapacity: 1_000_000 };
    expect((await t.as('mfr-alpha').refused(SUBMIT_BID, { input: bid })).code).toBe('BIDDING_NOT_OPEN');
    // a regulator may not take the step early; the tick does nothing early either
    expect((await t.as('reg-henan').refused(`mutation($id: ID!) { advanceRound(id: $id) { state } }`, { id: roundId })).code).toBe('DEADLINE_NOT_REACHED');
    t.clock.set(new Date(new Date(TIMES.demandDeadline).getTime() - 1));
    await t.jobs.runNow('tendering.tick');
    expect((await t.sql(`SELECT state FROM tender_round WHERE id = $1`, [roundId]))[0].state).toBe('DEMAND_REPORTING');
    t.clock.set(TIMES.demandDeadline);
    const late = await t.as('hosp-zz-3').refused(REPORT_DEMAND, { input: { lotId: lots[0].id, quantity: 1 } });
    expect(late.code).toBe('DEMAND_WINDOW_CLOSED');
    expect((await t.sql(`SELECT quantity FROM tender_demand d JOIN organisation o ON o.id = d.hospital_id WHERE o.external_key = 'hosp-zz-3' AND d.lot_id = $1`, [lots[0].id]))[0].quantity).not.toBe('1');
    await t.jobs.runNow('tendering.tick');
    expect((await t.sql(`SELECT state FROM tender_round WHERE id = $1`, [roundId]))[0].state).toBe('BIDDING');
  });

  it('manufacturers submit sealed bids and get receipts; bad bids are refused with nothing written', async () => {
    const bids: [string, number, string, string, string[], boolean][] = [
      ['mfr-alpha', 0, 'atorva-10-alpha', '0.3000', ['410100', '410300'], false],
      ['mfr-epsilon', 0, 'atorva-20-epsilon', '0.5100', ['410300'], false],
      ['mfr-eta', 0, 'atorva-20-eta', '0.6800', ['411300'], false],
      ['mfr-orig-a', 0, 'atorva-10-origa', '1.5000', [], false],
      ['mfr-beta', 1, 'amlo-5-beta', '0.1500', ['410100'], false],
      ['mfr-zeta', 1, 'amlo-10-zeta', '0.2720', ['410300'], false],
      ['mfr-orig-b', 1, 'amlo-5-origb', '0.9000', [], true],
      ['mfr-eta', 2, 'rosu-10-eta', '0.4000', ['411300', '410100'], false],
      ['mfr-lambda', 2, 'rosu-20-lambda', '0.7480', ['410100'], false],
      // the sentinel: a distinctive price that must appear nowhere before opening
      ['mfr-orig-a', 2, 'rosu-10-origa', '7.7777', [], false],
    ];
    for (const [mfr, lot, product, unitPrice, regionPreferences, acceptsRevival] of bids) {
      const receipt = (await t.as(mfr).ok(SUBMIT_BID, { input: { lotId: lots[lot].id, productId: await productId(t, product), unitPrice, supplyCapacity: 5_000_000, regionPreferences, acceptsRevival } })).submitBid;
      expect(receipt.commitment).toBe(createHash('sha256').update(receipt.committedDocument).update(receipt.salt).digest('hex'));
      expect(JSON.parse(receipt.committedDocument).unitPrice).toBe(unitPrice);
      bidIds[`${mfr}:${lot}`] = receipt.bidId;
      receipts[receipt.bidId] = receipt;
    }
    for (const mfr of ['mfr-gamma', 'mfr-kappa']) await t.as(mfr).accessToken(); // logins are audited too
    const before = { bids: await count('tender_bid'), audit: await count('audit_log') };
    const base = { lotId: lots[0].id, productId: await productId(t, 'atorva-20-alpha'), unitPrice: '0.3000', supplyCapacity: 1000 };
    const refusals: [string, Record<string, unknown>, string, string?][] = [
      ['mfr-alpha', base, 'BID_EXISTS', 'input.lotId'],
      ['mfr-beta', { ...base, lotId: lots[1].id, productId: await productId(t, 'amlo-5-zeta') }, 'PRODUCT_NOT_OWNED', 'input.productId'],
      ['mfr-gamma', { ...base, lotId: lots[1].id, productId: await productId(t, 'amlo-5-gamma') }, 'PRODUCT_NOT_ELIGIBLE', 'input.productId'],
      ['mfr-alpha', { ...base, lotId: lots[1].id }, 'PRODUCT_NOT_ELIGIBLE', 'input.productId'],
      ['mfr-epsilon', { ...base, productId: await productId(t, 'atorva-40-epsilon') }, 'PRODUCT_NOT_ELIGIBLE', 'input.productId'],
      ['mfr-kappa', { ...base, lotId: lots[1].id, unitPrice: '0.12345' }, 'VALIDATION_FAILED', 'input.unitPrice'],
      ['mfr-kappa', { ...base, lotId: lots[1].id, unitPrice: '0' }, 'VALIDATION_FAILED', 'input.unitPrice'],
      ['mfr-kappa', { ...base, lotId: lots[1].id, unitPrice: '-1.0000' }, 'VALIDATION_FAILED', 'input.unitPrice'],
      ['mfr-zeta', { ...base, lotId: lots[1].id, productId: await productId(t, 'amlo-5-zeta'), regionPreferences: ['410200'] }, 'VALIDATION_FAILED', 'input.regionPreferences[0]'],
    ];
    for (const [mfr, input, code, field] of refusals) {
      expect(await t.as(mfr).refused(SUBMIT_BID, { input })).toMatchObject({ code, ...(field ? { field } : {}) });
    }
    expect({ bids: await count('tender_bid'), audit: await count('audit_log') }).toEqual(before);
    // a replacement gets a new commitment, and is seen by its bidder with its own price
    const replaced = (await t.as('mfr-eta').ok(REPLACE_BID, { bidId: bidIds['mfr-eta:0'], input: { productId: await productId(t, 'atorva-20-eta'), unitPrice: '0.6800', supplyCapacity: 6_000_000, regionPreferences: ['411300'] } })).replaceBid;
    expect(replaced.commitment).not.toBe(receipts[bidIds['mfr-eta:0']].commitment);
    const own = await t.as('mfr-eta').ok(`query($r: ID!) { myBids(roundId: $r) { id unitPrice supplyCapacity } }`, { r: roundId });
    expect(own.myBids.map((b: any) => b.unitPrice).sort()).toEqual(['0.4000', '0.6800']);
  });

  it('no one sees another party’s price before opening, and the sentinel price is in no table', async () => {
    const regulatorView = await t.as('reg-henan').ok(`query($r: ID!) { roundBids(roundId: $r) { id manufacturerId unitPrice commitment } }`, { r: roundId });
    expect(regulatorView.roundBids).toHaveLength(10);
    expect(regulatorView.roundBids.every((b: any) => b.unitPrice === null)).toBe(true);
    expect((await t.as('mfr-alpha').refused(`query($r: ID!) { roundBids(roundId: $r) { id } }`, { r: roundId })).code).toBe('FORBIDDEN');
    expect((await t.as('reg-henan').refused(`query($r: ID!) { roundResult(roundId: $r) { roundId } }`, { r: roundId })).code).toBe('NO_RESULT');
    // every table in every schema, as text
    const tables = await t.sql(`SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`);
    expect(tables.length).toBeGreaterThan(15);
    for (const { table_schema, table_name } of tables) {
      const [hit] = await t.sql(`SELECT count(*)::int AS n FROM "${table_schema}"."${table_name}" x WHERE x::text LIKE '%7.7777%'`);
      expect({ table: `${table_schema}.${table_name}`, hits: hit.n }).toEqual({ table: `${table_schema}.${table_name}`, hits: 0 });
    }
    // and the app's own log output
    expect(existsSync(CAPTURED_LOG_FILE)).toBe(true);
    const log = readFileSync(CAPTURED_LOG_FILE, 'utf8');
    expect(log).toContain('"msg":"graphql"');
    expect(log).not.toContain('7.7777');
    const bidAudit = await t.sql(`SELECT data FROM audit_log WHERE action LIKE 'bid.%'`);
    expect(bidAudit.every((a: any) => a.data.commitment && !('unitPrice' in a.data))).toBe(true);
  });

  it('refuses opening before the deadline and bids at it; opens once, and opening again gives the stored result', async () => {
    t.clock.set(new Date(new Date(TIMES.bidDeadline).getTime() - 1));
    expect((await t.as('reg-henan').refused(OPEN_ROUND, { id: roundId })).code).toBe('DEADLINE_NOT_REACHED');
    await t.jobs.runNow('tendering.open-due');
    expect(await count('tender_round_result')).toBe(0);
    expect(await count('tender_bid_result')).toBe(0);
    t.clock.set(TIMES.bidDeadline);
    const late = { lotId: lots[1].id, productId: await productId(t, 'amlo-5-zeta'), unitPrice: '0.1000', supplyCapacity: 10 };
    expect((await t.as('mfr-zeta').refused(REPLACE_BID, { bidId: bidIds['mfr-zeta:1'], input: { ...late, lotId: undefined } })).code).toBe('BID_DEADLINE_PASSED');
    expect((await t.as('mfr-kappa').refused(SUBMIT_BID, { input: { ...late, productId: await productId(t, 'famo-20-kappa') } })).code).toBe('BID_DEADLINE_PASSED');
    expect((await t.as('reg-zz').refused(OPEN_ROUND, { id: roundId })).code).toBe('FORBIDDEN');

    const opened = (await t.as('reg-henan').ok(OPEN_ROUND, { id: roundId })).openRound;
    const [atorva, amlo, rosu] = opened.lots;
    expect(opened.ruleSetCode).toBe('CUSTOM');
    expect(atorva).toMatchObject({ status: 'AWARDED', winnerCount: 3, cycleYears: 2 });
    expect(atorva.bids.find((b: any) => b.bidId === bidIds['mfr-orig-a:0'])).toMatchObject({ status: 'ELIMINATED', reason: 'PRICE_TEST' });
    expect(amlo.bids.find((b: any) => b.bidId === bidIds['mfr-orig-b:1'])).toMatchObject({ status: 'REVIVED', awardedUnitPrice: '0.1600' });
    expect(rosu.bids.find((b: any) => b.bidId === bidIds['mfr-orig-a:2'])).toMatchObject({ status: 'INVALID', reason: 'ABOVE_CEILING', unitPrice: '7.7777' });
    // the bidder's receipt checks out against the published bid
    const published = rosu.bids.find((b: any) => b.bidId === bidIds['mfr-orig-a:2']);
    expect(published.salt).toBe(receipts[published.bidId].salt);
    // brand demand goes to the named winner
    const zz2 = await orgId(t, 'hosp-zz-2');
    expect(amlo.allocations.find((a: any) => a.hospitalId === zz2).bidId).toBe(bidIds['mfr-orig-b:1']);

    const again = (await t.as('reg-henan').ok(OPEN_ROUND, { id: roundId })).openRound;
    expect(again).toEqual(opened);
    expect(await count('tender_round_result')).toBe(1);
    // the stored result cannot be changed, even by SQL
    await expect(t.sql(`UPDATE tender_bid_result SET status = 'WINNER'`)).rejects.toThrow(/immutable/);
    const [audit] = await t.sql(`SELECT data FROM audit_log WHERE action = 'round.open'`);
    expect(audit.data).toMatchObject({ from: 'BIDDING', to: 'OPENED', bids: 10 });
  });

  it('what-if re-runs under another rule set and shows the differences without writing', async () => {
    const auditBefore = await count('audit_log');
    const res = (await t.as('reg-henan').ok(`query($r: ID!) { whatIf(roundId: $r, ruleSet: { presetCode: "BATCH_7" }) { spendingBefore spendingAfter lots { name winnersBefore winnersAfter changes { bidId statusBefore statusAfter } spendingBefore spendingAfter } } }`, { r: roundId })).whatIf;
    // batch 7 shortlists N−2 and has no revival: fewer winners in every lot
    expect(res.lots[0].winnersAfter.length).toBeLessThan(res.lots[0].winnersBefore.length);
    expect(res.lots[1].changes.find((c: any) => c.bidId === bidIds['mfr-orig-b:1'])).toMatchObject({ statusBefore: 'REVIVED', statusAfter: 'ELIMINATED' });
    expect(res.spendingBefore).not.toBe(res.spendingAfter);
    expect(await count('audit_log')).toBe(auditBefore);
    expect((await t.as('mfr-alpha').refused(`query($r: ID!) { whatIf(roundId: $r, ruleSet: { presetCode: "BATCH_7" }) { spendingBefore } }`, { r: roundId })).code).toBe('FORBIDDEN');
  });

  it('publicity: objections filed and answered; confirmation only after publicity ends with every objection answered', async () => {
    expect((await t.as('mfr-orig-a').refused(`query($r: ID!) { roundResult(roundId: $r) { roundId } }`, { r: roundId })).code).toBe('NO_RESULT');
    const publicized = (await t.as('reg-henan').ok(`mutation($id: ID!) { publicizeRound(id: $id) { state publicityEndsAt } }`, { id: roundId })).publicizeRound;
    expect(publicized.state).toBe('PUBLICIZED');
    expect(new Date(publicized.publicityEndsAt).getTime()).toBe(new Date(TIMES.bidDeadline).getTime() + 3 * 86_400_000);
    expect((await t.as('mfr-orig-a').ok(`query($r: ID!) { roundResult(roundId: $r) { lots { status } } }`, { r: roundId })).roundResult.lots).toHaveLength(3);
    const objection = (await t.as('mfr-orig-a').ok(`mutation($i: FileObjectionInput!) { fileObjection(input: $i) { id state } }`, { i: { roundId, lotId: lots[0].id, text: '对阿托伐他汀钙片价格测试结果有异议' } })).fileObjection;

    const before = await count('volume_agreement');
    expect((await t.as('reg-henan').refused(`mutation($id: ID!) { confirmRound(id: $id) { state } }`, { id: roundId })).code).toBe('PUBLICITY_NOT_ENDED');
    t.clock.set(publicized.publicityEndsAt);
    expect((await t.as('mfr-orig-a').refused(`mutation($i: FileObjectionInput!) { fileObjection(input: $i) { id } }`, { i: { roundId, text: '迟到的异议内容' } })).code).toBe('OBJECTION_PERIOD_CLOSED');
    expect((await t.as('reg-henan').refused(`mutation($id: ID!) { confirmRound(id: $id) { state } }`, { id: roundId })).code).toBe('OBJECTIONS_OPEN');
    expect(await count('volume_agreement')).toBe(before);
    await t.as('reg-henan').ok(`mutation($id: ID!) { answerObjection(id: $id, answer: "经复核，结果符合规则") { state } }`, { id: objection.id });
    expect((await t.as('reg-henan').ok(`mutation($id: ID!) { confirmRound(id: $id) { state cycleEnd } }`, { id: roundId })).confirmRound.state).toBe('CONFIRMED');
  });

  it('confirmation created agreements per hospital × lot × winner and each hospital’s prepayment due', async () => {
    const opened = (await t.as('reg-henan').ok(`query($r: ID!) { roundResult(roundId: $r) { lots { cycleYears allocations { hospitalId bidId agreedQuantity } } } }`, { r: roundId })).roundResult;
    const allocations = opened.lots.flatMap((l: any) => l.allocations.map((a: any) => ({ ...a, cycleYears: l.cycleYears })));
    const agreements = await t.sql(`SELECT * FROM v_volume_agreement WHERE round_id = $1`, [roundId]);
    expect(agreements).toHaveLength(allocations.length);
    expect(agreements.length).toBe(30);
    for (const a of allocations) {
      const row = agreements.find((r: any) => r.hospital_id === a.hospitalId && r.bid_id === a.bidId);
      expect(row).toBeTruthy();
    }
    // the pre-VBP price: last year's average from the baseline, per unit of the agreement's product
    for (const a of agreements) expect({ agreement: a.agreement_id, price: a.pre_vbp_unit_price }).toEqual({ agreement: a.agreement_id, price: await expectedPreVbp(a) });
    const priceOf = async (hospital: string, lot: number) => {
      const a = agreements.find((r: any) => r.lot_id === lots[lot].id && r.hospital_id === hospitalIds[hospital]);
      const [spec] = await t.sql(`SELECT ls.spec, ls.comparable_factor::text AS factor FROM tender_bid_result br JOIN tender_lot_spec ls ON ls.id = br.lot_spec_id WHERE br.bid_id = $1`, [a.bid_id]);
      return { spec: spec.spec, factor: spec.factor, price: a.pre_vbp_unit_price };
    };
    const hospitalIds: Record<string, string> = {};
    for (const h of HOSPITALS) hospitalIds[h] = await orgId(t, h);
    expect(await priceOf('hosp-zz-1', 0)).toEqual({ spec: '10mg', factor: '1.000000', price: '0.4500' }); // 90,000.00 ÷ 200,000
    expect(await priceOf('hosp-zz-2', 1)).toEqual({ spec: '5mg', factor: '1.000000', price: '0.4444' }); // 11,111.11 ÷ 25,000
    expect(await priceOf('hosp-ly-1', 0)).toEqual({ spec: '20mg', factor: '1.700000', price: '0.6800' }); // 8,000.00 ÷ 20,000 × 1.7
    for (const [hospital, lot] of [['hosp-ly-2', 0], ['hosp-ny-1', 2], ['hosp-zz-3', 0], ['hosp-zz-1', 1], ['hosp-ny-3', 0]] as const) {
      expect((await priceOf(hospital, lot)).price).toBeNull();
    }
    // prepayment = round-half-up(Σ annual agreed quantity × awarded price × 30%) per hospital, in fen
    const dues = await t.sql(`SELECT * FROM v_prepayment_due WHERE round_id = $1`, [roundId]);
    expect(dues).toHaveLength(10);
    for (const due of dues) {
      const mine = agreements.filter((a: any) => a.hospital_id === due.hospital_id);
      const yuan = mine.reduce((s: any, a: any) => s.plus(new Dec(a.annual_quantity).times(a.awarded_unit_price)), new Dec(0));
      expect(due.amount_fen).toBe(yuan.times('0.3').times(100).toDecimalPlaces(0, Dec.ROUND_HALF_UP).toFixed(0));
      expect(new Date(due.due_at).toISOString()).toBe(new Date(TIMES.cycleStart).toISOString());
    }
    const results = await t.sql(`SELECT * FROM v_round_result WHERE round_id = $1`, [roundId]);
    expect(results).toHaveLength(10);
    expect(results.find((r: any) => r.bid_id === bidIds['mfr-orig-b:1'])).toMatchObject({ bid_status: 'REVIVED', awarded_unit_price: '0.1600' });
    // a hospital sees its own agreements with completion
    const mine = await t.as('hosp-zz-1').ok(`{ volumeAgreements { totalCount nodes { id agreedQuantity purchasedQuantity awardedUnitPrice completion { purchasedShare elapsedShare } } } }`);
    expect(mine.volumeAgreements.nodes).toHaveLength(3);
    expect(mine.volumeAgreements.totalCount).toBe(3);
    expect(mine.volumeAgreements.nodes[0].completion).toEqual({ purchasedShare: '0.0000', elapsedShare: '0.0000' });
  });

  it('pages through a region’s volume agreements two at a time: every row exactly once, first is capped', async () => {
    // the round's 30 agreements share one created_at (one transaction), so the cursor's id does the ordering
    const expected = (await t.sql(`SELECT id FROM volume_agreement WHERE round_id = $1`, [roundId])).map((r: any) => r.id);
    const query = `query($r: ID, $after: String) { volumeAgreements(roundId: $r, first: 2, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: any = (await t.as('reg-henan').ok<any>(query, { r: roundId, after })).volumeAgreements;
      expect(page.totalCount).toBe(expected.length);
      expect(page.nodes.length).toBeLessThanOrEqual(2);
      seen.push(...page.nodes.map((n: any) => n.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after && pages <= expected.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...expected].sort());
    expect(pages).toBe(Math.ceil(expected.length / 2));
    expect(await t.as('reg-henan').refused(`{ volumeAgreements(first: 101) { totalCount } }`)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'first' });
    const edited = Buffer.from(JSON.stringify(['not-a-time', expected[0]])).toString('base64url');
    expect(await t.as('reg-henan').refused(`query($a: String) { volumeAgreements(after: $a) { totalCount } }`, { a: edited })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'after' });
  });

  it('publishes results without login: lots, winners, awarded prices, agreed totals', async () => {
    const res = await t.anonymous.ok(`{ publicRoundResults { id state lots { name status agreedQuantity agreedAmount winners { manufacturerName awardedUnitPrice agreedQuantity } } } }`);
    const round = res.publicRoundResults.find((r: any) => r.id === roundId);
    expect(round.state).toBe('CONFIRMED');
    expect(round.lots[1].winners.map((w: any) => w.awardedUnitPrice).sort()).toEqual(['0.1500', '0.1600', '0.2720']);
    expect(round.lots.every((l: any) => l.winners.reduce((s: number, w: any) => s + w.agreedQuantity, 0) === l.agreedQuantity)).toBe(true);
  });

  it('the cycle starts on time; orders find agreements and count accepted quantities through AGREEMENT_SUPPLY', async () => {
    t.clock.set(TIMES.cycleStart);
    await t.jobs.runNow('tendering.tick');
    expect((await t.sql(`SELECT state FROM tender_round WHERE id = $1`, [roundId]))[0].state).toBe('IN_EFFECT');
    // what orders will inject: the AGREEMENT_SUPPLY port, provided by the agreements module
    const supply = t.app.get<symbol, AgreementSupply>(AGREEMENT_SUPPLY);
    expect(supply).toBe(t.app.get(AgreementsService));
    const em = t.dataSource.manager;
    const hospital = await orgId(t, 'hosp-zz-1');
    const [row] = await t.sql(`SELECT id, product_id, awarded_unit_price FROM volume_agreement WHERE hospital_id = $1 ORDER BY id LIMIT 1`, [hospital]);
    const found = (await supply.findForOrder(em, hospital, [row.product_id], new Date(TIMES.cycleStart))).get(row.product_id);
    expect(found).toMatchObject({ agreementId: row.id, unitPrice: row.awarded_unit_price, roundId });
    await supply.addAcceptedQuantity(em, row.id, 100);
    await supply.addAcceptedQuantity(em, row.id, -40);
    // a return of more than was received breaks the CHECK and changes nothing
    await expect(supply.addAcceptedQuantity(em, row.id, -61)).rejects.toThrow();
    expect((await t.sql(`SELECT purchased_quantity FROM volume_agreement WHERE id = $1`, [row.id]))[0].purchased_quantity).toBe('60');
    // before the cycle, and for a product under no agreement, there is none
    expect((await supply.findForOrder(em, hospital, [row.product_id], new Date('2026-04-30T00:00:00+08:00'))).size).toBe(0);
    expect((await supply.findForOrder(em, hospital, [await productId(t, 'atorva-10-delta')], new Date(TIMES.cycleStart))).size).toBe(0);
  });

  it('a hospital orders against its agreement over GraphQL: priced at the awarded price, and the accepted quantity counts', async () => {
    const hospital = await orgId(t, 'hosp-zz-2');
    const [a] = await t.sql(
      `SELECT a.id, a.product_id, a.awarded_unit_price::text AS price, a.purchased_quantity, o.external_key AS manufacturer
         FROM volume_agreement a JOIN organisation o ON o.id = a.manufacturer_id WHERE a.hospital_id = $1 AND a.state = 'ACTIVE' ORDER BY a.id LIMIT 1`,
      [hospital],
    );
    await t.as(a.manufacturer).ok(`mutation($input: AppointDistributorInput!) { appointDistributor(input: $input) { id } }`, {
      input: { distributorId: await orgId(t, 'dist-zy'), regionCode: '410000', startsAt: TIMES.cycleStart },
    });
    const placed = (await t.as('hosp-zz-2').ok<any>(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id lines { id source agreementId unitPrice } } }`, {
      input: { idempotencyKey: 'agreement-order-0001', lines: [{ productId: a.product_id, quantity: 500 }] },
    })).placeOrder;
    expect(placed.lines).toEqual([{ id: expect.any(String), source: 'AGREEMENT', agreementId: a.id, unitPrice: a.price }]);
    await t.as('dist-zy').ok(`mutation($id: ID!) { confirmOrder(orderId: $id) { state } }`, { id: placed.id });
    const shipment = (await t.as('dist-zy').ok<any>(`mutation($input: ShipOrderInput!) { shipOrder(input: $input) { id lines { id } } }`, {
      input: { orderId: placed.id, lines: [{ orderLineId: placed.lines[0].id, quantity: 500, batchNumber: 'B2605A', expiresOn: '2028-04-30' }] },
    })).shipOrder;
    await t.as('hosp-zz-2').ok(`mutation($input: ReceiveShipmentInput!) { receiveShipment(input: $input) { id } }`, {
      input: { shipmentId: shipment.id, lines: [{ shipmentLineId: shipment.lines[0].id, acceptedQuantity: 480, rejectedQuantity: 20, rejectionReason: '外包装破损' }] },
    });
    const [after] = await t.sql(`SELECT purchased_quantity FROM volume_agreement WHERE id = $1`, [a.id]);
    expect(Number(after.purchased_quantity)).toBe(Number(a.purchased_quantity) + 480);
  });

  it('supply failure: a hospital reports, a regulator verifies, the region’s backup takes over the rest', async () => {
    const [agreement] = await t.sql(`SELECT a.* FROM volume_agreement a JOIN organisation o ON o.id = a.hospital_id WHERE o.external_key = 'hosp-ly-1' AND a.backup_bid_id IS NOT NULL ORDER BY a.lot_id LIMIT 1`);
    expect(agreement).toBeTruthy();
    const failure = (await t.as('hosp-ly-1').ok(`mutation($i: ReportSupplyFailureInput!) { reportSupplyFailure(input: $i) { id state } }`, { i: { agreementId: agreement.id, description: '连续两周未能按约配送' } })).reportSupplyFailure;
    expect((await t.as('hosp-ly-1').refused(`mutation($i: ReportSupplyFailureInput!) { reportSupplyFailure(input: $i) { id } }`, { i: { agreementId: agreement.id, description: '重复报告的断供' } })).code).toBe('SUPPLY_FAILURE_EXISTS');
    expect((await t.as('hosp-zz-1').refused(`mutation($i: ReportSupplyFailureInput!) { reportSupplyFailure(input: $i) { id } }`, { i: { agreementId: agreement.id, description: '不是我的协议' } })).code).toBe('NOT_FOUND');
    const verified = (await t.as('reg-henan').ok(`mutation($id: ID!) { verifySupplyFailure(id: $id) { state takeoverAgreementId } }`, { id: failure.id })).verifySupplyFailure;
    expect(verified.state).toBe('VERIFIED');
    const [takeover] = await t.sql(`SELECT * FROM v_volume_agreement WHERE agreement_id = $1`, [verified.takeoverAgreementId]);
    expect(takeover).toMatchObject({ bid_id: agreement.backup_bid_id, manufacturer_id: agreement.backup_manufacturer_id, takes_over_agreement_id: agreement.id, state: 'ACTIVE' });
    // the backup's units: the same baseline, priced by the backup's spec
    expect(takeover.pre_vbp_unit_price).not.toBeNull();
    expect(takeover.pre_vbp_unit_price).toBe(await expectedPreVbp(takeover));
    expect((await t.sql(`SELECT state FROM volume_agreement WHERE id = $1`, [agreement.id]))[0].state).toBe('SUPPLY_FAILED');
    // ordering the failed winner's product now finds the backup's agreement
    const found = (await t.app.get(AgreementsService).findForOrder(t.dataSource.manager, agreement.hospital_id, [agreement.product_id], t.clock.now())).get(agreement.product_id);
    expect(found?.agreementId).toBe(verified.takeoverAgreementId);
  });

  it('renewal seeds a new DRAFT round from the agreed one: lots, specs and the hospitals’ last demand', async () => {
    const renewed = (await t.as('reg-henan').ok(`mutation($id: ID!, $i: RenewRoundInput!) { renewRound(id: $id, input: $i) { id state previousRoundId lots { name specs { spec ceilingUnitPrice } } } }`, {
      id: roundId,
      i: { name: '河南省2026年第一批药品带量采购（续约）', demandDeadline: '2026-06-10T17:00:00+08:00', bidDeadline: '2026-06-20T09:00:00+08:00', cycleStart: '2027-05-01T00:00:00+08:00' },
    })).renewRound;
    expect(renewed).toMatchObject({ state: 'DRAFT', previousRoundId: roundId });
    expect(renewed.lots.map((l: any) => l.name)).toEqual(lots.map((l) => l.name));
    expect(Number((await t.sql(`SELECT count(*) AS n FROM tender_demand WHERE round_id = $1`, [renewed.id]))[0].n)).toBe(30);
  });

  it('cancels with a reason; a confirmed round is no longer cancellable', async () => {
    expect((await t.as('reg-henan').refused(`mutation($id: ID!) { cancelRound(id: $id, reason: "政策调整暂停") { state } }`, { id: roundId })).code).toBe('INVALID_STATE');
    const input = await threeLotRoundInput(t, { presetCode: 'BATCH_11' });
    const created = (await t.as('reg-henan').ok(CREATE_ROUND, { input: { ...input, demandDeadline: '2026-06-10T17:00:00+08:00', bidDeadline: '2026-06-20T09:00:00+08:00', cycleStart: '2026-08-01T00:00:00+08:00' } })).createRound;
    expect(created.ruleSet).toMatchObject({ code: 'BATCH_11', version: 1 });
    expect((await t.as('reg-henan').refused(`mutation($id: ID!) { cancelRound(id: $id, reason: "x") { state } }`, { id: created.id })).field).toBe('reason');
    expect((await t.as('reg-henan').ok(`mutation($id: ID!) { cancelRound(id: $id, reason: "政策调整暂停") { state cancelReason } }`, { id: created.id })).cancelRound).toEqual({ state: 'CANCELLED', cancelReason: '政策调整暂停' });
  });
});
