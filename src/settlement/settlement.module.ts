import { Module } from '@nestjs/common';
import { LedgerService } from './ledger.service';
import { SettlementBatchesService } from './settlement-batches.service';
import { SettlementReportsService } from './settlement-reports.service';
import { PaymentFilesService } from './payment-files.service';
import { SettlementResolver } from './settlement.resolver';

/** Direct settlement between the fund and manufacturers: ledger, prepayments, batches, payments, reports. */
@Module({
  providers: [LedgerService, SettlementBatchesService, SettlementReportsService, PaymentFilesService, SettlementResolver],
  exports: [SettlementBatchesService, SettlementReportsService, LedgerService],
})
export class SettlementModule {}
