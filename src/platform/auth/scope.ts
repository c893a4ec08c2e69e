import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { RequestContext } from '../context/request-context';
import { Role } from './roles';
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

/** SQL for "this region-code column names a region within the caller's subtree", with its parameters. */
export function regionCodeWithinSql(column: string, prefix: string, param = 'scopePath'): [string, Record<string, string>] {
  const [within, params] = pathWithinSql('scope_r.path', prefix, param);
  return [`${column} IN (SELECT scope_r.code FROM region scope_r WHERE ${within})`, params];
}

/**
 * Where a row's place in the province is, and which organisation owns it for each role that reads its own:
 * a column name (`o.hospital_id`, compared with the caller's organisation) or SQL using `:scopeOwn`.
 */
export interface ScopeColumns {
  /** the row's region, as a region code column or a region path column */
  region: { code: string } | { path: string };
  /** roles with a region scope that read these rows (default: regulators and settlement offices) */
  regionRoles?: readonly Role[];
  /** roles reading their own organisation's rows; a role missing here reads no row */
  own?: Partial<Record<Role, string>>;
}

/**
 * The one way a read applies the caller's scope (`scopeOf`): the platform admin reads every row; regulators
 * and settlement offices the rows within their region subtree; other roles the rows of their own organisation
 * as `columns.own` says for their role; anyone else none. Never reads ids from the client's arguments.
 */
export function applyScope<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, ctx: RequestContext, columns: ScopeColumns): SelectQueryBuilder<T> {
  const user = requireUser(ctx);
  const scope = scopeOf(ctx);
  if (scope.kind === 'all') return qb;
  if (scope.kind === 'region') {
    if (!(columns.regionRoles ?? ['REGULATOR', 'SETTLEMENT_OFFICE']).includes(user.role)) return qb.andWhere('1 = 0');
    const [sql, params] = 'code' in columns.region ? regionCodeWithinSql(columns.region.code, scope.pathPrefix) : pathWithinSql(columns.region.path, scope.pathPrefix);
    return qb.andWhere(sql, params);
  }
  const own = columns.own?.[user.role];
  if (!own) return qb.andWhere('1 = 0');
  return qb.andWhere(own.includes(':scopeOwn') ? `(${own})` : `${own} = :scopeOwn`, { scopeOwn: scope.organisationId });
}

export function requireUser(ctx: RequestContext) {
  if (!ctx.user) throw new AppError('UNAUTHENTICATED', 'Log in first');
  return ctx.user;
}
