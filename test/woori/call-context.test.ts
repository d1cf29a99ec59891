import { createCallContext, customerKeyOf } from '../../src/woori/call-context';
import { InFlightCalls } from '../../src/woori/in-flight';
import { DEVICE } from './fixtures';

/** A promise and the functions that settle it. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('InFlightCalls', () => {
  it('settles once every call has ended, failed ones included', async () => {
    const calls = new InFlightCalls();
    const [a, b] = [deferred(), deferred()];
    calls.add(a.promise);
    calls.add(b.promise);
    b.promise.catch(() => undefined);
    let settled = false;
    const waiting = calls.settled().then(() => (settled = true));
    a.resolve();
    await a.promise;
    expect(settled).toBe(false);
    expect(calls.size).toBe(1);
    b.reject(new Error('upstream failed'));
    await waiting;
    expect(calls.size).toBe(0);
  });

  it('also waits for calls started while it waits', async () => {
    const calls = new InFlightCalls();
    const [first, second] = [deferred(), deferred()];
    calls.add(first.promise);
    let settled = false;
    const waiting = calls.settled().then(() => (settled = true));
    calls.add(second.promise);
    first.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    second.resolve();
    await waiting;
    expect(settled).toBe(true);
  });
});

describe('createCallContext', () => {
  it("makes a request's context with its counters at zero and its own cap", () => {
    const signal = new AbortController().signal;
    const ctx = createCallContext({ token: 't', device: DEVICE, signal, deadline: 1000, maxInFlight: 4 });
    expect(ctx).toMatchObject({ token: 't', device: DEVICE, signal, deadline: 1000 });
    expect(ctx.stats).toEqual({ calls: 0, retries: 0, durationMs: 0 });
    expect(ctx.inFlight.size).toBe(0);
    expect(ctx.concurrency?.capacity).toBe(4);
    expect(createCallContext({ token: null, device: DEVICE }).concurrency).toBeUndefined();
  });
});

describe('customerKeyOf', () => {
  const SECRET = 'a-secret-of-this-process-0123456789';

  it('is the same for the same token and secret, and differs with either', () => {
    const key = customerKeyOf('sandbox-token-demo', SECRET);
    expect(customerKeyOf('sandbox-token-demo', SECRET)).toBe(key);
    expect(customerKeyOf('sandbox-token-ten', SECRET)).not.toBe(key);
    expect(customerKeyOf('sandbox-token-demo', `${SECRET}!`)).not.toBe(key);
  });

  it('is an HMAC-SHA256 in base64url, which does not contain the token', () => {
    const key = customerKeyOf('sandbox-token-demo', SECRET);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain('demo');
  });
});
