import { startTestApp, TestApp } from '@test/harness';
import { addTestListing } from './support/test-supply';
import { CREATE_ROUND, CUSTOM_RULE_SET, OPEN_ROUND, PUBLISH_ROUND, REPORT_DEMAND, SUBMIT_BID, TIMES, fileCommitmentLetters, orgId, productId, variety } from './tendering-fixtures';

/**
 * Agreement cycles (issue 16, items 2–5): a 2-year cycle with yearly completion and re-signing (续签), an
 * upheld objection that changes a lot's winners, a sole winner's failure moved to a substitute, and a renewal
 * with incumbents (续约) where one lowers its price and one declines.
 */
jest.setTimeout(120_000);

const RULES = { ...CUSTOM_RULE_SET, revival: false, cycleYearsByWinners: [2, 2, 2, 2] };
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id lines { id source agreementId unitPrice quantity } } }`;
const AGREEMENTS = `query($r: ID) { volumeAgreements(roundId: $r, first: 50) { nodes { id lotId hospitalId manufacturerId productId bidId state annualQuantity agreedQuantity purchasedQuantity awardedUnitPrice takesOverAgreementId years { yearIndex state agreedQuantity purchasedQuantity defaultQuantity completion shortfallQuantity surplusQuantity resignedBy startsAt endsAt } } } }`;

describe('agreement cycles: years, objections that change a result, substitutes, renewal', () => {
  let t: TestApp;
  let r1: { id: string; lots: { id: string; name: string }[] };
  let r2: { id: string; lots: { id: string; name: string }[] };
  const bids: Record<string, string> = {};
  let orderKey = 0;

  const submit = async (mfr: string, lotId: string, product: string, unitPrice: string, regionPreferences: string[] = []) => {
    const receipt = (await t.as(mfr).ok(SUBMIT_BID, { input: { lotId, productId: await productId(t, product), unitPrice, supplyCapacity: 5_000_000, regionPreferences } })).submitBid;
    return receipt.bidId as string;
  };
  /** Order → confirm → ship → receive (all accepted); returns the placed line. */
  const buy = async (hospital: string, product: string, quantity: number) => {
    const placed = (await t.as(hospital).ok<any>(PLACE, { input: { idempotencyKey: `cycles-order-${++orderKey}`, lines: [{ productId: await productId(t, product), quantity }] } })).placeOrder;
    await t.as('dist-zy').ok(`mutation($id: ID!) { confirmOrder(orderId: $id) { state } }`, { id: placed.id });
    const shipment = (await t.as('dist-zy').ok<any>(`mutation($input: ShipOrderInput!) { shipOrder(input: $input) { id lines { id } } }`, {
      input: { orderId: placed.id, lines: [{ orderLineId: placed.lines[0].id, quantity, batchNumber: `CY${orderKey}`, expiresOn: '2029-12-31' }] },
    })).shipOrder;
    await t.as(hospital).ok(`mutation($input: ReceiveShipmentInput!) { receiveShipment(input: $input) { id } }`, {
      input: { shipmentId: shipment.id, lines: [{ shipmentLineId: shipment.lines[0].id, acceptedQuantity: quantity, rejectedQuantity: 0 }] },
    });
    return placed.lines[0];
  };
  const agreementsOf = async (user: string, roundId: string) => (await t.as(user).ok<any>(AGREEMENTS, { r: roundId })).volumeAgreements.nodes;

  beforeAll(async () => {
    t = await startTestApp();
    await fileCommitmentLetters(t);
  });
  afterAll(() => t.close());

  it('sets up two rounds: a provincial one (2 lots) and another batch with an amlodipine winner', async () => {
    const atorva = await variety(t, 'ATORVASTATIN');
    const amlo = await variety(t, 'AMLODIPINE');
    const ruleSet = { customJson: JSON.stringify(RULES) };
    r1 = (await t.as('reg-henan').ok(CREATE_ROUND, {
      input: {
        name: '河南省2026年协议周期试点批次',
        level: 'PROVINCIAL',
        coveredRegionCodes: ['410100', '410300'],
        lots: [
          { varietyId: atorva.id, specs: [{ varietySpecId: atorva.specs['10mg'], ceilingUnitPrice: '2.0000' }, { varietySpecId: atorva.specs['20mg'], ceilingUnitPrice: '3.4000' }] },
          { varietyId: amlo.id, specs: [{ varietySpecId: amlo.specs['5mg'], ceilingUnitPrice: '1.0000' }, { varietySpecId: amlo.specs['10mg'], ceilingUnitPrice: '1.7000' }] },
        ],
        ruleSet,
        ...TIMES,
      },
    })).createRound;
    r2 = (await t.as('reg-henan').ok(CREATE_ROUND, {
      input: {
        name: '南阳市2026年氨氯地平带量采购',
        level: 'MUNICIPAL',
        coveredRegionCodes: ['411300'],
        lots: [{ varietyId: amlo.id, specs: [{ varietySpecId: amlo.specs['5mg'], ceilingUnitPrice: '1.0000' }, { varietySpecId: amlo.specs['10mg'], ceilingUnitPrice: '1.7000' }] }],
        ruleSet,
        ...TIMES,
      },
    })).createRound;
    for (const r of [r1, r2]) await t.as('reg-henan').ok(PUBLISH_ROUND, { id: r.id });
    const demand: [string, number, number][] = [
      ['hosp-zz-1', 0, 20000],
      ['hosp-zz-2', 0, 1000],
      ['hosp-ly-1', 0, 20000],
      ['hosp-zz-1', 1, 10000],
      ['hosp-ly-1', 1, 10000],
    ];
    for (const [hospital, lot, quantity] of demand) await t.as(hospital).ok(REPORT_DEMAND, { input: { lotId: r1.lots[lot].id, quantity } });
    await t.as('hosp-ny-1').ok(REPORT_DEMAND, { input: { lotId: r2.lots[0].id, quantity: 8000 } });
    t.clock.set(TIMES.demandDeadline);
    await t.jobs.runNow('tendering.tick');
    bids.alpha = await submit('mfr-alpha', r1.lots[0].id, 'atorva-10-alpha', '0.3000', ['410100']);
    bids.epsilon = await submit('mfr-epsilon', r1.lots[0].id, 'atorva-20-epsilon', '0.5100', ['410300']);
    bids.eta = await submit('mfr-eta', r1.lots[0].id, 'atorva-20-eta', '0.6800');
    bids.origA = await submit('mfr-orig-a', r1.lots[0].id, 'atorva-10-origa', '1.5000');
    bids.beta = await submit('mfr-beta', r1.lots[1].id, 'amlo-5-beta', '0.1500');
    bids.zeta = await submit('mfr-zeta', r2.lots[0].id, 'amlo-10-zeta', '0.2720');
    t.clock.set(TIMES.bidDeadline);
    const opened = (await t.as('reg-henan').ok(OPEN_ROUND, { id: r1.id })).openRound;
    expect(opened.lots.map((l: any) => [l.status, l.winnerCount, l.cycleYears])).toEqual([
      ['AWARDED', 3, 2],
      ['AWARDED', 1, 2],
    ]);
    await t.as('reg-henan').ok(OPEN_ROUND, { id: r2.id });
    for (const r of [r1, r2]) await t.as('reg-henan').ok(`mutation($id: ID!) { publicizeRound(id: $id) { state } }`, { id: r.id });
  });

  it('an upheld objection excludes a bid: the lot is re-evaluated, its winners change, both results are logged, publicity restarts', async () => {
    const DAY = 86_400_000;
    const originalEnd = new Date(TIMES.bidDeadline).getTime() + 3 * DAY;
    t.clock.set(new Date(new Date(TIMES.bidDeadline).getTime() + DAY));
    const FILE = `mutation($i: FileObjectionInput!) { fileObjection(input: $i) { id state } }`;
    const UPHOLD = `mutation($i: UpholdObjectionInput!) { upholdObjection(input: $i) { id state outcome revisionId answer } }`;
    const objection = (await t.as('mfr-orig-a').ok(FILE, { i: { roundId: r1.id, lotId: r1.lots[0].id, text: '中选企业提交的质量证明材料不实，请求复核' } })).fileObjection;
    const other = (await t.as('mfr-eta').ok(FILE, { i: { roundId: r1.id, lotId: r1.lots[1].id, text: '对氨氯地平结果有异议，请求复核' } })).fileObjection;
    // refusals first: nothing written
    const revisionsBefore = Number((await t.sql(`SELECT count(*)::int AS n FROM tender_result_revision`))[0].n);
    expect(await t.as('reg-henan').refused(UPHOLD, { i: { objectionId: other.id, answer: '异议成立', action: 'REINSTATE_BID', bidId: bids.beta, reason: '恢复报价' } })).toMatchObject({ code: 'OBJECTION_BID_ACTION_INVALID', field: 'input.bidId' });
    expect(await t.as('reg-henan').refused(UPHOLD, { i: { objectionId: other.id, answer: '异议成立', action: 'EXCLUDE_BID', bidId: bids.alpha, reason: '剔除报价' } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.bidId' });
    expect((await t.as('reg-zz').refused(UPHOLD, { i: { objectionId: objection.id, answer: '异议成立', action: 'EXCLUDE_BID', bidId: bids.epsilon, reason: '材料不实' } })).code).toBe('FORBIDDEN');
    expect((await t.as('mfr-alpha').refused(UPHOLD, { i: { objectionId: objection.id, answer: '异议成立', action: 'EXCLUDE_BID', bidId: bids.epsilon, reason: '材料不实' } })).code).toBe('FORBIDDEN');
    expect(Number((await t.sql(`SELECT count(*)::int AS n FROM tender_result_revision`))[0].n)).toBe(revisionsBefore);
    const dismissed = (await t.as('reg-henan').ok(`mutation($id: ID!) { answerObjection(id: $id, answer: "经复核，结果符合规则") { state outcome revisionId } }`, { id: other.id })).answerObjection;
    expect(dismissed).toEqual({ state: 'ANSWERED', outcome: 'DISMISSED', revisionId: null });

    const upheld = (await t.as('reg-henan').ok(UPHOLD, { i: { objectionId: objection.id, answer: '经核查异议成立，剔除该报价', action: 'EXCLUDE_BID', bidId: bids.epsilon, reason: '质量证明材料不实' } })).upholdObjection;
    expect(upheld).toMatchObject({ state: 'ANSWERED', outcome: 'UPHELD', revisionId: expect.any(String) });

    // the excluded manufacturer sees its bid out and the lot's new winners; the other lot is as opened
    const RESULT = `query($r: ID!) { roundResult(roundId: $r) { lots { lotId revision winnerCount bids { bidId status reason } allocations { hospitalId bidId agreedQuantity } } } }`;
    const seen = (await t.as('mfr-epsilon').ok(RESULT, { r: r1.id })).roundResult.lots;
    expect(seen[0].revision).toBe(1);
    expect(seen[1].revision).toBe(0);
    expect(seen[0].bids.find((b: any) => b.bidId === bids.epsilon)).toMatchObject({ status: 'INVALID', reason: 'EXCLUDED' });
    const winners = seen[0].bids.filter((b: any) => b.status === 'WINNER').map((b: any) => b.bidId).sort();
    expect(winners).toEqual([bids.alpha, bids.eta].sort());
    expect(seen[0].allocations.every((a: any) => a.bidId !== bids.epsilon)).toBe(true);
    // the revision names who is affected; a hospital moved off the excluded winner sees it too
    const REVISIONS = `query($r: ID!) { resultRevisions(roundId: $r) { lotId revision action bidId reason winnersBefore winnersAfter affectedManufacturerIds affectedHospitalIds publicityEndsAt resultDigestBefore resultDigestAfter } }`;
    const [revision] = (await t.as('hosp-ly-1').ok(REVISIONS, { r: r1.id })).resultRevisions;
    expect(revision).toMatchObject({ lotId: r1.lots[0].id, revision: 1, action: 'EXCLUDE_BID', bidId: bids.epsilon, reason: '质量证明材料不实' });
    expect([...revision.winnersBefore].sort()).toEqual([bids.alpha, bids.epsilon, bids.eta].sort());
    expect([...revision.winnersAfter].sort()).toEqual(winners);
    expect(revision.affectedManufacturerIds).toContain(await orgId(t, 'mfr-epsilon'));
    expect(revision.affectedHospitalIds).toContain(await orgId(t, 'hosp-ly-1'));
    expect(revision.resultDigestBefore).not.toBe(revision.resultDigestAfter);
    expect(new Date(revision.publicityEndsAt).getTime()).toBe(t.clock.now().getTime() + 3 * DAY);
    // the audit log holds both results; the published view serves the result in force
    const [audit] = await t.sql(`SELECT data FROM audit_log WHERE action = 'round.result-revised' AND entity_id = $1`, [r1.id]);
    expect(audit.data.before.bids[bids.epsilon]).toBe('WINNER');
    expect(audit.data.after.bids[bids.epsilon]).toBe('INVALID');
    expect([...audit.data.before.winners].sort()).toEqual(revision.winnersBefore.sort());
    expect((await t.sql(`SELECT bid_status, bid_reason FROM v_round_result WHERE bid_id = $1`, [bids.epsilon]))[0]).toEqual({ bid_status: 'INVALID', bid_reason: 'EXCLUDED' });
    // the opening result itself is unchanged
    expect((await t.sql(`SELECT status FROM tender_bid_result WHERE bid_id = $1`, [bids.epsilon]))[0].status).toBe('WINNER');

    // publicity restarted for that lot: at the original end the round is not confirmable, the lot still takes objections, the other lot not
    t.clock.set(new Date(originalEnd));
    expect((await t.as('reg-henan').refused(`mutation($id: ID!) { confirmRound(id: $id) { state } }`, { id: r1.id })).code).toBe('PUBLICITY_NOT_ENDED');
    expect((await t.as('mfr-eta').refused(FILE, { i: { roundId: r1.id, lotId: r1.lots[1].id, text: '再次对氨氯地平结果提出异议' } })).code).toBe('OBJECTION_PERIOD_CLOSED');
    const late = (await t.as('mfr-epsilon').ok(FILE, { i: { roundId: r1.id, lotId: r1.lots[0].id, text: '对剔除本企业报价的决定有异议' } })).fileObjection;
    await t.as('reg-henan').ok(`mutation($id: ID!) { answerObjection(id: $id, answer: "经复核，维持剔除决定") { state } }`, { id: late.id });
  });

  it('confirmation gives every agreement one year per cycle year: year 1 signed, year 2 awaiting re-signing', async () => {
    t.clock.set(new Date(new Date(TIMES.bidDeadline).getTime() + 4 * 86_400_000));
    for (const r of [r1, r2]) await t.as('reg-henan').ok(`mutation($id: ID!) { confirmRound(id: $id) { state } }`, { id: r.id });
    const mine = await agreementsOf('hosp-zz-1', r1.id);
    expect(mine).toHaveLength(2);
    // agreements follow the corrected result: no one signs with the excluded bidder
    expect((await agreementsOf('reg-henan', r1.id)).every((a: any) => a.bidId !== bids.epsilon)).toBe(true);
    for (const a of mine) {
      expect(a.years.map((y: any) => [y.yearIndex, y.state, y.agreedQuantity])).toEqual([
        [1, 'SIGNED', a.annualQuantity],
        [2, 'AWAITING_RESIGN', null],
      ]);
      const at = (x: string) => new Date(x).getTime();
      expect([at(a.years[0].startsAt), at(a.years[0].endsAt), at(a.years[1].startsAt), at(a.years[1].endsAt)]).toEqual(
        [TIMES.cycleStart, '2027-05-01T00:00:00+08:00', '2027-05-01T00:00:00+08:00', '2028-05-01T00:00:00+08:00'].map(at),
      );
    }
    t.clock.set(TIMES.cycleStart);
    await t.jobs.runNow('tendering.tick');
    expect((await t.sql(`SELECT state FROM tender_round WHERE id = $1`, [r1.id]))[0].state).toBe('IN_EFFECT');
    for (const m of ['mfr-alpha', 'mfr-epsilon', 'mfr-eta', 'mfr-beta', 'mfr-zeta']) {
      await t.as(m).ok(`mutation($input: AppointDistributorInput!) { appointDistributor(input: $input) { id } }`, {
        input: { distributorId: await orgId(t, 'dist-zy'), regionCode: '410000', startsAt: TIMES.cycleStart },
      });
    }
  });

  it('year 1: receipts count in the year; buying beyond the agreed quantity is allowed at the awarded price', async () => {
    t.clock.set('2026-06-01T10:00:00+08:00');
    const zz1 = (await agreementsOf('hosp-zz-1', r1.id)).find((a: any) => a.lotId === r1.lots[0].id);
    const zz2 = (await agreementsOf('hosp-zz-2', r1.id)).find((a: any) => a.lotId === r1.lots[0].id);
    const product = async (id: string) => (await t.sql(`SELECT external_key FROM product WHERE id = $1`, [id]))[0].external_key;
    const line = await buy('hosp-zz-1', await product(zz1.productId), 3000);
    expect(line).toMatchObject({ source: 'AGREEMENT', agreementId: zz1.id, unitPrice: zz1.awardedUnitPrice });
    const over = await buy('hosp-zz-2', await product(zz2.productId), zz2.annualQuantity + 150);
    expect(over).toMatchObject({ source: 'AGREEMENT', agreementId: zz2.id, unitPrice: zz2.awardedUnitPrice });
    const after = (await agreementsOf('hosp-zz-1', r1.id)).find((a: any) => a.id === zz1.id);
    expect(after.years[0]).toMatchObject({ purchasedQuantity: 3000 });
    expect(after.years[0].completion).toBe((3000 / zz1.annualQuantity).toFixed(4));
    expect(after.years[1].purchasedQuantity).toBe(0);
  });

  it('a sole winner fails: the regulator assigns another winner of the variety; hospitals’ agreements move over with what remains', async () => {
    const beta = await orgId(t, 'mfr-beta');
    const zz1 = (await agreementsOf('hosp-zz-1', r1.id)).find((a: any) => a.lotId === r1.lots[1].id);
    expect(zz1.manufacturerId).toBe(beta);
    await buy('hosp-zz-1', 'amlo-5-beta', 1000);
    const failure = (await t.as('hosp-zz-1').ok(`mutation($i: ReportSupplyFailureInput!) { reportSupplyFailure(input: $i) { id state } }`, { i: { agreementId: zz1.id, description: '中选企业停产，连续三周未能配送' } })).reportSupplyFailure;
    // the lot had one winner: no backup to take over
    expect((await t.as('reg-henan').refused(`mutation($id: ID!) { verifySupplyFailure(id: $id) { state } }`, { id: failure.id })).code).toBe('NO_BACKUP_WINNER');
    const ASSIGN = `mutation($i: AssignSubstituteSupplyInput!) { assignSubstituteSupply(input: $i) { id kind failedManufacturerId substituteManufacturerId substituteProductId substituteBidId unitPrice agreementsMoved regionCodes creditEventId agreements { id hospitalId takesOverAgreementId substitutionId } } }`;
    const input = { lotId: r1.lots[1].id, failedManufacturerId: beta, kind: 'WINNER', substituteBidId: bids.zeta, reason: '原中选企业停产断供，由南阳批次中选企业替代供应' };
    expect(await t.as('reg-henan').refused(ASSIGN, { i: { ...input, substituteBidId: bids.beta } })).toMatchObject({ code: 'SUBSTITUTE_INVALID', field: 'input.substituteBidId' });
    expect(await t.as('reg-henan').refused(ASSIGN, { i: { ...input, substituteBidId: bids.alpha } })).toMatchObject({ code: 'SUBSTITUTE_INVALID', field: 'input.substituteBidId' });
    expect((await t.as('hosp-zz-1').refused(ASSIGN, { i: input })).code).toBe('FORBIDDEN');
    expect((await t.as('reg-zz').refused(ASSIGN, { i: input })).code).toBe('FORBIDDEN'); // hosp-ly-1's agreement lies outside Zhengzhou
    expect(Number((await t.sql(`SELECT count(*)::int AS n FROM supply_substitution`))[0].n)).toBe(0);

    const zeta = await orgId(t, 'mfr-zeta');
    const assigned = (await t.as('reg-henan').ok(ASSIGN, { i: input })).assignSubstituteSupply;
    expect(assigned).toMatchObject({ kind: 'WINNER', failedManufacturerId: beta, substituteManufacturerId: zeta, substituteBidId: bids.zeta, unitPrice: '0.2720', agreementsMoved: 2 });
    expect(assigned.regionCodes.map((c: string) => c.slice(0, 4))).toEqual(['4101', '4103']); // the hospitals' districts
    // the failure is a credit event of the failed winner
    const [event] = await t.sql(`SELECT organisation_id, behaviour, source FROM credit_event WHERE id = $1`, [assigned.creditEventId]);
    expect(event).toEqual({ organisation_id: beta, behaviour: 'BREACH_OF_SUPPLY', source: 'SUPPLY_FAILURE' });
    // the hospital's agreement moved over with its remaining quantity, in units of the substitute's spec (5mg → 10mg)
    const [{ f }] = await t.sql(`SELECT (SELECT comparable_factor FROM variety_spec WHERE id = a.variety_spec_id) / (SELECT comparable_factor FROM variety_spec WHERE id = b.variety_spec_id) AS f FROM product a, product b WHERE a.external_key = 'amlo-5-beta' AND b.external_key = 'amlo-10-zeta'`);
    const after = await agreementsOf('hosp-zz-1', r1.id);
    const old = after.find((a: any) => a.id === zz1.id);
    const takeover = after.find((a: any) => a.takesOverAgreementId === zz1.id);
    expect(old.state).toBe('SUPPLY_FAILED');
    expect(takeover).toMatchObject({ manufacturerId: zeta, bidId: bids.zeta, awardedUnitPrice: '0.2720', state: 'ACTIVE' });
    expect(takeover.agreedQuantity).toBe(Math.round((zz1.agreedQuantity - 1000) * Number(f)));
    expect(takeover.years.map((y: any) => [y.yearIndex, y.state, y.agreedQuantity])).toEqual([
      [1, 'SIGNED', Math.round((zz1.annualQuantity - 1000) * Number(f))],
      [2, 'AWAITING_RESIGN', null],
    ]);
    expect(assigned.agreements.map((a: any) => a.id)).toContain(takeover.id);
    expect((await t.as('hosp-zz-1').ok(`{ supplyFailures { nodes { id state takeoverAgreementId creditEventId } } }`)).supplyFailures.nodes).toContainEqual({ id: failure.id, state: 'VERIFIED', takeoverAgreementId: takeover.id, creditEventId: assigned.creditEventId });
    // supervision: the province and the cities concerned see it, another city not
    expect((await t.as('reg-henan').ok(`{ supplySubstitutions { totalCount } }`)).supplySubstitutions.totalCount).toBe(1);
    expect((await t.as('reg-ly').ok(`{ supplySubstitutions { totalCount } }`)).supplySubstitutions.totalCount).toBe(1);
    expect((await t.as('reg-ny').ok(`{ supplySubstitutions { totalCount } }`)).supplySubstitutions.totalCount).toBe(0);
    expect((await t.as('hosp-zz-1').refused(`{ supplySubstitutions { totalCount } }`)).code).toBe('FORBIDDEN');
    // orders for the variety now go to the substitute at its awarded price
    const line = await buy('hosp-zz-1', 'amlo-10-zeta', 400);
    expect(line).toMatchObject({ source: 'AGREEMENT', agreementId: takeover.id, unitPrice: '0.2720' });
  });

  it('or a temporary purchase at another manufacturer’s listing price, capped', async () => {
    const zeta = await orgId(t, 'mfr-zeta');
    const gammaProduct = await productId(t, 'amlo-5-gamma');
    await addTestListing(t, { productId: gammaProduct, manufacturerId: await orgId(t, 'mfr-gamma'), unitPrice: '0.3500', from: '2026-01-01T00:00:00+08:00' });
    const ASSIGN = `mutation($i: AssignSubstituteSupplyInput!) { assignSubstituteSupply(input: $i) { kind substituteListingId unitPrice priceCap temporaryUntil agreementsMoved agreements { hospitalId manufacturerId productId awardedUnitPrice cycleEnd years { yearIndex endsAt } } } }`;
    const input = { lotId: r2.lots[0].id, failedManufacturerId: zeta, kind: 'LISTING_PRICE', substituteProductId: gammaProduct, priceCap: '0.3000', temporaryUntil: '2026-12-31T00:00:00+08:00', reason: '原中选企业断供，临时按挂网价采购' };
    expect(await t.as('reg-henan').refused(ASSIGN, { i: { ...input, priceCap: null } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.priceCap' });
    expect(await t.as('reg-henan').refused(ASSIGN, { i: { ...input, substituteProductId: await productId(t, 'amlo-5-zeta') } })).toMatchObject({ code: 'SUBSTITUTE_INVALID', field: 'input.substituteProductId' });
    const assigned = (await t.as('reg-henan').ok(ASSIGN, { i: input })).assignSubstituteSupply;
    // the listing price 0.3500 is above the cap: the cap applies, until the temporary end
    expect(assigned).toMatchObject({ kind: 'LISTING_PRICE', unitPrice: '0.3000', priceCap: '0.3000', agreementsMoved: 1 });
    const [moved] = assigned.agreements;
    expect(moved).toMatchObject({ hospitalId: await orgId(t, 'hosp-ny-1'), productId: gammaProduct, awardedUnitPrice: '0.3000' });
    expect(new Date(moved.cycleEnd).getTime()).toBe(new Date(input.temporaryUntil).getTime());
    expect(moved.years.map((y: any) => [y.yearIndex, new Date(y.endsAt).getTime()])).toEqual([[1, new Date(input.temporaryUntil).getTime()]]);
  });

  it('year-end: the shortfall is recorded for supervision, the surplus noted; year 2 is re-signed from year 1’s actual use', async () => {
    // not yet: year 1 has not ended
    const zz1 = (await agreementsOf('hosp-zz-1', r1.id)).find((a: any) => a.lotId === r1.lots[0].id);
    const RESIGN = `mutation($i: ResignAgreementYearInput!) { resignAgreementYear(input: $i) { yearIndex state agreedQuantity defaultQuantity resignedBy } }`;
    expect((await t.as('hosp-zz-1').refused(RESIGN, { i: { agreementId: zz1.id } })).code).toBe('RESIGN_NOT_OPEN');
    t.clock.set('2027-05-01T00:00:00+08:00');
    await t.jobs.runNow('agreements.year-end');
    const closed = (await agreementsOf('hosp-zz-1', r1.id)).find((a: any) => a.id === zz1.id);
    expect(closed.years[0]).toMatchObject({ state: 'CLOSED', purchasedQuantity: 3000, shortfallQuantity: zz1.annualQuantity - 3000, surplusQuantity: 0 });
    expect(closed.years[1]).toMatchObject({ state: 'AWAITING_RESIGN', defaultQuantity: 3000 });
    const zz2 = (await agreementsOf('hosp-zz-2', r1.id)).find((a: any) => a.lotId === r1.lots[0].id);
    expect(zz2.years[0]).toMatchObject({ state: 'CLOSED', shortfallQuantity: 0, surplusQuantity: 150 });
    // supervision sees the shortfall; the hospital that bought beyond its quantity is not among them
    const shortfalls = (await t.as('reg-henan').ok<any>(`{ agreementYearShortfalls(first: 100) { totalCount nodes { agreementId hospitalId yearIndex shortfallQuantity } } }`)).agreementYearShortfalls.nodes;
    expect(shortfalls).toContainEqual({ agreementId: zz1.id, hospitalId: zz1.hospitalId, yearIndex: 1, shortfallQuantity: zz1.annualQuantity - 3000 });
    expect(shortfalls.find((s: any) => s.agreementId === zz2.id)).toBeUndefined();
    expect((await t.as('hosp-zz-1').refused(`{ agreementYearShortfalls { totalCount } }`)).code).toBe('FORBIDDEN');
    // outside the rules' bounds (0.8–1.5 × 3000): refused with the bounds; another hospital's agreement is not found
    const outOfBounds = await t.as('hosp-zz-1').gql<any>(RESIGN, { i: { agreementId: zz1.id, quantity: 5000 } });
    expect(outOfBounds.errors?.[0].extensions).toMatchObject({ code: 'RESIGN_QUANTITY_OUT_OF_BOUNDS', field: 'input.quantity', min: 2400, max: 4500, defaultQuantity: 3000 });
    expect((await t.as('hosp-zz-2').refused(RESIGN, { i: { agreementId: zz1.id } })).code).toBe('NOT_FOUND');
    const signed = (await t.as('hosp-zz-1').ok(RESIGN, { i: { agreementId: zz1.id } })).resignAgreementYear;
    expect(signed).toEqual({ yearIndex: 2, state: 'SIGNED', agreedQuantity: 3000, defaultQuantity: 3000, resignedBy: 'HOSPITAL' });
    expect((await t.as('hosp-zz-1').refused(RESIGN, { i: { agreementId: zz1.id } })).code).toBe('RESIGN_NOT_OPEN');
    // hosp-zz-2 adjusts within the bounds
    const adjusted = (await t.as('hosp-zz-2').ok(RESIGN, { i: { agreementId: zz2.id, quantity: zz2.annualQuantity + 100 } })).resignAgreementYear;
    expect(adjusted).toMatchObject({ agreedQuantity: zz2.annualQuantity + 100, defaultQuantity: zz2.annualQuantity + 150 });
    const [row] = await t.sql(`SELECT agreed_quantity FROM volume_agreement WHERE id = $1`, [zz1.id]);
    expect(Number(row.agreed_quantity)).toBe(zz1.annualQuantity + 3000);
    // a year not re-signed within the window is signed at its default by the year-end job
    t.clock.set('2027-06-01T00:00:00+08:00');
    await t.jobs.runNow('agreements.year-end');
    const ly1 = (await agreementsOf('hosp-ly-1', r1.id)).find((a: any) => a.lotId === r1.lots[0].id);
    expect(ly1.years[1]).toMatchObject({ state: 'SIGNED', resignedBy: 'DEFAULT', agreedQuantity: 0, defaultQuantity: 0 });
    const audit = await t.sql(`SELECT action FROM audit_log WHERE action LIKE 'agreement-year.%' ORDER BY seq`);
    expect(new Set(audit.map((a: any) => a.action))).toEqual(new Set(['agreement-year.shortfall', 'agreement-year.closed', 'agreement-year.resigned', 'agreement-year.default-signed']));
  });
  it('renewal with incumbents (续约): one lowers its price within the other provinces’ lowest, one declines; volumes re-reported; new agreements link to the old', async () => {
    const alpha = await orgId(t, 'mfr-alpha');
    const eta = await orgId(t, 'mfr-eta');
    const zeta = await orgId(t, 'mfr-zeta');
    // another province's current price of alpha's product bounds its renewal price
    await t.as('reg-henan').ok(`mutation($i: RecordReferencePriceInput!) { recordReferencePrice(input: $i) { id } }`, {
      i: { productId: await productId(t, 'atorva-10-alpha'), provinceCode: '320000', unitPrice: '0.2800', effectiveOn: '2027-01-01', source: '江苏省医药阳光采购平台挂网价（测试）' },
    });
    t.clock.set('2028-03-01T09:00:00+08:00');
    const START = `mutation($r: ID!, $i: StartRenewalInput!) { startRenewal(roundId: $r, input: $i) { id state rulesCode rulesVersion rules responseDeadline cycleStart } }`;
    const input = { name: '河南省2026年协议周期试点批次（续约）', rulesCode: 'RENEWAL_STANDARD', responseDeadline: '2028-04-01T17:00:00+08:00', cycleStart: '2028-05-01T00:00:00+08:00' };
    expect(await t.as('reg-henan').refused(START, { r: r1.id, i: { ...input, rulesCode: 'RENEWAL_NOPE' } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.rulesCode' });
    expect(await t.as('reg-henan').refused(START, { r: r1.id, i: { ...input, cycleStart: '2028-04-15T00:00:00+08:00' } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.cycleStart' });
    expect((await t.as('mfr-alpha').refused(START, { r: r1.id, i: input })).code).toBe('FORBIDDEN');
    // a renewal started by mistake is cancelled with a reason: its pending offers lapse, the round may be renewed again
    const CANCEL = `mutation($id: ID!, $reason: String!) { cancelRenewal(id: $id, reason: $reason) { id state cancelledAt cancelReason } }`;
    const mistaken = (await t.as('reg-henan').ok(START, { r: r1.id, i: { ...input, rulesCode: 'RENEWAL_PRICE_ONLY' } })).startRenewal;
    expect((await t.as('hosp-zz-1').refused(CANCEL, { id: mistaken.id, reason: '误操作发起的续约' })).code).toBe('FORBIDDEN');
    expect((await t.as('mfr-alpha').refused(CANCEL, { id: mistaken.id, reason: '误操作发起的续约' })).code).toBe('FORBIDDEN');
    expect(await t.as('reg-henan').refused(CANCEL, { id: mistaken.id, reason: '误选' })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'reason' });
    const cancelled = (await t.as('reg-henan').ok(CANCEL, { id: mistaken.id, reason: '误选续约规则，重新发起' })).cancelRenewal;
    expect(cancelled).toMatchObject({ id: mistaken.id, state: 'CANCELLED', cancelReason: '误选续约规则，重新发起' });
    expect(new Date(cancelled.cancelledAt).getTime()).toBe(new Date('2028-03-01T09:00:00+08:00').getTime());
    expect((await t.as('reg-henan').refused(CANCEL, { id: mistaken.id, reason: '再次取消同一续约' })).code).toBe('INVALID_STATE');
    expect((await t.sql(`SELECT DISTINCT state FROM tender_renewal_offer WHERE renewal_id = $1`, [mistaken.id])).map((r: any) => r.state)).toEqual(['LAPSED']);
    const [mistakenOffer] = await t.sql(`SELECT id FROM tender_renewal_offer WHERE renewal_id = $1 AND manufacturer_id = $2`, [mistaken.id, alpha]);
    const DECLINE = `mutation($i: RespondRenewalOfferInput!) { respondRenewalOffer(input: $i) { id state } }`;
    expect((await t.as('mfr-alpha').refused(DECLINE, { i: { offerId: mistakenOffer.id, accept: false } })).code).toBe('RENEWAL_CLOSED');
    expect((await t.sql(`SELECT data FROM audit_log WHERE action = 'renewal.cancelled' AND entity_id = $1`, [mistaken.id]))[0].data).toMatchObject({ roundId: r1.id, reason: '误选续约规则，重新发起' });
    t.clock.set('2028-03-01T10:00:00+08:00');

    const renewal = (await t.as('reg-henan').ok(START, { r: r1.id, i: input })).startRenewal;
    expect(renewal).toMatchObject({ state: 'OFFERS_OPEN', rulesCode: 'RENEWAL_STANDARD', rulesVersion: 1 });
    expect(JSON.parse(renewal.rules)).toEqual({ boundByOtherProvincesLowest: true, cycleYears: 2 });
    expect((await t.as('reg-henan').refused(START, { r: r1.id, i: input })).code).toBe('INVALID_STATE');

    const VIEW = `query($r: ID!) { renewals(roundId: $r) { id offers { id lotId bidId manufacturerId currentUnitPrice referenceUnitPrice referenceProvinceCode state offeredUnitPrice } demand { lotId hospitalId quantity previousQuantity previousAgreementId } } }`;
    const ofThis = (renewals: any[]) => renewals.find((r) => r.id === renewal.id);
    const offers = ofThis((await t.as('reg-henan').ok(VIEW, { r: r1.id })).renewals).offers;
    // the incumbents in force: the lot's two winners after the upheld objection, and the substitute of the failed sole winner
    expect(offers.filter((o: any) => o.lotId === r1.lots[0].id).map((o: any) => o.manufacturerId).sort()).toEqual([alpha, eta].sort());
    expect(offers.filter((o: any) => o.lotId === r1.lots[1].id).map((o: any) => [o.manufacturerId, o.bidId, o.currentUnitPrice])).toEqual([[zeta, bids.zeta, '0.2720']]);
    const alphaOffer = offers.find((o: any) => o.manufacturerId === alpha);
    expect(alphaOffer).toMatchObject({ currentUnitPrice: '0.3000', referenceUnitPrice: '0.2800', referenceProvinceCode: '320000', state: 'PENDING' });
    const OFFERS = `query($r: ID!) { renewals(roundId: $r) { id offers { id } } }`;
    const DEMAND = `query($r: ID!) { renewals(roundId: $r) { id demand { lotId hospitalId quantity } } }`;
    expect(ofThis((await t.as('mfr-alpha').ok(OFFERS, { r: r1.id })).renewals).offers.map((o: any) => o.id)).toEqual([alphaOffer.id]);
    // a manufacturer never reads hospitals' volumes, a hospital never the offers
    expect((await t.as('mfr-alpha').refused(DEMAND, { r: r1.id })).code).toBe('FORBIDDEN');
    expect((await t.as('hosp-zz-1').refused(OFFERS, { r: r1.id })).code).toBe('FORBIDDEN');

    const RESPOND = `mutation($i: RespondRenewalOfferInput!) { respondRenewalOffer(input: $i) { id state offeredUnitPrice } }`;
    expect(await t.as('mfr-alpha').refused(RESPOND, { i: { offerId: alphaOffer.id, accept: true, unitPrice: '0.3100' } })).toMatchObject({ code: 'RENEWAL_PRICE_RAISED', field: 'input.unitPrice' });
    expect(await t.as('mfr-alpha').refused(RESPOND, { i: { offerId: alphaOffer.id, accept: true, unitPrice: '0.2900' } })).toMatchObject({ code: 'RENEWAL_PRICE_ABOVE_REFERENCE', field: 'input.unitPrice' });
    expect((await t.as('mfr-eta').refused(RESPOND, { i: { offerId: alphaOffer.id, accept: false } })).code).toBe('NOT_FOUND');
    expect((await t.as('mfr-alpha').ok(RESPOND, { i: { offerId: alphaOffer.id, accept: true, unitPrice: '0.2700' } })).respondRenewalOffer).toMatchObject({ state: 'ACCEPTED', offeredUnitPrice: '0.2700' });
    const etaOffer = offers.find((o: any) => o.manufacturerId === eta);
    expect((await t.as('mfr-eta').ok(RESPOND, { i: { offerId: etaOffer.id, accept: false } })).respondRenewalOffer).toMatchObject({ state: 'DECLINED', offeredUnitPrice: null });
    const zetaOffer = offers.find((o: any) => o.manufacturerId === zeta);
    expect((await t.as('mfr-zeta').ok(RESPOND, { i: { offerId: zetaOffer.id, accept: true } })).respondRenewalOffer).toMatchObject({ state: 'ACCEPTED', offeredUnitPrice: '0.2720' });

    // volumes re-reported: seeded from the annual quantities in force; a hospital changes its own
    const REPORT = `mutation($i: ReportRenewalDemandInput!) { reportRenewalDemand(input: $i) { lotId quantity previousQuantity } }`;
    const renewalId = renewal.id;
    expect((await t.as('hosp-ny-1').refused(REPORT, { i: { renewalId, lotId: r1.lots[0].id, quantity: 100 } })).code).toBe('NOT_FOUND');
    expect((await t.as('hosp-zz-1').ok(REPORT, { i: { renewalId, lotId: r1.lots[0].id, quantity: 9000 } })).reportRenewalDemand.quantity).toBe(9000);
    const mine = ofThis((await t.as('hosp-zz-1').ok(DEMAND, { r: r1.id })).renewals);
    expect(mine.demand.map((d: any) => d.lotId).sort()).toEqual([r1.lots[0].id, r1.lots[1].id].sort());

    const COMPLETE = `mutation($id: ID!) { completeRenewal(id: $id) { state renewedRoundId completedAt } }`;
    expect((await t.as('reg-henan').refused(COMPLETE, { id: renewalId })).code).toBe('DEADLINE_NOT_REACHED');
    t.clock.set(input.responseDeadline);
    expect((await t.as('mfr-eta').refused(RESPOND, { i: { offerId: etaOffer.id, accept: true } })).code).toBe('RENEWAL_CLOSED');
    const completed = (await t.as('reg-henan').ok(COMPLETE, { id: renewalId })).completeRenewal;
    expect(completed.state).toBe('COMPLETED');
    expect((await t.as('reg-henan').refused(CANCEL, { id: renewalId, reason: '完成后不能取消续约' })).code).toBe('INVALID_STATE');
    const renewed = (await t.as('reg-henan').ok(`query($id: ID!) { round(id: $id) { state previousRoundId cycleStart cycleEnd lots { id name } } }`, { id: completed.renewedRoundId })).round;
    expect(renewed).toMatchObject({ state: 'CONFIRMED', previousRoundId: r1.id });
    expect(new Date(renewed.cycleEnd).getTime()).toBe(new Date('2030-05-01T00:00:00+08:00').getTime());

    // new agreements: the decliner's hospital moved to the lowered-price incumbent; every one linked to its old agreement
    const NEW = `query($r: ID) { volumeAgreements(roundId: $r, first: 50) { nodes { id lotId hospitalId manufacturerId bidId annualQuantity awardedUnitPrice renewsAgreementId years { yearIndex state } } } }`;
    const fresh = (await t.as('reg-henan').ok<any>(NEW, { r: completed.renewedRoundId })).volumeAgreements.nodes;
    const oldOnes = await agreementsOf('reg-henan', r1.id);
    const [atorvaLot, amloLot] = renewed.lots;
    const atorva = fresh.filter((a: any) => a.lotId === atorvaLot.id);
    expect(atorva.length).toBe(3);
    expect(atorva.every((a: any) => a.manufacturerId === alpha && a.awardedUnitPrice === '0.2700')).toBe(true);
    expect(fresh.some((a: any) => a.manufacturerId === eta)).toBe(false);
    const zz1 = await orgId(t, 'hosp-zz-1');
    const ly1 = await orgId(t, 'hosp-ly-1');
    const zz1New = atorva.find((a: any) => a.hospitalId === zz1);
    expect(zz1New.annualQuantity).toBe(9000);
    expect(oldOnes.find((o: any) => o.id === zz1New.renewsAgreementId)).toMatchObject({ hospitalId: zz1, lotId: r1.lots[0].id, manufacturerId: alpha });
    const ly1New = atorva.find((a: any) => a.hospitalId === ly1);
    const ly1Old = oldOnes.find((o: any) => o.id === ly1New.renewsAgreementId);
    expect(ly1Old).toMatchObject({ hospitalId: ly1, manufacturerId: eta });
    const [{ f }] = await t.sql(`SELECT comparable_factor::text AS f FROM variety_spec vs JOIN product p ON p.variety_spec_id = vs.id WHERE p.external_key = 'atorva-20-eta'`);
    expect(ly1New.annualQuantity).toBe(Math.round(ly1Old.annualQuantity * Number(f))); // 20mg units → reference (10mg) units of alpha's product
    const amlo = fresh.filter((a: any) => a.lotId === amloLot.id);
    expect(amlo.map((a: any) => [a.manufacturerId, a.awardedUnitPrice])).toEqual([
      [zeta, '0.2720'],
      [zeta, '0.2720'],
    ]);
    expect(amlo.every((a: any) => oldOnes.find((o: any) => o.id === a.renewsAgreementId)?.takesOverAgreementId)).toBe(true);
    expect(fresh.every((a: any) => a.years.length === 2)).toBe(true);
    const [audit] = await t.sql(`SELECT data FROM audit_log WHERE action = 'round.renewed-with-incumbents'`);
    expect(audit.data).toMatchObject({ previousRoundId: r1.id, renewalId, agreements: fresh.length });
    // the renewed round starts on time
    t.clock.set(input.cycleStart);
    await t.jobs.runNow('tendering.tick');
    expect((await t.sql(`SELECT state FROM tender_round WHERE id = $1`, [completed.renewedRoundId]))[0].state).toBe('IN_EFFECT');
  });
});
