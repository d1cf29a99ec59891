/** The sandbox's public types; `index.ts` re-exports them. */

export type SandboxOperation = 'listAccounts' | 'getAccountBasics' | 'listTransactions' | 'tokenCheck';

/** A failure injected into a share of API calls, drawn from the seeded generator. */
export interface SandboxFault {
  /** A SYSCD code answered with its status (e.g. 'SYSCD09999' → 500). */
  code?: string;
  /**
   * timeout: 504 SYSCD01003. stall: the answer is held for `stallMs`. reset: the socket is
   * destroyed. malformed: 200 with a truncated JSON body. html: 502 with an HTML page.
   * The answers no upstream should send (a client must not take them as data), each shaping a
   * successful answer: oversized: the answer padded with white space to `bytes`, with its
   * `Content-Length`. endless: a body that never ends (chunked: the answer's rows, or white space,
   * repeated for as long as the client reads). html200: 200 with an HTML page. status299: the
   * answer with HTTP status 299.
   */
  kind?: 'timeout' | 'stall' | 'reset' | 'malformed' | 'html' | BodyFaultKind;
  /** For `oversized`: the size of the body in bytes; default 80 MiB (over a client's 64 MiB limit). */
  bytes?: number;
  /** 0..1: the share of matching calls that fail; 1 is every call. */
  rate: number;
  /** Only calls of these operations; every API operation when absent. */
  operations?: SandboxOperation[];
  /**
   * Only calls about these account numbers (`INQ_ACNO`), whoever asks; every call when absent.
   * With `rate` 1: an account the bank cannot serve, failing always.
   */
  accounts?: string[];
}

/** The faults that shape a successful answer's status, type or size (see `SandboxFault.kind`). */
export type BodyFaultKind = 'oversized' | 'endless' | 'html200' | 'status299';

export interface SandboxSettings {
  /** Default '127.0.0.1'. */
  host: string;
  /** Default 0: a random free port. */
  port: number;
  /**
   * Default 20190628. The same seed and `today` give the same data, byte for byte, when `today` is
   * over; for the current day, the same seed and start time (to the second) do.
   */
  seed: number;
  /**
   * 'YYYY-MM-DD' in KST; data is generated up to this day, and on it up to the time of day the
   * sandbox started (the whole day when it is already over). Default: today in KST.
   */
  today: string;
  /** Default 'document'. */
  wireFormat: 'document' | 'woori';
  /** Fixed latency added to every API call, default 0. */
  latencyMs: number;
  /** Plus a uniform random 0..jitterMs, default 0. */
  jitterMs: number;
  /** Calls per app key in any sliding second, 0 = no limit (default). */
  maxRps: number;
  /** Calls per app key since start or reset, 0 = no limit (default). */
  quota: number;
  /** The longest transaction range, inclusive days, default 366. */
  maxSpanDays: number;
  /** How long a 'stall' fault holds the answer, default 60000. */
  stallMs: number;
  /** Default []. */
  faults: SandboxFault[];
  /** The only app key accepted; default `SANDBOX_APP_KEY`. */
  appKey: string;
  /** The only secret key accepted; default `SANDBOX_SECRET_KEY`. */
  secretKey: string;
}

/** What can change while the sandbox runs. */
export type SandboxPatch = Partial<Omit<SandboxSettings, 'host' | 'port' | 'seed' | 'today'>>;

export interface SandboxCallRecord {
  operation: string;
  customer: string | null;
  accountNumber?: string;
  /** `YYYY-MM-DD` when the request's date was valid, else the raw value sent. */
  from?: string;
  to?: string;
  asOf?: string;
  method: string;
  /**
   * 'OK', the SYSCD code answered, or for a fault without a code 'RESET', 'MALFORMED', 'HTML', 'STALL',
   * 'OVERSIZED', 'ENDLESS', 'HTML200', 'STATUS299'.
   */
  code: string;
  /** Epoch milliseconds. */
  at: number;
}

export interface SandboxCounters {
  calls: {
    total: number;
    byOperation: Record<string, number>;
    byCustomer: Record<string, number>;
    byCode: Record<string, number>;
  };
  connections: { open: number; opened: number };
  /** The last 2000 calls, oldest first. */
  recent: SandboxCallRecord[];
}

export interface SandboxCustomer {
  name: string;
  token: string;
  description: string;
  accountNumbers: string[];
}

export interface RunningSandbox {
  /** e.g. 'http://127.0.0.1:41234', no trailing slash. */
  url: string;
  /**
   * The KST instant the ledgers end at, e.g. '2026-12-02T20:27:00+09:00': the moment the sandbox
   * started, or the last second of `today` when that day is already over. No transaction is later,
   * and none is added while the sandbox runs.
   */
  ledgerEnd: string;
  /** The current settings (they change with `configure`). */
  settings: Readonly<SandboxSettings>;
  credentials: { appKey: string; secretKey: string };
  customers: SandboxCustomer[];
  counters(): SandboxCounters;
  /** Zeroes the counters, rate windows and quota, and restarts the fault and jitter generators. */
  reset(): void;
  configure(patch: SandboxPatch): void;
  /** Closes the server and every open connection, stalled ones included. */
  close(): Promise<void>;
}
