/**
 * One account that always fails upstream (SYSCD09999, HTTP 500: a data problem of the bank's for
 * that one account) under load, over HTTP: the circuit never opens, other customers never see an
 * error, its own customer gets the rest of the dashboard, and after two failed calls the account is
 * held back: the same typed error at once, with `heldBackMs`, and no upstream call.
 */
import { captureLogs } from '../helpers/log-capture';
import { inWaves, startTestService, type TestService } from './harness';

const DEMO = 'sandbox-token-demo';
const TEN = 'sandbox-token-ten';
/** The demo customer's second account. */
const BROKEN = '1002160010529';
const logs = captureLogs();

let service: TestService;

beforeAll(async () => {
  service = await startTestService(
    { LOG_LEVEL: 'info', WOORI_HOLD_BACK_MS: '60000', WOORI_RETRY_BACKOFF_BASE_MS: '10' },
    { logDestination: logs.destination },
  );
  for (const token of [DEMO, TEN]) expect((await service.dashboard(token)).errors).toBeUndefined();
  await service.configureSandbox({ faults: [{ code: 'SYSCD09999', rate: 1, accounts: [BROKEN] }] });
  await service.resetSandbox();
});
afterAll(() => service.close());

const callsFor = async (account: string) =>
  (await service.counters()).recent.filter((call) => call.accountNumber === account).length;

/** Ten aliases of `detail` on the broken account, each as of another day. */
const ALIASES = `{ account(number: "${BROKEN}") { number ${Array.from(
  { length: 10 },
  (_, i) => `d${i}: detail(asOf: "2024-0${(i % 9) + 1}-1${i % 10}") { statusCode }`,
).join(' ')} } }`;

it('a request with ten aliases of the broken account opens nothing, and costs a bounded number of calls', async () => {
  const response = await service.query<{ account: Record<string, unknown> }>(ALIASES, DEMO);
  expect(response.status).toBe(200);
  expect(response.data?.account.number).toBe(BROKEN);
  expect(response.errors).toHaveLength(10);
  for (const error of response.errors ?? []) {
    expect(error.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', upstreamCode: 'SYSCD09999' });
  }
  // Ten calls of three attempts at most, the retries of the later ones stopped once held back.
  expect(await callsFor(BROKEN)).toBeLessThanOrEqual(30);
  expect(await service.readyz()).toMatchObject({ status: 200 });
  expect((await service.dashboard(TEN)).errors).toBeUndefined();

  // Held back now: the same error at once, with how long until it is tried again; no upstream call.
  const before = (await service.counters()).calls.total;
  const again = await service.query<{ account: Record<string, unknown> }>(ALIASES, DEMO);
  expect(again.errors).toHaveLength(10);
  for (const error of again.errors ?? []) {
    expect(error.extensions).toEqual({
      code: 'UPSTREAM_ERROR',
      upstreamCode: 'SYSCD09999',
      heldBackMs: expect.any(Number),
    });
    expect(error.extensions.heldBackMs).toBeGreaterThan(50_000);
    expect(error.extensions.heldBackMs).toBeLessThanOrEqual(60_000);
  }
  // The account list was asked again (the field needs it); the broken account was not.
  expect((await service.counters()).calls.total - before).toBe(1);
  expect(again.upstream.calls).toBe(1);
});

it('one account failing forever under concurrent dashboards never fails another customer, nor opens the circuit', async () => {
  await service.resetSandbox();
  const waves: Array<{ demo: Awaited<ReturnType<TestService['dashboard']>>[]; ten: unknown[] }> = [];
  const brokenCalls: number[] = [];
  for (let wave = 0; wave < 3; wave++) {
    const before = await callsFor(BROKEN);
    const [demo, ten] = await Promise.all([
      inWaves(16, 16, () => service.dashboard(DEMO)),
      inWaves(8, 4, () => service.dashboard(TEN)),
    ]);
    waves.push({ demo, ten });
    brokenCalls.push((await callsFor(BROKEN)) - before);
    for (const response of ten) expect(response.errors).toBeUndefined();
  }
  for (const { demo } of waves) {
    for (const response of demo) {
      // The rest of the dashboard stands: the other account, the list.
      expect(response.data?.accounts).toHaveLength(2);
      const index = response.data!.accounts.findIndex((account) => account.number === BROKEN);
      expect(response.data!.accounts[1 - index].detail).not.toBeNull();
      for (const error of response.errors ?? []) {
        expect(error.path?.slice(0, 2)).toEqual(['accounts', index]);
        expect(error.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', upstreamCode: 'SYSCD09999' });
      }
    }
  }
  // The first wave pays for the transactions of the broken account (its basics are held back
  // already); then it is held back: no call at all.
  expect(brokenCalls[0]).toBeLessThanOrEqual(16 * 3);
  expect(brokenCalls.slice(1)).toEqual([0, 0]);
  expect(await service.readyz()).toMatchObject({ status: 200 });
  expect(await service.metric('woori_upstream_circuit_opened_total')).toBe(0);
  expect(await service.metric('woori_upstream_inputs_held_back')).toBe(2);
  expect(await service.metric('woori_upstream_held_back_calls_total')).toBeGreaterThanOrEqual(16 * 3);
});

it('logs each input it holds back, the account masked, never the token', () => {
  const held = logs
    .lines()
    .filter((line) => line.msg === 'upstream input held back after failing again and again');
  expect(held.map((line) => (line.heldBack as { input: string }).input).sort()).toEqual([
    'getAccountBasics *********0529',
    'listTransactions *********0529',
  ]);
  expect(held[0]).toMatchObject({
    level: 'warn',
    // Under the id of the request whose call did it (the policy's hook is told the call's context).
    requestId: expect.any(String),
    heldBack: { failures: 2, holdMs: 60_000, code: 'SYSCD09999', customer: expect.stringMatching(/^.{8}$/) },
  });
  expect(logs.text()).not.toContain(BROKEN);
  expect(logs.text()).not.toContain(DEMO);
  expect(logs.lines().some((line) => line.msg === 'upstream circuit breaker changed state')).toBe(false);
});
