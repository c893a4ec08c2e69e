import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ReadRouter } from './read-routing';
import { preparedQuery } from './prepared-query';

/** SQLSTATEs after which the whole unit of work may simply be run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: string; driverError?: { code?: string } })?.driverError?.code ?? (error as { code?: string })?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = (error as { driverError?: { code?: string; constraint?: string } })?.driverError ?? (error as { code?: string; constraint?: string });
  return e?.code === '23505' && (!constraint || e?.constraint === constraint);
}

export const DATA_SOURCE = DataSource;

/**
 * Units of work. Every mutation runs in exactly one transaction opened here; a serialization failure or
 * deadlock reruns the whole unit a bounded number of times, with a little jitter.
 */
@Injectable()
export class Db {
  private readonly afterCommitHooks: (() => void)[] = [];

  constructor(
    @Inject(DataSource) readonly dataSource: DataSource,
    @Optional() @Inject(ReadRouter) private readonly router: ReadRouter | null = null,
  ) {}

  /** Runs after every committed unit of work (not awaited): e.g. the audit chainer picking up new entries. */
  onAfterCommit(hook: () => void): void {
    this.afterCommitHooks.push(hook);
  }

  async transaction<T>(
    work: (em: EntityManager) => Promise<T>,
    isolation: 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE' = 'READ COMMITTED',
  ): Promise<T> {
    // READ COMMITTED is every session's default (set at connect), so it costs no extra round trip
    return this.committed(() => (isolation === 'READ COMMITTED' ? this.dataSource.transaction(work) : this.dataSource.transaction(isolation, work)));
  }

  /**
   * A unit of work that is one statement (data-modifying CTEs included): PostgreSQL runs it atomically on
   * its own, so it needs no BEGIN and COMMIT round trips. Retried and followed by the after-commit hooks like
   * `transaction`.
   */
  async statement<T = Record<string, unknown>>(name: string, text: string, values: unknown[]): Promise<T[]> {
    return this.committed(() => preparedQuery<T>(this.dataSource.manager, name, text, values));
  }

  /** Runs a unit of work, again after a serialization failure or deadlock, then the after-commit hooks. */
  private async committed<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await work();
        for (const hook of this.afterCommitHooks) hook();
        if (this.router?.enabled) await this.router.noteWrite();
        return result;
      } catch (error) {
        if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.floor(Math.random() * 10)));
      }
    }
  }

  /** Reads outside a transaction. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * Reads of published views, dashboards, monitoring lists, exports and public pages: on the streaming
   * standby when DATABASE_READ_URL is set and it is safe (read-routing.ts says when), else on the primary.
   * Only `query` is routed: use it for raw SQL reads, never inside a transaction.
   */
  get reads(): EntityManager {
    return this.router?.enabled ? this.router.manager() : this.dataSource.manager;
  }
}
