import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Roles } from '../platform/auth/roles.decorator';
import { Ctx } from '../platform/auth/current-context.decorator';
import { RequestContext } from '../platform/context/request-context';
import { Connection, PageArgs } from '../platform/graphql/pagination';
import { assertExportFormat, ExportFile } from '../platform/export/tabular-file';
import { BankException, BankExceptionState, BankExceptionStateEnum, BankStatement, BankStatementEntry } from './bank-statement.entity';
import { BankStatementsService } from './bank-statements.service';
import { BankReconciliation, ImportBankStatementInput, ResolveBankExceptionInput } from './dto/bank-statement.inputs';

const BankExceptionConnection = Connection(BankException);

/** Bank statements of the fund's account, the exceptions queue and the per-batch bank reconciliation. */
@Resolver(() => BankException)
export class BankStatementsResolver {
  constructor(private readonly statements: BankStatementsService) {}

  @Roles('SETTLEMENT_OFFICE')
  @Mutation(() => BankStatement, { description: 'Import a bank statement (CSV/XLSX): entries matched to instructions by reference and amount, the rest queued as exceptions; the same file again changes nothing' })
  importBankStatement(@Ctx() ctx: RequestContext, @Args('input') input: ImportBankStatementInput) {
    return this.statements.import(ctx, input);
  }

  @Roles('SETTLEMENT_OFFICE', 'PLATFORM_ADMIN')
  @Query(() => BankExceptionConnection, { description: 'The bank statement exceptions queue of your office (returned, unmatched, partial, duplicate entries), oldest first' })
  bankExceptions(
    @Ctx() ctx: RequestContext,
    @Args() page: PageArgs,
    @Args('state', { type: () => BankExceptionStateEnum, nullable: true }) state?: BankExceptionState | null,
    @Args('batchId', { type: () => ID, nullable: true }) batchId?: string | null,
  ) {
    return this.statements.exceptions(ctx, page, { state, batchId });
  }

  @Roles('SETTLEMENT_OFFICE')
  @Mutation(() => BankException, { description: 'Resolve a bank statement exception with a note (NOTED), or match a debit by hand to an issued instruction (MATCHED, it becomes PAID)' })
  resolveBankException(@Ctx() ctx: RequestContext, @Args('input') input: ResolveBankExceptionInput) {
    return this.statements.resolve(ctx, input);
  }

  @Roles('SETTLEMENT_OFFICE', 'REGULATOR', 'PLATFORM_ADMIN')
  @Query(() => BankReconciliation, { description: 'Ledger vs instructions vs bank statements for a batch, per instruction' })
  bankReconciliation(@Ctx() ctx: RequestContext, @Args('batchId', { type: () => ID }) batchId: string) {
    return this.statements.reconciliation(ctx, batchId);
  }

  @Roles('SETTLEMENT_OFFICE', 'REGULATOR', 'PLATFORM_ADMIN')
  @Query(() => ExportFile, { description: 'The batch’s bank reconciliation as a CSV or XLSX file (base64)' })
  bankReconciliationFile(
    @Ctx() ctx: RequestContext,
    @Args('batchId', { type: () => ID }) batchId: string,
    @Args('format', { type: () => String, description: 'CSV or XLSX' }) format: string,
  ) {
    assertExportFormat(format);
    return this.statements.reconciliationFile(ctx, batchId, format);
  }

  @ResolveField(() => BankStatementEntry, { description: 'The statement entry the exception is about' })
  entry(@Ctx() ctx: RequestContext, @Parent() exception: BankException) {
    return this.statements.entry(ctx, exception.entryId);
  }
}
