import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../platform/config/app-config';
import { Clock } from '../../platform/clock/clock';
import { Db, isUniqueViolation } from '../../platform/database/db';
import { AuditService } from '../../platform/audit/audit.service';
import { TokenService } from '../../platform/auth/token.service';
import { hashPassword, passwordProblem, verifyPassword } from '../../platform/auth/password';
import { AuthUser, RequestContext } from '../../platform/context/request-context';
import { AppError, notFound } from '../../platform/errors/app-error';
import { Role } from '../../platform/auth/roles';
import { CatalogErrors } from '../catalog.errors';
import { Organisation, OrganisationKind } from '../organisations/organisation.entity';
import { Region } from '../regions/region.entity';
import { RefreshToken, User } from './user.entity';
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

@Injectable()
export class UsersService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly tokens: TokenService,
  ) {}

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

  private async issue(em: EntityManager, user: User): Promise<AuthPayload> {
    const access = this.tokens.issueAccessToken(await this.authUser(em, user));
    const refresh = this.tokens.newRefreshToken();
    await em.insert(RefreshToken, {
      userId: user.id,
      tokenHash: refresh.hash,
      expiresAt: new Date(this.clock.now().getTime() + this.config.refreshTokenTtlSeconds * 1000),
      usedAt: null,
    });
    return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt, refreshToken: refresh.token, user };
  }

  /**
   * Password login with lockout: after LOGIN_MAX_FAILURES wrong passwords in a row the account is locked
   * for LOGIN_LOCKOUT_MINUTES. A failure is committed on its own before the refusal is returned.
   */
  async login(ctx: RequestContext, username: string, password: string): Promise<AuthPayload> {
    const now = this.clock.now();
    const user = await this.db.manager.findOne(User, { where: { username: username.trim().toLowerCase() } });
    if (!user || !user.active) {
      await verifyPassword(password, 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='); // same cost either way
      throw invalidCredentials();
    }
    if (user.lockedUntil && user.lockedUntil > now) {
      throw new AppError('ACCOUNT_LOCKED', `Too many failed logins; try again after ${user.lockedUntil.toISOString()}`);
    }
    if (!(await verifyPassword(password, user.passwordHash))) {
      const locked = await this.db.transaction(async (em) => {
        const [row] = await em.query<[{ failed_logins: number }[], number]>(
          `UPDATE app_user SET failed_logins = failed_logins + 1,
             locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3::timestamptz ELSE locked_until END
           WHERE id = $1 RETURNING failed_logins, locked_until`,
          [user.id, this.config.loginMaxFailures, new Date(now.getTime() + this.config.loginLockoutMinutes * 60_000)],
        );
        const isLocked = row[0]?.failed_logins >= this.config.loginMaxFailures;
        await this.audit.record(em, ctx, { action: isLocked ? 'user.locked' : 'user.login_failed', entityType: 'user', entityId: user.id, data: {} });
        return isLocked;
      });
      if (locked) throw new AppError('ACCOUNT_LOCKED', 'Too many failed logins; the account is locked for a while');
      throw invalidCredentials();
    }
    return this.db.transaction(async (em) => {
      await em.update(User, { id: user.id }, { failedLogins: 0, lockedUntil: null });
      const payload = await this.issue(em, user);
      await this.audit.record(em, { ...ctx, user: null }, { action: 'user.logged_in', entityType: 'user', entityId: user.id, data: {} });
      return payload;
    });
  }

  /** Exchanges a refresh token (once) for a new access token and a new refresh token. */
  async refresh(ctx: RequestContext, refreshToken: string): Promise<AuthPayload> {
    const hash = TokenService.hashRefreshToken(refreshToken);
    return this.db.transaction(async (em) => {
      const now = this.clock.now();
      // claim it atomically: a token raced by two clients is honoured once
      const claimed: { user_id: string }[] = await em.query(
        `UPDATE refresh_token SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id`,
        [hash, now],
      );
      const row = Array.isArray(claimed[0]) ? (claimed[0] as unknown as { user_id: string }[])[0] : claimed[0];
      if (!row) throw new AppError('INVALID_REFRESH_TOKEN', 'The refresh token is unknown, used or expired', { field: 'refreshToken' });
      const user = await em.findOne(User, { where: { id: row.user_id } });
      if (!user || !user.active) throw new AppError('INVALID_REFRESH_TOKEN', 'The account is no longer active', { field: 'refreshToken' });
      return this.issue(em, user);
    });
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
        failedLogins: 0,
        lockedUntil: null,
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
    const user = em.create(User, { ...spec, passwordHash: await hashPassword(spec.password), failedLogins: 0, lockedUntil: null, active: true });
    await em.save(user);
    await this.audit.record(em, ctx, { action: 'user.created', entityType: 'user', entityId: user.id, data: { username: user.username, role: user.role, organisationId: spec.organisationId } });
    return true;
  }

  async unusedRefreshTokens(userId: string): Promise<number> {
    return this.db.manager.count(RefreshToken, { where: { userId, usedAt: IsNull() } });
  }
}
