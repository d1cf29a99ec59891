/**
 * The whole-request argument check, as GitHub's and Shopify's APIs do it: before anything runs,
 * every field the operation would execute has its arguments (literals and variables, coerced as
 * execution would) held to the rules of `validation.ts`. One bad argument anywhere, at any depth,
 * under a list or beside valid fields, and the request executes nothing: HTTP 400, no `data`, one
 * BAD_USER_INPUT error per broken rule. Under a list the field is checked once, not once per item,
 * since its arguments are the same for every item.
 */
import { type ApolloServerPlugin, type BaseContext, type GraphQLResponse, HeaderMap } from '@apollo/server';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getVariableValues,
  type GraphQLFormattedError,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLNamedType,
  GraphQLIncludeDirective,
  type GraphQLSchema,
  GraphQLSkipDirective,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { ArgumentError, formatError } from './errors';
import type { ArgumentRules } from './validation';

/** Refuses, before execution, a request in which any field's arguments break a rule. */
export function argumentCheckPlugin(rules: ArgumentRules): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      let refused: GraphQLFormattedError[] = [];
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const errors = findArgumentErrors(rules, schema, document, operation, request.variables);
          refused = errors.map((error) => formatError(error.toJSON(), error));
        },
        async responseForOperation(): Promise<GraphQLResponse | null> {
          if (refused.length === 0) return null;
          return {
            http: { status: 400, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { errors: refused } },
          };
        },
      };
    },
  };
}

/** One error per broken rule of every field `operation` would execute; empty when none. */
export function findArgumentErrors(
  rules: ArgumentRules,
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Readonly<Record<string, unknown>> | undefined,
): ArgumentError[] {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {});
  // Variables that do not coerce are refused by execution itself (400 BAD_USER_INPUT), before any resolver.
  if (coerced.errors) return [];
  const variables = coerced.coerced;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const root = schema.getRootType(operation.operation);
  if (!root) return [];
  const errors: ArgumentError[] = [];

  const visit = (
    type: GraphQLNamedType,
    selectionSets: readonly SelectionSetNode[],
    path: string[],
  ): void => {
    for (const group of collectFields(schema, fragments, variables, type, selectionSets)) {
      const [node] = group.nodes;
      const field = group.type.getFields()[node.name.value];
      if (!field) continue;
      const key = [...path, node.alias?.value ?? node.name.value];
      const coordinate = `${group.type.name}.${field.name}`;
      if (field.args.length > 0) {
        let values: Record<string, unknown> | null = null;
        try {
          values = getArgumentValues(field, node, variables);
        } catch {
          // A value that does not coerce is execution's to refuse, as graphql-js words it.
        }
        const violations = values ? rules.check(coordinate, values) : [];
        for (const violation of violations) {
          errors.push(new ArgumentError([violation], { nodes: [node], field: coordinate, path: key }));
        }
      }
      const subSelections = group.nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      if (subSelections.length > 0) visit(getNamedType(field.type), subSelections, key);
    }
  };
  visit(root, [operation.selectionSet], []);
  return errors;
}

/** The fields of one response key, on the type whose field they are. */
interface FieldGroup {
  type: GraphQLObjectType | GraphQLInterfaceType;
  nodes: FieldNode[];
}

/**
 * The fields selected on `type`, grouped by response key as execution groups them (each fragment
 * spread once per selection, `@skip`/`@include` honoured), so that a field is checked once however
 * many fragments name it. Fragments on another type (under an interface or a union) are grouped
 * under that type, whose field definitions they use.
 */
function collectFields(
  schema: GraphQLSchema,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  type: GraphQLNamedType,
  selectionSets: readonly SelectionSetNode[],
): FieldGroup[] {
  const groups = new Map<string, FieldGroup>();
  const visited = new Set<string>();
  const collect = (on: GraphQLNamedType, selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (!isIncluded(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        if (!isObjectType(on) && !isInterfaceType(on)) continue;
        const key = `${on.name}.${selection.alias?.value ?? selection.name.value}`;
        const group = groups.get(key) ?? { type: on, nodes: [] };
        group.nodes.push(selection);
        groups.set(key, group);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : on;
        if (condition) collect(condition, selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || visited.has(name)) continue;
        visited.add(name);
        const condition = schema.getType(fragment.typeCondition.name.value);
        if (condition) collect(condition, fragment.selectionSet);
      }
    }
  };
  for (const selectionSet of selectionSets) collect(type, selectionSet);
  return [...groups.values()];
}

function isIncluded(
  node: { directives?: FieldNode['directives'] },
  variables: Record<string, unknown>,
): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}
