import { Inject, Injectable, Optional } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { JobsService } from '../jobs/jobs.service';
import { ReadRouter } from '../database/read-routing';
import { logger } from '../logging/logger';

/** One running long job: how far it is. */
export interface ProgressItem {
  id: string;
  done: number;
  total: number;
}

/** A context's running long jobs (settlement batches, monitoring runs), read when /metrics is scraped. */
export type ProgressSource = () => Promise<ProgressItem[]>;

/** Distinct `operation` label values kept; more are counted as "other" so a client cannot grow the registry. */
const MAX_OPERATION_LABELS = 300;

/**
 * Prometheus metrics of this process (prom-client, a registry per app): GraphQL requests and latency per
 * operation and outcome, the database pool, the job queue, long-job progress and Node's own figures.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();
  private readonly progressSources = new Map<string, ProgressSource>();

  private readonly graphqlRequests = new Counter({
    name: 'vbp_graphql_requests_total',
    help: 'GraphQL operations answered, by operation (name, else root fields), type and outcome (ok or the first error code)',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly graphqlDuration = new Histogram({
    name: 'vbp_graphql_request_duration_seconds',
    help: 'GraphQL operation latency in seconds, from request start to response, by operation, type and outcome',
    labelNames: ['operation', 'type', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly rateLimited = new Counter({
    name: 'vbp_rate_limited_total',
    help: 'Operations refused with RATE_LIMITED, by limit (login or mutation)',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });
  private readonly pool = new Gauge({
    name: 'vbp_db_pool_connections',
    help: 'PostgreSQL pool of this process: state total (open), idle, waiting (callers queued for a connection) and max',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  private readonly queue = new Gauge({
    name: 'vbp_job_queue_jobs',
    help: 'pg-boss jobs by queue and state (queued = ready to run, active, deferred = scheduled later); as of the queue monitor',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });
  private readonly running = new Gauge({
    name: 'vbp_long_jobs_running',
    help: 'Long jobs running now, by kind (settlement_batch, monitoring_run)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  private readonly progressDone = new Gauge({
    name: 'vbp_long_job_done',
    help: 'Items a running long job has finished (settled lines of a batch, rules of a monitoring run)',
    labelNames: ['kind', 'id'] as const,
    registers: [this.registry],
  });
  private readonly progressTotal = new Gauge({
    name: 'vbp_long_job_total',
    help: 'Items a running long job has in all (0 until it knows)',
    labelNames: ['kind', 'id'] as const,
    registers: [this.registry],
  });
  private readonly progressRatio = new Gauge({
    name: 'vbp_long_job_progress_ratio',
    help: 'done / total of a running long job, 0 to 1',
    labelNames: ['kind', 'id'] as const,
    registers: [this.registry],
  });

  private readonly routedReads = new Gauge({
    name: 'vbp_routed_reads_total',
    help: 'Reads routed by DATABASE_READ_URL since start, by where they ran: replica, primary (read-your-writes, standby down or behind) or fallback (failed on the standby, rerun on the primary)',
    labelNames: ['target'] as const,
    registers: [this.registry],
  });
  private readonly replicaLag = new Gauge({
    name: 'vbp_read_replica_lag_bytes',
    help: 'WAL bytes the standby had not replayed at its last poll (absent while it does not answer)',
    registers: [this.registry],
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    @Optional() @Inject(ReadRouter) private readonly router: ReadRouter | null = null,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'vbp_' });
  }

  registerProgress(kind: string, source: ProgressSource): void {
    this.progressSources.set(kind, source);
    this.running.set({ kind }, 0);
  }

  observeOperation(operation: string, type: string, outcome: string, seconds: number): void {
    let label = operation;
    if (!this.operations.has(label)) {
      if (this.operations.size >= MAX_OPERATION_LABELS) label = 'other';
      else this.operations.add(label);
    }
    this.graphqlRequests.inc({ operation: label, type, outcome });
    this.graphqlDuration.observe({ operation: label, type, outcome }, seconds);
    if (outcome === 'RATE_LIMITED') this.rateLimited.inc({ limit: operation === 'login' ? 'login' : 'mutation' });
  }

  /** The exposition text, after reading the figures that live elsewhere (pool, queue, progress). */
  async render(): Promise<string> {
    await this.refresh();
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private async refresh(): Promise<void> {
    if (this.router?.enabled) {
      for (const [target, n] of Object.entries(this.router.routed)) this.routedReads.set({ target }, n);
      const lag = this.router.lagBytes();
      if (lag === null) this.replicaLag.reset();
      else this.replicaLag.set(Number(lag));
    }
    const pg = this.dataSource.isInitialized
      ? (this.dataSource.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number; options?: { max?: number } } }).master
      : undefined;
    if (pg) {
      this.pool.set({ state: 'total' }, pg.totalCount);
      this.pool.set({ state: 'idle' }, pg.idleCount);
      this.pool.set({ state: 'waiting' }, pg.waitingCount);
      if (pg.options?.max) this.pool.set({ state: 'max' }, pg.options.max);
    }
    try {
      const queues = await this.jobs.queueStats();
      this.queue.reset();
      for (const q of queues) {
        this.queue.set({ queue: q.name, state: 'queued' }, q.queued);
        this.queue.set({ queue: q.name, state: 'active' }, q.active);
        this.queue.set({ queue: q.name, state: 'deferred' }, q.deferred);
      }
    } catch (error) {
      logger.warn({ err: error }, 'metrics: job queue figures unavailable');
    }
    this.progressDone.reset();
    this.progressTotal.reset();
    this.progressRatio.reset();
    for (const [kind, source] of this.progressSources) {
      try {
        const items = this.dataSource.isInitialized ? await source() : [];
        this.running.set({ kind }, items.length);
        for (const item of items) {
          this.progressDone.set({ kind, id: item.id }, item.done);
          this.progressTotal.set({ kind, id: item.id }, item.total);
          this.progressRatio.set({ kind, id: item.id }, item.total > 0 ? Math.min(1, item.done / item.total) : 0);
        }
      } catch (error) {
        logger.warn({ err: error, kind }, 'metrics: long-job progress unavailable');
      }
    }
  }
}
