import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { payeeAccountProblems } from '@libs/settlement-rules';
import { Db } from '../platform/database/db';
import { AuditService } from '../platform/audit/audit.service';
import { Clock } from '../platform/clock/clock';
import { RequestContext } from '../platform/context/request-context';
import { notFound, validationFailed } from '../platform/errors/app-error';
import { pathWithin, requireUser, scopeOf } from '../platform/auth/scope';
import { PayeeAccount } from './payee-account.entity';
import { SettlementBatchesService } from './settlement-batches.service';
import { SettlementErrors } from './settlement.errors';
import { ProposePayeeAccountInput, VerifyPayeeAccountResult } from './dto/payee-account.inputs';

/**
 * Payee bank accounts under maker-checker: one settlement-office user proposes an account (checked against
 * the organisation's registered name and the CNAPS table), a different one verifies it. Verifying an account
 * that is in effect releases the organisation's held payments in the same transaction.
 */
@Injectable()
export class PayeeAccountsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly batches: SettlementBatchesService,
  ) {}

  private async organisationInScope(em: EntityManager, ctx: RequestContext, organisationId: string, field: string) {
    const user = requireUser(ctx);
    const [org] = await em.query<{ id: string; name: string; kind: string; path: string }[]>(
      'SELECT o.id, o.name, o.kind, r.path FROM organisation o JOIN region r ON r.code = o.region_code WHERE o.id = $1',
      [organisationId],
    );
    if (!org || (user.role !== 'PLATFORM_ADMIN' && !pathWithin(org.path, user.regionPath))) throw notFound('Organisation', field);
    return org;
  }

  async propose(ctx: RequestContext, input: ProposePayeeAccountInput): Promise<PayeeAccount> {
    const user = requireUser(ctx);
    const fields = {
      accountName: input.accountName, accountNumber: input.accountNumber, cnapsCode: input.cnapsCode, currency: input.currency ?? 'CNY',
    };
    const id = await this.db.transaction(async (em) => {
      const org = await this.organisationInScope(em, ctx, input.organisationId, 'input.organisationId');
      const [problem] = payeeAccountProblems(fields, org.name);
      if (problem) throw validationFailed(`input.${problem.field}`, problem.message);
      if (!input.bankName.trim()) throw validationFailed('input.bankName', '请填写开户银行');
      if (!input.branchName.trim()) throw validationFailed('input.branchName', '请填写开户网点');
      const [row] = await em.query<{ id: string }[]>(
        `INSERT INTO payee_account (organisation_id, account_name, account_number, bank_name, branch_name, cnaps_code, currency, effective_from, proposed_by_user_id, proposed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [org.id, input.accountName.trim(), input.accountNumber, input.bankName.trim(), input.branchName.trim(), input.cnapsCode, fields.currency, input.effectiveFrom, user.id, this.clock.now()],
      );
      await this.audit.record(em, ctx, {
        action: 'settlement.payee-account.proposed', entityType: 'payee_account', entityId: row.id,
        data: { organisationId: org.id, accountNumber: input.accountNumber, cnapsCode: input.cnapsCode, effectiveFrom: input.effectiveFrom.toISOString() },
      });
      return row.id;
    });
    return this.db.manager.findOneByOrFail(PayeeAccount, { id });
  }

  async verify(ctx: RequestContext, accountId: string): Promise<VerifyPayeeAccountResult> {
    const user = requireUser(ctx);
    const released = await this.db.transaction(async (em) => {
      const [account] = await em.query<{ id: string; organisation_id: string; state: string; proposed_by_user_id: string; effective_from: Date }[]>('SELECT id, organisation_id, state, proposed_by_user_id, effective_from FROM payee_account WHERE id = $1 FOR UPDATE', [accountId]);
      if (!account) throw notFound('Payee account', 'accountId');
      await this.organisationInScope(em, ctx, account.organisation_id, 'accountId');
      if (account.state !== 'PROPOSED') throw SettlementErrors.payeeAccountNotProposed(account.state);
      if (account.proposed_by_user_id === user.id) throw SettlementErrors.sameUser('accountId');
      const now = this.clock.now();
      await em.query(`UPDATE payee_account SET state = 'VERIFIED', verified_by_user_id = $2, verified_at = $3 WHERE id = $1`, [accountId, user.id, now]);
      await this.audit.record(em, ctx, { action: 'settlement.payee-account.verified', entityType: 'payee_account', entityId: accountId, data: { organisationId: account.organisation_id } });
      // in effect now: the organisation's held payments go out with it
      return new Date(account.effective_from) <= now ? this.batches.releaseHeldPayments(em, ctx, account.organisation_id, 'accountId') : 0;
    });
    return { account: await this.db.manager.findOneByOrFail(PayeeAccount, { id: accountId }), releasedInstructions: released };
  }

  /** Issues an organisation's held payments once a verified account is in effect (e.g. after its effective date). */
  async release(ctx: RequestContext, organisationId: string): Promise<number> {
    return this.db.transaction(async (em) => {
      await this.organisationInScope(em, ctx, organisationId, 'organisationId');
      return this.batches.releaseHeldPayments(em, ctx, organisationId, 'organisationId');
    });
  }

  /** An organisation's accounts, newest effective first: offices and regulators in their region, an organisation its own. */
  async list(ctx: RequestContext, organisationId: string): Promise<PayeeAccount[]> {
    const scope = scopeOf(ctx);
    if (scope.kind === 'own') {
      if (scope.organisationId !== organisationId) return []; // another organisation's accounts are not theirs to see
    } else {
      await this.organisationInScope(this.db.manager, ctx, organisationId, 'organisationId');
    }
    return this.db.manager.find(PayeeAccount, { where: { organisationId }, order: { effectiveFrom: 'DESC', proposedAt: 'DESC' } });
  }
}
