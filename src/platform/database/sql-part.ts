import { EntityManager } from 'typeorm';
import { preparedQuery } from './prepared-query';

/**
 * A read that a context owns, written so that another context can embed it in a statement of its own: the
 * owner writes the SQL (a SELECT usable as a CTE or subquery) and how its rows read back; the caller supplies
 * the SQL expressions for its inputs (placeholders it bound, or columns of another part). The hot path of
 * placing an order composes five contexts' reads into one round trip this way, while each context's SQL
 * stays in that context.
 */
export interface SqlPart<T> {
  sql: string;
  /** Reads the part's rows: as node-postgres returns them, or as `json_agg` returns them (dates as text). */
  read(rows: Record<string, unknown>[]): T;
}

/**
 * Binds the values of a statement composed of parts: each value gets the next placeholder, so no part
 * numbers parameters itself and the text stays the same from call to call (one prepared statement per name).
 */
export class Bindings {
  readonly values: unknown[] = [];

  bind(value: unknown, type?: string): string {
    this.values.push(value);
    return `$${this.values.length}${type ? `::${type}` : ''}`;
  }
}

/** Runs one part on its own, as a named prepared statement. */
export async function runPart<T>(em: EntityManager, name: string, part: (b: Bindings) => SqlPart<T>): Promise<T> {
  const bindings = new Bindings();
  const built = part(bindings);
  return built.read(await preparedQuery(em, name, built.sql, bindings.values));
}

/** A timestamp that `json_agg` rendered as text, or one node-postgres already parsed. */
export function asDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}
