import { Module } from '@nestjs/common';
import { RegionsService } from './regions/regions.service';
import { RegionsResolver } from './regions/regions.resolver';
import { OrganisationsService } from './organisations/organisations.service';
import { OrganisationsResolver } from './organisations/organisations.resolver';
import { UsersService } from './users/users.service';
import { UsersResolver } from './users/users.resolver';
import { ProductsService } from './products/products.service';
import { ProductsResolver, VarietiesResolver } from './products/products.resolver';
import { SeedService } from './demo/seed.service';

/** Master data: regions, organisations, users and login, varieties and products. */
@Module({
  providers: [
    RegionsService,
    RegionsResolver,
    OrganisationsService,
    OrganisationsResolver,
    UsersService,
    UsersResolver,
    ProductsService,
    ProductsResolver,
    VarietiesResolver,
    SeedService,
  ],
  exports: [RegionsService, OrganisationsService, UsersService, ProductsService, SeedService],
})
export class CatalogModule {}
