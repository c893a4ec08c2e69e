import { createHash } from 'crypto';
import type { NextFunction, Request, Response } from 'express';
import type { DataSource, EntityManager } from 'typeorm';
import { requestScope } from '../context/request-scope';
import { logger } from '../logging/logger';

/**
 * Routing of reads to a streaming standby (DATABASE_READ_URL). Only reads that services choose to route —
 * published views, dashboards, monitoring lists, exports, public pages — go through `Db.reads`; everything
 * else, and every transaction, stays on the primary. A routed read goes to the primary instead when:
 * - the standby is not (yet) reachable, or its last answer is older than STALE_MS (it stopped);
 * - this (logged-in) caller wrote through this process within READ_YOUR_WRITES_SECONDS;
 * - the caller presents `x-vbp-min-lsn` (the `x-vbp-lsn` of its last write, answered by whichever replica
 *   took the write; the cluster's entry point carries it between replicas per caller) and the standby has
 *   not replayed that far yet;
 * - the routed query itself fails for a connection reason or a recovery conflict (retried on the primary).
 */
export const LSN_HEADER = 'x-vbp-lsn';
export const MIN_LSN_HEADER = 'x-vbp-min-lsn';

const POLL_MS = 200;
const STALE_MS = 2_000;
/** Errors after which a routed read is simply run on the primary. */
const FALLBACK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08006', '08001', '08003', '40001']);

/** '16/B374D848' → a number that orders like the LSN. */
export function parseLsn(text: string | null | undefined): bigint | null {
  if (!text) return null;
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  if (!match) return null;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** What the read router keeps of each request (in the request scope, see readScopeMiddleware). */
export interface ReadScope {
  /**
   * Who is calling: a hash of the Authorization header; null for anonymous callers, who share addresses
   * (one NAT, one proxy) and so get no per-process window — `x-vbp-min-lsn` still works for them.
   */
  caller: string | null;
  /** The caller's last write position as it told us (x-vbp-min-lsn). */
  minLsn: bigint | null;
  res: Response;
}

const readScopes = new WeakMap<object, ReadScope>();

/** Runs inside the request scope: remembers the caller and its min LSN for routing decisions. */
export function readScopeMiddleware(req: Request, res: Response, next: NextFunction): void {
  const store = requestScope.getStore();
  if (store) {
    const authorization = req.headers.authorization;
    const caller = authorization ? createHash('sha256').update(authorization).digest('hex').slice(0, 32) : null;
    const header = req.headers[MIN_LSN_HEADER];
    readScopes.set(store, { caller, minLsn: parseLsn(typeof header === 'string' ? header : null), res });
  }
  next();
}

function currentReadScope(): ReadScope | undefined {
  const store = requestScope.getStore();
  return store ? readScopes.get(store) : undefined;
}

function errorCode(error: unknown): string | undefined {
  const e = error as { code?: string; driverError?: { code?: string }; message?: string };
  return e?.driverError?.code ?? e?.code ?? (/Connection terminated|connection timeout|not queryable/i.test(e?.message ?? '') ? 'ECONNRESET' : undefined);
}

export class ReadRouter {
  private replica: DataSource | null = null;
  private replayLsn: bigint | null = null;
  private primaryLsn: bigint | null = null;
  private lastAnswerAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly lastWrite = new Map<string, number>();
  /** Routed reads by where they ran (for the smoke figures and the tests). */
  readonly routed = { replica: 0, primary: 0, fallback: 0 };

  constructor(
    private readonly primary: DataSource,
    private readonly readUrl: string | null,
    private readonly open: (url: string) => Promise<DataSource>,
    private readonly readYourWritesMs: number,
  ) {}

  get enabled(): boolean {
    return this.readUrl !== null;
  }

  /** Opens the standby in the background (it may be down at start) and polls its replay position. */
  start(): void {
    if (!this.readUrl || this.timer) return;
    const tick = async () => {
      try {
        if (!this.replica) this.replica = await this.open(this.readUrl!);
        const [row] = await this.replica.query<{ lsn: string | null; recovering: boolean }[]>(
          'SELECT pg_last_wal_replay_lsn()::text AS lsn, pg_is_in_recovery() AS recovering',
        );
        const [head] = await this.primary.query<{ lsn: string }[]>('SELECT pg_current_wal_lsn()::text AS lsn');
        // a promoted standby is a primary of its own: never read from it as a replica
        if (!row.recovering) throw new Error('the read database is not a standby');
        this.replayLsn = parseLsn(row.lsn);
        this.primaryLsn = parseLsn(head.lsn);
        if (!this.lastAnswerAt || Date.now() - this.lastAnswerAt > STALE_MS) logger.info({ replayLsn: row.lsn }, 'read replica answering');
        this.lastAnswerAt = Date.now();
      } catch (error) {
        if (this.lastAnswerAt && Date.now() - this.lastAnswerAt <= STALE_MS) logger.warn({ err: error }, 'read replica not answering; reads go to the primary');
        this.lastAnswerAt = 0;
      } finally {
        if (!this.stopped) this.timer = setTimeout(() => void tick(), POLL_MS);
      }
    };
    this.timer = setTimeout(() => void tick(), 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.replica?.isInitialized) await this.replica.destroy().catch(() => undefined);
  }

  /** Bytes the standby's replay trails the primary's WAL by, at the last poll; null when unknown. */
  lagBytes(): bigint | null {
    return this.replayLsn !== null && this.primaryLsn !== null && this.healthy() ? (this.primaryLsn > this.replayLsn ? this.primaryLsn - this.replayLsn : 0n) : null;
  }

  healthy(): boolean {
    return this.replica !== null && this.lastAnswerAt > 0 && Date.now() - this.lastAnswerAt <= STALE_MS;
  }

  /** After a committed unit of work: keep this caller's reads on the primary, and tell it how far it wrote. */
  async noteWrite(): Promise<void> {
    if (!this.enabled) return;
    const scope = currentReadScope();
    if (!scope) return;
    if (scope.caller) this.lastWrite.set(scope.caller, Date.now());
    if (this.lastWrite.size > 10_000) {
      const cutoff = Date.now() - this.readYourWritesMs;
      for (const [caller, at] of this.lastWrite) if (at < cutoff) this.lastWrite.delete(caller);
    }
    try {
      const [row] = await this.primary.query<{ lsn: string }[]>('SELECT pg_current_wal_lsn()::text AS lsn');
      if (!scope.res.headersSent) scope.res.setHeader(LSN_HEADER, row.lsn);
    } catch {
      // the write committed; the window above still keeps this caller on the primary here
    }
  }

  /** Where a routed read of the current request should go. */
  target(): 'replica' | 'primary' {
    if (!this.healthy()) return 'primary';
    const scope = currentReadScope();
    if (scope) {
      const wrote = scope.caller ? this.lastWrite.get(scope.caller) : undefined;
      if (wrote !== undefined && Date.now() - wrote < this.readYourWritesMs) return 'primary';
      if (scope.minLsn !== null && (this.replayLsn === null || this.replayLsn < scope.minLsn)) return 'primary';
    }
    return 'replica';
  }

  /** The manager routed reads use: the standby's (falling back to the primary on failure) or the primary's. */
  manager(): EntityManager {
    if (!this.enabled || this.target() === 'primary' || !this.replica) {
      if (this.enabled) this.routed.primary++;
      return this.primary.manager;
    }
    this.routed.replica++;
    const replicaManager = this.replica.manager;
    const primaryManager = this.primary.manager;
    return new Proxy(replicaManager, {
      get: (target, property, receiver) => {
        if (property !== 'query') return Reflect.get(target, property, receiver) as unknown;
        return async (query: string, parameters?: unknown[]): Promise<unknown> => {
          try {
            return await replicaManager.query<unknown>(query, parameters);
          } catch (error) {
            const code = errorCode(error);
            if (!code || !FALLBACK_CODES.has(code)) throw error;
            this.routed.fallback++;
            if (code !== '40001') this.lastAnswerAt = 0; // down: route to the primary until the next good poll
            return primaryManager.query<unknown>(query, parameters);
          }
        };
      },
    });
  }
}
