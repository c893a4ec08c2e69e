import { Module } from '@nestjs/common';
import { LISTING_PRICES } from '../platform/ports/context-ports';
import { CreditModule } from '../credit/credit.module';
import { ListingService } from './listing.service';
import { LinkageService } from './linkage.service';
import { ReferencePricesService } from './reference-prices.service';
import { ListingResolver, ReferencePricesResolver } from './listing.resolver';
import { SqlVbpWinnerPrices, VBP_WINNER_PRICES } from './vbp-winner-prices';

/** Listing (挂网): reference prices and import, applications and checks, prices in force, linkage, states. */
@Module({
  imports: [CreditModule],
  providers: [
    ListingService,
    LinkageService,
    ReferencePricesService,
    ListingResolver,
    ReferencePricesResolver,
    SqlVbpWinnerPrices,
    { provide: VBP_WINNER_PRICES, useExisting: SqlVbpWinnerPrices },
    { provide: LISTING_PRICES, useExisting: ListingService },
  ],
  exports: [ListingService, LISTING_PRICES],
})
export class ListingModule {}
