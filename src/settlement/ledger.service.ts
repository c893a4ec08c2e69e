import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccountKind, FUND_OWNER_ID, JournalKind } from './ledger.entity';

export interface PostingLine {
  accountId: string;
  amountFen: bigint;
}

/** Locks every ledger account that will be touched, always in id order, so writers never deadlock. */
export async function lockAccounts(em: EntityManager, accountIds: string[]): Promise<void> {
  if (accountIds.length === 0) return;
  await em.query('SELECT id FROM ledger_account WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [accountIds]);
}

/**
 * Adds a journal's postings to the stored balances of its accounts, in the journal's own transaction.
 * The caller has locked the accounts (lockAccounts) first.
 */
export async function applyJournalToBalances(em: EntityManager, journalId: string): Promise<void> {
  await em.query(
    `UPDATE ledger_account a SET balance_fen = a.balance_fen + p.total
       FROM (SELECT account_id, sum(amount_fen)::bigint AS total FROM ledger_posting WHERE journal_id = $1 GROUP BY account_id) p
      WHERE a.id = p.account_id`,
    [journalId],
  );
}

/**
 * The double-entry ledger: accounts created on first use, journals of postings that sum to zero (the
 * database refuses any other at commit), balances kept with the postings.
 */
@Injectable()
export class LedgerService {
  /** The account of (kind, owner), created if missing; returns its id. */
  async accountId(em: EntityManager, kind: AccountKind, ownerId: string): Promise<string> {
    await em.query('INSERT INTO ledger_account (kind, owner_id) VALUES ($1, $2) ON CONFLICT (kind, owner_id) DO NOTHING', [kind, ownerId]);
    const [row] = await em.query<{ id: string }[]>('SELECT id FROM ledger_account WHERE kind = $1 AND owner_id = $2', [kind, ownerId]);
    return row.id;
  }

  bankClearingId(em: EntityManager): Promise<string> {
    return this.accountId(em, 'BANK_CLEARING', FUND_OWNER_ID);
  }

  async openJournal(em: EntityManager, kind: JournalKind, description: string, postedAt: Date, refs: { batchId?: string | null; reversesJournalId?: string | null } = {}): Promise<string> {
    const [row] = await em.query<{ id: string }[]>(
      'INSERT INTO ledger_journal (kind, description, batch_id, reverses_journal_id, posted_at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [kind, description, refs.batchId ?? null, refs.reversesJournalId ?? null, postedAt],
    );
    return row.id;
  }

  /** A small journal from explicit lines (payments, corrections); large ones are written set-based. */
  async post(em: EntityManager, kind: JournalKind, description: string, postedAt: Date, lines: PostingLine[], refs: { batchId?: string | null; reversesJournalId?: string | null } = {}): Promise<string> {
    const nonZero = lines.filter((l) => l.amountFen !== 0n);
    await lockAccounts(em, [...new Set(nonZero.map((l) => l.accountId))]);
    const journalId = await this.openJournal(em, kind, description, postedAt, refs);
    if (nonZero.length > 0) {
      await em.query(
        'INSERT INTO ledger_posting (journal_id, account_id, amount_fen) SELECT $1, unnest($2::uuid[]), unnest($3::bigint[])',
        [journalId, nonZero.map((l) => l.accountId), nonZero.map((l) => l.amountFen.toString())],
      );
      await applyJournalToBalances(em, journalId);
    }
    return journalId;
  }

  /** A correction: a new journal with every posting of the original negated. */
  async reverse(em: EntityManager, journalId: string, description: string, postedAt: Date): Promise<string> {
    const rows: { account_id: string; amount_fen: string }[] = await em.query('SELECT account_id, amount_fen FROM ledger_posting WHERE journal_id = $1', [journalId]);
    return this.post(em, 'REVERSAL', description, postedAt, rows.map((r) => ({ accountId: r.account_id, amountFen: -BigInt(r.amount_fen) })), { reversesJournalId: journalId });
  }

  /** Recomputes every account from its postings; reports differences, unbalanced journals and the ledger total. */
  async reconcile(em: EntityManager) {
    const differences: { id: string; kind: string; owner_id: string; balance_fen: string; postings_fen: string }[] = await em.query(
      `SELECT a.id, a.kind, a.owner_id, a.balance_fen::text, coalesce(p.total, 0)::text AS postings_fen
         FROM ledger_account a LEFT JOIN (SELECT account_id, sum(amount_fen) AS total FROM ledger_posting GROUP BY account_id) p ON p.account_id = a.id
        WHERE a.balance_fen <> coalesce(p.total, 0) ORDER BY a.id`,
    );
    const [{ accounts }] = await em.query<{ accounts: number }[]>('SELECT count(*)::int AS accounts FROM ledger_account');
    const [{ total }] = await em.query<{ total: string }[]>('SELECT coalesce(sum(amount_fen), 0)::text AS total FROM ledger_posting');
    const unbalanced: { journal_id: string }[] = await em.query('SELECT journal_id FROM ledger_posting GROUP BY journal_id HAVING sum(amount_fen) <> 0 ORDER BY journal_id');
    const ledgerTotalFen = BigInt(total);
    return {
      ok: differences.length === 0 && unbalanced.length === 0 && ledgerTotalFen === 0n,
      accountsChecked: accounts,
      ledgerTotalFen,
      differences: differences.map((d) => ({ accountId: d.id, kind: d.kind, ownerId: d.owner_id, balanceFen: BigInt(d.balance_fen), postingsFen: BigInt(d.postings_fen) })),
      unbalancedJournalIds: unbalanced.map((u) => u.journal_id),
    };
  }
}
