import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AnyRole, Public, Roles } from '../../platform/auth/roles.decorator';
import { Ctx } from '../../platform/auth/current-context.decorator';
import { requireUser } from '../../platform/auth/scope';
import { RequestContext } from '../../platform/context/request-context';
import { Organisation } from '../organisations/organisation.entity';
import { OrganisationsService } from '../organisations/organisations.service';
import { User } from './user.entity';
import { UsersService } from './users.service';
import { AuthPayload, CreateUserInput } from './dto/user.inputs';

@Resolver(() => User)
export class UsersResolver {
  constructor(
    private readonly users: UsersService,
    private readonly organisations: OrganisationsService,
  ) {}

  @Public()
  @Mutation(() => AuthPayload, { description: 'Log in with username and password' })
  login(@Ctx() ctx: RequestContext, @Args('username', { type: () => String }) username: string, @Args('password', { type: () => String }) password: string) {
    return this.users.login(ctx, username, password);
  }

  @Public()
  @Mutation(() => AuthPayload, { description: 'Exchange a refresh token (once) for new tokens' })
  refreshAccessToken(@Ctx() ctx: RequestContext, @Args('refreshToken', { type: () => String }) refreshToken: string) {
    return this.users.refresh(ctx, refreshToken);
  }

  @AnyRole()
  @Query(() => User, { description: 'The logged-in user' })
  me(@Ctx() ctx: RequestContext) {
    return this.users.get(ctx, requireUser(ctx).id);
  }

  @Roles('PLATFORM_ADMIN')
  @Mutation(() => User)
  createUser(@Ctx() ctx: RequestContext, @Args('input') input: CreateUserInput) {
    return this.users.create(ctx, input);
  }

  @AnyRole()
  @ResolveField(() => Organisation)
  organisation(@Ctx() ctx: RequestContext, @Parent() user: User) {
    return this.organisations.load(ctx, user.organisationId);
  }
}
