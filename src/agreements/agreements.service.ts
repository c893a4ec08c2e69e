import { Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Dec, formatUnitPrice } from '@libs/money';
import { shanghaiDateOf } from '@libs/calendar';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { AppError, notFound } from '../platform/errors/app-error';
import { applyScope, pathWithinSql, requireUser, scopeOf } from '../platform/auth/scope';
import { AgreementForOrder, AgreementInForce, AgreementIssuance, AgreementLine, AgreementSupply, CREDIT_CHECKS, CreditChecks } from '../platform/ports/context-ports';
import { PrepaymentDue, SupplyFailure, VolumeAgreement } from './agreement.entity';
import { AgreementCompletion } from './dto/agreement.inputs';
import { AgreementErrors } from './agreements.errors';
import { convertUnits, prepaymentFen } from './agreement-rules';
import { asDate, runPart, SqlPart } from '../platform/database/sql-part';
import { AgreementYear } from './agreement-year.entity';
import { AgreementYearsService } from './agreement-years.service';
import { Page, PageArgs, paginate } from '../platform/graphql/pagination';

function ratio4(numerator: Dec, denominator: Dec): string {
  if (denominator.lte(0)) return '0.0000';
  return numerator.div(denominator).toDecimalPlaces(4, Dec.ROUND_HALF_UP).toFixed(4);
}

/**
 * Volume agreements (带量采购协议): created at a round's confirmation, ordered against by hospitals,
 * taken over by the region's backup winner after a verified supply failure. Implements AGREEMENT_SUPPLY and
 * AGREEMENT_ISSUANCE.
 */
@Injectable()
export class AgreementsService implements AgreementSupply, AgreementIssuance {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly years: AgreementYearsService,
    @Optional() @Inject(CREDIT_CHECKS) private readonly credit?: CreditChecks,
  ) {}

  /** Called by tendering inside the confirmation's transaction. */
  async createForRound(
    em: EntityManager,
    ctx: RequestContext,
    round: { id: string; cycleStart: Date },
    lines: AgreementLine[],
    prepayment: { share: string; policyVersion: number },
  ): Promise<{ agreements: number; prepayments: number; prepaymentTotalFen: bigint }> {
    const yearRows: Partial<AgreementYear>[] = [];
    for (const line of lines) {
      const inserted = await em.insert(VolumeAgreement, {
        roundId: round.id,
        lotId: line.lotId,
        varietyId: line.varietyId,
        hospitalId: line.hospitalId,
        regionCode: line.regionCode,
        manufacturerId: line.manufacturerId,
        productId: line.productId,
        bidId: line.bidId,
        annualQuantity: line.annualQuantity,
        agreedQuantity: line.annualQuantity * line.cycleYears,
        purchasedQuantity: 0,
        awardedUnitPrice: line.awardedUnitPrice,
        cycleStart: round.cycleStart,
        cycleEnd: line.cycleEnd,
        state: 'ACTIVE',
        backupBidId: line.backup?.bidId ?? null,
        backupManufacturerId: line.backup?.manufacturerId ?? null,
        backupProductId: line.backup?.productId ?? null,
        backupUnitPrice: line.backup?.unitPrice ?? null,
        backupQuantityFactor: line.backup?.quantityFactor ?? null,
        takesOverAgreementId: null,
        substitutionId: null,
        renewsAgreementId: line.renewsAgreementId ?? null,
      });
      const id = (inserted.identifiers[0] as { id: string }).id;
      yearRows.push(...AgreementYearsService.yearRows({ id, hospitalId: line.hospitalId, manufacturerId: line.manufacturerId, regionCode: line.regionCode, annualQuantity: line.annualQuantity, cycleStart: round.cycleStart, cycleEnd: line.cycleEnd }, line.cycleYears));
    }
    // 协议年度: year 1 signed with the agreement, later years re-signed (续签)
    for (let i = 0; i < yearRows.length; i += 500) await em.insert(AgreementYear, yearRows.slice(i, i + 500));
    // prepayment = round-half-up(Σ annual agreed quantity × awarded price × share), rounded once per hospital
    const annualByHospital = new Map<string, { regionCode: string; lines: { annualQuantity: number; unitPrice: string }[] }>();
    for (const line of lines) {
      const entry = annualByHospital.get(line.hospitalId) ?? { regionCode: line.regionCode, lines: [] };
      entry.lines.push({ annualQuantity: line.annualQuantity, unitPrice: line.awardedUnitPrice });
      annualByHospital.set(line.hospitalId, entry);
    }
    let total = 0n;
    for (const [hospitalId, { regionCode, lines: hospitalLines }] of annualByHospital) {
      const amountFen = prepaymentFen(hospitalLines, prepayment.share);
      total += amountFen;
      await em.insert(PrepaymentDue, { roundId: round.id, hospitalId, regionCode, amountFen, share: prepayment.share, policyVersion: prepayment.policyVersion, dueAt: round.cycleStart });
    }
    await this.audit.record(em, ctx, {
      action: 'agreements.created',
      entityType: 'round',
      entityId: round.id,
      data: { agreements: lines.length, prepayments: annualByHospital.size, prepaymentTotalFen: total, prepaymentShare: prepayment.share, policyVersion: prepayment.policyVersion },
    });
    return { agreements: lines.length, prepayments: annualByHospital.size, prepaymentTotalFen: total };
  }

  async agreementsInForce(em: EntityManager, roundId: string): Promise<AgreementInForce[]> {
    const rows = await em.find(VolumeAgreement, { where: { roundId, state: 'ACTIVE' }, order: { id: 'ASC' } });
    return rows.map((a) => ({
      id: a.id,
      lotId: a.lotId,
      hospitalId: a.hospitalId,
      regionCode: a.regionCode,
      manufacturerId: a.manufacturerId,
      productId: a.productId,
      bidId: a.bidId,
      annualQuantity: a.annualQuantity,
      awardedUnitPrice: a.awardedUnitPrice,
    }));
  }

  // ---- AGREEMENT_SUPPLY port ----------------------------------------------------------------------------

  findForOrder(em: EntityManager, hospitalId: string, productIds: string[], at: Date): Promise<Map<string, AgreementForOrder>> {
    return runPart(em, 'agreements.for-order', (b) => this.forOrderPart({ hospitalId: b.bind(hospitalId, 'uuid'), productIds: b.bind(productIds, 'uuid[]'), at: b.bind(at, 'timestamptz') }));
  }

  forOrderPart(input: { hospitalId: string; productIds: string; at: string }): SqlPart<Map<string, AgreementForOrder>> {
    const { hospitalId, productIds, at } = input;
    return {
      // per product an agreement in effect; after a verified supply failure, the backup's takeover
      sql: `SELECT DISTINCT ON (c.product_id) c.product_id, a.id, a.awarded_unit_price::text AS unit_price, a.manufacturer_id, a.round_id, a.lot_id, a.cycle_start, a.cycle_end
         FROM (SELECT a.product_id, a.id, 0 AS preference FROM volume_agreement a
                WHERE a.hospital_id = ${hospitalId} AND a.product_id = ANY(${productIds}) AND a.state = 'ACTIVE' AND a.cycle_start <= ${at} AND a.cycle_end > ${at}
               UNION ALL
               SELECT f.product_id, t.id, 1 FROM volume_agreement f JOIN volume_agreement t ON t.takes_over_agreement_id = f.id
                WHERE f.hospital_id = ${hospitalId} AND f.product_id = ANY(${productIds}) AND f.state = 'SUPPLY_FAILED' AND t.state = 'ACTIVE' AND t.cycle_start <= ${at} AND t.cycle_end > ${at}) c
         JOIN volume_agreement a ON a.id = c.id
        ORDER BY c.product_id, c.preference`,
      read: (rows) =>
        new Map(
          rows.map((r) => [
            String(r.product_id),
            {
              agreementId: String(r.id),
              unitPrice: formatUnitPrice(String(r.unit_price)),
              manufacturerId: String(r.manufacturer_id),
              roundId: String(r.round_id),
              lotId: String(r.lot_id),
              cycleStart: asDate(r.cycle_start),
              cycleEnd: asDate(r.cycle_end),
            },
          ]),
        ),
    };
  }

  async addAcceptedQuantity(em: EntityManager, agreementId: string, delta: number): Promise<void> {
    if (!Number.isSafeInteger(delta)) throw new AppError('VALIDATION_FAILED', 'A quantity change is a whole number', { field: 'delta' });
    // the CHECK (purchased_quantity >= 0) refuses a return of more than was received
    const result = await em.query<unknown[]>(`UPDATE volume_agreement SET purchased_quantity = purchased_quantity + $2 WHERE id = $1 RETURNING id`, [agreementId, delta]);
    const rows = Array.isArray(result[0]) ? result[0] : result;
    if (!rows.length) throw notFound('Agreement', 'agreementId');
    // the receipt counts in the agreement year running now (协议年度 completion)
    await this.years.addToYear(em, agreementId, delta, this.clock.now());
  }

  // ---- reads --------------------------------------------------------------------------------------------

  list(ctx: RequestContext, roundId?: string | null, page: PageArgs = {}): Promise<Page<VolumeAgreement>> {
    const qb = this.db.manager.createQueryBuilder(VolumeAgreement, 'a');
    if (roundId) qb.andWhere('a.round_id = :roundId', { roundId });
    const own = 'a.hospital_id = :scopeOwn OR a.manufacturer_id = :scopeOwn';
    applyScope(qb, ctx, { region: { code: 'a.region_code' }, own: { HOSPITAL: own, MANUFACTURER: own, DISTRIBUTOR: own } });
    return paginate(qb, page, 'created_at');
  }

  prepayments(ctx: RequestContext, roundId?: string | null, page: PageArgs = {}): Promise<Page<PrepaymentDue>> {
    const qb = this.db.manager.createQueryBuilder(PrepaymentDue, 'p');
    if (roundId) qb.andWhere('p.round_id = :roundId', { roundId });
    const own = 'p.hospital_id';
    applyScope(qb, ctx, { region: { code: 'p.region_code' }, own: { HOSPITAL: own, MANUFACTURER: own, DISTRIBUTOR: own } });
    return paginate(qb, page, 'due_at');
  }

  /** Completion: purchased ÷ agreed against the elapsed share of the cycle (supervision alerts on the gap). */
  completion(agreement: VolumeAgreement): AgreementCompletion {
    const now = this.clock.now().getTime();
    const start = agreement.cycleStart.getTime();
    const end = agreement.cycleEnd.getTime();
    const elapsed = Math.min(Math.max(now - start, 0), end - start);
    const purchasedShare = ratio4(new Dec(agreement.purchasedQuantity), new Dec(agreement.agreedQuantity));
    const elapsedShare = ratio4(new Dec(elapsed), new Dec(end - start));
    return { purchasedShare, elapsedShare, pointsBehind: new Dec(elapsedShare).minus(purchasedShare).times(100).toFixed(2) };
  }

  // ---- supply failure -----------------------------------------------------------------------------------

  async reportSupplyFailure(ctx: RequestContext, agreementId: string, description: string): Promise<SupplyFailure> {
    const user = requireUser(ctx);
    return this.db.transaction(async (em) => {
      const agreement = await em.createQueryBuilder(VolumeAgreement, 'a').setLock('pessimistic_write').where('a.id = :agreementId', { agreementId }).getOne();
      if (!agreement || agreement.hospitalId !== user.organisationId) throw notFound('Agreement', 'input.agreementId');
      if (agreement.state !== 'ACTIVE') throw AgreementErrors.notActive();
      if (await em.findOne(SupplyFailure, { where: { agreementId } })) throw AgreementErrors.supplyFailureExists();
      const failure = await em.save(
        em.create(SupplyFailure, {
          agreementId,
          hospitalId: agreement.hospitalId,
          regionCode: agreement.regionCode,
          description,
          state: 'REPORTED',
          reportedAt: this.clock.now(),
          verifiedAt: null,
          verifiedByUserId: null,
          takeoverAgreementId: null,
          creditEventId: null,
        }),
      );
      await this.audit.record(em, ctx, { action: 'supply-failure.reported', entityType: 'supply_failure', entityId: failure.id, data: { agreementId, manufacturerId: agreement.manufacturerId } });
      return failure;
    });
  }

  /**
   * A regulator verifies a reported failure: the agreement stops, the region's backup winner takes over the
   * remaining volume at its own awarded price, and the failing winner gets a credit event.
   */
  async verifySupplyFailure(ctx: RequestContext, failureId: string): Promise<SupplyFailure> {
    return this.db.transaction(async (em) => {
      const failure = await em.createQueryBuilder(SupplyFailure, 'f').setLock('pessimistic_write').where('f.id = :failureId', { failureId }).getOne();
      if (!failure || !(await this.inRegionScope(em, ctx, failure.regionCode))) throw notFound('Supply failure', 'id');
      if (failure.state !== 'REPORTED') throw new AppError('INVALID_STATE', 'The supply failure was verified already');
      const agreement = await em.createQueryBuilder(VolumeAgreement, 'a').setLock('pessimistic_write').where('a.id = :id', { id: failure.agreementId }).getOneOrFail();
      if (agreement.state !== 'ACTIVE') throw AgreementErrors.notActive();
      if (!agreement.backupBidId || !agreement.backupManufacturerId || !agreement.backupProductId || !agreement.backupUnitPrice) throw AgreementErrors.noBackupWinner();
      const now = this.clock.now();
      const remaining = Math.max(agreement.agreedQuantity - agreement.purchasedQuantity, 0);
      const annualRemaining = agreement.annualQuantity;
      agreement.state = 'SUPPLY_FAILED';
      await em.save(agreement);
      const takeover = await em.save(
        em.create(VolumeAgreement, {
          roundId: agreement.roundId,
          lotId: agreement.lotId,
          varietyId: agreement.varietyId,
          hospitalId: agreement.hospitalId,
          regionCode: agreement.regionCode,
          manufacturerId: agreement.backupManufacturerId,
          productId: agreement.backupProductId,
          bidId: agreement.backupBidId,
          annualQuantity: convertUnits(annualRemaining, agreement.backupQuantityFactor ?? '1'),
          agreedQuantity: convertUnits(remaining, agreement.backupQuantityFactor ?? '1'),
          purchasedQuantity: 0,
          awardedUnitPrice: agreement.backupUnitPrice,
          cycleStart: now.getTime() < agreement.cycleStart.getTime() ? agreement.cycleStart : now,
          cycleEnd: agreement.cycleEnd,
          state: 'ACTIVE',
          backupBidId: null,
          backupManufacturerId: null,
          backupProductId: null,
          backupUnitPrice: null,
          backupQuantityFactor: null,
          takesOverAgreementId: agreement.id,
          substitutionId: null,
          renewsAgreementId: null,
        }),
      );
      await this.years.carryOverYears(em, agreement, takeover, agreement.backupQuantityFactor ?? '1', now);
      failure.state = 'VERIFIED';
      failure.verifiedAt = now;
      failure.verifiedByUserId = ctx.user?.id ?? null;
      failure.takeoverAgreementId = takeover.id;
      if (this.credit) {
        const event = await this.credit.recordEvent(em, ctx, {
          organisationId: agreement.manufacturerId,
          behaviour: 'BREACH_OF_SUPPLY',
          amountFen: null,
          occurredOn: shanghaiDateOf(failure.reportedAt),
          evidence: `Supply failure ${failure.id} on agreement ${agreement.id}: ${failure.description}`,
          productIds: [agreement.productId],
          source: 'SUPPLY_FAILURE',
        });
        failure.creditEventId = event.eventId;
      }
      await em.save(failure);
      await this.audit.record(em, ctx, {
        action: 'supply-failure.verified',
        entityType: 'supply_failure',
        entityId: failure.id,
        data: { agreementId: agreement.id, takeoverAgreementId: takeover.id, backupManufacturerId: takeover.manufacturerId, remainingQuantity: remaining, creditEventId: failure.creditEventId },
      });
      return failure;
    });
  }

  supplyFailures(ctx: RequestContext, page: PageArgs = {}): Promise<Page<SupplyFailure>> {
    const qb = this.db.manager.createQueryBuilder(SupplyFailure, 'f');
    const own = 'f.hospital_id = :scopeOwn OR f.agreement_id IN (SELECT id FROM volume_agreement WHERE manufacturer_id = :scopeOwn)';
    applyScope(qb, ctx, { region: { code: 'f.region_code' }, own: { HOSPITAL: own, MANUFACTURER: own, DISTRIBUTOR: own } });
    return paginate(qb, page, 'reported_at');
  }

  private async inRegionScope(em: EntityManager, ctx: RequestContext, regionCode: string): Promise<boolean> {
    const scope = scopeOf(ctx);
    if (scope.kind === 'all') return true;
    if (scope.kind === 'own') return false;
    const [sql, params] = pathWithinSql('path', scope.pathPrefix);
    const qb = em.createQueryBuilder().select('1').from('region', 'r').where('r.code = :regionCode', { regionCode }).andWhere(sql, params);
    return (await qb.getRawOne()) !== undefined;
  }
}
