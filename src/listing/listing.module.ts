import { Module, Global } from '@nestjs/common';
import { LISTING_PRICES, LISTING_SUSPENSIONS } from '../platform/ports/context-ports';
import { CreditModule } from '../credit/credit.module';
import { ListingService } from './listing.service';
import { LinkageService } from './linkage.service';
import { ReferencePricesService } from './reference-prices.service';
import { ListingApplicationResolver, ListingResolver, ReferencePricesResolver } from './listing.resolver';
import { SqlVbpWinnerPrices, VBP_WINNER_PRICES } from './vbp-winner-prices';

/** Listing (挂网): reference prices and import, applications and checks, prices in force, linkage, states. */
// Global: it provides a port (docs/context-contracts.md) that other contexts inject by token.
@Global()
@Module({
  imports: [CreditModule],
  providers: [
    ListingService,
    LinkageService,
    ReferencePricesService,
    ListingResolver,
    ListingApplicationResolver,
    ReferencePricesResolver,
    SqlVbpWinnerPrices,
    { provide: VBP_WINNER_PRICES, useExisting: SqlVbpWinnerPrices },
    { provide: LISTING_PRICES, useExisting: ListingService },
    { provide: LISTING_SUSPENSIONS, useExisting: ListingService },
  ],
  exports: [ListingService, LISTING_PRICES, LISTING_SUSPENSIONS],
})
export class ListingModule {}
