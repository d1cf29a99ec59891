/**
 * The one place where failures become GraphQL errors with the contract's codes. Resolvers and
 * loaders throw typed errors (`WooriError`, `MissingTokenError`, `ArgumentError`); `formatError`
 * turns each into a message and `extensions` a caller can act on, and anything unexpected into a
 * generic INTERNAL_SERVER_ERROR with no stack trace and no detail. Requests refused before GraphQL
 * runs (by the HTTP layer) get the same shape from `errorBody`.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import { type ASTNode, type GraphQLFormattedError, GraphQLError } from 'graphql';
import { WooriError, type WooriErrorKind } from '../woori/errors';

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

/** Where, in a request not yet run, the field of a bad argument is. */
export interface ArgumentPlace {
  /** The field's node in the document: the error's `locations`. */
  nodes: readonly ASTNode[];
  /** The field's schema coordinate, e.g. `Account.transactions`. */
  field: string;
  /** The response keys from the root to the field (aliases where given; no list positions). */
  path: readonly string[];
}

/** Arguments that broke a rule, found before any upstream call. */
export class ArgumentError extends GraphQLError {
  constructor(
    readonly violations: ArgumentViolation[],
    place?: ArgumentPlace,
  ) {
    super(violations.map((v) => v.message).join(' '), {
      nodes: place?.nodes,
      extensions: {
        code: 'BAD_USER_INPUT',
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
    super(message, { extensions: { code: 'LIMIT_EXCEEDED', limit, value } });
  }
}

const codeByKind: Record<WooriErrorKind, string> = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  BAD_INPUT: 'BAD_USER_INPUT',
  RATE_LIMITED: 'RATE_LIMITED',
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  TIMEOUT: 'UPSTREAM_TIMEOUT',
  UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_ERROR: 'UPSTREAM_ERROR',
  MISCONFIGURED: 'UPSTREAM_ERROR',
};

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

/** RATE_LIMITED with `scope: "customer"`: this service's ceiling per customer, not the upstream's limit. */
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

/** Messages of graphql-js and Apollo that are safe and useful to show as they are. */
const PASS_THROUGH_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_NOT_IN_LIST',
  'OPERATION_RESOLUTION_FAILURE',
  'UNAUTHENTICATED',
  'LIMIT_EXCEEDED',
]);

/** What a caller is told of a failure nobody planned for: nothing about it. */
const INTERNAL_ERROR = { message: 'Internal server error.', code: 'INTERNAL_SERVER_ERROR' } as const;

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
  code: string,
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
  const original = unwrapResolverError(error);
  const where = {
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
  if (original instanceof WooriError) {
    const suffix = original.upstreamCode ? ` (${original.upstreamCode})` : '';
    const message = original.scope === 'customer' ? CUSTOMER_CEILING_MESSAGE : messageByKind[original.kind];
    return {
      message: `${message}${suffix}`,
      ...where,
      extensions: upstreamErrorExtensions(original),
    };
  }
  if (original instanceof MissingTokenError) {
    return { message: original.message, ...where, extensions: { code: 'UNAUTHENTICATED' } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PASS_THROUGH_CODES.has(code)) {
    const { stacktrace: _stack, exception: _exception, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  return { message: INTERNAL_ERROR.message, ...where, extensions: { code: INTERNAL_ERROR.code } };
}
