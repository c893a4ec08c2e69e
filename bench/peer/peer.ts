/**
 * Runs the peer (bench/peer/main.ts) as its own process on a database of the benchmark's PostgreSQL server
 * and drives it over HTTP with the same kind of client loop the benchmarks use for the platform, so the two
 * are measured alike in one run. Modes: `ping`, `read` (one-row account read), `transfer` (locked,
 * idempotent; every response checked for `errors` and for `replayed: false`).
 */
import { ChildProcess, spawn } from 'child_process';
import { randomUUID } from 'crypto';
import { join } from 'path';
import { Pool } from 'pg';

const root = join(__dirname, '..', '..');
export const PEER_ACCOUNTS = 1000;

export const PEER_SCHEMA = `
  DROP TABLE IF EXISTS peer_entry, peer_transfer, peer_account;
  CREATE TABLE peer_account (id int PRIMARY KEY, balance_fen bigint NOT NULL DEFAULT 0);
  CREATE TABLE peer_transfer (
    id bigserial PRIMARY KEY, idem_key text NOT NULL UNIQUE,
    debit int NOT NULL REFERENCES peer_account, credit int NOT NULL REFERENCES peer_account,
    amount_fen bigint NOT NULL CHECK (amount_fen > 0), created_at timestamptz NOT NULL DEFAULT now(), CHECK (debit <> credit));
  CREATE TABLE peer_entry (id bigserial PRIMARY KEY, transfer_id bigint NOT NULL REFERENCES peer_transfer, account_id int NOT NULL REFERENCES peer_account, delta_fen bigint NOT NULL);
  INSERT INTO peer_account (id) SELECT g FROM generate_series(1, ${PEER_ACCOUNTS}) g;
  ANALYZE peer_account;`;

export type PeerMode = 'ping' | 'read' | 'transfer';

export interface LoadFigures {
  requests: number;
  perSecond: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
}

export class Peer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  /** Creates the peer's tables in `databaseUrl` (a database of its own) and starts it with `pool` connections. */
  static async start(databaseUrl: string, pool = 8): Promise<Peer> {
    const setup = new Pool({ connectionString: databaseUrl, max: 1 });
    try {
      await setup.query(PEER_SCHEMA);
    } finally {
      await setup.end();
    }
    const child = spawn(process.execPath, [join(root, 'scripts/run-ts.js'), join(root, 'bench/peer/main.ts')], {
      cwd: root,
      env: { ...process.env, PEER_DATABASE_URL: databaseUrl, PEER_POOL: String(pool), PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`peer did not start:\n${output}`)), 60_000);
      const poll = setInterval(() => {
        const match = /peer ready at (\S+)/.exec(output);
        if (match) {
          clearInterval(poll);
          clearTimeout(timer);
          resolve(match[1]);
        }
      }, 50);
      child.on('exit', (code) => {
        clearInterval(poll);
        clearTimeout(timer);
        reject(new Error(`peer exited with ${code}:\n${output}`));
      });
    });
    return new Peer(child, url);
  }

  /** `clients` concurrent loops of one operation for `seconds`. */
  async load(mode: PeerMode, clients: number, seconds: number): Promise<LoadFigures> {
    const latencies: number[] = [];
    let errors = 0;
    const deadline = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (Date.now() < deadline) {
          const started = performance.now();
          const res = await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(peerRequest(mode)) });
          const body = (await res.json().catch(() => null)) as { data?: Record<string, any>; errors?: unknown[] } | null;
          latencies.push(performance.now() - started);
          const ok = res.status === 200 && body?.data && !body.errors && (mode !== 'transfer' || body.data.transfer?.replayed === false);
          if (!ok) errors++;
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const at = (p: number) => (latencies.length ? +latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)].toFixed(1) : 0);
    return { requests: latencies.length, perSecond: Math.round(latencies.length / seconds), p95Ms: at(95), p99Ms: at(99), errors };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}

function peerRequest(mode: PeerMode): { query: string; variables?: Record<string, unknown> } {
  const account = () => 1 + Math.floor(Math.random() * PEER_ACCOUNTS);
  if (mode === 'ping') return { query: '{ ping }' };
  if (mode === 'read') return { query: 'query($id: Int!) { account(id: $id) { id balanceFen } }', variables: { id: account() } };
  const debit = account();
  let credit = account();
  while (credit === debit) credit = account();
  return {
    query: 'mutation($k: String!, $d: Int!, $c: Int!, $m: String!) { transfer(idemKey: $k, debit: $d, credit: $c, amountFen: $m) { id replayed } }',
    variables: { k: randomUUID(), d: debit, c: credit, m: String(1 + Math.floor(Math.random() * 100_000)) },
  };
}
