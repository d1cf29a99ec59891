/**
 * The circuit breaker. Once its {@link OpeningRule} judges that the upstream is failing, calls fail
 * at once, without reaching the upstream, for `halfOpenAfterMs`. Then the next call tests the
 * upstream (half-open) while the calls behind it wait for its verdict: an answer closes the
 * circuit, an upstream failure opens it for another period.
 *
 * The rule is a seam of its own: it sees which call failed (operation and input) and for whom
 * (`context.customerKey`), so that a rule can tell an outage from one broken input.
 */
import { BrokenCircuitError } from 'cockatiel';
import { abortable } from './abortable';
import type { PolicyCall } from './api';

/** The breaker's state as /readyz and metrics show it. `half-open`: the next call tests the upstream. */
export type CircuitStatus = 'closed' | 'open' | 'half-open';

/**
 * How an admitted call ended, as far as the upstream's health goes:
 * - `succeeded`: the upstream answered with data;
 * - `refused`: it answered, refusing for a reason that is not its own failure (a bad token, bad
 *   input, its rate limit or quota): it works;
 * - `failed`: the upstream failed (see `breaksCircuit` in `policy.ts`);
 * - `abandoned`: the call never reached the upstream, or its caller gave up on it: no evidence.
 */
export type CallOutcome = 'succeeded' | 'refused' | 'failed' | 'abandoned';

/** Decides when the circuit opens, from what the calls of a closed circuit met. */
export interface OpeningRule {
  /** The upstream answered `call` with data. */
  succeeded(call: PolicyCall): void;
  /** The upstream failed `call` with `error`; true when the circuit should open now. */
  failed(call: PolicyCall, error: unknown): boolean;
  /** The circuit closed after a successful test: start afresh. */
  reset(): void;
}

/**
 * Opens after `threshold` upstream failures in a row. It opens on an outage whatever the traffic
 * (a sampled rate needs a minimum rate, awkward under the upstream's low per-second limit), while
 * scattered failures seldom line up: at 20% failing, ten in a row has odds of 1 in 10 million.
 */
export class ConsecutiveFailures implements OpeningRule {
  private count = 0;

  constructor(readonly threshold: number) {
    if (!Number.isSafeInteger(threshold) || threshold < 1) {
      throw new RangeError(`ConsecutiveFailures needs a threshold of 1 or more, but got ${threshold}`);
    }
  }

  succeeded(): void {
    this.count = 0;
  }

  failed(): boolean {
    this.count += 1;
    return this.count >= this.threshold;
  }

  reset(): void {
    this.count = 0;
  }
}

export interface CircuitBreakerOptions {
  /** How long the circuit stays open before one call may test the upstream, ms. */
  halfOpenAfterMs: number;
  rule: OpeningRule;
  /** The clock, ms: the policy's one clock. */
  now: () => number;
  /** Told of every change of `status()`. Its exceptions are ignored. */
  onChange?: (status: CircuitStatus) => void;
}

/** A call let through by {@link CircuitBreaker.admit}; `probe` when it tests a circuit that was open. */
export interface Admission {
  readonly probe: boolean;
}

const ORDINARY: Admission = Object.freeze({ probe: false });
const PROBE: Admission = Object.freeze({ probe: true });

export class CircuitBreaker {
  private state: CircuitStatus = 'closed';
  private openedAt = 0;
  /** While a probe is out: settles when it has its verdict. */
  private probe: { done: Promise<void>; end: () => void } | null = null;

  constructor(private readonly options: CircuitBreakerOptions) {
    if (!Number.isFinite(options.halfOpenAfterMs) || options.halfOpenAfterMs < 1) {
      throw new RangeError(
        `CircuitBreaker needs halfOpenAfterMs of 1 or more, but got ${options.halfOpenAfterMs}`,
      );
    }
  }

  /**
   * The circuit's state now. An open circuit whose delay is over reads `half-open`: the next call
   * will test the upstream, so /readyz must not keep traffic away for longer than the delay.
   */
  status(): CircuitStatus {
    return this.state === 'open' && this.delayOver() ? 'half-open' : this.state;
  }

  /**
   * Lets a call through: at once while closed; as the probe when the open delay is over; after the
   * probe's verdict while one is out (or the signal's reason, the moment it aborts). Throws
   * cockatiel's `BrokenCircuitError` while open.
   */
  async admit(signal?: AbortSignal): Promise<Admission> {
    for (;;) {
      if (this.state === 'closed') return ORDINARY;
      if (this.state === 'open') {
        if (!this.delayOver()) throw new BrokenCircuitError();
        let end = (): void => undefined;
        const done = new Promise<void>((resolve) => (end = resolve));
        this.probe = { done, end };
        this.change('half-open');
        return PROBE;
      }
      await abortable(this.probe!.done, signal);
    }
  }

  /** Whether a call admitted earlier must not go out now: the circuit opened while it waited. */
  isOpen(): boolean {
    return this.status() === 'open';
  }

  /** Records how an admitted call ended. */
  settle(admission: Admission, call: PolicyCall, outcome: CallOutcome, error?: unknown): void {
    if (admission.probe) {
      this.settleProbe(outcome);
      return;
    }
    // A call let through before the circuit opened says nothing about what to do now.
    if (this.state !== 'closed') return;
    if (outcome === 'succeeded') this.options.rule.succeeded(call);
    else if (outcome === 'failed' && this.options.rule.failed(call, error)) this.open();
  }

  private settleProbe(outcome: CallOutcome): void {
    const probe = this.probe;
    this.probe = null;
    if (outcome === 'succeeded' || outcome === 'refused') {
      this.options.rule.reset();
      this.change('closed');
    } else if (outcome === 'failed') {
      this.open();
    } else {
      // No verdict: open as before, its delay still over, so the next call tests the upstream.
      this.state = 'open';
    }
    probe?.end();
  }

  private open(): void {
    this.openedAt = this.options.now();
    this.change('open');
  }

  private delayOver(): boolean {
    return this.options.now() - this.openedAt >= this.options.halfOpenAfterMs;
  }

  private change(state: CircuitStatus): void {
    this.state = state;
    try {
      this.options.onChange?.(this.status());
    } catch {
      // A log or metrics hook must not break the breaker.
    }
  }
}
