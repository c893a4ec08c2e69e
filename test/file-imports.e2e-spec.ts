import { randomUUID } from 'crypto';
import request from 'supertest';
import { startTestApp, TestApp } from '@test/harness';

const IMPORT = `mutation($input: ImportReferencePricesInput!) { importReferencePrices(input: $input) { id rowCount format } }`;
const FIVE_MB = 5 * 1024 * 1024;

/**
 * A reference-price CSV of exactly `bytes` bytes: 200 valid rows (another province, known products, one
 * date each) whose `remarks` column — extra columns are ignored — fills the file to the size wanted.
 */
function referencePriceCsv(bytes: number): Buffer {
  const header = 'provinceCode,approvalNumber,unitPrice,effectiveOn,source,remarks\n';
  const rows = Array.from({ length: 200 }, (_, i) => {
    const day = new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10);
    return `320000,国药准字H20183112,0.${String(2000 + i).padStart(4, '0')},${day},江苏挂网价,`;
  });
  const fixed = Buffer.byteLength(header + rows.map((r) => `${r}\n`).join(''));
  const padding = bytes - fixed;
  const each = Math.floor(padding / rows.length);
  const text = header + rows.map((r, i) => `${r}${'x'.repeat(each + (i === 0 ? padding - each * rows.length : 0))}\n`).join('');
  const file = Buffer.from(text, 'utf8');
  if (file.length !== bytes) throw new Error(`built ${file.length} bytes, wanted ${bytes}`);
  return file;
}

describe('file imports: the documented 5 MB, limits named in coded errors', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('imports a 5 MB reference-price file', async () => {
    const file = referencePriceCsv(FIVE_MB);
    const res = await t.as('reg-henan').ok<any>(IMPORT, { input: { format: 'CSV', fileName: 'js-2025.csv', contentBase64: file.toString('base64') } });
    expect(res.importReferencePrices).toMatchObject({ rowCount: 200, format: 'CSV' });
    const [{ n }] = await t.sql(`SELECT count(*)::int AS n FROM reference_price WHERE import_id = $1`, [res.importReferencePrices.id]);
    expect(n).toBe(200);
  });

  it('refuses a file one byte over 5 MB with PAYLOAD_TOO_LARGE naming the limit, nothing written', async () => {
    const before = await t.sql(`SELECT count(*)::int AS n FROM reference_price`);
    const res = await t.as('reg-henan').gql(IMPORT, { input: { format: 'CSV', contentBase64: referencePriceCsv(FIVE_MB + 1).toString('base64') } });
    expect(res.status).toBe(200);
    expect(res.errors![0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE', limitBytes: FIVE_MB, field: 'input.contentBase64' });
    expect(res.errors![0].message).toBe('导入文件超过上限 5 MB（5242880 字节）');
    expect(await t.sql(`SELECT count(*)::int AS n FROM reference_price`)).toEqual(before);
  });

  it('keeps other operations to 1 MB, with the coded error', async () => {
    const token = await t.as('reg-henan').accessToken();
    const query = (padding: number) => `# ${'x'.repeat(padding)}\n{ me { id } }`;
    const res = await request(t.http).post('/graphql').set('Authorization', `Bearer ${token}`).send({ query: query(1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.errors[0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE', limitBytes: 1024 * 1024 });
    expect(res.body.errors[0].message).toMatch(/超过上限 1 MB（1048576 字节）/);
    // just under: fine
    const ok = await request(t.http).post('/graphql').set('Authorization', `Bearer ${token}`).send({ query: query(1000 * 1000) });
    expect(ok.status).toBe(200);
    expect(ok.body.data.me.id).toBeTruthy();
  });

  it('lets the other imports (bank results) past 1 MB too', async () => {
    const results = Array.from({ length: 9000 }, () => ({ instructionId: randomUUID(), outcome: 'FAILED', reason: '收款账户户名与开户行登记不符，退回重新核对收款人信息'.repeat(2) }));
    const body = { query: `mutation($input: ImportBankResultsInput!) { importBankResults(input: $input) { id state } }`, variables: { input: { results } } };
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(1024 * 1024);
    const refused = await t.as('settle-henan').refused(body.query, body.variables);
    expect(refused).toMatchObject({ code: 'NOT_FOUND', field: 'input.results[0].instructionId' }); // read and checked, not refused for size
  });

  it('answers a body over the import size with a JSON error naming the limit, not an HTML page', async () => {
    const token = await t.as('reg-henan').accessToken();
    const res = await request(t.http)
      .post('/graphql')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ query: IMPORT, variables: { input: { format: 'CSV', contentBase64: 'A'.repeat(8 * 1024 * 1024) } } }));
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.errors[0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE', limitBytes: 7340032 });
    expect(res.body.errors[0].message).toBe('请求体超过上限 7 MB（7340032 字节）');

    // without a token (every import needs one) the body may be 1 MB at most, and is not even read past that
    const anonymous = await request(t.http).post('/graphql').send({ query: `# ${'x'.repeat(2 * 1024 * 1024)}\n{ __typename }` });
    expect(anonymous.status).toBe(413);
    expect(anonymous.body.errors[0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE', limitBytes: 1048576 });
    expect(anonymous.body.errors[0].message).toBe('请求体超过上限 1 MB（1048576 字节）');

    const malformed = await request(t.http).post('/graphql').set('Content-Type', 'application/json').send('{"query": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].extensions).toEqual({ code: 'BAD_REQUEST' });
  });
});
