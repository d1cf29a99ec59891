/**
 * A short memory of broken inputs. Some failures belong to one input, not to the upstream: one
 * account whose data the bank cannot serve answers SYSCD09999 to every call, however often it is
 * asked. Calling it again and again spends the rate limit and the quota for nothing, and makes its
 * failures look like an outage. So once calls for an input have failed `afterFailures` times in a
 * row (a call counts once, after its retries), calls for it fail at once, with the error it last
 * failed with, for `holdMs`; the retries of its calls still in flight stop too. Then it is tried
 * again, and one more failed attempt holds it back again at once. An answer with data forgets it.
 *
 * An input is one operation on one account (the account list: on the customer's behalf) for one
 * customer: the same account asked for by another customer is another input, so that the memory
 * tells nobody anything about accounts that are not theirs.
 */
import type { PolicyCall } from './api';
import { WooriError } from './errors';

export interface BrokenInputsOptions {
  /** Failed calls in a row (a call counts once, after its retries) that hold an input back; 0: never. */
  afterFailures: number;
  /** How long an input is held back, ms. */
  holdMs: number;
  /** Inputs remembered at most; the least recently failed are forgotten first. Default 10 000. */
  maxEntries?: number;
  /** The policy's clock, ms. */
  now: () => number;
  /** Told when an input starts being held back, with the context of the call that did it. Its exceptions are ignored. */
  onHold?: (event: HoldEvent, context: PolicyCall['context']) => void;
}

/** What the memory tells when it starts holding an input back. */
export interface HoldEvent {
  operation: PolicyCall['operation'];
  /** The account number (the logger masks it), or `''` for the account list. */
  key: string;
  customerKey: string | undefined;
  /** Failed calls in a row so far. */
  failures: number;
  holdMs: number;
  /** The error it is held back with. */
  error: WooriError;
}

interface Entry {
  failures: number;
  lastFailureAt: number;
  /** Held back until this time; 0 when it never was. */
  heldUntil: number;
  error: WooriError;
}

/** After this long without a failure, an input's failures are forgotten. */
const FORGET_AFTER_MS = 60_000;

export class BrokenInputs {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private refusedCalls = 0;

  constructor(private readonly options: BrokenInputsOptions) {
    const { afterFailures, holdMs, maxEntries = 10_000 } = options;
    if (!Number.isSafeInteger(afterFailures) || afterFailures < 0) {
      throw new RangeError(`BrokenInputs needs afterFailures to be 0 or more, but got ${afterFailures}`);
    }
    if (!Number.isFinite(holdMs) || holdMs < 1) {
      throw new RangeError(`BrokenInputs needs holdMs of 1 or more, but got ${holdMs}`);
    }
    this.maxEntries = maxEntries;
  }

  /** Calls refused so far because their input was held back. */
  get refused(): number {
    return this.refusedCalls;
  }

  /** Inputs held back now. */
  heldBackCount(): number {
    const now = this.options.now();
    let count = 0;
    for (const entry of this.entries.values()) if (entry.heldUntil > now) count += 1;
    return count;
  }

  /**
   * The error to fail `call` with at once when its input is held back (counted as a refused call),
   * else undefined: the call may go out.
   */
  refusal(call: PolicyCall): WooriError | undefined {
    if (this.options.afterFailures === 0 || this.entries.size === 0) return undefined;
    const id = inputOf(call);
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    const now = this.options.now();
    if (entry.heldUntil > now) {
      this.refusedCalls += 1;
      return heldBack(entry.error, call, Math.ceil(entry.heldUntil - now));
    }
    if (now - entry.lastFailureAt > Math.max(FORGET_AFTER_MS, this.options.holdMs)) this.entries.delete(id);
    return undefined;
  }

  /** Whether `call`'s input is held back now (without counting a refusal). */
  holds(call: PolicyCall): boolean {
    if (this.options.afterFailures === 0 || this.entries.size === 0) return false;
    const entry = this.entries.get(inputOf(call));
    return entry !== undefined && entry.heldUntil > this.options.now();
  }

  /**
   * An attempt of `call` failed upstream (see `breaksCircuit`). An input that was held back before
   * and is being tried again is held back again at once: its history says enough.
   */
  attemptFailed(call: PolicyCall, error: WooriError): void {
    if (this.options.afterFailures === 0 || this.entries.size === 0) return;
    const id = inputOf(call);
    const entry = this.entries.get(id);
    if (!entry || entry.heldUntil === 0) return;
    this.remember(id, { ...entry, failures: entry.failures + 1, error }, call);
  }

  /** `call` failed upstream, its retries over: one more failure in a row of its input. */
  callFailed(call: PolicyCall, error: WooriError): void {
    if (this.options.afterFailures === 0) return;
    const id = inputOf(call);
    const entry = this.entries.get(id);
    if (entry && entry.heldUntil > this.options.now()) return;
    const failures = (entry?.failures ?? 0) + 1;
    const heldBefore = (entry?.heldUntil ?? 0) > 0;
    const next = { failures, lastFailureAt: 0, heldUntil: entry?.heldUntil ?? 0, error };
    this.remember(id, next, failures >= this.options.afterFailures || heldBefore ? call : undefined);
  }

  /** The upstream answered `call` with data: the input is not broken. */
  answered(call: PolicyCall): void {
    if (this.entries.size > 0) this.entries.delete(inputOf(call));
  }

  /** Stores `entry` as the input's latest state; holds it back (and says so) when given its `call`. */
  private remember(id: string, entry: Entry, call?: PolicyCall): void {
    const now = this.options.now();
    entry.lastFailureAt = now;
    // Refresh its place: the Map's order is the order of last failure, oldest first.
    this.entries.delete(id);
    this.entries.set(id, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    if (!call || entry.heldUntil > now) return;
    entry.heldUntil = now + this.options.holdMs;
    try {
      this.options.onHold?.(
        {
          operation: call.operation,
          key: call.key,
          customerKey: call.context.customerKey,
          failures: entry.failures,
          holdMs: this.options.holdMs,
          error: entry.error,
        },
        call.context,
      );
    } catch {
      // A log hook must not break the policy.
    }
  }
}

/** One input: whose, which operation, which account. */
function inputOf(call: PolicyCall): string {
  return `${call.context.customerKey ?? ''}\u0000${call.operation}\u0000${call.key}`;
}

/** The error an input last failed with, for a call that was not made, not to be retried. */
function heldBack(last: WooriError, call: PolicyCall, heldBackMs: number): WooriError {
  return new WooriError(last.message, {
    kind: last.kind,
    operation: call.operation,
    upstreamCode: last.upstreamCode,
    httpStatus: last.httpStatus,
    retryable: false,
    heldBackMs,
  });
}
