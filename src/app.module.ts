import { DynamicModule, Inject, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { APP_CONFIG, AppConfig } from './platform/config/app-config';
import { Clock } from './platform/clock/clock';
import { PlatformModule, DATABASE_HANDLE } from './platform/platform.module';
import { DatabaseHandle } from './platform/database/connect';
import { TokenService } from './platform/auth/token.service';
import { JobsService } from './platform/jobs/jobs.service';
import { AuditService } from './platform/audit/audit.service';
import { graphqlOptions } from './platform/graphql/graphql-setup';
import { logger } from './platform/logging/logger';
import { MetricsService } from './platform/metrics/metrics.service';
import { RateLimiter } from './platform/rate-limit/rate-limiter';
import { Db } from './platform/database/db';
import { ReadPolicyEnforcer } from './platform/auth/read-policy.interceptor';
import { CatalogModule } from './catalog/catalog.module';
import { SeedService } from './catalog/demo/seed.service';
import { DemoHistoryService } from './catalog/demo/demo-history.service';
import { CreditModule } from './credit/credit.module';
import { ListingModule } from './listing/listing.module';
import { TenderingModule } from './tendering/tendering.module';
import { AgreementsModule } from './agreements/agreements.module';
import { SettlementModule } from './settlement/settlement.module';
import { OrdersModule } from './orders/orders.module';
import { SupervisionModule } from './supervision/supervision.module';
import { PublicationModule } from './publication/publication.module';
import { EventsModule } from './platform/events/events.module';

/** After every module is ready: base data, demo data when asked, then the job queue. */
@Injectable()
class Startup implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle | null,
    private readonly seed: SeedService,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
    private readonly history: DemoHistoryService,
  ) {}

  async onApplicationBootstrap() {
    if (this.config.mode !== 'server' || !this.database) return;
    if (await this.seed.ensureBase()) logger.info({ username: this.config.adminUsername }, 'platform admin created');
    if (this.config.demoData) {
      const report = await this.seed.seedDemo();
      logger.info({ ...report }, 'demo data ensured');
      if (this.config.demoHistory) {
        try {
          const history = await this.history.ensure();
          if (history) logger.info({ ...history }, 'demo history seeded');
        } catch (error) {
          // the base demo still serves; the marker row records the failure, so a restart does not retry it
          logger.error({ err: error }, 'demo history failed; serving the base demo only');
        }
      }
    }
    await this.audit.chainPending({ wait: true }); // seeding's entries are linked before anyone can ask to verify
    await this.jobs.start(this.database.directUrl ?? this.database.url); // pg-boss: straight to the primary, never through a pooler
  }
}

export interface AppOptions {
  config: AppConfig;
  clock?: Clock;
  /** A database resolved before the app is built (main.ts does, so database faults stop it early). */
  database?: DatabaseHandle;
}

@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(options),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [APP_CONFIG, TokenService, MetricsService, RateLimiter, Db],
          useFactory: (config: AppConfig, tokens: TokenService, metrics: MetricsService, rateLimiter: RateLimiter, db: Db) =>
            graphqlOptions(config, { tokens, metrics, rateLimiter, readPolicy: new ReadPolicyEnforcer(db) }),
        }),
        CatalogModule,
        CreditModule,
        ListingModule,
        TenderingModule,
        AgreementsModule,
        SettlementModule,
        OrdersModule,
        SupervisionModule,
        PublicationModule,
        EventsModule,
      ],
      providers: [Startup, DemoHistoryService],
    };
  }
}
