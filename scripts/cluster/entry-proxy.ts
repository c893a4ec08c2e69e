// The cluster's entry point: a small round-robin HTTP proxy over the app replicas (ENTRY_BACKENDS, comma
// separated) on ENTRY_PORT. A replica that refuses the connection is skipped (and rested for 2 s), the
// request going to the next one, so killing a replica loses no request that had not reached it. It also
// carries read-your-writes between replicas: it remembers, per caller (Authorization header), the highest
// `x-vbp-lsn` a replica answered after a write and sends it as `x-vbp-min-lsn` on that caller's next
// requests for a minute, so whichever replica serves them reads from the standby only once it has replayed
// that far (src/platform/database/read-routing.ts). The answering replica is named in `x-vbp-backend`.
import { createServer, IncomingMessage, request, ServerResponse } from 'http';
import { formatLsn, LSN_HEADER, MIN_LSN_HEADER, parseLsn } from '../../src/platform/database/read-routing';

const port = Number(process.env.ENTRY_PORT || 3000);
const backends = (process.env.ENTRY_BACKENDS || '').split(',').filter(Boolean).map((url) => new URL(url));
if (!backends.length) throw new Error('ENTRY_BACKENDS is empty');
const MAX_BODY = 8 * 1024 * 1024;
const REST_MS = 2_000;
const LSN_MEMORY_MS = 60_000;

let next = 0;
const restingUntil = new Map<number, number>();
const lastLsn = new Map<string, { lsn: bigint; at: number }>();

function pick(tried: Set<number>): number | null {
  for (let i = 0; i < backends.length; i++) {
    const index = (next + i) % backends.length;
    if (tried.has(index) || (restingUntil.get(index) ?? 0) > Date.now()) continue;
    next = (index + 1) % backends.length;
    return index;
  }
  // all resting: try any not yet tried
  for (let index = 0; index < backends.length; index++) if (!tried.has(index)) return index;
  return null;
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        done(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => done(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

function forward(req: IncomingMessage, res: ServerResponse, body: Buffer, tried: Set<number>): void {
  const index = pick(tried);
  if (index === null) {
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ message: '所有应用实例均不可用，请稍后再试', extensions: { code: 'SERVICE_UNAVAILABLE' } }] }));
    return;
  }
  tried.add(index);
  const backend = backends[index];
  const caller = req.headers.authorization ?? null;
  const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: backend.host, 'content-length': String(body.length) };
  delete headers['transfer-encoding'];
  const remembered = caller ? lastLsn.get(caller) : undefined;
  if (remembered && Date.now() - remembered.at < LSN_MEMORY_MS && !headers[MIN_LSN_HEADER]) headers[MIN_LSN_HEADER] = formatLsn(remembered.lsn);
  const from = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${String(req.headers['x-forwarded-for'])}, ${from}` : from;
  const upstream = request({ host: backend.hostname, port: backend.port, method: req.method, path: req.url, headers }, (answer) => {
    const lsn = parseLsn(answer.headers[LSN_HEADER] as string | undefined);
    if (caller && lsn !== null) {
      const known = lastLsn.get(caller);
      if (!known || known.lsn < lsn) lastLsn.set(caller, { lsn, at: Date.now() });
    }
    res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-vbp-backend': String(index + 1) });
    answer.pipe(res);
  });
  upstream.on('error', (error: NodeJS.ErrnoException) => {
    // nothing reached the replica: another one takes the request
    if (!res.headersSent && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(error.code ?? '') && !upstream.reusedSocket) {
      restingUntil.set(index, Date.now() + REST_MS);
      if (error.code === 'ECONNREFUSED' || req.method === 'GET') return forward(req, res, body, tried);
    }
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: '应用实例中断了请求，请重试', extensions: { code: 'BAD_GATEWAY' } }] }));
    } else {
      res.destroy();
    }
  });
  upstream.end(body);
}

const server = createServer((req, res) => {
  readBody(req)
    .then((body) => {
      if (body === null) {
        res.writeHead(413, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: '请求体过大', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }));
        return;
      }
      forward(req, res, body, new Set());
    })
    .catch(() => res.destroy());
});
server.keepAliveTimeout = 5_000;
setInterval(() => {
  const cutoff = Date.now() - LSN_MEMORY_MS;
  for (const [caller, seen] of lastLsn) if (seen.at < cutoff) lastLsn.delete(caller);
}, 10_000).unref();
server.listen(port, '0.0.0.0', () => process.stdout.write(`entry point on :${port} over ${backends.map((b) => b.host).join(', ')}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
