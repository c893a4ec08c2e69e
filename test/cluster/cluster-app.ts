import { Pool } from 'pg';
import { ClusterState, readState } from '../../scripts/cluster/cluster-lib';
import { DEMO_PASSWORD } from '../../src/catalog/demo/demo-data';
import { TEST_ADMIN } from '../harness/test-config';

export interface Answer<T = any> {
  status: number;
  data: T | null;
  errors?: { message: string; extensions?: Record<string, any> }[];
  headers: Headers;
}

/** A user calling the cluster through one base URL (the entry point, or one replica directly). */
export class ClusterCaller {
  private token: string | null = null;

  constructor(
    private readonly cluster: ClusterApp,
    readonly username: string,
    private readonly password: string,
    readonly baseUrl: string,
  ) {}

  async accessToken(): Promise<string> {
    if (!this.token) this.token = await this.cluster.login(this.username, this.password, this.baseUrl);
    return this.token;
  }

  async gql<T = any>(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Answer<T>> {
    return this.cluster.post<T>(this.baseUrl, query, variables, { authorization: `Bearer ${await this.accessToken()}`, ...headers });
  }

  async ok<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await this.gql<T>(query, variables);
    if (res.errors?.length || !res.data) throw new Error(`GraphQL errors as ${this.username} via ${this.baseUrl}: ${JSON.stringify(res.errors ?? res.status)}`);
    return res.data;
  }

  async refused(query: string, variables: Record<string, unknown> = {}) {
    const res = await this.gql(query, variables);
    if (!res.errors?.length) throw new Error(`expected a refusal as ${this.username}, got ${JSON.stringify(res.data)}`);
    const [error] = res.errors;
    return { code: error.extensions?.code, field: error.extensions?.field, message: error.message, status: res.status };
  }

  /** The same user through another base URL (tokens are valid on every replica: one JWT secret). */
  via(baseUrl: string): ClusterCaller {
    const other = new ClusterCaller(this.cluster, this.username, this.password, baseUrl);
    other.token = this.token;
    return other;
  }
}

/**
 * The running cluster (state.json of `npm run cluster:up`) seen by a test: GraphQL through the entry point
 * or one replica, and SQL straight on the primary. Shaped like TestApp where the shared fixtures need it
 * (`sql`, `as`, `admin`).
 */
export class ClusterApp {
  readonly state: ClusterState;
  private readonly pool: Pool;
  private readonly tokens = new Map<string, string>();

  constructor() {
    const state = readState();
    if (!state?.entry) throw new Error('no running cluster: npm run cluster:up (the global setup of test:cluster starts one)');
    this.state = state;
    this.pool = new Pool({ connectionString: state.appEnv.DATABASE_DIRECT_URL, max: 4 });
  }

  get entry(): string {
    return this.state.entry!.url;
  }

  /** Base URLs of the app replicas themselves. */
  get replicas(): string[] {
    return this.state.apps.map((a) => a.url);
  }

  async post<T = any>(baseUrl: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer<T>> {
    const res = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    const text = await res.text();
    let body: any = {};
    try {
      body = JSON.parse(text);
    } catch {
      body = { errors: [{ message: text, extensions: { code: `HTTP_${res.status}` } }] };
    }
    return { status: res.status, data: body.data ?? null, errors: body.errors, headers: res.headers };
  }

  async login(username: string, password: string, baseUrl = this.entry): Promise<string> {
    const key = `${username}\u0000${password}`;
    const known = this.tokens.get(key);
    if (known) return known;
    const res = await this.post(baseUrl, `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }`, { u: username, p: password });
    if (!res.data?.login) throw new Error(`login as ${username} failed: ${JSON.stringify(res.errors)}`);
    this.tokens.set(key, res.data.login.accessToken);
    return res.data.login.accessToken;
  }

  as(username: string, password = DEMO_PASSWORD, baseUrl = this.entry): ClusterCaller {
    return new ClusterCaller(this, username, password, baseUrl);
  }

  get admin(): ClusterCaller {
    return this.as(TEST_ADMIN.username, TEST_ADMIN.password);
  }

  async sql<T = any>(text: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(text, params)).rows as T[];
  }

  /** The platform's now (training clock included). */
  async platformTime(): Promise<Date> {
    return new Date((await this.admin.ok<{ platformTime: string }>('query { platformTime }')).platformTime);
  }

  /** A metric of one replica (sum over label sets matching `labels`). */
  async metric(baseUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    let sum = 0;
    for (const line of text.split('\n')) {
      if (!line.startsWith(name)) continue;
      const match = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
      if (!match || match[1] !== name) continue;
      if (Object.entries(labels).every(([k, v]) => (match[2] ?? '').includes(`${k}="${v}"`))) sum += Number(match[3]);
    }
    return sum;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
