import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { AppError } from '../errors/app-error';

const PRIMITIVES = new Set<unknown>([String, Boolean, Number, Array, Object, Date, BigInt]);

function firstFault(errors: ValidationError[], prefix: string): { field: string; message: string } | null {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
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

/** PostgreSQL text cannot hold NUL; find one anywhere in an input, with its path. */
function nulCharacterAt(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = nulCharacterAt(item, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulCharacterAt(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Text checks on every argument (no NUL characters; `id`/`…Id` arguments are UUIDs), then
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
    const nul = nulCharacterAt(value, name);
    if (nul !== null) throw new AppError('VALIDATION_FAILED', `${nul || 'input'}: must not contain NUL characters`, { field: nul });
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
