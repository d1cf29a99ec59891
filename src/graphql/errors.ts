/**
 * The one place where failures become GraphQL errors with the contract's codes, and the registry of
 * every code a client can receive ({@link ERROR_CODES}). Resolvers and loaders throw typed errors
 * (`WooriError`, `MissingTokenError`, `ArgumentError`, or a `GraphQLError` with a registered code);
 * `formatError` turns each into a message and `extensions` a caller can act on, and anything else
 * into a generic INTERNAL_SERVER_ERROR with no stack trace and no detail. Requests refused before
 * GraphQL runs (by the HTTP layer) get the same shape from `errorBody`.
 *
 * `docs/errors.md` documents every code of the registry; `test/graphql/error-codes.test.ts` fails
 * when a code, a status, the retry advice or an extension is missing there.
 */
import { type ASTNode, type GraphQLFormattedError, GraphQLError } from 'graphql';
import { WooriError, type WooriErrorKind } from '../woori/errors';

/**
 * Whether sending the same request again can succeed: `no` (change it first), `yes` (after a
 * backoff), `after-wait` (after the wait the error names: `retryAfterMs`, `heldBackMs`),
 * `with-query` (send the full query text along with the hash: automatic persisted queries).
 */
export type RetryAdvice = 'no' | 'yes' | 'after-wait' | 'with-query';

/** What a client can rely on for one `extensions.code`. */
export interface ErrorCodeSpec {
  /** Who raises it: this service's own checks, Apollo Server and graphql-js, or a failed upstream call. */
  origin: 'service' | 'graphql' | 'upstream';
  /**
   * Every HTTP status a response carrying this code can have. 200 means a field error beside
   * other data, or `data: null` once execution began (GraphQL over HTTP with `application/json`).
   */
  statuses: readonly number[];
  retry: RetryAdvice;
  /** The keys of `extensions`, beside `code`, that this code can carry. */
  extensions: readonly string[];
}

/** The extensions of an upstream failure; `heldBackMs` when the breaker held a broken input back. */
const UPSTREAM_EXTENSIONS = ['upstreamCode', 'traceId', 'heldBackMs'] as const;

/**
 * Every `extensions.code` a client can receive. To add a code: one entry here and one row in
 * `docs/errors.md` (a test checks both). A `GraphQLError` thrown with a code that is not here is
 * answered as INTERNAL_SERVER_ERROR, so an unregistered code never reaches a client.
 */
export const ERROR_CODES = {
  // This service's own.
  UNAUTHENTICATED: { origin: 'service', statuses: [200], retry: 'no', extensions: UPSTREAM_EXTENSIONS },
  BAD_USER_INPUT: {
    origin: 'service',
    statuses: [400, 200],
    retry: 'no',
    extensions: ['invalidArgs', 'field', 'path', 'header', ...UPSTREAM_EXTENSIONS],
  },
  LIMIT_EXCEEDED: { origin: 'service', statuses: [200], retry: 'no', extensions: ['limit', 'value'] },
  PERSISTED_QUERY_NOT_IN_LIST: { origin: 'service', statuses: [400], retry: 'no', extensions: [] },
  PERSISTED_QUERY_HASH_MISMATCH: { origin: 'service', statuses: [400], retry: 'no', extensions: [] },
  NOT_FOUND: { origin: 'service', statuses: [404], retry: 'no', extensions: [] },
  INTERNAL_SERVER_ERROR: { origin: 'service', statuses: [500, 200], retry: 'no', extensions: [] },
  // Failed upstream calls (see `codeByKind`).
  RATE_LIMITED: {
    origin: 'upstream',
    statuses: [200],
    retry: 'after-wait',
    extensions: ['retryAfterMs', 'scope', ...UPSTREAM_EXTENSIONS],
  },
  QUOTA_EXCEEDED: { origin: 'upstream', statuses: [200], retry: 'no', extensions: UPSTREAM_EXTENSIONS },
  UPSTREAM_TIMEOUT: { origin: 'upstream', statuses: [200], retry: 'yes', extensions: UPSTREAM_EXTENSIONS },
  UPSTREAM_UNAVAILABLE: {
    origin: 'upstream',
    statuses: [200],
    retry: 'yes',
    extensions: UPSTREAM_EXTENSIONS,
  },
  UPSTREAM_ERROR: { origin: 'upstream', statuses: [200], retry: 'yes', extensions: UPSTREAM_EXTENSIONS },
  // Apollo Server's and graphql-js's (ApolloServerErrorCode), passed through as they are.
  GRAPHQL_PARSE_FAILED: { origin: 'graphql', statuses: [400], retry: 'no', extensions: [] },
  GRAPHQL_VALIDATION_FAILED: {
    origin: 'graphql',
    statuses: [400],
    retry: 'no',
    extensions: ['validationErrorCode', 'cost', 'maxCost', 'nodes', 'maxNodes'],
  },
  BAD_REQUEST: {
    origin: 'graphql',
    statuses: [400, 405, 406, 408, 413, 415, 431],
    retry: 'no',
    extensions: [],
  },
  OPERATION_RESOLUTION_FAILURE: { origin: 'graphql', statuses: [400], retry: 'no', extensions: [] },
  PERSISTED_QUERY_NOT_FOUND: { origin: 'graphql', statuses: [200], retry: 'with-query', extensions: [] },
  PERSISTED_QUERY_NOT_SUPPORTED: { origin: 'graphql', statuses: [200], retry: 'with-query', extensions: [] },
} as const satisfies Record<string, ErrorCodeSpec>;

/** A code of the registry: the only values `extensions.code` takes. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Whether `code` is in the registry. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}

/** A request without a bearer token asked for customer data. No upstream call is made. */
export class MissingTokenError extends Error {
  override readonly name = 'MissingTokenError';
  constructor() {
    super('A bearer token is required: send "Authorization: Bearer <the customer\'s Woori access token>".');
  }
}

/** One argument rule that a caller broke. */
export interface ArgumentViolation {
  argument: string;
  rule: string;
  message: string;
}

/** Where in the document the field whose arguments broke a rule stands. */
export interface ArgumentPlace {
  /** The field's node in the document: the error's `locations`. */
  nodes: readonly ASTNode[];
  /** The field's schema coordinate, e.g. `Account.transactions`. */
  field: string;
  /** The response keys from the root to the field (aliases where given; no list positions). */
  path: readonly string[];
}

/**
 * Arguments that broke a rule, found before any upstream call: by the request check before
 * execution (with the field's `place`), or by the field itself.
 */
export class ArgumentError extends GraphQLError {
  constructor(
    readonly violations: ArgumentViolation[],
    place?: ArgumentPlace,
  ) {
    super(violations.map((v) => v.message).join(' '), {
      nodes: place?.nodes,
      extensions: {
        code: 'BAD_USER_INPUT' satisfies ErrorCode,
        invalidArgs: violations,
        ...(place ? { field: place.field, path: place.path } : {}),
      },
    });
  }
}

/**
 * A ceiling that only execution can tell was crossed (a request's upstream calls, a response's
 * bytes): the request stops with this error. `limit` is the setting's name in lower camel case,
 * `value` the setting's value.
 */
export class LimitExceededError extends GraphQLError {
  constructor(message: string, limit: string, value: number) {
    super(message, { extensions: { code: 'LIMIT_EXCEEDED' satisfies ErrorCode, limit, value } });
  }
}

const codeByKind: Record<WooriErrorKind, ErrorCode> = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  BAD_INPUT: 'BAD_USER_INPUT',
  RATE_LIMITED: 'RATE_LIMITED',
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  TIMEOUT: 'UPSTREAM_TIMEOUT',
  UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_ERROR: 'UPSTREAM_ERROR',
  MISCONFIGURED: 'UPSTREAM_ERROR',
};

/** The code a caller gets for each kind of upstream failure. */
export function codeOfUpstreamKind(kind: WooriErrorKind): ErrorCode {
  return codeByKind[kind];
}

const messageByKind: Record<WooriErrorKind, string> = {
  UNAUTHENTICATED: 'The Woori API rejected the access token.',
  BAD_INPUT: 'The Woori API rejected the input.',
  RATE_LIMITED: "The Woori API's per-second limit was reached; try again shortly.",
  QUOTA_EXCEEDED: "The Woori API's call quota is used up.",
  TIMEOUT: 'The Woori API did not answer in time.',
  UNAVAILABLE: 'The Woori API is unavailable.',
  UPSTREAM_ERROR: 'The Woori API failed.',
  MISCONFIGURED: 'The service could not use the Woori API (its configuration was refused).',
};

/** A customer over its own ceiling of upstream calls (`scope: "customer"`): not the upstream's limit. */
const CUSTOMER_CEILING_MESSAGE =
  "This customer's share of upstream calls is used up for now; try again after extensions.retryAfterMs.";

/** Extensions of a GraphQL error for an upstream failure. */
export function upstreamErrorExtensions(error: WooriError): Record<string, unknown> {
  return {
    code: codeByKind[error.kind],
    ...(error.upstreamCode ? { upstreamCode: error.upstreamCode } : {}),
    ...(error.traceId ? { traceId: error.traceId } : {}),
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    ...(error.scope ? { scope: error.scope } : {}),
    ...(error.heldBackMs !== undefined ? { heldBackMs: error.heldBackMs } : {}),
  };
}

/**
 * Refusals of Apollo Server that come without a code (it would answer them as
 * INTERNAL_SERVER_ERROR): the client's mistakes, given a client code and a message that says what
 * is needed. Keyed by Apollo's message, which a test pins.
 */
const UNCODED_APOLLO_REFUSALS: ReadonlyMap<string, { code: ErrorCode; message: string }> = new Map([
  [
    'provided sha does not match query',
    {
      code: 'PERSISTED_QUERY_HASH_MISMATCH',
      message:
        'extensions.persistedQuery.sha256Hash needs to be the SHA-256 (hex) of the query text; it is not.',
    },
  ],
  [
    'Unsupported persisted query version',
    {
      code: 'BAD_REQUEST',
      message: 'extensions.persistedQuery.version needs to be 1; other versions are not supported.',
    },
  ],
]);

/** What a caller is told of a failure nobody planned for: nothing about it. */
const INTERNAL_ERROR = { message: 'Internal server error.', code: 'INTERNAL_SERVER_ERROR' } as const;

/**
 * The code a caller gets for `error` (as Apollo hands it over, wrapped or not): upstream failures by
 * their kind, registered codes as they are, Apollo's uncoded refusals by their message, and
 * INTERNAL_SERVER_ERROR for everything else, which is then a defect of ours.
 */
export function errorCodeOf(error: unknown): ErrorCode {
  const cause = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (cause instanceof WooriError) return codeByKind[cause.kind];
  if (cause instanceof MissingTokenError) return 'UNAUTHENTICATED';
  if (!(error instanceof GraphQLError)) return INTERNAL_ERROR.code;
  const code = error.extensions.code;
  if (code === undefined) return UNCODED_APOLLO_REFUSALS.get(error.message)?.code ?? INTERNAL_ERROR.code;
  return isErrorCode(code) ? code : INTERNAL_ERROR.code;
}

/** The body of a response with one error and no data, in GraphQL's shape. */
export interface ErrorBody {
  errors: [GraphQLFormattedError];
}

/**
 * The body of a request refused before GraphQL ran (a bad header, a body that cannot be read):
 * `extensions.code` plus what the caller needs to fix it (e.g. `header`).
 */
export function errorBody(
  message: string,
  code: ErrorCode,
  extensions: Record<string, unknown> = {},
): ErrorBody {
  return { errors: [{ message, extensions: { code, ...extensions } }] };
}

/** The body of a request that failed unexpectedly before or around GraphQL. */
export function internalErrorBody(): ErrorBody {
  return errorBody(INTERNAL_ERROR.message, INTERNAL_ERROR.code);
}

/** Apollo's `formatError`: every error of every response passes here. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const where = {
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
  const cause = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (cause instanceof WooriError) {
    const suffix = cause.upstreamCode ? ` (${cause.upstreamCode})` : '';
    const message = cause.scope === 'customer' ? CUSTOMER_CEILING_MESSAGE : messageByKind[cause.kind];
    return {
      message: `${message}${suffix}`,
      ...where,
      extensions: upstreamErrorExtensions(cause),
    };
  }
  if (cause instanceof MissingTokenError) {
    return { message: cause.message, ...where, extensions: { code: 'UNAUTHENTICATED' } };
  }
  const code = errorCodeOf(error);
  if (code === INTERNAL_ERROR.code) {
    return { message: INTERNAL_ERROR.message, ...where, extensions: { code } };
  }
  const refusal = error instanceof GraphQLError && error.extensions.code === undefined;
  if (refusal) {
    const { message } = UNCODED_APOLLO_REFUSALS.get((error as GraphQLError).message)!;
    return { message, ...where, extensions: { code } };
  }
  const { stacktrace: _stack, exception: _exception, ...extensions } = formatted.extensions ?? {};
  return { ...formatted, extensions: { ...extensions, code } };
}
