import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Roles } from '../platform/auth/roles.decorator';
import { Ctx } from '../platform/auth/current-context.decorator';
import { RequestContext } from '../platform/context/request-context';
import { validationFailed } from '../platform/errors/app-error';
import { Connection, PageArgs } from '../platform/graphql/pagination';
import { LedgerAccount } from './ledger.entity';
import { HospitalScoreRecord, PaymentInstruction, PrepaymentPosting, SettlementBatch } from './settlement-batch.entity';
import { SettlementBatchesService } from './settlement-batches.service';
import { SettlementReportsService } from './settlement-reports.service';
import { FileEncoding, FileEncodingEnum, PaymentFileLayout, PaymentFileLayoutEnum, PaymentFilesService } from './payment-files.service';
import { LineDispute, PayeeAccount, DisputeState, LineDisputeStateEnum } from './payee-account.entity';
import { PayeeAccountsService } from './payee-accounts.service';
import { LineConfirmationsService } from './line-confirmations.service';
import { FundAllotmentsService } from './fund-allotments.service';
import { AllotmentAdvance, AllotmentHold, FundAllotment } from './fund-allotment.entity';
import { SetFundAllotmentInput } from './dto/fund-allotment.inputs';
import { RetainedSavingsService } from './retained-savings.service';
import { RetainedSavingsAccrual } from './retained-savings.entity';
import { AccrueRetainedSavingsInput, AccrueRetainedSavingsResult } from './dto/retained-savings.inputs';
import { RegionPoliciesService } from './region-policies.service';
import { RegionSettlementPolicy } from './region-policy.entity';
import { SetRegionSettlementPolicyInput } from './dto/region-policy.inputs';
import {
  ConfirmationRunResult,
  DisputeSettlementLineInput,
  ProposePayeeAccountInput,
  ResolveLineDisputeInput,
  VerifyPayeeAccountResult,
} from './dto/payee-account.inputs';
import {
  AgeingRow,
  ImportBankResultsInput,
  PayableLine,
  PayableLineFilter,
  PaymentFile,
  PrepaymentRunResult,
  Reconciliation,
  RetainedSavingsRow,
  SetHospitalScoreInput,
  StartSettlementBatchInput,
} from './dto/settlement.inputs';

const SettlementBatchConnection = Connection(SettlementBatch);
const PaymentInstructionConnection = Connection(PaymentInstruction);
const LedgerAccountConnection = Connection(LedgerAccount);
const PrepaymentConnection = Connection(PrepaymentPosting, 'PrepaymentConnection');
const LineDisputeConnection = Connection(LineDispute);
const AllotmentHoldConnection = Connection(AllotmentHold);
const AllotmentAdvanceConnection = Connection(AllotmentAdvance);

@Resolver(() => SettlementBatch)
export class SettlementResolver {
  constructor(
    private readonly batches: SettlementBatchesService,
    private readonly reports: SettlementReportsService,
    private readonly files: PaymentFilesService,
    private readonly payees: PayeeAccountsService,
    private readonly confirmations: LineConfirmationsService,
    private readonly allotments: FundAllotmentsService,
    private readonly savings: RetainedSavingsService,
    private readonly policies: RegionPoliciesService,
  ) {}

  @Roles('SETTLEMENT_OFFICE')
  @Mutation(() => RegionSettlementPolicy, { description: 'Set a new version of a region’s settlement policy (who the fund pays, by the invoice chain) from an instant on' })
  setRegionSettlementPolicy(@Ctx() ctx: RequestContext, @Args('input') input: SetRegionSettlementPolicyInput) {
    return this.policies.set(ctx, input);
  }

  @Roles('SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'MANUFACTURER', 'DISTRIBUTOR', 'PLATFORM_ADMIN')
  @Query(() => [RegionSettlementPolicy], { description: 'Settlement policy versions (who the fund pays), of one region or all' })
  regionSettlementPolicies(@Ctx() _ctx: RequestContext, @Args('regionCode', { type: () => String, nullable: true }) regionCode?: string | null) {
    return this.policies.list(regionCode);
  }

  @Roles('SETTLEMENT_OFFICE')
  @Mutation(() => AccrueRetainedSavingsResult, { description: '结余留用: accrue each scored hospital’s retained savings of an ended agreement year as journals, at most once; the next batch pays them' })
  accrueRetainedSavings(@Ctx() ctx: RequestContext, @Args('input') input: AccrueRetainedSavingsInput) {
    return this.savings.accrue(ctx, input);
  }

  @Roles('SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'PLATFORM_ADMIN')
  @Query(() => [RetainedSavingsAccrual], { description: 'Retained savings accrued for a round (optionally one agreement year): hospitals their own, offices and regulators their region' })
  retainedSavingsAccruals(
    @Ctx() ctx: RequestContext,
    @Args('roundId', { type: () => ID }) roundId: string,
    @Args('agreementYear', { type: () => Int, nullable: true }) agreementYear?: number | null,
  ) {
    return this.savings.list(ctx, roundId, agreementYear);
  }

  @Roles('SETTLEMENT_OFFICE')
  @Mutation(() => FundAllotment, { description: 'Set what the fund allots a hospital for a period; batches settle its lines only up to it' })
  setFundAllotment(@Ctx() ctx: RequestContext, @Args('input') input: SetFundAllotmentInput) {
    return this.allotments.set(ctx, input);
  }

  @Roles('SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'PLATFORM_ADMIN')
  @Query(() => [FundAllotment], { description: 'Fund allotments: hospitals their own, offices and regulators their region (at most 500)' })
  fundAllotments(@Ctx() ctx: RequestContext, @Args('hospitalId', { type: () => ID, nullable: true }) hospitalId?: string | null) {
    return this.allotments.list(ctx, hospitalId);
  }

  @Roles('SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'PLATFORM_ADMIN')
  @Query(() => AllotmentHoldConnection, { description: 'Lines batches held beyond fund allotments (alerts), oldest first' })
  allotmentHolds(@Ctx() ctx: RequestContext, @Args() page: PageArgs, @Args('batchId', { type: () => ID, nullable: true }) batchId?: string | null) {
    return this.allotments.holds(ctx, page, batchId);
  }

  @Roles('SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'PLATFORM_ADMIN')
  @Query(() => AllotmentAdvanceConnection, { description: 'Lines paid beyond fund allotments as recorded advances (垫付, where the region’s policy allows), oldest first' })
  allotmentAdvances(@Ctx() ctx: RequestContext, @Args() page: PageArgs, @Args('batchId', { type: () => ID, nullable: true }) batchId?: string | null) {
    return this.allotments.advances(ctx, page, batchId);
  }

  @Roles('SETTLEMENT_OFFICE')
  @Mutation(() => SettlementBatch, { description: 'Approve a PREPARED batch (a second user, not its preparer): issues its payment instructions, HELD where the payee has no verified account' })
  approveSettlementBatch(@Ctx() ctx: RequestContext, @Args('batchId', { type: () => ID }) batchId: string) {
    return this.batches.approveBatch(ctx, batchId);
  }

  @Roles('SETTLEMENT_OFFICE')
  @Mutation(() => SettlementBatch, { description: 'Reject a PREPARED batch with a reason (a second user): its postings are reversed and its lines return to the pool' })
  rejectSettlementBatch(
    @Ctx() ctx: RequestContext,
    @Args('batchId', { type: () => ID }) batchId: string,
    @Args('reason', { type: () => String }) reason: string,
  ) {
    return this.batches.rejectBatch(ctx, batchId, reason);
  }

  @Roles('SETTLEMENT_OFFICE')
  @Mutation(() => PayeeAccount, { description: 'Propose a bank account an organisation is paid into (maker); a second user verifies it' })
  proposePayeeAccount(@Ctx() ctx: RequestContext, @Args('input') input: ProposePayeeAccountInput) {
    return this.payees.propose(ctx, input);
  }

  @Roles('SETTLEMENT_OFFICE')
  @Mutation(() => VerifyPayeeAccountResult, { description: 'Verify a proposed payee account (checker, not the proposer); releases held payments when in effect' })
  verifyPayeeAccount(@Ctx() ctx: RequestContext, @Args('accountId', { type: () => ID }) accountId: string) {
    return this.payees.verify(ctx, accountId);
  }

  @Roles('SETTLEMENT_OFFICE')
  @Mutation(() => Int, { description: 'Issue an organisation’s HELD payment instructions now that a verified account is in effect; returns how many' })
  releaseHeldPayments(@Ctx() ctx: RequestContext, @Args('organisationId', { type: () => ID }) organisationId: string) {
    return this.payees.release(ctx, organisationId);
  }

  @Roles('SETTLEMENT_OFFICE', 'REGULATOR', 'MANUFACTURER', 'DISTRIBUTOR', 'PLATFORM_ADMIN')
  @Query(() => [PayeeAccount], { description: 'An organisation’s payee accounts, newest effective first (an organisation sees its own)' })
  payeeAccounts(@Ctx() ctx: RequestContext, @Args('organisationId', { type: () => ID }) organisationId: string) {
    return this.payees.list(ctx, organisationId);
  }

  @Roles('HOSPITAL')
  @Mutation(() => LineDispute, { description: 'Dispute a line charged to your hospital within its confirmation window; the line is held from batches' })
  disputeSettlementLine(@Ctx() ctx: RequestContext, @Args('input') input: DisputeSettlementLineInput) {
    return this.confirmations.dispute(ctx, input);
  }

  @Roles('SETTLEMENT_OFFICE')
  @Mutation(() => LineDispute, { description: 'Resolve a hospital’s dispute: RELEASE (line confirmed, next batch) or UPHOLD (stays held)' })
  resolveLineDispute(@Ctx() ctx: RequestContext, @Args('input') input: ResolveLineDisputeInput) {
    return this.confirmations.resolve(ctx, input);
  }

  @Roles('SETTLEMENT_OFFICE')
  @Mutation(() => ConfirmationRunResult, { description: 'Confirm every line whose dispute window has ended undisputed now (the scheduler also does hourly)' })
  confirmDueSettlementLines() {
    return this.confirmations.confirmDueLines();
  }

  @Roles('SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'PLATFORM_ADMIN')
  @Query(() => LineDisputeConnection, { description: 'Line disputes, oldest first: hospitals their own, offices and regulators their region' })
  lineDisputes(@Ctx() ctx: RequestContext, @Args() page: PageArgs, @Args('state', { type: () => LineDisputeStateEnum, nullable: true }) state?: DisputeState | null) {
    return this.confirmations.list(ctx, page, state);
  }

  @Roles('SETTLEMENT_OFFICE')
  @Mutation(() => SettlementBatch, { description: 'Start (or, with the same idempotency key, resume) a settlement batch; it runs as a job' })
  startSettlementBatch(@Ctx() ctx: RequestContext, @Args('input') input: StartSettlementBatchInput) {
    return this.batches.startBatch(ctx, input);
  }

  @Roles('SETTLEMENT_OFFICE')
  @Mutation(() => [PaymentInstruction], { description: 'Record the bank’s results: PAID, or FAILED with a reason (the amount returns to payable)' })
  importBankResults(@Ctx() ctx: RequestContext, @Args('input') input: ImportBankResultsInput) {
    return this.batches.importBankResults(ctx, input);
  }

  @Roles('SETTLEMENT_OFFICE')
  @Mutation(() => PrepaymentRunResult, { description: 'Post every due prepayment now (the scheduler also does every 10 minutes)' })
  postDuePrepayments() {
    return this.batches.postDuePrepayments();
  }

  @Roles('REGULATOR')
  @Mutation(() => HospitalScoreRecord, { description: 'Set a hospital’s score (A–D) for a round’s cycle; decides its retained savings share' })
  setHospitalScore(@Ctx() ctx: RequestContext, @Args('input') input: SetHospitalScoreInput) {
    return this.reports.setHospitalScore(ctx, input);
  }

  @Roles('SETTLEMENT_OFFICE', 'REGULATOR', 'PLATFORM_ADMIN')
  @Query(() => SettlementBatch, { description: 'A batch with its progress' })
  settlementBatch(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string) {
    return this.reports.batch(ctx, id);
  }

  @Roles('SETTLEMENT_OFFICE', 'REGULATOR', 'PLATFORM_ADMIN')
  @Query(() => SettlementBatchConnection, { description: 'Batches in the caller’s region, oldest first' })
  settlementBatches(@Ctx() ctx: RequestContext, @Args() page: PageArgs) {
    return this.reports.batches(ctx, page);
  }

  @Roles('SETTLEMENT_OFFICE', 'REGULATOR', 'MANUFACTURER', 'DISTRIBUTOR', 'HOSPITAL', 'PLATFORM_ADMIN')
  @Query(() => PaymentInstructionConnection, { description: 'Payment instructions, oldest first: payees (manufacturers, distributors, hospitals for retained savings) see their own payments' })
  paymentInstructions(@Ctx() ctx: RequestContext, @Args() page: PageArgs, @Args('batchId', { type: () => ID, nullable: true }) batchId?: string | null) {
    return this.reports.instructions(ctx, batchId, page);
  }

  @Roles('SETTLEMENT_OFFICE', 'PLATFORM_ADMIN')
  @Query(() => PaymentFile, { description: 'The batch’s payment instructions as a CSV or XLSX file (base64): the REGISTER, or the BANK_BATCH file the bank executes' })
  paymentInstructionFile(
    @Ctx() ctx: RequestContext,
    @Args('batchId', { type: () => ID }) batchId: string,
    @Args('format', { type: () => String, description: 'CSV or XLSX' }) format: string,
    @Args('layout', { type: () => PaymentFileLayoutEnum, nullable: true, description: 'REGISTER (default) or BANK_BATCH' }) layout?: PaymentFileLayout | null,
    @Args('encoding', { type: () => FileEncodingEnum, nullable: true, description: 'CSV only: UTF8 (default) or GBK' }) encoding?: FileEncoding | null,
  ) {
    if (format !== 'CSV' && format !== 'XLSX') throw validationFailed('format', 'format is CSV or XLSX');
    if (format === 'XLSX' && encoding === 'GBK') throw validationFailed('encoding', 'XLSX 文件固定为 UTF-8，GBK 仅用于 CSV');
    return this.files.export(ctx, batchId, format, layout ?? 'REGISTER', encoding ?? 'UTF8');
  }

  @Roles('SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'MANUFACTURER', 'PLATFORM_ADMIN')
  @Query(() => [PayableLine], { description: 'Payable lines: hospitals their payables, manufacturers their receivables, offices and regulators their region' })
  payableLines(
    @Ctx() ctx: RequestContext,
    @Args('filter', { type: () => PayableLineFilter, nullable: true }) filter?: PayableLineFilter,
    @Args('first', { type: () => Int, nullable: true }) first?: number | null,
  ) {
    return this.reports.payableLines(ctx, filter ?? {}, first);
  }

  @Roles('SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'MANUFACTURER', 'PLATFORM_ADMIN')
  @Query(() => [AgeingRow], { description: 'Unpaid amounts by age (0–30, 31–60, 61–90, >90 days) per hospital and manufacturer' })
  payableAgeing(@Ctx() ctx: RequestContext, @Args('asOf', { type: () => Date, nullable: true }) asOf?: Date | null) {
    return this.reports.ageing(ctx, asOf);
  }

  @Roles('SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'MANUFACTURER', 'DISTRIBUTOR', 'PLATFORM_ADMIN')
  @Query(() => LedgerAccountConnection, { description: 'Ledger accounts and balances, by kind: each party its own, offices and regulators their region' })
  ledgerAccounts(@Ctx() ctx: RequestContext, @Args() page: PageArgs) {
    return this.reports.accounts(ctx, page);
  }

  @Roles('SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'PLATFORM_ADMIN')
  @Query(() => PrepaymentConnection, { description: 'Posted prepayments: hospitals their own, offices and regulators their region' })
  prepayments(@Ctx() ctx: RequestContext, @Args() page: PageArgs) {
    return this.reports.prepayments(ctx, page);
  }

  @Roles('SETTLEMENT_OFFICE', 'REGULATOR', 'PLATFORM_ADMIN')
  @Query(() => Reconciliation, { description: 'Recompute every account from its postings; report differences and check the ledger sums to zero' })
  ledgerReconciliation() {
    return this.reports.reconcile();
  }

  @Roles('SETTLEMENT_OFFICE', 'REGULATOR', 'HOSPITAL', 'PLATFORM_ADMIN')
  @Query(() => [RetainedSavingsRow], { description: '结余留用 per hospital for a round' })
  retainedSavings(@Ctx() ctx: RequestContext, @Args('roundId', { type: () => ID }) roundId: string) {
    return this.reports.retainedSavings(ctx, roundId);
  }
}
