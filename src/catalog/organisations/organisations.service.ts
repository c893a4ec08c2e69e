import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { normalizeUnifiedSocialCreditCode, validateUnifiedSocialCreditCode } from '@libs/identity-codes';
import { Db, isUniqueViolation } from '../../platform/database/db';
import { AuditService } from '../../platform/audit/audit.service';
import { RequestContext } from '../../platform/context/request-context';
import { AppError, notFound } from '../../platform/errors/app-error';
import { pathWithin, pathWithinSql, scopeOf } from '../../platform/auth/scope';
import { byKeys } from '../../platform/graphql/loaders';
import { PageArgs, paginate } from '../../platform/graphql/pagination';
import { CatalogErrors } from '../catalog.errors';
import { Region } from '../regions/region.entity';
import { HospitalLevel, Organisation, OrganisationKind } from './organisation.entity';
import { validateOrganisationCode } from './organisation-code';
import { CreateOrganisationInput, OrganisationFilter, UpdateOrganisationInput } from './dto/organisation.inputs';

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  private async regionPath(organisation: Organisation): Promise<string> {
    const region = await this.db.manager.findOne(Region, { where: { code: organisation.regionCode } });
    return region?.path ?? organisation.regionCode;
  }

  /** An organisation the caller may see, or FORBIDDEN; NOT_FOUND when there is none. */
  async get(ctx: RequestContext, id: string): Promise<Organisation> {
    const organisation = await this.db.manager.findOne(Organisation, { where: { id } });
    if (!organisation) throw notFound('Organisation', 'id');
    const scope = scopeOf(ctx);
    const visible =
      scope.kind === 'all' ||
      (scope.kind === 'own' && scope.organisationId === id) ||
      (scope.kind === 'region' && pathWithin(await this.regionPath(organisation), scope.pathPrefix));
    if (!visible) throw new AppError('FORBIDDEN', 'This organisation is outside your scope');
    return organisation;
  }

  /**
   * The organisation with this public code, whoever asks: a code is public (a credit code or a region code),
   * so knowing it is enough to learn the organisation's id — e.g. a hospital finding a distributor to order
   * from, a regulator finding a manufacturer. NOT_FOUND when no organisation has it.
   */
  async getByCode(code: string): Promise<Organisation> {
    const organisation = await this.db.manager.findOne(Organisation, { where: { code: normalizeUnifiedSocialCreditCode(code) } });
    if (!organisation) throw notFound('Organisation', 'code');
    return organisation;
  }

  /** For internal use by other contexts: no scope check. */
  findById(id: string): Promise<Organisation | null> {
    return this.db.manager.findOne(Organisation, { where: { id } });
  }

  load(ctx: RequestContext, id: string): Promise<Organisation | null> {
    return ctx.loaders
      .get<string, Organisation>('organisation', async (ids) => byKeys(ids, await this.db.manager.find(Organisation, { where: { id: In([...ids]) } }), (o) => o.id))
      .load(id);
  }

  list(ctx: RequestContext, filter: OrganisationFilter = {}, page: PageArgs = {}) {
    const qb = this.db.manager.createQueryBuilder(Organisation, 'o').innerJoin(Region, 'r', 'r.code = o.region_code');
    const scope = scopeOf(ctx);
    if (scope.kind === 'own') qb.andWhere('o.id = :own', { own: scope.organisationId });
    if (scope.kind === 'region') qb.andWhere(...pathWithinSql('r.path', scope.pathPrefix));
    if (filter.kind) qb.andWhere('o.kind = :kind', { kind: filter.kind });
    if (filter.code) qb.andWhere('o.code = :code', { code: normalizeUnifiedSocialCreditCode(filter.code) });
    if (filter.regionCode) {
      qb.andWhere(`('/' || r.path || '/') LIKE '%/' || :regionCode || '/%'`, { regionCode: filter.regionCode });
    }
    if (filter.search) qb.andWhere('o.name ILIKE :search', { search: `%${filter.search.replace(/[%_\\]/g, '\\$&')}%` });
    return paginate(qb, page, 'name');
  }

  async create(ctx: RequestContext, input: CreateOrganisationInput): Promise<Organisation> {
    const code = normalizeUnifiedSocialCreditCode(input.code);
    const codeCheck = validateOrganisationCode(input.kind, input.regionCode, code);
    if (!codeCheck.ok) throw CatalogErrors.invalidCode('input.code', codeCheck.reason);
    // a regulator's code is its region code, so its credit code comes separately; for others it is the code
    const creditCode = input.creditCode ? normalizeUnifiedSocialCreditCode(input.creditCode) : input.kind === 'REGULATOR' ? null : code;
    if (!creditCode) throw new AppError('VALIDATION_FAILED', 'A regulator needs its unified social credit code as well', { field: 'input.creditCode' });
    const check = validateUnifiedSocialCreditCode(creditCode);
    if (!check.ok) throw CatalogErrors.invalidCode('input.creditCode', check.reason);
    if (input.kind !== 'REGULATOR' && creditCode !== code) {
      throw new AppError('VALIDATION_FAILED', 'The code of this organisation is its unified social credit code; give one or make them equal', { field: 'input.creditCode' });
    }
    if (input.kind === 'HOSPITAL' && !input.hospitalLevel) {
      throw new AppError('VALIDATION_FAILED', 'A hospital needs its level', { field: 'input.hospitalLevel' });
    }
    if (input.kind !== 'HOSPITAL' && input.hospitalLevel) {
      throw new AppError('VALIDATION_FAILED', 'Only hospitals have a level', { field: 'input.hospitalLevel' });
    }
    return this.db.transaction(async (em) => {
      if (!(await em.findOne(Region, { where: { code: input.regionCode } }))) {
        throw new AppError('VALIDATION_FAILED', `Unknown region ${input.regionCode}`, { field: 'input.regionCode' });
      }
      if (await em.findOne(Organisation, { where: { code } })) throw CatalogErrors.duplicateCode('input.code', `An organisation with code ${code}`);
      if (await em.findOne(Organisation, { where: { creditCode } })) throw CatalogErrors.duplicateCreditCode();
      const organisation = em.create(Organisation, {
        code,
        creditCode,
        name: input.name.trim(),
        kind: input.kind as OrganisationKind,
        regionCode: input.regionCode,
        hospitalLevel: (input.hospitalLevel ?? null) as HospitalLevel | null,
        externalKey: null,
        active: true,
      });
      try {
        await em.save(organisation);
      } catch (error) {
        if (isUniqueViolation(error)) {
          if ((error as { driverError?: { constraint?: string } }).driverError?.constraint === 'UQ_organisation_code') throw CatalogErrors.duplicateCode('input.code', `An organisation with code ${code}`);
          throw CatalogErrors.duplicateCreditCode();
        }
        throw error;
      }
      await this.audit.record(em, ctx, {
        action: 'organisation.created',
        entityType: 'organisation',
        entityId: organisation.id,
        data: { code, creditCode, name: organisation.name, kind: organisation.kind, regionCode: organisation.regionCode },
      });
      return organisation;
    });
  }

  async update(ctx: RequestContext, id: string, input: UpdateOrganisationInput): Promise<Organisation> {
    return this.db.transaction(async (em) => {
      const organisation = await em.findOne(Organisation, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!organisation) throw notFound('Organisation', 'id');
      if (input.hospitalLevel && organisation.kind !== 'HOSPITAL') {
        throw new AppError('VALIDATION_FAILED', 'Only hospitals have a level', { field: 'input.hospitalLevel' });
      }
      const changes: Partial<Organisation> = {};
      if (input.name != null) changes.name = input.name.trim();
      if (input.hospitalLevel != null) changes.hospitalLevel = input.hospitalLevel as HospitalLevel;
      if (input.active != null) changes.active = input.active;
      Object.assign(organisation, changes);
      await em.save(organisation);
      await this.audit.record(em, ctx, { action: 'organisation.updated', entityType: 'organisation', entityId: id, data: changes });
      return organisation;
    });
  }
}
