import { setImmediate as nextTurn } from 'node:timers/promises';
import { Pool, type Dispatcher } from 'undici';
import type { AttemptPolicy, CallContext, CallEvent, WooriApi } from './api';
import { errorFromAnswer, errorFromFailure, isJsonAnswer, traceIdOf, type UpstreamAnswer } from './classify';
import {
  accountOfRow,
  decodeAnswer,
  GridStreamParser,
  parseBody,
  readAccountBasics,
  readAccountList,
  readTransactions,
  transactionOfRow,
  type RowReader,
} from './decode';
import type { AccountBasics, AccountSummary, DeviceInfo, IsoDate, TransactionRecord } from './domain';
import { BodyTooLargeError, WooriError, type WooriOperation } from './errors';

/** How to reach and call the Woori financial-data API. */
export interface WooriClientOptions {
  /** `scheme://host:port`, optionally with a path prefix; `/oai/wb/v1/finance/<operation>` is appended. */
  baseUrl: string;
  appKey: string;
  secretKey: string;
  /** The document says GET (with a JSON body); Woori's Swagger and sample use POST. Default GET. */
  method?: 'GET' | 'POST';
  /** `Authorization: Bearer <token>` (default) or Woori's Swagger's `token: <token>`. */
  tokenHeader?: 'bearer' | 'token';
  /** The budget of one attempt, connection to last byte of the body. Default 5000. */
  timeoutMs?: number;
  /** Keep-alive connections per origin. Default 64. */
  connections?: number;
  /** The all-accounts operation's name: the document spells it `getIndivAllAcclInfo`. Default `getIndivAllAccInfo`. */
  accountListPath?: string;
  /**
   * The largest answer body read, in bytes. Enforced while reading: a larger declared
   * `content-length` is refused before the body is read, and a body that grows past it (an
   * endless one) is aborted there. Default 64 MiB, above a year of 100,000 transactions in Woori's
   * padded format (about 33 MB).
   */
  maxBodyBytes?: number;
  /**
   * A list answer declaring at least this many bytes (or no length) is decoded as it arrives;
   * a smaller one as one text. Default 256 KiB: below it the text and its tree are small, and the
   * streaming decoder's fixed cost is what is left (bench/decode-stream.ts: +16 % on a 10 KB month,
   * up to 2 × on a busy machine; even from about 130 KB).
   */
  streamFromBytes?: number;
  /**
   * While a large answer is decoded as it arrives, the longest it decodes before it lets other
   * work run (an event-loop turn), in ms; 0: only as the bytes arrive. Default 3: on an idle 2-core
   * machine another customer's dashboard p99 stays 1.5 × its p99 alone (5 ms: 2.0 ×), and the large
   * answer alone takes no longer; 2 ms slices hold the same 1.5 × but slow the large answer by about
   * 10 % (bench/PROBES.md, bench/stall-probe.ts).
   */
  decodeSliceMs?: number;
  /**
   * Called after every attempt, successful or not, with the call context it was made for: metrics
   * and logs (under the request's id). Its exceptions are ignored.
   */
  onCall?: (event: CallEvent, context: CallContext) => void;
}

export interface WooriClientDeps {
  /** The HTTP dispatcher; by default a keep-alive `Pool` on the base URL's origin, closed by `close()`. */
  dispatcher?: Dispatcher;
  /**
   * Wraps every call's attempts; by default one attempt per call. The service passes an
   * `UpstreamPolicy` (retries, circuit breaker, concurrency caps, rate limiter).
   */
  policy?: AttemptPolicy;
}

/** One upstream call: what to send and how to read the answer. */
export interface UpstreamCall<T> {
  operation: WooriOperation;
  /** The input the call is about, as the policy sees it: the account number, `''` for the list. */
  key: string;
  /** The operation's last path segment, e.g. `getAccTransList`. */
  path: string;
  dataBody: Record<string, string>;
  /** Reads a successful answer's parsed body; throws an UPSTREAM_ERROR `WooriError` when it cannot. */
  decode: (body: unknown, httpStatus: number) => T;
  /**
   * The row reader of the answer's `GRID`, for a list: a large answer is then decoded from its
   * bytes as they arrive (`GridStreamParser`), and `decode` finds the rows already read.
   */
  rows?: RowReader<unknown>;
}

const API_PREFIX = '/oai/wb/v1/finance/';

/** The defaults of {@link WooriClientOptions}; `config.ts` takes its defaults from here. */
export const CLIENT_DEFAULTS = {
  method: 'GET',
  tokenHeader: 'bearer',
  timeoutMs: 5000,
  connections: 64,
  /** Woori's README, Swagger and sample spelling. */
  accountListPath: 'getIndivAllAccInfo',
  maxBodyBytes: 64 * 1024 * 1024,
  streamFromBytes: 256 * 1024,
  decodeSliceMs: 3,
} as const;

const singleAttempt: AttemptPolicy = {
  execute: async (fn, signal) => fn({ signal, attempt: 0 }),
};

/**
 * The Woori financial-data API over HTTP/1.1 keep-alive (undici). Every failure reaches the caller
 * as a `WooriError` (see `classify.ts`); every answer is decoded at the boundary (`decode.ts`).
 *
 * A call is `execute()` (the seam for a retry / circuit / rate-limit policy) around `attempt()`
 * (one HTTP exchange with its own timeout).
 */
export class WooriClient implements WooriApi {
  private readonly origin: string;
  private readonly pathPrefix: string;
  private readonly method: 'GET' | 'POST';
  private readonly timeoutMs: number;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly policy: AttemptPolicy;
  private readonly fixedHeaders: Record<string, string>;
  private readonly tokenHeader: 'bearer' | 'token';
  private readonly accountListPath: string;
  private readonly maxBodyBytes: number;
  private readonly streamFromBytes: number;
  private readonly decodeSliceMs: number;
  private readonly onCall?: (event: CallEvent, context: CallContext) => void;

  constructor(options: WooriClientOptions, deps: WooriClientDeps = {}) {
    const url = parseBaseUrl(options.baseUrl);
    this.origin = url.origin;
    this.pathPrefix = url.pathname.replace(/\/+$/, '') + API_PREFIX;
    this.method = options.method ?? CLIENT_DEFAULTS.method;
    this.tokenHeader = options.tokenHeader ?? CLIENT_DEFAULTS.tokenHeader;
    this.timeoutMs = positiveInteger('timeoutMs', options.timeoutMs ?? CLIENT_DEFAULTS.timeoutMs);
    this.accountListPath = options.accountListPath ?? CLIENT_DEFAULTS.accountListPath;
    this.maxBodyBytes = positiveInteger('maxBodyBytes', options.maxBodyBytes ?? CLIENT_DEFAULTS.maxBodyBytes);
    this.streamFromBytes = options.streamFromBytes ?? CLIENT_DEFAULTS.streamFromBytes;
    this.decodeSliceMs = options.decodeSliceMs ?? CLIENT_DEFAULTS.decodeSliceMs;
    if (!(this.streamFromBytes >= 0) || !(this.decodeSliceMs >= 0)) {
      throw new RangeError(
        `WooriClient needs streamFromBytes and decodeSliceMs to be 0 or more, but got ${this.streamFromBytes} and ${this.decodeSliceMs}`,
      );
    }
    this.onCall = options.onCall;
    this.policy = deps.policy ?? singleAttempt;
    this.ownsDispatcher = deps.dispatcher === undefined;
    this.dispatcher =
      deps.dispatcher ??
      new Pool(this.origin, {
        connections: positiveInteger('connections', options.connections ?? CLIENT_DEFAULTS.connections),
      });
    this.fixedHeaders = { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' };
    if (options.appKey) this.fixedHeaders.appKey = options.appKey;
    if (options.secretKey) this.fixedHeaders.secretKey = options.secretKey;
  }

  listAccounts(ctx: CallContext): Promise<AccountSummary[]> {
    return this.execute(
      {
        operation: 'listAccounts',
        key: '',
        path: this.accountListPath,
        dataBody: {},
        decode: (body, httpStatus) => decodeAnswer('listAccounts', body, readAccountList, httpStatus),
        rows: accountOfRow,
      },
      ctx,
    );
  }

  getAccountBasics(ctx: CallContext, accountNumber: string, asOf: IsoDate): Promise<AccountBasics> {
    return this.execute(
      {
        operation: 'getAccountBasics',
        key: accountNumber,
        path: 'getAccBasicInfo',
        dataBody: { INQ_ACNO: accountNumber, INQ_BAS_DT: upstreamDate(asOf) },
        decode: (body, httpStatus) =>
          decodeAnswer(
            'getAccountBasics',
            body,
            (dataBody) => readAccountBasics(dataBody, asOf, accountNumber),
            httpStatus,
          ),
      },
      ctx,
    );
  }

  listTransactions(
    ctx: CallContext,
    accountNumber: string,
    from: IsoDate,
    to: IsoDate,
  ): Promise<TransactionRecord[]> {
    return this.execute(
      {
        operation: 'listTransactions',
        key: accountNumber,
        path: 'getAccTransList',
        dataBody: { INQ_ACNO: accountNumber, INQ_STA_DT: upstreamDate(from), INQ_END_DT: upstreamDate(to) },
        decode: (body, httpStatus) => decodeAnswer('listTransactions', body, readTransactions, httpStatus),
        rows: transactionOfRow,
      },
      ctx,
    );
  }

  /** Closes the connection pool (when the client made it), after the calls in flight. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /**
   * One call: the policy's attempts, each an `attempt()`, kept in the request's `inFlight` until it
   * ends. Override or pass a policy to change it.
   */
  protected execute<T>(call: UpstreamCall<T>, ctx: CallContext): Promise<T> {
    const running = this.run(call, ctx);
    ctx.inFlight?.add(running);
    return running;
  }

  private async run<T>(call: UpstreamCall<T>, ctx: CallContext): Promise<T> {
    try {
      return await this.policy.execute(
        ({ signal, attempt }) => this.attempt(call, ctx, (attempt ?? 0) + 1, signal),
        ctx.signal,
        { operation: call.operation, key: call.key, context: ctx },
      );
    } catch (error) {
      // A policy may refuse a call without an attempt (an open circuit, a cancelled signal).
      throw errorFromFailure(call.operation, error, { callerAborted: ctx.signal?.aborted === true });
    }
  }

  /**
   * One HTTP exchange: send, read the whole body, classify, decode. Aborted by the client's timeout,
   * the caller's `ctx.signal` or the policy's `signal`. Counts itself in `ctx.stats` as it is sent
   * (its duration when it ends) and reports itself to `onCall`. Throws only `WooriError`s.
   */
  protected async attempt<T>(
    call: UpstreamCall<T>,
    ctx: CallContext,
    attempt: number,
    signal?: AbortSignal,
  ): Promise<T> {
    const started = performance.now();
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort(new DOMException('Woori API call timed out', 'TimeoutError'));
    }, this.timeoutMs);
    const onAbort = () => abort.abort();
    const parents = [ctx.signal, signal].filter(
      (parent, i, all): parent is AbortSignal => parent !== undefined && all.indexOf(parent) === i,
    );
    for (const parent of parents) {
      if (parent.aborted) abort.abort();
      else parent.addEventListener('abort', onAbort, { once: true });
    }

    let answer: UpstreamAnswer | undefined;
    try {
      if (!abort.signal.aborted) countSent(ctx, attempt);
      answer = await this.exchange(call, ctx, abort.signal);
      const failure = errorFromAnswer(call.operation, answer);
      if (failure) throw failure;
      const value = call.decode(answer.body, answer.status);
      this.report(call, ctx, attempt, started, undefined, answer);
      return value;
    } catch (thrown) {
      const error = errorFromFailure(call.operation, thrown, {
        timedOut: timedOut || (signal?.aborted === true && !ctx.signal?.aborted),
        timeoutMs: timedOut ? this.timeoutMs : undefined,
        callerAborted: ctx.signal?.aborted === true && !timedOut,
        httpStatus: answer?.status,
        traceId: traceIdOf(answer?.body),
      });
      this.report(call, ctx, attempt, started, error, answer);
      throw error;
    } finally {
      clearTimeout(timer);
      for (const parent of parents) parent.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Sends the request and reads the whole answer, at most `maxBodyBytes` of it; the body is parsed
   * when it can be. Throws `BodyTooLargeError` (after aborting the body) when it is larger.
   */
  private async exchange(
    call: UpstreamCall<unknown>,
    ctx: CallContext,
    signal: AbortSignal,
  ): Promise<UpstreamAnswer> {
    const response = await this.dispatcher.request({
      origin: this.origin,
      path: this.pathPrefix + call.path,
      method: this.method,
      headers: this.headersFor(ctx.token),
      body: JSON.stringify({ dataHeader: deviceHeader(ctx.device), dataBody: call.dataBody }),
      signal,
      // Keep the connection for the next call even after a GET with a body: undici closes it
      // otherwise, and every call would pay a new TCP handshake.
      reset: false,
    });
    const answer: UpstreamAnswer = { status: response.statusCode, headers: response.headers };
    const declared = declaredLength(response.headers);
    if (declared !== undefined && declared > this.maxBodyBytes) {
      response.body.destroy();
      throw new BodyTooLargeError(this.maxBodyBytes, declared, answer.status);
    }
    // A 200 that says it is not JSON (a proxy's HTML page) is not read as data: classify.ts
    // reports it by its content type. Any other answer is read for the code it may carry.
    const keep = answer.status !== 200 || isJsonAnswer(answer.headers);
    // A large list is decoded as it arrives; a small answer as one text, which costs less.
    const parser =
      keep &&
      answer.status === 200 &&
      call.rows &&
      (declared === undefined || declared >= this.streamFromBytes)
        ? new GridStreamParser(call.rows)
        : undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    let sliceStarted = performance.now();
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > this.maxBodyBytes)
          throw new BodyTooLargeError(this.maxBodyBytes, undefined, answer.status);
        if (!parser) {
          if (keep) chunks.push(chunk);
          continue;
        }
        parser.write(chunk);
        // Chunks that arrived together are read in one go: a turn of the event loop after each
        // slice lets other requests' work in between (bench/stall-probe.ts).
        if (this.decodeSliceMs > 0 && performance.now() - sliceStarted >= this.decodeSliceMs) {
          await nextTurn();
          sliceStarted = performance.now();
        }
      }
    } catch (error) {
      // Ends the exchange and its connection: the rest of the body is never read.
      response.body.destroy();
      if (!(parser && error instanceof SyntaxError)) throw error;
      answer.bodyError = error;
      return answer;
    }
    // undici puts a connection back in the pool one event-loop turn after its answer ends (it
    // waits out servers that close despite keep-alive). Resolving only then lets a caller that
    // calls again at once reuse that connection instead of opening another one.
    await nextTurn();
    if (!keep) return answer;
    try {
      if (parser) {
        answer.body = parser.end();
        return answer;
      }
      answer.body = parseBody(utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    } catch (error) {
      answer.bodyError = error;
    }
    return answer;
  }

  private headersFor(token: string | null): Record<string, string> {
    if (!token) return this.fixedHeaders;
    return this.tokenHeader === 'bearer'
      ? { ...this.fixedHeaders, authorization: `Bearer ${token}` }
      : { ...this.fixedHeaders, token };
  }

  private report(
    call: UpstreamCall<unknown>,
    ctx: CallContext,
    attempt: number,
    started: number,
    error: WooriError | undefined,
    answer: UpstreamAnswer | undefined,
  ): void {
    const durationMs = performance.now() - started;
    if (ctx.stats) ctx.stats.durationMs += durationMs;
    if (!this.onCall) return;
    try {
      this.onCall(
        {
          operation: call.operation,
          durationMs,
          outcome: error ? (error.upstreamCode ?? error.kind) : 'OK',
          httpStatus: error?.httpStatus ?? answer?.status,
          traceId: error?.traceId ?? traceIdOf(answer?.body),
          attempt,
          message: error?.message,
        },
        ctx,
      );
    } catch {
      // A metrics or log hook must not turn an answered call into a failure.
    }
  }
}

/** Decodes UTF-8 as undici's `body.text()` does: a byte order mark is dropped, bad bytes replaced. */
const utf8 = new TextDecoder();

/** The `content-length` an answer declares, when it declares one that reads as a number. */
function declaredLength(headers: Record<string, string | string[] | undefined>): number | undefined {
  const raw = headers['content-length'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/**
 * Counts an attempt in the request's totals as it goes out, not when it ends: a response that
 * is written while a call is still out (one it no longer needs) must count it too.
 */
function countSent(ctx: CallContext, attempt: number): void {
  if (!ctx.stats) return;
  ctx.stats.calls += 1;
  if (attempt > 1) ctx.stats.retries += 1;
}

/** The device fields of `dataHeader`, named as the reference names them. */
function deviceHeader(device: DeviceInfo): Record<string, string> {
  return {
    UTZPE_CNCT_IPAD: device.ip,
    UTZPE_CNCT_MCHR_UNQ_ID: device.deviceId,
    UTZPE_CNCT_TEL_NO_TXT: device.phone,
    UTZPE_CNCT_MCHR_IDF_SRNO: device.deviceSerial,
    UTZ_MCHR_OS_DSCD: device.osCode,
    UTZ_MCHR_OS_VER_NM: device.osVersion,
    UTZ_MCHR_MDL_NM: device.model,
    UTZ_MCHR_APP_VER_NM: device.appVersion,
  };
}

/**
 * `YYYY-MM-DD` as the upstream's `YYYYMMDD`. Anything else is sent as it is: judging dates is the
 * upstream's job (SYSCD01006), and its answer is the one the caller should see.
 */
function upstreamDate(date: IsoDate): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? date.slice(0, 4) + date.slice(5, 7) + date.slice(8, 10) : date;
}

function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError('WooriClient needs baseUrl to be an absolute http(s) URL, but it does not parse');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`WooriClient needs baseUrl to be an http(s) URL, but got the scheme ${url.protocol}`);
  }
  return url;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`WooriClient needs ${name} to be a positive integer, but got ${value}`);
  }
  return value;
}
