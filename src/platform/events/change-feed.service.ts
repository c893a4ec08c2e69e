import { BeforeApplicationShutdown, Injectable, OnModuleInit } from '@nestjs/common';
import { Db } from '../database/db';
import { CoalescedPass } from '../database/coalesced-pass';
import { AppError } from '../errors/app-error';
import { logger } from '../logging/logger';
import { MAX_PAGE_SIZE, pageSize } from '../graphql/pagination';
import { BusinessEvent } from './business-event.entity';
import { FeedReader, visibleSql } from './event-visibility';

/** Only one positioner at a time, across every process of the app (the audit chainer uses 4_100_002). */
const POSITIONER_LOCK = 4_100_010;
const POSITION_BATCH = 5000;
/** A safety net: events are positioned right after each commit; this catches what a crash or another replica left. */
const POSITION_INTERVAL_MS = 1000;
/** Commits arriving during a pass are positioned by one more pass this long after it (see CoalescedPass). */
const POSITION_COALESCE_MS = 250;

export interface EventPage {
  nodes: BusinessEvent[];
  endCursor: string | null;
  hasNextPage: boolean;
}

type EventRow = {
  seq: string;
  position: string;
  type: string;
  occurred_at: Date;
  subject_type: string;
  subject_id: string;
  region_path: string | null;
  organisation_ids: string[];
  is_public: boolean;
  data: Record<string, unknown>;
  positioned_at: Date | null;
};

export function toEvent(row: EventRow): BusinessEvent {
  return Object.assign(new BusinessEvent(), {
    seq: Number(row.seq),
    position: Number(row.position),
    type: row.type,
    occurredAt: row.occurred_at,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    regionPath: row.region_path,
    organisationIds: row.organisation_ids,
    isPublic: row.is_public,
    data: row.data,
    positionedAt: row.positioned_at,
  });
}

export function parseFeedCursor(after: string | null | undefined, field = 'after'): number {
  if (after === null || after === undefined || after === '') return 0;
  if (!/^\d{1,15}$/.test(after)) throw new AppError('VALIDATION_FAILED', '游标无效：请使用上一页返回的 endCursor', { field });
  return Number(after);
}

/**
 * The change feed. Triggers write events in the transaction of their change, numbered by a sequence — but
 * sequence values are handed out at insert, not at commit, so a reader following `seq` would skip an event
 * whose transaction committed after a later one. The positioner gives each committed event its feed
 * `position` after commit, one pass at a time across all replicas: anything that commits later gets a later
 * position, so `position > cursor` never skips. Readers see only positioned events.
 */
@Injectable()
export class ChangeFeedService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly positioner = new CoalescedPass(() => this.positionPending(), POSITION_COALESCE_MS, (error) =>
    logger.error({ err: error }, 'change feed positioning failed; will retry'),
  );
  private timer: NodeJS.Timeout | null = null;
  private readonly positionedListeners: (() => void)[] = [];

  constructor(private readonly db: Db) {
    db.onAfterCommit(() => this.positionSoon());
  }

  onModuleInit() {
    if (this.db.dataSource.isInitialized) {
      this.timer = setInterval(() => this.positionSoon(), POSITION_INTERVAL_MS);
      this.timer.unref();
    }
  }

  async beforeApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
    await this.positioner.stop();
  }

  /** Called after each pass that positioned something (the webhook dispatcher listens). */
  onPositioned(listener: () => void): void {
    this.positionedListeners.push(listener);
  }

  positionSoon(): void {
    if (!this.db.dataSource.isInitialized) return;
    this.positioner.kick();
  }

  /** Positions every committed, unpositioned event, in sequence order within a pass; returns how many. */
  async positionPending(options: { wait?: boolean } = {}): Promise<number> {
    let total = 0;
    for (;;) {
      const positioned = await this.db.dataSource.transaction(async (em) => {
        if (options.wait) {
          await em.query('SELECT pg_advisory_xact_lock($1)', [POSITIONER_LOCK]);
        } else {
          const [{ locked }] = await em.query<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock($1) AS locked', [POSITIONER_LOCK]);
          if (!locked) return 0; // another pass is running; its after-commit kick or the interval picks these up
        }
        // under the lock, these statements see every earlier pass and every event committed before them; each
        // step is an index lookup (the partial index of unnumbered events, the position index, the key)
        const pending = await em.query<{ seq: string }[]>(`SELECT seq FROM business_event WHERE position IS NULL ORDER BY seq LIMIT ${POSITION_BATCH}`);
        if (!pending.length) return 0;
        const [{ head }] = await em.query<{ head: string }[]>('SELECT coalesce(max(position), 0)::text AS head FROM business_event');
        await em.query(
          `UPDATE business_event e SET position = $2::bigint + u.ord, positioned_at = now()
             FROM unnest($1::bigint[]) WITH ORDINALITY AS u(seq, ord) WHERE e.seq = u.seq`,
          [pending.map((p) => p.seq), head],
        );
        return pending.length;
      });
      total += positioned;
      if (positioned < POSITION_BATCH) break;
    }
    if (total > 0) for (const listener of this.positionedListeners) listener();
    return total;
  }

  /** The newest position (0 for an empty feed). */
  async head(): Promise<number> {
    const [row] = await this.db.manager.query<{ p: string }[]>('SELECT coalesce(max(position), 0)::text AS p FROM business_event');
    return Number(row.p);
  }

  /** A page of events after the cursor, in position (commit) order, as the reader may see them. */
  async page(reader: FeedReader | null, args: { after?: string | null; first?: number | null; types?: string[] | null }): Promise<EventPage> {
    const first = pageSize({ first: args.first ?? 50 });
    const after = parseFeedCursor(args.after);
    const params: unknown[] = [after];
    const where = ['e.position > $1'];
    if (reader) {
      const visible = visibleSql(reader, params.length + 1);
      where.push(visible.sql);
      params.push(...visible.params);
    } else {
      where.push('e.is_public');
    }
    if (args.types?.length) {
      params.push(args.types);
      where.push(`e.type = ANY($${params.length}::text[])`);
    }
    params.push(Math.min(first, MAX_PAGE_SIZE) + 1);
    const rows = await this.db.manager.query<EventRow[]>(
      `SELECT e.* FROM business_event e WHERE ${where.join(' AND ')} ORDER BY e.position LIMIT $${params.length}`,
      params,
    );
    const nodes = rows.slice(0, first).map(toEvent);
    return {
      nodes,
      hasNextPage: rows.length > first,
      // an empty page keeps the caller's cursor: the next call resumes exactly there
      endCursor: nodes.length ? String(nodes[nodes.length - 1].position) : after ? String(after) : null,
    };
  }
}
