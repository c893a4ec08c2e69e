import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { getNamedType, GraphQLResolveInfo, GraphQLSchema, isNonNullType, isObjectType } from 'graphql';
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

/** A field's policy, decided once: what `policyForReturnType` found, or null for an ungoverned type. */
type GovernedField = NonNullable<ReturnType<typeof policyForReturnType>>;

/**
 * The read policy of a resolver's return type (see read-policy.ts), applied to one resolver call: `admit`
 * refuses roles the type's policy does not admit before the resolver runs; `filter` drops the rows outside
 * the caller's scope from what it returned. Root resolvers reach it through ReadPolicyInterceptor, field
 * resolvers through `enforceReadPolicyOnFieldResolvers` (a plain wrapper: Nest's interceptor pipeline per
 * field — rxjs and an async resource per call — was a fifth of the CPU of a nested read).
 */
export class ReadPolicyEnforcer {
  constructor(private readonly db: Db) {}

  /** Throws when the caller may not read the type; null when nothing is left to filter. */
  admit(found: GovernedField | null, info: Pick<GraphQLResolveInfo, 'parentType' | 'fieldName'>, ctx: RequestContext): GovernedField | null {
    if (!found) return null;
    const { policy, typeName } = found;
    const user = ctx.user;
    if (!policyAdmits(policy, user?.role ?? null)) {
      if (!user) throw new AppError('UNAUTHENTICATED', ctx.authError ?? '请先登录：此数据需要访问令牌');
      throw new AppError('FORBIDDEN', `角色 ${user.role} 无权查看 ${typeName}（${info.parentType.name}.${info.fieldName}）`, { type: typeName });
    }
    if (!policy.scope || user?.role === 'PLATFORM_ADMIN') return null;
    return found;
  }

  async filter(found: GovernedField, info: Pick<GraphQLResolveInfo, 'parentType' | 'fieldName' | 'returnType'>, ctx: RequestContext, value: unknown): Promise<unknown> {
    if (value === null || value === undefined) return value;
    const { policy, typeName, connection } = found;
    const tools = this.tools(ctx);
    const where = `${info.parentType.name}.${info.fieldName}`;
    if (connection) {
      const page = value as { nodes?: unknown[] };
      if (!Array.isArray(page.nodes)) return value;
      const nodes = await this.visible(policy, page.nodes, ctx, tools);
      if (nodes.length !== page.nodes.length) logger.warn({ requestId: ctx.requestId, field: where, dropped: page.nodes.length - nodes.length }, 'read policy dropped rows a service returned');
      return { ...page, nodes };
    }
    if (Array.isArray(value)) return this.visible(policy, value, ctx, tools);
    if (await rowVisible(policy, value, ctx.user, tools)) return value;
    if (!isNonNullType(info.returnType)) return null;
    throw new AppError('FORBIDDEN', `此 ${typeName} 记录不在您的查看范围内（${where}）`, { type: typeName });
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

/** Applies the read policy to every root resolver (queries and mutations; field resolvers: see below). */
@Injectable()
export class ReadPolicyInterceptor implements NestInterceptor {
  private readonly enforcer: ReadPolicyEnforcer;

  constructor(db: Db) {
    this.enforcer = new ReadPolicyEnforcer(db);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() !== 'graphql') return next.handle();
    const gql = GqlExecutionContext.create(context);
    const info = gql.getInfo<GraphQLResolveInfo>();
    const ctx = gql.getContext<RequestContext>();
    const governed = info ? this.enforcer.admit(policyForReturnType(info), info, ctx) : null;
    if (!governed) return next.handle();
    return next.handle().pipe(mergeMap((value: unknown) => this.enforcer.filter(governed, info, ctx, value)));
  }
}

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * Wraps every field resolver below the root types (the `@ResolveField`s: fields without a resolver return a
 * property of a row the policy already admitted) with the read policy of its return type, decided once per
 * field here rather than per call. Installed as the schema's `transformSchema`.
 */
export function enforceReadPolicyOnFieldResolvers(schema: GraphQLSchema, enforcer: ReadPolicyEnforcer): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || ROOT_TYPES.has(type.name)) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve;
      const found = policyForReturnType({ returnType: field.type });
      // `rootFieldResolver` is Nest's reader of a plain property (with its default value), not a resolver: the
      // row it reads from was admitted where it was resolved (an AuthPayload's user is the caller being logged in)
      if (!resolve || !found || resolve.name === 'rootFieldResolver') continue;
      field.resolve = (source, args, ctx: RequestContext, info) => {
        const governed = enforcer.admit(found, info, ctx);
        const value = resolve(source, args, ctx, info);
        if (!governed) return value;
        return Promise.resolve(value).then((v) => enforcer.filter(governed, info, ctx, v));
      };
    }
  }
  return schema;
}
