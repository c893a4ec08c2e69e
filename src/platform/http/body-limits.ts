import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, OperationDefinitionNode, OperationTypeNode } from 'graphql';
import { AppError } from '../errors/app-error';
import { RequestContext } from '../context/request-context';

/**
 * How large a request may be.
 *
 * - A file given to an import (reference prices) may be 5 MB once decoded: FILE_IMPORT_MAX_BYTES.
 * - Files travel base64-encoded inside the GraphQL JSON body (4/3 of their size), so a request that
 *   imports a file may be up to IMPORT_REQUEST_MAX_BYTES (the encoded 5 MB plus room for the query).
 * - Every other operation may send at most ORDINARY_REQUEST_MAX_BYTES: /graphql reads bodies up to the
 *   import size from callers with a token (1 MB from anonymous ones), and the GraphQL layer refuses a body
 *   over 1 MB unless the operation is a file import.
 */
export const MIB = 1024 * 1024;
export const FILE_IMPORT_MAX_BYTES = 5 * MIB;
/** 7 MB: the base64 of a 5 MB file (6,990,508 characters) and some 340 KB for the rest of the request. */
export const IMPORT_REQUEST_MAX_BYTES = 7 * MIB;
export const ORDINARY_REQUEST_MAX_BYTES = MIB;

/** Mutations that take a file or a whole file's rows; the only operations allowed a body over 1 MB. */
export const FILE_IMPORT_FIELDS: ReadonlySet<string> = new Set([
  'importReferencePrices',
  'importBankResults',
  'importBankStatement',
  'setDemandBaselines',
  'importInsuranceClaims',
  'importExternalAwards',
  'importExternalAwardsJson',
]);

function megabytes(bytes: number): string {
  return `${Number((bytes / MIB).toFixed(2))} MB`;
}

/** The coded refusal: HTTP 413 with a GraphQL error naming the limit. */
export function payloadTooLarge(limitBytes: number, what: string, field?: string): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `${what}超过上限 ${megabytes(limitBytes)}（${limitBytes} 字节）`, {
    limitBytes,
    ...(field ? { field } : {}),
    http: { status: 413 },
  });
}

/** The size of a base64 text once decoded, without decoding it. */
export function base64DecodedBytes(text: string): number {
  const compact = text.replace(/\s/g, '');
  const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
  return Math.floor((compact.length * 3) / 4) - padding;
}

const bodyBytes = new WeakMap<Request, number>();

/**
 * JSON body parsers. On /graphql a caller with an Authorization header (every file import needs a login)
 * may send up to the import size; anonymous callers and every other route at most 1 MB, so nobody can make
 * the server read 7 MB without a token. Named `jsonParser`, so Nest does not add its own (100 KB) parser.
 */
export function jsonBodyParsers() {
  const remember = (req: Request, _res: Response, buffer: Buffer) => void bodyBytes.set(req, buffer.length);
  const large = express.json({ limit: IMPORT_REQUEST_MAX_BYTES, verify: remember as never });
  const ordinary = express.json({ limit: ORDINARY_REQUEST_MAX_BYTES });
  function jsonParser(req: Request, res: Response, next: NextFunction) {
    return (req.headers.authorization ? large : ordinary)(req, res, next);
  }
  return { graphql: jsonParser, other: ordinary };
}

/**
 * Body parser failures answered as GraphQL-shaped JSON with a code, instead of express's HTML error page:
 * a body over the limit (PAYLOAD_TOO_LARGE with the limit) or one that is not JSON (BAD_REQUEST).
 */
export function bodyErrorHandler(error: { type?: string; status?: number; limit?: number }, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent || !error || typeof error !== 'object' || !error.type) return next(error);
  if (error.type === 'entity.too.large') {
    const limit = error.limit ?? IMPORT_REQUEST_MAX_BYTES;
    const refusal = payloadTooLarge(limit, '请求体');
    res.status(413).json({ errors: [{ message: refusal.message, extensions: { code: 'PAYLOAD_TOO_LARGE', limitBytes: limit } }] });
    return;
  }
  if (error.type === 'entity.parse.failed' || error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') {
    res.status(400).json({ errors: [{ message: '请求体不是有效的 JSON', extensions: { code: 'BAD_REQUEST' } }] });
    return;
  }
  next(error);
}

function isFileImport(operation: OperationDefinitionNode | undefined): boolean {
  if (operation?.operation !== OperationTypeNode.MUTATION) return false;
  const fields = operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD && s.name.value !== '__typename');
  return fields.length > 0 && fields.length === operation.selectionSet.selections.length && fields.every((s) => s.kind === Kind.FIELD && FILE_IMPORT_FIELDS.has(s.name.value));
}

/** Refuses a body over 1 MB unless the operation is a file import (the parser has already capped it at the import size). */
export function bodyLimitPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didResolveOperation({ operation }) {
          const size = contextValue.req ? bodyBytes.get(contextValue.req) : undefined;
          if (size !== undefined && size > ORDINARY_REQUEST_MAX_BYTES && !isFileImport(operation)) {
            throw payloadTooLarge(ORDINARY_REQUEST_MAX_BYTES, '请求体（文件导入以外的操作）');
          }
        },
      };
    },
  };
}
