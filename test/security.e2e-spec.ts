import { isNonNullType, isInputObjectType, getNullableType, GraphQLInputType, isScalarType, isListType } from 'graphql';
import { startTestApp, TestApp, TEST_ADMIN } from '@test/harness';
import { DEMO_PASSWORD } from '../src/catalog/demo/demo-data';
import { callOf, loadPublishedSchema, operationsOf, placeholder } from './security/operation-calls';
import { Allowed, AUTHORIZATION_MATRIX, Role, ROLE_USERS } from './security/authorization-matrix';

const ROLES = Object.keys(ROLE_USERS) as Role[];
const DENIED = new Set(['FORBIDDEN', 'UNAUTHENTICATED']);

function allows(allowed: Allowed, role: Role | 'ANONYMOUS'): boolean {
  if (allowed === 'PUBLIC') return true;
  if (role === 'ANONYMOUS') return false;
  return allowed === 'ANY' || allowed.includes(role);
}

describe('security: authorisation matrix over every operation in schema.gql', () => {
  let t: TestApp;
  const schema = loadPublishedSchema();
  const operations = operationsOf(schema);
  const client = (role: Role | 'ANONYMOUS') =>
    role === 'ANONYMOUS' ? t.anonymous : role === 'PLATFORM_ADMIN' ? t.as(TEST_ADMIN.username, TEST_ADMIN.password) : t.as(ROLE_USERS[role], DEMO_PASSWORD);

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('has a row for every published operation, and no stale rows', () => {
    const published = operations.map((o) => o.name).sort();
    expect(Object.keys(AUTHORIZATION_MATRIX).sort()).toEqual(published);
  });

  it('allows and denies each operation for each role exactly as the table says', async () => {
    const mismatches: string[] = [];
    for (const op of operations) {
      const expected = AUTHORIZATION_MATRIX[op.name];
      if (!expected) continue;
      const { query, variables } = callOf(op);
      for (const role of ['ANONYMOUS', ...ROLES] as const) {
        const res = await client(role).gql(query, variables);
        if (res.status >= 500) mismatches.push(`${op.name} as ${role}: HTTP ${res.status}`);
        const codes = (res.errors ?? []).map((e) => e.extensions?.code);
        if (codes.includes('INTERNAL')) mismatches.push(`${op.name} as ${role}: INTERNAL ${JSON.stringify(res.errors)}`);
        const denied = codes.some((c) => DENIED.has(c));
        if (denied === allows(expected, role)) mismatches.push(`${op.name} as ${role}: ${denied ? 'denied' : 'allowed'} (${codes.join(',') || 'ok'})`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000); // every operation × every role: grows with the API
});

/** Malformed variants of one input value: wrong types, out-of-range and oversized values. */
function malformed(type: GraphQLInputType): unknown[] {
  const inner = getNullableType(type);
  if (isListType(inner)) return [[], 'not-a-list', [null]];
  if (isInputObjectType(inner)) return ['not-an-object', {}];
  if (isScalarType(inner)) {
    switch (inner.name) {
      case 'Int':
        return [-1, 0, 1.5, 2 ** 40, 'seven'];
      case 'Boolean':
        return ['yes'];
      case 'ID':
        return ['not-a-uuid', ''];
      case 'Money':
        return ['-0.001', '1e9', 12.5, 'abc'];
      case 'UnitPrice':
        return ['-1', '0', '1.23456', 1.5, ''];
      case 'DateTime':
        return ['2026-03-01 09:00', 'yesterday', 5];
      default:
        return ['', 'x'.repeat(10_000), 42, '\u0000'];
    }
  }
  return [null];
}

describe('security: fuzzed mutations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  let countQuery = '';
  /** Row counts of every table but the append-only logs, in one round trip. */
  async function rowCounts(): Promise<Record<string, number>> {
    if (!countQuery) {
      const tables: { table_name: string }[] = await t.sql(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
           AND table_name NOT IN ('audit_log', 'refresh_token', 'login_throttle', 'migrations')`,
      );
      countQuery = tables.map(({ table_name }) => `SELECT '${table_name}' AS t, count(*)::int AS n FROM "${table_name}"`).join(' UNION ALL ');
    }
    const rows: { t: string; n: number }[] = await t.sql(countQuery);
    return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
  }

  it('answers every malformed input to every mutation with a coded error, never a 500, and writes nothing', async () => {
    const schema = loadPublishedSchema();
    const problems: string[] = [];
    const mutations = operationsOf(schema).filter((o) => o.kind === 'mutation');
    for (const op of mutations) {
      const allowed = AUTHORIZATION_MATRIX[op.name];
      const role: Role = allowed === 'PUBLIC' || allowed === 'ANY' || !allowed ? 'PLATFORM_ADMIN' : allowed[0];
      const caller = role === 'PLATFORM_ADMIN' ? t.as(TEST_ADMIN.username, TEST_ADMIN.password) : t.as(ROLE_USERS[role]);
      await caller.accessToken();
      // one field at a time is made malformed, the rest stay well-typed placeholders
      const targets: { path: string[]; type: GraphQLInputType }[] = [];
      for (const arg of op.field.args.filter((a) => isNonNullType(a.type))) {
        targets.push({ path: [arg.name], type: arg.type });
        const inner = getNullableType(arg.type);
        if (isInputObjectType(inner)) {
          for (const field of Object.values(inner.getFields())) targets.push({ path: [arg.name, field.name], type: field.type });
        }
      }
      for (const target of targets) {
        for (const bad of malformed(target.type)) {
          const before = await rowCounts();
          const { query, variables } = callOf(op, (arg) => placeholder(arg.type));
          if (target.path.length === 1) variables[target.path[0]] = bad;
          else (variables[target.path[0]] as Record<string, unknown>)[target.path[1]] = bad;
          const res = await caller.gql(query, variables);
          const label = `${op.name}(${target.path.join('.')} = ${JSON.stringify(bad)?.slice(0, 30)})`;
          if (res.status >= 500) problems.push(`${label}: HTTP ${res.status}`);
          if (!res.errors?.length) problems.push(`${label}: accepted`);
          else if (res.errors.some((e) => !e.extensions?.code || e.extensions.code === 'INTERNAL')) problems.push(`${label}: ${JSON.stringify(res.errors[0])}`);
          const after = await rowCounts();
          for (const table of Object.keys(after)) if (after[table] !== before[table]) problems.push(`${label}: wrote to ${table}`);
        }
      }
    }
    expect(problems).toEqual([]);
    // every mutation × every malformed field, with row counts around each: grows with the API, not a timing claim
  }, 300_000);
});

describe('security: production mode', () => {
  it('refuses introspection to anonymous callers and serves no IDE', async () => {
    const t = await startTestApp({ config: { nodeEnv: 'production' } });
    try {
      const res = await t.anonymous.gql(`{ __schema { types { name } } }`);
      expect(res.errors?.[0].extensions?.code).toBe('INTROSPECTION_DISABLED');
      const typeQuery = await t.anonymous.gql(`{ __type(name: "Organisation") { name } }`);
      expect(typeQuery.errors?.[0].extensions?.code).toBe('INTROSPECTION_DISABLED');
      const loggedIn = await t.as('reg-henan').gql(`{ __schema { queryType { name } } }`);
      expect(loggedIn.errors).toBeUndefined();
      const suggestion = await t.anonymous.gql(`{ regionz { code } }`);
      expect(JSON.stringify(suggestion.errors)).not.toMatch(/Did you mean/);
    } finally {
      await t.close();
    }
  });
});
