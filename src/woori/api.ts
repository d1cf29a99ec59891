import type { AccountBasics, AccountSummary, DeviceInfo, IsoDate, TransactionRecord } from './domain';
import type { WooriOperation } from './errors';

/** Running totals of one GraphQL request's upstream cost, reported in `extensions.upstream`. */
export interface CallStats {
  calls: number;
  retries: number;
  /** Sum of the wall time of every upstream attempt, in milliseconds. */
  durationMs: number;
}

/** Who is calling and on whose behalf: built once per GraphQL request. */
export interface CallContext {
  /** The customer's OAuth access token, forwarded upstream; never logged. */
  token: string;
  device: DeviceInfo;
  /** Aborts every call of the request (the request's deadline, or the client going away). */
  signal?: AbortSignal;
  /** Incremented by the client for every attempt it makes on this context's behalf. */
  stats?: CallStats;
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
