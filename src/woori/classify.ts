import { BrokenCircuitError, BulkheadRejectedError, TaskCancelledError } from 'cockatiel';
import {
  BodyTooLargeError,
  DecodeError,
  WooriError,
  type WooriErrorKind,
  type WooriOperation,
} from './errors';

/**
 * The one place where a failed call becomes a `WooriError`: an upstream `SYSCD…` code, an HTTP
 * status, a network error, a timeout, an abort, or a body we cannot read.
 *
 * Messages are short English sentences naming the code. They are built only from constants, codes
 * and numbers, never from the request, the headers or the upstream's free text, so they cannot leak
 * the app key, the secret, the customer's token or personal data. The same holds for `cause`: a
 * `WooriError` keeps only a safe outline of what was thrown (see `outlineOf`), never the raw error.
 */

/** How this service reads one upstream code: the reference's §3 table. */
export interface UpstreamCodeMeaning {
  kind: WooriErrorKind;
  retryable: boolean;
  /** What went wrong, completed by the code in the message: "Woori API <summary> (SYSCD…)". */
  summary: string;
}

/** Every code of the reference's system-code table (§3), with its kind and `retry?` column. */
export const UPSTREAM_CODES: Readonly<Record<string, UpstreamCodeMeaning>> = {
  SYSCD02001: meaning('MISCONFIGURED', false, 'found required header information missing'),
  SYSCD02101: meaning('BAD_INPUT', false, 'failed schema validation of the request'),
  SYSCD02102: meaning('BAD_INPUT', false, 'refused the input in its code-injection check'),
  SYSCD02103: meaning('BAD_INPUT', false, 'refused the input in its SQL-injection check'),
  SYSCD02901: meaning('MISCONFIGURED', false, 'does not know the requested service'),
  SYSCD03001: meaning('UNAUTHENTICATED', false, 'rejected the token'),
  SYSCD03002: meaning('UNAUTHENTICATED', false, 'rejected the request hash'),
  SYSCD03003: meaning('MISCONFIGURED', false, 'rejected the app key or secret'),
  SYSCD03101: meaning('RATE_LIMITED', true, 'refused the call: per-second limit exceeded'),
  SYSCD03102: meaning('QUOTA_EXCEEDED', false, 'refused the call: call quota used up'),
  SYSCD03201: meaning('UPSTREAM_ERROR', false, 'failed to convert data'),
  SYSCD03901: meaning('UNAVAILABLE', true, 'failed to route the call'),
  SYSCD09999: meaning('UPSTREAM_ERROR', true, 'gateway failed internally'),
  SYSCD01000: meaning('BAD_INPUT', false, 'found a required input missing'),
  SYSCD01001: meaning('UPSTREAM_ERROR', false, 'failed to decrypt'),
  SYSCD01002: meaning('UPSTREAM_ERROR', true, 'failed to process the message'),
  SYSCD01003: meaning('TIMEOUT', true, 'timed out'),
  SYSCD01004: meaning('MISCONFIGURED', false, 'found a required header value missing'),
  SYSCD01005: meaning('MISCONFIGURED', false, 'could not read the JSON of the request'),
  SYSCD01006: meaning('BAD_INPUT', false, 'found an input value invalid'),
  SYSCD01007: meaning('UPSTREAM_ERROR', false, 'failed to encrypt'),
  SYSCD01008: meaning('BAD_INPUT', false, 'found an input with the wrong number of digits'),
  SYSCD01009: meaning('BAD_INPUT', false, 'could not read a parameter or query'),
  SYSCD01999: meaning('UPSTREAM_ERROR', true, 'failed with a server error'),
};

/** The upstream's code for success; it carries the same shape as an error code. */
const SUCCESS_CODE = 'SYSCD00000';
const CODE_PATTERN = /^SYSCD\d{5}$/;
/** When a per-second limit carries no `Retry-After`, waiting one second is always enough. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 1000;

/**
 * The reading of an HTTP status that came without an upstream code.
 *
 * 401 is ambiguous: the gateway uses it both for the customer's token (SYSCD03001/03002) and for
 * our app key (SYSCD03003). Without a code we report UNAUTHENTICATED: an expired token is by far
 * the common case, and the gateway names app-key failures with SYSCD03003 (which wins over this).
 */
const meaningByStatus = new Map<number, UpstreamCodeMeaning>([
  [400, meaning('BAD_INPUT', false, 'rejected the request')],
  [401, meaning('UNAUTHENTICATED', false, 'refused the credentials')],
  [403, meaning('MISCONFIGURED', false, 'refused access to the service')],
  [404, meaning('MISCONFIGURED', false, 'does not know the requested service')],
  [405, meaning('MISCONFIGURED', false, 'does not accept the HTTP method')],
  [408, meaning('TIMEOUT', true, 'timed out reading the request')],
  [429, meaning('RATE_LIMITED', true, 'refused the call: too many requests')],
  [502, meaning('UNAVAILABLE', true, 'is unavailable (bad gateway)')],
  [503, meaning('UNAVAILABLE', true, 'is unavailable')],
  [504, meaning('TIMEOUT', true, 'timed out (gateway timeout)')],
]);
const OTHER_SERVER_ERROR = meaning('UPSTREAM_ERROR', true, 'failed with a server error');
const OTHER_CLIENT_ERROR = meaning('UPSTREAM_ERROR', false, 'refused the request');

/** Network failures, by `code` (Node's and undici's), that another attempt may not meet. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);
const SLOW_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** An HTTP answer as the client received it. */
export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed body; `undefined` when it could not be parsed (see `bodyError`). */
  body?: unknown;
  /** Why the body could not be parsed, when it could not. */
  bodyError?: unknown;
}

/** What the client knows about a thrown failure besides the error itself. */
export interface FailureContext {
  /** The client's own timeout (or a policy's) fired. */
  timedOut?: boolean;
  timeoutMs?: number;
  /** The caller's `ctx.signal` fired. */
  callerAborted?: boolean;
  httpStatus?: number;
  traceId?: string;
}

/**
 * The error an HTTP answer carries, or `undefined` when it is a success: a `SYSCD…` code wins,
 * then the status. Only a 200 carries data: another 2xx status, a content type other than JSON,
 * or a body that is not a JSON object is an error even so.
 */
export function errorFromAnswer(operation: WooriOperation, answer: UpstreamAnswer): WooriError | undefined {
  const upstreamCode = upstreamCodeOf(answer.body);
  const traceId = traceIdOf(answer.body);
  const retryAfterMs = retryAfterMsOf(answer.headers);
  const base = { operation, traceId, httpStatus: answer.status };

  if (upstreamCode !== undefined) {
    const known = UPSTREAM_CODES[upstreamCode] ?? meaningOfStatus(answer.status) ?? OTHER_CLIENT_ERROR;
    return new WooriError(`Woori API ${known.summary} (${upstreamCode})`, {
      ...base,
      kind: known.kind,
      retryable: known.retryable,
      upstreamCode,
      retryAfterMs: retryAfterMs ?? (known.kind === 'RATE_LIMITED' ? DEFAULT_RATE_LIMIT_WAIT_MS : undefined),
    });
  }
  const byStatus = meaningOfStatus(answer.status);
  if (byStatus !== undefined) {
    return new WooriError(`Woori API ${byStatus.summary} (HTTP ${answer.status})`, {
      ...base,
      kind: byStatus.kind,
      retryable: byStatus.retryable,
      retryAfterMs:
        retryAfterMs ?? (byStatus.kind === 'RATE_LIMITED' ? DEFAULT_RATE_LIMIT_WAIT_MS : undefined),
    });
  }
  if (answer.status !== 200) {
    return new WooriError(`Woori API answered HTTP ${answer.status}, which is not an answer it sends`, {
      ...base,
      kind: 'UPSTREAM_ERROR',
      retryable: false,
    });
  }
  if (!isJsonAnswer(answer.headers)) {
    return new WooriError(
      `Woori API answered with content type ${mediaTypeOf(answer.headers)}, not JSON (HTTP ${answer.status})`,
      { ...base, kind: 'UPSTREAM_ERROR', retryable: false },
    );
  }
  if (answer.bodyError !== undefined || !isRecord(answer.body)) {
    return new WooriError(
      `Woori API answered with a body that is not a JSON object (HTTP ${answer.status})`,
      {
        ...base,
        kind: 'UPSTREAM_ERROR',
        retryable: false,
        cause: outlineOf(answer.bodyError),
      },
    );
  }
  return undefined;
}

/**
 * A thrown failure as a `WooriError`: a `WooriError` passes through, a `DecodeError` is an
 * UPSTREAM_ERROR, and the rest is read from the abort signals in `context` and the error's `code`.
 */
export function errorFromFailure(
  operation: WooriOperation,
  error: unknown,
  context: FailureContext = {},
): WooriError {
  if (error instanceof WooriError) return error;
  const base = {
    operation,
    traceId: context.traceId,
    httpStatus: context.httpStatus,
    cause: outlineOf(error),
  };

  if (error instanceof DecodeError) {
    return new WooriError(`Woori API sent an unreadable ${error.field} (expected ${error.expected})`, {
      ...base,
      kind: 'UPSTREAM_ERROR',
      retryable: false,
    });
  }
  if (error instanceof BodyTooLargeError) {
    // The same answer would be as large again: a retry would only spend that memory once more.
    const declared = error.declaredBytes === undefined ? '' : ` (it declared ${error.declaredBytes})`;
    return new WooriError(
      `Woori API sent an answer over the body limit of ${error.limitBytes} bytes${declared}; maxBodyBytes sets it`,
      { ...base, httpStatus: base.httpStatus ?? error.httpStatus, kind: 'UPSTREAM_ERROR', retryable: false },
    );
  }
  if (context.callerAborted) {
    return new WooriError('Call to Woori API was cancelled by the caller', {
      ...base,
      kind: 'TIMEOUT',
      retryable: false,
    });
  }
  if (context.timedOut) {
    const within = context.timeoutMs === undefined ? '' : ` within ${context.timeoutMs} ms`;
    return new WooriError(`Woori API did not answer${within}`, { ...base, kind: 'TIMEOUT', retryable: true });
  }

  const code = errorCodeOf(error);
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return new WooriError(`Woori API could not be reached (${code})`, {
      ...base,
      kind: 'UNAVAILABLE',
      retryable: true,
    });
  }
  if (code !== undefined && SLOW_CODES.has(code)) {
    return new WooriError(`Woori API did not answer in time (${code})`, {
      ...base,
      kind: 'TIMEOUT',
      retryable: true,
    });
  }
  if (code === 'UND_ERR_CLOSED' || code === 'UND_ERR_DESTROYED') {
    return new WooriError(`Woori client is closed (${code})`, {
      ...base,
      kind: 'UNAVAILABLE',
      retryable: false,
    });
  }
  if (code === 'UND_ERR_INVALID_ARG') {
    return new WooriError(`The request to Woori API could not be built (${code})`, {
      ...base,
      kind: 'MISCONFIGURED',
      retryable: false,
    });
  }
  if (isOpenCircuit(error)) {
    return new WooriError('Calls to Woori API are suspended after repeated failures', {
      ...base,
      kind: 'UNAVAILABLE',
      retryable: false,
    });
  }
  if (error instanceof BulkheadRejectedError) {
    return new WooriError('Too many calls to Woori API are already waiting here', {
      ...base,
      kind: 'UNAVAILABLE',
      retryable: false,
    });
  }
  if (code === 'UND_ERR_ABORTED' || isAbortError(error) || error instanceof TaskCancelledError) {
    return new WooriError('Call to Woori API was aborted', { ...base, kind: 'TIMEOUT', retryable: false });
  }
  const what = code ?? (error instanceof Error ? error.name : typeof error);
  return new WooriError(`Call to Woori API failed unexpectedly (${what})`, {
    ...base,
    kind: 'UPSTREAM_ERROR',
    retryable: false,
  });
}

/**
 * The upstream's error code in a parsed body: any string value of `dataHeader`, or of the top
 * level, shaped `SYSCD` and five digits, other than the success code. The field name is not
 * relied on: the reference does not give it.
 */
export function upstreamCodeOf(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  return (isRecord(body.dataHeader) ? codeIn(body.dataHeader) : undefined) ?? codeIn(body);
}

/** The upstream's global transaction id (`GLBL_ID`) in a parsed body, when it sent one. */
export function traceIdOf(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const inHeader = isRecord(body.dataHeader) ? body.dataHeader.GLBL_ID : undefined;
  const id = inHeader ?? body.GLBL_ID;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** `application/json` or a `+json` type such as `application/problem+json`, with any parameters. */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json$/i;
/** A media type as it may be quoted in a message: a type and subtype of token characters. */
const MEDIA_TYPE = /^[\w.+-]{1,40}\/[\w.+-]{1,60}$/;

/**
 * Whether an answer's `content-type` says JSON. An answer without one is taken as JSON (its body
 * must still parse): the reference names no other type, and some gateways drop the header.
 */
export function isJsonAnswer(headers: Record<string, string | string[] | undefined>): boolean {
  const type = mediaTypeOf(headers);
  return type === '' || JSON_MEDIA_TYPE.test(type);
}

/** The media type of `content-type` without parameters, lower case; `''` when absent. */
function mediaTypeOf(headers: Record<string, string | string[] | undefined>): string {
  const raw = headers['content-type'];
  const value = (Array.isArray(raw) ? raw[0] : raw) ?? '';
  const type = value.split(';', 1)[0].trim().toLowerCase();
  // Quoted in messages, so only when it is a plain token pair: never the upstream's free text.
  return type === '' || MEDIA_TYPE.test(type) ? type : 'another type';
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date; `undefined` when absent or unreadable. */
export function retryAfterMsOf(
  headers: Record<string, string | string[] | undefined>,
  now: number = Date.now(),
): number | undefined {
  const raw = headers['retry-after'];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** An error class name or a `code` such as `ECONNREFUSED`: never free text. */
const IDENTIFIER = /^[A-Za-z_][\w.]{0,63}$/;
/** How far down a chain of causes an outline goes. */
const MAX_OUTLINE_DEPTH = 4;

/**
 * What a `WooriError` keeps of a thrown failure, for whoever debugs it: an `Error` with the same
 * name, the `code` (also as its message), the stack frames, and the same outline of its own cause.
 * Not the message, nor any other field: undici's and `JSON.parse`'s messages may quote the request
 * (its headers: the app key, the secret, the token) or the answer's body (personal data).
 */
function outlineOf(thrown: unknown, depth = 0): Error | undefined {
  if (thrown === undefined || thrown === null || depth >= MAX_OUTLINE_DEPTH) return undefined;
  const record = isRecord(thrown) ? thrown : {};
  const name = typeof record.name === 'string' && IDENTIFIER.test(record.name) ? record.name : 'Error';
  const code = typeof record.code === 'string' && IDENTIFIER.test(record.code) ? record.code : undefined;
  const cause = outlineOf(record.cause, depth + 1);
  const outline = new Error(code === undefined ? name : `${name} (${code})`, cause && { cause });
  outline.name = name;
  if (code !== undefined) Object.assign(outline, { code });
  outline.stack = [`${name}: ${outline.message}`, ...framesOf(record)].join('\n');
  return outline;
}

/**
 * The frames of a stack trace (`    at fn (file:line:col)`), without the message that heads it,
 * even a message of several lines that mimic frames.
 */
function framesOf(record: Record<string, unknown>): string[] {
  if (typeof record.stack !== 'string') return [];
  const message = typeof record.message === 'string' ? record.message : '';
  const at = message === '' ? -1 : record.stack.indexOf(message);
  const rest = at === -1 ? record.stack : record.stack.slice(at + message.length);
  return rest.split('\n').filter((line) => /^\s+at \S/.test(line));
}

function meaning(kind: WooriErrorKind, retryable: boolean, summary: string): UpstreamCodeMeaning {
  return { kind, retryable, summary };
}

function meaningOfStatus(status: number): UpstreamCodeMeaning | undefined {
  if (status >= 200 && status < 300) return undefined;
  return meaningByStatus.get(status) ?? (status >= 500 ? OTHER_SERVER_ERROR : OTHER_CLIENT_ERROR);
}

function codeIn(record: Record<string, unknown>): string | undefined {
  for (const key in record) {
    const value = record[key];
    if (typeof value === 'string' && value !== SUCCESS_CODE && CODE_PATTERN.test(value)) return value;
  }
  return undefined;
}

/** The first `code` along the error, its causes and an AggregateError's errors (Node 20 dials each address). */
function errorCodeOf(error: unknown, depth = 0): string | undefined {
  if (!isRecord(error) || depth > 4) return undefined;
  if (typeof error.code === 'string') return error.code;
  if (Array.isArray(error.errors)) {
    for (const inner of error.errors) {
      const code = errorCodeOf(inner, depth + 1);
      if (code !== undefined) return code;
    }
  }
  return errorCodeOf(error.cause, depth + 1);
}

/** cockatiel's open-circuit errors (which keep the name `Error`), or anything named like them. */
function isOpenCircuit(error: unknown): boolean {
  if (error instanceof BrokenCircuitError) return true;
  return isRecord(error) && (error.name === 'BrokenCircuitError' || error.name === 'IsolatedCircuitError');
}

function isAbortError(error: unknown): boolean {
  return isRecord(error) && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
