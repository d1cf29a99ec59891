/**
 * What the client takes as data (issue 14, "Upstream answers"): only a 200 with JSON, of at most
 * `maxBodyBytes`, enforced while reading. Against the real sandbox's body faults over HTTP, with the
 * real upstream policy (retries on), so that "not retried" is read from the sandbox's own counters.
 */
import { SANDBOX_TOKENS, startSandbox, type RunningSandbox } from '../../src/sandbox';
import type { CallEvent } from '../../src/woori/api';
import { createCallContext } from '../../src/woori/call-context';
import { errorFromAnswer, isJsonAnswer } from '../../src/woori/classify';
import { CLIENT_DEFAULTS, WooriClient, type WooriClientOptions } from '../../src/woori/client';
import { UpstreamPolicy } from '../../src/woori/policy';
import { failureOf } from './failure';
import { DEVICE } from './fixtures';

const TODAY = '2024-06-30';
const DEMO_ACCOUNT = '1002146788200';
const MIB = 1024 * 1024;

let sandbox: RunningSandbox;
let heavyAccount: string;
const clients: WooriClient[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ today: TODAY });
  [heavyAccount] = sandbox.customers.find((customer) => customer.name === 'heavy')!.accountNumbers;
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.configure({ faults: [], wireFormat: 'document' });
  sandbox.reset();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

/** A client behind an `UpstreamPolicy` that retries what is retryable, three attempts in all. */
function clientWith(options: Partial<WooriClientOptions> = {}) {
  const events: CallEvent[] = [];
  const timeoutMs = options.timeoutMs ?? 10_000;
  const policy = new UpstreamPolicy({
    attemptTimeoutMs: timeoutMs,
    maxAttempts: 3,
    backoffBaseMs: 5,
    backoffMaxMs: 10,
    retryBudgetMinPerSecond: 100,
  });
  const client = new WooriClient(
    {
      baseUrl: sandbox.url,
      appKey: sandbox.credentials.appKey,
      secretKey: sandbox.credentials.secretKey,
      onCall: (event) => events.push(event),
      ...options,
      timeoutMs,
    },
    { policy },
  );
  clients.push(client);
  return { client, events };
}

const ctxFor = (token: string = SANDBOX_TOKENS.demo) => createCallContext({ token, device: DEVICE });

/**
 * Runs `action` while sampling the process's memory every few milliseconds; returns the action's
 * result and the largest growth of RSS and of `arrayBuffers` (Buffers) over the values before it.
 */
async function withMemoryPeak<T>(
  action: () => Promise<T>,
): Promise<{ result: T; rss: number; buffers: number }> {
  global.gc?.();
  const before = process.memoryUsage();
  let rss = 0;
  let buffers = 0;
  const sample = () => {
    const now = process.memoryUsage();
    rss = Math.max(rss, now.rss - before.rss);
    buffers = Math.max(buffers, now.arrayBuffers - before.arrayBuffers);
  };
  const timer = setInterval(sample, 2);
  try {
    const result = await action();
    sample();
    return { result, rss, buffers };
  } finally {
    clearInterval(timer);
  }
}

describe('the body limit', () => {
  it('is 64 MiB by default', () => {
    expect(CLIENT_DEFAULTS.maxBodyBytes).toBe(64 * MIB);
  });

  it('refuses an answer whose Content-Length is over it, unread and unretried, naming the limit', async () => {
    sandbox.configure({ faults: [{ kind: 'oversized', rate: 1, bytes: 3 * MIB }] });
    const { client, events } = clientWith({ maxBodyBytes: 2 * MIB });
    const error = await failureOf(client.listAccounts(ctxFor()));
    expect(error).toMatchObject({ kind: 'UPSTREAM_ERROR', retryable: false, httpStatus: 200 });
    expect(error.message).toBe(
      `Woori API sent an answer over the body limit of ${2 * MIB} bytes (it declared ${3 * MIB}); maxBodyBytes sets it`,
    );
    expect(sandbox.counters().calls.byCode).toEqual({ OVERSIZED: 1 });
    expect(events).toEqual([
      expect.objectContaining({
        outcome: 'UPSTREAM_ERROR',
        attempt: 1,
        message: error.message,
        httpStatus: 200,
      }),
    ]);
  });

  it('reads the same answer when the limit leaves room for it: only the size refused it', async () => {
    sandbox.configure({ faults: [{ kind: 'oversized', rate: 1, bytes: 3 * MIB }] });
    const { client } = clientWith({ maxBodyBytes: 4 * MIB });
    await expect(client.listAccounts(ctxFor())).resolves.toHaveLength(2);
  });

  it('refuses the 80 MiB oversized answer at the default limit, and the next call is served', async () => {
    sandbox.configure({ faults: [{ kind: 'oversized', rate: 1 }] });
    const { client } = clientWith();
    const { result: error, rss } = await withMemoryPeak(() => failureOf(client.listAccounts(ctxFor())));
    expect(error.message).toContain(`body limit of ${64 * MIB} bytes (it declared ${80 * MIB})`);
    // Refused from its Content-Length: nothing near the 80 MiB was read.
    expect(rss).toBeLessThan(48 * MIB);
    sandbox.configure({ faults: [] });
    await expect(client.listAccounts(ctxFor())).resolves.toHaveLength(2);
  });

  it.each([
    ['an explicit limit', 16 * MIB],
    ['the default limit', CLIENT_DEFAULTS.maxBodyBytes],
  ])(
    'aborts an endless body at %s: memory bounded by the limit, once, not retried',
    async (_name, limit) => {
      const { client, events } = clientWith({ maxBodyBytes: limit, timeoutMs: 60_000 });
      // The sandbox (in this process) renders an account's ledger once, on its first call: not
      // the client's memory.
      await client.listTransactions(ctxFor(SANDBOX_TOKENS.heavy), heavyAccount, '2024-06-01', '2024-06-30');
      sandbox.reset();
      events.length = 0;
      sandbox.configure({ faults: [{ kind: 'endless', rate: 1, operations: ['listTransactions'] }] });
      const {
        result: error,
        rss,
        buffers,
      } = await withMemoryPeak(() =>
        failureOf(
          client.listTransactions(ctxFor(SANDBOX_TOKENS.heavy), heavyAccount, '2024-06-01', '2024-06-30'),
        ),
      );
      expect(error).toMatchObject({ kind: 'UPSTREAM_ERROR', retryable: false, httpStatus: 200 });
      expect(error.message).toBe(
        `Woori API sent an answer over the body limit of ${limit} bytes; maxBodyBytes sets it`,
      );
      expect(sandbox.counters().calls.byCode).toEqual({ ENDLESS: 1 });
      expect(events).toHaveLength(1);
      // Generous bounds (a shared machine, a collector that runs when it likes): what the limit
      // allows, a few times over, and nowhere near what an unbounded read would hold.
      expect(buffers).toBeLessThan(2 * limit + 16 * MIB);
      expect(rss).toBeLessThan(6 * limit + 64 * MIB);
    },
    60_000,
  );
});

describe('status and content type', () => {
  it('does not take an HTML page with status 200 as data', async () => {
    sandbox.configure({ faults: [{ kind: 'html200', rate: 1 }] });
    const { client } = clientWith();
    const error = await failureOf(client.listAccounts(ctxFor()));
    expect(error).toMatchObject({ kind: 'UPSTREAM_ERROR', retryable: false, httpStatus: 200 });
    expect(error.message).toBe('Woori API answered with content type text/html, not JSON (HTTP 200)');
    expect(sandbox.counters().calls.byCode).toEqual({ HTML200: 1 });
  });

  it('does not take a 299 as data, though its body is the answer', async () => {
    sandbox.configure({ faults: [{ kind: 'status299', rate: 1 }] });
    const { client } = clientWith();
    const error = await failureOf(client.listAccounts(ctxFor()));
    expect(error).toMatchObject({ kind: 'UPSTREAM_ERROR', retryable: false, httpStatus: 299 });
    expect(error.message).toBe('Woori API answered HTTP 299, which is not an answer it sends');
    expect(sandbox.counters().calls.byCode).toEqual({ STATUS299: 1 });
  });

  it('still reads the code of an error answer, whatever its type', async () => {
    const { client } = clientWith();
    const error = await failureOf(client.getAccountBasics(ctxFor(), '9999999999999', '2024-06-30'));
    expect(error).toMatchObject({ kind: 'BAD_INPUT', upstreamCode: 'SYSCD01006', httpStatus: 400 });
    await expect(client.getAccountBasics(ctxFor(), DEMO_ACCOUNT, '2024-06-30')).resolves.toMatchObject({
      number: DEMO_ACCOUNT,
    });
  });

  it("quotes a content type only when it is a plain type, never the upstream's free text", () => {
    const answer = (type: string) => ({ status: 200, headers: { 'content-type': type }, body: {} });
    expect(errorFromAnswer('listAccounts', answer('text/plain; charset=x'))?.message).toBe(
      'Woori API answered with content type text/plain, not JSON (HTTP 200)',
    );
    expect(errorFromAnswer('listAccounts', answer('text/<b>customer 010-1234-5678</b>'))?.message).toBe(
      'Woori API answered with content type another type, not JSON (HTTP 200)',
    );
  });

  it.each([
    ['application/json; charset=utf-8', true],
    ['Application/JSON', true],
    ['application/problem+json', true],
    [undefined, true],
    ['text/html; charset=utf-8', false],
    ['text/plain', false],
    ['application/jsonp', false],
    ['application/octet-stream', false],
  ])('reads content type %s as JSON: %s', (type, json) => {
    expect(isJsonAnswer(type === undefined ? {} : { 'content-type': type })).toBe(json);
  });
});
