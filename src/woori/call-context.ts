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
