/**
 * The one typed error of the upstream client. Every failure of a call (an upstream `SYSCD` code,
 * an HTTP status, a network error, a timeout, a body we cannot read) becomes a `WooriError` in
 * `classify.ts`; the GraphQL layer maps `kind` to its error codes in one place.
 *
 * No message built here may carry the app key, the secret or the customer's token.
 */

/** What went wrong, from the point of view of a caller of this service. */
export type WooriErrorKind =
  /** The customer's token is missing, unknown or expired (SYSCD03001, SYSCD03002). */
  | 'UNAUTHENTICATED'
  /** The upstream rejected the input (SYSCD01000, 01006, 01008, 01009, 02101–02103). */
  | 'BAD_INPUT'
  /** The per-second limit (SYSCD03101): a retry after a pause can help. */
  | 'RATE_LIMITED'
  /** The call quota is used up (SYSCD03102). */
  | 'QUOTA_EXCEEDED'
  /** The call timed out, here or upstream (SYSCD01003). */
  | 'TIMEOUT'
  /** The upstream could not be reached or routed (network errors, SYSCD03901, 502/503). */
  | 'UNAVAILABLE'
  /** The upstream failed, or answered with something we cannot read. */
  | 'UPSTREAM_ERROR'
  /** This service is set up wrongly: unknown app key or secret (SYSCD03003), unknown path (SYSCD02901), our own malformed request (SYSCD01005), missing headers (SYSCD02001, 01004). */
  | 'MISCONFIGURED';

export type WooriOperation = 'listAccounts' | 'getAccountBasics' | 'listTransactions';

export interface WooriErrorInit {
  kind: WooriErrorKind;
  operation: WooriOperation;
  /** The upstream's `SYSCD…` code, when it sent one. */
  upstreamCode?: string;
  /** The upstream's `GLBL_ID` for this call, when it sent one. */
  traceId?: string;
  /** The HTTP status of the answer, when there was one. */
  httpStatus?: number;
  /** Whether the same call, repeated, can succeed. */
  retryable: boolean;
  /** For RATE_LIMITED: how long the upstream asked us to wait. */
  retryAfterMs?: number;
  /** For RATE_LIMITED: whose limit it was; `customer` is this service's ceiling per customer. */
  scope?: 'upstream' | 'customer';
  /** Set when the call was not made: its input failed repeatedly and is held back this much longer, ms. */
  heldBackMs?: number;
  cause?: unknown;
}

export class WooriError extends Error {
  override readonly name = 'WooriError';
  readonly kind: WooriErrorKind;
  readonly operation: WooriOperation;
  readonly upstreamCode?: string;
  readonly traceId?: string;
  readonly httpStatus?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly scope?: 'upstream' | 'customer';
  readonly heldBackMs?: number;

  constructor(message: string, init: WooriErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.operation = init.operation;
    this.upstreamCode = init.upstreamCode;
    this.traceId = init.traceId;
    this.httpStatus = init.httpStatus;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.scope = init.scope;
    this.heldBackMs = init.heldBackMs;
  }
}

/**
 * A value in an upstream answer that does not have the shape the reference gives it. Thrown by the
 * readers of `decode.ts` and turned into an UPSTREAM_ERROR `WooriError` by `classify.ts`. The
 * message names the field and what was expected, never the value: it may be personal data.
 */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';

  constructor(
    /** Where the value sits, e.g. `dataBody.GRID[3].PAY_AM`. */
    readonly field: string,
    /** What the reference allows there, e.g. `a decimal amount`. */
    readonly expected: string,
  ) {
    super(`${field || 'value'} is not ${expected}`);
  }
}

/**
 * An upstream answer larger than the client's `maxBodyBytes`: the body was not read further (its
 * declared `content-length` was over, or its bytes passed the limit as they arrived). Turned into
 * a non-retryable UPSTREAM_ERROR `WooriError` by `classify.ts`.
 */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';

  constructor(
    /** The client's `maxBodyBytes`. */
    readonly limitBytes: number,
    /** The `content-length` the upstream declared, when that was what was over the limit. */
    readonly declaredBytes?: number,
    /** The answer's HTTP status. */
    readonly httpStatus?: number,
  ) {
    super(`the answer is larger than the limit of ${limitBytes} bytes`);
  }
}
