import { GraphQLError, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, validate } from 'graphql';
import { DateTimeScalarType } from './scalars';
import { formatError } from './format-error';

const Line = new GraphQLInputObjectType({ name: 'Line', fields: { at: { type: DateTimeScalarType } } });
const Input = new GraphQLInputObjectType({ name: 'Input', fields: { startsAt: { type: DateTimeScalarType }, lines: { type: new GraphQLList(new GraphQLNonNull(Line)) } } });
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { f: { type: GraphQLString, args: { asOf: { type: DateTimeScalarType }, input: { type: Input } } } } }),
});

/** What a client sees for a document's first validation error, wrapped as Apollo wraps validation errors. */
function seen(document: string) {
  const [error] = validate(schema, parse(document));
  const wrapped = new GraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, code: 'GRAPHQL_VALIDATION_FAILED' }, originalError: error.originalError ?? error });
  return formatError(wrapped.toJSON(), wrapped).extensions;
}

describe('formatError for values written inline', () => {
  it('names the argument or input field of an impossible instant', () => {
    expect(seen(`{ f(asOf: "2026-02-30T00:00:00+08:00") }`)).toEqual({ code: 'VALIDATION_FAILED', field: 'asOf' });
    expect(seen(`{ f(input: { startsAt: "0000-01-01T00:00:00Z" }) }`)).toEqual({ code: 'VALIDATION_FAILED', field: 'input.startsAt' });
    expect(seen(`{ f(input: { lines: [{ at: "2026-03-01T09:00:00+08:00" }, { at: "2026-03-01T09:00:00" }] }) }`)).toEqual({ code: 'VALIDATION_FAILED', field: 'input.lines[1].at' });
  });
});
