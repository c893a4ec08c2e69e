import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import PgBoss from 'pg-boss';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { logger } from '../logging/logger';

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

  get running(): boolean {
    return this.boss !== null;
  }

  /** Before the database closes (onApplicationShutdown), so the queue's connections end first. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.boss) await this.boss.stop({ graceful: true, timeout: 5000 });
    this.boss = null;
  }
}
