import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { Public } from '../platform/auth/roles.decorator';
import { AppError } from '../platform/errors/app-error';
import { Connection, PageArgs } from '../platform/graphql/pagination';
import { ExportFile } from '../platform/export/tabular-file';
import { PublicationService } from './publication.service';
import { PublicPrice, PublicPriceFilter, PublicPricesService, PublicVbpResult } from './public-prices.service';

const PublicPriceConnection = Connection(PublicPrice);
const PublicVbpResultConnection = Connection(PublicVbpResult);

@Resolver()
export class PublicationResolver {
  constructor(
    private readonly publication: PublicationService,
    private readonly prices: PublicPricesService,
  ) {}

  @Public()
  @Query(() => String, { description: 'OCDS 1.1.5 release package (JSON text) of the public rounds, or of the given ones' })
  ocdsReleasePackage(@Args('roundIds', { type: () => [ID], nullable: true }) roundIds?: string[] | null) {
    return this.publication.ocdsPackage(roundIds ?? null);
  }

  @Public()
  @Query(() => PublicPriceConnection, { description: 'Listing prices in force now (no login), oldest change first' })
  publicPricesInForce(@Args() page: PageArgs, @Args('filter', { type: () => PublicPriceFilter, nullable: true }) filter?: PublicPriceFilter) {
    return this.prices.prices(filter ?? {}, page, true);
  }

  @Public()
  @Query(() => PublicPriceConnection, { description: 'Every listing price period (no login), oldest first' })
  publicPriceHistory(@Args() page: PageArgs, @Args('filter', { type: () => PublicPriceFilter, nullable: true }) filter?: PublicPriceFilter) {
    return this.prices.prices(filter ?? {}, page, false);
  }

  @Public()
  @Query(() => PublicVbpResultConnection, { description: 'Awarded bids of VBP rounds from publicity (公示) on, with drops against the ceiling and the pre-VBP price (no login)' })
  publicVbpResults(@Args() page: PageArgs, @Args('filter', { type: () => PublicPriceFilter, nullable: true }) filter?: PublicPriceFilter) {
    return this.prices.vbpResults(filter ?? {}, page);
  }

  @Public()
  @Query(() => ExportFile, { description: 'Download (no login): PRICES_IN_FORCE, PRICE_HISTORY or VBP_RESULTS as CSV or XLSX (base64), same filter as the lists' })
  publicPriceExport(
    @Args('dataset', { type: () => String, description: 'PRICES_IN_FORCE, PRICE_HISTORY or VBP_RESULTS' }) dataset: string,
    @Args('format', { type: () => String, description: 'CSV or XLSX' }) format: string,
    @Args('filter', { type: () => PublicPriceFilter, nullable: true }) filter?: PublicPriceFilter | null,
  ) {
    if (dataset === 'VBP_RESULTS') return this.prices.exportVbpResults(filter ?? {}, format);
    if (dataset === 'PRICES_IN_FORCE' || dataset === 'PRICE_HISTORY') return this.prices.exportPrices(filter ?? {}, format, dataset === 'PRICES_IN_FORCE');
    throw new AppError('VALIDATION_FAILED', 'dataset 须为 PRICES_IN_FORCE、PRICE_HISTORY 或 VBP_RESULTS', { field: 'dataset' });
  }

  @Public()
  @Query(() => ExportFile, {
    description:
      'Price sharing (no login): the daily file of every listing price in force at the end of the given day (Asia/Shanghai), in the columns of importReferencePrices, for other provinces to import; also GET /public/price-sharing/<date>.csv',
  })
  publicPriceSharingFile(
    @Args('date', { type: () => String, description: 'YYYY-MM-DD, today or earlier' }) date: string,
    @Args('format', { type: () => String, nullable: true, description: 'CSV (default) or XLSX' }) format?: string | null,
  ) {
    return this.prices.sharingFile(date, format ?? 'CSV');
  }
}
