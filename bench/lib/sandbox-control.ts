/**
 * The sandbox's control endpoints (`/__sandbox/…`), over one kept-alive connection of its own, so
 * that reading the counters never opens a connection the counters would then count.
 */
import { Client } from 'undici';

/** The part of `GET /__sandbox/counters` the benchmark reads. */
export interface Counters {
  calls: { total: number; byOperation: Record<string, number>; byCode: Record<string, number> };
  connections: { open: number; opened: number };
}

export class SandboxControl {
  private readonly client: Client;

  constructor(readonly url: string) {
    this.client = new Client(new URL(url).origin, { pipelining: 1 });
  }

  async counters(): Promise<Counters> {
    const { calls, connections } = await this.call<Counters>('GET', 'counters');
    return { calls, connections };
  }

  /** Zeroes the call counters and `connections.opened`. */
  async reset(): Promise<void> {
    await this.call('POST', 'reset');
  }

  async configure(patch: Record<string, unknown>): Promise<void> {
    await this.call('POST', 'config', patch);
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private async call<T>(method: 'GET' | 'POST', action: string, body?: unknown): Promise<T> {
    const res = await this.client.request({
      method,
      path: `/__sandbox/${action}`,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`sandbox ${method} ${action}: ${res.statusCode} ${text}`);
    return JSON.parse(text) as T;
  }
}
