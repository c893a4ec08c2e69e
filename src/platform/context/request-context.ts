import type { Request } from 'express';
import { Role } from '../auth/roles';
import { Loaders } from '../graphql/loaders';

/** Who is calling, as proven by the access token. */
export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  organisationId: string;
  organisationKind: string;
  regionCode: string;
  /** '410000/410100': the caller's region and its ancestors, for subtree scoping. */
  regionPath: string;
}

/**
 * Built fresh for every request and passed explicitly as the first argument of service methods: the
 * caller, the request id for logs, and this request's DataLoaders.
 */
export interface RequestContext {
  requestId: string;
  user: AuthUser | null;
  /** Why a presented token was not accepted; reported only when the operation needs a login. */
  authError: string | null;
  loaders: Loaders;
  req?: Request;
}

/** A context for work the system does on its own behalf (jobs, seeding), with no caller. */
export function systemContext(requestId = 'system'): RequestContext {
  return { requestId, user: null, authError: null, loaders: new Loaders() };
}
