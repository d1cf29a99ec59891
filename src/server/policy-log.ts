/**
 * The log lines of the upstream policy's decisions: the circuit breaker's changes of state with
 * their reason and evidence, inputs held back after failing again and again, requests that waited
 * long in the fair queue. Account numbers are
 * logged as they are, for the logger masks them (`redact.ts`); customers appear only as the first
 * characters of their key, which is an HMAC of the token, never the token.
 */
import type { CallContext } from '../woori/api';
import type { CircuitChange, CircuitStatus, HoldEvent, QueueWait } from '../woori/policy';
import type { Logger } from './logger';
import { requestOfCall } from './request-state';

/** Characters of a customer key shown in logs: enough to tell customers apart in one incident. */
const SHOWN_KEY_LENGTH = 8;

/** A short, stable label of a customer for log lines. */
export function customerLabel(customerKey: string | undefined): string {
  return customerKey ? customerKey.slice(0, SHOWN_KEY_LENGTH) : '(none)';
}

/** `getAccountBasics 1002146788200`, or `listAccounts` for the account list. */
function inputLabel(input: { operation: string; key: string }): string {
  return input.key ? `${input.operation} ${input.key}` : input.operation;
}

/** One line per change of the circuit's state: why, and on what evidence when it opened. */
export function logCircuitChange(logger: Logger, circuit: CircuitStatus, change: CircuitChange): void {
  const evidence = change.evidence && {
    failures: change.evidence.failures,
    distinctInputs: change.evidence.distinctInputs,
    customers: change.evidence.customers,
    inputs: change.evidence.inputs.map(inputLabel),
  };
  logger[circuit === 'closed' ? 'info' : 'warn'](
    { circuit, reason: change.reason, ...(evidence ? { evidence } : {}) },
    'upstream circuit breaker changed state',
  );
}

/** One line when an input starts being held back, under the id of the request whose call did it. */
export function logHeldBack(fallback: Logger, event: HoldEvent, context?: CallContext): void {
  const log = requestOfCall(context)?.log ?? fallback;
  log.warn(
    {
      heldBack: {
        input: inputLabel(event),
        customer: customerLabel(event.customerKey),
        failures: event.failures,
        holdMs: event.holdMs,
        code: event.error.upstreamCode ?? event.error.kind,
      },
    },
    'upstream input held back after failing again and again',
  );
}

/**
 * The fair queue's hook for long waits: one line per request, the first time one of its calls
 * waited at least `thresholdMs` for its turn (0: never), so that a victim of someone else's flood
 * is visible in the logs, not only as latency.
 */
export function longWaitLogger(fallback: Logger, thresholdMs: number): (wait: QueueWait) => void {
  const logged = new WeakSet<CallContext>();
  return (wait) => {
    if (thresholdMs === 0 || wait.waitedMs < thresholdMs || wait.outcome === 'rejected') return;
    const context = wait.call.context;
    if (logged.has(context)) return;
    logged.add(context);
    const log = requestOfCall(context)?.log ?? fallback;
    log.warn(
      {
        queueWait: {
          waitedMs: Math.round(wait.waitedMs),
          outcome: wait.outcome,
          operation: wait.call.operation,
          customer: customerLabel(context.customerKey),
          thresholdMs,
        },
      },
      'upstream call waited long for its turn',
    );
  };
}
