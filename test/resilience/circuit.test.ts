/**
 * The circuit breaker over HTTP: it opens when every upstream call fails, answers at once without
 * calling the upstream while open (UPSTREAM_UNAVAILABLE on the field, /readyz 503), closes once the
 * upstream has recovered and the half-open delay is over, and ignores our callers' mistakes.
 */
import { sleep, startTestService, type TestService } from './harness';

const THRESHOLD = 5;
const HALF_OPEN_MS = 1000;
const TOKEN = 'sandbox-token-demo';

let service: TestService;

beforeAll(async () => {
  service = await startTestService({
    WOORI_TIMEOUT_MS: '300',
    WOORI_BREAKER_THRESHOLD: String(THRESHOLD),
    WOORI_BREAKER_HALF_OPEN_MS: String(HALF_OPEN_MS),
    WOORI_RETRY_BACKOFF_BASE_MS: '10',
    WOORI_RETRY_BACKOFF_MAX_MS: '50',
  });
  expect((await service.dashboard(TOKEN)).errors).toBeUndefined();
});
afterAll(() => service.close());
beforeEach(async () => {
  await service.configureSandbox({ faults: [] });
  await service.resetSandbox();
});

it('opens under sustained failure, fails fast while open, and closes after recovery', async () => {
  await service.configureSandbox({ faults: [{ code: 'SYSCD09999', rate: 1 }] });
  let opened = false;
  for (let i = 0; i < THRESHOLD && !opened; i++) {
    const response = await service.dashboard(TOKEN);
    expect(response.data).toBeNull();
    const [error] = response.errors ?? [];
    opened = error.extensions.code === 'UPSTREAM_UNAVAILABLE' && !error.extensions.upstreamCode;
  }
  const openedAt = performance.now();
  expect(opened).toBe(true);
  expect((await service.counters()).calls.byCode).toEqual({ SYSCD09999: THRESHOLD });
  expect(await service.readyz()).toMatchObject({ status: 503, body: { status: 'unavailable' } });

  await service.resetSandbox();
  // Failing fast: no upstream call, so nothing to wait for.
  for (let i = 0; i < 5; i++) {
    const response = await service.dashboard(TOKEN);
    expect(response.data).toBeNull();
    expect(response.errors).toEqual([
      expect.objectContaining({ path: ['accounts'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } }),
    ]);
    expect(response.upstream).toMatchObject({ calls: 0, retries: 0 });
  }
  // The upstream has recovered, but the circuit stays open until the half-open delay is over.
  await service.configureSandbox({ faults: [] });
  const stillOpen = await service.dashboard(TOKEN);
  expect(performance.now() - openedAt).toBeLessThan(HALF_OPEN_MS);
  expect(stillOpen.errors?.[0].extensions.code).toBe('UPSTREAM_UNAVAILABLE');
  expect((await service.counters()).calls.total).toBe(0);

  await sleep(HALF_OPEN_MS - (performance.now() - openedAt) + 20);
  expect(await service.readyz()).toMatchObject({ status: 200 });
  const recovered = await service.dashboard(TOKEN);
  expect(recovered.errors).toBeUndefined();
  expect(recovered.data?.accounts).toHaveLength(2);
  // /readyz's probe shows up too, as an unknown path: count the API's operations only.
  expect((await service.counters()).calls.byOperation).toMatchObject({
    listAccounts: 1,
    getAccountBasics: 2,
    listTransactions: 2,
  });
});

it('does not open on bad tokens or bad input', async () => {
  for (let i = 0; i < 4 * THRESHOLD; i++) {
    const response = await service.dashboard('sandbox-token-nobody');
    expect(response.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  }
  for (let i = 0; i < 2 * THRESHOLD; i++) {
    const response = await service.query<unknown>(
      '{ account(number: "9999999999") { detail { statusCode } } }',
      TOKEN,
    );
    expect(response.status).toBe(200);
  }
  const { calls } = await service.counters();
  expect(calls.byCode.SYSCD03001).toBe(4 * THRESHOLD);
  expect(calls.byCode.SYSCD01006).toBe(2 * THRESHOLD);

  await service.resetSandbox();
  const response = await service.dashboard(TOKEN);
  expect(response.errors).toBeUndefined();
  expect(response.upstream.calls).toBe(5);
  expect((await service.counters()).calls.byCode).toEqual({ OK: 5 });
});
