import { Module } from '@nestjs/common';
import { PriceSharingController } from './price-sharing.controller';
import { PublicationController } from './publication.controller';
import { PublicationResolver } from './publication.resolver';
import { PublicationService } from './publication.service';
import { PublicPricesService } from './public-prices.service';

/** Public (no login) read models and the OCDS export. Round results, prices in force and the credit
 * disclosure list are served by their own contexts; this module offers what spans them. */
@Module({ controllers: [PublicationController, PriceSharingController], providers: [PublicationService, PublicPricesService, PublicationResolver], exports: [PublicationService] })
export class PublicationModule {}
