/**
 * The circuit breaker over HTTP: it opens when the upstream fails for several customers, answers at
 * once without calling the upstream while open (UPSTREAM_UNAVAILABLE on the field, /readyz 503),
 * closes once the upstream has recovered and the half-open delay is over, ignores our callers'
 * mistakes, and logs why it opened. One broken input never opens it: broken-input.test.ts.
 */
import { captureLogs } from '../helpers/log-capture';
import { sleep, startTestService, type TestService } from './harness';

const HALF_OPEN_MS = 1000;
/** Three customers: an outage fails each one's account list. */
const TOKENS = ['sandbox-token-demo', 'sandbox-token-ten', 'sandbox-token-many'];
const logs = captureLogs();

let service: TestService;

beforeAll(async () => {
  service = await startTestService(
    {
      LOG_LEVEL: 'info',
      WOORI_TIMEOUT_MS: '3000',
      WOORI_BREAKER_THRESHOLD: '3',
      WOORI_BREAKER_HALF_OPEN_MS: String(HALF_OPEN_MS),
      WOORI_RETRY_BACKOFF_BASE_MS: '10',
      WOORI_RETRY_BACKOFF_MAX_MS: '50',
    },
    { logDestination: logs.destination },
  );
  for (const token of TOKENS) expect((await service.dashboard(token)).errors).toBeUndefined();
});
afterAll(() => service.close());
beforeEach(async () => {
  await service.configureSandbox({ faults: [] });
  await service.resetSandbox();
});

it('opens when the upstream fails for several customers, fails fast while open, and closes after recovery', async () => {
  await service.configureSandbox({ faults: [{ code: 'SYSCD09999', rate: 1 }] });
  const seen: string[] = [];
  for (const token of TOKENS) {
    const response = await service.dashboard(token);
    expect(response.data).toBeNull();
    const [error] = response.errors ?? [];
    seen.push(`${error.extensions.code} ${error.extensions.upstreamCode ?? ''}`.trim());
  }
  const openedAt = performance.now();
  // The first two customers' lists failed after their retries; the third's first failure opened it.
  expect(seen).toEqual(['UPSTREAM_ERROR SYSCD09999', 'UPSTREAM_ERROR SYSCD09999', 'UPSTREAM_UNAVAILABLE']);
  expect((await service.counters()).calls.byCode).toEqual({ SYSCD09999: 7 });
  expect(await service.readyz()).toMatchObject({ status: 503, body: { status: 'unavailable' } });
  expect(await service.metric('woori_upstream_circuit_opened_total')).toBe(1);

  const opening = logs.lines().find((line) => line.msg === 'upstream circuit breaker changed state');
  expect(opening).toMatchObject({
    level: 'warn',
    circuit: 'open',
    reason: expect.stringContaining('across inputs and customers'),
    evidence: {
      failures: 3,
      distinctInputs: 3,
      customers: 3,
      inputs: ['listAccounts', 'listAccounts', 'listAccounts'],
    },
  });
  for (const token of TOKENS) expect(logs.text()).not.toContain(token);

  await service.resetSandbox();
  // Failing fast: no upstream call, so nothing to wait for.
  for (const token of TOKENS) {
    const response = await service.dashboard(token);
    expect(response.data).toBeNull();
    expect(response.errors).toEqual([
      expect.objectContaining({ path: ['accounts'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } }),
    ]);
    expect(response.upstream).toMatchObject({ calls: 0, retries: 0 });
  }
  // The upstream has recovered, but the circuit stays open until the half-open delay is over.
  await service.configureSandbox({ faults: [] });
  const stillOpen = await service.dashboard(TOKENS[0]);
  expect(performance.now() - openedAt).toBeLessThan(HALF_OPEN_MS);
  expect(stillOpen.errors?.[0].extensions.code).toBe('UPSTREAM_UNAVAILABLE');
  expect((await service.counters()).calls.total).toBe(0);

  await sleep(HALF_OPEN_MS - (performance.now() - openedAt) + 20);
  expect(await service.readyz()).toMatchObject({ status: 200 });
  // Each list failed one call, fewer than the two in a row that hold an input back.
  const recovered = await service.dashboard(TOKENS[0]);
  expect(recovered.errors).toBeUndefined();
  expect(recovered.data?.accounts).toHaveLength(2);
  // /readyz's probe shows up too, as an unknown path: count the API's operations only.
  expect((await service.counters()).calls.byOperation).toMatchObject({
    listAccounts: 1,
    getAccountBasics: 2,
    listTransactions: 2,
  });
  const changes = logs
    .lines()
    .filter((line) => line.msg === 'upstream circuit breaker changed state')
    .map((line) => line.circuit);
  expect(changes).toEqual(['open', 'half-open', 'closed']);
});

it('does not open on bad tokens or bad input', async () => {
  for (let i = 0; i < 10; i++) {
    const response = await service.dashboard(`sandbox-token-nobody-${i}`);
    expect(response.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  }
  for (const token of TOKENS) {
    for (let i = 0; i < 3; i++) {
      const response = await service.query<unknown>(
        `{ account(number: "99999999${i}${i}") { detail { statusCode } } }`,
        token,
      );
      expect(response.status).toBe(200);
    }
  }
  const { calls } = await service.counters();
  expect(calls.byCode.SYSCD03001).toBe(10);
  expect(calls.byCode.SYSCD01006).toBe(9);

  await service.resetSandbox();
  const response = await service.dashboard(TOKENS[0]);
  expect(response.errors).toBeUndefined();
  expect(response.upstream.calls).toBe(5);
  expect((await service.counters()).calls.byCode).toEqual({ OK: 5 });
});
