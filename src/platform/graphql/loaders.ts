import DataLoader from 'dataloader';

/**
 * Per-request DataLoaders, created lazily by name. A new registry per request means no cache outlives the
 * request or leaks across callers with different scopes.
 *
 * Every field below a list goes through one of these, so a nested query costs one statement per level and
 * field, whatever the page size (test/statement-counts.e2e-spec.ts holds every nested list to that):
 * - `get`: one row (or null) per key, e.g. an organisation by id;
 * - `children`: the rows belonging to each parent key, e.g. the lines of each order, in the order the batch
 *   read returns them.
 */
export class Loaders {
  private readonly byName = new Map<string, DataLoader<unknown, unknown>>();

  get<K, V>(name: string, batch: (keys: readonly K[]) => Promise<(V | null)[]>): DataLoader<K, V | null> {
    let loader = this.byName.get(name);
    if (!loader) {
      loader = new DataLoader<K, V | null>(batch);
      this.byName.set(name, loader);
    }
    return loader as DataLoader<K, V | null>;
  }

  /** One batch read for the children of many parents, grouped back by `parentKeyOf` (an empty list for none). */
  children<K, V>(name: string, read: (keys: readonly K[]) => Promise<V[]>, parentKeyOf: (row: V) => K): DataLoader<K, V[]> {
    let loader = this.byName.get(name);
    if (!loader) {
      loader = new DataLoader<K, V[]>(async (keys) => groupByKeys(keys, await read(keys), parentKeyOf));
      this.byName.set(name, loader);
    }
    return loader as DataLoader<K, V[]>;
  }
}

/** Orders rows to match `keys`, with null where a key has no row: what DataLoader's batch must return. */
export function byKeys<T, K>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): (T | null)[] {
  const index = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => index.get(key) ?? null);
}

/** Groups rows under their parent keys, keeping the rows' order within each group. */
export function groupByKeys<T, K>(keys: readonly K[], rows: T[], parentKeyOf: (row: T) => K): T[][] {
  const groups = new Map<K, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(parentKeyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}
