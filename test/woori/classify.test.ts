import {
  BrokenCircuitError,
  BulkheadRejectedError,
  IsolatedCircuitError,
  TaskCancelledError,
} from 'cockatiel';
import { errors as undiciErrors } from 'undici';
import {
  UPSTREAM_CODES,
  errorFromAnswer,
  errorFromFailure,
  retryAfterMsOf,
  upstreamCodeOf,
} from '../../src/woori/classify';
import { DecodeError, WooriError, type WooriErrorKind } from '../../src/woori/errors';
import { everythingIn, expectNoSecretsIn } from './no-secrets';

/** The spec's §3 table: code, status, kind, retry. */
const TABLE: Array<[string, number, WooriErrorKind, boolean]> = [
  ['SYSCD02001', 400, 'MISCONFIGURED', false],
  ['SYSCD02101', 400, 'BAD_INPUT', false],
  ['SYSCD02102', 400, 'BAD_INPUT', false],
  ['SYSCD02103', 400, 'BAD_INPUT', false],
  ['SYSCD02901', 404, 'MISCONFIGURED', false],
  ['SYSCD03001', 401, 'UNAUTHENTICATED', false],
  ['SYSCD03002', 401, 'UNAUTHENTICATED', false],
  ['SYSCD03003', 401, 'MISCONFIGURED', false],
  ['SYSCD03101', 429, 'RATE_LIMITED', true],
  ['SYSCD03102', 429, 'QUOTA_EXCEEDED', false],
  ['SYSCD03201', 500, 'UPSTREAM_ERROR', false],
  ['SYSCD03901', 502, 'UNAVAILABLE', true],
  ['SYSCD09999', 500, 'UPSTREAM_ERROR', true],
  ['SYSCD01000', 400, 'BAD_INPUT', false],
  ['SYSCD01001', 400, 'UPSTREAM_ERROR', false],
  ['SYSCD01002', 500, 'UPSTREAM_ERROR', true],
  ['SYSCD01003', 504, 'TIMEOUT', true],
  ['SYSCD01004', 400, 'MISCONFIGURED', false],
  ['SYSCD01005', 400, 'MISCONFIGURED', false],
  ['SYSCD01006', 400, 'BAD_INPUT', false],
  ['SYSCD01007', 500, 'UPSTREAM_ERROR', false],
  ['SYSCD01008', 400, 'BAD_INPUT', false],
  ['SYSCD01009', 400, 'BAD_INPUT', false],
  ['SYSCD01999', 500, 'UPSTREAM_ERROR', true],
];

const SECRETS = ['app-key-0123456789', 'secret-key-abcdef', 'customer-token-xyz', '01012341234'];

function errorBody(code: string) {
  return { dataHeader: { GLBL_ID: 'G-20190101-0001', RSP_CD: code, RSP_MSG: '오류' }, dataBody: {} };
}

function answer(status: number, body?: unknown, headers: Record<string, string> = {}) {
  return errorFromAnswer('listTransactions', { status, headers, body });
}

describe('errorFromAnswer with an upstream code', () => {
  it('knows every code of the table', () => {
    expect(Object.keys(UPSTREAM_CODES).sort()).toEqual(TABLE.map(([code]) => code).sort());
  });

  it.each(TABLE)('reads %s (HTTP %i) as %s, retryable %p', (code, status, kind, retryable) => {
    const error = answer(status, errorBody(code));
    expect(error).toBeInstanceOf(WooriError);
    expect(error).toMatchObject({
      kind,
      retryable,
      upstreamCode: code,
      traceId: 'G-20190101-0001',
      httpStatus: status,
      operation: 'listTransactions',
    });
    expect(error?.message).toMatch(new RegExp(`^Woori API .+ \\(${code}\\)$`));
  });

  it('words the token rejection plainly', () => {
    expect(answer(401, errorBody('SYSCD03001'))?.message).toBe('Woori API rejected the token (SYSCD03001)');
  });

  it('finds the code under any field name of dataHeader, or at the top level', () => {
    expect(upstreamCodeOf({ dataHeader: { GLBL_ID: 'x', ERR_CODE: 'SYSCD01008' } })).toBe('SYSCD01008');
    expect(upstreamCodeOf({ code: 'SYSCD03101', message: 'busy' })).toBe('SYSCD03101');
    expect(answer(200, { dataHeader: { resultCode: 'SYSCD01006' }, dataBody: {} })).toMatchObject({
      kind: 'BAD_INPUT',
      upstreamCode: 'SYSCD01006',
      httpStatus: 200,
    });
  });

  it.each([
    [{ dataHeader: { GLBL_ID: 'x', RSP_CD: 'SYSCD00000' }, dataBody: {} }],
    [{ dataHeader: { RSP_CD: '0000', RSP_MSG: '정상처리' }, dataBody: {} }],
    [{ dataHeader: { RSP_MSG: 'see SYSCD01006' }, dataBody: {} }],
    [{ dataHeader: {}, dataBody: { TRN_TXT: 'SYSCD01006' } }],
  ])('reads a 200 without an error code as success: %p', (body) => {
    expect(answer(200, body)).toBeUndefined();
  });

  it('reads an unknown code by the HTTP status, keeping the code', () => {
    expect(answer(503, errorBody('SYSCD04321'))).toMatchObject({
      kind: 'UNAVAILABLE',
      retryable: true,
      upstreamCode: 'SYSCD04321',
    });
    expect(answer(200, errorBody('SYSCD04321'))).toMatchObject({ kind: 'UPSTREAM_ERROR', retryable: false });
  });

  it('takes retryAfterMs from Retry-After, and one second by default for the per-second limit', () => {
    expect(answer(429, errorBody('SYSCD03101'), { 'retry-after': '2' })?.retryAfterMs).toBe(2000);
    expect(answer(429, errorBody('SYSCD03101'))?.retryAfterMs).toBe(1000);
    expect(answer(429, errorBody('SYSCD03102'))?.retryAfterMs).toBeUndefined();
  });
});

describe('errorFromAnswer without an upstream code', () => {
  it.each([
    [400, 'BAD_INPUT', false],
    [401, 'UNAUTHENTICATED', false],
    [403, 'MISCONFIGURED', false],
    [404, 'MISCONFIGURED', false],
    [405, 'MISCONFIGURED', false],
    [408, 'TIMEOUT', true],
    [418, 'UPSTREAM_ERROR', false],
    [429, 'RATE_LIMITED', true],
    [500, 'UPSTREAM_ERROR', true],
    [501, 'UPSTREAM_ERROR', true],
    [502, 'UNAVAILABLE', true],
    [503, 'UNAVAILABLE', true],
    [504, 'TIMEOUT', true],
    [302, 'UPSTREAM_ERROR', false],
  ] as const)('reads HTTP %i as %s, retryable %p', (status, kind, retryable) => {
    const error = answer(status, { dataHeader: { GLBL_ID: 'G-1' }, dataBody: {} });
    expect(error).toMatchObject({ kind, retryable, httpStatus: status, traceId: 'G-1' });
    expect(error?.upstreamCode).toBeUndefined();
    expect(error?.message).toContain(`(HTTP ${status})`);
  });

  it('reads an HTML error page by its status', () => {
    const error = errorFromAnswer('listAccounts', {
      status: 502,
      headers: { 'content-type': 'text/html' },
      bodyError: new SyntaxError('Unexpected token <'),
    });
    expect(error).toMatchObject({ kind: 'UNAVAILABLE', retryable: true, httpStatus: 502 });
  });

  it.each([
    ['HTML', { bodyError: new SyntaxError('Unexpected token <') }],
    ['a JSON array', { body: [] }],
    ['a JSON string', { body: 'ok' }],
    ['null', { body: null }],
  ])('reads a 200 whose body is %s as UPSTREAM_ERROR', (_what, parsed) => {
    const error = errorFromAnswer('listAccounts', { status: 200, headers: {}, ...parsed });
    expect(error).toMatchObject({ kind: 'UPSTREAM_ERROR', retryable: false, httpStatus: 200 });
  });

  it('takes retryAfterMs from a 503 too', () => {
    expect(answer(503, undefined, { 'retry-after': '5' })?.retryAfterMs).toBe(5000);
  });
});

describe('retryAfterMsOf', () => {
  it('reads delta-seconds, an HTTP date, or nothing', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(retryAfterMsOf({ 'retry-after': '3' }, now)).toBe(3000);
    expect(retryAfterMsOf({ 'retry-after': '0.5' }, now)).toBe(500);
    expect(retryAfterMsOf({ 'retry-after': ['1', '9'] }, now)).toBe(1000);
    expect(retryAfterMsOf({ 'retry-after': 'Mon, 01 Jan 2024 00:00:04 GMT' }, now)).toBe(4000);
    expect(retryAfterMsOf({ 'retry-after': 'Sun, 31 Dec 2023 00:00:00 GMT' }, now)).toBe(0);
    expect(retryAfterMsOf({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMsOf({}, now)).toBeUndefined();
  });
});

describe('errorFromFailure', () => {
  const withCode = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });

  it.each([
    ['ECONNREFUSED', withCode('ECONNREFUSED')],
    ['ECONNRESET', withCode('ECONNRESET')],
    ['EPIPE', withCode('EPIPE')],
    ['ENOTFOUND', withCode('ENOTFOUND')],
    ['a closed socket', new undiciErrors.SocketError('other side closed')],
    ['a connect timeout', new undiciErrors.ConnectTimeoutError()],
    ['a refusal on every address', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')])],
    ['a wrapped reset', new TypeError('fetch failed', { cause: withCode('ECONNRESET') })],
  ])('reads %s as UNAVAILABLE, retryable', (_what, error) => {
    const classified = errorFromFailure('listAccounts', error);
    expect(classified).toMatchObject({ kind: 'UNAVAILABLE', retryable: true, operation: 'listAccounts' });
    expect(classified.message).toMatch(/^Woori API could not be reached \((E[A-Z]+|UND_ERR_[A-Z_]+)\)$/);
    expect(classified.cause).toMatchObject({ name: error.name });
  });

  it('reads our own timeout as TIMEOUT, retryable, naming the budget', () => {
    const error = errorFromFailure('listAccounts', new DOMException('timed out', 'TimeoutError'), {
      timedOut: true,
      timeoutMs: 5000,
    });
    expect(error).toMatchObject({ kind: 'TIMEOUT', retryable: true });
    expect(error.message).toBe('Woori API did not answer within 5000 ms');
  });

  it("reads an abort by the caller's signal as TIMEOUT, not retryable", () => {
    const error = errorFromFailure('listAccounts', new DOMException('aborted', 'AbortError'), {
      callerAborted: true,
    });
    expect(error).toMatchObject({ kind: 'TIMEOUT', retryable: false });
    expect(error.message).toBe('Call to Woori API was cancelled by the caller');
  });

  it("reads undici's header and body timeouts as TIMEOUT, retryable", () => {
    expect(errorFromFailure('listAccounts', new undiciErrors.HeadersTimeoutError())).toMatchObject({
      kind: 'TIMEOUT',
      retryable: true,
    });
    expect(errorFromFailure('listAccounts', new undiciErrors.BodyTimeoutError())).toMatchObject({
      kind: 'TIMEOUT',
      retryable: true,
    });
  });

  it('reads a closed client as UNAVAILABLE, not retryable', () => {
    expect(errorFromFailure('listAccounts', new undiciErrors.ClientClosedError())).toMatchObject({
      kind: 'UNAVAILABLE',
      retryable: false,
    });
  });

  it('reads an open circuit as UNAVAILABLE, not retryable', () => {
    const open = Object.assign(new Error('Execution prevented because the circuit breaker is open'), {
      name: 'BrokenCircuitError',
    });
    expect(errorFromFailure('listAccounts', open)).toMatchObject({ kind: 'UNAVAILABLE', retryable: false });
  });

  it("reads cockatiel's own open-circuit and full-queue errors as UNAVAILABLE, not retryable", () => {
    for (const error of [
      new BrokenCircuitError(),
      new IsolatedCircuitError(),
      new BulkheadRejectedError(1, 1),
    ]) {
      expect(errorFromFailure('listAccounts', error)).toMatchObject({
        kind: 'UNAVAILABLE',
        retryable: false,
      });
    }
    expect(errorFromFailure('listAccounts', new BulkheadRejectedError(1, 1)).message).toBe(
      'Too many calls to Woori API are already waiting here',
    );
  });

  it("reads cockatiel's cancelled task as an abort", () => {
    expect(errorFromFailure('listAccounts', new TaskCancelledError())).toMatchObject({
      kind: 'TIMEOUT',
      retryable: false,
    });
  });

  it('reads a DecodeError as UPSTREAM_ERROR naming the field', () => {
    const error = errorFromFailure(
      'listTransactions',
      new DecodeError('dataBody.GRID[0].PAY_AM', 'a decimal number'),
      {
        traceId: 'G-2',
        httpStatus: 200,
      },
    );
    expect(error).toMatchObject({
      kind: 'UPSTREAM_ERROR',
      retryable: false,
      traceId: 'G-2',
      httpStatus: 200,
    });
    expect(error.message).toBe(
      'Woori API sent an unreadable dataBody.GRID[0].PAY_AM (expected a decimal number)',
    );
  });

  it('passes a WooriError through unchanged', () => {
    const original = new WooriError('Woori API rejected the token (SYSCD03001)', {
      kind: 'UNAUTHENTICATED',
      operation: 'listAccounts',
      retryable: false,
    });
    expect(errorFromFailure('listTransactions', original)).toBe(original);
  });

  it('reads anything else as UPSTREAM_ERROR, not retryable', () => {
    expect(errorFromFailure('listAccounts', new RangeError('boom'))).toMatchObject({
      kind: 'UPSTREAM_ERROR',
      retryable: false,
      message: 'Call to Woori API failed unexpectedly (RangeError)',
    });
    expect(errorFromFailure('listAccounts', 'a string')).toMatchObject({ kind: 'UPSTREAM_ERROR' });
  });
});

describe('messages', () => {
  it('never carry the app key, secret, token or phone number, whatever the inputs hold, causes included', () => {
    const leaky = `${SECRETS.join(' ')}`;
    const errors = [
      answer(401, { dataHeader: { RSP_CD: 'SYSCD03001', RSP_MSG: leaky, GLBL_ID: 'G' } }),
      answer(500, { dataHeader: { RSP_MSG: leaky } }),
      errorFromAnswer('listAccounts', { status: 200, headers: {}, bodyError: new SyntaxError(leaky) }),
      errorFromFailure('listAccounts', Object.assign(new Error(leaky), { code: 'ECONNRESET' })),
      errorFromFailure('listAccounts', new Error(leaky)),
      errorFromFailure('listAccounts', new undiciErrors.InvalidArgumentError(leaky)),
      errorFromFailure('listAccounts', new TypeError('fetch failed', { cause: new Error(leaky) })),
      errorFromFailure('listAccounts', new AggregateError([new Error(leaky)], leaky)),
      errorFromFailure('listAccounts', Object.assign(new Error('x'), { headers: { appKey: SECRETS[0] } })),
      errorFromFailure('listAccounts', new Error(leaky), { timedOut: true, timeoutMs: 10 }),
      errorFromFailure('listAccounts', new DOMException(leaky, 'AbortError')),
      errorFromFailure('listAccounts', new Error(`bad answer\n    at ${leaky}\n    at (${leaky})`)),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(WooriError);
      expectNoSecretsIn(error, SECRETS);
    }
  });

  it('keep, of a raw cause, its name, code and stack frames', () => {
    const raw = Object.assign(new Error(`refused ${SECRETS[2]}`), { code: 'ECONNREFUSED' });
    const { cause } = errorFromFailure('listAccounts', new TypeError('fetch failed', { cause: raw }));
    expect(cause).toMatchObject({
      name: 'TypeError',
      message: 'TypeError',
      cause: { name: 'Error', message: 'Error (ECONNREFUSED)', code: 'ECONNREFUSED' },
    });
    expect(String((cause as Error).stack)).toMatch(/^TypeError: TypeError\n +at \S/);
    expect(everythingIn(cause)).not.toContain(SECRETS[2]);
  });
});
