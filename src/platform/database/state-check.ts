/**
 * The CHECK expression that keeps a text column within a fixed set of values, written from the same const
 * array the GraphQL enum is registered from (see platform/graphql/state-enum.ts), so the database, the API
 * and the code name one set. The text is exactly what the migrations wrote (`state IN ('A','B')`), so
 * TypeORM derives the same constraint name and `npm run migration:check` sees no drift; the test
 * test/state-constraints.e2e-spec.ts compares the migrated database's constraints with the constants.
 */
export function inCheck(column: string, values: readonly string[]): string {
  for (const value of values) if (!/^[A-Z][A-Z0-9_]*$/.test(value)) throw new Error(`not a state name: ${value}`);
  return `${column} IN (${values.map((v) => `'${v}'`).join(',')})`;
}
