/**
 * The fields an operation would execute, before it runs: the shape of its response (one entry per
 * response key, as execution merges fields, fragments spread once per selection, `@skip` and
 * `@include` honoured), each field with its arguments coerced from literals and variables as
 * execution would coerce them. Lists are not expanded: a field under `accounts` appears once.
 * What reads it: the whole-request argument check and the estimate of the response's size.
 */
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getVariableValues,
  type GraphQLField,
  GraphQLIncludeDirective,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** One field of the response's shape. */
export interface SelectedField {
  /** The schema coordinate, e.g. `Account.transactions`. */
  coordinate: string;
  field: GraphQLField<unknown, unknown>;
  /** Its nodes in the document (several when fragments or repeats name it). */
  nodes: readonly FieldNode[];
  /** The response keys from the root to it (aliases where given; no list positions). */
  path: readonly string[];
  /** Its arguments as execution would see them; null when one does not coerce (execution refuses it). */
  args: Record<string, unknown> | null;
  children: SelectedField[];
}

/**
 * The fields `operation` would execute with `rawVariables`; null when the variables do not coerce
 * (execution itself refuses them, with a 400, before any resolver runs).
 */
export function selectedFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Readonly<Record<string, unknown>> | undefined,
): SelectedField[] | null {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {});
  if (coerced.errors) return null;
  const variables = coerced.coerced;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const root = schema.getRootType(operation.operation);
  if (!root) return [];

  const select = (
    type: GraphQLNamedType,
    selectionSets: readonly SelectionSetNode[],
    path: readonly string[],
  ): SelectedField[] => {
    const selected: SelectedField[] = [];
    for (const group of collectFields(schema, fragments, variables, type, selectionSets)) {
      const [node] = group.nodes;
      const field = group.type.getFields()[node.name.value];
      if (!field) continue;
      const key = [...path, node.alias?.value ?? node.name.value];
      const subSelections = group.nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      selected.push({
        coordinate: `${group.type.name}.${field.name}`,
        field,
        nodes: group.nodes,
        path: key,
        args: argumentsOf(field, node, variables),
        children: subSelections.length > 0 ? select(getNamedType(field.type), subSelections, key) : [],
      });
    }
    return selected;
  };
  return select(root, [operation.selectionSet], []);
}

/** Every field of the shape, parents before their children. */
export function* eachField(fields: readonly SelectedField[]): Generator<SelectedField> {
  for (const field of fields) {
    yield field;
    yield* eachField(field.children);
  }
}

function argumentsOf(
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Record<string, unknown>,
): Record<string, unknown> | null {
  if (field.args.length === 0) return {};
  try {
    return getArgumentValues(field, node, variables);
  } catch {
    // A value that does not coerce is execution's to refuse, as graphql-js words it.
    return null;
  }
}

/** The fields of one response key, on the type whose field they are. */
interface FieldGroup {
  type: GraphQLObjectType | GraphQLInterfaceType;
  nodes: FieldNode[];
}

/**
 * The fields selected on `type`, grouped by response key as execution groups them (each fragment
 * spread once per selection), so that a field counts once however many fragments name it.
 * Fragments on another type (under an interface or a union) are grouped under that type, whose
 * field definitions they use.
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
