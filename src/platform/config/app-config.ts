import { randomBytes } from 'crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';

/** What the app runs as: a server, a schema generator (no database), or a one-shot command. */
export type AppMode = 'server' | 'schema' | 'command';

export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  mode: AppMode;
  port: number;
  databaseUrl: string | null;
  /**
   * DATABASE_DIRECT_URL: the primary itself, not through a pooler. Migrations, the start-up lock (a
   * session-level advisory lock) and the job queue (pg-boss) connect here; defaults to DATABASE_URL.
   */
  directDatabaseUrl: string | null;
  /** DATABASE_READ_URL: a streaming standby for reads of published views, dashboards, exports and public pages. */
  readDatabaseUrl: string | null;
  /**
   * DATABASE_POOLING: `session` (a direct connection or a session-pooling proxy) or `transaction` (PgBouncer
   * in transaction mode: no named prepared statements, no session settings at connect).
   */
  databasePooling: 'session' | 'transaction';
  /** WAL_ARCHIVE_DIR: continuous WAL archiving of the embedded server into this folder (`npm run backup`). */
  walArchiveDir: string | null;
  /** READ_YOUR_WRITES_SECONDS: after a caller's write, its routed reads stay on the primary this long (per process). */
  readYourWritesSeconds: number;
  /** Connections this process keeps to PostgreSQL (DB_POOL_SIZE): a few per CPU of the database is plenty. */
  dbPoolSize: number;
  dataDir: string;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  adminUsername: string;
  adminPassword: string;
  demoData: boolean;
  /** DEMO_HISTORY: with demo data, also a year of history driven through the services (rounds, orders, settlement…). */
  demoHistory: boolean;
  /** CLOCK_CONTROL: training mode, the platform admin may move the platform clock forward (never in production). */
  clockControl: boolean;
  jobsEnabled: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  graphqlMaxDepth: number;
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: webhooks may call loopback/private addresses (an intranet HIS; tests). Off by default: no SSRF into the platform's own network. */
  webhookAllowPrivateTargets: boolean;
  graphqlMaxCost: number;
  loginMaxFailures: number;
  loginLockoutMinutes: number;
  /**
   * The single AES key of DEMO_SINGLE_KEY rounds (demo and tests). Production rounds are sealed to their
   * opening committee instead; there it is optional and only opens rounds sealed before committee sealing.
   */
  bidSealingKey: Buffer | null;
  ocidPrefix: string;
  /** Absolute base URL the platform is reached at from outside (links in published documents). */
  publicBaseUrl: string;
  /** `login` attempts per source IP per minute (a bucket that refills continuously); 0 turns the limit off. */
  rateLimitLoginPerMinute: number;
  /** Mutations per user (anonymous ones: per source IP) per minute; 0 turns the limit off. */
  rateLimitMutationsPerMinute: number;
  /** Bearer token that opens /metrics from anywhere; without it /metrics answers loopback callers only. */
  metricsToken: string | null;
  /** Ed25519 private key (32-byte seed) that signs audit checkpoints (AUDIT_SIGNING_KEY). */
  auditSigningKey: Buffer;
  /** Seconds between periodic audit checkpoints; 0 = only at round openings and settlement batches. */
  auditCheckpointIntervalSeconds: number;
  /** Where signed audit checkpoints are written, outside PostgreSQL (AUDIT_CHECKPOINT_DIR). */
  auditCheckpointDir: string;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, reason: string) {
    super(`Configuration error: ${variable} ${reason}`);
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number (got "${raw}")`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max} (got ${value})`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false (got "${raw}")`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

/**
 * A secret that production must be given, and that development generates once and keeps under the data
 * folder, so that restarts keep tokens and sealed bids readable.
 */
function secret(env: Env, name: string, production: boolean, dataDir: string, bytes: number, minLength: number): string {
  const raw = env[name];
  if (raw) {
    if (raw.length < minLength) throw new ConfigError(name, `must be at least ${minLength} characters`);
    return raw;
  }
  if (production) throw new ConfigError(name, 'is required in production');
  const file = join(dataDir, 'secrets', name.toLowerCase());
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  // the data folder stays traversable: the embedded server runs as another user below it
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  mkdirSync(join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
  const generated = randomBytes(bytes).toString('base64');
  writeFileSync(file, generated, { mode: 0o600 });
  return generated;
}

function sealingKey(env: Env, production: boolean, dataDir: string): Buffer | null {
  // production seals to opening committees; the demo key is only read there if given (older rounds)
  if (production && !env.BID_SEALING_KEY) return null;
  const text = secret(env, 'BID_SEALING_KEY', production, dataDir, 32, 44);
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new ConfigError('BID_SEALING_KEY', 'must be 32 bytes, base64-encoded (44 characters)');
  return key;
}

function metricsToken(env: Env): string | null {
  const raw = env.METRICS_TOKEN;
  if (raw === undefined || raw === '') return null;
  if (!/^[\x21-\x7e]{16,}$/.test(raw)) throw new ConfigError('METRICS_TOKEN', 'must be at least 16 printable characters without spaces');
  return raw;
}

function auditSigningKey(env: Env, production: boolean, dataDir: string): Buffer {
  const text = secret(env, 'AUDIT_SIGNING_KEY', production, dataDir, 32, 44);
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new ConfigError('AUDIT_SIGNING_KEY', 'must be an Ed25519 private key: a 32-byte seed, base64-encoded (44 characters)');
  return key;
}

/** Reads and validates the environment once at start; a wrong value stops the app with a message naming it. */
export function loadConfig(env: Env = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const production = nodeEnv === 'production';
  const dataDir = resolve(env.DATA_DIR || overrides.dataDir || './.data');
  const databaseUrl = env.DATABASE_URL || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// or postgresql:// URL');
  }
  const urlOf = (name: string): string | null => {
    const raw = env[name] || null;
    if (raw && !/^postgres(ql)?:\/\//.test(raw)) throw new ConfigError(name, 'must be a postgres:// or postgresql:// URL');
    return raw;
  };
  const directDatabaseUrl = urlOf('DATABASE_DIRECT_URL');
  const readDatabaseUrl = urlOf('DATABASE_READ_URL');
  if ((directDatabaseUrl || readDatabaseUrl) && !databaseUrl) {
    throw new ConfigError(directDatabaseUrl ? 'DATABASE_DIRECT_URL' : 'DATABASE_READ_URL', 'needs DATABASE_URL (the embedded server has no standby or pooler)');
  }
  const adminPassword = env.ADMIN_PASSWORD || (production ? '' : 'Admin#2026');
  if (!adminPassword) throw new ConfigError('ADMIN_PASSWORD', 'is required in production');
  if (adminPassword.length < 8) throw new ConfigError('ADMIN_PASSWORD', 'must be at least 8 characters');
  const config: AppConfig = {
    nodeEnv,
    mode: oneOf(env, 'APP_MODE', ['server', 'schema', 'command'] as const, 'server'),
    port: integer(env, 'PORT', 3000, 0, 65535),
    databaseUrl,
    directDatabaseUrl,
    readDatabaseUrl,
    databasePooling: oneOf(env, 'DATABASE_POOLING', ['session', 'transaction'] as const, 'session'),
    walArchiveDir: env.WAL_ARCHIVE_DIR ? resolve(env.WAL_ARCHIVE_DIR) : null,
    readYourWritesSeconds: integer(env, 'READ_YOUR_WRITES_SECONDS', 5, 0, 3600),
    dbPoolSize: integer(env, 'DB_POOL_SIZE', 20, 1, 500),
    dataDir,
    jwtSecret: secret(env, 'JWT_SECRET', production, dataDir, 48, 32),
    accessTokenTtlSeconds: integer(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86400),
    refreshTokenTtlSeconds: integer(env, 'REFRESH_TOKEN_TTL_SECONDS', 7 * 86400, 60, 90 * 86400),
    adminUsername: env.ADMIN_USERNAME || 'admin',
    adminPassword,
    demoData: boolean(env, 'DEMO_DATA', !production),
    demoHistory: boolean(env, 'DEMO_HISTORY', !production),
    clockControl: boolean(env, 'CLOCK_CONTROL', false),
    jobsEnabled: boolean(env, 'JOBS_ENABLED', true),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    graphqlMaxDepth: integer(env, 'GRAPHQL_MAX_DEPTH', 10, 2, 50),
    webhookAllowPrivateTargets: boolean(env, 'WEBHOOK_ALLOW_PRIVATE_TARGETS', false),
    graphqlMaxCost: integer(env, 'GRAPHQL_MAX_COST', 5000, 10, 1_000_000),
    loginMaxFailures: integer(env, 'LOGIN_MAX_FAILURES', 5, 1, 100),
    loginLockoutMinutes: integer(env, 'LOGIN_LOCKOUT_MINUTES', 15, 1, 1440),
    bidSealingKey: sealingKey(env, production, dataDir),
    ocidPrefix: env.OCID_PREFIX || 'ocds-hnvbp0',
    publicBaseUrl: publicBaseUrl(env),
    rateLimitLoginPerMinute: integer(env, 'RATE_LIMIT_LOGIN_PER_MINUTE', 60, 0, 1_000_000),
    rateLimitMutationsPerMinute: integer(env, 'RATE_LIMIT_MUTATIONS_PER_MINUTE', 600, 0, 1_000_000),
    metricsToken: metricsToken(env),
    auditSigningKey: auditSigningKey(env, production, dataDir),
    auditCheckpointIntervalSeconds: integer(env, 'AUDIT_CHECKPOINT_INTERVAL_SECONDS', 3600, 0, 7 * 86400),
    auditCheckpointDir: resolve(env.AUDIT_CHECKPOINT_DIR || join(dataDir, 'audit-checkpoints')),
  };
  const merged = { ...config, ...overrides };
  if (merged.clockControl && merged.nodeEnv === 'production') {
    throw new ConfigError('CLOCK_CONTROL', 'must not be true in production: the training clock moves every deadline of the platform (unset it, or run with NODE_ENV=development)');
  }
  return merged;
}

function publicBaseUrl(env: Env): string {
  const url = env.PUBLIC_BASE_URL || `http://localhost:${env.PORT || 3000}`;
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(url)) throw new ConfigError('PUBLIC_BASE_URL', 'must be an absolute http(s) URL');
  return url.replace(/\/+$/, '');
}

/** Injection token for the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');
