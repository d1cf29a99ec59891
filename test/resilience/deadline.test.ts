/**
 * REQUEST_DEADLINE_MS over HTTP: a call queued in the rate limiter gives up at the deadline and
 * never reaches the upstream; a retry is not started when less than one timeout is left.
 */
import { sleep, startTestService, type TestService } from './harness';

const DEADLINE_MS = 1000;
const MARGIN_MS = 250;
const TOKEN = 'sandbox-token-demo';

describe('a call waiting in the rate limiter', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ WOORI_MAX_RPS: '2', REQUEST_DEADLINE_MS: String(DEADLINE_MS) });
    await service.dashboard(TOKEN);
    await sleep(1200);
  });
  afterAll(() => service.close());

  it('gives up at the deadline, and never reaches the upstream', async () => {
    await service.resetSandbox();
    // Five calls at two a window: the list and one more go out, three wait past the deadline.
    const response = await service.dashboard(TOKEN);
    expect(response.wallMs).toBeGreaterThanOrEqual(DEADLINE_MS - 5);
    expect(response.wallMs).toBeLessThan(DEADLINE_MS + MARGIN_MS);
    expect(response.data?.accounts).toHaveLength(2);
    // Three calls did not happen; a transactions call serves both months, hence up to five paths.
    expect(response.errors?.length).toBeGreaterThanOrEqual(3);
    for (const error of response.errors ?? []) {
      expect(error.path).toEqual([
        'accounts',
        expect.any(Number),
        expect.stringMatching(/^(detail|thisMonth|lastMonth)$/),
      ]);
      expect(error.extensions).toEqual({ code: 'UPSTREAM_TIMEOUT' });
    }
    expect(response.upstream.calls).toBe(2);
    await sleep(1500);
    expect((await service.counters()).calls.total).toBe(2);
  });
});

describe('a retry', () => {
  const TIMEOUT_MS = 400;
  /** Time for two attempts of 400 ms with some to spare before the second, not for a third. */
  const RETRY_DEADLINE_MS = 1100;
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({
      WOORI_TIMEOUT_MS: String(TIMEOUT_MS),
      REQUEST_DEADLINE_MS: String(RETRY_DEADLINE_MS),
      WOORI_RETRY_MAX_ATTEMPTS: '5',
      WOORI_RETRY_BACKOFF_BASE_MS: '10',
      WOORI_RETRY_BACKOFF_MAX_MS: '50',
    });
    await service.dashboard(TOKEN);
    await service.configureSandbox({
      faults: [{ kind: 'stall', rate: 1, operations: ['listTransactions'] }],
      stallMs: 5000,
    });
  });
  afterAll(() => service.close());

  it('is not started with less than one timeout left before the deadline', async () => {
    await service.resetSandbox();
    const response = await service.dashboard(TOKEN);
    // Each transactions call: an attempt of 400 ms, a short backoff, a second one, and then less
    // than 400 ms left: no third, which the deadline would have cut short.
    expect(response.wallMs).toBeLessThan(RETRY_DEADLINE_MS + MARGIN_MS);
    const errors = response.errors ?? [];
    expect(errors.map((error) => error.path?.[2]).sort()).toEqual([
      'lastMonth',
      'lastMonth',
      'thisMonth',
      'thisMonth',
    ]);
    expect(errors.every((error) => error.extensions.code === 'UPSTREAM_TIMEOUT')).toBe(true);
    expect(response.data?.accounts.every((account) => account.detail !== null)).toBe(true);
    const { byOperation } = (await service.counters()).calls;
    expect(byOperation.listTransactions).toBe(4);
    expect(response.upstream.retries).toBe(2);
  });
});
