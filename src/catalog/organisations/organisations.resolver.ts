import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AnyRole, Roles } from '../../platform/auth/roles.decorator';
import { Ctx } from '../../platform/auth/current-context.decorator';
import { RequestContext } from '../../platform/context/request-context';
import { Connection, PageArgs } from '../../platform/graphql/pagination';
import { AppError } from '../../platform/errors/app-error';
import { Region } from '../regions/region.entity';
import { RegionsService } from '../regions/regions.service';
import { Organisation } from './organisation.entity';
import { OrganisationsService } from './organisations.service';
import { CreateOrganisationInput, OrganisationFilter, UpdateOrganisationInput } from './dto/organisation.inputs';

const OrganisationConnection = Connection(Organisation);

@Resolver(() => Organisation)
@AnyRole()
export class OrganisationsResolver {
  constructor(
    private readonly organisationsService: OrganisationsService,
    private readonly regions: RegionsService,
  ) {}

  @Query(() => OrganisationConnection, { description: 'Organisations in the caller\'s scope: all (admin), its region tree (regulator, settlement office) or its own' })
  organisations(
    @Ctx() ctx: RequestContext,
    @Args() page: PageArgs,
    @Args('filter', { type: () => OrganisationFilter, nullable: true }) filter?: OrganisationFilter,
  ) {
    return this.organisationsService.list(ctx, filter ?? {}, page);
  }

  @Query(() => Organisation, {
    description: 'One organisation by id (within the caller\'s scope) or by its public code (any organisation: codes are public); give exactly one',
  })
  organisation(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID, nullable: true }) id?: string | null,
    @Args('code', { type: () => String, nullable: true }) code?: string | null,
  ) {
    if ((id == null) === (code == null)) throw new AppError('VALIDATION_FAILED', 'Give either id or code', { field: id == null ? 'id' : 'code' });
    return id != null ? this.organisationsService.get(ctx, id) : this.organisationsService.getByCode(code!);
  }

  @Roles('PLATFORM_ADMIN')
  @Mutation(() => Organisation)
  createOrganisation(@Ctx() ctx: RequestContext, @Args('input') input: CreateOrganisationInput) {
    return this.organisationsService.create(ctx, input);
  }

  @Roles('PLATFORM_ADMIN')
  @Mutation(() => Organisation)
  updateOrganisation(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateOrganisationInput) {
    return this.organisationsService.update(ctx, id, input);
  }

  @ResolveField(() => Region)
  region(@Ctx() ctx: RequestContext, @Parent() organisation: Organisation) {
    return this.regions.load(ctx, organisation.regionCode);
  }
}
