import { createHmac } from 'node:crypto';
import type { CallContext, CallStats, Freshness } from './api';
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
  freshness?: Freshness;
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
    stats: { calls: 0, retries: 0, durationMs: 0, cacheHits: 0 },
    inFlight: new InFlightCalls(),
    ...(maxInFlight === undefined ? {} : { concurrency: new Semaphore(maxInFlight) }),
  };
}

/**
 * Who a token's customer is, as a key that reveals neither the token nor the customer:
 * HMAC-SHA256 of the token with `secret` (CACHE_SECRET, or a random secret of the process), in
 * base64url. Replicas that share the secret compute the same key; without the secret, a key cannot
 * be linked to a token. Keys the answer cache and the per-customer policies.
 */
export function customerKeyOf(token: string, secret: string): string {
  return createHmac('sha256', secret).update('customer\0').update(token).digest('base64url');
}
