import { AgreementsModule } from '../agreements/agreements.module';
import { Module, OnModuleInit } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { ListingModule } from '../listing/listing.module';
import { CreditModule } from '../credit/credit.module';
import { JobsService } from '../platform/jobs/jobs.service';
import { systemContext } from '../platform/context/request-context';
import { AUTO_RECEIVE_JOB, OrdersService } from './orders.service';
import { OrdersRepository } from './orders.repository';
import { DistributorsService } from './distributors.service';
import { OffPlatformPurchasesService } from './off-platform-purchases.service';
import {
  DistributorAppointmentsResolver,
  GoodsReturnsResolver,
  OffPlatformPurchasesResolver,
  OrdersResolver,
  ReceiptsResolver,
  ShipmentsResolver,
} from './orders.resolver';
import { ManufacturerInvoicesService } from './manufacturer-invoices.service';
import { ManufacturerInvoicesResolver, ShipmentSupplyInvoicesResolver } from './manufacturer-invoices.resolver';

/**
 * Orders, delivery and receipt. Consumes AGREEMENT_SUPPLY, LISTING_PRICES and CREDIT_CHECKS when their
 * modules provide them (global ports); publishes v_order_line_fact, v_settleable_line, v_off_platform_purchase, v_manufacturer_invoice_line.
 */
@Module({
  // AGREEMENT_SUPPLY joins when the agreements context is merged: import its module here
  imports: [CatalogModule, ListingModule, CreditModule, AgreementsModule],
  providers: [
    OrdersService,
    OrdersRepository,
    DistributorsService,
    OffPlatformPurchasesService,
    OrdersResolver,
    ShipmentsResolver,
    ReceiptsResolver,
    GoodsReturnsResolver,
    DistributorAppointmentsResolver,
    OffPlatformPurchasesResolver,
    ManufacturerInvoicesService,
    ManufacturerInvoicesResolver,
    ShipmentSupplyInvoicesResolver,
  ],
  exports: [OrdersService, DistributorsService],
})
export class OrdersModule implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly orders: OrdersService,
  ) {}

  onModuleInit() {
    // shipments the hospital has not received within the policy's period are received automatically
    this.jobs.register(AUTO_RECEIVE_JOB, async () => {
      await this.orders.autoReceiveDue(systemContext('job:orders.auto-receive'));
    }, { cron: '*/10 * * * *' });
  }
}
