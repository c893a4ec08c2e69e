import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { getNamedType, GraphQLResolveInfo, isNonNullType, isObjectType } from 'graphql';
import { Observable, mergeMap } from 'rxjs';
import { Db } from '../database/db';
import { RequestContext } from '../context/request-context';
import { AppError } from '../errors/app-error';
import { logger } from '../logging/logger';
import { policyAdmits, ReadPolicyDefinition, readPolicyOf, ReadPolicyTools, rowVisible } from './read-policy';

/** The policy that governs a field's value: its own type's, or that of a connection's nodes. */
export function policyForReturnType(info: Pick<GraphQLResolveInfo, 'returnType'>): { policy: ReadPolicyDefinition; typeName: string; connection: boolean } | null {
  const named = getNamedType(info.returnType);
  const own = readPolicyOf(named.name);
  if (own) return { policy: own, typeName: named.name, connection: false };
  if (isObjectType(named)) {
    const nodes = named.getFields().nodes;
    const nodeName = nodes && getNamedType(nodes.type).name;
    const ofNodes = nodeName ? readPolicyOf(nodeName) : undefined;
    if (ofNodes && nodeName) return { policy: ofNodes, typeName: nodeName, connection: true };
  }
  return null;
}

/**
 * Applies the read policy of a resolver's return type (see read-policy.ts) to every root and field resolver:
 * refuses roles the type's policy does not admit before the resolver runs, and drops the rows outside the
 * caller's scope from what it returns. Enabled for field resolvers by `fieldResolverEnhancers: ['interceptors']`.
 */
@Injectable()
export class ReadPolicyInterceptor implements NestInterceptor {
  constructor(private readonly db: Db) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() !== 'graphql') return next.handle();
    const gql = GqlExecutionContext.create(context);
    const info = gql.getInfo<GraphQLResolveInfo>();
    const found = info && policyForReturnType(info);
    if (!found) return next.handle();
    const { policy, typeName, connection } = found;
    const ctx = gql.getContext<RequestContext>();
    const user = ctx.user;
    if (!policyAdmits(policy, user?.role ?? null)) {
      if (!user) throw new AppError('UNAUTHENTICATED', ctx.authError ?? '请先登录：此数据需要访问令牌');
      throw new AppError('FORBIDDEN', `角色 ${user.role} 无权查看 ${typeName}（${info.parentType.name}.${info.fieldName}）`, { type: typeName });
    }
    if (!policy.scope || user?.role === 'PLATFORM_ADMIN') return next.handle();
    const tools = this.tools(ctx);
    const where = `${info.parentType.name}.${info.fieldName}`;
    return next.handle().pipe(
      mergeMap(async (value: unknown) => {
        if (value === null || value === undefined) return value;
        if (connection) {
          const page = value as { nodes?: unknown[] };
          if (!Array.isArray(page.nodes)) return value;
          const nodes = await this.visible(policy, page.nodes, ctx, tools);
          if (nodes.length !== page.nodes.length) logger.warn({ requestId: ctx.requestId, field: where, dropped: page.nodes.length - nodes.length }, 'read policy dropped rows a service returned');
          return { ...page, nodes };
        }
        if (Array.isArray(value)) return this.visible(policy, value, ctx, tools);
        if (await rowVisible(policy, value, user, tools)) return value;
        if (!isNonNullType(info.returnType)) return null;
        throw new AppError('FORBIDDEN', `此 ${typeName} 记录不在您的查看范围内（${where}）`, { type: typeName });
      }),
    );
  }

  private async visible(policy: ReadPolicyDefinition, rows: unknown[], ctx: RequestContext, tools: ReadPolicyTools): Promise<unknown[]> {
    const keep = await Promise.all(rows.map((row) => rowVisible(policy, row, ctx.user, tools)));
    return rows.filter((_, i) => keep[i]);
  }

  private tools(ctx: RequestContext): ReadPolicyTools {
    const loader = ctx.loaders.get<string, string>('readPolicy.regionPath', async (codes) => {
      const rows: { code: string; path: string }[] = await this.db.manager.query('SELECT code, path FROM region WHERE code = ANY($1::text[])', [[...codes]]);
      const byCode = new Map(rows.map((r) => [r.code.trim(), r.path]));
      return codes.map((code) => byCode.get(code) ?? null);
    });
    return { regionPath: (code) => loader.load(code.trim()) };
  }
}
