import { Inject, Injectable } from '@nestjs/common';
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, OperationTypeNode } from 'graphql';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Clock } from '../clock/clock';
import { RequestContext } from '../context/request-context';
import { AppError } from '../errors/app-error';
import { TokenBuckets } from './token-buckets';

/**
 * Generic request rate limits, in memory per app process (N replicas allow N times as much):
 * - `login`: RATE_LIMIT_LOGIN_PER_MINUTE attempts per source IP;
 * - any other mutation: RATE_LIMIT_MUTATIONS_PER_MINUTE per user (anonymous callers: per source IP).
 * Queries are not limited here (the cost and depth limits bound them). Per-account login lockout is the
 * users service's business, not this file's.
 */
@Injectable()
export class RateLimiter {
  private readonly login: TokenBuckets;
  private readonly mutations: TokenBuckets;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.login = new TokenBuckets(config.rateLimitLoginPerMinute);
    this.mutations = new TokenBuckets(config.rateLimitMutationsPerMinute);
  }

  /** Throws RATE_LIMITED (HTTP 429, Retry-After) when the caller is over a limit. */
  check(ctx: RequestContext, rootFields: string[]): void {
    const now = this.clock.now().getTime();
    const ip = ctx.req?.ip ?? ctx.req?.socket?.remoteAddress ?? 'unknown';
    if (rootFields.includes('login')) {
      const verdict = this.login.take(`ip:${ip}`, now);
      if (!verdict.allowed) throw rateLimited(verdict.retryAfterSeconds, '登录尝试过于频繁');
      if (rootFields.every((f) => f === 'login')) return;
    }
    const verdict = this.mutations.take(ctx.user ? `user:${ctx.user.id}` : `ip:${ip}`, now);
    if (!verdict.allowed) throw rateLimited(verdict.retryAfterSeconds, '提交操作过于频繁');
  }
}

export function rateLimited(retryAfterSeconds: number, what: string): AppError {
  return new AppError('RATE_LIMITED', `${what}，请 ${retryAfterSeconds} 秒后再试`, {
    retryAfterSeconds,
    http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
  });
}

/** Applies the limits once the operation is known (parsed and valid), before anything executes. */
export function rateLimitPlugin(limiter: RateLimiter): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== OperationTypeNode.MUTATION) return;
          const fields = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD && s.name.value !== '__typename' ? [s.name.value] : []));
          limiter.check(contextValue, fields);
        },
      };
    },
  };
}
