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

/**
 * class-validator on every argument object: the first fault becomes VALIDATION_FAILED with the dotted path
 * of the field at fault ('input.creditCode'), before any service code runs.
 */
@Injectable()
export class InputValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata) {
    const type = metadata.metatype;
    if (!type || PRIMITIVES.has(type) || value === null || value === undefined || typeof value !== 'object') return value;
    const instance = plainToInstance(type, value);
    const errors = await validate(instance as object, { forbidUnknownValues: false, validationError: { target: false } });
    const fault = firstFault(errors, typeof metadata.data === 'string' ? metadata.data : '');
    if (fault) throw new AppError('VALIDATION_FAILED', `${fault.field}: ${fault.message}`, { field: fault.field });
    return instance;
  }
}
