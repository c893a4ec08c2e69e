import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { InputType, Field } from '@nestjs/graphql';
import { IsString, Length, Matches } from 'class-validator';
import { Public, Roles } from '../../platform/auth/roles.decorator';
import { Ctx } from '../../platform/auth/current-context.decorator';
import { RequestContext } from '../../platform/context/request-context';
import { Region } from './region.entity';
import { RegionsService } from './regions.service';

@InputType()
export class CreateRegionInput {
  @Field(() => String, { description: 'GB/T 2260 code, 6 digits' })
  @Matches(/^\d{6}$/, { message: 'must be 6 digits' })
  code: string;

  @Field(() => String)
  @IsString()
  @Length(1, 50)
  name: string;
}

@Resolver(() => Region)
export class RegionsResolver {
  constructor(private readonly regionsService: RegionsService) {}

  @Public()
  @Query(() => [Region], { description: 'Child regions of a region, or the provinces when parentCode is omitted' })
  regions(@Args('parentCode', { type: () => String, nullable: true }) parentCode?: string | null) {
    return this.regionsService.children(parentCode ?? null);
  }

  @Public()
  @Query(() => Region)
  region(@Args('code', { type: () => String }) code: string) {
    return this.regionsService.get(code);
  }

  @Roles('PLATFORM_ADMIN')
  @Mutation(() => Region)
  createRegion(@Ctx() ctx: RequestContext, @Args('input') input: CreateRegionInput) {
    return this.regionsService.create(ctx, input);
  }
}
