import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A `node:http` server that can stop gracefully: it stops accepting, lets the requests in flight
 * finish, closes keep-alive connections as soon as they are idle, and after the grace period closes
 * whatever is left (which aborts those requests: their `close` event fires unfinished).
 */
export class GracefulServer {
  readonly server: Server;
  private readonly inFlight = new Set<ServerResponse>();
  private closing: Promise<{ forced: boolean }> | null = null;
  private draining = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    listener: Listener,
    {
      keepAliveTimeoutMs = 5_000,
      serverOptions = {},
    }: { keepAliveTimeoutMs?: number; serverOptions?: ServerOptions } = {},
  ) {
    this.server = createServer(serverOptions, (req, res) => {
      this.inFlight.add(res);
      if (this.draining) res.setHeader('connection', 'close');
      res.once('close', () => this.settled(res));
      listener(req, res);
    });
    this.server.keepAliveTimeout = keepAliveTimeoutMs;
  }

  /** Listens, and resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Requests whose response has not finished yet. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /**
   * Stops accepting and drains for at most `graceMs`, then force-closes every connection. Resolves
   * when the server is closed; `forced` tells whether requests were cut off.
   */
  close(graceMs: number): Promise<{ forced: boolean }> {
    this.closing ??= this.drain(graceMs);
    return this.closing;
  }

  private async drain(graceMs: number): Promise<{ forced: boolean }> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Responses not yet started tell their client to reconnect elsewhere.
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    this.server.closeIdleConnections();

    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const outcome = await Promise.race([this.idle().then(() => 'idle' as const), graceOver]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.server.closeAllConnections();
    else this.server.closeIdleConnections();
    await closed;
    return { forced: outcome === 'timeout' };
  }

  private idle(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private settled(res: ServerResponse): void {
    this.inFlight.delete(res);
    if (!this.draining) return;
    // The connection that carried this response is idle now, unless the client pipelined more.
    setImmediate(() => this.server.closeIdleConnections());
    if (this.inFlight.size === 0) {
      for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }
}
