/**
 * Issue 10, 8(d): two service replicas (separate processes, as `npm start` runs them) on one
 * sandbox that allows 20 calls a second (a process of its own too, so that the test's own work does
 * not delay the arrivals it records) and one redis-server. `WOORI_MAX_RPS=20` is the limit of
 * both together: bursts on both get no SYSCD03101 and never more than 20 calls in any second at the
 * sandbox (its own call log, a sliding window), and one busy replica alone takes the whole limit,
 * finishing in about calls ÷ 20 seconds. The figures are printed; the bounds are generous.
 */
import { SANDBOX_APP_KEY, SANDBOX_SECRET_KEY, SANDBOX_TOKENS, type SandboxCounters } from '../../src/sandbox';
import { ensureBuilt } from '../helpers/build';
import { spawnService, type ChildService } from '../helpers/child-service';
import { DASHBOARD_QUERY, dashboardVariables } from '../helpers/dashboard';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { spawnSandbox, type SandboxProcess } from '../helpers/sandbox-process';
import { mostInAnyWindow } from '../resilience/observe';

const MAX_RPS = 20;
/** Dashboards of the demo customer: 5 calls each (the list, then basics and a range per account). */
const CALLS_PER_DASHBOARD = 5;

let sandbox: SandboxProcess;
let redis: RedisServer;
const replicas: ChildService[] = [];
const urls: string[] = [];

beforeAll(async () => {
  await ensureBuilt();
  [sandbox, redis] = await Promise.all([
    spawnSandbox({ SANDBOX_MAX_RPS: String(MAX_RPS) }),
    startRedisServer(),
  ]);
  for (let i = 0; i < 2; i++) {
    const child = spawnService({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      WOORI_BASE_URL: sandbox.url,
      WOORI_APP_KEY: SANDBOX_APP_KEY,
      WOORI_SECRET_KEY: SANDBOX_SECRET_KEY,
      WOORI_MAX_RPS: String(MAX_RPS),
      WOORI_REPLICAS: '2',
      // One customer drives all the load here: its own ceiling is not what this test is about.
      WOORI_CUSTOMER_MAX_CALLS: '0',
      REDIS_URL: redis.url,
      // Every dashboard pays its upstream calls: these tests are about the shared limit, not the cache.
      CACHE_TTL_SECONDS: '0',
      CACHE_HISTORY_TTL_SECONDS: '0',
    });
    replicas.push(child);
    urls.push(await child.listening);
  }
  // The sandbox builds a customer's data on first use; connections open.
  for (const url of urls) expect((await dashboard(url)).errors).toBeUndefined();
}, 180_000);

afterAll(async () => {
  for (const child of replicas) {
    child.process.kill('SIGTERM');
    await child.exited;
  }
  await Promise.all([sandbox?.stop(), redis?.stop()]);
});

async function sandboxCounters(): Promise<SandboxCounters> {
  return (await (await fetch(`${sandbox.url}/__sandbox/counters`)).json()) as SandboxCounters;
}

interface DashboardResponse {
  data?: { accounts: unknown[] } | null;
  errors?: unknown[];
  extensions: { upstream: { calls: number; retries: number } };
}

async function dashboard(url: string): Promise<DashboardResponse> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SANDBOX_TOKENS.demo}` },
    body: JSON.stringify({ query: DASHBOARD_QUERY, variables: dashboardVariables() }),
  });
  return (await res.json()) as DashboardResponse;
}

/** `count` dashboards on each of `targets`, all at once; the responses and the wall time. */
async function burst(targets: string[], count: number) {
  await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' });
  const started = performance.now();
  const responses = await Promise.all(
    targets.flatMap((url) => Array.from({ length: count }, () => dashboard(url))),
  );
  const elapsedMs = performance.now() - started;
  const { calls, recent } = await sandboxCounters();
  return { responses, elapsedMs, calls, mostInASecond: mostInAnyWindow(recent, 1000) };
}

it('keeps bursts on two replicas within the shared limit: no SYSCD03101, never more than 20 in a second', async () => {
  const { responses, elapsedMs, calls, mostInASecond } = await burst(urls, 8);
  const total = 2 * 8 * CALLS_PER_DASHBOARD;
  process.stdout.write(
    `two replicas, ${total} calls under a shared limit of ${MAX_RPS}/s: ${Math.round(elapsedMs)} ms, ` +
      `at most ${mostInASecond} calls in any second at the sandbox, codes ${JSON.stringify(calls.byCode)}\n`,
  );
  for (const response of responses) {
    expect(response.errors).toBeUndefined();
    expect(response.data?.accounts).toHaveLength(2);
    expect(response.extensions.upstream.retries).toBe(0);
  }
  expect(calls.byCode).toEqual({ OK: total });
  expect(mostInASecond).toBeLessThanOrEqual(MAX_RPS);
  // Without sharing, each replica would take 20 a second: the burst would end in about two windows.
  expect(elapsedMs).toBeGreaterThanOrEqual(3000);
});

it('lets one busy replica alone take the whole limit: about calls ÷ 20 seconds', async () => {
  const { responses, elapsedMs, calls, mostInASecond } = await burst([urls[0]], 16);
  const total = 16 * CALLS_PER_DASHBOARD;
  process.stdout.write(
    `one busy replica, ${total} calls: ${Math.round(elapsedMs)} ms (calls ÷ ${MAX_RPS} = ` +
      `${(total / MAX_RPS).toFixed(1)} s; the limiter's 1.1 s window makes it 4.4 s), ` +
      `at most ${mostInASecond} in any second\n`,
  );
  for (const response of responses) expect(response.errors).toBeUndefined();
  expect(calls.byCode).toEqual({ OK: total });
  expect(mostInASecond).toBeLessThanOrEqual(MAX_RPS);
  // Half the limit (each replica's share) would take twice as long: over 8 s.
  expect(elapsedMs).toBeGreaterThanOrEqual(3000);
  expect(elapsedMs).toBeLessThan(7500);
});
