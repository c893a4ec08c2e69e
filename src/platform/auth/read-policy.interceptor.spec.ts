import 'reflect-metadata';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { Field, ObjectType } from '@nestjs/graphql';
import { GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLString } from 'graphql';
import { firstValueFrom, of } from 'rxjs';
import { AuthUser, RequestContext } from '../context/request-context';
import { Loaders } from '../graphql/loaders';
import { Db } from '../database/db';
import { everyRow, inRegion, ownBy, ReadPolicy, readPolicyOf } from './read-policy';
import { ReadPolicyInterceptor } from './read-policy.interceptor';

@ReadPolicy({ roles: ['MANUFACTURER', 'REGULATOR', 'PLATFORM_ADMIN'], scope: { MANUFACTURER: ownBy('manufacturerId'), REGULATOR: inRegion() } })
@ObjectType('PolicySpecRow')
class PolicySpecRow {
  @Field(() => String) manufacturerId: string;
  @Field(() => String) regionCode: string;
}

const rowType = new GraphQLObjectType({ name: 'PolicySpecRow', fields: { manufacturerId: { type: GraphQLString } } });
const parentType = new GraphQLObjectType({ name: 'Parent', fields: { x: { type: GraphQLString } } });
const REGIONS: Record<string, string> = { '410000': '410000', '410100': '410000/410100', '410300': '410000/410300' };
const db = { manager: { query: async (_sql: string, [codes]: [string[]]) => codes.filter((c) => REGIONS[c]).map((code) => ({ code, path: REGIONS[code] })) } } as unknown as Db;

function user(role: AuthUser['role'], organisationId = 'org-a', regionPath = '410000/410100'): AuthUser {
  return { id: 'u', username: 'u', role, organisationId, organisationKind: role, regionCode: '410100', regionPath };
}

async function run(caller: AuthUser | null, returnType: any, value: unknown) {
  const ctx: RequestContext = { requestId: 'r', user: caller, authError: null, loaders: new Loaders() };
  const info = { returnType, parentType, fieldName: 'rows' };
  const host = new ExecutionContextHost([{}, {}, ctx, info]);
  host.setType('graphql');
  return firstValueFrom(new ReadPolicyInterceptor(db).intercept(host, { handle: () => of(value) }));
}

const rows = [
  { manufacturerId: 'org-a', regionCode: '410100' },
  { manufacturerId: 'org-b', regionCode: '410300' },
];

describe('ReadPolicyInterceptor', () => {
  it('registers the policy under the GraphQL type name', () => {
    expect(readPolicyOf('PolicySpecRow')?.roles).toEqual(['MANUFACTURER', 'REGULATOR', 'PLATFORM_ADMIN']);
    expect(PolicySpecRow.name).toBe('PolicySpecRow');
  });

  it('refuses a role the policy does not admit before the resolver runs, and anonymous callers as unauthenticated', async () => {
    let ran = false;
    const host = () => {
      const ctx: RequestContext = { requestId: 'r', user: user('HOSPITAL'), authError: null, loaders: new Loaders() };
      const h = new ExecutionContextHost([{}, {}, ctx, { returnType: new GraphQLList(rowType), parentType, fieldName: 'rows' }]);
      h.setType('graphql');
      return h;
    };
    expect(() => new ReadPolicyInterceptor(db).intercept(host(), { handle: () => ((ran = true), of(rows)) })).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }));
    expect(ran).toBe(false);
    await expect(run(null, new GraphQLList(rowType), rows)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it("filters lists and connections to the caller's rows: own organisation, or region subtree", async () => {
    expect(await run(user('MANUFACTURER'), new GraphQLList(rowType), rows)).toEqual([rows[0]]);
    expect(await run(user('MANUFACTURER', 'org-b'), new GraphQLList(rowType), rows)).toEqual([rows[1]]);
    expect(await run(user('REGULATOR', 'reg', '410000/410300'), new GraphQLList(rowType), rows)).toEqual([rows[1]]);
    expect(await run(user('REGULATOR', 'reg', '410000'), new GraphQLList(rowType), rows)).toEqual(rows);
    const connection = new GraphQLObjectType({ name: 'PolicySpecRowConnection', fields: { nodes: { type: new GraphQLList(rowType) }, totalCount: { type: GraphQLString } } });
    expect(await run(user('MANUFACTURER'), connection, { nodes: rows, totalCount: 2 })).toEqual({ nodes: [rows[0]], totalCount: 2 });
  });

  it('answers a single out-of-scope object with null where nullable and FORBIDDEN where not', async () => {
    expect(await run(user('MANUFACTURER'), rowType, rows[1])).toBeNull();
    expect(await run(user('MANUFACTURER'), rowType, rows[0])).toBe(rows[0]);
    await expect(run(user('MANUFACTURER'), new GraphQLNonNull(rowType), rows[1])).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });

  it('lets the platform admin read every row, and leaves types without a policy alone', async () => {
    expect(await run(user('PLATFORM_ADMIN'), new GraphQLList(rowType), rows)).toEqual(rows);
    expect(await run(user('HOSPITAL'), GraphQLString, 'anything')).toBe('anything');
    expect(everyRow(rows[1], user('HOSPITAL'), { regionPath: async () => null })).toBe(true);
  });
});
