/**
 * `npm run soak`: the mixed load of issue 16 for N minutes (default 10; `--quick`: 20 seconds, which
 * `npm run bench:quick` runs), against the service as `npm start` runs it, with production defaults
 * on the sandbox in its own process (5 ms per call). One account of one customer always fails
 * upstream (SYSCD09999, HTTP 500): a data problem of the bank's for that one account.
 *
 * Eight clients, each in a loop: two on the dashboard of the customer with the broken account, two
 * on the dashboard of a customer without one, one paging a year of transactions with cursors, one
 * sending rejected arguments, one an unknown token, and one asking for the first page of a year of
 * 100,000 transactions every few seconds.
 *
 * Reports failed answers per client (an answer is failed when it has an error it should not: for
 * the customer with the broken account, any error not about that account), how often the circuit
 * breaker opened, what the broken account cost upstream, RSS of the service each minute and its
 * slope, and the event-loop delay p99 (prom-client's, per sample). Writes
 * bench/results/soak.json (a full run, and its section of BENCHMARKS.md with `--markdown`) or
 * bench/results/soak-quick.json.tmp; exits 1 when a customer without a failing account saw a failed
 * answer or the breaker opened.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { startFlags } from './lib/baseline';
import { DASHBOARD_QUERY, daysBefore, dashboardVariables } from './lib/dashboard';
import { RESULTS, ROOT } from './lib/dist';
import { memoryOf } from './lib/proc';
import { benchScript, freePort, type RunningChild, startChild } from './lib/processes';
import { SandboxControl } from './lib/sandbox-control';
import { SOAK_BEGIN, SOAK_END, withSoakSection } from './lib/soak-section';
import { percentile, round, sortNumbers } from './lib/stats';
import type { SandboxTargetOptions } from './targets/sandbox';

const CURSOR_SECRET = 'soak-cursor-secret-0123456789abcdef0123';
/** Production requires it while the answer cache is on, as it is by default. */
const CACHE_SECRET = 'soak-cache-secret-0123456789abcdef01234';
const TOKENS = {
  broken: 'sandbox-token-demo',
  healthy: 'sandbox-token-ten',
  paging: 'sandbox-token-many',
  heavy: 'sandbox-token-heavy',
  unknown: 'sandbox-token-nobody',
};
/** The demo customer's second account: the one the bank cannot serve. */
const BROKEN_ACCOUNT = '1002160010529';
const HEAVY_EVERY_MS = 5_000;

interface SoakOptions {
  quick: boolean;
  durationMs: number;
  sampleEveryMs: number;
  latencyMs: number;
  markdown: boolean;
}

interface SandboxDetail {
  appKey: string;
  secretKey: string;
  today: string;
  customers: { token: string; accountNumbers: string[] }[];
}

/** One client's tally. */
interface Tally {
  client: string;
  customer: string;
  requests: number;
  failed: number;
  /** Errors that were expected (on the broken account, a rejected argument, an unknown token). */
  expectedErrors: number;
  /** Of those on the broken account, how many said it was held back (no upstream call). */
  heldBack: number;
  codes: Record<string, number>;
  latenciesMs: number[];
}

interface Sample {
  atSeconds: number;
  rssMb: number;
  eventLoopP99Ms: number;
}

interface GraphQLAnswer {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: { path?: (string | number)[]; extensions?: { code?: string; heldBackMs?: number } }[];
}

async function main(): Promise<void> {
  const options = parseOptions();
  const began = performance.now();
  const loadAtStart = round(loadavg()[0], 2);
  const log = (line: string) =>
    console.log(`[soak +${((performance.now() - began) / 1000).toFixed(1)}s] ${line}`);
  const children: RunningChild[] = [];
  const agent = new Agent({ connections: 16 });
  try {
    const sandbox = await startChild({
      name: 'soak-sandbox',
      script: benchScript('targets/sandbox'),
      args: [JSON.stringify({ latencyMs: options.latencyMs, jitterMs: 0 } satisfies SandboxTargetOptions)],
      ready: { ipc: true },
    });
    children.push(sandbox);
    const detail = sandbox.detail as unknown as SandboxDetail;
    const control = new SandboxControl(sandbox.url);
    await control.configure({ faults: [{ code: 'SYSCD09999', rate: 1, accounts: [BROKEN_ACCOUNT] }] });

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      WOORI_BASE_URL: sandbox.url,
      WOORI_APP_KEY: detail.appKey,
      WOORI_SECRET_KEY: detail.secretKey,
      CURSOR_SECRET,
      CACHE_SECRET,
      // The sandbox has no rate limit or quota here: a limit of ours would pace the load instead of
      // letting it find what a broken account does to the others.
      WOORI_MAX_RPS: '10000',
      WOORI_CUSTOMER_MAX_CALLS: '0',
    };
    const service = await startChild({
      name: 'soak-service',
      script: 'dist/server/main.js',
      execArgv: startFlags(),
      env,
      ready: { healthUrl: `${base}/healthz`, url: `${base}/graphql` },
    });
    children.push(service);
    log(`sandbox ${sandbox.url} (${options.latencyMs} ms a call), service ${base} (pid ${service.pid})`);
    log(`account ${BROKEN_ACCOUNT} of ${TOKENS.broken} answers SYSCD09999 (HTTP 500) to every call`);

    const graphql = (token: string, query: string, variables: object = {}): Promise<GraphQLAnswer> =>
      post(agent, service.url, token, query, variables);
    const tallies = new Map<string, Tally>();
    const tally = (client: string, customer: string): Tally => {
      let t = tallies.get(client);
      if (!t) {
        t = {
          client,
          customer,
          requests: 0,
          failed: 0,
          expectedErrors: 0,
          heldBack: 0,
          codes: {},
          latenciesMs: [],
        };
        tallies.set(client, t);
      }
      return t;
    };

    const stopAt = performance.now() + options.durationMs;
    const running = () => performance.now() < stopAt;
    const today = detail.today;
    const yearAgo = daysBefore(today, 365);
    const pagingAccount = detail.customers.find((c) => c.token === TOKENS.paging)!.accountNumbers[0];
    const heavyAccount = detail.customers.find((c) => c.token === TOKENS.heavy)!.accountNumbers[0];

    /** Runs `ask` in a loop until the end; `judge` says which of an answer's errors were expected. */
    const loop = async (
      client: string,
      customer: string,
      ask: () => Promise<GraphQLAnswer>,
      judge: (answer: GraphQLAnswer, t: Tally) => boolean,
      pauseMs = 0,
    ) => {
      const t = tally(client, customer);
      while (running()) {
        const started = performance.now();
        let ok = false;
        try {
          const answer = await ask();
          for (const error of answer.errors ?? []) {
            const code = error.extensions?.code ?? 'NONE';
            t.codes[code] = (t.codes[code] ?? 0) + 1;
          }
          ok = judge(answer, t);
        } catch (error) {
          t.codes.TRANSPORT = (t.codes.TRANSPORT ?? 0) + 1;
          log(`${client}: ${error instanceof Error ? error.message : String(error)}`);
        }
        t.requests += 1;
        if (!ok) t.failed += 1;
        t.latenciesMs.push(performance.now() - started);
        if (pauseMs > 0) await sleep(pauseMs);
      }
    };
    const clean = (answer: GraphQLAnswer) => answer.status === 200 && !answer.errors && answer.data != null;
    const onlyCodes = (codes: string[]) => (answer: GraphQLAnswer, t: Tally) => {
      const errors = answer.errors ?? [];
      t.expectedErrors += errors.length;
      return errors.length > 0 && errors.every((e) => codes.includes(e.extensions?.code ?? ''));
    };
    const brokenDashboard = (answer: GraphQLAnswer, t: Tally) => {
      const accounts = (answer.data?.accounts ?? null) as { number: string }[] | null;
      if (answer.status !== 200 || !accounts) return false;
      const brokenIndex = accounts.findIndex((account) => account.number === BROKEN_ACCOUNT);
      for (const error of answer.errors ?? []) {
        if (error.path?.[0] !== 'accounts' || error.path[1] !== brokenIndex) return false;
        t.expectedErrors += 1;
        if (error.extensions?.heldBackMs !== undefined) t.heldBack += 1;
      }
      return true;
    };

    const dashboard = (token: string) => () => graphql(token, DASHBOARD_QUERY, dashboardVariables());
    let cursor: string | null = null;
    const page = async () => {
      const answer = await graphql(TOKENS.paging, PAGE_QUERY, {
        number: pagingAccount,
        from: yearAgo,
        to: today,
        after: cursor,
      });
      const connection = (answer.data?.account as { transactions?: PageConnection } | null)?.transactions;
      cursor = connection?.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
      return answer;
    };

    const samples: Sample[] = [];
    const sampler = (async () => {
      const t0 = performance.now();
      while (running()) {
        await sleep(Math.min(options.sampleEveryMs, Math.max(0, stopAt - performance.now())));
        const metrics = await readMetrics(base);
        samples.push({
          atSeconds: round((performance.now() - t0) / 1000, 1),
          rssMb: round(memoryOf(service.pid).rssKb / 1024, 1),
          eventLoopP99Ms: round((metrics.nodejs_eventloop_lag_p99_seconds ?? NaN) * 1000, 1),
        });
        const last = samples.at(-1)!;
        log(`RSS ${last.rssMb} MB, event-loop delay p99 ${last.eventLoopP99Ms} ms`);
      }
    })();

    await Promise.all([
      loop('dashboard A1', 'demo (one broken account)', dashboard(TOKENS.broken), brokenDashboard),
      loop('dashboard A2', 'demo (one broken account)', dashboard(TOKENS.broken), brokenDashboard),
      loop('dashboard B1', 'ten', dashboard(TOKENS.healthy), clean),
      loop('dashboard B2', 'ten', dashboard(TOKENS.healthy), clean),
      loop('paging', 'many', page, clean),
      loop(
        'rejected arguments',
        'ten',
        () => graphql(TOKENS.healthy, REJECTED_QUERY),
        onlyCodes(['BAD_USER_INPUT']),
        20,
      ),
      loop(
        'unknown token',
        '(none)',
        () => graphql(TOKENS.unknown, '{ accounts { number } }'),
        onlyCodes(['UNAUTHENTICATED']),
        20,
      ),
      loop(
        'large range',
        'heavy',
        () => graphql(TOKENS.heavy, HEAVY_QUERY, { number: heavyAccount, from: yearAgo, to: today }),
        clean,
        HEAVY_EVERY_MS,
      ),
      sampler,
    ]);

    const metrics = await readMetrics(base);
    const calls = (await control.counters()).calls;
    // The only fault of the run: every SYSCD09999 is a call about the broken account.
    const brokenCalls = calls.byCode.SYSCD09999 ?? 0;
    const minutes = options.durationMs / 60_000;
    const load = { start: loadAtStart, end: round(loadavg()[0], 2) };
    const report = buildReport(
      options,
      [...tallies.values()],
      samples,
      metrics,
      calls.total,
      brokenCalls,
      minutes,
      env,
      load,
    );
    const out = join(RESULTS, options.quick ? 'soak-quick.json.tmp' : 'soak.json');
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    for (const line of report.lines) log(line);
    log(`raw figures: ${out}`);
    if (options.markdown) {
      const path = join(ROOT, 'BENCHMARKS.md');
      writeFileSync(path, withSoakSection(readFileSync(path, 'utf8'), renderMarkdown(report)));
      log(`soak section written to ${path}`);
    }
    const failure = children.map((child) => child.failure()).find((error) => error !== null);
    if (failure) throw failure;
    if (!report.met) {
      log('NOT MET: a customer without a failing account saw a failed answer, or the breaker opened');
      process.exitCode = 1;
    }
  } finally {
    await agent.close();
    for (const child of children.reverse()) await child.stop();
  }
}

const PAGE_QUERY = `query Page($number: String!, $from: Date!, $to: Date!, $after: String) {
  account(number: $number) {
    number
    transactions(from: $from, to: $to, first: 50, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { date amount { amount currency } balanceAfter { amount } }
    }
  }
}`;
const REJECTED_QUERY =
  '{ accounts { number transactions(from: "2024-02-01", to: "2024-01-01") { totalCount } } }';
const HEAVY_QUERY = `query Large($number: String!, $from: Date!, $to: Date!) {
  account(number: $number) {
    transactions(from: $from, to: $to, first: 20) {
      totalCount
      nodes { occurredAt amount { amount currency } balanceAfter { amount } memo }
    }
  }
}`;

interface PageConnection {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

async function post(
  agent: Agent,
  url: string,
  token: string,
  query: string,
  variables: object,
): Promise<GraphQLAnswer> {
  const res = await request(url, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
  const body = (await res.body.json()) as Omit<GraphQLAnswer, 'status'>;
  return { status: res.statusCode, ...body };
}

/** The service's metrics without labels (and the first sample of labelled ones), by name. */
async function readMetrics(base: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const values: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})? (\S+)$/.exec(line);
    if (match && !(match[1] in values)) values[match[1]] = Number(match[2]);
  }
  return values;
}

interface SoakReport {
  quick: boolean;
  minutes: number;
  settings: Record<string, string>;
  clients: Array<Omit<Tally, 'latenciesMs'> & { p50Ms: number; p99Ms: number }>;
  breakerOpenings: number;
  heldBackCalls: number;
  upstreamCalls: number;
  /** Calls about the broken account among the sandbox's last 2000, per minute of the run. */
  brokenAccountCalls: number;
  brokenAccountCallsPerMinute: number;
  /** The machine: CPUs, and its load average (1 min) at the start and the end of the run. */
  machine: { cpus: number; loadStart: number; loadEnd: number };
  samples: Sample[];
  rssSlopeMbPerMinute: number;
  eventLoopP99MsMax: number;
  met: boolean;
  lines: string[];
}

function buildReport(
  options: SoakOptions,
  tallies: Tally[],
  samples: Sample[],
  metrics: Record<string, number>,
  upstreamCalls: number,
  brokenCalls: number,
  minutes: number,
  env: Record<string, string>,
  load: { start: number; end: number },
): SoakReport {
  const clients = tallies.map(({ latenciesMs, ...t }) => {
    const sorted = sortNumbers(latenciesMs);
    return { ...t, p50Ms: round(percentile(sorted, 50), 1), p99Ms: round(percentile(sorted, 99), 1) };
  });
  const breakerOpenings = metrics.woori_upstream_circuit_opened_total ?? NaN;
  const rssSlopeMbPerMinute = round(slope(samples.map((s) => [s.atSeconds / 60, s.rssMb])), 2);
  const eventLoopP99MsMax = Math.max(...samples.map((s) => s.eventLoopP99Ms));
  const healthyFailed = clients
    .filter((c) => !c.customer.includes('broken'))
    .reduce((sum, c) => sum + c.failed, 0);
  const met = healthyFailed === 0 && breakerOpenings === 0;
  const brokenAccountCallsPerMinute = round(brokenCalls / minutes, 1);
  const lines = [
    `${round(minutes, 2)} min, ${clients.reduce((sum, c) => sum + c.requests, 0)} requests, ${upstreamCalls} upstream calls`,
    ...clients.map(
      (c) =>
        `${c.client.padEnd(18)} ${c.customer.padEnd(26)} ${String(c.requests).padStart(6)} requests, ` +
        `${c.failed} failed, ${c.expectedErrors} expected errors (${c.heldBack} held back), p50 ${c.p50Ms} ms, p99 ${c.p99Ms} ms`,
    ),
    `breaker openings: ${breakerOpenings}; calls answered from the broken-input memory: ` +
      `${metrics.woori_upstream_held_back_calls_total ?? 0}; upstream calls about the broken account: ` +
      `${brokenCalls} (${brokenAccountCallsPerMinute} a minute)`,
    `RSS each sample (MB): ${samples.map((s) => s.rssMb).join(', ')}; slope ${rssSlopeMbPerMinute} MB/min`,
    `event-loop delay p99 each sample (ms): ${samples.map((s) => s.eventLoopP99Ms).join(', ')}; max ${eventLoopP99MsMax}`,
    `${met ? 'met' : 'NOT MET'}: 0 failed answers for customers without a failing account (${healthyFailed}), 0 breaker openings (${breakerOpenings})`,
  ];
  const settings = Object.fromEntries(
    Object.entries(env).filter(([key]) =>
      ['NODE_ENV', 'LOG_LEVEL', 'WOORI_MAX_RPS', 'WOORI_CUSTOMER_MAX_CALLS'].includes(key),
    ),
  );
  return {
    quick: options.quick,
    minutes,
    settings: { ...settings, SANDBOX_LATENCY_MS: String(options.latencyMs) },
    clients,
    breakerOpenings,
    heldBackCalls: metrics.woori_upstream_held_back_calls_total ?? 0,
    upstreamCalls,
    brokenAccountCalls: brokenCalls,
    brokenAccountCallsPerMinute,
    machine: { cpus: availableParallelism(), loadStart: load.start, loadEnd: load.end },
    samples,
    rssSlopeMbPerMinute,
    eventLoopP99MsMax,
    met,
    lines,
  };
}

function renderMarkdown(report: SoakReport): string {
  const rows = report.clients.map(
    (c) =>
      `| ${c.client} | ${c.customer} | ${c.requests} | ${c.failed} | ${c.expectedErrors} (${c.heldBack} held back) | ${c.p50Ms} | ${c.p99Ms} |`,
  );
  return [
    SOAK_BEGIN,
    '## Soak (`npm run soak`)',
    '',
    `Written by bench/soak.ts on ${new Date().toISOString()}: ${round(report.minutes, 2)} minutes of the mixed load of issue 16 ` +
      `(8 clients) against the service (\`${Object.entries(report.settings)
        .map(([k, v]) => `${k}=${v}`)
        .join('`, `')}\`), one account of the demo customer answering SYSCD09999 to every call. ` +
      `${report.upstreamCalls} upstream calls. A failed answer is one with an error it should not have (for the demo ` +
      'customer: any error not about its broken account). ' +
      `Machine: ${report.machine.cpus} CPUs, load average ${report.machine.loadStart} at the start and ` +
      `${report.machine.loadEnd} at the end (shared with other runs: latency and RSS figures are noisy).`,
    '',
    '| client | customer | requests | failed | expected errors | p50 ms | p99 ms |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `- Breaker openings: **${report.breakerOpenings}**; calls answered from the broken-input memory: ` +
      `${report.heldBackCalls}; upstream calls about the broken account: ${report.brokenAccountCalls} ` +
      `(**${report.brokenAccountCallsPerMinute} a minute**).`,
    `- RSS each minute (MB): ${report.samples.map((s) => s.rssMb).join(', ')}; slope **${report.rssSlopeMbPerMinute} MB/min**.`,
    `- Event-loop delay p99 each minute (ms): ${report.samples.map((s) => s.eventLoopP99Ms).join(', ')}; max **${report.eventLoopP99MsMax} ms**.`,
    SOAK_END,
    '',
  ].join('\n');
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  if (points.length < 2) return NaN;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? NaN : sxy / sxx;
}

function parseOptions(): SoakOptions {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      quick: { type: 'boolean', default: false },
      minutes: { type: 'string' },
      latency: { type: 'string' },
      markdown: { type: 'boolean', default: false },
    },
  });
  const quick = values.quick ?? false;
  const minutes = values.minutes === undefined ? (quick ? 1 / 3 : 10) : Number(values.minutes);
  if (!(minutes > 0)) throw new Error(`--minutes needs a positive number, got ${values.minutes}`);
  const latencyMs = values.latency === undefined ? 5 : Number(values.latency);
  if (!(latencyMs >= 0)) throw new Error(`--latency needs a number of ms, got ${values.latency}`);
  return {
    quick,
    durationMs: minutes * 60_000,
    sampleEveryMs: quick ? 5_000 : 60_000,
    latencyMs,
    markdown: values.markdown ?? false,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
