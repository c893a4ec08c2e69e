import { Injectable } from '@nestjs/common';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { forbidden, validationFailed } from '../platform/errors/app-error';
import { pathWithin, requireUser } from '../platform/auth/scope';
import { RegionSettlementPolicy } from './region-policy.entity';
import { SetRegionSettlementPolicyInput } from './dto/region-policy.inputs';

/** Serialises policy versions (a region's next version number). */
const POLICY_LOCK = 4_100_706;

/** Versioned settlement policies per region (who the fund pays, how far it advances beyond allotments), set by the settlement office. */
@Injectable()
export class RegionPoliciesService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async set(ctx: RequestContext, input: SetRegionSettlementPolicyInput): Promise<RegionSettlementPolicy> {
    const user = requireUser(ctx);
    const now = this.clock.now();
    const advanceLimit = input.advanceLimit ?? 0n;
    if (advanceLimit < 0n) throw validationFailed('input.advanceLimit', '垫付额度不能为负数');
    if (input.effectiveFrom.getTime() < now.getTime()) throw validationFailed('input.effectiveFrom', '生效时间不能早于当前时间（已生效的政策不可追溯修改）');
    const id = await this.db.transaction(async (em) => {
      const [region] = await em.query<{ code: string; path: string }[]>('SELECT code, path FROM region WHERE code = $1', [input.regionCode]);
      if (!region) throw validationFailed('input.regionCode', `地区 ${input.regionCode} 不存在`);
      if (user.role !== 'PLATFORM_ADMIN' && !pathWithin(region.path, user.regionPath)) throw forbidden('This region is outside your region');
      await em.query('SELECT pg_advisory_xact_lock($1)', [POLICY_LOCK]);
      const [same] = await em.query<{ id: string }[]>('SELECT id FROM region_settlement_policy WHERE region_code = $1 AND effective_from = $2', [region.code, input.effectiveFrom]);
      if (same) throw validationFailed('input.effectiveFrom', '该地区在此生效时间已有一版政策');
      const [row] = await em.query<{ id: string; version: number }[]>(
        `INSERT INTO region_settlement_policy (region_code, version, effective_from, payee, advance_limit_fen, set_by_user_id, set_at)
         SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $6, $4, $5 FROM region_settlement_policy WHERE region_code = $1
         RETURNING id, version`,
        [region.code, input.effectiveFrom, input.payee, user.id, now, advanceLimit.toString()],
      );
      await this.audit.record(em, ctx, {
        action: 'settlement.region-policy.set', entityType: 'region_settlement_policy', entityId: row.id,
        data: { regionCode: region.code, version: row.version, effectiveFrom: input.effectiveFrom.toISOString(), payee: input.payee, advanceLimitFen: advanceLimit.toString() },
      });
      return row.id;
    });
    return this.db.manager.findOneByOrFail(RegionSettlementPolicy, { id });
  }

  /** Every version, of one region or all, by region then effective date (at most 500). */
  list(regionCode?: string | null): Promise<RegionSettlementPolicy[]> {
    const qb = this.db.manager.createQueryBuilder(RegionSettlementPolicy, 'p');
    if (regionCode) qb.where('p.region_code = :c', { c: regionCode });
    return qb.orderBy('p.region_code').addOrderBy('p.effective_from').limit(500).getMany();
  }
}
