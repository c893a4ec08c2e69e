import request from 'supertest';
import { startTestApp, TestApp } from '@test/harness';

jest.setTimeout(60_000);

describe('error messages follow Accept-Language (zh-CN, English the fallback)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const ask = (language: string | null) => {
    let req = request(t.http).post('/graphql').set('Content-Type', 'application/json');
    if (language) req = req.set('Accept-Language', language);
    // an unknown user: INVALID_CREDENTIALS, whose refusal is written in English
    return req.send({ query: `mutation { login(username: "nobody-here", password: "wrong-password") { accessToken } }` });
  };

  it('answers a Chinese-preferring client in Chinese, with the same code', async () => {
    const res = await ask('zh-CN,zh;q=0.9,en;q=0.8');
    expect(res.body.errors[0]).toMatchObject({ message: '用户名或密码错误', extensions: { code: 'INVALID_CREDENTIALS' } });
  });

  it('answers an English-preferring client in English, and leaves a client that names no language the message as written', async () => {
    const english = (await ask('en-US,en;q=0.9')).body.errors[0];
    expect(english.extensions.code).toBe('INVALID_CREDENTIALS');
    expect(english.message).not.toMatch(/[\u3400-\u9fff]/);
    const none = (await ask(null)).body.errors[0];
    expect(none.message).toBe(english.message);
  });
});
