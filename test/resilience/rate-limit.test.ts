/**
 * A burst of dashboards that needs four times the upstream's per-second limit: the service queues
 * its calls (WOORI_MAX_RPS), the sandbox never answers SYSCD03101, and every request gets its data.
 * The sandbox runs in a process of its own: the times at which it records calls must not wait for
 * the service's work, as they would in one event loop (a 100 ms margin is all the limiter keeps).
 */
import { SANDBOX_APP_KEY, SANDBOX_SECRET_KEY } from '../../src/sandbox';
import { ensureBuilt } from '../helpers/build';
import { spawnSandbox, type SandboxProcess } from '../helpers/sandbox-process';
import { startTestService, type TestService } from './harness';
import { mostInAnyWindow } from './observe';

const MAX_RPS = 20;
const TOKEN = 'sandbox-token-demo';
/** 16 dashboards of 1 + 2 × 2 calls: 80 calls, four seconds' worth. */
const BURST = 16;

let sandbox: SandboxProcess;
let service: TestService;

beforeAll(async () => {
  await ensureBuilt();
  sandbox = await spawnSandbox();
  service = await startTestService({
    WOORI_BASE_URL: sandbox.url,
    WOORI_APP_KEY: SANDBOX_APP_KEY,
    WOORI_SECRET_KEY: SANDBOX_SECRET_KEY,
    WOORI_MAX_RPS: String(MAX_RPS),
    WOORI_CUSTOMER_MAX_CALLS: '0',
  });
  expect((await service.dashboard(TOKEN)).errors).toBeUndefined();
  await service.configureSandbox({ maxRps: MAX_RPS });
}, 180_000);
afterAll(async () => {
  await service?.close();
  await sandbox?.stop();
});

it('keeps a burst under the per-second limit by queuing: no SYSCD03101, every request answered', async () => {
  await service.resetSandbox();
  const started = performance.now();
  const responses = await Promise.all(Array.from({ length: BURST }, () => service.dashboard(TOKEN)));
  const elapsed = performance.now() - started;

  for (const response of responses) {
    expect(response.errors).toBeUndefined();
    expect(response.data?.accounts).toHaveLength(2);
    expect(response.upstream.retries).toBe(0);
  }
  const { calls, recent } = await service.counters();
  expect(calls.byCode).toEqual({ OK: BURST * 5 });
  expect(mostInAnyWindow(recent, 1000)).toBeLessThanOrEqual(MAX_RPS);
  // 80 calls at 20 a window: the last ones start three windows after the first.
  expect(elapsed).toBeGreaterThanOrEqual(3000);
});
