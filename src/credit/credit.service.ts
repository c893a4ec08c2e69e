import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import {
  CREDIT_BEHAVIOURS,
  CreditBehaviour,
  creditPolicy,
  CreditPolicy,
  DEFAULT_CREDIT_POLICY,
  CreditLevel,
  creditStanding,
  CreditStanding,
  DEFAULT_CREDIT_PROCESS_POLICY,
  levelOfEvent,
  productSuspended,
  rate,
} from '@libs/credit-policy';
import { CN_CALENDAR_2025_2027, isValidDateString, shanghaiDateOf, WorkingDayCalendar } from '@libs/calendar';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext, systemContext } from '../platform/context/request-context';
import { requireUser } from '../platform/auth/scope';
import { AppError, notFound } from '../platform/errors/app-error';
import { JobsService } from '../platform/jobs/jobs.service';
import { idempotent } from '../platform/idempotency/idempotency';
import { CreditChecks, CreditEventSource, OrderCreditCheck, RatingChangeListener } from '../platform/ports/context-ports';
import { Organisation } from '../catalog/organisations/organisation.entity';
import { Product } from '../catalog/products/product.entity';
import { CreditEvent, CreditPolicyAdoption } from './credit-event.entity';
import { CreditRating } from './credit-rating.entity';
import { CreditNotice } from './credit-notice.entity';
import { CreditRepair } from './credit-repair.entity';
import { CommitmentLetter } from './commitment-letter.entity';
import { CreditErrors } from './credit.errors';
import { FileCommitmentLetterInput, FileCreditRepairInput, RecordCreditEventInput } from './dto/credit.inputs';
import { runPart, SqlPart } from '../platform/database/sql-part';

export const CREDIT_QUARTERLY_JOB = 'credit.quarterly-rerating';

const NO_RATING = { level: 'NONE' as const, sanctions: { writtenReminder: false, riskNotice: false, suspendProductsInvolved: false, suspendAllProducts: false, publicDisclosure: false }, suspendedProductIds: [] };

@Injectable()
export class CreditService implements CreditChecks, OnModuleInit {
  private readonly listeners: RatingChangeListener[] = [];
  /** Reply and appeal deadlines count working days of the State Council's schedule (Asia/Shanghai). */
  readonly calendar = new WorkingDayCalendar(CN_CALENDAR_2025_2027);

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit() {
    // Quarterly: 02:00 on the first day of each quarter; events older than the lookback drop out.
    this.jobs.register(CREDIT_QUARTERLY_JOB, async () => {
      await this.rerateAll(systemContext('credit-quarterly'), 'QUARTERLY');
    }, { cron: '0 2 1 1,4,7,10 *' });
  }

  /** Other contexts (listing) react to rating changes through this, so credit does not depend on them. */
  onRatingChanged(listener: RatingChangeListener): void {
    this.listeners.push(listener);
  }

  // ---- the CreditChecks port ------------------------------------------------------------------------------

  async assertMayBid(em: EntityManager, manufacturerId: string, productIds: string[]): Promise<void> {
    await this.assertLetter(em, manufacturerId);
    const rating = await this.currentRating(em, manufacturerId, true);
    const barred = productIds.filter((p) => rating && productSuspended(rating, p));
    if (barred.length) throw CreditErrors.sanctioned(`Credit rating ${rating!.level} bars bidding on these products`, { level: rating!.level, productIds: barred });
  }

  async assertMayList(em: EntityManager, manufacturerId: string, productId: string): Promise<void> {
    await this.assertLetter(em, manufacturerId);
    const rating = await this.currentRating(em, manufacturerId, true);
    if (rating && productSuspended(rating, productId)) throw CreditErrors.sanctioned(`Credit rating ${rating.level} bars listing this product`, { level: rating.level });
  }

  async assertMayOrder(em: EntityManager, items: { manufacturerId: string; productId: string }[]): Promise<void> {
    const manufacturerIds = [...new Set(items.map((i) => i.manufacturerId))];
    const check = await runPart(em, 'credit.ratings-for-order', (b) => this.orderCheckPart({ manufacturerIds: b.bind(manufacturerIds, 'uuid[]') }));
    check(items);
  }

  orderCheckPart(input: { manufacturerIds: string }): SqlPart<OrderCreditCheck> {
    return {
      // read on the path of every order, so lean and without a row lock: share-locking one manufacturer's rating
      // from every order would turn it into a hot row. A sanction applies from its commit; an order whose check
      // read the rating before that commit was placed under the previous rating, like one committed just before.
      sql: `SELECT organisation_id, level, sanctions, suspended_product_ids FROM credit_rating WHERE organisation_id = ANY(${input.manufacturerIds}) AND current`,
      read: (rows) => {
        const ratingOf = new Map(
          rows.map((r) => [
            String(r.organisation_id),
            { level: String(r.level), sanctions: r.sanctions as CreditRating['sanctions'], suspendedProductIds: (r.suspended_product_ids as string[] | null) ?? [] },
          ]),
        );
        return (items) => {
          const barred = items.filter((i) => {
            const rating = ratingOf.get(i.manufacturerId);
            return rating && productSuspended(rating, i.productId);
          });
          if (barred.length) {
            const level = ratingOf.get(barred[0].manufacturerId)!.level;
            throw CreditErrors.sanctioned(`Credit rating ${level} suspends delivery of this product`, { level, productIds: barred.map((b) => b.productId) });
          }
        };
      },
    };
  }

  async riskNoticeFor(em: EntityManager, manufacturerId: string): Promise<string | null> {
    const rating = await this.currentRating(em, manufacturerId, false);
    return rating ? riskNoticeOf(rating) : null;
  }

  async riskNoticesFor(em: EntityManager, manufacturerIds: readonly string[]): Promise<Map<string, string>> {
    const notices = new Map<string, string>();
    if (!manufacturerIds.length) return notices;
    const ratings = await em.createQueryBuilder(CreditRating, 'r').where('r.organisation_id IN (:...ids) AND r.current', { ids: [...manufacturerIds] }).getMany();
    for (const rating of ratings) {
      const notice = riskNoticeOf(rating);
      if (notice) notices.set(rating.organisationId, notice);
    }
    return notices;
  }

  async recordEvent(
    em: EntityManager,
    ctx: RequestContext,
    input: { organisationId: string; behaviour: string; amountFen: bigint | null; occurredOn: string; evidence: string; productIds: string[]; source: CreditEventSource },
  ): Promise<{ eventId: string }> {
    const now = this.clock.now();
    if (!(CREDIT_BEHAVIOURS as readonly string[]).includes(input.behaviour)) throw CreditErrors.invalid('input.behaviour', `Unknown behaviour ${input.behaviour}`);
    if (input.amountFen !== null && input.amountFen < 0n) throw CreditErrors.invalid('input.amount', 'An amount is not negative');
    if (!isValidDateString(input.occurredOn)) throw CreditErrors.invalid('input.occurredOn', 'Not a date');
    if (input.occurredOn > shanghaiDateOf(now)) throw CreditErrors.invalid('input.occurredOn', 'An event cannot lie in the future');
    if (!input.evidence?.trim()) throw CreditErrors.invalid('input.evidence', 'Evidence is required');
    const organisation = await em.findOne(Organisation, { where: { id: input.organisationId } });
    if (!organisation || (organisation.kind !== 'MANUFACTURER' && organisation.kind !== 'DISTRIBUTOR')) {
      throw CreditErrors.invalid('input.organisationId', 'Credit events are recorded against a known manufacturer or distributor');
    }
    const productIds = [...new Set(input.productIds)];
    if (productIds.length) {
      const products = await em.find(Product, { where: { id: In(productIds) } });
      if (products.length !== productIds.length) throw CreditErrors.invalid('input.productIds', 'Unknown product');
      if (organisation.kind === 'MANUFACTURER' && products.some((p) => p.manufacturerId !== organisation.id)) {
        throw CreditErrors.invalid('input.productIds', 'A product involved belongs to another manufacturer');
      }
    }
    await this.lockOrganisation(em, organisation.id);
    const policy = await this.policyAt(em, now);
    const event = em.create(CreditEvent, {
      organisationId: organisation.id,
      behaviour: input.behaviour,
      amountFen: input.amountFen,
      occurredOn: input.occurredOn,
      evidence: input.evidence.trim(),
      productIds,
      source: input.source,
      levelAtRecording: levelOfEvent(policy, { behaviour: input.behaviour as CreditBehaviour, amountFen: input.amountFen }),
      policyVersion: policy.version,
      // due process: the event counts only once a regulator has decided its notice
      status: 'PENDING',
      levelCap: null,
      points: null,
      clearedByRepairId: null,
      recordedBy: ctx.user?.id ?? null,
      recordedAt: now,
    });
    await em.save(event);
    await this.audit.record(em, ctx, {
      action: 'credit.event-recorded',
      entityType: 'credit_event',
      entityId: event.id,
      data: { organisationId: organisation.id, behaviour: event.behaviour, amountFen: input.amountFen?.toString() ?? null, occurredOn: event.occurredOn, productIds, source: input.source, level: event.levelAtRecording, policyVersion: policy.version },
    });
    await this.issueNotice(em, ctx, event, now);
    return { eventId: event.id };
  }

  /**
   * 信用评价告知: the event becomes a notice to the organisation with the level it would take effect at and a
   * reply deadline of the due-process policy's working days. Nothing is rated until a regulator decides it.
   */
  private async issueNotice(em: EntityManager, ctx: RequestContext, event: CreditEvent, now: Date): Promise<CreditNotice> {
    const process = DEFAULT_CREDIT_PROCESS_POLICY;
    const notice = em.create(CreditNotice, {
      organisationId: event.organisationId,
      eventId: event.id,
      state: 'NOTIFIED',
      proposedLevel: event.levelAtRecording,
      creditPolicyVersion: event.policyVersion,
      processPolicyVersion: process.version,
      notifiedAt: now,
      replyDeadline: this.calendar.addWorkingDays(now, process.replyWorkingDays),
      decision: null,
      decidedLevel: null,
      decisionReasons: null,
      decidedBy: null,
      decidedAt: null,
      appealDeadline: null,
      appealedAt: null,
      appealDecision: null,
      appealLevel: null,
      appealReasons: null,
      appealDecidedBy: null,
      appealDecidedAt: null,
    });
    await em.save(notice);
    await this.audit.record(em, ctx, {
      action: 'credit.notice-issued',
      entityType: 'credit_notice',
      entityId: notice.id,
      data: { organisationId: notice.organisationId, eventId: event.id, proposedLevel: notice.proposedLevel, replyDeadline: notice.replyDeadline.toISOString(), processPolicyVersion: process.version },
    });
    return notice;
  }

  // ---- GraphQL-facing operations ----------------------------------------------------------------------------

  async recordCreditEvent(ctx: RequestContext, input: RecordCreditEventInput): Promise<CreditEvent> {
    const user = requireUser(ctx);
    const { idempotencyKey, ...request } = input;
    return this.db.transaction(async (em) => {
      const record = () => this.recordEvent(em, ctx, { ...request, amountFen: request.amount ?? null, source: 'REGULATOR' });
      const { eventId } = idempotencyKey
        ? await idempotent(em, { organisationId: user.organisationId, operation: 'credit.recordEvent', key: idempotencyKey, request }, record)
        : await record();
      return em.findOneOrFail(CreditEvent, { where: { id: eventId } });
    });
  }

  async fileCommitmentLetter(ctx: RequestContext, input: FileCommitmentLetterInput): Promise<CommitmentLetter> {
    const user = requireUser(ctx);
    if (!isValidDateString(input.signedOn) || input.signedOn > shanghaiDateOf(this.clock.now())) throw CreditErrors.invalid('input.signedOn', 'Not a past or present date');
    return this.db.transaction(async (em) => {
      await this.lockOrganisation(em, user.organisationId);
      if (await em.findOne(CommitmentLetter, { where: { organisationId: user.organisationId } })) throw CreditErrors.letterExists();
      const letter = em.create(CommitmentLetter, { organisationId: user.organisationId, documentRef: input.documentRef, signedOn: input.signedOn, filedBy: user.id, filedAt: this.clock.now() });
      await em.save(letter);
      await this.audit.record(em, ctx, { action: 'credit.commitment-letter-filed', entityType: 'commitment_letter', entityId: letter.id, data: { organisationId: user.organisationId, documentRef: input.documentRef, signedOn: input.signedOn } });
      return letter;
    });
  }

  async fileRepair(ctx: RequestContext, input: FileCreditRepairInput): Promise<CreditRepair> {
    const user = requireUser(ctx);
    return this.db.transaction(async (em) => {
      await this.lockOrganisation(em, user.organisationId);
      const rating = await this.currentRating(em, user.organisationId, false);
      if (!rating || rating.level === 'NONE') throw CreditErrors.nothingToRepair();
      if (await em.findOne(CreditRepair, { where: { organisationId: user.organisationId, state: 'FILED' } })) throw CreditErrors.repairPending();
      const repair = em.create(CreditRepair, {
        organisationId: user.organisationId,
        ratingId: rating.id,
        measures: [...new Set(input.measures)],
        statement: input.statement,
        state: 'FILED',
        filedBy: user.id,
        filedAt: this.clock.now(),
        decidedBy: null,
        decidedAt: null,
        decisionNote: null,
      });
      await em.save(repair);
      await this.audit.record(em, ctx, { action: 'credit.repair-filed', entityType: 'credit_repair', entityId: repair.id, data: { organisationId: repair.organisationId, ratingId: rating.id, measures: repair.measures } });
      return repair;
    });
  }

  /** Approve clears every event counted so far (history kept) and re-rates, which lifts the sanctions. */
  async decideRepair(ctx: RequestContext, repairId: string, approve: boolean, note: string): Promise<CreditRepair> {
    const user = requireUser(ctx);
    return this.db.transaction(async (em) => {
      const found = await em.findOne(CreditRepair, { where: { id: repairId } });
      if (!found) throw notFound('Credit repair', 'repairId');
      await this.lockOrganisation(em, found.organisationId);
      const repair = await em.findOneOrFail(CreditRepair, { where: { id: repairId } });
      if (repair.state !== 'FILED') throw new AppError('INVALID_STATE', `The repair is ${repair.state} already`);
      if (repair.organisationId === user.organisationId) throw new AppError('FORBIDDEN', 'An organisation does not decide its own repair');
      const now = this.clock.now();
      repair.state = approve ? 'APPROVED' : 'REJECTED';
      repair.decidedBy = user.id;
      repair.decidedAt = now;
      repair.decisionNote = note;
      await em.save(repair);
      let cleared = 0;
      if (approve) {
        // only events in effect: a notice still in due process is decided on its own
        const result = await em.query<[unknown[], number]>(
          `UPDATE credit_event SET cleared_by_repair_id = $1 WHERE organisation_id = $2 AND cleared_by_repair_id IS NULL AND recorded_at <= $3 AND status = 'IN_EFFECT'`,
          [repair.id, repair.organisationId, repair.filedAt],
        );
        cleared = Number(result?.[1] ?? 0);
      }
      await this.audit.record(em, ctx, { action: approve ? 'credit.repair-approved' : 'credit.repair-rejected', entityType: 'credit_repair', entityId: repair.id, data: { organisationId: repair.organisationId, note, clearedEvents: cleared } });
      if (approve) await this.rerate(em, ctx, repair.organisationId, await this.policyAt(em, now), 'REPAIR_APPROVED');
      return repair;
    });
  }

  async adoptPolicy(ctx: RequestContext, version: string): Promise<CreditPolicyAdoption> {
    const user = requireUser(ctx);
    let policy: CreditPolicy;
    try {
      policy = creditPolicy(version);
    } catch {
      throw CreditErrors.invalid('version', `Unknown credit policy version ${version}`);
    }
    const adoption = await this.db.transaction(async (em) => {
      const row = em.create(CreditPolicyAdoption, { version: policy.version, effectiveFrom: this.clock.now(), adoptedBy: user.id });
      await em.save(row);
      await this.audit.record(em, ctx, { action: 'credit.policy-adopted', entityType: 'credit_policy_adoption', entityId: row.id, data: { version } });
      return row;
    });
    await this.rerateAll(ctx, 'POLICY_ADOPTED');
    return adoption;
  }

  /** Re-rates every organisation with events or an adverse rating, one short transaction each. */
  async rerateAll(ctx: RequestContext, reason: string): Promise<number> {
    const rows: { organisation_id: string }[] = await this.db.manager.query(
      `SELECT organisation_id FROM credit_event UNION SELECT organisation_id FROM credit_rating WHERE current AND level <> 'NONE' ORDER BY 1`,
    );
    let changed = 0;
    for (const { organisation_id } of rows) {
      await this.db.transaction(async (em) => {
        await this.lockOrganisation(em, organisation_id);
        if (await this.rerate(em, ctx, organisation_id, await this.policyAt(em, this.clock.now()), reason)) changed++;
      });
    }
    return changed;
  }

  // ---- reads ---------------------------------------------------------------------------------------------

  async ratingOf(ctx: RequestContext, organisationId: string): Promise<CreditRating | null> {
    this.assertMaySee(ctx, organisationId);
    return this.currentRating(this.db.manager, organisationId, false);
  }

  async ratingHistory(ctx: RequestContext, organisationId: string): Promise<CreditRating[]> {
    this.assertMaySee(ctx, organisationId);
    return this.db.manager.find(CreditRating, { where: { organisationId }, order: { seq: 'DESC' } });
  }

  async eventsOf(ctx: RequestContext, organisationId: string): Promise<CreditEvent[]> {
    this.assertMaySee(ctx, organisationId);
    return this.db.manager.find(CreditEvent, { where: { organisationId }, order: { occurredOn: 'DESC', recordedAt: 'DESC' } });
  }

  async repairsOf(ctx: RequestContext, organisationId: string): Promise<CreditRepair[]> {
    this.assertMaySee(ctx, organisationId);
    return this.db.manager.find(CreditRepair, { where: { organisationId }, order: { filedAt: 'DESC' } });
  }

  /**
   * Points per period, grade and rewards (守信激励) under the due-process policy: decided, uncleared events count
   * with the points of their decision. Through the port, listing reads the rewards of a price change's applicant.
   */
  async standingFor(em: EntityManager, organisationId: string): Promise<CreditStanding> {
    const events = await em.query<{ occurred_on: string; points: number }[]>(
      `SELECT occurred_on::text AS occurred_on, COALESCE(points, 0) AS points FROM credit_event
        WHERE organisation_id = $1 AND status = 'IN_EFFECT' AND cleared_by_repair_id IS NULL`,
      [organisationId],
    );
    const [letter] = await em.query<{ filed_on: string }[]>(
      `SELECT to_char(filed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS filed_on FROM commitment_letter WHERE organisation_id = $1`,
      [organisationId],
    );
    const rating = await this.currentRating(em, organisationId, false);
    return creditStanding(DEFAULT_CREDIT_PROCESS_POLICY, events.map((e) => ({ occurredOn: e.occurred_on, points: Number(e.points) })), shanghaiDateOf(this.clock.now()), {
      letterFiledOn: letter?.filed_on ?? null,
      adverseRating: !!rating && rating.level !== 'NONE',
    });
  }

  async rewardsFor(em: EntityManager, organisationId: string): Promise<{ grade: string; simplifiedPriceDecreaseReview: boolean }> {
    const standing = await this.standingFor(em, organisationId);
    return { grade: standing.grade, simplifiedPriceDecreaseReview: standing.rewards.simplifiedPriceDecreaseReview };
  }

  async standing(ctx: RequestContext, organisationId: string): Promise<CreditStanding & { organisationId: string }> {
    this.assertMaySee(ctx, organisationId);
    return { organisationId, ...(await this.standingFor(this.db.manager, organisationId)) };
  }

  riskNotice(manufacturerId: string): Promise<string | null> {
    return this.riskNoticeFor(this.db.manager, manufacturerId);
  }

  /** The public disclosure list: current SERIOUS and PARTICULARLY_SERIOUS ratings. */
  async disclosures(): Promise<{ organisationId: string; organisationName: string; creditCode: string; level: string; policyVersion: string; ratedAt: Date; behaviours: string[] }[]> {
    const rows = await this.db.manager.query<{ organisation_id: string; name: string; credit_code: string; level: string; policy_version: string; rated_at: Date; behaviours: string[] }[]>(
      `SELECT r.organisation_id, o.name, o.credit_code, r.level, r.policy_version, r.rated_at,
              ARRAY(SELECT DISTINCT e.behaviour FROM credit_event e WHERE e.id = ANY(r.deciding_event_ids) ORDER BY 1) AS behaviours
         FROM credit_rating r JOIN organisation o ON o.id = r.organisation_id
        WHERE r.current AND (r.sanctions->>'publicDisclosure')::boolean
        ORDER BY r.rated_at DESC, o.name`,
    );
    return rows.map((r) => ({ organisationId: r.organisation_id, organisationName: r.name, creditCode: r.credit_code, level: r.level, policyVersion: r.policy_version, ratedAt: r.rated_at, behaviours: r.behaviours }));
  }

  // ---- internals -----------------------------------------------------------------------------------------

  assertMaySee(ctx: RequestContext, organisationId: string) {
    const user = requireUser(ctx);
    if ((user.role === 'MANUFACTURER' || user.role === 'DISTRIBUTOR') && user.organisationId !== organisationId) {
      throw new AppError('FORBIDDEN', 'Only your own organisation\'s credit record');
    }
  }

  private async assertLetter(em: EntityManager, manufacturerId: string) {
    if (!(await em.findOne(CommitmentLetter, { where: { organisationId: manufacturerId } }))) throw CreditErrors.letterMissing();
  }

  /** One transaction-scoped lock per rated organisation: recording, re-rating and repair serialise on it. */
  async lockOrganisation(em: EntityManager, organisationId: string) {
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`credit:${organisationId}`]);
  }

  /** With `share`, holds the current row so a concurrent re-rating waits until the caller commits. */
  async currentRating(em: EntityManager, organisationId: string, share: boolean): Promise<CreditRating | null> {
    const qb = em.createQueryBuilder(CreditRating, 'r').where('r.organisation_id = :organisationId AND r.current', { organisationId });
    if (share) qb.setLock('pessimistic_read');
    return qb.getOne();
  }

  async policyAt(em: EntityManager, at: Date): Promise<CreditPolicy> {
    const adoption = await em.createQueryBuilder(CreditPolicyAdoption, 'a').where('a.effective_from <= :at', { at }).orderBy('a.effective_from', 'DESC').getOne();
    return adoption ? creditPolicy(adoption.version) : DEFAULT_CREDIT_POLICY;
  }

  /** Rates from the events and stores a new rating when anything changed; returns whether it did. */
  async rerate(em: EntityManager, ctx: RequestContext, organisationId: string, policy: CreditPolicy, reason: string): Promise<boolean> {
    const now = this.clock.now();
    // only decided events count (due process): PENDING ones await their notice's decision, WITHDRAWN ones never count
    const events = await em.find(CreditEvent, { where: { organisationId, status: 'IN_EFFECT' } });
    const rating = rate(
      policy,
      events.map((e) => ({
        id: e.id, behaviour: e.behaviour as CreditBehaviour, amountFen: e.amountFen, occurredOn: e.occurredOn, productIds: e.productIds,
        cleared: e.clearedByRepairId !== null, levelCap: e.levelCap as CreditLevel | null,
      })),
      shanghaiDateOf(now),
    );
    const previous = await this.currentRating(em, organisationId, false);
    const same =
      previous &&
      previous.level === rating.level &&
      previous.policyVersion === rating.policyVersion &&
      JSON.stringify(previous.sanctions) === JSON.stringify(rating.sanctions) &&
      [...previous.suspendedProductIds].sort().join() === rating.suspendedProductIds.join();
    if (same || (!previous && rating.level === 'NONE')) return false;
    if (previous) await em.update(CreditRating, { id: previous.id }, { current: false });
    const row = em.create(CreditRating, {
      organisationId,
      level: rating.level,
      policyVersion: rating.policyVersion,
      ratedAt: now,
      sanctions: rating.sanctions,
      suspendedProductIds: rating.suspendedProductIds,
      decidingEventIds: rating.decidingEventIds,
      reason,
      current: true,
    });
    await em.save(row);
    for (const listener of this.listeners) {
      await listener(em, ctx, { organisationId, before: previous ?? NO_RATING, after: row });
    }
    await this.audit.record(em, ctx, {
      action: 'credit.rated',
      entityType: 'organisation',
      entityId: organisationId,
      data: { ratingId: row.id, from: previous?.level ?? 'NONE', to: rating.level, policyVersion: rating.policyVersion, sanctions: rating.sanctions, suspendedProductIds: rating.suspendedProductIds, reason },
    });
    return true;
  }
}

/** Credit levels as the notices, exports and risk notices name them. */
export const LEVEL_NAMES: Record<string, string> = { NONE: '无', GENERAL: '一般', MEDIUM: '中等', SERIOUS: '严重', PARTICULARLY_SERIOUS: '特别严重' };

/** The risk notice hospitals see for a current rating whose sanctions carry one (medium level), else null. */
function riskNoticeOf(rating: CreditRating): string | null {
  if (!rating.sanctions.riskNotice) return null;
  return `信用风险提示：该企业医药价格和招采信用评级为${LEVEL_NAMES[rating.level] ?? rating.level}（${rating.policyVersion}，评定于${shanghaiDateOf(rating.ratedAt)}）`;
}
