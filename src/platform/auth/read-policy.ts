import { TypeMetadataStorage } from '@nestjs/graphql';
import { AuthUser } from '../context/request-context';
import { Role, ROLES } from './roles';
import { pathWithin } from './scope';

/**
 * Who may read a GraphQL object type: the one place that decides it, whichever path reaches the type — a
 * top-level query, a mutation's result or a nested field. `ReadPolicyInterceptor` applies it to the value of
 * every resolver (root and field resolvers alike) whose return type carries a policy:
 * - a role the policy does not admit gets FORBIDDEN, exactly as the top-level query would answer it;
 * - an admitted role sees only the rows its `scope` predicate accepts: out-of-scope rows are dropped from
 *   lists and connections, and a single out-of-scope object is FORBIDDEN (or null where the field is
 *   nullable).
 * Services still scope their queries (that is what makes pages and counts right); the policy is the ceiling
 * that no path can pass. Types without a policy are value parts of the type that returns them (a listing
 * check inside an application) and are read under that parent's policy; `test/field-authorization` fails
 * when a type with a policy is reachable by a role it does not admit along a path that no resolver guards.
 */
export type PolicyRoles = 'PUBLIC' | 'ANY' | readonly Role[];

/** What a scope predicate may ask besides the row and the caller (looked up once per request). */
export interface ReadPolicyTools {
  /** The region path of a region code ('410000/410100/410102'), or null for an unknown code. */
  regionPath(code: string): Promise<string | null>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each type's rules read its own rows; the registry holds them side by side
export type RowRule<T = any> = (row: T, user: AuthUser, tools: ReadPolicyTools) => boolean | Promise<boolean>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see RowRule
export interface ReadPolicyDefinition<T = any> {
  roles: PolicyRoles;
  /**
   * Which rows each admitted role may read. Roles missing here read no row (deny by default); the platform
   * admin reads every row. Omitted altogether: every row for every admitted role.
   */
  scope?: Partial<Record<Role, RowRule<T>>>;
  /** Why the rule is what it is, for docs and test failures. */
  note?: string;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- decorated classes, as ClassDecorator hands them over
const declared: { target: Function; policy: ReadPolicyDefinition }[] = [];
let byName: Map<string, ReadPolicyDefinition> | null = null;

/** Class decorator on an @ObjectType: declares who may read that type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see RowRule
export function ReadPolicy<T = any>(policy: ReadPolicyDefinition<T>): ClassDecorator {
  return (target) => {
    declared.push({ target, policy });
    byName = null;
  };
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- see declared
function typeNameOf(target: Function): string {
  return TypeMetadataStorage.getObjectTypeMetadataByTarget(target as never)?.name ?? target.name;
}

/** Every declared policy by GraphQL type name. */
export function readPolicies(): ReadonlyMap<string, ReadPolicyDefinition> {
  if (!byName) {
    byName = new Map();
    for (const { target, policy } of declared) byName.set(typeNameOf(target), policy);
  }
  return byName;
}

export function readPolicyOf(typeName: string): ReadPolicyDefinition | undefined {
  return readPolicies().get(typeName);
}

/** Whether a role (null: no login) may read the type at all. */
export function policyAdmits(policy: ReadPolicyDefinition, role: Role | null): boolean {
  if (policy.roles === 'PUBLIC') return true;
  if (!role) return false;
  return policy.roles === 'ANY' || policy.roles.includes(role);
}

/** Whether this caller may read this row of an admitted type. */
export async function rowVisible(policy: ReadPolicyDefinition, row: unknown, user: AuthUser | null, tools: ReadPolicyTools): Promise<boolean> {
  if (!policy.scope || row === null || row === undefined) return true;
  if (!user) return false; // a scoped type has no rows for anonymous callers
  if (user.role === 'PLATFORM_ADMIN') return true;
  const rule = policy.scope[user.role];
  return rule ? rule(row, user, tools) : false;
}

// ---- building blocks for scope rules ------------------------------------------------------------------

/** Every row (the parent that returned it, or the service's query, already scoped it). */
export const everyRow: RowRule = () => true;

/** Rows where one of these fields names the caller's organisation. */
export const ownBy =
  (...fields: string[]): RowRule =>
  (row, user) =>
    fields.some((field) => (row as Record<string, unknown>)[field] === user.organisationId);

/** Rows whose region code (in `field`) lies within the caller's region subtree. */
export const inRegion =
  (field = 'regionCode'): RowRule =>
  async (row, user, tools) => {
    const code = (row as Record<string, unknown>)[field];
    if (typeof code !== 'string') return false;
    const path = await tools.regionPath(code);
    return path !== null && pathWithin(path, user.regionPath);
  };

/** Either rule. */
export const anyOf =
  (...rules: RowRule[]): RowRule =>
  async (row, user, tools) => {
    for (const rule of rules) if (await rule(row, user, tools)) return true;
    return false;
  };

/** The same rule for several roles. */
export function forRoles(roles: readonly Role[], rule: RowRule): Partial<Record<Role, RowRule>> {
  return Object.fromEntries(roles.map((role) => [role, rule]));
}

export const ORGANISATION_ROLES = ['HOSPITAL', 'MANUFACTURER', 'DISTRIBUTOR'] as const satisfies readonly Role[];
export const REGION_ROLES = ['REGULATOR', 'SETTLEMENT_OFFICE'] as const satisfies readonly Role[];
export const ALL_ROLES: readonly Role[] = ROLES;
