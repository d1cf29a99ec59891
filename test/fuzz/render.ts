/**
 * Turns a {@link FuzzCase} into the HTTP request it stands for, against the running world: account
 * numbers, cursors and dates are resolved here, and the GraphQL document is printed with literals
 * or variables as the case says.
 */
import { createHash } from 'node:crypto';
import {
  getNamedType,
  GraphQLEnumType,
  type GraphQLInputType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  type GraphQLSchema,
  isInputObjectType,
  isObjectType,
} from 'graphql';
import type { ArgSpec, FieldSel, FuzzCase, Mode, OperationSpec, SelSet, ValueSpec } from './model';

/** What a rendered case needs to know of the running services and sandbox. */
export interface World {
  baseUrls: Record<Mode, string>;
  /** demo, many, ten: their tokens and account numbers. */
  customers: { name: string; token: string; accounts: string[] }[];
  /** Cursors each service issued to each customer (by customer index). */
  cursors: Record<Mode, string[][]>;
  /** The sandbox's last ledger day, `YYYY-MM-DD`. */
  lastDay: string;
}

export interface RenderedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** Who asked, and what it sent that must not come back. */
export interface RequestContext {
  mode: Mode;
  /** Index into `world.customers`, or null for a bad, missing or malformed token. */
  customer: number | null;
  token: string | null;
  phone: string | null;
  /** The document, when there was one: for coverage. */
  document: string | null;
}

export const BAD_TOKEN = 'sandbox-token-nobody-has-this';
export const PHONE = '010-2468-1357';

export function renderCase(
  fuzz: FuzzCase,
  world: World,
  schema: GraphQLSchema,
): { request: RenderedRequest; context: RequestContext } {
  const requester = fuzz.auth.k === 'customer' ? fuzz.auth.c : null;
  const token =
    fuzz.auth.k === 'customer'
      ? world.customers[fuzz.auth.c].token
      : fuzz.auth.k === 'bad-token'
        ? BAD_TOKEN
        : null;
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (fuzz.auth.k === 'malformed') headers.authorization = fuzz.auth.header;
  if (fuzz.requestId !== null) headers['x-request-id'] = fuzz.requestId;
  if (fuzz.device === 'phone') headers['x-device-phone'] = PHONE;
  if (fuzz.device === 'too-long') headers['x-device-serial'] = 'S'.repeat(40);

  const operation = new DocumentPrinter(schema, world, requester).operation(fuzz.operation);
  const base = world.baseUrls[fuzz.mode];
  const graphqlUrl = `${base}/graphql`;
  const payload: Record<string, unknown> = { query: operation.document };
  if (operation.variables) payload.variables = operation.variables;
  if (operation.operationName !== undefined) payload.operationName = operation.operationName;
  const json = (body: unknown, extra: Record<string, string> = {}) => ({
    method: 'POST',
    url: graphqlUrl,
    headers: { ...headers, 'content-type': 'application/json', ...extra },
    body: JSON.stringify(body),
  });
  const context: RequestContext = {
    mode: fuzz.mode,
    customer: requester,
    token,
    phone: fuzz.device === 'phone' ? PHONE : null,
    document: operation.document,
  };

  const t = fuzz.transport;
  let request: RenderedRequest;
  switch (t.k) {
    case 'post-json':
      request = json(payload, t.accept ? { accept: t.accept } : {});
      break;
    case 'get': {
      const params = new URLSearchParams({ query: operation.document });
      if (operation.variables) params.set('variables', JSON.stringify(operation.variables));
      if (operation.operationName !== undefined) params.set('operationName', String(operation.operationName));
      const extra: Record<string, string> = {};
      if (t.preflight) extra['apollo-require-preflight'] = 'true';
      if (t.accept) extra.accept = t.accept;
      request = { method: 'GET', url: `${graphqlUrl}?${params}`, headers: { ...headers, ...extra } };
      break;
    }
    case 'post-text-plain':
      request = { ...json(payload), headers: { ...headers, 'content-type': 'text/plain' } };
      break;
    case 'post-graphql':
      request = {
        method: 'POST',
        url: graphqlUrl,
        headers: { ...headers, 'content-type': 'application/graphql' },
        body: operation.document,
      };
      break;
    case 'method':
      request = { ...json(payload), method: t.method };
      break;
    case 'raw':
      request = { ...json(null), body: rawBody(t.body, operation.document) };
      break;
    case 'apq': {
      const hash = sha256(operation.document);
      const persisted = (version: number, sha256Hash: string) => ({
        persistedQuery: { version, sha256Hash },
      });
      const bodies = {
        'hash-only': { extensions: persisted(1, hash) },
        'with-text': { query: operation.document, extensions: persisted(1, hash) },
        'wrong-hash': {
          query: operation.document,
          extensions: persisted(1, sha256(`${operation.document} `)),
        },
        'version-2': { query: operation.document, extensions: persisted(2, hash) },
      };
      request = json({
        ...bodies[t.variant],
        ...(operation.variables ? { variables: operation.variables } : {}),
      });
      break;
    }
    case 'path':
      request =
        t.method === 'POST'
          ? { ...json(payload), url: `${base}${t.path}` }
          : { method: 'GET', url: `${base}${t.path}`, headers };
      break;
  }
  return { request, context };
}

function rawBody(kind: Extract<FuzzCase['transport'], { k: 'raw' }>['body'], document: string): string {
  switch (kind) {
    case 'invalid-json':
      return `{"query": ${JSON.stringify(document)}`;
    case 'batched':
      return JSON.stringify([{ query: document }, { query: '{ __typename }' }]);
    case 'query-not-string':
      return '{"query": 123}';
    case 'json-string':
      return JSON.stringify(document);
    case 'json-null':
      return 'null';
    case 'empty-object':
      return '{}';
    case 'empty':
      return '';
    case 'huge':
      return JSON.stringify({ query: document, pad: 'x'.repeat(150_000) });
    case 'variables-string':
      return JSON.stringify({ query: document, variables: '{}' });
    case 'operation-name-number':
      return JSON.stringify({ query: document, operationName: 5 });
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

interface PrintedOperation {
  document: string;
  variables?: Record<string, unknown>;
  operationName?: unknown;
}

/** Prints a case's operation, declaring the variables it uses as it goes. */
class DocumentPrinter {
  private readonly declarations: string[] = [];
  private readonly values: Record<string, unknown> = {};

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly world: World,
    private readonly requester: number | null,
  ) {}

  operation(spec: OperationSpec): PrintedOperation {
    if (spec.shape === 'introspection') {
      return {
        document:
          spec.cutAt % 2 === 0
            ? '{ __schema { queryType { name } types { name fields { name } } } }'
            : '{ __type(name: "Account") { name fields { name args { name } } } }',
      };
    }
    const body = this.selections(spec.sel);
    const name = spec.shape.startsWith('two') ? 'First' : spec.name;
    const head = [
      spec.kind,
      name ?? '',
      this.declarations.length > 0 ? `(${this.declarations.join(', ')})` : '',
    ]
      .filter((part) => part !== '')
      .join(' ');
    let document = `${head} ${body}`;
    let operationName: unknown;
    if (spec.shape.startsWith('two')) {
      document += ' query Second { __typename }';
      if (spec.shape === 'two') operationName = 'First';
      if (spec.shape === 'two-wrong-choice') operationName = 'Third';
    } else if (spec.name !== undefined && spec.cutAt % 3 === 0) {
      operationName = spec.name;
    }
    if (spec.shape === 'truncated') document = document.slice(0, spec.cutAt % Math.max(1, document.length));
    const variables = Object.keys(this.values).length > 0 ? this.values : undefined;
    return { document, variables, operationName };
  }

  private selections(sel: SelSet): string {
    const type = this.schema.getType(sel.type);
    const parts: string[] = [];
    if (sel.typename) parts.push('__typename');
    for (const field of sel.fields) parts.push(this.field(sel.type, field));
    if (sel.bogus) parts.push(sel.bogus);
    const inner = parts.join(' ');
    if (sel.inlineFragment && type && isObjectType(type)) return `{ ... on ${sel.type} { ${inner} } }`;
    return `{ ${inner} }`;
  }

  private field(parentType: string, sel: FieldSel): string {
    const parent = this.schema.getType(parentType);
    const field = parent && isObjectType(parent) ? parent.getFields()[sel.field] : undefined;
    const args = sel.args.map((arg) => {
      const type = field?.args.find((a) => a.name === arg.name)?.type;
      return `${arg.name}: ${this.argument(arg, type)}`;
    });
    let text = `${sel.alias ? `${sel.alias}: ` : ''}${sel.field}${args.length > 0 ? `(${args.join(', ')})` : ''}`;
    if (sel.directive === 'include-false') text += ' @include(if: false)';
    if (sel.directive === 'skip-false') text += ' @skip(if: false)';
    if (sel.directive === 'include-variable') text += ` @include(if: ${this.variable('Boolean!', true)})`;
    if (sel.sub) text += ` ${this.selections(sel.sub)}`;
    return text;
  }

  private argument(arg: ArgSpec, type: GraphQLInputType | undefined): string {
    const value = this.resolve(arg.value);
    if (arg.as === 'literal' || type === undefined) return literal(value, type);
    const exact = String(type);
    const declared =
      arg.declared === 'exact'
        ? exact
        : arg.declared === 'nullable'
          ? exact.replace(/!$/, '')
          : getNamedType(type).name === 'String'
            ? 'Int'
            : 'String';
    return this.variable(declared, value);
  }

  private variable(type: string, value: unknown): string {
    const name = `v${this.declarations.length}`;
    this.declarations.push(`$${name}: ${type}`);
    if (value !== undefined) this.values[name] = value;
    return `$${name}`;
  }

  /** A symbolic value made concrete against the world. */
  resolve(spec: ValueSpec): unknown {
    switch (spec.k) {
      case 'raw':
        return this.resolveRaw(spec.v);
      case 'account':
        return this.account(spec.customer, spec.own, spec.index);
      case 'representation':
        return { __typename: spec.typename, number: this.account(spec.customer, spec.own, spec.index) };
      case 'date':
        return addDays(this.world.lastDay, spec.offsetDays);
      case 'cursor': {
        const issued = this.world.cursors[spec.mode][spec.customer] ?? [];
        const cursor = issued.length > 0 ? issued[spec.index % issued.length] : 'no-cursor-issued';
        if (spec.tamper === 'flip') {
          const at = Math.floor(cursor.length / 2);
          return `${cursor.slice(0, at)}${cursor[at] === 'A' ? 'B' : 'A'}${cursor.slice(at + 1)}`;
        }
        if (spec.tamper === 'truncate') return cursor.slice(0, -4);
        if (spec.tamper === 'append') return `${cursor}x`;
        return cursor;
      }
    }
  }

  private resolveRaw(v: unknown): unknown {
    if (v && typeof v === 'object' && '__list' in v)
      return (v.__list as ValueSpec[]).map((item) => this.resolve(item));
    if (v && typeof v === 'object' && '__object' in v) {
      return Object.fromEntries(
        (v.__object as [string, ValueSpec][]).map(([key, value]) => [key, this.resolve(value)]),
      );
    }
    return v;
  }

  private account(customer: number, own: boolean, index: number): string {
    const whose = own && this.requester !== null ? this.requester : customer;
    const accounts = this.world.customers[whose].accounts;
    return accounts[index % accounts.length];
  }
}

/** `value` as a GraphQL literal of `type` (enum names bare, everything else as JSON would write it). */
function literal(value: unknown, type: GraphQLInputType | undefined): string {
  if (value === null || value === undefined) return 'null';
  const inner = type instanceof GraphQLNonNull ? type.ofType : type;
  if (Array.isArray(value)) {
    const item = inner instanceof GraphQLList ? (inner.ofType as GraphQLInputType) : undefined;
    return `[${value.map((v) => literal(v, item)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const fields =
      inner instanceof GraphQLInputObjectType || isInputObjectType(inner) ? inner.getFields() : {};
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${literal(v, fields[k]?.type)}`)
      .join(', ')}}`;
  }
  if (
    typeof value === 'string' &&
    inner instanceof GraphQLEnumType &&
    /^[_A-Za-z][_0-9A-Za-z]*$/.test(value) &&
    !['true', 'false', 'null'].includes(value)
  ) {
    return value;
  }
  return JSON.stringify(value);
}

function addDays(day: string, offset: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + offset);
  return date.toISOString().slice(0, 10);
}
