import { Args, Field, ID, InputType, Int, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength } from 'class-validator';
import { Ctx } from '../auth/current-context.decorator';
import { ReadPolicy } from '../auth/read-policy';
import { AnyRole, Public } from '../auth/roles.decorator';
import { requireUser } from '../auth/scope';
import { RequestContext } from '../context/request-context';
import { Connection, PageArgs } from '../graphql/pagination';
import { BusinessEvent, WebhookDelivery, WebhookDeliveryState, WebhookDeliveryStateEnum, WebhookSubscription } from './business-event.entity';
import { ChangeFeedService, EventPage } from './change-feed.service';
import { FeedReader } from './event-visibility';
import { WebhooksService } from './webhooks.service';

@ReadPolicy({ roles: 'PUBLIC', note: 'a page of the feed; each event inside is read under its own policy' })
@ObjectType('BusinessEventPage', { description: 'Events after a cursor, in commit order. Resume with `after: endCursor`; an empty page keeps the cursor.' })
class BusinessEventPage implements EventPage {
  @Field(() => [BusinessEvent])
  nodes: BusinessEvent[];

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page (null only for an empty feed read from its start)' })
  endCursor: string | null;

  @Field(() => Boolean)
  hasNextPage: boolean;
}

@ReadPolicy({ roles: 'ANY', note: 'returned once to the organisation that subscribed' })
@ObjectType('CreatedWebhookSubscription')
class CreatedWebhookSubscription {
  @Field(() => WebhookSubscription)
  subscription: WebhookSubscription;

  @Field(() => String, { description: 'The signing secret, shown only now: X-VBP-Signature = "sha256=" + hex HMAC-SHA256(secret, body)' })
  secret: string;
}

@InputType()
class CreateWebhookSubscriptionInput {
  @Field(() => String, { description: 'https URL of the receiver (public addresses only unless WEBHOOK_ALLOW_PRIVATE_TARGETS)' })
  @IsString()
  @MaxLength(2000)
  url: string;

  @Field(() => [String], { nullable: true, description: 'Event types to receive (docs/change-feed.md); omitted: every type the organisation may read' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  eventTypes?: string[] | null;
}

const WebhookSubscriptionConnection = Connection(WebhookSubscription);
const WebhookDeliveryConnection = Connection(WebhookDelivery);

function readerFor(ctx: RequestContext): FeedReader {
  const user = requireUser(ctx);
  if (user.role === 'PLATFORM_ADMIN') return { kind: 'ALL', organisationId: user.organisationId, regionPath: user.regionPath };
  if (user.role === 'REGULATOR' || user.role === 'SETTLEMENT_OFFICE') return { kind: 'REGION', organisationId: user.organisationId, regionPath: user.regionPath };
  return { kind: 'OWN', organisationId: user.organisationId, regionPath: user.regionPath };
}

@Resolver(() => BusinessEvent)
export class EventsResolver {
  constructor(
    private readonly feed: ChangeFeedService,
    private readonly webhooks: WebhooksService,
  ) {}

  @AnyRole()
  @Query(() => BusinessEventPage, {
    description:
      'The change feed: business events the caller\'s organisation may read, after a cursor, in commit order (an event that commits late is never skipped). Start without `after`, keep `endCursor`.',
  })
  events(
    @Ctx() ctx: RequestContext,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
    @Args('first', { type: () => Int, nullable: true, description: '1–100 (default 50)' }) first?: number | null,
    @Args('types', { type: () => [String], nullable: true, description: 'Only these event types' }) types?: string[] | null,
  ) {
    return this.feed.page(readerFor(ctx), { after, first, types });
  }

  @Public()
  @Query(() => BusinessEventPage, {
    description: 'Price sharing for other provinces (no login): every change of a listed price in force (price.changed), in commit order, after a cursor',
  })
  publicPriceChanges(
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
    @Args('first', { type: () => Int, nullable: true, description: '1–100 (default 50)' }) first?: number | null,
  ) {
    return this.feed.page(null, { after, first, types: ['price.changed'] });
  }

  @ResolveField(() => String, { description: 'This event\'s feed position: pass it as `after` to read what follows' })
  cursor(@Parent() event: BusinessEvent): string {
    return String(event.position);
  }

  @ResolveField(() => String, { description: 'The event\'s facts as a JSON object (ids, state, amounts in fen as strings, prices as decimals)' })
  data(@Parent() event: BusinessEvent): string {
    return JSON.stringify(event.data);
  }

  @AnyRole()
  @Mutation(() => CreatedWebhookSubscription, {
    description: 'Subscribe the caller\'s organisation to signed webhooks of the events it may read, from now on; the secret is returned only here',
  })
  createWebhookSubscription(@Ctx() ctx: RequestContext, @Args('input') input: CreateWebhookSubscriptionInput) {
    return this.webhooks.subscribe(ctx, input);
  }

  @AnyRole()
  @Mutation(() => WebhookSubscription, { description: 'Stop a subscription of the caller\'s organisation (nothing more is queued for it)' })
  deactivateWebhookSubscription(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return this.webhooks.deactivate(ctx, id);
  }

  @AnyRole()
  @Query(() => WebhookSubscriptionConnection, { description: 'The caller\'s organisation\'s webhook subscriptions, oldest first' })
  webhookSubscriptions(@Ctx() ctx: RequestContext, @Args() page: PageArgs) {
    return this.webhooks.subscriptions(ctx, page);
  }

  @AnyRole()
  @Query(() => WebhookDeliveryConnection, { description: 'Deliveries of one of the caller\'s subscriptions; `state: DEAD` is the dead-letter list' })
  webhookDeliveries(
    @Ctx() ctx: RequestContext,
    @Args('subscriptionId', { type: () => ID }) subscriptionId: string,
    @Args() page: PageArgs,
    @Args('state', { type: () => WebhookDeliveryStateEnum, nullable: true }) state?: WebhookDeliveryState | null,
  ) {
    return this.webhooks.deliveries(ctx, subscriptionId, state ?? null, page);
  }

  @AnyRole()
  @Mutation(() => Int, { description: 'Queue dead-lettered deliveries again (all of the subscription\'s, or the listed ones), attempts reset; returns how many' })
  replayWebhookDeliveries(
    @Ctx() ctx: RequestContext,
    @Args('subscriptionId', { type: () => ID }) subscriptionId: string,
    @Args('deliveryIds', { type: () => [ID], nullable: true }) deliveryIds?: string[] | null,
  ) {
    return this.webhooks.replay(ctx, subscriptionId, deliveryIds ?? null);
  }
}
