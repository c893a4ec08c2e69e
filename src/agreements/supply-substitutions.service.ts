import { Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Dec, formatUnitPrice } from '@libs/money';
import { shanghaiDateOf } from '@libs/calendar';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { AppError, notFound } from '../platform/errors/app-error';
import { pathWithinSql, scopeOf } from '../platform/auth/scope';
import { Page, PageArgs, paginate } from '../platform/graphql/pagination';
import { CREDIT_CHECKS, CreditChecks, LISTING_PRICES, ListingPrices } from '../platform/ports/context-ports';
import { Product, VarietySpec } from '../catalog/products/product.entity';
import { SupplyFailure, VolumeAgreement } from './agreement.entity';
import { SubstitutionKind, SupplySubstitution } from './supply-substitution.entity';
import { AgreementYearsService } from './agreement-years.service';
import { convertUnits } from './agreement-rules';

export interface AssignSubstituteInput {
  lotId: string;
  failedManufacturerId: string;
  kind: SubstitutionKind;
  substituteBidId?: string | null;
  substituteProductId?: string | null;
  priceCap?: string | null;
  temporaryUntil?: Date | null;
  reason: string;
}

/**
 * 断供替代: when a lot's only winner fails (no backup winner to take over), a regulator assigns a substitute
 * and every hospital's agreement with the failed winner in that lot moves over with its remaining quantity.
 */
@Injectable()
export class SupplySubstitutionsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly years: AgreementYearsService,
    @Optional() @Inject(CREDIT_CHECKS) private readonly credit?: CreditChecks,
    @Optional() @Inject(LISTING_PRICES) private readonly listings?: ListingPrices,
  ) {}

  async assign(ctx: RequestContext, input: AssignSubstituteInput): Promise<SupplySubstitution> {
    if (!input.reason || input.reason.trim().length < 5) throw new AppError('VALIDATION_FAILED', '请说明指定替代供应的理由（至少 5 个字）', { field: 'input.reason' });
    const now = this.clock.now();
    if (input.temporaryUntil && input.temporaryUntil.getTime() <= now.getTime()) throw new AppError('VALIDATION_FAILED', '临时采购的截止时间须晚于当前时间', { field: 'input.temporaryUntil' });
    return this.db.transaction(async (em) => {
      const agreements = await em
        .createQueryBuilder(VolumeAgreement, 'a')
        .setLock('pessimistic_write')
        .where(`a.lot_id = :lotId AND a.manufacturer_id = :m AND a.state = 'ACTIVE'`, { lotId: input.lotId, m: input.failedManufacturerId })
        .orderBy('a.id')
        .getMany();
      const inScope = [];
      for (const a of agreements) if (await this.inRegionScope(em, ctx, a.regionCode)) inScope.push(a);
      if (!inScope.length) throw notFound('Agreement', 'input.lotId');
      if (inScope.length < agreements.length) throw new AppError('FORBIDDEN', '该企业在此品种的部分协议不在您的辖区内，请由上级监管部门指定替代供应');
      if (agreements.some((a) => a.backupBidId)) {
        throw new AppError('SUBSTITUTE_NOT_NEEDED', '该品种有备供企业，请通过核实断供由备供企业接替', { field: 'input.lotId' });
      }
      const varietyId = agreements[0].varietyId;

      // the substitute and its price
      let substitute: { manufacturerId: string; productId: string; bidId: string; unitPrice: string; listingId: string | null };
      let priceCap: string | null = null;
      if (input.kind === 'WINNER') {
        if (!input.substituteBidId) throw new AppError('VALIDATION_FAILED', '请指定替代的中选报价', { field: 'input.substituteBidId' });
        const winner = await em
          .createQueryBuilder(VolumeAgreement, 'w')
          .where(`w.bid_id = :bidId AND w.state = 'ACTIVE' AND w.variety_id = :varietyId AND w.lot_id <> :lotId AND w.manufacturer_id <> :m AND w.cycle_end > :now`, {
            bidId: input.substituteBidId,
            varietyId,
            lotId: input.lotId,
            m: input.failedManufacturerId,
            now,
          })
          .orderBy('w.id')
          .getOne();
        if (!winner) throw new AppError('SUBSTITUTE_INVALID', '替代报价须为同一通用名品种在其他批次、品种或层级中正在执行的中选报价', { field: 'input.substituteBidId' });
        substitute = { manufacturerId: winner.manufacturerId, productId: winner.productId, bidId: winner.bidId, unitPrice: winner.awardedUnitPrice, listingId: null };
      } else {
        if (!input.substituteProductId) throw new AppError('VALIDATION_FAILED', '请指定临时采购的产品', { field: 'input.substituteProductId' });
        if (!input.priceCap) throw new AppError('VALIDATION_FAILED', '临时挂网价采购须设定限价', { field: 'input.priceCap' });
        const product = await em.findOne(Product, { where: { id: input.substituteProductId } });
        if (!product || product.varietyId !== varietyId || product.manufacturerId === input.failedManufacturerId) {
          throw new AppError('SUBSTITUTE_INVALID', '临时采购的产品须为同一通用名品种、其他企业的产品', { field: 'input.substituteProductId' });
        }
        const listed = this.listings ? (await this.listings.pricesInForce(em, [product.id], agreements[0].regionCode, now)).get(product.id) : undefined;
        if (!listed) throw new AppError('SUBSTITUTE_INVALID', '该产品当前未在本省挂网，不能按挂网价临时采购', { field: 'input.substituteProductId' });
        priceCap = formatUnitPrice(input.priceCap);
        const price = new Dec(listed.unitPrice).lte(priceCap) ? listed.unitPrice : priceCap;
        // the agreement's bid column names the listing for a temporary listing-price purchase
        substitute = { manufacturerId: product.manufacturerId, productId: product.id, bidId: listed.listingId, unitPrice: formatUnitPrice(price), listingId: listed.listingId };
      }

      const factorOf = async (productId: string): Promise<string | null> => {
        const product = await em.findOne(Product, { where: { id: productId } });
        const spec = product?.varietySpecId ? await em.findOne(VarietySpec, { where: { id: product.varietySpecId } }) : null;
        return spec?.comparableFactor ?? null;
      };
      const substituteFactor = (await factorOf(substitute.productId)) ?? '1';
      const failedFactors = new Map<string, string>();
      for (const productId of new Set(agreements.map((a) => a.productId))) failedFactors.set(productId, (await factorOf(productId)) ?? substituteFactor);

      const creditEvent = this.credit
        ? await this.credit.recordEvent(em, ctx, {
            organisationId: input.failedManufacturerId,
            behaviour: 'BREACH_OF_SUPPLY',
            amountFen: null,
            occurredOn: shanghaiDateOf(now),
            evidence: `Sole winner failed to supply lot ${input.lotId}; substitute ${substitute.manufacturerId} assigned (${input.kind}): ${input.reason.trim()}`,
            productIds: [...failedFactors.keys()],
            source: 'SUPPLY_FAILURE',
          })
        : null;
      const substitution = await em.save(
        em.create(SupplySubstitution, {
          roundId: agreements[0].roundId,
          lotId: input.lotId,
          varietyId,
          failedManufacturerId: input.failedManufacturerId,
          kind: input.kind,
          substituteManufacturerId: substitute.manufacturerId,
          substituteProductId: substitute.productId,
          substituteBidId: input.kind === 'WINNER' ? substitute.bidId : null,
          substituteListingId: substitute.listingId,
          unitPrice: substitute.unitPrice,
          priceCap,
          temporaryUntil: input.temporaryUntil ?? null,
          reason: input.reason.trim(),
          agreementsMoved: agreements.length,
          regionCodes: [...new Set(agreements.map((a) => a.regionCode))].sort(),
          creditEventId: creditEvent?.eventId ?? null,
          createdAt: now,
          createdByUserId: ctx.user?.id ?? null,
        }),
      );

      const moved: { from: string; to: string; remaining: number; converted: number }[] = [];
      for (const agreement of agreements) {
        const factor = new Dec(failedFactors.get(agreement.productId)!).div(substituteFactor).toDecimalPlaces(10, Dec.ROUND_HALF_UP).toFixed();
        const remaining = Math.max(agreement.agreedQuantity - agreement.purchasedQuantity, 0);
        agreement.state = 'SUPPLY_FAILED';
        await em.save(agreement);
        const cycleStart = now.getTime() < agreement.cycleStart.getTime() ? agreement.cycleStart : now;
        const until = input.temporaryUntil && input.temporaryUntil.getTime() < agreement.cycleEnd.getTime() ? input.temporaryUntil : agreement.cycleEnd;
        const takeover = await em.save(
          em.create(VolumeAgreement, {
            roundId: agreement.roundId,
            lotId: agreement.lotId,
            varietyId: agreement.varietyId,
            hospitalId: agreement.hospitalId,
            regionCode: agreement.regionCode,
            manufacturerId: substitute.manufacturerId,
            productId: substitute.productId,
            bidId: substitute.bidId,
            annualQuantity: convertUnits(agreement.annualQuantity, factor),
            agreedQuantity: convertUnits(remaining, factor),
            purchasedQuantity: 0,
            awardedUnitPrice: substitute.unitPrice,
            cycleStart,
            cycleEnd: until,
            state: 'ACTIVE',
            backupBidId: null,
            backupManufacturerId: null,
            backupProductId: null,
            backupUnitPrice: null,
            backupQuantityFactor: null,
            takesOverAgreementId: agreement.id,
            substitutionId: substitution.id,
            renewsAgreementId: null,
          }),
        );
        await this.years.carryOverYears(em, agreement, takeover, factor, now);
        await em.update(
          SupplyFailure,
          { agreementId: agreement.id, state: 'REPORTED' },
          { state: 'VERIFIED', verifiedAt: now, verifiedByUserId: ctx.user?.id ?? null, takeoverAgreementId: takeover.id, creditEventId: creditEvent?.eventId ?? null },
        );
        moved.push({ from: agreement.id, to: takeover.id, remaining, converted: takeover.agreedQuantity });
      }
      await this.audit.record(em, ctx, {
        action: 'supply-substitution.assigned',
        entityType: 'supply_substitution',
        entityId: substitution.id,
        data: { lotId: input.lotId, failedManufacturerId: input.failedManufacturerId, kind: input.kind, substituteManufacturerId: substitute.manufacturerId, unitPrice: substitute.unitPrice, priceCap, creditEventId: substitution.creditEventId, moved },
      });
      return substitution;
    });
  }

  /** Supervision: substitutions touching the caller's region (every one for the platform admin), newest last. */
  list(ctx: RequestContext, page: PageArgs = {}): Promise<Page<SupplySubstitution>> {
    const scope = scopeOf(ctx);
    const qb = this.db.manager.createQueryBuilder(SupplySubstitution, 's');
    if (scope.kind === 'own') qb.andWhere('false');
    if (scope.kind === 'region') {
      const [sql, params] = pathWithinSql('r.path', scope.pathPrefix);
      qb.andWhere(`EXISTS (SELECT 1 FROM region r WHERE r.code = ANY(s.region_codes) AND ${sql})`, params);
    }
    return paginate(qb, page, 'created_at');
  }

  private async inRegionScope(em: EntityManager, ctx: RequestContext, regionCode: string): Promise<boolean> {
    const scope = scopeOf(ctx);
    if (scope.kind === 'all') return true;
    if (scope.kind === 'own') return false;
    const [sql, params] = pathWithinSql('path', scope.pathPrefix);
    return (await em.createQueryBuilder().select('1').from('region', 'r').where('r.code = :regionCode', { regionCode }).andWhere(sql, params).getRawOne()) !== undefined;
  }
}
