import { EntityManager } from 'typeorm';

/** The hold reason of a payment whose payee has no verified bank account in effect. */
export const PAYEE_ACCOUNT_MISSING = 'PAYEE_ACCOUNT_MISSING';

/**
 * The verified account in effect at `at` for each organisation that has one: the latest effective date not
 * after `at` wins (a change is a newer account with a later effective date). One set-based read.
 */
export async function accountsInEffect(em: EntityManager, organisationIds: string[], at: Date): Promise<Map<string, string>> {
  if (organisationIds.length === 0) return new Map();
  const rows: { organisation_id: string; id: string }[] = await em.query(
    `SELECT DISTINCT ON (organisation_id) organisation_id, id FROM payee_account
      WHERE organisation_id = ANY($1::uuid[]) AND state = 'VERIFIED' AND effective_from <= $2
      ORDER BY organisation_id, effective_from DESC, verified_at DESC`,
    [organisationIds, at],
  );
  return new Map(rows.map((r) => [r.organisation_id, r.id]));
}
