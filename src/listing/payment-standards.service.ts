import { createHash } from 'crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { AwardedSpec, computePaymentStandards, DEFAULT_PAYMENT_STANDARD_POLICY, NonWinnerProduct } from '@libs/price-rules';
import { formatUnitPrice } from '@libs/money';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { requireUser } from '../platform/auth/scope';
import { AppError, notFound } from '../platform/errors/app-error';
import { Page, PageArgs, paginate } from '../platform/graphql/pagination';
import { PaymentStandardInForce, PaymentStandards } from '../platform/ports/context-ports';
import { Variety } from '../catalog/products/product.entity';
import { PaymentStandard } from './payment-standard.entity';

/** Rounds whose awards are final enough to pay by (docs/context-contracts.md, v_round_result). */
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AWARDED_ROUND_STATES = ['CONFIRMED', 'IN_EFFECT'];

/**
 * Payment standards (医保支付标准): computed from the variety's VBP awards (tendering's published view
 * v_round_result) and the listing prices in force (v_listing_price) by the policy in @libs/price-rules, stored
 * as versions with effective dates. Provides the PAYMENT_STANDARDS port that price-change reviews read.
 */
@Injectable()
export class PaymentStandardsService implements PaymentStandards {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async standardFor(em: EntityManager, productId: string, at: Date): Promise<PaymentStandardInForce | null> {
    const [row] = await em.query<{ unit_price: string; source: string; basis: string; version: number }[]>(
      `SELECT ps.unit_price::text AS unit_price, ps.source, ps.basis, ps.version
         FROM product p
         JOIN payment_standard ps ON ps.variety_spec_id = p.variety_spec_id AND (ps.product_id = p.id OR ps.product_id IS NULL)
        WHERE p.id = $1 AND ps.effective_from <= $2 AND (ps.effective_to IS NULL OR ps.effective_to > $2)
        ORDER BY ps.product_id IS NULL, ps.effective_from DESC
        LIMIT 1`,
      [productId, at],
    );
    if (!row) return null;
    return { unitPrice: formatUnitPrice(row.unit_price), source: `医保支付标准 v${row.version} (${row.basis}): ${row.source}` };
  }

  /**
   * Computes and stores a new version of a variety's standards effective from `effectiveFrom`, closing the
   * previous version there. Publishing again while nothing it is computed from has changed returns the
   * version in force and stores nothing.
   */
  publish(ctx: RequestContext, varietyId: string, effectiveFrom: Date): Promise<PaymentStandard[]> {
    const user = requireUser(ctx);
    if (!(effectiveFrom instanceof Date) || Number.isNaN(effectiveFrom.getTime())) throw new AppError('VALIDATION_FAILED', '生效时间无效', { field: 'effectiveFrom' });
    if (!UUID_RE.test(varietyId)) throw notFound('Variety', 'varietyId');
    return this.db.transaction(async (em) => {
      // one publisher per variety at a time: versions and the closing of the previous one stay consistent
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('payment_standard'), hashtext($1))`, [varietyId]);
      const variety = await em.findOne(Variety, { where: { id: varietyId } });
      if (!variety) throw notFound('Variety', 'varietyId');
      const policy = DEFAULT_PAYMENT_STANDARD_POLICY;

      const awards = await em.query<{ round_id: string; round_name: string; product_id: string; variety_spec_id: string | null; comparable_factor: string | null; awarded_unit_price: string; award_start: Date }[]>(
        `WITH latest AS (
           SELECT r.round_id FROM v_round_result r
            WHERE r.variety_id = $1 AND r.round_state = ANY($2) AND r.awarded_unit_price IS NOT NULL AND r.confirmed_at <= $3
            ORDER BY r.confirmed_at DESC, r.round_id LIMIT 1)
         SELECT r.round_id, r.round_name, r.product_id, p.variety_spec_id, vs.comparable_factor::text AS comparable_factor,
                max(r.awarded_unit_price)::text AS awarded_unit_price, min(coalesce(r.round_cycle_start, r.confirmed_at)) AS award_start
           FROM v_round_result r
           JOIN latest l ON l.round_id = r.round_id
           JOIN product p ON p.id = r.product_id
           LEFT JOIN variety_spec vs ON vs.id = p.variety_spec_id
          WHERE r.variety_id = $1 AND r.bid_status IN ('WINNER', 'REVIVED') AND r.awarded_unit_price IS NOT NULL
          GROUP BY r.round_id, r.round_name, r.product_id, p.variety_spec_id, vs.comparable_factor`,
        [varietyId, AWARDED_ROUND_STATES, effectiveFrom],
      );
      const winners: AwardedSpec[] = awards
        .filter((a) => a.variety_spec_id && a.comparable_factor)
        .map((a) => ({ productId: a.product_id, varietySpecId: a.variety_spec_id!, awardedUnitPrice: a.awarded_unit_price, specFactor: a.comparable_factor!, source: `集采中选价 ${a.round_name} (${a.round_id})` }));
      if (!winners.length) throw new AppError('VALIDATION_FAILED', '该品种在生效时间前没有已确认的集采中选结果，无法计算医保支付标准', { field: 'varietyId' });

      const listed = await em.query<{ product_id: string; variety_spec_id: string; comparable_factor: string; unit_price: string }[]>(
        `SELECT p.id AS product_id, p.variety_spec_id, vs.comparable_factor::text AS comparable_factor, max(lp.unit_price)::text AS unit_price
           FROM product p
           JOIN variety_spec vs ON vs.id = p.variety_spec_id
           JOIN v_listing_price lp ON lp.product_id = p.id AND lp.state = 'LISTED' AND lp.valid_from <= $2 AND (lp.valid_to IS NULL OR lp.valid_to > $2)
          WHERE p.variety_id = $1 AND NOT (p.id = ANY($3::uuid[]))
          GROUP BY p.id, p.variety_spec_id, vs.comparable_factor`,
        [varietyId, effectiveFrom, winners.map((w) => w.productId)],
      );
      const nonWinners: NonWinnerProduct[] = listed.map((l) => ({ productId: l.product_id, varietySpecId: l.variety_spec_id, specFactor: l.comparable_factor, listingUnitPrice: l.unit_price }));
      const awardStart = new Date(Math.min(...awards.map((a) => new Date(a.award_start).getTime())));
      const computed = computePaymentStandards({ policy, awardStart, effectiveFrom, winners, nonWinners });
      const inputsHash = createHash('sha256')
        .update(JSON.stringify({ policy: policy.version, rows: computed.map((c) => [c.varietySpecId, c.productId, c.unitPrice, c.basis]) }))
        .digest('hex');

      const latest = await em.findOne(PaymentStandard, { where: { varietyId }, order: { version: 'DESC' } });
      const refuseEarlier = () => {
        throw new AppError('VALIDATION_FAILED', `生效时间须晚于现行支付标准（第 ${latest!.version} 版）的生效时间`, { field: 'effectiveFrom', currentEffectiveFrom: latest!.effectiveFrom.toISOString() });
      };
      if (latest && effectiveFrom.getTime() < latest.effectiveFrom.getTime()) refuseEarlier();
      if (latest && latest.inputsHash === inputsHash && latest.effectiveTo === null) {
        // nothing the standards are computed from has changed: the version in force stands
        const rows = await em.find(PaymentStandard, { where: { varietyId, version: latest.version } });
        return rows.sort((a, b) => a.varietySpecId.localeCompare(b.varietySpecId) || (a.productId ?? '').localeCompare(b.productId ?? ''));
      }
      if (latest && effectiveFrom.getTime() === latest.effectiveFrom.getTime()) refuseEarlier();
      const version = (latest?.version ?? 0) + 1;
      await em.update(PaymentStandard, { varietyId, effectiveTo: IsNull() }, { effectiveTo: effectiveFrom });
      const now = this.clock.now();
      const rows = await em.save(
        computed.map((c) =>
          em.create(PaymentStandard, {
            varietyId,
            varietySpecId: c.varietySpecId,
            productId: c.productId,
            version,
            unitPrice: c.unitPrice,
            effectiveFrom,
            effectiveTo: null,
            basis: c.basis,
            policyVersion: policy.version,
            source: c.source,
            inputsHash,
            createdBy: user.id,
            createdAt: now,
          }),
        ),
      );
      await this.audit.record(em, ctx, {
        action: 'payment-standard.published',
        entityType: 'variety',
        entityId: varietyId,
        data: { version, effectiveFrom: effectiveFrom.toISOString(), policyVersion: policy.version, standards: computed.map((c) => ({ varietySpecId: c.varietySpecId, productId: c.productId, unitPrice: c.unitPrice, basis: c.basis })) },
      });
      return rows;
    });
  }

  /** Every version (history included), oldest publication first; `varietyId` narrows it. */
  list(varietyId: string | null, page: PageArgs): Promise<Page<PaymentStandard>> {
    if (varietyId && !UUID_RE.test(varietyId)) throw new AppError('VALIDATION_FAILED', 'varietyId 不是有效的标识', { field: 'varietyId' });
    const qb = this.db.manager.createQueryBuilder(PaymentStandard, 'ps');
    if (varietyId) qb.where('ps.variety_id = :varietyId', { varietyId });
    return paginate(qb, page, 'created_at');
  }

  /** The standards in force now or scheduled (not yet closed by a later version). */
  inForce(varietyId: string | null, page: PageArgs): Promise<Page<PaymentStandard>> {
    if (varietyId && !UUID_RE.test(varietyId)) throw new AppError('VALIDATION_FAILED', 'varietyId 不是有效的标识', { field: 'varietyId' });
    const qb = this.db.manager.createQueryBuilder(PaymentStandard, 'ps').where('(ps.effective_to IS NULL OR ps.effective_to > :now)', { now: this.clock.now() });
    if (varietyId) qb.andWhere('ps.variety_id = :varietyId', { varietyId });
    return paginate(qb, page, 'created_at');
  }
}
