/**
 * `npm run bench`: the service beside a hand-written aggregator (the physical limit) and a naive
 * GraphQL variant (one upstream call per field), each in its own process on the same sandbox (in
 * a process of its own too), driven by autocannon with the dashboard query. Measurements are taken
 * in interleaved rounds (every target at every concurrency, once per round, the order rotating),
 * so that whatever else the machine does falls on every target alike. Then the large range (one
 * account with 100,000 transactions) and the decoding speed. Writes bench/results/latest.json and
 * BENCHMARKS.md; fails when a target process fails or answers an error.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Config from '../src/server/config';
import type { DeviceInfo } from '../src/woori/domain';
import type { AggregatorOptions } from './targets/aggregator';
import type { DecodeFigures, DecodeOptions, SummingFigures } from './targets/decode';
import type { SandboxTargetOptions } from './targets/sandbox';
import { buildBaseline, startFlags } from './lib/baseline';
import { daysBefore, dashboardRequestBody, dashboardVariables } from './lib/dashboard';
import { FIRST_PAGE_QUERY, HEAVY_TOKEN, transactionChunks } from './lib/large-range';
import { fromDist, RESULTS, ROOT } from './lib/dist';
import { runLoad, type LoadResult } from './lib/load';
import { BusyMonitor, machineInfo } from './lib/machine';
import { type BenchOptions, parseOptions, TARGET_NAMES, type TargetName } from './lib/options';
import { cpuTimeMs, memoryOf, resetPeak } from './lib/proc';
import { benchScript, freePort, type RunningChild, startChild } from './lib/processes';
import { summarizeProfile, type ProfileSummary } from './lib/profile';
import {
  buildReport,
  renderMarkdown,
  type HeavyFigures,
  type LargeRangeRun,
  type Measurement,
  type Report,
  targetsOf,
} from './lib/report';
import { SandboxControl } from './lib/sandbox-control';
import { type RefreshFigures, runRefreshScenario } from './scenarios/refresh';
import { keepingSoakSection } from './lib/soak-section';

const TOKEN = 'sandbox-token-ten';
const CURSOR_SECRET = 'benchmark-cursor-secret-0123456789abcdef';
/** The answer cache's secret where the service runs with its default settings (the cache on). */
const CACHE_SECRET = 'benchmark-cache-secret-0123456789abcdefgh';
/** Concurrency of the storm scenario: identical dashboards of one customer at once. */
const STORM_CONCURRENCY = 100;
const PROFILE_DIR = join(RESULTS, 'profiles.tmp');
/** The GraphQL targets' settings the report shows (not the keys, the secret or the sandbox's URL). */
const SHOWN_SETTINGS = new Set([
  'NODE_ENV',
  'LOG_LEVEL',
  'WOORI_CONNECTIONS',
  'WOORI_MAX_RPS',
  'WOORI_MAX_QUEUE',
  'CACHE_TTL_SECONDS',
  'CACHE_HISTORY_TTL_SECONDS',
  'WOORI_CUSTOMER_MAX_CALLS',
  'NODE_OPTIONS',
]);

interface Target {
  name: TargetName;
  child: RunningChild;
}

interface TargetSpec {
  name: string;
  kind: TargetKind;
  env: Record<string, string>;
  /** Another build (a baseline): its entry point instead of dist/server/main.js, and its start flags. */
  build?: { script: string; nodeFlags: string[] };
}

type TargetKind = (typeof TARGET_NAMES)[number] | 'service-heavy';

interface SandboxDetail {
  appKey: string;
  secretKey: string;
  today: string;
  customers: { token: string; accountNumbers: string[] }[];
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.refreshOnly) {
    await refreshOnly(options);
    return;
  }
  if (options.reportFrom) {
    const report = JSON.parse(readFileSync(options.reportFrom, 'utf8')) as Report;
    report.targets = targetsOf(report);
    const out = options.markdownOut ?? join(ROOT, 'BENCHMARKS.md');
    writeFileSync(out, keepingSoakSection(out, renderMarkdown(report)));
    log(`report of ${options.reportFrom}: ${out}`);
    return;
  }
  mkdirSync(RESULTS, { recursive: true });
  const monitor = new BusyMonitor();
  const children: RunningChild[] = [];
  const started = new Date();
  log(`benchmark: ${options.command}`);
  try {
    const sandbox = await startChild({
      name: 'sandbox',
      script: benchScript('targets/sandbox'),
      args: [
        JSON.stringify({
          latencyMs: options.latencyMs,
          jitterMs: options.jitterMs,
        } satisfies SandboxTargetOptions),
      ],
      execArgv: profileArgs(options, 'sandbox'),
      ready: { ipc: true },
    });
    children.push(sandbox);
    monitor.watch(sandbox.pid);
    const detail = sandbox.detail as unknown as SandboxDetail;
    const control = new SandboxControl(sandbox.url);
    log(`sandbox at ${sandbox.url}, latency ${options.latencyMs} ms, today ${detail.today}`);

    const env = graphqlEnv(options, sandbox.url, detail);
    const targets: Target[] = [];
    for (const revision of options.baselines) {
      const build = buildBaseline(revision);
      log(`baseline ${revision}: commit ${build.commit}, built in ${build.script}`);
      options.variants.push({ name: `@${build.commit}`, env: {}, build });
    }
    const specs: TargetSpec[] = [
      ...options.targets.map((name) => ({ name, kind: name as TargetKind, env })),
      ...options.variants.map((v) => ({
        name: `service[${v.name}]`,
        kind: 'service' as const,
        env: { ...env, ...v.env },
        build: v.build,
      })),
    ];
    for (const spec of specs) {
      const child = await startTarget(
        spec.name,
        spec.kind,
        options,
        spec.env,
        sandbox.url,
        detail,
        spec.build,
      );
      children.push(child);
      monitor.watch(child.pid);
      targets.push({ name: spec.name, child });
      log(`${spec.name} at ${child.url} (pid ${child.pid})`);
    }

    const variables = dashboardVariables();
    const body = dashboardRequestBody(variables);
    const accounts = await verify(targets, body);
    log(`every target answers the same data: N = ${accounts} accounts`);

    const rates = await warmUp(targets, options, body);
    const measurements: Measurement[] = [];
    for (let round = 0; round < options.rounds; round++) {
      for (const concurrency of options.concurrencies) {
        for (let i = 0; i < targets.length; i++) {
          const target = targets[(i + round) % targets.length];
          const rate = rates.get(key(target.name, concurrency)) ?? 10;
          const amount = Math.max(3 * concurrency, Math.round(rate * options.durationSeconds));
          const m = await measure(target, sandbox, control, body, concurrency, amount, round);
          rates.set(key(target.name, concurrency), m.load.rps);
          measurements.push(m);
          log(
            `round ${round + 1} c=${concurrency} ${target.name.padEnd(10)} ${m.load.rps.toFixed(1)} req/s, ` +
              `p50 ${m.load.p50.toFixed(1)} ms, p99 ${m.load.p99.toFixed(1)} ms, ` +
              `${(m.upstreamCalls / m.load.amount).toFixed(2)} calls/req, ${m.newConnections} new conns`,
          );
        }
      }
    }

    const storm: Measurement[] = [];
    if (options.storm) {
      storm.push(
        ...(await stormScenario(options, targets, env, sandbox, control, detail, monitor, children)),
      );
    }

    let heavy: HeavyFigures | null = null;
    if (options.heavy)
      heavy = await heavyRange(options, env, sandbox.url, detail, control, monitor, children);

    for (const target of targets) monitor.unwatch(target.child.pid);
    const peaks = Object.fromEntries(targets.map((t) => [t.name, memoryOf(t.child.pid).peakKb]));
    await stopAll(children);
    let refresh: RefreshFigures | null = null;
    if (options.refresh) refresh = await refreshScenario(options);
    const profiles = collectProfiles(options, children);
    const busy = monitor.finish();
    const report = buildReport({
      options,
      started,
      machine: machineInfo(),
      busy,
      accounts,
      variables,
      measurements,
      storm,
      lifetimePeakKb: peaks,
      heavy,
      profiles,
      source: sourceState(),
      serviceEnv: Object.fromEntries(Object.entries(env).filter(([k]) => SHOWN_SETTINGS.has(k))),
      nodeFlags: startFlags(),
    });
    if (refresh) {
      report.refresh = refresh;
      report.targets = targetsOf(report);
    }
    writeFileSync(options.jsonOut, `${JSON.stringify(report, null, 2)}\n`);
    log(`raw figures: ${options.jsonOut}`);
    if (options.markdownOut) {
      writeFileSync(options.markdownOut, keepingSoakSection(options.markdownOut, renderMarkdown(report)));
      log(`report: ${options.markdownOut}`);
    }
    if (options.quick)
      log('a quick run: the figures below are indicative only, and nothing about speed is asserted');
    for (const line of report.targets) {
      log(
        `${line.met === null ? '–      ' : line.met ? 'met    ' : 'NOT MET'} ${line.figure}: ${line.measured}`,
      );
    }
  } finally {
    await stopAll(children);
  }
}

/** `--refresh-only`: the refresh scenario's figures added to an earlier run's, and the report anew. */
async function refreshOnly(options: BenchOptions): Promise<void> {
  const from = options.reportFrom ?? join(RESULTS, 'latest.json');
  const report = JSON.parse(readFileSync(from, 'utf8')) as Report;
  report.refresh = await refreshScenario(options);
  report.targets = targetsOf(report);
  const out = options.quick ? options.jsonOut : from;
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  log(`raw figures: ${out}`);
  if (options.markdownOut) {
    writeFileSync(options.markdownOut, renderMarkdown(report));
    log(`report: ${options.markdownOut}`);
  }
}

/**
 * The refresh scenario (bench/scenarios/refresh.ts): a quick run takes the two smaller customers
 * for a few seconds per setting; a full run all four, long enough to cross the live TTL.
 */
function refreshScenario(options: BenchOptions): Promise<RefreshFigures> {
  const quick = options.quick;
  return runRefreshScenario(
    {
      quick,
      latencyMs: options.latencyMs,
      tokens: quick
        ? ['sandbox-token-demo', TOKEN]
        : ['sandbox-token-demo', TOKEN, 'sandbox-token-many', HEAVY_TOKEN],
      intervalMs: quick ? 1_000 : 3_000,
      refreshSeconds: quick ? 3 : 45,
      saturatedSeconds: quick ? 2 : 15,
      sessions: quick ? 2 : 4,
      probeAfterTtl: !quick,
      logLevel: options.logLevel,
    },
    (line) => log(`refresh: ${line}`),
  );
}

/** The environment of the GraphQL targets: production settings on the benchmark's sandbox. */
function graphqlEnv(
  options: BenchOptions,
  sandboxUrl: string,
  sandbox: SandboxDetail,
): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    LOG_LEVEL: options.logLevel,
    WOORI_BASE_URL: sandboxUrl,
    WOORI_APP_KEY: sandbox.appKey,
    WOORI_SECRET_KEY: sandbox.secretKey,
    WOORI_CONNECTIONS: String(options.upstreamConnections),
    // The sandbox has no rate limit here; a client-side limit would measure the limit, not the code.
    WOORI_MAX_RPS: '10000',
    // At c=100 the dashboard has up to 2,000 upstream calls waiting for the 64 connections; the
    // default queue (1,000) would shed some of them as UPSTREAM_UNAVAILABLE, and a target that
    // answers errors cannot be compared. The analysis reports that default separately.
    WOORI_MAX_QUEUE: '100000',
    // One customer drives all the load: the quota guard per customer would refuse most of it.
    WOORI_CUSTOMER_MAX_CALLS: '0',
    CURSOR_SECRET,
    // The aggregator keeps nothing between requests: side by side, neither does the service (the
    // refresh scenario measures the cache).
    CACHE_TTL_SECONDS: '0',
    CACHE_HISTORY_TTL_SECONDS: '0',
    ...options.extraEnv,
  };
}

/** `env` with the answer cache as shipped: both TTLs at their defaults (on), with a secret. */
function cacheOnEnv(env: Record<string, string>): Record<string, string> {
  const { CACHE_TTL_SECONDS: _live, CACHE_HISTORY_TTL_SECONDS: _history, ...rest } = env;
  return { ...rest, CACHE_SECRET };
}

async function startTarget(
  name: string,
  kind: TargetKind,
  options: BenchOptions,
  env: Record<string, string>,
  sandboxUrl: string,
  sandbox: SandboxDetail,
  build: TargetSpec['build'] = { script: 'dist/server/main.js', nodeFlags: startFlags() },
): Promise<RunningChild> {
  const execArgv = profileArgs(options, name);
  if (kind === 'service' || kind === 'service-heavy') {
    // The service as `npm start` runs it: dist/server/main.js, configured by its environment.
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { PRELOAD: preload, NODE_FLAGS: flags, ...serviceEnv } = env;
    for (const module of preload?.split('+') ?? [])
      execArgv.push('--require', benchScript(`variants/${module}`));
    // A variant's own Node flags replace those of `npm start` (NODE_OPTIONS refuses some of them).
    execArgv.push(...(flags === undefined ? build.nodeFlags : flags.split(' ').filter((f) => f !== '')));
    return startChild({
      name,
      script: build.script,
      env: { ...serviceEnv, PORT: String(port) },
      execArgv,
      ready: { healthUrl: `${base}/healthz`, url: `${base}/graphql` },
    });
  }
  if (kind === 'naive') {
    return startChild({
      name,
      script: benchScript('targets/naive'),
      env: { ...env, PORT: '0' },
      execArgv,
      ready: { ipc: true },
    });
  }
  const aggregator: AggregatorOptions = {
    upstream: {
      baseUrl: sandboxUrl,
      appKey: sandbox.appKey,
      secretKey: sandbox.secretKey,
      connections: options.upstreamConnections,
    },
    device: defaultDevice(),
  };
  return startChild({
    name,
    script: benchScript('targets/aggregator'),
    args: [JSON.stringify(aggregator)],
    execArgv,
    ready: { ipc: true },
  });
}

/** The device fields the service sends for callers that send none (its defaults). */
function defaultDevice(): DeviceInfo {
  const { DEVICE_DEFAULT_VARIABLES } = fromDist<typeof Config>('server/config');
  const device = {} as DeviceInfo;
  for (const field of Object.keys(DEVICE_DEFAULT_VARIABLES) as (keyof DeviceInfo)[]) {
    device[field] = DEVICE_DEFAULT_VARIABLES[field][1];
  }
  return device;
}

/**
 * One dashboard from every target: no errors, and every target's `data` is byte for byte the
 * service's (the first target's). Returns the number of accounts.
 */
async function verify(targets: Target[], body: string): Promise<number> {
  let reference: string | null = null;
  let accounts = 0;
  for (const target of targets) {
    const res = await fetch(target.child.url, { method: 'POST', headers: requestHeaders(TOKEN), body });
    const text = await res.text();
    const parsed = JSON.parse(text) as { data?: { accounts: unknown[] }; errors?: unknown };
    if (res.status !== 200 || parsed.errors || !parsed.data) {
      throw new Error(`${target.name} answered the dashboard with ${res.status}: ${text.slice(0, 2000)}`);
    }
    const data = JSON.stringify(parsed.data);
    if (reference === null) {
      reference = data;
      accounts = parsed.data.accounts.length;
    } else if (data !== reference) {
      throw new Error(
        `${target.name}'s data differs from ${targets[0].name}'s:\n${data.slice(0, 1500)}\n---\n${reference.slice(0, 1500)}`,
      );
    }
  }
  return accounts;
}

/**
 * Warms every target up (JIT, connection pools, the sandbox's data) at every concurrency, and
 * returns the rates seen, to size the first round's measurements.
 */
async function warmUp(targets: Target[], options: BenchOptions, body: string): Promise<Map<string, number>> {
  const rates = new Map<string, number>();
  for (const target of targets) {
    for (const concurrency of options.concurrencies) {
      const amount = Math.max(options.quick ? 5 : 20, options.warmUpPerClient * concurrency);
      const load = await runChecked(target, body, concurrency, amount);
      rates.set(key(target.name, concurrency), load.rps);
    }
  }
  log('warmed up');
  return rates;
}

async function measure(
  target: Target,
  sandbox: RunningChild,
  control: SandboxControl,
  body: string,
  concurrency: number,
  amount: number,
  round: number,
): Promise<Measurement> {
  // A request per client first, so that the upstream pool is as large as this concurrency needs.
  await runChecked(target, body, concurrency, Math.max(3, concurrency));
  await control.reset();
  const peakReset = resetPeak(target.child.pid) && resetPeak(sandbox.pid);
  const cpuBefore = { target: cpuTimeMs(target.child.pid), sandbox: cpuTimeMs(sandbox.pid) };
  const load = await runChecked(target, body, concurrency, amount);
  const cpuAfter = { target: cpuTimeMs(target.child.pid), sandbox: cpuTimeMs(sandbox.pid) };
  const counters = await control.counters();
  const notOk = Object.entries(counters.calls.byCode).filter(([code]) => code !== 'OK');
  if (notOk.length > 0) {
    throw new Error(
      `${target.name}: the sandbox answered errors: ${JSON.stringify(Object.fromEntries(notOk))}`,
    );
  }
  return {
    target: target.name,
    concurrency,
    round,
    load,
    upstreamCalls: counters.calls.total,
    upstreamByOperation: counters.calls.byOperation,
    newConnections: counters.connections.opened,
    targetPeakKb: memoryOf(target.child.pid).peakKb,
    sandboxPeakKb: memoryOf(sandbox.pid).peakKb,
    peakIsPerMeasurement: peakReset,
    targetCpuMs: cpuAfter.target - cpuBefore.target,
    sandboxCpuMs: cpuAfter.sandbox - cpuBefore.sandbox,
  };
}

/** A load run that fails the benchmark on any failed request or a target process that died. */
async function runChecked(
  target: Target,
  body: string,
  connections: number,
  amount: number,
): Promise<LoadResult> {
  const load = await runLoad({
    url: target.child.url,
    body,
    headers: requestHeaders(TOKEN),
    connections,
    amount,
  });
  const failure = target.child.failure();
  if (failure) throw failure;
  const { errors, timeouts, non2xx, withErrors } = load.failures;
  if (errors + timeouts + non2xx + withErrors > 0) {
    throw new Error(
      `${target.name} at c=${connections}: ${errors} connection errors, ${timeouts} timeouts, ` +
        `${non2xx} non-2xx, ${withErrors} answers with errors; first: ${load.sampleFailure ?? '(none)'}`,
    );
  }
  return load;
}

/**
 * The storm (issue 12): many concurrent requests for the same customer's dashboard, as after a
 * release or a push notification. The service with its default settings (the answer cache and the
 * de-duplication of identical calls in flight on) against the hand-written aggregator, which has
 * neither, and the service with the cache off (as in the ratio runs), in interleaved rounds at
 * c=100, each after a warm-up at the same concurrency (which also fills the cache, as the first
 * dashboards of a storm would). Returns the measurements, named `storm:<target>`.
 */
async function stormScenario(
  options: BenchOptions,
  targets: Target[],
  env: Record<string, string>,
  sandbox: RunningChild,
  control: SandboxControl,
  detail: SandboxDetail,
  monitor: BusyMonitor,
  children: RunningChild[],
): Promise<Measurement[]> {
  const byName = new Map(targets.map((t) => [t.name, t]));
  const storm: Target[] = [];
  const defaults = await startTarget(
    'storm-service-defaults',
    'service',
    options,
    cacheOnEnv(env),
    sandbox.url,
    detail,
  );
  children.push(defaults);
  monitor.watch(defaults.pid);
  storm.push({ name: 'storm:service (default settings)', child: defaults });
  for (const name of ['aggregator', 'service'] as const) {
    const target = byName.get(name);
    if (target) storm.push({ name: `storm:${name}`, child: target.child });
  }
  const body = dashboardRequestBody(dashboardVariables());
  const concurrency = STORM_CONCURRENCY;
  const rates = new Map<string, number>();
  for (const target of storm) {
    const load = await runChecked(target, body, concurrency, Math.max(2 * concurrency, 300));
    rates.set(target.name, load.rps);
  }
  const measurements: Measurement[] = [];
  for (let round = 0; round < options.rounds; round++) {
    for (let i = 0; i < storm.length; i++) {
      const target = storm[(i + round) % storm.length];
      const rate = rates.get(target.name) ?? 10;
      const amount = Math.max(3 * concurrency, Math.round(rate * options.durationSeconds));
      const m = await measure(target, sandbox, control, body, concurrency, amount, round);
      rates.set(target.name, m.load.rps);
      measurements.push(m);
      log(
        `storm round ${round + 1} ${target.name.padEnd(34)} ${m.load.rps.toFixed(1)} req/s, ` +
          `p50 ${m.load.p50.toFixed(1)} ms, ${(m.upstreamCalls / m.load.amount).toFixed(2)} calls/dashboard`,
      );
    }
  }
  monitor.unwatch(defaults.pid);
  await defaults.stop();
  return measurements;
}

/**
 * One account with 100,000 transactions: the decoding speed (in a child of its own), then, for
 * each wire format, with the answer cache off (as the ratio runs) and on (the default settings), a
 * fresh service process asked for the first page of 50 with `totalCount` over the whole 366 days,
 * `heavyRuns` times in a row.
 */
async function heavyRange(
  options: BenchOptions,
  env: Record<string, string>,
  sandboxUrl: string,
  sandbox: SandboxDetail,
  control: SandboxControl,
  monitor: BusyMonitor,
  children: RunningChild[],
): Promise<HeavyFigures> {
  const accountNumber = sandbox.customers.find((c) => c.token === HEAVY_TOKEN)?.accountNumbers[0];
  if (!accountNumber) throw new Error(`The sandbox has no customer with the token ${HEAVY_TOKEN}`);
  const from = daysBefore(sandbox.today, 365);
  const to = sandbox.today;

  const decodeOptions: DecodeOptions = {
    sandboxUrl,
    appKey: sandbox.appKey,
    secretKey: sandbox.secretKey,
    token: HEAVY_TOKEN,
    accountNumber,
    from,
    to,
    formats: options.decodeFormats,
    rounds: options.decodeRounds,
    losslessRounds: options.losslessRounds,
  };
  const decoder = await startChild({
    name: 'decode',
    script: benchScript('targets/decode'),
    args: [JSON.stringify(decodeOptions)],
    execArgv: ['--expose-gc'],
    ready: { ipc: true },
    startTimeoutMs: 600_000,
  });
  children.push(decoder);
  const { figures: decoding, summing } = decoder.detail as {
    figures: DecodeFigures[];
    summing: SummingFigures;
  };
  await decoder.stop();
  log(
    `summing ${summing.rows} transactions into ${summing.months} months: best ${summing.bestMs.toFixed(1)} ms, ` +
      `heap growth ${(summing.heapGrowthKb / 1024).toFixed(1)} MB`,
  );
  log(
    `decoding measured (${decoding.map((d) => `${d.format}: ${(d.bytes / 1e6).toFixed(1)} MB`).join(', ')})`,
  );

  const runs: LargeRangeRun[] = [];
  try {
    for (const format of options.decodeFormats) {
      await control.configure({ wireFormat: format });
      for (const cache of options.heavyCache) {
        const serviceEnv = cache === 'on' ? cacheOnEnv(env) : env;
        const service = await startTarget(
          'service-heavy',
          'service-heavy',
          options,
          serviceEnv,
          sandboxUrl,
          sandbox,
        );
        children.push(service);
        monitor.watch(service.pid);
        try {
          const upstream = () =>
            transactionChunks(
              { url: sandboxUrl, appKey: sandbox.appKey, secretKey: sandbox.secretKey },
              HEAVY_TOKEN,
              accountNumber,
              from.replaceAll('-', ''),
              to.replaceAll('-', ''),
            );
          runs.push({ format, cache, ...(await largeRange(service, options.heavyRuns, from, to, upstream)) });
        } finally {
          monitor.unwatch(service.pid);
          await service.stop();
        }
        const run = runs[runs.length - 1];
        log(
          `large range (${format}, cache ${cache}): ${run.timesMs.map((t) => t.toFixed(0)).join(', ')} ms, ` +
            `peak RSS ${run.peaksKb.map((kb) => (kb / 1024).toFixed(0)).join(', ')} MB`,
        );
      }
    }
  } finally {
    await control.configure({ wireFormat: 'document' });
  }
  return { from, to, runs, decoding, summing };
}

/** `requests` first pages of the year in a row from a fresh service: times and peak RSS after each. */
async function largeRange(
  service: RunningChild,
  requests: number,
  from: string,
  to: string,
  upstream: () => Promise<Buffer[]>,
): Promise<Omit<LargeRangeRun, 'format' | 'cache'>> {
  const rssBeforeKb = memoryOf(service.pid).rssKb;
  const timesMs: number[] = [];
  const upstreamMs: number[] = [];
  const peaksKb: number[] = [];
  let totalCount = 0;
  let pageSize = 0;
  for (let i = 0; i < requests; i++) {
    const began = performance.now();
    const res = await fetch(service.url, {
      method: 'POST',
      headers: requestHeaders(HEAVY_TOKEN),
      body: JSON.stringify({ query: FIRST_PAGE_QUERY, variables: { from, to } }),
    });
    const text = await res.text();
    timesMs.push(performance.now() - began);
    const parsed = JSON.parse(text) as {
      data?: { accounts: { transactions: { totalCount: number; nodes: unknown[] } }[] };
      errors?: unknown;
    };
    if (res.status !== 200 || parsed.errors || !parsed.data) {
      throw new Error(`service-heavy answered ${res.status}: ${text.slice(0, 2000)}`);
    }
    totalCount = parsed.data.accounts[0].transactions.totalCount;
    pageSize = parsed.data.accounts[0].transactions.nodes.length;
    peaksKb.push(memoryOf(service.pid).peakKb);
    // The same call straight to the sandbox, after the peak is read: the upstream's part of the time.
    const called = performance.now();
    await upstream();
    upstreamMs.push(performance.now() - called);
  }
  return {
    totalCount,
    pageSize,
    timesMs,
    rssBeforeKb,
    peaksKb,
    peakKb: memoryOf(service.pid).peakKb,
    upstreamMs,
  };
}

/** The commit measured, and the source files that differed from it (others' work in progress). */
function sourceState(): { commit: string; uncommitted: string[] } {
  const git = (...args: string[]): string => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' });
    } catch {
      return '';
    }
  };
  return {
    commit: git('rev-parse', '--short', 'HEAD').trim() || 'unknown',
    uncommitted: git('status', '--porcelain', '--', 'src')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.slice(3)),
  };
}

function requestHeaders(token: string): Record<string, string> {
  return { 'content-type': 'application/json', authorization: `Bearer ${token}` };
}

function profileArgs(options: BenchOptions, name: string): string[] {
  if (!options.profile.includes(name)) return [];
  mkdirSync(PROFILE_DIR, { recursive: true });
  rmSync(join(PROFILE_DIR, `${name}.cpuprofile`), { force: true });
  return ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${name}.cpuprofile`];
}

/** The profiles the children under `--cpu-prof` wrote at exit, summarized. */
function collectProfiles(options: BenchOptions, children: RunningChild[]): Record<string, ProfileSummary> {
  const out: Record<string, ProfileSummary> = {};
  if (options.profile.length === 0) return out;
  const files = readdirSync(PROFILE_DIR);
  for (const child of children) {
    const file = files.find((f) => f === `${child.name}.cpuprofile`);
    if (file) {
      out[child.name] = summarizeProfile(join(PROFILE_DIR, file));
      log(`profile of ${child.name}: ${join(PROFILE_DIR, file)}`);
    }
  }
  return out;
}

async function stopAll(children: RunningChild[]): Promise<void> {
  await Promise.all(children.map((child) => child.stop()));
}

function key(target: string, concurrency: number): string {
  return `${target}@${concurrency}`;
}

const began = performance.now();

function log(line: string): void {
  console.log(`[bench +${((performance.now() - began) / 1000).toFixed(1)}s] ${line}`);
}

main().catch((error: unknown) => {
  console.error(`[bench] FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
