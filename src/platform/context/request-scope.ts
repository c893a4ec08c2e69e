import { AsyncLocalStorage } from 'async_hooks';
import { randomUUID } from 'crypto';
import type { NextFunction, Request, Response } from 'express';

/**
 * What every log line of a request needs without being handed it: the request id. The HTTP middleware
 * below opens the scope before anything else runs, so everything the request does (body parsing, GraphQL,
 * services, database calls) runs inside it and the logger's mixin can read it.
 */
export interface RequestScope {
  requestId: string;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

/** An incoming X-Request-Id is kept when it is a sane token; anything else is replaced by a fresh UUID. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestIdFrom(header: unknown): string {
  return typeof header === 'string' && REQUEST_ID_PATTERN.test(header) ? header : randomUUID();
}

export function currentRequestId(): string | undefined {
  return requestScope.getStore()?.requestId;
}

/** First middleware of the app: picks the request id, answers it in `x-request-id`, runs the rest in scope. */
export function requestScopeMiddleware(req: Request, res: Response, next: NextFunction): void {
  const requestId = requestIdFrom(req.headers['x-request-id']);
  res.setHeader('x-request-id', requestId);
  requestScope.run({ requestId }, next);
}
