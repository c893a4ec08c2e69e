import { randomBytes } from 'crypto';
import { promises as dns } from 'dns';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { addressProblem, EVENT_TYPES, exhausted, retryDelaySeconds, signBody, WEBHOOK_POLICY_2026, WebhookPolicy, webhookUrlProblem } from '@libs/change-feed';
import { AuditService } from '../audit/audit.service';
import { requireUser } from '../auth/scope';
import { Clock } from '../clock/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RequestContext } from '../context/request-context';
import { Db } from '../database/db';
import { AppError, notFound, validationFailed } from '../errors/app-error';
import { JobsService } from '../jobs/jobs.service';
import { logger } from '../logging/logger';
import { Page, PageArgs, paginate } from '../graphql/pagination';
import { BusinessEvent, WebhookDelivery, WebhookDeliveryState, WebhookSubscription } from './business-event.entity';
import { ChangeFeedService, toEvent } from './change-feed.service';
import { FeedReader, readerOf, visibleSql } from './event-visibility';
import { postWebhook, WebhookTargetRefused } from './webhook-transport';

export const DISPATCH_WEBHOOKS_JOB = 'events.dispatch-webhooks';
/** Active subscriptions one organisation may hold: each costs a delivery per event. */
const MAX_ACTIVE_PER_ORGANISATION = 10;
/** Deliveries claimed per round of a pass, and rounds per pass (the rest wait for the next pass). */
const CLAIM_BATCH = 20;
const MAX_ROUNDS = 50;

export interface CreatedSubscription {
  subscription: WebhookSubscription;
  /** Shown only here: the receiver checks X-VBP-Signature with it. */
  secret: string;
}

type ClaimedDelivery = { id: string; subscription_id: string; event_position: string; attempts: number; url: string; secret: string };

/**
 * Signed webhooks over the change feed. Each pass first queues, per active subscription, the events its
 * organisation may read past the subscription's cursor (one delivery row per event, unique), then delivers due
 * deliveries in feed order per subscriber: a failure blocks that subscriber's later events until it succeeds or
 * is given up (dead-lettered, replayable), so a receiver sees its events in commit order. Claims use
 * SKIP LOCKED and a lease, so replicas share the work and never send one attempt twice.
 */
@Injectable()
export class WebhooksService implements OnModuleInit {
  readonly policy: WebhookPolicy = WEBHOOK_POLICY_2026;
  private dispatching: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly jobs: JobsService,
    private readonly feed: ChangeFeedService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit() {
    // every minute as a safety net; and right after new events are positioned when this process runs jobs
    this.jobs.register(DISPATCH_WEBHOOKS_JOB, () => this.dispatch(), { cron: '* * * * *' });
    if (this.config.jobsEnabled) this.feed.onPositioned(() => this.dispatchSoon());
  }

  private dispatchSoon(): void {
    if (this.dispatching) {
      this.again = true;
      return;
    }
    this.dispatching = this.dispatch()
      .catch((error) => logger.error({ err: error }, 'webhook dispatch failed; will retry'))
      .finally(() => {
        this.dispatching = null;
        if (this.again) {
          this.again = false;
          setTimeout(() => this.dispatchSoon(), 50).unref();
        }
      });
  }

  async subscribe(ctx: RequestContext, input: { url: string; eventTypes?: string[] | null }): Promise<CreatedSubscription> {
    const user = requireUser(ctx);
    const url = input.url.trim();
    await this.checkTarget(url, 'input.url');
    const eventTypes = input.eventTypes?.length ? [...new Set(input.eventTypes)] : null;
    for (const type of eventTypes ?? []) {
      if (!(EVENT_TYPES as readonly string[]).includes(type)) throw validationFailed('input.eventTypes', `未知的事件类型：${type}`, { allowed: EVENT_TYPES });
    }
    const secret = randomBytes(32).toString('base64url');
    return this.db.transaction(async (em) => {
      // serialise one organisation's subscribing, so the cap holds under concurrent calls
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`webhook-subscribe:${user.organisationId}`]);
      const [{ n }] = await em.query<{ n: number }[]>('SELECT count(*)::int AS n FROM webhook_subscription WHERE organisation_id = $1 AND active', [user.organisationId]);
      if (n >= MAX_ACTIVE_PER_ORGANISATION) {
        throw new AppError('WEBHOOK_LIMIT_REACHED', `每个机构最多 ${MAX_ACTIVE_PER_ORGANISATION} 个有效订阅，请先停用不用的订阅`, { field: 'input.url', max: MAX_ACTIVE_PER_ORGANISATION });
      }
      const [{ p }] = await em.query<{ p: string }[]>('SELECT coalesce(max(position), 0)::text AS p FROM business_event');
      const subscription = em.create(WebhookSubscription, {
        organisationId: user.organisationId,
        url,
        secret,
        eventTypes,
        active: true,
        cursorPosition: Number(p), // from now on: history is read with the events query
        policyVersion: this.policy.version,
        createdBy: user.id,
        createdAt: this.clock.now(),
        deactivatedAt: null,
      });
      await em.save(subscription);
      await this.audit.record(em, ctx, { action: 'webhook.subscribed', entityType: 'WebhookSubscription', entityId: subscription.id, data: { url, eventTypes } });
      return { subscription, secret };
    });
  }

  async deactivate(ctx: RequestContext, id: string): Promise<WebhookSubscription> {
    const user = requireUser(ctx);
    return this.db.transaction(async (em) => {
      const subscription = await em.findOne(WebhookSubscription, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!subscription || (subscription.organisationId !== user.organisationId && user.role !== 'PLATFORM_ADMIN')) throw notFound('订阅', 'id');
      if (subscription.active) {
        subscription.active = false;
        subscription.deactivatedAt = this.clock.now();
        await em.save(subscription);
        await this.audit.record(em, ctx, { action: 'webhook.deactivated', entityType: 'WebhookSubscription', entityId: id });
      }
      return subscription;
    });
  }

  async subscriptions(ctx: RequestContext, page: PageArgs): Promise<Page<WebhookSubscription>> {
    const user = requireUser(ctx);
    const qb = this.db.manager.createQueryBuilder(WebhookSubscription, 's');
    if (user.role !== 'PLATFORM_ADMIN') qb.where('s.organisation_id = :org', { org: user.organisationId });
    return paginate(qb, page, 'created_at');
  }

  async deliveries(ctx: RequestContext, subscriptionId: string, state: WebhookDeliveryState | null, page: PageArgs): Promise<Page<WebhookDelivery>> {
    const subscription = await this.ownSubscription(ctx, subscriptionId);
    const qb = this.db.manager.createQueryBuilder(WebhookDelivery, 'd').where('d.subscription_id = :id', { id: subscriptionId });
    if (state) qb.andWhere('d.state = :state', { state });
    const result = await paginate(qb, page, 'created_at');
    for (const delivery of result.nodes) delivery.organisationId = subscription.organisationId;
    return result;
  }

  /** Puts dead deliveries (all of the subscription's, or the listed ones) back in the queue, attempts reset. */
  async replay(ctx: RequestContext, subscriptionId: string, deliveryIds: string[] | null): Promise<number> {
    await this.ownSubscription(ctx, subscriptionId);
    return this.db.transaction(async (em) => {
      const params: unknown[] = [subscriptionId, this.clock.now()];
      let filter = '';
      if (deliveryIds?.length) {
        params.push(deliveryIds);
        filter = 'AND id = ANY($3::uuid[])';
      }
      // TypeORM answers an UPDATE with [rows, rowCount]
      const [, replayed] = await em.query<[unknown[], number]>(
        `UPDATE webhook_delivery SET state = 'PENDING', attempts = 0, next_attempt_at = $2, dead_at = NULL
          WHERE subscription_id = $1 AND state = 'DEAD' ${filter} RETURNING id`,
        params,
      );
      await this.audit.record(em, ctx, { action: 'webhook.replayed', entityType: 'WebhookSubscription', entityId: subscriptionId, data: { deliveries: replayed } });
      return replayed;
    });
  }

  /** One dispatch pass: queue new events for every active subscription, then deliver what is due. */
  async dispatch(): Promise<void> {
    await this.enqueue();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const claimed = await this.claim();
      if (!claimed.length) return;
      await Promise.all(claimed.map((delivery) => this.deliver(delivery)));
    }
  }

  private async enqueue(): Promise<void> {
    const subscriptions = await this.db.manager.query<{ id: string }[]>('SELECT id FROM webhook_subscription WHERE active ORDER BY created_at');
    for (const { id } of subscriptions) {
      await this.db.transaction(async (em) => {
        const [subscription] = await em.query<{ id: string; cursor_position: string; event_types: string[] | null; organisation_id: string; kind: string; region_path: string }[]>(
          `SELECT s.id, s.cursor_position, s.event_types, s.organisation_id, o.kind, r.path AS region_path
             FROM webhook_subscription s JOIN organisation o ON o.id = s.organisation_id JOIN region r ON r.code = o.region_code
            WHERE s.id = $1 AND s.active FOR UPDATE OF s SKIP LOCKED`,
          [id],
        );
        if (!subscription) return; // another replica is queuing it
        const reader: FeedReader = readerOf({ id: subscription.organisation_id, kind: subscription.kind, regionPath: subscription.region_path });
        // positions are given in order after commit, so nothing can still arrive at or below today's head
        const [{ head }] = await em.query<{ head: string }[]>(`SELECT coalesce(max(position), 0)::text AS head FROM business_event`);
        const cursor = Number(subscription.cursor_position);
        if (Number(head) <= cursor) return;
        const params: unknown[] = [cursor, Number(head)];
        const where = ['e.position > $1', 'e.position <= $2'];
        const visible = visibleSql(reader, 3);
        where.push(visible.sql);
        params.push(...visible.params);
        if (subscription.event_types?.length) {
          params.push(subscription.event_types);
          where.push(`e.type = ANY($${params.length}::text[])`);
        }
        const limit = this.policy.batchPerPass * 10;
        params.push(limit);
        const events = await em.query<{ position: string }[]>(`SELECT e.position FROM business_event e WHERE ${where.join(' AND ')} ORDER BY e.position LIMIT $${params.length}`, params);
        if (events.length) {
          const now = this.clock.now();
          await em.query(
            `INSERT INTO webhook_delivery (subscription_id, event_position, state, attempts, next_attempt_at, created_at)
             SELECT $1, p, 'PENDING', 0, $3, $3 FROM unnest($2::bigint[]) AS p
             ON CONFLICT (subscription_id, event_position) DO NOTHING`,
            [id, events.map((e) => e.position), now],
          );
        }
        // a full batch stops at its last event; otherwise every event up to the head was looked at, the ones the
        // subscriber may not see or did not ask for included, and the next pass starts after them
        const next = events.length >= limit ? events[events.length - 1].position : head;
        await em.query('UPDATE webhook_subscription SET cursor_position = $2 WHERE id = $1', [id, next]);
      });
    }
  }

  /** Claims the due head delivery of each subscriber (its oldest pending one), taking a lease for the attempt. */
  private async claim(): Promise<ClaimedDelivery[]> {
    const now = this.clock.now();
    const lease = new Date(now.getTime() + this.policy.timeoutMs + 30_000);
    return this.db.transaction(async (em) => {
      const [rows] = await em.query<[ClaimedDelivery[], number]>(
        `WITH due AS (
           SELECT d.id FROM webhook_delivery d JOIN webhook_subscription s ON s.id = d.subscription_id AND s.active
            WHERE d.state = 'PENDING' AND d.next_attempt_at <= $1
              AND NOT EXISTS (SELECT 1 FROM webhook_delivery b WHERE b.subscription_id = d.subscription_id AND b.state = 'PENDING' AND b.event_position < d.event_position)
            ORDER BY d.next_attempt_at, d.event_position LIMIT ${CLAIM_BATCH}
            FOR UPDATE OF d SKIP LOCKED)
         UPDATE webhook_delivery d SET attempts = d.attempts + 1, next_attempt_at = $2
           FROM due, webhook_subscription s
          WHERE d.id = due.id AND s.id = d.subscription_id
         RETURNING d.id, d.subscription_id, d.event_position, d.attempts, s.url, s.secret`,
        [now, lease],
      );
      return rows;
    });
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const [row] = await this.db.manager.query<Parameters<typeof toEvent>[0][]>('SELECT * FROM business_event WHERE position = $1', [delivery.event_position]);
    const event = toEvent(row);
    const body = JSON.stringify(webhookBody(event));
    let status: number | null = null;
    let error: string | null = null;
    try {
      const problem = webhookUrlProblem(delivery.url, this.config.webhookAllowPrivateTargets);
      if (problem) throw new WebhookTargetRefused(`回调地址不可用：${problem}`);
      // the target's addresses are checked again by the connection itself (DNS may have changed since)
      const response = await postWebhook(delivery.url, {
        allowPrivateTargets: this.config.webhookAllowPrivateTargets,
        timeoutMs: this.policy.timeoutMs,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'vbp-platform-webhooks',
          'x-vbp-event-id': String(event.position),
          'x-vbp-event-type': event.type,
          'x-vbp-delivery-id': delivery.id,
          'x-vbp-delivery-attempt': String(delivery.attempts),
          'x-vbp-signature': signBody(delivery.secret, body),
        },
        body,
      });
      status = response.status;
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (caught) {
      error = caught instanceof AppError || caught instanceof WebhookTargetRefused ? caught.message : caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
    }
    const now = this.clock.now();
    if (!error) {
      await this.db.manager.query(`UPDATE webhook_delivery SET state = 'DELIVERED', delivered_at = $2, last_status = $3, last_error = NULL WHERE id = $1`, [delivery.id, now, status]);
      return;
    }
    if (exhausted(delivery.attempts, this.policy)) {
      await this.db.manager.query(`UPDATE webhook_delivery SET state = 'DEAD', dead_at = $2, last_status = $3, last_error = $4 WHERE id = $1`, [delivery.id, now, status, error.slice(0, 500)]);
      return;
    }
    const next = new Date(now.getTime() + retryDelaySeconds(delivery.attempts, this.policy) * 1000);
    await this.db.manager.query(`UPDATE webhook_delivery SET next_attempt_at = $2, last_status = $3, last_error = $4 WHERE id = $1`, [delivery.id, next, status, error.slice(0, 500)]);
  }

  private async ownSubscription(ctx: RequestContext, id: string): Promise<WebhookSubscription> {
    const user = requireUser(ctx);
    const subscription = await this.db.manager.findOne(WebhookSubscription, { where: { id } });
    if (!subscription || (subscription.organisationId !== user.organisationId && user.role !== 'PLATFORM_ADMIN')) throw notFound('订阅', 'subscriptionId');
    return subscription;
  }

  /** Refuses targets inside the platform's own network when a subscription is made (deliveries check at connect time). */
  private async checkTarget(url: string, field: string): Promise<void> {
    const allowPrivate = this.config.webhookAllowPrivateTargets;
    const problem = webhookUrlProblem(url, allowPrivate);
    if (problem) throw validationFailed(field, `回调地址不可用：${problem}`);
    if (allowPrivate) return;
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    let addresses: { address: string }[];
    try {
      addresses = await dns.lookup(host, { all: true });
    } catch {
      throw validationFailed(field, `回调地址不可用：无法解析主机 ${host}`);
    }
    for (const { address } of addresses) {
      const refused = addressProblem(address);
      if (refused) throw validationFailed(field, `回调地址不可用：${refused}`);
    }
  }
}

/** What a receiver gets: the event as the events query shows it, its feed position as the id. */
export function webhookBody(event: BusinessEvent) {
  return {
    id: String(event.position),
    type: event.type,
    occurredAt: event.occurredAt.toISOString(),
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    data: event.data,
  };
}
