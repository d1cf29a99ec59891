/**
 * The caps on upstream calls in flight, seen from the sandbox: each call is held for the sandbox's
 * latency from its arrival, so the calls it held at once are read from their arrival times.
 */
import { inWaves, startTestService, type TestService } from './harness';
import { mostAtOnce } from './observe';

const LATENCY_MS = 80;
const MAX_CONCURRENCY = 6;
const PER_REQUEST = 4;

let service: TestService;

beforeAll(async () => {
  service = await startTestService({
    SANDBOX_LATENCY_MS: String(LATENCY_MS),
    WOORI_MAX_CONCURRENCY: String(MAX_CONCURRENCY),
    WOORI_MAX_CONCURRENCY_PER_REQUEST: String(PER_REQUEST),
  });
  for (const token of ['sandbox-token-demo', 'sandbox-token-ten']) {
    expect((await service.dashboard(token)).errors).toBeUndefined();
  }
});
afterAll(() => service.close());
beforeEach(() => service.resetSandbox());

it(`keeps the calls in flight over all requests within WOORI_MAX_CONCURRENCY (${MAX_CONCURRENCY})`, async () => {
  const responses = await inWaves(12, 12, () => service.dashboard('sandbox-token-demo'));
  expect(responses.every((response) => !response.errors)).toBe(true);
  const { recent } = await service.counters();
  expect(recent).toHaveLength(60);
  const most = mostAtOnce(recent, LATENCY_MS);
  expect(most).toBeLessThanOrEqual(MAX_CONCURRENCY);
  // The cap was reached, so the test could have seen it broken.
  expect(most).toBeGreaterThanOrEqual(MAX_CONCURRENCY - 1);
});

it(`keeps one request's calls in flight within WOORI_MAX_CONCURRENCY_PER_REQUEST (${PER_REQUEST})`, async () => {
  const response = await service.dashboard('sandbox-token-ten');
  expect(response.errors).toBeUndefined();
  const { recent } = await service.counters();
  expect(recent).toHaveLength(21);
  const most = mostAtOnce(recent, LATENCY_MS);
  expect(most).toBeLessThanOrEqual(PER_REQUEST);
  expect(most).toBeGreaterThanOrEqual(PER_REQUEST - 1);
});
