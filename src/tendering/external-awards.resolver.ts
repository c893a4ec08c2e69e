import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AnyRole, Roles } from '../platform/auth/roles.decorator';
import { Ctx } from '../platform/auth/current-context.decorator';
import { RequestContext } from '../platform/context/request-context';
import { Round } from './round.entity';
import { ExternalAwardBatch, ExternalAwardVersion } from './external-award.entity';
import { ExternalAwardsService } from './external-awards.service';
import { RoundsRepository } from './rounds.repository';
import { ExternalAwardChange, ExternalAwardImport, ImportExternalAwardsInput, ImportExternalAwardsJsonInput, VbpVarietiesInForce } from './dto/external-awards.types';

/** National and alliance results (国家组织/联盟集采结果) imported and implemented by regulators. */
@Resolver(() => ExternalAwardBatch)
export class ExternalAwardsResolver {
  constructor(
    private readonly external: ExternalAwardsService,
    private readonly reads: RoundsRepository,
  ) {}

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => ExternalAwardImport, {
    description: 'Import a national or alliance batch’s results from a CSV or XLSX file: validated whole (IMPORT_FILE_INVALID with every fault’s row and column), idempotent by content, a corrected file makes the next version',
  })
  importExternalAwards(@Ctx() ctx: RequestContext, @Args('input') input: ImportExternalAwardsInput) {
    return this.external.importFile(ctx, input);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => ExternalAwardImport, { description: 'The same import for machine clients, as structured JSON (faults name the input path)' })
  importExternalAwardsJson(@Ctx() ctx: RequestContext, @Args('input') input: ImportExternalAwardsJsonInput) {
    return this.external.importJson(ctx, input);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => Round, { description: 'After the demand deadline: hospitals’ demand → the file’s winners by region → agreements and prepayments (the scheduler does it too)' })
  implementExternalAwards(@Ctx() ctx: RequestContext, @Args('batchId', { type: () => ID }) batchId: string) {
    return this.external.implement(ctx, batchId);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Query(() => [ExternalAwardBatch], { description: 'Imported national and alliance batches of the caller’s region' })
  externalAwardBatches(@Ctx() ctx: RequestContext) {
    return this.external.batches(ctx);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Query(() => ExternalAwardBatch)
  externalAwardBatch(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return this.external.batch(ctx, id);
  }

  @AnyRole()
  @Query(() => [VbpVarietiesInForce], { description: 'Varieties under volume-based procurement in force, by level: NATIONAL, ALLIANCE, PROVINCIAL' })
  vbpVarietiesInForce(@Ctx() ctx: RequestContext, @Args('at', { type: () => Date, nullable: true }) at?: Date | null) {
    return this.external.varietiesInForce(ctx, at);
  }

  @ResolveField(() => [ExternalAwardVersion], { description: 'Every imported version, oldest first' })
  versions(@Ctx() ctx: RequestContext, @Parent() batch: ExternalAwardBatch) {
    return this.reads.externalAwardVersionsOf(ctx, batch.id);
  }

  @ResolveField(() => Round, { nullable: true })
  round(@Ctx() ctx: RequestContext, @Parent() batch: ExternalAwardBatch) {
    return this.reads.round(ctx, batch.roundId);
  }
}

@Resolver(() => ExternalAwardVersion)
export class ExternalAwardVersionResolver {
  @ResolveField(() => [ExternalAwardChange], { description: 'What changed from the previous version: winners, prices, regions, terms (empty for version 1)' })
  diff(@Parent() version: ExternalAwardVersion): ExternalAwardChange[] {
    return version.diff;
  }

  @ResolveField(() => String, { description: 'The normalised results of this version as JSON' })
  content(@Parent() version: ExternalAwardVersion): string {
    return JSON.stringify(version.content);
  }
}
