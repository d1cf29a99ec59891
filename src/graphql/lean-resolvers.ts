/**
 * The resolver classes' methods as plain graphql-js resolvers. type-graphql builds the schema from
 * the decorated classes (names, types, descriptions, arguments), and would also run every call of
 * a resolver method through its wrapper: it copies the parent object into a new instance of its
 * class, converts the arguments field by field, validates them with class-validator in an `async`
 * step, and gathers the parameters with `Promise.all`. On the dashboard that is 31 calls, each a
 * few promises and copies (bench/ANALYSIS.md). Here each method is called directly with the same
 * parameters in the same order: the parent as graphql-js passes it, the arguments as an instance of
 * their class, the context, the resolve info.
 *
 * The argument rules are not checked again per call: the whole-request argument check
 * (`argument-check.plugin.ts`) holds every field's arguments to them before anything executes,
 * once per field of the operation rather than once per item of a list. A method with a parameter
 * of another kind (`@Arg`, custom decorators), with middlewares or with authorization keeps
 * type-graphql's wrapper.
 */
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

type ParamMetadata = NonNullable<ReturnType<typeof getMetadataStorage>['queries'][number]['params']>[number];
type Instance = Record<string, (...params: unknown[]) => unknown>;
/** A resolver class (type-graphql's metadata names classes by their constructor). */
export type ResolverClass = new () => object;
type Getter = (root: unknown, args: Record<string, unknown>, context: unknown, info: unknown) => unknown;

/**
 * Replaces, in `schema` (built by type-graphql from `resolverClasses`), the resolvers of those
 * classes' queries and field resolvers by direct calls; returns how many it replaced.
 */
export function useLeanResolvers(schema: GraphQLSchema, resolverClasses: readonly ResolverClass[]): number {
  const storage = getMetadataStorage();
  const instances = new Map<unknown, Instance>();
  const instanceOf = (target: unknown): Instance => {
    let instance = instances.get(target);
    if (!instance) {
      instance = new (target as new () => Instance)();
      instances.set(target, instance);
    }
    return instance;
  };
  const typeNameOf = (objectClass: unknown): string | undefined =>
    storage.objectTypes.find((t) => t.target === objectClass)?.name;
  const ours = new Set<unknown>(resolverClasses);

  let replaced = 0;
  const methods = [
    ...storage.queries.map((m) => ({ meta: m, typeName: schema.getQueryType()?.name })),
    ...storage.fieldResolvers
      .filter((m) => m.kind === 'external')
      .map((m) => {
        const objectClass = m.getObjectType?.();
        return { meta: m, typeName: objectClass ? typeNameOf(objectClass) : undefined };
      }),
  ];
  for (const { meta, typeName } of methods) {
    if (!ours.has(meta.target) || !typeName) continue;
    if ((meta.middlewares?.length ?? 0) > 0 || meta.roles !== undefined) continue;
    const getters = (meta.params ?? [])
      .slice()
      .sort((a, b) => a.index - b.index)
      .map(getterOf);
    if (getters.some((g) => g === null)) continue;
    const field = schema.getType(typeName);
    const fields = field && 'getFields' in field ? field.getFields() : undefined;
    const target = fields?.[meta.schemaName];
    if (!target || !('resolve' in target)) continue;
    const instance = instanceOf(meta.target);
    const method = instance[meta.methodName];
    const params = getters as Getter[];
    const resolve: GraphQLFieldResolver<unknown, unknown> = (root, args, context, info) =>
      method.apply(
        instance,
        params.map((get) => get(root, args, context, info)),
      );
    target.resolve = resolve;
    replaced += 1;
  }
  return replaced;
}

/** How one parameter is taken from graphql-js's (root, args, context, info); null: not supported. */
function getterOf(param: ParamMetadata): Getter | null {
  switch (param.kind) {
    case 'root':
      return param.propertyName === undefined
        ? (root) => root
        : (root) => (root as Record<string, unknown>)[param.propertyName!];
    case 'context':
      return param.propertyName === undefined
        ? (_root, _args, context) => context
        : (_root, _args, context) => (context as Record<string, unknown>)[param.propertyName!];
    case 'info':
      return (_root, _args, _context, info) => info;
    case 'args': {
      const ArgsClass = param.getType() as new () => Record<string, unknown>;
      return (_root, args) => argsInstance(ArgsClass, args);
    }
    default:
      return null;
  }
}

/**
 * The arguments as an instance of their class, as type-graphql makes it: the class's own fields
 * that were not given and have no default are not kept as `undefined` properties.
 */
function argsInstance(
  ArgsClass: new () => Record<string, unknown>,
  args: Record<string, unknown>,
): Record<string, unknown> {
  const instance = new ArgsClass();
  for (const key of Object.keys(instance)) {
    if (instance[key] === undefined && !(key in args)) delete instance[key];
  }
  return Object.assign(instance, args);
}
