import DataLoader from 'dataloader';

/**
 * Per-request DataLoaders, created lazily by name. A new registry per request means no cache outlives the
 * request or leaks across callers with different scopes.
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
}

/** Orders rows to match `keys`, with null where a key has no row: what DataLoader's batch must return. */
export function byKeys<T, K>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): (T | null)[] {
  const index = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => index.get(key) ?? null);
}
