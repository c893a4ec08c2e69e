import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AuditService } from '../audit/audit.service';
import { requireUser } from '../auth/scope';
import { RequestContext } from '../context/request-context';
import { Db } from '../database/db';
import { AppError, validationFailed } from '../errors/app-error';
import { JobsService } from '../jobs/jobs.service';
import { logger } from '../logging/logger';
import { Clock, PlatformClock } from './clock';
import { PlatformSetting } from './platform-setting.entity';

export const CLOCK_OFFSET_KEY = 'clock.offset';
/** One jump moves the clock at most a year and a day: enough for a whole cycle, small enough to notice a typo. */
export const MAX_ADVANCE_SECONDS = 366 * 86_400;
/** How often a replica re-reads the offset another replica may have moved. */
const REFRESH_MS = 2000;

const disabled = () => new AppError('CLOCK_CONTROL_DISABLED', '平台时钟为系统时钟；仅在培训模式（CLOCK_CONTROL=true）下可调整');

/**
 * The training clock (CLOCK_CONTROL=true): the platform admin moves the platform's clock forward. The offset
 * lives in `platform_setting`, so it survives restarts and every replica follows it (re-read every two
 * seconds, and at once by the replica that moved it). After a jump, the scheduled jobs whose time was passed
 * over run at once, so a round past its bid deadline is opened when the mutation returns. Outside training
 * mode the platform clock is the system clock and both operations are refused with CLOCK_CONTROL_DISABLED.
 */
@Injectable()
export class TrainingClockService implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly jobs: JobsService,
  ) {}

  private get platformClock(): PlatformClock | null {
    return this.clock instanceof PlatformClock ? this.clock : null;
  }

  get enabled(): boolean {
    return this.config.clockControl && this.platformClock !== null;
  }

  async onModuleInit(): Promise<void> {
    if (!this.enabled || this.config.mode === 'schema') return;
    await this.refresh();
    if (this.platformClock!.offset) logger.warn({ offsetSeconds: this.platformClock!.offset / 1000, platformTime: this.clock.now() }, 'training clock: the platform clock runs ahead of the system clock');
    this.timer = setInterval(() => void this.refresh().catch((err) => logger.warn({ err }, 'training clock: offset refresh failed')), REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Re-reads the shared offset (never moves the clock backwards within this process). */
  async refresh(): Promise<void> {
    if (!this.db.dataSource.isInitialized) return;
    const row = await this.db.manager.findOne(PlatformSetting, { where: { key: CLOCK_OFFSET_KEY } });
    const stored = Number(row?.value?.offsetMs ?? 0);
    const clock = this.platformClock!;
    if (Number.isSafeInteger(stored) && stored > clock.offset) clock.setOffset(stored);
  }

  async platformTime(ctx: RequestContext): Promise<Date> {
    requireUser(ctx);
    if (!this.enabled) throw disabled();
    await this.refresh();
    const now = this.clock.now();
    await this.db.transaction((em) =>
      this.audit.record(em, ctx, { action: 'platform.clock_read', entityType: 'platform', entityId: 'clock', data: { platformTime: now.toISOString(), offsetSeconds: this.platformClock!.offset / 1000 } }),
    );
    return now;
  }

  async advance(ctx: RequestContext, seconds: number): Promise<Date> {
    requireUser(ctx);
    if (!this.enabled) throw disabled();
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_ADVANCE_SECONDS) {
      throw validationFailed('seconds', `秒数须为 1 至 ${MAX_ADVANCE_SECONDS}（366 天）之间的整数`, { max: MAX_ADVANCE_SECONDS });
    }
    const clock = this.platformClock!;
    const { from, to } = await this.db.transaction(async (em) => {
      await em.query(`INSERT INTO platform_setting (key, value, updated_at) VALUES ($1, '{"offsetMs": 0}', $2) ON CONFLICT (key) DO NOTHING`, [CLOCK_OFFSET_KEY, clock.wallNow()]);
      const [row] = await em.query<{ value: { offsetMs?: number } }[]>(`SELECT value FROM platform_setting WHERE key = $1 FOR UPDATE`, [CLOCK_OFFSET_KEY]);
      const before = Math.max(Number(row.value.offsetMs ?? 0), clock.offset);
      const after = before + seconds * 1000;
      const wall = clock.wallNow().getTime();
      await em.query(`UPDATE platform_setting SET value = $2, updated_at = $3 WHERE key = $1`, [CLOCK_OFFSET_KEY, { offsetMs: after }, new Date(wall)]);
      const range = { from: new Date(wall + before), to: new Date(wall + after) };
      await this.audit.record(em, ctx, { action: 'platform.clock_advanced', entityType: 'platform', entityId: 'clock', data: { seconds, from: range.from.toISOString(), to: range.to.toISOString() } });
      clock.setOffset(after);
      return range;
    });
    const ran = await this.jobs.catchUp(from, to);
    logger.info({ seconds, platformTime: to.toISOString(), jobs: ran }, 'training clock advanced');
    return this.clock.now();
  }
}
