import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CN_CALENDAR_2025_2027, WorkingDayCalendar } from '@libs/calendar';
import { DEFAULT_LISTING_POLICY, needsLinkageCut } from '@libs/price-rules';
import { compareUnitPrices } from '@libs/money';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext, systemContext } from '../platform/context/request-context';
import { Page, PageArgs, paginate } from '../platform/graphql/pagination';
import { JobsService } from '../platform/jobs/jobs.service';
import { Listing } from './listing.entity';
import { LinkageNotice, ReferencePrice } from './reference-price.entity';
import { ListingService } from './listing.service';

export const LINKAGE_DEADLINE_JOB = 'listing.linkage-deadlines';

/**
 * 价格联动: a lower four-same price in another province gives affected listings a notice with a deadline in
 * working days (holidays and 调休 counted by the calendar); the deadline job suspends those not cut by then.
 */
@Injectable()
export class LinkageService implements OnModuleInit {
  private readonly calendar = new WorkingDayCalendar(CN_CALENDAR_2025_2027);

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly jobs: JobsService,
    private readonly listings: ListingService,
  ) {}

  onModuleInit() {
    // Deadlines fall at 00:00 Shanghai; a run a few minutes after midnight (and hourly, to catch up) acts on them.
    this.jobs.register(LINKAGE_DEADLINE_JOB, async () => {
      await this.suspendOverdue(systemContext('linkage-deadlines'));
    }, { cron: '5 * * * *' });
  }

  /** Notices for listings of the same four-same product priced above the new reference; returns how many. */
  async issueFor(em: EntityManager, ctx: RequestContext, reference: ReferencePrice): Promise<number> {
    const policy = DEFAULT_LISTING_POLICY;
    const region = await this.listings.homeProvince(em);
    if (reference.provinceCode === region) return 0;
    const affected: Listing[] = await em
      .createQueryBuilder(Listing, 'l')
      .innerJoin('product', 'p', 'p.id = l.product_id')
      .where(`l.state = 'LISTED' AND l.region_code = :region`, { region })
      .andWhere(`p.name = :name AND p.manufacturer_id = :m AND coalesce(p.dosage_form, '') = coalesce(:form, '') AND p.spec = :spec`, {
        name: reference.genericName,
        m: reference.manufacturerId,
        form: reference.dosageForm,
        spec: reference.spec,
      })
      .orderBy('l.id')
      .setLock('pessimistic_write', undefined, ['l'])
      .getMany();
    const now = this.clock.now();
    let issued = 0;
    for (const listing of affected) {
      if (!needsLinkageCut(listing.unitPrice, reference.unitPrice)) continue;
      const open = await em.findOne(LinkageNotice, { where: { listingId: listing.id, state: 'OPEN' } });
      if (open) {
        // an even lower price tightens the target; the deadline already running stays
        if (compareUnitPrices(reference.unitPrice, open.referenceUnitPrice) < 0) {
          await em.update(LinkageNotice, { id: open.id }, { referenceUnitPrice: reference.unitPrice, referencePriceId: reference.id });
          await this.audit.record(em, ctx, { action: 'listing.linkage-tightened', entityType: 'linkage_notice', entityId: open.id, data: { referencePriceId: reference.id, referenceUnitPrice: reference.unitPrice } });
        }
        continue;
      }
      const notice = em.create(LinkageNotice, {
        listingId: listing.id,
        manufacturerId: listing.manufacturerId,
        referencePriceId: reference.id,
        referenceUnitPrice: reference.unitPrice,
        listingUnitPrice: listing.unitPrice,
        issuedAt: now,
        deadlineAt: this.calendar.addWorkingDays(now, policy.linkageCutWorkingDays),
        workingDays: policy.linkageCutWorkingDays,
        calendarVersion: this.calendar.version,
        policyVersion: policy.version,
        state: 'OPEN',
        resolvedAt: null,
      });
      await em.save(notice);
      await this.audit.record(em, ctx, {
        action: 'listing.linkage-notice-issued',
        entityType: 'linkage_notice',
        entityId: notice.id,
        data: { listingId: listing.id, referencePriceId: reference.id, referenceUnitPrice: reference.unitPrice, listingUnitPrice: listing.unitPrice, deadlineAt: notice.deadlineAt.toISOString(), calendarVersion: notice.calendarVersion },
      });
      issued++;
    }
    return issued;
  }

  /** Suspends listings whose notice deadline has passed without a cut; one short transaction per notice. */
  async suspendOverdue(ctx: RequestContext): Promise<number> {
    const due: { id: string; listing_id: string; product_id: string }[] = await this.db.manager.query(
      `SELECT n.id, n.listing_id, l.product_id FROM linkage_notice n JOIN listing l ON l.id = n.listing_id
        WHERE n.state = 'OPEN' AND n.deadline_at <= $1 ORDER BY n.deadline_at, n.id`,
      [this.clock.now()],
    );
    let suspended = 0;
    for (const row of due) {
      await this.db.transaction(async (em) => {
        await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`listing:${row.product_id}`]);
        const listing = await em.createQueryBuilder(Listing, 'l').setLock('pessimistic_write').where('l.id = :id', { id: row.listing_id }).getOneOrFail();
        const notice = await em.findOneOrFail(LinkageNotice, { where: { id: row.id } });
        if (notice.state !== 'OPEN') return;
        const now = this.clock.now();
        if (!needsLinkageCut(listing.unitPrice, notice.referenceUnitPrice)) {
          await em.update(LinkageNotice, { id: notice.id }, { state: 'CUT', resolvedAt: now });
          return;
        }
        if (listing.state === 'LISTED') {
          await this.listings.changeListing(em, ctx, listing, { state: 'SUSPENDED', suspensionReason: 'LINKAGE', reason: `linkage notice ${notice.id}: not cut to ${notice.referenceUnitPrice} by the deadline` });
          suspended++;
        }
        await em.update(LinkageNotice, { id: notice.id }, { state: 'SUSPENDED', resolvedAt: now });
        await this.audit.record(em, ctx, { action: 'listing.linkage-deadline-passed', entityType: 'linkage_notice', entityId: notice.id, data: { listingId: listing.id, listingState: listing.state } });
      });
    }
    return suspended;
  }

  notices(ctx: RequestContext, state: string | null | undefined, page: PageArgs = {}): Promise<Page<LinkageNotice>> {
    const user = ctx.user!;
    const qb = this.db.manager.createQueryBuilder(LinkageNotice, 'n');
    if (user.role === 'MANUFACTURER') qb.andWhere('n.manufacturer_id = :own', { own: user.organisationId });
    if (state) qb.andWhere('n.state = :state', { state });
    return paginate(qb, page, 'issued_at');
  }
}
