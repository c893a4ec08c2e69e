import ExcelJS from 'exceljs';
import { startTestApp, TestApp } from '@test/harness';
import { orgId } from './tendering-fixtures';
import { addTestListing, demoIds } from './support/test-supply';
import { EXTERNAL_IMPLEMENT_JOB } from '../src/tendering/external-awards.service';

/**
 * 国家组织集采结果落地: a regulator imports a national batch's results (3 varieties, 2 winners each) as CSV and
 * XLSX; a broken file is refused with every fault's row and column and nothing written; a corrected file makes
 * version 2 with a diff; hospitals report demand and, at the demand deadline, get agreements with the winner
 * of their region by the same volume and allocation rules and prepayments as the platform's own rounds.
 */
const IMPORT = `mutation($input: ImportExternalAwardsInput!) { importExternalAwards(input: $input) {
  unchanged batch { id code level currentVersion roundId round { id state source level coveredRegionCodes lots { id name specs { spec comparableFactor ceilingUnitPrice } } } }
  version { version format contentSha256 varietyCount winnerCount diff { kind } } } }`;
const IMPORT_JSON = `mutation($input: ImportExternalAwardsJsonInput!) { importExternalAwardsJson(input: $input) { unchanged batch { id level allianceName round { id source allianceName lots { id } } } version { version format } } }`;
const BATCH = `query($id: ID!) { externalAwardBatch(id: $id) { code currentVersion versions { version format contentSha256 diff { kind varietyCode spec manufacturerCode field before after } } } }`;
const IMPLEMENT = `mutation($id: ID!) { implementExternalAwards(batchId: $id) { id state source cycleEnd } }`;
const REPORT_DEMAND = `mutation($input: ReportDemandInput!) { reportDemand(input: $input) { id quantity supplyRegionCode } }`;
const AGREEMENTS = `query($roundId: ID) { volumeAgreements(roundId: $roundId, first: 100) { nodes { hospitalId manufacturerId productId annualQuantity agreedQuantity awardedUnitPrice source cycleStart cycleEnd } } }`;
const IN_FORCE = `{ vbpVarietiesInForce { level varieties rounds } }`;

const HEADER = ['batchCode', 'level', 'allianceName', 'cycleStart', 'cycleYears', 'volumeShare', 'varietyCode', 'spec', 'comparableFactor', 'manufacturerCode', 'approvalNumber', 'unitPrice', 'primaryRegions', 'backupRegions'];
const DEMAND_DEADLINE = '2026-03-20T17:00:00+08:00';
type Row = string[];

function csv(rows: Row[]): string {
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [HEADER, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}
async function xlsx(rows: Row[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('中选结果');
  sheet.addRow(HEADER);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

describe('external awards: a national batch imported, versioned and implemented', () => {
  let t: TestApp;
  let code: Record<string, string>;
  let rows: Row[];
  beforeAll(async () => {
    t = await startTestApp();
    code = {};
    for (const key of ['mfr-alpha', 'mfr-theta', 'mfr-beta', 'mfr-eta', 'mfr-kappa']) {
      const [row] = await t.sql(`SELECT code FROM organisation WHERE external_key = $1`, [key]);
      code[key] = row.code;
    }
    const batch = ['GY-YD2026-1', 'NATIONAL', '', '2026-05-01', '2', '0.7'];
    rows = [
      [...batch, 'FAMOTIDINE', '20mg', '1', code['mfr-alpha'], '国药准字H20223581', '0.9500', '410100;410300', '411300'],
      [...batch, 'FAMOTIDINE', '20mg', '1', code['mfr-theta'], '国药准字H20213460', '1.1200', '411300', '410100;410300'],
      [...batch, 'OMEPRAZOLE', '20mg', '1', code['mfr-alpha'], '国药准字H20203650', '0.3100', '410100', '410300;411300'],
      [...batch, 'OMEPRAZOLE', '20mg', '1', code['mfr-theta'], '国药准字H20193388', '0.2900', '410300;411300', '410100'],
      [...batch, 'OMEPRAZOLE', '10mg', '0.5882', code['mfr-theta'], '国药准字H20193389', '0.1706', '', ''],
      [...batch, 'LEVOFLOXACIN', '0.5g', '1', code['mfr-beta'], '国药准字H20193260', '1.2000', '410100;410300;411300', ''],
      [...batch, 'LEVOFLOXACIN', '0.25g', '0.5882', code['mfr-beta'], '国药准字H20193261', '0.7100', '', ''],
      [...batch, 'LEVOFLOXACIN', '0.5g', '1', code['mfr-eta'], '国药准字H20183173', '1.3500', '', '410100;410300;411300'],
    ];
  });
  afterAll(() => t.close());

  const counts = async () => (await t.sql(`SELECT (SELECT count(*)::int FROM external_award_batch) AS batches, (SELECT count(*)::int FROM external_award_version) AS versions, (SELECT count(*)::int FROM tender_round) AS rounds, (SELECT count(*)::int FROM tender_lot) AS lots`))[0];

  it('refuses a broken file with every fault’s row and column, and writes nothing', async () => {
    const before = await counts();
    const broken = rows.map((r) => [...r]);
    broken[0][11] = '0.95001'; // 5 decimals (row 2)
    broken[1][10] = '国药准字H00000000'; // unknown product (row 3)
    broken[2][9] = '91410000000000000X'; // unknown manufacturer (row 4)
    broken[5][12] = '410100;410300;320100'; // a region of Jiangsu (row 7)
    broken[6] = [...broken[6].slice(0, 9), '', '', '', '', '']; // LEVOFLOXACIN 0.25g declared with no winner (row 8)
    const refused = await t.as('reg-henan').gql(IMPORT, { input: { format: 'CSV', fileName: 'broken.csv', contentBase64: b64(csv(broken)), demandDeadline: DEMAND_DEADLINE } });
    const ext = refused.errors![0].extensions as { code: string; errors: { row: number; column: string; columnLetter: string; message: string }[] };
    expect(ext.code).toBe('IMPORT_FILE_INVALID');
    const at = ext.errors.map((e) => `${e.row}:${e.column}:${e.columnLetter}`);
    expect(at).toEqual(expect.arrayContaining(['2:unitPrice:L', '3:approvalNumber:K', '4:manufacturerCode:J', '7:primaryRegions:M', '8:manufacturerCode:J']));
    expect(ext.errors.find((e) => e.row === 2)!.message).toMatch(/4 decimals/);
    expect(ext.errors.find((e) => e.row === 7)!.message).toMatch(/320100.*不在本省/);
    expect(ext.errors.find((e) => e.row === 8)!.message).toMatch(/没有中选企业/);
    expect(refused.errors![0].message).toMatch(/^第 \d+ 行/);
    expect(await counts()).toEqual(before);
  });

  let batchId: string;
  let roundId: string;
  let allianceRoundId: string;
  let allianceLotId: string;
  let lots: { id: string; name: string }[];
  it('imports the CSV: a round of source NATIONAL takes demand for its 3 varieties', async () => {
    const res = (await t.as('reg-henan').ok<any>(IMPORT, { input: { format: 'CSV', fileName: 'gy-2026-1.csv', contentBase64: b64(csv(rows)), demandDeadline: DEMAND_DEADLINE } })).importExternalAwards;
    expect(res.unchanged).toBe(false);
    expect(res.version).toMatchObject({ version: 1, format: 'CSV', varietyCount: 3, winnerCount: 6, diff: [] });
    expect(res.batch).toMatchObject({ code: 'GY-YD2026-1', level: 'NATIONAL', currentVersion: 1 });
    expect(res.batch.round).toMatchObject({ state: 'DEMAND_REPORTING', source: 'NATIONAL', level: 'NATIONAL', coveredRegionCodes: ['410100', '410300', '411300'] });
    expect(res.batch.round.lots).toHaveLength(3);
    const omeprazole = res.batch.round.lots.find((l: any) => l.name === '奥美拉唑肠溶胶囊');
    expect(omeprazole.specs).toEqual(expect.arrayContaining([{ spec: '10mg', comparableFactor: '0.588200', ceilingUnitPrice: '0.1706' }]));
    batchId = res.batch.id;
    roundId = res.batch.round.id;
    lots = res.batch.round.lots;
  });

  it('re-importing the same results is idempotent: the same file again, or as XLSX', async () => {
    const again = (await t.as('reg-henan').ok<any>(IMPORT, { input: { format: 'CSV', contentBase64: b64(csv(rows)) } })).importExternalAwards;
    expect(again).toMatchObject({ unchanged: true, version: { version: 1 } });
    const asXlsx = (await t.as('reg-henan').ok<any>(IMPORT, { input: { format: 'XLSX', fileName: 'gy-2026-1.xlsx', contentBase64: b64(await xlsx(rows)) } })).importExternalAwards;
    expect(asXlsx).toMatchObject({ unchanged: true, version: { version: 1, format: 'CSV' } });
    expect(await counts()).toMatchObject({ batches: 1, versions: 1, rounds: 1, lots: 3 });
  });

  it('a corrected file (as XLSX) makes version 2, with what changed: prices, regions, winners', async () => {
    const corrected = rows.map((r) => [...r]);
    corrected[1][11] = '1.0800'; // theta's famotidine price
    corrected[5][12] = '410100;410300'; // beta no longer primary in Nanyang…
    corrected[7][12] = '411300'; // …eta is
    corrected[7][13] = '410100;410300';
    const res = (await t.as('reg-henan').ok<any>(IMPORT, { input: { format: 'XLSX', fileName: 'gy-2026-1-v2.xlsx', contentBase64: b64(await xlsx(corrected)) } })).importExternalAwards;
    expect(res).toMatchObject({ unchanged: false, version: { version: 2, format: 'XLSX' }, batch: { currentVersion: 2 } });
    const { externalAwardBatch } = await t.as('reg-henan').ok<any>(BATCH, { id: batchId });
    expect(externalAwardBatch.versions.map((v: any) => v.version)).toEqual([1, 2]);
    const diff = externalAwardBatch.versions[1].diff;
    expect(diff).toEqual(
      expect.arrayContaining([
        { kind: 'PRICE_CHANGED', varietyCode: 'FAMOTIDINE', spec: '20mg', manufacturerCode: code['mfr-theta'], field: 'unitPrice', before: '1.1200 (国药准字H20213460)', after: '1.0800 (国药准字H20213460)' },
        expect.objectContaining({ kind: 'REGIONS_CHANGED', varietyCode: 'LEVOFLOXACIN', manufacturerCode: code['mfr-beta'], before: '主供 410100;410300;411300；备供 -', after: '主供 410100;410300；备供 -' }),
        expect.objectContaining({ kind: 'REGIONS_CHANGED', varietyCode: 'LEVOFLOXACIN', manufacturerCode: code['mfr-eta'] }),
      ]),
    );
    expect(diff).toHaveLength(3);
    // the round follows the version in force: the famotidine 20mg ceiling is the highest awarded price now
    const [spec] = await t.sql(`SELECT s.ceiling_unit_price::text AS p FROM tender_lot_spec s JOIN tender_lot l ON l.id = s.lot_id JOIN variety v ON v.id = l.variety_id WHERE l.round_id = $1 AND v.code = 'FAMOTIDINE'`, [roundId]);
    expect(spec.p).toBe('1.0800');
    rows = corrected;
  });

  it('the JSON variant for machine clients: faults name the input path; an alliance batch imports', async () => {
    const json = {
      batchCode: 'LM-ZZ2026-1',
      level: 'ALLIANCE',
      allianceName: '郑州八省联盟',
      cycleStart: '2026-06-01',
      cycleYears: 1,
      volumeShare: '0.6',
      demandDeadline: DEMAND_DEADLINE,
      varieties: [
        {
          code: 'ROSUVASTATIN',
          specs: [{ spec: '10mg' }, { spec: '5mg' }],
          winners: [
            { manufacturerCode: code['mfr-eta'], primaryRegions: ['410100'], backupRegions: [], prices: [{ spec: '10mg', approvalNumber: '国药准字H20193121', unitPrice: '0.86005' }, { spec: '5mg', approvalNumber: '国药准字H20193120', unitPrice: '0.5200' }] },
          ],
        },
      ],
    };
    const refused = await t.as('reg-henan').gql(IMPORT_JSON, { input: json });
    expect(refused.errors![0].extensions).toMatchObject({ code: 'IMPORT_FILE_INVALID', field: 'input.varieties[0].winners[0].prices[0].unitPrice', row: null });
    json.varieties[0].winners[0].prices[0].unitPrice = '0.8600';
    const res = (await t.as('reg-henan').ok<any>(IMPORT_JSON, { input: json })).importExternalAwardsJson;
    expect(res).toMatchObject({ unchanged: false, batch: { level: 'ALLIANCE', allianceName: '郑州八省联盟', round: { source: 'ALLIANCE', allianceName: '郑州八省联盟' } }, version: { version: 1, format: 'JSON' } });
    allianceRoundId = res.batch.round.id;
    allianceLotId = res.batch.round.lots[0].id;
    expect((await t.as('reg-henan').ok<any>(IMPORT_JSON, { input: json })).importExternalAwardsJson.unchanged).toBe(true);
  });

  it('only regulators import', async () => {
    const refused = await t.as('hosp-zz-1').refused(IMPORT, { input: { format: 'CSV', contentBase64: b64(csv(rows)) } });
    expect(refused.code).toBe('FORBIDDEN');
  });

  it('hospitals report demand; at the deadline each gets the winner of its region, 70 % of its demand, with prepayments', async () => {
    const famotidine = lots.find((l) => l.name === '注射用法莫替丁')!;
    const omeprazole = lots.find((l) => l.name === '奥美拉唑肠溶胶囊')!;
    const levofloxacin = lots.find((l) => l.name === '左氧氟沙星片')!;
    for (const [user, lot, quantity] of [
      ['hosp-zz-1', famotidine, 1000],
      ['hosp-ly-1', famotidine, 2000],
      ['hosp-ny-1', famotidine, 500],
      ['hosp-zz-1', omeprazole, 3001],
      ['hosp-ly-1', omeprazole, 1000],
      ['hosp-ny-1', levofloxacin, 800],
    ] as const) {
      await t.as(user).ok(REPORT_DEMAND, { input: { lotId: lot.id, quantity } });
    }
    await t.as('hosp-zz-1').ok(REPORT_DEMAND, { input: { lotId: allianceLotId, quantity: 1000 } });
    // before the deadline: refused, nothing implemented
    expect((await t.as('reg-henan').refused(IMPLEMENT, { id: batchId })).code).toBe('DEADLINE_NOT_REACHED');
    // no bidding for an imported batch
    expect((await t.as('reg-henan').refused(`mutation($id: ID!) { openRound(id: $id) { roundId } }`, { id: roundId })).code).toBe('INVALID_STATE');

    t.clock.set(DEMAND_DEADLINE);
    const round = (await t.as('reg-henan').ok<any>(IMPLEMENT, { id: batchId })).implementExternalAwards;
    expect(round).toMatchObject({ state: 'CONFIRMED', source: 'NATIONAL' });
    expect(round.cycleEnd).toBe('2028-05-01T00:00:00.000+08:00');

    const id = async (key: string) => orgId(t, key);
    const product = async (approval: string) => (await t.sql(`SELECT id FROM product WHERE approval_number = $1`, [approval]))[0].id;
    const all = (await t.as('reg-henan').ok<any>(AGREEMENTS, { roundId })).volumeAgreements.nodes;
    const expectAgreement = async (hospital: string, manufacturer: string, approval: string, annual: number, price: string) => {
      const h = await id(hospital);
      const p = await product(approval);
      const found = all.filter((a: any) => a.hospitalId === h && a.productId === p);
      expect(found).toEqual([expect.objectContaining({ manufacturerId: await id(manufacturer), annualQuantity: annual, agreedQuantity: annual * 2, awardedUnitPrice: price, source: 'NATIONAL', cycleStart: '2026-05-01T00:00:00.000+08:00' })]);
    };
    await expectAgreement('hosp-zz-1', 'mfr-alpha', '国药准字H20223581', 700, '0.9500'); // Zhengzhou: alpha primary
    await expectAgreement('hosp-ly-1', 'mfr-alpha', '国药准字H20223581', 1400, '0.9500'); // Luoyang: alpha primary
    await expectAgreement('hosp-ny-1', 'mfr-theta', '国药准字H20213460', 350, '1.0800'); // Nanyang: theta primary, corrected price
    await expectAgreement('hosp-zz-1', 'mfr-alpha', '国药准字H20203650', 2101, '0.3100'); // round-half-up(3001 × 0.7)
    await expectAgreement('hosp-ly-1', 'mfr-theta', '国药准字H20193388', 700, '0.2900'); // theta's reference spec (20mg)
    await expectAgreement('hosp-ny-1', 'mfr-eta', '国药准字H20183173', 560, '1.3500'); // v2: eta is Nanyang's primary
    expect(all).toHaveLength(6);

    // the hospital sees its own; prepayments as for the platform's rounds
    const own = (await t.as('hosp-ny-1').ok<any>(AGREEMENTS, { roundId })).volumeAgreements.nodes;
    expect(own.map((a: any) => a.source)).toEqual(['NATIONAL', 'NATIONAL']);
    const [prepay] = await t.sql(`SELECT count(*)::int AS n, sum(amount_fen)::text AS total FROM prepayment_due WHERE round_id = $1`, [roundId]);
    expect(prepay.n).toBe(3);
    expect(BigInt(prepay.total)).toBeGreaterThan(0n);
    // the backup of Nanyang for famotidine is alpha: a supply failure there is taken over as for any round
    const [backup] = await t.sql(`SELECT backup_manufacturer_id FROM volume_agreement WHERE round_id = $1 AND hospital_id = $2 AND variety_id = (SELECT variety_id FROM tender_lot WHERE id = $3)`, [roundId, await id('hosp-ny-1'), famotidine.id]);
    expect(backup.backup_manufacturer_id).toBe(await id('mfr-alpha'));
    // the stored result reads like an opened round's
    const outcome = await t.as('reg-henan').ok<any>(`query($id: ID!) { roundResult(roundId: $id) { lots { status winnerCount volumeShare cycleYears bids { status awardedUnitPrice } } } }`, { id: roundId });
    expect(outcome.roundResult.lots.map((l: any) => [l.status, l.winnerCount, l.volumeShare, l.cycleYears])).toEqual([
      ['AWARDED', 2, '0.7', 2],
      ['AWARDED', 2, '0.7', 2],
      ['AWARDED', 2, '0.7', 2],
    ]);
  });

  it('after implementation: the same file stays idempotent; a corrected one is refused', async () => {
    expect((await t.as('reg-henan').ok<any>(IMPORT, { input: { format: 'CSV', contentBase64: b64(csv(rows)) } })).importExternalAwards.unchanged).toBe(true);
    const changed = rows.map((r) => [...r]);
    changed[0][11] = '0.9400';
    expect((await t.as('reg-henan').refused(IMPORT, { input: { format: 'CSV', contentBase64: b64(csv(changed)) } })).code).toBe('EXTERNAL_AWARDS_IMPLEMENTED');
    expect(await counts()).toMatchObject({ batches: 2, versions: 3 });
  });

  it('the scheduler implements a batch whose demand deadline has passed (here the alliance’s)', async () => {
    await t.jobs.runNow(EXTERNAL_IMPLEMENT_JOB);
    const [round] = await t.sql(`SELECT state, source FROM tender_round WHERE id = $1`, [allianceRoundId]);
    expect(round).toEqual({ state: 'CONFIRMED', source: 'ALLIANCE' });
    const agreements = (await t.as('hosp-zz-1').ok<any>(AGREEMENTS, { roundId: allianceRoundId })).volumeAgreements.nodes;
    expect(agreements).toEqual([expect.objectContaining({ annualQuantity: 600, agreedQuantity: 600, awardedUnitPrice: '0.8600', source: 'ALLIANCE' })]);
  });

  it('counts varieties in force by level', async () => {
    const counted = (await t.as('hosp-zz-1').ok<any>(IN_FORCE)).vbpVarietiesInForce;
    expect(counted).toEqual([
      { level: 'NATIONAL', varieties: 3, rounds: 1 },
      { level: 'ALLIANCE', varieties: 1, rounds: 1 },
      { level: 'PROVINCIAL', varieties: 0, rounds: 0 },
    ]);
  });
});

describe('demand baselines: the platform’s own receipts first, imported files fill gaps, each figure with its source', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: '2025-06-02T09:00:00+08:00' });
  });
  afterAll(() => t.close());

  const BASELINES = `query($year: Int!) { demandBaselines(year: $year) { hospitalId varietyId year quantity amount source } }`;
  const SET = `mutation($e: [DemandBaselineInput!]!) { setDemandBaselines(entries: $e) { hospitalId quantity amount source } }`;

  it('a hospital that bought on the platform last year reports against its receipts, another against the imported file', async () => {
    const ids = await demoIds(t);
    const half = ids.product('ente-05-zeta');
    const one = ids.product('ente-1-zeta');
    const zeta = ids.manufacturerOf('ente-05-zeta');
    await addTestListing(t, { productId: half, manufacturerId: zeta, unitPrice: '6.4500', from: '2025-01-01T00:00:00+08:00' });
    await addTestListing(t, { productId: one, manufacturerId: zeta, unitPrice: '10.9800', from: '2025-01-01T00:00:00+08:00' });
    await t.as('mfr-zeta').ok(`mutation($input: AppointDistributorInput!) { appointDistributor(input: $input) { id } }`, { input: { distributorId: ids.org('dist-zy'), regionCode: '410100', startsAt: '2025-01-01T00:00:00+08:00' } });
    const order = (await t.as('hosp-zz-1').ok<any>(`mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id lines { id productId } } }`, { input: { idempotencyKey: 'baseline-2025-0001', lines: [{ productId: half, quantity: 100 }, { productId: one, quantity: 20 }] } })).placeOrder;
    await t.as('dist-zy').ok(`mutation($id: ID!) { confirmOrder(orderId: $id) { state } }`, { id: order.id });
    const lineOf = (p: string) => order.lines.find((l: any) => l.productId === p).id;
    const shipment = (await t.as('dist-zy').ok<any>(`mutation($input: ShipOrderInput!) { shipOrder(input: $input) { id lines { id orderLineId } } }`, { input: { orderId: order.id, lines: [
      { orderLineId: lineOf(half), quantity: 100, batchNumber: 'E2506A', expiresOn: '2027-06-30' },
      { orderLineId: lineOf(one), quantity: 20, batchNumber: 'E2506B', expiresOn: '2027-06-30' },
    ] } })).shipOrder;
    const shipLine = (orderLineId: string) => shipment.lines.find((l: any) => l.orderLineId === orderLineId).id;
    t.clock.advance(24 * 3600_000);
    const receipt = (await t.as('hosp-zz-1').ok<any>(`mutation($input: ReceiveShipmentInput!) { receiveShipment(input: $input) { id lines { id orderLineId } } }`, { input: { shipmentId: shipment.id, lines: [
      { shipmentLineId: shipLine(lineOf(half)), acceptedQuantity: 100, rejectedQuantity: 0 },
      { shipmentLineId: shipLine(lineOf(one)), acceptedQuantity: 20, rejectedQuantity: 0 },
    ] } })).receiveShipment;
    t.clock.advance(24 * 3600_000);
    const receiptLine = receipt.lines.find((l: any) => l.orderLineId === lineOf(half)).id;
    await t.as('hosp-zz-1').ok(`mutation($input: ReturnGoodsInput!) { returnGoods(input: $input) { id } }`, { input: { orderId: order.id, reason: '近效期', lines: [{ receiptLineId: receiptLine, quantity: 10 }] } });

    // a year later the regulator imports last year's figures from the old system: they fill gaps only
    t.clock.set('2026-03-02T09:00:00+08:00');
    const [entecavir] = await t.sql(`SELECT id FROM variety WHERE code = 'ENTECAVIR'`);
    const set = (await t.as('reg-henan').ok<any>(SET, { e: [
      { hospitalId: ids.org('hosp-zz-1'), varietyId: entecavir.id, year: 2025, quantity: 5000, amount: '30000.00' },
      { hospitalId: ids.org('hosp-zz-2'), varietyId: entecavir.id, year: 2025, quantity: 300, amount: '1800.00' },
    ] })).setDemandBaselines;
    // 90 × 0.5mg (factor 1) + 20 × 1mg (factor 1.7) = 124 reference units; 90 × 6.45 + 20 × 10.98 = 800.10
    expect(set).toEqual([
      { hospitalId: ids.org('hosp-zz-1'), quantity: 124, amount: '800.10', source: 'PLATFORM' },
      { hospitalId: ids.org('hosp-zz-2'), quantity: 300, amount: '1800.00', source: 'IMPORTED' },
    ]);
    const listed = (await t.as('reg-henan').ok<any>(BASELINES, { year: 2025 })).demandBaselines;
    expect(listed.map((b: any) => [b.hospitalId, b.quantity, b.source])).toEqual(
      expect.arrayContaining([
        [ids.org('hosp-zz-1'), 124, 'PLATFORM'],
        [ids.org('hosp-zz-2'), 300, 'IMPORTED'],
      ]),
    );
    expect(await t.as('reg-henan').ok<any>(`mutation { refreshDemandBaselines(year: 2025) }`)).toEqual({ refreshDemandBaselines: 0 }); // nothing changed since
    expect((await t.as('hosp-zz-1').refused(BASELINES, { year: 2025 })).code).toBe('FORBIDDEN');

    // demand reporting checks the floor (80 %) against the platform's 124, not the file's 5000
    const [zetaCode] = await t.sql(`SELECT code FROM organisation WHERE external_key = 'mfr-zeta'`);
    const batch = ['GY-YD2026-2', 'NATIONAL', '', '2026-05-01', '1', '0.6'];
    const file = csv([
      [...batch, 'ENTECAVIR', '0.5mg', '1', zetaCode.code, '国药准字H20163402', '0.6200', '410100;410300;411300', ''],
      [...batch, 'ENTECAVIR', '1mg', '1.7', zetaCode.code, '国药准字H20163403', '1.0500', '', ''],
    ]);
    const imported = (await t.as('reg-henan').ok<any>(IMPORT, { input: { format: 'CSV', contentBase64: b64(file), demandDeadline: DEMAND_DEADLINE } })).importExternalAwards;
    const lotId = imported.batch.round.lots[0].id;
    const refused = await t.as('hosp-zz-1').refused(REPORT_DEMAND, { input: { lotId, quantity: 99 } });
    expect(refused).toMatchObject({ code: 'DEMAND_REASON_REQUIRED' });
    expect(refused.message).toMatch(/100/); // ⌈124 × 0.8⌉
    await t.as('hosp-zz-1').ok(REPORT_DEMAND, { input: { lotId, quantity: 100 } });
    await t.as('hosp-zz-2').ok(REPORT_DEMAND, { input: { lotId, quantity: 240 } });
    const demand = (await t.as('reg-henan').ok<any>(`query($id: ID!) { roundDemand(roundId: $id) { hospitalId quantity baselineQuantity baselineSource } }`, { id: imported.batch.round.id })).roundDemand;
    expect(demand).toEqual(
      expect.arrayContaining([
        { hospitalId: ids.org('hosp-zz-1'), quantity: 100, baselineQuantity: 124, baselineSource: 'PLATFORM' },
        { hospitalId: ids.org('hosp-zz-2'), quantity: 240, baselineQuantity: 300, baselineSource: 'IMPORTED' },
      ]),
    );

    // implemented: retained savings price each hospital's budget against its baseline, and say where it came from
    t.clock.set(DEMAND_DEADLINE);
    await t.as('reg-henan').ok(IMPLEMENT, { id: imported.batch.id });
    const savings = (await t.as('reg-henan').ok<any>(`query($id: ID!) { retainedSavings(roundId: $id) { hospitalId budget baselineSources } }`, { id: imported.batch.round.id })).retainedSavings;
    expect(savings).toEqual(
      expect.arrayContaining([
        // 60 × (80010 fen ÷ 124 = 6.4524 per reference unit)
        { hospitalId: ids.org('hosp-zz-1'), budget: '387.14', baselineSources: ['PLATFORM'] },
        // 144 × (1800.00 ÷ 300 = 6.0000)
        { hospitalId: ids.org('hosp-zz-2'), budget: '864.00', baselineSources: ['IMPORTED'] },
      ]),
    );
  });
});
