import { RequestContext } from '../context/request-context';
import { AppError } from '../errors/app-error';

/**
 * What part of the province a caller may see: everything (platform admin), a region subtree (regulators and
 * settlement offices, by their organisation's region), or only their own organisation's records.
 */
export type Scope = { kind: 'all' } | { kind: 'region'; pathPrefix: string } | { kind: 'own'; organisationId: string };

export function scopeOf(ctx: RequestContext): Scope {
  const user = ctx.user;
  if (!user) throw new AppError('UNAUTHENTICATED', 'Log in first');
  if (user.role === 'PLATFORM_ADMIN') return { kind: 'all' };
  if (user.role === 'REGULATOR' || user.role === 'SETTLEMENT_OFFICE') return { kind: 'region', pathPrefix: user.regionPath };
  return { kind: 'own', organisationId: user.organisationId };
}

/** True when a region path lies within the caller's region subtree. */
export function pathWithin(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** SQL for "column holds a region path within the caller's subtree", with its parameters. */
export function pathWithinSql(column: string, prefix: string, param = 'scopePath'): [string, Record<string, string>] {
  return [`(${column} = :${param} OR ${column} LIKE :${param}Like)`, { [param]: prefix, [`${param}Like`]: `${prefix}/%` }];
}

export function requireUser(ctx: RequestContext) {
  if (!ctx.user) throw new AppError('UNAUTHENTICATED', 'Log in first');
  return ctx.user;
}
