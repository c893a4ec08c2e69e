import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import {
  validateDeviceRegistrationNumber,
  validateDrugApprovalNumber,
  validateInsuranceConsumableCode,
  validateInsuranceDrugCode,
  validateUdiDi,
} from '@libs/identity-codes';
import { Db, isUniqueViolation } from '../../platform/database/db';
import { AuditService } from '../../platform/audit/audit.service';
import { RequestContext } from '../../platform/context/request-context';
import { AppError, notFound } from '../../platform/errors/app-error';
import { requireUser } from '../../platform/auth/scope';
import { byKeys } from '../../platform/graphql/loaders';
import { PageArgs, paginate } from '../../platform/graphql/pagination';
import { CatalogErrors } from '../catalog.errors';
import { Organisation } from '../organisations/organisation.entity';
import { ConsistencyStatus, Product, ProductKind, Variety, VarietySpec } from './product.entity';
import { CreateVarietyInput, ProductFilter, RegisterConsumableInput, RegisterDrugInput } from './dto/product.inputs';
import { SqlPart } from '../../platform/database/sql-part';

/** The classification segment (11 digits after the C) of an insurance consumable code. */
export function nationalCategoryOf(insuranceCode: string | null | undefined): string | null {
  return insuranceCode && /^C\d{26}$/.test(insuranceCode) ? insuranceCode.slice(1, 12) : null;
}

function checked(result: { ok: true } | { ok: false; reason: string }, field: string): void {
  if (!result.ok) throw CatalogErrors.invalidCode(field, result.reason);
}

@Injectable()
export class ProductsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  // ---- varieties ----------------------------------------------------------------------------------------

  varieties(kind?: string | null): Promise<Variety[]> {
    return this.db.manager.find(Variety, { where: kind ? { kind: kind as ProductKind } : {}, order: { code: 'ASC' } });
  }

  async variety(id: string): Promise<Variety> {
    const variety = await this.db.manager.findOne(Variety, { where: { id } });
    if (!variety) throw notFound('Variety', 'id');
    return variety;
  }

  specsOf(ctx: RequestContext, varietyId: string): Promise<VarietySpec[]> {
    return ctx.loaders
      .get<string, VarietySpec[]>('varietySpecs', async (ids) => {
        const rows = await this.db.manager.find(VarietySpec, { where: { varietyId: In([...ids]) }, order: { comparableFactor: 'ASC' } });
        return ids.map((id) => rows.filter((r) => r.varietyId === id));
      })
      .load(varietyId) as Promise<VarietySpec[]>;
  }

  async createVariety(ctx: RequestContext, input: CreateVarietyInput): Promise<Variety> {
    const seen = new Set<string>();
    input.specs.forEach((s, i) => {
      if (seen.has(s.spec)) throw CatalogErrors.duplicateCode(`input.specs[${i}].spec`, `Spec ${s.spec}`);
      seen.add(s.spec);
      if (!/[1-9]/.test(s.comparableFactor)) throw new AppError('VALIDATION_FAILED', 'A comparable factor is positive', { field: `input.specs[${i}].comparableFactor` });
    });
    if (input.kind === 'DRUG' && !input.dosageForm) throw new AppError('VALIDATION_FAILED', 'A drug variety names its dosage form', { field: 'input.dosageForm' });
    return this.db.transaction(async (em) => {
      if (await em.findOne(Variety, { where: { code: input.code } })) throw CatalogErrors.duplicateCode('input.code', `Variety ${input.code}`);
      const variety = em.create(Variety, {
        code: input.code,
        kind: input.kind as ProductKind,
        name: input.name,
        dosageForm: input.dosageForm ?? null,
        referenceUnit: input.referenceUnit,
        highValue: input.highValue ?? false,
      });
      await em.save(variety);
      await em.insert(VarietySpec, input.specs.map((s) => ({ varietyId: variety.id, spec: s.spec, comparableFactor: s.comparableFactor })));
      await this.audit.record(em, ctx, { action: 'variety.created', entityType: 'variety', entityId: variety.id, data: { code: variety.code, specs: input.specs } });
      return variety;
    });
  }

  // ---- products -----------------------------------------------------------------------------------------

  /** Manufacturers see their own products; everyone else the whole catalogue (they order, list and bid on it). */
  async get(ctx: RequestContext, id: string): Promise<Product> {
    const product = await this.db.manager.findOne(Product, { where: { id } });
    if (!product) throw notFound('Product', 'id');
    const user = requireUser(ctx);
    if (user.role === 'MANUFACTURER' && product.manufacturerId !== user.organisationId) {
      throw new AppError('FORBIDDEN', 'This product belongs to another manufacturer');
    }
    return product;
  }

  /** For other contexts: no scope check. */
  findById(em: EntityManager, id: string): Promise<Product | null> {
    return em.findOne(Product, { where: { id } });
  }

  /** Each known product's variety (null for consumables without one); unknown ids are absent. A part of the order's read. */
  varietiesPart(input: { productIds: string }): SqlPart<Map<string, string | null>> {
    return {
      sql: `SELECT id, variety_id FROM product WHERE id = ANY(${input.productIds})`,
      read: (rows) => new Map(rows.map((r) => [r.id as string, (r.variety_id as string | null) ?? null])),
    };
  }

  load(ctx: RequestContext, id: string): Promise<Product | null> {
    return ctx.loaders
      .get<string, Product>('product', async (ids) => byKeys(ids, await this.db.manager.find(Product, { where: { id: In([...ids]) } }), (p) => p.id))
      .load(id);
  }

  list(ctx: RequestContext, filter: ProductFilter = {}, page: PageArgs = {}) {
    const user = requireUser(ctx);
    const qb = this.db.manager.createQueryBuilder(Product, 'p');
    if (user.role === 'MANUFACTURER') qb.andWhere('p.manufacturer_id = :own', { own: user.organisationId });
    if (filter.kind) qb.andWhere('p.kind = :kind', { kind: filter.kind });
    if (filter.manufacturerId) qb.andWhere('p.manufacturer_id = :manufacturerId', { manufacturerId: filter.manufacturerId });
    if (filter.varietyId) qb.andWhere('p.variety_id = :varietyId', { varietyId: filter.varietyId });
    if (filter.search) {
      const search = `%${filter.search.replace(/[%_\\]/g, '\\$&')}%`;
      qb.andWhere('(p.name ILIKE :search OR p.spec ILIKE :search OR p.approval_number ILIKE :search OR p.registration_number ILIKE :search)', { search });
    }
    return paginate(qb, page, 'name');
  }

  private async manufacturerFor(em: EntityManager, ctx: RequestContext, requested: string | null | undefined): Promise<string> {
    const user = requireUser(ctx);
    if (user.role === 'MANUFACTURER') {
      if (requested && requested !== user.organisationId) throw new AppError('FORBIDDEN', 'A manufacturer registers only its own products');
      return user.organisationId;
    }
    if (!requested) throw new AppError('VALIDATION_FAILED', 'Name the manufacturer', { field: 'input.manufacturerId' });
    const organisation = await em.findOne(Organisation, { where: { id: requested } });
    if (!organisation || organisation.kind !== 'MANUFACTURER') {
      throw new AppError('VALIDATION_FAILED', 'Not a manufacturer', { field: 'input.manufacturerId' });
    }
    return organisation.id;
  }

  private async specLink(em: EntityManager, varietySpecId: string | null | undefined, kind: ProductKind) {
    if (!varietySpecId) return { varietyId: null, varietySpecId: null };
    const spec = await em.findOne(VarietySpec, { where: { id: varietySpecId } });
    const variety = spec && (await em.findOne(Variety, { where: { id: spec.varietyId } }));
    if (!spec || !variety || variety.kind !== kind) {
      throw new AppError('VALIDATION_FAILED', `Not a spec of a ${kind.toLowerCase()} variety`, { field: 'input.varietySpecId' });
    }
    return { varietyId: variety.id, varietySpecId: spec.id };
  }

  private async insertProduct(em: EntityManager, ctx: RequestContext, product: Product): Promise<Product> {
    try {
      await em.save(product);
    } catch (error) {
      if (isUniqueViolation(error)) throw CatalogErrors.duplicateCode('input.approvalNumber', 'A product with this approval number');
      throw error;
    }
    await this.audit.record(em, ctx, {
      action: 'product.registered',
      entityType: 'product',
      entityId: product.id,
      data: { kind: product.kind, productClass: product.productClass, name: product.name, spec: product.spec, manufacturerId: product.manufacturerId },
    });
    return product;
  }

  async registerDrug(ctx: RequestContext, input: RegisterDrugInput): Promise<Product> {
    checked(validateDrugApprovalNumber(input.approvalNumber), 'input.approvalNumber');
    if (input.insuranceCode) checked(validateInsuranceDrugCode(input.insuranceCode), 'input.insuranceCode');
    return this.db.transaction(async (em) => {
      const manufacturerId = await this.manufacturerFor(em, ctx, input.manufacturerId);
      const link = await this.specLink(em, input.varietySpecId, 'DRUG');
      if (await em.findOne(Product, { where: { approvalNumber: input.approvalNumber } })) {
        throw CatalogErrors.duplicateCode('input.approvalNumber', 'A product with this approval number');
      }
      const product = em.create(Product, {
        kind: 'DRUG',
        manufacturerId,
        ...link,
        name: input.genericName,
        spec: input.spec,
        dosageForm: input.dosageForm,
        unitsPerPack: input.unitsPerPack,
        approvalNumber: input.approvalNumber,
        consistencyStatus: input.consistencyStatus as ConsistencyStatus,
        insuranceCode: input.insuranceCode ?? null,
        certificateExpiresOn: input.certificateExpiresOn ?? null,
        productClass: input.decoctionPiece ? 'TCM_DECOCTION_PIECE' : 'DRUG',
        nationalCategoryCode: null,
        category: null,
        registrationNumber: null,
        udiDi: null,
        externalKey: null,
      });
      return this.insertProduct(em, ctx, product);
    });
  }

  async registerConsumable(ctx: RequestContext, input: RegisterConsumableInput): Promise<Product> {
    checked(validateDeviceRegistrationNumber(input.registrationNumber), 'input.registrationNumber');
    if (input.udiDi) checked(validateUdiDi(input.udiDi), 'input.udiDi');
    if (input.insuranceCode) checked(validateInsuranceConsumableCode(input.insuranceCode), 'input.insuranceCode');
    return this.db.transaction(async (em) => {
      const manufacturerId = await this.manufacturerFor(em, ctx, input.manufacturerId);
      const link = await this.specLink(em, input.varietySpecId, 'CONSUMABLE');
      const varietyHighValue = link.varietyId ? (await em.findOne(Variety, { where: { id: link.varietyId } }))?.highValue ?? false : false;
      const product = em.create(Product, {
        kind: 'CONSUMABLE',
        manufacturerId,
        ...link,
        name: input.productName,
        spec: input.modelSpec,
        category: input.category,
        productClass: (input.highValue ?? varietyHighValue) ? 'HIGH_VALUE_CONSUMABLE' : 'LOW_VALUE_CONSUMABLE',
        nationalCategoryCode: input.nationalCategoryCode ?? nationalCategoryOf(input.insuranceCode),
        registrationNumber: input.registrationNumber,
        udiDi: input.udiDi ?? null,
        insuranceCode: input.insuranceCode ?? null,
        certificateExpiresOn: input.certificateExpiresOn ?? null,
        dosageForm: null,
        unitsPerPack: null,
        approvalNumber: null,
        consistencyStatus: null,
        externalKey: null,
      });
      return this.insertProduct(em, ctx, product);
    });
  }
}
