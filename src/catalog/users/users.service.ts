import { randomUUID } from 'crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, In, IsNull } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../platform/config/app-config';
import { Clock, wallNow } from '../../platform/clock/clock';
import { Db, isUniqueViolation } from '../../platform/database/db';
import { JobsService } from '../../platform/jobs/jobs.service';
import { AuditService } from '../../platform/audit/audit.service';
import { TokenService } from '../../platform/auth/token.service';
import { loginSource, normaliseUsername, throttleKey } from '../../platform/auth/login-throttle';
import { formatShanghai } from '@libs/calendar';
import { hashPassword, passwordProblem, verifyPassword } from '../../platform/auth/password';
import { AuthUser, RequestContext } from '../../platform/context/request-context';
import { AppError, notFound } from '../../platform/errors/app-error';
import { Role } from '../../platform/auth/roles';
import { CatalogErrors } from '../catalog.errors';
import { Organisation, OrganisationKind } from '../organisations/organisation.entity';
import { Region } from '../regions/region.entity';
import { LoginThrottle, RefreshToken, User } from './user.entity';
import { AuthPayload, CreateUserInput } from './dto/user.inputs';

/** Which role a user of each kind of organisation has. */
export const ROLE_OF_KIND: Record<OrganisationKind, Role> = {
  PLATFORM: 'PLATFORM_ADMIN',
  REGULATOR: 'REGULATOR',
  HOSPITAL: 'HOSPITAL',
  MANUFACTURER: 'MANUFACTURER',
  DISTRIBUTOR: 'DISTRIBUTOR',
  SETTLEMENT_OFFICE: 'SETTLEMENT_OFFICE',
};

/** One message for unknown users and wrong passwords, so logins cannot probe usernames. */
const invalidCredentials = () => new AppError('INVALID_CREDENTIALS', 'Username or password is wrong');

/** The same for every username, known or not: this source tried it too often. */
const accountLocked = (until: Date) =>
  new AppError('ACCOUNT_LOCKED', `登录失败次数过多，请于 ${formatShanghai(until)} 后再试`, { retryAfter: formatShanghai(until) });

/** A well-formed scrypt hash no password matches, with the parameters of real ones: unknown names cost the same. */
const UNKNOWN_USER_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** node-postgres answers an UPDATE … RETURNING through TypeORM as [rows, count]; a SELECT as rows. */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

export const PRUNE_LOGIN_THROTTLE_JOB = 'auth.prune-login-throttle';

@Injectable()
export class UsersService implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly tokens: TokenService,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit() {
    this.jobs.register(PRUNE_LOGIN_THROTTLE_JOB, async () => {
      await this.pruneLoginThrottle();
    }, { cron: '20 3 * * *' });
  }

  /** Forgets throttle rows whose last failure is a day old and whose lock (if any) has ended. */
  async pruneLoginThrottle(): Promise<number> {
    const now = wallNow(this.clock);
    const deleted = rowsOf<{ key_hash: string }>(
      await this.db.manager.query(
        `DELETE FROM login_throttle WHERE last_failed_at < $1 AND (locked_until IS NULL OR locked_until < $2) RETURNING key_hash`,
        [new Date(now.getTime() - 86_400_000), now],
      ),
    );
    return deleted.length;
  }

  async get(ctx: RequestContext, id: string): Promise<User> {
    const user = await this.db.manager.findOne(User, { where: { id } });
    if (!user) throw notFound('User', 'id');
    return user;
  }

  private async authUser(em: EntityManager, user: User): Promise<AuthUser> {
    const organisation = await em.findOneOrFail(Organisation, { where: { id: user.organisationId } });
    const region = await em.findOneOrFail(Region, { where: { code: organisation.regionCode } });
    return {
      id: user.id,
      username: user.username,
      role: user.role,
      organisationId: organisation.id,
      organisationKind: organisation.kind,
      regionCode: region.code,
      regionPath: region.path,
    };
  }

  private async issue(em: EntityManager, user: User, familyId: string = randomUUID()): Promise<AuthPayload> {
    const access = this.tokens.issueAccessToken(await this.authUser(em, user));
    const refresh = this.tokens.newRefreshToken();
    await em.insert(RefreshToken, {
      userId: user.id,
      familyId,
      tokenHash: refresh.hash,
      expiresAt: new Date(wallNow(this.clock).getTime() + this.config.refreshTokenTtlSeconds * 1000),
      usedAt: null,
      revokedAt: null,
    });
    return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt, refreshToken: refresh.token, user };
  }

  /**
   * Password login, throttled per (source address, username) pair: after LOGIN_MAX_FAILURES wrong attempts
   * within LOGIN_LOCKOUT_MINUTES from one source, that source may not try that username again until
   * LOGIN_LOCKOUT_MINUTES have passed; other sources are not affected. Known and unknown usernames take the
   * same path — the same key derivation, the same writes, the same answers (INVALID_CREDENTIALS, then
   * ACCOUNT_LOCKED) — so the answers reveal nothing about which usernames exist.
   */
  async login(ctx: RequestContext, username: string, password: string): Promise<AuthPayload> {
    const now = wallNow(this.clock);
    const name = normaliseUsername(username);
    const source = loginSource(ctx.req);
    const keyHash = throttleKey(source, name);
    const throttle = await this.db.manager.findOne(LoginThrottle, { where: { keyHash } });
    if (throttle?.lockedUntil && throttle.lockedUntil > now) throw accountLocked(throttle.lockedUntil);
    const user = name.length <= 100 ? await this.db.manager.findOne(User, { where: { username: name } }) : null;
    const usable = user !== null && user.active;
    // the key derivation runs either way, so an unknown name costs as long as a wrong password
    const matches = await verifyPassword(password, usable ? user.passwordHash : UNKNOWN_USER_HASH);
    if (!usable || !matches) {
      const lockedUntil = await this.db.transaction(async (em) => {
        const windowStart = new Date(now.getTime() - this.config.loginLockoutMinutes * 60_000);
        const until = new Date(now.getTime() + this.config.loginLockoutMinutes * 60_000);
        // failures older than the window, or from before a lockout that has ended, no longer count
        const rows: { locked_until: Date | null }[] = await em.query(
          `INSERT INTO login_throttle AS t (key_hash, failures, last_failed_at, locked_until)
             VALUES ($1, 1, $2, CASE WHEN 1 >= $3 THEN $4::timestamptz END)
           ON CONFLICT (key_hash) DO UPDATE SET
             failures = CASE WHEN t.last_failed_at <= $5 OR t.locked_until <= $2 THEN 1 ELSE t.failures + 1 END,
             locked_until = CASE WHEN (CASE WHEN t.last_failed_at <= $5 OR t.locked_until <= $2 THEN 1 ELSE t.failures + 1 END) >= $3
                                 THEN $4::timestamptz END,
             last_failed_at = $2
           RETURNING locked_until`,
          [keyHash, now, this.config.loginMaxFailures, until, windowStart],
        );
        const locked = rows[0]?.locked_until ?? null;
        // one audit entry either way (same work for known and unknown names); typed usernames are not kept
        await this.audit.record(
          em,
          ctx,
          usable
            ? { action: locked ? 'user.locked' : 'user.login_failed', entityType: 'user', entityId: user.id, data: { source } }
            : { action: locked ? 'login.locked' : 'login.failed', entityType: 'login', entityId: keyHash, data: { source } },
        );
        return locked;
      });
      if (lockedUntil) throw accountLocked(lockedUntil);
      throw invalidCredentials();
    }
    return this.db.transaction(async (em) => {
      await em.delete(LoginThrottle, { keyHash });
      const payload = await this.issue(em, user);
      await this.audit.record(em, { ...ctx, user: null }, { action: 'user.logged_in', entityType: 'user', entityId: user.id, data: { source } });
      return payload;
    });
  }

  /**
   * Exchanges a refresh token (once) for a new access token and a new refresh token of the same family.
   * A spent token presented again means two parties hold the family's tokens: the family's live token is
   * revoked (every token issued after the spent one — a family has one live token at a time) and the caller
   * gets REFRESH_TOKEN_REUSED; the owner logs in again.
   */
  async refresh(ctx: RequestContext, refreshToken: string): Promise<AuthPayload> {
    const hash = TokenService.hashRefreshToken(refreshToken);
    const outcome = await this.db.transaction(async (em): Promise<AuthPayload | 'reused' | 'invalid'> => {
      const now = wallNow(this.clock);
      // claim it atomically: a token raced by two clients is honoured once
      const claimed = rowsOf<{ user_id: string; family_id: string }>(
        await em.query(
          `UPDATE refresh_token SET used_at = $2
            WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2
            RETURNING user_id, family_id`,
          [hash, now],
        ),
      );
      if (!claimed[0]) {
        const [spent] = rowsOf<{ user_id: string; family_id: string }>(
          await em.query(`SELECT user_id, family_id FROM refresh_token WHERE token_hash = $1 AND used_at IS NOT NULL`, [hash]),
        );
        if (!spent) return 'invalid';
        const revoked = rowsOf<{ id: string }>(
          await em.query(
            `UPDATE refresh_token SET revoked_at = $2 WHERE family_id = $1 AND used_at IS NULL AND revoked_at IS NULL RETURNING id`,
            [spent.family_id, now],
          ),
        );
        await this.audit.record(em, ctx, { action: 'user.refresh_token_reused', entityType: 'user', entityId: spent.user_id, data: { familyId: spent.family_id, revoked: revoked.length } });
        return 'reused';
      }
      const user = await em.findOne(User, { where: { id: claimed[0].user_id } });
      if (!user || !user.active) return 'invalid';
      return this.issue(em, user, claimed[0].family_id);
    });
    if (outcome === 'reused') {
      throw new AppError('REFRESH_TOKEN_REUSED', '该刷新令牌已使用过，同一登录签发的令牌已全部作废，请重新登录', { field: 'refreshToken' });
    }
    if (outcome === 'invalid') throw new AppError('INVALID_REFRESH_TOKEN', 'The refresh token is unknown, used, revoked or expired', { field: 'refreshToken' });
    return outcome;
  }

  async create(ctx: RequestContext, input: CreateUserInput): Promise<User> {
    const problem = passwordProblem(input.password);
    if (problem) throw new AppError('VALIDATION_FAILED', `The password ${problem}`, { field: 'input.password' });
    const passwordHash = await hashPassword(input.password);
    return this.db.transaction(async (em) => {
      const organisation = await em.findOne(Organisation, { where: { id: input.organisationId } });
      if (!organisation) throw new AppError('VALIDATION_FAILED', 'Unknown organisation', { field: 'input.organisationId' });
      if (ROLE_OF_KIND[organisation.kind] !== input.role) {
        throw new AppError('VALIDATION_FAILED', `A user of a ${organisation.kind} organisation has role ${ROLE_OF_KIND[organisation.kind]}`, { field: 'input.role' });
      }
      if (await em.findOne(User, { where: { username: input.username } })) throw CatalogErrors.duplicateUsername();
      const user = em.create(User, {
        username: input.username,
        displayName: input.displayName,
        passwordHash,
        role: input.role,
        organisationId: organisation.id,
        active: true,
      });
      try {
        await em.save(user);
      } catch (error) {
        if (isUniqueViolation(error)) throw CatalogErrors.duplicateUsername();
        throw error;
      }
      await this.audit.record(em, ctx, { action: 'user.created', entityType: 'user', entityId: user.id, data: { username: user.username, role: user.role, organisationId: organisation.id } });
      return user;
    });
  }

  /** Used by seeding: the platform admin from ADMIN_USERNAME / ADMIN_PASSWORD, created once. */
  async ensureUser(em: EntityManager, ctx: RequestContext, spec: { username: string; displayName: string; password: string; role: Role; organisationId: string }): Promise<boolean> {
    const existing = await em.findOne(User, { where: { username: spec.username } });
    if (existing) return false;
    const user = em.create(User, { ...spec, passwordHash: await hashPassword(spec.password), active: true });
    await em.save(user);
    await this.audit.record(em, ctx, { action: 'user.created', entityType: 'user', entityId: user.id, data: { username: user.username, role: user.role, organisationId: spec.organisationId } });
    return true;
  }

  async unusedRefreshTokens(userId: string): Promise<number> {
    return this.db.manager.count(RefreshToken, { where: { userId, usedAt: IsNull(), revokedAt: IsNull() } });
  }

  /** Users by id (other contexts' lookups, e.g. an opening committee's members); unknown ids are absent. */
  async findByIds(em: EntityManager, ids: string[]): Promise<User[]> {
    return ids.length ? em.find(User, { where: { id: In(ids) } }) : [];
  }
}
