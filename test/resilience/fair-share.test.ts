/**
 * Fair shares of the upstream limit over HTTP: while one customer floods the service with dashboards
 * that need several seconds of the upstream's per-second limit, another customer's requests wait
 * for a turn or two, not behind the flood; the wait is in the metrics and the logs. And each
 * customer's ceiling on upstream calls: over it, RATE_LIMITED for that customer only.
 * The figures are printed; the bounds are generous (a shared 2-core machine).
 */
import { captureLogs } from '../helpers/log-capture';
import { sleep, startTestService, type TestService } from './harness';

const FLOODER = 'sandbox-token-ten';
const VICTIM = 'sandbox-token-demo';
const MAX_RPS = 40;
const ONE_CALL = '{ accounts { number } }';

describe('fair scheduling', () => {
  const logs = captureLogs();
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService(
      {
        LOG_LEVEL: 'info',
        WOORI_MAX_RPS: String(MAX_RPS),
        WOORI_QUEUE_WAIT_LOG_MS: '1000',
        SHUTDOWN_GRACE_MS: '500',
      },
      { logDestination: logs.destination },
    );
    for (const token of [FLOODER, VICTIM]) expect((await service.dashboard(token)).errors).toBeUndefined();
  });
  afterAll(() => service.close());

  it("keeps another customer's requests within a turn or two of the limit while one customer floods", async () => {
    const alone = {
      oneCall: (await service.query(ONE_CALL, VICTIM)).wallMs,
      dashboard: (await service.dashboard(VICTIM)).wallMs,
    };
    await sleep(1200);
    // 8 dashboards of 21 calls: 168 calls, over four seconds of the limit.
    const flood = Array.from({ length: 8 }, () => service.dashboard(FLOODER).catch(() => null));
    await sleep(1000);
    const during = { oneCall: [] as number[], dashboard: [] as number[] };
    for (let i = 0; i < 3; i++) {
      const oneCall = await service.query<{ accounts: unknown[] }>(ONE_CALL, VICTIM);
      expect(oneCall.errors).toBeUndefined();
      during.oneCall.push(oneCall.wallMs);
      const dashboard = await service.dashboard(VICTIM);
      expect(dashboard.errors).toBeUndefined();
      during.dashboard.push(dashboard.wallMs);
    }
    const floodResponses = await Promise.all(flood);
    const floodMs = Math.max(...floodResponses.map((response) => response?.wallMs ?? 0));
    const round = (ms: number) => Math.round(ms);
    process.stdout.write(
      `fair share at ${MAX_RPS} calls/s: victim alone: 1 call ${round(alone.oneCall)} ms, dashboard (5 calls) ` +
        `${round(alone.dashboard)} ms; during a flood of 168 calls: 1 call ${during.oneCall.map(round).join(', ')} ms, ` +
        `dashboard ${during.dashboard.map(round).join(', ')} ms; the flood took ${round(floodMs)} ms\n`,
    );
    // First come, first served, the victim would wait for the flood's queue: seconds, not turns.
    expect(Math.max(...during.oneCall)).toBeLessThan(2500);
    expect(Math.max(...during.dashboard)).toBeLessThan(4000);
    expect(floodMs).toBeGreaterThan(3000);
    for (const response of floodResponses) expect(response?.errors).toBeUndefined();

    expect(
      await service.metric('woori_upstream_queue_wait_seconds_count', { outcome: 'started' }),
    ).toBeGreaterThan(168);
    const waited = logs.lines().filter((line) => line.msg === 'upstream call waited long for its turn');
    expect(waited.length).toBeGreaterThan(0);
    expect(waited.length).toBeLessThanOrEqual(8 + 6);
    expect(waited[0]).toMatchObject({
      level: 'warn',
      requestId: expect.any(String),
      queueWait: { outcome: 'started', thresholdMs: 1000, customer: expect.stringMatching(/^.{8}$/) },
    });
    expect(logs.text()).not.toContain(FLOODER);
  });
});

describe("each customer's ceiling", () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ WOORI_CUSTOMER_MAX_CALLS: '6', WOORI_CUSTOMER_WINDOW_MS: '60000' });
  });
  afterAll(() => service.close());

  it('refuses the calls over it with RATE_LIMITED for the customer, and no upstream call; others go on', async () => {
    expect((await service.dashboard(VICTIM)).errors).toBeUndefined();
    await service.resetSandbox();
    const over = await service.dashboard(VICTIM);
    // The account list was the sixth call; the four calls about the accounts (basics, and one range
    // for this month and last) are over the ceiling: six fields.
    expect(over.data?.accounts).toHaveLength(2);
    expect(over.errors).toHaveLength(6);
    for (const error of over.errors ?? []) {
      expect(error.message).toMatch(/share of upstream calls is used up/);
      expect(error.extensions).toEqual({
        code: 'RATE_LIMITED',
        scope: 'customer',
        retryAfterMs: expect.any(Number),
      });
      expect(error.extensions.retryAfterMs).toBeGreaterThan(5000);
      expect(error.extensions.retryAfterMs).toBeLessThanOrEqual(10_000);
    }
    expect(over.upstream.calls).toBe(1);
    expect((await service.counters()).calls.total).toBe(1);
    expect(await service.metric('woori_upstream_customer_ceiling_refusals_total')).toBe(4);

    const other = await service.query<{ accounts: unknown[] }>(ONE_CALL, FLOODER);
    expect(other.errors).toBeUndefined();
  });
});
