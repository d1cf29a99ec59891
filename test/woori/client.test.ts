/**
 * The client against the real sandbox over real HTTP: decoding, every failure path, connection
 * reuse, timeouts, and what the client reports about each attempt.
 */
import { createServer } from 'node:net';
import { ConstantBackoff, handleWhen, retry } from 'cockatiel';
import { SANDBOX_TOKENS, startSandbox, type RunningSandbox } from '../../src/sandbox';
import type { CallContext, CallEvent, CallStats } from '../../src/woori/api';
import { WooriClient, type WooriClientOptions } from '../../src/woori/client';
import type { TransactionRecord } from '../../src/woori/domain';
import { WooriError, type WooriErrorKind } from '../../src/woori/errors';
import { failureOf } from './failure';
import { DEVICE, REFERENCE_ACCOUNTS, REFERENCE_BASICS, REFERENCE_TRANSACTIONS } from './fixtures';
import { expectNoSecretsIn } from './no-secrets';

const TODAY = '2024-06-30';
const DEMO_ACCOUNT = '1002146788200';
const USD_ACCOUNT = '1081301002227';
const HUGE_ACCOUNT_BALANCE = '123456789012345678';

let sandbox: RunningSandbox;
const clients: WooriClient[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ today: TODAY });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(() => {
  sandbox.configure({ wireFormat: 'document', faults: [], maxRps: 0, quota: 0, latencyMs: 0, jitterMs: 0 });
  sandbox.reset();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

function clientWith(
  options: Partial<WooriClientOptions> = {},
  deps?: ConstructorParameters<typeof WooriClient>[1],
) {
  const client = new WooriClient(
    {
      baseUrl: sandbox.url,
      appKey: sandbox.credentials.appKey,
      secretKey: sandbox.credentials.secretKey,
      ...options,
    },
    deps,
  );
  clients.push(client);
  return client;
}

function ctxFor(token: string = SANDBOX_TOKENS.demo, extra: Partial<CallContext> = {}): CallContext {
  return { token, device: DEVICE, ...extra };
}

/** Walks back from today in spans the sandbox accepts until `found` matches a transaction. */
async function findTransaction(
  client: WooriClient,
  ctx: CallContext,
  account: string,
  found: (t: TransactionRecord) => boolean,
): Promise<TransactionRecord | undefined> {
  let end = new Date(`${TODAY}T00:00:00Z`);
  for (let span = 0; span < 12; span++) {
    const start = new Date(end.getTime() - 365 * 86_400_000);
    const iso = (d: Date) => d.toISOString().slice(0, 10);
    const hit = (await client.listTransactions(ctx, account, iso(start), iso(end))).find(found);
    if (hit) return hit;
    end = new Date(start.getTime() - 86_400_000);
  }
  return undefined;
}

describe('decoding answers of the sandbox', () => {
  it('decodes the reference accounts', async () => {
    const accounts = await clientWith().listAccounts(ctxFor());
    // The sandbox's last transaction days come from its ledger, not the document.
    expect(accounts).toEqual(
      REFERENCE_ACCOUNTS.map((account) => ({
        ...account,
        kindCode: expect.any(String),
        lastTransactionOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      })),
    );
  });

  it("decodes the reference basics, as of today (the document's balance is the sandbox's now)", async () => {
    expect(await clientWith().getAccountBasics(ctxFor(), DEMO_ACCOUNT, TODAY)).toEqual({
      ...REFERENCE_BASICS,
      asOf: TODAY,
    });
  });

  it('decodes the two January 2019 reference transactions exactly', async () => {
    const transactions = await clientWith().listTransactions(
      ctxFor(),
      DEMO_ACCOUNT,
      '2019-01-01',
      '2019-06-13',
    );
    expect(transactions).toEqual(REFERENCE_TRANSACTIONS);
  });

  it.each(['document', 'woori'] as const)(
    'reads USD, gold and an 18-digit balance and amount exactly (%s wire format)',
    async (wireFormat) => {
      sandbox.configure({ wireFormat });
      const client = clientWith();
      const ctx = ctxFor(SANDBOX_TOKENS.many);
      const accounts = await client.listAccounts(ctx);
      expect(accounts).toHaveLength(50);

      expect(await client.getAccountBasics(ctx, USD_ACCOUNT, TODAY)).toMatchObject({
        currency: 'USD',
        currentBalance: '100',
      });

      const gold = accounts.find((account) => account.currency === 'XAU');
      expect(gold).toBeDefined();
      const twoGrams = await findTransaction(client, ctx, gold!.number, (t) => t.deposit === '2');
      expect(twoGrams).toMatchObject({ currency: 'XAU', deposit: '2' });

      const huge = accounts.find((account) => account.balance === HUGE_ACCOUNT_BALANCE);
      expect(huge).toBeDefined();
      const hugeAmount = await findTransaction(client, ctx, huge!.number, (t) =>
        [t.deposit, t.withdrawal].some((amount) => amount.replace('.', '').length >= 18),
      );
      expect(hugeAmount).toBeDefined();
      expect(hugeAmount!.balanceAfter.replace(/\D/g, '').length).toBeGreaterThanOrEqual(16);
    },
  );
});

describe('variants of the protocol', () => {
  const variants = (['GET', 'POST'] as const).flatMap((method) =>
    (['bearer', 'token'] as const).flatMap((tokenHeader) =>
      (['document', 'woori'] as const).map((wireFormat) => ({ method, tokenHeader, wireFormat })),
    ),
  );

  async function everything(client: WooriClient) {
    const ctx = ctxFor(SANDBOX_TOKENS.many);
    const accounts = await client.listAccounts(ctx);
    const basics = await Promise.all(
      accounts.map((account) => client.getAccountBasics(ctx, account.number, TODAY)),
    );
    const transactions = await Promise.all(
      accounts
        .slice(0, 5)
        .map((account) => client.listTransactions(ctx, account.number, '2024-01-01', TODAY)),
    );
    const reference = await client.listTransactions(ctxFor(), DEMO_ACCOUNT, '2019-01-01', '2019-06-13');
    return { accounts, basics, transactions, reference };
  }

  it('gives identical decoded objects for both methods, both token headers and both wire formats', async () => {
    const baseline = await everything(clientWith());
    expect(baseline.transactions.flat().length).toBeGreaterThan(0);
    for (const { method, tokenHeader, wireFormat } of variants) {
      sandbox.configure({ wireFormat });
      sandbox.reset();
      const result = await everything(clientWith({ method, tokenHeader }));
      expect({ method, tokenHeader, wireFormat, result }).toEqual({
        method,
        tokenHeader,
        wireFormat,
        result: baseline,
      });
      const methods = new Set(sandbox.counters().recent.map((call) => call.method));
      expect([...methods]).toEqual([method]);
    }
  });
});

describe('failures reach the caller as typed errors', () => {
  interface Scenario {
    name: string;
    kind: WooriErrorKind;
    code?: string;
    status?: number;
    retryable: boolean;
    run: () => Promise<unknown>;
  }
  const tooLong = { ...DEVICE, model: 'M'.repeat(21) };
  const { phone: _phone, ...withoutPhone } = DEVICE;
  const transactions = (client: WooriClient, from: string, to: string, account = DEMO_ACCOUNT) =>
    client.listTransactions(ctxFor(), account, from, to);

  const scenarios: Scenario[] = [
    {
      name: 'an unknown app key',
      kind: 'MISCONFIGURED',
      code: 'SYSCD03003',
      status: 401,
      retryable: false,
      run: () => clientWith({ appKey: 'not-the-app-key' }).listAccounts(ctxFor()),
    },
    {
      name: 'a missing app key',
      kind: 'MISCONFIGURED',
      code: 'SYSCD03003',
      status: 401,
      retryable: false,
      run: () => clientWith({ appKey: '' }).listAccounts(ctxFor()),
    },
    {
      name: 'an unknown secret',
      kind: 'MISCONFIGURED',
      code: 'SYSCD03003',
      status: 401,
      retryable: false,
      run: () => clientWith({ secretKey: 'not-the-secret' }).listAccounts(ctxFor()),
    },
    {
      name: 'a missing secret',
      kind: 'MISCONFIGURED',
      code: 'SYSCD03003',
      status: 401,
      retryable: false,
      run: () => clientWith({ secretKey: '' }).listAccounts(ctxFor()),
    },
    {
      name: 'an unknown token',
      kind: 'UNAUTHENTICATED',
      code: 'SYSCD03001',
      status: 401,
      retryable: false,
      run: () => clientWith().listAccounts(ctxFor('sandbox-token-nobody')),
    },
    {
      name: 'a missing token',
      kind: 'UNAUTHENTICATED',
      code: 'SYSCD03001',
      status: 401,
      retryable: false,
      run: () => clientWith().listAccounts(ctxFor('')),
    },
    {
      name: 'an unknown token in the token header',
      kind: 'UNAUTHENTICATED',
      code: 'SYSCD03001',
      status: 401,
      retryable: false,
      run: () => clientWith({ tokenHeader: 'token' }).listAccounts(ctxFor('sandbox-token-nobody')),
    },
    {
      name: 'a device field too long',
      kind: 'BAD_INPUT',
      code: 'SYSCD01008',
      status: 400,
      retryable: false,
      run: () => clientWith().listAccounts({ token: SANDBOX_TOKENS.demo, device: tooLong }),
    },
    {
      name: 'a device field missing',
      kind: 'MISCONFIGURED',
      code: 'SYSCD02001',
      status: 400,
      retryable: false,
      run: () =>
        clientWith().listAccounts({ token: SANDBOX_TOKENS.demo, device: withoutPhone as typeof DEVICE }),
    },
    {
      name: 'an account number with the wrong number of digits',
      kind: 'BAD_INPUT',
      code: 'SYSCD01008',
      status: 400,
      retryable: false,
      run: () => transactions(clientWith(), '2019-01-01', '2019-06-13', '12345'),
    },
    {
      name: 'an invalid date',
      kind: 'BAD_INPUT',
      code: 'SYSCD01006',
      status: 400,
      retryable: false,
      run: () => transactions(clientWith(), '2019-02-30', '2019-06-13'),
    },
    {
      name: 'a start after the end',
      kind: 'BAD_INPUT',
      code: 'SYSCD01006',
      status: 400,
      retryable: false,
      run: () => transactions(clientWith(), '2019-06-13', '2019-01-01'),
    },
    {
      name: 'a span too long',
      kind: 'BAD_INPUT',
      code: 'SYSCD01006',
      status: 400,
      retryable: false,
      run: () => transactions(clientWith(), '2022-01-01', '2024-01-01'),
    },
    {
      name: 'an SQL injection',
      kind: 'BAD_INPUT',
      code: 'SYSCD02103',
      status: 400,
      retryable: false,
      run: () => transactions(clientWith(), '2019-01-01', '2019-06-13', "1002146788200' OR '1'='1"),
    },
    {
      name: 'a code injection',
      kind: 'BAD_INPUT',
      code: 'SYSCD02102',
      status: 400,
      retryable: false,
      run: () =>
        clientWith().listAccounts({ token: SANDBOX_TOKENS.demo, device: { ...DEVICE, model: '<script>' } }),
    },
    {
      name: 'an unknown path',
      kind: 'MISCONFIGURED',
      code: 'SYSCD02901',
      status: 404,
      retryable: false,
      run: () => clientWith({ accountListPath: 'getNoSuchService' }).listAccounts(ctxFor()),
    },
    {
      name: 'an injected gateway error',
      kind: 'UPSTREAM_ERROR',
      code: 'SYSCD09999',
      status: 500,
      retryable: true,
      run: () => {
        sandbox.configure({ faults: [{ code: 'SYSCD09999', rate: 1 }] });
        return clientWith().listAccounts(ctxFor());
      },
    },
    {
      name: 'an injected upstream timeout',
      kind: 'TIMEOUT',
      code: 'SYSCD01003',
      status: 504,
      retryable: true,
      run: () => {
        sandbox.configure({ faults: [{ code: 'SYSCD01003', rate: 1 }] });
        return clientWith().listAccounts(ctxFor());
      },
    },
    {
      name: 'the quota used up',
      kind: 'QUOTA_EXCEEDED',
      code: 'SYSCD03102',
      status: 429,
      retryable: false,
      run: async () => {
        sandbox.configure({ quota: 1 });
        const client = clientWith();
        await client.listAccounts(ctxFor());
        return client.listAccounts(ctxFor());
      },
    },
    {
      name: 'an HTML error page',
      kind: 'UNAVAILABLE',
      status: 502,
      retryable: true,
      run: () => {
        sandbox.configure({ faults: [{ kind: 'html', rate: 1 }] });
        return clientWith().listAccounts(ctxFor());
      },
    },
    {
      name: 'a truncated JSON body',
      kind: 'UPSTREAM_ERROR',
      status: 200,
      retryable: false,
      run: () => {
        sandbox.configure({ faults: [{ kind: 'malformed', rate: 1 }] });
        return clientWith().listAccounts(ctxFor());
      },
    },
    {
      name: 'a connection reset',
      kind: 'UNAVAILABLE',
      retryable: true,
      run: () => {
        sandbox.configure({ faults: [{ kind: 'reset', rate: 1 }] });
        return clientWith().listAccounts(ctxFor());
      },
    },
  ];

  /** What no error may carry, message, stack, fields and causes included. */
  const secrets = () => [
    sandbox.credentials.appKey,
    sandbox.credentials.secretKey,
    ...Object.values(SANDBOX_TOKENS),
    DEVICE.phone,
    'not-the-app-key',
    'not-the-secret',
    'sandbox-token-nobody',
  ];

  it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))(
    'reports %s, carrying no secret',
    async (_name, scenario) => {
      const error = await failureOf(scenario.run());
      expectNoSecretsIn(error, secrets());
      expect(error).toMatchObject({ kind: scenario.kind, retryable: scenario.retryable });
      expect(error.upstreamCode).toBe(scenario.code);
      expect(error.httpStatus).toBe(scenario.status);
      if (scenario.code) {
        expect(error.traceId).toMatch(/^\d{8}SBXWB\d{19}$/);
        expect(error.message).toContain(`(${scenario.code})`);
      }
    },
  );

  it('reports the per-second limit as RATE_LIMITED, retryable, with the wait asked for', async () => {
    sandbox.configure({ maxRps: 1 });
    const client = clientWith();
    await client.listAccounts(ctxFor());
    const error = await failureOf(client.listAccounts(ctxFor()));
    expectNoSecretsIn(error, secrets());
    expect(error).toMatchObject({
      kind: 'RATE_LIMITED',
      upstreamCode: 'SYSCD03101',
      httpStatus: 429,
      retryable: true,
      retryAfterMs: 1000,
    });
    expect(error.traceId).toBeDefined();
  });

  it('reports a refused connection as UNAVAILABLE, retryable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const error = await failureOf(clientWith({ baseUrl: `http://127.0.0.1:${port}` }).listAccounts(ctxFor()));
    expectNoSecretsIn(error, secrets());
    expect(error).toMatchObject({
      kind: 'UNAVAILABLE',
      retryable: true,
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });
});

describe('connections', () => {
  it('reuses one keep-alive connection for 200 sequential GET calls with a body', async () => {
    const client = clientWith({ method: 'GET' });
    for (let i = 0; i < 200; i++) await client.getAccountBasics(ctxFor(), DEMO_ACCOUNT, '2019-01-01');
    const counters = sandbox.counters();
    expect(counters.calls.total).toBe(200);
    expect(counters.recent.every((call) => call.method === 'GET' && call.code === 'OK')).toBe(true);
    expect(counters.connections.opened).toBe(1);
  });

  it('reuses one connection for 200 sequential POST calls too', async () => {
    const client = clientWith({ method: 'POST' });
    for (let i = 0; i < 200; i++) await client.listAccounts(ctxFor());
    expect(sandbox.counters().connections.opened).toBe(1);
  });

  it('opens no more connections than the pool holds for a burst of 200 concurrent calls', async () => {
    sandbox.configure({ latencyMs: 5 });
    const client = clientWith({ method: 'GET', connections: 8 });
    const results = await Promise.all(
      Array.from({ length: 200 }, () => client.getAccountBasics(ctxFor(), DEMO_ACCOUNT, TODAY)),
    );
    expect(results.every((basics) => basics.currentBalance === REFERENCE_BASICS.currentBalance)).toBe(true);
    const { calls, connections } = sandbox.counters();
    expect(calls.total).toBe(200);
    expect(connections.opened).toBeLessThanOrEqual(8);

    await Promise.all(Array.from({ length: 200 }, () => client.listAccounts(ctxFor())));
    expect(sandbox.counters().connections.opened).toBeLessThanOrEqual(8);
  });
});

describe('timeouts and aborts', () => {
  it("aborts a stalled call at the client's timeout", async () => {
    sandbox.configure({ faults: [{ kind: 'stall', rate: 1 }] });
    const started = performance.now();
    const error = await failureOf(clientWith({ timeoutMs: 300 }).listAccounts(ctxFor()));
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({
      kind: 'TIMEOUT',
      retryable: true,
      message: 'Woori API did not answer within 300 ms',
    });
    expect(elapsed).toBeGreaterThanOrEqual(295);
    expect(elapsed).toBeLessThan(800);
  });

  it("stops at the caller's signal, as a TIMEOUT that is not retryable", async () => {
    sandbox.configure({ faults: [{ kind: 'stall', rate: 1 }] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const error = await failureOf(
      clientWith({ timeoutMs: 5000 }).listAccounts(
        ctxFor(SANDBOX_TOKENS.demo, { signal: controller.signal }),
      ),
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error).toMatchObject({
      kind: 'TIMEOUT',
      retryable: false,
      message: 'Call to Woori API was cancelled by the caller',
    });
  });

  it('does not call at all with a signal that is already aborted', async () => {
    const error = await failureOf(
      clientWith().listAccounts(ctxFor(SANDBOX_TOKENS.demo, { signal: AbortSignal.abort() })),
    );
    expect(error).toMatchObject({ kind: 'TIMEOUT', retryable: false });
    expect(sandbox.counters().calls.total).toBe(0);
  });
});

describe('reporting', () => {
  it('counts every attempt in ctx.stats and reports it to onCall', async () => {
    const events: CallEvent[] = [];
    const client = clientWith({ onCall: (event) => events.push(event) });
    const stats: CallStats = { calls: 0, retries: 0, durationMs: 0 };
    const ctx = ctxFor(SANDBOX_TOKENS.demo, { stats });
    await client.listAccounts(ctx);
    await failureOf(client.listTransactions(ctx, DEMO_ACCOUNT, '2019-06-13', '2019-01-01'));

    expect(stats).toEqual({ calls: 2, retries: 0, durationMs: expect.any(Number) });
    expect(stats.durationMs).toBeGreaterThan(0);
    expect(events).toEqual([
      {
        operation: 'listAccounts',
        outcome: 'OK',
        httpStatus: 200,
        traceId: expect.stringMatching(/SBXWB/),
        attempt: 1,
        durationMs: expect.any(Number),
      },
      {
        operation: 'listTransactions',
        outcome: 'SYSCD01006',
        httpStatus: 400,
        traceId: expect.stringMatching(/SBXWB/),
        attempt: 1,
        durationMs: expect.any(Number),
        message: 'Woori API found an input value invalid (SYSCD01006)',
      },
    ]);
  });

  it('reports the kind as the outcome when there is no code', async () => {
    sandbox.configure({ faults: [{ kind: 'reset', rate: 1 }] });
    const events: CallEvent[] = [];
    await failureOf(clientWith({ onCall: (event) => events.push(event) }).listAccounts(ctxFor()));
    expect(events).toMatchObject([{ outcome: 'UNAVAILABLE', attempt: 1 }]);
  });

  it('keeps a call that succeeded when the onCall hook throws', async () => {
    const client = clientWith({
      onCall: () => {
        throw new Error('metrics are down');
      },
    });
    await expect(client.listAccounts(ctxFor())).resolves.toHaveLength(2);
  });
});

describe('policies', () => {
  it('lets a cockatiel retry policy wrap each attempt', async () => {
    sandbox.configure({ faults: [{ code: 'SYSCD09999', rate: 0.5 }] });
    const policy = retry(
      handleWhen((error) => error instanceof WooriError && error.retryable),
      { maxAttempts: 10, backoff: new ConstantBackoff(1) },
    );
    const events: CallEvent[] = [];
    const client = clientWith({ onCall: (event) => events.push(event) }, { policy });
    const stats: CallStats = { calls: 0, retries: 0, durationMs: 0 };
    for (let i = 0; i < 10; i++) {
      await expect(client.listAccounts(ctxFor(SANDBOX_TOKENS.demo, { stats }))).resolves.toHaveLength(2);
    }
    expect(stats.calls).toBe(sandbox.counters().calls.total);
    expect(stats.retries).toBe(stats.calls - 10);
    expect(stats.retries).toBeGreaterThan(0);
    expect(events.filter((event) => event.attempt > 1)).toHaveLength(stats.retries);
  });

  it('does not retry what cannot succeed', async () => {
    const policy = retry(
      handleWhen((error) => error instanceof WooriError && error.retryable),
      { maxAttempts: 10, backoff: new ConstantBackoff(1) },
    );
    const error = await failureOf(clientWith({}, { policy }).listAccounts(ctxFor('sandbox-token-nobody')));
    expect(error.kind).toBe('UNAUTHENTICATED');
    expect(sandbox.counters().calls.total).toBe(1);
  });
});
