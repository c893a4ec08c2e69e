import { Module } from '@nestjs/common';
import { LedgerService } from './ledger.service';
import { SettlementBatchesService } from './settlement-batches.service';
import { SettlementReportsService } from './settlement-reports.service';
import { PaymentFilesService } from './payment-files.service';
import { SettlementResolver } from './settlement.resolver';
import { PayeeAccountsService } from './payee-accounts.service';
import { LineConfirmationsService } from './line-confirmations.service';
import { FundAllotmentsService } from './fund-allotments.service';

/** Direct settlement between the fund and manufacturers: ledger, prepayments, batches, payments, reports. */
@Module({
  providers: [LedgerService, SettlementBatchesService, SettlementReportsService, PaymentFilesService, PayeeAccountsService, LineConfirmationsService, FundAllotmentsService, SettlementResolver],
  exports: [SettlementBatchesService, SettlementReportsService, LedgerService, LineConfirmationsService, PayeeAccountsService],
})
export class SettlementModule {}
