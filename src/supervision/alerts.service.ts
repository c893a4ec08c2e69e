import { Inject, Injectable, Optional } from '@nestjs/common';
import { checkCaseTransition, mayAnswer } from '@libs/supervision-rules';
import { shanghaiDateOf } from '@libs/calendar';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { applyScope, requireUser } from '../platform/auth/scope';
import { AppError, notFound } from '../platform/errors/app-error';
import { PageArgs, paginate } from '../platform/graphql/pagination';
import { CREDIT_CHECKS, CreditChecks } from '../platform/ports/context-ports';
import { Alert, AlertCaseEntry } from './alert.entity';
import { AlertFilter, AnswerCaseInput, MoveCaseInput } from './dto/supervision.inputs';
import { parsePeriod } from './period';
import { SupervisionErrors } from './supervision.errors';

/**
 * Alerts and their cases. Regulators see and work the alerts of their region subtree; the subject
 * organisation sees the alerts about itself and answers inquiries; nobody else sees any.
 */
@Injectable()
export class AlertsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Optional() @Inject(CREDIT_CHECKS) private readonly credit: CreditChecks | null,
  ) {}

  private scoped(ctx: RequestContext) {
    const qb = this.db.manager.createQueryBuilder(Alert, 'a');
    return applyScope(qb, ctx, {
      region: { path: 'a.region_path' },
      regionRoles: ['REGULATOR'],
      own: { HOSPITAL: 'a.answering_organisation_id', MANUFACTURER: 'a.answering_organisation_id', DISTRIBUTOR: 'a.answering_organisation_id' },
    });
  }

  list(ctx: RequestContext, filter: AlertFilter = {}, page: PageArgs = {}) {
    const qb = this.scoped(ctx);
    if (filter.period) qb.andWhere('a.period = :period', { period: parsePeriod(filter.period, this.clock.now(), 'filter.period') });
    if (filter.ruleCode) qb.andWhere('a.rule_code = :ruleCode', { ruleCode: filter.ruleCode });
    if (filter.state) qb.andWhere('a.state = :state', { state: filter.state });
    if (filter.subjectId) qb.andWhere('a.subject_id = :subjectId', { subjectId: filter.subjectId });
    return paginate(qb, page, 'subject_key');
  }

  async get(ctx: RequestContext, id: string): Promise<Alert> {
    const alert = await this.scoped(ctx).andWhere('a.id = :id', { id }).getOne();
    if (!alert) throw notFound('Alert', 'id');
    return alert;
  }

  entries(alertId: string): Promise<AlertCaseEntry[]> {
    return this.db.manager.find(AlertCaseEntry, { where: { alertId }, order: { at: 'ASC' } });
  }

  /** A regulator in the alert's region moves its case one step, with a note (and a deadline where the step needs one). */
  async move(ctx: RequestContext, input: MoveCaseInput): Promise<Alert> {
    const user = requireUser(ctx);
    const to = input.to;
    await this.get(ctx, input.alertId); // scope first: NOT_FOUND outside the caller's region
    return this.db.transaction(async (em) => {
      const [locked] = await em.query<{ id: string }[]>('SELECT id FROM alert WHERE id = $1 FOR UPDATE', [input.alertId]);
      if (!locked) throw notFound('Alert', 'input.alertId');
      const alert = await em.findOneOrFail(Alert, { where: { id: input.alertId } });
      const today = shanghaiDateOf(this.clock.now());
      const check = checkCaseTransition(alert.state, to, { note: input.note, deadline: input.deadline ?? null, today });
      if (!check.ok) {
        throw check.code === 'INVALID_STATE' ? SupervisionErrors.invalidTransition(check.reason) : new AppError('VALIDATION_FAILED', check.reason, { field: check.field });
      }
      let creditEventId: string | null = null;
      if (to === 'ESCALATED_TO_CREDIT') {
        if (!input.behaviour) throw new AppError('VALIDATION_FAILED', 'Escalating to credit names the behaviour', { field: 'input.behaviour' });
        const target = await this.creditTarget(em, alert);
        if (!target) throw SupervisionErrors.notEscalatable();
        if (!this.credit) throw SupervisionErrors.creditUnavailable();
        const productId = typeof alert.evidence.productId === 'string' ? alert.evidence.productId : alert.subjectKind === 'PRODUCT' ? alert.subjectId : null;
        const result = await this.credit.recordEvent(em, ctx, {
          organisationId: target,
          behaviour: input.behaviour,
          amountFen: null,
          occurredOn: today,
          evidence: JSON.stringify({ alertId: alert.id, rule: `${alert.ruleCode} v${alert.ruleVersion}`, period: alert.period, figures: alert.evidence, note: input.note }),
          productIds: productId ? [productId] : [],
          source: 'SUPERVISION',
        });
        creditEventId = result.eventId;
      }
      const from = alert.state;
      await em.update(Alert, { id: alert.id }, { state: to, deadline: input.deadline ?? null, ...(creditEventId ? { creditEventId } : {}) });
      await em.insert(AlertCaseEntry, {
        alertId: alert.id, kind: 'TRANSITION', fromState: from, toState: to, note: input.note.trim(), deadline: input.deadline ?? null,
        authorUserId: user.id, authorOrganisationId: user.organisationId, at: this.clock.now(),
      });
      await this.audit.record(em, ctx, {
        action: 'alert.case_moved', entityType: 'alert', entityId: alert.id,
        data: { from, to, deadline: input.deadline ?? null, creditEventId },
      });
      return em.findOneOrFail(Alert, { where: { id: alert.id } });
    });
  }

  /** The subject answers an inquiry (or an interview's follow-up) about itself; the case stays where it is. */
  async answer(ctx: RequestContext, input: AnswerCaseInput): Promise<AlertCaseEntry> {
    const user = requireUser(ctx);
    const alert = await this.get(ctx, input.alertId);
    if (alert.answeringOrganisationId !== user.organisationId) throw new AppError('FORBIDDEN', 'Only the organisation the alert is about answers it');
    if (!input.answer.trim()) throw new AppError('VALIDATION_FAILED', 'An answer says something', { field: 'input.answer' });
    return this.db.transaction(async (em) => {
      const [row] = await em.query<{ state: Alert['state'] }[]>('SELECT state FROM alert WHERE id = $1 FOR UPDATE', [alert.id]);
      if (!mayAnswer(row.state)) throw SupervisionErrors.notAnswerable(row.state);
      const entry = em.create(AlertCaseEntry, {
        alertId: alert.id, kind: 'ANSWER', fromState: row.state, toState: null, note: input.answer.trim(), deadline: null,
        authorUserId: user.id, authorOrganisationId: user.organisationId, at: this.clock.now(),
      });
      await em.save(entry);
      await this.audit.record(em, ctx, { action: 'alert.answered', entityType: 'alert', entityId: alert.id, data: { entryId: entry.id } });
      return entry;
    });
  }

  /** A credit event is recorded against a manufacturer or distributor: the subject itself, or the one its figures name. */
  private async creditTarget(em: import('typeorm').EntityManager, alert: Alert): Promise<string | null> {
    const candidates = [alert.answeringOrganisationId, alert.evidence.manufacturerId].filter((v): v is string => typeof v === 'string');
    if (!candidates.length) return null;
    const rows: { id: string; kind: string }[] = await em.query(`SELECT id, kind FROM organisation WHERE id = ANY($1::uuid[])`, [candidates]);
    for (const id of candidates) {
      const row = rows.find((r) => r.id === id);
      if (row && (row.kind === 'MANUFACTURER' || row.kind === 'DISTRIBUTOR')) return id;
    }
    return null;
  }
}
