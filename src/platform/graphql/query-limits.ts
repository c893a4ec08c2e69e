import {
  ASTVisitor,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLError,
  Kind,
  SelectionSetNode,
  ValidationContext,
} from 'graphql';
import { MAX_PAGE_SIZE } from './pagination';

/**
 * Query limits, as GraphQL validation rules so nothing runs before they pass.
 * - depth: the deepest field nesting (fragments followed);
 * - cost: each field costs 1, and a field taking `first` multiplies what is below it by that page size
 *   (a variable counts as the maximum page size);
 * - aliases: at most `maxAliases` per document, so a query cannot ask one field a thousand times;
 * - one operation per document.
 */
export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
}

function limitError(message: string, code: string, node?: FieldNode) {
  return new GraphQLError(message, { nodes: node ? [node] : undefined, extensions: { code } });
}

function measure(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  depth: number,
  visiting: Set<string>,
): { depth: number; cost: number; aliases: number } {
  let maxDepth = depth;
  let cost = 0;
  let aliases = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) aliases++;
      if (selection.name.value.startsWith('__')) continue;
      let multiplier = 1;
      const first = selection.arguments?.find((a) => a.name.value === 'first');
      if (first) multiplier = first.value.kind === Kind.INT ? Math.max(1, Number(first.value.value)) : MAX_PAGE_SIZE;
      if (selection.selectionSet) {
        const inner = measure(selection.selectionSet, fragments, depth + 1, visiting);
        maxDepth = Math.max(maxDepth, inner.depth);
        cost += 1 + multiplier * inner.cost;
        aliases += inner.aliases;
      } else {
        cost += 1;
      }
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const inner = measure(selection.selectionSet, fragments, depth, visiting);
      maxDepth = Math.max(maxDepth, inner.depth);
      cost += inner.cost;
      aliases += inner.aliases;
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      if (!fragment || visiting.has(name)) continue; // unknown or cyclic fragments are graphql-js's to report
      visiting.add(name);
      const inner = measure(fragment.selectionSet, fragments, depth, visiting);
      visiting.delete(name);
      maxDepth = Math.max(maxDepth, inner.depth);
      cost += inner.cost;
      aliases += inner.aliases;
    }
  }
  return { depth: maxDepth, cost, aliases };
}

export function queryLimitsRule(limits: QueryLimits) {
  return (context: ValidationContext): ASTVisitor => {
    const document = context.getDocument();
    const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (operations.length > 1) {
      context.reportError(limitError('Send one operation per request', 'ONE_OPERATION_PER_REQUEST'));
      return {};
    }
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
    for (const operation of operations) {
      if (operation.kind !== Kind.OPERATION_DEFINITION) continue;
      const { depth, cost, aliases } = measure(operation.selectionSet, fragments, 1, new Set());
      if (depth > limits.maxDepth) {
        context.reportError(limitError(`The query nests ${depth} levels deep; the limit is ${limits.maxDepth}`, 'QUERY_TOO_DEEP'));
      } else if (aliases > limits.maxAliases) {
        context.reportError(limitError(`The query uses ${aliases} aliases; the limit is ${limits.maxAliases}`, 'QUERY_TOO_COSTLY'));
      } else if (cost > limits.maxCost) {
        context.reportError(limitError(`The query would cost ${cost}; the limit is ${limits.maxCost}`, 'QUERY_TOO_COSTLY'));
      }
    }
    return {};
  };
}
