/**
 * bigint columns holding quantities (units, not money): read as JS numbers, refusing anything beyond the
 * safe-integer range rather than losing precision silently.
 */
export const quantityTransformer = {
  to(value: number | null | undefined): string | null {
    if (value === null || value === undefined) return null;
    if (!Number.isSafeInteger(value)) throw new Error(`quantity must be a safe integer, got ${value}`);
    return String(value);
  },
  from(value: string | null): number | null {
    if (value === null || value === undefined) return null;
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new Error(`quantity from database is not a safe integer: ${value}`);
    return n;
  },
};
