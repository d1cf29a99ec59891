/**
 * What one client can hold of the process: how long it may take to send a request's headers and
 * the whole request, how many connections may be open at once, and how many of them one address
 * may hold, so that slow or idle sockets from one client cannot take the file descriptors that
 * `/healthz` and everyone else need.
 *
 * Node answers the requests its own parser refuses (malformed, headers too large, too slow) before
 * any route runs. Here each such refusal gets the service's error shape (`BAD_REQUEST`) and one info
 * line without a stack; refused connections are counted, and logged at most once per address and
 * reason every {@link REFUSAL_LOG_INTERVAL_MS}.
 */
import type { Server, ServerOptions, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { errorBody } from '../graphql/errors';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { sendJson } from './responses';

export interface ConnectionLimits {
  /** Time a client has to send a request's headers, from the first byte (or from connecting). */
  headersTimeoutMs: number;
  /** Time a client has to send a whole request, headers and body. */
  requestTimeoutMs: number;
  /** Open connections at once, over all clients; beyond, new ones are closed at once. 0: no cap. */
  maxConnections: number;
  /** Open connections at once from one client address; beyond, new ones are closed at once. 0: no cap. */
  maxConnectionsPerAddress: number;
}

export const CONNECTION_DEFAULTS: Readonly<ConnectionLimits> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxConnections: 10_000,
  maxConnectionsPerAddress: 256,
};

/** Why a connection was closed as soon as it was accepted. */
export type RefusalReason = 'max_connections' | 'max_connections_per_address';

const REFUSAL_LOG_INTERVAL_MS = 10_000;

/** The `node:http` options that carry the timeouts. */
export function serverOptions(limits: ConnectionLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // Node checks both timeouts on this interval (30 s by default): a 10 s limit needs a finer one.
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
  };
}

/**
 * The HTTP status Node's parser means for each refusal, as its own default handler answers.
 * Anything else it refuses is a malformed request: 400.
 */
const STATUS_BY_PARSER_CODE: Readonly<Record<string, number>> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/** The client reset or closed its side mid-request (`HPE_INVALID_EOF_STATE`: the end came before the body's). */
const CLIENT_GONE_CODES = new Set(['ECONNRESET', 'EPIPE', 'HPE_INVALID_EOF_STATE']);

const MESSAGE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'The request needs to be valid HTTP/1.1; it could not be parsed.',
  408: 'The request needs to arrive whole within the time allowed; it did not.',
  413: 'The request needs smaller chunk extensions.',
  431: 'The request headers need to be smaller; they are too large.',
};

const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  431: 'Request Header Fields Too Large',
};

export interface ConnectionGuardOptions {
  logger: Logger;
  metrics?: Metrics;
}

/**
 * Applies the connection caps to `server` (its timeouts come from {@link serverOptions} at
 * creation) and answers and logs what Node's parser refuses.
 */
export class ConnectionGuard {
  private readonly byAddress = new Map<string, number>();
  private readonly refusals = new Map<string, { count: number; loggedAt: number }>();

  constructor(
    private readonly limits: ConnectionLimits,
    private readonly options: ConnectionGuardOptions,
  ) {}

  attach(server: Server): void {
    if (this.limits.maxConnections > 0) server.maxConnections = this.limits.maxConnections;
    // Node closes connections over `maxConnections` before they reach any listener, and says so here.
    server.on('drop', (data?: { remoteAddress?: string }) =>
      this.refused('max_connections', data?.remoteAddress),
    );
    server.on('connection', (socket: Socket) => this.admit(socket));
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) =>
      this.clientError(error, socket as Socket),
    );
  }

  /** Open connections from `address` now. */
  openFrom(address: string): number {
    return this.byAddress.get(address) ?? 0;
  }

  private admit(socket: Socket): void {
    const address = socket.remoteAddress ?? 'unknown';
    const open = this.openFrom(address);
    const cap = this.limits.maxConnectionsPerAddress;
    if (cap > 0 && open >= cap) {
      socket.destroy();
      this.refused('max_connections_per_address', address);
      return;
    }
    this.byAddress.set(address, open + 1);
    socket.once('close', () => {
      const left = this.openFrom(address) - 1;
      if (left > 0) this.byAddress.set(address, left);
      else this.byAddress.delete(address);
    });
  }

  private refused(reason: RefusalReason, address = 'unknown'): void {
    this.options.metrics?.onConnectionRefused(reason);
    const key = `${reason} ${address}`;
    const now = Date.now();
    const entry = this.refusals.get(key) ?? { count: 0, loggedAt: 0 };
    entry.count += 1;
    this.refusals.set(key, entry);
    if (now - entry.loggedAt < REFUSAL_LOG_INTERVAL_MS) return;
    this.options.logger.warn(
      { reason, remoteAddress: address, refused: entry.count, limits: this.limits },
      'connections refused',
    );
    entry.count = 0;
    entry.loggedAt = now;
    // Forget addresses that went quiet, so that the map cannot grow with every address ever refused.
    for (const [k, e] of this.refusals)
      if (now - e.loggedAt >= REFUSAL_LOG_INTERVAL_MS) this.refusals.delete(k);
  }

  /**
   * A request Node's parser refused, or one that took too long: the status Node would send, in
   * the service's error shape, unless an answer has already started on the connection (then the
   * connection is only closed).
   */
  private clientError(error: NodeJS.ErrnoException, socket: Socket): void {
    const code = error.code ?? 'UNKNOWN';
    if (CLIENT_GONE_CODES.has(code)) {
      // The client went away mid-request: nobody to answer. A route reading its body logs it once.
      this.options.logger.debug(
        { code, remoteAddress: socket.remoteAddress },
        'client went away mid-request',
      );
      socket.destroy();
      return;
    }
    const status = STATUS_BY_PARSER_CODE[code] ?? 400;
    this.options.logger.info(
      { http: { status }, code, remoteAddress: socket.remoteAddress },
      status === 408 ? 'request too slow: closed' : 'request refused by the HTTP parser',
    );
    this.options.metrics?.onParserRefusal(status);
    const message = MESSAGE_BY_STATUS[status];
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
    if (inFlight && !inFlight.headersSent) {
      // A route is reading this request (a slow upload): answered through its response, which
      // closes the connection once written; the route then sees its upload end and stays quiet.
      inFlight.setHeader('connection', 'close');
      sendJson(inFlight, status, errorBody(message, 'BAD_REQUEST'));
      return;
    }
    if (!inFlight && socket.writable) {
      const body = JSON.stringify(errorBody(message, 'BAD_REQUEST'));
      socket.end(
        `HTTP/1.1 ${status} ${REASON_PHRASES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
      );
      // A client that neither reads nor closes does not keep the socket: a second is plenty for a small answer.
      setTimeout(() => socket.destroy(), 1_000).unref();
      return;
    }
    socket.destroy();
  }
}
