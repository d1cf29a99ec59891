/**
 * The upstream policy with the real client against the real sandbox over HTTP: the sandbox's
 * answers reach the policy classified, and what the policy refuses reaches the caller as the
 * contract's errors. Upstream calls are read from the sandbox's own counters. How long things wait
 * is tested on the fake clock, in policy.test.ts.
 */
import { SANDBOX_TOKENS, startSandbox, type RunningSandbox } from '../../src/sandbox';
import type { CallEvent } from '../../src/woori/api';
import { createCallContext, type RequestCallContext } from '../../src/woori/call-context';
import { WooriClient } from '../../src/woori/client';
import { UpstreamPolicy, type UpstreamPolicyOptions } from '../../src/woori/policy';
import { failureOf } from './failure';
import { DEVICE } from './fixtures';

const TODAY = '2024-06-30';
const DEMO_ACCOUNT = '1002146788200';
const TIMEOUT_MS = 300;

let sandbox: RunningSandbox;
const clients: WooriClient[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ today: TODAY });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.configure({ faults: [], maxRps: 0, quota: 0, latencyMs: 0, jitterMs: 0, stallMs: 5_000 });
  sandbox.reset();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

/** A client with an `UpstreamPolicy`; the policy's options default to quick, test-sized ones. */
function clientWith(options: Partial<UpstreamPolicyOptions> = {}) {
  const events: CallEvent[] = [];
  const policy = new UpstreamPolicy({
    attemptTimeoutMs: TIMEOUT_MS,
    backoffBaseMs: 10,
    backoffMaxMs: 50,
    ...options,
  });
  const client = new WooriClient(
    {
      baseUrl: sandbox.url,
      appKey: sandbox.credentials.appKey,
      secretKey: sandbox.credentials.secretKey,
      timeoutMs: TIMEOUT_MS,
      onCall: (event) => events.push(event),
    },
    { policy },
  );
  clients.push(client);
  return { client, policy, events };
}

function ctxFor(token: string = SANDBOX_TOKENS.demo, signal?: AbortSignal): RequestCallContext {
  return createCallContext({ token, device: DEVICE, signal });
}

const codes = () => sandbox.counters().recent.map((call) => call.code);

describe('retries', () => {
  it('retries what the classification calls retryable, and counts the retries', async () => {
    sandbox.configure({ faults: [{ code: 'SYSCD09999', rate: 0.5 }] });
    const { client, events } = clientWith({
      maxAttempts: 10,
      retryBudgetMinPerSecond: 100,
      holdBackAfterFailures: 0,
    });
    const ctx = ctxFor();
    for (let i = 0; i < 10; i++) await expect(client.listAccounts(ctx)).resolves.toHaveLength(2);
    expect(ctx.stats.calls).toBe(sandbox.counters().calls.total);
    expect(ctx.stats.retries).toBe(ctx.stats.calls - 10);
    expect(ctx.stats.retries).toBeGreaterThan(0);
    expect(events.filter((event) => event.attempt > 1)).toHaveLength(ctx.stats.retries);
  });

  it('makes at most maxAttempts attempts and reports the last failure', async () => {
    sandbox.configure({ faults: [{ code: 'SYSCD01999', rate: 1 }] });
    const { client, events } = clientWith({ maxAttempts: 3 });
    const error = await failureOf(client.listAccounts(ctxFor()));
    expect(error).toMatchObject({ kind: 'UPSTREAM_ERROR', upstreamCode: 'SYSCD01999' });
    expect(codes()).toEqual(['SYSCD01999', 'SYSCD01999', 'SYSCD01999']);
    expect(events.map((event) => event.attempt)).toEqual([1, 2, 3]);
  });

  it.each([
    ['a bad token (UNAUTHENTICATED)', () => ({ token: 'sandbox-token-nobody' }), 'SYSCD03001'],
    ['bad input (BAD_INPUT)', () => ({ account: '9999999999' }), 'SYSCD01006'],
    ['a used-up quota (QUOTA_EXCEEDED)', () => (sandbox.configure({ quota: 1 }), {}), 'SYSCD03102'],
  ])('does not retry %s', async (_what, setUp, code) => {
    const { token, account } = { token: SANDBOX_TOKENS.demo, account: DEMO_ACCOUNT, ...setUp() };
    const { client } = clientWith({ maxAttempts: 5 });
    if (code === 'SYSCD03102') await client.listAccounts(ctxFor());
    const error = await failureOf(client.getAccountBasics(ctxFor(token), account, '2019-01-01'));
    expect(error.upstreamCode).toBe(code);
    expect(codes().filter((c) => c !== 'OK')).toEqual([code]);
  });
});

describe('what the policy refuses', () => {
  it('answers UNAVAILABLE, without an upstream call, while the circuit is open', async () => {
    sandbox.configure({ faults: [{ code: 'SYSCD09999', rate: 1 }] });
    const { client, policy } = clientWith({
      maxAttempts: 1,
      breakerThreshold: 3,
      breakerMinInputs: 1,
      breakerMinCustomers: 1,
      holdBackAfterFailures: 0,
    });
    for (let i = 0; i < 3; i++) await failureOf(client.listAccounts(ctxFor()));
    expect(policy.circuitStatus()).toBe('open');
    sandbox.reset();
    const error = await failureOf(client.listAccounts(ctxFor()));
    expect(error).toMatchObject({ kind: 'UNAVAILABLE', retryable: false });
    expect(error.upstreamCode).toBeUndefined();
    expect(sandbox.counters().calls.total).toBe(0);
  });

  it('does not open the circuit on bad tokens or bad input', async () => {
    const { client, policy } = clientWith({
      maxAttempts: 1,
      breakerThreshold: 1,
      breakerMinInputs: 1,
      breakerMinCustomers: 1,
    });
    for (let i = 0; i < 5; i++) {
      await failureOf(client.listAccounts(ctxFor('sandbox-token-nobody')));
      await failureOf(client.getAccountBasics(ctxFor(), '9999999999', '2019-01-01'));
    }
    expect(sandbox.counters().calls.byCode).toEqual({ SYSCD03001: 5, SYSCD01006: 5 });
    expect(policy.circuitStatus()).toBe('closed');
  });

  it('answers UNAVAILABLE when the queue for a slot is full, without an upstream call', async () => {
    sandbox.configure({ latencyMs: 200 });
    const { client } = clientWith({ maxConcurrency: 1, maxQueue: 1 });
    const running = [client.listAccounts(ctxFor()), client.listAccounts(ctxFor())];
    const error = await failureOf(client.listAccounts(ctxFor()));
    expect(error).toMatchObject({ kind: 'UNAVAILABLE', retryable: false });
    await Promise.all(running);
    expect(sandbox.counters().calls.total).toBe(2);
  });

  it('answers TIMEOUT, not retryable, when the caller gives up a call waiting in the rate limiter', async () => {
    const { client } = clientWith({ maxRps: 1 });
    await client.listAccounts(ctxFor());
    const controller = new AbortController();
    const waiting = failureOf(client.listAccounts(ctxFor(SANDBOX_TOKENS.demo, controller.signal)));
    controller.abort();
    expect(await waiting).toMatchObject({ kind: 'TIMEOUT', retryable: false });
    expect(sandbox.counters().calls.total).toBe(1);
  });
});
