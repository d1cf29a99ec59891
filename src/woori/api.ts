import type { AccountBasics, AccountSummary, DeviceInfo, IsoDate, TransactionRecord } from './domain';
import type { WooriOperation } from './errors';
import type { InFlightCalls } from './in-flight';
import type { Semaphore } from './semaphore';

/** Running totals of one request's upstream cost, reported in `extensions.upstream`. */
export interface CallStats {
  /** Attempts sent upstream, counted as each one is sent. */
  calls: number;
  /** Those of them that repeated an earlier attempt of the same call. */
  retries: number;
  /** Sum of the wall time of every upstream attempt, in milliseconds. */
  durationMs: number;
  /**
   * Answers taken from the answer cache, or from an identical call of another request already in
   * flight, instead of an upstream call of this request.
   */
  cacheHits?: number;
}

/**
 * How fresh the caller wants its answers (the request's `Cache-Control`): `noCache` takes every
 * answer from the upstream (and refreshes the cache); `maxAgeMs` accepts cached answers at most
 * that old. Absent: any answer the cache still holds.
 */
export interface Freshness {
  readonly noCache?: boolean;
  readonly maxAgeMs?: number;
}

/**
 * One request's state, as every upstream call sees it: who is calling, on whose behalf, until
 * when, and what the request has spent. Made once per request at the edge (the HTTP handler,
 * through `createCallContext`) and passed down explicitly; nothing about a request is kept
 * anywhere else.
 */
export interface CallContext {
  /** The customer's OAuth access token, forwarded upstream; null when the request had none. Never logged. */
  readonly token: string | null;
  readonly device: DeviceInfo;
  /** Aborts every call of the request: at its deadline, or when its client goes away. */
  readonly signal?: AbortSignal;
  /**
   * When `signal` aborts at the latest, in ms on the clock the upstream policy was given
   * (`performance.now()` unless told otherwise). A retry starts only while one attempt still fits.
   */
  readonly deadline?: number;
  /**
   * Who the calls are for, as a key that does not reveal the customer (never the token itself):
   * for policies that treat customers apart (a fair queue, per-customer ceilings). Absent: the
   * calls are treated alike.
   */
  readonly customerKey?: string;
  /** How fresh the caller wants its answers; absent: whatever the cache holds. */
  readonly freshness?: Freshness;
  /** The request's running totals; the client counts each attempt here as it sends it. */
  readonly stats?: CallStats;
  /**
   * The request's own cap on upstream calls in flight, so that one wide query cannot take every
   * slot of the process-wide cap.
   */
  readonly concurrency?: Semaphore;
  /** The request's calls that have not ended: its response waits for them, so that all are counted. */
  readonly inFlight?: InFlightCalls;
}

/** What the client reports after every attempt: the input of metrics and logs. */
export interface CallEvent {
  operation: WooriOperation;
  durationMs: number;
  /** `'OK'`, the upstream `SYSCD…` code, or the error kind when there was no code. */
  outcome: string;
  httpStatus?: number;
  traceId?: string;
  attempt: number;
  /**
   * Why a failed attempt failed: its `WooriError`'s message, built from constants, codes and
   * numbers only (see `classify.ts`), e.g. the body limit it passed. Absent on success.
   */
  message?: string;
}

/** What a policy is told about the call it wraps: what it asks, of which input, on whose behalf. */
export interface PolicyCall {
  operation: WooriOperation;
  /** The input the call is about: the account number, or `''` for the account list. */
  key: string;
  context: CallContext;
}

/**
 * A policy around the attempts of one call. Its first two parameters are those of cockatiel's
 * `IPolicy.execute`, so any cockatiel policy can be passed as one: `attempt` is the retry counter
 * (0 for the first attempt) and `signal` aborts the attempt. `call` says which call it is, for
 * policies that look at the request or the input (`UpstreamPolicy` in `policy.ts`).
 */
export interface AttemptPolicy {
  execute<T>(
    fn: (context: { signal?: AbortSignal; attempt?: number }) => PromiseLike<T> | T,
    signal: AbortSignal | undefined,
    call: PolicyCall,
  ): Promise<T>;
}

/** The three read operations of the Woori financial-data API. */
export interface WooriApi {
  /** 전계좌조회: every account of the token's customer. */
  listAccounts(ctx: CallContext): Promise<AccountSummary[]>;
  /** 계좌기본조회: one account's basics as of a date. */
  getAccountBasics(ctx: CallContext, accountNumber: string, asOf: IsoDate): Promise<AccountBasics>;
  /** 거래내역조회: one account's transactions between two dates, both inclusive, as one list. */
  listTransactions(
    ctx: CallContext,
    accountNumber: string,
    from: IsoDate,
    to: IsoDate,
  ): Promise<TransactionRecord[]>;
}
