/**
 * What the fuzz test sends, as data: a {@link FuzzCase} is one HTTP request to the service, built
 * from `schema.graphql` (so fields and arguments other lanes add are covered once merged) with
 * edge-case values per type, valid and invalid; HTTP oddities; cursor probes; a mode (development or
 * production) and a caller (three customers, a bad token, none, a malformed header).
 *
 * Values that depend on the running sandbox (account numbers, cursors, dates) are symbolic here and
 * resolved when the case is rendered (`render.ts`), so that a case is the same from run to run and
 * fast-check can shrink it to a minimal reproduction.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  type GraphQLArgument,
  type GraphQLField,
  GraphQLEnumType,
  type GraphQLInputType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  type GraphQLSchema,
  GraphQLUnionType,
  GraphQLInterfaceType,
  isObjectType,
} from 'graphql';

/** The schema clients see, as printed from the code. */
export function loadSchema(root = join(__dirname, '..', '..')): GraphQLSchema {
  return buildSchema(readFileSync(join(root, 'schema.graphql'), 'utf8'));
}

/** The customers a case may act as, by index into the world's customers (demo, many, ten). */
export const CUSTOMERS = 3;

/** An argument's value, symbolic where it depends on the sandbox. */
export type ValueSpec =
  | { k: 'raw'; v: unknown }
  /** One of the requester's own accounts (`whose: 0`) or another customer's. */
  | { k: 'account'; customer: number; own: boolean; index: number }
  /** A cursor the service issued (in `mode`, to `customer`), possibly tampered with. */
  | {
      k: 'cursor';
      mode: Mode;
      customer: number;
      index: number;
      tamper: 'none' | 'flip' | 'truncate' | 'append';
    }
  /** A date relative to the sandbox's last ledger day. */
  | { k: 'date'; offsetDays: number }
  /** A federation entity representation. */
  | { k: 'representation'; customer: number; own: boolean; index: number; typename: string };

export interface ArgSpec {
  name: string;
  value: ValueSpec;
  /** As a literal in the document, or as a variable (declared with the argument's type, nullable, or wrong). */
  as: 'literal' | 'variable';
  declared: 'exact' | 'nullable' | 'wrong';
}

export interface FieldSel {
  field: string;
  alias?: string;
  args: ArgSpec[];
  sub?: SelSet;
  directive?: 'include-false' | 'skip-false' | 'include-variable';
}

export interface SelSet {
  /** The object type these selections are on. */
  type: string;
  fields: FieldSel[];
  typename: boolean;
  /** A misspelt field: a validation error. */
  bogus?: string;
  /** Wrap the selections in an inline fragment on the type (always, under a union or an interface). */
  inlineFragment: boolean;
}

export interface OperationSpec {
  kind: 'query' | 'mutation' | 'subscription';
  name?: string;
  sel: SelSet;
  /** One operation; two (with `operationName` right, missing or wrong); or the text cut short. */
  shape: 'single' | 'two' | 'two-unnamed-choice' | 'two-wrong-choice' | 'truncated' | 'introspection';
  cutAt: number;
}

export type Mode = 'dev' | 'prod';

export type Auth =
  { k: 'customer'; c: number } | { k: 'bad-token' } | { k: 'none' } | { k: 'malformed'; header: string };

export type Transport =
  | { k: 'post-json'; accept: string | null }
  | { k: 'get'; preflight: boolean; accept: string | null }
  | { k: 'post-text-plain' }
  | { k: 'post-graphql' }
  | { k: 'method'; method: 'PUT' | 'DELETE' | 'PATCH' }
  | { k: 'raw'; body: RawBody }
  | { k: 'apq'; variant: 'hash-only' | 'with-text' | 'wrong-hash' | 'version-2' }
  | { k: 'path'; path: '/nope' | '/graphql/' | '/metrics' | '/healthz' | '/readyz'; method: 'GET' | 'POST' };

export type RawBody =
  | 'invalid-json'
  | 'batched'
  | 'query-not-string'
  | 'json-string'
  | 'json-null'
  | 'empty-object'
  | 'empty'
  | 'huge'
  | 'variables-string'
  | 'operation-name-number';

export interface FuzzCase {
  mode: Mode;
  auth: Auth;
  transport: Transport;
  operation: OperationSpec;
  requestId: string | null;
  /** Send `x-device-phone` (a secret that must not come back), or a device header over its length. */
  device: 'none' | 'phone' | 'too-long';
}

const MAX_DEPTH = 7;

/**
 * `arb`'s value with probability `chance`, else undefined (to which it shrinks). fast-check's own
 * `option` takes the chance of undefined instead, as 1/freq.
 */
function maybe<T>(arb: fc.Arbitrary<T>, chance: number): fc.Arbitrary<T | undefined> {
  const present = Math.round(chance * 1000);
  return fc.oneof(
    { withCrossShrink: true },
    { weight: 1000 - present, arbitrary: fc.constant(undefined) },
    { weight: present, arbitrary: arb },
  );
}

/** Dates: in the valid family, `from` before `to` and the span within the limit, as a client would send them. */
const dateSpec = (argName: string, wild: boolean): fc.Arbitrary<ValueSpec> => {
  const offsets =
    argName === 'from'
      ? { min: -360, max: -30 }
      : argName === 'to'
        ? { min: -29, max: 2 }
        : { min: -400, max: 2 };
  const valid = fc.integer(offsets).map((d) => ({ k: 'date', offsetDays: d }) as ValueSpec);
  if (!wild) return valid;
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.integer({ min: -400, max: 2 }).map((d) => ({ k: 'date', offsetDays: d }) as ValueSpec),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(-2800, -3000, -20000, 3000)
        .map((d) => ({ k: 'date', offsetDays: d }) as ValueSpec),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          '2019-01-01',
          '2019-06-13',
          '2019-02-29',
          '2024-02-29',
          '2024-13-01',
          '2024-1-1',
          '20240101',
          '',
          ' 2024-01-01',
          '9999-12-31',
          '0000-01-01',
          '2024-01-01T00:00:00Z',
        )
        .map((v) => ({ k: 'raw', v }) as ValueSpec),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(20240101, null, true).map((v) => ({ k: 'raw', v }) as ValueSpec),
    },
  );
};

/** Account numbers: the requester's own, another customer's (which must answer nothing), or garbage. */
const accountSpec = (wild: boolean): fc.Arbitrary<ValueSpec> => {
  const known = fc
    .record({ customer: fc.nat(CUSTOMERS - 1), own: fc.constantFrom(true, true, false), index: fc.nat(60) })
    .map((a) => ({ k: 'account', ...a }) as ValueSpec);
  if (!wild) return known;
  return fc.oneof(
    { weight: 6, arbitrary: known },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.stringMatching(/^\d{9,16}$/),
          fc.constantFrom(
            '',
            '0000000000',
            '1002146788200 ',
            '1002-146-788200',
            "1002146788200' OR 1=1",
            '١٠٠٢١٤٦٧٨٨٢٠٠',
          ),
          fc.string({ maxLength: 20 }),
        )
        .map((v) => ({ k: 'raw', v }) as ValueSpec),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(1002146788200, null, ['1002146788200'])
        .map((v) => ({ k: 'raw', v }) as ValueSpec),
    },
  );
};

/** Cursors: ones the services issued (to this customer or another, in this mode or the other), tampered with or not. */
const cursorSpec = (wild: boolean): fc.Arbitrary<ValueSpec> => {
  const issued = fc
    .record({
      mode: fc.constantFrom<Mode>('dev', 'prod'),
      customer: fc.nat(CUSTOMERS - 1),
      index: fc.nat(3),
      tamper: wild
        ? fc.constantFrom<'none' | 'flip' | 'truncate' | 'append'>(
            'none',
            'none',
            'flip',
            'truncate',
            'append',
          )
        : fc.constant<'none'>('none'),
    })
    .map((c) => ({ k: 'cursor', ...c }) as ValueSpec);
  if (!wild) return issued;
  return fc.oneof(
    { weight: 5, arbitrary: issued },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.base64String({ maxLength: 80 }),
          fc.constantFrom('', 'null', 'eyJ9', '%%%'),
          fc.string({ maxLength: 30 }),
        )
        .map((v) => ({ k: 'raw', v }) as ValueSpec),
    },
  );
};

const intSpec = (name: string, wild: boolean): fc.Arbitrary<ValueSpec> => {
  if (/^(first|last|limit)$/.test(name)) {
    const valid = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(1, 2, 3, 5, 10, 20) },
      { weight: 1, arbitrary: fc.constantFrom(100, 1000) },
    );
    const values = wild
      ? fc.oneof(
          { weight: 6, arbitrary: valid },
          { weight: 2, arbitrary: fc.constantFrom(0, -1, 1001) },
          { weight: 1, arbitrary: fc.constantFrom(2147483647, 2147483648, 1.5, '5', null) },
        )
      : valid;
    return values.map((v) => ({ k: 'raw', v }) as ValueSpec);
  }
  const values = wild
    ? fc.oneof(fc.integer({ min: -5, max: 100 }), fc.constantFrom(2147483648, 1.5, '1'))
    : fc.nat(100);
  return values.map((v) => ({ k: 'raw', v }) as ValueSpec);
};

const rawScalar = (): fc.Arbitrary<ValueSpec> =>
  fc
    .oneof(
      fc.string({ maxLength: 20 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom('123456789012345678.000001', '-0', '1e3', 'NaN', '<script>', "'; DROP TABLE x; --"),
    )
    .map((v) => ({ k: 'raw', v }) as ValueSpec);

/**
 * Values of one input type, by its named type and the argument's name: in the valid family ones a
 * client would send, in the wild family also edge cases and wrong ones.
 */
function valueSpec(
  type: GraphQLInputType,
  argName: string,
  wild: boolean,
  depth = 0,
): fc.Arbitrary<ValueSpec> {
  if (type instanceof GraphQLNonNull) {
    const inner = valueSpec(type.ofType, argName, wild, depth);
    if (!wild) return inner;
    return fc.oneof(
      { weight: 12, arbitrary: inner },
      { weight: 1, arbitrary: fc.constant({ k: 'raw', v: null } as ValueSpec) },
    );
  }
  if (type instanceof GraphQLList) {
    const item = valueSpec(type.ofType, argName, wild, depth + 1);
    const list = fc.array(item, { minLength: wild ? 0 : 1, maxLength: 3 }).map((items) => listOf(items));
    if (!wild) return list;
    return fc.oneof({ weight: 4, arbitrary: list }, { weight: 1, arbitrary: item });
  }
  if (type instanceof GraphQLEnumType) {
    const names = type.getValues().map((v) => v.name);
    const values = wild
      ? fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom<unknown>(...names) },
          { weight: 1, arbitrary: fc.constantFrom(...names).map((n) => n.toLowerCase()) },
          { weight: 1, arbitrary: fc.constantFrom<unknown>('NOPE', '', 1) },
        )
      : fc.constantFrom<unknown>(...names);
    return values.map((v) => ({ k: 'raw', v }) as ValueSpec);
  }
  if (type instanceof GraphQLInputObjectType) {
    if (depth > 3) return fc.constant({ k: 'raw', v: null });
    const fields = Object.values(type.getFields());
    return fc
      .tuple(
        ...fields.map((f) =>
          f.type instanceof GraphQLNonNull && !wild
            ? valueSpec(f.type, f.name, wild, depth + 1)
            : maybe(valueSpec(f.type, f.name, wild, depth + 1), 0.5),
        ),
      )
      .map((values) => objectOf(fields.map((f, i) => [f.name, values[i]] as const)));
  }
  const scalar = type as GraphQLScalarType;
  switch (scalar.name) {
    case 'Date':
      return dateSpec(argName, wild);
    case 'Int':
      return intSpec(argName, wild);
    case '_Any':
      return fc
        .record({
          customer: fc.nat(CUSTOMERS - 1),
          own: fc.constantFrom(true, true, false),
          index: fc.nat(60),
          typename: wild ? fc.constantFrom('Account', 'Account', 'Nope') : fc.constant('Account'),
        })
        .map((r) => ({ k: 'representation', ...r }) as ValueSpec);
    case 'Boolean':
      return (wild ? fc.constantFrom<unknown>(true, false, 'true', 1) : fc.boolean()).map(
        (v) => ({ k: 'raw', v }) as ValueSpec,
      );
    case 'String':
    case 'ID':
      if (/number|account/i.test(argName)) return accountSpec(wild);
      if (/^(after|before|cursor)$/.test(argName)) return cursorSpec(wild);
      return wild ? rawScalar() : fc.string({ maxLength: 12 }).map((v) => ({ k: 'raw', v }) as ValueSpec);
    default:
      return wild
        ? rawScalar()
        : fc.constantFrom('1', '1.5', '2024-01-01').map((v) => ({ k: 'raw', v }) as ValueSpec);
  }
}

/** A list or object whose items are symbolic: rendered item by item. */
function listOf(items: ValueSpec[]): ValueSpec {
  return { k: 'raw', v: { __list: items } };
}

function objectOf(entries: readonly (readonly [string, ValueSpec | undefined])[]): ValueSpec {
  return { k: 'raw', v: { __object: entries.filter(([, v]) => v !== undefined) } };
}

function argSpec(arg: GraphQLArgument, wild: boolean): fc.Arbitrary<ArgSpec> {
  return fc.record({
    name: fc.constant(arg.name),
    value: valueSpec(arg.type, arg.name, wild),
    as: fc.constantFrom<ArgSpec['as']>('literal', 'literal', 'variable'),
    declared: wild
      ? fc.constantFrom<ArgSpec['declared']>('exact', 'exact', 'exact', 'nullable', 'wrong')
      : fc.constant<ArgSpec['declared']>('exact'),
  });
}

function fieldArgs(field: GraphQLField<unknown, unknown>, wild: boolean): fc.Arbitrary<ArgSpec[]> {
  if (field.args.length === 0) return fc.constant([]);
  return fc
    .tuple(
      ...field.args.map((arg) =>
        // Required arguments are always given in the valid family, nearly always in the wild one.
        arg.type instanceof GraphQLNonNull && !wild
          ? argSpec(arg, wild)
          : maybe(argSpec(arg, wild), arg.type instanceof GraphQLNonNull ? 0.95 : 0.5),
      ),
      wild ? maybe(fc.constantFrom('bogus', 'frm', 'numbr'), 0.05) : fc.constant(undefined),
    )
    .map((parts) => {
      const given = parts.slice(0, -1).filter((a): a is ArgSpec => a !== undefined);
      const bogus = parts[parts.length - 1] as string | undefined;
      return bogus
        ? [...given, { name: bogus, value: { k: 'raw', v: 1 }, as: 'literal', declared: 'exact' } as ArgSpec]
        : given;
    });
}

/**
 * Builds the arbitraries of selection sets, one per (type, depth), from the schema. Every field of
 * a type is independently included or not, so that shrinking drops fields one by one.
 */
export class SelectionArbitraries {
  private readonly cache = new Map<string, fc.Arbitrary<SelSet>>();

  constructor(
    private readonly schema: GraphQLSchema,
    /** The wild family: also misspelt fields and arguments, wrong values and wrong variable types. */
    private readonly wild: boolean,
  ) {}

  of(type: GraphQLObjectType, depth: number): fc.Arbitrary<SelSet> {
    const key = `${type.name}@${depth}`;
    let found = this.cache.get(key);
    if (!found) {
      found = this.build(type, depth);
      this.cache.set(key, found);
    }
    return found;
  }

  private build(type: GraphQLObjectType, depth: number): fc.Arbitrary<SelSet> {
    const fields = Object.values(type.getFields()).filter((f) => !f.name.startsWith('__'));
    // Fewer fields deeper down, so that documents stay within the depth and cost limits most of the time.
    const chance = depth === 0 ? 0.6 : depth <= 3 ? 0.35 : 0.25;
    const fieldArbs = fields.map((f) => maybe(this.fieldSel(f, depth), chance));
    return fc
      .record({
        picked: fc.tuple(...fieldArbs),
        typename: fc.boolean(),
        bogus: this.wild
          ? maybe(fc.constantFrom('numbr', 'acounts', 'balanse', 'nope'), 0.04)
          : fc.constant(undefined),
        inlineFragment: fc.constantFrom(false, false, false, false, true),
      })
      .map(({ picked, typename, bogus, inlineFragment }) => {
        const chosen = picked.flat().filter((f): f is FieldSel => f !== undefined);
        return {
          type: type.name,
          fields: chosen,
          typename: typename || chosen.length === 0,
          bogus,
          inlineFragment,
        };
      });
  }

  private fieldSel(field: GraphQLField<unknown, unknown>, depth: number): fc.Arbitrary<FieldSel[]> {
    const named = getNamedType(field.type);
    let sub: fc.Arbitrary<SelSet | undefined> = fc.constant(undefined);
    if (depth < MAX_DEPTH && isObjectType(named)) sub = this.of(named, depth + 1);
    else if (
      depth < MAX_DEPTH &&
      (named instanceof GraphQLUnionType || named instanceof GraphQLInterfaceType)
    ) {
      const possible = this.schema.getPossibleTypes(named);
      sub = fc
        .constantFrom(...possible)
        .chain((t) => this.of(t, depth + 1))
        .map((s) => ({ ...s, inlineFragment: true }));
    }
    const one = fc.record({
      field: fc.constant(field.name),
      args: fieldArgs(field, this.wild),
      sub,
      directive: maybe(fc.constantFrom('include-false', 'skip-false', 'include-variable'), 0.06),
    });
    // Sometimes the same field twice under aliases, with their own arguments.
    return fc.oneof(
      { weight: 6, arbitrary: one.map((f) => [f as FieldSel]) },
      {
        weight: 1,
        arbitrary: fc
          .array(one, { minLength: 2, maxLength: field.args.length > 0 ? 6 : 2 })
          .map((fs) => fs.map((f, i) => ({ ...f, alias: `${field.name}${i}` }) as FieldSel)),
      },
    );
  }
}

/**
 * The whole case: what to ask, how to send it, as whom, in which mode. Three in five come from the
 * valid family (documents and requests a client would send, so that answers carry data and every
 * field runs); the rest from the wild family (misspellings, wrong values and types, HTTP oddities).
 */
export function caseArbitrary(schema: GraphQLSchema): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    { weight: 3, arbitrary: family(schema, false) },
    { weight: 2, arbitrary: family(schema, true) },
  );
}

function family(schema: GraphQLSchema, wild: boolean): fc.Arbitrary<FuzzCase> {
  const selections = new SelectionArbitraries(schema, wild);
  const query = schema.getQueryType()!;
  const rare = <T>(common: T, ...others: T[]): fc.Arbitrary<T> =>
    wild
      ? fc.oneof(
          { weight: 40, arbitrary: fc.constant(common) },
          { weight: 1, arbitrary: fc.constantFrom(...others) },
        )
      : fc.constant(common);
  const operation: fc.Arbitrary<OperationSpec> = fc.record({
    kind: rare<OperationSpec['kind']>('query', 'mutation', 'subscription'),
    name: maybe(fc.constantFrom('Dashboard', 'Probe', 'op_1'), 0.5),
    sel: selections.of(query, 0),
    shape: rare<OperationSpec['shape']>(
      'single',
      'two',
      'two-unnamed-choice',
      'two-wrong-choice',
      'truncated',
      'introspection',
    ),
    cutAt: fc.nat(400),
  });
  const customer = fc.nat(CUSTOMERS - 1).map((c) => ({ k: 'customer', c }) as Auth);
  const auth: fc.Arbitrary<Auth> = fc.oneof(
    { weight: 16, arbitrary: customer },
    { weight: 1, arbitrary: fc.constant({ k: 'bad-token' } as Auth) },
    { weight: 1, arbitrary: fc.constant({ k: 'none' } as Auth) },
    ...(wild
      ? [
          {
            weight: 1,
            arbitrary: fc
              .constantFrom(
                'Bearer',
                'Bearer ',
                'Basic dXNlcjpwYXNz',
                'bearer sandbox-token-demo extra',
                'Token x',
              )
              .map((header) => ({ k: 'malformed', header }) as Auth),
          },
        ]
      : []),
  );
  const jsonAccept = fc.constantFrom(
    null,
    null,
    null,
    'application/json',
    'application/graphql-response+json',
    'application/graphql-response+json, application/json;q=0.9',
    '*/*',
  );
  const accept = wild
    ? fc.oneof(
        { weight: 8, arbitrary: jsonAccept },
        { weight: 1, arbitrary: fc.constantFrom('text/html', 'image/png') },
      )
    : jsonAccept;
  const posted = accept.map((a) => ({ k: 'post-json', accept: a }) as Transport);
  const get = fc
    .record({ preflight: wild ? fc.constantFrom(true, true, false) : fc.constant(true), accept })
    .map((g) => ({ k: 'get', ...g }) as Transport);
  const transport: fc.Arbitrary<Transport> = wild
    ? fc.oneof(
        { weight: 30, arbitrary: posted },
        { weight: 6, arbitrary: get },
        { weight: 1, arbitrary: fc.constant({ k: 'post-text-plain' } as Transport) },
        { weight: 1, arbitrary: fc.constant({ k: 'post-graphql' } as Transport) },
        {
          weight: 1,
          arbitrary: fc
            .constantFrom('PUT', 'DELETE', 'PATCH')
            .map((method) => ({ k: 'method', method }) as Transport),
        },
        {
          weight: 5,
          arbitrary: fc
            .constantFrom<RawBody>(
              'invalid-json',
              'batched',
              'query-not-string',
              'json-string',
              'json-null',
              'empty-object',
              'empty',
              'huge',
              'variables-string',
              'operation-name-number',
            )
            .map((body) => ({ k: 'raw', body }) as Transport),
        },
        {
          weight: 3,
          arbitrary: fc
            .constantFrom('hash-only', 'with-text', 'wrong-hash', 'version-2')
            .map((variant) => ({ k: 'apq', variant }) as Transport),
        },
        {
          weight: 1,
          arbitrary: fc
            .record({
              path: fc.constantFrom('/nope', '/graphql/', '/metrics', '/healthz', '/readyz'),
              method: fc.constantFrom('GET', 'POST'),
            })
            .map((p) => ({ k: 'path', ...p }) as Transport),
        },
      )
    : fc.oneof({ weight: 6, arbitrary: posted }, { weight: 1, arbitrary: get });
  return fc.record({
    mode: fc.constantFrom<Mode>('dev', 'prod'),
    auth,
    transport,
    operation,
    requestId: fc.option(
      wild
        ? fc.oneof(
            fc.stringMatching(/^[a-z0-9-]{1,20}$/),
            fc.constantFrom('acct-1002146788200', '010-1234-5678', 'has space', 'x'.repeat(200)),
          )
        : fc.stringMatching(/^[a-z0-9-]{1,20}$/),
      { nil: null, freq: 4 },
    ),
    device: wild
      ? fc.constantFrom<FuzzCase['device']>('none', 'none', 'none', 'none', 'phone', 'phone', 'too-long')
      : fc.constantFrom<FuzzCase['device']>('none', 'none', 'phone'),
  });
}

/** Every `Type.field` and `Type.field(arg)` of the schema's output types: what a run should exercise. */
export function schemaCoordinates(schema: GraphQLSchema): string[] {
  const out: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      out.push(`${type.name}.${field.name}`);
      for (const arg of field.args) out.push(`${type.name}.${field.name}(${arg.name})`);
    }
  }
  return out;
}
