import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import PgBoss from 'pg-boss';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { logger } from '../logging/logger';
import { cronFiresBetween } from './cron-window';

export type JobHandler = (data: Record<string, unknown>) => Promise<void>;

interface Registration {
  handler: JobHandler;
  cron?: string;
}

/**
 * A PostgreSQL-backed job queue (pg-boss): time-driven transitions and long runs survive restarts and run
 * once across replicas. Contexts register handlers at module init; `start` begins working them.
 * With JOBS_ENABLED=false (tests), nothing polls and `runNow` calls a handler directly, so a test can stand
 * at a deadline and fire the scheduler's tick itself.
 */
@Injectable()
export class JobsService implements BeforeApplicationShutdown {
  private boss: PgBoss | null = null;
  private readonly registrations = new Map<string, Registration>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  register(name: string, handler: JobHandler, options: { cron?: string } = {}): void {
    this.registrations.set(name, { handler, cron: options.cron });
    if (this.boss) void this.attach(name, this.registrations.get(name)!);
  }

  async start(connectionString: string): Promise<void> {
    if (!this.config.jobsEnabled || this.boss) return;
    const boss = new PgBoss({ connectionString, schema: 'pgboss', application_name: 'vbp-platform-jobs' } as never);
    boss.on('error', (error: unknown) => logger.error({ err: error }, 'job queue error'));
    await boss.start();
    this.boss = boss;
    for (const [name, registration] of this.registrations) await this.attach(name, registration);
  }

  private async attach(name: string, registration: Registration): Promise<void> {
    const boss = this.boss!;
    await boss.createQueue(name);
    await boss.work(name, async (jobs: { data: Record<string, unknown> }[]) => {
      for (const job of jobs) await registration.handler(job.data ?? {});
    });
    if (registration.cron) await boss.schedule(name, registration.cron, {}, { tz: 'Asia/Shanghai' });
  }

  /** Queue a job; with a singleton key, at most one such job is queued at a time. */
  async enqueue(name: string, data: Record<string, unknown> = {}, options: { startAfter?: Date; singletonKey?: string } = {}): Promise<void> {
    if (!this.boss) {
      if (!this.registrations.has(name)) throw new Error(`No job handler named ${name}`);
      return; // jobs disabled: tests call runNow at the moment they choose
    }
    await this.boss.send(name, data, options);
  }

  async runNow(name: string, data: Record<string, unknown> = {}): Promise<void> {
    const registration = this.registrations.get(name);
    if (!registration) throw new Error(`No job handler named ${name}`);
    await registration.handler(data);
  }

  /** Jobs per queue (pg-boss's cached counts); empty while the queue is not running. */
  async queueStats(): Promise<{ name: string; queued: number; active: number; deferred: number }[]> {
    if (!this.boss) return [];
    const queues = await this.boss.getQueues();
    return queues.map((q) => ({ name: q.name, queued: q.queuedCount ?? 0, active: q.activeCount ?? 0, deferred: q.deferredCount ?? 0 }));
  }

  /**
   * The training clock jumped from `from` to `to`: run, here and now, each scheduled job whose cron time the
   * jump passed over (once, however many times it passed it; the handlers act on what is due at the
   * platform clock's new time). Time-driven transitions, auto-receipt, prepayment posting, daily monitoring
   * and quarterly re-rating thus follow the platform clock without waiting for the next wall-clock tick.
   * A failing job is logged and the others still run; returns the names run.
   */
  async catchUp(from: Date, to: Date): Promise<string[]> {
    const ran: string[] = [];
    for (const [name, registration] of this.registrations) {
      if (!registration.cron || !cronFiresBetween(registration.cron, from, to)) continue;
      try {
        await registration.handler({});
        ran.push(name);
      } catch (error) {
        logger.error({ err: error, job: name }, 'job run after a clock jump failed');
      }
    }
    return ran;
  }

  get running(): boolean {
    return this.boss !== null;
  }

  /** Before the database closes (onApplicationShutdown), so the queue's connections end first. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.boss) await this.boss.stop({ graceful: true, timeout: 5000 });
    this.boss = null;
  }
}
