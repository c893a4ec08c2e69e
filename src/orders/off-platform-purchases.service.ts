import { Injectable } from '@nestjs/common';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { AppError } from '../platform/errors/app-error';
import { applyScope, requireUser } from '../platform/auth/scope';
import { Page, PageArgs, paginate } from '../platform/graphql/pagination';
import { Product, Variety } from '../catalog/products/product.entity';
import { OffPlatformPurchase } from './off-platform-purchase.entity';
import { ReportOffPlatformPurchaseInput } from './dto/order.inputs';

/** Hospitals' reports of purchases outside the platform, read by supervision through v_off_platform_purchase. */
@Injectable()
export class OffPlatformPurchasesService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async report(ctx: RequestContext, input: ReportOffPlatformPurchaseInput): Promise<OffPlatformPurchase> {
    const user = requireUser(ctx);
    if (user.role !== 'HOSPITAL') throw new AppError('FORBIDDEN', 'Hospitals report their own off-platform purchases');
    if (!input.productId && !input.varietyId) throw new AppError('VALIDATION_FAILED', 'Name the product or the variety', { field: 'input.productId' });
    if (input.amount < 0n) throw new AppError('VALIDATION_FAILED', 'An amount is not negative', { field: 'input.amount' });
    return this.db.transaction(async (em) => {
      if (input.productId && !(await em.exists(Product, { where: { id: input.productId } }))) throw new AppError('VALIDATION_FAILED', 'Unknown product', { field: 'input.productId' });
      if (input.varietyId && !(await em.exists(Variety, { where: { id: input.varietyId } }))) throw new AppError('VALIDATION_FAILED', 'Unknown variety', { field: 'input.varietyId' });
      const report = em.create(OffPlatformPurchase, {
        hospitalId: user.organisationId,
        regionCode: user.regionCode,
        productId: input.productId ?? null,
        varietyId: input.varietyId ?? null,
        month: `${input.month}-01`,
        quantity: input.quantity,
        amountFen: input.amount,
        reason: input.reason,
        reportedAt: this.clock.now(),
        reportedBy: user.id,
      });
      await em.insert(OffPlatformPurchase, report);
      await this.audit.record(em, ctx, {
        action: 'off_platform_purchase.reported',
        entityType: 'off_platform_purchase',
        entityId: report.id,
        data: { productId: report.productId, varietyId: report.varietyId, month: report.month, quantity: report.quantity, amountFen: report.amountFen.toString() },
      });
      return report;
    });
  }

  list(ctx: RequestContext, page: PageArgs = {}): Promise<Page<OffPlatformPurchase>> {
    const qb = applyScope(this.db.manager.createQueryBuilder(OffPlatformPurchase, 'p'), ctx, { region: { code: 'p.region_code' }, own: { HOSPITAL: 'p.hospital_id' } });
    return paginate(qb, page, 'month');
  }
}
