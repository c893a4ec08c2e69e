import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { postWebhook, Resolver, WebhookTargetRefused } from './webhook-transport';

describe('webhook transport: the address connected to is the address checked', () => {
  let server: Server;
  let port: number;
  const received: { body: string; signature: string | undefined }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ body, signature: req.headers['x-vbp-signature'] as string | undefined });
        res.writeHead(req.url === '/moved' ? 302 : 204, req.url === '/moved' ? { location: 'http://169.254.169.254/' } : {}).end();
      });
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((closed) => server.close(() => closed())));
  beforeEach(() => (received.length = 0));

  const send = (url: string, allowPrivateTargets: boolean, resolve?: Resolver) =>
    postWebhook(url, { headers: { 'x-vbp-signature': 'sig' }, body: '{"id":"1"}', timeoutMs: 2000, allowPrivateTargets, resolve });

  it('refuses at connect time a public-looking host name that now resolves inside the network (DNS rebinding)', async () => {
    // the subscription was checked while the name pointed at a public address; now it points at the platform's own host
    const rebound: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    await expect(send(`http://hooks.example.com:${port}/`, false, rebound)).rejects.toThrow(WebhookTargetRefused);
    await expect(send(`http://hooks.example.com:${port}/`, false, async () => [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.7', family: 4 }])).rejects.toThrow('不得指向本机或内网地址');
    expect(received).toHaveLength(0);
  });

  it('connects to the address its own lookup checked, and posts the body with its headers', async () => {
    const resolved: string[] = [];
    const local: Resolver = async (host) => {
      resolved.push(host);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    await expect(send(`http://hooks.example.com:${port}/`, true, local)).resolves.toEqual({ status: 204 });
    expect(resolved).toEqual(['hooks.example.com']);
    expect(received).toEqual([{ body: '{"id":"1"}', signature: 'sig' }]);
  });

  it('refuses an internal address written in the URL without looking anything up, and follows no redirect', async () => {
    await expect(send(`http://127.0.0.1:${port}/`, false)).rejects.toThrow(WebhookTargetRefused);
    await expect(send(`http://[::1]:${port}/`, false)).rejects.toThrow(WebhookTargetRefused);
    expect(received).toHaveLength(0);
    await expect(send(`http://127.0.0.1:${port}/moved`, true)).resolves.toEqual({ status: 302 });
    expect(received).toHaveLength(1);
  });
});
