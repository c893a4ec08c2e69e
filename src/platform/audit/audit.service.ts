import { createHash } from 'crypto';
import { Injectable, BeforeApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../clock/clock';
import { RequestContext } from '../context/request-context';
import { Db } from '../database/db';
import { logger } from '../logging/logger';
import { AuditEntry } from './audit-entry.entity';
import { canonicalJson } from './canonical-json';
import { preparedQuery } from '../database/prepared-query';
import { Bindings } from '../database/sql-part';
import { CoalescedPass } from '../database/coalesced-pass';

export const GENESIS_HASH = '0'.repeat(64);
/** Only one chainer at a time extends the chain, across every process of the app. */
const AUDIT_CHAIN_LOCK = 4_100_002;
const CHAIN_BATCH = 2000;
const VERIFY_BATCH = 5000;
/** A safety net: entries are chained right after each commit; this catches any a crash left behind. */
const CHAIN_INTERVAL_MS = 2000;
/** Commits arriving during a pass are chained by one more pass this long after it: a busy server runs a few passes a second, not one per commit. */
const CHAIN_COALESCE_MS = 250;

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  data?: Record<string, unknown>;
}

export type ChainFailure =
  | 'ENTRY_MISSING'
  | 'LINK_MISMATCH'
  | 'HASH_MISMATCH'
  | 'CHECKPOINT_TRUNCATED'
  | 'CHECKPOINT_MISMATCH'
  | 'CHECKPOINT_SIGNATURE_INVALID'
  | 'CHECKPOINT_INVALID';

export interface ChainVerification {
  ok: boolean;
  checkedEntries: number;
  firstBrokenSeq: number | null;
  reason: string | null;
  reasonCode: ChainFailure | null;
  /** The newest checkpoint the chain was held against, if any. */
  checkpointPosition: number | null;
}

/** A chain head someone remembered outside the database (a checkpoint, already checked for its signature). */
export interface RememberedHead {
  position: number;
  hash: string;
}

/** Entries just linked into the chain: what the checkpoint service watches for its triggers. */
export type ChainedListener = (linked: { action: string; chainPos: number }[]) => void;

type HashedFields = Pick<AuditEntry, 'seq' | 'at' | 'actorUserId' | 'actorOrganisationId' | 'action' | 'entityType' | 'entityId' | 'data'>;

export function entryHash(prevHash: string, entry: HashedFields): string {
  const body = canonicalJson({
    seq: entry.seq,
    at: entry.at,
    actorUserId: entry.actorUserId,
    actorOrganisationId: entry.actorOrganisationId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    data: entry.data,
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

/**
 * The append-only, hash-chained audit log. `record` inserts inside the mutation's own transaction, so the
 * entry exists exactly when the change does, without any lock: mutations never queue on the chain. The
 * chainer links committed entries into the chain in the order it finds them, right after each commit.
 */
@Injectable()
export class AuditService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly chainer = new CoalescedPass(() => this.chainPending(), CHAIN_COALESCE_MS, (error) =>
    logger.error({ err: error }, 'audit chaining failed; will retry'),
  );
  private timer: NodeJS.Timeout | null = null;
  private readonly chainedListeners: ChainedListener[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly db: Db,
  ) {
    db.onAfterCommit(() => this.chainSoon());
  }

  onModuleInit() {
    if (this.db.dataSource.isInitialized) {
      this.timer = setInterval(() => this.chainSoon(), CHAIN_INTERVAL_MS);
      this.timer.unref();
    }
  }

  /** Before the database closes (onApplicationShutdown): a chaining pass under way finishes first. */
  async beforeApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
    await this.chainer.stop();
  }

  async record(em: EntityManager, ctx: RequestContext, record: AuditRecord): Promise<void> {
    const bindings = new Bindings();
    await preparedQuery(em, 'audit.record', this.recordSql(bindings, ctx, record), bindings.values);
  }

  /** Many entries of one actor in one statement, in the given order (a job's batch). */
  async recordMany(em: EntityManager, ctx: RequestContext, records: AuditRecord[]): Promise<void> {
    if (!records.length) return;
    await em.query(
      `INSERT INTO audit_log (at, actor_user_id, actor_organisation_id, action, entity_type, entity_id, data)
       SELECT $1, $2, $3, r.action, r.entity_type, r.entity_id, r.data::jsonb
         FROM unnest($4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS r(action, entity_type, entity_id, data, n)
        ORDER BY r.n`,
      [
        new Date(this.clock.now().getTime()),
        ctx.user?.id ?? null,
        ctx.user?.organisationId ?? null,
        records.map((r) => r.action),
        records.map((r) => r.entityType),
        records.map((r) => r.entityId),
        records.map((r) => canonicalJson(r.data ?? {})),
      ],
    );
  }

  /**
   * The entry's insert as SQL for the caller's own statement (a data-modifying CTE), written only when
   * `when` holds there: a mutation that is one statement audits in that same statement.
   */
  recordSql(b: Bindings, ctx: RequestContext, record: AuditRecord, when = 'true'): string {
    // every mutation writes one: plain SQL, unchained (chain_pos, prev_hash and hash stay NULL until the chainer links it)
    return `INSERT INTO audit_log (at, actor_user_id, actor_organisation_id, action, entity_type, entity_id, data)
            SELECT ${[
              // Postgres keeps microseconds; the chain hashes milliseconds, so store exactly what is hashed
              b.bind(new Date(this.clock.now().getTime()), 'timestamptz'),
              b.bind(ctx.user?.id ?? null, 'uuid'),
              b.bind(ctx.user?.organisationId ?? null, 'uuid'),
              b.bind(record.action, 'text'),
              b.bind(record.entityType, 'text'),
              b.bind(record.entityId, 'text'),
              b.bind(canonicalJson(record.data ?? {}), 'jsonb'),
            ].join(', ')} WHERE ${when}`;
  }

  /** Called after each committed chaining pass with the entries it linked. */
  onChained(listener: ChainedListener): void {
    this.chainedListeners.push(listener);
  }

  /** The newest linked entry: its chain position and hash (null for an empty chain). */
  async head(): Promise<RememberedHead | null> {
    const [head] = await this.db.manager.query<{ chain_pos: string; hash: string }[]>('SELECT chain_pos, hash FROM audit_log WHERE chain_pos IS NOT NULL ORDER BY chain_pos DESC LIMIT 1');
    return head ? { position: Number(head.chain_pos), hash: String(head.hash) } : null;
  }

  /** Starts a chaining pass now, or makes sure one runs soon (see CoalescedPass). */
  chainSoon(): void {
    if (!this.db.dataSource.isInitialized) return;
    this.chainer.kick();
  }

  /**
   * Links every committed, unchained entry into the chain, oldest sequence first; returns how many. Holds
   * the chain lock for the pass, so replicas never fork the chain.
   */
  async chainPending(options: { wait?: boolean } = {}): Promise<number> {
    let total = 0;
    for (;;) {
      let linkedEntries: { action: string; chainPos: number }[] = [];
      const linked = await this.db.dataSource.transaction(async (em) => {
        if (options.wait) {
          await em.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
        } else {
          const [{ locked }] = await em.query<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock($1) AS locked', [AUDIT_CHAIN_LOCK]);
          if (!locked) return 0; // another pass is chaining; the after-commit kick will pick these up
        }
        const [head] = await em.query<{ chain_pos: string; hash: string }[]>('SELECT chain_pos, hash FROM audit_log WHERE chain_pos IS NOT NULL ORDER BY chain_pos DESC LIMIT 1');
        const pending: AuditEntry[] = await em
          .createQueryBuilder(AuditEntry, 'a')
          .where('a.chain_pos IS NULL')
          .orderBy('a.seq', 'ASC')
          .limit(CHAIN_BATCH)
          .getMany();
        if (!pending.length) return 0;
        let position = head ? Number(head.chain_pos) : 0;
        let prevHash: string = head ? String(head.hash) : GENESIS_HASH;
        const seqs: number[] = [];
        const positions: number[] = [];
        const prevHashes: string[] = [];
        const hashes: string[] = [];
        for (const entry of pending) {
          position++;
          const hash = entryHash(prevHash, entry);
          seqs.push(entry.seq);
          positions.push(position);
          prevHashes.push(prevHash);
          hashes.push(hash);
          prevHash = hash;
        }
        await em.query(
          `UPDATE audit_log a SET chain_pos = c.pos, prev_hash = c.prev, hash = c.hash
             FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS c(seq, pos, prev, hash)
            WHERE a.seq = c.seq`,
          [seqs, positions, prevHashes, hashes],
        );
        linkedEntries = pending.map((entry, i) => ({ action: entry.action, chainPos: positions[i] }));
        return pending.length;
      });
      if (linkedEntries.length) {
        for (const listener of this.chainedListeners) {
          try {
            listener(linkedEntries);
          } catch (error) {
            logger.error({ err: error }, 'audit chained listener failed');
          }
        }
      }
      total += linked;
      if (linked < CHAIN_BATCH) return total;
    }
  }

  /**
   * Chains what is pending, then walks the whole chain in order; reports the first broken entry. Each
   * remembered head (a signed checkpoint kept outside the database) must still be there: the entry at its
   * position must carry its hash (else the chain was rewritten and rehashed), and the chain must reach its
   * position (else the newest entries were cut).
   */
  async verifyChain(options: { checkpoints?: RememberedHead[] } = {}): Promise<ChainVerification> {
    // wait for any pass under way (here or in another replica), then link everything committed so far
    await this.chainPending({ wait: true });
    // every hash ever signed for a position: two different ones mean the chain was rewritten in between
    const remembered = new Map<number, Set<string>>();
    for (const { position, hash } of options.checkpoints ?? []) remembered.set(position, (remembered.get(position) ?? new Set()).add(hash));
    const newest = (options.checkpoints ?? []).reduce<RememberedHead | null>((a, b) => (!a || b.position > a.position ? b : a), null);
    const checkpointPosition = newest?.position ?? null;
    let prevHash = GENESIS_HASH;
    let expectedPosition = 1;
    let checked = 0;
    for (;;) {
      const rows: AuditEntry[] = await this.db.manager
        .createQueryBuilder(AuditEntry, 'a')
        .where('a.chain_pos >= :from', { from: expectedPosition })
        .orderBy('a.chain_pos', 'ASC')
        .limit(VERIFY_BATCH)
        .getMany();
      if (!rows.length) break;
      for (const row of rows) {
        const broken = (reasonCode: ChainFailure, reason: string): ChainVerification => ({ ok: false, checkedEntries: checked, firstBrokenSeq: row.seq, reason, reasonCode, checkpointPosition });
        if (row.chainPos !== expectedPosition) {
          return { ok: false, checkedEntries: checked, firstBrokenSeq: expectedPosition, reason: `the entry at chain position ${expectedPosition} is missing`, reasonCode: 'ENTRY_MISSING', checkpointPosition };
        }
        if (row.prevHash !== prevHash) return broken('LINK_MISMATCH', 'its link to the previous entry does not match');
        if (entryHash(prevHash, row) !== row.hash) return broken('HASH_MISMATCH', 'its content does not match its hash');
        const signed = remembered.get(expectedPosition);
        if (signed && [...signed].some((hash) => hash !== row.hash)) {
          return broken('CHECKPOINT_MISMATCH', `the chain was rewritten: the entry at position ${expectedPosition} no longer has the hash a signed checkpoint recorded`);
        }
        prevHash = row.hash;
        expectedPosition++;
        checked++;
      }
    }
    if (newest && newest.position > checked) {
      return {
        ok: false,
        checkedEntries: checked,
        firstBrokenSeq: null,
        reason: `the chain was cut: it ends at position ${checked}, behind a signed checkpoint at position ${newest.position}`,
        reasonCode: 'CHECKPOINT_TRUNCATED',
        checkpointPosition,
      };
    }
    return { ok: true, checkedEntries: checked, firstBrokenSeq: null, reason: null, reasonCode: null, checkpointPosition };
  }
}
