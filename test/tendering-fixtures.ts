import { TestApp } from '@test/harness';

/** Ids of demo records by their stable keys, and the round definitions the tendering tests share. */
export async function orgId(t: TestApp, key: string): Promise<string> {
  const [row] = await t.sql(`SELECT id FROM organisation WHERE external_key = $1`, [key]);
  if (!row) throw new Error(`no organisation ${key}`);
  return row.id;
}

export async function productId(t: TestApp, key: string): Promise<string> {
  const [row] = await t.sql(`SELECT id FROM product WHERE external_key = $1`, [key]);
  if (!row) throw new Error(`no product ${key}`);
  return row.id;
}

export async function variety(t: TestApp, code: string): Promise<{ id: string; specs: Record<string, string> }> {
  const [v] = await t.sql(`SELECT id FROM variety WHERE code = $1`, [code]);
  const specs = await t.sql(`SELECT id, spec FROM variety_spec WHERE variety_id = $1`, [v.id]);
  return { id: v.id, specs: Object.fromEntries(specs.map((s: { id: string; spec: string }) => [s.spec, s.id])) };
}

export const CUSTOM_RULE_SET = {
  priceRatio: '1.8',
  anchor: 'LOWEST',
  lowPriceThreshold: '0.10',
  ceilingReduction: '0.50',
  shortlist: { minus: 0, max: 10 },
  revival: true,
  tieBreak: ['UNIT_COMPARABLE_PRICE', 'DEMAND_SHARE', 'SUBMITTED_AT', 'BID_ID'],
  volumeShareByWinners: ['0.5', '0.6', '0.7', '0.8'],
  cycleYearsByWinners: [1, 1, 2, 3],
};

export const TIMES = {
  demandDeadline: '2026-03-10T17:00:00+08:00',
  bidDeadline: '2026-03-20T09:00:00+08:00',
  cycleStart: '2026-05-01T00:00:00+08:00',
};

export async function threeLotRoundInput(t: TestApp, ruleSet: Record<string, unknown> = { customJson: JSON.stringify(CUSTOM_RULE_SET) }) {
  const atorva = await variety(t, 'ATORVASTATIN');
  const amlo = await variety(t, 'AMLODIPINE');
  const rosu = await variety(t, 'ROSUVASTATIN');
  return {
    name: '河南省2026年第一批药品带量采购',
    level: 'PROVINCIAL',
    coveredRegionCodes: ['410100', '410300', '411300'],
    lots: [
      { varietyId: atorva.id, specs: [{ varietySpecId: atorva.specs['10mg'], ceilingUnitPrice: '2.0000' }, { varietySpecId: atorva.specs['20mg'], ceilingUnitPrice: '3.4000' }] },
      { varietyId: amlo.id, specs: [{ varietySpecId: amlo.specs['5mg'], ceilingUnitPrice: '1.0000' }, { varietySpecId: amlo.specs['10mg'], ceilingUnitPrice: '1.7000' }] },
      { varietyId: rosu.id, specs: [{ varietySpecId: rosu.specs['10mg'], ceilingUnitPrice: '3.0000' }, { varietySpecId: rosu.specs['20mg'], ceilingUnitPrice: '5.1000' }] },
    ],
    ruleSet,
    ...TIMES,
  };
}

export const CREATE_ROUND = `mutation($input: RoundInput!) { createRound(input: $input) { id state lots { id name specs { id spec ceilingUnitPrice } } ruleSet { code version ruleSet } } }`;
export const PUBLISH_ROUND = `mutation($id: ID!) { publishRound(id: $id) { id state } }`;
export const REPORT_DEMAND = `mutation($input: ReportDemandInput!) { reportDemand(input: $input) { id quantity supplyRegionCode reason } }`;
export const SUBMIT_BID = `mutation($input: SubmitBidInput!) { submitBid(input: $input) { bidId commitment salt committedDocument receivedAt } }`;
export const REPLACE_BID = `mutation($bidId: ID!, $input: BidTermsInput!) { replaceBid(bidId: $bidId, input: $input) { bidId commitment salt } }`;
export const OPEN_ROUND = `mutation($id: ID!) { openRound(id: $id) { roundId openedAt ruleSetCode lots { lotId name status winnerCount cycleYears agreedQuantity bids { bidId manufacturerId status reason rank unitPrice awardedUnitPrice commitment salt } regions { regionCode primaryBidId backupBidId } allocations { hospitalId regionCode bidId agreedQuantity } } } }`;

/** Every demo manufacturer files its commitment letter (承诺书), which the credit context requires before bidding. */
export async function fileCommitmentLetters(t: TestApp): Promise<void> {
  const { DEMO_ORGANISATIONS } = await import('../src/catalog/demo/demo-data');
  for (const o of DEMO_ORGANISATIONS.filter((o) => o.kind === 'MANUFACTURER')) {
    await t.as(o.key).ok(`mutation { fileCommitmentLetter(input: { documentRef: "CL-${o.key}", signedOn: "2026-03-01" }) { id } }`);
  }
}
