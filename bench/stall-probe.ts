/**
 * Does one customer's large answer stall everyone else? (issue 16, part 2.) A small side-by-side
 * probe: `node dist/bench/bench/stall-probe.js [seconds per phase] [rounds]` after
 * `npm run build && tsc -p bench/tsconfig.json`.
 *
 * The sandbox (upstream latency 5 ms) and each variant of the service run in processes of their
 * own. For each variant, in interleaved rounds: another customer's dashboard (the `ten` customer,
 * two clients back to back) alone, then the same while the `heavy` customer asks for the first page
 * of 50 of its 100,000-transaction year once a second. It prints the dashboard's p50/p99/max in both
 * phases, and the service's event-loop delay (its own `/metrics`: prom-client's
 * `nodejs_eventloop_lag_p99_seconds` and `_max_seconds`, reset at each scrape).
 *
 * The variants: the whole text decoded at once (as before the streaming decoder), streamed as the
 * bytes arrive without slices, and streamed in slices of a few milliseconds. A worker thread is not
 * a variant: the probe measures instead what it would cost the main thread to receive the records
 * from one (structured clone), which is printed with the rest.
 */
import { loadavg } from 'node:os';
import { deserialize, serialize } from 'node:v8';
import { Agent, request } from 'undici';
import type * as Decode from '../src/woori/decode';
import { startFlags } from './lib/baseline';
import { dashboardRequestBody, dashboardVariables, daysBefore } from './lib/dashboard';
import { fromDist } from './lib/dist';
import { firstPage, HEAVY_TOKEN, probeServiceEnv, transactionChunks } from './lib/large-range';
import { benchScript, startChild, type RunningChild } from './lib/processes';
import { percentile, sortNumbers } from './lib/stats';
import type { ServiceDecodeOptions } from './targets/service-decode';

const DASHBOARD_TOKEN = 'sandbox-token-ten';
const DASHBOARD_CLIENTS = 2;
const HEAVY_EVERY_MS = 1000;
const VARIANTS: Array<{ name: string; options: ServiceDecodeOptions }> = [
  { name: 'whole text at once (before)', options: { streamFromBytes: -1, decodeSliceMs: 0 } },
  { name: 'streamed, as bytes arrive', options: { decodeSliceMs: 0 } },
  { name: 'streamed, 5 ms slices', options: { decodeSliceMs: 5 } },
  { name: 'streamed, 3 ms slices', options: { decodeSliceMs: 3 } },
  { name: 'streamed, 2 ms slices', options: { decodeSliceMs: 2 } },
];

interface SandboxDetail {
  appKey: string;
  secretKey: string;
  today: string;
  customers: Array<{ token: string; accountNumbers: string[] }>;
}

interface Phase {
  dashboardsMs: number[];
  heavyMs: number[];
  lagP99Ms: number;
  lagMaxMs: number;
}

const agent = new Agent({ connections: 16 });

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 10);
  const rounds = Number(process.argv[3] ?? 2);
  const loads = [loadavg()[0]];
  const sandbox = await startChild({
    name: 'stall-sandbox',
    script: benchScript('targets/sandbox'),
    args: [JSON.stringify({ latencyMs: 5, jitterMs: 0 })],
    ready: { ipc: true },
  });
  const detail = sandbox.detail as unknown as SandboxDetail;
  const results = VARIANTS.map(() => ({
    alone: [] as Phase[],
    withLarge: [] as Phase[],
    largeAloneMs: [] as number[],
  }));
  let clone = '';
  try {
    clone = await cloneCost(sandbox.url, detail);
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < VARIANTS.length; k++) {
        const i = (k + round) % VARIANTS.length;
        const variant = VARIANTS[i];
        const service = await startService(variant.options, sandbox.url, detail);
        try {
          await warmUp(service.url, detail);
          for (let n = 0; n < 3; n++) results[i].largeAloneMs.push(await heavy(service.url, detail));
          results[i].alone.push(await phase(service.url, detail, seconds, false));
          results[i].withLarge.push(await phase(service.url, detail, seconds, true));
        } finally {
          await service.stop();
        }
        loads.push(loadavg()[0]);
        process.stderr.write(`round ${round + 1}: ${variant.name} done\n`);
      }
    }
  } finally {
    await sandbox.stop();
    await agent.close();
  }

  const lines = [
    '| decoding | dashboards alone: n, p50 / p99 / max ms | with the large range once a second: n, p50 / p99 / max ms | ' +
      'p99 with ÷ alone | event-loop delay p99 / max ms, alone | with the large range | large range alone: median ms | ' +
      'large range with dashboards: n, median ms |',
    '|---|---|---|---:|---|---|---:|---|',
  ];
  VARIANTS.forEach((variant, i) => {
    const alone = pool(results[i].alone);
    const busy = pool(results[i].withLarge);
    lines.push(
      `| ${variant.name} | ${summary(alone.dashboardsMs)} | ${summary(busy.dashboardsMs)} | ` +
        `${(p(busy.dashboardsMs, 99) / p(alone.dashboardsMs, 99)).toFixed(1)} | ` +
        `${fmt(alone.lagP99Ms)} / ${fmt(alone.lagMaxMs)} | ${fmt(busy.lagP99Ms)} / ${fmt(busy.lagMaxMs)} | ` +
        `${fmt(p(results[i].largeAloneMs, 50))} | ` +
        `${busy.heavyMs.length}, ${fmt(p(busy.heavyMs, 50))} |`,
    );
  });
  process.stdout.write(
    `${lines.join('\n')}\n\n${clone}\n${rounds} interleaved round(s) of ${seconds} s per phase, ` +
      `${DASHBOARD_CLIENTS} dashboard clients back to back, upstream latency 5 ms, node ${process.version}; ` +
      `event-loop delay: the worst phase of the rounds; load average (1 min) ${loads.map((l) => l.toFixed(2)).join(' → ')}\n`,
  );
}

async function startService(
  options: ServiceDecodeOptions,
  sandboxUrl: string,
  detail: SandboxDetail,
): Promise<RunningChild> {
  return startChild({
    name: 'stall-service',
    script: benchScript('targets/service-decode'),
    args: [JSON.stringify(options)],
    execArgv: startFlags(),
    env: probeServiceEnv({ url: sandboxUrl, ...detail }),
    ready: { ipc: true },
  });
}

async function warmUp(url: string, detail: SandboxDetail): Promise<void> {
  for (let i = 0; i < 5; i++) await dashboard(url);
  await heavy(url, detail);
  await heavy(url, detail);
}

/** One phase: dashboards back to back for `seconds`, with the large range once a second or not. */
async function phase(
  url: string,
  detail: SandboxDetail,
  seconds: number,
  withLarge: boolean,
): Promise<Phase> {
  await lag(url);
  const until = performance.now() + seconds * 1000;
  const dashboardsMs: number[] = [];
  const heavyMs: number[] = [];
  const clients = Array.from({ length: DASHBOARD_CLIENTS }, async () => {
    while (performance.now() < until) dashboardsMs.push(await dashboard(url));
  });
  const large = (async () => {
    while (withLarge && performance.now() < until) {
      const started = performance.now();
      heavyMs.push(await heavy(url, detail));
      const wait = HEAVY_EVERY_MS - (performance.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  await Promise.all([...clients, large]);
  return { dashboardsMs, heavyMs, ...(await lag(url)) };
}

async function dashboard(url: string): Promise<number> {
  const started = performance.now();
  const response = await request(`${url}/graphql`, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${DASHBOARD_TOKEN}` },
    body: dashboardRequestBody(dashboardVariables()),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200 || text.includes('"errors"')) {
    throw new Error(`The dashboard failed (${response.statusCode}): ${text.slice(0, 500)}`);
  }
  return performance.now() - started;
}

function heavy(url: string, detail: SandboxDetail): Promise<number> {
  return firstPage(url, detail.today, agent);
}

/** The service's event-loop delay since its last scrape (prom-client resets it at each one). */
async function lag(url: string): Promise<{ lagP99Ms: number; lagMaxMs: number }> {
  const response = await request(`${url}/metrics`, { dispatcher: agent });
  const text = await response.body.text();
  const read = (name: string): number => {
    const match = new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text);
    if (!match) throw new Error(`The service's /metrics has no ${name}`);
    return Number(match[1]) * 1000;
  };
  return {
    lagP99Ms: read('nodejs_eventloop_lag_p99_seconds'),
    lagMaxMs: read('nodejs_eventloop_lag_max_seconds'),
  };
}

/**
 * What a worker thread would cost the main thread: the 100,000 records it decoded have to come
 * back by structured clone, and deserializing them runs on the main thread.
 */
async function cloneCost(sandboxUrl: string, detail: SandboxDetail): Promise<string> {
  const decode = fromDist<typeof Decode>('woori/decode');
  const heavyCustomer = detail.customers.find((customer) => customer.token === HEAVY_TOKEN)!;
  const compact = (date: string) => date.replaceAll('-', '');
  const chunks = await transactionChunks(
    { url: sandboxUrl, ...detail },
    HEAVY_TOKEN,
    heavyCustomer.accountNumbers[0],
    compact(daysBefore(detail.today, 365)),
    compact(detail.today),
  );
  const records = decode.decodeAnswer(
    'listTransactions',
    decode.parseBody(Buffer.concat(chunks).toString('utf8')),
    decode.readTransactions,
  );
  if (records.length !== 100_000) throw new Error(`The large range has ${records.length} records`);
  const serializeMs: number[] = [];
  const deserializeMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    let started = performance.now();
    const bytes = serialize(records);
    serializeMs.push(performance.now() - started);
    started = performance.now();
    deserialize(bytes);
    deserializeMs.push(performance.now() - started);
  }
  return (
    `A worker thread instead: handing back the ${records.length} records by structured clone costs the main thread ` +
    `${fmt(Math.min(...deserializeMs))} ms to deserialize (best of 3; serializing in the worker ${fmt(Math.min(...serializeMs))} ms).`
  );
}

function pool(phases: Phase[]): Phase {
  return {
    dashboardsMs: phases.flatMap((one) => one.dashboardsMs),
    heavyMs: phases.flatMap((one) => one.heavyMs),
    lagP99Ms: Math.max(...phases.map((one) => one.lagP99Ms)),
    lagMaxMs: Math.max(...phases.map((one) => one.lagMaxMs)),
  };
}

function p(values: number[], at: number): number {
  return values.length === 0 ? NaN : percentile(sortNumbers(values), at);
}

function summary(values: number[]): string {
  return `${values.length}, ${fmt(p(values, 50))} / ${fmt(p(values, 99))} / ${fmt(Math.max(...values))}`;
}

function fmt(ms: number): string {
  return ms >= 10 ? ms.toFixed(0) : ms.toFixed(1);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
