import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AnyRole, Roles } from '../platform/auth/roles.decorator';
import { Ctx } from '../platform/auth/current-context.decorator';
import { RequestContext } from '../platform/context/request-context';
import { Connection, PageArgs } from '../platform/graphql/pagination';
import { Alert, AlertCaseEntry, NamedValue } from './alert.entity';
import { AlertsService } from './alerts.service';
import { AlertsRepository } from './alerts.repository';
import { DashboardRow, DashboardService, ExportFile } from './dashboard.service';
import { AlertFilter, AnswerCaseInput, DashboardInput, MoveCaseInput, PublishRuleVersionInput } from './dto/supervision.inputs';
import { MonitoringRule } from './monitoring-rule.entity';
import { MonitoringRun } from './monitoring-run.entity';
import { MonitoringService } from './monitoring.service';

const AlertConnection = Connection(Alert);

const named = (values: Record<string, unknown>): NamedValue[] =>
  Object.entries(values).map(([name, value]) => ({ name, value: typeof value === 'string' ? value : JSON.stringify(value) }));

@Resolver(() => MonitoringRule)
export class MonitoringRulesResolver {
  constructor(private readonly monitoring: MonitoringService) {}

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Query(() => [MonitoringRule], { description: 'Every version of every monitoring rule, newest first per rule' })
  monitoringRules() {
    return this.monitoring.rules();
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => MonitoringRule, { description: 'Publish a new version of a monitoring rule (provincial regulator)' })
  publishMonitoringRuleVersion(@Ctx() ctx: RequestContext, @Args('input') input: PublishRuleVersionInput) {
    return this.monitoring.publishRuleVersion(ctx, input);
  }

  @ResolveField(() => [NamedValue], { description: 'Threshold parameters' })
  parameters(@Parent() rule: MonitoringRule) {
    return named(rule.params);
  }
}

@Resolver(() => MonitoringRun)
@Roles('REGULATOR', 'PLATFORM_ADMIN')
export class MonitoringRunsResolver {
  constructor(private readonly monitoring: MonitoringService) {}

  @Mutation(() => MonitoringRun, { description: 'Run every monitoring rule over a month (YYYY-MM) now' })
  runMonitoring(@Ctx() ctx: RequestContext, @Args('period') period: string) {
    return this.monitoring.requestRun(ctx, period);
  }

  @Query(() => MonitoringRun, { description: 'A run and its progress' })
  monitoringRun(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return this.monitoring.run(ctx, id);
  }

  @Query(() => [MonitoringRun], { description: 'The latest runs, optionally of one month (YYYY-MM)' })
  monitoringRuns(@Ctx() ctx: RequestContext, @Args('period', { type: () => String, nullable: true }) period?: string | null) {
    return this.monitoring.runs(ctx, period);
  }
}

@Resolver(() => Alert)
export class AlertsResolver {
  constructor(
    private readonly alertsService: AlertsService,
    private readonly reads: AlertsRepository,
  ) {}

  @AnyRole()
  @Query(() => AlertConnection, { description: 'Alerts: regulators see their region; organisations see alerts about themselves' })
  alerts(@Ctx() ctx: RequestContext, @Args() page: PageArgs, @Args('filter', { type: () => AlertFilter, nullable: true }) filter?: AlertFilter) {
    return this.alertsService.list(ctx, filter ?? {}, page);
  }

  @AnyRole()
  @Query(() => Alert)
  alert(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return this.alertsService.get(ctx, id);
  }

  @Roles('REGULATOR')
  @Mutation(() => Alert, { description: 'Move an alert case: INQUIRY (函询), INTERVIEW (约谈), RECTIFIED, DISMISSED or ESCALATED_TO_CREDIT' })
  moveAlertCase(@Ctx() ctx: RequestContext, @Args('input') input: MoveCaseInput) {
    return this.alertsService.move(ctx, input);
  }

  @Roles('HOSPITAL', 'MANUFACTURER', 'DISTRIBUTOR')
  @Mutation(() => AlertCaseEntry, { description: 'The subject answers an inquiry about itself' })
  answerAlertInquiry(@Ctx() ctx: RequestContext, @Args('input') input: AnswerCaseInput) {
    return this.alertsService.answer(ctx, input);
  }

  @ResolveField(() => [NamedValue], { description: 'The figures and thresholds behind the finding' })
  evidence(@Parent() alert: Alert) {
    return named(alert.evidence);
  }

  @ResolveField(() => [AlertCaseEntry], { description: 'The case history: steps and answers' })
  caseEntries(@Ctx() ctx: RequestContext, @Parent() alert: Alert) {
    return this.reads.caseEntriesOf(ctx, alert.id);
  }
}

@Resolver()
@Roles('REGULATOR', 'PLATFORM_ADMIN')
export class DashboardResolver {
  constructor(private readonly dashboards: DashboardService) {}

  @Query(() => [DashboardRow], { description: 'Supervision indicators by prefecture and month within the caller\'s region' })
  supervisionDashboard(@Ctx() ctx: RequestContext, @Args('input') input: DashboardInput) {
    return this.dashboards.dashboard(ctx, input);
  }

  @Query(() => ExportFile, { description: 'The dashboard as a CSV or XLSX file (base64)' })
  exportSupervisionDashboard(@Ctx() ctx: RequestContext, @Args('input') input: DashboardInput, @Args('format') format: string) {
    return this.dashboards.export(ctx, input, format);
  }
}
