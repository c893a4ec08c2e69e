import { Injectable } from '@nestjs/common';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { RequestContext } from '../platform/context/request-context';
import { AppError } from '../platform/errors/app-error';
import { requireUser, scopeOf } from '../platform/auth/scope';
import { Organisation } from '../catalog/organisations/organisation.entity';
import { Region } from '../catalog/regions/region.entity';
import { DistributorAppointment } from './distributor-appointment.entity';
import { OrdersErrors } from './orders.errors';
import { AppointDistributorInput } from './dto/order.inputs';
import { SqlPart } from '../platform/database/sql-part';

/** Distributor appointments (配送关系) and the routing of orders to them. */
@Injectable()
export class DistributorsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  /**
   * Per manufacturer, the distributor it has appointed for the hospital's region at `at`: the most specific
   * region wins (a county appointment over the city's), then the latest start. A part of the order's read.
   */
  appointedPart(input: { manufacturerIds: string; hospitalRegionPath: string; at: string }): SqlPart<Map<string, string>> {
    const { manufacturerIds, hospitalRegionPath, at } = input;
    return {
      sql: `SELECT DISTINCT ON (a.manufacturer_id) a.manufacturer_id, a.distributor_id FROM distributor_appointment a JOIN region r ON r.code = a.region_code
        WHERE a.manufacturer_id = ANY(${manufacturerIds}) AND (${hospitalRegionPath} = r.path OR ${hospitalRegionPath} LIKE r.path || '/%')
          AND a.starts_at <= ${at} AND (a.ends_at IS NULL OR a.ends_at > ${at})
        ORDER BY a.manufacturer_id, length(r.path) DESC, a.starts_at DESC`,
      read: (rows) => new Map(rows.map((r) => [String(r.manufacturer_id), String(r.distributor_id)])),
    };
  }

  list(ctx: RequestContext): Promise<DistributorAppointment[]> {
    const user = requireUser(ctx);
    const qb = this.db.manager.createQueryBuilder(DistributorAppointment, 'a').orderBy('a.starts_at', 'ASC');
    const scope = scopeOf(ctx);
    if (scope.kind === 'own') {
      if (user.role === 'MANUFACTURER') qb.andWhere('a.manufacturer_id = :own', { own: user.organisationId });
      else if (user.role === 'DISTRIBUTOR') qb.andWhere('a.distributor_id = :own', { own: user.organisationId });
      // hospitals see who delivers to their region
      else qb.andWhere(`a.region_code IN (SELECT code FROM region WHERE :path = path OR :path LIKE path || '/%')`, { path: user.regionPath });
    }
    return qb.getMany();
  }

  async appoint(ctx: RequestContext, input: AppointDistributorInput): Promise<DistributorAppointment> {
    const user = requireUser(ctx);
    if (input.endsAt && input.endsAt <= input.startsAt) throw new AppError('VALIDATION_FAILED', 'An appointment ends after it starts', { field: 'input.endsAt' });
    return this.db.transaction(async (em) => {
      let manufacturerId = user.organisationId;
      if (user.role !== 'MANUFACTURER') {
        if (!input.manufacturerId) throw new AppError('VALIDATION_FAILED', 'Name the manufacturer', { field: 'input.manufacturerId' });
        manufacturerId = input.manufacturerId;
      } else if (input.manufacturerId && input.manufacturerId !== user.organisationId) {
        throw new AppError('FORBIDDEN', 'A manufacturer appoints distributors for itself only');
      }
      const manufacturer = await em.findOne(Organisation, { where: { id: manufacturerId } });
      if (!manufacturer || manufacturer.kind !== 'MANUFACTURER') throw new AppError('VALIDATION_FAILED', 'Not a manufacturer', { field: 'input.manufacturerId' });
      const distributor = await em.findOne(Organisation, { where: { id: input.distributorId } });
      if (!distributor || distributor.kind !== 'DISTRIBUTOR' || !distributor.active) throw new AppError('VALIDATION_FAILED', 'Not an active distributor', { field: 'input.distributorId' });
      if (!(await em.exists(Region, { where: { code: input.regionCode } }))) throw new AppError('VALIDATION_FAILED', 'Unknown region', { field: 'input.regionCode' });
      // one appointment per manufacturer, region and instant: serialise appointers of the same pair
      await em.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`appointment|${manufacturerId}|${input.regionCode}`]);
      const overlapping = await em.query<unknown[]>(
        `SELECT 1 FROM distributor_appointment WHERE manufacturer_id = $1 AND region_code = $2
            AND starts_at < COALESCE($4::timestamptz, 'infinity') AND COALESCE(ends_at, 'infinity') > $3 LIMIT 1`,
        [manufacturerId, input.regionCode, input.startsAt, input.endsAt ?? null],
      );
      if (overlapping.length) throw OrdersErrors.appointmentOverlaps();
      const appointment = em.create(DistributorAppointment, {
        manufacturerId,
        distributorId: distributor.id,
        regionCode: input.regionCode,
        startsAt: input.startsAt,
        endsAt: input.endsAt ?? null,
      });
      await em.insert(DistributorAppointment, appointment);
      await this.audit.record(em, ctx, {
        action: 'distributor.appointed',
        entityType: 'distributor_appointment',
        entityId: appointment.id,
        data: { manufacturerId, distributorId: distributor.id, regionCode: input.regionCode, startsAt: input.startsAt.toISOString(), endsAt: input.endsAt?.toISOString() ?? null },
      });
      return appointment;
    });
  }
}
