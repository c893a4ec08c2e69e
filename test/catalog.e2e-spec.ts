import { startTestApp, TestApp } from '@test/harness';
import { buildUnifiedSocialCreditCode } from '@libs/identity-codes';

const CREATE_ORG = `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id code creditCode name kind regionCode hospitalLevel } }`;
const REGISTER_DRUG = `mutation($input: RegisterDrugInput!) { registerDrug(input: $input) { id name spec approvalNumber manufacturer { name } } }`;

/** A valid credit code for a new test organisation, distinct per serial. */
const creditCode = (serial: number) => buildUnifiedSocialCreditCode('9', '1', '410100', `MA${String(serial).padStart(7, '0')}`);

describe('catalog: master data, validation and role scoping', () => {
  let t: TestApp;
  const count = async (table: string) => Number((await t.sql(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('shows the Henan region tree to anyone', async () => {
    const res = await t.anonymous.ok<any>(`{ regions(parentCode: "410000") { code name level } }`);
    const codes = res.regions.map((r: any) => r.code);
    expect(codes).toEqual(expect.arrayContaining(['410100', '410300', '411700', '419001']));
    expect(codes.length).toBeGreaterThanOrEqual(18);
  });

  it('creates an organisation with a valid credit code, audited', async () => {
    await t.admin.accessToken(); // the login itself is audited; count after it
    const auditBefore = await count('audit_log');
    const res = await t.admin.ok<any>(CREATE_ORG, {
      input: { code: creditCode(1), name: '郑州测试医院', kind: 'HOSPITAL', regionCode: '410100', hospitalLevel: 'SECONDARY' },
    });
    expect(res.createOrganisation).toMatchObject({ kind: 'HOSPITAL', hospitalLevel: 'SECONDARY', regionCode: '410100' });
    const [entry] = await t.sql(`SELECT action, entity_id FROM audit_log ORDER BY seq DESC LIMIT 1`);
    expect(entry).toEqual({ action: 'organisation.created', entity_id: res.createOrganisation.id });
    expect(await count('audit_log')).toBe(auditBefore + 1);
  });

  it.each([
    ['a wrong check character', { code: creditCode(2).slice(0, 17) + (creditCode(2).endsWith('0') ? '1' : '0') }, 'input.code', 'VALIDATION_FAILED'],
    ['a 17-character code', { code: creditCode(2).slice(0, 17) }, 'input.code', 'VALIDATION_FAILED'],
    ['a region code for a hospital', { code: '410100' }, 'input.code', 'VALIDATION_FAILED'],
    ['a credit code other than the code', { creditCode: creditCode(3) }, 'input.creditCode', 'VALIDATION_FAILED'],
    ['a regulator coded other than its region', { kind: 'REGULATOR', hospitalLevel: null, code: '410200', regionCode: '410100', creditCode: creditCode(3) }, 'input.code', 'VALIDATION_FAILED'],
    ['a regulator without a credit code', { kind: 'REGULATOR', hospitalLevel: null, code: '410200', regionCode: '410200' }, 'input.creditCode', 'VALIDATION_FAILED'],
    ['an unknown kind', { kind: 'PHARMACY' }, 'input.kind', 'VALIDATION_FAILED'],
    ['a hospital without a level', { hospitalLevel: null }, 'input.hospitalLevel', 'VALIDATION_FAILED'],
    ['an unknown region', { regionCode: '990000' }, 'input.regionCode', 'VALIDATION_FAILED'],
  ])('refuses %s with its field and writes nothing', async (_label, change, field, code) => {
    await t.admin.accessToken();
    const before = await count('organisation');
    const auditBefore = await count('audit_log');
    const refused = await t.admin.refused(CREATE_ORG, {
      input: { code: creditCode(2), name: '测试医院', kind: 'HOSPITAL', regionCode: '410100', hospitalLevel: 'PRIMARY', ...change },
    });
    expect(refused).toMatchObject({ code, field });
    expect(refused.status).not.toBe(500);
    expect(await count('organisation')).toBe(before);
    expect(await count('audit_log')).toBe(auditBefore);
  });

  it('refuses a duplicate code or credit code and a duplicate username', async () => {
    const [existing] = await t.sql(`SELECT id, credit_code FROM organisation WHERE external_key = 'hosp-zz-1'`);
    const dup = await t.admin.refused(CREATE_ORG, { input: { code: existing.credit_code, name: '重复', kind: 'HOSPITAL', regionCode: '410100', hospitalLevel: 'PRIMARY' } });
    expect(dup).toMatchObject({ code: 'DUPLICATE_CODE', field: 'input.code' });
    const regulator = await t.admin.refused(CREATE_ORG, { input: { code: '410100', creditCode: creditCode(4), name: '第二个郑州医保局', kind: 'REGULATOR', regionCode: '410100' } });
    expect(regulator).toMatchObject({ code: 'DUPLICATE_CODE', field: 'input.code' });
    const dupCredit = await t.admin.refused(CREATE_ORG, { input: { code: '410200', creditCode: existing.credit_code, name: '开封市医疗保障局', kind: 'REGULATOR', regionCode: '410200' } });
    expect(dupCredit).toMatchObject({ code: 'DUPLICATE_CREDIT_CODE', field: 'input.creditCode' });
    const user = await t.admin.refused(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
      input: { username: 'hosp-zz-1', displayName: 'x', password: 'Strong#Pass1', role: 'HOSPITAL', organisationId: existing.id },
    });
    expect(user).toMatchObject({ code: 'DUPLICATE_USERNAME', field: 'input.username' });
    const weak = await t.admin.refused(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
      input: { username: 'new-user', displayName: 'x', password: 'password', role: 'HOSPITAL', organisationId: existing.id },
    });
    expect(weak).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.password' });
  });

  it('lets a manufacturer register only its own drugs, with a valid approval number', async () => {
    const input = { genericName: '阿托伐他汀钙片', dosageForm: '片剂', spec: '10mg', unitsPerPack: 28, approvalNumber: 'H20269999', consistencyStatus: 'PASSED' };
    const bad = await t.as('mfr-alpha').refused(REGISTER_DRUG, { input });
    expect(bad).toMatchObject({ code: 'VALIDATION_FAILED', field: 'input.approvalNumber' });
    const ok = await t.as('mfr-alpha').ok<any>(REGISTER_DRUG, { input: { ...input, approvalNumber: '国药准字H20269999' } });
    expect(ok.registerDrug.manufacturer.name).toContain('华康');
    const [beta] = await t.sql(`SELECT id FROM organisation WHERE external_key = 'mfr-beta'`);
    const other = await t.as('mfr-alpha').refused(REGISTER_DRUG, { input: { ...input, approvalNumber: '国药准字H20269998', manufacturerId: beta.id } });
    expect(other.code).toBe('FORBIDDEN');
    const hospital = await t.as('hosp-zz-1').refused(REGISTER_DRUG, { input: { ...input, approvalNumber: '国药准字H20269997' } });
    expect(hospital.code).toBe('FORBIDDEN');
    const dup = await t.as('mfr-alpha').refused(REGISTER_DRUG, { input });
    expect(dup.code).toBe('VALIDATION_FAILED');
  });

  it('scopes organisations by role: own for hospitals, region tree for city regulators, all for the province', async () => {
    const query = `query($kind: String) { organisations(first: 100, filter: { kind: $kind }) { totalCount nodes { id regionCode kind } } }`;
    const own = await t.as('hosp-zz-1').ok<any>(query);
    expect(own.organisations.totalCount).toBe(1);
    const city = await t.as('reg-zz').ok<any>(query, { kind: 'HOSPITAL' });
    expect(city.organisations.totalCount).toBeGreaterThan(3);
    expect(city.organisations.nodes.every((o: any) => o.regionCode.startsWith('4101'))).toBe(true);
    const province = await t.as('reg-henan').ok<any>(query, { kind: 'HOSPITAL' });
    expect(province.organisations.totalCount).toBeGreaterThan(city.organisations.totalCount);
    const mfr = await t.as('mfr-alpha').ok<any>(query);
    expect(mfr.organisations.nodes.map((o: any) => o.kind)).toEqual(['MANUFACTURER']);
  });

  it('refuses a hospital asking for another hospital, and a city regulator asking outside its city', async () => {
    const [other] = await t.sql(`SELECT id FROM organisation WHERE external_key = 'hosp-zz-2'`);
    const [luoyang] = await t.sql(`SELECT o.id FROM organisation o WHERE o.kind = 'HOSPITAL' AND o.region_code LIKE '4103%' LIMIT 1`);
    const query = `query($id: ID!) { organisation(id: $id) { name } }`;
    expect((await t.as('hosp-zz-1').refused(query, { id: other.id })).code).toBe('FORBIDDEN');
    expect((await t.as('reg-zz').refused(query, { id: luoyang.id })).code).toBe('FORBIDDEN');
    expect((await t.as('reg-henan').ok<any>(query, { id: luoyang.id })).organisation.name).toBeTruthy();
    expect((await t.as('hosp-zz-1').refused(query, { id: '00000000-0000-0000-0000-000000000000' })).code).toBe('NOT_FOUND');
  });

  it('finds any organisation by its public code, and filters the caller\'s list by it', async () => {
    const [dist] = await t.sql(`SELECT id, credit_code FROM organisation WHERE external_key = 'dist-zy'`);
    const byCode = `query($code: String!) { organisation(code: $code) { id code creditCode kind name } }`;
    // a hospital finds the id of a distributor it cannot list, by the distributor's credit code
    const found = (await t.as('hosp-zz-1').ok<any>(byCode, { code: dist.credit_code })).organisation;
    expect(found).toMatchObject({ id: dist.id, code: dist.credit_code, creditCode: dist.credit_code, kind: 'DISTRIBUTOR' });
    expect((await t.as('hosp-zz-1').ok<any>(byCode, { code: dist.credit_code.toLowerCase() })).organisation.id).toBe(dist.id);
    // a regulator's code is its region code
    expect((await t.as('mfr-alpha').ok<any>(byCode, { code: '410100' })).organisation).toMatchObject({ kind: 'REGULATOR', code: '410100' });
    expect((await t.as('mfr-alpha').refused(byCode, { code: '419999' })).code).toBe('NOT_FOUND');
    expect((await t.anonymous.refused(byCode, { code: '410100' })).code).toBe('UNAUTHENTICATED');
    expect(await t.as('hosp-zz-1').refused(`{ organisation { id } }`)).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await t.as('hosp-zz-1').refused(`query($id: ID!, $code: String!) { organisation(id: $id, code: $code) { id } }`, { id: dist.id, code: dist.credit_code })).toMatchObject({ code: 'VALIDATION_FAILED' });
    // the list filter stays within the caller's scope
    const list = `query($code: String!) { organisations(filter: { code: $code }) { totalCount nodes { id } } }`;
    expect((await t.as('reg-henan').ok<any>(list, { code: dist.credit_code })).organisations).toEqual({ totalCount: 1, nodes: [{ id: dist.id }] });
    expect((await t.as('hosp-zz-1').ok<any>(list, { code: dist.credit_code })).organisations.totalCount).toBe(0);
    // every organisation has a code: regulators their region, everyone else their credit code
    const wrong = await t.sql(`SELECT count(*)::int AS n FROM organisation WHERE code <> CASE WHEN kind = 'REGULATOR' THEN region_code::text ELSE credit_code::text END`);
    expect(wrong[0].n).toBe(0);
  });

  it('shows manufacturers only their own products, hospitals the whole catalogue', async () => {
    const query = `{ products(first: 100) { totalCount nodes { manufacturer { id } } } }`;
    const [alpha] = await t.sql(`SELECT id FROM organisation WHERE external_key = 'mfr-alpha'`);
    const mine = await t.as('mfr-alpha').ok<any>(query);
    expect(mine.products.nodes.every((p: any) => p.manufacturer.id === alpha.id)).toBe(true);
    const all = await t.as('hosp-zz-1').ok<any>(query);
    expect(all.products.totalCount).toBeGreaterThan(mine.products.totalCount);
    expect(all.products.totalCount).toBeGreaterThanOrEqual(60);
  });

  it('denies mutations to roles that may not call them', async () => {
    const denied = await t.as('reg-henan').refused(CREATE_ORG, { input: { code: creditCode(3), name: 'x', kind: 'MANUFACTURER', regionCode: '410100' } });
    expect(denied.code).toBe('FORBIDDEN');
    expect((await t.anonymous.refused(`{ organisations { totalCount } }`)).code).toBe('UNAUTHENTICATED');
    const variety = await t.as('hosp-zz-1').refused(`mutation { createVariety(input: { code: "X-1", kind: "DRUG", name: "x", dosageForm: "片剂", referenceUnit: "片", specs: [{ spec: "1mg", comparableFactor: "1" }] }) { id } }`);
    expect(variety.code).toBe('FORBIDDEN');
  });

  it('verifies the audit chain, and reports tampering made directly in SQL', async () => {
    const verify = `{ verifyAuditChain { ok checkedEntries firstBrokenSeq reason } }`;
    const clean = await t.as('reg-henan').ok<any>(verify);
    expect(clean.verifyAuditChain).toMatchObject({ ok: true, firstBrokenSeq: null });
    expect(clean.verifyAuditChain.checkedEntries).toBeGreaterThan(100);
    expect((await t.as('hosp-zz-1').refused(verify)).code).toBe('FORBIDDEN');
    // the trigger refuses an ordinary UPDATE and DELETE
    await expect(t.sql(`UPDATE audit_log SET action = 'x' WHERE seq = 5`)).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM audit_log WHERE seq = 5`)).rejects.toThrow(/append-only/);
    // someone with the power to disable triggers changes entry 7
    await t.sql(`ALTER TABLE audit_log DISABLE TRIGGER USER`);
    await t.sql(`UPDATE audit_log SET data = '{"name":"forged"}' WHERE seq = 7`);
    await t.sql(`ALTER TABLE audit_log ENABLE TRIGGER USER`);
    const tampered = await t.as('reg-henan').ok<any>(verify);
    expect(tampered.verifyAuditChain).toMatchObject({ ok: false, firstBrokenSeq: 7, checkedEntries: 6 });
  });
});

describe('catalog: the audit chain under concurrent mutations', () => {
  it('links every entry of 30 concurrent mutations into one unbroken chain', async () => {
    const t = await startTestApp();
    try {
      await t.admin.accessToken();
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          t.admin.ok(CREATE_ORG, { input: { code: creditCode(100 + i), name: `并发企业${i}`, kind: 'MANUFACTURER', regionCode: '410100' } }),
        ),
      );
      const res = await t.as('reg-henan').ok<any>(`{ verifyAuditChain { ok checkedEntries } }`);
      const [{ n }] = await t.sql(`SELECT count(*)::int AS n FROM audit_log`);
      expect(res.verifyAuditChain).toEqual({ ok: true, checkedEntries: n });
      expect(await t.sql(`SELECT seq FROM audit_log WHERE chain_pos IS NULL OR hash IS NULL`)).toEqual([]);
      // a chained entry cannot be re-chained or edited
      await expect(t.sql(`UPDATE audit_log SET chain_pos = chain_pos + 100000 WHERE seq = 1`)).rejects.toThrow(/append-only/);
    } finally {
      await t.close();
    }
  });
});

describe('catalog: a deleted audit entry is found', () => {
  it('reports the first missing entry', async () => {
    const t = await startTestApp();
    try {
      await t.sql(`ALTER TABLE audit_log DISABLE TRIGGER USER`);
      await t.sql(`DELETE FROM audit_log WHERE seq = 3`);
      await t.sql(`ALTER TABLE audit_log ENABLE TRIGGER USER`);
      const res = await t.as('reg-henan').ok<any>(`{ verifyAuditChain { ok firstBrokenSeq reason } }`);
      expect(res.verifyAuditChain).toMatchObject({ ok: false, firstBrokenSeq: 3 });
      expect(res.verifyAuditChain.reason).toMatch(/missing/);
    } finally {
      await t.close();
    }
  });
});
