import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { parentRegionCode, regionLevelOf, validateRegionCode } from '@libs/identity-codes';
import { Db } from '../../platform/database/db';
import { AuditService } from '../../platform/audit/audit.service';
import { RequestContext } from '../../platform/context/request-context';
import { AppError, notFound } from '../../platform/errors/app-error';
import { byKeys } from '../../platform/graphql/loaders';
import { CatalogErrors } from '../catalog.errors';
import { Region } from './region.entity';

@Injectable()
export class RegionsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  /** Regions are public master data: every caller may read the tree. */
  children(parentCode: string | null): Promise<Region[]> {
    const qb = this.db.manager.createQueryBuilder(Region, 'r').orderBy('r.code');
    return (parentCode ? qb.where('r.parent_code = :parentCode', { parentCode }) : qb.where('r.parent_code IS NULL')).getMany();
  }

  async get(code: string): Promise<Region> {
    const region = await this.db.manager.findOne(Region, { where: { code } });
    if (!region) throw notFound(`Region ${code}`, 'code');
    return region;
  }

  load(ctx: RequestContext, code: string): Promise<Region | null> {
    return ctx.loaders
      .get<string, Region>('region', async (codes) => byKeys(codes, await this.db.manager.find(Region, { where: { code: In([...codes]) } }), (r) => r.code))
      .load(code);
  }

  /** The region and its ancestors' path, for storing with records that are scoped by region. */
  async pathOf(em: EntityManager, code: string, field: string): Promise<string> {
    const region = await em.findOne(Region, { where: { code } });
    if (!region) throw new AppError('VALIDATION_FAILED', `Unknown region ${code}`, { field });
    return region.path;
  }

  async create(ctx: RequestContext, input: { code: string; name: string }): Promise<Region> {
    const check = validateRegionCode(input.code);
    if (!check.ok) throw CatalogErrors.invalidCode('input.code', check.reason);
    return this.db.transaction(async (em) => {
      if (await em.findOne(Region, { where: { code: input.code } })) throw CatalogErrors.duplicateCode('input.code', `Region ${input.code}`);
      const parentCode = parentRegionCode(input.code);
      let path = input.code;
      if (parentCode) {
        const parent = await em.findOne(Region, { where: { code: parentCode } });
        if (!parent) throw new AppError('VALIDATION_FAILED', `Parent region ${parentCode} does not exist yet`, { field: 'input.code' });
        path = `${parent.path}/${input.code}`;
      }
      const region = em.create(Region, { code: input.code, name: input.name, parentCode, level: regionLevelOf(input.code), path });
      await em.insert(Region, region);
      await this.audit.record(em, ctx, { action: 'region.created', entityType: 'region', entityId: region.code, data: { name: region.name } });
      return region;
    });
  }
}
