import { createHash, createSecretKey, KeyObject, randomBytes } from 'crypto';
import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Clock, wallNow } from '../clock/clock';
import { AuthUser } from '../context/request-context';
import { ROLES } from './roles';

const ISSUER = 'vbp-platform';
/** The one signing algorithm accepted: a token claiming `none`, RS256 or HS512 is refused before its claims are read. */
const ALGORITHM = 'HS256' as const;
/** Verified tokens remembered per process (a client sends its token with every request); the oldest leave first. */
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * Short-lived signed access tokens (HS256, pinned) that must carry `exp` and `iat` with a lifetime no longer
 * than ACCESS_TOKEN_TTL_SECONDS, and opaque refresh tokens stored only as hashes.
 */
@Injectable()
export class TokenService {
  /** Made once: jsonwebtoken would otherwise build a key object from the secret on every request. */
  private readonly key: KeyObject;
  /**
   * Tokens that passed verification, with their caller and expiry. A token is immutable and an access token
   * is not revocable before it expires (refresh tokens are), so a remembered verdict stays true until `exp`,
   * which is still checked against the clock on every use. Only accepted tokens are kept: a forged or altered
   * token is never found here and goes through the full check.
   */
  private readonly verified = new Map<string, { user: AuthUser; exp: number }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  issueAccessToken(user: AuthUser): { token: string; expiresAt: Date } {
    const nowSeconds = Math.floor(wallNow(this.clock).getTime() / 1000);
    const exp = nowSeconds + this.config.accessTokenTtlSeconds;
    const token = jwt.sign(
      { sub: user.id, usr: user.username, rol: user.role, org: user.organisationId, okd: user.organisationKind, reg: user.regionCode, rgp: user.regionPath, iat: nowSeconds, exp },
      this.key,
      // `iat` comes from the injectable clock (jsonwebtoken keeps a given iat, and would drop it with noTimestamp)
      { algorithm: ALGORITHM, issuer: ISSUER },
    );
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** The caller from an `Authorization: Bearer …` header, or the reason it is not accepted. */
  verifyAccessToken(token: string): { user: AuthUser } | { error: string } {
    const nowSeconds = Math.floor(wallNow(this.clock).getTime() / 1000);
    const known = this.verified.get(token);
    // jsonwebtoken's rule: expired once the clock reaches `exp`
    if (known && nowSeconds < known.exp) return { user: known.user };
    const verdict = this.verify(token, nowSeconds);
    if ('user' in verdict) {
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
      // shared by every request that carries this token: nobody may change it
      Object.freeze(verdict.user);
      this.verified.set(token, verdict);
      return { user: verdict.user };
    }
    this.verified.delete(token);
    return verdict;
  }

  private verify(token: string, nowSeconds: number): { user: AuthUser; exp: number } | { error: string } {
    try {
      const claims = jwt.verify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        clockTimestamp: nowSeconds,
      }) as Record<string, unknown>;
      // jsonwebtoken accepts a token without `exp` as never expiring: ours always carry one, no longer than the TTL
      if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') return { error: 'The access token has no expiry' };
      if (claims.exp - claims.iat > this.config.accessTokenTtlSeconds) {
        return { error: 'The access token is not valid' };
      }
      if (typeof claims.sub !== 'string' || typeof claims.org !== 'string') return { error: 'The access token is not valid' };
      if (!ROLES.includes(claims.rol as never)) return { error: 'The access token names an unknown role' };
      return {
        user: {
          id: String(claims.sub),
          username: String(claims.usr),
          role: claims.rol as AuthUser['role'],
          organisationId: String(claims.org),
          organisationKind: String(claims.okd),
          regionCode: String(claims.reg),
          regionPath: String(claims.rgp),
        },
        exp: claims.exp,
      };
    } catch (error) {
      return { error: (error as Error).name === 'TokenExpiredError' ? 'The access token has expired; refresh it or log in again' : 'The access token is not valid' };
    }
  }

  newRefreshToken(): { token: string; hash: string } {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: TokenService.hashRefreshToken(token) };
  }

  static hashRefreshToken(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }
}
