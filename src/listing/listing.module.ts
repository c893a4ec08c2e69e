import { Module, Global } from '@nestjs/common';
import { LISTING_PRICES, LISTING_SUSPENSIONS, PAYMENT_STANDARDS } from '../platform/ports/context-ports';
import { CreditModule } from '../credit/credit.module';
import { ListingService } from './listing.service';
import { ListingRepository } from './listing.repository';
import { LinkageService } from './linkage.service';
import { ReferencePricesService } from './reference-prices.service';
import { ListingApplicationResolver, ListingResolver, ReferencePricesResolver } from './listing.resolver';
import { PaymentStandardsService } from './payment-standards.service';
import { PaymentStandardsResolver } from './payment-standards.resolver';
import { SqlVbpWinnerPrices, VBP_WINNER_PRICES } from './vbp-winner-prices';
import { CostInvestigationsService } from './cost-investigations.service';
import { CostInvestigationsResolver } from './cost-investigations.resolver';

/** Listing (挂网): reference prices and import, applications and checks, prices in force, linkage, states. */
// Global: it provides a port (docs/context-contracts.md) that other contexts inject by token.
@Global()
@Module({
  imports: [CreditModule],
  providers: [
    ListingService,
    ListingRepository,
    LinkageService,
    ReferencePricesService,
    ListingResolver,
    ListingApplicationResolver,
    ReferencePricesResolver,
    SqlVbpWinnerPrices,
    { provide: VBP_WINNER_PRICES, useExisting: SqlVbpWinnerPrices },
    { provide: LISTING_PRICES, useExisting: ListingService },
    { provide: LISTING_SUSPENSIONS, useExisting: ListingService },
    PaymentStandardsService,
    PaymentStandardsResolver,
    CostInvestigationsService,
    CostInvestigationsResolver,
    { provide: PAYMENT_STANDARDS, useExisting: PaymentStandardsService },
  ],
  exports: [ListingService, LISTING_PRICES, LISTING_SUSPENSIONS, PAYMENT_STANDARDS],
})
export class ListingModule {}
