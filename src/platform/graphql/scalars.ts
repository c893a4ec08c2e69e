import { CustomScalar, Scalar } from '@nestjs/graphql';
import { GraphQLError, GraphQLScalarType, Kind, ValueNode } from 'graphql';
import { formatFenAsYuan, formatUnitPrice, parseUnitPrice, parseYuanToFen } from '@libs/money';
import { formatShanghai, parseStrictInstant } from '@libs/calendar';
import { AppError } from '../errors/app-error';

/**
 * Runs a scalar's parsing on a literal written in the document. A refusal carries the literal's node, so
 * the error names where it stands ('input.startsAt', see format-error.ts): graphql-js reports an error thrown
 * by parseLiteral as it is, without the node, when it already is a GraphQLError.
 */
function fromLiteral<T>(ast: ValueNode, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof AppError) throw new GraphQLError(error.message, { nodes: [ast], extensions: { ...error.extensions } });
    throw error;
  }
}

function stringLiteral(ast: ValueNode, scalar: string): string {
  if (ast.kind !== Kind.STRING) throw new AppError('VALIDATION_FAILED', `${scalar} is written as a string, e.g. "12.50"`);
  return ast.value;
}

/** An amount of money: integer fen inside (bigint), a decimal string of yuan with 2 decimals outside. */
@Scalar('Money', () => MoneyScalar)
export class MoneyScalar implements CustomScalar<string, bigint> {
  description = 'An amount in yuan as a decimal string with exactly 2 decimals ("1234.50"); exact, never a float';

  parseValue(value: unknown): bigint {
    if (typeof value !== 'string') throw new AppError('VALIDATION_FAILED', 'Money is written as a string, e.g. "12.50"');
    try {
      return parseYuanToFen(value);
    } catch (error) {
      throw new AppError('VALIDATION_FAILED', `Not an amount of money: ${(error as Error).message}`);
    }
  }

  serialize(value: unknown): string {
    if (typeof value === 'bigint') return formatFenAsYuan(value);
    if (typeof value === 'string' && /^-?\d+$/.test(value)) return formatFenAsYuan(BigInt(value));
    throw new Error('Money must be served from integer fen');
  }

  parseLiteral(ast: ValueNode): bigint {
    return fromLiteral(ast, () => this.parseValue(stringLiteral(ast, 'Money')));
  }
}

/** A unit price: an exact decimal string with 4 decimals ("0.2500"), positive. */
@Scalar('UnitPrice', () => UnitPriceScalar)
export class UnitPriceScalar implements CustomScalar<string, string> {
  description = 'A unit price in yuan as an exact decimal string with up to 4 decimals in, exactly 4 out ("0.2500")';

  parseValue(value: unknown): string {
    if (typeof value !== 'string') throw new AppError('VALIDATION_FAILED', 'A unit price is written as a string, e.g. "0.2500"');
    try {
      return parseUnitPrice(value);
    } catch (error) {
      throw new AppError('VALIDATION_FAILED', `Not a unit price: ${(error as Error).message}`);
    }
  }

  serialize(value: unknown): string {
    if (typeof value !== 'string') throw new Error('UnitPrice must be served from a decimal string');
    return formatUnitPrice(value);
  }

  parseLiteral(ast: ValueNode): string {
    return fromLiteral(ast, () => this.parseValue(stringLiteral(ast, 'UnitPrice')));
  }
}

/**
 * An instant: ISO 8601 with an explicit offset in, on a real calendar day, inside the plausible range
 * (PLAUSIBLE_INSTANTS, 2000–2100); shown in Asia/Shanghai (+08:00) out. A refusal is VALIDATION_FAILED and
 * graphql-js names the argument or input field at fault (see format-error.ts).
 */
export class DateTimeScalar implements CustomScalar<string, Date> {
  description =
    'An instant in ISO 8601 with an offset ("2026-03-01T09:00:00+08:00" or "…Z"), a real calendar day from 2000-01-01T00:00:00Z to before 2100-01-01T00:00:00Z; served in Asia/Shanghai time';

  parseValue(value: unknown): Date {
    if (typeof value !== 'string') {
      throw new AppError('VALIDATION_FAILED', '时间须写成带时区偏移的 ISO 8601 字符串，例如 "2026-03-01T09:00:00+08:00"');
    }
    try {
      return parseStrictInstant(value);
    } catch (error) {
      throw new AppError('VALIDATION_FAILED', `不是有效的时间（须为真实日历日、带时区偏移、在 2000 年至 2099 年之间）：${(error as Error).message}`);
    }
  }

  serialize(value: unknown): string {
    const date = value instanceof Date ? value : new Date(value as string);
    return formatShanghai(date);
  }

  parseLiteral(ast: ValueNode): Date {
    return fromLiteral(ast, () => this.parseValue(stringLiteral(ast, 'DateTime')));
  }
}

const dateTime = new DateTimeScalar();
/** Every `Date` field and argument of the schema maps to this scalar (see graphql-setup.ts). */
export const DateTimeScalarType = new GraphQLScalarType({
  name: 'DateTime',
  description: dateTime.description,
  serialize: (v) => dateTime.serialize(v),
  parseValue: (v) => dateTime.parseValue(v),
  parseLiteral: (ast) => dateTime.parseLiteral(ast),
});
