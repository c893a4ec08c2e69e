import { createHash } from 'crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../clock/clock';
import { RequestContext } from '../context/request-context';
import { Db } from '../database/db';
import { AuditEntry } from './audit-entry.entity';
import { canonicalJson } from './canonical-json';

export const GENESIS_HASH = '0'.repeat(64);
/** Appenders serialise on this transaction-scoped advisory lock so the chain never forks. */
const AUDIT_CHAIN_LOCK = 4_100_002;
const VERIFY_BATCH = 5000;

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  data?: Record<string, unknown>;
}

export interface ChainVerification {
  ok: boolean;
  checkedEntries: number;
  firstBrokenSeq: number | null;
  reason: string | null;
}

export function entryHash(prevHash: string, entry: Omit<AuditEntry, 'hash' | 'prevHash'>): string {
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
 * The append-only, hash-chained audit log. `record` is called inside the mutation's own transaction, as
 * late as possible (the chain lock is held until commit), so the entry exists exactly when the change does.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly clock: Clock,
    private readonly db: Db,
  ) {}

  async record(em: EntityManager, ctx: RequestContext, record: AuditRecord): Promise<AuditEntry> {
    await em.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    const [last] = await em.query('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    const entry = {
      seq: last ? Number(last.seq) + 1 : 1,
      // Postgres keeps microseconds; the chain hashes milliseconds, so store exactly what is hashed
      at: new Date(this.clock.now().getTime()),
      actorUserId: ctx.user?.id ?? null,
      actorOrganisationId: ctx.user?.organisationId ?? null,
      action: record.action,
      entityType: record.entityType,
      entityId: record.entityId,
      data: JSON.parse(canonicalJson(record.data ?? {})),
    };
    const prevHash = last ? String(last.hash) : GENESIS_HASH;
    const full = { ...entry, prevHash, hash: entryHash(prevHash, entry) } as AuditEntry;
    await em.insert(AuditEntry, full as never);
    return full;
  }

  /** Walks the whole chain in order; reports the first entry whose hash, link or sequence is wrong. */
  async verifyChain(): Promise<ChainVerification> {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const rows: AuditEntry[] = await this.db.manager
        .createQueryBuilder(AuditEntry, 'a')
        .where('a.seq >= :from', { from: expectedSeq })
        .orderBy('a.seq', 'ASC')
        .limit(VERIFY_BATCH)
        .getMany();
      if (!rows.length) break;
      for (const row of rows) {
        const broken = (reason: string): ChainVerification => ({ ok: false, checkedEntries: checked, firstBrokenSeq: row.seq, reason });
        if (row.seq !== expectedSeq) {
          return { ok: false, checkedEntries: checked, firstBrokenSeq: expectedSeq, reason: `entry ${expectedSeq} is missing` };
        }
        if (row.prevHash !== prevHash) return broken('its link to the previous entry does not match');
        if (entryHash(prevHash, row) !== row.hash) return broken('its content does not match its hash');
        prevHash = row.hash;
        expectedSeq++;
        checked++;
      }
    }
    return { ok: true, checkedEntries: checked, firstBrokenSeq: null, reason: null };
  }
}
