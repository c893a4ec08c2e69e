import { ASTNode, BREAK, GraphQLError, GraphQLFormattedError, Kind, parse, visit } from 'graphql';
import { HttpException } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import { AppError } from '../errors/app-error';

/** graphql-js and Apollo codes passed through, renamed into the catalogue where they mean the same. */
const PASS_THROUGH: Record<string, string> = {
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  BAD_USER_INPUT: 'VALIDATION_FAILED',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  BAD_REQUEST: 'BAD_REQUEST',
};

/** SQLSTATEs that mean "the value given was not acceptable": data exceptions and CHECK violations. */
const INPUT_SQLSTATES = new Set(['22P02', '22003', '22001', '22007', '22008', '22021', '23514']);

const LIMIT_CODES = new Set(['QUERY_TOO_DEEP', 'QUERY_TOO_COSTLY', 'ONE_OPERATION_PER_REQUEST', 'INTROSPECTION_DISABLED']);

/**
 * The one place errors leave the server. Business errors keep their code and field; graphql-js errors keep
 * their message; anything else is an internal fault, shown without internals.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (original instanceof AppError) {
    // `http` (status, headers) is for the HTTP response, not the client's error object
    const { stacktrace: _s, http: _h, ...extensions } = (original.extensions ?? {}) as Record<string, unknown>;
    return { ...base, message: original.message, extensions };
  }
  // a value PostgreSQL itself refused (bad text for a uuid, out-of-range number, a CHECK): the caller's input
  const sqlState = (original as { driverError?: { code?: string }; code?: string })?.driverError?.code;
  if (sqlState && INPUT_SQLSTATES.has(sqlState)) {
    return { ...base, message: 'An input value is malformed or out of range', extensions: { code: 'VALIDATION_FAILED' } };
  }
  if (original instanceof HttpException) {
    const status = original.getStatus();
    const code = status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED';
    return { ...base, message: original.message, extensions: { code } };
  }
  // Apollo renames every validation error GRAPHQL_VALIDATION_FAILED; our limit rules' own code wins
  const ownCode = ((original as { originalError?: { extensions?: Record<string, unknown> } })?.originalError?.extensions?.code ??
    (original as { extensions?: Record<string, unknown> })?.extensions?.code) as string | undefined;
  const code = ownCode && LIMIT_CODES.has(ownCode) ? ownCode : (formatted.extensions?.code as string | undefined);
  const extensions = (formatted.extensions ?? {}) as Record<string, unknown>;
  if (code && LIMIT_CODES.has(code)) return { ...base, extensions: { code } };
  // variable coercion errors from our scalars carry their own code and field; a literal our scalar refused
  // (ValuesOfCorrectTypeRule) is named by where it stands in the document
  const causeExtensions = (original as { extensions?: Record<string, unknown> })?.extensions;
  if (ownCode === 'VALIDATION_FAILED' && !variablePath(formatted.message)) {
    const field = literalPath(original);
    return { ...base, extensions: { code: 'VALIDATION_FAILED', ...(field ? { field } : {}) } };
  }
  if (code === 'BAD_USER_INPUT' || causeExtensions?.code === 'VALIDATION_FAILED') {
    const field = (extensions.field as string | undefined) ?? variablePath(formatted.message);
    return { ...base, extensions: { code: 'VALIDATION_FAILED', ...(field ? { field } : {}) } };
  }
  if (code && PASS_THROUGH[code]) return { ...base, extensions: { code: PASS_THROUGH[code] } };
  if (code && code !== 'INTERNAL_SERVER_ERROR') return { ...base, extensions: { code } };
  // logged with the request id by the operation log plugin, which also adds the id here
  return { message: 'Internal error', path: formatted.path, extensions: { code: 'INTERNAL' } };
}

/** 'Variable "$input" got invalid value "x" at "input.unitPrice"; …' → 'input.unitPrice' */
function variablePath(message: string): string | undefined {
  const at = /at "([^"]+)"/.exec(message);
  if (at) return at[1];
  const variable = /Variable "\$([^"]+)"/.exec(message);
  return variable?.[1];
}

/**
 * The dotted path of an inline argument value a validation error points at: `input: { startsAt: "…" }` →
 * 'input.startsAt', `lines: [{ expiresOn: "…" }]` → 'lines[0].expiresOn'. Only on refusals, so the re-parse
 * of the (already valid) document costs nothing in normal operation.
 */
function literalPath(error: unknown): string | undefined {
  const node = (error as GraphQLError | undefined)?.nodes?.[0];
  const body = (error as GraphQLError | undefined)?.source?.body;
  if (!node?.loc || !body) return undefined;
  try {
    let found: string | undefined;
    visit(parse(body), {
      enter(current, _key, parent, _path, ancestors) {
        if (current.kind !== node.kind || current.loc?.start !== node.loc!.start || current.loc?.end !== node.loc!.end) return undefined;
        // `ancestors` stops before the immediate parent
        const chain = [...ancestors, parent, current].filter((a): a is ASTNode => !Array.isArray(a) && typeof a === 'object' && a !== null && 'kind' in a);
        const parts: string[] = [];
        for (const [i, a] of chain.entries()) {
          if (a.kind === Kind.ARGUMENT || a.kind === Kind.OBJECT_FIELD) parts.push(a.name.value);
          else if (a.kind === Kind.LIST && chain[i + 1]) parts[parts.length - 1] += `[${a.values.indexOf(chain[i + 1] as never)}]`;
        }
        found = parts.join('.') || undefined;
        return BREAK;
      },
    });
    return found;
  } catch {
    return undefined;
  }
}
