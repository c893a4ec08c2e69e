import { addressProblem, exhausted, retryDelaySeconds, signBody, verifySignature, WEBHOOK_POLICY_2026, webhookUrlProblem } from './index';

describe('webhook delivery rules', () => {
  it('backs off 10 s, 30 s, 90 s … capped at six hours, and gives up after the eighth failure', () => {
    expect([1, 2, 3, 4].map((n) => retryDelaySeconds(n, WEBHOOK_POLICY_2026))).toEqual([10, 30, 90, 270]);
    expect(retryDelaySeconds(20, WEBHOOK_POLICY_2026)).toBe(6 * 3600);
    expect(exhausted(7, WEBHOOK_POLICY_2026)).toBe(false);
    expect(exhausted(8, WEBHOOK_POLICY_2026)).toBe(true);
  });

  it('signs the exact body with HMAC-SHA256 and verifies it in constant time', () => {
    const body = '{"id":"1","type":"order.placed"}';
    // computed independently: echo -n "$body" | openssl dgst -sha256 -hmac s3cret
    expect(signBody('s3cret', body)).toBe('sha256=6a5c340a822f50a46ca2277e9c46818b2d2d6fa8d9d139eece646c6b1a676cf7');
    expect(verifySignature('s3cret', body, signBody('s3cret', body))).toBe(true);
    expect(verifySignature('s3cret', `${body} `, signBody('s3cret', body))).toBe(false);
    expect(verifySignature('other', body, signBody('s3cret', body))).toBe(false);
    expect(verifySignature('s3cret', body, undefined)).toBe(false);
  });

  it('refuses URLs into the platform\'s own network unless private targets are allowed', () => {
    expect(webhookUrlProblem('https://his.example-hospital.cn/hooks/vbp', false)).toBeNull();
    expect(webhookUrlProblem('ftp://example.com/x', false)).toBe('只接受 http 或 https 网址');
    expect(webhookUrlProblem('https://user:pw@example.com/x', false)).toBe('网址中不得包含用户名或密码');
    for (const url of ['http://127.0.0.1:3000/x', 'http://localhost/x', 'http://169.254.169.254/latest', 'http://10.1.2.3/', 'http://[::1]/', 'http://192.168.0.5/'])
      expect(webhookUrlProblem(url, false)).toBe('不得指向本机或内网地址');
    expect(webhookUrlProblem('http://127.0.0.1:3000/x', true)).toBeNull();
    expect(webhookUrlProblem('not a url', true)).toBe('不是有效的网址');
    expect(addressProblem('8.8.8.8')).toBeNull();
    expect(addressProblem('::ffff:10.0.0.1')).toBe('不得指向本机或内网地址');
    expect(addressProblem('172.20.1.1')).toBe('不得指向本机或内网地址');
    expect(addressProblem('172.32.1.1')).toBeNull();
  });
});
