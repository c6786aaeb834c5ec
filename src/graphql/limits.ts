// Query cost controls, applied to HTTP and graphql-ws alike: depth, aliases, and a cost estimate
// where list fields multiply by their `first` argument. Token count is capped at parse time.
import {
  GraphQLError, Kind, type ASTVisitor, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode,
  type ValidationContext, type ValidationRule,
} from 'graphql';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

const DEFAULT_LIST_SIZE = 20;

function tooComplex(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX' } });
}

interface Measure {
  depth: number;
  aliases: number;
  cost: number;
}

function measure(
  set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, variables: Set<string>, seen: Set<string>,
): Measure {
  const total: Measure = { depth: 0, aliases: 0, cost: 0 };
  for (const selection of set.selections) {
    let inner: Measure = { depth: 0, aliases: 0, cost: 0 };
    if (selection.kind === Kind.FIELD) {
      const child = selection.selectionSet ? measure(selection.selectionSet, fragments, variables, seen) : undefined;
      const multiplier = listSize(selection);
      inner = {
        depth: (child?.depth ?? 0) + 1,
        aliases: (selection.alias ? 1 : 0) + (child?.aliases ?? 0),
        cost: 1 + multiplier * (child?.cost ?? 0),
      };
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      inner = measure(selection.selectionSet, fragments, variables, seen);
    } else {
      const fragment = fragments[selection.name.value];
      if (fragment && !seen.has(fragment.name.value)) {
        inner = measure(fragment.selectionSet, fragments, variables, new Set([...seen, fragment.name.value]));
      }
    }
    total.depth = Math.max(total.depth, inner.depth);
    total.aliases += inner.aliases;
    total.cost += inner.cost;
  }
  return total;
}

function listSize(field: FieldNode): number {
  const first = field.arguments?.find((a) => a.name.value === 'first');
  if (!first) return field.selectionSet ? 1 : 1;
  return first.value.kind === Kind.INT ? Math.max(1, Number(first.value.value)) : DEFAULT_LIST_SIZE * 5;
}

export function queryLimitRule(limits: QueryLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const document = context.getDocument();
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
    return {
      OperationDefinition(operation) {
        const m = measure(operation.selectionSet, fragments, new Set(), new Set());
        if (m.depth > limits.maxDepth) context.reportError(tooComplex(`Query depth ${m.depth} exceeds ${limits.maxDepth}`));
        if (m.aliases > limits.maxAliases) context.reportError(tooComplex(`Query uses ${m.aliases} aliases; at most ${limits.maxAliases}`));
        if (m.cost > limits.maxCost) context.reportError(tooComplex(`Query cost ${m.cost} exceeds ${limits.maxCost}`));
      },
    };
  };
}
