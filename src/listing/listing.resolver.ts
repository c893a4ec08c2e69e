import { Args, Field, ID, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AnyRole, Roles } from '../platform/auth/roles.decorator';
import { Ctx } from '../platform/auth/current-context.decorator';
import { RequestContext } from '../platform/context/request-context';
import { UnitPriceScalar } from '../platform/graphql/scalars';
import { AppError } from '../platform/errors/app-error';
import { Connection, PageArgs } from '../platform/graphql/pagination';
import { ApplicationState, Listing, ListingApplication, ListingApplicationReview, ListingApplicationStateEnum, ListingPricePeriod, ListingState, ListingStateEnum } from './listing.entity';
import { LinkageNotice, LinkageNoticeState, LinkageNoticeStateEnum, ReferencePrice, ReferencePriceImport } from './reference-price.entity';
import { ListingService } from './listing.service';
import { ListingRepository } from './listing.repository';
import { LinkageService } from './linkage.service';
import { ReferencePricesService } from './reference-prices.service';
import { ApplyForListingInput, ImportReferencePricesInput, RecordReferencePriceInput, ReviewListingInput } from './dto/listing.inputs';

const ListingConnection = Connection(Listing);
const ListingApplicationConnection = Connection(ListingApplication);
const LinkageNoticeConnection = Connection(LinkageNotice);
const ReferencePriceConnection = Connection(ReferencePrice);

@ObjectType('ListingPriceInForce')
export class ListingPriceInForce {
  @Field(() => ID) listingId: string;
  @Field(() => UnitPriceScalar) unitPrice: string;
  @Field(() => ID) manufacturerId: string;
}

@Resolver(() => Listing)
export class ListingResolver {
  constructor(
    private readonly listingService: ListingService,
    private readonly linkage: LinkageService,
    private readonly reads: ListingRepository,
  ) {}

  @Roles('MANUFACTURER')
  @Mutation(() => ListingApplication, {
    description:
      'Apply to list an own product (LISTED at once when every check passes), or to change its listed price with a reason: a decrease passing every check takes effect at once; any increase needs evidence and regulator review (two regulators above +10%)',
  })
  applyForListing(@Ctx() ctx: RequestContext, @Args('input') input: ApplyForListingInput) {
    return this.listingService.apply(ctx, input);
  }

  // Manufacturers may call it only to be told SELF_REVIEW_FORBIDDEN / FORBIDDEN by the service.
  @Roles('REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER')
  @Mutation(() => ListingApplication, {
    description: 'Regulators: approve, refuse, or return an application for a price cut; each regulator decides once; the price takes effect at the last approval the policy requires',
  })
  reviewListingApplication(@Ctx() ctx: RequestContext, @Args('input') input: ReviewListingInput) {
    return this.listingService.review(ctx, input);
  }

  @Roles('MANUFACTURER', 'REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => Listing)
  withdrawListing(@Ctx() ctx: RequestContext, @Args('listingId', { type: () => ID }) listingId: string, @Args('reason', { type: () => String }) reason: string) {
    return this.listingService.withdraw(ctx, listingId, reason);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => Listing, { description: 'Suspend a LISTED listing for delivery failure (DELIVERY) or an expired certificate (CERTIFICATE)' })
  suspendListing(
    @Ctx() ctx: RequestContext,
    @Args('listingId', { type: () => ID }) listingId: string,
    @Args('reason', { type: () => String, description: 'DELIVERY or CERTIFICATE' }) reason: string,
    @Args('note', { type: () => String }) note: string,
  ) {
    if (reason !== 'DELIVERY' && reason !== 'CERTIFICATE') throw new AppError('VALIDATION_FAILED', 'reason must be DELIVERY or CERTIFICATE', { field: 'reason' });
    return this.listingService.suspendOrReinstate(ctx, listingId, { suspend: reason }, note);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => Listing, { description: 'Lift a DELIVERY or CERTIFICATE suspension' })
  reinstateListing(@Ctx() ctx: RequestContext, @Args('listingId', { type: () => ID }) listingId: string, @Args('note', { type: () => String }) note: string) {
    return this.listingService.suspendOrReinstate(ctx, listingId, { reinstate: true }, note);
  }

  @AnyRole()
  @Query(() => ListingConnection, { description: 'Listings (manufacturers: their own), oldest first' })
  listings(
    @Ctx() ctx: RequestContext,
    @Args() page: PageArgs,
    @Args('state', { type: () => ListingStateEnum, nullable: true }) state?: ListingState | null,
    @Args('productId', { type: () => ID, nullable: true }) productId?: string | null,
  ) {
    return this.listingService.listings(ctx, { state, productId }, page);
  }

  @AnyRole()
  @Query(() => Listing)
  listing(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return this.listingService.listing(ctx, id);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER')
  @Query(() => ListingApplicationConnection, { description: 'Applications (manufacturers: their own), oldest first' })
  listingApplications(@Ctx() ctx: RequestContext, @Args() page: PageArgs, @Args('state', { type: () => ListingApplicationStateEnum, nullable: true }) state?: ApplicationState | null) {
    return this.listingService.applications(ctx, state, page);
  }

  @AnyRole()
  @Query(() => ListingPriceInForce, { nullable: true, description: 'The LISTED price of a product for a region at an instant' })
  listingPriceInForce(
    @Args('productId', { type: () => ID }) productId: string,
    @Args('regionCode', { type: () => String }) regionCode: string,
    @Args('at', { type: () => Date }) at: Date,
  ) {
    return this.listingService.priceAt(productId, regionCode, at);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER')
  @Query(() => LinkageNoticeConnection, { description: 'Price linkage notices (manufacturers: their own), oldest first' })
  linkageNotices(@Ctx() ctx: RequestContext, @Args() page: PageArgs, @Args('state', { type: () => LinkageNoticeStateEnum, nullable: true }) state?: LinkageNoticeState | null) {
    return this.linkage.notices(ctx, state, page);
  }

  @ResolveField(() => [ListingPricePeriod], { description: 'Dated price and state history with who and why' })
  history(@Ctx() ctx: RequestContext, @Parent() listing: Listing) {
    return this.reads.historyOf(ctx, listing.id);
  }

  @ResolveField(() => [ListingApplication])
  applications(@Ctx() ctx: RequestContext, @Parent() listing: Listing) {
    return this.reads.applicationsOf(ctx, listing.id);
  }

  @ResolveField(() => [LinkageNotice], { name: 'linkageNotices' })
  noticesOfListing(@Ctx() ctx: RequestContext, @Parent() listing: Listing) {
    return this.reads.noticesOf(ctx, listing.id);
  }

  @ResolveField(() => String, { nullable: true, description: 'The manufacturer\'s credit risk notice, shown to hospitals' })
  creditRiskNotice(@Ctx() ctx: RequestContext, @Parent() listing: Listing) {
    return this.reads.creditRiskNoticeOf(ctx, listing.manufacturerId);
  }
}

@Resolver(() => ListingApplication)
export class ListingApplicationResolver {
  constructor(private readonly reads: ListingRepository) {}

  @ResolveField(() => [ListingApplicationReview], { description: 'Each regulator\'s decision, oldest first (a large increase needs two different regulators)' })
  reviews(@Ctx() ctx: RequestContext, @Parent() application: ListingApplication) {
    return this.reads.reviewsOf(ctx, application.id);
  }
}

@Resolver(() => ReferencePrice)
export class ReferencePricesResolver {
  constructor(private readonly references: ReferencePricesService) {}

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => ReferencePrice, { description: 'Record another province\'s price of a product; lower prices issue linkage notices' })
  recordReferencePrice(@Ctx() ctx: RequestContext, @Args('input') input: RecordReferencePriceInput) {
    return this.references.record(ctx, input);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN')
  @Mutation(() => ReferencePriceImport, { description: 'Import reference prices from a CSV or XLSX file: all rows or none (IMPORT_FILE_INVALID with the line)' })
  importReferencePrices(@Ctx() ctx: RequestContext, @Args('input') input: ImportReferencePricesInput) {
    return this.references.import(ctx, input);
  }

  @Roles('REGULATOR', 'PLATFORM_ADMIN', 'MANUFACTURER')
  @Query(() => ReferencePriceConnection, { description: 'Reference prices, by effective date (oldest first)' })
  referencePrices(
    @Args() page: PageArgs,
    @Args('productId', { type: () => ID, nullable: true }) productId?: string | null,
    @Args('provinceCode', { type: () => String, nullable: true }) provinceCode?: string | null,
  ) {
    return this.references.list({ productId, provinceCode }, page);
  }
}
