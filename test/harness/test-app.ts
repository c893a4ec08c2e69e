import 'reflect-metadata';
import { randomBytes } from 'crypto';
import { DynamicModule, Global, INestApplication, Module, Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { AppConfig } from '../../src/platform/config/app-config';
import { FakeClock } from '../../src/platform/clock/clock';
import { JobsService } from '../../src/platform/jobs/jobs.service';
import { DEMO_PASSWORD } from '../../src/catalog/demo/demo-data';
import { configureHttp } from '../../src/platform/http/configure-http';
import { ADMIN_URL_ENV, adminQuery, databaseUrl, TEMPLATE_DEMO, TEMPLATE_EMPTY } from './pg-server';
import { TEST_ADMIN, testConfig } from './test-config';

export interface GqlResponse<T = Record<string, any>> {
  status: number;
  data: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
  body: any;
}

/** A GraphQL caller logged in as one user (or anonymous). */
export class GqlClient {
  private token: string | null = null;
  private expiresAt = 0;

  constructor(
    private readonly testApp: TestApp,
    readonly username: string | null,
    private readonly password: string | null,
  ) {}

  async accessToken(): Promise<string | null> {
    if (!this.username) return null;
    if (!this.token || this.testApp.clock.now().getTime() >= this.expiresAt - 1000) {
      const res = await this.testApp.gql(
        `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken accessTokenExpiresAt } }`,
        { u: this.username, p: this.password },
      );
      if (!res.data?.login) throw new Error(`login as ${this.username} failed: ${JSON.stringify(res.errors)}`);
      this.token = res.data.login.accessToken;
      this.expiresAt = new Date(res.data.login.accessTokenExpiresAt).getTime();
    }
    return this.token;
  }

  async gql<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<GqlResponse<T>> {
    return this.testApp.gql<T>(query, variables, await this.accessToken());
  }

  /** Runs the operation and fails the test with the errors if there were any. */
  async ok<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await this.gql<T>(query, variables);
    if (res.errors?.length || !res.data) throw new Error(`GraphQL errors as ${this.username}: ${JSON.stringify(res.errors ?? res.body)}`);
    return res.data;
  }

  /** Runs the operation, expects it refused, and returns the first error's extensions. */
  async refused(query: string, variables: Record<string, unknown> = {}): Promise<{ code: string; field?: string; message: string; status: number }> {
    const res = await this.gql(query, variables);
    if (!res.errors?.length) throw new Error(`expected a refusal as ${this.username}, got ${JSON.stringify(res.data)}`);
    const [error] = res.errors;
    return { code: error.extensions?.code, field: error.extensions?.field, message: error.message, status: res.status };
  }
}

/**
 * The app under test: a real Nest app over HTTP (supertest) on its own database cloned from a migrated
 * template, with a fake clock the test moves.
 */
export class TestApp {
  private readonly clients = new Map<string, GqlClient>();

  constructor(
    readonly app: INestApplication,
    readonly clock: FakeClock,
    readonly dataSource: DataSource,
    readonly config: AppConfig,
    readonly databaseName: string,
    readonly databaseUrl: string,
  ) {}

  get http() {
    return this.app.getHttpServer();
  }

  get jobs(): JobsService {
    return this.app.get(JobsService);
  }

  async gql<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, token?: string | null): Promise<GqlResponse<T>> {
    let req = request(this.http).post('/graphql').set('Content-Type', 'application/json');
    if (token) req = req.set('Authorization', `Bearer ${token}`);
    const res = await req.send({ query, variables });
    return { status: res.status, data: res.body?.data ?? null, errors: res.body?.errors, body: res.body };
  }

  /** A client logged in as a demo user (demo password) or as the given user. */
  as(username: string, password = DEMO_PASSWORD): GqlClient {
    const key = `${username}\u0000${password}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new GqlClient(this, username, password);
      this.clients.set(key, client);
    }
    return client;
  }

  get admin(): GqlClient {
    return this.as(TEST_ADMIN.username, TEST_ADMIN.password);
  }

  get anonymous(): GqlClient {
    return new GqlClient(this, null, null);
  }

  /** Raw SQL on the test's database, for assertions about what was (not) written. */
  sql<T = any>(text: string, params: unknown[] = []): Promise<T[]> {
    return this.dataSource.query(text, params);
  }

  async close(): Promise<void> {
    await this.app.close();
    await adminQuery(process.env[ADMIN_URL_ENV]!, `DROP DATABASE IF EXISTS ${this.databaseName} WITH (FORCE)`);
  }
}

export interface TestAppOptions {
  /** Start from the Henan demo data (default) or from an empty catalogue with only the admin. */
  demo?: boolean;
  now?: string;
  config?: Partial<AppConfig>;
  /**
   * Test-only implementations of ports: a token no module provides is served by a global module, and a
   * token a real module provides (e.g. LISTING_PRICES from ListingModule) is overridden with this one.
   */
  providers?: Provider[];
}

export function extraProvidersModule(providers: Provider[]) {
  const tokens = providers.map((p) => (typeof p === 'function' ? p : p.provide));
  @Global()
  @Module({ providers, exports: tokens })
  class TestProvidersModule {}
  return TestProvidersModule;
}

export async function createDatabaseFromTemplate(demo = true): Promise<{ name: string; url: string }> {
  const adminUrl = process.env[ADMIN_URL_ENV];
  if (!adminUrl) throw new Error('e2e tests need the global setup (run them through jest)');
  const name = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${demo ? TEMPLATE_DEMO : TEMPLATE_EMPTY}`);
  return { name, url: databaseUrl(adminUrl, name) };
}

/**
 * Creates the app, with test-only port implementations when given: tokens no module provides come from a
 * global module; tokens a real module provides (e.g. LISTING_PRICES from ListingModule) are overridden.
 */
export async function createAppWith(root: DynamicModule, providers: Provider[] = []): Promise<INestApplication> {
  if (!providers.length) return NestFactory.create(root, { logger: false });
  root.imports = [...(root.imports ?? []), extraProvidersModule(providers)];
  let builder = Test.createTestingModule({ imports: [root] });
  for (const provider of providers) {
    if (typeof provider === 'function') continue;
    const override = builder.overrideProvider(provider.provide);
    if ('useClass' in provider) builder = override.useClass(provider.useClass);
    else if ('useValue' in provider) builder = override.useValue(provider.useValue);
    else if ('useFactory' in provider) builder = override.useFactory({ factory: provider.useFactory, inject: provider.inject });
  }
  return (await builder.compile()).createNestApplication({ logger: false });
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const { name, url } = await createDatabaseFromTemplate(options.demo ?? true);
  const config = testConfig({ databaseUrl: url, ...options.config });
  const clock = new FakeClock(options.now ?? '2026-03-02T09:00:00+08:00');
  const root = AppModule.forRoot({ config, clock });
  const app = await createAppWith(root, options.providers);
  configureHttp(app);
  await app.init();
  return new TestApp(app, clock, app.get(DataSource), config, name, url);
}
