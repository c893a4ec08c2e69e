import { Args, Field, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Roles } from '../platform/auth/roles.decorator';
import { ReadPolicy } from '../platform/auth/read-policy';
import { Ctx } from '../platform/auth/current-context.decorator';
import { RequestContext } from '../platform/context/request-context';
import { ExportFile } from '../platform/export/tabular-file';
import { ClaimsService } from './claims.service';
import { ImportInsuranceClaimsInput, InsuranceClaimImportFilter } from './dto/claims.inputs';
import { KpiScopeInput } from './dto/kpi.inputs';
import { InsuranceClaimImport } from './insurance-claim.entity';
import { KpiTarget } from './kpi-target.entity';
import { KpiReport, KpisService } from './kpis.service';

@ReadPolicy({ roles: ['REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN'], note: 'importInsuranceClaims result' })
@ObjectType('InsuranceClaimsImportResult')
export class InsuranceClaimsImportResult {
  @Field(() => [InsuranceClaimImport], { description: 'Each hospital-month of the file, as now stored' })
  imports: InsuranceClaimImport[];

  @Field(() => Int)
  lineCount: number;

  @Field(() => Int, { description: 'Hospital-months whose lines were already exactly these (nothing changed)' })
  unchanged: number;
}

@Resolver()
export class KpisResolver {
  constructor(
    private readonly kpiService: KpisService,
    private readonly claims: ClaimsService,
  ) {}

  @Roles('REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN')
  @Query(() => KpiReport, { description: 'The procurement KPIs of a province, city or hospital for a month (YYYY-MM) and the year to date, against their targets; the settlement office sees the payment KPI only' })
  kpis(@Ctx() ctx: RequestContext, @Args('period', { type: () => String, nullable: true, description: 'YYYY-MM; default: the last complete month' }) period: string | null | undefined, @Args('scope', { type: () => KpiScopeInput, nullable: true }) scope?: KpiScopeInput | null) {
    return this.kpiService.report(ctx, scope, period);
  }

  @Roles('REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN')
  @Query(() => ExportFile, { description: 'The monthly KPI report as an XLSX workbook (base64)' })
  kpiMonthlyReport(@Ctx() ctx: RequestContext, @Args('period', { type: () => String, nullable: true, description: 'YYYY-MM; default: the last complete month' }) period: string | null | undefined, @Args('scope', { type: () => KpiScopeInput, nullable: true }) scope?: KpiScopeInput | null) {
    return this.kpiService.export(ctx, scope, period);
  }

  @Roles('REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN')
  @Query(() => [KpiTarget], { description: 'Every version of every KPI target, newest first per KPI' })
  kpiTargets() {
    return this.kpiService.targets();
  }

  @Roles('REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN')
  @Mutation(() => InsuranceClaimsImportResult, { description: 'Import hospitals\' insurance settlement lines (医保结算清单), CSV or XLSX; each hospital-month replaces its earlier import' })
  importInsuranceClaims(@Ctx() ctx: RequestContext, @Args('input') input: ImportInsuranceClaimsInput) {
    return this.claims.import(ctx, input);
  }

  @Roles('REGULATOR', 'SETTLEMENT_OFFICE', 'PLATFORM_ADMIN')
  @Query(() => [InsuranceClaimImport], { description: 'Imported hospital-months of insurance settlement lines within the caller\'s region (at most 1,000, newest month first)' })
  insuranceClaimImports(@Ctx() ctx: RequestContext, @Args('filter', { type: () => InsuranceClaimImportFilter, nullable: true }) filter?: InsuranceClaimImportFilter | null) {
    return this.claims.list(ctx, filter ?? {});
  }
}
