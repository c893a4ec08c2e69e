import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { businessDateProblem, isOnOrAfterEpoch, LAST_PLAUSIBLE_DATE, PLATFORM_EPOCH } from '@libs/calendar';

/**
 * Business dates on input objects, checked by the validation pipe so the refusal is VALIDATION_FAILED naming
 * the field ('input.lines[0].expiresOn'). The rules themselves live in libs/calendar.
 */

/** A date-only string "YYYY-MM-DD": a real calendar day from the platform's epoch to 2099-12-31. */
export function IsBusinessDate(options: ValidationOptions = {}) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isBusinessDate',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => businessDateProblem(value) === null,
        defaultMessage: (args: ValidationArguments) => businessDateProblem(args.value) ?? '',
      },
    });
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const EPOCH_MONTH = PLATFORM_EPOCH.slice(0, 7);
const LAST_MONTH = LAST_PLAUSIBLE_DATE.slice(0, 7);

export function businessMonthProblem(value: unknown): string | null {
  if (typeof value !== 'string' || !MONTH_RE.test(value)) return '月份格式应为 YYYY-MM';
  if (value < EPOCH_MONTH) return `月份不得早于 ${EPOCH_MONTH}`;
  if (value > LAST_MONTH) return `月份不得晚于 ${LAST_MONTH}`;
  return null;
}

/** A month "YYYY-MM" from the platform's epoch to 2099-12. */
export function IsBusinessMonth(options: ValidationOptions = {}) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isBusinessMonth',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => businessMonthProblem(value) === null,
        defaultMessage: (args: ValidationArguments) => businessMonthProblem(args.value) ?? '',
      },
    });
}

/** A DateTime (already parsed by the scalar) on or after the platform's epoch, 00:00 Asia/Shanghai. */
export function NotBeforeEpoch(options: ValidationOptions = {}) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'notBeforeEpoch',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => value instanceof Date && !Number.isNaN(value.getTime()) && isOnOrAfterEpoch(value),
        defaultMessage: () => `不得早于平台起始日 ${PLATFORM_EPOCH}（Asia/Shanghai）`,
      },
    });
}
