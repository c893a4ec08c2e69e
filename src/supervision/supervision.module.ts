import { Module, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobsService } from '../platform/jobs/jobs.service';
import { MetricsService } from '../platform/metrics/metrics.service';
import { AlertsService } from './alerts.service';
import { ClaimsService } from './claims.service';
import { KpisResolver } from './kpis.resolver';
import { KpisService } from './kpis.service';
import { AlertsRepository } from './alerts.repository';
import { DashboardService } from './dashboard.service';
import { MONITORING_DAILY_JOB, MONITORING_JOB, MonitoringService } from './monitoring.service';
import { AlertsResolver, DashboardResolver, MonitoringRulesResolver, MonitoringRunsResolver } from './supervision.resolver';

/**
 * Supervision: monitoring rules as versioned data, runs as jobs, alerts and cases, dashboards. Reads other
 * contexts only through their published views; escalates to credit through the CREDIT_CHECKS port when the
 * credit module provides it (optional, so supervision runs before credit is installed).
 */
@Module({
  providers: [
    MonitoringService,
    AlertsService,
    AlertsRepository,
    DashboardService,
    MonitoringRulesResolver,
    MonitoringRunsResolver,
    AlertsResolver,
    DashboardResolver,
    ClaimsService,
    KpisService,
    KpisResolver,
  ],
  exports: [MonitoringService],
})
export class SupervisionModule implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly monitoring: MonitoringService,
    metrics: MetricsService,
    dataSource: DataSource,
  ) {
    // a running monitoring run's progress for /metrics: rules done of rules to run
    metrics.registerProgress('monitoring_run', () =>
      dataSource.query(`SELECT id, rules_done AS done, rules_total AS total FROM monitoring_run WHERE state = 'RUNNING' ORDER BY started_at LIMIT 100`),
    );
  }

  onModuleInit() {
    this.jobs.register(MONITORING_JOB, async (data) => {
      const runId = typeof data.runId === 'string' ? data.runId : '';
      try {
        await this.monitoring.execute(runId);
      } catch (error) {
        await this.monitoring.failRun(runId, error);
        throw error;
      }
    });
    // 02:30 Shanghai, after the day's orders and receipts have settled
    this.jobs.register(MONITORING_DAILY_JOB, () => this.monitoring.scheduledRun(), { cron: '30 2 * * *' });
  }
}
