import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MetricsService } from '../platform/metrics/metrics.service';
import { LedgerService } from './ledger.service';
import { SettlementBatchesService } from './settlement-batches.service';
import { SettlementReportsService } from './settlement-reports.service';
import { PaymentFilesService } from './payment-files.service';
import { SettlementResolver } from './settlement.resolver';
import { PayeeAccountsService } from './payee-accounts.service';
import { LineConfirmationsService } from './line-confirmations.service';
import { FundAllotmentsService } from './fund-allotments.service';
import { BankStatementsService } from './bank-statements.service';
import { BankStatementsResolver } from './bank-statements.resolver';
import { RetainedSavingsService } from './retained-savings.service';
import { RegionPoliciesService } from './region-policies.service';

/** Direct settlement between the fund and its payees: ledger, prepayments, batches, payments, reports. */
@Module({
  providers: [
    LedgerService,
    SettlementBatchesService,
    SettlementReportsService,
    PaymentFilesService,
    PayeeAccountsService,
    LineConfirmationsService,
    FundAllotmentsService,
    BankStatementsService,
    RetainedSavingsService,
    RegionPoliciesService,
    SettlementResolver,
    BankStatementsResolver,
  ],
  exports: [SettlementBatchesService, SettlementReportsService, LedgerService, LineConfirmationsService, PayeeAccountsService],
})
export class SettlementModule {
  constructor(metrics: MetricsService, dataSource: DataSource) {
    // a running batch's progress for /metrics: lines settled of the candidates it took (0 until it took them)
    metrics.registerProgress('settlement_batch', () =>
      dataSource.query(
        `SELECT b.id, b.lines_settled AS done, (SELECT count(*) FROM settlement_candidate c WHERE c.batch_id = b.id)::int AS total
           FROM settlement_batch b WHERE b.state = 'RUNNING' ORDER BY b.started_at LIMIT 100`,
      ),
    );
  }
}
