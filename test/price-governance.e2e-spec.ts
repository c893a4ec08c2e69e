import { startTestApp, TestApp } from '@test/harness';
import { PAYMENT_STANDARDS, PaymentStandards } from '../src/platform/ports/context-ports';
import { SqlVbpWinnerPrices } from '../src/listing/vbp-winner-prices';

const APPLICATION_FIELDS = `id listingId kind state unitPrice previousUnitPrice reason reviewsRequired priceChangePolicyVersion effectiveAt decisionNote
  evidence { kind documentRef description }
  reviews { reviewerId decision note }
  comparison { currentUnitPrice proposedUnitPrice direction changeShare route
    history { unitPrice state validFrom validTo }
    lowestOtherProvince { unitPrice provinceCode source effectiveOn }
    vbpAwards { productId awardedUnitPrice convertedUnitPrice source }
    paymentStandard { unitPrice source } }`;
const APPLY = `mutation($input: ApplyForListingInput!) { applyForListing(input: $input) { ${APPLICATION_FIELDS} } }`;
const REVIEW = `mutation($input: ReviewListingInput!) { reviewListingApplication(input: $input) { ${APPLICATION_FIELDS} } }`;
const LISTING = `query($id: ID!) { listing(id: $id) { state unitPrice history { unitPrice state validFrom validTo changedBy reason applicationId } } }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { lines { source unitPrice } } }`;
const LETTER = `mutation { fileCommitmentLetter(input: { documentRef: "CL-2026", signedOn: "2026-03-01" }) { id } }`;

const EVIDENCE = [
  { kind: 'COST_DOCUMENT', documentRef: 'DOC-2026-0417', description: '2025年度成本核算报告' },
  { kind: 'RAW_MATERIAL_NOTICE', documentRef: 'DOC-2026-0418', description: '原料药供应商涨价通知' },
];

const SECOND_PASSWORD = 'Review#2026x';

jest.setTimeout(90_000);

describe('price governance: every change of a listed price is reviewed by policy, orders use the price in force', () => {
  let t: TestApp;
  let org: Record<string, string>;
  let product: Record<string, { id: string; variety_id: string }>;
  let listingId: string;
  let orderNo = 0;
  const standards: PaymentStandards = { standardFor: async () => ({ unitPrice: '1.3000', source: '河南省医保支付标准（2026版）' }) };

  const apply = (input: Record<string, unknown>) => t.as('mfr-alpha').ok<any>(APPLY, { input: { productId: product['omep-20-alpha'].id, ...input } }).then((r) => r.applyForListing);
  const as = (user: string) => (user === 'reg-henan-2' ? t.as(user, SECOND_PASSWORD) : t.as(user));
  const review = (user: string, applicationId: string, decision: string, note: string) =>
    as(user).ok<any>(REVIEW, { input: { applicationId, decision, note } }).then((r) => r.reviewListingApplication);
  const order = async () => {
    const res = await t.as('hosp-zz-1').ok<any>(PLACE, { input: { idempotencyKey: `price-gov-order-${++orderNo}`, lines: [{ productId: product['omep-20-alpha'].id, quantity: 10 }] } });
    return res.placeOrder.lines[0];
  };
  const listing = async () => (await t.as('reg-henan').ok<any>(LISTING, { id: listingId })).listing;

  beforeAll(async () => {
    t = await startTestApp({ providers: [{ provide: PAYMENT_STANDARDS, useValue: standards }] });
    org = Object.fromEntries((await t.sql(`SELECT external_key, id FROM organisation WHERE external_key IS NOT NULL`)).map((r) => [r.external_key, r.id]));
    product = Object.fromEntries((await t.sql(`SELECT external_key, id, variety_id FROM product`)).map((r) => [r.external_key, r]));
    await t.as('mfr-alpha').ok(LETTER);
    // a second provincial regulator, for maker-checker reviews
    const [{ organisation_id: henan }] = await t.sql(`SELECT organisation_id FROM app_user WHERE username = 'reg-henan'`);
    await t.admin.ok(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
      input: { username: 'reg-henan-2', displayName: '价格处复核员', password: SECOND_PASSWORD, role: 'REGULATOR', organisationId: henan },
    });
    await t.as('mfr-alpha').ok(`mutation($input: AppointDistributorInput!) { appointDistributor(input: $input) { id } }`, {
      input: { distributorId: org['dist-zy'], regionCode: '410100', startsAt: '2026-01-01T00:00:00+08:00' },
    });
    const listed = await apply({ unitPrice: '1.2500' });
    expect(listed).toMatchObject({ kind: 'NEW', state: 'AUTO_APPROVED', unitPrice: '1.2500' });
    listingId = listed.listingId;
  });
  afterAll(() => t.close());

  it('1.25 → 999.25 waits for two different regulators with evidence and a comparison; meanwhile orders are priced at 1.25; refused with reasons', async () => {
    // the reviewer's comparison: another province's price and a VBP award for the variety
    await t.as('reg-henan').ok(`mutation($input: RecordReferencePriceInput!) { recordReferencePrice(input: $input) { id } }`, {
      input: { productId: product['omep-20-alpha'].id, provinceCode: '320000', unitPrice: '1.3100', effectiveOn: '2026-01-01', source: '江苏挂网价' },
    });
    t.app.get(SqlVbpWinnerPrices).register(product['omep-20-alpha'].variety_id, {
      productId: product['omep-20-origa'].id, awardedUnitPrice: '1.4000', specFactor: '1', national: true, supplyRegionCodes: ['410000'], source: '国家组织药品集采 第九批',
    });
    t.clock.advance(60_000);

    const before = await t.sql(`SELECT count(*)::int AS n FROM listing_application`);
    expect(await t.as('mfr-alpha').refused(APPLY, { input: { productId: product['omep-20-alpha'].id, unitPrice: '999.2500', evidence: EVIDENCE } })).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.reason' });
    expect(await t.as('mfr-alpha').refused(APPLY, { input: { productId: product['omep-20-alpha'].id, unitPrice: '999.2500', reason: '原料涨价' } })).toMatchObject({ code: 'PRICE_EVIDENCE_REQUIRED', field: 'input.evidence' });
    expect(await t.sql(`SELECT count(*)::int AS n FROM listing_application`)).toEqual(before);

    const change = await apply({ unitPrice: '999.2500', reason: '原料药价格上涨，成本倒挂', evidence: EVIDENCE });
    expect(change).toMatchObject({
      kind: 'PRICE_CHANGE',
      state: 'PENDING_REVIEW',
      unitPrice: '999.2500',
      previousUnitPrice: '1.2500',
      reviewsRequired: 2,
      priceChangePolicyVersion: 'PRICE-CHANGE-2026-1',
      effectiveAt: null,
      evidence: EVIDENCE,
      reviews: [],
    });
    expect(change.comparison).toEqual({
      currentUnitPrice: '1.2500',
      proposedUnitPrice: '999.2500',
      direction: 'INCREASE',
      changeShare: '798.4000',
      route: expect.stringContaining('2 different regulators'),
      history: [{ unitPrice: '1.2500', state: 'LISTED', validFrom: expect.stringMatching(/^2026-03-02T09:00:00(\.000)?\+08:00$/), validTo: null }],
      lowestOtherProvince: { unitPrice: '1.3100', provinceCode: '320000', source: '江苏挂网价', effectiveOn: '2026-01-01' },
      vbpAwards: [{ productId: product['omep-20-origa'].id, awardedUnitPrice: '1.4000', convertedUnitPrice: '1.4000', source: '国家组织药品集采 第九批' }],
      paymentStandard: { unitPrice: '1.3000', source: '河南省医保支付标准（2026版）' },
    });
    expect(await order()).toEqual({ source: 'LISTING', unitPrice: '1.2500' });

    // the manufacturer may not review; the first regulator's approval is not enough
    expect((await t.as('mfr-alpha').refused(REVIEW, { input: { applicationId: change.id, decision: 'APPROVE', note: '同意' } })).code).toBe('SELF_REVIEW_FORBIDDEN');
    const first = await review('reg-henan', change.id, 'APPROVE', '成本材料齐全，初审同意');
    expect(first).toMatchObject({ state: 'PENDING_REVIEW', reviews: [{ decision: 'APPROVE', note: '成本材料齐全，初审同意' }] });
    t.clock.advance(60_000);
    expect(await order()).toEqual({ source: 'LISTING', unitPrice: '1.2500' });
    expect((await listing()).unitPrice).toBe('1.2500');

    // the same regulator cannot be the second reviewer, whatever the decision
    const reviews = await t.sql(`SELECT count(*)::int AS n FROM listing_application_review`);
    expect(await t.as('reg-henan').refused(REVIEW, { input: { applicationId: change.id, decision: 'APPROVE', note: '复核同意' } })).toMatchObject({ code: 'SECOND_REVIEWER_REQUIRED', field: 'input.applicationId' });
    expect((await t.as('reg-henan').refused(REVIEW, { input: { applicationId: change.id, decision: 'REFUSE', note: 'x' } })).code).toBe('SECOND_REVIEWER_REQUIRED');
    expect(await t.sql(`SELECT count(*)::int AS n FROM listing_application_review`)).toEqual(reviews);

    const refused = await review('reg-henan-2', change.id, 'REFUSE', '涨幅远超成本变动，且高于外省最低价和集采中选价，不予同意');
    expect(refused).toMatchObject({ state: 'REFUSED', decisionNote: '涨幅远超成本变动，且高于外省最低价和集采中选价，不予同意', effectiveAt: null });
    expect(refused.reviews.map((r: any) => r.decision)).toEqual(['APPROVE', 'REFUSE']);
    expect(new Set(refused.reviews.map((r: any) => r.reviewerId)).size).toBe(2);
    expect(await order()).toEqual({ source: 'LISTING', unitPrice: '1.2500' });
    const after = await listing();
    expect(after).toMatchObject({ state: 'LISTED', unitPrice: '1.2500' });
    expect(after.history.map((h: any) => h.unitPrice)).toEqual(['1.2500']);
  });

  it('a large increase takes effect only at the second approval; orders before it keep the old price; history says who and why', async () => {
    const change = await apply({ unitPrice: '1.5000', reason: '包材及人工成本上涨', evidence: EVIDENCE.slice(0, 1) });
    expect(change).toMatchObject({ state: 'PENDING_REVIEW', reviewsRequired: 2, comparison: { changeShare: '0.2000', direction: 'INCREASE' } });
    await review('reg-henan', change.id, 'APPROVE', '初审同意');
    t.clock.advance(60_000);
    expect(await order()).toEqual({ source: 'LISTING', unitPrice: '1.2500' });
    t.clock.advance(60_000);
    const approvedAt = t.clock.now();
    const approved = await review('reg-henan-2', change.id, 'APPROVE', '复核同意');
    expect(approved).toMatchObject({ state: 'APPROVED', reviewsRequired: 2 });
    expect(new Date(approved.effectiveAt).getTime()).toBe(approvedAt.getTime());
    expect(await order()).toEqual({ source: 'LISTING', unitPrice: '1.5000' });

    const [{ id: secondReviewer }] = await t.sql(`SELECT id FROM app_user WHERE username = 'reg-henan-2'`);
    const { history } = await listing();
    expect(history.map((h: any) => h.unitPrice)).toEqual(['1.2500', '1.5000']);
    expect(new Date(history[1].validFrom).getTime()).toBe(approvedAt.getTime());
    expect(history[0].validTo).toBe(history[1].validFrom);
    expect(history[1]).toMatchObject({ state: 'LISTED', changedBy: secondReviewer, applicationId: change.id, reason: expect.stringContaining('包材及人工成本上涨') });

    // the price in force at an instant before the approval is still the old one
    const PRICE = `query($p: ID!, $at: DateTime!) { listingPriceInForce(productId: $p, regionCode: "410105", at: $at) { unitPrice } }`;
    const at = async (instant: Date) => (await t.as('hosp-zz-1').ok<any>(PRICE, { p: product['omep-20-alpha'].id, at: instant.toISOString() })).listingPriceInForce.unitPrice;
    expect(await at(new Date(approvedAt.getTime() - 1))).toBe('1.2500');
    expect(await at(approvedAt)).toBe('1.5000');
  });

  it('a small decrease passing every check takes effect at once; a small increase needs one regulator; a returned one never takes effect', async () => {
    t.clock.advance(60_000);
    const cut = await apply({ unitPrice: '1.2900', reason: '主动降价' });
    expect(cut).toMatchObject({ state: 'AUTO_APPROVED', reviewsRequired: 0, previousUnitPrice: '1.5000', comparison: { direction: 'DECREASE', changeShare: '-0.1400' } });
    expect(new Date(cut.effectiveAt).getTime()).toBe(t.clock.now().getTime());
    expect(await order()).toEqual({ source: 'LISTING', unitPrice: '1.2900' });

    // a decrease that still fails a check (above a lower other-province price) waits for one regulator
    await t.as('reg-henan').ok(`mutation($input: RecordReferencePriceInput!) { recordReferencePrice(input: $input) { id } }`, {
      input: { productId: product['omep-20-alpha'].id, provinceCode: '330000', unitPrice: '1.1000', effectiveOn: '2026-02-01', source: '浙江挂网价' },
    });
    const heldCut = await apply({ unitPrice: '1.2000', reason: '降价' });
    expect(heldCut).toMatchObject({ state: 'PENDING_REVIEW', reviewsRequired: 1 });
    expect((await review('reg-henan', heldCut.id, 'RETURN_FOR_PRICE_CUT', '请降至外省最低价')).state).toBe('RETURNED_FOR_PRICE_CUT');
    expect(await order()).toEqual({ source: 'LISTING', unitPrice: '1.2900' });

    const small = await apply({ unitPrice: '1.3000', reason: '运输成本上涨', evidence: EVIDENCE.slice(1) });
    expect(small).toMatchObject({ state: 'PENDING_REVIEW', reviewsRequired: 1, comparison: { changeShare: '0.0078' } });
    expect(await review('reg-henan-2', small.id, 'APPROVE', '同意')).toMatchObject({ state: 'APPROVED' });
    expect(await order()).toEqual({ source: 'LISTING', unitPrice: '1.3000' });
    const audit = await t.sql(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`, [small.id]);
    expect(audit.map((a) => a.action)).toEqual(['listing.applied', 'listing.reviewed']);
  });
});
