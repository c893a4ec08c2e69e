import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { AppError } from '../errors/app-error';

const PRIMITIVES = new Set<unknown>([String, Boolean, Number, Array, Object, Date, BigInt]);

function firstFault(errors: ValidationError[], prefix: string): { field: string; message: string } | null {
  for (const error of errors) {
    // class-validator names array elements by index ('0'): written as 'lines[0]' like the rest of the API
    const field = /^\d+$/.test(error.property) && prefix ? `${prefix}[${error.property}]` : prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      const message = Object.values(error.constraints)[0];
      return { field, message };
    }
    const inner = firstFault(error.children ?? [], field);
    if (inner) return inner;
  }
  return null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Fields whose text is prose a person writes (notes, reasons, answers, descriptions, JSON or base64 files):
 * they may hold line breaks and tabs. Every other text input (names, codes, numbers, ids, keys) may not.
 * Matched on the last segment of the field path, so `input.lines[3].rejectionReason` is free text.
 */
export const FREE_TEXT_FIELDS: ReadonlySet<string> = new Set([
  'answer',
  'comment',
  'contentBase64',
  'customJson',
  'decisionNote',
  'description',
  'evidence',
  'measures',
  'note',
  'policy',
  'reason',
  'rejectionReason',
  'remark',
  'statement',
  'text',
]);

/** C0 controls (U+0000–U+001F), DEL and C1 controls (U+0080–U+009F); free text keeps \t \n \r. */
// eslint-disable-next-line no-control-regex -- input validation: refuses control characters
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex -- input validation: refuses control characters
const CONTROL_IN_FREE_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** a high surrogate not followed by a low one, or a low one not preceded by a high one (code units, no u flag) */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function fieldName(path: string): string {
  return path.replace(/\[\d+\]$/, '').replace(/^.*\./, '');
}

/** Why a text input is refused, or null: a lone UTF-16 surrogate (not text at all), or a control character. */
export function textProblem(text: string, path: string): string | null {
  // a lone surrogate cannot be stored as UTF-8: the driver would silently write U+FFFD instead
  if (LONE_SURROGATE.test(text)) return '含有不成对的 UTF-16 代理项（不是有效的文本）';
  const control = (FREE_TEXT_FIELDS.has(fieldName(path)) ? CONTROL_IN_FREE_TEXT : CONTROL).exec(text);
  if (control) return `不得包含控制字符（U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}）`;
  return null;
}

/** The first text anywhere in an input that textProblem refuses, with its dotted path. */
export function badTextAt(value: unknown, path: string): { field: string; problem: string } | null {
  if (typeof value === 'string') {
    const problem = textProblem(value, path);
    return problem ? { field: path, problem } : null;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = badTextAt(item, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      const found = badTextAt(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Text checks on every argument, in this one place for every input string of the API (well-formed UTF-16, no
 * control characters but line breaks and tabs in free text; `id`/`…Id` arguments are UUIDs), then
 * class-validator on every argument object: the first fault becomes VALIDATION_FAILED with the dotted path
 * of the field at fault ('input.creditCode'), before any service code runs.
 */
async function validatedInstance(type: new () => object, value: object, path: string): Promise<object> {
  const instance = plainToInstance(type, value);
  const errors = await validate(instance, { forbidUnknownValues: false, validationError: { target: false } });
  const fault = firstFault(errors, path);
  if (fault) throw new AppError('VALIDATION_FAILED', `${fault.field}: ${fault.message}`, { field: fault.field });
  return instance;
}

@Injectable()
export class InputValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata) {
    if (metadata.type === 'custom') return value; // the request context, not client input
    // REST routes (public documents, health) check their own path parameters and answer with HTTP statuses;
    // a GraphQL error thrown here would reach an HTTP client as a 500
    if (metadata.type === 'param') return value;
    const name = typeof metadata.data === 'string' ? metadata.data : '';
    const bad = badTextAt(value, name);
    if (bad) throw new AppError('VALIDATION_FAILED', `${bad.field || 'input'}: ${bad.problem}`, { field: bad.field });
    if (typeof value === 'string' && /(^id$|Id$)/.test(name) && !UUID.test(value)) {
      throw new AppError('VALIDATION_FAILED', `${name}: must be an id (UUID)`, { field: name });
    }
    const type = metadata.metatype;
    if (!type || PRIMITIVES.has(type) || value === null || value === undefined || typeof value !== 'object') return value;
    return validatedInstance(type as new () => object, value, name);
  }
}

/**
 * For a list argument of input objects, whose element type the global pipe cannot see (its metatype is
 * Array): `@Args('entries', { type: () => [X] }, new EachInputValidationPipe(X))` validates every element,
 * reporting the field as `entries[3].quantity`.
 */
export class EachInputValidationPipe implements PipeTransform {
  constructor(private readonly itemType: new () => object) {}

  async transform(value: unknown, metadata: ArgumentMetadata) {
    if (!Array.isArray(value)) return value;
    const name = typeof metadata.data === 'string' ? metadata.data : '';
    const items: object[] = [];
    for (const [i, item] of value.entries()) items.push(await validatedInstance(this.itemType, item as object, `${name}[${i}]`));
    return items;
  }
}
