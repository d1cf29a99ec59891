/**
 * The circuit breaker. Once its {@link OpeningRule} judges that the upstream is failing, calls fail
 * at once, without reaching the upstream, for `halfOpenAfterMs`. Then the next call tests the
 * upstream (half-open) while the calls behind it wait for its verdict: an answer closes the
 * circuit, an upstream failure opens it for another period.
 *
 * The rule is a seam of its own: it sees which call failed (operation and input) and for whom
 * (`context.customerKey`), so that it can tell an outage from one broken input ({@link SpreadFailures}).
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
  /** The upstream failed `call` with `error`: the evidence to open the circuit on now, if any. */
  failed(call: PolicyCall, error: unknown): OpeningEvidence | undefined;
  /** The circuit closed after a successful test: start afresh. */
  reset(): void;
}

/** One input that failed, as logs show it (the logger masks account numbers). */
export interface FailedInput {
  operation: PolicyCall['operation'];
  /** The account number, or `''` for the account list. */
  key: string;
}

/** What the circuit opened on: the failures since the last answer. */
export interface OpeningEvidence {
  /** Failed calls (each call counted once, whatever its retries). */
  failures: number;
  /** Distinct inputs among them, the first few listed in `inputs`. */
  distinctInputs: number;
  inputs: FailedInput[];
  /** Distinct customers among them. */
  customers: number;
}

/** Why the circuit changed state, for its log line. */
export interface CircuitChange {
  reason: string;
  evidence?: OpeningEvidence;
}

export interface SpreadFailuresOptions {
  /** Failed calls since the last answer, at least. */
  minFailures: number;
  /** Distinct inputs (an operation on an account, or a customer's account list) among them, at least. */
  minInputs: number;
  /** Distinct customers among them, at least. */
  minCustomers: number;
  /** Failures older than this no longer count, ms. */
  windowMs: number;
  /** The policy's clock, ms. */
  now: () => number;
}

/** Inputs listed in an {@link OpeningEvidence} at most. */
const LISTED_INPUTS = 10;
/** Failures kept at most (beyond any sane threshold): memory stays bounded in an outage. */
const MAX_KEPT_FAILURES = 10_000;

/**
 * Opens when the upstream fails across inputs and customers with no answer in between: at least
 * `minFailures` failed calls since the last answer, within `windowMs`, spread over at least
 * `minInputs` distinct inputs of at least `minCustomers` distinct customers.
 *
 * Why this evidence: an outage fails everything, for everyone, so failures pile up across inputs
 * and customers with no answer between them, and the circuit opens after a handful of calls. One
 * broken input (an account the bank cannot serve) fails as often as it is asked, by as many
 * concurrent requests or aliases as its customer sends, but it stays one input of one customer, and
 * it never opens the circuit for everyone. Any answer in between (an outage has none) starts the
 * count again, which keeps scattered failures from adding up: at 5% failing, five failures in a
 * row is a chance of 1 in 3 million. Each call counts once: its retries are the same evidence again.
 */
export class SpreadFailures implements OpeningRule {
  private readonly failures: Array<{ at: number; input: string; customer: string; failed: FailedInput }> = [];
  /** How many of `failures` each input and each customer has. */
  private readonly inputs = new Map<string, number>();
  private readonly customers = new Map<string, number>();

  constructor(private readonly options: SpreadFailuresOptions) {
    for (const name of ['minFailures', 'minInputs', 'minCustomers', 'windowMs'] as const) {
      const value = options[name];
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new RangeError(
          `SpreadFailures needs ${name} to be a whole number of 1 or more, but got ${value}`,
        );
      }
    }
  }

  succeeded(): void {
    this.reset();
  }

  failed(call: PolicyCall): OpeningEvidence | undefined {
    const now = this.options.now();
    const input = `${call.operation}\u0000${call.key || (call.context.customerKey ?? '')}`;
    const customer = call.context.customerKey ?? '';
    this.failures.push({ at: now, input, customer, failed: { operation: call.operation, key: call.key } });
    add(this.inputs, input, 1);
    add(this.customers, customer, 1);
    while (
      this.failures.length > 0 &&
      (this.failures[0].at <= now - this.options.windowMs || this.failures.length > MAX_KEPT_FAILURES)
    ) {
      const old = this.failures.shift()!;
      add(this.inputs, old.input, -1);
      add(this.customers, old.customer, -1);
    }
    const { minFailures, minInputs, minCustomers } = this.options;
    if (
      this.failures.length < minFailures ||
      this.inputs.size < minInputs ||
      this.customers.size < minCustomers
    ) {
      return undefined;
    }
    const listed = new Map<string, FailedInput>();
    for (const failure of this.failures) {
      if (listed.size >= LISTED_INPUTS) break;
      if (!listed.has(failure.input)) listed.set(failure.input, failure.failed);
    }
    return {
      failures: this.failures.length,
      distinctInputs: this.inputs.size,
      inputs: [...listed.values()],
      customers: this.customers.size,
    };
  }

  reset(): void {
    this.failures.length = 0;
    this.inputs.clear();
    this.customers.clear();
  }
}

function add(counts: Map<string, number>, key: string, delta: number): void {
  const count = (counts.get(key) ?? 0) + delta;
  if (count > 0) counts.set(key, count);
  else counts.delete(key);
}

export interface CircuitBreakerOptions {
  /** How long the circuit stays open before one call may test the upstream, ms. */
  halfOpenAfterMs: number;
  rule: OpeningRule;
  /** The clock, ms: the policy's one clock. */
  now: () => number;
  /** Told of every change of `status()`, and why. Its exceptions are ignored. */
  onChange?: (status: CircuitStatus, change: CircuitChange) => void;
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
        this.change('half-open', { reason: 'the open delay is over: this call tests the upstream' });
        return PROBE;
      }
      await abortable(this.probe!.done, signal);
    }
  }

  /** Whether a call admitted earlier must not go out now: the circuit opened while it waited. */
  isOpen(): boolean {
    return this.status() === 'open';
  }

  /**
   * Records how an admitted call ended. `counted`: the rule already heard of an earlier attempt of
   * the same call, so a failure of this one is not new evidence.
   */
  settle(
    admission: Admission,
    call: PolicyCall,
    outcome: CallOutcome,
    error?: unknown,
    counted = false,
  ): void {
    if (admission.probe) {
      this.settleProbe(call, outcome);
      return;
    }
    // A call let through before the circuit opened says nothing about what to do now.
    if (this.state !== 'closed') return;
    if (outcome === 'succeeded') {
      this.options.rule.succeeded(call);
    } else if (outcome === 'failed' && !counted) {
      const evidence = this.options.rule.failed(call, error);
      if (evidence)
        this.open({
          reason: 'upstream failures across inputs and customers, no answer between them',
          evidence,
        });
    }
  }

  private settleProbe(call: PolicyCall, outcome: CallOutcome): void {
    const probe = this.probe;
    this.probe = null;
    if (outcome === 'succeeded' || outcome === 'refused') {
      this.options.rule.reset();
      this.change('closed', { reason: 'the test call was answered' });
    } else if (outcome === 'failed') {
      this.open({
        reason: 'the test call failed',
        evidence: {
          failures: 1,
          distinctInputs: 1,
          inputs: [{ operation: call.operation, key: call.key }],
          customers: 1,
        },
      });
    } else {
      // No verdict: open as before, its delay still over, so the next call tests the upstream.
      this.state = 'open';
    }
    probe?.end();
  }

  private open(change: CircuitChange): void {
    this.openedAt = this.options.now();
    this.change('open', change);
  }

  private delayOver(): boolean {
    return this.options.now() - this.openedAt >= this.options.halfOpenAfterMs;
  }

  private change(state: CircuitStatus, change: CircuitChange): void {
    this.state = state;
    try {
      this.options.onChange?.(this.status(), change);
    } catch {
      // A log or metrics hook must not break the breaker.
    }
  }
}
