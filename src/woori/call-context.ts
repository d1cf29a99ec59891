import { createHmac } from 'node:crypto';
import type { CallContext, CallStats } from './api';
import type { DeviceInfo } from './domain';
import { InFlightCalls } from './in-flight';
import { Semaphore } from './semaphore';

/** What the edge knows about a request when it makes the request's call context. */
export interface CallContextInit {
  token: string | null;
  device: DeviceInfo;
  signal?: AbortSignal;
  /** When `signal` aborts at the latest, on the upstream policy's clock. */
  deadline?: number;
  customerKey?: string;
  /** Upstream calls of this request in flight at once; unset: no cap of its own. */
  maxInFlight?: number;
}

/** A call context with the request's counters: what `createCallContext` makes. */
export interface RequestCallContext extends CallContext {
  readonly stats: CallStats;
  readonly inFlight: InFlightCalls;
}

/** The call context of one request, with its counters at zero and its own concurrency cap. */
export function createCallContext(init: CallContextInit): RequestCallContext {
  const { maxInFlight, ...rest } = init;
  return {
    ...rest,
    stats: { calls: 0, retries: 0, durationMs: 0 },
    inFlight: new InFlightCalls(),
    ...(maxInFlight === undefined ? {} : { concurrency: new Semaphore(maxInFlight) }),
  };
}

/**
 * The key that stands for a customer in everything that treats customers apart (the fair queue,
 * the per-customer ceiling, the breaker's evidence, the broken-input memory, the answer cache):
 * an HMAC-SHA256 of the access token, base64url. It does not reveal the token, and without the
 * secret it cannot be recomputed from one. A customer is a token: a new token starts afresh.
 *
 * `secret` is `CACHE_SECRET` when set, so that replicas agree on the keys; else a random secret of
 * the process.
 */
export function customerKeyOf(token: string, secret: string): string {
  return createHmac('sha256', secret).update(token, 'utf8').digest('base64url');
}
