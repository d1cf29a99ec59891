/**
 * The refresh scenario (issue 10, §9): M customers of a dashboard backend each refresh their
 * dashboard every few seconds, under the upstream's default limit of 10 calls/s (the sandbox
 * answers SYSCD03101 over it; the service stays under it with WOORI_MAX_RPS). Four settings, each
 * on fresh processes and an empty cache: the cache off, the cache in-process, one replica with
 * Redis, two replicas with Redis (requests alternate between them).
 *
 * Per setting: a refresh phase (each customer every `intervalMs`) gives dashboards/s and upstream
 * calls per dashboard; a saturated phase (no pause, `sessions` clients per customer, the cache
 * warm) gives dashboards/s where the upstream limit does not bind; then two probes: a refresh
 * right after a refresh with no-cache (within CACHE_TTL_SECONDS: 0 calls expected) and, in a full run, a refresh
 * once the live TTL is over (at most 1 + 2N calls, transactions for today only).
 */
import Redis from 'ioredis';
import { loadavg, cpus } from 'node:os';
import { startRedisServer, type RedisServer } from '../../test/helpers/redis-server';
import { startFlags } from '../lib/baseline';
import { dashboardRequestBody, dashboardVariables } from '../lib/dashboard';
import type { TargetLine } from '../lib/report';
import { cpuTimeMs, machineCpuTicks } from '../lib/proc';
import { benchScript, freePort, type RunningChild, startChild } from '../lib/processes';
import { SandboxControl } from '../lib/sandbox-control';
import { percentile, round, sortNumbers } from '../lib/stats';
import type { SandboxTargetOptions } from '../targets/sandbox';

export interface RefreshOptions {
  quick: boolean;
  latencyMs: number;
  /** The customers (sandbox tokens) that refresh. */
  tokens: string[];
  /** How long each customer waits between the starts of two refreshes, ms. */
  intervalMs: number;
  refreshSeconds: number;
  saturatedSeconds: number;
  /** Clients per customer in the saturated phase. */
  sessions: number;
  /** Wait for the live TTL to pass and probe the refresh after it (full runs). */
  probeAfterTtl: boolean;
  logLevel: string;
}

/** One phase of load: what was answered, and what it cost upstream. */
export interface RefreshPhase {
  clients: number;
  dashboards: number;
  /** Answers with an error or a status other than 200. */
  failed: number;
  seconds: number;
  dashboardsPerSecond: number;
  upstreamCalls: number;
  callsPerDashboard: number;
  cacheHitsPerDashboard: number;
  /** Calls the sandbox refused over its 10/s limit. */
  rateLimited: number;
  p50Ms: number;
  p95Ms: number;
  /** The replicas' CPU time (user + system, all replicas together) per dashboard, ms. */
  replicaCpuMsPerDashboard: number;
  /** CPUs in use over the phase: the replicas', and the whole machine's (of `cpus`). */
  replicaCpus: number;
  machineCpus: number;
}

export interface RefreshRow {
  setting: string;
  replicas: number;
  env: Record<string, string>;
  refresh: RefreshPhase;
  saturated: RefreshPhase;
  /** Upstream calls of a refresh right after a refresh, over all customers. */
  warmRefreshCalls: number;
  /** A refresh once the live TTL is over (null in a quick run or with the cache off). */
  afterTtl: { calls: number; bound: number; transactionRangesTodayOnly: boolean } | null;
}

export interface RefreshFigures {
  /** When it ran, and the machine's load average (1 min) at its start and end. */
  ranAt: string;
  loadAverage: { start: number; end: number };
  cpus: number;
  options: RefreshOptions;
  today: string;
  customers: { token: string; accounts: number }[];
  rows: RefreshRow[];
}

const UPSTREAM_LIMIT = 10;
const LIVE_TTL_SECONDS = 30;
const SECRETS = {
  CURSOR_SECRET: 'refresh-scenario-cursor-secret-0123456789',
  CACHE_SECRET: 'refresh-scenario-cache-secret-0123456789ab',
};

interface Deployment {
  urls: string[];
  children: RunningChild[];
}

/** Runs the four settings; `log` reports progress. */
export async function runRefreshScenario(
  options: RefreshOptions,
  log: (line: string) => void,
): Promise<RefreshFigures> {
  const ranAt = new Date().toISOString();
  const loadAtStart = loadavg()[0];
  const started: RunningChild[] = [];
  let redis: RedisServer | null = null;
  let control: SandboxControl | null = null;
  try {
    const sandbox = await startChild({
      name: 'refresh-sandbox',
      script: benchScript('targets/sandbox'),
      args: [JSON.stringify({ latencyMs: options.latencyMs, jitterMs: 0 } satisfies SandboxTargetOptions)],
      ready: { ipc: true },
    });
    started.push(sandbox);
    control = new SandboxControl(sandbox.url);
    await control.configure({ maxRps: UPSTREAM_LIMIT });
    redis = await startRedisServer();
    const detail = sandbox.detail as {
      appKey: string;
      secretKey: string;
      today: string;
      customers: { token: string; accountNumbers: string[] }[];
    };
    const customers = options.tokens.map((token) => ({
      token,
      accounts: detail.customers.find((c) => c.token === token)?.accountNumbers.length ?? 0,
    }));
    const base = {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      LOG_LEVEL: options.logLevel,
      WOORI_BASE_URL: sandbox.url,
      WOORI_APP_KEY: detail.appKey,
      WOORI_SECRET_KEY: detail.secretKey,
      ...SECRETS,
    };
    // With REDIS_URL, WOORI_MAX_RPS is the limit of all replicas together (one sliding log in Redis);
    // WOORI_REPLICAS is each replica's share while Redis does not answer.
    const settings: Array<{ name: string; replicas: number; env: Record<string, string> }> = [
      { name: 'cache off', replicas: 1, env: { CACHE_TTL_SECONDS: '0', CACHE_HISTORY_TTL_SECONDS: '0' } },
      { name: 'cache on (in-process)', replicas: 1, env: {} },
      { name: '1 replica, Redis', replicas: 1, env: { REDIS_URL: redis.url } },
      { name: '2 replicas, Redis', replicas: 2, env: { REDIS_URL: redis.url } },
    ];
    const rows: RefreshRow[] = [];
    for (const setting of settings) {
      const env = {
        ...base,
        WOORI_MAX_RPS: String(UPSTREAM_LIMIT),
        WOORI_REPLICAS: String(setting.replicas),
        ...setting.env,
      };
      await flush(redis);
      await control.reset();
      const deployment = await deploy(setting.name, setting.replicas, env);
      started.push(...deployment.children);
      try {
        rows.push(
          await measureSetting(setting, env, deployment, customers, control, options, detail.today, log),
        );
      } finally {
        for (const child of deployment.children) await child.stop();
      }
    }
    return {
      ranAt,
      loadAverage: { start: round(loadAtStart, 2), end: round(loadavg()[0], 2) },
      cpus: cpus().length,
      options,
      today: detail.today,
      customers,
      rows,
    };
  } finally {
    await control?.close();
    for (const child of started) await child.stop();
    await redis?.stop();
  }
}

async function measureSetting(
  setting: { name: string; replicas: number },
  env: Record<string, string>,
  deployment: Deployment,
  customers: { token: string; accounts: number }[],
  control: SandboxControl,
  options: RefreshOptions,
  today: string,
  log: (line: string) => void,
): Promise<RefreshRow> {
  const cacheOn = env.CACHE_TTL_SECONDS !== '0';
  const refresh = await phase(deployment, customers, control, 1, options.intervalMs, options.refreshSeconds);
  log(`refresh  ${setting.name.padEnd(22)} ${describe(refresh)}`);
  const saturated = await phase(
    deployment,
    customers,
    control,
    options.sessions,
    0,
    options.saturatedSeconds,
  );
  log(`saturate ${setting.name.padEnd(22)} ${describe(saturated)}`);

  // A refresh with no-cache first, so that every entry has its whole TTL ahead: otherwise an entry
  // of the saturated phase may expire between the two refreshes, and the probe would measure that.
  await Promise.all(customers.map((c) => dashboard(deployment.urls[0], c.token, { noCache: true })));
  const before = (await control.counters()).calls.total;
  await Promise.all(customers.map((c, i) => dashboard(deployment.urls[i % deployment.urls.length], c.token)));
  const warmRefreshCalls = (await control.counters()).calls.total - before;

  let afterTtl: RefreshRow['afterTtl'] = null;
  if (cacheOn && options.probeAfterTtl) {
    await new Promise((resolve) => setTimeout(resolve, (LIVE_TTL_SECONDS + 1) * 1000));
    await control.reset();
    await Promise.all(customers.map((c) => dashboard(deployment.urls[0], c.token)));
    const recent = await recentCalls(control.url);
    const ranges = recent.filter((c) => c.operation === 'listTransactions');
    afterTtl = {
      calls: recent.length,
      bound: customers.reduce((sum, c) => sum + 1 + 2 * c.accounts, 0),
      transactionRangesTodayOnly: ranges.every((c) => c.from === today && c.to === today),
    };
    log(`after the live TTL: ${afterTtl.calls} calls (1 + 2N over the customers: ${afterTtl.bound})`);
  }
  return {
    setting: setting.name,
    replicas: setting.replicas,
    env: Object.fromEntries(
      Object.entries(env).filter(([k]) => /^(CACHE_TTL|CACHE_HISTORY|WOORI_MAX_RPS)/.test(k)),
    ),
    refresh,
    saturated,
    warmRefreshCalls,
    afterTtl,
  };
}

/** `clientsPerCustomer` clients per customer, each refreshing every `intervalMs`, for `seconds`. */
async function phase(
  deployment: Deployment,
  customers: { token: string }[],
  control: SandboxControl,
  clientsPerCustomer: number,
  intervalMs: number,
  seconds: number,
): Promise<RefreshPhase> {
  await control.reset();
  const pids = deployment.children.map((c) => c.pid);
  const cpuBefore = pids.reduce((sum, pid) => sum + cpuTimeMs(pid), 0);
  const machineBefore = machineCpuTicks();
  const started = performance.now();
  const end = started + seconds * 1000;
  const latencies: number[] = [];
  let failed = 0;
  let cacheHits = 0;
  let sent = 0;
  const clients = customers.flatMap((c) => Array.from({ length: clientsPerCustomer }, () => c.token));
  await Promise.all(
    clients.map(async (token) => {
      while (performance.now() < end) {
        const began = performance.now();
        const url = deployment.urls[sent++ % deployment.urls.length];
        const answer = await dashboard(url, token);
        latencies.push(performance.now() - began);
        if (!answer.ok) failed += 1;
        cacheHits += answer.cacheHits;
        const pause = intervalMs - (performance.now() - began);
        if (pause > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(pause, end - performance.now())));
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const replicaCpuMs = pids.reduce((sum, pid) => sum + cpuTimeMs(pid), 0) - cpuBefore;
  const machineAfter = machineCpuTicks();
  const machineShare =
    (machineAfter.busy - machineBefore.busy) / Math.max(1, machineAfter.total - machineBefore.total);
  const counters = await control.counters();
  const sorted = sortNumbers(latencies);
  const dashboards = latencies.length;
  return {
    clients: clients.length,
    dashboards,
    failed,
    seconds: round(elapsed, 1),
    dashboardsPerSecond: round(dashboards / elapsed, 2),
    upstreamCalls: counters.calls.total,
    callsPerDashboard: round(counters.calls.total / Math.max(1, dashboards), 2),
    cacheHitsPerDashboard: round(cacheHits / Math.max(1, dashboards), 2),
    rateLimited: counters.calls.byCode.SYSCD03101 ?? 0,
    p50Ms: round(percentile(sorted, 50), 1),
    p95Ms: round(percentile(sorted, 95), 1),
    replicaCpuMsPerDashboard: round(replicaCpuMs / Math.max(1, dashboards), 2),
    replicaCpus: round(replicaCpuMs / 1000 / elapsed, 2),
    machineCpus: round(machineShare * cpus().length, 2),
  };
}

async function dashboard(
  url: string,
  token: string,
  options: { noCache?: boolean } = {},
): Promise<{ ok: boolean; cacheHits: number }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...(options.noCache ? { 'cache-control': 'no-cache' } : {}),
      },
      body: dashboardRequestBody(dashboardVariables()),
    });
    const body = (await res.json()) as {
      errors?: unknown[];
      extensions?: { upstream?: { cacheHits?: number } };
    };
    return { ok: res.status === 200 && !body.errors, cacheHits: body.extensions?.upstream?.cacheHits ?? 0 };
  } catch {
    return { ok: false, cacheHits: 0 };
  }
}

async function deploy(name: string, replicas: number, env: Record<string, string>): Promise<Deployment> {
  const children: RunningChild[] = [];
  for (let i = 0; i < replicas; i++) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    children.push(
      await startChild({
        name: `refresh-${name.replace(/[^a-z0-9]+/gi, '-')}-${i}`,
        script: 'dist/server/main.js',
        execArgv: startFlags(),
        env: { ...env, PORT: String(port) },
        ready: { healthUrl: `${base}/healthz`, url: `${base}/graphql` },
      }),
    );
  }
  return { urls: children.map((c) => c.url), children };
}

async function flush(server: RedisServer): Promise<void> {
  const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
  try {
    await client.flushall();
  } finally {
    client.disconnect();
  }
}

/** The sandbox's last calls, with their dates. */
async function recentCalls(
  sandboxUrl: string,
): Promise<Array<{ operation: string; from?: string; to?: string }>> {
  const res = await fetch(`${sandboxUrl}/__sandbox/counters`);
  return ((await res.json()) as { recent: Array<{ operation: string; from?: string; to?: string }> }).recent;
}

function describe(p: RefreshPhase): string {
  return (
    `${p.clients} clients: ${p.dashboardsPerSecond} dashboards/s, ${p.callsPerDashboard} calls/dashboard, ` +
    `${p.cacheHitsPerDashboard} cache hits/dashboard, p50 ${p.p50Ms} ms, ${p.failed} failed, ${p.rateLimited} × SYSCD03101`
  );
}

/** The report's section on the scenario (Markdown lines). */
export function renderRefresh(figures: RefreshFigures): string[] {
  const o = figures.options;
  const who = figures.customers.map((c) => `\`${c.token}\` (N = ${c.accounts})`).join(', ');
  const row = (r: RefreshRow, p: RefreshPhase): string =>
    `| ${r.setting} | ${p.clients} | ${p.dashboardsPerSecond} | ${p.callsPerDashboard} | ${p.cacheHitsPerDashboard} | ` +
    `${p.p50Ms} | ${p.p95Ms} | ${p.failed} | ${p.rateLimited} | ${p.replicaCpuMsPerDashboard ?? '–'} | ` +
    `${p.replicaCpus ?? '–'} of ${p.machineCpus ?? '–'} |`;
  const header = [
    "| setting | clients | dashboards/s | upstream calls / dashboard | cache hits / dashboard | p50 ms | p95 ms | failed | SYSCD03101 | replicas' CPU ms / dashboard | CPUs in use: replicas of machine |",
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  return [
    '',
    '## Refreshing dashboards under the upstream limit (the answer cache)',
    '',
    `Run on ${figures.ranAt} on a ${figures.cpus}-CPU machine shared with other work (load average ` +
      `${figures.loadAverage.start} at the start, ${figures.loadAverage.end} at the end): indicative figures.`,
    '',
    `M = ${figures.customers.length} customers, ${who}, on a sandbox of their own that refuses more than ` +
      `${UPSTREAM_LIMIT} calls/s (latency ${o.latencyMs} ms); the service as \`npm start\`, \`NODE_ENV=production\`, ` +
      `\`WOORI_MAX_RPS\` ${UPSTREAM_LIMIT} (with Redis, the limit of both replicas together), ` +
      'the default TTLs (30 s live, 3600 s history). Each setting starts on fresh processes and an empty cache, ' +
      'so its figures include the first, cold refresh.',
    '',
    `**Refresh**: each customer refreshes every ${o.intervalMs / 1000} s for ${o.refreshSeconds} s.`,
    '',
    ...header,
    ...figures.rows.map((r) => row(r, r.refresh)),
    '',
    `**Saturated**: ${o.sessions} clients per customer, no pause, for ${o.saturatedSeconds} s, right after the refresh phase.`,
    '',
    ...header,
    ...figures.rows.map((r) => row(r, r.saturated)),
    '',
    '| setting | a refresh right after a refresh: upstream calls | a refresh after the live TTL: calls (bound 1 + 2N) | its transaction ranges |',
    '|---|---:|---:|---|',
    ...figures.rows.map(
      (r) =>
        `| ${r.setting} | ${r.warmRefreshCalls} | ${r.afterTtl ? `${r.afterTtl.calls} (${r.afterTtl.bound})` : '–'} | ` +
        `${r.afterTtl ? (r.afterTtl.transactionRangesTodayOnly ? 'today only' : '**not only today**') : '–'} |`,
    ),
  ];
}

/** The scenario's lines of the report's targets table (issue 10, §9). */
export function refreshTargets(figures: RefreshFigures): TargetLine[] {
  const cached = figures.rows.filter((r) => r.setting !== 'cache off');
  const after = cached.filter((r) => r.afterTtl !== null);
  const one = figures.rows.find((r) => r.setting === '1 replica, Redis');
  const two = figures.rows.find((r) => r.setting === '2 replicas, Redis');
  const ratio = one && two ? two.saturated.dashboardsPerSecond / one.saturated.dashboardsPerSecond : NaN;
  return [
    {
      figure: 'refresh scenario: upstream calls of a refresh within CACHE_TTL_SECONDS',
      target: '0',
      measured: cached.map((r) => `${r.setting}: ${r.warmRefreshCalls}`).join('; '),
      met: cached.length > 0 ? cached.every((r) => r.warmRefreshCalls === 0) : null,
    },
    {
      figure: 'refresh scenario: upstream calls of a refresh after the live TTL, and its transaction ranges',
      target: '≤ 1 + 2N, the days not cached only',
      measured:
        after.length > 0
          ? after
              .map(
                (r) =>
                  `${r.setting}: ${r.afterTtl!.calls} of ${r.afterTtl!.bound}, ` +
                  (r.afterTtl!.transactionRangesTodayOnly ? 'today only' : 'not only today'),
              )
              .join('; ')
          : 'not measured (a quick run)',
      met:
        after.length > 0
          ? after.every(
              (r) => r.afterTtl!.calls <= r.afterTtl!.bound && r.afterTtl!.transactionRangesTodayOnly,
            )
          : null,
    },
    {
      figure:
        "refresh scenario: 2 replicas with Redis ÷ 1 replica's dashboards/s, saturated (the upstream limit not binding)",
      target: '≥ 1.8 ×',
      measured:
        Number.isFinite(ratio) && one && two
          ? `${ratio.toFixed(2)} × (CPUs in use, replicas of machine: one replica ${one.saturated.replicaCpus} of ` +
            `${one.saturated.machineCpus}, two ${two.saturated.replicaCpus} of ${two.saturated.machineCpus}, ` +
            `of ${cpus().length}; replicas' CPU per dashboard ${one.saturated.replicaCpuMsPerDashboard} and ` +
            `${two.saturated.replicaCpuMsPerDashboard} ms)`
          : '–',
      met: Number.isFinite(ratio) && !figures.options.quick ? ratio >= 1.8 : null,
    },
  ];
}
