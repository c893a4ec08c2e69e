import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { parentRegionCode, regionLevelOf } from '@libs/identity-codes';
import { APP_CONFIG, AppConfig } from '../../platform/config/app-config';
import { Db } from '../../platform/database/db';
import { withStartupLock } from '../../platform/database/migrate';
import { AuditService } from '../../platform/audit/audit.service';
import { hashPassword } from '../../platform/auth/password';
import { RequestContext, systemContext } from '../../platform/context/request-context';
import { logger } from '../../platform/logging/logger';
import { Region } from '../regions/region.entity';
import { Organisation } from '../organisations/organisation.entity';
import { organisationCodeOf } from '../organisations/organisation-code';
import { User } from '../users/user.entity';
import { Product, Variety, VarietySpec } from '../products/product.entity';
import { UsersService } from '../users/users.service';
import { DEMO_ORGANISATIONS, DEMO_PASSWORD, DEMO_PRODUCTS, DEMO_REGIONS, DEMO_USERS, DEMO_VARIETIES } from './demo-data';

/** The platform agency's own organisation, home of the first admin. */
const PLATFORM_ORG_KEY = 'platform-agency';

export interface SeedReport {
  regions: number;
  organisations: number;
  users: number;
  varieties: number;
  products: number;
}

/**
 * Start-up data. `ensureBase` always runs: the region tree, the platform agency and the admin from
 * ADMIN_USERNAME / ADMIN_PASSWORD. `seedDemo` adds the Henan demo; every insert is keyed by a stable natural
 * key and skips what exists, so seeding twice changes nothing.
 */
@Injectable()
export class SeedService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly users: UsersService,
  ) {}

  async ensureBase(): Promise<boolean> {
    const ctx = systemContext('seed');
    return withStartupLock(this.db.dataSource, () =>
      this.db.transaction(async (em) => {
        // the GB/T 2260 region tree is reference data every installation needs, demo or not
        await this.insertRegions(em);
        const platform = DEMO_ORGANISATIONS.find((o) => o.key === PLATFORM_ORG_KEY) ?? DEMO_ORGANISATIONS.find((o) => o.kind === 'PLATFORM')!;
        await this.insertOrganisations(em, ctx, [platform]);
        const org = await em.findOneOrFail(Organisation, { where: { externalKey: platform.key } });
        return this.users.ensureUser(em, ctx, {
          username: this.config.adminUsername,
          displayName: '平台管理员',
          password: this.config.adminPassword,
          role: 'PLATFORM_ADMIN',
          organisationId: org.id,
        });
      }),
    );
  }

  async seedDemo(): Promise<SeedReport> {
    const ctx = systemContext('seed');
    return withStartupLock(this.db.dataSource, () =>
      this.db.transaction(async (em) => {
        const report: SeedReport = { regions: 0, organisations: 0, users: 0, varieties: 0, products: 0 };
        report.regions = await this.insertRegions(em);
        report.organisations = await this.insertOrganisations(em, ctx, DEMO_ORGANISATIONS);
        report.users = await this.insertUsers(em, ctx);
        report.varieties = await this.insertVarieties(em, ctx);
        report.products = await this.insertProducts(em, ctx);
        if (Object.values(report).some((n) => n > 0)) {
          await this.audit.record(em, ctx, { action: 'demo.seeded', entityType: 'platform', entityId: 'demo', data: { ...report } });
        }
        return report;
      }),
    );
  }

  private async insertRegions(em: EntityManager): Promise<number> {
    const byCode = new Map(DEMO_REGIONS.map((r) => [r.code, r]));
    const pathOf = (code: string): string => {
      const parent = byCode.get(code)?.parentCode ?? parentRegionCode(code);
      return parent && byCode.has(parent) ? `${pathOf(parent)}/${code}` : code;
    };
    const rows = DEMO_REGIONS.map((r) => ({
      code: r.code,
      name: r.name,
      parentCode: r.parentCode,
      level: r.parentCode === null ? 'PROVINCE' : regionLevelOf(r.code) === 'PROVINCE' ? 'CITY' : regionLevelOf(r.code),
      path: pathOf(r.code),
    })).sort((a, b) => a.path.split('/').length - b.path.split('/').length);
    const before = await em.count(Region);
    for (const row of rows) await em.createQueryBuilder().insert().into(Region).values(row).orIgnore().execute();
    return (await em.count(Region)) - before;
  }

  private async insertOrganisations(em: EntityManager, ctx: RequestContext, organisations: typeof DEMO_ORGANISATIONS): Promise<number> {
    let inserted = 0;
    for (const o of organisations) {
      if (await em.findOne(Organisation, { where: { externalKey: o.key } })) continue;
      const organisation = em.create(Organisation, {
        code: organisationCodeOf(o),
        creditCode: o.creditCode,
        name: o.name,
        kind: o.kind,
        regionCode: o.regionCode,
        hospitalLevel: o.hospitalLevel ?? null,
        externalKey: o.key,
        active: true,
      });
      await em.save(organisation);
      await this.audit.record(em, ctx, { action: 'organisation.created', entityType: 'organisation', entityId: organisation.id, data: { code: organisation.code, creditCode: o.creditCode, name: o.name, kind: o.kind } });
      inserted++;
    }
    return inserted;
  }

  private async insertUsers(em: EntityManager, ctx: RequestContext): Promise<number> {
    const existing = new Set((await em.find(User, { select: { username: true } })).map((u) => u.username));
    const missing = DEMO_USERS.filter((u) => !existing.has(u.username));
    if (!missing.length) return 0;
    // one hash per demo user, computed in parallel on the libuv pool: seeding stays a few seconds
    const hashes = await Promise.all(missing.map(() => hashPassword(DEMO_PASSWORD)));
    const organisations = new Map((await em.find(Organisation)).map((o) => [o.externalKey, o]));
    for (const [i, u] of missing.entries()) {
      const organisation = organisations.get(u.orgKey);
      if (!organisation) continue;
      const user = em.create(User, { username: u.username, displayName: u.displayName, passwordHash: hashes[i], role: u.role, organisationId: organisation.id, active: true });
      await em.save(user);
      await this.audit.record(em, ctx, { action: 'user.created', entityType: 'user', entityId: user.id, data: { username: u.username, role: u.role } });
    }
    return missing.length;
  }

  private async insertVarieties(em: EntityManager, ctx: RequestContext): Promise<number> {
    let inserted = 0;
    for (const v of DEMO_VARIETIES) {
      const code = v.key.toUpperCase();
      if (await em.findOne(Variety, { where: { code } })) continue;
      const variety = em.create(Variety, {
        code,
        kind: v.kind,
        name: v.kind === 'DRUG' ? v.genericName : (v.category ?? v.genericName),
        dosageForm: v.dosageForm ?? null,
        referenceUnit: v.referenceUnit,
        highValue: v.kind === 'CONSUMABLE' && v.highValue !== false,
      });
      await em.save(variety);
      await em.insert(VarietySpec, v.specs.map((s) => ({ varietyId: variety.id, spec: s.spec, comparableFactor: s.comparableFactor })));
      await this.audit.record(em, ctx, { action: 'variety.created', entityType: 'variety', entityId: variety.id, data: { code } });
      inserted++;
    }
    return inserted;
  }

  private async insertProducts(em: EntityManager, ctx: RequestContext): Promise<number> {
    const organisations = new Map((await em.find(Organisation)).map((o) => [o.externalKey, o]));
    const varieties = new Map((await em.find(Variety)).map((v) => [v.code, v]));
    const specs = await em.find(VarietySpec);
    let inserted = 0;
    for (const p of DEMO_PRODUCTS) {
      if (await em.findOne(Product, { where: { externalKey: p.key } })) continue;
      const manufacturer = organisations.get(p.manufacturerKey);
      const variety = varieties.get(p.varietyKey.toUpperCase());
      if (!manufacturer) {
        logger.warn({ product: p.key }, 'demo product names an unknown manufacturer; skipped');
        continue;
      }
      const specName = p.kind === 'DRUG' ? p.spec : p.varietySpec;
      const spec = variety ? specs.find((s) => s.varietyId === variety.id && s.spec === specName) : undefined;
      const common = { manufacturerId: manufacturer.id, varietyId: variety?.id ?? null, varietySpecId: spec?.id ?? null, insuranceCode: p.insuranceCode, externalKey: p.key, certificateExpiresOn: null, productClass: p.productClass };
      const product =
        p.kind === 'DRUG'
          ? em.create(Product, { ...common, kind: 'DRUG', name: p.genericName, spec: p.spec, dosageForm: p.dosageForm, unitsPerPack: p.unitsPerPack, approvalNumber: p.approvalNumber, consistencyStatus: p.consistencyStatus, category: null, registrationNumber: null, udiDi: null, nationalCategoryCode: null })
          : em.create(Product, { ...common, kind: 'CONSUMABLE', name: p.productName, spec: p.modelSpec, category: p.category, registrationNumber: p.registrationNumber, udiDi: p.udiDi, nationalCategoryCode: p.nationalCategoryCode, dosageForm: null, unitsPerPack: null, approvalNumber: null, consistencyStatus: null });
      await em.save(product);
      await this.audit.record(em, ctx, { action: 'product.registered', entityType: 'product', entityId: product.id, data: { key: p.key, name: product.name, spec: product.spec } });
      inserted++;
    }
    return inserted;
  }
}
