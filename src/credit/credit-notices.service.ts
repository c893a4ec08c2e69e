import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  cappedLevel,
  checkDecision,
  CreditBehaviour,
  CreditDecision,
  CreditLevel,
  creditProcessPolicy,
  levelOfEvent,
  pointsFor,
} from '@libs/credit-policy';
import { formatShanghai } from '@libs/calendar';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { requireUser } from '../platform/auth/scope';
import { AppError, notFound } from '../platform/errors/app-error';
import { ExportFile, tabularFile, TabularColumn, assertExportFormat } from '../platform/export/tabular-file';
import { CreditEvent } from './credit-event.entity';
import { CreditNotice, CreditNoticeState, CreditNoticeStatement, CREDIT_NOTICE_STATES, CreditStatementKind } from './credit-notice.entity';
import { CreditErrors } from './credit.errors';
import { CreditService, LEVEL_NAMES } from './credit.service';
import { CreditDecisionInput, CreditStatementInput } from './dto/credit.inputs';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BEHAVIOUR_NAMES: Record<string, string> = {
  KICKBACK: '给予回扣',
  TAX_VIOLATION: '涉税违法',
  MONOPOLY: '垄断行为',
  UNFAIR_PRICE: '不正当价格行为',
  DISTURBING_PROCUREMENT_ORDER: '扰乱集中采购秩序',
  BREACH_OF_CONTRACT: '违反合同',
  BREACH_OF_SUPPLY: '恶意断供',
};

/** One row of the joint punishment list (失信联合惩戒名单) other agencies receive. */
export interface JointPunishmentEntry {
  organisationId: string;
  organisationName: string;
  creditCode: string;
  level: string;
  levelName: string;
  policyVersion: string;
  ratedAt: Date;
  behaviours: string;
  measures: string;
  suspendedProductCount: number;
  appealPending: boolean;
}

/**
 * Due process of credit evaluation: notices (issued by CreditService.recordEvent), the organisation's replies
 * (陈述申辩), the regulator's decision (UPHOLD / REDUCE / WITHDRAW with reasons: only then does the event count
 * and the rating, with its sanctions, change), the appeal to the provincial regulator and its decision; the
 * joint punishment list for other agencies. Every step is audited; organisations read their own notices.
 */
@Injectable()
export class CreditNoticesService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly credit: CreditService,
  ) {}

  // ---- the organisation -------------------------------------------------------------------------------------

  reply(ctx: RequestContext, noticeId: string, input: CreditStatementInput): Promise<CreditNotice> {
    return this.statement(ctx, noticeId, input, 'REPLY');
  }

  appeal(ctx: RequestContext, noticeId: string, input: CreditStatementInput): Promise<CreditNotice> {
    return this.statement(ctx, noticeId, input, 'APPEAL');
  }

  private statement(ctx: RequestContext, noticeId: string, input: CreditStatementInput, kind: CreditStatementKind): Promise<CreditNotice> {
    const user = requireUser(ctx);
    if (!input.statement?.trim()) throw CreditErrors.invalid('input.statement', '陈述内容不能为空');
    return this.db.transaction(async (em) => {
      const notice = await this.lockedNotice(em, noticeId, 'noticeId');
      // an organisation's notices only: another's is as if it did not exist
      if (notice.organisationId !== user.organisationId) throw notFound('Credit notice', 'noticeId');
      const now = this.clock.now();
      if (kind === 'REPLY') {
        if (notice.state !== 'NOTIFIED' && notice.state !== 'REPLIED') throw new AppError('INVALID_STATE', `The notice is ${notice.state}: it takes no more replies`, { field: 'noticeId' });
        if (now.getTime() >= notice.replyDeadline.getTime()) throw CreditErrors.replyPeriodEnded(notice.replyDeadline);
        notice.state = 'REPLIED';
      } else {
        if (notice.state !== 'DECIDED') throw new AppError('INVALID_STATE', notice.state === 'APPEALED' || notice.state === 'APPEAL_DECIDED' ? 'The decision has been appealed already' : 'Only a decision can be appealed', { field: 'noticeId' });
        if (notice.decision === 'WITHDRAW') throw new AppError('INVALID_STATE', 'A withdrawn notice leaves nothing to appeal', { field: 'noticeId' });
        if (!notice.appealDeadline || now.getTime() >= notice.appealDeadline.getTime()) throw CreditErrors.appealPeriodEnded(notice.appealDeadline);
        notice.state = 'APPEALED';
        notice.appealedAt = now;
      }
      await em.save(notice);
      const documents = (input.documents ?? []).map((d) => ({ documentRef: d.documentRef.trim(), description: d.description?.trim() || null }));
      const row = em.create(CreditNoticeStatement, { noticeId: notice.id, organisationId: notice.organisationId, kind, statement: input.statement.trim(), documents, filedBy: user.id, filedAt: now });
      await em.save(row);
      await this.audit.record(em, ctx, {
        action: kind === 'REPLY' ? 'credit.notice-replied' : 'credit.decision-appealed',
        entityType: 'credit_notice',
        entityId: notice.id,
        data: { organisationId: notice.organisationId, statementId: row.id, documents: documents.map((d) => d.documentRef) },
      });
      return notice;
    });
  }

  // ---- regulators -------------------------------------------------------------------------------------------

  /**
   * The first decision, by a regulator, once the organisation has replied or its reply period has ended. The
   * event takes effect (UPHOLD, REDUCE) or is withdrawn, and the organisation is re-rated in the same
   * transaction: sanctions apply from this commit, not before.
   */
  decide(ctx: RequestContext, noticeId: string, input: CreditDecisionInput): Promise<CreditNotice> {
    const user = requireUser(ctx);
    return this.db.transaction(async (em) => {
      const notice = await this.lockedNotice(em, noticeId, 'noticeId');
      if (notice.organisationId === user.organisationId) throw new AppError('FORBIDDEN', 'An organisation does not decide its own credit notice');
      if (notice.state !== 'NOTIFIED' && notice.state !== 'REPLIED') throw new AppError('INVALID_STATE', `The notice is ${notice.state} already`, { field: 'noticeId' });
      const now = this.clock.now();
      if (notice.state === 'NOTIFIED' && now.getTime() < notice.replyDeadline.getTime()) throw CreditErrors.replyPeriodOpen(notice.replyDeadline);
      const { event, level } = await this.applyDecision(em, ctx, notice, input, 'notice');
      const process = creditProcessPolicy(notice.processPolicyVersion);
      notice.state = 'DECIDED';
      notice.decision = input.decision as CreditDecision;
      notice.decidedLevel = level;
      notice.decisionReasons = input.reasons.trim();
      notice.decidedBy = user.id;
      notice.decidedAt = now;
      notice.appealDeadline = input.decision === 'WITHDRAW' ? null : this.credit.calendar.addWorkingDays(now, process.appealWorkingDays);
      await em.save(notice);
      await this.audit.record(em, ctx, {
        action: 'credit.notice-decided',
        entityType: 'credit_notice',
        entityId: notice.id,
        data: { organisationId: notice.organisationId, eventId: event.id, decision: input.decision, level, proposedLevel: notice.proposedLevel, reasons: notice.decisionReasons, points: event.points, appealDeadline: notice.appealDeadline?.toISOString() ?? null },
      });
      await this.credit.rerate(em, ctx, notice.organisationId, await this.credit.policyAt(em, now), 'NOTICE_DECIDED');
      return notice;
    });
  }

  /** The appeal's decision, by a provincial regulator other than the one who decided the notice. */
  decideAppeal(ctx: RequestContext, noticeId: string, input: CreditDecisionInput): Promise<CreditNotice> {
    const user = requireUser(ctx);
    if (user.role !== 'REGULATOR' || user.regionPath.includes('/')) throw new AppError('FORBIDDEN', '申诉由省级医疗保障部门复核决定');
    return this.db.transaction(async (em) => {
      const notice = await this.lockedNotice(em, noticeId, 'noticeId');
      if (notice.state !== 'APPEALED') throw new AppError('INVALID_STATE', `The notice is ${notice.state}: there is no appeal to decide`, { field: 'noticeId' });
      if (notice.decidedBy === user.id) throw CreditErrors.appealSameReviewer();
      const now = this.clock.now();
      const { event, level } = await this.applyDecision(em, ctx, notice, input, 'appeal');
      notice.state = 'APPEAL_DECIDED';
      notice.appealDecision = input.decision as CreditDecision;
      notice.appealLevel = level;
      notice.appealReasons = input.reasons.trim();
      notice.appealDecidedBy = user.id;
      notice.appealDecidedAt = now;
      await em.save(notice);
      await this.audit.record(em, ctx, {
        action: 'credit.appeal-decided',
        entityType: 'credit_notice',
        entityId: notice.id,
        data: { organisationId: notice.organisationId, eventId: event.id, decision: input.decision, level, decidedLevel: notice.decidedLevel, reasons: notice.appealReasons, points: event.points },
      });
      await this.credit.rerate(em, ctx, notice.organisationId, await this.credit.policyAt(em, now), 'APPEAL_DECIDED');
      return notice;
    });
  }

  /** Checks the decision against the level the event stands at now and writes it onto the event. */
  private async applyDecision(em: EntityManager, ctx: RequestContext, notice: CreditNotice, input: CreditDecisionInput, stage: 'notice' | 'appeal'): Promise<{ event: CreditEvent; level: string }> {
    const event = await em.findOneOrFail(CreditEvent, { where: { id: notice.eventId } });
    const policy = await this.credit.policyAt(em, this.clock.now());
    const policyLevel = levelOfEvent(policy, { behaviour: event.behaviour as CreditBehaviour, amountFen: event.amountFen });
    const standing = stage === 'notice' ? policyLevel : cappedLevel(policyLevel, event.levelCap as CreditLevel | null);
    const check = checkDecision(standing, input.decision, input.level, input.reasons);
    if (!check.ok) throw CreditErrors.invalid(`input.${check.field}`, check.reason);
    const process = creditProcessPolicy(notice.processPolicyVersion);
    if (check.withdrawn) {
      event.status = 'WITHDRAWN';
      event.points = 0;
      await em.save(event);
      return { event, level: 'NONE' };
    }
    const cap = check.levelCap ?? (event.levelCap as CreditLevel | null);
    const level = cappedLevel(policyLevel, cap);
    event.status = 'IN_EFFECT';
    event.levelCap = cap;
    event.points = pointsFor(process, level);
    await em.save(event);
    return { event, level };
  }

  // ---- reads -----------------------------------------------------------------------------------------------

  /** Regulators: every notice (optionally one organisation's); an organisation: its own only. */
  async notices(ctx: RequestContext, organisationId: string | null, state: CreditNoticeState | null): Promise<CreditNotice[]> {
    const user = requireUser(ctx);
    const own = user.role === 'MANUFACTURER' || user.role === 'DISTRIBUTOR';
    if (own && organisationId && organisationId !== user.organisationId) throw new AppError('FORBIDDEN', 'Only your own organisation\'s credit notices');
    if (organisationId && !UUID_RE.test(organisationId)) throw CreditErrors.invalid('organisationId', 'Not an id');
    if (state && !(CREDIT_NOTICE_STATES as readonly string[]).includes(state)) throw CreditErrors.invalid('state', 'Unknown state');
    const where: Record<string, unknown> = {};
    const org = own ? user.organisationId : organisationId;
    if (org) where.organisationId = org;
    if (state) where.state = state;
    return this.db.manager.find(CreditNotice, { where, order: { notifiedAt: 'DESC', id: 'ASC' }, take: 500 });
  }

  async notice(ctx: RequestContext, id: string): Promise<CreditNotice> {
    const user = requireUser(ctx);
    if (!UUID_RE.test(id)) throw notFound('Credit notice', 'id');
    const notice = await this.db.manager.findOne(CreditNotice, { where: { id } });
    if (!notice || ((user.role === 'MANUFACTURER' || user.role === 'DISTRIBUTOR') && notice.organisationId !== user.organisationId)) throw notFound('Credit notice', 'id');
    return notice;
  }

  noticeOfEvent(eventId: string): Promise<CreditNotice | null> {
    return this.db.manager.findOne(CreditNotice, { where: { eventId } });
  }

  /** 失信联合惩戒名单: organisations whose rating in effect is disclosed (SERIOUS and worse), for other agencies. */
  async jointPunishmentEntries(): Promise<JointPunishmentEntry[]> {
    const rows = await this.db.manager.query<{ organisation_id: string; name: string; credit_code: string; level: string; policy_version: string; rated_at: Date; behaviours: string[]; sanctions: Record<string, boolean>; suspended: number; appeal_pending: boolean }[]>(
      `SELECT r.organisation_id, o.name, o.credit_code, r.level, r.policy_version, r.rated_at, r.sanctions,
              cardinality(r.suspended_product_ids) AS suspended,
              ARRAY(SELECT DISTINCT e.behaviour FROM credit_event e WHERE e.id = ANY(r.deciding_event_ids) ORDER BY 1) AS behaviours,
              EXISTS (SELECT 1 FROM credit_notice n WHERE n.organisation_id = r.organisation_id AND n.state = 'APPEALED') AS appeal_pending
         FROM credit_rating r JOIN organisation o ON o.id = r.organisation_id
        WHERE r.current AND (r.sanctions->>'publicDisclosure')::boolean
        ORDER BY r.rated_at DESC, o.name`,
    );
    return rows.map((r) => ({
      organisationId: r.organisation_id,
      organisationName: r.name,
      creditCode: r.credit_code,
      level: r.level,
      levelName: LEVEL_NAMES[r.level] ?? r.level,
      policyVersion: r.policy_version,
      ratedAt: r.rated_at,
      behaviours: r.behaviours.map((b) => BEHAVIOUR_NAMES[b] ?? b).join('；'),
      measures: measuresOf(r.sanctions),
      suspendedProductCount: Number(r.suspended),
      appealPending: r.appeal_pending,
    }));
  }

  async exportJointPunishment(ctx: RequestContext, format: string): Promise<ExportFile> {
    assertExportFormat(format);
    const rows = await this.jointPunishmentEntries();
    const stamp = formatShanghai(this.clock.now()).slice(0, 10);
    const columns: TabularColumn<JointPunishmentEntry & { ratedAtText: string; appealText: string }>[] = [
      ['creditCode', '统一社会信用代码'],
      ['organisationName', '企业名称'],
      ['levelName', '信用评级'],
      ['behaviours', '失信行为'],
      ['measures', '惩戒措施'],
      ['suspendedProductCount', '暂停产品数'],
      ['ratedAtText', '评定时间'],
      ['policyVersion', '评价政策版本'],
      ['appealText', '申诉复核中'],
    ];
    const file = await tabularFile(`credit-joint-punishment-${stamp}`, '失信联合惩戒名单', columns,
      rows.map((r) => ({ ...r, ratedAtText: formatShanghai(r.ratedAt).slice(0, 16).replace('T', ' '), appealText: r.appealPending ? '是' : '否' })), format);
    const user = requireUser(ctx);
    await this.db.transaction((em) => this.audit.record(em, ctx, { action: 'credit.joint-punishment-exported', entityType: 'organisation', entityId: user.organisationId, data: { format, rows: rows.length, organisationIds: rows.map((r) => r.organisationId) } }));
    return file;
  }

  private async lockedNotice(em: EntityManager, id: string, field: string): Promise<CreditNotice> {
    if (!UUID_RE.test(id)) throw notFound('Credit notice', field);
    const found = await em.findOne(CreditNotice, { where: { id } });
    if (!found) throw notFound('Credit notice', field);
    // the organisation's credit lock first (as recording and re-rating take it), then the notice row
    await this.credit.lockOrganisation(em, found.organisationId);
    return em.createQueryBuilder(CreditNotice, 'n').setLock('pessimistic_write').where('n.id = :id', { id }).getOneOrFail();
  }
}

function measuresOf(s: Record<string, boolean>): string {
  const out: string[] = [];
  if (s.writtenReminder) out.push('书面提醒告诫');
  if (s.riskNotice) out.push('风险提示');
  if (s.suspendAllProducts) out.push('暂停全部产品挂网、投标、配送');
  else if (s.suspendProductsInvolved) out.push('暂停涉案产品挂网、投标、配送');
  if (s.publicDisclosure) out.push('公开披露');
  return out.join('；');
}
