import {
  ASTVisitor,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  GraphQLError,
  GraphQLField,
  GraphQLNamedType,
  GraphQLSchema,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  SelectionSetNode,
  ValidationContext,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination';

/**
 * Rows a nested list without a page size is assumed to hold (the lines of an order, the shipments of an
 * order, the lots of a round): such lists are short in this domain, and a query cannot ask for more of them.
 */
export const NESTED_LIST_ESTIMATE = 5;

/**
 * Query limits, as GraphQL validation rules so nothing runs before they pass.
 * - depth: the deepest field nesting (fragments followed);
 * - cost: an estimate of the rows and fields a query returns, read against the schema so a list is told
 *   from a single object. Each field costs 1; what is below a field is multiplied by the rows it returns:
 *   a field taking `first` (a page: a connection or a paged list) by its page size (the default page size
 *   when it is left out, the maximum page size when it is a variable); a connection's `nodes` by 1 (the page
 *   is already counted); any other list by NESTED_LIST_ESTIMATE; a single object by 1. So
 *   `orders(first: 100) { nodes { lines { id } } }` costs 1 + 100 × (1 + 1 + 5 × 1) = 701;
 * - size: the number of field selections once every fragment spread is expanded (`__typename` included),
 *   at most the cost limit, so a document that is small on the wire but huge once expanded (a "fragment
 *   bomb") is refused;
 * - aliases: at most `maxAliases` per document, so a query cannot ask one field a thousand times;
 * - one operation per document.
 *
 * The analysis is linear in the document: each fragment is measured once and its figures are reused at every
 * spread (figures saturate at +Infinity rather than being enumerated). Validation rules are built before
 * graphql-js walks the document, so this rule runs *before* graphql-js has reported unknown or cyclic
 * fragments: it skips unknown spreads and breaks cycles itself (graphql-js then refuses those documents).
 */
export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
}

/**
 * Tokens the parser reads before giving up (graphql-js `maxTokens`, a parse error): the cheapest refusal of an
 * oversized document, before any validation. The HTTP body is capped separately (express, 100 kB).
 */
export const MAX_DOCUMENT_TOKENS = 10_000;

function limitError(message: string, code: string, node?: FieldNode) {
  return new GraphQLError(message, { nodes: node ? [node] : undefined, extensions: { code } });
}

/** What a selection set weighs: depth relative to the set itself (a set of leaves is 0). */
export interface Weight {
  depth: number;
  cost: number;
  /** field selections after fragment expansion, `__typename` and other meta fields included */
  size: number;
  aliases: number;
}

const ZERO: Weight = { depth: 0, cost: 0, size: 0, aliases: 0 };

/** Measures selection sets, remembering each named fragment's weight the first time it is met. */
export class DocumentWeigher {
  private readonly memo = new Map<string, Weight>();
  private readonly inProgress = new Set<string>();
  /** set when a spread leads back into a fragment being measured (graphql-js refuses such documents) */
  cyclic = false;

  constructor(
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    /** without a schema every field counts as a single object (only `first` multiplies), as the rule once did */
    private readonly schema?: GraphQLSchema,
  ) {}

  fragment(name: string): Weight {
    const known = this.memo.get(name);
    if (known) return known;
    const definition = this.fragments.get(name);
    if (!definition) return ZERO; // unknown fragments are graphql-js's to report
    if (this.inProgress.has(name)) {
      this.cyclic = true;
      return ZERO;
    }
    this.inProgress.add(name);
    const weight = this.selectionSet(definition.selectionSet, this.schema?.getType(definition.typeCondition.name.value));
    this.inProgress.delete(name);
    this.memo.set(name, weight);
    return weight;
  }

  selectionSet(selectionSet: SelectionSetNode, parentType?: GraphQLNamedType | null): Weight {
    let depth = 0;
    let cost = 0;
    let size = 0;
    let aliases = 0;
    for (const selection of selectionSet.selections) {
      let inner: Weight;
      if (selection.kind === Kind.FIELD) {
        size += 1;
        if (selection.alias) aliases++;
        if (selection.name.value.startsWith('__')) continue; // meta fields are free (but counted in size)
        if (!selection.selectionSet) {
          cost += 1;
          continue;
        }
        const definition = fieldOf(parentType, selection.name.value);
        const below = this.selectionSet(selection.selectionSet, definition ? getNamedType(definition.type) : null);
        const rows = rowsOf(selection, definition, parentType);
        inner = { depth: below.depth + 1, cost: 1 + rows * below.cost, size: below.size, aliases: below.aliases };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typed = selection.typeCondition ? this.schema?.getType(selection.typeCondition.name.value) : parentType;
        inner = this.selectionSet(selection.selectionSet, typed);
      } else {
        inner = this.fragment(selection.name.value);
      }
      depth = Math.max(depth, inner.depth);
      cost += inner.cost;
      size += inner.size;
      aliases += inner.aliases;
    }
    return { depth, cost, size, aliases };
  }
}

function fieldOf(parentType: GraphQLNamedType | null | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  return parentType && (isObjectType(parentType) || isInterfaceType(parentType)) ? parentType.getFields()[name] : undefined;
}

/** A connection type: its `nodes` are the page its field's `first` already counted. */
function isConnection(type: GraphQLNamedType | null | undefined): boolean {
  return !!type && isObjectType(type) && 'nodes' in type.getFields() && 'pageInfo' in type.getFields();
}

/** How many times what is below this field is returned (see the rule's description above). */
function rowsOf(selection: FieldNode, definition: GraphQLField<unknown, unknown> | undefined, parentType: GraphQLNamedType | null | undefined): number {
  const first = selection.arguments?.find((a) => a.name.value === 'first');
  if (first) return first.value.kind === Kind.INT ? Math.max(1, Number(first.value.value)) : MAX_PAGE_SIZE;
  if (!definition) return 1; // unknown to the schema (graphql-js reports it) or no schema given
  if (definition.args.some((a) => a.name === 'first')) return DEFAULT_PAGE_SIZE;
  if (!isListType(getNullableType(definition.type))) return 1;
  if (selection.name.value === 'nodes' && isConnection(parentType)) return 1;
  return NESTED_LIST_ESTIMATE;
}

/** The limit a measured operation breaks, if any: [code, message]. Pure, for the rule and its tests. */
export function limitBroken(weight: Weight, limits: QueryLimits): [string, string] | null {
  const depth = weight.depth + 1; // the operation's own fields are level 1
  if (depth > limits.maxDepth) return ['QUERY_TOO_DEEP', `The query nests ${depth} levels deep; the limit is ${limits.maxDepth}`];
  if (weight.aliases > limits.maxAliases) return ['QUERY_TOO_COSTLY', `The query uses ${weight.aliases} aliases; the limit is ${limits.maxAliases}`];
  if (weight.size > limits.maxCost) {
    return ['QUERY_TOO_COSTLY', `查询展开片段后共选择 ${weight.size} 个字段，超过上限 ${limits.maxCost}`];
  }
  if (weight.cost > limits.maxCost) return ['QUERY_TOO_COSTLY', `The query would cost ${weight.cost}; the limit is ${limits.maxCost}`];
  return null;
}

export function queryLimitsRule(limits: QueryLimits) {
  return (context: ValidationContext): ASTVisitor => {
    const document = context.getDocument();
    const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (operations.length > 1) {
      context.reportError(limitError('Send one operation per request', 'ONE_OPERATION_PER_REQUEST'));
      return {};
    }
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION && !fragments.has(d.name.value)) fragments.set(d.name.value, d);
    const schema = context.getSchema();
    const weigher = new DocumentWeigher(fragments, schema);
    for (const operation of operations) {
      if (operation.kind !== Kind.OPERATION_DEFINITION) continue;
      const root = schema.getRootType(operation.operation);
      const broken = limitBroken(weigher.selectionSet(operation.selectionSet, root), limits);
      if (broken) context.reportError(limitError(broken[1], broken[0]));
    }
    return {};
  };
}
