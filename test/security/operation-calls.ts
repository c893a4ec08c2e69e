import { readFileSync } from 'fs';
import { join } from 'path';
import {
  buildSchema,
  getNamedType,
  GraphQLArgument,
  GraphQLField,
  GraphQLInputType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  isInterfaceType,
} from 'graphql';

/** The committed schema.gql: the security suite covers exactly what the API publishes. */
export function loadPublishedSchema(): GraphQLSchema {
  return buildSchema(readFileSync(join(__dirname, '..', '..', 'schema.gql'), 'utf8'));
}

export interface Operation {
  kind: 'query' | 'mutation';
  name: string;
  field: GraphQLField<unknown, unknown>;
}

export function operationsOf(schema: GraphQLSchema): Operation[] {
  const ops: Operation[] = [];
  for (const [kind, type] of [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]] as const) {
    for (const field of Object.values(type?.getFields() ?? {})) ops.push({ kind, name: field.name, field });
  }
  return ops.sort((a, b) => a.name.localeCompare(b.name));
}

/** A well-typed placeholder value: what a caller would send if it knew nothing of the data. */
export function placeholder(type: GraphQLInputType, depth = 0): unknown {
  if (isNonNullType(type)) return placeholder(type.ofType, depth);
  if (isListType(type)) return [placeholder(type.ofType, depth)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) && depth < 5) value[field.name] = placeholder(field.type, depth + 1);
    }
    return value;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
        return 1;
      case 'Float':
        return 1.5;
      case 'Boolean':
        return true;
      case 'ID':
        return '00000000-0000-0000-0000-000000000000';
      case 'Money':
        return '1.00';
      case 'UnitPrice':
        return '1.0000';
      case 'DateTime':
        return '2026-03-01T09:00:00+08:00';
      default:
        return 'x';
    }
  }
  return null;
}

/** Selection that touches no nested resolver: `__typename` on object results. */
function selectionFor(field: GraphQLField<unknown, unknown>): string {
  const named = getNamedType(field.type);
  return isObjectType(named) || isUnionType(named) || isInterfaceType(named) ? ' { __typename }' : '';
}

/** A document calling one operation with all required arguments as variables, and those variables. */
export function callOf(op: Operation, values: (arg: GraphQLArgument) => unknown = (arg) => placeholder(arg.type)) {
  const required = op.field.args.filter((a) => isNonNullType(a.type));
  const defs = required.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = required.map((a) => `${a.name}: $${a.name}`).join(', ');
  const query = `${op.kind}${defs ? `(${defs})` : ''} { ${op.name}${args ? `(${args})` : ''}${selectionFor(op.field)} }`;
  const variables = Object.fromEntries(required.map((a) => [a.name, values(a)]));
  return { query, variables };
}
