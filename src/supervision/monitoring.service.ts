import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { checkRuleParams, DEFAULT_RULES, RuleCode, RULE_CODES, RuleParams, SEVERITIES } from '@libs/supervision-rules';
import { isValidDateString } from '@libs/calendar';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext, systemContext } from '../platform/context/request-context';
import { requireUser } from '../platform/auth/scope';
import { AppError, notFound } from '../platform/errors/app-error';
import { JobsService } from '../platform/jobs/jobs.service';
import { LISTING_SUSPENSIONS, ListingSuspensions } from '../platform/ports/context-ports';
import { logger } from '../platform/logging/logger';
import { MonitoringRule } from './monitoring-rule.entity';
import { MonitoringRun, SkippedRule } from './monitoring-run.entity';
import { RULE_SQL, upsertAlertsSql } from './monitoring-sql';
import { currentPeriod, parsePeriod, previousPeriod } from './period';
import { SupervisionErrors } from './supervision.errors';
import { PublishRuleVersionInput } from './dto/supervision.inputs';

export const MONITORING_JOB = 'supervision.monitoring';
export const MONITORING_DAILY_JOB = 'supervision.monitoring.daily';
/** Runs of one period take turns, so two runs never race on the same alerts. */
const RUN_LOCK_NAMESPACE = 'supervision.monitoring.period';

@Injectable()
export class MonitoringService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly jobs: JobsService,
    @Inject(LISTING_SUSPENSIONS) private readonly listings: ListingSuspensions,
  ) {}

  // ---- rules --------------------------------------------------------------------------------------------

  rules(): Promise<MonitoringRule[]> {
    return this.db.manager.find(MonitoringRule, { order: { code: 'ASC', version: 'DESC' } });
  }

  /** The version of each rule in force for a period: the highest enabled version whose dates cover it. */
  async rulesInForce(em: EntityManager, period: string): Promise<MonitoringRule[]> {
    const rows: { id: string }[] = await em.query(
      `SELECT DISTINCT ON (code) id FROM monitoring_rule
        WHERE enabled AND effective_from <= $1::date AND (effective_to IS NULL OR effective_to > $1::date)
        ORDER BY code, version DESC`,
      [period],
    );
    if (!rows.length) return [];
    const rules = await em.findBy(MonitoringRule, { id: In(rows.map((r) => r.id)) });
    return rules.sort((a, b) => RULE_CODES.indexOf(a.code as RuleCode) - RULE_CODES.indexOf(b.code as RuleCode));
  }

  /** A provincial regulator publishes a new version of a rule: new thresholds from a date; earlier alerts keep theirs. */
  async publishRuleVersion(ctx: RequestContext, input: PublishRuleVersionInput): Promise<MonitoringRule> {
    const user = requireUser(ctx);
    if (user.role === 'REGULATOR' && user.regionPath.includes('/')) throw new AppError('FORBIDDEN', 'Monitoring rules are set by the provincial regulator');
    if (!RULE_CODES.includes(input.code as RuleCode)) throw SupervisionErrors.ruleUnknown();
    const code = input.code as RuleCode;
    const template = DEFAULT_RULES.find((r) => r.code === code)!;
    const params: RuleParams = {};
    for (const [i, p] of input.params.entries()) {
      if (!(p.name in template.params)) throw new AppError('VALIDATION_FAILED', `Rule ${code} has no parameter ${p.name}`, { field: `input.params[${i}].name` });
      params[p.name] = typeof template.params[p.name] === 'number' ? (/^\d{1,3}$/.test(p.value) ? parseInt(p.value, 10) : -1) : p.value;
    }
    const check = checkRuleParams(code, params);
    if (!check.ok) throw new AppError('VALIDATION_FAILED', check.reason, { field: `input.${check.field}` });
    if (input.severity && !(SEVERITIES as readonly string[]).includes(input.severity)) {
      throw new AppError('VALIDATION_FAILED', `Severity is one of ${SEVERITIES.join(', ')}`, { field: 'input.severity' });
    }
    if (!isValidDateString(input.effectiveFrom)) throw new AppError('VALIDATION_FAILED', 'effectiveFrom is a date YYYY-MM-DD', { field: 'input.effectiveFrom' });
    return this.db.transaction(async (em) => {
      // one writer per rule code at a time, so versions never collide
      await em.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`monitoring_rule|${code}`]);
      const latest = await em.findOne(MonitoringRule, { where: { code }, order: { version: 'DESC' } });
      if (latest && input.effectiveFrom <= latest.effectiveFrom) {
        throw new AppError('VALIDATION_FAILED', `A new version takes effect after the current one (${latest.effectiveFrom})`, { field: 'input.effectiveFrom' });
      }
      if (latest && !latest.effectiveTo) await em.update(MonitoringRule, { id: latest.id }, { effectiveTo: input.effectiveFrom });
      const rule = em.create(MonitoringRule, {
        code,
        version: (latest?.version ?? 0) + 1,
        name: latest?.name ?? template.name,
        subjectKind: template.subjectKind,
        severity: input.severity ?? latest?.severity ?? template.severity,
        params,
        policy: input.policy?.trim() || latest?.policy || template.policy,
        effectiveFrom: input.effectiveFrom,
        effectiveTo: null,
        enabled: true,
      });
      await em.save(rule);
      await this.audit.record(em, ctx, { action: 'monitoring_rule.published', entityType: 'monitoring_rule', entityId: rule.id, data: { code, version: rule.version, params, effectiveFrom: rule.effectiveFrom } });
      return rule;
    });
  }

  // ---- runs ---------------------------------------------------------------------------------------------

  async run(ctx: RequestContext, id: string): Promise<MonitoringRun> {
    requireUser(ctx);
    const run = await this.db.manager.findOne(MonitoringRun, { where: { id } });
    if (!run) throw notFound('Monitoring run', 'id');
    return run;
  }

  runs(ctx: RequestContext, period?: string | null): Promise<MonitoringRun[]> {
    requireUser(ctx);
    const where = period ? { period: parsePeriod(period, this.clock.now()) } : {};
    return this.db.manager.find(MonitoringRun, { where, order: { startedAt: 'DESC' }, take: 50 });
  }

  /** A regulator asks for a run now. With the job queue running it is queued; otherwise it runs at once. */
  async requestRun(ctx: RequestContext, month: string): Promise<MonitoringRun> {
    const user = requireUser(ctx);
    const period = parsePeriod(month, this.clock.now(), 'period');
    const run = await this.createRun(ctx, period, 'REQUEST', user.id);
    if (this.jobs.running) await this.jobs.enqueue(MONITORING_JOB, { runId: run.id });
    else await this.execute(run.id);
    return this.db.manager.findOneOrFail(MonitoringRun, { where: { id: run.id } });
  }

  /** The daily schedule: this month so far, and on the first days of a month the month just ended. */
  async scheduledRun(): Promise<void> {
    const now = this.clock.now();
    const period = currentPeriod(now);
    const periods = now.getTime() - new Date(`${period}T00:00:00+08:00`).getTime() < 3 * 86_400_000 ? [previousPeriod(period), period] : [period];
    for (const p of periods) {
      const run = await this.createRun(systemContext('monitoring-schedule'), p, 'SCHEDULE', null);
      await this.execute(run.id);
    }
  }

  private async createRun(ctx: RequestContext, period: string, trigger: 'SCHEDULE' | 'REQUEST', requestedBy: string | null): Promise<MonitoringRun> {
    return this.db.transaction(async (em) => {
      const rules = await this.rulesInForce(em, period);
      const run = em.create(MonitoringRun, {
        period, trigger, state: 'RUNNING', rulesTotal: rules.length, rulesDone: 0, alertsRaised: 0, alertsUpdated: 0,
        skipped: [], failure: null, requestedBy, startedAt: this.clock.now(), finishedAt: null,
      });
      await em.save(run);
      await this.audit.record(em, ctx, { action: 'monitoring_run.started', entityType: 'monitoring_run', entityId: run.id, data: { period, trigger } });
      return run;
    });
  }

  /**
   * Works a run rule by rule, one transaction per rule so progress is visible while it runs. A rule whose
   * views are not published (yet) is skipped with the reason; a rule whose SQL fails is skipped with the
   * error, and the other rules still run.
   */
  async execute(runId: string): Promise<void> {
    const run = await this.db.manager.findOne(MonitoringRun, { where: { id: runId } });
    if (!run || run.state !== 'RUNNING') return;
    const rules = await this.rulesInForce(this.db.manager, run.period);
    const homeProvince = await this.homeProvince();
    const now = this.clock.now();
    for (const rule of rules) {
      const skip = async (reason: string) => {
        logger.warn({ runId, rule: rule.code, reason }, 'monitoring rule skipped');
        await this.db.transaction((em) =>
          em.query(`UPDATE monitoring_run SET rules_done = rules_done + 1, skipped = skipped || $2::jsonb WHERE id = $1`, [
            runId,
            JSON.stringify([{ code: rule.code, reason } satisfies SkippedRule]),
          ]),
        );
      };
      const definition = DEFAULT_RULES.find((r) => r.code === rule.code);
      const sql = RULE_SQL[rule.code as RuleCode];
      if (!definition || !sql) {
        await skip('no monitoring query for this rule code');
        continue;
      }
      const missing = await this.missingViews(definition.views);
      if (missing.length) {
        await skip(`${missing.join(', ')} not published yet`);
        continue;
      }
      if (!homeProvince && rule.code.startsWith('LISTING_')) {
        await skip('no provincial regulator registered: the home province is unknown');
        continue;
      }
      try {
        await this.db.transaction(async (em) => {
          await em.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${RUN_LOCK_NAMESPACE}|${run.period}|${rule.code}`]);
          // a month of order lines is grouped in memory, not in temporary files
          await em.query(`SET LOCAL work_mem = '256MB'`);
          const [counts] = await em.query<{ raised: number; updated: number }[]>(upsertAlertsSql(sql), [
            run.period, JSON.stringify(rule.params), now, homeProvince, rule.code, rule.version, rule.id, rule.severity, runId,
          ]);
          await em.query(
            `UPDATE monitoring_run SET rules_done = rules_done + 1, alerts_raised = alerts_raised + $2, alerts_updated = alerts_updated + $3 WHERE id = $1`,
            [runId, counts.raised, counts.updated],
          );
        });
      } catch (error) {
        await skip(`failed: ${(error as Error).message}`);
        continue;
      }
      if (rule.code === 'DELIVERY_SHORTAGE') await this.suspendShortListings(run.period);
    }
    await this.db.transaction(async (em) => {
      await em.update(MonitoringRun, { id: runId }, { state: 'SUCCEEDED', finishedAt: this.clock.now() });
      const done = await em.findOneOrFail(MonitoringRun, { where: { id: runId } });
      await this.audit.record(em, systemContext('monitoring'), {
        action: 'monitoring_run.finished', entityType: 'monitoring_run', entityId: runId,
        data: { period: done.period, raised: done.alertsRaised, updated: done.alertsUpdated, skipped: done.skipped.map((s) => s.code) },
      });
    });
  }

  /**
   * The shortage signal suspends the listing (reason DELIVERY) through the listing context, once per alert: the
   * outcome is kept on the alert, so re-runs neither repeat it nor re-suspend a listing a regulator reinstated.
   */
  private async suspendShortListings(period: string): Promise<void> {
    const pending: { id: string; listing_id: string; evidence: Record<string, unknown> }[] = await this.db.manager.query(
      `SELECT id, evidence->>'listingId' AS listing_id, evidence FROM alert
        WHERE rule_code = 'DELIVERY_SHORTAGE' AND period = $1 AND evidence->>'listingId' IS NOT NULL AND NOT evidence ? 'listingSuspension'
        ORDER BY id`,
      [period],
    );
    const ctx = systemContext('monitoring');
    for (const alert of pending) {
      let outcome: string;
      try {
        const rates = JSON.stringify(alert.evidence.monthlyRates ?? []);
        await this.listings.suspendOrReinstate(ctx, alert.listing_id, { suspend: 'DELIVERY' }, `短缺信号：连续配送率低于阈值 ${rates} (alert ${alert.id})`);
        outcome = 'SUSPENDED';
      } catch (error) {
        // e.g. suspended or withdrawn meanwhile: nothing to suspend, and the alert says why
        if (!(error instanceof AppError)) throw error;
        outcome = `NOT_SUSPENDED: ${error.code}`;
      }
      await this.db.manager.query(
        `UPDATE alert SET evidence = evidence || jsonb_build_object('listingSuspension', jsonb_build_object('listingId', $2::uuid, 'outcome', $3::text, 'at', $4::timestamptz)),
                row_version = row_version + 1, updated_at = now() WHERE id = $1 AND NOT evidence ? 'listingSuspension'`,
        [alert.id, alert.listing_id, outcome, this.clock.now()],
      );
    }
  }

  async failRun(runId: string, error: unknown): Promise<void> {
    await this.db.manager.update(MonitoringRun, { id: runId, state: 'RUNNING' }, { state: 'FAILED', failure: String((error as Error)?.message ?? error), finishedAt: this.clock.now() });
  }

  private async missingViews(views: string[]): Promise<string[]> {
    const rows: { name: string }[] = await this.db.manager.query(`SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NULL`, [views]);
    return rows.map((r) => r.name);
  }

  /** The province the platform serves: its provincial regulator's region. */
  async homeProvince(): Promise<string | null> {
    const [row] = await this.db.manager.query<{ region_code: string }[]>(
      `SELECT region_code FROM organisation WHERE kind = 'REGULATOR' AND region_code LIKE '__0000' ORDER BY created_at LIMIT 1`,
    );
    return row?.region_code ?? null;
  }
}
