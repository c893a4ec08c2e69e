import { Type } from '@nestjs/common';
import { ArgsType, Field, FieldMiddleware, Int, ObjectType } from '@nestjs/graphql';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AppError } from '../errors/app-error';

/** The hard cap on a page: no client can ask for more rows in one request. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Rows per page, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page' })
  after?: string | null;
}

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

/**
 * A page of rows. `totalCount` may be a function, called only when the query selects `totalCount` (by the
 * connection's field middleware below), so a page that does not ask for it costs no count statement.
 */
export interface Page<T> {
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number | (() => Promise<number>);
}

/** A count run at most once, and only if asked for (a query may select `totalCount` under two aliases). */
export function lazyCount(count: () => Promise<number>): () => Promise<number> {
  let running: Promise<number> | null = null;
  return () => (running ??= count());
}

/** Resolves a lazy `totalCount` (see Page): only a selected field runs its middleware. */
const countWhenSelected: FieldMiddleware = async (_ctx, next) => {
  const value: unknown = await next();
  return typeof value === 'function' ? (value as () => Promise<number>)() : value;
};

/** A connection type for T: `nodes`, `pageInfo` and `totalCount`. */
export function Connection<T>(classRef: Type<T>, name = `${classRef.name}Connection`) {
  @ObjectType(name)
  abstract class ConnectionType implements Page<T> {
    @Field(() => [classRef])
    nodes: T[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int, { middleware: [countWhenSelected] })
    totalCount: number | (() => Promise<number>);
  }
  return ConnectionType;
}

export function pageSize(args: PageArgs): number {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new AppError('VALIDATION_FAILED', `first must be between 1 and ${MAX_PAGE_SIZE}`, { field: 'first', max: MAX_PAGE_SIZE });
  }
  return first;
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) return value as [string, string];
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION_FAILED', 'after is not a cursor this API gave out', { field: 'after' });
}

/**
 * Rows of a page's query. TypeORM's getCount counts DISTINCT ids, which is needed only when a join can repeat
 * a row; without joins (scopes are EXISTS conditions) a plain count(*) gives the same number for less work.
 */
async function countOf<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): Promise<number> {
  if (qb.expressionMap.joinAttributes.length) return qb.getCount();
  const row = await qb.select('count(*)::int', 'n').getRawOne<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * Keyset pagination over `qb` ordered by (sortColumn, key): stable under concurrent inserts, and as fast on
 * page 1,000 as on page 1. `sortColumn` is a column of `alias` (text, date or timestamptz), indexed together
 * with id. The cursor carries the database's own rendering of the sort value: a JS Date keeps milliseconds
 * only, so a `now()` default (microseconds) would compare greater than its own cursor and repeat rows.
 */
export async function paginate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  args: PageArgs,
  sortColumn: string,
  /** The unique uuid tie-breaker: `id` unless the table's key is another column (e.g. prepayment_due_id). */
  key: { column: string; property: keyof T & string } = { column: 'id', property: 'id' },
): Promise<Page<T>> {
  const first = pageSize(args);
  const alias = qb.alias;
  const countQuery = qb.clone(); // before the cursor condition: the count is of every page
  const totalCount = lazyCount(() => countOf(countQuery));
  const sortExpr = `${alias}.${sortColumn}`;
  const keyExpr = `${alias}.${key.column}`;
  if (args.after) {
    const [value, id] = decodeCursor(args.after);
    qb.andWhere(`(${sortExpr}, ${keyExpr}) > (:cursorValue, CAST(:cursorId AS uuid))`, { cursorValue: value, cursorId: id });
  }
  // row comparison on (sort column, id) uses a composite index on those two columns
  const { entities, raw } = await qb
    .addSelect(`${sortExpr}::text`, 'page_sort_value')
    .orderBy(sortExpr, 'ASC')
    .addOrderBy(keyExpr, 'ASC')
    .limit(first + 1)
    .getRawAndEntities<Record<string, string | undefined>>()
    .catch((error: { driverError?: { code?: string } }) => {
      // a cursor edited to a value the sort column's type refuses (e.g. not a timestamp) is the caller's input
      if (args.after && error?.driverError?.code?.startsWith('22')) throw new AppError('VALIDATION_FAILED', 'after is not a cursor this API gave out', { field: 'after' });
      throw error;
    });
  const hasNextPage = entities.length > first;
  const nodes = entities.slice(0, first);
  const last = nodes[nodes.length - 1];
  const lastKey: string | undefined = last?.[key.property];
  const lastSortValue: string | undefined = last && raw.find((r) => r[`${alias}_${key.column}`] === lastKey)?.page_sort_value;
  if (last && lastSortValue == null) throw new Error(`paginate: no ${sortColumn} for the last row (a nullable sort column?)`);
  return {
    nodes,
    totalCount,
    pageInfo: {
      hasNextPage,
      endCursor: last ? Buffer.from(JSON.stringify([lastSortValue, lastKey])).toString('base64url') : null,
    },
  };
}

/** A keyset-paged raw SQL read (over views that have no entity): conditions are ANDed; `$n` params in order. */
export interface SqlPageQuery {
  select: string;
  from: string;
  where: string[];
  params: unknown[];
  /** A sortable expression (text, date or timestamptz) and a unique uuid tie-breaker. */
  sortExpr: string;
  keyExpr: string;
}

/**
 * The same keyset pagination and cursor format as `paginate`, for raw SQL: the cursor carries the
 * database's text rendering of the sort value, compared back in SQL.
 */
export async function paginateSql<R extends Record<string, unknown>>(
  runner: { query<T>(sql: string, params?: unknown[]): Promise<T> },
  q: SqlPageQuery,
  args: PageArgs,
): Promise<Page<R>> {
  const first = pageSize(args);
  const where = [...q.where];
  const params = [...q.params];
  const whereSql = () => (where.length ? `WHERE ${where.join(' AND ')}` : '');
  const countSql = `SELECT count(*)::int AS n ${q.from} ${whereSql()}`;
  const countParams = [...params];
  const totalCount = lazyCount(async () => (await runner.query<{ n: number }[]>(countSql, countParams))[0].n);
  if (args.after) {
    const [value, id] = decodeCursor(args.after);
    params.push(value, id);
    where.push(`(${q.sortExpr}, ${q.keyExpr}) > ($${params.length - 1}, $${params.length}::uuid)`);
  }
  const rows = await runner
    .query<(R & { page_sort_value: string; page_key: string })[]>(
      `SELECT ${q.select}, (${q.sortExpr})::text AS page_sort_value, (${q.keyExpr})::text AS page_key
         ${q.from} ${whereSql()} ORDER BY ${q.sortExpr}, ${q.keyExpr} LIMIT ${first + 1}`,
      params,
    )
    .catch((error: { code?: string; driverError?: { code?: string } }) => {
      const code = error?.driverError?.code ?? error?.code;
      if (args.after && code?.startsWith('22')) throw new AppError('VALIDATION_FAILED', 'after is not a cursor this API gave out', { field: 'after' });
      throw error;
    });
  const hasNextPage = rows.length > first;
  const nodes = rows.slice(0, first);
  const last = nodes[nodes.length - 1];
  return {
    nodes,
    totalCount,
    pageInfo: { hasNextPage, endCursor: last ? Buffer.from(JSON.stringify([last.page_sort_value, last.page_key])).toString('base64url') : null },
  };
}
