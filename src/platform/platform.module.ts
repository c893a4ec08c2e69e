import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { Clock, PlatformClock, SystemClock } from './clock/clock';
import { TrainingClockService } from './clock/training-clock.service';
import { TrainingClockResolver } from './clock/training-clock.resolver';
import { Db } from './database/db';
import { openDataSource, resolveDatabase, DatabaseHandle } from './database/connect';
import { dataSourceOptions } from './database/data-source-options';
import { runPendingMigrations } from './database/migrate';
import { configurePooling } from './database/pooling';
import { ReadRouter } from './database/read-routing';
import { AuditService } from './audit/audit.service';
import { AuditResolver } from './audit/audit.resolver';
import { AuditCheckpointService } from './audit/audit-checkpoint.service';
import { AuditCheckpointsController } from './audit/audit-checkpoints.controller';
import { TokenService } from './auth/token.service';
import { RolesGuard } from './auth/roles.guard';
import { ReadPolicyInterceptor } from './auth/read-policy.interceptor';
import { JobsService } from './jobs/jobs.service';
import { HealthController } from './health/health.controller';
import { GraphiqlAssetsController } from './graphql/graphiql';
import { WebPagesController } from './web/web-pages.controller';
import { InputValidationPipe } from './graphql/validation.pipe';
import { MoneyScalar, UnitPriceScalar } from './graphql/scalars';
import { logger } from './logging/logger';
import { MetricsService } from './metrics/metrics.service';
import { MetricsController } from './metrics/metrics.controller';
import { RateLimiter } from './rate-limit/rate-limiter';
import { firstLine, StartupFault } from './startup-fault';

export const DATABASE_HANDLE = Symbol('DATABASE_HANDLE');

/** Stops what the database provider started: the pool, then the embedded server. */
@Injectable()
class DatabaseShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE_HANDLE) private readonly handle: DatabaseHandle | null,
    private readonly dataSource: DataSource,
    private readonly router: ReadRouter,
  ) {}

  async onApplicationShutdown() {
    await this.router.stop();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.handle?.embedded?.stop();
  }
}

export interface PlatformOptions {
  config: AppConfig;
  clock?: Clock;
  /** Already resolved (and started, if embedded) by the caller; otherwise resolved here. */
  database?: DatabaseHandle;
}

/** Cross-cutting services every context uses: config, clock, database, audit, tokens, jobs, guard. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const { config } = options;
    return {
      module: PlatformModule,
      controllers: [HealthController, GraphiqlAssetsController, MetricsController, AuditCheckpointsController, WebPagesController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        // the platform clock: the given (test) or system clock, plus the training offset and the seeder's pin
        { provide: Clock, useValue: new PlatformClock(options.clock ?? new SystemClock()) },
        {
          provide: DATABASE_HANDLE,
          useFactory: async () =>
            config.mode === 'schema' ? null : (options.database ?? resolveDatabase(config, (line) => logger.debug({ postgres: line.trim() }))),
        },
        {
          provide: DataSource,
          inject: [DATABASE_HANDLE],
          useFactory: async (handle: DatabaseHandle | null) => {
            // schema generation needs the resolvers, not a database
            if (!handle) return new DataSource(dataSourceOptions('postgres://schema-only@localhost/none'));
            const pooled = config.databasePooling === 'transaction';
            const directUrl = handle.directUrl && handle.directUrl !== handle.url ? handle.directUrl : null;
            configurePooling({ namedStatements: !pooled, directUrl });
            const dataSource = await openDataSource(handle.url, config.dbPoolSize, pooled);
            let applied: string[];
            try {
              if (directUrl) {
                // migrations straight on the primary, not through a transaction-pooling proxy
                const direct = await openDataSource(directUrl, 2);
                try {
                  applied = await runPendingMigrations(direct);
                } finally {
                  await direct.destroy().catch(() => undefined);
                }
              } else {
                applied = await runPendingMigrations(dataSource);
              }
            } catch (error) {
              await dataSource.destroy().catch(() => undefined);
              throw new StartupFault(
                `a database migration failed and was rolled back: ${firstLine(error)}`,
                'repair the database (or the migration) and start again; `npm run migration:run` shows the full error',
                error,
              );
            }
            if (applied.length) logger.info({ applied }, 'migrations applied');
            return dataSource;
          },
        },
        {
          provide: ReadRouter,
          inject: [DataSource, DATABASE_HANDLE],
          useFactory: (dataSource: DataSource, handle: DatabaseHandle | null) => {
            const readUrl = handle?.readUrl ?? null;
            const router = new ReadRouter(dataSource, readUrl, (url) => openDataSource(url, Math.max(2, Math.ceil(config.dbPoolSize / 2))), config.readYourWritesSeconds * 1000);
            if (readUrl && config.mode === 'server') router.start();
            return router;
          },
        },
        DatabaseShutdown,
        Db,
        AuditService,
        AuditCheckpointService,
        AuditResolver,
        TokenService,
        JobsService,
        MetricsService,
        RateLimiter,
        TrainingClockService,
        TrainingClockResolver,
        MoneyScalar,
        UnitPriceScalar,
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_INTERCEPTOR, useClass: ReadPolicyInterceptor },
        { provide: APP_PIPE, useClass: InputValidationPipe },
      ],
      exports: [APP_CONFIG, Clock, DataSource, DATABASE_HANDLE, ReadRouter, Db, AuditService, AuditCheckpointService, TokenService, JobsService, MetricsService, RateLimiter, TrainingClockService],
    };
  }
}
