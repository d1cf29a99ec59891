/** The upstream client: the Woori financial-data API as typed, decoded, classified calls. */
export type { CallContext, CallEvent, CallStats, WooriApi } from './api';
export {
  UPSTREAM_CODES,
  errorFromAnswer,
  errorFromFailure,
  retryAfterMsOf,
  traceIdOf,
  upstreamCodeOf,
  type FailureContext,
  type UpstreamAnswer,
  type UpstreamCodeMeaning,
} from './classify';
export {
  WooriClient,
  type AttemptPolicy,
  type UpstreamCall,
  type WooriClientDeps,
  type WooriClientOptions,
} from './client';
export { decodeAnswer, parseBody, readAccountBasics, readAccountList, readTransactions } from './decode';
export * from './domain';
export * from './errors';
export {
  POLICY_DEFAULTS,
  UpstreamPolicy,
  breaksCircuit,
  type CircuitStatus,
  type UpstreamPolicyOptions,
} from './policy';
export { DEFAULT_RATE_WINDOW_MS, RateLimiter, type RateLimiterOptions } from './rate-limiter';
export { RetryBudget, type RetryBudgetOptions } from './retry-budget';
export { Semaphore } from './semaphore';
