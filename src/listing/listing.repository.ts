import { Inject, Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Db } from '../platform/database/db';
import { RequestContext } from '../platform/context/request-context';
import { CREDIT_CHECKS, CreditChecks } from '../platform/ports/context-ports';
import { ListingApplication, ListingApplicationReview, ListingPricePeriod } from './listing.entity';
import { LinkageNotice } from './reference-price.entity';
import { CostDocumentRequest } from './cost-investigation.entity';
import { requireUser } from '../platform/auth/scope';
import { rowsByKeys } from '../platform/database/rows-by-keys';

/**
 * The listing context's reads of what hangs below a listing or an application: one statement per field for a
 * whole page of parents, batched per request (see OrdersRepository for the pattern).
 */
@Injectable()
export class ListingRepository {
  constructor(
    private readonly db: Db,
    @Inject(CREDIT_CHECKS) private readonly creditChecks: CreditChecks,
  ) {}

  historyOf(ctx: RequestContext, listingId: string): Promise<ListingPricePeriod[]> {
    return ctx.loaders
      .children<string, ListingPricePeriod>(
        'listing.history',
        (ids) => rowsByKeys(this.db.dataSource, ListingPricePeriod, 'listingId', [...ids], [['validFrom', 'ASC']]),
        (p) => p.listingId,
      )
      .load(listingId);
  }

  applicationsOf(ctx: RequestContext, listingId: string): Promise<ListingApplication[]> {
    return ctx.loaders
      .children<string, ListingApplication>(
        'listing.applications',
        (ids) => rowsByKeys(this.db.dataSource, ListingApplication, 'listingId', [...ids], [['submittedAt', 'ASC']]),
        (a) => a.listingId,
      )
      .load(listingId);
  }

  noticesOf(ctx: RequestContext, listingId: string): Promise<LinkageNotice[]> {
    return ctx.loaders
      .children<string, LinkageNotice>(
        'listing.linkageNotices',
        (ids) => rowsByKeys(this.db.dataSource, LinkageNotice, 'listingId', [...ids], [['issuedAt', 'ASC']]),
        (n) => n.listingId,
      )
      .load(listingId);
  }

  reviewsOf(ctx: RequestContext, applicationId: string): Promise<ListingApplicationReview[]> {
    return ctx.loaders
      .children<string, ListingApplicationReview>(
        'listing.applicationReviews',
        (ids) => rowsByKeys(this.db.dataSource, ListingApplicationReview, 'applicationId', [...ids], [['decidedAt', 'ASC']]),
        (r) => r.applicationId,
      )
      .load(applicationId);
  }

  /** The manufacturer's credit risk notice, read once for all manufacturers of a page. */
  creditRiskNoticeOf(ctx: RequestContext, manufacturerId: string): Promise<string | null> {
    return ctx.loaders
      .get<string, string>('listing.creditRiskNotice', async (ids) => {
        const notices = await this.creditChecks.riskNoticesFor(this.db.manager, ids);
        return ids.map((id) => notices.get(id) ?? null);
      })
      .load(manufacturerId);
  }

  /** The document requests of each cost investigation, oldest first; a manufacturer reads only those made to it. */
  documentRequestsOf(ctx: RequestContext, investigationId: string): Promise<CostDocumentRequest[]> {
    const user = requireUser(ctx);
    return ctx.loaders
      .children<string, CostDocumentRequest>(
        'listing.costDocumentRequests',
        (ids) =>
          this.db.manager.find(CostDocumentRequest, {
            where: user.role === 'MANUFACTURER' ? { investigationId: In([...ids]), manufacturerId: user.organisationId } : { investigationId: In([...ids]) },
            order: { requestedAt: 'ASC', id: 'ASC' },
          }),
        (r) => r.investigationId,
      )
      .load(investigationId);
  }
}
