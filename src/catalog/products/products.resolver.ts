import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AnyRole, Roles } from '../../platform/auth/roles.decorator';
import { Ctx } from '../../platform/auth/current-context.decorator';
import { RequestContext } from '../../platform/context/request-context';
import { Connection, PageArgs } from '../../platform/graphql/pagination';
import { Organisation } from '../organisations/organisation.entity';
import { OrganisationsService } from '../organisations/organisations.service';
import { Product, Variety, VarietySpec } from './product.entity';
import { ProductsService } from './products.service';
import { CreateVarietyInput, ProductFilter, RegisterConsumableInput, RegisterDrugInput } from './dto/product.inputs';

const ProductConnection = Connection(Product);

@Resolver(() => Product)
@AnyRole()
export class ProductsResolver {
  constructor(
    private readonly productsService: ProductsService,
    private readonly organisations: OrganisationsService,
  ) {}

  @Query(() => ProductConnection, { description: 'The product catalogue; manufacturers see their own products' })
  products(@Ctx() ctx: RequestContext, @Args() page: PageArgs, @Args('filter', { type: () => ProductFilter, nullable: true }) filter?: ProductFilter) {
    return this.productsService.list(ctx, filter ?? {}, page);
  }

  @Query(() => Product)
  product(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return this.productsService.get(ctx, id);
  }

  @Roles('MANUFACTURER', 'PLATFORM_ADMIN')
  @Mutation(() => Product, { description: 'Register a drug (manufacturers: their own)' })
  registerDrug(@Ctx() ctx: RequestContext, @Args('input') input: RegisterDrugInput) {
    return this.productsService.registerDrug(ctx, input);
  }

  @Roles('MANUFACTURER', 'PLATFORM_ADMIN')
  @Mutation(() => Product, { description: 'Register a consumable (manufacturers: their own)' })
  registerConsumable(@Ctx() ctx: RequestContext, @Args('input') input: RegisterConsumableInput) {
    return this.productsService.registerConsumable(ctx, input);
  }

  @ResolveField(() => Organisation, { nullable: true, description: 'The marketing authorisation holder' })
  manufacturer(@Ctx() ctx: RequestContext, @Parent() product: Product) {
    return this.organisations.load(ctx, product.manufacturerId);
  }
}

@Resolver(() => Variety)
@AnyRole()
export class VarietiesResolver {
  constructor(private readonly products: ProductsService) {}

  @Query(() => [Variety])
  varieties(@Args('kind', { type: () => String, nullable: true }) kind?: string | null) {
    return this.products.varieties(kind);
  }

  @Query(() => Variety)
  variety(@Args('id', { type: () => ID }) id: string) {
    return this.products.variety(id);
  }

  @Roles('PLATFORM_ADMIN', 'REGULATOR')
  @Mutation(() => Variety)
  createVariety(@Ctx() ctx: RequestContext, @Args('input') input: CreateVarietyInput) {
    return this.products.createVariety(ctx, input);
  }

  @ResolveField(() => [VarietySpec])
  specs(@Ctx() ctx: RequestContext, @Parent() variety: Variety) {
    return this.products.specsOf(ctx, variety.id);
  }
}
