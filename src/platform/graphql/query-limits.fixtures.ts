/** Documents for tests of the query limits (unit and e2e). */

/** `query Q { ...F<levels> }`; F0 is `{ __typename }` and each Fk spreads F(k-1) twice: 2^levels selections. */
export function fragmentBomb(levels: number, leaf = '__typename'): string {
  const parts = [`query Q { ...F${levels} }`, `fragment F0 on Query { ${leaf} }`];
  for (let k = 1; k <= levels; k++) parts.push(`fragment F${k} on Query { ...F${k - 1} ...F${k - 1} }`);
  return parts.join('\n');
}
